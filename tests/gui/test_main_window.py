"""The main window: views by sidebar and Ctrl+1…7, the learner always in the header, the view
remembered, a view not built yet shown as "coming soon", warnings told once."""

from __future__ import annotations

from PySide6.QtCore import Qt

from virtquest.gui import main_window
from virtquest.gui.app import build_window
from virtquest.gui.main_window import VIEW_KEYS, ComingSoon, MainWindow, ViewSpec


def make(qtbot, store, content, **kwargs) -> MainWindow:
    window = build_window(store, content, hangul_font="NanumGothic", **kwargs)
    qtbot.addWidget(window)
    window.show()
    return window


def test_ctrl_number_keys_switch_views(qtbot, store, content):
    window = make(qtbot, store, content)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    for number, key in enumerate(VIEW_KEYS, start=1):
        qtbot.keyClick(window, Qt.Key(Qt.Key.Key_0 + number), Qt.KeyboardModifier.ControlModifier)
        assert window.current_view() == key
        assert window.stack.currentWidget() is window.views[key]


def test_sidebar_click_and_the_view_is_remembered(qtbot, store, content):
    window = make(qtbot, store, content)
    window.sidebar.setCurrentRow(VIEW_KEYS.index("progress"))
    assert window.current_view() == "progress"
    window.close()
    again = make(qtbot, store, content)
    assert again.current_view() == "progress"


def test_header_shows_learner_xp_and_streak(qtbot, store, content):
    window = make(qtbot, store, content)
    assert window.header.profile.text() == "Learner: learner"
    assert window.header.level.text() == "Level 1 · 0 XP"
    window.session.answer(content.questions[0].id, True)
    assert window.header.level.text() == "Level 1 · 10 XP"
    assert window.header.streak.text() == "Streak: 1 day"


def test_a_view_not_built_yet_is_coming_soon(qtbot, store, content, monkeypatch):
    views = (*main_window.VIEWS[:1], ViewSpec("lab", "Lab", "virtquest.gui.no_such_view"),
             *main_window.VIEWS[2:])
    monkeypatch.setattr(main_window, "VIEWS", views)
    window = make(qtbot, store, content)
    lab = window.show_view("lab")
    assert isinstance(lab, ComingSoon)
    assert "coming soon" in lab.title.text()
    window.open_level(content.level_list[0].id)
    assert content.level_list[0].id in lab.detail.text()


def test_map_opens_a_level_in_the_lab(qtbot, store, content, monkeypatch):
    opened = []
    window = make(qtbot, store, content)
    lab = window.view("lab")
    monkeypatch.setattr(lab, "show_level", opened.append, raising=False)
    first = content.level_list[0].id
    window.view("map").level_requested.emit(first)
    assert window.current_view() == "lab" and opened == [first]


def test_store_warnings_are_told_once(qtbot, tmp_path, content):
    from virtquest.progress.store import open_store

    path = tmp_path / "progress.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with open_store(path) as damaged:
        window = make(qtbot, damaged, content)
        assert window.banner.isVisible()
        assert "damaged" in window.banner.text.text()
        window.tell(damaged.warnings[0])
        assert window.banner.text.text().count("damaged") == 1
        window.banner.close_button.click()
        assert not window.banner.isVisible()
        window.close()


def test_closing_the_window_mid_run_ends_every_run_and_thread(qtbot, store, content):
    """The whole window, not one view: a lab run and an endless sandbox run on their workers,
    then the main window closes (the app does not quit here, so only the window can stop
    them). Every worker is shut down, no thread runs Python any more, the Python thread count
    is back where it was, and what was committed stays committed."""
    import sqlite3
    import sys
    import threading
    import time

    from virtquest.gui.workers import Worker

    baseline = threading.active_count()
    window = make(qtbot, store, content)
    window.session.answer(content.questions[0].id, True)
    window.open_level(content.level_list[0].id)
    sandbox = window.show_view("sandbox")
    sandbox.editor.setPlainText("main:\nforever:\n    jmp forever\n")
    sandbox.budget.setCurrentIndex(sandbox.budget.count() - 1)
    sandbox.run()
    qtbot.wait(200)
    assert sandbox.worker.busy, "the endless run is going"
    workers = window.findChildren(Worker)
    assert len(workers) >= 2, "the lab's and the sandbox's"
    started = time.monotonic()
    window.close()
    assert time.monotonic() - started < 10
    assert all(w.pending == 0 and w.active_threads == 0 for w in workers)
    assert len(sys._current_frames()) == 1, "no thread runs Python code any more"
    assert threading.active_count() == baseline
    database = store.path
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT count(*) FROM quiz_answers").fetchone()[0] == 1
