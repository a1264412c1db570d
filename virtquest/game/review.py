"""Spaced review of quiz questions with FSRS (the `fsrs` package): one card per question id.

An answer becomes an FSRS rating (wrong → Again, right but slow → Hard, right → Good), the card
is rescheduled, and the answer settles XP, the streak day and achievements. A lab mistake makes
the matching concept's cards due at once, so the next review session revisits the idea.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from fsrs import Card, Rating, Scheduler

from virtquest.game.xp import ActivityEffects, quiz_awards, settle_activity
from virtquest.progress.clock import local_now, require_aware, to_utc
from virtquest.progress.records import check_id
from virtquest.progress.store import Store

# Right, but only after this long: the learner had to work for it, so FSRS hears "Hard". Fast
# right answers stay "Good", not "Easy": a quick click on a true/false question may be a guess.
SLOW_ANSWER_SECONDS = 45.0
NEW_PER_DAY = 10

# Fuzzing spreads big decks' reviews over nearby days; a course of ~100 questions gains little
# from it, and without it the same answers give the same schedule (reproducible, testable).
_SCHEDULER = Scheduler(enable_fuzzing=False)


@dataclass(frozen=True)
class AnswerOutcome:
    """What one answer changed: rating, next due time, XP, streak and new achievements."""

    question_id: str
    correct: bool
    kind: str  # new (first sight), review (due), early (before it was due)
    rating: Rating
    next_due: datetime
    effects: ActivityEffects

    @property
    def xp_gained(self) -> int:
        return self.effects.xp_gained

    @property
    def new_achievements(self) -> tuple:
        return self.effects.new_achievements


@dataclass(frozen=True)
class ForecastDay:
    day: date
    due: int


def rating_for(correct: bool, seconds: float | None) -> Rating:
    if not correct:
        return Rating.Again
    if seconds is not None and seconds >= SLOW_ANSWER_SECONDS:
        return Rating.Hard
    return Rating.Good


def answer_question(
    store: Store, profile_id: int, question_id: str, correct: bool, *, answer: object = None,
    seconds: float | None = None, now: datetime | None = None,
) -> AnswerOutcome:
    """Record an answer, reschedule its card and settle XP, streak and achievements at once."""
    moment = require_aware(now or local_now())
    check_id(question_id, "a question id")
    with store.transaction():
        card, kind = _card_for(store, profile_id, question_id, moment)
        rating = rating_for(correct, seconds)
        duration = None if seconds is None else int(seconds * 1000)
        card, _log = _SCHEDULER.review_card(card, rating, to_utc(moment), duration)
        store.put_card(profile_id, question_id, card.to_dict())
        store.record_quiz_answer(profile_id, question_id, correct, answer=answer, kind=kind,
                                 rating=int(rating), seconds=seconds, at=moment)
        effects = settle_activity(store, profile_id, quiz_awards(correct, kind),
                                  ref=f"question:{question_id}", now=moment)
    return AnswerOutcome(question_id, bool(correct), kind, rating, card.due, effects)


def _card_for(store: Store, profile_id: int, question_id: str, now: datetime) -> tuple[Card, str]:
    record = store.get_card(profile_id, question_id)
    if record is None:
        return _new_card(question_id, now), "new"
    card = Card.from_dict(record.card)
    return card, "review" if card.due <= to_utc(now) else "early"


def _new_card(question_id: str, now: datetime) -> Card:
    # A stable id per question (fsrs would otherwise use the clock, and sleep to keep it unique).
    return Card(card_id=zlib.crc32(question_id.encode("utf-8")), due=to_utc(now))


def review_queue(
    store: Store, profile_id: int, known_question_ids: Iterable[str], *,
    now: datetime | None = None, new_per_day: int = NEW_PER_DAY,
) -> list[str]:
    """Due cards, most overdue first, then new questions up to today's remaining new-card limit.

    A card whose last answer was wrong is due at once: FSRS holds it back for its first
    (re)learning step, a minute or ten, and a queue read right after a quiz would miss the
    mistakes of its last minutes. New questions keep the caller's order (the course order);
    cards of questions the bank no longer has are left out.
    """
    moment = require_aware(now or local_now())
    known = list(dict.fromkeys(known_question_ids))
    cards = {record.question_id: record for record in store.cards(profile_id)}
    missed = last_answered_wrong(store, profile_id)
    due = sorted((cards[q] for q in known if q in cards
                  and (cards[q].due <= to_utc(moment) or q in missed)),
                 key=lambda record: (record.due, record.question_id))
    room = max(0, new_per_day - introduced_today(store, profile_id, moment))
    fresh = [q for q in known if q not in cards][:room]
    return [record.question_id for record in due] + fresh


def last_answered_wrong(store: Store, profile_id: int) -> set[str]:
    """The questions whose latest answer was wrong (until a right answer follows)."""
    latest = {answer.question_id: answer.correct for answer in store.quiz_answers(profile_id)}
    return {question_id for question_id, correct in latest.items() if not correct}


def introduced_today(store: Store, profile_id: int, now: datetime) -> int:
    """How many questions the learner saw for the first time on their local today."""
    return store.count_quiz_answers(profile_id, kind="new", since=_local_midnight(now))


def _local_midnight(now: datetime) -> datetime:
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def schedule_concept(
    store: Store, profile_id: int, concept_tag: str, question_ids_for_concept: Sequence[str],
    now: datetime | None = None,
) -> list[str]:
    """A lab mistake on `concept_tag`: make its questions' cards due now; returns their ids.

    Questions never seen get a card due now too (a mistake shows the learner needs them, so
    they skip the new-card limit). The card remembers the concept so the queue can say why.
    """
    moment = require_aware(now or local_now())
    check_id(concept_tag, "a concept tag")
    flagged = []
    with store.transaction():
        for question_id in dict.fromkeys(question_ids_for_concept):
            check_id(question_id, "a question id")
            card, _kind = _card_for(store, profile_id, question_id, moment)
            card.due = min(card.due, to_utc(moment))
            store.put_card(profile_id, question_id, card.to_dict(), flagged_by=concept_tag)
            flagged.append(question_id)
    return flagged


def forecast(
    store: Store, profile_id: int, days: int = 14, *, now: datetime | None = None,
) -> list[ForecastDay]:
    """Cards due on each of the next `days` local days; today includes everything overdue."""
    moment = require_aware(now or local_now())
    start = moment.date()
    counts = {start + timedelta(days=i): 0 for i in range(max(0, days))}
    for record in store.cards(profile_id):
        day = max(record.due.astimezone(moment.tzinfo).date(), start)
        if day in counts:
            counts[day] += 1
    return [ForecastDay(day, count) for day, count in counts.items()]


