"""The quiz view: each of the six kinds answered right and wrong through the widgets shows the
verdict and the explanation, and records the answer (FSRS card, XP) in the store; every kind
answers from the keyboard, question after question; a quiz ends early on request and its end
page lists what was missed; answered inputs stay readable."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import QApplication, QLabel

from tests.gui.conftest import question_of
from virtquest.game.quiz import present
from virtquest.gui.i18n import pick
from virtquest.gui.qt_answer import LETTERS
from virtquest.gui.qt_question_runner import QuestionRunner
from virtquest.gui.qt_quiz import QtQuiz

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


# --- the keyboard, question after question ------------------------------------------------------


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key press where the keyboard is (the focused widget), as a learner's would land."""
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard"
    qtbot.keyClick(widget, key, modifier)


def keyboard_answer(qtbot, runner: QuestionRunner) -> None:
    """Give the right answer to the current question with keys only (no Tab, no mouse)."""
    presentation = runner.current
    question = presentation.question
    keys = [option.key for option in presentation.options]
    targets = [target.key for target in presentation.targets]
    if question.kind == "single":
        press(qtbot, Qt.Key(Qt.Key.Key_1 + keys.index(question.answer)))
    elif question.kind == "multiple":
        for key in question.answer:
            press(qtbot, Qt.Key(Qt.Key.Key_1 + keys.index(key)))
    elif question.kind == "true-false":
        press(qtbot, Qt.Key.Key_T if question.answer else Qt.Key.Key_F)
    elif question.kind == "classify":
        for key in keys:  # the number of each item's category; the next item follows
            press(qtbot, Qt.Key(Qt.Key.Key_1 + targets.index(question.answer[key])))
    elif question.kind == "matching":
        for key in keys:  # the letter of each row's match; the next row follows
            press(qtbot, Qt.Key(Qt.Key.Key_A + targets.index(question.answer[key])))
    else:
        steps = runner.input.list
        for place in range(steps.count()):
            row = runner.input.order().index(place)
            for _ in range(abs(steps.currentRow() - row)):
                press(qtbot, Qt.Key.Key_Down if steps.currentRow() < row else Qt.Key.Key_Up)
            for _ in range(row - place):
                press(qtbot, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)


def active(qtbot, widget):
    qtbot.addWidget(widget)
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    return widget


@pytest.mark.parametrize("kind", KINDS)
def test_the_next_question_answers_from_the_keyboard_at_once(qtbot, session, content, kind):
    first = question_of(content, "single")
    second = next(q for q in content.questions if q.kind == kind and q is not first)
    runner = active(qtbot, QuestionRunner(session, [present(first, 7), present(second, 7)]))
    keyboard_answer(qtbot, runner)
    press(qtbot, Qt.Key.Key_Return)  # check
    assert runner.grade is not None and runner.grade.correct
    press(qtbot, Qt.Key.Key_Return)  # "Next question" has the keyboard
    assert runner.index == 1 and runner.grade is None
    keyboard_answer(qtbot, runner)  # at once: no Tab, no click first
    assert runner.input.answer() is not None
    press(qtbot, Qt.Key.Key_Return)
    assert runner.grade is not None and runner.grade.correct


def test_the_classify_hint_says_which_keys_tick(qtbot, session, content):
    runner = runner_for(qtbot, session, content, "classify")
    categories = len(runner.current.targets)
    assert f"1–{categories}" in runner.how.text() and "↑/↓" in runner.how.text()
    assert [h.text()[:2] for h in runner.input.headers] == [f"{n}." for n in
                                                           range(1, categories + 1)]


# --- ending a quiz, the end page -----------------------------------------------------------------


def labels_of(layout) -> str:
    texts = []
    for index in range(layout.count()):
        widget = layout.itemAt(index).widget()
        texts += [label.text() for label in widget.findChildren(QLabel)]
    return "\n".join(texts)


