"""The quiz view: pick a topic and a number of questions, play them (qt_question_runner.py), and
see the score and the questions missed with their right answers.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from virtquest.game.quiz import start_session
from virtquest.gui.i18n import fill, pick, translate
from virtquest.gui.models import LearnerSession
from virtquest.gui.qt_question_runner import QuestionRunner, topic_name
from virtquest.gui.widgets import primary, scrolling, wrapped


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
