"""The meaning of every instruction form, written once, and what the machine derives from it.

Each row of the instruction table (isa.py) carries a *definition*: a few lines of Python over a
small vocabulary. From one definition come the interpreter's handler for the form, the code of
every compiled block that contains it (codegen.py, blockgen.py), and the facts the fast path needs —
which flags it writes and reads, whether it can fault, which registers it writes, where it jumps.

The vocabulary of a definition:

    a, b          the first and second operand, in assembly order: a register, an immediate, a
                  label, the word (byte, for movb) at a memory operand, a control register, `cs`,
                  or `cl` (ecx: a shift count). Assigning to one writes it.
    ea            the memory operand's effective address;  next: the next instruction's address
    eax … edi     the registers;  ef: EFLAGS
    load32(x) store32(x, v) push(v) pop()       memory at the current privilege (may fault)
    flags_<rule>(…)                             set the arithmetic flags by one of FLAG_RULES
    jump(t) branch(c, t) call(t)                control flow; the instruction ends a basic block
    fault(vector)                               an exception at this instruction
    cpu.<service>(…) and cpu.<state>            an architectural action or state of the CPU: such
                                                forms run in the interpreter only
    signed signed64 sdivmod divmod load_flags   pure helpers;  M SIGN CF ZF … constants (VOCABULARY)

Anything else assigned is a temporary. One rule keeps faults precise: nothing is written before
the last thing that can fault (a store being that last thing), so a fault leaves the state exactly
as it was before the instruction; lowering.check_precise enforces it for every form the fast path
compiles. lowering.py turns a definition into parts (the dataclasses below); codegen.py writes
them out.
"""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass, field

from virtquest.emu import isa
from virtquest.emu.isa import (
    ARITH,
    CF,
    FLAGS_ALWAYS_ONE,
    FLAGS_WRITABLE,
    IF,
    M32,
    NO_BASE,
    OF,
    SF,
    SIGN,
    ZF,
    Row,
)
from virtquest.emu.pytext import Unparser, atomic

REGISTER_NAMES = {name: i for i, name in enumerate(isa.REGISTERS)}

# Named constants a definition (and the code made from it) may use.
VOCABULARY: dict[str, int] = {
    "M": M32, "SIGN": SIGN, "CF": CF, "ZF": ZF, "SF": SF, "OF": OF, "IF": IF,
    "ARITH": ARITH, "CF_OF": CF | OF, "CF_OR_ZF": CF | ZF, "ZSO": ZF | SF | OF,
    "NOT_ARITH": ~ARITH & M32, "NOT_ZSO": ~(ZF | SF | OF) & M32, "NOT_CF_OF": ~(CF | OF) & M32,
    "NOT_IF": ~IF & M32, "FLAGS_ALWAYS_ONE": FLAGS_ALWAYS_ONE, "FLAGS_WRITABLE": FLAGS_WRITABLE,
    "NO_BASE": NO_BASE, "VEC_DE": isa.VEC_DE, "VEC_UD": isa.VEC_UD, "VEC_GP": isa.VEC_GP,
}


def signed(v: int) -> int:
    """A 32-bit word as a signed number."""
    return v - (1 << 32) if v & SIGN else v


def signed64(v: int) -> int:
    return v - (1 << 64) if v >> 63 else v


def sdivmod(n: int, d: int) -> tuple[int, int]:
    """x86's signed division: the quotient truncated toward zero, the remainder with the
    dividend's sign."""
    q = abs(n) // abs(d)
    if (n < 0) != (d < 0):
        q = -q
    return q, n - q * d


def load_flags(old: int, value: int, cpl: int) -> int:
    """EFLAGS after popf or iret loads `value`: outside ring 0 the CPU keeps IF as it was (x86 with
    IOPL 0), silently."""
    writable = FLAGS_WRITABLE if cpl == 0 else FLAGS_WRITABLE & ~IF
    return (old & ~writable) | (value & writable) | FLAGS_ALWAYS_ONE


HELPERS = {"signed": signed, "signed64": signed64, "sdivmod": sdivmod, "divmod": divmod,
           "load_flags": load_flags}


@dataclass(frozen=True)
class FlagRule:
    """How one kind of instruction sets the arithmetic flags: the flags it writes (the others
    keep their value) and an expression of the new bits over its parameters."""

    params: tuple[str, ...]
    writes: int
    keep: str                  # the VOCABULARY name of ~writes
    expression: str

    @functools.cached_property
    def template(self) -> str:
        """The expression with {0}, {1} … for the parameters (arguments are parenthesised)."""
        tree = ast.parse(self.expression, mode="eval").body
        names = {p: f"{{{i}}}" for i, p in enumerate(self.params)}
        return Unparser(lambda n: names.get(n, n)).expr(tree)

    def render(self, flags: str, args: list[str]) -> str:
        bits = self.template.format(*(a if atomic(a) else f"({a})" for a in args))
        return f"{flags} = {flags} & {self.keep} | {bits}"


