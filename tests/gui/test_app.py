"""Start-up: the learner's stored language and theme apply at once, content loads off the UI
thread, and `virtquest` with the start-up probe shows the window and quits quickly."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication

from virtquest.gui.app import build_window
from virtquest.gui.i18n import current_language, resolve_language
from virtquest.gui.models import LearnerSession


def test_stored_settings_apply_at_start(qtbot, store, content):
    profile = store.current_profile_id()
    store.set_setting(profile, "language", "ko")
    store.set_setting(profile, "theme", "dark")
    window = build_window(store, content, hangul_font="NanumGothic")
    qtbot.addWidget(window)
    assert current_language() == "ko"
    assert window.sidebar.item(0).text() == "챕터 지도"
    assert QApplication.palette().window().color().lightness() < 80


def test_no_hangul_font_keeps_english_and_says_how_to_fix_it(qtbot, store, content):
    store.set_setting(store.current_profile_id(), "language", "ko")
    window = build_window(store, content, hangul_font=None)
    qtbot.addWidget(window)
    assert current_language() == "en"
    assert "sudo apt-get install fonts-nanum" in window.banner.text.text()
    assert resolve_language("ko", hangul_font=False) == "en"


def test_content_loads_in_a_worker_and_the_views_follow(qtbot, store):
    session = LearnerSession(store, None)
    from virtquest.gui.qt_quiz import QtQuiz

    quiz = QtQuiz(session)
    qtbot.addWidget(quiz)
    assert not quiz.start_button.isEnabled()
    with qtbot.waitSignal(session.content_changed, timeout=30_000):
        session.load_content_async()
    assert quiz.start_button.isEnabled()
    assert len(session.content.questions) >= 100


def test_startup_probe_shows_the_window_and_quits(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", VIRTQUEST_STARTUP_PROBE="1",
               VIRTQUEST_HOME=str(tmp_path))
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "virtquest"], env=env, capture_output=True,
                          text=True, timeout=60)
    elapsed = time.perf_counter() - start
    assert done.returncode == 0, done.stderr
    assert elapsed < 5  # ~0.4 s here; generous for a loaded machine
    assert (tmp_path / "progress.sqlite3").exists()


def test_korean_catalogue_translates_every_string_and_is_compiled(tmp_path):
    """lupdate finds no string of any gui module missing from the Korean .ts, none is left
    unfinished, and the committed .qm is what lrelease makes of the .ts."""
    import xml.etree.ElementTree as ET

    from virtquest.gui.i18n import TRANSLATIONS

    gui = Path(__file__).resolve().parents[2] / "virtquest" / "gui"
    fresh = tmp_path / "fresh.ts"
    bin_dir = Path(sys.executable).parent
    subprocess.run([str(bin_dir / "pyside6-lupdate"), *map(str, sorted(gui.glob("*.py"))),
                    "-ts", str(fresh)], check=True, capture_output=True)
    committed = TRANSLATIONS / "virtquest_ko.ts"
    done = {(c.findtext("name"), m.findtext("source")): m.find("translation")
            for c in ET.parse(committed).getroot() for m in c.iter("message")}
    wanted = [(c.findtext("name"), m.findtext("source"))
              for c in ET.parse(fresh).getroot() for m in c.iter("message")]
    missing = [key for key in wanted if key not in done or done[key].get("type") or
               not (done[key].text or "").strip()]
    assert not missing, missing
    compiled = tmp_path / "ko.qm"
    subprocess.run([str(bin_dir / "pyside6-lrelease"), str(committed), "-qm", str(compiled)],
                   check=True, capture_output=True)
    assert compiled.read_bytes() == (TRANSLATIONS / "virtquest_ko.qm").read_bytes()
