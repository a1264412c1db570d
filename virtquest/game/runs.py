"""The runs a level's lab and solver need, each made once and kept: the native reference (with how
often each slot's instruction ran) per level, and each mode's run by (level, mode, choices).
Runs are deterministic, so a kept run is as good as a new one (docs/design.md, "A lab run, from
click to verdict").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from virtquest.content.levels import Level
from virtquest.emu.cache import Cache
from virtquest.emu.machine import DEFAULT_BUDGET, RunResult
from virtquest.game.rules import LabError, level_key, slot_rules
from virtquest.hv.host import Host
from virtquest.hv.hostrun import Suspended, relabel, run_on_host, same_run
from virtquest.hv.migration import Migrator
from virtquest.hv.mode import ModeRun
from virtquest.hv.runner import load_for_mode, run_modes


@dataclass(frozen=True)
class NativeReference:
    """The native run of the unmodified program, and how often each slot's instruction ran."""

    result: RunResult
    counts: dict[str, int]


# The counted native runs, by what they depend on (the level's content and slots), for every
# RunCache: the lab makes a RunCache per opened level, and the counts cost the most of a level's
# runs (a hook per pass of a hot loop). Bound: 64 levels, more than are shipped (a reference is
# a run's result and a count per slot, a few KB).
_COUNTED: Cache[tuple, NativeReference] = Cache(64)


class RunCache:
    """Deterministic runs, kept: the native reference per level, and each mode run by its
    (level, mode, choices); safe to share between threads.

    Bounds: 4096 mode runs (a run keeps its result and events, not a trace: under 16 KB each, so
    under 64 MB however long the app runs), ten times what solving every shipped level in full
    makes (358 runs), so nothing the app ran is run again; and 256 native references, one per
    level as `level_key` tells them apart (as many native results without counts).

    The native run is made in one of two ways. The lab's play needs how often each slot's
    instruction ran, which a hook on each slot counts; a hook in a hot loop takes that
    instruction out of compiled code at every pass (the live-migration level's store: 3.5 s
    instead of 0.2 s). Judging a run needs only the result, which is the same with or without
    the hooks (they only count), so the solver and the mode runs take the plain run unless the
    counted one is already kept."""

    def __init__(self, max_runs: int = 4096):
        self.native: Cache[tuple, NativeReference] = Cache(256)
        self.plain: Cache[tuple, RunResult] = Cache(256)
        self.runs: Cache[tuple, ModeRun] = Cache(max_runs)
        # Host runs the solver cut short, as they stopped, by run key: played in the lab, one
        # goes on from there instead of starting again. Bound: 4 (each holds its guests'
        # machines, about 1-3 MB), as many as a shipped host level's solve cuts short.
        self.suspended: Cache[tuple, Suspended] = Cache(4)
        self.misses = 0                # runs made (not found kept): a statistic

    def native_reference(self, level: Level, budget: int = DEFAULT_BUDGET,
                         cancel: Callable[[], bool] | None = None) -> NativeReference:
        """The native run with each slot's count (what the lab's notes quote); kept for the
        whole process too, so a level opened again in the lab does not count again."""
        counted = (level_key(level), tuple(level.slot_labels), budget)
        return self.native.get_or_make(
            (level_key(level), budget),
            lambda: _COUNTED.get_or_make(counted,
                                         lambda: _native_reference(level, budget, cancel)))

    def native_result(self, level: Level, budget: int = DEFAULT_BUDGET,
                      cancel: Callable[[], bool] | None = None) -> RunResult:
        """The native run's result: the counted run's if it is kept, else a run without
        counters (the same result, made at the fast path's speed)."""
        key = (level_key(level), budget)
        counted = self.native.get(key)
        if counted is not None:
            return counted.result
        return self.plain.get_or_make(key, lambda: _native_result(level, budget, cancel))

    def mode_run(self, level: Level, mode: str, choices: Mapping[str, str], *,
                 budget: int = DEFAULT_BUDGET,
                 cancel: Callable[[], bool] | None = None,
                 give_up: Callable[[Host, Migrator | None], bool] | None = None
                 ) -> ModeRun | None:
        """The mode's run under the choices, kept. On a level with a host, `give_up` may stop a
        run that is not kept yet between two quanta (hostrun.run_on_host): None, nothing kept.
        Choices of setting slots that cannot change the run share one (hostrun.same_run)."""
        key = self.run_key(level, mode, choices)
        run = self.runs.get(key)
        if run is None:
            run = self._make(level, mode, dict(key[2]), budget, cancel, give_up)
            if run is None:
                return None
        if level.host is not None:
            run = relabel(run, level.host.setup(), level.host.migration_setup(),
                          setting_choices(level, choices))
        return run

    def run_key(self, level: Level, mode: str, choices: Mapping[str, str]) -> tuple:
        """What a mode run is kept under: two assignments with the same key make the same run."""
        if level.host is not None:
            same = same_run(level.host.setup(), level.host.migration_setup(),
                            setting_choices(level, choices))
            labels = {setting: label for label, setting in level.settings.items()}
            choices = dict(choices) | {labels[setting]: c for setting, c in same.items()}
        return (level_key(level), mode, tuple(sorted(choices.items())))

    def _make(self, level: Level, mode: str, choices: dict[str, str], budget: int,
              cancel: Callable[[], bool] | None,
              give_up: Callable[[Host, Migrator | None], bool] | None) -> ModeRun | None:
        key = self.run_key(level, mode, choices)
        native = self.native_result(level, budget, cancel)
        suspended = self.suspended.pop(key) if level.host is not None and give_up is None \
            else None
        if suspended is not None and suspended.budget == budget:
            run = suspended.finish(cancel)
        elif level.host is not None:
            run = run_on_host(level.source, file=level.program_file,
                              profile=level.cost_profile(), setup=level.host.setup(),
                              migration=level.host.migration_setup(),
                              defines=dict(level.defines), choices=choices,
                              settings=level.settings, budget=budget, cancel=cancel,
                              native=native, give_up=give_up,
                              suspend=lambda run: self.suspended.put(key, run))
            if run is None:
                self.misses += 1
                return None
        else:
            run = run_modes(level.source, [mode], file=level.program_file,
                            profile=level.cost_profile(), defines=dict(level.defines),
                            choices=choices, budget=budget, cancel=cancel,
                            native=native)[0]
        self.misses += 1
        if run.result.stop != "cancelled":
            self.runs.put(key, run)
        return run


