"""A text-size step and a theme switch reach every view that is already built, and the widgets
made after it: every text grows (code, registers and headings too) and nothing is left at the
old size's height; every surface and text takes the new theme's colours. (How long they take is
measured by scripts/appearance_timing.py, not asserted here.)"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget

from virtquest.gui.app import build_window
from virtquest.gui.fonts import monospace_family, point_size
from virtquest.gui.main_window import MainWindow
from virtquest.gui.qt_editor import class_colour
from virtquest.gui.qt_lab_verdict import VERDICT_COLOURS
from virtquest.gui.qt_sandbox import DEBUG_TAB
from virtquest.gui.theme import COLORS, ROLE_FONTS, colour

LEVEL = "ch3-popf"


def settle(qtbot) -> None:
    for _ in range(3):
        QApplication.processEvents()
    qtbot.wait(10)


@pytest.fixture
def window(qtbot, store, content) -> MainWindow:
    """Every view built, as a learner who has been everywhere: a level open in the lab, a quiz
    question asked, a sandbox run on its debugger tab; the map shown."""
    window = build_window(store, content, hangul_font="NanumGothic", remember=False,
                          overrides={"language": "en", "theme": "light", "font_scale": 1.0,
                                     "lab_tour": "done"})
    qtbot.addWidget(window)
    window.resize(1024, 700)
    window.show()
    window.open_level(LEVEL)
    lab = window.views["lab"].view
    lab.wait()
    for index in range(lab.tabs.count()):      # the timeline, the comparison, the debugger
        lab.tabs.setCurrentIndex(index)
        settle(qtbot)
    window.show_view("quiz").start(seed=7)
    window.show_view("review")
    sandbox = window.show_view("sandbox")
    sandbox.run()
    sandbox.wait()
    sandbox.tabs.setCurrentIndex(DEBUG_TAB)
    for key in ("progress", "settings", "map"):
        window.show_view(key)
    settle(qtbot)
    yield window
    window.session.set_setting("theme", "light")
    window.session.set_setting("font_scale", 1.0)


def code_widgets(window: MainWindow) -> list[QWidget]:
    lab = window.views["lab"].view
    sandbox = window.views["sandbox"]
    widgets = [lab.program_view, sandbox.editor]
    for debugger in (lab.debug_page.debugger, sandbox.debug_page.debugger):
        widgets += [debugger.program_view, debugger.state_panel.registers, debugger.state_panel.console]
    return widgets


def labels(window: MainWindow, role: str | None = None) -> list[QLabel]:
    return [label for label in window.findChildren(QLabel)
            if label.property("role") == role and label.text()]


def test_a_text_size_step_grows_the_text_of_every_view(window, qtbot):
    window.session.set_setting("font_scale", 2.0)
    settle(qtbot)
    body = point_size(2.0)
    for view in window.views.values():       # body text in every view, shown or not
        texts = [label for label in view.findChildren(QLabel) if label.text()
                 and label.property("role") not in ROLE_FONTS]
        assert texts and all(label.font().pointSizeF() == body for label in texts), view
    for widget in code_widgets(window):       # code, registers and console: monospace, grown
        assert widget.font().pointSizeF() == body, widget
        assert widget.font().family() == monospace_family(), widget
    for role, (factor, bold) in ROLE_FONTS.items():    # headings keep their proportion
        found = labels(window, role)
        assert found, role
        for label in found:
            assert label.font().pointSizeF() == round(body * factor, 1), (role, label.text())
            assert label.font().bold() == bold

    # Laid out again at the new size: no label is shorter than one line of its text (an empty
    # label, filled later, too), in the view on screen and in one shown afterwards.
    for key in ("map", "lab", "settings"):
        window.show_view(key)
        settle(qtbot)
        short = [(label.text()[:30], label.height(), label.fontMetrics().height())
                 for label in window.views[key].findChildren(QLabel)
                 if label.isVisible() and label.pixmap().isNull()
                 and label.height() < label.fontMetrics().height()]
        assert not short, (key, short)
    locks = [row.lock for card in window.views["map"].cards for row in card.rows
             if not row.cell.unlocked]
    assert locks and all(lock.pixmap().height() == lock.fontMetrics().height() for lock in locks)

    # The sandbox's result headings are still whole.
    table = window.views["sandbox"].results.table
    header = table.horizontalHeader()
    for column in range(table.columnCount() - 1):       # the last one stretches
        text = table.horizontalHeaderItem(column).text()
        assert header.sectionSize(column) >= header.fontMetrics().horizontalAdvance(text), text

    # A question asked after the step is at the new size too.
    quiz = window.show_view("quiz")
    quiz.start(seed=8)
    settle(qtbot)
    shown = [label for label in quiz.findChildren(QLabel) if label.isVisible() and label.text()]
    assert shown and all(label.font().pointSizeF() in
                         {body} | {round(body * f, 1) for f, _ in ROLE_FONTS.values()}
                         for label in shown)

    window.session.set_setting("font_scale", 1.0)
    settle(qtbot)
    assert all(w.font().pointSizeF() == point_size(1.0) for w in code_widgets(window))
    assert all(label.font().pointSizeF() == round(point_size(1.0) * 1.6, 1)
               for label in labels(window, "title"))


def pixel(widget: QWidget, x: int, y: int):
    return widget.grab().toImage().pixelColor(x, y).name()


def plain_button(window: MainWindow) -> QPushButton:
    return window.views["map"].sandbox_button


def test_a_theme_switch_recolours_every_view(window, qtbot):
    card = window.views["map"].cards[0]
    assert pixel(card, card.width() // 2, 4) == COLORS["light"]["base"]
    button = plain_button(window)
    assert pixel(button, button.width() // 2, 4) == COLORS["light"]["alt"]
    lock = next(row.lock for row in card.rows if not row.cell.unlocked)
    light_lock = lock.pixmap().toImage()

    window.session.set_setting("theme", "dark")
    settle(qtbot)
    dark = COLORS["dark"]
    # Surfaces the stylesheet paints: cards, buttons, the header, the sidebar.
    assert pixel(card, card.width() // 2, 4) == dark["base"]
    assert pixel(button, button.width() // 2, 4) == dark["alt"]
    assert pixel(window.header, 4, 4) == dark["header"]
    assert pixel(window.sidebar, 4, window.sidebar.height() - 4) == dark["sidebar"]
    assert lock.pixmap().toImage() != light_lock          # the map's locks, redrawn
    # The window behind every view, shown or not.
    for view in window.views.values():
        assert view.palette().color(view.backgroundRole()).name() == dark["window"], view
    # Text in a role's colour: muted and stars, in every view.
    for role, name in (("muted", "muted"), ("stars", "star")):
        found = labels(window, role)
        assert found, role
        for label in found:
            assert label.palette().color(label.foregroundRole()).name() == dark[name], (
                role, label.text())
    # Code: the instruction classes in their dark-theme colours (the lab shown again).
    window.show_view("lab")
    settle(qtbot)
    lab = window.views["lab"].view
    pal = lab.program_view.palette()
    assert lab.program_view.highlighter.formats["privileged"].foreground().color() == \
        class_colour("privileged", pal)
    assert class_colour("privileged", pal).name() != class_colour(
        "privileged", QApplication.style().standardPalette()).name()
    # The lab's verdict marks and its slots' instructions, written in HTML, are rewritten.
    assert VERDICT_COLOURS["wrong"][1] in lab.verdict.verdicts.text()
    assert VERDICT_COLOURS["wrong"][0] not in lab.verdict.verdicts.text()
    slot = lab.slot_list.rows[0]
    assert class_colour(slot.slot.iclass, pal).name() in slot.title.text()
    # The progress charts, drawn while the view was hidden, are dark when it is shown.
    progress = window.show_view("progress")
    settle(qtbot)
    assert all(c.chart().backgroundBrush().color() == colour("base", "dark")
               for c in progress.charts)
    stars, _forecast, xp = progress.charts         # redrawn, they still share their row evenly
    assert abs(stars.width() - xp.width()) <= 1, (stars.width(), xp.width())
    # Buttons of a question asked after the switch are dark too.
    quiz = window.show_view("quiz")
    quiz.start(seed=8)
    settle(qtbot)
    buttons = [b for b in quiz.findChildren(QPushButton) if b.isVisible() and b.isEnabled()
               and not b.isChecked() and b.property("role") is None and not b.hasFocus()]
    assert buttons
    assert pixel(buttons[0], buttons[0].width() // 2, 4) == dark["alt"]

    window.session.set_setting("theme", "light")
    settle(qtbot)
    assert pixel(card, card.width() // 2, 4) == COLORS["light"]["base"]
    assert all(label.palette().color(label.foregroundRole()).name() == COLORS["light"]["muted"]
               for label in labels(window, "muted"))


def opened(qtbot, store, content, view: str, **settings) -> MainWindow:
    from virtquest.gui import screenshot

    window = build_window(store, content, hangul_font="NanumGothic", remember=False,
                          overrides={**settings, "lab_tour": "done"})
    qtbot.addWidget(window)
    screenshot.prepare(window, view, LEVEL if view == "lab" else None, None)
    window.resize(1024, 700)
    window.show()
    screenshot.wait_for_results(QApplication.instance(), window.views.get(view))
    settle(qtbot)
    return window


@pytest.mark.parametrize("view", ["map", "lab", "sandbox", "progress"])
def test_a_switched_window_looks_like_one_opened_in_the_new_settings(qtbot, store, content,
                                                                      view):
    """Language, theme and text size changed one after another on an open window: it is drawn
    pixel for pixel as a window opened in them (nothing left in the old size or colours)."""
    window = opened(qtbot, store, content, view, language="en", theme="light", font_scale=1.0)
    new = {"language": "ko", "theme": "dark", "font_scale": 1.5}
    for key, value in new.items():
        window.session.set_setting(key, value)
    settle(qtbot)
    window.resize(1024, 700)        # a larger text may have fitted it to a small screen
    settle(qtbot)
    switched = window.grab().toImage()
    fresh = opened(qtbot, store, content, view, **new).grab().toImage()
    assert switched.size() == fresh.size()
    if switched != fresh:
        differ = sum(switched.pixel(x, y) != fresh.pixel(x, y)
                     for x in range(0, fresh.width(), 2) for y in range(0, fresh.height(), 2))
        pytest.fail(f"{view}: {differ} sampled pixels differ from a window opened so")
    window.session.set_setting("theme", "light")
    window.session.set_setting("font_scale", 1.0)


def test_a_view_hidden_during_a_language_switch_is_in_the_new_language_when_shown(window,
                                                                                   qtbot):
    window.session.set_setting("language", "ko")
    settle(qtbot)
    progress = window.show_view("progress")
    settle(qtbot)
    assert progress.title.text() == "진행 상황"
    assert progress.achievements_title.text().startswith("업적")
    assert progress.charts[0].chart().title() == "장별 별"
    window.session.set_setting("language", "en")
