"""Quiz play: grading every kind of question, seeded shuffling of what is shown, quiz sessions.

Answers are given in the question's own terms (choice keys, step indices in the written order,
left/item key → right/category key), so grading never depends on how the question was shuffled.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from virtquest.content.quizzes import (
    Classify,
    Label,
    Matching,
    MultipleChoice,
    Ordering,
    Question,
    SingleChoice,
    TrueFalse,
)
from virtquest.emu.errors import VirtQuestError


class AnswerError(VirtQuestError):
    """An answer that does not fit its question: an unknown choice, not a full ordering, …"""


class QuizError(VirtQuestError):
    """A quiz cannot be put together, e.g. no question has the requested topic."""


@dataclass(frozen=True)
class Grade:
    """The verdict on one answer. `partial` is the share that was right (1.0 when correct)."""

    correct: bool
    partial: float
    expected: Any
    given: Any


# --- grading -------------------------------------------------------------------------------------


def grade(question: Question, answer: object) -> Grade:
    """Grade `answer` against `question`; AnswerError if it is not an answer to this question."""
    return _GRADERS[type(question)](question, answer)


def expected_answer(question: Question) -> Any:
    """The right answer, in the same form `grade` accepts (JSON-friendly)."""
    if isinstance(question, SingleChoice | TrueFalse):
        return question.answer
    if isinstance(question, MultipleChoice):
        return [key for key in question.choices if key in question.answer]
    if isinstance(question, Ordering):
        return list(range(len(question.steps)))
    return dict(question.answer)


def _grade_single(question: SingleChoice, answer: object) -> Grade:
    key = _known_key(answer, question.choices, "choice")
    return _verdict(key == question.answer, 1.0 if key == question.answer else 0.0, question, key)


def _grade_multiple(question: MultipleChoice, answer: object) -> Grade:
    if isinstance(answer, str) or not isinstance(answer, Iterable):
        raise AnswerError("expected a list of choices")
    picked = {_known_key(key, question.choices, "choice") for key in answer}
    right = set(question.answer)
    # A wrong pick cancels a right one, so ticking every box earns nothing.
    partial = max(0.0, (len(picked & right) - len(picked - right)) / len(right))
    given = [key for key in question.choices if key in picked]
    return _verdict(picked == right, partial, question, given)


def _grade_true_false(question: TrueFalse, answer: object) -> Grade:
    if not isinstance(answer, bool):
        raise AnswerError("expected true or false")
    right = answer == question.answer
    return _verdict(right, 1.0 if right else 0.0, question, answer)


def _grade_ordering(question: Ordering, answer: object) -> Grade:
    order = _permutation(answer, len(question.steps))
    pairs = list(combinations(order, 2))
    # Share of step pairs in the right relative order: one misplaced step costs little.
    in_order = sum(1 for first, second in pairs if first < second)
    return _verdict(order == sorted(order), in_order / len(pairs), question, order)


def _grade_assignment(question: Matching | Classify, answer: object) -> Grade:
    sources, targets = _assignment_sides(question)
    if not isinstance(answer, Mapping):
        raise AnswerError("expected a mapping of each entry to its match")
    given = {}
    for source, target in answer.items():
        given[_known_key(source, sources, "entry")] = _known_key(target, targets, "match")
    hits = sum(1 for source, target in question.answer.items() if given.get(source) == target)
    return _verdict(hits == len(question.answer), hits / len(question.answer), question, given)


_GRADERS: dict[type, Callable[[Any, object], Grade]] = {
    SingleChoice: _grade_single,
    MultipleChoice: _grade_multiple,
    TrueFalse: _grade_true_false,
    Ordering: _grade_ordering,
    Matching: _grade_assignment,
    Classify: _grade_assignment,
}


def _verdict(correct: bool, partial: float, question: Question, given: Any) -> Grade:
    return Grade(correct, 1.0 if correct else round(partial, 4), expected_answer(question), given)


def _known_key(key: object, known: Mapping[str, Any], what: str) -> str:
    if not isinstance(key, str) or key not in known:
        raise AnswerError(f"unknown {what} {key!r}; expected one of {', '.join(known)}")
    return key


def _permutation(answer: object, size: int) -> list[int]:
    if isinstance(answer, str) or not isinstance(answer, Iterable):
        raise AnswerError("expected the steps as a list of step numbers")
    order = list(answer)
    if sorted(order) != list(range(size)) or not all(isinstance(i, int) for i in order):
        raise AnswerError(f"expected each of the {size} steps exactly once")
    return order


def _assignment_sides(question: Matching | Classify) -> tuple[dict[str, Label], dict[str, Label]]:
    if isinstance(question, Matching):
        return question.left, question.right
    return question.items, question.categories


# --- presentation --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    """One thing shown to the learner: its key in the question's terms and its label."""

    key: str | int
    label: Label


