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

import os
from bisect import bisect_right
from collections.abc import Callable
from pathlib import Path

from virtquest.emu import codegen, memgen
from virtquest.emu import region as regions
from virtquest.emu.blockgen import Generator, callout, code_of, ends_block
from virtquest.emu.cache import Cache
from virtquest.emu.compiled import BlockContext, CompiledBlock
from virtquest.emu.compiled_run import HOT, REGION_HOT, Dispatcher
from virtquest.emu.cpu import CpuFault
from virtquest.emu.encoding import Instruction, decode
from virtquest.emu.isa import INSTRUCTION_SIZE, M32
from virtquest.emu.memory import PAGE_MASK, PAGE_SHIFT, PAGE_SIZE, BusError
from virtquest.emu.mmu import PageFault

__all__ = ["CODE_CACHE_LIMIT", "COMPILE_LISTENERS", "HOT", "REGION_HOT", "FastPath", "dump_text"]

MAX_BLOCK = 48
# Compiled code, shared by every machine of the process: a block's or a region's function by what
# it was generated from (the instructions at their addresses, their costs, how it ends). Bound:
# 2048 functions of ~20 KB each (code object and constants), under ~40 MB; a whole bench run,
# or solving every shipped level, compiles fewer, so nothing is made twice in either.
CODE_CACHE_LIMIT = 2048
_CODE_CACHE: Cache[tuple, Callable] = Cache(CODE_CACHE_LIMIT)
# What the last machines compiled at a place, for the next one that runs the same code there (each
# run is a new machine): (eip, pa, costs), or ("region", eip, pa, costs), -> the variants made
# there, newest last, each ((the code bytes it was made from, where), the block). Bound: 2048
# places, with the TEMPLATE_VARIANTS newest variants each: programs load at the same addresses,
# so a place sees several levels' code (6 at most while every shipped level is solved). A
# template is a few KB of tables; its function is one of _CODE_CACHE's.
_TEMPLATES: Cache[tuple, tuple] = Cache(CODE_CACHE_LIMIT)
TEMPLATE_VARIANTS = 8


class FastPath(Dispatcher):
    """Finds, compiles and runs blocks for one CPU (running them: compiled_run.Dispatcher)."""

    def __init__(self, cpu):
        self.cpu = cpu
        self.blocks: dict[int, CompiledBlock | None] = {}      # by physical address
        self.vblocks: dict[int, CompiledBlock] = {}            # by virtual address (see try_run)
        self.pages: dict[int, list[int]] = {}
        self.heat: dict[int, int] = {}
        cpu.code_listeners.append(self.forget_page)
        cpu.mmu.on_evict = self._evicted
        self.ctx = BlockContext(*cpu.fast_accessors(), cpu.mem.data, cpu.mem.size,
                                cpu.mem.code_pages, cpu.mem.touches_code)
        self.costs_seen, self.cost_key = cpu.cost, tuple(cpu.cost)
        # The pages compiled code has seen (memgen.py), per privilege — user, supervisor,
        # supervisor that may write read-only pages — kept from block to block: they are copies
        # of TLB entries, so any change of the TLB forgets them all; and a page that holds code
        # must not stay among the writable ones, so they are forgotten too when a page is newly
        # watched (memory.watch_version).
        self.seen_pages: dict[tuple[bool, bool], tuple[dict, dict, dict, dict]] = {}
        self.watch_seen = cpu.mem.watch_version

    def forget_page(self, ppn: int) -> None:
        for pa in self.pages.pop(ppn, ()):
            self.blocks.pop(pa, None)
        self.vblocks.clear()
        self.ctx.end_block = True
        self._forget_seen()

    def _evicted(self) -> None:
        self.ctx.end_block = True
        self._forget_seen()

    def _forget_seen(self) -> None:
        for caches in self.seen_pages.values():
            for cache in caches:
                if cache:
                    cache.clear()
        self.watch_seen = self.cpu.mem.watch_version

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
        instructions = self._decode_run(eip, pa & ~PAGE_MASK)
        ranges = [(pa, max(len(instructions), 1) * INSTRUCTION_SIZE)]
        block = None
        if instructions:
            block = self._build(eip, instructions)
            # a region is worth compiling only for code that keeps running (see _upgrade)
            block.upgrade = ends_block(instructions[-1]) and not callout(instructions[-1]) \
                and not _self_loop(instructions, eip)
        checks = tuple((p, bytes(mem.data[p:p + n])) for p, n in ranges)
        _remember(key, checks, block)
        return self._adopt(pa, checks, block)

    def _adopt(self, pa: int, checks, made: CompiledBlock | None):
        """Watch the code the block was made from, and keep a copy of it: the one made stays as
        the template for the next machine, whatever this one does to its own (count its runs,
        turn it into a region)."""
        self._watch(pa, checks)
        block = None if made is None else made.copy()
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
        eip, pa = block.start, block.frame | (block.start & PAGE_MASK)
        mem = self.cpu.mem
        key = ("region", eip, pa, self.cost_key)
        found = self._made_before(key)
        if found is not None:
            checks, made = found
        else:
            ranges: list = []
            made = self._build_region(eip, pa, ranges)
            checks = tuple((p, bytes(mem.data[p:p + n])) for p, n in ranges)
            _remember(key, checks, made)
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
        paddr = frame | (va & PAGE_MASK)
        while len(instructions) < MAX_BLOCK and (paddr & PAGE_MASK) <= PAGE_SIZE - INSTRUCTION_SIZE:
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
            if ends_block(ins):
                break
            paddr += INSTRUCTION_SIZE
        return instructions

    def _build_region(self, eip: int, pa: int, ranges: list) -> CompiledBlock | None:
        cpu, start_frame = self.cpu, pa & ~PAGE_MASK

        def decode_run(va: int):
            if va >> PAGE_SHIFT == eip >> PAGE_SHIFT:
                frame = start_frame
            else:                  # another page: as the TLB maps it now, if it does
                entry = cpu.mmu.tlb.get(va >> PAGE_SHIFT) if cpu.mmu.enabled else None
                if entry is None or cpu.cpl == 3 and not entry.user:
                    return [], None
                frame = entry.frame
            return self._decode_run(va, frame, lone_step=va != eip), frame

        nodes = regions.discover(eip, decode_run)
        if nodes is None:
            return None
        ranges += [(n.frame | (n.start & PAGE_MASK), len(n.ins) * INSTRUCTION_SIZE)
                   for n in nodes]
        cost = cpu.cost
        gen = regions.RegionGenerator(nodes, lambda ins: cost[ins.row.opcode])
        key = ("region", tuple((n.start, n.frame, tuple(n.ins)) for n in nodes),
               tuple(gen.costs))
        fn = _CODE_CACHE.get_or_make(key, lambda: _function(
            gen.source(), f"<region {eip:#x}>", list(zip(gen.addrs, gen.ins, strict=True))))
        block = CompiledBlock(fn, eip, gen.addrs, gen.costs, False, gen.ins)
        block.inner = gen.node_inner(0)
        block.region = gen.within()
        return block

    def _build(self, eip: int, instructions: list[Instruction],
               tail_step: bool = False, hook_last: bool = False) -> CompiledBlock:
        addrs = [(eip + INSTRUCTION_SIZE * k) & M32 for k in range(len(instructions))]
        costs = [self.cpu.cost[i.row.opcode] for i in instructions]
        loops = _self_loop(instructions, eip) and not tail_step
        key = (eip, tuple(instructions), tuple(costs), tail_step, hook_last)
        fn = _CODE_CACHE.get_or_make(key, lambda: _function(
            Generator(instructions, addrs, costs, loops, tail_step, hook_last).source(),
            f"<block {eip:#x}>", list(zip(addrs, instructions, strict=True))))
        return CompiledBlock(fn, eip, addrs, costs, loops, instructions)


