"""The timeline: traced events as arrows between the lanes Guest, Hypervisor and CPU."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from virtquest.game.lab_view_trace import CPU, GUEST, HYPERVISOR, Timeline, TimelineEvent
from virtquest.game.sandbox import mode_title
from virtquest.gui.i18n import fill
from virtquest.gui.qt_compare import CATEGORY_COLOURS
from virtquest.gui.qt_editor import is_dark
from virtquest.gui.workers import Worker

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

    eventClicked = Signal(object)      # TimelineEvent

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
            self.eventClicked.emit(self.events[index])

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
        where = f"{event.address:#010x}"
        return fill(self.tr("%1 · cycle %2 · at %3"), self.event_label(event),
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


class TimelineView(QWidget):
    """The canvas with its controls: zoom, fit, "skip the boot", a legend and the selected
    event's details. Clicking an event emits `instructionActivated(address)`."""

    instructionActivated = Signal(int)
    eventSelected = Signal(object)

    def __init__(self, timeline: Timeline | None = None, *, language: str = "en",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.language = language
        self.timeline: Timeline | None = None
        self._busy = False
        self.canvas = TimelineCanvas()
        self.canvas.eventClicked.connect(self._on_event)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.skip_boot = QCheckBox()
        self.skip_boot.setChecked(True)
        self.skip_boot.toggled.connect(self._show_events)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(self._toolbar())
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.legend)
        layout.addWidget(self.detail)
        self.retranslate()
        self.set_timeline(timeline)

    def _toolbar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.skip_boot)
        self.zoom_buttons: list[QToolButton] = []
        for slot in (lambda: self.canvas.zoom(0.8), lambda: self.canvas.zoom(1.25),
                     self.canvas.fit):
            button = QToolButton()
            button.clicked.connect(slot)
            bar.addWidget(button)
            self.zoom_buttons.append(button)
        return bar

    def retranslate(self) -> None:
        """The fixed words in the UI language (again after a LanguageChange)."""
        self.skip_boot.setText(self.tr("Skip the mini-OS boot"))
        for button, text, tip in zip(self.zoom_buttons, ("−", "+", self.tr("Fit")),
                                     (self.tr("Zoom out (−)"), self.tr("Zoom in (+)"),
                                      self.tr("Show every event (0)")), strict=True):
            button.setText(text)
            button.setToolTip(tip)
        self._render_legend()
        selected = self.canvas.selected
        if self.timeline is not None and selected is not None:
            self._on_event(self.canvas.events[selected], emit=False)
        else:
            self.detail.setText(self.tr("Click an event to see its instruction."))

    def _render_legend(self) -> None:
        pal = self.palette()
        items = (("trap", self.tr("Trap / VM exit")),
                 ("vm_entry", self.tr("VM entry / reflect / resume")),
                 ("hypercall", self.tr("HyperCall")),
                 ("emulate", self.tr("emulate")), ("translate", self.tr("translate")),
                 ("hidden_fault", self.tr("hidden page fault")),
                 ("interrupt", self.tr("exception / interrupt")))
        parts = [f"<span style='color:{kind_colour(kind, pal).name()}'>■</span>&nbsp;"
                 f"{text.replace(' ', '&nbsp;')}" for kind, text in items]
        self.legend.setText("&nbsp;&nbsp; ".join(parts))

    # -- model -----------------------------------------------------------------------------
    def set_timeline(self, timeline: Timeline | None) -> None:
        self.timeline = timeline
        self._busy = False
        self._show_events()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.summary.setText(self.tr("Running with the trace on…") if busy
                             else self._summary_text(self.shown_events()))

    def shown_events(self) -> list[TimelineEvent]:
        if self.timeline is None:
            return []
        events = (self.timeline.since_start() if self.skip_boot.isChecked()
                  else self.timeline.events)
        return [_reindexed(e, i) for i, e in enumerate(events)]

    def _show_events(self) -> None:
        events = self.shown_events()
        self.canvas.set_events(events)
        self.summary.setText(self._summary_text(events))

    def _summary_text(self, events: list[TimelineEvent]) -> str:
        if self.timeline is None:
            return self.tr("No run yet.")
        counts = {}
        for event in events:
            if not event.derived:
                counts[event.kind] = counts.get(event.kind, 0) + 1
        parts = [f"{self.canvas.kind_name(kind)} {count}" for kind, count in
                 sorted(counts.items(), key=lambda kv: -kv[1])]
        text = ", ".join(parts) if parts else self.tr("no traps, exits or hypercalls")
        if self.timeline.truncated:
            text += " " + self.tr("(the trace is cut off)")
        return text

    def _on_event(self, event: TimelineEvent, *, emit: bool = True) -> None:
        source = self.timeline.source_line(event.address) if self.timeline else None
        where = self.canvas.describe(event)
        if source is not None:
            origin = self.tr("program") if source.where == "program" else self.tr("mini-OS")
            where += " — " + fill(self.tr("%1 line %2:"), origin, source.line)
            where += f" <code>{html.escape(source.text)}</code>"
        self.detail.setText(where)
        if emit:
            self.eventSelected.emit(event)
            self.instructionActivated.emit(event.address)

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() == QEvent.Type.PaletteChange:
            self._render_legend()
        elif event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.set_busy(self._busy)
            self.canvas.relayout()
        super().changeEvent(event)


