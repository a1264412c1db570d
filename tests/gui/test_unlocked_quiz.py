"""The quiz cards a lab level unlocks are asked in the quiz view, exactly those."""

from virtquest.gui.qt_quiz import QtQuiz as QuizView


def test_start_questions_asks_exactly_the_unlocked_cards(qtbot, session, content):
    ids = [q.id for q in content.questions[:3]]
    view = QuizView(session)
    qtbot.addWidget(view)
    runner = view.start_questions(ids)
    assert runner is not None
    asked = {p.question.id for p in runner.presentations}
    assert asked == set(ids)


def test_unknown_cards_start_nothing(qtbot, session):
    view = QuizView(session)
    qtbot.addWidget(view)
    assert view.start_questions(["no-such-question"]) is None
