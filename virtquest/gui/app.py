"""The application: opens the progress store on the UI thread, applies language, theme and font
scale from the learner's settings (and again whenever they change), and shows the main window.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

from virtquest import __version__
from virtquest.gui.fonts import INSTALL_COMMAND, clamp_scale, hangul_font_family
from virtquest.gui.i18n import current_language, install_language, resolve_language
from virtquest.gui.main_window import MainWindow
from virtquest.gui.models import LearnerSession
from virtquest.gui.theme import apply_text_size, apply_theme, resolve_theme
from virtquest.progress.store import Store, open_store

NO_FONT_MESSAGE = ("No font on this computer can show Korean, so VirtQuest is in English. "
                   f"To learn in Korean, install one and restart VirtQuest: {INSTALL_COMMAND}")


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("VirtQuest")
    app.setApplicationVersion(__version__)
    return app


class Appearance(QObject):
    """Applies the session's language, theme and font scale, now and whenever they change.
    Nothing is rebuilt: views retranslate on LanguageChange, and fonts and colours reach every
    widget from the application (theme.py)."""

    def __init__(self, session: LearnerSession):
        super().__init__(session)
        self.session = session
        session.settings_changed.connect(self.apply)

    def value(self, key: str) -> object:
        return self.session.setting(key)

    def apply(self, key: str | None = None) -> None:
        app = QApplication.instance()
        hangul = self.session.hangul_font
        if key in (None, "language"):
            language = resolve_language(self.value("language"), hangul is not None)
            if language != current_language() or key is None:
                install_language(language)
        if key in (None, "font_scale"):
            apply_text_size(app, hangul, clamp_scale(float(self.value("font_scale"))))
        if key in (None, "theme"):
            apply_theme(app, resolve_theme(self.value("theme")))


def build_window(store: Store, content=None, *, overrides: dict[str, object] | None = None,
                 hangul_font: str | None = "detect", remember: bool = True) -> MainWindow:
    """A session over `store`, its appearance applied, and the main window (not shown)."""
    family = hangul_font_family() if hangul_font == "detect" else hangul_font
    session = LearnerSession(store, content, hangul_font=family)
    session.overrides.update(overrides or {})
    appearance = Appearance(session)
    appearance.apply()
    window = MainWindow(session, remember=remember)
    window.appearance = appearance
    for warning in store.warnings:
        window.tell(warning)
    session.content_failed.connect(window.tell)
    if family is None:
        window.tell(NO_FONT_MESSAGE)
    return window


def play_levels(window: MainWindow, count: int) -> None:
    """Open the first `count` levels in the lab as a learner would: each runs under its modes,
    one choice is changed (a re-run), the attempt is submitted; then print the process's peak
    resident memory in MB (for `virtquest bench`)."""
    import resource

    from virtquest.content.levels import CHOICES
    from virtquest.gui.models import load_content

    window.session.set_content(load_content())
    for level in window.session.content.levels.levels[:count]:
        window.open_level(level.id)
        lab = window.show_view("lab").view
        lab.wait()
        model = lab.model
        slot = model.slots[0]
        other = next((c for c in CHOICES if c != model.choices[slot.label]
                      and slot.allowed(c)), None)
        if other is not None:
            lab.choose(slot.label, other)
            lab.wait()
        lab.submit()
        lab.wait()
    print(f"peak_rss_mb {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f}",
          flush=True)


def run_app() -> int:
    app = make_app()
    store = open_store()  # on the UI thread: the connection belongs to it
    window = build_window(store)
    window.show()
    if os.environ.get("VIRTQUEST_STARTUP_PROBE"):
        # `virtquest bench` measures start-up: quit as soon as the window is up.
        QTimer.singleShot(0, app.quit)
    elif os.environ.get("VIRTQUEST_MEMORY_PROBE"):
        # `virtquest bench` measures memory: play some levels, print the peak, quit.
        count = int(os.environ["VIRTQUEST_MEMORY_PROBE"])
        def probe() -> None:
            try:
                play_levels(window, count)
            finally:
                app.quit()
        QTimer.singleShot(0, probe)
    else:
        window.session.load_content_async()
    try:
        return app.exec()
    finally:
        window.shutdown()   # no run or load outlives the window, nor writes after the store
        store.close()
