"""Spaced review with FSRS: ratings, due times, the review queue, lab-mistake flags, forecast."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fsrs import Card, Rating

from virtquest.game import review, xp
from virtquest.game.review import (
    answer_question,
    forecast,
    introduced_today,
    rating_for,
    review_queue,
    schedule_concept,
)
from virtquest.progress.store import open_store

SEOUL = ZoneInfo("Asia/Seoul")
NOW = datetime(2025, 3, 3, 10, 0, tzinfo=SEOUL)


@pytest.fixture
def store():
    with open_store() as opened:
        yield opened


@pytest.fixture
def pid(store):
    return store.current_profile_id()


def test_fsrs_again_is_due_sooner_than_easy():
    utc_now = NOW.astimezone(UTC)
    card = Card(card_id=1, due=utc_now)
    after = {rating: review._SCHEDULER.review_card(card, rating, utc_now)[0].due
             for rating in Rating}
    assert after[Rating.Again] < after[Rating.Hard] <= after[Rating.Good] < after[Rating.Easy]


def test_a_wrong_answer_comes_back_sooner_than_a_right_one(store, pid):
    right = answer_question(store, pid, "q.right", True, now=NOW)
    wrong = answer_question(store, pid, "q.wrong", False, now=NOW)
    assert wrong.rating == Rating.Again and right.rating == Rating.Good
    assert NOW < wrong.next_due < right.next_due


def test_remembered_cards_grow_their_interval_and_a_lapse_resets_it(store, pid):
    now, intervals = NOW, []
    for _ in range(5):
        outcome = answer_question(store, pid, "q.grow", True, now=now)
        intervals.append(outcome.next_due - now)
        now = outcome.next_due  # answer exactly when due
    assert intervals == sorted(intervals) and intervals[-1] > timedelta(days=7)
    lapse = answer_question(store, pid, "q.grow", False, now=now)
    assert lapse.next_due - now < timedelta(hours=1)


def test_ratings_from_correctness_and_time():
    assert rating_for(False, 1.0) == Rating.Again
    assert rating_for(True, None) == Rating.Good
    assert rating_for(True, 3.0) == Rating.Good
    assert rating_for(True, review.SLOW_ANSWER_SECONDS + 1) == Rating.Hard


def test_an_answer_records_everything_and_says_what_changed(store, pid):
    outcome = answer_question(store, pid, "trap.steps", True, answer=["trap", "exit"],
                              seconds=6.0, now=NOW)
    assert outcome.kind == "new" and outcome.xp_gained == xp.XP_RULES["quiz_correct"]
    assert outcome.effects.streak.days == 1
    assert "first-answer" in {a.id for a in outcome.new_achievements}
    [answer] = store.quiz_answers(pid)
    assert (answer.question_id, answer.correct, answer.kind, answer.rating, answer.seconds) == (
        "trap.steps", True, "new", int(Rating.Good), 6.0)
    assert answer.answer == ["trap", "exit"]
    assert store.get_card(pid, "trap.steps").due == outcome.next_due


def test_answer_kinds_new_early_review(store, pid):
    first = answer_question(store, pid, "q1", True, now=NOW)
    early = answer_question(store, pid, "q1", True, now=NOW + timedelta(minutes=1))
    on_time = answer_question(store, pid, "q1", True, now=early.next_due + timedelta(hours=1))
    assert (first.kind, early.kind, on_time.kind) == ("new", "early", "review")
    assert early.xp_gained == xp.XP_RULES["quiz_correct_early"]
    assert on_time.xp_gained == xp.XP_RULES["quiz_correct"]


def test_an_answer_is_one_transaction(store, pid, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("crash while unlocking")

    monkeypatch.setattr(xp, "evaluate_achievements", broken)
    with pytest.raises(RuntimeError):
        answer_question(store, pid, "q1", True, now=NOW)
    assert store.quiz_answers(pid) == [] and store.get_card(pid, "q1") is None
    assert store.xp_total(pid) == 0 and store.active_days(pid) == []


def test_naive_now_is_refused(store, pid):
    with pytest.raises(ValueError):
        answer_question(store, pid, "q1", True, now=datetime(2025, 3, 3))


# --- the queue ----------------------------------------------------------------------------

def test_queue_is_due_cards_most_overdue_first_then_new_in_course_order(store, pid):
    answer_question(store, pid, "late", False, now=NOW - timedelta(hours=5))
    answer_question(store, pid, "later", False, now=NOW - timedelta(hours=2))
    answer_question(store, pid, "future", True, now=NOW - timedelta(minutes=1))
    known = ["n1", "later", "future", "n2", "late", "n3"]
    queue = review_queue(store, pid, known, now=NOW, new_per_day=10)
    assert queue == ["late", "later", "n1", "n2", "n3"]


def test_every_wrong_answer_of_a_quiz_is_in_the_queue_at_once(store, pid):
    # A quiz answered over a few minutes: FSRS would hold each wrong card back for its first
    # learning step (a new card) or relearning step (a card already learnt), so a queue read
    # at the end listed only the mistakes made more than that long ago.
    learnt = answer_question(store, pid, "q.learnt", True, now=NOW - timedelta(days=9))
    answer_question(store, pid, "q.learnt", True, now=learnt.next_due)
    quiz = ["q.new1", "q.ok1", "q.learnt", "q.ok2", "q.new2"]
    for minute, question in enumerate(quiz):
        answer_question(store, pid, question, not question.startswith(("q.new", "q.learnt")),
                        now=NOW + timedelta(minutes=minute))
    end = NOW + timedelta(minutes=len(quiz) - 1, seconds=20)  # just after the last answer
    queue = review_queue(store, pid, quiz, now=end, new_per_day=0)
    assert set(queue) == {"q.new1", "q.learnt", "q.new2"}
    answer_question(store, pid, "q.new1", True, now=end)  # set right: FSRS's schedule again
    assert set(review_queue(store, pid, quiz, now=end, new_per_day=0)) == {"q.learnt", "q.new2"}


def test_cards_of_questions_no_longer_in_the_bank_are_left_out(store, pid):
    answer_question(store, pid, "removed", False, now=NOW - timedelta(days=1))
    assert review_queue(store, pid, ["kept"], now=NOW) == ["kept"]


def test_new_cards_are_limited_per_local_day(store, pid):
    known = [f"q{i}" for i in range(30)]
    assert review_queue(store, pid, known, now=NOW, new_per_day=4) == known[:4]
    for question in known[:3]:
        answer_question(store, pid, question, True, now=NOW)
    queue = review_queue(store, pid, known, now=NOW + timedelta(minutes=1), new_per_day=4)
    assert queue == ["q3"]  # 3 introduced today, 1 left; the 3 seen are not due yet
    assert introduced_today(store, pid, NOW) == 3


def test_the_new_card_limit_resets_at_local_midnight(store, pid):
    known = [f"q{i}" for i in range(10)]
    late_evening = datetime(2025, 3, 3, 23, 50, tzinfo=SEOUL)
    for question in known[:2]:
        answer_question(store, pid, question, True, now=late_evening)
    assert review_queue(store, pid, known, now=late_evening, new_per_day=2) == []
    after_midnight = late_evening + timedelta(minutes=20)
    assert review_queue(store, pid, known[2:], now=after_midnight, new_per_day=2) == ["q2", "q3"]


def test_a_lab_mistake_makes_its_concept_cards_due_now(store, pid):
    far = answer_question(store, pid, "holes.popf", True, now=NOW - timedelta(days=30))
    for _ in range(3):
        far = answer_question(store, pid, "holes.popf", True, now=far.next_due)
    assert far.next_due > NOW + timedelta(days=3)
    flagged = schedule_concept(store, pid, "popf", ["holes.popf", "holes.never-seen"], now=NOW)
    assert flagged == ["holes.popf", "holes.never-seen"]
    for question in flagged:
        card = store.get_card(pid, question)
        assert card.due <= NOW and card.flagged_by == "popf"
    # due cards come before new ones and do not use up the day's new-card room
    queue = review_queue(store, pid, ["x.new", "holes.never-seen", "holes.popf"], now=NOW,
                         new_per_day=1)
    assert set(queue[:2]) == set(flagged) and queue[2:] == ["x.new"]
    answered = answer_question(store, pid, "holes.popf", True, now=NOW)
    assert answered.kind == "review" and store.get_card(pid, "holes.popf").flagged_by is None


def test_flagging_never_postpones_a_card_already_due(store, pid):
    answer_question(store, pid, "q1", False, now=NOW - timedelta(days=2))
    due_before = store.get_card(pid, "q1").due
    schedule_concept(store, pid, "cli-sti", ["q1"], now=NOW)
    assert store.get_card(pid, "q1").due == due_before


def test_forecast_counts_cards_per_local_day(store, pid):
    answer_question(store, pid, "overdue", False, now=NOW - timedelta(days=3))
    outcome = answer_question(store, pid, "soon", True, now=NOW)
    days = forecast(store, pid, days=14, now=NOW)
    assert len(days) == 14 and days[0].day == NOW.date()
    assert days[0].due >= 1  # the overdue card counts today
    due_day = outcome.next_due.astimezone(SEOUL).date()
    assert sum(d.due for d in days if d.day == due_day) >= 1
    assert sum(d.due for d in days) == 2
