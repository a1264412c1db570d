"""Settings: language, theme and text size apply at once; profiles switch and are created;
progress goes out to a JSON file and comes back in, with clear errors for bad files."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QApplication

from virtquest.gui import qt_settings
from virtquest.gui.app import build_window
from virtquest.gui.qt_settings import QtSettings


def settings_view(qtbot, session) -> QtSettings:
    view = QtSettings(session)
    qtbot.addWidget(view)
    view.show()
    return view


def choose(combo, data) -> None:
    combo.setCurrentIndex(combo.findData(data))
    combo.activated.emit(combo.currentIndex())


def window(qtbot, store, content):
    win = build_window(store, content, hangul_font="NanumGothic")
    qtbot.addWidget(win)
    win.show()
    return win


def test_switching_language_retranslates_every_open_view(qtbot, store, content):
    win = window(qtbot, store, content)
    for key in ("map", "quiz", "review", "progress"):
        win.view(key)
    view = win.show_view("settings")
    choose(view.language, "ko")
    assert store.get_setting(store.current_profile_id(), "language") == "ko"
    assert win.sidebar.item(0).text() == "챕터 지도"
    assert view.title.text() == "설정"
    assert win.views["map"].title.text() == "챕터 지도"
    assert win.views["quiz"].start_button.text() == "퀴즈 시작"
    assert win.views["review"].title.text() == "복습"
    assert win.views["progress"].title.text() == "진행 상황"
    assert "학습자" in win.header.profile.text()
    level = content.level_list[0]
    assert level.title.ko in win.views["map"].cards[0].rows[0].title.text()  # content follows
    choose(view.language, "en")
    assert win.sidebar.item(0).text() == "Chapter map"
    assert level.title.en in win.views["map"].cards[0].rows[0].title.text()


def test_switching_theme_changes_the_palette(qtbot, store, content):
    win = window(qtbot, store, content)
    view = win.show_view("settings")
    choose(view.theme, "dark")
    dark = QApplication.palette().window().color().lightness()
    choose(view.theme, "light")
    light = QApplication.palette().window().color().lightness()
    assert dark < 80 < 200 < light
    assert store.get_setting(store.current_profile_id(), "theme") == "light"


def test_font_scale_applies_app_wide_and_the_sidebar_still_fits(qtbot, store, content):
    win = window(qtbot, store, content)
    view = win.show_view("settings")
    base = QApplication.font().pointSizeF()
    narrow = win.sidebar.width()
    view.scale.setValue(200)
    assert store.get_setting(store.current_profile_id(), "font_scale") == 2.0
    assert QApplication.font().pointSizeF() == 2 * base
    assert win.sidebar.width() > narrow
    metrics = win.sidebar.fontMetrics()
    widest = max(metrics.horizontalAdvance(win.sidebar.item(r).text())
                 for r in range(win.sidebar.count()))
    assert win.sidebar.width() > widest
    assert view.scale_value.text() == "200%"
    view.scale.setValue(100)


def test_create_and_switch_profiles(qtbot, session):
    view = settings_view(qtbot, session)
    first = session.profile_id
    view.new_name.setText("kim")
    view.create_button.click()
    assert session.store.profile(session.profile_id).name == "kim"
    assert view.profile.currentText() == "kim"
    view.new_name.setText("kim")
    view.create_button.click()
    assert "already exists" in view.status.text()
    choose(view.profile, first)
    assert session.profile_id == first


def test_export_then_import_round_trip(qtbot, session, tmp_path, monkeypatch):
    session.answer("trap.why-costly" if session.question("trap.why-costly") else
                   session.content.questions[0].id, True)
    view = settings_view(qtbot, session)
    target = tmp_path / "me.json"
    monkeypatch.setattr(qt_settings, "choose_export_path", lambda *_: str(target))
    view.export_button.click()
    assert target.exists() and "Saved" in view.status.text()
    document = json.loads(target.read_text(encoding="utf-8"))
    assert len(document["quiz_answers"]) == 1
    monkeypatch.setattr(qt_settings, "choose_import_path", lambda *_: str(target))
    monkeypatch.setattr(qt_settings, "ask_conflict", lambda *_: "copy")
    view.import_button.click()
    assert "Imported" in view.status.text()
    names = [p.name for p in session.profiles()]
    assert names == ["learner", "learner (2)"]
    copy = session.store.profile_id_by_name("learner (2)")
    assert len(session.store.quiz_answers(copy)) == 1


def test_importing_a_bad_file_says_why_and_changes_nothing(qtbot, session, tmp_path,
                                                           monkeypatch):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    view = settings_view(qtbot, session)
    monkeypatch.setattr(qt_settings, "choose_import_path", lambda *_: str(bad))
    view.import_button.click()
    assert view.status.text().startswith("Import failed:")
    assert "not valid JSON" in view.status.text()
    assert view.status.property("verdict") == "wrong"
    assert len(session.profiles()) == 1


def test_without_a_hangul_font_korean_cannot_be_chosen(qtbot, store, content):
    win = build_window(store, content, hangul_font=None)
    qtbot.addWidget(win)
    view = win.show_view("settings")
    assert not view.language.model().item(1).isEnabled()
    assert view.font_warning.isVisibleTo(view)
    assert "sudo apt-get install fonts-nanum" in view.font_warning.text()
    assert "sudo apt-get install fonts-nanum" in win.banner.text.text()


def test_code_in_the_sandbox_and_its_debugger_follows_the_text_size(qtbot, store, content):
    from virtquest.gui.qt_sandbox import DEBUG_TAB

    win = window(qtbot, store, content)
    sandbox = win.show_view("sandbox")
    sandbox.tabs.setCurrentIndex(DEBUG_TAB)
    debugger = sandbox.debug_page.debugger
    small = sandbox.editor.font().pointSizeF()
    view = win.show_view("settings")
    view.scale.setValue(200)
    try:
        text = QApplication.font().pointSizeF()
        qtbot.waitUntil(lambda: sandbox.editor.font().pointSizeF() == text)
        assert text == 2 * small
        qtbot.waitUntil(lambda: debugger.state_panel.registers.font().pointSizeF() == text)
        assert sandbox.results.console.font().pointSizeF() == text
    finally:
        view.scale.setValue(100)
