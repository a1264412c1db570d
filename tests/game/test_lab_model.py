"""The lab's model announces every change a view must show, and only real changes: a view that
renders from its events never shows a stale choice, focus, result or hint."""

from __future__ import annotations

import pytest

from virtquest.content.level_loader import load_level_file
from virtquest.game.lab_model import LabModel

LEVEL = """\
schema_version: 1
chapter: 2
order: 1
id: ch2-model-test
title: {ko: "모델 시험", en: "A model test"}
brief: {ko: "게스트 커널이 콘솔 포트에 글자를 씁니다.", en: "The guest kernel writes to the console."}
explain: {ko: "특권 명령은 트랩됩니다.", en: "Privileged instructions trap."}
hints:
  - {ko: "반복문 안의 add는 무해한 명령입니다.", en: "The add in the loop is innocuous."}
program: |
  kernel_main:
      mov ecx, 5
  again:
  hot:
      add eax, 1
      loop again
  io:
      out 0xE9, eax
      ret
slots:
  - label: hot
    concept: efficiency
    default: hypervisor
  - label: io
    concept: trap-cost
modes: [trap-emulate]
goal: {stars: [2.1, 3.0, 8.0]}
"""


@pytest.fixture(scope="module")
def level(tmp_path_factory):
    path = tmp_path_factory.mktemp("levels") / "ch2-model-test.yaml"
    path.write_text(LEVEL, encoding="utf-8")
    loaded, errors = load_level_file(path)
    assert not errors, errors
    return loaded


def recorder(model: LabModel) -> list[tuple]:
    seen: list[tuple] = []
    model.slot_changed.connect(lambda label, rerun: seen.append(("slot", label, rerun)))
    model.current_changed.connect(lambda index: seen.append(("current", index)))
    model.result_changed.connect(lambda result: seen.append(("result", result.level_id)))
    model.hints_changed.connect(lambda: seen.append(("hints", len(model.hints))))
    return seen


def test_a_choice_is_announced_with_whether_a_new_play_is_due(level):
    model = LabModel(level)
    seen = recorder(model)
    assert model.choose("hot", "hypervisor") is False       # the default, now the learner's own
    assert model.choose("hot", "cpu") is True
    assert model.choose("hot", "cpu") is False              # nothing changed: nothing announced
    assert seen == [("slot", "hot", False), ("slot", "hot", True)]
    assert model.choices["hot"] == "cpu" and "hot" in model.decided


def test_a_locked_choice_changes_nothing_and_announces_nothing(level):
    model = LabModel(level)
    seen = recorder(model)
    locked = next(c for c in ("cpu", "hypervisor", "guest") if not model.slot("io").allowed(c))
    assert model.choose("io", locked) is False
    assert seen == [] and "io" not in model.decided


def test_focus_moves_are_clamped_and_announced_once(level):
    model = LabModel(level)
    seen = recorder(model)
    model.move(+1)
    model.move(+5)               # already the last slot: no change
    model.focus(0)
    assert seen == [("current", 1), ("current", 0)] and model.current_slot.label == "hot"


def test_a_result_and_a_hint_are_kept_and_announced(level):
    model = LabModel(level)
    seen = recorder(model)
    result = model.evaluate(model.snapshot())
    model.accept_result(result)
    model.next_hint()
    assert model.next_hint() is None              # the level has one hint: the second is none
    assert model.result is result
    assert seen == [("result", "ch2-model-test"), ("hints", 1)]