def setting_choices(level: Level, choices: Mapping[str, str]) -> dict[str, str]:
    """The choices of the level's setting slots, by setting."""
    return {setting: choices[label] for label, setting in level.settings.items()
            if label in choices}


def _native_reference(level: Level, budget: int,
                      cancel: Callable[[], bool] | None) -> NativeReference:
    """Native run with a counter on each slot (a hook that only counts, then lets it run)."""
    guest = load_for_mode(level.source, "native", file=level.program_file,
                          profile=level.cost_profile(), defines=dict(level.defines))
    counts = dict.fromkeys(level.slot_labels, 0)
    for label, rule in slot_rules(level).items():
        guest.machine.cpu.sites[rule.site.address] = _counter(counts, label)
    result = guest.run(budget=budget, cancel=cancel)
    if not result.finished:
        raise LabError(f"level {level.id}: the program does not finish natively: "
                       f"{result.message}")
    return NativeReference(result, counts)


def _native_result(level: Level, budget: int,
                   cancel: Callable[[], bool] | None) -> RunResult:
    """The native run alone, nothing hooked."""
    guest = load_for_mode(level.source, "native", file=level.program_file,
                          profile=level.cost_profile(), defines=dict(level.defines))
    result = guest.run(budget=budget, cancel=cancel)
    if not result.finished:
        raise LabError(f"level {level.id}: the program does not finish natively: "
                       f"{result.message}")
    return result


def _counter(counts: dict[str, int], label: str):
    def count(cpu) -> bool:
        counts[label] += 1
        return False
    return count


CACHE = RunCache()
