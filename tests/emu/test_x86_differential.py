"""VQ32 against x86: random programs run on VQ32's reference interpreter, on its compiled path and,
translated to x86 machine code, in Unicorn (tests/emu/x86_oracle.py). Registers, the data area and
CF ZF SF OF must agree. Flags x86 leaves undefined after the instruction that last wrote them are
masked; PF, AF and DF are not modelled by VQ32 and never compared.

Each program loops over a random body often enough for the fast path to compile it (blocks after
4 dispatches, regions after 32 runs). Every pass ends by pushing the body's registers and EFLAGS,
so the stack keeps a record of every pass and a difference is reported with the pass it began in;
when the interpreter disagrees with x86, both are then stepped side by side to the first
instruction whose result differs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from unicorn import UcError

from tests.emu.x86_oracle import (
    ARITH,
    Translation,
    X86Machine,
    flag_effect,
    flag_names,
    run_x86,
    translate,
)
from virtquest.content.profiles import load_profile
from virtquest.emu.asm import Program, assemble
from virtquest.emu.errors import AssemblyError
from virtquest.emu.isa import CF, OF, REGISTERS, SF, ZF, Operand, find_row
from virtquest.emu.machine import Machine

M32 = 0xFFFFFFFF
PROFILE = load_profile("modern")

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


# -- programs ----------------------------------------------------------------------------------

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


@dataclass
class Outcome:
    """What a run left: registers, EFLAGS, the data area and the record of every pass."""

    registers: dict[str, int]
    eflags: int
    data: bytes
    log: bytes
    compiled: int = 0        # blocks the fast path compiled (VQ32's fast runs)

    def passes(self) -> list[dict[str, int]]:
        """Per pass: the logged registers and "eflags", from the stack record."""
        out = []
        n = len(self.log) // (4 * LOG_WORDS)
        for i in range(n):
            start = len(self.log) - 4 * LOG_WORDS * (i + 1)
            words = [int.from_bytes(self.log[start + 4 * k:start + 4 * k + 4], "little")
                     for k in range(LOG_WORDS)]
            words.reverse()   # pushed first = highest address
            out.append(dict(zip((*LOGGED, "eflags"), words, strict=True)))
        return out


def log_region(case: Case) -> tuple[int, int]:
    size = 4 * LOG_WORDS * case.iterations
    return STACK_TOP - size, size


def run_vq32(program: Program, case: Case, fast: bool) -> Outcome:
    machine = Machine(PROFILE, fast=fast)
    machine.start_bare(program)
    machine.memory.load(DATA, case.data)
    result = machine.run(budget=5_000_000)
    assert result.stop == "halted", (
        f"VQ32 ({'compiled' if fast else 'interpreter'}) did not halt: {result.stop}: "
        f"{result.message}\n{case.source()}")
    start, size = log_region(case)
    mem = machine.memory.data
    compiled = 0
    if machine.fastpath is not None:
        compiled = sum(b is not None for b in machine.fastpath.blocks.values())
    return Outcome(dict(result.registers), machine.cpu.eflags, bytes(mem[DATA:DATA + DATA_SIZE]),
                   bytes(mem[start:start + size]), compiled)


def run_unicorn(translation: Translation, case: Case) -> Outcome:
    start, size = log_region(case)
    result = run_x86(translation, preload={DATA: case.data}, regions={DATA: DATA_SIZE, start: size})
    return Outcome(dict(result.registers), result.eflags, result.memory[DATA], result.memory[start])


# -- comparing ------------------------------------------------------------------------------------

def _flag_diff(want: int, got: int, mask: int, names=("x86", "VQ32")) -> str:
    bad = (want ^ got) & mask
    if not bad:
        return ""
    compared = "all bits" if mask == M32 else flag_names(mask)
    return (f"{flag_names(bad)} differ ({names[0]} has {flag_names(want & mask)} set, "
            f"{names[1]} {flag_names(got & mask)}; compared: {compared}; "
            f"eflags {names[0]} {want:#x}, {names[1]} {got:#x})")


def differences(want: Outcome, got: Outcome, end_mask: int, pass_mask: int,
                names=("x86", "VQ32")) -> list[str]:
    """What `got` does differently from `want`, as readable lines (empty: they agree)."""
    out = []
    a, b = names
    want_passes, got_passes = want.passes(), got.passes()
    bad_passes = [i for i, (w, g) in enumerate(zip(want_passes, got_passes, strict=True))
                  if any(w[r] != g[r] for r in LOGGED) or (w["eflags"] ^ g["eflags"]) & pass_mask]
    if bad_passes:
        i = bad_passes[0]
        w, g = want_passes[i], got_passes[i]
        out.append(f"first difference after pass {i + 1} of {len(want_passes)} "
                   f"({len(bad_passes)} passes differ):")
        for r in LOGGED:
            if w[r] != g[r]:
                out.append(f"  {r}: {a} {w[r]:#010x}, {b} {g[r]:#010x}")
        if flags := _flag_diff(w["eflags"], g["eflags"], pass_mask, names):
            out.append(f"  flags: {flags}")
        if i > 0:
            before = want_passes[i - 1]
            out.append("  registers after the pass before (both agree): " +
                       " ".join(f"{r}={before[r]:#x}" for r in LOGGED))
    for r in REGISTERS:
        if want.registers[r] != got.registers[r]:
            out.append(f"at the end: {r}: {a} {want.registers[r]:#010x}, "
                       f"{b} {got.registers[r]:#010x}")
    if flags := _flag_diff(want.eflags, got.eflags, end_mask, names):
        out.append(f"at the end: flags: {flags}")
    if want.data != got.data:
        offs = [k for k in range(DATA_SIZE) if want.data[k] != got.data[k]]
        word = offs[0] & ~3
        out.append(f"data area differs at {len(offs)} bytes, first at {DATA + offs[0]:#x}: "
                   f"the word at {DATA + word:#x} is {a} {want.data[word:word + 4].hex()}, "
                   f"{b} {got.data[word:word + 4].hex()} (bytes, little-endian)")
    return out


def first_divergence(program: Program, translation: Translation, case: Case,
                     limit: int = 100_000) -> tuple[str, int | None]:
    """Step VQ32's interpreter and the x86 machine side by side: the first instruction after
    which registers, compared flags or the data area differ, or where control flow parts (a
    report, and the VQ32 address of that instruction)."""
    vm = Machine(PROFILE, fast=False)
    vm.start_bare(program)
    vm.memory.load(DATA, case.data)
    x86 = X86Machine(translation)
    x86.write(DATA, case.data)
    again = program.symbols["again"]
    passes = 0
    for step in range(limit):
        eip = vm.cpu.eip
        if eip == translation.end:
            return "stepping side by side found no difference", None
        if eip == again:
            passes += 1
        ins = translation.instructions.get(eip)
        if ins is None:
            return f"step {step}: VQ32 reached {eip:#x}, which is not an instruction", None
        where = f"step {step} (pass {passes}), `{ins.text(program.label_at())}` at {eip:#x}"
        before = {r: vm.cpu.regs[k] for k, r in enumerate(REGISTERS)}
        flags_before = vm.cpu.eflags
        vm.step()
        if vm.stopped:
            return f"{where}: VQ32 stopped: {vm.stopped[1]}", eip
        new = vm.cpu.eip
        if new not in translation.address:
            return f"{where}: VQ32 went to {new:#x}, not an instruction", eip
        try:
            arrived = x86.run_to_vq(new, count=4)
        except UcError as exc:
            return f"{where}: x86 raised {exc}", eip
        if not arrived:
            other = translation.vq(x86.pc)
            return (f"{where}: control flow parts: VQ32 went to {new:#x}, x86 to "
                    f"{other if other is None else hex(other)} (x86 pc {x86.pc:#x})", eip)
        mask = ARITH & ~flag_effect(ins).after(translation.undefined_before[eip])
        xr, problems = x86.registers(), []
        for k, r in enumerate(REGISTERS):
            if xr[r] != vm.cpu.regs[k]:
                problems.append(f"{r}: x86 {xr[r]:#010x}, VQ32 {vm.cpu.regs[k]:#010x}")
        if flags := _flag_diff(x86.eflags(), vm.cpu.eflags, mask):
            problems.append(f"flags: {flags}")
        vm_data = bytes(vm.memory.data[DATA:DATA + DATA_SIZE])
        if vm_data != x86.read(DATA, DATA_SIZE):
            problems.append("the data area differs")
        if problems:
            regs = " ".join(f"{r}={v:#x}" for r, v in before.items())
            return (f"stepping side by side, the first difference is at {where}:\n  " +
                    "\n  ".join(problems) + f"\n  registers before it: {regs}"
                    f"\n  flags before it (VQ32): {flag_names(flags_before & ARITH)}", eip)
    return f"no end after {limit} steps", None


def check(case: Case) -> None:
    """Run `case` on the interpreter, the compiled path and x86; fail with a readable report."""
    program = assemble(case.source(), file="differential.s")
    translation = translate(program)
    bad_reads = translation.reads_of_undefined()
    assert not bad_reads, f"the program reads flags x86 leaves undefined: {bad_reads}"
    x86 = run_unicorn(translation, case)
    end_mask = ARITH & ~translation.undefined_before[translation.end]
    pass_mask = ARITH & ~translation.undefined_before[program.symbols["record_flags"]]
    interpreted = run_vq32(program, case, fast=False)
    compiled = run_vq32(program, case, fast=True)
    report, mark = [], None
    if diff := differences(x86, interpreted, end_mask, pass_mask):
        where, mark = first_divergence(program, translation, case)
        report += ["VQ32's interpreter differs from x86:", *diff, where]
    same = (interpreted.registers, interpreted.eflags, interpreted.data, interpreted.log) == \
        (compiled.registers, compiled.eflags, compiled.data, compiled.log)
    if not same:
        if diff := differences(x86, compiled, end_mask, pass_mask):
            report += ["VQ32's compiled path differs from x86:", *diff]
        if not report:
            report += ["VQ32's compiled path differs from its interpreter (in flags x86 leaves "
                       "undefined or bits not compared; it must be indistinguishable):",
                       *differences(interpreted, compiled, M32, M32,
                                    names=("interpreter", "compiled"))]
    elif report:
        report.append("(VQ32's compiled path gives exactly what its interpreter gives)")
    if report:
        listing = translation.listing(mark)
        data = case.data.hex() if any(case.data) else "zeros"
        raise AssertionError("\n".join([*report, "", f"program ({case.iterations} passes):",
                                        listing, "", f"data area at the start: {data}"]))


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


# -- the tests ----------------------------------------------------------------------------------

FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(cases(STRAIGHT))
def test_random_straight_line_code_matches_x86(case):
    check(case)


@FAST
@given(cases(EVERYTHING))
def test_random_code_with_forward_jumps_matches_x86(case):
    check(case)


def _case(body: str, flags: int = 0, iterations: int = ITERATIONS, **init) -> Case:
    return Case(["  " + line.strip() for line in body.strip().splitlines()], init, flags,
                iterations=iterations)


EXAMPLES = {
    "add 0x7fffffff+1 (OF SF)": _case("add eax, 1", eax=0x7FFFFFFF),
    "inc 0x7fffffff keeps CF": _case("inc eax", flags=CF, eax=0x7FFFFFFF),
    "add 0xffffffff+1 (CF ZF)": _case("add eax, ebx", eax=0xFFFFFFFF, ebx=1),
    "sub with borrow 1-2": _case("sub eax, ebx", eax=1, ebx=2),
    "sub 0x80000000-1 (OF)": _case("sub eax, 1", eax=0x80000000),
    "cmp equal": _case("cmp eax, ebx", eax=5, ebx=5),
    "neg 0 and 0x80000000": _case("neg eax\nneg ebx", eax=0, ebx=0x80000000),
    "dec 0x80000000": _case("dec eax", flags=CF, eax=0x80000000),
    "imul overflow": _case("imul eax, 0x10000\nimul ebx, ecx", eax=0x10000, ebx=-3 & M32,
                           ecx=0x40000000),
    "shl by 1 and 31": _case("shl eax, 1\nshl ebx, 31", eax=0x80000001, ebx=3),
    "shl by 1 sets OF": _case("shl eax, 1", eax=0x40000000),
    "shr by 1 and 31": _case("shr eax, 1\nshr ebx, 31", eax=0x80000001, ebx=0x80000000),
    "shift by 0 keeps flags": _case("cmp eax, ebx\nshl eax, 0\nshr ebx, 32", eax=1, ebx=2),
    "sar by 1 and 31": _case("sar eax, 1\nsar ebx, 31", eax=0x80000001, ebx=0x80000000),
    "sar by cl": _case("mov ecx, 33\nsar eax, cl\nmov ecx, 31\nsar ebx, cl", eax=0x80000003,
                       ebx=0x40000000),
    "shl and shr by cl": _case("mov ecx, 1\nshl eax, cl\nmov ecx, 0\nshr ebx, cl",
                               eax=0xC0000000, ebx=3),
    "rol and ror by 1": _case("rol eax, 1\nror ebx, 1", eax=0x80000000, ebx=1),
    "rol by cl": _case("mov ecx, 4\nrol eax, cl", eax=0xF0000001),
    "adc chain (64-bit add)": _case("add eax, ecx\nadc edx, ebx", eax=0xFFFFFFFF, ecx=1,
                                    edx=0x7FFFFFFF, ebx=0),
    "adc with carry in and 0xffffffff": _case("cmp eax, ebx\nadc edi, 0xffffffff",
                                              eax=0, ebx=1, edi=0),
    "sbb chain (64-bit sub)": _case("sub eax, ecx\nsbb edx, ebx", eax=0, ecx=1, edx=0x80000000,
                                    ebx=0),
    "sbb with borrow in and 0xffffffff": _case("cmp eax, ebx\nsbb edi, 0xffffffff", eax=0, ebx=1,
                                               edi=0xFFFFFFFF),
    "mul high half": _case("mul ebx", eax=0xFFFFFFFF, ebx=0xFFFFFFFF),
    "div with edx": _case("and edx, 0xff\nor ebx, 0x100\ndiv ebx", eax=0x12345678, edx=0x42,
                          ebx=0x1000),
    "div with edx zero": _case("xor edx, edx\ndiv ebx", eax=100, ebx=7),
    "idiv negative": _case("cdq\nidiv ebx", eax=-100 & M32, ebx=7),
    "cdq": _case("cdq\nmov ecx, edx\nmov eax, 1\ncdq", eax=0x80000000),
    "xchg": _case("xchg eax, ebx\nxchg ecx, [esi-2]", eax=1, ebx=2, ecx=3),
    "word across a page boundary": _case("mov [esi-2], eax\nmov ebx, [esi-1]\nmovb ecx, [esi-1]",
                                         eax=0x11223344),
    "lea": _case("lea eax, [esi+0x10]\nlea ebx, [esp-4]"),
    "movb": _case("movb [esi], eax\nmovb [esi+1], ebx\nmovb ecx, [esi+1]\nmov edx, [esi]",
                  eax=0xFFFFFF41, ebx=0x80),
    "js jo ja": _case("cmp eax, ebx\njs one\ninc edi\none:\njo two\ninc edi\ntwo:\nja three\ninc edi\nthree:",
                      eax=0x80000000, ebx=1),
    "loop forward": _case("loop past\ninc edi\npast:", ecx=2),
}


@pytest.mark.parametrize("case", EXAMPLES.values(), ids=EXAMPLES.keys())
def test_tricky_cases_match_x86(case):
    try:
        assemble(case.source())
    except AssemblyError as exc:
        pytest.skip(f"a form VQ32 does not have yet: {exc}")
    check(case)


def test_the_oracle_sees_x86_flags():
    """The x86 side is really x86: 0x7FFFFFFF+1 overflows into the sign, 0xFFFFFFFF+1 carries."""
    case = _case("add eax, 1\nadd ebx, 1", iterations=1, eax=0x7FFFFFFF, ebx=0xFFFFFFFF)
    out = run_unicorn(translate(assemble(case.source())), case)
    assert out.registers["eax"] == 0x80000000 and out.registers["ebx"] == 0
    flags = out.eflags
    assert flags & CF and flags & ZF and not flags & SF and not flags & OF
    (first,) = out.passes()
    assert first["eflags"] & (CF | ZF | SF | OF) == CF | ZF
    assert first["eax"] == 0x80000000


def test_the_compiled_path_really_compiles_the_body():
    case = _case("add eax, ebx\nshl eax, 3\nxor ebx, eax\nmov [esi], ebx", eax=1, ebx=2)
    out = run_vq32(assemble(case.source()), case, fast=True)
    assert out.compiled, "the loop body ran compiled"
    check(case)


def test_every_drawable_form_is_available_or_pending():
    """The forms drawn today are exactly those VQ32 has; the others wait for their rows."""
    drawn = {(m, k) for m, k, b, _ in FORMS if b in EVERYTHING}
    assert ("add", (R, R)) in drawn and ("je", (LBL,)) in drawn
    for m, k in drawn:
        assert have(m, *k)
