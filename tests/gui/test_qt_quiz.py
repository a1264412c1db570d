"""The quiz view: each of the six kinds answered right and wrong through the widgets shows the
verdict and the explanation, and records the answer (FSRS card, XP) in the store."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent

from tests.gui.conftest import question_of
from virtquest.game.quiz import present
from virtquest.gui.qt_quiz import QtQuiz, QuestionRunner

KINDS = ("single", "multiple", "true-false", "ordering", "matching", "classify")


def give_answer(runner: QuestionRunner, right: bool) -> None:
    """Operate the input as a learner would, to give the right answer or a wrong one."""
    widget, question = runner.input, runner.current.question
    kind = question.kind
    if kind == "single":
        wanted = question.answer if right else next(k for k in question.choices
                                                    if k != question.answer)
        _click_options(widget, {wanted})
    elif kind == "multiple":
        wanted = set(question.answer) if right else set(question.choices) - set(question.answer)
        _click_options(widget, wanted)
    elif kind == "true-false":
        key = Qt.Key.Key_T if question.answer == right else Qt.Key.Key_F
        widget.keyPressEvent(_key(key))
    elif kind == "ordering":
        _sort(widget, reverse=not right)
    else:
        targets = [str(t.key) for t in runner.current.targets]
        for source, target in question.answer.items():
            other = next(t for t in targets if t != target)
            widget.choose(source, target if right else other)


def _click_options(widget, keys: set[str]) -> None:
    for option, button in zip(widget.presentation.options, widget.buttons, strict=True):
        if str(option.key) in keys:
            button.click()


def _sort(widget, reverse: bool) -> None:
    """Selection sort with the Move up button, the way a learner would do it."""
    size = widget.list.count()
    for place in range(size):
        order = widget.order()
        wanted = (size - 1 - place) if reverse else place
        row = order.index(wanted)
        widget.list.setCurrentRow(row)
        for _ in range(row - place):
            widget.up.click()


def _key(key):
    return QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier)


def runner_for(qtbot, session, content, kind: str) -> QuestionRunner:
    runner = QuestionRunner(session, [present(question_of(content, kind), seed=7)])
    qtbot.addWidget(runner)
    runner.show()
    return runner


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("right", [True, False], ids=["right", "wrong"])
def test_each_kind_answered_shows_the_explanation_and_records_it(qtbot, session, content,
                                                                 kind, right):
    runner = runner_for(qtbot, session, content, kind)
    assert not runner.check.isEnabled() or kind == "ordering"  # nothing given yet
    give_answer(runner, right)
    assert runner.check.isEnabled()
    qtbot.mouseClick(runner.check, Qt.MouseButton.LeftButton)
    question = runner.current.question
    assert runner.feedback.isVisible()
    assert runner.verdict.text().startswith("✔" if right else "✘")
    assert runner.explanation.text() == question.explanation.en
    answers = session.store.quiz_answers(session.profile_id, question.id)
    assert [a.correct for a in answers] == [right]
    assert session.store.get_card(session.profile_id, question.id) is not None
    assert runner.next.isVisible() and not runner.check.isVisible()


def test_keyboard_only_single_choice(qtbot, session, content):
    runner = runner_for(qtbot, session, content, "single")
    question = runner.current.question
    index = [o.key for o in runner.current.options].index(question.answer)
    qtbot.keyClick(runner.input, Qt.Key(Qt.Key.Key_1 + index))
    assert runner.input.answer() == question.answer
    qtbot.keyClick(runner.input.buttons[index], Qt.Key.Key_Return)
    assert runner.grade is not None and runner.grade.correct
    with qtbot.waitSignal(runner.finished) as finished:
        qtbot.keyClick(runner.next, Qt.Key.Key_Return)
    assert finished.args == [1, 1, runner.xp]


def test_ordering_moves_with_alt_arrows(qtbot, session, content):
    runner = runner_for(qtbot, session, content, "ordering")
    widget = runner.input
    before = widget.order()
    widget.list.setCurrentRow(1)
    qtbot.keyClick(widget.list, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    after = widget.order()
    assert after[0] == before[1] and after[1] == before[0]


def test_a_whole_quiz_ends_with_the_score(qtbot, session, content):
    quiz = QtQuiz(session)
    qtbot.addWidget(quiz)
    quiz.show()
    runner = quiz.start(topic="trap-emulate", count=2, seed=1)
    for _ in range(2):
        give_answer(runner, right=True)
        runner.submit()
        runner.advance()
    assert quiz.stack.currentWidget() is quiz.end_page
    assert "2 of 2 right" in quiz.score.text()
    assert session.header().xp > 0
