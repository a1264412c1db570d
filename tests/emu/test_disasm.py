"""Disassembly: the text reassembles to exactly the same image, for programs and random bytes."""

from hypothesis import given, settings
from hypothesis import strategies as st

from virtquest.emu.asm import assemble
from virtquest.emu.disasm import disassemble, to_source
from virtquest.emu.encoding import Instruction, decode, encode
from virtquest.emu.isa import CONTROL_REGISTERS, NO_BASE, ROWS, Operand
from virtquest.emu.resources import ASSETS


@st.composite
def instructions(draw):
    row = draw(st.sampled_from(ROWS))
    regs = []
    for kind in row.operands:
        if kind is Operand.REG:
            regs.append(draw(st.integers(0, 7)))
        elif kind is Operand.CR:
            regs.append(draw(st.sampled_from(CONTROL_REGISTERS)))
    regs += [0, 0]
    has_mem = Operand.MEM in row.operands
    base = draw(st.sampled_from([*range(8), NO_BASE])) if has_mem else 0
    wants_imm = has_mem or any(k in (Operand.IMM, Operand.LABEL) for k in row.operands)
    imm = draw(st.integers(0, 0xFFFFFFFF)) if wants_imm else 0
    return Instruction(row, regs[0], regs[1], base, imm)


@given(st.lists(instructions(), max_size=40), st.integers(0, 0x7FFFF000))
@settings(max_examples=150, deadline=None)
def test_random_programs_round_trip(program, origin):
    image = b"".join(encode(i) for i in program)
    assert assemble(to_source(image, origin), origin=origin).image == image


@given(st.binary(max_size=200))
@settings(max_examples=150, deadline=None)
def test_random_bytes_round_trip(blob):
    assert assemble(to_source(blob, 0x1000), origin=0x1000).image == blob


@given(instructions())
def test_every_instruction_text_reassembles_to_itself(ins):
    text = ins.text()
    assert decode(assemble(text).image) == ins


def test_shipped_programs_round_trip():
    sources = sorted(ASSETS.glob("**/*.s"))
    assert len(sources) >= 15
    for path in sources:
        text = path.read_text(encoding="utf-8")
        origin = 0 if "_start:" in text or path.parent.name == "guest" else 0x400000
        for defines in ({}, {"PV": 1}):
            program = assemble(text, file=str(path), origin=origin, defines=defines)
            again = assemble(to_source(program.image, origin), origin=origin)
            assert again.image == program.image, path


def test_listing_uses_known_code_addresses():
    program = assemble('jmp go\nmsg: .ascii "hi"\n.align 8\ngo: nop')
    lines = disassemble(program.image, 0, set(program.code))
    kinds = [line.instruction.mnemonic if line.instruction else "data" for line in lines]
    assert kinds[0] == "jmp" and kinds[-1] == "nop" and "data" in kinds
