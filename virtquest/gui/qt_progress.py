"""The progress view: level and XP, streak, stars per chapter, the review forecast and XP over time
(QtCharts), and every achievement with how close the learner is.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QDateTimeAxis,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QDateTime, QEvent, QMargins, Qt
from PySide6.QtGui import QFont, QPainter, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from virtquest.game.chapters import ChapterMap
from virtquest.gui.i18n import fill, pick
from virtquest.gui.models import LearnerSession
from virtquest.gui.theme import colour
from virtquest.gui.widgets import scrolling, wrapped

FORECAST_DAYS = 14
CHART_LINES = 17  # a chart is this many text lines tall, so it grows with the font scale


def day_label(day) -> str:
    """The day of the month: short enough for fourteen bars side by side at any text size
    (the axis title says the months: `days_span`)."""
    return str(day.day)


def days_span(days: list) -> str:
    """The first and last day as month/day ("5/30 – 6/12")."""
    if not days:
        return ""
    first, last = days[0].day, days[-1].day
    return f"{first.month}/{first.day} – {last.month}/{last.day}"


def palette_theme(widget: QWidget) -> str:
    """The theme a widget is drawn in, from its palette (light or dark)."""
    return "dark" if widget.palette().color(QPalette.ColorRole.Base).lightness() < 128 \
        else "light"


def style_chart(chart: QChart, font: QFont, theme: str | None = None) -> None:
    """Colours from the theme and the app's font (which draws Hangul) for every text."""
    chart.setBackgroundBrush(colour("base", theme))
    chart.setBackgroundRoundness(8)
    chart.setMargins(QMargins(6, 6, 6, 6))
    title_font = QFont(font)
    title_font.setBold(True)
    chart.setTitleFont(title_font)
    chart.setTitleBrush(colour("text", theme))
    chart.legend().setFont(font)
    chart.legend().setLabelColor(colour("text", theme))
    for axis in chart.axes():
        axis.setLabelsFont(font)
        axis.setLabelsColor(colour("muted", theme))
        axis.setTitleFont(font)
        axis.setTitleBrush(colour("muted", theme))
        axis.setGridLineColor(colour("border", theme))
        axis.setLinePenColor(colour("border", theme))


def chart_view(chart: QChart, font: QFont, lines: int = CHART_LINES,
               theme: str | None = None) -> QChartView:
    style_chart(chart, font, theme)
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(view.fontMetrics().height() * lines)
    view.setStyleSheet("background: transparent;")
    return view


def stars_chart(model: ChapterMap, title: str, earned: str, possible: str,
                theme: str | None = None) -> QChart:
    got, room = QBarSet(earned), QBarSet(possible)
    got.setColor(colour("star", theme))
    room.setColor(colour("chart_b", theme))
    categories = []
    for chapter in model.chapters:
        got.append(chapter.stars)
        room.append(chapter.max_stars)
        categories.append(str(chapter.info.number))
    series = QBarSeries()
    series.append(got)
    series.append(room)
    return _bar_chart(series, categories, title, max(3, max((c.max_stars for c in
                                                              model.chapters), default=3)))


def forecast_chart(days: list, title: str, label: str, theme: str | None = None) -> QChart:
    bars = QBarSet(label)
    bars.setColor(colour("chart_a", theme))
    for day in days:
        bars.append(day.due)
    series = QBarSeries()
    series.append(bars)
    chart = _bar_chart(series, [day_label(d.day) for d in days], title,
                       max(4, max((d.due for d in days), default=0)))
    chart.axes(Qt.Orientation.Horizontal)[0].setTitleText(days_span(days))
    chart.legend().hide()
    return chart


def _bar_chart(series: QBarSeries, categories: list[str], title: str, top: int) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.addSeries(series)
    x = QBarCategoryAxis()
    x.append(categories)
    y = QValueAxis()
    y.setRange(0, top)
    y.applyNiceNumbers()
    y.setLabelFormat("%d")
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(x)
    series.attachAxis(y)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    return chart


