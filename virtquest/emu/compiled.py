"""What the fast path runs (see fastpath.py): a compiled block and what it needs to be run and
accounted exactly, the context it runs in, and a marker for code that cannot start one.
"""

from __future__ import annotations

from virtquest.emu.blockgen import callout
from virtquest.emu.memgen import WORDS


class BlockContext:
    """What a compiled block is given to run with, by name (one per fast path; the dispatcher
    refreshes what can change before it runs blocks), and what it leaves there."""

    __slots__ = ("read", "write", "tlb", "ram", "words", "ram_size", "code_pages", "touches_code",
                 "supervisor", "supervisor_writes", "pages", "end_block", "fault_index",
                 "fault_passes", "fault_cycles", "fault_count")

    def __init__(self, read, write, ram: bytearray, ram_size: int, code_pages: set[int],
                 touches_code):
        self.read, self.write = read, write        # the CPU's word accessors (TLB hit inlined)
        self.tlb = {}.get                          # the TLB's lookup (an empty one: paging off)
        self.ram, self.ram_size = ram, ram_size
        # RAM as 32-bit words (aligned loads and stores in one index; x86's byte order is the
        # host's on every machine we run on — see memgen.WORDS)
        self.words = memoryview(ram).cast("I") if WORDS else None
        self.code_pages, self.touches_code = code_pages, touches_code   # the code watch
        self.supervisor = True                     # the CPU is not in ring 3
        self.supervisor_writes = True              # … and may write read-only pages (WP clear)
        # The pages blocks have seen at this privilege (memgen.py: words and bytes, readable and
        # writable), kept by the fast path from one block to the next until the TLB changes.
        self.pages: tuple[dict, dict, dict, dict] = ({}, {}, {}, {})
        # Set when a block must end after the instruction running now: it wrote code, or a TLB
        # entry was pushed out (maybe the block's own code page: the next fetch walks again).
        self.end_block = False
        # Where a fault left a block: the instruction's index; a loop's passes done; a region's
        # cycles and instructions of the blocks it had already run.
        self.fault_index = 0
        self.fault_passes = 0
        self.fault_cycles = self.fault_count = 0


class CompiledBlock:
    __slots__ = ("fn", "start", "addrs", "count", "cost", "prefix", "loops", "inner",
                 "frame", "hooks_seen", "hooked", "region", "fallback", "alt", "prefixes",
                 "ins", "blocked", "steps", "synced", "checked", "addr_set", "vpns", "upgrade",
                 "runs")

    def __init__(self, fn, start, addrs, costs, loops, ins):
        self.fn, self.start, self.addrs, self.loops, self.ins = fn, start, addrs, loops, ins
        self.steps = any(callout(i) for i in ins)    # ends by the interpreter's step()
        self.synced = None     # made to call the hook on its last: instructions counted before it
        self.checked = len(addrs)                    # the addresses hooks are looked for at
        self.addr_set = None                         # those addresses, as a set (made on use)
        self.vpns: tuple[int, ...] = ()              # and their pages
        self.upgrade, self.runs = False, 0           # may become a region; runs counted till
        self.count = len(addrs)
        self.prefix = [sum(costs[:k]) for k in range(len(costs) + 1)]
        self.cost = self.prefix[-1]
        self.inner = self.prefix[-2]          # cycles up to the block's last boundary
        self.frame = -1                       # the physical page it was found on
        self.hooks_seen, self.hooked = -1, False
        self.region = None     # a region: where each instruction sits (region.RegionLayout)
        self.fallback = None   # a region: its first block alone (when a hook sits further on)
        self.alt = None        # what runs when a hook sits inside (see _check_hooks)
        self.prefixes: dict[int, CompiledBlock] = {}
        self.blocked: frozenset[int] = frozenset()    # a region: blocks holding a site

    SHARED = ("fn", "start", "addrs", "count", "cost", "prefix", "loops", "inner", "region", "ins",
              "steps", "synced", "checked", "addr_set", "vpns", "upgrade")

    def copy(self) -> CompiledBlock:
        """The same compiled code for another machine: what it was made from, none of its state."""
        new = CompiledBlock.__new__(CompiledBlock)
        for name in self.SHARED:
            setattr(new, name, getattr(self, name))
        new.frame, new.hooks_seen, new.hooked, new.runs = -1, -1, False, 0
        new.alt, new.prefixes, new.blocked = None, {}, frozenset()
        new.fallback = None if self.fallback is None else self.fallback.copy()
        return new


class _Refused:
    """In the by-address cache: the code there cannot start a block (the interpreter runs it)."""

    __slots__ = ("frame", "hooks_seen")
    fn = alt = None
    hooked, upgrade = True, False

    def __init__(self, frame: int):
        self.frame, self.hooks_seen = frame, -1
