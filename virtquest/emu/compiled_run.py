"""The fast path's dispatcher (see fastpath.py): from eip, the compiled blocks and regions that
may run now, one after another in one call while every instruction boundary inside them comes
before the budget's end and the timer, with the interpreter's step between them where no block can
start; a fault inside one is accounted up to its instruction and delivered as the interpreter
would.
"""

from __future__ import annotations

from virtquest.emu.compiled import CompiledBlock, _Refused
from virtquest.emu.cpu import CpuFault
from virtquest.emu.isa import INSTRUCTION_SIZE
from virtquest.emu.memory import PAGE_MASK, PAGE_SHIFT, PAGE_SIZE, BusError
from virtquest.emu.mmu import PageFault

MAX_PASSES = 20_000
CHAIN = 64               # blocks run back to back before returning to the machine's loop
HOT = 4                  # dispatches of a block start before it is compiled
REGION_HOT = 32          # runs of a compiled block before the region from it is compiled
MISSING = object()
_EMPTY: dict = {}


class Dispatcher:
    """Mixed into fastpath.FastPath, which provides cpu, ctx, blocks, vblocks, heat, seen_pages,
    watch_seen, _forget_seen, compile, _upgrade and _build."""

    def try_run(self, limit: int) -> bool:
        """Run compiled blocks from eip, one after another while they are safe: every instruction
        boundary inside a block comes before the budget's end and before the timer can fall due
        (so the machine's own checks between blocks see what the interpreter would) — unless
        interrupts are masked in a way no compiled instruction can undo, when no timer can
        interrupt a block at all; False when not even one could run, so the interpreter takes
        the step."""
        cpu, ctx = self.cpu, self.ctx
        mmu, regs = cpu.mmu, cpu.regs
        tlb, hooks, vblocks, fire = mmu.tlb, cpu.sites, self.vblocks, self._enter()
        mem = cpu.mem
        ran, stepped = 0, False
        while ran < CHAIN:
            eip = cpu.eip
            block = vblocks.get(eip)
            # A TLB entry for the page that maps it to the block's frame, usable at this
            # privilege: translate() would hit it (no walk, no accessed bit to set) and find
            # the same block.
            entry = tlb.get(eip >> PAGE_SHIFT)
            if block is None or entry is None or entry.frame != block.frame or \
                    cpu.cpl == 3 and not entry.user or not mmu.enabled:
                # A full lookup may walk the page tables: after a block, only where the
                # machine's loop would go on to fetch (the interpreter walks there, not before)
                if ran and not stepped and not self._may_go_on(limit, fire):
                    break
                cycles = cpu.cycles
                block = self._find(eip)
                if cpu.cycles != cycles:
                    # it walked, charging cycles (a walk, a hidden fault), as the interpreter's
                    # fetch does within its step: the rest of that step runs here, never a
                    # budget stop between the walk and the instruction
                    cpu.step()
                    ran += 1
                    fire, stepped = self._enter(), True
                    if not self._may_go_on(limit, fire):
                        break
                    continue
            if block is not None:
                if block.upgrade:
                    block.runs += 1
                    if block.runs >= REGION_HOT:
                        block = self._upgrade(block)
                if block.hooks_seen != hooks.version:
                    self._check_hooks(block, hooks)
                if block.hooked:
                    block = block.alt          # the part before the hook, if there is one
            if block is None:
                # Nothing compiled runs here: the interpreter's step, as the machine's loop
                # would take it next (after its checks, unless a step just made them).
                if not ran or not (stepped or self._may_go_on(limit, fire)):
                    break
                cpu.step()
                ran += 1
                fire, stepped = self._enter(), True
                if not self._may_go_on(limit, fire):
                    break
                continue
            stepped = False
            cycles = cpu.cycles
            room = limit - cycles
            if fire >= 0 and fire - cycles + cpu.hidden < room:
                room = fire - cycles + cpu.hidden
            inner = block.inner
            if inner >= room:
                break
            hook_needed = cpu.translated[cpu.cpl]
            if hook_needed and cpu.block_start:
                cpu.block_start = False
                version = hooks.version
                cpu.hv.on_block(eip)
                ran += 1
                fire = self._deadline()
                if cpu.eip != eip:
                    continue           # the hook moved on: look again
                cycles = cpu.cycles    # it may have charged cycles
                room = limit - cycles
                if fire >= 0 and fire - cycles + cpu.hidden < room:
                    room = fire - cycles + cpu.hidden
                if inner >= room or hooks.version != version:
                    # The block cannot run now (no room left after the hook's cycles, or the
                    # hook added hooks): the interpreter's step calls the hook and runs the
                    # instruction before the machine's loop looks at the budget and the timer,
                    # so the rest of that step runs here, never a budget stop between the two.
                    cpu.step()
                    fire, stepped = self._enter(), True
                    if not self._may_go_on(limit, fire):
                        break
                    continue
            if mem.watch_version != self.watch_seen:    # a page newly watched (see __init__)
                self._forget_seen()
            ctx.end_block = False
            passes, repeat = 1, None
            if block.region is not None:
                # a region takes the room left instead, and the blocks it may not enter; with a
                # block hook, each block it enters must be one the hook would just count
                passes = room
                hit = cpu.hv.block_hit if hook_needed else None
                ran += 1
                try:
                    block.fn(cpu, regs, passes, ctx, block.blocked, hit)
                except (PageFault, BusError, CpuFault) as exc:
                    self._fault(block, exc)
                    break
                if block.steps:    # the interpreter ran an instruction: ring, paging may differ
                    fire, stepped = self._enter(), True
                    if not self._may_go_on(limit, fire):
                        break
                continue
            elif block.loops:
                # A loop goes back to its start, a new block each time: with a block hook, only
                # when the hook says those calls would just count hits.
                if hook_needed:
                    repeat = cpu.hv.repeated_block(eip)
                if not hook_needed or repeat is not None:
                    # pass i starts at i * cost; a cap keeps cancel requests answered promptly
                    passes = min((room - inner - 1) // block.cost + 1, MAX_PASSES)
            ran += 1
            before = cpu.instructions if repeat is not None else 0
            try:
                block.fn(cpu, regs, passes, ctx)
            except (PageFault, BusError, CpuFault) as exc:
                if repeat is not None:
                    repeat(ctx.fault_passes)        # passes begun after the first
                self._fault(block, exc)
                break
            if repeat is not None:
                repeat((cpu.instructions - before - 1) // block.count)
            if block.steps:        # the interpreter ran an instruction: ring, paging may differ
                fire, stepped = self._enter(), True
                if not self._may_go_on(limit, fire):
                    break
        return ran > 0

    def _enter(self) -> int:
        """Set the blocks' context up for the ring and paging now; when the next timer
        interrupt can interrupt compiled code (see _deadline)."""
        cpu, ctx = self.cpu, self.ctx
        mmu = cpu.mmu
        sup = cpu.cpl != 3     # no block changes the ring, paging or cr0.WP (see blockgen)
        ctx.tlb = mmu.tlb.get if mmu.enabled else _EMPTY.get
        ctx.supervisor, ctx.supervisor_writes = sup, sup and not mmu.write_protect
        pages = self.seen_pages.get((sup, ctx.supervisor_writes))
        if pages is None:
            pages = self.seen_pages[sup, ctx.supervisor_writes] = ({}, {}, {}, {})
        ctx.pages = pages
        return self._deadline()

    def _may_go_on(self, limit: int, fire: int) -> bool:
        """Whether the machine's loop would go on to the next instruction, as this loop does:
        the budget not spent and no interrupt due (else it breaks off and the machine's loop
        sees to them; after a step, before anything looks at eip)."""
        cpu = self.cpu
        cycles = cpu.cycles
        return cycles < limit and not 0 <= fire <= cycles - cpu.hidden

    def _deadline(self) -> int:
        """When the next timer interrupt can interrupt compiled code, on the guest's clock (-1:
        never). Masked interrupts (IF, or a hypervisor's virtual IF outside guest memory) cannot
        be unmasked by the innocuous code a block holds — cli, sti, popf and iret end a block — so
        then no interrupt falls inside one, due or not."""
        cpu = self.cpu
        fire = cpu.apic.next_fire
        if fire >= 0 and not cpu.hv.mask_in_guest_memory() and not cpu.hv.interrupts_enabled() \
                and not cpu.hv.sees_masked_interrupts():
            return -1
        return fire

    def _check_hooks(self, block: CompiledBlock, hooks) -> None:
        """Whether a site (cpu.sites) sits inside the block, and what may run instead: a region's first
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
            starts = block.region.block_start
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
        if eip & PAGE_MASK > PAGE_SIZE - INSTRUCTION_SIZE:
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
                self.vblocks[eip] = _Refused(pa & ~PAGE_MASK)
            return None
        block.frame = pa & ~PAGE_MASK
        if cpu.mmu.enabled:
            self.vblocks[eip] = block
        return block

    def _fault(self, block: CompiledBlock, exc) -> None:
        """A fault inside a block: account exactly the instructions before it, then let the CPU
        deliver it as the interpreter would have."""
        cpu = self.cpu
        ctx = self.ctx
        k, done = ctx.fault_index, ctx.fault_passes
        if block.region is not None:
            layout, cnt = block.region, ctx.fault_count
            cpu.cycles += ctx.fault_cycles + layout.cycles_before[k]
            cpu.instructions += cnt + layout.count_before[k]
            cpu.eip = block.addrs[k]
            if layout.starts_block[k] and cnt:
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
