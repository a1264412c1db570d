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
