"""The main window opens with the product's name."""

from virtquest.gui.app import MainWindow
from virtquest.gui.fonts import hangul_font_family


def test_main_window_shows_the_product_name(qtbot):
    window = MainWindow(korean_font="NanumGothic")
    qtbot.addWidget(window)
    window.show()
    assert "VirtQuest" in window.windowTitle()
    assert window.findChild(type(window.centralWidget().layout().itemAt(1).widget()),
                            "title").text() == "VirtQuest"


def test_missing_korean_font_says_how_to_install_one(qtbot):
    window = MainWindow(korean_font=None)
    qtbot.addWidget(window)
    subtitle = window.findChild(type(window.centralWidget().layout().itemAt(2).widget()),
                                "subtitle")
    assert "apt-get install fonts-nanum" in subtitle.text()


def test_font_detection_returns_a_family_or_none(qtbot):
    family = hangul_font_family()
    assert family is None or isinstance(family, str)
