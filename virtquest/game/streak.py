"""The daily study streak, counted in the learner's local days, with a weekly streak freeze.

Rules (shown to learners in the progress view):
- A day counts when the learner answers a question or finishes a lab attempt. The day is the
  local calendar date where the learner was at that moment (a tz-aware `now`), so studying at
  23:59 and 00:01 gives two days, and a learner who travels keeps the dates they lived.
- Today never breaks the streak while it lasts; the streak is the run of active days ending
  today or yesterday.
- Streak freeze: one missed day is forgiven automatically, at most once in any 7 days (two
  forgiven days are at least 7 days apart). Two missed days in a row end the streak. Nothing
  is earned or spent by hand, so the streak is a pure function of the days studied — the same
  on every computer a profile is imported into.
- Travel: a date counts as missed only if both the calendar and the clock say a whole day passed.
  Flying west over the date line skips a calendar date in a few hours; that is not a missed day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from virtquest.progress.clock import local_now, require_aware
from virtquest.progress.records import ActiveDay
from virtquest.progress.store import Store

FREEZE_SPACING_DAYS = 7
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class StreakStatus:
    """The streak as of one moment."""

    days: int  # active days in the current run (forgiven days bridge it, they do not add)
    active_today: bool
    frozen_days: tuple[date, ...]  # missed days the freeze forgave in the current run
    freeze_ready: bool  # would missing today be forgiven?


def record_activity(store: Store, profile_id: int, now: datetime | None = None) -> StreakStatus:
    """Mark the learner's local day of `now` as active; returns the streak after it."""
    moment = require_aware(now or local_now())
    store.mark_active_day(profile_id, moment)
    return current_streak(store, profile_id, moment)


def current_streak(store: Store, profile_id: int, now: datetime | None = None) -> StreakStatus:
    return compute_streak(store.active_days(profile_id), require_aware(now or local_now()))


def compute_streak(days: Iterable[ActiveDay], now: datetime) -> StreakStatus:
    """The streak as of `now` (tz-aware; its offset is where the learner is today)."""
    history = sorted(days, key=lambda d: d.day)
    today = _today(now)
    if history and history[-1].day >= today.day:
        # Studied "tomorrow" already: the learner flew west and lives that date again.
        today = history[-1]
    run, frozen, later = 0, [], today
    for day in reversed(history):
        missed = 0 if day.day == later.day else _missed_days(day, later)
        if missed == 1 and _may_forgive(day.day + _DAY, frozen):
            frozen.append(day.day + _DAY)
        elif missed != 0:
            break
        run += 1
        later = day
    active_today = bool(history) and history[-1].day == today.day
    freeze_ready = not frozen or (today.day - frozen[0]).days >= FREEZE_SPACING_DAYS
    return StreakStatus(run, active_today, tuple(frozen), freeze_ready)


def _today(now: datetime) -> ActiveDay:
    offset = now.utcoffset()
    assert offset is not None
    return ActiveDay(now.date(), int(offset.total_seconds() // 60))


def _may_forgive(missed: date, forgiven: list[date]) -> bool:
    """Forgiven days lie at least FREEZE_SPACING_DAYS apart (the list runs newest first)."""
    return not forgiven or (forgiven[-1] - missed).days >= FREEZE_SPACING_DAYS


def _missed_days(earlier: ActiveDay, later: ActiveDay) -> int:
    """Whole days between two active days that both the calendar and the clock agree on."""
    calendar_gap = (later.day - earlier.day).days - 1
    clock_gap = _start_utc(later) - (_start_utc(earlier) + _DAY)
    return max(0, min(calendar_gap, round(clock_gap / _DAY)))


def _start_utc(day: ActiveDay) -> datetime:
    """The instant local midnight began that day, as a naive UTC datetime for arithmetic."""
    midnight = datetime(day.day.year, day.day.month, day.day.day)
    return midnight - timedelta(minutes=day.utc_offset_minutes)
