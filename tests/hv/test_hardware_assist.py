"""Hardware assist: the guest kernel at ring 0 in non-root mode; exits only where the VMCS says."""

from tests.emu.harness import bare, run_machine, run_under
from tests.emu.instruction_semantics import PAGING_ON, InstructionSemantics
from virtquest.content.profiles import load_profile
from virtquest.emu.asm import assemble
from virtquest.emu.machine import Machine
from virtquest.hv.registry import create


class TestHardwareAssistInstructions(InstructionSemantics):
    hypercalls_accepted = True
    def run(self, source):
        return run_under("hardware-assist", source)[0]

    def native_hypervisor_bit(self, ecx):
        return ecx >> 31 == 1          # CPUID exits and the VMM says a hypervisor is present


def test_sensitive_instructions_are_correct_in_non_root_ring_0():
    src = bare("sti\n  push 0x2\n  popf\n  pushf\n  pop ebx\n  mov eax, cs")
    native, _ = run_machine(src)
    result, _ = run_under("hardware-assist", src)
    assert result.registers["ebx"] == native.registers["ebx"] and result.exit_code == 0x08
    assert result.events.get("vm_exits", 0) == 1, "only the final hlt exits"


def test_io_exits_and_costs_exit_plus_entry():
    src = bare("mov ecx, 10\nagain:\n  out 0xE9, eax\n  loop again")
    result, _ = run_under("hardware-assist", src, profile="p4-2006")
    p = load_profile("p4-2006")
    assert result.events["vm_exit.io"] == 10
    assert result.breakdown["trap"] == result.events["vm_exits"] * (p["vm_exit"] + p["vm_entry"])


def test_cpuid_always_exits():
    result, _ = run_under("hardware-assist", bare("mov eax, 1\n  cpuid"))
    assert result.events["vm_exit.cpuid"] == 1


def _page_table_churn(profile: str, ept: bool):
    body = PAGING_ON + """
  mov ecx, 30
again:
  mov eax, 0x6003
  mov [0x10014], eax
  invlpg [0x5000]
  mov edx, [0x5000]
  mov eax, cr3
  mov cr3, eax
  loop again
"""
    machine = Machine(load_profile(profile))
    machine.start_bare(assemble(bare(body, ".org 0x5000\n.word 55\n.org 0x6000\n.word 66")))
    create("hardware-assist", machine, ept=ept)
    return machine.run()


def test_without_ept_paging_exits_with_ept_none():
    shadow = _page_table_churn("modern", ept=False)
    nested = _page_table_churn("modern", ept=True)
    assert shadow.registers["edx"] == nested.registers["edx"] == 66
    assert shadow.events["vm_exit.cr_access"] >= 30 and shadow.events["vm_exit.page_fault"] > 0
    assert "vm_exit.page_fault" not in nested.events and "vm_exit.cr_access" not in nested.events
    assert nested.cycles < shadow.cycles


def test_ept_tlb_miss_walks_two_dimensions():
    from virtquest.emu.memory import PhysicalMemory
    from virtquest.emu.mmu import MMU

    mem = PhysicalMemory(1 << 20)
    mmu = MMU(mem)
    mem.write32(0x1000, 0x2000 | 7)
    mem.write32(0x2000, 0x3000 | 7)
    mmu.root, mmu.enabled = 0x1000, True
    assert mmu.translate(0x10, False, False) == 0x3010 and mmu.walk_refs == 2
    mmu.flush()
    mmu.second_stage = lambda gpa: (gpa, 2)
    mmu.walk_refs = 0
    assert mmu.translate(0x10, False, False) == 0x3010
    assert mmu.walk_refs == (2 + 1) * (2 + 1) - 1, "Bhargava et al.: (n+1)(m+1)-1 references"


def test_ept_makes_tlb_misses_dearer_in_a_guest():
    native, _ = run_machine(bare(PAGING_ON + "  mov eax, [0x5000]\n", ".org 0x5000\n.word 1"))
    nested = _page_table_churn("modern", ept=True)
    per_miss_native = native.events["page_walk_refs"] / native.events["tlb_misses"]
    per_miss_nested = nested.events["page_walk_refs"] / nested.events["tlb_misses"]
    assert per_miss_nested > 3 * per_miss_native


def test_scaling_vm_entry_moves_only_exit_costs():
    src = bare("mov ecx, 5\nagain:\n  out 0xE9, eax\n  loop again")
    runs = []
    for factor in (1, 3):
        machine = Machine(load_profile("modern").scaled("vm_entry", factor))
        machine.start_bare(assemble(src))
        create("hardware-assist", machine)
        runs.append(machine.run())
    delta = runs[1].cycles - runs[0].cycles
    assert delta == runs[0].events["vm_exits"] * 2 * load_profile("modern")["vm_entry"]
    assert runs[1].breakdown["guest"] == runs[0].breakdown["guest"]
