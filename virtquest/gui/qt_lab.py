"""The main window's lab: opens a level from the chapter map (qt_lab_level.py plays it), records
each submitted attempt and shows what it earned, and runs the first-run tour."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from virtquest.game.lab_model import LabModel
from virtquest.game.play import LabResult
from virtquest.game.record import record_play, schedule_mistakes
from virtquest.gui.i18n import current_language, fill, pick
from virtquest.gui.qt_lab_level import LabView
from virtquest.gui.qt_tour import LabTour


class LabPage(QWidget):
    """The main window's lab: opens a level (`show_level`), records each submitted attempt."""

    quiz_requested = Signal(list)      # question ids the open level unlocked

    def __init__(self, learner, parent: QWidget | None = None):
        super().__init__(parent)
        self.learner = learner
        self.view: LabView | None = None
        self.tour: LabTour | None = None
        self.stack = QStackedWidget()
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.retranslate()

    def show_level(self, level_id: str) -> None:
        level = self.learner.level(level_id)
        if level is None:
            self.empty.setText(fill(self.tr("No level “%1” is loaded."), level_id))
            return
        self.close_level()
        bank = self.learner.content.bank if self.learner.content else None
        self.view = LabView(LabModel(level, bank=bank), language=current_language())
        self.view.submitted.connect(self._record)
        self.view.next_requested.connect(self.show_level)
        self.view.quiz_requested.connect(self.quiz_requested)
        self.stack.addWidget(self.view)
        self.stack.setCurrentWidget(self.view)
        self.view.setFocus()
        if self.learner.setting("lab_tour") == "new":
            self.start_tour()

    def start_tour(self) -> LabTour | None:
        """The first-run guide over the open level (None when no level is open). Seen to the
        end or skipped, it is not shown again unless replayed from Settings."""
        if self.view is None:
            return None
        tour = LabTour(self.view)
        tour.finished.connect(lambda _seen: self._tour_done())
        self.tour = tour
        tour.start()
        return tour

    def _tour_done(self) -> None:
        self.tour = None
        if "lab_tour" not in self.learner.overrides:
            self.learner.store.set_setting(self.learner.profile_id, "lab_tour", "done")

    def shutdown(self) -> None:
        """Cancel the open level's runs and end their threads (the main window is closing)."""
        if self.view is not None:
            self.view.shutdown()

    def close_level(self) -> None:
        if self.view is not None:
            self.view.shutdown()
            self.stack.removeWidget(self.view)
            self.view.deleteLater()
            self.view = None

    def _record(self, result: LabResult) -> None:
        store, profile = self.learner.store, self.learner.profile_id
        before = self.learner.chapter_map()
        schedule_mistakes(store, profile, result, bank=self.learner.content.bank)
        outcome = record_play(store, profile, result)
        after = self.learner.chapter_map()
        self.learner.notify_progress()
        if self.view is None:
            return
        language = current_language()
        opened = [pick(cell.title, language) for cell in after.cells()
                  if cell.unlocked and not (before.cell(cell.id) or cell).unlocked]
        nxt = after.next_to_play()
        if nxt is not None and nxt.id == result.level_id:
            nxt = None                       # not cleared yet: no "next", try again
        self.view.show_cleared(result, outcome.effects, opened,
                               (nxt.id, pick(nxt.title, language)) if nxt else None)

    def retranslate(self) -> None:
        self.empty.setText(self.tr("Choose a level on the chapter map to open it here."))
        if self.view is not None:
            self.view.set_language(current_language())

    def closeEvent(self, event) -> None:  # noqa: N802
        self.close_level()
        super().closeEvent(event)

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def create_view(learner) -> LabPage:
    """The main window's registry entry."""
    return LabPage(learner)
