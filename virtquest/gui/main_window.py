"""The main window: a sidebar of views (Ctrl+1 … Ctrl+7), a header with the learner, XP and streak,
a banner for what the learner must be told once, and a small registry that builds each view
lazily — a view whose module is not there yet shows a "coming soon" page.

A view module in the registry provides `create_view(session) -> QWidget` (or the class named in
its entry, built with the session). A view that can open a level has `show_level(level_id)`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QEvent,
    QSettings,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QFontMetrics, QGuiApplication, QKeySequence, QPainter, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from virtquest import __version__
from virtquest.gui.i18n import fill
from virtquest.gui.models import LearnerSession
from virtquest.gui.widgets import FitArea, wrapped
from virtquest.progress.paths import data_dir


@dataclass(frozen=True)
class ViewSpec:
    """One entry of the sidebar: its key, its name, and where its widget comes from."""

    key: str
    name: str  # English source text, translated in the "MainWindow" context
    module: str
    factory: str = "create_view"


VIEWS: tuple[ViewSpec, ...] = (
    ViewSpec("map", QT_TRANSLATE_NOOP("MainWindow", "Chapter map"),
             "virtquest.gui.qt_map", "QtChapterMap"),
    ViewSpec("lab", QT_TRANSLATE_NOOP("MainWindow", "Lab"), "virtquest.gui.qt_lab"),
    ViewSpec("quiz", QT_TRANSLATE_NOOP("MainWindow", "Quiz"), "virtquest.gui.qt_quiz", "QtQuiz"),
    ViewSpec("review", QT_TRANSLATE_NOOP("MainWindow", "Review"),
             "virtquest.gui.qt_review", "QtReview"),
    ViewSpec("sandbox", QT_TRANSLATE_NOOP("MainWindow", "Sandbox"), "virtquest.gui.qt_sandbox"),
    ViewSpec("progress", QT_TRANSLATE_NOOP("MainWindow", "Progress"),
             "virtquest.gui.qt_progress", "QtProgress"),
    ViewSpec("settings", QT_TRANSLATE_NOOP("MainWindow", "Settings"),
             "virtquest.gui.qt_settings", "QtSettings"),
)
VIEW_KEYS = tuple(spec.key for spec in VIEWS)


def view_factory(spec: ViewSpec) -> Callable[[LearnerSession], QWidget] | None:
    """The callable that builds the view, or None while its module does not exist yet."""
    try:
        module = importlib.import_module(spec.module)
    except ModuleNotFoundError as exc:
        if exc.name != spec.module:
            raise
        return None
    return getattr(module, spec.factory, None)


def window_settings() -> QSettings:
    """Window state (last view, geometry), kept beside the progress database."""
    return QSettings(str(data_dir() / "window.ini"), QSettings.Format.IniFormat)


class ComingSoon(QWidget):
    """The page of a view that is not built yet."""

    def __init__(self, spec: ViewSpec, parent: QWidget | None = None):
        super().__init__(parent)
        self.spec = spec
        self.level_id: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 40, 40, 40)
        self.title = QLabel()
        self.title.setProperty("role", "title")
        self.text = wrapped(role="big")
        self.detail = wrapped(role="muted")
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        layout.addWidget(self.detail)
        layout.addStretch(1)
        self.retranslate()

    def show_level(self, level_id: str) -> None:
        self.level_id = level_id
        self.retranslate()

    def retranslate(self) -> None:
        name = QCoreApplication.translate("MainWindow", self.spec.name)
        self.title.setText(fill(self.tr("%1 — coming soon"), name))
        self.text.setText(self.tr(
            "This part of VirtQuest is still being built. Meanwhile, the chapter map, the "
            "quizzes, the review queue and your progress are ready."))
        self.detail.setText(fill(self.tr("You chose the level “%1”; it will open here."),
                                 self.level_id) if self.level_id else "")

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


DEFAULT_SIZE = QSize(1280, 800)


def available_size(widget: QWidget | None = None) -> QSize:
    """The room the screen of `widget` (or the primary screen) leaves for windows."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry().size() if screen is not None else DEFAULT_SIZE


