"""Trap & emulate: every innocuous and privileged instruction behaves as on bare hardware; the
sensitive ones run directly at ring 1 and give the wrong answers, and the run says where."""

import pytest

from tests.emu.harness import bare, run_machine, run_under, to_ring
from tests.emu.instruction_semantics import PAGING_ON, InstructionSemantics
from virtquest.emu.isa import IF


class TestTrapEmulateInstructions(InstructionSemantics):
    hypercalls_accepted = True   # a modified guest may call the VMM (docs/curriculum.md: Guest)
    def run(self, source):
        return run_under("trap-emulate", source)[0]

    def test_sensitive_instructions_reveal_real_state_at_any_ring(self):
        result = self.run(bare(to_ring(3), "user_code:\n  sidt [0x50000]\n  mov ecx, [0x50000]\n"
                                           "  int 0x80"))
        assert result.registers["ecx"] == 0, "sidt at ring 3 shows the VMM's IDT, not the guest's"

    def test_popf_at_ring0_changes_if(self):
        r = self.regs("sti\n  push 0x2\n  popf\n  pushf\n  pop ebx")
        assert r["ebx"] & IF, "the guest kernel is really at ring 1: popf cannot clear IF"

    def test_sgdt_after_lgdt(self):
        r = self.regs("lgdt [table]\n  sgdt [copy]\n  mov eax, [copy]\n  mov ebx, [copy+4]",
                      "table: .word 0x1234, 0x27\ncopy: .word 0, 0")
        assert (r["eax"], r["ebx"]) == (0, 0), "lgdt was emulated, sgdt shows the real GDTR"


def test_privileged_instructions_trap_and_are_emulated():
    native, _ = run_machine(bare("cli\n  sti\n  cli\n  mov eax, cr0"))
    result, machine = run_under("trap-emulate", bare("cli\n  sti\n  cli\n  mov eax, cr0"))
    assert result.exit_code == native.exit_code
    assert result.events["emulated"] >= 5 and result.breakdown["trap"] > 0
    assert result.breakdown["emulation"] > 0 and result.cycles > native.cycles


def test_popf_in_the_guest_kernel_silently_fails_and_the_run_says_so():
    src = bare("sti\n  push 0x2\n  popf\n  pushf\n  pop ebx\n  cli")
    native, _ = run_machine(src)
    result, machine = run_under("trap-emulate", src)
    assert not native.registers["ebx"] & IF
    assert result.registers["ebx"] & IF, "popf at ring 1 could not clear IF"
    hows = " ".join(str(d["how"]) for d in machine.divergences)
    assert "popf" in hows and "ignores" in hows


def test_mov_from_cs_reveals_ring_one():
    result, machine = run_under("trap-emulate", bare("mov eax, cs"))
    assert result.exit_code & 3 == 1
    assert any(d["how"].id == "hole.cs" and d["how"].params["virtual_cpl"] == 0
               for d in machine.divergences)


def test_shadow_paging_hides_page_faults_and_traces_page_table_writes():
    body = PAGING_ON + """
  mov eax, [0x5000]
  mov eax, 0x6003
  mov [0x10014], eax     ; the guest remaps page 5: a write into its own page table
  invlpg [0x5000]
  mov ecx, [0x5000]
"""
    src = bare(body, ".org 0x5000\n.word 55\n.org 0x6000\n.word 66")
    native, _ = run_machine(src)
    result, _ = run_under("trap-emulate", src)
    assert result.registers["ecx"] == native.registers["ecx"] == 66
    assert result.events["shadow_page_faults"] > 0
    assert result.events["traced_pt_writes"] >= 1


def test_guest_page_fault_is_reflected_with_cr2():
    src = bare(PAGING_ON + "  mov eax, [0x00800010]\n  mov eax, 1")
    native, _ = run_machine(src)
    result, machine = run_under("trap-emulate", src)
    assert result.registers["edi"] == native.registers["edi"] == 14
    assert machine.vmm.vcpu.cr2 == 0x00800010


@pytest.mark.parametrize("profile", ["modern", "p4-2006"])
def test_overhead_comes_from_trap_costs(profile):
    from virtquest.content.profiles import load_profile
    from virtquest.emu.asm import assemble
    from virtquest.emu.machine import Machine
    from virtquest.hv.registry import create

    src = bare("mov ecx, 20\nagain:\n  cli\n  sti\n  loop again")
    runs = []
    for factor in (1, 2):
        machine = Machine(load_profile(profile).scaled("vmm_trap", factor))
        machine.start_bare(assemble(src))
        create("trap-emulate", machine)
        runs.append(machine.run())
    extra = runs[1].breakdown["trap"] - runs[0].breakdown["trap"]
    assert extra == runs[0].events["traps"] * load_profile(profile)["vmm_trap"]
    assert runs[1].breakdown["guest"] == runs[0].breakdown["guest"]
