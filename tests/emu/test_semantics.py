"""The instruction definitions: what the machine derives from them, and what it refuses."""

import pytest

from tests.emu.harness import bare, run_bare, run_machine
from virtquest.emu import codegen, isa
from virtquest.emu.isa import ARITH, CF, OF, SF, ZF, IClass, Operand, Row
from virtquest.emu.lowering import DEFINITIONS, check_precise, definition
from virtquest.emu.pytext import DefinitionError


def row(syntax: str) -> Row:
    return next(r for r in isa.ROWS if r.syntax == syntax)


def test_every_row_has_a_definition_the_machine_can_use():
    assert len(DEFINITIONS) == len(isa.ROWS)
    handlers = codegen.step_handlers()
    assert len(handlers) == len(isa.ROWS) and all(callable(h) for h in handlers)


def test_only_innocuous_forms_without_cpu_services_are_compiled():
    for d in DEFINITIONS:
        if d.compilable:
            assert d.row.iclass is IClass.INNOCUOUS and not d.services, d.row.syntax
    assert not definition(row("int imm")).compilable          # a CPU service
    assert not definition(row("iret")).compilable             # sensitive, and a service
    assert definition(row("adc r, [m]")).compilable


def test_control_flow_and_block_ends_come_from_the_definitions():
    enders = {d.row.syntax for d in DEFINITIONS if d.ends_block}
    assert {"jmp label", "call r", "ret", "loop label", "jo label", "iret", "hlt",
            "int imm"} <= enders
    assert not {"add r, r", "cli", "out imm, r", "pushf"} & enders
    assert definition(row("ret")).flow.kind == "return"
    assert definition(row("call label")).flow.kind == "call"


@pytest.mark.parametrize(("syntax", "written", "reads"), [
    ("add r, r", ARITH, False), ("adc r, imm", ARITH, True), ("inc r", ZF | SF | OF, False),
    ("mov r, [m]", 0, False), ("jl label", 0, True), ("rol r, imm", CF | OF, False),
])
def test_which_flags_a_form_writes_and_reads(syntax, written, reads):
    form = row(syntax)
    ins = codegen.instruction_code.__wrapped__(_instruction(form, imm=3), 0x1000)
    assert ins.flags_written == written
    assert ins.reads_flags is reads


def test_a_shift_by_a_constant_needs_no_test_of_its_count():
    shl = row("shl r, imm")
    by_five = codegen.instruction_code.__wrapped__(_instruction(shl, imm=5), 0)
    by_zero = codegen.instruction_code.__wrapped__(_instruction(shl, imm=32), 0)
    assert by_five.flags_written == ARITH and "if " not in str(by_five.parts)
    assert by_zero.parts == [] and by_zero.flags_written == 0     # a count of 0 changes nothing
    by_cl = codegen.instruction_code.__wrapped__(_instruction(row("shl r, cl")), 0)
    assert by_cl.flags_written == 0 and by_cl.flags_touched == ARITH and by_cl.reads_flags


def test_a_definition_that_writes_before_it_can_fault_is_refused():
    bad = Row(250, "bad", (Operand.REG, Operand.MEM), IClass.INNOCUOUS, "alu", "", "",
              "a = a + 1 & M\nt = load32(ea)")
    with pytest.raises(DefinitionError, match="before it can fault"):
        check_precise(definition(bad))


@pytest.mark.parametrize(("text", "words"), [
    ("a = cpu.reboot()", "no service 'reboot'"),
    ("a = t + 1", "'t' is read before it is set"),
    ("ea = 5", "cannot be assigned"),
    ("import os", "not in the definition language"),
])
def test_definitions_outside_the_language_are_refused(text, words):
    bad = Row(251, "bad", (Operand.REG, Operand.MEM), IClass.INNOCUOUS, "alu", "", "", text)
    with pytest.raises(DefinitionError, match=words):
        definition(bad)


def test_the_interpreters_handler_is_the_definition_written_out():
    source = codegen.step_source(row("sbb r, [m]"))
    assert "v_mb = cpu.read32(v_ea)" in source and "cpu.eflags & CF" in source
    assert "NOT_ARITH" in source and "0x800" not in source     # named constants


def test_new_x86_forms_run(tmp_path):
    r = run_bare("""
  mov eax, 0xFFFFFFFF
  mov ebx, 1
  add eax, ebx
  adc ecx, 0
  mov edx, 0x80000000
  sar edx, 4
  mov esi, 0x12345678
  mov ecx, 8
  rol esi, cl
  lea edi, [esi+16]
  xchg ebx, edi
""")
    regs = r.registers
    assert regs["ecx"] == 8 and regs["edx"] == 0xF8000000 and regs["esi"] == 0x34567812
    assert regs["ebx"] == 0x34567822 and regs["edi"] == 1


@pytest.mark.parametrize(("body", "eax", "edx"), [
    ("mov eax, 10\n  mov edx, 1\n  mov ebx, 3\n  div ebx", 0x55555558, 2),   # edx:eax / 3
    ("mov eax, -7\n  cdq\n  mov ebx, 2\n  idiv ebx", (-3) & 0xFFFFFFFF, (-1) & 0xFFFFFFFF),
    ("mov eax, 0x10000\n  mov ebx, 0x10000\n  mul ebx", 0, 1),
])
def test_wide_multiply_and_divide_use_edx_eax_as_x86(body, eax, edx):
    regs = run_bare(body).registers
    assert (regs["eax"], regs["edx"]) == (eax, edx)


def test_a_quotient_that_does_not_fit_is_a_divide_error():
    result, _ = run_machine(bare("mov eax, 0\n  mov edx, 5\n  mov ebx, 2\nboom:\n  div ebx"))
    assert result.registers["edi"] == 0          # the test IDT reports #DE


def _instruction(form: Row, imm: int = 0):
    from virtquest.emu.encoding import Instruction
    return Instruction(form, 3, 1, 0 if Operand.MEM in form.operands else 0, imm)
