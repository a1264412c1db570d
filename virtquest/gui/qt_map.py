"""The chapter map: the chapters as cards with their levels, stars and locks, what to play next and
what it unlocks, and the sandbox (always open). Follows the session: it redraws on new progress.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from virtquest.game.chapters import MAX_STARS, Chapter, ChapterMap, LevelCell
from virtquest.gui.i18n import fill, pick
from virtquest.gui.models import LearnerSession
from virtquest.gui.theme import colour
from virtquest.gui.widgets import primary, scrolling, wrapped

CARD_WIDTH_EM = 30  # a chapter card is at least this many average characters wide


def star_text(stars: int) -> str:
    return "★" * stars + "☆" * (MAX_STARS - stars)


def lock_icon(size: int, color: QColor) -> QIcon:
    """A small padlock, drawn (no emoji font is needed)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(color, max(1.5, size / 9))
    painter.setPen(pen)
    painter.drawArc(QRectF(size * 0.28, size * 0.08, size * 0.44, size * 0.5), 0, 180 * 16)
    painter.drawLine(int(size * 0.28), int(size * 0.33), int(size * 0.28), int(size * 0.45))
    painter.drawLine(int(size * 0.72), int(size * 0.33), int(size * 0.72), int(size * 0.45))
    painter.setBrush(color)
    painter.drawRoundedRect(QRectF(size * 0.18, size * 0.45, size * 0.64, size * 0.45), 2, 2)
    painter.end()
    return QIcon(pixmap)


class LevelRow(QFrame):
    """One level: its number and title (wrapping at any text size), a lock or its stars.
    Click it, or focus it with Tab and press Enter or Space, to open the level. A locked level
    says on click which level opens it (the row stays enabled; its title is greyed)."""

    clicked = Signal()
    locked_clicked = Signal(str)      # why it is locked

    def __init__(self, cell: LevelCell, parent: QWidget | None = None):
        super().__init__(parent)
        self.cell = cell
        self.setProperty("role", "level")
        self.setProperty("locked", not cell.unlocked)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus if cell.unlocked
                            else Qt.FocusPolicy.NoFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor if cell.unlocked
                       else Qt.CursorShape.ArrowCursor)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        self.lock = QLabel()
        self.lock.setVisible(not cell.unlocked)
        self.title = wrapped()
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.title.setEnabled(cell.unlocked)
        self.stars = QLabel(star_text(cell.stars))
        self.stars.setProperty("role", "stars")
        self.stars.setVisible(cell.unlocked)
        layout.addWidget(self.lock, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.title, 1)
        layout.addWidget(self.stars, 0, Qt.AlignmentFlag.AlignTop)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            if self.cell.unlocked:
                self.clicked.emit()
            else:
                self.explain_lock()
        super().mouseReleaseEvent(event)

    def explain_lock(self) -> None:
        """Why this level is locked, shown under the row at once (not only on hover), and
        told to the map, which keeps it in its line under the title."""
        QToolTip.showText(self.mapToGlobal(QPoint(0, self.height())), self.toolTip(), self)
        self.locked_clicked.emit(self.toolTip())

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            if self.cell.unlocked:
                self.clicked.emit()
            else:
                self.explain_lock()
            return
        super().keyPressEvent(event)

    def retranslate(self, titles: dict[str, str]) -> None:
        cell = self.cell
        self.title.setText(f"{cell.chapter}.{cell.order}  {pick(cell.title)}")
        self.setAccessibleName(self.title.text())
        if cell.unlocked:
            self.setToolTip(fill(self.tr("%1 of 3 stars"), cell.stars))
            return
        self._draw_lock()
        self.setToolTip(fill(self.tr("Locked: clear “%1” first"),
                             titles.get(cell.locked_by or "", "")))

    def _draw_lock(self) -> None:
        """The lock, a line of text high, in the theme's colour."""
        size, tint = self.fontMetrics().height(), colour("lock")
        if self.lock.property("drawn") != (size, tint.name()):
            self.lock.setProperty("drawn", (size, tint.name()))
            self.lock.setPixmap(lock_icon(size, tint).pixmap(QSize(size, size)))

    def changeEvent(self, event) -> None:  # noqa: N802
        if not self.cell.unlocked and event.type() in (QEvent.Type.FontChange,
                                                       QEvent.Type.PaletteChange):
            self._draw_lock()          # a new text size or theme
        super().changeEvent(event)


