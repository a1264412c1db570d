"""The Host tab's model: a run on a host of several guests becomes per-guest page cells, the
host's frames over time and a migration's rounds on the time axis, all taken from the run's own
report, and a run of one guest alone has none."""

from __future__ import annotations

import dataclasses

import pytest

from virtquest.content.level_loader import load_levels
from virtquest.game.assessment import assess
from virtquest.game.host_model import COLUMNS, PAGE_STATES, host_picture

LEVELS = load_levels()


def run_of(level_id: str, choices: dict[str, str]):
    return assess(LEVELS.get(level_id), choices).runs[0]


@pytest.fixture(scope="module")
def balloon_and_sharing():
    run = run_of("ch12-overcommit", {"reclaim": "guest", "identical": "hypervisor"})
    return run, host_picture(run)


@pytest.fixture(scope="module")
def precopy():
    level = LEVELS.get("ch12-live-migration")
    run = assess(level, {"dirty": "cpu", "main": "hypervisor"}).runs[0]
    return run, host_picture(run, level.goal.max_downtime)


def test_a_run_of_one_guest_alone_has_no_host_picture():
    assert host_picture(run_of("ch1-hot-loop", {})) is None


def test_each_guest_is_a_grid_of_its_pages_by_state(balloon_and_sharing):
    run, picture = balloon_and_sharing
    assert len(picture.guests) == len(run.host["guests"]) == 2
    for guest, entry in zip(picture.guests, run.host["guests"], strict=True):
        assert guest.counts() == entry["pages"]          # the cells add up to the report's counts
        rows = guest.rows()
        assert all(len(row) == COLUMNS for row in rows)
        assert sum(len(row) for row in rows) == len(entry["memory_map"])
        assert set(guest.pages) <= set(PAGE_STATES)
        assert guest.equivalent and guest.stop == "exit" and guest.exit_code == 0
        # page by page: a ballooned page of the map is a ballooned cell at the same place
        for page, char in enumerate(entry["memory_map"]):
            assert (guest.pages[page] == "ballooned") == (char == "B")
    assert picture.guests[0].count("ballooned") > 0 and picture.guests[0].count("shared") > 0


def test_frames_in_use_are_the_hosts_and_the_lines_span_the_run(balloon_and_sharing):
    run, picture = balloon_and_sharing
    frames = run.host["frames"]
    assert (picture.frames_total, picture.frames_used, picture.frames_peak) == (
        frames["total"], frames["used"], frames["peak"])
    assert picture.reclaim == "balloon" and picture.sharing
    line = picture.line("frames")
    assert line.points[0] == (0, 0) and line.points[-1] == (run.result.cycles, frames["used"])
    assert [t for t, _ in line.points] == sorted(t for t, _ in line.points)
    assert line.peak <= frames["peak"] <= picture.frames_total
    # balloon and sharing both happened: their lines are drawn; nothing was swapped: no line
    assert picture.line("ballooned").peak == max(s["ballooned"] for s in run.host["samples"])
    assert picture.line("shared") is not None and picture.line("swapped") is None
    assert picture.totals()["ballooned"] == picture.line("ballooned").points[-1][1]


def test_swapping_draws_a_swapped_line_and_swapped_cells():
    run = run_of("ch12-overcommit", {"reclaim": "hypervisor", "identical": "cpu"})
    picture = host_picture(run)
    assert picture.reclaim == "swap" and not picture.sharing
    assert picture.totals()["swapped"] == sum(g["pages"]["swapped"] for g in run.host["guests"])
    assert picture.totals()["swapped"] > 0 and picture.line("swapped") is not None
    assert picture.line("shared") is None and picture.line("ballooned") is None


def test_a_guest_the_host_could_not_give_a_frame_is_shown_stopped():
    picture = host_picture(run_of("ch12-overcommit", {"reclaim": "cpu", "identical": "cpu"}))
    assert picture.frames_used == picture.frames_total
    assert any(g.stop == "host-oom" and not g.equivalent for g in picture.guests)


def test_migration_rounds_are_bars_in_time_ending_in_the_downtime(precopy):
    run, picture = precopy
    migration = picture.migration
    report = run.host["migration"]
    assert migration.finished and migration.converged and migration.precopy
    assert len(migration.precopy_rounds) == len(report["rounds"]) >= 2
    bars = migration.rounds
    assert bars[-1] is migration.stop_round and bars[-1].stop_and_copy
    for before, after in zip(bars, bars[1:], strict=False):
        assert before.end <= after.start and before.number < after.number
    # each later round sends what the one before dirtied; all of them add up to pages sent
    for before, after in zip(bars, bars[1:], strict=False):
        assert after.pages == before.dirtied
    assert sum(bar.pages for bar in bars) == migration.pages_sent == report["pages_sent"]
    # the stop-and-copy bar is the downtime, and the whole span is the total time
    assert migration.stop_round.duration == migration.downtime == report["downtime"]
    assert migration.begin <= bars[0].start and migration.end == bars[-1].end
    assert migration.end - migration.begin == report["total"]
    assert migration.downtime_bound == LEVELS.get("ch12-live-migration").goal.max_downtime
    assert migration.within_bound == (report["downtime"] <= migration.downtime_bound)
    assert migration.end <= picture.end


def test_stop_and_copy_alone_is_one_bar_that_is_all_downtime():
    level = LEVELS.get("ch12-live-migration")
    run = assess(level, {"dirty": "cpu", "main": "cpu"}).runs[0]
    migration = host_picture(run, level.goal.max_downtime).migration
    assert not migration.precopy and migration.precopy_rounds == ()
    (bar,) = migration.rounds
    assert bar.stop_and_copy and bar.duration == migration.downtime
    assert migration.within_bound is False and migration.downtime > migration.downtime_bound


def test_a_migration_that_never_converged_says_so(precopy):
    run, _ = precopy
    report = dict(run.host["migration"], converged=False, note="stuck")
    stuck = dataclasses.replace(run, host=dict(run.host, migration=report))
    assert host_picture(stuck).migration.converged is False
    unfinished = dict(report, finished=False, stop_and_copy=None, rounds=[], total=0,
                      downtime=0, pages_sent=0)
    never = host_picture(dataclasses.replace(run, host=dict(run.host, migration=unfinished)),
                         downtime_bound=10)
    assert never.migration.rounds == () and never.migration.within_bound is False
