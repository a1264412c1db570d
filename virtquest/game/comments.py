"""A program's comments in the learner's language: the `;ko:` convention (docs/levels.md).

A shipped program is commented in English, and each comment carries its Korean:

- after a block of comment lines, the same block in Korean, each line starting `;ko:`;
- after a code line's comment, on the next line (usually at the same column), `;ko: …`; a comment
  continued on lines of its own at the same column belongs to it, and its Korean comes after all
  of them;
- or, on the same line, `; English ;ko: Korean`.

The assembler reads all of these as comments. The views show one language: the English
comments without their Korean, or the Korean ones in their place (`;ko:` shown as `;`), never
both and never the marker. Rows keep the number of the source line they come from, so slot
marks, the debugger's arrow and error lines still land on the right line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from virtquest.game.sandbox_syntax import split_comment

MARK = ";ko:"
_LETTER = re.compile("[A-Za-z]")


@dataclass(frozen=True)
class ShownSource:
    """What a code view shows: its text, and the source line each row comes from."""

    text: str
    line_numbers: list[int]

    def row_for(self, line: int) -> int | None:
        """The 1-based row that shows source line `line` (None when it is not shown)."""
        return self.line_numbers.index(line) + 1 if line in self.line_numbers else None


@dataclass(frozen=True)
class _Line:
    number: int
    text: str
    code: str            # the text before the comment
    comment: str         # from the `;` on ("" when none)

    @property
    def korean_only(self) -> bool:
        return not self.code.strip() and self.comment.startswith(MARK)

    @property
    def korean_alone(self) -> bool:
        """Code with a Korean comment and no English one."""
        return bool(self.code.strip()) and self.comment.startswith(MARK)

    @property
    def inline(self) -> bool:
        """`; English ;ko: Korean` on one line."""
        return not self.comment.startswith(MARK) and MARK in self.comment

    @property
    def english(self) -> bool:
        """A comment in English that waits for its Korean on the lines below."""
        return bool(self.comment) and not self.comment.startswith(MARK) and not self.inline

    @property
    def column(self) -> int:
        return len(self.code)


@dataclass(frozen=True)
class _Group:
    """English comment lines and the `;ko:` lines that give their Korean."""

    english: list[_Line]
    korean: list[_Line]


def _lines(source: str) -> list[_Line]:
    out = []
    for number, text in enumerate(source.replace("\r\n", "\n").split("\n"), start=1):
        code, start = split_comment(text)
        out.append(_Line(number, text, code, text[start:]))
    return out


def _groups(lines: list[_Line]) -> list[_Line | _Group]:
    """Lines with nothing to pair stay as they are; English comments and their Korean group."""
    items: list[_Line | _Group] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.english:
            items.append(line)
            i += 1
            continue
        english, i = [line], i + 1
        if line.code.strip():              # a code line: comment lines at its column go on it
            while i < len(lines) and lines[i].english and not lines[i].code.strip() \
                    and lines[i].column == line.column:
                english.append(lines[i])
                i += 1
        else:                              # a block: every comment line up to the next other
            while i < len(lines) and lines[i].english and not lines[i].code.strip():
                english.append(lines[i])
                i += 1
        korean = []
        while i < len(lines) and lines[i].korean_only:
            korean.append(lines[i])
            i += 1
        items.append(_Group(english, korean))
    return items


def _korean_text(line: _Line) -> str:
    """`;ko: text` → `; text` (what follows the marker, kept as written)."""
    return ";" + line.comment[len(MARK):]


def shown_source(source: str, language: str) -> ShownSource:
    """The source as a code view shows it in `language` ("ko" or "en")."""
    rows: list[tuple[str, int]] = []
    for item in _groups(_lines(source)):
        if isinstance(item, _Line):
            if item.korean_only:           # Korean with no English above: Korean view only
                if language == "ko":
                    rows.append((item.code + _korean_text(item), item.number))
            elif item.korean_alone:
                shown = _korean_text(item) if language == "ko" else ""
                rows.append(((item.code + shown).rstrip(), item.number))
            elif item.inline:
                english, korean = item.comment.split(MARK, 1)
                shown = english.rstrip() if language != "ko" else ";" + korean
                rows.append(((item.code + shown).rstrip(), item.number))
            else:
                rows.append((item.text, item.number))
            continue
        if language != "ko" or not item.korean:
            rows.extend((line.text, line.number) for line in item.english)
            continue
        first = item.english[0]
        korean = list(item.korean)
        if first.code.strip():             # the code line keeps its code and its column
            rows.append((first.code + _korean_text(korean.pop(0)), first.number))
            rows.extend((" " * first.column + _korean_text(k), k.number) for k in korean)
        else:
            rows.extend((k.code + _korean_text(k), k.number) for k in korean)
    return ShownSource("\n".join(text for text, _ in rows), [number for _, number in rows])


def untranslated(source: str) -> list[int]:
    """Lines whose English comment has no Korean (a comment with no letters needs none), and
    `;ko:` lines that follow no English comment."""
    missing = []
    for item in _groups(_lines(source)):
        if isinstance(item, _Group):
            if not item.korean and any(_LETTER.search(line.comment) for line in item.english):
                missing.extend(line.number for line in item.english)
        elif item.korean_only or item.korean_alone:
            missing.append(item.number)
    return missing


def translations(source: str) -> list[tuple[int, str, str]]:
    """(line, English, Korean) for every comment that has both: the English lines and the Korean
    lines of a group each joined with newlines, markers and `;` left out."""
    out = []
    for item in _groups(_lines(source)):
        if isinstance(item, _Group) and item.korean:
            english = "\n".join(line.comment[1:].strip() for line in item.english)
            korean = "\n".join(line.comment[len(MARK):].strip() for line in item.korean)
            out.append((item.english[0].number, english, korean))
        elif isinstance(item, _Line) and item.inline:
            english, korean = item.comment[1:].split(MARK, 1)
            out.append((item.number, english.strip(), korean.strip()))
    return out
