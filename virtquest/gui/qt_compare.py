"""The mode comparison: a QtCharts stacked bar of each mode's cycles by breakdown category."""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QEvent, QMargins, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from virtquest.emu.costs import CATEGORIES
from virtquest.gui.qt_editor import is_dark
from virtquest.hv.mode import ModeRun
from virtquest.hv.registry import mode_title

# Category colours (light palette, dark palette); guest work green, the hypervisor's reds/oranges.
CATEGORY_COLOURS = {
    "guest": ("#3f9b5a", "#5fcf80"),
    "trap": ("#d64541", "#ff7b72"),
    "emulation": ("#ee8a2a", "#ffa657"),
    "translation": ("#8e5bd0", "#d2a8ff"),
    "hypercall": ("#2f6bd8", "#79b8ff"),
    "page_walk": ("#8d6e4a", "#c9a27a"),
    "device": ("#6b7a8f", "#a9b6c8"),
    "idle": ("#b8c2d0", "#55606e"),
    "host": ("#b0417a", "#f08cc0"),
}


class CompareChart(QWidget):
    """Cycles by category (guest direct, trap/exit, emulation, …), one bar per mode."""

    def __init__(self, runs: list[ModeRun] | None = None, *, language: str = "en",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.language = language
        self.runs: list[ModeRun] = []
        self.sets: dict[str, QBarSet] = {}
        self.chart = QChart()
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.chart.legend().setVisible(False)      # a wrapping legend below reads better
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.view = QChartView(self.chart)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.empty = QLabel(self.tr("Run the program to compare the modes."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.empty)
        layout.addWidget(self.view, 1)
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.legend)
        self.note = QLabel()                    # why a ratio is large (the sandbox words it)
        self.note.setWordWrap(True)
        self.note.setContentsMargins(8, 0, 8, 4)
        self.note.setProperty("role", "muted")
        self.note.hide()
        layout.addWidget(self.note)
        self.set_runs(runs or [])

    def category_label(self, key: str) -> str:
        labels = {
            "guest": self.tr("guest, direct on the CPU"),
            "trap": self.tr("trap / VM exit and entry"),
            "emulation": self.tr("emulation in the hypervisor"),
            "translation": self.tr("binary translation"),
            "hypercall": self.tr("hypercalls"),
            "page_walk": self.tr("page walks"),
            "device": self.tr("device access"),
            "idle": self.tr("idle (waiting for the timer)"),
            "host": self.tr("host work (switching guests, scanning pages, migrating)"),
        }
        return labels[key]

    def short_mode_name(self, mode: str) -> str:
        names = {"native": self.tr("Native"), "trap-emulate": self.tr("Trap & emulate"),
                 "binary-translation": self.tr("Binary translation"),
                 "paravirt": self.tr("Paravirtualization"),
                 "hardware-assist": self.tr("Hardware-assisted")}
        return names.get(mode, mode)

    def set_note(self, text: str) -> None:
        """A sentence under the chart ("" hides it)."""
        self.note.setText(text)
        self.note.setVisible(bool(text) and bool(self.runs))

    def mode_label(self, run: ModeRun) -> str:
        return f"{self.short_mode_name(run.mode)} ×{run.overhead:.2f}"

    def set_runs(self, runs: list[ModeRun]) -> None:
        """Show these runs (first at the top), one bar set per breakdown category."""
        self.runs = list(runs)
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        self.sets = {}
        self.empty.setVisible(not self.runs)
        self.view.setVisible(bool(self.runs))
        self.legend.setVisible(bool(self.runs))
        self.note.setVisible(bool(self.runs) and bool(self.note.text()))
        if self.runs:
            self._build()

    def _build(self) -> None:
        series = QHorizontalStackedBarSeries()
        ordered = list(reversed(self.runs))          # the chart draws its first bar lowest
        for key in CATEGORIES:
            bar_set = QBarSet(self.category_label(key))
            bar_set.append([float(run.result.breakdown.get(key, 0)) for run in ordered])
            series.append(bar_set)
            self.sets[key] = bar_set
        series.setBarWidth(0.6)
        self.chart.addSeries(series)
        modes = QBarCategoryAxis()
        modes.append([self.mode_label(run) for run in ordered])
        cycles = QValueAxis()
        cycles.setLabelFormat("%.0f")
        cycles.setTitleText(self.tr("cycles"))
        self.chart.addAxis(modes, Qt.AlignmentFlag.AlignLeft)
        self.chart.addAxis(cycles, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(modes)
        series.attachAxis(cycles)
        cycles.setRange(0, max(1, max(run.result.cycles for run in self.runs)))
        cycles.applyNiceNumbers()
        self._apply_palette()

    def used_categories(self) -> list[str]:
        """Categories some run spent cycles on (the legend names only these)."""
        return [key for key in CATEGORIES
                if any(run.result.breakdown.get(key, 0) for run in self.runs)]

    def _render_legend(self, dark: bool) -> None:
        parts = [f"<span style='color:{CATEGORY_COLOURS[key][1 if dark else 0]}'>■</span>"
                 f"&nbsp;{self.category_label(key).replace(' ', '&nbsp;')}"
                 for key in self.used_categories()]
        self.legend.setText("&nbsp;&nbsp;&nbsp; ".join(parts))
        tips = [f"{mode_title(run.mode, self.language)}: {run.result.cycles:,} "
                + self.tr("cycles") for run in self.runs]
        self.view.setToolTip("\n".join(tips))

    def _apply_palette(self) -> None:
        pal = self.palette()
        dark = is_dark(pal)
        text = pal.color(QPalette.ColorRole.Text)
        self.chart.setBackgroundBrush(pal.color(QPalette.ColorRole.Base))
        self.chart.setPlotAreaBackgroundVisible(False)
        self._render_legend(dark)
        for key, bar_set in self.sets.items():
            colour = QColor(CATEGORY_COLOURS[key][1 if dark else 0])
            bar_set.setColor(colour)
            bar_set.setBorderColor(colour.darker(115))
        for axis in self.chart.axes():
            axis.setLabelsColor(text)
            axis.setLabelsFont(self.font())
            axis.setTitleBrush(text)
            axis.setTitleFont(self.font())
            axis.setGridLineColor(pal.color(QPalette.ColorRole.Mid))
            axis.setLinePenColor(pal.color(QPalette.ColorRole.Mid))

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self._apply_palette()
        elif event.type() == QEvent.Type.LanguageChange:
            self.empty.setText(self.tr("Run the program to compare the modes."))
            self.set_runs(self.runs)
        super().changeEvent(event)