def test_ending_a_quiz_midway_lists_the_missed_questions_to_review(qtbot, session, content):
    quiz = active(qtbot, QtQuiz(session))
    runner = quiz.start(topic="memory", count=4, seed=3)
    assert runner.end_button.isVisible() and runner.end_button.text() == "End quiz"
    give_answer(runner, right=False)
    runner.submit()
    missed = runner.current.question
    runner.advance()
    give_answer(runner, right=True)
    runner.submit()
    qtbot.mouseClick(runner.end_button, Qt.MouseButton.LeftButton)
    assert quiz.stack.currentWidget() is quiz.end_page
    assert "You answered 1 of 2 right" in quiz.score.text()
    assert "after 2 of 4 questions" in quiz.score.text()
    listed = labels_of(quiz.missed_box)
    assert missed.text.en in listed and missed.explanation.en in listed
    assert "Right answer:" in listed
    assert quiz.missed_title.isVisible()
    assert quiz.review_missed.isVisible() and "(1)" in quiz.review_missed.text()
    qtbot.mouseClick(quiz.review_missed, Qt.MouseButton.LeftButton)
    assert [p.question.id for p in quiz.runner.presentations] == [missed.id]


def test_escape_ends_the_quiz_even_before_an_answer(qtbot, session):
    quiz = active(qtbot, QtQuiz(session))
    quiz.start(topic="memory", count=3, seed=1)
    press(qtbot, Qt.Key.Key_Escape)
    assert quiz.stack.currentWidget() is quiz.end_page and quiz.runner is None
    assert "before answering" in quiz.score.text()
    assert not quiz.review_missed.isVisible() and not quiz.missed_title.isVisible()
    assert QApplication.focusWidget() is quiz.again


def test_a_new_quiz_does_not_open_with_the_question_just_answered(qtbot, session):
    quiz = active(qtbot, QtQuiz(session))
    for seed in range(5):
        runner = quiz.start(topic="memory", count=3, seed=seed)
        give_answer(runner, right=True)
        runner.submit()
        last = runner.current.question.id
        runner.end()
        again = quiz.start(topic="memory", count=3, seed=seed)  # the same draw as before
        assert again.current.question.id != last


# --- answered inputs stay readable ---------------------------------------------------------------


def longest(content, kind: str, texts):
    return max((q for q in content.questions if q.kind == kind),
               key=lambda q: max(len(pick(label)) for label in texts(q)))


def assert_readable(label: QLabel, text: str) -> None:
    assert label.isVisible() and label.isEnabled() and label.wordWrap()
    assert label.text() == text and "…" not in label.text()
    palette = label.palette()
    shown = palette.color(palette.currentColorGroup(), QPalette.ColorRole.WindowText)
    assert shown != palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)


@pytest.mark.parametrize("kind", ["ordering", "matching"])
def test_answered_steps_and_matches_stay_whole_and_readable(qtbot, session, content, kind):
    texts = (lambda q: q.steps) if kind == "ordering" else (lambda q: q.right.values())
    runner = QuestionRunner(session, [present(longest(content, kind, texts), seed=7)])
    qtbot.addWidget(runner)
    runner.resize(520, 700)  # narrow: long entries must wrap, not be cut short
    runner.show()
    give_answer(runner, right=False)
    runner.submit()
    widget = runner.input
    if kind == "ordering":
        assert not widget.list.isVisible()
        labels = {option.key: option.label for option in runner.current.options}
        for row, (key, line) in enumerate(zip(widget.order(), widget.lines, strict=True)):
            assert_readable(line.text, f"{row + 1}. {pick(labels[key])}")
            assert line.mark.text() == ("✔" if key == row else "✘")
    else:
        letters = {t.key: f"{LETTERS[i]}. {pick(t.label)}"
                   for i, t in enumerate(runner.current.targets)}
        expected = runner.grade.expected
        for (key, _label, combo, fix), chosen in zip(widget.rows, widget.chosen, strict=True):
            assert not combo.isVisible()
            assert_readable(chosen.text, letters[combo.currentData()])
            assert chosen.mark.text() == ("✔" if combo.currentData() == expected[key] else "✘")
            if fix.isVisible():
                assert_readable(fix, f"right answer: {letters[expected[key]]}")
