"""`virtquest screenshot` renders each view offscreen into a PNG of the asked size."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage

from virtquest.cli import main
from virtquest.commands.screenshot import VIEWS
from virtquest.gui.main_window import VIEW_KEYS


def test_the_command_knows_every_view():
    assert VIEWS == VIEW_KEYS


@pytest.mark.parametrize("view", VIEWS)
def test_each_view_renders_to_a_png(qapp, tmp_path, view, capsys):
    out = tmp_path / f"{view}.png"
    lang = "ko" if view in ("map", "quiz", "progress") else "en"
    theme = "dark" if view in ("quiz", "review", "settings") else "light"
    assert main(["screenshot", "--view", view, "--lang", lang, "--theme", theme,
                 str(out)]) == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)
    assert capsys.readouterr().out.strip() == str(out)


def test_a_chosen_question_and_a_text_size(qapp, tmp_path):
    out = tmp_path / "q.png"
    assert main(["screenshot", "--view", "quiz", "--question", "bt.facts", "--scale", "200",
                 "--size", "1024x768", str(out)]) == 0
    assert QImage(str(out)).width() == 1024


def test_unknown_level_is_one_clear_error(qapp, tmp_path, capsys):
    assert main(["screenshot", "--view", "lab", "--level", "no-such-level",
                 str(tmp_path / "x.png")]) == 2
    assert "no level with the id 'no-such-level'" in capsys.readouterr().err
    assert not (tmp_path / "x.png").exists()


def test_a_screenshot_leaves_the_learners_last_view_alone(qapp, tmp_path):
    from virtquest.gui.main_window import window_settings

    window_settings().setValue("view", "review")
    window_settings().sync()
    assert main(["screenshot", "--view", "settings", str(tmp_path / "s.png")]) == 0
    assert window_settings().value("view") == "review"