class ElidedLabel(QLabel):
    """One line that ends in "…" when the room is short (a long learner name must not widen the
    header); the whole text is in its tooltip then. `text()` is always the whole text."""

    MIN_CHARACTERS = 6

    def __init__(self, text: str = "", parent: QWidget | None = None):
        super().__init__(text, parent)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        metrics = self.fontMetrics()
        width = min(metrics.horizontalAdvance(self.text()),
                    metrics.averageCharWidth() * self.MIN_CHARACTERS)
        return QSize(width, super().minimumSizeHint().height())

    def shown_text(self) -> str:
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight,
                                             self.contentsRect().width())

    def paintEvent(self, _event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(self.contentsRect(), int(self.alignment()), self.shown_text())
        painter.end()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.setToolTip(self.text() if self.shown_text() != self.text() else "")


class XpBar(QProgressBar):
    """The XP bar: eight "M"s wide when there is room, as narrow as three when there is not."""

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(self.fontMetrics().horizontalAdvance("M") * 8, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(self.fontMetrics().horizontalAdvance("M") * 3,
                     super().minimumSizeHint().height())


class Header(QFrame):
    """Always visible: the product, the learner's name, level and XP, and the streak. However
    large the text, it fits a small screen: the name shortens and the bar narrows first."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("header")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 8)
        layout.setSpacing(18)
        self.product = QLabel("VirtQuest")
        self.product.setProperty("role", "heading")
        self.profile = ElidedLabel()
        self.level = QLabel()
        self.bar = XpBar()
        self.bar.setTextVisible(False)
        self.streak = QLabel()
        layout.addWidget(self.product)
        layout.addStretch(1)
        for widget in (self.profile, self.level, self.bar, self.streak):
            layout.addWidget(widget)

    def show_stats(self, stats) -> None:
        self.profile.setText(fill(self.tr("Learner: %1"), stats.name))
        self.level.setText(fill(self.tr("Level %1 · %2 XP"), stats.level.level, stats.xp))
        self.bar.setRange(0, stats.level.xp_for_next)
        self.bar.setValue(stats.level.xp_into_level)
        self.bar.setToolTip(fill(self.tr("%1 / %2 XP to the next level"),
                                 stats.level.xp_into_level, stats.level.xp_for_next))
        days = stats.streak.days
        self.streak.setText(fill(self.tr("Streak: %1 days"), days) if days != 1
                            else self.tr("Streak: 1 day"))


class Banner(QFrame):
    """Messages the learner must see once (a damaged database set aside, a missing font)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("banner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 8, 12, 8)
        self.text = wrapped()
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.hide)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.messages: list[str] = []
        self.hide()
        self.retranslate()

    def add(self, message: str) -> None:
        if message not in self.messages:
            self.messages.append(message)
        self.text.setText("\n".join(self.messages))
        self.show()

    def retranslate(self) -> None:
        self.close_button.setText(self.tr("Close"))


class ViewStack(QStackedWidget):
    """The views, one at a time, asking only for the room the shown one needs (a plain stack
    asks for the most any of its pages ever needed, so one wide view would widen all)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.currentChanged.connect(self._changed)

    def _changed(self, _index: int) -> None:
        self.updateGeometry()
        area = self.parentWidget().parentWidget() if self.parentWidget() else None
        if isinstance(area, ViewArea):
            area.fit()

    def sizeHint(self) -> QSize:  # noqa: N802
        current = self.currentWidget()
        return current.sizeHint() if current is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        current = self.currentWidget()
        if current is None:
            return super().minimumSizeHint()
        return current.minimumSizeHint().expandedTo(current.minimumSize())


class ViewArea(FitArea):
    """Where the views are shown. A view fills the area (it scrolls or folds its own panes);
    should one still need more room than there is, it scrolls here instead of making the window
    larger than the screen."""

    def __init__(self, stack: QStackedWidget, parent: QWidget | None = None):
        super().__init__(stack, parent)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)     # not a stop of its own for Tab
        stack.setObjectName("page")         # transparent, as other scrolled pages

    def fit(self) -> None:
        """A view folds or scrolls its own panes, so only its minimum size counts here (not
        its height for the width, which a view of wrapped text would always exceed)."""
        view = self.widget()
        if view is None:
            return
        size = self.viewport().size().expandedTo(view.minimumSizeHint())
        if view.size() != size:
            view.resize(size)


class MainWindow(QMainWindow):
    """The sidebar, the header, the banner and the stack of views (built on first visit)."""

    view_changed = Signal(str)

    def __init__(self, session: LearnerSession, parent: QWidget | None = None, *,
                 remember: bool = True):
        super().__init__(parent)
        self.session = session
        self.remember = remember  # False: leave the learner's last view alone (screenshots)
        self.views: dict[str, QWidget] = {}
        self.header = Header()
        self.banner = Banner()
        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.stack = ViewStack()
        self.area = ViewArea(self.stack)
        for spec in VIEWS:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            self.sidebar.addItem(item)
        self.sidebar.currentRowChanged.connect(lambda row: self.show_view(VIEW_KEYS[row]))
        self._build()
        self._shortcuts()
        for signal in (session.progress_changed, session.profile_changed):
            signal.connect(self.refresh_header)
        session.settings_changed.connect(self._fit)
        self.retranslate()
        self.refresh_header()
        room = available_size(self)
        self.resize(DEFAULT_SIZE.boundedTo(room))
        self.show_view(self._remembered_view() if remember else "map")
        QCoreApplication.instance().aboutToQuit.connect(self.shutdown)

    def _build(self) -> None:
        body = QWidget()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.sidebar)
        row.addWidget(self.area, 1)
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.header)
        column.addWidget(self.banner)
        column.addLayout(row, 1)
        self.setCentralWidget(body)

    def _shortcuts(self) -> None:
        for number, spec in enumerate(VIEWS, start=1):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{number}"), self)
            shortcut.activated.connect(lambda key=spec.key: self.show_view(key))

    # --- views ---------------------------------------------------------------------------
    def view(self, key: str) -> QWidget:
        """The view's widget, built the first time it is needed."""
        if key not in self.views:
            spec = next(s for s in VIEWS if s.key == key)
            factory = view_factory(spec)
            widget = factory(self.session) if factory is not None else ComingSoon(spec)
            if spec.key == "map":
                widget.level_requested.connect(self.open_level)
                widget.sandbox_requested.connect(lambda: self.show_view("sandbox"))
            if spec.key == "lab" and hasattr(widget, "quiz_requested"):
                widget.quiz_requested.connect(self.open_questions)
            self.views[key] = widget
            self.stack.addWidget(widget)
        return self.views[key]

    def show_view(self, key: str) -> QWidget:
        widget = self.view(key)
        self.stack.setCurrentWidget(widget)
        row = VIEW_KEYS.index(key)
        if self.sidebar.currentRow() != row:
            self.sidebar.blockSignals(True)
            self.sidebar.setCurrentRow(row)
            self.sidebar.blockSignals(False)
        if self.remember:
            window_settings().setValue("view", key)
        self.view_changed.emit(key)
        return widget

    def current_view(self) -> str:
        return VIEW_KEYS[self.sidebar.currentRow()]

    def open_level(self, level_id: str) -> None:
        """Open a level in the lab (the lab's `show_level`, when it has one)."""
        lab = self.show_view("lab")
        show_level = getattr(lab, "show_level", None)
        if show_level is not None:
            show_level(level_id)

    def open_questions(self, question_ids: list) -> None:
        """The quiz cards a level unlocked, asked right away."""
        quiz = self.show_view("quiz")
        start = getattr(quiz, "start_questions", None)
        if start is not None:
            start(list(question_ids))

    @staticmethod
    def _remembered_view() -> str:
        key = window_settings().value("view", "map")
        return key if key in VIEW_KEYS else "map"

    # --- always visible ------------------------------------------------------------------
    def refresh_header(self) -> None:
        self.header.show_stats(self.session.header())

    def tell(self, message: str) -> None:
        """Show a message in the banner (once per message)."""
        self.banner.add(message)

    def retranslate(self) -> None:
        self.setWindowTitle(f"VirtQuest {__version__}")
        for row, spec in enumerate(VIEWS):
            item = self.sidebar.item(row)
            item.setText(QCoreApplication.translate("MainWindow", spec.name))
            item.setToolTip(f"Ctrl+{row + 1}")
        self._fit()
        self.refresh_header()

    def _fit(self, _key: str = "") -> None:
        """Widths that follow the text size (set after the app font or language changed); a
        window the change left larger than its screen is brought back onto it."""
        self.sidebar.setFixedWidth(self._sidebar_width())
        self.header.bar.updateGeometry()
        room = available_size(self)
        if self.width() > room.width() or self.height() > room.height():
            self.resize(self.size().boundedTo(room))

    def _sidebar_width(self) -> int:
        """The widest name, the item's padding and margins (theme.py: 12 + 6 px a side) and a
        little air that grows with the text."""
        metrics = QFontMetrics(QApplication.font())
        widest = max(metrics.horizontalAdvance(self.sidebar.item(r).text())
                     for r in range(self.sidebar.count()))
        return widest + 2 * (12 + 6) + metrics.averageCharWidth() * 3

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def shutdown(self) -> None:
        """End all work off the UI thread: every view cancels its runs and waits for its
        threads, and content still loading is waited for. Closing the window ends the app (or
        the app quits with the window open): nothing may outlive it, or the store it writes to."""
        for widget in self.views.values():
            shutdown = getattr(widget, "shutdown", None)
            if shutdown is not None:
                shutdown()
        self.session.shutdown()

    def closeEvent(self, event) -> None:  # noqa: N802
        if self.remember:
            window_settings().setValue("view", self.current_view())
        self.shutdown()
        super().closeEvent(event)
