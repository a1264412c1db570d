"""The lab's Host tab, for a level whose guests run on one host (chapter 12): each guest's memory
as a grid of its pages (untouched, resident, shared, swapped, ballooned), the host's frames in
use and over time, and a live migration's rounds with its downtime (qt_lab_host_charts.py). What it
draws is the Qt-free `HostPicture` (game/host_model.py)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from virtquest.content.levels import Level
from virtquest.game.host_model import COLUMNS, PAGE_STATES, GuestMemory, HostPicture, host_picture
from virtquest.game.play import LabResult
from virtquest.gui.i18n import fill
from virtquest.gui.layouts import AdaptiveSplitter, FlowLayout
from virtquest.gui.qt_editor import is_dark
from virtquest.gui.qt_lab_host_charts import FramesChart, MigrationChart
from virtquest.gui.theme import set_role
from virtquest.gui.widgets import FitArea
from virtquest.hv.mode import ModeRun

# Page state colours (light palette, dark palette): the guest's own pages green as in the
# comparison chart, shared blue, swapped red, ballooned purple; an untouched page is an outline.
STATE_COLOURS = {
    "untouched": ("#b8c2d0", "#55606e"),
    "resident": ("#3f9b5a", "#5fcf80"),
    "shared": ("#2f6bd8", "#79b8ff"),
    "swapped": ("#d64541", "#ff7b72"),
    "ballooned": ("#8e5bd0", "#d2a8ff"),
}


CHART_COLUMNS = 44              # the charts' comfortable width, in characters of the text


def state_colour(state: str, palette: QPalette) -> QColor:
    light, dark = STATE_COLOURS[state]
    return QColor(dark if is_dark(palette) else light)


def paint_page(painter: QPainter, rect: QRectF, state: str, palette: QPalette) -> None:
    """One page: its state by colour and by shape as well (an untouched page is an empty
    outline, a ballooned one a hollow box, a swapped one struck through, a shared one dotted)."""
    colour = state_colour(state, palette)
    base = palette.color(QPalette.ColorRole.Base)
    painter.save()
    if state == "untouched":
        painter.setPen(QPen(colour, 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5))
    elif state == "ballooned":
        width = max(1.0, rect.width() / 4)
        painter.setPen(QPen(colour, width))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect.adjusted(width / 2, width / 2, -width / 2, -width / 2))
    else:
        painter.fillRect(rect, colour)
        if state == "swapped":
            painter.setPen(QPen(base, max(1.0, rect.width() / 6)))
            painter.drawLine(rect.bottomLeft(), rect.topRight())
        elif state == "shared":
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(base)
            radius = rect.width() / 5
            painter.drawEllipse(rect.center(), radius, radius)
    painter.restore()


def cell_size(widget: QWidget) -> int:
    """A page's square grows with the text (about 0.4 of a line), up to 10 pixels: two guests'
    grids stay side by side in a small window at large text."""
    return min(10, max(5, round(widget.fontMetrics().height() * 0.42)))


class PageGrid(QWidget):
    """One guest's pages, `COLUMNS` to a row. The arrow keys (and the mouse) move over the
    pages; `page_pointed` says which one, for the view's details line."""

    page_pointed = Signal(object, int)          # GuestMemory, page (-1: none)

    GAP = 1

    def __init__(self, guest: GuestMemory, parent: QWidget | None = None):
        super().__init__(parent)
        self.guest = guest
        self.cursor = 0
        self.pointed: int | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def rows(self) -> int:
        return -(-len(self.guest.pages) // COLUMNS)

    def pitch(self) -> int:
        return cell_size(self) + self.GAP

    def sizeHint(self) -> QSize:  # noqa: N802
        pitch = self.pitch()
        return QSize(COLUMNS * pitch + 3, self.rows() * pitch + 3)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self.sizeHint()

    def page_rect(self, page: int) -> QRectF:
        pitch, size = self.pitch(), cell_size(self)
        row, column = divmod(page, COLUMNS)
        return QRectF(2 + column * pitch, 2 + row * pitch, size, size)

    def page_at(self, x: float, y: float) -> int | None:
        pitch = self.pitch()
        column, row = int((x - 2) // pitch), int((y - 2) // pitch)
        page = row * COLUMNS + column
        if 0 <= column < COLUMNS and 0 <= page < len(self.guest.pages) and y >= 2:
            return page
        return None

    def paintEvent(self, _event) -> None:  # noqa: N802
        painter = QPainter(self)
        pal = self.palette()
        for page, state in enumerate(self.guest.pages):
            paint_page(painter, self.page_rect(page), state, pal)
        if self.hasFocus():
            painter.setPen(QPen(pal.color(QPalette.ColorRole.Highlight), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(self.page_rect(self.cursor).adjusted(-1.5, -1.5, 1.5, 1.5))
        painter.end()

    def keyPressEvent(self, event) -> None:  # noqa: N802
        moves = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1, Qt.Key.Key_Up: -COLUMNS,
                 Qt.Key.Key_Down: COLUMNS}
        last = len(self.guest.pages) - 1
        key = event.key()
        if key in moves:
            self.point(min(last, max(0, self.cursor + moves[key])))
        elif key == Qt.Key.Key_Home:
            self.point(0)
        elif key == Qt.Key.Key_End:
            self.point(last)
        else:
            super().keyPressEvent(event)

    def point(self, page: int) -> None:
        self.cursor = page
        self.page_pointed.emit(self.guest, page)
        self.update()

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        page = self.page_at(event.position().x(), event.position().y())
        if page != self.pointed:
            self.pointed = page
            self.page_pointed.emit(self.guest, -1 if page is None else page)

    def leaveEvent(self, event) -> None:  # noqa: N802
        self.pointed = None
        super().leaveEvent(event)

    def focusInEvent(self, event) -> None:  # noqa: N802
        self.page_pointed.emit(self.guest, self.cursor)
        super().focusInEvent(event)

    def focusOutEvent(self, event) -> None:  # noqa: N802
        self.update()
        super().focusOutEvent(event)

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() == QEvent.Type.FontChange:
            self.updateGeometry()
        super().changeEvent(event)


class Swatch(QWidget):
    """A page's square as the grids draw it, for the legend."""

    def __init__(self, state: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:  # noqa: N802
        side = round(self.fontMetrics().height() * 0.7)
        return QSize(side, side)

    def paintEvent(self, _event) -> None:  # noqa: N802
        painter = QPainter(self)
        side = min(self.width(), self.height())
        paint_page(painter, QRectF(0, (self.height() - side) / 2, side, side), self.state,
                   self.palette())
        painter.end()

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() == QEvent.Type.FontChange:
            self.updateGeometry()
        super().changeEvent(event)


class GuestPanel(QWidget):
    """One guest: whether it ran as natively and how it ended, its grid, and its counts."""

    def __init__(self, guest: GuestMemory, parent: QWidget | None = None):
        super().__init__(parent)
        self.guest = guest
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.grid = PageGrid(guest)
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        self.counts.setProperty("role", "muted")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.grid, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.counts)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)

    def sizeHint(self) -> QSize:  # noqa: N802
        hint = super().sizeHint()        # as wide as the grid: the text wraps under it
        return QSize(self.grid.sizeHint().width(), hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self.sizeHint()

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self.layout().heightForWidth(width)


class LegendEntry(QWidget):
    """A state's square and its name with the pages of all guests in it."""

    def __init__(self, state: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.swatch = Swatch(state)
        self.name = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 8, 0)
        layout.setSpacing(4)
        layout.addWidget(self.swatch)
        layout.addWidget(self.name)


class MemoryPane(QWidget):
    """The guests' grids side by side, the legend under them: as wide as the grids."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.guest_row = QHBoxLayout()
        self.guest_row.setSpacing(16)
        self.guest_row.addStretch(1)
        self.legend = FlowLayout(spacing=4)
        self.entries = {state: LegendEntry(state) for state in PAGE_STATES}
        for entry in self.entries.values():
            self.legend.addWidget(entry)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setProperty("role", "muted")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(self.guest_row)
        layout.addLayout(self.legend)
        layout.addWidget(self.detail)
        layout.addStretch(1)

    def sizeHint(self) -> QSize:  # noqa: N802
        width = max(self.guest_row.sizeHint().width(), self.legend.minimumSize().width())
        return QSize(width, self.layout().totalHeightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        """As high as the pane needs at its own width, where the legend and the details wrap
        most (a splitter asks no height for a width)."""
        return self.sizeHint()


class HostView(QWidget):
    """Everything the Host tab shows of the level's run: a summary of the host's frames and
    work, a grid per guest, a legend with the pages in each state, the details of the page the
    mouse or the arrow keys point at, the frames chart and, for a migration, its rounds. The
    memory and the charts stand side by side, or one above the other when the text is large."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.picture: HostPicture | None = None
        self.panels: list[GuestPanel] = []
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.work = QLabel()
        self.work.setWordWrap(True)
        self.work.setProperty("role", "muted")
        self.migration = QLabel()
        self.migration.setWordWrap(True)
        self.migration.setTextFormat(Qt.TextFormat.RichText)
        self.memory = MemoryPane()
        self.guest_row, self.detail = self.memory.guest_row, self.memory.detail
        self.frames_chart = FramesChart()
        self.migration_chart = MigrationChart()
        charts = QWidget()
        row = QHBoxLayout(charts)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.frames_chart, 2)
        row.addWidget(self.migration_chart, 3)
        self.body = AdaptiveSplitter((0, CHART_COLUMNS))
        self.body.addWidget(self.memory)
        self.body.addWidget(charts)
        self.body.setStretchFactor(0, 0)
        self.body.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.summary)
        layout.addWidget(self.work)
        layout.addWidget(self.migration)
        layout.addWidget(self.body, 1)
        self.retranslate()
        self.set_picture(None)

    # -- what is shown -----------------------------------------------------------------------
    def show_run(self, run: ModeRun | None, downtime_bound: int | None = None) -> None:
        """The host of `run` (nothing for a run of one guest alone)."""
        self.set_picture(host_picture(run, downtime_bound) if run is not None else None)

    def set_picture(self, picture: HostPicture | None) -> None:
        self.picture = picture
        for panel in self.panels:
            self.guest_row.removeWidget(panel)
            panel.deleteLater()
        self.panels = []
        if picture is not None:
            for guest in picture.guests:
                panel = GuestPanel(guest)
                panel.grid.page_pointed.connect(self._show_page)
                self.guest_row.insertWidget(len(self.panels), panel)
                self.panels.append(panel)
        shown = picture is not None
        self.empty.setVisible(not shown)
        for widget in (self.summary, self.work, self.body):
            widget.setVisible(shown)
        self.migration_chart.setVisible(shown and picture.migration is not None)
        self.migration.setVisible(shown and picture.migration is not None)
        self.frames_chart.set_picture(picture)
        self.migration_chart.set_picture(picture if shown and picture.migration else None)
        self.retranslate()

    # -- words -------------------------------------------------------------------------------
    def state_name(self, state: str) -> str:
        return {"untouched": self.tr("untouched"), "resident": self.tr("resident"),
                "shared": self.tr("shared"), "swapped": self.tr("swapped out"),
                "ballooned": self.tr("ballooned")}[state]

    def reclaim_name(self, reclaim: str) -> str:
        return {"none": self.tr("nothing reclaims memory"), "swap": self.tr("host swapping"),
                "balloon": self.tr("ballooning")}.get(reclaim, reclaim)

    def work_name(self, key: str) -> str:
        return {"world_switches": self.tr("guest switches"),
                "swap_outs": self.tr("pages swapped out"),
                "swap_ins": self.tr("pages swapped back in"),
                "ballooned": self.tr("pages ballooned"), "shares": self.tr("pages merged"),
                "cow_faults": self.tr("copy-on-write faults"),
                "pages_scanned": self.tr("pages scanned"),
                "out_of_memory": self.tr("out of frames"),
                "double_paging": self.tr("double paging")}.get(key, key)

    def frames_text(self, picture: HostPicture) -> str:
        if picture.frames_total is None:
            return fill(self.tr("Host frames in use: %1, peak %2 (no limit)"),
                        picture.frames_used, picture.frames_peak)
        return fill(self.tr("Host frames in use: %1 of %2, peak %3"), picture.frames_used,
                    picture.frames_total, picture.frames_peak)

    def guest_title(self, guest: GuestMemory) -> str:
        """"Guest 1 ✔ same as native", or with a ✘ how it ended instead."""
        if guest.equivalent:
            return fill(self.tr("Guest %1 ✔ same as native"), guest.index)
        endings = {"host-oom": self.tr("stopped: no host frame left"),
                   "budget": self.tr("stopped: out of cycles"),
                   "halted": self.tr("stopped: halted"),
                   "triple-fault": self.tr("stopped: triple fault")}
        ending = (fill(self.tr("other output or exit code %1"), guest.exit_code)
                  if guest.stop == "exit" else endings.get(guest.stop, guest.stop))
        return fill(self.tr("Guest %1 ✘ %2"), guest.index, ending)

    def counts_text(self, guest: GuestMemory) -> str:
        return ", ".join(fill(self.tr("%1: %2"), self.state_name(state), count)
                         for state, count in guest.counts().items()
                         if count and state != "untouched") or self.tr("no page touched")

    def retranslate(self) -> None:
        self.empty.setText(self.tr("The host's memory appears here once the guests have run."))
        picture = self.picture
        for state, entry in self.memory.entries.items():
            total = picture.totals()[state] if picture is not None else 0
            entry.name.setText(fill(self.tr("%1: %2"), self.state_name(state), total))
        self.detail.setText(self.tr("Point at a page, or focus a grid and use the arrow keys, "
                                    "to see what it is."))
        if picture is None:
            return
        switches = [self.reclaim_name(picture.reclaim),
                    self.tr("page sharing on") if picture.sharing else self.tr("no page sharing")]
        self.summary.setText(self.frames_text(picture) + " · " + " · ".join(switches))
        self.work.setText(" · ".join(fill(self.tr("%1: %2"), self.work_name(key), f"{n:,}")
                                     for key, n in picture.work.items() if n))
        self.work.setVisible(any(picture.work.values()))
        if picture.migration is not None:
            self.migration.setText(self.migration_chart.numbers_text(picture.migration))
        for panel in self.panels:
            guest = panel.guest
            panel.title.setText(self.guest_title(guest))
            set_role(panel.title, "verdict", "right" if guest.equivalent else "wrong")
            panel.counts.setText(self.counts_text(guest))
            panel.grid.setAccessibleName(fill(self.tr("Memory of guest %1"), guest.index))
            panel.grid.setAccessibleDescription(
                fill(self.tr("%1 pages: %2"), len(guest.pages), ", ".join(
                    fill(self.tr("%1: %2"), self.state_name(state), count)
                    for state, count in guest.counts().items())))

    def page_text(self, guest: GuestMemory, page: int) -> str:
        return fill(self.tr("Guest %1, page %2 (guest-physical 0x%3): %4"), guest.index, page,
                    f"{guest.address(page):05x}", self.state_name(guest.pages[page]))

    def _show_page(self, guest: GuestMemory, page: int) -> None:
        if page < 0:
            return
        self.detail.setText(self.page_text(guest, page))
        grid = self.panels[guest.index - 1].grid if guest.index <= len(self.panels) else None
        if grid is not None and grid.hasFocus():
            grid.setAccessibleDescription(self.detail.text())

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() in (QEvent.Type.LanguageChange, QEvent.Type.PaletteChange):
            self.retranslate()             # the migration's numbers have colours written in
        super().changeEvent(event)


class HostPage(FitArea):
    """The Host tab of the lab, for a level whose guests run on a host (`add_to`): the host view
    of the run that has one, scrolling inside the tab when the tab is small."""

    def __init__(self, tabs: QTabWidget):
        self.view = HostView()
        super().__init__(self.view)
        self.tabs = tabs

    @classmethod
    def add_to(cls, tabs: QTabWidget, level: Level) -> HostPage | None:
        """A Host tab for `level`, shown first (None for a level of one guest alone)."""
        if level.host is None:
            return None
        tab = cls(tabs)
        tabs.addTab(tab, "")
        tab.retranslate()
        tabs.setCurrentWidget(tab)
        return tab

    def show_result(self, result: LabResult, level: Level) -> None:
        run = next((run for run in result.runs if run.host is not None), None)
        self.view.show_run(run, level.goal.max_downtime)

    def retranslate(self) -> None:
        index = self.tabs.indexOf(self)
        self.tabs.setTabText(index, self.tr("Host"))
        self.tabs.setTabToolTip(index, self.tr("Both guests' memory, the host's frames over "
                                               "time and a migration's rounds"))

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