def _reindexed(event: TimelineEvent, index: int) -> TimelineEvent:
    if event.index == index:
        return event
    return TimelineEvent(index, event.cycle, event.address, event.kind, event.detail, event.text,
                         event.source, event.target, event.derived)


class TracePage(QWidget):
    """A timeline with a mode chooser, traced on its own worker when shown and out of date.
    `make_job(mode)` is called on the UI thread and returns the job (it snapshots what to run);
    the job returns a Timeline."""

    instructionActivated = Signal(int)
    failed = Signal(object)

    def __init__(self, modes: list[str], make_job: Callable[[str], Callable], *,
                 language: str = "en", default: str | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.make_job = make_job
        self.worker = Worker(self, latest_only=True)
        self.mode = ModeChooser(modes, language, default)
        self.mode.currentIndexChanged.connect(lambda _i: self.invalidate())
        self.timeline = TimelineView(language=language)
        self.timeline.instructionActivated.connect(self.instructionActivated)
        layout = QVBoxLayout(self)
        layout.addLayout(self.mode.row)
        layout.addWidget(self.timeline, 1)
        self._dirty = True

    def invalidate(self) -> None:
        """What the timeline shows is out of date: trace again now if shown, else when shown."""
        self._dirty = True
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        if not self._dirty:
            return
        self._dirty = False
        self.timeline.set_busy(True)
        self.worker.submit(self.make_job(self.mode.currentData()),
                           on_success=self.timeline.set_timeline, on_failure=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.timeline.set_busy(False)
        self.failed.emit(exc)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self.refresh()

    def set_language(self, language: str) -> None:
        self.mode.set_language(language)

    def shutdown(self) -> None:
        self.worker.shutdown()


class ModeChooser(QComboBox):
    """A mode picker by title, with its label in `row`."""

    def __init__(self, modes: list[str], language: str, default: str | None = None):
        super().__init__()
        for mode in modes:
            self.addItem(mode_title(mode, language), mode)
        if default in modes:
            self.setCurrentIndex(modes.index(default))
        self.label = QLabel(self.tr("Mode:"))
        self.label.setBuddy(self)
        self.row = QHBoxLayout()
        self.row.addWidget(self.label)
        self.row.addWidget(self, 1)

    def set_language(self, language: str) -> None:
        self.label.setText(self.tr("Mode:"))
        for index in range(self.count()):
            self.setItemText(index, mode_title(self.itemData(index), language))