# The flag rules (x86's; where x86 leaves a flag undefined, VQ32's choice is the formula here).
# Bit positions: CF 0, ZF 6, SF 7 (bit 31 >> 24), OF 11 (bit 31 >> 20).
FLAG_RULES: dict[str, FlagRule] = {
    # t = a + b (+ CF): CF is the carry out of bit 31
    "add": FlagRule(("a", "b", "t"), ARITH, "NOT_ARITH",
                    "t >> 32 | (t & M == 0) * ZF | t >> 24 & SF | ((a ^ t) & (b ^ t)) >> 20 & OF"),
    # t = a - b (- CF), maybe negative: CF is the borrow
    "sub": FlagRule(("a", "b", "t"), ARITH, "NOT_ARITH",
                    "(t < 0) | (t & M == 0) * ZF | t >> 24 & SF | ((a ^ b) & (a ^ t)) >> 20 & OF"),
    "logic": FlagRule(("r",), ARITH, "NOT_ARITH", "(r == 0) * ZF | r >> 24 & SF"),
    "inc": FlagRule(("a", "r"), ZF | SF | OF, "NOT_ZSO",
                    "(a == 0x7FFFFFFF) * OF | (r == 0) * ZF | r >> 24 & SF"),
    "dec": FlagRule(("a", "r"), ZF | SF | OF, "NOT_ZSO",
                    "(a == SIGN) * OF | (r == 0) * ZF | r >> 24 & SF"),
    "neg": FlagRule(("a", "r"), ARITH, "NOT_ARITH",
                    "(a != 0) | (a == SIGN) * OF | (r == 0) * ZF | r >> 24 & SF"),
    # o: the product did not fit (CF = OF = o); ZF and SF from the low word
    "mul": FlagRule(("o", "r"), ARITH, "NOT_ARITH", "o * CF_OF | (r == 0) * ZF | r >> 24 & SF"),
    # v shifted by n (1-31) into r; OF = the sign changed (x86 defines it for n = 1 only)
    "shl": FlagRule(("v", "n", "r"), ARITH, "NOT_ARITH",
                    "v >> 32 - n & 1 | ((r ^ v << n - 1) & SIGN) >> 20 | (r == 0) * ZF | "
                    "r >> 24 & SF"),
    "shr": FlagRule(("v", "n", "r"), ARITH, "NOT_ARITH",
                    "v >> n - 1 & 1 | (n == 1) * (v >> 20 & OF) | (r == 0) * ZF | r >> 24 & SF"),
    "sar": FlagRule(("v", "n", "r"), ARITH, "NOT_ARITH",
                    "signed(v) >> n - 1 & 1 | (r == 0) * ZF | r >> 24 & SF"),
    # rotates change CF and OF only
    "rol": FlagRule(("r",), CF | OF, "NOT_CF_OF", "r & 1 | (r >> 31 ^ r & 1) * OF"),
    "ror": FlagRule(("r",), CF | OF, "NOT_CF_OF", "r >> 31 | (r >> 31 ^ r >> 30 & 1) * OF"),
}

# What a definition may ask the CPU (cpu.<name>(…)): an architectural action in cpu.py.
SERVICES = frozenset({"software_interrupt", "interrupt_return", "halt", "port_in", "port_out",
                      "read_cr", "write_cr", "invlpg", "read_msr", "write_msr", "cpuid"})
# Services after which a new basic block starts (control went somewhere else, or may have).
SERVICES_ENDING_BLOCKS = frozenset({"software_interrupt", "interrupt_return", "halt"})


# -- the parts a definition lowers into ---------------------------------------------------------
@dataclass
class Line:
    """A Python statement (placeholders in braces); `target` is what it assigns, if anything."""

    text: str
    writes: tuple[str, ...] = ()      # placeholders written: "A", "R4", "EF", "T_t" …
    value: ast.expr | None = None     # for a temporary: its expression (folded when static)


@dataclass
class Load:
    target: str          # a temporary's placeholder
    address: str
    width: int = 32


@dataclass
class Store:
    address: str
    value: str
    width: int = 32


@dataclass
class Flags:
    rule: str
    args: list[str]


@dataclass
class Fault:
    vector: str


@dataclass
class If:
    test: str
    tree: ast.expr
    body: list = field(default_factory=list)
    orelse: list = field(default_factory=list)


@dataclass
class Flow:
    kind: str            # "jump" | "branch" | "call" | "return" (a jump to an address popped)
    target: str
    condition: str | None = None


@dataclass
class Definition:
    """One row's definition, lowered: parts with placeholders, and what it needs."""

    row: Row
    parts: list
    services: frozenset[str]
    uses_ea: bool

    @property
    def flow(self) -> Flow | None:
        last = self.parts[-1] if self.parts else None
        return last if isinstance(last, Flow) else None

    @property
    def ends_block(self) -> bool:
        return self.flow is not None or bool(self.services & SERVICES_ENDING_BLOCKS)

    @property
    def compilable(self) -> bool:
        """Whether the fast path may compile it: innocuous, and no CPU service."""
        return self.row.iclass is isa.IClass.INNOCUOUS and not self.services
