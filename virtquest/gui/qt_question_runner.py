"""Plays a list of questions: one answer input at a time, check, the explanation, go on; every answer
recorded through the learner's session (FSRS card, XP, streak). The quiz and the review views both
use it.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from virtquest.game.quiz import Grade, Presentation
from virtquest.gui.i18n import fill, pick, translate
from virtquest.gui.models import LearnerSession
from virtquest.gui.qt_answer import RIGHT, WRONG, AnswerInput
from virtquest.gui.qt_question import make_input
from virtquest.gui.theme import set_role
from virtquest.gui.widgets import primary, scrolling, wrapped


def kind_name(kind: str) -> str:
    names = {
        "single": translate("Quiz", "Single choice"),
        "multiple": translate("Quiz", "Multiple choice"),
        "true-false": translate("Quiz", "True or false"),
        "ordering": translate("Quiz", "Ordering"),
        "matching": translate("Quiz", "Matching"),
        "classify": translate("Quiz", "Classify"),
    }
    return names.get(kind, kind)


def topic_name(topic: str | None) -> str:
    from virtquest.content.quizzes import TOPICS

    if topic is None or topic not in TOPICS:
        return translate("Quiz", "All topics")
    ko, en, _minimum = TOPICS[topic]
    return pick({"ko": ko, "en": en})


class QuestionRunner(QWidget):
    """Plays `presentations` one after another: check, see the explanation, go on. The end
    button (or Esc) stops early; `results` holds every answer given, graded."""

    finished = Signal(int, int, int)  # answered, correct, XP gained
    answered = Signal(object)  # the AnswerOutcome of each recorded answer

    def __init__(self, session: LearnerSession, presentations: Sequence[Presentation],
                 parent: QWidget | None = None, *, review: bool = False):
        super().__init__(parent)
        self.session = session
        self.presentations = list(presentations)
        self.review = review  # names the end button "End review" rather than "End quiz"
        self.index = 0
        self.correct = self.xp = 0
        self.results: list[tuple[Presentation, Grade]] = []
        self.grade: Grade | None = None
        self.input: AnswerInput | None = None
        self._shown_at = time.monotonic()
        self._build()
        self._show_question()

    # --- layout --------------------------------------------------------------------------
    def _build(self) -> None:
        page = QWidget()
        body = QVBoxLayout(page)
        body.setContentsMargins(24, 16, 24, 16)
        body.setSpacing(12)
        self.where = QLabel()
        self.where.setProperty("role", "muted")
        self.end_button = QPushButton()
        self.end_button.clicked.connect(self.end)
        top = QHBoxLayout()
        top.addWidget(self.where, 1)
        top.addWidget(self.end_button, 0, Qt.AlignmentFlag.AlignTop)
        body.addLayout(top)
        self.text = wrapped(role="big")
        self.how = wrapped(role="muted")
        self.slot = QVBoxLayout()
        self.feedback = QFrame()
        self.feedback.setProperty("role", "feedback")
        box = QVBoxLayout(self.feedback)
        box.setContentsMargins(16, 12, 16, 12)
        self.verdict = QLabel()
        self.expected = wrapped()
        self.explanation = wrapped()
        self.gain = QLabel()
        self.gain.setProperty("role", "muted")
        for widget in (self.verdict, self.expected, self.explanation, self.gain):
            box.addWidget(widget)
        self.feedback.hide()
        for widget in (self.text, self.how):
            body.addWidget(widget)
        body.addLayout(self.slot)
        self.check = primary()
        self.next = primary()
        self.check.clicked.connect(self.submit)
        self.next.clicked.connect(self.advance)
        body.addWidget(self.check, 0, Qt.AlignmentFlag.AlignLeft)
        body.addWidget(self.feedback)
        body.addWidget(self.next, 0, Qt.AlignmentFlag.AlignLeft)
        body.addStretch(1)
        self.scroll = scrolling(page, columns=110)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll, 1)

    def keyPressEvent(self, event) -> None:  # noqa: N802
        # Enter from anywhere in the question (inputs leave it to us) checks, then moves on.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.enter()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.end()
            return
        super().keyPressEvent(event)

    @property
    def current(self) -> Presentation:
        return self.presentations[self.index]

    def start_with(self, first: Presentation) -> None:
        """Show `first` as the first question, in place of the one drawn (a screenshot of one
        chosen question)."""
        self.presentations[0] = first
        self.index = 0
        self._show_question()

    def _show_question(self) -> None:
        if self.input is not None:
            self.slot.removeWidget(self.input)
            self.input.hide()
            self.input.deleteLater()
        self.grade = None
        self.input = make_input(self.current)
        self.input.changed.connect(self._update_buttons)
        self.slot.addWidget(self.input)
        self.feedback.hide()
        self._shown_at = time.monotonic()
        self.retranslate()
        self._update_buttons()
        self.scroll.verticalScrollBar().setValue(0)
        # The "Next question" button had the keyboard and is hidden now: hand it to the new
        # question, so its keys (1–9, T/F, letters) work at once.
        self.input.focus_first()

    def _update_buttons(self) -> None:
        answered = self.grade is not None
        self.check.setVisible(not answered)
        self.next.setVisible(answered)
        self.check.setEnabled(self.input is not None and self.input.answer() is not None)

    # --- acting --------------------------------------------------------------------------
    def enter(self) -> None:
        """Enter checks the answer, and after the explanation, moves on."""
        if self.grade is None:
            if self.check.isEnabled():
                self.submit()
        else:
            self.advance()

    def submit(self) -> None:
        answer = self.input.answer() if self.input else None
        if answer is None or self.grade is not None:
            return
        question = self.current.question
        self.grade = self.current.grade(answer)
        outcome = self.session.answer(question.id, self.grade.correct, answer=self.grade.given,
                                      seconds=round(time.monotonic() - self._shown_at, 1))
        self.correct += int(self.grade.correct)
        self.xp += outcome.xp_gained
        self.results.append((self.current, self.grade))
        self.input.show_result(self.grade)
        self._show_feedback(outcome.xp_gained)
        self._update_buttons()
        self.next.setFocus()
        self.answered.emit(outcome)

    def advance(self) -> None:
        if self.grade is None:
            return
        if self.index + 1 >= len(self.presentations):
            self.end()
            return
        self.index += 1
        self._show_question()

    def end(self) -> None:
        """Stop here (the last question done, or the learner leaves): what was answered counts."""
        self.finished.emit(len(self.results), self.correct, self.xp)

    @property
    def missed(self) -> list[Presentation]:
        return [presentation for presentation, grade in self.results if not grade.correct]

    # --- text ----------------------------------------------------------------------------
    def _show_feedback(self, xp: int) -> None:
        grade = self.grade
        verdict = "right" if grade.correct else "wrong"
        set_role(self.feedback, "verdict", verdict)
        set_role(self.verdict, "verdict", verdict)
        self._gained = xp
        self.feedback.show()
        self._feedback_text()

    def _feedback_text(self) -> None:
        grade = self.grade
        if grade is None:
            return
        if grade.correct:
            verdict = f"{RIGHT} " + self.tr("Correct!")
        elif grade.partial > 0:
            percent = round(grade.partial * 100)
            verdict = f"{WRONG} " + fill(self.tr("Not quite — %1% right."), percent)
        else:
            verdict = f"{WRONG} " + self.tr("Not quite.")
        self.verdict.setText(verdict)
        expected = expected_text(self.current, grade)
        self.expected.setVisible(bool(expected))
        self.expected.setText(expected)
        self.explanation.setText(pick(self.current.question.explanation))
        gained = getattr(self, "_gained", 0)
        self.gain.setText(fill(self.tr("+%1 XP"), gained) if gained else "")

    def retranslate(self) -> None:
        question = self.current.question
        self.where.setText(fill(self.tr("Question %1 of %2 · %3 · %4"), self.index + 1,
                                len(self.presentations), topic_name(question.topic),
                                kind_name(question.kind)))
        self.text.setText(pick(question.text))
        self.how.setText(self.input.hint() if self.input else "")
        self.check.setText(self.tr("Check answer"))
        self.end_button.setText(self.tr("End review") if self.review else self.tr("End quiz"))
        self.end_button.setToolTip(self.tr("Stop here and see what you answered (Esc)"))
        last = self.index + 1 >= len(self.presentations)
        self.next.setText(self.tr("Finish") if last else self.tr("Next question"))
        self._feedback_text()

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def expected_text(presentation: Presentation, grade: Grade) -> str:
    """The right answer in words, for the kinds whose input does not already show it."""
    question = presentation.question
    if question.kind == "ordering":
        steps = [f"{i + 1}. {pick(step)}" for i, step in enumerate(question.steps)]
        return translate("Quiz", "The right order:") + "\n" + "\n".join(steps)
    if question.kind == "true-false":
        word = translate("Quiz", "True") if grade.expected else translate("Quiz", "False")
        return fill(translate("Quiz", "The statement is %1."), word.lower())
    if question.kind in ("matching", "classify") and not grade.correct:
        return translate("Quiz", "The right matches are marked in each row.")
    return ""
