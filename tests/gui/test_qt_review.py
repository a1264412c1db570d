"""The review view lists what is due (new questions, lab mistakes) and plays it with the quiz's
question runner, recording each answer."""

from __future__ import annotations

from tests.gui.test_qt_quiz import give_answer
from virtquest.game.review import schedule_concept
from virtquest.gui.qt_review import QtReview


def review_view(qtbot, session) -> QtReview:
    view = QtReview(session)
    qtbot.addWidget(view)
    view.show()
    return view


def test_new_learner_sees_todays_new_questions(qtbot, session):
    view = review_view(qtbot, session)
    assert len(view.queue) == 10
    assert view.table.topLevelItemCount() == 10
    assert view.start_button.isEnabled() and "(10)" in view.start_button.text()
    assert "0 due now, 10 new today" in view.summary.text()


def test_a_lab_mistake_puts_its_questions_first_and_says_why(qtbot, session):
    concept = session.content.questions[-1].concept
    ids = [q.id for q in session.content.questions if q.concept == concept]
    schedule_concept(session.store, session.profile_id, concept, ids)
    view = review_view(qtbot, session)
    assert view.queue[: len(ids)] == sorted(ids)
    assert view.table.topLevelItem(0).text(2) == f"lab mistake: {concept}"


def test_reviewing_records_answers_and_refreshes_the_queue(qtbot, session):
    view = review_view(qtbot, session)
    runner = view.start()
    first = runner.current.question.id
    for index in range(len(runner.presentations)):
        give_answer(runner, right=index > 0)
        runner.submit()
        runner.advance()
    assert session.store.quiz_answers(session.profile_id, first)[0].correct is False
    assert session.store.count_quiz_answers(session.profile_id) == 10
    assert view.stack.currentWidget() is view.list_page and view.runner is None
    assert view.queue == []  # today's new ones are done; the wrong one returns in minutes
    assert "Next review" in view.summary.text()
    assert not view.start_button.isEnabled()
