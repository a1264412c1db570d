"""The timeline's drawing: a scroll area that paints traced events as arrows and boxes in the
lanes Guest, Hypervisor and CPU, and zooms, scrolls and selects them."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

from virtquest.game.timeline_model import CPU, GUEST, HYPERVISOR, TimelineEvent
from virtquest.gui.i18n import fill
from virtquest.gui.messages import message_text
from virtquest.gui.qt_compare import CATEGORY_COLOURS
from virtquest.gui.qt_editor import is_dark

MIN_STEP, MAX_STEP = 0.5, 400.0
DEFAULT_EMS = 9          # the default spacing of events, in widths of "M" (follows the font)
ZOOM_FACTOR = 1.25
# Which category colour each kind is drawn in (the comparison chart's colours).
KIND_COLOURS = {
    "trap": "trap", "vm_exit": "trap", "hypercall": "hypercall", "callout": "emulation",
    "vm_entry": "guest", "reflect": "guest", "resume": "guest", "emulate": "emulation",
    "inline": "emulation", "translate": "translation", "hidden_fault": "page_walk",
    "exception": "device", "interrupt": "device",
}


def kind_colour(kind: str, palette: QPalette) -> QColor:
    light, dark = CATEGORY_COLOURS[KIND_COLOURS.get(kind, "device")]
    return QColor(dark if is_dark(palette) else light)


class TimelineCanvas(QAbstractScrollArea):
    """Draws the events evenly spaced (`step` pixels apart) in three lanes; the cycles between
    them are written on the ruler when zoomed in."""

    event_clicked = Signal(object)      # TimelineEvent

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.events: list[TimelineEvent] = []
        self.step = self.default_step()
        self.selected: int | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.horizontalScrollBar().valueChanged.connect(self.viewport().update)
        self.setMouseTracking(True)
        self.viewport().setMouseTracking(True)
        self.setMinimumHeight(self.ruler_height() + round(self.fontMetrics().height() * 2.6) * 3)

    # -- model -----------------------------------------------------------------------------
    def set_events(self, events: list[TimelineEvent]) -> None:
        self.events = list(events)
        self.selected = None
        self._update_range()
        self.horizontalScrollBar().setValue(0)
        self.viewport().update()

    def lane_names(self) -> dict[int, str]:
        return {GUEST: self.tr("Guest"), HYPERVISOR: self.tr("Hypervisor"), CPU: self.tr("CPU")}

    def kind_name(self, kind: str) -> str:
        names = {"trap": self.tr("Trap"), "vm_exit": self.tr("VM exit"),
                 "vm_entry": self.tr("VM entry"), "hypercall": self.tr("HyperCall"),
                 "reflect": self.tr("reflect"), "resume": self.tr("resume"),
                 "emulate": self.tr("emulate"), "translate": self.tr("translate"),
                 "inline": self.tr("inline"), "callout": self.tr("callout"),
                 "hidden_fault": self.tr("hidden page fault"),
                 "exception": self.tr("exception"), "interrupt": self.tr("interrupt")}
        return names.get(kind, kind)

    def event_label(self, event: TimelineEvent) -> str:
        if event.kind == "hidden_fault":
            return self.tr("hidden #PF")
        name = self.kind_name(event.kind)
        return f"{name} {event.detail}".strip()

    def default_step(self) -> float:
        return float(self.fontMetrics().horizontalAdvance("M") * DEFAULT_EMS)

    # -- geometry --------------------------------------------------------------------------
    def gutter(self) -> int:
        metrics = self.fontMetrics()
        return max(metrics.horizontalAdvance(n) for n in self.lane_names().values()) + 20

    def ruler_height(self) -> int:
        return round(self.fontMetrics().height() * 1.6)

    def lane_rect(self, lane: int) -> QRectF:
        top = self.ruler_height()
        height = (self.viewport().height() - top) / 3
        return QRectF(0, top + lane * height, self.viewport().width(), height)

    def lane_y(self, lane: int) -> float:
        return self.lane_rect(lane).center().y()

    def x_of(self, index: int) -> float:
        scroll = self.horizontalScrollBar().value()
        return self.gutter() + self.step / 2 + index * self.step - scroll

    def index_at(self, x: float) -> int | None:
        offset = x - self.gutter() + self.horizontalScrollBar().value()
        if offset < 0 or not self.events:
            return None
        index = int(offset // self.step)
        return index if 0 <= index < len(self.events) else None

    def content_width(self) -> int:
        return round(len(self.events) * self.step)

    def relayout(self) -> None:
        """The lane names changed (a new language): new gutter, same events."""
        self._update_range()
        self.viewport().update()

    def _update_range(self) -> None:
        visible = max(1, self.viewport().width() - self.gutter())
        bar = self.horizontalScrollBar()
        bar.setRange(0, max(0, self.content_width() - visible))
        bar.setPageStep(visible)
        bar.setSingleStep(max(1, round(self.step)))

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._update_range()

    # -- zoom ------------------------------------------------------------------------------
    def zoom(self, factor: float, anchor_x: float | None = None) -> None:
        """Change the spacing, keeping the event under `anchor_x` where it is."""
        anchor_x = self.viewport().width() / 2 if anchor_x is None else anchor_x
        world = (anchor_x - self.gutter() + self.horizontalScrollBar().value()) / self.step
        self.step = max(MIN_STEP, min(MAX_STEP, self.step * factor))
        self._update_range()
        self.horizontalScrollBar().setValue(round(world * self.step - anchor_x + self.gutter()))
        self.viewport().update()

    def fit(self) -> None:
        visible = max(1, self.viewport().width() - self.gutter())
        self.step = max(MIN_STEP, min(self.default_step(), visible / max(1, len(self.events))))
        self._update_range()
        self.horizontalScrollBar().setValue(0)
        self.viewport().update()

    def wheelEvent(self, event) -> None:  # noqa: N802
        delta = event.angleDelta().y() or event.angleDelta().x()
        if delta:
            self.zoom(ZOOM_FACTOR if delta > 0 else 1 / ZOOM_FACTOR, event.position().x())
        event.accept()

    # -- selecting -------------------------------------------------------------------------
    def select(self, index: int | None, *, emit: bool = True) -> None:
        if index is None or not 0 <= index < len(self.events):
            return
        self.selected = index
        self._reveal(index)
        self.viewport().update()
        if emit:
            self.event_clicked.emit(self.events[index])

    def _reveal(self, index: int) -> None:
        x = self.x_of(index)
        if x < self.gutter() or x > self.viewport().width():
            bar = self.horizontalScrollBar()
            bar.setValue(round(bar.value() + x - (self.gutter() + self.viewport().width()) / 2))

    def mousePressEvent(self, event) -> None:  # noqa: N802
        self.setFocus()
        index = self.index_at(event.position().x())
        if index is not None:
            self.select(index)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        index = self.index_at(event.position().x())
        self.viewport().setToolTip(self.describe(self.events[index]) if index is not None else "")

    def describe(self, event: TimelineEvent) -> str:
        """What the event was, in the UI's language, with its cycle and address."""
        where = f"{event.address:#010x}"
        return fill(self.tr("%1 · cycle %2 · at %3"), message_text(event.message),
                    f"{event.cycle:,}", where)

    def keyPressEvent(self, event) -> None:  # noqa: N802
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(ZOOM_FACTOR)
        elif key == Qt.Key.Key_Minus:
            self.zoom(1 / ZOOM_FACTOR)
        elif key == Qt.Key.Key_0:
            self.fit()
        elif key in (Qt.Key.Key_Right, Qt.Key.Key_Left):
            step = 1 if key == Qt.Key.Key_Right else -1
            start = -1 if self.selected is None and step > 0 else (self.selected or 0)
            self.select(max(0, min(len(self.events) - 1, start + step)))
        elif key == Qt.Key.Key_Home:
            self.select(0)
        elif key == Qt.Key.Key_End:
            self.select(len(self.events) - 1)
        else:
            super().keyPressEvent(event)

    # -- painting --------------------------------------------------------------------------
    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(self.font())
        self._paint_lanes(painter)
        first, last = self._visible_range()
        painter.setClipRect(QRectF(self.gutter(), 0, self.viewport().width(),
                                   self.viewport().height()))
        if self.selected is not None and first <= self.selected <= last:
            self._paint_selection(painter, self.selected)
        self._paint_ruler(painter, first, last)
        for index in range(first, last + 1):
            self._paint_event(painter, self.events[index])
        painter.end()

    def _visible_range(self) -> tuple[int, int]:
        if not self.events:
            return 0, -1
        first = self.index_at(self.gutter()) or 0
        last = self.index_at(self.viewport().width() - 1)
        return first, len(self.events) - 1 if last is None else last

    def _paint_lanes(self, painter: QPainter) -> None:
        pal = self.palette()
        painter.fillRect(self.viewport().rect(), pal.color(QPalette.ColorRole.Base))
        for lane, name in self.lane_names().items():
            rect = self.lane_rect(lane)
            if lane % 2:
                painter.fillRect(rect, pal.color(QPalette.ColorRole.AlternateBase))
            painter.setPen(pal.color(QPalette.ColorRole.Text))
            label = QRectF(8, rect.top(), self.gutter() - 12, rect.height())
            font = painter.font()
            font.setBold(True)
            painter.setFont(font)
            painter.drawText(label, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                             name)
            font.setBold(False)
            painter.setFont(font)
        painter.setPen(pal.color(QPalette.ColorRole.Mid))
        painter.drawLine(self.gutter(), 0, self.gutter(), self.viewport().height())

    def _paint_selection(self, painter: QPainter, index: int) -> None:
        colour = QColor(self.palette().color(QPalette.ColorRole.Highlight))
        colour.setAlpha(60)
        x = self.x_of(index)
        painter.fillRect(QRectF(x - self.step / 2, 0, max(self.step, 3),
                                self.viewport().height()), colour)

    def _paint_ruler(self, painter: QPainter, first: int, last: int) -> None:
        """Cycle counts above the events, as often as they fit."""
        metrics = QFontMetrics(painter.font())
        pal = self.palette()
        painter.setPen(pal.color(QPalette.ColorRole.PlaceholderText))
        room = metrics.horizontalAdvance("0,000,000") + 12
        every = max(1, int(room // max(self.step, 0.01)) + 1)
        height = self.ruler_height()
        for index in range(first - first % every, last + 1, every):
            x = self.x_of(index)
            if x - room / 2 < self.gutter() - 4:
                continue
            painter.drawText(QRectF(x - room / 2, 0, room, height), Qt.AlignmentFlag.AlignCenter,
                             f"{self.events[index].cycle:,}")

    def _paint_event(self, painter: QPainter, event: TimelineEvent) -> None:
        colour = kind_colour(event.kind, self.palette())
        x = self.x_of(event.index)
        if event.is_arrow:
            self._paint_arrow(painter, event, x, colour)
        else:
            self._paint_box(painter, event, x, colour)

    def _paint_arrow(self, painter: QPainter, event: TimelineEvent, x: float,
                     colour: QColor) -> None:
        y1, y2 = self.lane_y(event.source), self.lane_y(event.target)
        lean = min(self.step * 0.3, 24.0)
        start, end = QPointF(x - lean, y1), QPointF(x + lean, y2)
        pen = QPen(colour, 2.0 if self.step >= 4 else 1.0)
        if event.derived:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawLine(start, end)
        if self.step >= 6:
            _arrow_head(painter, start, end, colour, min(10.0, self.step / 2))
        if self.step >= self._label_room():
            self._paint_label(painter, event, x, (y1 + y2) / 2, colour)

    def _paint_box(self, painter: QPainter, event: TimelineEvent, x: float,
                   colour: QColor) -> None:
        rect = self.lane_rect(event.target)
        line = self.fontMetrics().height()
        height = min(rect.height() * 0.8, line * 2.4)
        width = max(2.0, self.step * 0.85)
        box = QRectF(x - width / 2, rect.center().y() - height / 2, width, height)
        fill_colour = QColor(colour)
        fill_colour.setAlpha(90)
        painter.setPen(QPen(colour, 1.5))
        painter.setBrush(fill_colour)
        painter.drawRoundedRect(box, 4, 4)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if self.step >= self._label_room():
            self._paint_box_text(painter, event, box)

    def _paint_box_text(self, painter: QPainter, event: TimelineEvent, box: QRectF) -> None:
        """The kind, and under it what was emulated or translated, when both lines fit."""
        metrics = self.fontMetrics()
        room = round(box.width()) - 6
        painter.setPen(self.palette().color(QPalette.ColorRole.Text))
        lines = [self.kind_name(event.kind), event.detail] if event.detail else [
            self.kind_name(event.kind)]
        if box.height() < metrics.height() * 2:        # one line: the instruction if not both
            joined = " ".join(lines)
            fits = metrics.horizontalAdvance(joined) <= room
            lines = [joined if fits or not event.detail else event.detail]
        text = "\n".join(metrics.elidedText(t, Qt.TextElideMode.ElideRight, room) for t in lines)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_label(self, painter: QPainter, event: TimelineEvent, x: float, y: float,
                     colour: QColor) -> None:
        metrics = self.fontMetrics()
        width = round(self.step) - 8
        text = metrics.elidedText(self.event_label(event), Qt.TextElideMode.ElideRight, width)
        rect = QRectF(x - width / 2, y - metrics.height() / 2, width, metrics.height())
        background = QColor(self.palette().color(QPalette.ColorRole.Base))
        background.setAlpha(220)
        painter.fillRect(rect.adjusted(-2, 0, 2, 0), background)
        painter.setPen(colour.darker(130) if not is_dark(self.palette()) else colour.lighter(115))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

    def _label_room(self) -> float:
        return self.fontMetrics().horizontalAdvance("VM exit") + 16


def _arrow_head(painter: QPainter, start: QPointF, end: QPointF, colour: QColor,
                size: float) -> None:
    direction = end - start
    length = max((direction.x() ** 2 + direction.y() ** 2) ** 0.5, 1e-6)
    ux, uy = direction.x() / length, direction.y() / length
    base = QPointF(end.x() - ux * size, end.y() - uy * size)
    left = QPointF(base.x() - uy * size / 2, base.y() + ux * size / 2)
    right = QPointF(base.x() + uy * size / 2, base.y() - ux * size / 2)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawPolygon(QPolygonF([end, left, right]))
    painter.setBrush(Qt.BrushStyle.NoBrush)
