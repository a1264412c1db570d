"""The learner's session as the views see it: the store (UI thread only), the content, and signals
that tell each view what changed. Content loads in a QThreadPool worker; the store never leaves
the thread that opened it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from virtquest.emu.errors import VirtQuestError
from virtquest.game.chapters import ChapterMap, build_chapter_map
from virtquest.game.streak import StreakStatus, current_streak
from virtquest.game.xp import XpLevel, level_for
from virtquest.progress.store import Store

if TYPE_CHECKING:
    from virtquest.content.level_loader import LevelSet
    from virtquest.content.quizzes import QuizBank
    from virtquest.game.review import AnswerOutcome, ForecastDay


@dataclass(frozen=True)
class Content:
    """Levels and quiz questions as loaded; `errors` are one line per broken file or entry."""

    levels: LevelSet | None = None
    bank: QuizBank | None = None
    errors: tuple[str, ...] = field(default_factory=tuple)

    @property
    def level_list(self) -> tuple:
        return self.levels.levels if self.levels is not None else ()

    @property
    def questions(self) -> tuple:
        return self.bank.questions if self.bank is not None else ()


def load_content() -> Content:
    """Read the quiz bank and the levels, built-in and from custom content folders (no store,
    no Qt: safe on a worker thread). A content folder that is missing, or that repeats an id,
    leaves that part unloaded and is reported among the errors."""
    from virtquest.content.quizzes import load_quiz_bank

    errors: list[str] = []
    bank = levels = None
    try:
        bank = load_quiz_bank()
        errors += [str(error) for error in bank.errors]
        from virtquest.content.level_loader import load_levels

        levels = load_levels(bank=bank)
        errors += [str(error) for error in levels.errors]
    except VirtQuestError as exc:
        errors.append(str(exc))
    return Content(levels, bank, tuple(errors))


class _LoaderSignals(QObject):
    done = Signal(object)
    failed = Signal(str)


class ContentLoader(QRunnable):
    """Runs `load_content` off the UI thread; the signals arrive on the UI thread."""

    def __init__(self, load: Callable[[], Content] = load_content):
        super().__init__()
        self.load = load
        self.signals = _LoaderSignals()

    def run(self) -> None:
        try:
            content = self.load()
        except Exception as exc:  # reported to the learner, never lost in the worker
            self.signals.failed.emit(f"{type(exc).__name__}: {exc}")
            return
        self.signals.done.emit(content)


@dataclass(frozen=True)
class HeaderStats:
    """What the window always shows: who is learning, their XP and level, their streak."""

    name: str
    xp: int
    level: XpLevel
    streak: StreakStatus


class LearnerSession(QObject):
    """The current profile's progress and the loaded content, with change signals for the views."""

    progress_changed = Signal()  # an answer or attempt was recorded
    profile_changed = Signal()  # another learner profile is current
    content_changed = Signal()  # levels and questions (re)loaded
    settings_changed = Signal(str)  # the key that changed
    content_failed = Signal(str)

    def __init__(self, store: Store, content: Content | None = None, *,
                 hangul_font: str | None = "default", parent: QObject | None = None):
        super().__init__(parent)
        self.store = store
        self.content = content
        self.hangul_font = hangul_font  # None: no font on this computer can draw Korean
        self.overrides: dict[str, object] = {}  # shown, not stored (a screenshot's --lang)
        self._loader: ContentLoader | None = None
        self._pool: QThreadPool | None = None

    # --- content -------------------------------------------------------------------------
    @property
    def loaded(self) -> bool:
        return self.content is not None

    def set_content(self, content: Content) -> None:
        self.content = content
        self.content_changed.emit()

    def load_content_async(self, pool: QThreadPool | None = None) -> ContentLoader:
        loader = ContentLoader()
        loader.signals.done.connect(self.set_content)
        loader.signals.failed.connect(self._load_failed)
        self._loader = loader  # the signals object must outlive the run
        if pool is None:
            if self._pool is None:
                self._pool = QThreadPool(self)   # the session's own, so it can wait for it
            pool = self._pool
        pool.start(loader)
        return loader

    def shutdown(self, timeout_ms: int = 60_000) -> bool:
        """Wait for content still loading (it cannot be interrupted, and takes a second or two)
        so that no thread outlives the window that closes, or the store. Nobody needs that
        content any more: it is let go unseen (a result still on its way to a closing window
        would keep Qt from quitting). True if in time."""
        loader = self._loader
        if loader is not None and self._pool is not None and self._pool.activeThreadCount():
            loader.signals.done.disconnect(self.set_content)
            loader.signals.failed.disconnect(self._load_failed)
        # waitForDone also ends the pool's idle threads
        return self._pool is None or self._pool.waitForDone(timeout_ms)

    def _load_failed(self, message: str) -> None:
        self.set_content(Content(errors=(message,)))
        self.content_failed.emit(message)

    def level(self, level_id: str) -> Any:
        levels = self.content.levels if self.content else None
        return levels.get(level_id) if levels is not None else None

    def question(self, question_id: str) -> Any:
        bank = self.content.bank if self.content else None
        return bank.get(question_id) if bank is not None else None

    # --- the learner ---------------------------------------------------------------------
    @property
    def profile_id(self) -> int:
        return self.store.current_profile_id()

    def header(self, now: datetime | None = None) -> HeaderStats:
        pid = self.profile_id
        xp = self.store.xp_total(pid)
        return HeaderStats(self.store.profile(pid).name, xp, level_for(xp),
                           current_streak(self.store, pid, now))

    def chapter_map(self) -> ChapterMap:
        levels = self.content.level_list if self.content else ()
        return build_chapter_map(levels, self.store.best_results(self.profile_id))

    def answer(self, question_id: str, correct: bool, *, answer: object = None,
               seconds: float | None = None, now: datetime | None = None) -> AnswerOutcome:
        """Record a quiz answer (FSRS card, XP, streak, achievements) and tell the views."""
        from virtquest.game.review import answer_question

        outcome = answer_question(self.store, self.profile_id, question_id, correct,
                                  answer=answer, seconds=seconds, now=now)
        self.progress_changed.emit()
        return outcome

    def review_ids(self, now: datetime | None = None) -> list[str]:
        from virtquest.game.review import review_queue

        known = [q.id for q in self.content.questions] if self.content else []
        return review_queue(self.store, self.profile_id, known, now=now)

    def forecast(self, days: int = 14, now: datetime | None = None) -> list[ForecastDay]:
        from virtquest.game.review import forecast

        return forecast(self.store, self.profile_id, days, now=now)

    def notify_progress(self) -> None:
        """For views that record through the game layer themselves (the lab)."""
        self.progress_changed.emit()

    # --- settings and profiles -----------------------------------------------------------
    def setting(self, key: str) -> object:
        if key in self.overrides:
            return self.overrides[key]
        return self.store.get_setting(self.profile_id, key)

    def set_setting(self, key: str, value: object) -> None:
        if self.setting(key) == value:
            return
        self.overrides.pop(key, None)
        self.store.set_setting(self.profile_id, key, value)
        self.settings_changed.emit(key)

    def profiles(self) -> list:
        return self.store.list_profiles()

    def switch_profile(self, profile_id: int) -> None:
        if profile_id == self.profile_id:
            return
        self.store.switch_profile(profile_id)
        self._profile_switched()

    def create_profile(self, name: str) -> int:
        """A new profile, made current at once (a student sitting down at a shared PC)."""
        profile_id = self.store.create_profile(name)
        self.store.switch_profile(profile_id)
        self._profile_switched()
        return profile_id

    def _profile_switched(self) -> None:
        self.profile_changed.emit()
        self.progress_changed.emit()
        for key in ("language", "theme", "font_scale"):
            self.settings_changed.emit(key)

    def export_progress(self, path: str | Path) -> dict[str, int]:
        from virtquest.progress.export import export_profile

        return export_profile(self.store, self.profile_id, path)

    def import_progress(self, path: str | Path, *, replace: bool = False,
                        name: str | None = None) -> Any:
        from virtquest.progress.export import import_profile

        result = import_profile(self.store, path, replace=replace, name=name)
        self._profile_switched()
        return result
