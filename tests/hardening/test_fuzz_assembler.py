"""Random and mutated assembly source (docs/security.md): the assembler either assembles it or
raises an AssemblyError naming a line and a column inside the text — never another exception, never
a hang, never memory out of proportion to the program."""

from __future__ import annotations

import time
import tracemalloc

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.hardening.conftest import fuzz
from virtquest.emu import asm
from virtquest.emu.asm import MAX_IF_NESTING, assemble
from virtquest.emu.errors import AssemblyError
from virtquest.emu.messages import EN
from virtquest.emu.resources import GUEST, PROGRAMS
from virtquest.emu.source import LIBRARY_PREFIX, library

FILE = "fuzz.s"
SHIPPED = [p.read_text(encoding="utf-8") for p in sorted(PROGRAMS.glob("*/*.s"))]
SHIPPED.append((GUEST / "minios.s").read_text(encoding="utf-8"))
SHIPPED.extend(library().values())
# Pieces the assembler gives meaning to, so random text reaches deep into it.
TOKENS = [
    "mov", "movb", "add", "imul", "div", "push", "pop", "jmp", "call", "ret", "loop", "int",
    "iret", "lidt", "in", "out", "vmcall", "eax", "ebx", "esp", "cr0", "cr3", "cr9", "cs", "[",
    "]", "(", ")", "+", "-", "*", "/", "%", "<<", ">>", "~", "==", "|", "&", "^", ",", ":", ";",
    " ", "\t", "\n", "\r\n", "\r", '"', "'", "\\", "\\x4", "'a'", "'\\n'", "0x", "0xFFFFFFFF",
    "4294967296", "18446744073709551616", "-1", "0", "7", "label", "main", "_start", ".equ",
    ".word", ".byte", ".ascii", ".asciz", ".zero", ".align", ".org", ".if", ".else", ".endif",
    ".include", '"console.s"', '"print.s"', "puts", "print_dec",
    "é", "한", "\u2028", "\x7f", "$", ".",
]


def check(source: str):
    """Assemble; any error must be an AssemblyError pointing inside `source`."""
    try:
        return assemble(source, file=FILE)
    except AssemblyError as err:
        if err.file != FILE:        # a mistake inside a file of the library the source included
            source = library()[err.file.removeprefix(LIBRARY_PREFIX)]
        lines = source.replace("\r\n", "\n").split("\n")
        assert 1 <= err.line <= len(lines), (err.line, len(lines), str(err))
        assert 1 <= err.column <= len(lines[err.line - 1]) + 1, (str(err), lines[err.line - 1])
        assert str(err).startswith(f"{FILE}:{err.line}:{err.column}: ")
        assert "\n" not in str(err), "an error is one line"
        assert err.detail.id in EN and err.message == err.detail.text()
        return None


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\0"), max_size=200))
@fuzz(5)
def test_random_text(source):
    check(source)


@given(st.lists(st.sampled_from(TOKENS), max_size=80).map("".join))
@fuzz(5)
def test_random_token_soup(source):
    check(source)


@st.composite
def mutated_shipped_source(draw) -> str:
    """A window of a shipped program (mini-OS included) with a few random edits."""
    lines = draw(st.sampled_from(SHIPPED)).split("\n")
    start = draw(st.integers(0, len(lines) - 1))
    text = list("\n".join(lines[start:start + draw(st.integers(1, 60))]))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "duplicate"]))
        if action == "insert":
            text[at:at] = draw(st.sampled_from(TOKENS))
        elif action == "delete":
            del text[at:at + draw(st.integers(1, 8))]
        elif action == "replace" and at < len(text):
            text[at] = draw(st.sampled_from(TOKENS))
        else:
            text[at:at] = text[max(0, at - 40):at]
    return "".join(text)


@given(mutated_shipped_source())
@fuzz(5)
def test_mutated_shipped_programs(source):
    check(source)


# --- inputs built to exhaust the assembler ---------------------------------------------------

HOSTILE = {
    # name: (source, line, words of the message)
    "deep parentheses": ("mov eax, " + "(" * 5000 + "1" + ")" * 5000, 1, "parentheses"),
    "long operator chain": ("mov eax, " + "+".join(["1"] * 20000), 1, "shorter expression"),
    "long unary chain": ("nop\n.equ X, " + "-~" * 10000 + "1", 2, "shorter expression"),
    "huge decimal number": ("mov eax, " + "9" * 5000, 1, "fits in 64 bits"),
    "huge hex number": ("nop\nnop\n.word 0x" + "f" * 5000, 3, "fits in 64 bits"),
    "deeply nested .if": (".if 1\n" * 20000 + "nop\n" + ".endif\n" * 20000, MAX_IF_NESTING + 1,
                          "nested .if"),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_source_is_an_assembly_error_quickly(name):
    source, line, words = HOSTILE[name]
    started = time.monotonic()
    with pytest.raises(AssemblyError) as caught:
        assemble(source, file=FILE)
    assert time.monotonic() - started < 3, "refused at once, not after a long climb"
    assert caught.value.line == line and words in caught.value.message, str(caught.value)[:200]
    check(source)


def test_many_zero_directives_stop_at_the_image_limit_in_bounded_memory(monkeypatch):
    """Each `.zero` line may ask for the whole image limit; the total is capped too, so a short
    file cannot make the assembler allocate gigabytes (here with a 1 MiB limit, to stay small)."""
    monkeypatch.setattr(asm, "MAX_IMAGE", 1 << 20)
    source = "\n".join([".zero 1048576"] * 40)
    tracemalloc.start()
    try:
        with pytest.raises(AssemblyError) as caught:
            assemble(source, file=FILE)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert caught.value.line == 2 and "within 1 MiB" in caught.value.message
    assert peak < 24 << 20, f"{peak:,} bytes for a 560-byte file"
