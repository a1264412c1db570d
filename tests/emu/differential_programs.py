"""The programs of the x86 differential test: their layout, `Case`, and a random body drawn from
every form VQ32 has, with a guard before any flag reader whose flags x86 may leave undefined.

Each program loops over its body often enough for the fast path to compile it (blocks after
4 dispatches, regions after 32 runs). Every pass ends by pushing the body's registers and EFLAGS,
so the stack keeps a record of every pass.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from hypothesis import strategies as st

from tests.emu.x86_oracle import ARITH, flag_names, translate
from virtquest.emu.asm import assemble
from virtquest.emu.isa import CF, OF, REGISTERS, SF, ZF, Operand, find_row

M32 = 0xFFFFFFFF

# The data area, at the same address in both machines; it straddles a page boundary, so some
# accesses are split across two pages. esi points at its middle: [esi-0x80] … [esi+0x7c].
DATA, DATA_SIZE = 0x8F80, 0x100
BASE_VALUE = DATA + 0x80
STACK_TOP = 0x70000
ITERATIONS = 40                     # passes over the body: enough to compile blocks and regions
WRITABLE = ("eax", "ecx", "edx", "ebx", "edi")   # the body writes only these
# esi (the data base), ebp (the pass counter) and esp (the stack) are only ever read
READABLE = REGISTERS
BYTE_REGS = ("eax", "ecx", "edx", "ebx")         # x86-32 has al cl dl bl, nothing for the rest
DIVISORS = ("eax", "ecx", "ebx", "edi")          # edx:eax / edx never fits 32 bits
LOGGED = WRITABLE                                # pushed after every pass, then EFLAGS
LOG_WORDS = len(LOGGED) + 1


# -- the program --------------------------------------------------------------------------------

@dataclass
class Case:
    """A program: a random body run `iterations` times, its start registers, flags and data."""

    body: list[str]
    init: dict[str, int]
    flags: int = 0
    data: bytes = bytes(DATA_SIZE)
    iterations: int = ITERATIONS

    def __repr__(self) -> str:
        data = "zeros" if not any(self.data) else self.data.hex()
        init = ", ".join(f"{r}={v:#x}" for r, v in self.init.items())
        return (f"Case(body={self.body!r}, init=({init}), flags={flag_names(self.flags)}, "
                f"iterations={self.iterations}, data={data})")

    def _repr_pretty_(self, printer, cycle) -> None:   # how Hypothesis shows a failing case
        printer.text(repr(self))

    def header(self) -> list[str]:
        lines = ["_start:", f"  mov esp, {STACK_TOP:#x}", f"  mov esi, {BASE_VALUE:#x}",
                 f"  mov ebp, {self.iterations}"]
        lines += [f"  mov {r}, {self.init.get(r, 0):#x}" for r in WRITABLE]
        lines += [f"  push {0x2 | self.flags & ARITH:#x}", "  popf", "again:"]
        return lines

    @staticmethod
    def trailer() -> list[str]:
        return ["record:", *[f"  push {r}" for r in LOGGED], "record_flags:", "  pushf",
                "  dec ebp", "  jne again", "finish:", "  hlt"]

    def source(self) -> str:
        return "\n".join(self.header() + self.body + self.trailer()) + "\n"

    def first_body_line(self) -> int:
        return len(self.header()) + 1


def log_region(case: Case) -> tuple[int, int]:
    size = 4 * LOG_WORDS * case.iterations
    return STACK_TOP - size, size


# -- the random body ----------------------------------------------------------------------------

R, IMM, MEM, CL, LBL = Operand.REG, Operand.IMM, Operand.MEM, Operand.CL, Operand.LABEL


def have(mnemonic: str, *kinds: Operand) -> bool:
    return find_row(mnemonic, tuple(kinds)) is not None


EDGES = (0, 1, 2, 0x7F, 0x80, 0xFF, 0x7FFFFFFF, 0x80000000, 0x80000001, 0xFFFFFFFF, 0xFFFFFFFE,
         0xFFFF, 0x10000)
values = st.one_of(st.sampled_from(EDGES), st.integers(0, 0xFF), st.integers(0, M32))
counts = st.one_of(st.sampled_from((0, 1, 2, 31, 32, 33)), st.integers(0, 40),
                   st.sampled_from((0x100, 0x101, 0xFFFFFFFF)))
writable = st.sampled_from(WRITABLE)
readable = st.sampled_from(READABLE)


def mem(draw, width: int = 4) -> str:
    """A memory operand inside the data area: [esi±d] or an absolute address."""
    if draw(st.booleans()):
        d = draw(st.integers(-0x80, 0x80 - width))
        return "[esi]" if d == 0 else f"[esi{'-' if d < 0 else '+'}{abs(d):#x}]"
    return f"[{DATA + draw(st.integers(0, DATA_SIZE - width)):#x}]"


def any_address(draw) -> str:
    """What lea may compute: any base, any displacement (no access is made)."""
    if draw(st.integers(0, 3)) == 0:
        return f"[{draw(values):#x}]"
    return f"[{draw(readable)}+{draw(values):#x}]"


@dataclass
class Item:
    """A piece of body no jump lands inside: its lines; for a flag reader, a flag-defining
    instruction put before it when x86 may have left the flags it reads undefined; for a
    forward jump, its mnemonic (the line `<jump> <label>` is made once the target is known)."""

    lines: list[str] = field(default_factory=list)
    guard: str | None = None
    jump: str | None = None


def _guard(draw) -> str:
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return f"cmp {draw(readable)}, {draw(values):#x}"
    if kind == 1:
        return f"cmp {draw(readable)}, {draw(readable)}"
    if kind == 2:
        return f"add {draw(writable)}, {draw(values):#x}"
    return f"test {draw(readable)}, {draw(readable)}"


# Each form: (mnemonic, operand kinds that must have a row, builder(draw) -> Item).
FORMS: list[tuple[str, tuple[Operand, ...], Callable[..., Item], tuple]] = []


def form(mnemonic: str, *kinds: Operand, needs: tuple = ()):
    def register(builder):
        FORMS.append((mnemonic, kinds, builder, needs))
        return builder
    return register


ALU = ("add", "sub", "and", "or", "xor", "cmp", "test")
for _op in ALU + ("adc", "sbb"):
    _reads_cf = _op in ("adc", "sbb")

    def _alu_rr(draw, op=_op, reads=_reads_cf):
        return Item([f"{op} {draw(writable)}, {draw(readable)}"], _guard(draw) if reads else None)

    def _alu_ri(draw, op=_op, reads=_reads_cf):
        return Item([f"{op} {draw(writable)}, {draw(values):#x}"], _guard(draw) if reads else None)

    def _alu_rm(draw, op=_op, reads=_reads_cf):
        return Item([f"{op} {draw(writable)}, {mem(draw)}"], _guard(draw) if reads else None)

    form(_op, R, R)(_alu_rr)
    form(_op, R, IMM)(_alu_ri)
    form(_op, R, MEM)(_alu_rm)

form("mov", R, R)(lambda draw: Item([f"mov {draw(writable)}, {draw(readable)}"]))
form("mov", R, IMM)(lambda draw: Item([f"mov {draw(writable)}, {draw(values):#x}"]))
form("mov", R, MEM)(lambda draw: Item([f"mov {draw(writable)}, {mem(draw)}"]))
form("mov", MEM, R)(lambda draw: Item([f"mov {mem(draw)}, {draw(readable)}"]))
form("movb", R, MEM)(lambda draw: Item([f"movb {draw(writable)}, {mem(draw, 1)}"]))
form("movb", MEM, R)(lambda draw: Item([f"movb {mem(draw, 1)}, {draw(st.sampled_from(BYTE_REGS))}"]))
form("imul", R, R)(lambda draw: Item([f"imul {draw(writable)}, {draw(readable)}"]))
form("imul", R, IMM)(lambda draw: Item([f"imul {draw(writable)}, {draw(values):#x}"]))
form("imul", R, MEM)(lambda draw: Item([f"imul {draw(writable)}, {mem(draw)}"]))
for _op in ("inc", "dec", "neg", "not"):
    form(_op, R)(lambda draw, op=_op: Item([f"{op} {draw(writable)}"]))
form("mul", R)(lambda draw: Item([f"mul {draw(readable)}"]))
form("cdq")(lambda draw: Item(["cdq"]))
form("nop")(lambda draw: Item(["nop"]))
for _op in ("shl", "shr", "sar", "rol", "ror"):
    form(_op, R, IMM)(lambda draw, op=_op: Item([f"{op} {draw(writable)}, {draw(counts):#x}"]))

    def _by_cl(draw, op=_op):
        lines = [f"mov ecx, {draw(counts):#x}"] if draw(st.booleans()) else []
        return Item([*lines, f"{op} {draw(writable)}, cl"])

    form(_op, R, CL, needs=(("mov", (R, IMM)),))(_by_cl)
form("lea", R, MEM)(lambda draw: Item([f"lea {draw(writable)}, {any_address(draw)}"]))
form("xchg", R, R)(lambda draw: Item([f"xchg {draw(writable)}, {draw(writable)}"]))
form("xchg", R, MEM)(lambda draw: Item([f"xchg {draw(writable)}, {mem(draw)}"]))
form("xchg", MEM, R)(lambda draw: Item([f"xchg {mem(draw)}, {draw(writable)}"]))


@form("div", R, needs=(("or", (R, IMM)), ("xor", (R, R)), ("and", (R, IMM))))
def _div(draw):
    """Never #DE: a nonzero divisor, and edx below it (edx = 0, or edx masked small)."""
    d = draw(st.sampled_from(DIVISORS))
    if draw(st.booleans()):
        return Item([f"or {d}, 1", "xor edx, edx", f"div {d}"])
    k = draw(st.integers(1, 31))
    return Item([f"and edx, {(1 << k) - 1:#x}", f"or {d}, {1 << k:#x}", f"div {d}"])


