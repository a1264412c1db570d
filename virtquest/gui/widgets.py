"""Small widgets every view uses: wrapping labels, the primary button, readable scrolling pages."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QScrollArea, QSizePolicy, QWidget


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


def primary(text: str = "") -> QPushButton:
    button = QPushButton(text)
    button.setProperty("role", "primary")
    button.setAutoDefault(True)
    return button
