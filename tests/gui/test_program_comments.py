"""The code views show a shipped program's comments in the UI's language only: the lab, its
debugger, and the sandbox with an example (the `;ko:` convention, docs/levels.md)."""

from __future__ import annotations

import pytest

from virtquest.content.level_loader import load_levels
from virtquest.content.profiles import load_profile
from virtquest.game.debugger_model import Stepper
from virtquest.game.lab_model import LabModel
from virtquest.game.sandbox_model import SandboxModel
from virtquest.gui.qt_debugger import DebuggerView
from virtquest.gui.qt_lab_level import LabView
from virtquest.gui.qt_sandbox import SandboxView

KOREAN = "슬롯 `restore`: 민감 명령(popf)"
ENGLISH = "slot `restore`: sensitive (popf)"


@pytest.fixture(scope="module")
def popf():
    return load_levels().get("ch3-popf")


def rows(editor) -> list[str]:
    return editor.toPlainText().split("\n")


def slot_rows_hold_their_instructions(view: LabView) -> bool:
    lines = rows(view.program_view)
    return all(slot.instruction.split()[0] in lines[view.program_view.row_for(slot.line) - 1]
               for slot in view.model.slots if slot.where == "program")


def test_the_korean_lab_shows_the_korean_comments_and_the_english_one_the_english(qtbot, popf):
    view = LabView(LabModel(popf), language="ko")
    qtbot.addWidget(view)
    text = view.program_view.toPlainText()
    assert KOREAN in text and "하이퍼바이저와 공유하는" in text
    assert ENGLISH not in text and "The classic pattern" not in text and "ko:" not in text
    assert slot_rows_hold_their_instructions(view)
    restore = view.model.slot("restore")
    assert view.program_view.shown_number(view.program_view.row_for(restore.line)) == restore.line

    view.set_language("en")
    text = view.program_view.toPlainText()
    assert ENGLISH in text and "The classic pattern" in text
    assert KOREAN not in text and "하이퍼바이저" not in text and "ko:" not in text
    assert slot_rows_hold_their_instructions(view)
    view.wait()


def test_the_debugger_shows_the_same_comments_and_its_arrow_on_the_instruction(qtbot, popf):
    stepper = Stepper(popf.source, "native", file=popf.program_file, profile=load_profile())
    view = DebuggerView(stepper, language="ko")
    qtbot.addWidget(view)
    assert KOREAN in view.program_view.toPlainText()
    while "cli" not in view.stepper.guest.program.source.split("\n")[
            view.stepper.source_line(view.stepper.state().eip).line - 1]:
        view.buttons["step"].click()
    row = view.program_view._exec_line
    assert rows(view.program_view)[row - 1].startswith("    cli")
    assert "슬롯 `off`: 특권 명령" in rows(view.program_view)[row - 1]

    view.set_language("en")
    row = view.program_view._exec_line
    assert rows(view.program_view)[row - 1] == "    cli                         ; slot `off`: privileged"


def test_an_example_opens_in_the_sandbox_with_its_comments_in_the_ui_language(qtbot):
    view = SandboxView(SandboxModel(), language="ko")
    qtbot.addWidget(view)
    example = next(p for p in view.model.examples() if p.name == "hello.s")
    assert view.open_file(example, example=True)
    text = view.editor.toPlainText()
    assert "가장 작은 mini-OS 프로그램" in text and "the smallest" not in text and "ko:" not in text
    view.set_language("en")                       # untouched: its comments follow the language
    text = view.editor.toPlainText()
    assert "the smallest mini-OS program" in text and "가장 작은" not in text
    assert view.model.path is None and not view.model.modified
