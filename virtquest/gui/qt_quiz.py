"""The quiz view: pick a topic, answer questions of all six kinds, read the explanation after each.

`QuestionRunner` plays a list of questions and records every answer through the session (FSRS
card, XP, streak); the review view reuses it for the due queue.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from virtquest.game.quiz import Grade, Presentation, start_session
from virtquest.gui.i18n import fill, pick, translate
from virtquest.gui.models import LearnerSession
from virtquest.gui.qt_question import RIGHT, WRONG, AnswerInput, make_input
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


def right_answer_text(question) -> str:
    """The right answer in words, whatever the kind (the end page's list of missed questions)."""
    kind = question.kind
    if kind == "single":
        return pick(question.choices[question.answer])
    if kind == "multiple":
        return "\n".join(f"• {pick(question.choices[key])}" for key in question.choices
                         if key in question.answer)
    if kind == "true-false":
        word = translate("Quiz", "True") if question.answer else translate("Quiz", "False")
        return fill(translate("Quiz", "The statement is %1."), word.lower())
    if kind == "ordering":
        return "\n".join(f"{i + 1}. {pick(step)}" for i, step in enumerate(question.steps))
    sources, targets = ((question.left, question.right) if kind == "matching"
                        else (question.items, question.categories))
    return "\n".join(f"{pick(sources[source])} → {pick(targets[target])}"
                     for source, target in question.answer.items())


class QtQuiz(QWidget):
    """Start a quiz (topic, length), play it, see the score and the questions missed."""

    def __init__(self, session: LearnerSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.runner: QuestionRunner | None = None
        self._last = (0, 0, 0, 0)  # answered, correct, XP, questions in the quiz
        self.missed: list = []  # the questions answered wrong in the quiz just ended
        self.stack = QStackedWidget()
        self.start_page = self._build_start()
        self.end_page = self._build_end()
        self.stack.addWidget(self.start_page)
        self.stack.addWidget(self.end_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        session.content_changed.connect(self._fill_topics)
        self.retranslate()
        self._fill_topics()

    def _build_start(self) -> QWidget:
        page = QWidget()
        body = QVBoxLayout(page)
        body.setContentsMargins(32, 24, 32, 24)
        body.setSpacing(14)
        self.title = QLabel()
        self.title.setProperty("role", "title")
        self.intro = wrapped()
        self.topic_label, self.count_label = QLabel(), QLabel()
        self.topic = QComboBox()
        self.topic_label.setBuddy(self.topic)
        self.count = QSpinBox()
        self.count.setRange(1, 50)
        self.count.setValue(10)
        self.count_label.setBuddy(self.count)
        self.start_button = primary()
        self.start_button.clicked.connect(lambda: self.start())
        self.status = wrapped(role="muted")
        row = QHBoxLayout()
        for widget in (self.topic_label, self.topic, self.count_label, self.count):
            row.addWidget(widget)
        row.addStretch(1)
        for item in (self.title, self.intro):
            body.addWidget(item)
        body.addLayout(row)
        body.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignLeft)
        body.addWidget(self.status)
        body.addStretch(1)
        return scrolling(page, columns=110)

    def _build_end(self) -> QWidget:
        page = QWidget()
        body = QVBoxLayout(page)
        body.setContentsMargins(32, 24, 32, 24)
        body.setSpacing(12)
        self.score_title = QLabel()
        self.score_title.setProperty("role", "title")
        self.score = wrapped(role="big")
        self.review_missed = primary()
        self.review_missed.clicked.connect(self.start_missed)
        self.again = primary()
        self.again.clicked.connect(self.show_start)
        buttons = QHBoxLayout()
        buttons.addWidget(self.review_missed)
        buttons.addWidget(self.again)
        buttons.addStretch(1)
        self.missed_title = QLabel()
        self.missed_title.setProperty("role", "heading")
        self.missed_box = QVBoxLayout()
        self.missed_box.setSpacing(10)
        body.addWidget(self.score_title)
        body.addWidget(self.score)
        body.addLayout(buttons)
        body.addWidget(self.missed_title)
        body.addLayout(self.missed_box)
        body.addStretch(1)
        return scrolling(page, columns=110)

    def _fill_topics(self) -> None:
        from virtquest.content.quizzes import TOPICS

        current = self.topic.currentData()
        self.topic.clear()
        questions = self.session.content.questions if self.session.content else ()
        self.topic.addItem(f"{topic_name(None)} ({len(questions)})", None)
        for topic in TOPICS:
            count = sum(1 for q in questions if q.topic == topic)
            if count:
                self.topic.addItem(f"{topic_name(topic)} ({count})", topic)
        self.topic.setCurrentIndex(max(0, self.topic.findData(current)))
        loaded = bool(questions)
        self.start_button.setEnabled(loaded)
        self.status.setText("" if loaded else (
            self.tr("Loading questions...") if not self.session.loaded
            else self.tr("No quiz questions could be loaded.")))

    def _recent(self, count: int) -> list[str]:
        """Up to `count` questions answered last, the latest first (a new quiz avoids them)."""
        answers = self.session.store.quiz_answers(self.session.profile_id)
        latest = dict.fromkeys(answer.question_id for answer in reversed(answers))
        return list(latest)[:count]

    def start(self, topic: str | None = None, count: int | None = None,
              seed: int | None = None) -> QuestionRunner | None:
        """Begin a quiz (the start page's choices unless given)."""
        questions = self.session.content.questions if self.session.content else ()
        if not questions:
            return None
        topic = topic if topic is not None else self.topic.currentData()
        count = count or self.count.value()
        quiz = start_session(questions, count=count, topic=topic, seed=seed,
                             recent=self._recent(count))
        return self._play(quiz.presentations)

    def start_questions(self, question_ids: list[str]) -> QuestionRunner | None:
        """A quiz of exactly these questions (the cards a lab level unlocked, the ones missed)."""
        questions = self.session.content.questions if self.session.content else ()
        wanted = [q for q in questions if q.id in set(question_ids)]
        if not wanted:
            return None
        quiz = start_session(wanted, count=len(wanted), topic=None, seed=None,
                             recent=self._recent(len(wanted)))
        return self._play(quiz.presentations)

    def start_missed(self) -> QuestionRunner | None:
        """Go over the questions the quiz just ended got wrong, once more."""
        return self.start_questions([question.id for question in self.missed])

    def _play(self, presentations) -> QuestionRunner:
        self._drop_runner()
        self.runner = QuestionRunner(self.session, presentations)
        self.runner.finished.connect(self._finished)
        self.stack.addWidget(self.runner)
        self.stack.setCurrentWidget(self.runner)
        self.runner.input.focus_first()
        return self.runner

    def _finished(self, answered: int, correct: int, xp: int) -> None:
        runner = self.runner
        total = len(runner.presentations) if runner is not None else answered
        self.missed = [p.question for p in runner.missed] if runner is not None else []
        self._last = (answered, correct, xp, total)
        self._score_text()
        self.stack.setCurrentWidget(self.end_page)
        self._drop_runner()
        (self.review_missed if self.missed else self.again).setFocus()

    def _drop_runner(self) -> None:
        if self.runner is not None:
            self.stack.removeWidget(self.runner)
            self.runner.deleteLater()
            self.runner = None

    def show_start(self) -> None:
        self.stack.setCurrentWidget(self.start_page)
        self.start_button.setFocus()

    def _score_text(self) -> None:
        answered, correct, xp, total = self._last
        if answered == 0:
            text = self.tr("You ended the quiz before answering a question.")
        else:
            text = fill(self.tr("You answered %1 of %2 right and earned %3 XP."),
                        correct, answered, xp)
            if answered < total:
                text += " " + fill(self.tr("You ended the quiz after %1 of %2 questions."),
                                   answered, total)
        self.score.setText(text)
        self.missed_title.setText(self.tr("Questions to look at again"))
        self.missed_title.setVisible(bool(self.missed))
        self.review_missed.setText(fill(self.tr("Review the missed questions (%1)"),
                                        len(self.missed)))
        self.review_missed.setVisible(bool(self.missed))
        self._list_missed()

    def _list_missed(self) -> None:
        while self.missed_box.count():
            widget = self.missed_box.takeAt(0).widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        for number, question in enumerate(self.missed, start=1):
            card = QFrame()
            card.setProperty("role", "card")
            box = QVBoxLayout(card)
            box.setContentsMargins(16, 12, 16, 12)
            text = wrapped(f"{number}. {pick(question.text)}")
            text.setTextFormat(Qt.TextFormat.PlainText)
            font = text.font()
            font.setBold(True)
            text.setFont(font)
            heading = wrapped(self.tr("Right answer:"), role="muted")
            answer = wrapped(right_answer_text(question))
            answer.setTextFormat(Qt.TextFormat.PlainText)
            explanation = wrapped(pick(question.explanation))
            explanation.setTextFormat(Qt.TextFormat.PlainText)
            for widget in (text, heading, answer, explanation):
                box.addWidget(widget)
            self.missed_box.addWidget(card)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Concept quiz"))
        self.intro.setText(self.tr(
            "Questions of six kinds on hypervisors, trap and emulate, binary translation, "
            "paravirtualization and hardware assist. After each answer you see why it is "
            "right — and why the tempting wrong answer is wrong. Every answer also schedules "
            "the question for spaced review."))
        self.topic_label.setText(self.tr("&Topic:"))
        self.count_label.setText(self.tr("&Questions:"))
        self.start_button.setText(self.tr("Start quiz"))
        self.score_title.setText(self.tr("Quiz finished"))
        self.again.setText(self.tr("New quiz"))
        self._score_text()
        if self.topic.count():
            self._fill_topics()

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
