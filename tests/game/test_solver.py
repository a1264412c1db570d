"""The solver: exhaustive over the legal assignments, never tries a locked choice, reuses runs."""

from __future__ import annotations

import itertools

import pytest

from virtquest.content.level_loader import load_levels
from virtquest.game.assessment import assess
from virtquest.game.rules import slot_rules
from virtquest.game.runs import RunCache
from virtquest.game.solver import legal_space, solve
from virtquest.hv.hostrun import run_on_host

LEVELS = load_levels()


def test_solver_matches_a_brute_force_search():
    level = LEVELS.get("ch5-shared-flag")
    cache = RunCache()
    best = None
    for combo in itertools.product(*legal_space(level)):
        result = assess(level, dict(zip(level.slot_labels, combo, strict=True)), cache=cache)
        if result.equivalent and result.contained and (best is None or result.overhead < best):
            best = result.overhead
    solution = solve(level, cache=RunCache())
    assert solution.overhead == best
    assert solution.assignment == {"off": "guest", "bump": "cpu", "on": "guest"}
    assert solution.to_json()["stars"] == 3


def test_locked_choices_are_never_tried():
    level = LEVELS.get("ch3-popf")
    solution = solve(level, cache=RunCache(), prune=False)
    for entry in solution.table:
        for label, choice in entry.choices.items():
            assert choice in slot_rules(level)[label].legal()


def test_runs_are_cached_and_pruning_skips_work():
    level = LEVELS.get("ch9-boss-page-tables")
    cache = RunCache()
    pruned = solve(level, cache=cache)
    runs_pruned = cache.misses
    full = solve(level, cache=cache, prune=False)
    assert full.overhead == pruned.overhead
    assert runs_pruned < len(full.table) * len(level.modes)
    again = cache.misses
    solve(level, cache=cache, prune=False)
    assert cache.misses == again, "a second solve reruns nothing"


def test_cancel_stops_the_search():
    level = LEVELS.get("ch9-boss-server")
    solution = solve(level, cache=RunCache(), cancel=lambda: True)
    assert solution.table == []


def test_the_solver_needs_no_slot_counts_and_finds_the_same_native_run():
    """The lab's notes need how often each slot ran (a counting hook in the native run); the
    solver only judges runs, so it runs native without the hooks — the same result."""
    level = LEVELS.get("ch12-live-migration")
    cache = RunCache()
    solve(level, cache=cache)
    assert len(cache.native) == 0, "solving made no counted native run"
    plain = cache.native_result(level)
    counted = cache.native_reference(level)
    assert vars(counted.result) == vars(plain)
    assert counted.counts["dirty"] > 0
    assert cache.native_result(level) is counted.result


@pytest.mark.parametrize("level_id", ["ch12-live-migration", "ch12-overcommit"])
def test_host_runs_cut_short_change_nothing_the_solver_finds(level_id):
    """A host run stops once it can no longer meet the goal or beat the best so far; what it
    cut was never par. A cut run is kept as it stopped: played later, it goes on from there to
    its end, and ends as a run made from the start does."""
    level = LEVELS.get(level_id)
    cache = RunCache()
    pruned = solve(level, cache=cache)
    full = solve(level, cache=RunCache(), prune=False)
    assert (pruned.assignment, pruned.overhead) == (full.assignment, full.overhead)
    cut = [entry for entry in pruned.table if entry.overhead is None]
    assert cut, "some assignment was cut short"
    assert len(cache.suspended) > 0, "a run cut short is kept as it stopped"
    for entry in cut:
        result = assess(level, entry.choices, cache=cache)
        assert result.runs[0].result.stop != "cancelled"
        fresh = RunCache().mode_run(level, "hardware-assist", entry.choices)
        assert result.runs[0].to_json() == fresh.to_json()
        if entry.goal_met is False:
            assert not result.goal_met(level)
        else:
            assert result.overhead > pruned.overhead


def test_a_setting_that_cannot_matter_shares_the_run_and_keeps_its_name():
    """Under stop-and-copy nothing logs dirty pages: both dirty logs make one run, reported under
    the log chosen, equal to a run made under that choice."""
    level = LEVELS.get("ch12-live-migration")
    cache = RunCache()
    cache.mode_run(level, "hardware-assist", {"dirty": "cpu", "main": "cpu"})
    made = cache.misses
    shared = cache.mode_run(level, "hardware-assist", {"dirty": "hypervisor", "main": "cpu"})
    assert cache.misses == made, "the second assignment ran nothing"
    alone = run_on_host(level.source, file=level.program_file, profile=level.cost_profile(),
                        setup=level.host.setup(), migration=level.host.migration_setup(),
                        defines=dict(level.defines),
                        choices={"dirty": "hypervisor", "main": "cpu"},
                        settings=level.settings, native=cache.native_result(level))
    assert shared.to_json() == alone.to_json()
    assert shared.host["migration"]["dirty_log"] == "write-protect"
    precopy = cache.mode_run(level, "hardware-assist",
                             {"dirty": "hypervisor", "main": "hypervisor"})
    assert cache.misses == made + 1, "with pre-copy the dirty log matters: a run of its own"
    assert precopy.host["migration"]["rounds"]


def test_a_level_opened_again_does_not_count_its_slots_again():
    """The lab makes a RunCache per opened level; the counted native run is kept for the process,
    by the level's content, so opening the level again reuses it."""
    level = LEVELS.get("ch12-tagged-tlb")
    first = RunCache().native_reference(level)
    assert RunCache().native_reference(level) is first
    edited = level.model_copy(update={"defines": dict(level.defines) | {"ROUNDS": 3}})
    assert RunCache().native_reference(edited) is not first


def test_nothing_reclaiming_is_judged_from_host_swapping_s_run():
    """ch12-overcommit: host swapping ran short of frames under either sharing, so nothing
    reclaiming stops a guest there; the solver says so without running it, as the full search
    finds by running it."""
    level = LEVELS.get("ch12-overcommit")
    cache = RunCache()
    pruned = solve(level, cache=cache)
    none = [entry for entry in pruned.table if entry.choices["reclaim"] == "cpu"]
    assert len(none) == 2 and all(entry.goal_met is False for entry in none)
    assert cache.misses == len(pruned.table) - len(none), "the two were never run"
    full = solve(level, cache=RunCache(), prune=False)
    assert all(entry.goal_met is False for entry in full.table
               if entry.choices["reclaim"] == "cpu")
    assert [entry.choices for entry in pruned.table] == [entry.choices for entry in full.table]
