"""A learner's per-site choice changes what each mode does with that one instruction."""

from tests.emu.harness import bare
from virtquest.content.profiles import load_profile
from virtquest.emu.asm import assemble
from virtquest.emu.machine import Machine
from virtquest.hv.registry import create

LOOP = bare("mov ecx, 50\nagain:\nhot:\n  add eax, 1\n  loop again\nio:\n  out 0xE9, eax\n"
            "  sti\n  push 0x2\nflags:\n  popf\n  pushf\n  pop ebx\n  cli")


def run(mode: str, choices: dict[str, str]):
    program = assemble(LOOP)
    machine = Machine(load_profile("modern"))
    machine.start_bare(program)
    create(mode, machine, {program.symbols[k]: v for k, v in choices.items()})
    return machine.run(), machine


def test_innocuous_code_given_to_the_hypervisor_is_correct_but_slow():
    for mode in ("trap-emulate", "binary-translation", "paravirt", "hardware-assist"):
        fast, _ = run(mode, {})
        slow, _ = run(mode, {"hot": "hypervisor"})
        assert slow.exit_code == fast.exit_code == 50, mode
        assert slow.cycles > fast.cycles + 50 * 100, mode


def test_io_left_to_the_cpu_under_hav_reaches_the_real_device():
    _, machine = run("hardware-assist", {"io": "cpu"})
    assert machine.violations and machine.violations[0].id == "containment.real-device"
    _, contained = run("hardware-assist", {})
    assert contained.violations == []


def test_bt_copying_a_sensitive_instruction_as_is_breaks_equivalence():
    translated, _ = run("binary-translation", {})
    copied, machine = run("binary-translation", {"flags": "cpu"})
    assert translated.registers["ebx"] & 0x200 == 0
    assert copied.registers["ebx"] & 0x200, "popf copied as is ran at ring 1: IF stayed on"
    assert machine.divergences and machine.divergences[0]["how"].id == "hole.popf"
