"""Encoding and decoding of one VQ32 instruction (8 bytes; layout in isa.py's docstring).

Only the canonical encoding decodes: unused fields must be zero, so every decodable 8 bytes has
exactly one assembly text and the disassembler's output reassembles to the same image.
"""

from __future__ import annotations

from dataclasses import dataclass

from virtquest.emu.isa import (
    CONTROL_REGISTERS,
    INSTRUCTION_SIZE,
    M32,
    NO_BASE,
    REGISTERS,
    ROWS,
    Operand,
    Row,
)

_REGISTER_KINDS = (Operand.REG, Operand.CR)
_IMM_KINDS = (Operand.IMM, Operand.LABEL, Operand.MEM)


@dataclass(frozen=True, slots=True)
class Instruction:
    """A decoded instruction: its row, register fields, memory base and 32-bit immediate."""

    row: Row
    a: int = 0       # first register operand (or control register number)
    b: int = 0       # second register operand
    base: int = 0    # memory base register, NO_BASE for absolute; 0 when there is no memory operand
    imm: int = 0     # immediate, displacement, branch target or port (unsigned 32-bit)

    @property
    def mnemonic(self) -> str:
        return self.row.mnemonic

    def text(self, symbols: dict[int, str] | None = None) -> str:
        """Assembly text; branch targets use a label from `symbols` when there is one."""
        regs = iter((self.a, self.b))
        parts = []
        for kind in self.row.operands:
            parts.append(_operand_text(kind, regs, self, symbols))
        return f"{self.row.mnemonic} {', '.join(parts)}".strip()


def _operand_text(kind: Operand, regs, ins: Instruction, symbols) -> str:
    if kind is Operand.REG:
        return REGISTERS[next(regs)]
    if kind is Operand.CR:
        return f"cr{next(regs)}"
    if kind is Operand.CS:
        return "cs"
    if kind is Operand.CL:
        return "cl"
    if kind is Operand.LABEL and symbols and ins.imm in symbols:
        return symbols[ins.imm]
    if kind in (Operand.IMM, Operand.LABEL):
        return hex(ins.imm) if ins.imm > 9 else str(ins.imm)
    return memory_text(ins.base, ins.imm)


def memory_text(base: int, disp: int) -> str:
    if base == NO_BASE:
        return f"[{disp:#x}]"
    signed = disp - (1 << 32) if disp & 0x80000000 else disp
    if signed == 0:
        return f"[{REGISTERS[base]}]"
    sign = "-" if signed < 0 else "+"
    return f"[{REGISTERS[base]}{sign}{abs(signed):#x}]"


def encode(ins: Instruction) -> bytes:
    """The 8 canonical bytes of an instruction."""
    return bytes((ins.row.opcode, (ins.a & 0xF) | ((ins.b & 0xF) << 4), ins.base, 0)) + (
        ins.imm & M32
    ).to_bytes(4, "little")


def decode(raw: bytes | bytearray | memoryview) -> Instruction | None:
    """The instruction these 8 bytes encode, or None when they are not a canonical encoding."""
    if len(raw) < INSTRUCTION_SIZE or raw[0] >= len(ROWS) or raw[3] != 0:
        return None
    row = ROWS[raw[0]]
    fields = [raw[1] & 0xF, raw[1] >> 4]
    used = [k for k in row.operands if k in _REGISTER_KINDS]
    for i, kind in enumerate(used):
        limit_ok = fields[i] in CONTROL_REGISTERS if kind is Operand.CR else fields[i] < len(REGISTERS)
        if not limit_ok:
            return None
    if any(fields[i] for i in range(len(used), 2)):
        return None
    imm = int.from_bytes(raw[4:8], "little")
    has_mem = Operand.MEM in row.operands
    if has_mem and not (raw[2] < len(REGISTERS) or raw[2] == NO_BASE):
        return None
    if not has_mem and raw[2] != 0:
        return None
    if imm and not any(k in _IMM_KINDS for k in row.operands):
        return None
    return Instruction(row, fields[0], fields[1], raw[2], imm)