def _remember(key: tuple, checks: tuple, made: CompiledBlock | None) -> None:
    """Keep what was made at `key` for the next machine, with the newest variants made there
    before it (two threads may add one at once: then one is lost, and made again when needed)."""
    variants = _TEMPLATES.get(key, ())
    _TEMPLATES.put(key, (*variants, (checks, made))[-TEMPLATE_VARIANTS:])


def _self_loop(instructions: list[Instruction], eip: int) -> bool:
    """Whether the block ends with a branch back to its own start."""
    address = (eip + INSTRUCTION_SIZE * (len(instructions) - 1)) & M32
    code = code_of(instructions[-1], address)
    return code.flow.kind in ("jump", "branch") and code.static_target == eip \
        if code.flow is not None else False


# Told of every piece of code compiled, to show it (`virtquest debug blocks`, and the environment
# variable VIRTQUEST_DUMP_BLOCKS=DIR, which writes each one to a file there): (name, the guest
# instructions with their addresses, the Python source).
COMPILE_LISTENERS: list = []


def _dump_to_directory(name: str, listing: list[tuple[int, Instruction]], source: str) -> None:
    folder = Path(os.environ["VIRTQUEST_DUMP_BLOCKS"])
    folder.mkdir(parents=True, exist_ok=True)
    stem = name.strip("<>").replace(" ", "-")
    (folder / f"{stem}-{len(list(folder.iterdir())):05d}.py").write_text(
        dump_text(name, listing, source), encoding="utf-8")


def dump_text(name: str, listing: list[tuple[int, Instruction]], source: str) -> str:
    """Compiled code for reading: the guest instructions it was made from, then its source."""
    lines = [f"# {name}: {len(listing)} guest instructions"]
    lines += [f"#   {address:#010x}  {ins.text()}" for address, ins in listing]
    return "\n".join(lines) + "\n" + source


# What compiled code may name: the vocabulary of the definitions and the memory code's words.
NAMESPACE = {**codegen.namespace(), **memgen.NAMES, "frm": int.from_bytes, "LE": "little",
             "_FAULTS": (PageFault, BusError, CpuFault), "bisect": bisect_right}


def _function(source: str, name: str, listing: list[tuple[int, Instruction]]):
    """The `block` function of generated source (only numbers and the table's words in it)."""
    for listener in COMPILE_LISTENERS:
        listener(name, listing, source)
    if os.environ.get("VIRTQUEST_DUMP_BLOCKS"):
        _dump_to_directory(name, listing, source)
    namespace = dict(NAMESPACE)
    exec(compile(source, name, "exec"), namespace)  # noqa: S102 - see the module docstring
    return namespace["block"]
