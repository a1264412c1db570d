"""The review view lists what is due (new questions, lab mistakes) and plays it with the quiz's
question runner, recording each answer."""

from __future__ import annotations

from tests.gui.test_qt_quiz import give_answer
from virtquest.game.review import schedule_concept
from virtquest.gui.qt_quiz import QtQuiz
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
    assert view.queue == [first]  # today's new ones are done; the wrong one is due again
    assert "1 due now, 0 new today" in view.summary.text()
    assert view.start_button.isEnabled() and "(1)" in view.start_button.text()
    runner = view.start()
    give_answer(runner, right=True)
    runner.submit()
    runner.advance()
    assert view.queue == []  # answered right: FSRS brings it back at its next step
    assert "Next review" in view.summary.text()
    assert not view.start_button.isEnabled()


def test_every_wrong_answer_of_a_quiz_is_listed_for_review_at_once(qtbot, session):
    quiz = QtQuiz(session)
    qtbot.addWidget(quiz)
    runner = quiz.start(topic="memory", count=6, seed=4)
    wrong = []
    for index in range(6):
        give_answer(runner, right=index % 2 == 1)
        runner.submit()
        if index % 2 == 0:
            wrong.append(runner.current.question.id)
        runner.advance()
    view = review_view(qtbot, session)
    assert set(view.queue[:3]) == set(wrong)  # the last one too, answered a moment ago
    assert [view.table.topLevelItem(i).text(2) for i in range(3)] == ["due"] * 3
    assert "3 due now" in view.summary.text()


def test_the_list_is_read_again_each_time_the_view_is_shown(qtbot, session, content,
                                                            monkeypatch):
    view = review_view(qtbot, session)
    view.hide()
    later = [content.questions[3].id]  # what the scheduler says once time has passed
    monkeypatch.setattr(session, "review_ids", lambda now=None: later)
    view.show()
    assert view.queue == later and "(1)" in view.start_button.text()


def test_a_review_ends_early_with_its_own_button(qtbot, session):
    view = review_view(qtbot, session)
    runner = view.start()
    assert runner.end_button.text() == "End review"
    give_answer(runner, right=True)
    runner.submit()
    runner.end_button.click()
    assert view.stack.currentWidget() is view.list_page and view.runner is None
    assert len(view.queue) == 9
