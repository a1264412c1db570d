"""Running a differential-test program on VQ32 (interpreted and compiled) and on x86, and
saying readably where they differ.

A difference is reported with the pass it began in, from the stack record of every pass; when the
interpreter disagrees with x86, both are then stepped side by side to the first instruction whose
result differs.
"""

from __future__ import annotations

from dataclasses import dataclass

from unicorn import UcError

from tests.emu.differential_programs import (
    DATA,
    DATA_SIZE,
    LOG_WORDS,
    LOGGED,
    M32,
    Case,
    log_region,
)
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
from virtquest.emu.isa import REGISTERS
from virtquest.emu.machine import Machine

PROFILE = load_profile("modern")


# -- running ------------------------------------------------------------------------------------

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
