"""Small widgets every view uses: wrapping labels, the primary button, readable scrolling pages."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QWidget,
)


def wrapped(text: str = "", role: str | None = None) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    if role:
        label.setProperty("role", role)
    return label


class ReadableColumn(QWidget):
    """Holds a page at most `columns` characters wide (long lines are hard to read)."""

    def __init__(self, page: QWidget, columns: int):
        super().__init__()
        self.page, self.columns = page, columns
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(page, 1)
        layout.addStretch(0)
        self._limit()

    def _limit(self) -> None:
        self.page.setMaximumWidth(self.fontMetrics().averageCharWidth() * self.columns)

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() == QEvent.Type.FontChange:
            self._limit()
        super().changeEvent(event)


def scrolling(widget: QWidget, columns: int | None = None) -> QScrollArea:
    """`widget` in a scroll area that follows the window's width: at 200% text still fits."""
    widget.setObjectName("page")
    if columns:
        widget = ReadableColumn(widget, columns)
        widget.setObjectName("page")
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(widget)
    return area


class FitArea(QScrollArea):
    """A page that fills the area and scrolls only when the area is smaller than the page can
    be: narrower than its minimum width, or shorter than its minimum height at this width
    (wrapped text counted). Its own minimum is small, so the page never widens the window.
    (`widgetResizable` would give the page its preferred height, and it would always scroll.)"""

    def __init__(self, page: QWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidget(page)
        page.installEventFilter(self)
        self.viewport().installEventFilter(self)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        return QSize(bar * 4, bar * 4)

    def sizeHint(self) -> QSize:  # noqa: N802
        page = self.widget()
        return page.sizeHint() if page is not None else super().sizeHint()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        kind = event.type()
        if kind == QEvent.Type.LayoutRequest or (kind == QEvent.Type.Resize
                                                  and watched is self.viewport()):
            self.fit()
        return super().eventFilter(watched, event)

    def fit(self) -> None:
        page = self.widget()
        if page is None:
            return
        room = self.viewport().size()
        width = max(room.width(), page.minimumSizeHint().width(), page.minimumWidth())
        height = max(room.height(), minimum_height(page, width))
        if page.size() != QSize(width, height):
            page.resize(width, height)


def minimum_height(widget: QWidget, width: int) -> int:
    """The least height `widget` can have at `width`, wrapped text included."""
    height = max(widget.minimumSizeHint().height(), widget.minimumHeight())
    layout = widget.layout()
    if layout is not None and layout.hasHeightForWidth():
        height = max(height, layout.totalMinimumHeightForWidth(width))
    return height


def primary(text: str = "") -> QPushButton:
    button = QPushButton(text)
    button.setProperty("role", "primary")
    button.setAutoDefault(True)
    return button
