"""The lab's first-run guide: five short steps over the real lab — a slot, the three handlers
(try one), the verdict, where the cycles went, and submitting. Skippable at any step (Esc),
replayable from Settings; it never blocks the lab beneath it for longer than a click."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QRect, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QRegion
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from virtquest.gui.i18n import fill
from virtquest.gui.theme import colour


@dataclass(frozen=True)
class TourStep:
    """One step: what it points at (a widget of the lab, found when the step shows), what it
    says, and — for a step the learner does — the signal that completes it."""

    target: Callable[[], QWidget | list[QWidget] | None]
    text: Callable[[], str]
    done_when: Callable[[], object] | None = None     # a Qt signal: the step is done by doing


class LabTour(QWidget):
    """A translucent layer over `lab` with a window around the step's target and a bubble
    beside it. Keys: Enter or → next, Esc skip. `finished(bool)`: True when seen to the end."""

    finished = Signal(bool)

    def __init__(self, lab: QWidget):
        super().__init__(lab)
        self.lab = lab
        self.steps = self._steps()
        self.index = 0
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.bubble = QFrame(self)
        self.bubble.setProperty("role", "card")
        self.bubble.setAutoFillBackground(True)
        column = QVBoxLayout(self.bubble)
        self.counter = QLabel()
        self.counter.setProperty("role", "muted")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.skip_button = QPushButton()
        self.skip_button.clicked.connect(self.skip)
        self.next_button = QPushButton()
        self.next_button.setProperty("role", "primary")
        self.next_button.clicked.connect(self.next)
        row = QHBoxLayout()
        row.addWidget(self.skip_button)
        row.addStretch(1)
        row.addWidget(self.next_button)
        column.addWidget(self.counter)
        column.addWidget(self.text)
        column.addLayout(row)
        self._waiting: object | None = None
        lab.installEventFilter(self)

    # -- the steps -------------------------------------------------------------------------
    def _steps(self) -> list[TourStep]:
        lab = self.lab

        def first_row() -> QWidget | None:
            rows = lab.slot_list.rows
            return rows[0] if rows else None

        def first_choices() -> list[QWidget] | None:
            rows = lab.slot_list.rows
            return list(rows[0].buttons.values()) if rows else None

        return [
            TourStep(first_row, lambda: self.tr(
                "This is a slot: one marked instruction of the guest program. The lab runs the "
                "guest for real, and you decide who handles each marked instruction.")),
            TourStep(first_choices, lambda: self.tr(
                "Three handlers: 1 the CPU runs it directly, 2 the hypervisor traps and "
                "emulates it, 3 a modified guest kernel does something else instead (a "
                "hypercall). Try one now: click it or press 1, 2 or 3."),
                done_when=lambda: lab.result_ready),
            TourStep(lambda: lab.verdict, lambda: self.tr(
                "After every choice the guest runs again under each mode of the level. The "
                "verdict says whether it still behaves as on real hardware (equivalent), "
                "whether it stayed inside its box (contained), and what it cost (overhead).")),
            TourStep(lambda: lab.tabs, lambda: self.tr(
                "Here is where every cycle went: what each choice did, a timeline of traps "
                "and exits, the modes side by side, and a debugger to step through the run.")),
            TourStep(lambda: lab.verdict.submit_button, lambda: self.tr(
                "When every slot is your choice, submit: stars for staying equivalent and "
                "contained at a low overhead. Hints are there when you are stuck. Enjoy!")),
        ]

    # -- driving ---------------------------------------------------------------------------
    def start(self) -> None:
        self.index = 0
        self.setGeometry(self.lab.rect())
        self.show()
        self.raise_()
        self._show_step()

    def next(self) -> None:
        self._stop_waiting()
        if self.index + 1 >= len(self.steps):
            self._end(True)
            return
        self.index += 1
        self._show_step()

    def skip(self) -> None:
        self._stop_waiting()
        self._end(False)

    def _end(self, seen: bool) -> None:
        self.lab.removeEventFilter(self)
        self.hide()
        self.finished.emit(seen)
        self.deleteLater()

    def _show_step(self) -> None:
        step = self.steps[self.index]
        last = self.index == len(self.steps) - 1
        self.counter.setText(fill(self.tr("Lab tour · %1 of %2"), self.index + 1,
                                  len(self.steps)))
        self.text.setText(step.text())
        self.skip_button.setText(self.tr("Skip the tour (Esc)"))
        self.next_button.setText(self.tr("Start playing") if last else self.tr("Next ▶"))
        if step.done_when is not None:
            self._waiting = step.done_when()
            self._waiting.connect(self._step_done)
        self._place()
        self.next_button.setFocus()

    def _step_done(self, *_args) -> None:
        self.next()

    def _stop_waiting(self) -> None:
        if self._waiting is not None:
            self._waiting.disconnect(self._step_done)
            self._waiting = None

    # -- where things go -------------------------------------------------------------------
    def target_rect(self) -> QRect:
        """The current step's target in this layer's coordinates (empty when not shown)."""
        found = self.steps[self.index].target()
        widgets = found if isinstance(found, list) else [found]
        rect = QRect()
        for widget in widgets:
            if widget is not None and widget.isVisible():
                rect |= QRect(widget.mapTo(self.lab, widget.rect().topLeft()), widget.size())
        if not rect.isValid():
            return QRect()
        return rect.adjusted(-6, -6, 6, 6) & self.rect()

    def _place(self) -> None:
        self.setGeometry(self.lab.rect())
        hole = self.target_rect()
        width = min(420, max(260, self.width() // 2))
        self.bubble.setFixedWidth(width)
        self.bubble.adjustSize()
        height = self.bubble.sizeHint().height()
        # below the target if there is room, else above it, else in the middle
        x = max(8, min(hole.left(), self.width() - width - 8)) if hole.isValid() else \
            (self.width() - width) // 2
        if hole.isValid() and hole.bottom() + 12 + height < self.height():
            y = hole.bottom() + 12
        elif hole.isValid() and hole.top() - 12 - height > 0:
            y = hole.top() - 12 - height
        else:
            y = max(8, (self.height() - height) // 2)
        self.bubble.move(x, y)
        region = QRegion(self.rect())
        if hole.isValid():
            region = region.subtracted(QRegion(hole.adjusted(3, 3, -3, -3)))
        self.setMask(region)
        self.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.lab and event.type() in (QEvent.Type.Resize, QEvent.Type.LayoutRequest):
            self._place()
        return False

    # -- drawing and keys ------------------------------------------------------------------
    def paintEvent(self, _event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        shade = QPainterPath()
        shade.addRect(self.rect().toRectF())
        hole = self.target_rect()
        if hole.isValid():
            window = QPainterPath()
            window.addRoundedRect(hole.toRectF(), 8, 8)
            shade = shade.subtracted(window)
        painter.fillPath(shade, QColor(0, 0, 0, 120))
        if hole.isValid():
            painter.setPen(QPen(colour("accent"), 3))
            painter.drawRoundedRect(hole, 8, 8)

    def mousePressEvent(self, event) -> None:  # noqa: N802
        event.accept()       # outside the window nothing is clickable; inside, the mask lets
                             # clicks through to the lab (the "try one" step)

    def keyPressEvent(self, event) -> None:  # noqa: N802
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.skip()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Right):
            self.next()
        elif Qt.Key.Key_1 <= key <= Qt.Key.Key_3 and self.steps[self.index].done_when:
            self.lab.choose_current(("cpu", "hypervisor", "guest")[key - Qt.Key.Key_1])
        else:
            super().keyPressEvent(event)
