"""The review queue: the questions FSRS says are due (and today's new ones), played with the quiz's
own question runner; a lab mistake shows which concept made its card due.
"""

from __future__ import annotations

import random

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from virtquest.game.quiz import present
from virtquest.gui.i18n import current_language, fill, pick
from virtquest.gui.models import LearnerSession
from virtquest.gui.qt_question_runner import QuestionRunner, topic_name
from virtquest.gui.widgets import primary, wrapped

PREVIEW_CHARS = 90


class QtReview(QWidget):
    """The due list with a start button; then the runner; then back to the refreshed list."""

    def __init__(self, session: LearnerSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.queue: list[str] = []
        self.runner: QuestionRunner | None = None
        self.stack = QStackedWidget()
        self.list_page = self._build_list()
        self.stack.addWidget(self.list_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        for signal in (session.content_changed, session.profile_changed,
                       session.progress_changed):
            signal.connect(self._changed)
        self.refresh()

    def _changed(self) -> None:
        if self.runner is None:  # the queue stays put while the learner works through it
            self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802
        # Cards fall due while the learner is elsewhere: the list is read again on every visit.
        self._changed()
        super().showEvent(event)

    def _build_list(self) -> QWidget:
        page = QWidget()
        body = QVBoxLayout(page)
        body.setContentsMargins(28, 20, 28, 20)
        body.setSpacing(12)
        self.title = QLabel()
        self.title.setProperty("role", "title")
        self.summary = wrapped(role="big")
        self.explain = wrapped(role="muted")
        self.start_button = primary()
        self.start_button.clicked.connect(self.start)
        self.table = QTreeWidget()
        self.table.setRootIsDecorated(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        self.table.setColumnCount(3)
        header = self.table.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        for widget in (self.title, self.summary, self.explain):
            body.addWidget(widget)
        body.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignLeft)
        body.addWidget(self.table, 1)
        return page

    def refresh(self) -> None:
        """Ask the scheduler what is due now."""
        self.queue = self.session.review_ids() if self.session.loaded else []
        self.retranslate()

    def start(self) -> QuestionRunner | None:
        presentations = [present(q, random.randrange(2**32)) for q in self._questions()]
        if not presentations:
            return None
        self.runner = QuestionRunner(self.session, presentations, review=True)
        self.runner.finished.connect(self._finished)
        self.stack.addWidget(self.runner)
        self.stack.setCurrentWidget(self.runner)
        self.runner.input.focus_first()
        return self.runner

    def _questions(self) -> list:
        return [q for q in (self.session.question(i) for i in self.queue) if q is not None]

    def _finished(self, *_result: int) -> None:
        self.stack.setCurrentWidget(self.list_page)
        if self.runner is not None:
            self.stack.removeWidget(self.runner)
            self.runner.deleteLater()
            self.runner = None
        self.refresh()
        self.start_button.setFocus()

    def _rows(self) -> None:
        self.table.clear()
        cards = {c.question_id: c for c in self.session.store.cards(self.session.profile_id)}
        for question in self._questions():
            text = " ".join(pick(question.text).split())
            if len(text) > PREVIEW_CHARS:
                text = text[:PREVIEW_CHARS - 1] + "…"
            card = cards.get(question.id)
            if card is None:
                status = self.tr("new")
            elif card.flagged_by:
                status = fill(self.tr("lab mistake: %1"), card.flagged_by)
            else:
                status = self.tr("due")
            item = QTreeWidgetItem([text, topic_name(question.topic), status])
            item.setToolTip(0, pick(question.text))
            self.table.addTopLevelItem(item)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Review"))
        self.table.setHeaderLabels([self.tr("Question"), self.tr("Topic"), self.tr("Why now")])
        self.start_button.setText(fill(self.tr("Start review (%1)"), len(self.queue)))
        self.start_button.setEnabled(bool(self.queue))
        self.summary.setText(self._summary())
        self.explain.setText(self.tr(
            "Spaced review brings a question back just before you would forget it: a wrong "
            "answer comes back soon, a right one later and later. A mistake in the lab makes "
            "the questions on that idea due at once."))
        self._rows()
        self.table.setVisible(bool(self.queue))

    def _summary(self) -> str:
        if not self.session.loaded:
            return self.tr("Loading questions...")
        cards = {c.question_id for c in self.session.store.cards(self.session.profile_id)}
        due = sum(1 for q in self.queue if q in cards)
        new = len(self.queue) - due
        if self.queue:
            return fill(self.tr("%1 due now, %2 new today."), due, new)
        return self._nothing_due()

    def _nothing_due(self) -> str:
        upcoming = next((d for d in self.session.forecast(30) if d.due), None)
        if upcoming is None:
            return self.tr("Nothing to review. Take a quiz to add questions.")
        day = upcoming.day
        when = f"{day.month}월 {day.day}일" if current_language() == "ko" else \
            day.strftime("%b %d").replace(" 0", " ")
        return fill(self.tr("All done for now. Next review: %1 (%2 questions)."), when,
                    upcoming.due)

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
