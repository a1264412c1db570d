"""The emulator's own binary translation: basic blocks of innocuous guest code compiled into Python
functions, cached by physical address — the same idea VMware's translator applies to guest kernel
code, used here to make the emulator fast.

A block is generated only from validated numbers and enum values (register numbers, immediates,
opcodes from the instruction table), never from the text of a file. It must be indistinguishable
from the reference interpreter: the same registers, flags, memory, cycles and instruction counts,
the same faults at the same instruction, the same timer interrupt points, the same budget stop.
So it runs only when no interrupt can fall due inside it, computes flags only where they are read
(or could be seen by a fault), keeps faulting instructions precise, and stops after a store that
changed code. Everything it cannot compile runs in the interpreter.
"""

from __future__ import annotations

from virtquest.emu import region as regions
from virtquest.emu.blockgen import BRANCHES, Generator, callout
from virtquest.emu.compiled import (
    CompiledBlock,
    _add_flags,
    _div_zero,
    _fl,
    _Refused,
    _signed,
    _sub_flags,
)
from virtquest.emu.cpu import CpuFault
from virtquest.emu.encoding import Instruction, decode
from virtquest.emu.isa import INSTRUCTION_SIZE
from virtquest.emu.memory import BusError
from virtquest.emu.mmu import PageFault

M = 0xFFFFFFFF
MAX_BLOCK = 48
MAX_PASSES = 20_000
CHAIN = 64               # blocks run back to back before returning to the machine's loop
HOT = 4                  # dispatches of a block start before it is compiled
REGION_HOT = 32          # runs of a compiled block before the region from it is compiled
_CODE_CACHE: dict[tuple, object] = {}   # (address, bytes, costs) -> compiled code, shared
CODE_CACHE_LIMIT = 2048     # ~20 KB a compiled block: the caches stay under ~50 MB
MISSING = object()
_EMPTY: dict = {}
# (eip, pa, costs) -> [(the code bytes it was made from, where), the block made]: across machines
_TEMPLATES: dict[tuple, list] = {}

