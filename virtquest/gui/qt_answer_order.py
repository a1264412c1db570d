"""The ordering answer input: put the steps in order, by mouse or keyboard."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from virtquest.gui.i18n import pick
from virtquest.gui.qt_answer import AnswerInput, MarkedLine

if TYPE_CHECKING:
    from virtquest.game.quiz import Grade, Presentation


class OrderingInput(AnswerInput):
    """A list to reorder by dragging or with Alt+Up / Alt+Down (and the two buttons). Once
    graded, the learner's order stays on screen as wrapped lines, each marked right or wrong."""

    def __init__(self, presentation: Presentation, parent: QWidget | None = None):
        super().__init__(presentation, parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.editor = QWidget()
        layout = QHBoxLayout(self.editor)
        layout.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setSpacing(2)
        self.list.model().rowsMoved.connect(lambda *_: self._renumber())
        for option in presentation.options:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, option.key)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        buttons = QVBoxLayout()
        self.up, self.down = QPushButton(), QPushButton()
        self.up.clicked.connect(lambda: self.move(-1))
        self.down.clicked.connect(lambda: self.move(+1))
        buttons.addWidget(self.up)
        buttons.addWidget(self.down)
        buttons.addStretch(1)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.list.installEventFilter(self)
        self.result = QWidget()
        lines = QVBoxLayout(self.result)
        lines.setContentsMargins(0, 0, 0, 0)
        lines.setSpacing(6)
        self.lines = [MarkedLine() for _ in presentation.options]
        for line in self.lines:
            lines.addWidget(line)
        self.result.hide()
        outer.addWidget(self.editor)
        outer.addWidget(self.result)
        self.graded = False
        self.retranslate()

    def focus_widget(self) -> QWidget:
        return self.list

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        # Alt+Up / Alt+Down move the selected step (plain arrows still move the selection).
        if watched is self.list and event.type() == QEvent.Type.KeyPress and \
                event.modifiers() & Qt.KeyboardModifier.AltModifier:
            step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: +1}.get(Qt.Key(event.key()))
            if step is not None:
                self.move(step)
                return True
        return super().eventFilter(watched, event)

    def retranslate(self) -> None:
        self.up.setText(self.tr("Move up"))
        self.down.setText(self.tr("Move down"))
        self.up.setToolTip("Alt+↑")
        self.down.setToolTip("Alt+↓")
        self._renumber()

    def _step_text(self, row: int) -> str:
        labels = {option.key: option.label for option in self.presentation.options}
        return f"{row + 1}. {pick(labels[self.list.item(row).data(Qt.ItemDataRole.UserRole)])}"

    def _renumber(self) -> None:
        for row in range(self.list.count()):
            self.list.item(row).setText(self._step_text(row))
        self._fit_height()
        if self.graded:
            for row, line in enumerate(self.lines):
                right = self.list.item(row).data(Qt.ItemDataRole.UserRole) == row
                line.show_line(right, self._step_text(row))

    def _fit_height(self) -> None:
        rows = sum(self.list.sizeHintForRow(r) + 2 * self.list.spacing()
                   for r in range(self.list.count()))
        self.list.setMinimumHeight(rows + 2 * self.list.frameWidth() + 4)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_height()

    def move(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.list.count() or self.graded:
            return
        item = self.list.takeItem(row)
        self.list.insertItem(target, item)
        self.list.setCurrentRow(target)
        self._renumber()
        self.changed.emit()

    def order(self) -> list[int]:
        return [int(self.list.item(r).data(Qt.ItemDataRole.UserRole))
                for r in range(self.list.count())]

    def answer(self) -> object | None:
        return self.order()

    def show_result(self, grade: Grade) -> None:
        # The list would turn pale (disabled) and cut long steps short: plain lines replace it.
        self.graded = True
        self.list.setEnabled(False)
        self.up.setEnabled(False)
        self.down.setEnabled(False)
        self.editor.hide()
        self.result.show()
        self._renumber()

    def hint(self) -> str:
        return self.tr("Put the steps in order: drag them, or select one and press "
                       "Alt+↑ / Alt+↓. Then press Enter.")
