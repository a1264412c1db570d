"""Per-instruction semantics, written once (py65's mixin habit).

A test module subclasses `InstructionSemantics` and supplies `run(source)`; the native machine does
so in test_instructions.py, and each virtualization mode can do the same: every innocuous and
privileged instruction must give the same guest-visible result under every mode.
"""

from __future__ import annotations

from tests.emu.harness import bare, to_ring
from virtquest.emu.isa import CF, IF, OF, SF, VEC_DE, VEC_GP, VEC_PF, VEC_UD, ZF

M32 = 0xFFFFFFFF


def flags_of(body: str) -> str:
    """Body, then the flags into eax (pushf; pop eax)."""
    return body + "\n  pushf\n  pop eax"


class InstructionSemantics:
    """Subclasses provide run(source) -> RunResult for a bare-metal `_start` program."""

    def run(self, source: str):  # pragma: no cover - provided by subclasses
        raise NotImplementedError

    def regs(self, body: str, data: str = "") -> dict[str, int]:
        result = self.run(bare(body, data))
        assert result.stop == "halted", result.message
        return result.registers

    def flags(self, body: str) -> int:
        return self.regs(flags_of(body))["eax"]

    # -- data movement ---------------------------------------------------------------------
    def test_mov_forms(self):
        r = self.regs("""
  mov eax, 0x12345678
  mov ebx, eax
  mov [cell], ebx
  mov ecx, [cell]
  mov esi, cell
  mov edx, [esi+4]
  mov edi, [esi-4]
""", "before: .word 7\ncell: .word 0\nafter: .word 99")
        assert (r["eax"], r["ebx"], r["ecx"], r["edx"], r["edi"]) == (
            0x12345678, 0x12345678, 0x12345678, 99, 7)

    def test_movb_zero_extends_and_stores_low_byte(self):
        r = self.regs("""
  mov eax, 0xFFFFFF41
  movb [buf+1], eax
  mov ebx, [buf]
  movb ecx, [buf+1]
""", "buf: .word 0x80808080")
        assert r["ebx"] == 0x80804180
        assert r["ecx"] == 0x41

    def test_push_pop_and_stack_pointer(self):
        r = self.regs("""
  mov ebx, esp
  push 5
  push ebx
  pop ecx
  pop edx
  sub ebx, esp
""")
        assert (r["ecx"], r["edx"], r["ebx"]) == (0x80000, 5, 0)

    # -- arithmetic and flags --------------------------------------------------------------
    def test_add_sets_carry_zero_and_overflow(self):
        f = self.flags("mov ebx, 0xFFFFFFFF\n  add ebx, 1")
        assert f & CF and f & ZF and not f & OF and not f & SF
        f = self.flags("mov ebx, 0x7FFFFFFF\n  add ebx, 1")
        assert f & OF and f & SF and not f & CF

    def test_sub_and_cmp_flags(self):
        f = self.flags("mov ebx, 1\n  cmp ebx, 2")
        assert f & CF and f & SF and not f & ZF
        r = self.regs("mov ebx, 10\n  sub ebx, 3\n  mov ecx, 4\n  cmp ecx, 4")
        assert r["ebx"] == 7 and r["ecx"] == 4
        f = self.flags("mov ebx, 0x80000000\n  sub ebx, 1")
        assert f & OF and not f & CF

    def test_logic_clears_carry_and_overflow(self):
        r = self.regs("mov eax, 0xF0F0\n  and eax, 0xFF00\n  mov ebx, 1\n  or ebx, 6\n"
                      "  mov ecx, 5\n  xor ecx, 5")
        assert (r["eax"], r["ebx"], r["ecx"]) == (0xF000, 7, 0)
        f = self.flags("mov ebx, 0xFFFFFFFF\n  add ebx, 1\n  test ebx, ebx")
        assert f & ZF and not f & CF

    def test_alu_with_memory_source(self):
        r = self.regs("mov eax, 10\n  add eax, [k]\n  mov ebx, 50\n  sub ebx, [k]",
                      "k: .word 7")
        assert (r["eax"], r["ebx"]) == (17, 43)

    def test_imul_signed_and_overflow(self):
        r = self.regs("mov eax, -6\n  imul eax, 7\n  mov ebx, 3\n  mov ecx, 5\n  imul ebx, ecx")
        assert r["eax"] == (-42) & M32 and r["ebx"] == 15
        f = self.flags("mov ebx, 0x10000\n  imul ebx, 0x10000")
        assert f & CF and f & OF

    def test_div_quotient_and_remainder(self):
        r = self.regs("mov eax, 100\n  mov ebx, 7\n  div ebx")
        assert (r["eax"], r["edx"]) == (14, 2)

    def test_div_by_zero_raises_de_at_the_instruction(self):
        r = self.regs("mov eax, 1\n  mov ebx, 0\nboom:\n  div ebx", "")
        assert r["edi"] == VEC_DE

    def test_inc_dec_neg_not(self):
        r = self.regs("mov eax, 0xFFFFFFFF\n  inc eax\n  mov ebx, 0\n  dec ebx\n"
                      "  mov ecx, 5\n  neg ecx\n  mov edx, 0x0F0F0F0F\n  not edx")
        assert (r["eax"], r["ebx"], r["ecx"], r["edx"]) == (0, M32, (-5) & M32, 0xF0F0F0F0)
        f = self.flags("mov ebx, 0xFFFFFFFF\n  add ebx, 1\n  inc ebx")
        assert f & CF, "inc leaves CF alone"

    def test_shifts_and_carry_out(self):
        r = self.regs("mov eax, 0x80000001\n  shl eax, 1\n  mov ebx, 0x10\n  shr ebx, 4")
        assert (r["eax"], r["ebx"]) == (2, 1)
        assert self.flags("mov ebx, 0x80000000\n  shl ebx, 1") & CF
        assert self.flags("mov ebx, 3\n  shr ebx, 1") & CF

    # -- control flow ----------------------------------------------------------------------
    def test_conditional_jumps(self):
        cases = [("je", 5, 5, True), ("jne", 5, 5, False), ("jl", -1, 1, True),
                 ("jg", -1, 1, False), ("jle", 3, 3, True), ("jge", 2, 3, False),
                 ("jb", 1, 0xFFFFFFFF, True), ("jae", 1, 0xFFFFFFFF, False),
                 ("jz", 0, 0, True), ("jnz", 0, 0, False)]
        body = ["  mov esi, 0"]
        for n, (jcc, a, b, _taken) in enumerate(cases):
            body += [f"  mov eax, {a}", f"  mov ebx, {b}", "  cmp eax, ebx",
                     f"  {jcc} taken_{n}", f"  jmp next_{n}", f"taken_{n}:", f"  or esi, {1 << n}",
                     f"next_{n}:"]
        r = self.regs("\n".join(body))
        expected = sum(1 << n for n, c in enumerate(cases) if c[3])
        assert r["esi"] == expected

    def test_call_ret_and_indirect_jumps(self):
        r = self.regs("""
  mov eax, 0
  call add_one
  mov ebx, add_one
  call ebx
  mov ecx, after
  jmp ecx
  mov eax, 100
after:
""", "add_one:\n  inc eax\n  ret")
        assert r["eax"] == 2

    def test_loop_counts_down_ecx(self):
        r = self.regs("mov ecx, 10\n  mov eax, 0\nagain:\n  add eax, 2\n  loop again")
        assert (r["eax"], r["ecx"]) == (20, 0)

    def test_int_goes_through_the_idt_with_return_address(self):
        r = self.regs("mov eax, 7\nhere:\n  int 0x80")
        assert r["edi"] == 0x80 and r["ebp"] == self._addr_after("here")

    def _addr_after(self, label: str) -> int:
        # every instruction is 8 bytes; `here:` labels the int, the return is the next one
        from virtquest.emu.asm import assemble
        program = assemble(bare("mov eax, 7\nhere:\n  int 0x80"))
        return program.symbols[label] + 8

    def test_invalid_opcode_is_ud(self):
        r = self.regs("jmp junk", "junk: .word 0xFFFFFFFF, 0")
        assert r["edi"] == VEC_UD

    # -- privilege -------------------------------------------------------------------------
    def test_privileged_instruction_at_ring3_raises_gp(self):
        for ins in ("cli", "sti", "hlt", "in eax, 0x80", "out 0xE9, eax", "mov cr3, eax",
                    "mov eax, cr0", "lidt [0]", "invlpg [0]", "iret", "rdmsr", "wrmsr"):
            r = self.run(bare(to_ring(3), f"user_code:\nhere:\n  {ins}\n  mov eax, 1\n  jmp here"))
            assert r.registers["edi"] == VEC_GP, ins
            assert r.registers["edx"] & 3 == 3, f"{ins}: the frame's cs shows ring 3"

    def test_int_gate_dpl_refuses_user_callers(self):
        r = self.run(bare(to_ring(3), "user_code:\n  int 13"))
        assert r.registers["edi"] == VEC_GP and r.registers["esi"] == 13 * 8 + 2

    def test_trap_from_user_switches_to_kernel_stack(self):
        r = self.run(bare(to_ring(3), "user_code:\n  int 0x80"))
        assert r.registers["esp"] == 0x70000 - 20

    def test_popf_at_ring3_silently_keeps_if(self):
        r = self.run(bare(to_ring(3, eflags=0x202), """user_code:
  pushf
  pop eax
  and eax, 0xFFFFFDFF
  push eax
  popf
  pushf
  pop ebx
  int 0x80"""))
        assert r.registers["ebx"] & IF, "IF stayed on: popf ignored the change at CPL 3"

    def test_popf_at_ring0_changes_if(self):
        r = self.regs("sti\n  push 0x2\n  popf\n  pushf\n  pop ebx")
        assert not r["ebx"] & IF

    def test_sensitive_instructions_reveal_real_state_at_any_ring(self):
        r = self.run(bare(to_ring(3) + "", """user_code:
  mov eax, cs
  smsw ebx
  sidt [0x50000]
  mov ecx, [0x50000]
  int 0x80"""))
        regs = r.registers
        assert regs["eax"] & 3 == 3 and regs["eax"] == 0x23
        assert regs["ecx"] != 0, "sidt shows the real IDT base to ring 3"

    def test_sgdt_after_lgdt(self):
        r = self.regs("lgdt [table]\n  sgdt [copy]\n  mov eax, [copy]\n  mov ebx, [copy+4]",
                      "table: .word 0x1234, 0x27\ncopy: .word 0, 0")
        assert (r["eax"], r["ebx"]) == (0x1234, 0x27)

    def test_msr_kernel_stack_round_trip_and_unknown_msr(self):
        r = self.regs("mov ecx, 0x175\n  mov eax, 0x6000\n  mov edx, 0\n  wrmsr\n"
                      "  mov eax, 0\n  rdmsr\n  mov ebx, eax")
        assert r["ebx"] == 0x6000
        assert self.regs("mov ecx, 0x999\n  rdmsr")["edi"] == VEC_GP

    def test_cpuid_and_rdtsc(self):
        r = self.regs("mov eax, 1\n  cpuid\n  mov esi, ecx\n  rdtsc\n  mov ebx, eax\n  rdtsc\n"
                      "  sub eax, ebx")
        assert r["eax"] > 0, "the cycle counter advances"
        assert self.native_hypervisor_bit(r["esi"])

    def native_hypervisor_bit(self, ecx: int) -> bool:
        return ecx >> 31 == 0

    hypercalls_accepted = False   # a VMM with a hypercall interface answers vmcall

    def test_vmcall_without_hypervisor_is_ud(self):
        r = self.regs("mov eax, 12345\n  vmcall\n  mov ebx, eax")
        if self.hypercalls_accepted:
            assert r["ebx"] == 0xFFFFFFFF, "an unknown hypercall is refused with -1"
        else:
            assert r["edi"] == VEC_UD

    def test_control_registers(self):
        r = self.regs("mov eax, 0x3000\n  mov cr3, eax\n  mov ebx, cr3\n  mov eax, 5\n"
                      "  mov cr8, eax\n  mov ecx, cr8")
        assert (r["ebx"], r["ecx"]) == (0x3000, 5)

    def test_iret_cannot_raise_privilege(self):
        r = self.run(bare(to_ring(3), "user_code:\n  int 0x80"))
        assert r.registers["edx"] == 0x23

    def test_page_fault_reports_address_and_error(self):
        r = self.run(bare(PAGING_ON + "  mov eax, [0x00800010]\n", PAGING_DATA))
        assert r.registers["edi"] == VEC_PF
        assert r.registers["esi"] & 1 == 0, "not present"


# Identity-map the first 4 MiB (supervisor, writable) and turn paging on.
PAGING_ON = """
  mov ebx, 0x10000
  mov ecx, 0
map_loop:
  mov eax, ecx
  shl eax, 12
  or eax, 3
  mov [ebx], eax
  add ebx, 4
  inc ecx
  cmp ecx, 1024
  jne map_loop
  mov eax, 0x10003
  mov [0x20000], eax
  mov eax, 0x20000
  mov cr3, eax
  mov eax, 0x80000001
  mov cr0, eax
"""
PAGING_DATA = ""
