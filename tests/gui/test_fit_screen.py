"""The window fits a small screen at the largest text: in every view, in Korean and English, at
200% text, its minimum size stays within 1024 px and within the screen, nothing scrolls
sideways at 1024 × 700, and changing the text size or the language never widens it."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from virtquest.gui.app import build_window
from virtquest.gui.main_window import VIEW_KEYS, MainWindow
from virtquest.gui.qt_sandbox import DEBUG_TAB

SMALL = (1024, 700)


def make(qtbot, store, content, **overrides) -> MainWindow:
    window = build_window(store, content, overrides=overrides, hangul_font="NanumGothic",
                          remember=False)
    qtbot.addWidget(window)
    window.show()
    window.resize(*SMALL)
    return window


def settle(qtbot) -> None:
    for _ in range(3):
        QApplication.processEvents()
    qtbot.wait(20)


def show_at_its_widest(qtbot, window: MainWindow, key: str, content) -> None:
    """The view in the state that needs the most room: a level open, a question asked, a
    sandbox run shown on each of its tabs."""
    view = window.show_view(key)
    if key == "lab":
        window.open_level(content.level_list[0].id)
        window.views["lab"].view.wait()
    elif key == "quiz":
        view.start(seed=2024)
    elif key == "sandbox":
        view.run()
        view.wait()
        view.tabs.setCurrentIndex(DEBUG_TAB)
    settle(qtbot)


def room() -> tuple[int, int]:
    available = QApplication.primaryScreen().availableGeometry()
    return available.width(), available.height()


@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_view_fits_1024_px_at_200_percent_text(qtbot, store, content, language):
    window = make(qtbot, store, content, language=language, font_scale=2.0)
    width, height = room()
    too_wide = []
    for key in VIEW_KEYS:
        show_at_its_widest(qtbot, window, key, content)
        minimum = window.minimumSizeHint()
        if minimum.width() > min(1024, width) or minimum.height() > height:
            too_wide.append((key, "window minimum", minimum.width(), minimum.height()))
        if window.width() > SMALL[0]:
            too_wide.append((key, "window grew", window.width()))
        # At 1024 px the view itself fits: the area around it does not scroll sideways.
        if window.area.horizontalScrollBar().maximum() > 0:
            too_wide.append((key, "scrolls sideways", window.stack.minimumSizeHint().width()))
    assert not too_wide, too_wide


def test_larger_text_and_another_language_never_widen_the_window(qtbot, store, content):
    window = make(qtbot, store, content, language="en", font_scale=1.0)
    show_at_its_widest(qtbot, window, "sandbox", content)
    for key, value in (("font_scale", 2.0), ("language", "ko"), ("language", "en"),
                       ("font_scale", 1.0)):
        window.session.set_setting(key, value)
        settle(qtbot)
        assert window.width() <= SMALL[0], (key, value, window.width())
        assert window.minimumSizeHint().width() <= min(SMALL[0], room()[0]), (key, value)


def test_a_hidden_view_does_not_widen_the_shown_one(qtbot, store, content):
    """The sandbox, once built, must not set the width of the map."""
    window = make(qtbot, store, content, language="ko", font_scale=2.0)
    show_at_its_widest(qtbot, window, "sandbox", content)
    window.show_view("map")
    settle(qtbot)
    assert window.stack.minimumSizeHint() == window.views["map"].minimumSizeHint()


def test_a_long_learner_name_shortens_in_the_header(qtbot, store, content):
    window = make(qtbot, store, content, language="ko", font_scale=2.0)
    name = "김가나다라마바사아자차카타파하 (2024123456789)"
    window.session.create_profile(name)
    settle(qtbot)
    header = window.header
    assert name in header.profile.text()
    assert header.minimumSizeHint().width() <= min(SMALL[0], room()[0])
    assert header.profile.shown_text().endswith("…")
    assert name in header.profile.toolTip()
