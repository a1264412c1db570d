"""What a play writes into the learner's progress: the attempt (XP, streak, achievements) under
its worst mode's cycles, and each mistake's concept as review cards due now.
"""

from __future__ import annotations

from datetime import datetime

from virtquest.content.quizzes import QuizBank, load_quiz_bank
from virtquest.game.lab import LabResult
from virtquest.game.review import schedule_concept
from virtquest.game.xp import AttemptOutcome, record_level_attempt
from virtquest.progress.store import Store


def schedule_mistakes(store: Store, profile_id: int, result: LabResult, *,
                      bank: QuizBank | None = None, now: datetime | None = None) -> list[str]:
    """Each mistake's concept makes its quiz questions due now; returns the question ids."""
    bank = bank if bank is not None else load_quiz_bank()
    flagged: list[str] = []
    for concept in dict.fromkeys(m.concept for m in result.mistakes):
        ids = [q.id for q in bank.by_concept(concept)]
        if ids:
            flagged += schedule_concept(store, profile_id, concept, ids, now=now)
    return flagged


def record_play(store: Store, profile_id: int, result: LabResult, seconds: float | None = None,
                *, now: datetime | None = None) -> AttemptOutcome:
    """Keep the attempt (XP, streak, achievements) under its worst mode's cycles."""
    worst = result.assessment.worst
    return record_level_attempt(store, profile_id, result.level_id, result.choices, worst.mode,
                                worst.result.cycles, result.stars, seconds, now=now)
