"""What the store hands back (frozen records) and the rules every stored value obeys."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from virtquest.progress.errors import ProgressError

# Mode ids are a contract (SPEC §5); choices are the three answers of a lab slot (SPEC §7).
MODE_IDS = ("native", "trap-emulate", "binary-translation", "paravirt", "hardware-assist")
CHOICES = ("cpu", "hypervisor", "guest")
# How a quiz answer met its review card: first sight, on or after its due time, or before it.
ANSWER_KINDS = ("new", "review", "early")
MAX_STARS = 3
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
    seconds = float(value)
    if not 0 <= seconds < 1e9:  # also refuses NaN and infinities
        raise ProgressError(f"seconds must be ≥ 0 and finite, got {value!r}")
    return seconds


def check_mode(value: object) -> str:
    if value not in MODE_IDS:
        raise ProgressError(f"unknown mode {value!r}; expected one of {', '.join(MODE_IDS)}")
    return str(value)


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


@dataclass(frozen=True)
class CardRecord:
    """A stored FSRS card (as fsrs.Card.to_dict() gives it) and why it may be due early."""

    question_id: str
    card: dict[str, Any]
    due: datetime
    flagged_by: str | None


@dataclass(frozen=True)
class XpEvent:
    id: int
    amount: int
    reason: str
    ref: str | None
    at: datetime


@dataclass(frozen=True)
class ActiveDay:
    """A local calendar day with study in it, and the UTC offset the learner was at that day."""

    day: date
    utc_offset_minutes: int
    first_at: datetime | None = None  # the first activity that day (UTC)
