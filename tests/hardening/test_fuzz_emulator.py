"""Random machine images, random bytes as programs and random system calls, under every mode
(docs/security.md): nothing escapes into the host, every run ends within its cycle budget with one
of the documented stop reasons, a software VMM never lets guest code run at the real ring 0, and the
modes agree with native wherever the guest uses no sensitive instruction."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.emu.harness import bare, to_ring
from tests.hardening.conftest import SOFTWARE_VMMS, STOPS, fuzz, watch_rings, watchdog
from virtquest.content.profiles import load_profile
from virtquest.emu.asm import assemble
from virtquest.emu.isa import ROWS, VEC_GP
from virtquest.emu.machine import RunResult
from virtquest.hv.mode import ModeRun
from virtquest.hv.registry import mode_ids
from virtquest.hv.runner import judge, load_for_mode

PROFILE = load_profile("modern")
MODES = mode_ids()
# One step may overshoot the budget by its own cost (a VM exit, a translated block, a fault's
# delivery): never by more than this. Idle time of a `hlt` is the guest waiting for its timer.
OVERSHOOT = 50_000
M32 = 0xFFFFFFFF
# Under trap & emulate the mini-OS's `iret` back to user mode runs at ring 1 without trapping,
# so the interrupt flag it restores never reaches the VMM: the hole every run there shows.
EXPECTED_HOLES = {"trap-emulate": {"iret"}}


def run_in_mode(source: str, mode: str, budget: int, profile=PROFILE
                ) -> tuple[RunResult, object, set[int]]:
    """One run, with the real rings of every instruction the interpreter stepped: every
    privileged and sensitive one (compiled blocks hold innocuous code only)."""
    guest = load_for_mode(source, mode, file="fuzz.s", profile=profile)
    rings = watch_rings(guest.machine.cpu)
    return guest.run(budget=budget, cancel=watchdog()), guest, rings


def run_everywhere(source: str, budget: int, room: int = 1, profile=PROFILE
                   ) -> tuple[RunResult, list[ModeRun]]:
    """Native, then every other mode: with `room` times the budget when native finished (a
    VMM's overhead must not be mistaken for a different outcome), else the same budget."""
    native, _, _ = run_in_mode(source, "native", budget, profile)
    assert_ended_within_budget("native", native, budget)
    limit = budget * room if native.finished else budget
    runs = []
    for mode in MODES[1:]:
        result, guest, rings = run_in_mode(source, mode, limit, profile)
        assert_ended_within_budget(mode, result, limit)
        if mode in SOFTWARE_VMMS:
            assert 0 not in rings, f"{mode}: guest code ran at the real ring 0"
        run = judge(mode, native, result, guest)
        assert run.contained, (mode, run.violations)
        runs.append(run)
    return native, runs


def assert_ended_within_budget(mode: str, result: RunResult, budget: int) -> None:
    assert result.stop in STOPS, (mode, result.stop, result.message)
    assert result.message and "\n" not in result.message
    busy = result.cycles - result.breakdown["idle"]
    assert busy <= budget + OVERSHOOT, (mode, result.cycles, budget)
    if result.stop == "budget":
        assert result.cycles >= budget, (mode, result.cycles, budget)


def assert_agrees_with_native(native: RunResult, run: ModeRun, registers: bool = False) -> None:
    """Same console, exit code and ending (and with `registers`, the same general registers at
    the end). When either run was stopped by its budget, one printed a prefix of the other (a
    mode can be slower than native, or faster: binary translation's port I/O is cheaper)."""
    result = run.result
    if "budget" in (native.stop, result.stop):
        shorter, longer = sorted((native.console, result.console), key=len)
        assert longer.startswith(shorter), run.mode
        return
    assert run.equivalent, (run.mode, result.stop, result.exit_code, result.console[-80:],
                            native.stop, native.exit_code, native.console[-80:])
    holes = [d for d in run.divergences if d["instruction"] not in EXPECTED_HOLES.get(run.mode, ())]
    assert not holes, (run.mode, holes[:2])
    if registers:
        general = {k: v for k, v in native.registers.items() if k != "eip"}
        assert {k: result.registers[k] for k in general} == general, run.mode


# --- random bytes as programs ---------------------------------------------------------------

INTERESTING = [0, 1, 7, 0x80, 0xE9, 0x40, 0xF4, 0x175, 0x1000, 0x400000, 0x0FFFF000,
               0x7FFFFFFF, 0x80000000, M32]


def _instruction(opcode: int, regs: int, base: int, imm: int) -> bytes:
    return bytes((opcode, regs, base, 0)) + imm.to_bytes(4, "little")


# Mostly well-formed encodings with random fields (they decode, so they run), some raw noise.
plausible = st.builds(_instruction, st.integers(0, len(ROWS) - 1),
                      st.sampled_from([0, 0x10, 0x21, 0x73]) | st.integers(0, 255),
                      st.sampled_from([0, 0xF]) | st.integers(0, 15),
                      st.sampled_from(INTERESTING) | st.integers(0, M32))
random_code = st.lists(plausible | st.binary(min_size=8, max_size=8), min_size=1,
                       max_size=40).map(b"".join) | st.binary(min_size=1, max_size=320)


def as_bytes(data: bytes) -> str:
    return "  .byte " + ", ".join(map(str, data))


@given(st.sampled_from(["_start", "main", "kernel_main"]), random_code)
@fuzz(1)
def test_random_bytes_as_a_program_under_every_mode(entry, code):
    """Bare metal, a user process or the guest kernel: whatever the bytes are, each mode runs
    them to one of the documented endings, inside its budget, and stays contained."""
    run_everywhere(f"{entry}:\n{as_bytes(code)}\n", budget=60_000)


@st.composite
def random_machine_image(draw) -> str:
    """A bare-metal image whose code, IDT gates (handlers inside the code), stack pointer and
    scratch memory are all random."""
    code = draw(random_code)
    gates = []
    for _ in range(256):
        flags = draw(st.sampled_from([0, 1, 1, 7, 0x0F]) | st.integers(0, 0xFF))
        gates.append(f"  .word code+{8 * draw(st.integers(0, len(code) // 8))}, {flags}")
    esp = draw(st.sampled_from([0x80000, 0x1000, 0, 0xFFFFF, M32]) | st.integers(0, M32))
    return "\n".join([
        "_start:", f"  mov esp, {esp}", "  lidt [idtr]", "code:", as_bytes(code),
        "  hlt", ".align 8", "idtr: .word idt, 256*8-1", "idt:", *gates,
        "scratch:", as_bytes(draw(st.binary(min_size=1, max_size=256))),
    ]) + "\n"


@given(random_machine_image())
@fuzz(0.5)
def test_random_machine_images_under_every_mode(source):
    run_everywhere(source, budget=60_000)


# --- innocuous and privileged kernel code: every mode agrees with native ------------------

REGS = ["eax", "ebx", "ecx", "edx", "esi", "edi", "ebp"]
value = st.sampled_from([0, 1, 2, 3, 0x200, 0x1000, 0x80000000, M32, 0x40, 0x80, 0xE9,
                         0x80000001, 0x10000]) | st.integers(0, M32)
reg = st.sampled_from(REGS)
slot = st.integers(0, 63).map(lambda k: 4 * k)


@st.composite
def innocuous(draw) -> str:
    a, b = draw(reg), draw(reg)
    forms = [f"mov {a}, {draw(value)}", f"mov {a}, {b}", f"add {a}, {b}", f"sub {a}, {draw(value)}",
             f"xor {a}, {b}", f"and {a}, {draw(value)}", f"imul {a}, {b}", f"div {a}",
             f"shl {a}, {draw(st.integers(0, 31))}", f"shr {a}, {draw(st.integers(0, 31))}",
             f"inc {a}", f"neg {a}", f"not {a}", f"push {a}", f"pop {b}", f"cmp {a}, {b}",
             f"mov {a}, [scratch+{draw(slot)}]", f"mov [scratch+{draw(slot)}], {a}",
             f"movb [scratch+{draw(slot)}], {a}", f"mov {a}, [{b}]", "nop",
             f"int {draw(st.sampled_from([0, 3, 6, 13, 14, 32, 0x30, 0x80]) | st.integers(0, 255))}"]
    return draw(st.sampled_from(forms))


@st.composite
def privileged(draw) -> str:
    a = draw(reg)
    cr = draw(st.sampled_from(["cr0", "cr2", "cr3", "cr8"]))
    port = draw(st.sampled_from([0x40, 0xE9, 0x80, 0xF4, 0x1234]))
    forms = ["cli", "sti", "hlt", f"in {a}, {port}", f"out {port}, {a}", f"mov {cr}, {a}",
             f"mov {a}, {cr}", f"lidt [scratch+{draw(slot)}]", "lidt [idtr]", "lgdt [scratch]",
             f"invlpg [{a}]", "iret", "wrmsr",
             # rdmsr of the TSC (0x10) shows real cycles, like rdtsc: read a stable MSR only
             "mov ecx, 0x175\n  rdmsr"]
    return draw(st.sampled_from(forms))


@st.composite
def kernel_program(draw) -> str:
    """A `_start` kernel of innocuous and privileged instructions only (no sensitive ones, no
    rdtsc/cpuid), with an IDT whose handlers print the vector's error code and go on."""
    lines = ["_start:", "  mov esp, 0x80000", "  lidt [idtr]"]
    for _ in range(draw(st.integers(1, 30))):
        lines.append("  " + draw(privileged() if draw(st.booleans()) else innocuous()))
    lines.append(draw(st.sampled_from(["  hlt", "  mov eax, 7\n  out 0xF4, eax", "  jmp _start"])))
    lines += ["handler:", "  mov eax, [esp]", "  out 0xE9, eax", "  add esp, 4",
              "  " + draw(st.sampled_from(["iret", "hlt"])), ".align 8",
              "idtr: .word idt, 256*8-1", "idt:"]
    for vector in range(256):
        present = vector in (0, 3, 6, 13, 14, 32, 0x80)
        flags = draw(st.sampled_from([0, 1, 7])) if present else 0   # absent, DPL 0, DPL 3
        lines.append(f"  .word handler, {flags}")
    lines.append("scratch: .zero 256")
    return "\n".join(lines) + "\n"


@given(kernel_program())
@fuzz(1)
def test_innocuous_and_privileged_kernel_code_gives_the_native_result(source):
    native, runs = run_everywhere(source, budget=150_000, room=200)
    for run in runs:
        assert_agrees_with_native(native, run, registers=True)


def test_a_missing_gate_is_a_general_protection_fault_in_every_mode():
    """`int n` through an absent IDT entry: #GP, delivered by the guest's own handler — not a
    triple fault of the whole virtual machine (found by the fuzzer above)."""
    source = "main:\n  int 0x30\n  ret\n"
    native, runs = run_everywhere(source, budget=2_000_000, room=10)
    assert native.exit_code == 128 + 13 and "#GP" in native.console
    for run in runs:
        assert_agrees_with_native(native, run)


# `int n` that cannot be delivered: a gate the caller's ring may not use (DPL < CPL), a gate that
# is not present, a vector past the IDT's limit. Native x86 reports each as a #GP with error code
# vector*8+2 at the `int` instruction itself; every mode must give the guest the same.
UNDELIVERABLE_INT = {
    "user int through a DPL-0 gate": (to_ring(3), "int 5", 5 * 8 + 2),
    "user int through the timer's gate": (to_ring(3), "int 32", 32 * 8 + 2),
    "user int through a missing gate": (to_ring(3), "int 0x40", 0x40 * 8 + 2),
    "kernel int through a missing gate": ("  jmp user_code", "int 0x40", 0x40 * 8 + 2),
    "kernel int past the IDT's limit": ("  lidt [short_idtr]\n  jmp user_code", "int 0x50",
                                        0x50 * 8 + 2),
}


@pytest.mark.parametrize("name", UNDELIVERABLE_INT)
def test_an_int_that_cannot_be_delivered_faults_at_itself_in_every_mode(name):
    """The guest's #GP handler gets the native error code and, as its return address, the
    `int` instruction's own address, in every mode (the handler reports them in esi and ebp)."""
    setup, instruction, error = UNDELIVERABLE_INT[name]
    source = bare(setup, f"user_code:\n  mov eax, 1\nat:\n  {instruction}\n  mov eax, 2\n"
                  "  hlt\n.align 8\nshort_idtr: .word idt, 0x40*8-1")
    at = assemble(source).symbols["at"]
    native, runs = run_everywhere(source, budget=200_000, room=10)
    registers = native.registers
    assert (registers["edi"], registers["esi"], registers["ebp"], registers["eax"]) == (
        VEC_GP, error, at, 1), {k: hex(v) for k, v in registers.items()}
    for run in runs:
        assert_agrees_with_native(native, run, registers=True)


@pytest.mark.parametrize("vector", [0, 6, 13, 14, 32, 0x30, 0x7F, 0xFF])
def test_a_user_int_the_kernel_does_not_offer_is_the_same_fault_in_every_mode(vector):
    """On the mini-OS: a process's `int n` through a kernel-only (DPL 0) or missing gate is the
    same #GP, at the `int` itself (the kernel prints where), in every mode."""
    source = f"main:\n  int {vector}\n  ret\n"
    native, runs = run_everywhere(source, budget=5_000_000, room=10)
    assert native.exit_code == 128 + 13, native.console
    assert "#GP general protection at 0x00400000" in native.console, native.console
    for run in runs:
        assert_agrees_with_native(native, run)


FAULTING_PRIVILEGED = {
    "wrmsr of a read-only MSR": "mov ecx, 0\nat:\n  wrmsr",
    "rdmsr of no MSR": "mov ecx, 0x999\nat:\n  rdmsr",
    "lidt from outside RAM": "at:\n  lidt [0xFFFFFFF0]",
    "lgdt from outside RAM": "at:\n  lgdt [0xFFFFFFF0]",
    "paging without protection": "mov eax, 0x80000000\nat:\n  mov cr0, eax",
}


@pytest.mark.parametrize("profile", ["modern", "core2-2008"])   # with and without EPT
@pytest.mark.parametrize("name", FAULTING_PRIVILEGED)
def test_a_privileged_instruction_that_faults_does_so_at_itself_in_every_mode(name, profile):
    """Emulated or not, the fault is the native one: same vector, same error code, and the
    return address is the instruction itself (found by the fuzzer above)."""
    source = bare("  " + FAULTING_PRIVILEGED[name])
    at = assemble(source).symbols["at"]
    native, runs = run_everywhere(source, budget=200_000, room=10, profile=load_profile(profile))
    assert native.registers["edi"] == VEC_GP and native.registers["ebp"] == at
    for run in runs:
        assert_agrees_with_native(native, run, registers=True)


def test_a_guest_cannot_print_without_end():
    """The console keeps at most its limit of output, however much a guest writes (here the
    device itself, written as a runaway guest would, a byte at a time)."""
    from virtquest.emu.devices import PORT_CONSOLE, Console

    console = Console()
    for _ in range(Console.MAX_OUTPUT + 4096):
        console.write(PORT_CONSOLE, 0x41)
    assert len(console.output) == Console.MAX_OUTPUT == 1 << 20


# --- system calls with random numbers and arguments on the mini-OS --------------------------

ARGUMENTS = st.sampled_from([
    "0", "1", "5", "res", "child", "main", "0x1000", "0x8000", "0x400000", "0x10000000",
    "0x10001000", "0x7FFFF000", "0x0FFFEFF0", "0x0FFFF000", "0x7FFFFFFF", "0x80000000",
    "0xFFFFFFFF", "0xFFFFF000",
]) | st.integers(0, M32).map(str) | st.integers(0, 64).map(str)
NUMBERS = st.integers(0, 14) | st.sampled_from([M32, 0x80000000]) | st.integers(0, M32)
TIME = 10   # time() is rdtsc: real cycles, one documented way for a guest to notice a VMM
BALLOON = 12   # balloon() answers -1 on bare hardware and counts pages under a hypervisor: a
               # paravirtual driver, documented to differ (docs/minios.md)


@st.composite
def system_calls(draw) -> str:
    """`main` makes a few system calls with random numbers and arguments, printing each result
    (except time()'s) with write(); a child entry point is there for spawn."""
    lines = ["main:"]
    for _ in range(draw(st.integers(1, 4))):
        if draw(st.integers(0, 9)) == 0:
            lines.append(f"  int {draw(st.integers(0, 255))}")
            continue
        number = draw(NUMBERS)
        lines += [f"  mov eax, {number}", f"  mov ebx, {draw(ARGUMENTS)}",
                  f"  mov ecx, {draw(ARGUMENTS)}", f"  mov edx, {draw(ARGUMENTS)}", "  int 0x80"]
        if number not in (TIME, BALLOON):
            lines += ["  mov [res], eax", "  mov eax, 3", "  mov ebx, res", "  mov ecx, 4",
                      "  int 0x80"]
    lines += [f"  mov eax, {draw(st.integers(0, 255))}", "  ret",
              "child:", "  mov eax, 2", "  mov ebx, 'c'", "  int 0x80", "  mov eax, 9", "  ret",
              "res: .word 0"]
    return "\n".join(lines) + "\n"


@given(system_calls())
@fuzz(1)
def test_random_system_calls_give_the_native_console_and_exit_code(source):
    native, runs = run_everywhere(source, budget=1_000_000, room=40)
    for run in runs:
        assert_agrees_with_native(native, run)


# --- the fast path's generated code ------------------------------------------------------------

HOSTILE_NAMES = """
_start:
  mov esp, 0x80000
  mov ecx, 200
__import__:
  mov eax, exec_os_system
  add ebx, eval_me
  mov [__builtins__], eax
  push ecx
  pop edx
  loop __import__
  hlt
exec_os_system: .ascii "__import__('os').system('touch /tmp/owned')"
eval_me: .asciz "exec(open('x').read())"
.align 4
__builtins__: .word 0
"""


def test_compiled_blocks_hold_only_numbers_and_the_generators_own_words(monkeypatch):
    """The fast path compiles hot guest code into Python. Its text may hold integers, and names
    and operators written in blockgen.py itself — never a string, a comment or any word taken
    from the program (labels and strings here are Python code on purpose)."""
    import io
    import keyword
    import re
    import tokenize

    from virtquest.emu import (
        blockgen,
        bulk,
        codegen,
        fastpath,
        flaggen,
        isa,
        lowering,
        memgen,
        region,
        semantics,
    )
    from virtquest.emu.cache import Cache
    from virtquest.emu.resources import PROGRAMS

    sources: list[str] = []
    real_source = blockgen.Generator.source

    def recording(self) -> str:
        sources.append(real_source(self))
        return sources[-1]

    monkeypatch.setattr(blockgen.Generator, "source", recording)
    real_region_source = region.RegionGenerator.source

    def recording_region(self) -> str:
        sources.append(real_region_source(self))
        return sources[-1]

    monkeypatch.setattr(region.RegionGenerator, "source", recording_region)
    monkeypatch.setattr(fastpath, "_CODE_CACHE", Cache(fastpath.CODE_CACHE_LIMIT))
    programs = [HOSTILE_NAMES] + [p.read_text(encoding="utf-8")
                                  for p in sorted(PROGRAMS.glob("examples/*.s"))]
    for program in programs:
        for mode in ("native", "binary-translation"):
            guest = load_for_mode(program, mode, file="fuzz.s", profile=PROFILE)
            guest.run(budget=2_000_000)
    assert len(sources) > 20, "the fast path compiled blocks"
    generator_words = {word for module in (blockgen, bulk, memgen, region, codegen, semantics, isa,
                                           lowering, flaggen)
                       for word in tokenize_names(Path(module.__file__).read_text(encoding="utf-8"))}
    for text in sources:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            assert token.type not in (tokenize.STRING, tokenize.COMMENT), token
            if token.type == tokenize.NUMBER:
                assert re.fullmatch(r"\d+|0x[0-9a-f]+", token.string), token
            elif token.type == tokenize.NAME and not keyword.iskeyword(token.string):
                # a definition's temporaries are its own words with a prefix (v_t, v3_t, fd0),
                # flag snapshots an instruction's index and an operand's (f3_0)
                word = re.sub(r"^(v\d*_|fd|f\d+_)(?=\w)", "", token.string).rstrip("0123456789")
                assert token.string in generator_words or word in generator_words or \
                    word == "" or re.fullmatch(r"v\d*_(l\d+|ma|mb|ea)", token.string), \
                    (token.string, text)


def tokenize_names(text: str) -> list[str]:
    """Identifiers in Python source — including those inside its f-string templates."""
    import re

    return re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text)
