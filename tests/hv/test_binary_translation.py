"""Binary translation: the x86 holes are closed in kernel code; costs come from translation."""

from tests.emu.harness import bare, run_machine, run_under, to_ring
from tests.emu.instruction_semantics import PAGING_ON, InstructionSemantics
from virtquest.emu.isa import IF


class TestBinaryTranslationInstructions(InstructionSemantics):
    hypercalls_accepted = True   # a modified guest may call the VMM (docs/curriculum.md: Guest)
    def run(self, source):
        return run_under("binary-translation", source)[0]

    def test_sensitive_instructions_reveal_real_state_at_any_ring(self):
        result = self.run(bare(to_ring(3), "user_code:\n  sidt [0x50000]\n  mov ecx, [0x50000]\n"
                                           "  int 0x80"))
        assert result.registers["ecx"] == 0, "user code runs untranslated: sidt still leaks"


def test_popf_is_translated_so_equivalence_holds():
    src = bare("sti\n  push 0x2\n  popf\n  pushf\n  pop ebx\n  mov eax, cs")
    native, _ = run_machine(src)
    result, machine = run_under("binary-translation", src)
    assert not result.registers["ebx"] & IF and result.exit_code == native.exit_code == 0x08
    assert machine.divergences == []
    assert result.events["inline"] >= 3


def test_translation_is_paid_once_then_the_cache_hits():
    loop = "mov ecx, {n}\nagain:\n  add eax, 1\n  loop again"
    one, _ = run_under("binary-translation", bare(loop.format(n=2)))
    many, _ = run_under("binary-translation", bare(loop.format(n=200)))
    assert many.breakdown["translation"] == one.breakdown["translation"]
    assert many.events["tc_hits"] >= 198


def test_ret_pays_a_translation_cache_lookup():
    src = bare("mov ecx, 50\nagain:\n  call f\n  loop again", "f:\n  ret")
    result, _ = run_under("binary-translation", src)
    assert result.events["tc_lookups"] == 50


def test_writing_translated_code_invalidates_it():
    src = bare("""
  mov ecx, 2
again:
  call patched
  mov ebx, [replacement]
  mov [patched], ebx
  mov ebx, [replacement+4]
  mov [patched+4], ebx
  loop again
""", "patched: mov eax, 1\n  ret\nreplacement: mov eax, 2\n")
    result, _ = run_under("binary-translation", src)
    assert result.exit_code == 2 and result.events["tc_invalidations"] >= 1


def test_repeated_page_table_writes_become_callouts():
    body = PAGING_ON + """
  mov ecx, 10
again:
  mov eax, 0x6003
  mov [0x10014], eax
  invlpg [0x5000]
  mov edx, [0x5000]
  loop again
"""
    src = bare(body, ".org 0x5000\n.word 55\n.org 0x6000\n.word 66")
    result, _ = run_under("binary-translation", src)
    trap_result, _ = run_under("trap-emulate", src)
    assert result.registers["edx"] == 66
    assert result.events["adaptive_retranslations"] == 1
    assert result.events["traced_pt_writes"] == trap_result.events["traced_pt_writes"] == 10
