"""Reading VQ32 source for the code view: a line's instruction, its table row and class."""

from __future__ import annotations

import re
from dataclasses import dataclass

from virtquest.emu.isa import BY_MNEMONIC, REG_INDEX, IClass, Operand, Row, find_row

LABEL = re.compile(r"^\s*([A-Za-z_.$][\w.$]*)\s*:")
WORD = re.compile(r"[A-Za-z_.$][\w.$]*")
_CONTROL = re.compile(r"cr\d+\Z")


@dataclass(frozen=True)
class Statement:
    """The instruction on one line: where its mnemonic is and the table row it matches."""

    mnemonic: str
    start: int           # column (0-based) of the mnemonic
    row: Row | None
    iclass: str | None


def split_comment(text: str) -> tuple[str, int]:
    """The code part of a line and where its `;` comment starts (len(text) when none)."""
    quote = None
    for i, ch in enumerate(text):
        if quote:
            if ch == "\\":
                continue
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == ";":
            return text[:i], i
    return text, len(text)


def operand_kind(text: str) -> Operand:
    word = text.strip().lower()
    if word in REG_INDEX:
        return Operand.REG
    if _CONTROL.match(word):
        return Operand.CR
    if word == "cs":
        return Operand.CS
    if word.startswith("["):
        return Operand.MEM
    return Operand.IMM


def parse_statement(line: str) -> Statement | None:
    """The instruction on a source line, if any (labels, directives and comments skipped)."""
    code, _ = split_comment(line)
    label = LABEL.match(code)
    offset = label.end() if label else 0
    word = WORD.search(code, offset)
    if word is None or word.group(0).startswith("."):
        return None
    if code[offset:word.start()].strip():
        return None
    mnemonic = word.group(0).lower()
    if mnemonic not in BY_MNEMONIC:
        return Statement(mnemonic, word.start(), None, None)
    rest = code[word.end():].strip()
    kinds = tuple(operand_kind(op) for op in _split_operands(rest)) if rest else ()
    row = find_row(mnemonic, kinds)
    return Statement(mnemonic, word.start(), row, _class_of(mnemonic, row))


def _split_operands(text: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for ch in text:
        depth += ch == "["
        depth -= ch == "]"
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    return [*parts, current]


def _class_of(mnemonic: str, row: Row | None) -> str:
    if row is not None:
        return row.iclass.value
    classes = {r.iclass for r in BY_MNEMONIC[mnemonic]}
    return classes.pop().value if len(classes) == 1 else IClass.INNOCUOUS.value
