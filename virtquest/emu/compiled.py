"""What the fast path runs (see fastpath.py): a compiled block and what it needs to be run and
accounted exactly, a marker for code that cannot start one, and the flag helpers generated code
calls.
"""

from __future__ import annotations

from virtquest.emu.blockgen import callout
from virtquest.emu.cpu import CpuFault
from virtquest.emu.isa import CF, OF, SF, VEC_DE, ZF

M = 0xFFFFFFFF
SIGN = 0x80000000


def _fl(r: int) -> int:
    return (ZF if r == 0 else 0) | (SF if r & SIGN else 0)


def _add_flags(a: int, b: int, full: int) -> int:
    r = full & M
    return (CF if full > M else 0) | _fl(r) | (OF if (a ^ r) & (b ^ r) & SIGN else 0)


def _sub_flags(a: int, b: int) -> int:
    r = (a - b) & M
    return (CF if a < b else 0) | _fl(r) | (OF if (a ^ b) & (a ^ r) & SIGN else 0)


def _signed(v: int) -> int:
    return v - (1 << 32) if v & SIGN else v


def _div_zero() -> CpuFault:
    return CpuFault(VEC_DE)


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
        self.region = None     # a region: per instruction, (cycles, count) in its block, starts one
        self.fallback = None   # a region: its first block alone (when a hook sits further on)
        self.alt = None        # what runs when a hook sits inside (see _check_hooks)
        self.prefixes: dict[int, CompiledBlock] = {}
        self.blocked: frozenset[int] = frozenset()    # a region: blocks holding an exec hook

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