def xp_chart(events: list, title: str, now: datetime, theme: str | None = None) -> QChart:
    """Total XP at the end of each day with activity, starting from zero the day before."""
    totals: dict = {}
    running = 0
    for event in events:
        running += event.amount
        totals[event.at.astimezone().date()] = running
    start = min(totals, default=now.date()) - timedelta(days=1)
    points = [(start, 0), *sorted(totals.items())]
    if points[-1][0] < now.date():
        points.append((now.date(), running))
    series = QLineSeries()
    series.setPointsVisible(True)
    series.setColor(colour("accent", theme))
    for day, total in points:
        series.append(QDateTime(day, datetime.min.time()).toMSecsSinceEpoch(), total)
    chart = QChart()
    chart.setTitle(title)
    chart.addSeries(series)
    x = QDateTimeAxis()
    x.setFormat("M/d")
    x.setTickCount(min(6, max(2, len(points))))
    y = QValueAxis()
    y.setRange(0, max(50, running + running // 10))
    y.applyNiceNumbers()
    y.setLabelFormat("%d")
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(x)
    series.attachAxis(y)
    chart.legend().hide()
    return chart


class StatTile(QFrame):
    """A number with a caption (and an optional bar)."""

    def __init__(self, with_bar: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.setProperty("role", "card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        self.value = QLabel()
        self.value.setProperty("role", "heading")
        self.caption = wrapped(role="muted")
        layout.addWidget(self.value)
        layout.addWidget(self.caption)
        self.bar = QProgressBar() if with_bar else None
        if self.bar is not None:
            self.bar.setTextVisible(False)
            self.bar.setMaximumHeight(max(6, self.fontMetrics().height() // 2))
            layout.addWidget(self.bar)


class QtProgress(QWidget):
    """Follows the session: every recorded answer or attempt redraws the numbers and charts."""

    def __init__(self, session: LearnerSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.charts: list[QChartView] = []
        self._stale = False      # a setting changed while hidden: redrawn when shown
        page = QWidget()
        self.body = QVBoxLayout(page)
        self.body.setContentsMargins(28, 20, 28, 20)
        self.body.setSpacing(14)
        self.title = QLabel()
        self.title.setProperty("role", "title")
        self.tiles = [StatTile(with_bar=True), StatTile(), StatTile(), StatTile()]
        tiles = QHBoxLayout()
        for tile in self.tiles:
            tiles.addWidget(tile, 1)
        self.chart_grid = QGridLayout()
        self.chart_grid.setSpacing(14)
        for column in (0, 1):     # halves, however wide a redrawn chart would like to be
            self.chart_grid.setColumnStretch(column, 1)
        self.achievements_title = QLabel()
        self.achievements_title.setProperty("role", "heading")
        self.achievements = QGridLayout()
        self.achievements.setHorizontalSpacing(16)
        self.achievements.setColumnStretch(1, 1)
        self.body.addWidget(self.title)
        self.body.addLayout(tiles)
        self.body.addLayout(self.chart_grid)
        self.body.addWidget(self.achievements_title)
        self.body.addLayout(self.achievements)
        self.body.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scrolling(page))
        for signal in (session.progress_changed, session.profile_changed,
                       session.content_changed):
            signal.connect(self.refresh)
        self.refresh()

    def refresh(self, now: datetime | None = None) -> None:
        now = now or datetime.now().astimezone()
        self.title.setText(self.tr("Progress"))
        self._tiles(now)
        self._charts(now)
        self._achievements(now)

    def _tiles(self, now: datetime) -> None:
        stats = self.session.header(now)
        level, streak = stats.level, stats.streak
        model = self.session.chapter_map()
        tile = self.tiles[0]
        tile.value.setText(fill(self.tr("Level %1"), level.level))
        tile.caption.setText(fill(self.tr("%1 / %2 XP to level %3"), level.xp_into_level,
                                  level.xp_for_next, level.level + 1))
        tile.bar.setRange(0, level.xp_for_next)
        tile.bar.setValue(level.xp_into_level)
        self.tiles[1].value.setText(fill(self.tr("%1 XP"), stats.xp))
        self.tiles[1].caption.setText(self.tr("earned in total"))
        self.tiles[2].value.setText(fill(self.tr("%1-day streak"), streak.days))
        self.tiles[2].caption.setText(
            self.tr("You studied today.") if streak.active_today else
            self.tr("Answer one question today to keep it."))
        self.tiles[3].value.setText(f"★ {model.total_stars} / {model.total_max_stars}")
        self.tiles[3].caption.setText(self.tr("stars in the lab"))

    def _charts(self, now: datetime) -> None:
        for view in self.charts:
            self.chart_grid.removeWidget(view)
            view.deleteLater()
        font, theme = self.font(), palette_theme(self)
        stars = stars_chart(self.session.chapter_map(), self.tr("Stars per chapter"),
                            self.tr("earned"), self.tr("possible"), theme)
        forecast = forecast_chart(self.session.forecast(FORECAST_DAYS, now),
                                  self.tr("Reviews due, next 14 days"), self.tr("due"), theme)
        xp = xp_chart(self.session.store.xp_events(self.session.profile_id),
                      self.tr("XP over time"), now, theme)
        self.charts = [chart_view(chart, font, theme=theme) for chart in (stars, forecast, xp)]
        # Fourteen days need the whole width to be read; stars and XP share a row.
        self.chart_grid.addWidget(self.charts[0], 0, 0)
        self.chart_grid.addWidget(self.charts[2], 0, 1)
        self.chart_grid.addWidget(self.charts[1], 1, 0, 1, 2)

    def _achievements(self, now: datetime) -> None:
        from virtquest.game.achievements import AchievementsError, achievement_progress

        _clear(self.achievements)
        try:
            progress = achievement_progress(self.session.store, self.session.profile_id, now=now)
        except AchievementsError as exc:
            self.achievements_title.setText(self.tr("Achievements"))
            self.achievements.addWidget(wrapped(str(exc), "muted"), 0, 0, 1, 3)
            return
        unlocked = sum(1 for p in progress if p.unlocked_at)
        self.achievements_title.setText(fill(self.tr("Achievements (%1 of %2)"), unlocked,
                                             len(progress)))
        for row, item in enumerate(progress):
            self._achievement_row(row, item)

    def _achievement_row(self, row: int, item) -> None:
        done = item.unlocked_at is not None
        name = QLabel(("✔ " if done else "") + pick(item.achievement.title))
        name.setProperty("verdict", "right" if done else None)
        if not done:
            name.setProperty("role", "big")
        text = wrapped(pick(item.achievement.description), "muted")
        goal = item.achievement.condition.at_least
        if done:
            when = item.unlocked_at.astimezone()
            status = QLabel(when.strftime("%Y-%m-%d"))
        else:
            status = QLabel(f"{min(item.value, goal)} / {goal}")
        status.setProperty("role", "muted")
        self.achievements.addWidget(name, row, 0, Qt.AlignmentFlag.AlignTop)
        self.achievements.addWidget(text, row, 1)
        self.achievements.addWidget(status, row, 2, Qt.AlignmentFlag.AlignTop)

    def changeEvent(self, event) -> None:  # noqa: N802
        # Redrawn at once when shown; hidden, only the title is retranslated at once and the
        # rest (numbers, charts, achievements) when it is next shown: a change of language,
        # text size or theme does not wait for a view nobody sees.
        if event.type() == QEvent.Type.LanguageChange:
            self.title.setText(self.tr("Progress"))
            self._redraw(self.refresh)
        elif event.type() == QEvent.Type.FontChange:
            self._redraw(self.refresh)
        elif event.type() == QEvent.Type.PaletteChange:
            self._redraw(lambda: self._charts(datetime.now().astimezone()))
        super().changeEvent(event)

    def _redraw(self, redraw) -> None:
        if self.isVisible():
            redraw()
        else:
            self._stale = True

    def showEvent(self, event) -> None:  # noqa: N802
        if self._stale:
            self._stale = False
            self.refresh()
        super().showEvent(event)


def _clear(layout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item.widget() is not None:
            item.widget().deleteLater()

