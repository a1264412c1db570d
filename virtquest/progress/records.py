"""What the store hands back (frozen records) and the rules every stored value obeys."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from virtquest.progress.clock import parse_utc
from virtquest.progress.errors import ProgressError

# Mode ids are a contract that level files, stored attempts and exports name (docs/design.md, "What
# a run reports"); choices are the three answers of a lab slot (docs/curriculum.md).
MODE_IDS = ("native", "trap-emulate", "binary-translation", "paravirt", "hardware-assist")
CHOICES = ("cpu", "hypervisor", "guest")
# How a quiz answer met its review card: first sight, on or after its due time, or before it.
ANSWER_KINDS = ("new", "review", "early")
MAX_STARS = 3
# Upper bounds shared by the store and the import check, so every stored row can be exported.
MAX_CYCLES = 10**15
MAX_SECONDS = 10**7  # time spent on one answer or attempt (about 115 days)
MAX_XP_AWARD = 10**6
MAX_REF_LENGTH = 200
MAX_NAME_LENGTH = 64
MAX_ID_LENGTH = 128
MAX_ANSWER_JSON_CHARS = 10_000  # an answer is a choice or a short ordering, never a blob

# Level, question, slot and achievement ids: readable tokens, never paths or markup.
_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def check_id(value: object, what: str) -> str:
    """An id from content (level, question, slot, achievement) or an error naming it."""
    if not isinstance(value, str) or not 0 < len(value) <= MAX_ID_LENGTH:
        raise ProgressError(f"{what} must be a text of 1 to {MAX_ID_LENGTH} characters")
    if not _ID_PATTERN.fullmatch(value):
        raise ProgressError(f"{what} {value!r} may hold only letters, digits and . _ : / -")
    return value


def check_profile_name(value: object) -> str:
    """A learner's display name: any language, no control characters, trimmed."""
    if not isinstance(value, str):
        raise ProgressError("a profile name must be text")
    name = value.strip()
    if not 0 < len(name) <= MAX_NAME_LENGTH or _CONTROL.search(name):
        raise ProgressError(
            f"a profile name needs 1 to {MAX_NAME_LENGTH} printable characters, got {value!r}"
        )
    return name


def check_count(value: object, what: str, upper: int | None = None) -> int:
    """A whole number ≥ 0 (bools are not numbers here), optionally bounded above."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ProgressError(f"{what} must be a whole number ≥ 0, got {value!r}")
    if upper is not None and value > upper:
        raise ProgressError(f"{what} must be at most {upper}, got {value}")
    return value


def check_seconds(value: object) -> float | None:
    """Time spent: absent, or a finite number of seconds ≥ 0."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ProgressError(f"seconds must be a number, got {value!r}")
    try:
        seconds = float(value)
    except OverflowError:
        seconds = math.inf
    if not 0 <= seconds <= MAX_SECONDS:  # also refuses NaN and infinities
        raise ProgressError(f"seconds must be between 0 and {MAX_SECONDS}, got {value!r}")
    return seconds


def check_mode(value: object) -> str:
    if value not in MODE_IDS:
        raise ProgressError(f"unknown mode {value!r}; expected one of {', '.join(MODE_IDS)}")
    return str(value)


def answer_json(answer: object) -> str | None:
    """A learner's answer as JSON text (sets become sorted lists), bounded in size."""
    if answer is None:
        return None
    try:
        text = json.dumps(answer, ensure_ascii=False, allow_nan=False, sort_keys=True,
                          default=_plain_answer)
    except (TypeError, ValueError) as exc:
        raise ProgressError(f"a quiz answer must be plain JSON data: {exc}") from exc
    if len(text) > MAX_ANSWER_JSON_CHARS:
        raise ProgressError(f"a quiz answer is too long ({len(text)} characters)")
    return text


def _plain_answer(value: object) -> object:
    if isinstance(value, set | frozenset):
        return sorted(value, key=repr)
    raise TypeError(f"{type(value).__name__} is not JSON data")


def check_choices(value: object) -> dict[str, str]:
    """A lab assignment: slot label → cpu | hypervisor | guest."""
    if not isinstance(value, dict):
        raise ProgressError("choices must map slot labels to cpu, hypervisor or guest")
    for slot, choice in value.items():
        check_id(slot, "a slot label")
        if choice not in CHOICES:
            raise ProgressError(f"slot {slot!r}: choice must be one of {', '.join(CHOICES)}")
    return dict(value)


@dataclass(frozen=True)
class Profile:
    id: int
    name: str
    created_at: datetime
    current: bool

    @classmethod
    def from_row(cls, row: dict[str, Any], current_id: int) -> Profile:
        return cls(row["id"], row["name"], parse_utc(row["created_at"]), row["id"] == current_id)


@dataclass(frozen=True)
class Attempt:
    id: int
    level_id: str
    choices: dict[str, str]
    mode: str
    cycles: int
    stars: int
    seconds: float | None
    at: datetime

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Attempt:
        return cls(
            id=row["id"], level_id=row["level_id"], choices=json.loads(row["choices"]),
            mode=row["mode"], cycles=row["cycles"], stars=row["stars"], seconds=row["seconds"],
            at=parse_utc(row["at"]),
        )


@dataclass(frozen=True)
class AttemptRecorded:
    """What one attempt changed: the game turns this into XP and achievements."""

    attempt_id: int
    level_id: str
    stars: int
    previous_best_stars: int | None  # None: the level was never tried before
    first_clear: bool
    new_best: bool


@dataclass(frozen=True)
class BestResult:
    level_id: str
    stars: int
    cycles: int
    attempt_id: int
    first_cleared_at: datetime | None

    @property
    def cleared(self) -> bool:
        return self.stars >= 1

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> BestResult:
        cleared = row["first_cleared_at"]
        return cls(row["level_id"], row["stars"], row["cycles"], row["attempt_id"],
                   parse_utc(cleared) if cleared else None)


@dataclass(frozen=True)
class QuizAnswer:
    id: int
    question_id: str
    correct: bool
    answer: Any
    kind: str | None  # None for answers recorded before review scheduling existed
    rating: int | None
    seconds: float | None
    at: datetime

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> QuizAnswer:
        return cls(
            id=row["id"], question_id=row["question_id"], correct=bool(row["correct"]),
            answer=None if row["answer"] is None else json.loads(row["answer"]),
            kind=row["kind"], rating=row["rating"], seconds=row["seconds"],
            at=parse_utc(row["at"]),
        )


@dataclass(frozen=True)
class CardRecord:
    """A stored FSRS card (as fsrs.Card.to_dict() gives it) and why it may be due early."""

    question_id: str
    card: dict[str, Any]
    due: datetime
    flagged_by: str | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> CardRecord:
        return cls(row["question_id"], json.loads(row["card"]), parse_utc(row["due"]),
                   row["flagged_by"])


@dataclass(frozen=True)
class XpEvent:
    id: int
    amount: int
    reason: str
    ref: str | None
    at: datetime

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> XpEvent:
        return cls(row["id"], row["amount"], row["reason"], row["ref"], parse_utc(row["at"]))


@dataclass(frozen=True)
class ActiveDay:
    """A local calendar day with study in it, and the UTC offset the learner was at that day."""

    day: date
    utc_offset_minutes: int
    first_at: datetime | None = None  # the first activity that day (UTC)
