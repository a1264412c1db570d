"""The VQ32 disassembler: a linear sweep that reads the same instruction table as the assembler.

Eight bytes that decode canonically become an instruction; anything else becomes `.byte` data, so
the text always reassembles (at the same origin) to exactly the same image.
"""

from __future__ import annotations

from dataclasses import dataclass

from virtquest.emu.encoding import Instruction, decode
from virtquest.emu.isa import INSTRUCTION_SIZE


@dataclass(frozen=True)
class Line:
    """One line of a listing: an instruction, or one byte of data."""

    address: int
    raw: bytes
    instruction: Instruction | None

    def text(self, labels: dict[int, str] | None = None) -> str:
        if self.instruction is None:
            return f".byte {self.raw[0]:#04x}"
        return self.instruction.text(labels)


def disassemble(image: bytes, origin: int = 0, code: set[int] | None = None) -> list[Line]:
    """Decode `image` loaded at `origin`. With `code` (known instruction addresses, e.g. from the
    assembler) only those are decoded as instructions; otherwise every canonical slot is."""
    lines, off = [], 0
    while off < len(image):
        addr = origin + off
        chunk = image[off:off + INSTRUCTION_SIZE]
        ins = decode(chunk) if code is None or addr in code else None
        if ins is not None:
            lines.append(Line(addr, bytes(chunk), ins))
            off += INSTRUCTION_SIZE
        else:
            lines.append(Line(addr, bytes(image[off:off + 1]), None))
            off += 1
    return lines


def to_source(image: bytes, origin: int = 0) -> str:
    """Assembly text that reassembles, at `origin`, to exactly `image`."""
    return "\n".join(line.text() for line in disassemble(image, origin)) + "\n"
