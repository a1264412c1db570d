"""The timeline view around its canvas (qt_timeline_canvas): zoom controls, legend and the
selected event's details; the page that traces a run for it, and the mode chooser."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from virtquest.game.timeline_model import Timeline, TimelineEvent
from virtquest.gui.i18n import fill
from virtquest.gui.qt_timeline_canvas import TimelineCanvas, kind_colour
from virtquest.gui.workers import Worker
from virtquest.hv.registry import mode_title


class TimelineView(QWidget):
    """The canvas with its controls: zoom, fit, "skip the boot", a legend and the selected
    event's details. Clicking an event emits `instruction_activated(address)`."""

    instruction_activated = Signal(int)
    event_selected = Signal(object)

    def __init__(self, timeline: Timeline | None = None, *, language: str = "en",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.language = language
        self.timeline: Timeline | None = None
        self._busy = False
        self.canvas = TimelineCanvas()
        self.canvas.event_clicked.connect(self._on_event)
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
        where = html.escape(self.canvas.describe(event), quote=False)
        if source is not None:
            origin = self.tr("program") if source.where == "program" else self.tr("mini-OS")
            where += " — " + fill(self.tr("%1 line %2:"), origin, source.line)
            where += f" <code>{html.escape(source.text)}</code>"
        self.detail.setText(where)
        if emit:
            self.event_selected.emit(event)
            self.instruction_activated.emit(event.address)

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() == QEvent.Type.PaletteChange:
            self._render_legend()
        elif event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.set_busy(self._busy)
            self.canvas.relayout()
        super().changeEvent(event)


def _reindexed(event: TimelineEvent, index: int) -> TimelineEvent:
    return event if event.index == index else replace(event, index=index)


class TracePage(QWidget):
    """A timeline with a mode chooser, traced on its own worker when shown and out of date.
    `make_job(mode)` is called on the UI thread and returns the job (it snapshots what to run);
    the job returns a Timeline."""

    instruction_activated = Signal(int)
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
        self.timeline.instruction_activated.connect(self.instruction_activated)
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
