"""Renders one view of the app into a PNG, offscreen, at a fixed size (`virtquest screenshot`)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from virtquest.emu.errors import VirtQuestError
from virtquest.gui.app import build_window, make_app
from virtquest.gui.main_window import VIEW_KEYS, MainWindow
from virtquest.gui.models import load_content
from virtquest.progress.store import open_store

QUIZ_SEED = 2024


class ScreenshotError(VirtQuestError):
    """The screenshot cannot be made as asked (unknown view, level or question)."""


def render(view: str, out: str | Path, *, level: str | None = None,
           question: str | None = None, lang: str | None = None, theme: str | None = None,
           scale: float | None = None, size: tuple[int, int] = (1280, 800)) -> Path:
    """Build the window with `view` showing and save it as a PNG; returns the path."""
    if view not in VIEW_KEYS:
        raise ScreenshotError(f"unknown view {view!r}; expected one of {', '.join(VIEW_KEYS)}")
    app = make_app()
    overrides = {k: v for k, v in (("language", lang), ("theme", theme),
                                   ("font_scale", scale)) if v is not None}
    overrides["lab_tour"] = "done"      # a picture of the lab, not of its first-run guide
    with open_store() as store:
        window = build_window(store, load_content(), overrides=overrides, remember=False)
        try:
            prepare(window, view, level, question)
            window.resize(*size)
            window.show()
            settle(app)
            wait_for_results(app, window.views.get(view))
            return save(window, Path(out))
        finally:
            window.close()
            window.deleteLater()
            settle(app)


def prepare(window: MainWindow, view: str, level: str | None, question: str | None) -> None:
    """Show the view in a state worth a picture: a quiz question, the chosen level."""
    session = window.session
    if level is not None and session.level(level) is None:
        raise ScreenshotError(f"no level with the id {level!r}")
    if level is not None and view in ("lab", "map"):
        window.open_level(level) if view == "lab" else window.show_view("map")
        return
    widget = window.show_view(view)
    if view == "quiz":
        start_quiz(widget, question)


def start_quiz(quiz, question_id: str | None) -> None:
    from virtquest.game.quiz import present

    runner = quiz.start(seed=QUIZ_SEED)
    if question_id is None or runner is None:
        return
    question = quiz.session.question(question_id)
    if question is None:
        raise ScreenshotError(f"no quiz question with the id {question_id!r}")
    runner.start_with(present(question, QUIZ_SEED))


def wait_for_results(app: QApplication, widget, timeout_ms: int = 20000) -> None:
    """A lab runs its guest in a worker: wait until the verdicts are in, so the picture shows
    them (bounded; a picture of "still running" is better than none)."""
    lab = getattr(widget, "view", None)
    signal = getattr(lab, "result_ready", None)
    if signal is None:
        return
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    if getattr(lab, "result", None) is None:
        loop.exec()
    settle(app, 10)


def settle(app: QApplication, rounds: int = 5) -> None:
    for _ in range(rounds):
        app.processEvents()


def save(window: MainWindow, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(out), "PNG"):
        raise ScreenshotError(f"cannot write {out}")
    return out
