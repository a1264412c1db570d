"""Paravirtualization: hypercalls replace traps; the VMM validates every one of them."""

from tests.emu.harness import bare, run_under, to_ring
from tests.emu.instruction_semantics import PAGING_ON, InstructionSemantics
from virtquest.hv.hypercalls import assembler_constants


class TestParavirtUnmodifiedInstructions(InstructionSemantics):
    """An unmodified kernel on the PV hypervisor: its privileged instructions still trap."""

    hypercalls_accepted = True

    def run(self, source):
        return run_under("paravirt", source)[0]

    def native_hypervisor_bit(self, ecx):
        return True

    def test_sensitive_instructions_reveal_real_state_at_any_ring(self):
        result = self.run(bare(to_ring(3), "user_code:\n  sidt [0x50000]\n  mov ecx, [0x50000]\n"
                                           "  int 0x80"))
        assert result.registers["ecx"] == 0

    def test_popf_at_ring0_changes_if(self):
        r = self.regs("sti\n  push 0x2\n  popf\n  pushf\n  pop ebx")
        assert r["ebx"] & 0x200, "unmodified popf at ring 1 cannot clear IF"

    def test_sgdt_after_lgdt(self):
        r = self.regs("lgdt [table]\n  sgdt [copy]\n  mov eax, [copy]",
                      "table: .word 0x1234, 0x27\ncopy: .word 0, 0")
        assert r["eax"] == 0


def hc(**calls) -> str:
    consts = assembler_constants()
    return "\n".join(f".equ {k}, {v}" for k, v in consts.items()) + "\n"


def test_console_io_prints_a_buffer_with_one_hypercall():
    src = hc() + bare("mov eax, HC_CONSOLE_IO\n  mov ebx, msg\n  mov ecx, 5\n  vmcall",
                      'msg: .ascii "hello"')
    result, _ = run_under("paravirt", src)
    assert result.console == "hello" and result.events["hypercalls"] == 1
    assert result.events["traps"] == 2, "only the unmodified lidt and the final hlt trap"


def test_shared_info_makes_cli_a_memory_write():
    src = hc() + bare("""
  mov eax, HC_SHARED_INFO
  mov ebx, shared
  vmcall
  mov eax, 1
  movb [shared], eax      ; "cli": no trap, no hypercall
  mov eax, 0
  movb [shared], eax      ; "sti"
  mov eax, 1
  movb [shared], eax
""", "shared: .word 0")
    result, machine = run_under("paravirt", src)
    assert result.events["hypercalls"] == 1 and not machine.vmm.vif


def test_mmu_update_batches_and_refuses_frames_the_guest_does_not_own():
    src = hc() + bare(PAGING_ON + """
  mov eax, HC_MMU_UPDATE
  mov ebx, requests
  mov ecx, 3
  vmcall
  mov esi, eax
  mov ecx, [0x5000]
""", """
requests:
  .word 0x10014, 0x6003      ; remap page 5 to frame 6
  .word 0x10018, 0x7003
  .word 0x1001C, 0x40000003  ; a frame beyond the guest's RAM: refused
.org 0x5000
.word 55
.org 0x6000
.word 66
""")
    result, machine = run_under("paravirt", src)
    assert result.registers["esi"] == 0xFFFFFFFF, "the batch with a foreign frame is refused"
    assert any(r.id == "refusal.foreign-frame" for r in machine.refusals)
    assert result.registers["ecx"] == 66, "updates before the refused one were applied"
    assert not machine.violations


def _syscall_program(gate_flags: str, ret: str) -> str:
    return hc() + bare("""
  mov eax, HC_STACK_SWITCH
  mov ebx, 0x70000
  vmcall
  mov eax, syscall_entry
  mov [idt+0x80*8], eax
  mov eax, """ + gate_flags + """
  mov [idt+0x80*8+4], eax
  mov eax, HC_SET_TRAP_TABLE
  mov ebx, idt
  mov ecx, 256*8-1
  vmcall
""" + to_ring(3) + "", """
user_code:
  mov ecx, 5
again:
  int 0x80
  loop again
  mov eax, 99
  int 3
syscall_entry:
  add esp, 4
""" + ret)


TRAP_GATE_RING1 = "1 | (3 << 1) | (1 << 3) | (1 << 5)"   # present, DPL 3, ring 1, trap gate


def test_system_calls_reach_the_guest_kernel_without_the_vmm():
    """A ring-1 trap gate: int 0x80 enters the guest kernel with no VMM, and the kernel returns
    with a plain iret (ring 1 to ring 3: the CPU allows it) — no hypercall either way."""
    result, _ = run_under("paravirt", _syscall_program(TRAP_GATE_RING1, "  iret\n"))
    assert result.events["direct_syscalls"] == 5
    assert result.events["hypercalls"] == 2      # the set-up only: stack, trap table
    assert result.registers["edi"] == 13, "it ran to its last int 3 (a #GP from user mode)"


def test_an_interrupt_gate_is_not_entered_directly():
    """An interrupt gate would clear the real IF, which the VMM keeps on for itself: the VMM
    delivers through it instead (and the kernel may return by the iret hypercall)."""
    ret = "  push eax\n  mov eax, HC_IRET\n  vmcall\n"
    result, _ = run_under("paravirt", _syscall_program("1 | (3 << 1) | (1 << 3)", ret))
    assert result.events.get("direct_syscalls", 0) == 0
    assert result.events["hypercall.iret"] == 5 and result.events["reflected"] >= 5
