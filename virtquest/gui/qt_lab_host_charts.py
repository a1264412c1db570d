"""The Host tab's two charts (QtCharts), on one time axis in host cycles: the host's frames in use
with the guest pages shared, swapped and ballooned, and a live migration's rounds as bars whose
width is the time each took and whose height is the pages it sent, the last one the downtime."""

from __future__ import annotations

from PySide6.QtCharts import (
    QAreaSeries,
    QChart,
    QChartView,
    QLineSeries,
    QScatterSeries,
    QValueAxis,
)
from PySide6.QtCore import QEvent, QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from virtquest.game.host_model import HostPicture, MigrationPicture
from virtquest.gui.i18n import fill
from virtquest.gui.qt_editor import is_dark
from virtquest.gui.theme import COLORS

MILLION = 1_000_000
# Line and bar colours (light palette, dark palette); a reclaimed state in its grid cell's colour.
LINE_COLOURS = {
    "frames": ("#1c2330", "#e4e8ee"),
    "limit": ("#c0392b", "#ff7b6b"),
    "shared": ("#2f6bd8", "#79b8ff"),
    "swapped": ("#d64541", "#ff7b72"),
    "ballooned": ("#8e5bd0", "#d2a8ff"),
    "precopy": ("#2f6bd8", "#79b8ff"),
    "downtime": ("#d64541", "#ff7b72"),
}


def line_colour(key: str, palette: QPalette) -> QColor:
    light, dark = LINE_COLOURS[key]
    return QColor(dark if is_dark(palette) else light)


def megacycles(cycles: int) -> str:
    """Cycles as the charts' axis counts them: millions, to two places."""
    return f"{cycles / MILLION:.2f}"


def nice_top(value: int) -> int:
    """A round number a little above `value` (room for a bar's label), whose half is round
    too: 10, 12, 15, 20, 25, 30, 40, 50, 60, 80, 100, 120, …"""
    scale = 1
    while True:
        for factor in (10, 12, 15, 20, 25, 30, 40, 50, 60, 80):
            if factor * scale >= value * 1.08:
                return factor * scale
        scale *= 10


