"""The progress view draws its numbers and three charts from the store and lists achievements."""

from __future__ import annotations

from PySide6.QtCharts import QChartView

from virtquest.gui.qt_progress import QtProgress


def test_progress_follows_answers(qtbot, session):
    view = QtProgress(session)
    qtbot.addWidget(view)
    view.show()
    assert view.tiles[1].value.text() == "0 XP"
    assert len(view.findChildren(QChartView)) >= 3
    question = session.content.questions[0]
    session.answer(question.id, True)
    assert view.tiles[1].value.text() == "10 XP"
    assert view.tiles[2].value.text() == "1-day streak"
    forecast = view.charts[1].chart().series()[0].barSets()[0]
    assert sum(forecast.at(i) for i in range(forecast.count())) == 1
    assert "Achievements (" in view.achievements_title.text()
    assert view.achievements.count() > 0


def _window(qtbot, store, content, **overrides):
    from virtquest.gui.app import build_window

    window = build_window(store, content, overrides=overrides, hangul_font="NanumGothic",
                          remember=False)
    qtbot.addWidget(window)
    window.show()
    return window


def test_charts_follow_the_theme_at_once(qtbot, store, content):
    from virtquest.gui.theme import colour

    window = _window(qtbot, store, content, theme="light")
    view = window.show_view("progress")
    assert all(c.chart().backgroundBrush().color() == colour("base", "light")
               for c in view.charts)
    window.session.set_setting("theme", "dark")
    for chart in (c.chart() for c in view.charts):
        assert chart.backgroundBrush().color() == colour("base", "dark")
        assert chart.titleBrush().color() == colour("text", "dark")
    window.session.set_setting("theme", "light")
    assert all(c.chart().backgroundBrush().color() == colour("base", "light")
               for c in view.charts)


def test_review_days_are_readable_at_1024_px(qtbot, store, content):
    """Fourteen day labels, none cut short, at 1024 px wide — at 100% and at 200% text."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    for language, scale in (("en", 1.0), ("ko", 2.0)):
        window = _window(qtbot, store, content, language=language, font_scale=scale)
        window.resize(1024, 700)
        view = window.show_view("progress")
        for _ in range(3):
            QApplication.processEvents()
        chart = view.charts[1].chart()
        axis = chart.axes(Qt.Orientation.Horizontal)[0]
        labels = axis.categories()
        assert len(labels) == 14 and all(label.isdigit() for label in labels)
        assert not axis.labelsTruncated(), (language, scale, view.charts[1].width())
        assert "/" in axis.titleText()                 # the months: "5/30 – 6/12"
        window.close()
