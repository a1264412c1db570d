"""The daily streak: local days, midnight, time zones and travel, and the weekly freeze."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from virtquest.game.streak import compute_streak, current_streak, record_activity
from virtquest.progress.records import ActiveDay
from virtquest.progress.store import open_store

SEOUL = ZoneInfo("Asia/Seoul")
NEW_YORK = ZoneInfo("America/New_York")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def store():
    with open_store() as opened:
        yield opened


def at(zone, y, m, d, hh=12, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=zone)


def study(store, *moments: datetime):
    pid = store.current_profile_id()
    status = None
    for moment in moments:
        status = record_activity(store, pid, moment)
    return status


def days_in(zone, first: date, count: int, skip=()) -> list[datetime]:
    return [at(zone, first.year, first.month, first.day) + timedelta(days=i)
            for i in range(count) if i not in skip]


def test_no_study_no_streak(store):
    status = current_streak(store, store.current_profile_id(), at(SEOUL, 2025, 3, 3))
    assert (status.days, status.active_today, status.freeze_ready) == (0, False, True)


def test_consecutive_days_count(store):
    status = study(store, *days_in(SEOUL, date(2025, 3, 1), 5))
    assert (status.days, status.active_today, status.frozen_days) == (5, True, ())


def test_studying_twice_a_day_counts_once(store):
    status = study(store, at(SEOUL, 2025, 3, 1, 9), at(SEOUL, 2025, 3, 1, 21))
    assert status.days == 1


def test_two_minutes_across_local_midnight_are_two_days(store):
    status = study(store, at(SEOUL, 2025, 3, 1, 23, 59), at(SEOUL, 2025, 3, 2, 0, 1))
    assert status.days == 2


def test_midnight_is_local_not_utc(store):
    # 08:00 and 10:00 in Seoul are 23:00 and 01:00 UTC — one local day, two UTC days.
    status = study(store, at(SEOUL, 2025, 3, 2, 8), at(SEOUL, 2025, 3, 2, 10))
    assert status.days == 1
    [day] = store.active_days(store.current_profile_id())
    assert day.day == date(2025, 3, 2) and day.utc_offset_minutes == 540


def test_the_streak_lives_until_today_ends(store):
    study(store, *days_in(SEOUL, date(2025, 3, 1), 3))
    pid = store.current_profile_id()
    tonight = current_streak(store, pid, at(SEOUL, 2025, 3, 4, 23, 59))
    assert (tonight.days, tonight.active_today) == (3, False)


def test_one_missed_day_is_forgiven_by_the_freeze(store):
    status = study(store, *days_in(SEOUL, date(2025, 3, 1), 5, skip={2}))
    assert status.days == 4 and status.frozen_days == (date(2025, 3, 3),)
    assert not status.freeze_ready  # used this week


def test_the_freeze_also_covers_yesterday(store):
    study(store, *days_in(SEOUL, date(2025, 3, 1), 3))
    status = current_streak(store, store.current_profile_id(), at(SEOUL, 2025, 3, 5, 8))
    assert status.days == 3 and status.frozen_days == (date(2025, 3, 4),)


def test_two_missed_days_in_a_row_break_the_streak(store):
    status = study(store, *days_in(SEOUL, date(2025, 3, 1), 6, skip={2, 3}))
    assert status.days == 2 and status.frozen_days == ()


def test_two_missed_days_in_one_week_break_the_streak(store):
    status = study(store, *days_in(SEOUL, date(2025, 3, 1), 8, skip={1, 5}))
    # March 6 is forgiven; March 2, four days earlier, is not: the run is March 3–5 and 7–8.
    assert status.days == 5 and status.frozen_days == (date(2025, 3, 6),)


def test_one_freeze_per_week_again_and_again(store):
    status = study(store, *days_in(SEOUL, date(2025, 3, 1), 22, skip={3, 10, 17}))
    assert status.days == 19
    assert status.frozen_days == (date(2025, 3, 18), date(2025, 3, 11), date(2025, 3, 4))


def test_freeze_is_ready_again_seven_days_after_it_was_used(store):
    study(store, *days_in(SEOUL, date(2025, 3, 1), 9, skip={2}))  # March 3 forgiven
    pid = store.current_profile_id()
    assert not current_streak(store, pid, at(SEOUL, 2025, 3, 9)).freeze_ready
    assert current_streak(store, pid, at(SEOUL, 2025, 3, 10)).freeze_ready


def test_a_flight_east_over_several_zones(store):
    # Monday evening in New York, Tuesday evening in Seoul: consecutive in both calendars.
    status = study(store, at(NEW_YORK, 2025, 3, 3, 20), at(SEOUL, 2025, 3, 4, 21))
    assert status.days == 2 and status.frozen_days == ()


def test_flying_west_over_the_date_line_skips_a_date_but_not_a_day(store):
    # Monday in Los Angeles, then (after a 13-hour flight) Wednesday in Seoul: Tuesday never
    # happened for this learner, so nothing was missed and the freeze stays unused.
    status = study(store, at(LOS_ANGELES, 2025, 3, 3, 23), at(SEOUL, 2025, 3, 5, 9))
    assert status.days == 2 and status.frozen_days == ()
    assert status.freeze_ready


def test_reliving_a_date_after_flying_east_over_the_date_line(store):
    # Tuesday 01:00 in Seoul, then Monday evening in Los Angeles: the date repeats.
    pid = store.current_profile_id()
    study(store, at(SEOUL, 2025, 3, 3, 12), at(SEOUL, 2025, 3, 4, 1))
    status = record_activity(store, pid, at(LOS_ANGELES, 2025, 3, 3, 19))
    assert status.days == 2 and status.active_today


def test_a_real_missed_day_while_travelling_still_counts_as_missed(store):
    # Monday in Seoul, nothing on Tuesday anywhere, Wednesday in New York.
    status = study(store, at(SEOUL, 2025, 3, 3, 12), at(NEW_YORK, 2025, 3, 5, 12))
    assert status.days == 2 and status.frozen_days == (date(2025, 3, 4),)


@pytest.mark.parametrize("first, second", [
    (date(2025, 3, 29), date(2025, 3, 30)),  # Europe springs forward on the 30th
    (date(2025, 10, 25), date(2025, 10, 26)),  # and falls back on the 26th
])
def test_daylight_saving_changes_do_not_break_or_bridge(store, first, second):
    assert study(store, at(BERLIN, first.year, first.month, first.day),
                 at(BERLIN, second.year, second.month, second.day)).days == 2


def test_daylight_saving_gap_day_is_still_a_missed_day():
    days = [ActiveDay(date(2025, 3, 29), 60), ActiveDay(date(2025, 3, 31), 120)]
    status = compute_streak(days, at(BERLIN, 2025, 3, 31))
    assert status.frozen_days == (date(2025, 3, 30),)


def test_naive_now_is_refused(store):
    with pytest.raises(ValueError):
        record_activity(store, store.current_profile_id(), datetime(2025, 3, 3, 12))


def test_utc_fixed_offsets_work_like_zones(store):
    plus9 = timezone(timedelta(hours=9))
    assert study(store, at(plus9, 2025, 3, 1), at(SEOUL, 2025, 3, 2)).days == 2