@form("idiv", R, needs=(("or", (R, IMM)), ("and", (R, IMM)), ("cdq", ())))
def _idiv(draw):
    """Never #DE: after cdq, an odd divisor other than -1; or a divisor of magnitude 2^28 or more
    with |edx| below 2^8."""
    d = draw(st.sampled_from(DIVISORS))
    if draw(st.booleans()):
        return Item([f"or {d}, 1", f"and {d}, 0xfffffffd", "cdq", f"idiv {d}"])
    edx = "and edx, 0xff" if draw(st.booleans()) else "or edx, 0xffffff00"
    if draw(st.booleans()):
        sign = [f"and {d}, 0x7fffffff", f"or {d}, 0x10000000"]
    else:
        sign = [f"or {d}, 0x80000000", f"and {d}, 0xefffffff"]
    return Item([edx, *sign, f"idiv {d}"])


@form("push", R, needs=(("push", (IMM,)), ("pop", (R,))))
def _push_pop(draw):
    """push … pop as one piece (no jump in or out), with a little work between."""
    pushed = draw(readable) if draw(st.booleans()) else f"{draw(values):#x}"
    inner = draw(st.lists(st.sampled_from(SIMPLE), max_size=2))
    lines = [f"push {pushed}"]
    for make in inner:
        lines += make(draw).lines
    return Item([*lines, f"pop {draw(writable)}"])


