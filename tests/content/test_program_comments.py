"""The programs the lab and the sandbox show carry every comment in Korean too (the `;ko:`
convention, docs/levels.md): an English comment without its Korean fails here."""

from __future__ import annotations

import re

import pytest

from virtquest.content.level_loader import load_levels
from virtquest.emu.resources import PROGRAMS
from virtquest.game.comments import shown_source, translations, untranslated

HANGUL = re.compile("[가-힣]")
LEVELS = load_levels().levels
EXAMPLES = sorted((PROGRAMS / "examples").glob("*.s"))


def shown_programs() -> dict[str, str]:
    """Every program a learner reads in the app: each level's, and the sandbox's examples."""
    programs = {level.program_file: level.source for level in LEVELS}
    programs.update({f"examples/{p.name}": p.read_text(encoding="utf-8") for p in EXAMPLES})
    return programs


PROGRAMS_SHOWN = shown_programs()


def test_the_levels_and_the_examples_are_all_checked():
    assert len(PROGRAMS_SHOWN) >= 20 and len(EXAMPLES) >= 8
    assert any(name.endswith("ch3_popf.s") for name in PROGRAMS_SHOWN)


@pytest.mark.parametrize("name", sorted(PROGRAMS_SHOWN))
def test_every_comment_has_its_korean(name):
    source = PROGRAMS_SHOWN[name]
    lines = source.split("\n")
    missing = [f"{name}:{n}: {lines[n - 1].strip()}" for n in untranslated(source)]
    assert not missing, "comments without a ;ko: line (docs/levels.md):\n" + "\n".join(missing)


@pytest.mark.parametrize("name", sorted(PROGRAMS_SHOWN))
def test_the_korean_is_korean_and_the_english_is_english(name):
    pairs = translations(PROGRAMS_SHOWN[name])
    assert pairs
    for line, english, korean in pairs:
        assert HANGUL.search(korean) or korean == english, f"{name}:{line}: {korean!r}"
        assert not HANGUL.search(english), f"{name}:{line}: Korean in the English comment"
    english_view = shown_source(PROGRAMS_SHOWN[name], "en").text
    assert not HANGUL.search(english_view), f"{name}: Korean shows in the English view"