@dataclass(frozen=True)
class Presentation:
    """A question as shown: `options` (choices, steps, left entries or items) in display order,
    and `targets` (right entries or categories) for matching and classify."""

    question: Question
    options: tuple[Option, ...] = ()
    targets: tuple[Option, ...] = ()

    def grade(self, answer: object) -> Grade:
        return grade(self.question, answer)


def present(question: Question, seed: int | str) -> Presentation:
    """Shuffle what the learner sees, the same way for the same seed and question."""
    rng = random.Random(f"{seed}/{question.id}")
    if isinstance(question, SingleChoice | MultipleChoice):
        return Presentation(question, _shuffled(question.choices.items(), rng))
    if isinstance(question, Ordering):
        return Presentation(question, _shuffled_not_solved(question.steps, rng))
    if isinstance(question, Matching):
        return Presentation(question, _shuffled(question.left.items(), rng),
                            _shuffled(question.right.items(), rng))
    if isinstance(question, Classify):
        categories = tuple(Option(k, v) for k, v in question.categories.items())
        return Presentation(question, _shuffled(question.items.items(), rng), categories)
    return Presentation(question)


def _shuffled(pairs: Iterable[tuple[str, Label]], rng: random.Random) -> tuple[Option, ...]:
    options = [Option(key, label) for key, label in pairs]
    rng.shuffle(options)
    return tuple(options)


def _shuffled_not_solved(steps: Sequence[Label], rng: random.Random) -> tuple[Option, ...]:
    options = [Option(index, label) for index, label in enumerate(steps)]
    while [option.key for option in options] == list(range(len(options))):
        rng.shuffle(options)  # shown already in order would give the answer away
    return tuple(options)


# --- sessions ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    """How a session went: `points` adds partial credit, `correct` counts full answers."""

    answered: int
    correct: int
    points: float
    total: int


@dataclass
class QuizSession:
    """A run of questions, answered one after another."""

    presentations: tuple[Presentation, ...]
    seed: int
    results: list[tuple[str, Grade]] = field(default_factory=list)

    @property
    def current(self) -> Presentation | None:
        index = len(self.results)
        return self.presentations[index] if index < len(self.presentations) else None

    @property
    def finished(self) -> bool:
        return self.current is None

    def submit(self, answer: object) -> Grade:
        """Grade the answer to the current question and move on to the next."""
        current = self.current
        if current is None:
            raise QuizError("the quiz is over")
        result = current.grade(answer)
        self.results.append((current.question.id, result))
        return result

    def score(self) -> Score:
        grades = [result for _, result in self.results]
        return Score(len(grades), sum(g.correct for g in grades),
                     round(sum(g.partial for g in grades), 2), len(self.presentations))


def start_session(questions: Sequence[Question], *, count: int = 10, topic: str | None = None,
                  seed: int | None = None, recent: Sequence[str] = ()) -> QuizSession:
    """Pick up to `count` questions (of `topic`, if given) in a seeded random order.

    `recent` holds ids of questions just answered, the latest first: they are picked only when
    the others run out (those answered longest ago first), and a quiz never opens with one of
    them while another question is in it.
    """
    if count < 1:
        raise QuizError("a quiz needs at least one question")
    pool = [q for q in questions if topic is None or q.topic == topic]
    if not pool:
        raise QuizError(f"no questions for topic {topic!r}" if topic else "no questions to ask")
    if seed is None:
        seed = random.SystemRandom().randrange(2**32)
    rng = random.Random(seed)
    size = min(count, len(pool))
    if not recent:
        picked = rng.sample(pool, size)
    else:
        picked = _pick_avoiding(pool, size, list(dict.fromkeys(recent)), rng)
    return QuizSession(tuple(present(question, seed) for question in picked), seed)


def _pick_avoiding(pool: list[Question], size: int, recent: list[str],
                   rng: random.Random) -> list[Question]:
    # Staleness: a question not answered lately beats every recent one; among recent ones, the
    # one answered longest ago is the stalest (recent[0] is the very last answer).
    stale = {question_id: -index for index, question_id in enumerate(recent)}
    fresh = [q for q in pool if q.id not in stale]
    picked = rng.sample(fresh, min(size, len(fresh)))
    seen = sorted((q for q in pool if q.id in stale), key=lambda q: stale[q.id])
    picked += seen[:size - len(picked)]
    rng.shuffle(picked)
    first = min(range(len(picked)), key=lambda i: stale.get(picked[i].id, -len(recent) - 1))
    picked[0], picked[first] = picked[first], picked[0]
    return picked
