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
from virtquest.hv.hostrun import run_on_host
from virtquest.hv.mode import ModeRun
from virtquest.hv.runner import load_for_mode, run_modes


@dataclass(frozen=True)
class NativeReference:
    """The native run of the unmodified program, and how often each slot's instruction ran."""

    result: RunResult
    counts: dict[str, int]


class RunCache:
    """Deterministic runs, kept: the native reference per level, and each mode run by its
    (level, mode, choices); safe to share between threads.

    Bounds: 4096 mode runs (a run keeps its result and events, not a trace: under 16 KB each, so
    under 64 MB however long the app runs), ten times what solving every shipped level in full
    makes (358 runs), so nothing the app ran is run again; and 256 native references, one per
    level as `level_key` tells them apart."""

    def __init__(self, max_runs: int = 4096):
        self.native: Cache[tuple, NativeReference] = Cache(256)
        self.runs: Cache[tuple, ModeRun] = Cache(max_runs)
        self.misses = 0                # runs made (not found kept): a statistic

    def native_reference(self, level: Level, budget: int = DEFAULT_BUDGET,
                         cancel: Callable[[], bool] | None = None) -> NativeReference:
        return self.native.get_or_make(level_key(level),
                                       lambda: _native_reference(level, budget, cancel))

    def mode_run(self, level: Level, mode: str, choices: Mapping[str, str], *,
                 budget: int = DEFAULT_BUDGET,
                 cancel: Callable[[], bool] | None = None) -> ModeRun:
        key = (level_key(level), mode, tuple(sorted(choices.items())))
        run = self.runs.get(key)
        if run is not None:
            return run
        native = self.native_reference(level, budget, cancel).result
        if level.host is not None:
            run = run_on_host(level.source, file=level.program_file,
                              profile=level.cost_profile(), setup=level.host.setup(),
                              migration=level.host.migration_setup(),
                              defines=dict(level.defines), choices=dict(choices),
                              settings=level.settings, budget=budget, cancel=cancel,
                              native=native)
        else:
            run = run_modes(level.source, [mode], file=level.program_file,
                            profile=level.cost_profile(), defines=dict(level.defines),
                            choices=dict(choices), budget=budget, cancel=cancel,
                            native=native)[0]
        self.misses += 1
        if run.result.stop != "cancelled":
            self.runs.put(key, run)
        return run


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


def _counter(counts: dict[str, int], label: str):
    def count(cpu) -> bool:
        counts[label] += 1
        return False
    return count


CACHE = RunCache()
