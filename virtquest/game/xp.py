"""XP: the award rules as data, the level curve, and settling one activity (XP, streak, badges).

Rules reward learning, not grinding: a quiz answer earns full XP on a new or due card and a
token amount when crammed early; a lab attempt earns XP only for a first clear and for stars
beyond the level's best so far, so replaying a solved level gives nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from virtquest.game.achievements import Achievement, AchievementsError, evaluate_achievements
from virtquest.game.streak import StreakStatus, record_activity
from virtquest.progress.clock import local_now, require_aware
from virtquest.progress.records import AttemptRecorded
from virtquest.progress.store import Store

XP_RULES: Mapping[str, int] = {
    "quiz_correct": 10,  # right on a new card or a due review
    "quiz_correct_early": 2,  # right again before the card was due: cramming earns little
    "quiz_wrong": 1,  # trying and reading the explanation still counts a little
    "level_first_clear": 50,
    "level_new_star": 20,  # per star above the level's best so far
}
XP_PER_LEVEL_STEP = 100  # reaching level n+1 takes n × 100 XP more than reaching level n


@dataclass(frozen=True)
class XpLevel:
    """The learner's level on the XP curve and the way to the next one."""

    level: int
    xp_into_level: int
    xp_for_next: int


@dataclass(frozen=True)
class ActivityEffects:
    """What one activity changed, for the interface to show (and refresh) exactly that."""

    xp_gained: int
    xp_total: int
    level_before: int
    level_after: int
    streak: StreakStatus
    new_achievements: tuple[Achievement, ...]
    warnings: tuple[str, ...] = ()  # for the learner: e.g. achievements could not be checked

    @property
    def leveled_up(self) -> bool:
        return self.level_after > self.level_before


@dataclass(frozen=True)
class AttemptOutcome:
    recorded: AttemptRecorded
    effects: ActivityEffects


def level_for(total_xp: int) -> XpLevel:
    """Level 1 from 0 XP, level 2 from 100, level 3 from 300, level 4 from 600, …"""
    level, floor = 1, 0
    while total_xp >= floor + level * XP_PER_LEVEL_STEP:
        floor += level * XP_PER_LEVEL_STEP
        level += 1
    return XpLevel(level, total_xp - floor, level * XP_PER_LEVEL_STEP)


def quiz_awards(correct: bool, kind: str) -> list[tuple[str, int]]:
    """(reason, XP) for one quiz answer; `kind` is new, review or early."""
    if not correct:
        return [("quiz_wrong", XP_RULES["quiz_wrong"])]
    reason = "quiz_correct_early" if kind == "early" else "quiz_correct"
    return [(reason, XP_RULES[reason])]


def attempt_awards(recorded: AttemptRecorded) -> list[tuple[str, int]]:
    """(reason, XP) for one lab attempt: a first clear, and each star beyond the old best."""
    awards = []
    if recorded.first_clear:
        awards.append(("level_first_clear", XP_RULES["level_first_clear"]))
    new_stars = recorded.stars - (recorded.previous_best_stars or 0)
    if new_stars > 0:
        awards.append(("level_new_star", new_stars * XP_RULES["level_new_star"]))
    return awards


def settle_activity(
    store: Store, profile_id: int, awards: Sequence[tuple[str, int]], *, ref: str | None,
    now: datetime,
) -> ActivityEffects:
    """Give the awards, count the day for the streak and unlock what became true."""
    xp_before = store.xp_total(profile_id)
    warnings: tuple[str, ...] = ()
    with store.transaction():
        for reason, amount in awards:
            store.add_xp(profile_id, amount, reason, ref=ref, at=now)
        streak = record_activity(store, profile_id, now)
        try:
            unlocked = evaluate_achievements(store, profile_id, now=now)
        except AchievementsError as exc:
            # A broken achievements file must not cost the learner the answer itself; the
            # achievements are evaluated again after the next activity.
            unlocked, warnings = [], (str(exc),)
    xp_after = store.xp_total(profile_id)
    return ActivityEffects(
        xp_gained=xp_after - xp_before, xp_total=xp_after,
        level_before=level_for(xp_before).level, level_after=level_for(xp_after).level,
        streak=streak, new_achievements=tuple(unlocked), warnings=warnings,
    )


def record_level_attempt(
    store: Store, profile_id: int, level_id: str, choices: Mapping[str, str], mode: str,
    cycles: int, stars: int, seconds: float | None = None, *, now: datetime | None = None,
) -> AttemptOutcome:
    """Keep a lab attempt and settle its XP, streak day and achievements in one transaction."""
    moment = require_aware(now or local_now())
    with store.transaction():
        recorded = store.record_attempt(
            profile_id, level_id, choices, mode, cycles, stars, seconds, at=moment
        )
        effects = settle_activity(
            store, profile_id, attempt_awards(recorded), ref=f"level:{level_id}", now=moment
        )
    return AttemptOutcome(recorded, effects)