class FastPath:
    """Finds, compiles and runs blocks for one CPU."""

    def __init__(self, cpu):
        self.cpu = cpu
        self.blocks: dict[int, CompiledBlock | None] = {}      # by physical address
        self.vblocks: dict[int, CompiledBlock] = {}            # by virtual address (see try_run)
        self.pages: dict[int, list[int]] = {}
        # Set when a block must end after the instruction running now: it wrote code, or a TLB
        # entry was pushed out (maybe the block's own code page: the next fetch walks again).
        self.stop = False
        self.heat: dict[int, int] = {}
        cpu.code_listeners.append(self.forget_page)
        cpu.mmu.on_evict = self._evicted
        self.env = {"_fl": _fl, "_add_flags": _add_flags, "_sub_flags": _sub_flags,
                    "_signed": _signed, "_div_zero": _div_zero, "M": M,
                    "frm": int.from_bytes, "LE": "little",
                    "_EMPTY": _EMPTY,
                    "_FAULTS": (PageFault, BusError, CpuFault)}
        self.accessors = cpu.fast_accessors()
        self.costs_seen, self.cost_key = cpu.cost, tuple(cpu.cost)
        cpu._fastpath = self

    def forget_page(self, ppn: int) -> None:
        for pa in self.pages.pop(ppn, ()):
            self.blocks.pop(pa, None)
        self.vblocks.clear()
        self.stop = True

    def _evicted(self) -> None:
        self.stop = True

    # -- running -------------------------------------------------------------------------------
    def try_run(self, limit: int) -> bool:
        """Run compiled blocks from eip, one after another while they are safe: every instruction
        boundary inside a block comes before the budget's end and before the timer can fall due
        (so the machine's own checks between blocks see what the interpreter would); False when
        not even one could run, so the interpreter takes the step."""
        cpu = self.cpu
        mmu, regs, mem = cpu.mmu, cpu.regs, cpu.mem
        sup = cpu.cpl != 3     # no block changes the ring, paging or cr0.WP (see blockgen)
        accessors = (*self.accessors, mmu.tlb.get if mmu.enabled else _EMPTY.get, mem.data,
                     mem.size, mem.code_pages, mem.touches_code, sup,
                     sup and not mmu.write_protect)
        tlb, hooks, vblocks, fire = mmu.tlb, cpu.exec_hooks, self.vblocks, cpu.timer.next_fire
        ran = 0
        while ran < CHAIN:
            eip = cpu.eip
            block = vblocks.get(eip)
            # A TLB entry for the page that maps it to the block's frame, usable at this
            # privilege: translate() would hit it (no walk, no accessed bit to set) and find
            # the same block.
            entry = tlb.get(eip >> 12)
            if block is None or entry is None or entry[0] != block.frame or \
                    cpu.cpl == 3 and not entry[2] or not mmu.enabled:
                block = self._find(eip)
                if block is None:
                    break
            if block.upgrade:
                block.runs += 1
                if block.runs >= REGION_HOT:
                    block = self._upgrade(block)
            if block.hooks_seen != hooks.version:
                self._check_hooks(block, hooks)
            if block.hooked:
                block = block.alt          # the part before the hook, if there is one
                if block is None:
                    break
            cycles = cpu.cycles
            room = limit - cycles
            if fire >= 0 and fire - cycles + cpu.hidden < room:
                room = fire - cycles + cpu.hidden
            inner = block.inner
            if inner >= room:
                break
            hook_needed = cpu.block_hook is not None and cpu.cpl in cpu.block_hook_rings
            if hook_needed and cpu.block_start:
                cpu.block_start = False
                version = hooks.version
                cpu.block_hook(cpu, eip)
                ran += 1
                fire = cpu.timer.next_fire
                if cpu.eip != eip or hooks.version != version:
                    continue           # the hook moved on or added hooks: look again
                cycles = cpu.cycles    # it may have charged cycles
                room = limit - cycles
                if fire >= 0 and fire - cycles + cpu.hidden < room:
                    room = fire - cycles + cpu.hidden
                if inner >= room:
                    break
            self.stop = False
            passes, repeat = 1, None
            if block.region is not None:
                # a region takes the room left instead, and the blocks it may not enter; with a
                # block hook, each block it enters must be one the hook would just count
                passes = room
                hit = None
                if hook_needed:
                    hit = cpu.block_hook_hit
                    if hit is None:
                        passes = inner + 1       # it stops after its first block
                ran += 1
                try:
                    block.fn(cpu, regs, passes, accessors, block.blocked, hit)
                except (PageFault, BusError, CpuFault) as exc:
                    self._fault(block, exc)
                    break
                if block.steps:
                    break          # the interpreter ran an instruction: ring, paging may differ
                continue
            elif block.loops:
                # A loop goes back to its start, a new block each time: with a block hook, only
                # when the hook says those calls would just count hits.
                if hook_needed and cpu.block_hook_repeat is not None:
                    repeat = cpu.block_hook_repeat(cpu, eip)
                if not hook_needed or repeat is not None:
                    # pass i starts at i * cost; a cap keeps cancel requests answered promptly
                    passes = min((room - inner - 1) // block.cost + 1, MAX_PASSES)
            ran += 1
            before = cpu.instructions if repeat is not None else 0
            try:
                block.fn(cpu, regs, passes, accessors)
            except (PageFault, BusError, CpuFault) as exc:
                if repeat is not None:
                    repeat(cpu._fi)                # passes begun after the first
                self._fault(block, exc)
                break
            if repeat is not None:
                repeat((cpu.instructions - before - 1) // block.count)
            if block.steps:
                break              # the interpreter ran an instruction: ring, paging may differ
        return ran > 0

    def _check_hooks(self, block: CompiledBlock, hooks) -> None:
        """Whether an exec hook sits inside the block, and what may run instead: a region's first
        block, or the instructions before the hook. A region whose first block is free of hooks
        runs, kept out of the blocks that hold one."""
        seen, block.hooks_seen = block.hooks_seen, hooks.version
        if block.fn is None:                   # _Refused: never runs
            return
        watched = block.addr_set
        if watched is None:
            watched = block.addr_set = frozenset(block.addrs[:block.checked])
            block.vpns = tuple({a >> 12 for a in watched})
        elif seen >= hooks.base and all(hooks.page_version.get(p, -1) <= seen
                                        for p in block.vpns):
            return                             # no hook came or went on its pages
        hooked = [k for k, a in enumerate(block.addrs[:block.checked]) if a in hooks] \
            if hooks and not watched.isdisjoint(hooks) else []
        if block.region is not None:
            starts = block.region[3]
            block.blocked = frozenset(starts[k] for k in hooked)
            hooked = [k for k in hooked if starts[k] == block.start]
        block.hooked = bool(hooked)
        if not hooked:
            return
        alt = block.fallback
        last = len(block.ins) - 1
        if alt is None and hooked == [last] and not block.loops and not block.steps:
            alt = block.prefixes.get(-1)
            if alt is None:        # the whole block, calling the hook before its last
                alt = self._build(block.start, block.ins, hook_last=True)
                alt.frame, alt.synced, alt.checked = block.frame, last, last
                block.prefixes[-1] = alt
        elif alt is None and hooked[0] > 0:
            alt = block.prefixes.get(hooked[0])
            if alt is None:
                # the instructions before the hook, then the interpreter's step() for the
                # hooked one (which calls the hook, as the interpreter would)
                alt = self._build(block.start, block.ins[:hooked[0]], tail_step=True)
                alt.frame, alt.steps, alt.inner = block.frame, True, alt.cost
                block.prefixes[hooked[0]] = alt
        if alt is not None and alt.hooks_seen != hooks.version:
            self._check_hooks(alt, hooks)
        block.alt = alt.alt if alt is not None and alt.hooked else alt

    def _find(self, eip: int) -> CompiledBlock | None:
        """The block that starts at eip, through a full translation (compiled when hot)."""
        cpu = self.cpu
        if eip & 0xFFF > 0x1000 - INSTRUCTION_SIZE:
            return None
        try:
            pa = cpu.mmu.translate(eip, False, cpu.cpl == 3)
        except (PageFault, BusError):
            return None
        block = self.blocks.get(pa, MISSING)
        if block is MISSING:
            heat = self.heat.get(pa, 0) + 1     # cold code stays in the interpreter
            self.heat[pa] = heat
            if heat < HOT:
                return None
            block = self.compile(eip, pa)
        if block is None or block.start != eip:
            if block is None and cpu.mmu.enabled:     # remember: nothing to run here
                self.vblocks[eip] = _Refused(pa & ~0xFFF)
            return None
        block.frame = pa & ~0xFFF
        if cpu.mmu.enabled:
            self.vblocks[eip] = block
        return block

    def _fault(self, block: CompiledBlock, exc) -> None:
        """A fault inside a block: account exactly the instructions before it, then let the CPU
        deliver it as the interpreter would have."""
        cpu = self.cpu
        k, done = cpu._fp, cpu._fi
        if block.region is not None:
            (cyc, cnt), (pre_cost, pre_count, first, _) = done, block.region
            cpu.cycles += cyc + pre_cost[k]
            cpu.instructions += cnt + pre_count[k]
            cpu.eip = block.addrs[k]
            if first[k] and cnt:
                cpu.block_start = True
            cpu.recover(exc)
            return
        if k < 0 or block.synced is not None and k >= block.synced:
            # the hook on the last instruction, or that instruction after it: everything
            # before was counted when the hook was called
            cpu.eip = block.addrs[-1]
            cpu.recover(exc)
            return
        cpu.cycles += done * block.cost + block.prefix[k]
        cpu.instructions += done * block.count + k
        cpu.eip = block.addrs[k]
        if k == 0 and done:
            cpu.block_start = True
        cpu.recover(exc)

    # -- compiling -----------------------------------------------------------------------------
    def compile(self, eip: int, pa: int) -> CompiledBlock | None:
        """The block (or region) at eip, found at pa: made once per process for the same code
        bytes and costs (every run makes a new machine), else decoded and generated."""
        mem = self.cpu.mem
        if self.cpu.cost is not self.costs_seen:        # a new cost profile
            self.costs_seen, self.cost_key = self.cpu.cost, tuple(self.cpu.cost)
        key = (eip, pa, self.cost_key)
        found = self._made_before(key)
        if found is not None:
            return self._adopt(pa, *found)
        instructions = self._decode_run(eip, pa & ~0xFFF)
        ranges = [(pa, max(len(instructions), 1) * INSTRUCTION_SIZE)]
        block = None
        if instructions:
            block = self._build(eip, instructions)
            # a region is worth compiling only for code that keeps running (see _upgrade)
            block.upgrade = instructions[-1].row.mnemonic in BRANCHES and \
                not _self_loop(instructions, eip)
        checks = tuple((p, bytes(mem.data[p:p + n])) for p, n in ranges)
        if len(_TEMPLATES) >= CODE_CACHE_LIMIT:
            _TEMPLATES.clear()
        _TEMPLATES.setdefault(key, []).append((checks, block))
        return self._adopt(pa, checks, block, fresh=True)

    def _adopt(self, pa: int, checks, made: CompiledBlock | None, fresh: bool = False):
        """Watch the code the block was made from, and keep it (a copy, if another machine's)."""
        self._watch(pa, checks)
        block = made if fresh or made is None else made.copy()
        if block is not None and block.upgrade and \
                ("region", block.start, pa, self.cost_key) in _TEMPLATES:
            block.runs = REGION_HOT - 1       # its region is already made: take it at once
        self.blocks[pa] = block
        return block

    def _made_before(self, key: tuple):
        """(checks, block) made earlier in this process from the code bytes now in memory."""
        data = self.cpu.mem.data
        return next(((checks, made) for checks, made in _TEMPLATES.get(key, ())
                     if all(data[p:p + len(b)] == b for p, b in checks)), None)

    def _watch(self, pa: int, checks) -> None:
        """Watch the code the block at pa was made from: if it changes, the block is dropped."""
        for ppn in dict.fromkeys(p >> 12 for p, _ in checks):
            self.pages.setdefault(ppn, []).append(pa)
        for p, b in checks:
            self.cpu.mem.watch(p, len(b))

    def _upgrade(self, block: CompiledBlock) -> CompiledBlock:
        """A block that keeps running: the region from it (made once per process for the same
        code), with the block itself to fall back on; or the block, if no region comes of it."""
        block.upgrade = False
        eip, pa = block.start, block.frame | (block.start & 0xFFF)
        mem = self.cpu.mem
        key = ("region", eip, pa, self.cost_key)
        found = self._made_before(key)
        if found is not None:
            checks, made = found
        else:
            ranges: list = []
            made = self._build_region(eip, pa, ranges)
            checks = tuple((p, bytes(mem.data[p:p + n])) for p, n in ranges)
            _TEMPLATES.setdefault(key, []).append((checks, made))
            if made is not None:
                made.fallback = None          # the template keeps no machine's block
        if made is None:
            return block
        region = made.copy()
        region.fallback, region.frame = block, block.frame
        self._watch(pa, checks)
        self.blocks[pa] = region
        self.vblocks[eip] = region
        return region

    def _decode_run(self, va: int, frame: int, lone_step: bool = False) -> list[Instruction]:
        """The compilable instructions of the basic block at va (on the page at frame), and the
        one after them if the interpreter must run it; that one alone only with `lone_step` (a
        block a region branches to)."""
        mem = self.cpu.mem
        instructions: list[Instruction] = []
        paddr = frame | (va & 0xFFF)
        while len(instructions) < MAX_BLOCK and (paddr & 0xFFF) <= 0x1000 - INSTRUCTION_SIZE:
            if paddr + INSTRUCTION_SIZE > mem.size:
                break
            ins = decode(mem.data[paddr:paddr + INSTRUCTION_SIZE])
            if ins is None:
                break
            if callout(ins):
                if instructions or lone_step:
                    instructions.append(ins)   # ends the block: the interpreter runs it
                break
            instructions.append(ins)
            if ins.row.mnemonic in BRANCHES:
                break
            paddr += INSTRUCTION_SIZE
        return instructions

    def _build_region(self, eip: int, pa: int, ranges: list) -> CompiledBlock | None:
        cpu, start_frame = self.cpu, pa & ~0xFFF

        def decode_run(va: int):
            if va >> 12 == eip >> 12:
                frame = start_frame
            else:                  # another page: as the TLB maps it now, if it does
                entry = cpu.mmu.tlb.get(va >> 12) if cpu.mmu.enabled else None
                if entry is None or cpu.cpl == 3 and not entry[2]:
                    return [], None
                frame = entry[0]
            return self._decode_run(va, frame, lone_step=va != eip), frame

        nodes = regions.discover(eip, decode_run)
        if nodes is None:
            return None
        ranges += [(n.frame | (n.start & 0xFFF), len(n.ins) * INSTRUCTION_SIZE) for n in nodes]
        cost = cpu.cost
        gen = regions.RegionGenerator(nodes, lambda ins: cost[ins.row.opcode])
        key = ("region", tuple((n.start, n.frame, tuple(n.ins)) for n in nodes),
               tuple(gen.costs))
        fn = _CODE_CACHE.get(key)
        if fn is None:
            namespace = dict(self.env)
            exec(compile(gen.source(), f"<region {eip:#x}>", "exec"), namespace)  # noqa: S102
            fn = namespace["block"]
            if len(_CODE_CACHE) >= CODE_CACHE_LIMIT:
                _CODE_CACHE.clear()
            _CODE_CACHE[key] = fn
        block = CompiledBlock(fn, eip, gen.addrs, gen.costs, False, gen.ins)
        block.inner = gen.node_inner(0)
        block.region = gen.within()
        return block

    def _build(self, eip: int, instructions: list[Instruction],
               tail_step: bool = False, hook_last: bool = False) -> CompiledBlock:
        addrs = [(eip + INSTRUCTION_SIZE * k) & M for k in range(len(instructions))]
        costs = [self.cpu.cost[i.row.opcode] for i in instructions]
        loops = _self_loop(instructions, eip) and not tail_step
        key = (eip, tuple(instructions), tuple(costs), tail_step, hook_last)
        fn = _CODE_CACHE.get(key)
        if fn is None:
            source = Generator(instructions, addrs, costs, loops, tail_step, hook_last).source()
            namespace = dict(self.env)
            exec(compile(source, f"<block {eip:#x}>", "exec"), namespace)  # noqa: S102 - module doc
            fn = namespace["block"]
            if len(_CODE_CACHE) >= CODE_CACHE_LIMIT:
                _CODE_CACHE.clear()
            _CODE_CACHE[key] = fn
        return CompiledBlock(fn, eip, addrs, costs, loops, instructions)


def _self_loop(instructions: list[Instruction], eip: int) -> bool:
    """Whether the block ends with a branch back to its own start."""
    last = instructions[-1]
    return last.row.mnemonic in BRANCHES and bool(last.row.operands) and \
        last.row.operands[0].value == "label" and last.imm == eip
