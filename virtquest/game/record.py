"""What the learner's activity writes into their progress: a lab play's attempt (XP, streak,
achievements) under its worst mode's cycles and each of its mistakes' concepts as review cards due
now; and each quiz answer, as it is given, into the review schedule and XP.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from virtquest.content.quizzes import Question, QuizBank, load_quiz_bank
from virtquest.emu.errors import VirtQuestError
from virtquest.game.play import LabResult
from virtquest.game.quiz import Grade
from virtquest.game.review import AnswerOutcome, answer_question, schedule_concept
from virtquest.game.xp import AttemptOutcome, record_level_attempt
from virtquest.progress.store import Store, open_store


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


class AnswerRecorder:
    """Records each answer of a quiz in the current learner's progress (review schedule, XP) as it
    is given, in the progress database of this computer."""

    def __init__(self, store: Store, profile_id: int):
        self.store, self.profile_id = store, profile_id

    @classmethod
    def open(cls, warn: Callable[[str], object]) -> AnswerRecorder:
        """Open the database; `warn` is told what opening it found (a damaged file set aside)."""
        store = open_store()
        for warning in store.warnings:
            warn(warning)
        try:
            return cls(store, store.current_profile_id())
        except VirtQuestError:
            store.close()
            raise

    def record(self, question: Question, result: Grade, seconds: float) -> AnswerOutcome:
        return answer_question(self.store, self.profile_id, question.id, result.correct,
                               answer=result.given, seconds=round(seconds, 3))

    def close(self) -> None:
        self.store.close()
