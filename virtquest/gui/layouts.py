"""Layouts that follow the text size and the room they get, for any view: a flow of buttons that
wraps to the next line, a splitter that stacks its panes when they no longer fit side by side, and
a combo box that may shrink below its longest item.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QComboBox, QLayout, QSplitter, QWidget


class FlowLayout(QLayout):
    """Items left to right, wrapping onto more lines when the row is too narrow: a toolbar that
    never makes its window wider than the screen, however large the text or long the words."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6):
        super().__init__(parent)
        self._items: list = []
        self.setSpacing(spacing)
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item) -> None:  # noqa: N802 - Qt's name
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int):  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int):  # noqa: N802
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802
        """All on one line."""
        width = height = 0
        for item in self._visible():
            hint = item.sizeHint()
            width += hint.width() + (self.spacing() if width else 0)
            height = max(height, hint.height())
        margins = self.contentsMargins()
        return QSize(width + margins.left() + margins.right(),
                     height + margins.top() + margins.bottom())

    def minimumSize(self) -> QSize:  # noqa: N802
        """The widest single item: everything else may go onto another line."""
        size = QSize()
        for item in self._visible():
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _visible(self) -> list:
        return [item for item in self._items
                if item.widget() is None or not item.widget().isHidden()]

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        x, y, line = area.x(), area.y(), 0
        gap = self.spacing()
        for item in self._visible():
            hint = item.sizeHint()
            width = min(hint.width(), area.width())
            if x > area.x() and x + width > area.right() + 1:
                x, y, line = area.x(), y + line + gap, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), QSize(width, hint.height())))
            x += width + gap
            line = max(line, hint.height())
        return y + line - rect.y() + margins.bottom()


class AdaptiveSplitter(QSplitter):
    """Two panes side by side while each gets a comfortable width (`columns`, in characters of
    the text, so it follows the text size), one above the other when not (a narrow window,
    large text). Its minimum width is the wider pane's, not their sum: it never makes the
    window grow, it turns instead."""

    def __init__(self, columns: tuple[int, ...] = (), parent: QWidget | None = None):
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.columns = columns
        self.setChildrenCollapsible(False)

    def _panes(self) -> list[QWidget]:
        return [self.widget(i) for i in range(self.count()) if not self.widget(i).isHidden()]

    def comfortable_width(self, index: int) -> int:
        """A pane's `columns` characters, and never less than its minimum width."""
        pane = self.widget(index)
        wanted = self.columns[index] if index < len(self.columns) else 0
        return max(pane.minimumSizeHint().width(),
                   self.fontMetrics().averageCharWidth() * wanted)

    def side_by_side_width(self) -> int:
        """The width below which the panes go one above the other."""
        shown = [i for i in range(self.count()) if not self.widget(i).isHidden()]
        return (sum(self.comfortable_width(i) for i in shown)
                + self.handleWidth() * max(0, len(shown) - 1))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        panes = self._panes()
        width = max((p.minimumSizeHint().width() for p in panes), default=0)
        heights = [max(p.minimumHeight(), p.minimumSizeHint().height()) for p in panes]
        if self.orientation() == Qt.Orientation.Vertical:
            return QSize(width, sum(heights) + self.handleWidth() * max(0, len(panes) - 1))
        return QSize(width, max(heights, default=0))

    def resizeEvent(self, event) -> None:  # noqa: N802
        self._orient(event.size().width())
        super().resizeEvent(event)

    def changeEvent(self, event) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._orient(self.width())

    def _orient(self, width: int) -> None:
        wide = width >= self.side_by_side_width()
        for index in range(self.count()):       # side by side, neither is dragged too narrow
            self.widget(index).setMinimumWidth(self.comfortable_width(index) if wide else 0)
        wanted = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if wanted != self.orientation():
            self.setOrientation(wanted)
            self.setSizes([1] * self.count())       # share the space evenly again
            self.updateGeometry()


def shrinkable(combo: QComboBox, characters: int = 12) -> QComboBox:
    """A combo box as narrow as `characters` letters, however long its longest item (the open
    list still shows each item whole)."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(characters)
    return combo
