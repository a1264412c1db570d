"""Achievements declared as data (assets/achievements.yaml) and the small metric vocabulary they use.

A condition names one metric and a threshold, e.g. `{metric: streak_days, at_least: 7}` or
`{metric: levels_cleared, level_pattern: "ch3-*", at_least: 1}`. The file is read with
yaml.safe_load and validated; nothing in it is ever executed.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal

import yaml
from fsrs import State
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from virtquest.emu.cache import cached
from virtquest.emu.errors import VirtQuestError
from virtquest.emu.resources import ASSETS
from virtquest.game.streak import current_streak
from virtquest.progress.clock import local_now, require_aware
from virtquest.progress.store import Store

ACHIEVEMENTS_PATH = ASSETS / "achievements.yaml"
MASTERED_INTERVAL = timedelta(days=21)  # a card reviewed three weeks apart is in long-term memory

Metric = Literal[
    "attempts_total", "levels_cleared", "levels_three_star", "modes_played",
    "quiz_answered_total", "quiz_correct_total", "quiz_correct_in_row", "reviews_done",
    "streak_days", "xp_total", "cards_mastered",
]
LEVEL_METRICS = {"levels_cleared", "levels_three_star"}


class AchievementsError(VirtQuestError):
    """The achievements file is missing, not YAML, or breaks its schema (names file and field)."""


class Text(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
    ko: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Condition(BaseModel):
    """One metric reaching a threshold; level metrics may be narrowed by a glob on level ids."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
    metric: Metric
    at_least: int = Field(default=1, ge=1)
    level_pattern: str | None = Field(default=None, min_length=1, max_length=64)

    @model_validator(mode="after")
    def _pattern_only_for_levels(self) -> Condition:
        if self.level_pattern is not None and self.metric not in LEVEL_METRICS:
            raise ValueError(f"level_pattern applies only to {', '.join(sorted(LEVEL_METRICS))}")
        return self


class Achievement(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)
    title: Text
    description: Text
    condition: Condition


class AchievementFile(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    schema_version: Literal[1]
    achievements: list[Achievement] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> AchievementFile:
        ids = [a.id for a in self.achievements]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate achievement ids: {', '.join(duplicates)}")
        return self


@dataclass(frozen=True)
class AchievementProgress:
    achievement: Achievement
    value: int
    unlocked_at: datetime | None


def load_achievements(path: Path = ACHIEVEMENTS_PATH) -> tuple[Achievement, ...]:
    """Read and validate the achievements file (cached per path)."""
    return _load_cached(Path(path).resolve())


# The shipped achievements, and a few others a test may load: 4 files of a few KB.
@cached(4)
def _load_cached(path: Path) -> tuple[Achievement, ...]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise AchievementsError(f"{path}: cannot read achievements: {exc}") from exc
    try:
        return tuple(AchievementFile.model_validate(data).achievements)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(top level)"
        message = ("expected a mapping (key: value lines)" if first["type"] in (
            "model_type", "model_attributes_type", "dict_type") else first["msg"])
        raise AchievementsError(f"{path}: {where}: {message}") from exc


def evaluate_achievements(
    store: Store, profile_id: int, *, now: datetime | None = None,
    achievements: tuple[Achievement, ...] | None = None,
) -> list[Achievement]:
    """Unlock every achievement whose condition now holds; returns the newly unlocked ones."""
    moment = require_aware(now or local_now())
    catalogue = load_achievements() if achievements is None else achievements
    unlocked = store.unlocked_achievements(profile_id)
    metrics = MetricReader(store, profile_id, moment)
    fresh = []
    with store.transaction():
        for achievement in catalogue:
            if achievement.id in unlocked or not metrics.holds(achievement.condition):
                continue
            if store.unlock_achievement(profile_id, achievement.id, moment):
                fresh.append(achievement)
    return fresh


def achievement_progress(
    store: Store, profile_id: int, *, now: datetime | None = None,
) -> list[AchievementProgress]:
    """Every achievement with the learner's current value and unlock time, for a progress view."""
    metrics = MetricReader(store, profile_id, require_aware(now or local_now()))
    unlocked = store.unlocked_achievements(profile_id)
    return [AchievementProgress(a, metrics.value(a.condition), unlocked.get(a.id))
            for a in load_achievements()]


class MetricReader:
    """Reads each metric at most once per evaluation (several achievements share one)."""

    def __init__(self, store: Store, profile_id: int, now: datetime):
        self.store, self.profile_id, self.now = store, profile_id, now
        self._cache: dict[tuple[str, str | None], int] = {}

    def holds(self, condition: Condition) -> bool:
        return self.value(condition) >= condition.at_least

    def value(self, condition: Condition) -> int:
        key = (condition.metric, condition.level_pattern)
        if key not in self._cache:
            self._cache[key] = _METRICS[condition.metric](self, condition.level_pattern)
        return self._cache[key]

    def levels(self, pattern: str | None, min_stars: int) -> int:
        best = self.store.best_results(self.profile_id).values()
        return sum(1 for result in best if result.stars >= min_stars
                   and (pattern is None or fnmatch.fnmatchcase(result.level_id, pattern)))

    def correct_in_row(self) -> int:
        """The longest run of consecutive right answers the learner ever gave."""
        longest = run = 0
        for answer in self.store.quiz_answers(self.profile_id):
            run = run + 1 if answer.correct else 0
            longest = max(longest, run)
        return longest

    def cards_mastered(self) -> int:
        return sum(1 for record in self.store.cards(self.profile_id) if _mastered(record.card))


def _mastered(card: dict) -> bool:
    if card.get("state") != State.Review or not card.get("last_review"):
        return False
    interval = datetime.fromisoformat(card["due"]) - datetime.fromisoformat(card["last_review"])
    return interval >= MASTERED_INTERVAL


_METRICS: dict[str, Callable[[MetricReader, str | None], int]] = {
    "attempts_total": lambda m, _: m.store.count_attempts(m.profile_id),
    "levels_cleared": lambda m, pattern: m.levels(pattern, min_stars=1),
    "levels_three_star": lambda m, pattern: m.levels(pattern, min_stars=3),
    "modes_played": lambda m, _: len(m.store.modes_played(m.profile_id)),
    "quiz_answered_total": lambda m, _: m.store.count_quiz_answers(m.profile_id),
    "quiz_correct_total": lambda m, _: m.store.count_quiz_answers(m.profile_id, correct=True),
    "quiz_correct_in_row": lambda m, _: m.correct_in_row(),
    "reviews_done": lambda m, _: m.store.count_quiz_answers(m.profile_id, kind="review"),
    "streak_days": lambda m, _: current_streak(m.store, m.profile_id, m.now).days,
    "xp_total": lambda m, _: m.store.xp_total(m.profile_id),
    "cards_mastered": lambda m, _: m.cards_mastered(),
}