SIMPLE = [lambda draw: Item([f"{draw(st.sampled_from(ALU))} {draw(writable)}, {draw(readable)}"]),
          lambda draw: Item([f"mov {draw(writable)}, {mem(draw)}"]),
          lambda draw: Item([f"mov {mem(draw)}, {draw(readable)}"]),
          lambda draw: Item([f"shl {draw(writable)}, {draw(counts):#x}"])]

JCC = ("je", "jz", "jne", "jnz", "jl", "jle", "jg", "jge", "jb", "jae", "ja", "jbe", "js", "jns",
       "jo", "jno")
for _op in JCC:
    form(_op, LBL)(lambda draw, op=_op: Item(guard=_guard(draw), jump=op))
form("jmp", LBL)(lambda draw: Item(jump="jmp"))
form("loop", LBL)(lambda draw: Item(jump="loop"))


def available(names: tuple[str, ...] | None = None) -> list:
    """The builders of forms VQ32 has today (and whose helper forms it has)."""
    out = []
    for mnemonic, kinds, builder, needs in FORMS:
        if names is not None and mnemonic not in names:
            continue
        if have(mnemonic, *kinds) and all(have(m, *k) for m, k in needs):
            out.append(builder)
    return out


STRAIGHT = [b for b in available() if b not in available(JCC + ("jmp", "loop"))]
EVERYTHING = available()


def render(items: list[Item], targets: dict[int, int], guarded: set[int]):
    """Body lines, and for each line the index of the item it belongs to (None for labels)."""
    lines: list[str] = []
    owner: list[int | None] = []
    wanted = set(targets.values())
    for i, item in enumerate([*items, None]):
        if i in wanted:
            lines.append(f"to{i}:")
            owner.append(None)
        if item is None:
            break
        text = list(item.lines)
        if i in guarded and item.guard:
            text.insert(0, item.guard)
        if item.jump:
            text.append(f"{item.jump} to{targets[i]}")
        for line in text:
            lines.append("  " + line)
            owner.append(i)
    return lines, owner


@st.composite
def cases(draw, builders, max_items: int = 24) -> Case:
    items = [draw(st.sampled_from(builders))(draw)
             for _ in range(draw(st.integers(1, max_items)))]
    targets = {i: draw(st.integers(i + 1, len(items)))
               for i, item in enumerate(items) if item.jump}
    init = {r: draw(values) for r in WRITABLE}
    bits = draw(st.integers(0, 15))
    flags = sum(f for k, f in enumerate((CF, ZF, SF, OF)) if bits >> k & 1)
    data = draw(st.binary(min_size=DATA_SIZE, max_size=DATA_SIZE))
    # A flag reader gets its guard when x86 could have left a flag it reads undefined; guards only
    # define flags, so a few rounds settle it.
    guarded: set[int] = set()
    while True:
        body, owner = render(items, targets, guarded)
        case = Case(body, init, flags, data)
        program = assemble(case.source(), file="differential.s")
        reads = translate(program).reads_of_undefined()
        first = case.first_body_line()
        need = {owner[program.lines[addr] - first] for addr, _ in reads}
        if not need - guarded:
            assert not reads, f"a flag reader without a guard: {reads}"
            return case
        guarded |= need