class ChapterCard(QFrame):
    """A chapter: number, title, objective, its stars and its level rows."""

    level_clicked = Signal(str)
    locked_clicked = Signal(str)

    def __init__(self, chapter: Chapter, next_id: str | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.chapter = chapter
        self.setProperty("role", "card")
        state = "next" if any(c.id == next_id for c in chapter.levels) else (
            "locked" if not chapter.unlocked else None)
        self.setProperty("state", state)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        self.number = QLabel()
        self.number.setProperty("role", "muted")
        self.title = wrapped(role="heading")
        self.objective = wrapped(role="muted")
        self.summary = QLabel()
        self.summary.setProperty("role", "stars")
        head = QHBoxLayout()
        head.addWidget(self.number, 1)
        head.addWidget(self.summary)
        layout.addLayout(head)
        layout.addWidget(self.title)
        layout.addWidget(self.objective)
        self.rows = [LevelRow(cell) for cell in chapter.levels]
        for row in self.rows:
            row.clicked.connect(lambda i=row.cell.id: self.level_clicked.emit(i))
            row.locked_clicked.connect(self.locked_clicked)
            layout.addWidget(row)
        self.empty = wrapped(role="muted")
        self.empty.setVisible(not self.rows)
        layout.addWidget(self.empty)
        layout.addStretch(1)

    def retranslate(self, titles: dict[str, str]) -> None:
        info = self.chapter.info
        self.number.setText(fill(self.tr("Chapter %1"), info.number))
        self.title.setText(pick(info.title))
        self.objective.setText(pick(info.objective))
        if self.chapter.levels:
            self.summary.setText(f"★ {self.chapter.stars}/{self.chapter.max_stars}")
        self.empty.setText(self.tr("The levels of this chapter are on their way."))
        for row in self.rows:
            row.retranslate(titles)


class QtChapterMap(QWidget):
    """The map view. `level_requested` asks the window to open a level in the lab."""

    level_requested = Signal(str)
    sandbox_requested = Signal()

    def __init__(self, session: LearnerSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.model: ChapterMap = session.chapter_map()
        self.cards: list[ChapterCard] = []
        self._columns = 0
        page = QWidget()
        body = QVBoxLayout(page)
        body.setContentsMargins(28, 20, 28, 20)
        body.setSpacing(12)
        self.title = QLabel()
        self.title.setProperty("role", "title")
        self.total = QLabel()
        self.total.setProperty("role", "stars")
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.total)
        self.continue_button = primary()
        self.continue_button.clicked.connect(self._continue)
        self.sandbox_button = QPushButton()
        self.sandbox_button.clicked.connect(self.sandbox_requested)
        actions = QHBoxLayout()
        actions.addWidget(self.continue_button)
        actions.addWidget(self.sandbox_button)
        actions.addStretch(1)
        self.next_info = wrapped(role="muted")
        self.problems = wrapped(role="muted")
        self.grid = QGridLayout()
        self.grid.setSpacing(14)
        body.addLayout(head)
        body.addLayout(actions)
        body.addWidget(self.next_info)
        body.addLayout(self.grid)
        body.addWidget(self.problems)
        body.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scrolling(page))
        session.progress_changed.connect(self.refresh)
        session.content_changed.connect(self.refresh)
        session.profile_changed.connect(self.refresh)
        session.settings_changed.connect(self._font_changed)
        self._rebuild()

    def refresh(self) -> None:
        """Read the learner's best results again and redraw."""
        self.model = self.session.chapter_map()
        self._rebuild()

    def _rebuild(self) -> None:
        for card in self.cards:
            self.grid.removeWidget(card)
            card.deleteLater()
        nxt = self.model.next_to_play()
        self.cards = [ChapterCard(chapter, nxt.id if nxt else None)
                      for chapter in self.model.chapters]
        for card in self.cards:
            card.level_clicked.connect(self.level_requested)
            card.locked_clicked.connect(self.next_info.setText)
        self._columns = 0
        self._place_cards()
        self.retranslate()

    def _place_cards(self) -> None:
        em = max(1, QFontMetrics(QApplication.font()).averageCharWidth())
        width = max(1, self.width() - 80)
        columns = max(1, min(3, width // (CARD_WIDTH_EM * em)))
        if columns == self._columns:
            return
        self._columns = columns
        for card in self.cards:
            self.grid.removeWidget(card)
        for index, card in enumerate(self.cards):
            self.grid.addWidget(card, index // columns, index % columns)
        for col in range(3):
            self.grid.setColumnStretch(col, 1 if col < columns else 0)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._place_cards()

    def _font_changed(self, key: str) -> None:
        if key == "font_scale":
            self._columns = 0
            self._place_cards()

    def _continue(self) -> None:
        nxt = self.model.next_to_play()
        if nxt is not None:
            self.level_requested.emit(nxt.id)

    def retranslate(self) -> None:
        titles = {cell.id: pick(cell.title) for cell in self.model.cells()}
        self.title.setText(self.tr("Chapter map"))
        if self.model.total_max_stars:
            self.total.setText(f"★ {self.model.total_stars} / {self.model.total_max_stars}")
        self.sandbox_button.setText(self.tr("Open the sandbox"))
        self.sandbox_button.setToolTip(self.tr("Run any program under every mode — always open"))
        nxt = self.model.next_to_play()
        self.continue_button.setVisible(nxt is not None)
        if nxt is not None:
            self.continue_button.setText(fill(self.tr("Play next: %1"),
                                              pick(nxt.title).replace("&", "&&")))
        self.next_info.setText(self._next_text(titles))
        for card in self.cards:
            card.retranslate(titles)
        self.problems.setVisible(bool(self._errors()))
        self.problems.setText(fill(self.tr("Some content could not be loaded: %1"),
                                   "; ".join(self._errors()[:3])))

    def _next_text(self, titles: dict[str, str]) -> str:
        if not self.session.loaded:
            return self.tr("Loading levels...")
        if not self.model.cells():
            return self.tr("No levels are installed yet. The quizzes, the review and the "
                           "sandbox are ready.")
        unlocks = self.model.next_unlocks()
        if not unlocks:
            return self.tr("Every level is open. Go for three stars everywhere!")
        groups: dict[str, list[str]] = {}
        for unlock in unlocks:
            groups.setdefault(unlock.clear.id, []).append(f"“{titles[unlock.opens.id]}”")
        parts = [fill(self.tr("clear “%1” to open %2"), titles[clear], ", ".join(opens))
                 for clear, opens in list(groups.items())[:3]]
        return fill(self.tr("What unlocks next: %1."), "; ".join(parts))

    def _errors(self) -> list[str]:
        return list(self.session.content.errors) if self.session.content else []

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
