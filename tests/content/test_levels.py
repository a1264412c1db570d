"""Level files: the shipped ones load; a broken file gives ContentErrors naming file, line and
field, and never stops the other files from loading."""

from __future__ import annotations

from pathlib import Path

import pytest

from virtquest.content.level_loader import level_schema, load_levels
from virtquest.content.levels import DEFAULT_LEVEL_DIR, Level
from virtquest.hv.registry import mode_ids

GOOD = """\
schema_version: 1
id: ch1-test-level
chapter: 1
order: 1
title: {ko: 시험 레벨, en: A test level}
brief: {ko: 짧은 설명입니다., en: A short brief.}
explain: {ko: 설명입니다., en: An explanation.}
program: |
  _start:
      mov ecx, 5
  again:
  hot:
      add eax, ecx
      loop again
  print:
      out 0xE9, eax
      hlt
slots:
  - label: hot
    concept: efficiency
  - label: print
    concept: privileged-instruction
modes: [trap-emulate]
goal:
  stars: [2.0, 10.0, 1000.0]
"""


def write(tmp_path: Path, text: str, name: str = "level.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_shipped_level_loads_without_problems():
    levels = load_levels()
    assert not levels.errors, "\n".join(map(str, levels.errors))
    assert len(levels) >= 24
    assert {lv.chapter for lv in levels.levels} == set(range(1, 13))
    for level in levels.levels:
        assert level.id.startswith(f"ch{level.chapter}-")


def test_a_good_inline_level_loads(tmp_path):
    levels = load_levels(paths=[write(tmp_path, GOOD)])
    assert not levels.errors and levels.ids() == ["ch1-test-level"]
    assert levels.get("ch1-test-level").slot_labels == ["hot", "print"]


MUTATIONS = {   # name: (file text, text on the line expected, field, words of the message)
    "missing field": (GOOD.replace("order: 1\n", ""), "schema_version", "order", "required"),
    "wrong type": (GOOD.replace("order: 1", "order: first"), "order: first", "order",
                   "integer"),
    "unknown slot": (GOOD.replace("label: hot", "label: hott"), "label: hott",
                     "slots[0].label", "did you mean 'hot'"),
    "unknown field": (GOOD.replace("order: 1", "order: 1\ncolour: blue"), "colour", "colour",
                      "unknown field"),
    "bad mode": (GOOD.replace("[trap-emulate]", "[trap-emulation]"), "modes:", "modes[0]",
                 "expected"),
    "unknown profile": (GOOD + "hardware: {profile: modrn}\n", "hardware:",
                        "hardware.profile", "did you mean 'modern'"),
    "unknown quiz": (GOOD + "quizzes: [no-such-question]\n", "quizzes:", "quizzes[0]",
                     "no quiz question"),
    "thresholds out of order": (GOOD.replace("[2.0, 10.0, 1000.0]", "[10.0, 2.0, 1000.0]"),
                                "stars:", "goal.stars", "three <= two <= one"),
    "ept the profile lacks": (GOOD + "hardware: {profile: p4-2006, ept: true}\n", "hardware:",
                              "hardware.ept", "no EPT"),
    "vpid the profile lacks": (GOOD + "hardware: {profile: core2-2008, vpid: true}\n",
                               "hardware:", "hardware.vpid", "no tagged TLBs"),
    "assembly error": (GOOD.replace("add eax, ecx", "add eax, ecx, edx"), "program:",
                       "program", "level.yaml"),
    "slot in the library": (GOOD.replace("      hlt\n", '      hlt\n  .include "console.s"\n')
                            .replace("label: hot", "label: pd_divide"), "label: pd_divide",
                            "slots[0].label", "in the library file console.s"),
}


def line_with(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize("name", MUTATIONS)
def test_a_mutated_level_names_file_line_and_field(tmp_path, name):
    text, needle, field, words = MUTATIONS[name]
    path = write(tmp_path, text)
    other = GOOD.replace("ch1-test-level", "ch1-other").replace("order: 1", "order: 2")
    levels = load_levels(paths=[path, write(tmp_path, other, "other.yaml")])
    assert levels.ids() == ["ch1-other"], "a broken file must not stop the others"
    error = next(e for e in levels.errors if e.path == str(path))
    line = line_with(text, needle)
    assert (error.line, error.field) == (line, field), error
    assert words in error.message, error
    assert str(error).startswith(f"{path}:{line}: {field}: ")


def test_broken_yaml_is_reported_with_its_line(tmp_path):
    path = write(tmp_path, GOOD.replace("modes: [trap-emulate]", "modes: [trap-emulate"))
    levels = load_levels(paths=[path])
    assert not levels.levels
    (error,) = levels.errors
    assert error.path == str(path) and error.line is not None
    assert "broken YAML" in error.message


def test_two_files_may_not_share_an_id(tmp_path):
    levels = load_levels(paths=[write(tmp_path, GOOD, "a.yaml"),
                                write(tmp_path, GOOD.replace("order: 1", "order: 2"),
                                      "b.yaml")])
    assert levels.ids() == ["ch1-test-level"]
    assert "already used" in levels.errors[0].message


def test_the_id_must_agree_with_the_chapter(tmp_path):
    levels = load_levels(paths=[write(tmp_path, GOOD.replace("chapter: 1", "chapter: 2"))])
    assert levels.errors[0].field == "id"


def test_a_program_path_may_not_leave_assets(tmp_path):
    text = GOOD.split("program: |")[0] + "program: ../../etc/passwd.s\nslots:\n" + \
        GOOD.split("slots:\n")[1]
    levels = load_levels(paths=[write(tmp_path, text)])
    assert levels.errors[0].field == "program"
    assert "under assets/" in levels.errors[0].message


def test_mode_ids_match_the_registry():
    from typing import get_args

    from virtquest.content.levels import ModeId

    assert set(get_args(ModeId)) == set(mode_ids()) - {"native"}


def test_schema_describes_the_format():
    schema = level_schema()
    assert schema["title"] == "VirtQuest level file"
    assert {"id", "slots", "modes", "goal", "program"} <= set(schema["properties"])
    assert Level.model_fields["slots"].metadata


def test_default_directory_is_levels():
    assert DEFAULT_LEVEL_DIR.name == "levels"