class _TimeChart(QWidget):
    """A chart over host time, with a caption above and a legend of coloured marks below. The
    view takes the keyboard focus, and its accessible description says what it shows in words."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.picture: HostPicture | None = None
        self.chart = QChart()
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.chart.legend().setVisible(False)
        self.chart.setMargins(QMargins(2, 2, 2, 2))
        self.view = QChartView(self.chart)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setProperty("role", "muted")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.caption)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.legend)

    def set_picture(self, picture: HostPicture | None) -> None:
        self.picture = picture
        self._forget()                      # the chart deletes its series: drop them first
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        if picture is not None:
            self._build(picture)
        self._apply_palette()
        self.retranslate()

    def _build(self, picture: HostPicture) -> None:
        raise NotImplementedError

    def _forget(self) -> None:
        raise NotImplementedError

    def _axes(self, series: list, end: int, top: int) -> None:
        time = QValueAxis()
        time.setRange(0, max(end, 1) / MILLION)
        time.setLabelFormat("%.1f")
        time.applyNiceNumbers()
        count = QValueAxis()
        count.setRange(0, nice_top(top))
        count.setLabelFormat("%d")
        count.setTickCount(3)          # 0, half and the top: room for them in a small chart
        self.chart.addAxis(time, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(count, Qt.AlignmentFlag.AlignLeft)
        for one in series:
            self.chart.addSeries(one)
            one.attachAxis(time)
            one.attachAxis(count)

    def _apply_palette(self) -> None:
        """The theme's colours and the text's size (the chart is as tall as seven lines)."""
        line = self.fontMetrics().height()
        self.view.setMinimumSize(line * 9, line * 7)
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.Text)
        self.chart.setBackgroundBrush(pal.color(QPalette.ColorRole.Base))
        self.chart.setPlotAreaBackgroundVisible(False)
        for axis in self.chart.axes():
            axis.setLabelsColor(text)
            axis.setLabelsFont(self.font())
            axis.setGridLineColor(pal.color(QPalette.ColorRole.Mid))
            axis.setLinePenColor(pal.color(QPalette.ColorRole.Mid))
        self._colour_series(pal)
        self.retranslate()

    def _colour_series(self, pal: QPalette) -> None:
        raise NotImplementedError

    def retranslate(self) -> None:
        raise NotImplementedError

    def _mark(self, key: str, text: str, glyph: str = "━") -> str:
        return (f"<span style='color:{line_colour(key, self.palette()).name()}'>{glyph}</span>"
                f"&nbsp;{text.replace(' ', '&nbsp;')}")

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self._apply_palette()
        elif event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class FramesChart(_TimeChart):
    """Host frames in use over time against the host's limit; shared, swapped and ballooned
    guest pages beside them when the run had any."""

    def __init__(self, parent: QWidget | None = None):
        self.lines: dict[str, QLineSeries] = {}
        super().__init__(parent)

    def _forget(self) -> None:
        self.lines = {}

    def _build(self, picture: HostPicture) -> None:
        for line in picture.series:
            series = QLineSeries()
            series.append([QPointF(at / MILLION, value) for at, value in line.points])
            self.lines[line.key] = series
        top = max(line.peak for line in picture.series)
        if picture.frames_total is not None:
            limit = QLineSeries()
            limit.append([QPointF(0, picture.frames_total),
                          QPointF(picture.end / MILLION, picture.frames_total)])
            self.lines["limit"] = limit
            top = max(top, picture.frames_total)
        self._axes(list(self.lines.values()), picture.end, top)

    def _colour_series(self, pal: QPalette) -> None:
        for key, series in self.lines.items():
            pen = QPen(line_colour(key, pal))
            pen.setWidthF(2.2 if key == "frames" else 1.6)
            if key == "limit":
                pen.setStyle(Qt.PenStyle.DashLine)
            series.setPen(pen)

    def line_name(self, key: str) -> str:
        return {"frames": self.tr("frames in use"), "limit": self.tr("the host's frames"),
                "shared": self.tr("shared"), "swapped": self.tr("swapped out"),
                "ballooned": self.tr("ballooned")}[key]

    def retranslate(self) -> None:
        self.caption.setText(self.tr("Host memory (millions of cycles)"))
        self.legend.setText("&nbsp;&nbsp; ".join(
            self._mark(key, self.line_name(key), "┅" if key == "limit" else "━")
            for key in self.lines))
        self.view.setAccessibleName(self.tr("Host memory over time"))
        picture = self.picture
        if picture is None:
            self.view.setAccessibleDescription("")
            return
        peaks = [fill(self.tr("%1: at most %2"), self.line_name(line.key), line.peak)
                 for line in picture.series]
        self.view.setAccessibleDescription("; ".join(peaks))
        self.view.setToolTip("\n".join(peaks))


class MigrationChart(_TimeChart):
    """A live migration's rounds on the time axis: each a bar from its start to its end, as
    high as the pages it sent; the stop-and-copy bar, in the downtime's colour, last.
    `numbers_text` says the rounds, pages sent, total time and downtime in numbers."""

    def __init__(self, parent: QWidget | None = None):
        self.bars: list[tuple[QAreaSeries, bool]] = []     # (bar, is the stop-and-copy)
        self.labels: QScatterSeries | None = None
        super().__init__(parent)

    @property
    def migration(self) -> MigrationPicture | None:
        return self.picture.migration if self.picture is not None else None

    def _forget(self) -> None:
        self.bars, self.labels = [], None

    def _build(self, picture: HostPicture) -> None:
        migration = picture.migration
        if migration is None:
            return
        labels = QScatterSeries()
        labels.setMarkerSize(1)
        labels.setPointLabelsFormat("@yPoint")
        labels.setPointLabelsVisible(True)
        labels.setPointLabelsClipping(False)
        series: list = []
        for bar in migration.rounds:
            upper = QLineSeries()
            start, end = bar.start / MILLION, max(bar.end, bar.start + 1) / MILLION
            upper.append([QPointF(start, 0), QPointF(start, bar.pages),
                          QPointF(end, bar.pages), QPointF(end, 0)])
            area = QAreaSeries(upper)
            upper.setParent(area)           # deleted with its bar when the chart is cleared
            self.bars.append((area, bar.stop_and_copy))
            series.append(area)
            labels.append(QPointF((start + end) / 2, bar.pages))
        self.labels = labels
        series.append(labels)
        top = max((bar.pages for bar in migration.rounds), default=1)
        self._axes(series, picture.end, top)

    def _colour_series(self, pal: QPalette) -> None:
        for area, stop in self.bars:
            colour = line_colour("downtime" if stop else "precopy", pal)
            fill_colour = QColor(colour)
            fill_colour.setAlpha(170)
            area.setBrush(fill_colour)
            area.setPen(QPen(colour, 1.2))
        if self.labels is not None:
            text = pal.color(QPalette.ColorRole.Text)
            self.labels.setColor(QColor(0, 0, 0, 0))
            self.labels.setBorderColor(QColor(0, 0, 0, 0))
            self.labels.setPointLabelsColor(text)
            self.labels.setPointLabelsFont(self.font())

    def retranslate(self) -> None:
        self.caption.setText(self.tr("Migration: pages sent per round (millions of cycles)"))
        self.legend.setText("&nbsp;&nbsp; ".join((
            self._mark("precopy", self.tr("pre-copy, the guest runs"), "■"),
            self._mark("downtime", self.tr("stop-and-copy: the downtime"), "■"))))
        self.view.setAccessibleName(self.tr("Live migration rounds"))
        migration = self.migration
        rounds = "\n".join(self.round_text(bar) for bar in migration.rounds) \
            if migration is not None else ""
        self.view.setAccessibleDescription(rounds)
        self.view.setToolTip(rounds)

    def round_text(self, bar) -> str:
        if bar.stop_and_copy:
            return fill(self.tr("Stop-and-copy: %1 pages, %2–%3 M cycles (downtime)"),
                        bar.pages, megacycles(bar.start), megacycles(bar.end))
        return fill(self.tr("Round %1: %2 pages, %3–%4 M cycles, %5 pages dirtied meanwhile"),
                    bar.number, bar.pages, megacycles(bar.start), megacycles(bar.end),
                    bar.dirtied)

    def numbers_text(self, migration: MigrationPicture) -> str:
        if not migration.finished:
            return self.tr("The guest finished before the migration could move it.")
        parts = [fill(self.tr("Live migration — pre-copy rounds: %1"),
                      len(migration.precopy_rounds)),
                 fill(self.tr("pages sent: %1"), f"{migration.pages_sent:,}"),
                 fill(self.tr("total: %1 cycles"), f"{migration.total:,}")]
        downtime = fill(self.tr("downtime: %1 cycles"), f"{migration.downtime:,}")
        ok = migration.within_bound
        if ok is not None:
            downtime += " " + fill(self.tr("(goal: at most %1)"),
                                   f"{migration.downtime_bound:,}")
        colour = COLORS["dark" if is_dark(self.palette()) else "light"][
            "wrong" if ok is False else "right"]
        mark = {True: "✔ ", False: "✘ ", None: ""}[ok]
        parts.append(f"<b style='color:{colour}'>{mark}{downtime}</b>" if ok is not None
                     else f"<b>{downtime}</b>")
        parts.append(self.tr("converged") if migration.converged else
                     "<b>" + self.tr("did not converge: the guest dirtied pages faster than "
                                     "the link sent them, so the last round was stopped "
                                     "with many pages left") + "</b>")
        return " · ".join(parts)
