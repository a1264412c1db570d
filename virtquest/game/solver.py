"""The exhaustive solver: every legal assignment of a level (at most 3^10), each judged by running
it, gives par — the lowest overhead that meets the level's goal. Exact, and fast because runs are
deterministic and kept (runs.RunCache), illegal choices are never tried, and an assignment stops
being run as soon as one mode misses the goal or is already slower than the best so far.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from virtquest.content.levels import Goal, Level
from virtquest.emu.cache import Cache
from virtquest.emu.machine import RunResult
from virtquest.game.assessment import meets_goal, stars_for
from virtquest.game.rules import level_key, slot_rules
from virtquest.game.runs import CACHE, RunCache
from virtquest.hv.host import Host
from virtquest.hv.migration import Migrator
from virtquest.hv.runner import equivalent


@dataclass(frozen=True)
class Entry:
    """One legal assignment as far as the solver ran it (overhead None: cut short)."""

    choices: dict[str, str]
    overhead: float | None
    goal_met: bool | None


@dataclass
class Solution:
    """Par and the assignment that reaches it (None when no legal assignment meets the goal)."""

    level_id: str
    assignment: dict[str, str] | None
    overhead: float | None
    equivalent: bool
    contained: bool
    stars: int
    legal: int                       # how many legal assignments there are
    table: list[Entry] = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self) -> dict:
        return {"assignment": self.assignment,
                "overhead": None if self.overhead is None else round(self.overhead, 4),
                "equivalent": self.equivalent, "contained": self.contained, "stars": self.stars}


# Solutions by level and goal, for the process-wide RunCache only. A solution keeps its table, one
# entry per legal assignment (up to 3^10). Bound: 64 levels, more than are shipped, so a solved
# level is never solved again while the app runs.
_SOLVED: Cache[tuple, Solution] = Cache(64)


def legal_space(level: Level) -> list[list[str]]:
    rules = slot_rules(level)
    return [rules[label].legal() for label in level.slot_labels]


def solve(level: Level, *, cache: RunCache = CACHE, prune: bool = True,
          cancel: Callable[[], bool] | None = None) -> Solution:
    """Par for the level. With `prune=False` every mode of every legal assignment is run."""
    goal = level.goal
    key = (level_key(level), tuple(level.modes), tuple(level.slot_labels),
           level.guest.modifiable, goal.equivalent, goal.contained, repr(goal.stars), prune)
    if cache is CACHE and (solved := _SOLVED.get(key)) is not None:
        return solved
    started = time.perf_counter()
    search = _Search(level, cache, prune, cancel)
    search.run()
    solution = search.solution(time.perf_counter() - started)
    if cache is CACHE and not (cancel and cancel()):
        _SOLVED.put(key, solution)
    return solution


class _Decided:
    """Asked between a host run's quanta (hostrun.run_on_host's `give_up`): whether the run can
    no longer meet the goal — a guest already ended unlike native, a breach already happened, a
    migration already done with a downtime over the bound — or can no longer beat par so far
    (host time only grows, so an overhead already above the best stays above it). Either way
    the assignment is cut short as the solver cuts any other (docs/hosts.md)."""

    def __init__(self, goal: Goal, native: RunResult, best: float | None):
        self.goal, self.native, self.best = goal, native, best
        self.missed = False
        self.ended: set[int] = set()        # guests already judged

    def __call__(self, host: Host, migrator: Migrator | None) -> bool:
        goal = self.goal
        for vm in host.vms:
            if goal.contained and vm.machine.violations:
                self.missed = True
            if vm.finished and vm.index not in self.ended:
                self.ended.add(vm.index)
                result = vm.machine.result()
                if goal.equivalent and result.stop != "cancelled" and \
                        not equivalent(self.native, result):
                    self.missed = True
        if goal.max_downtime is not None and migrator is not None and \
                migrator.phase == "done" and migrator.downtime > goal.max_downtime:
            self.missed = True
        if self.missed:
            return True
        # the same division as the run's overhead (hostrun._judge)
        alone = max(self.native.cycles, 1) * len(host.vms)
        return self.best is not None and host.elapsed() / alone > self.best


class _Search:
    def __init__(self, level: Level, cache: RunCache, prune: bool,
                 cancel: Callable[[], bool] | None):
        self.level, self.cache, self.prune, self.cancel = level, cache, prune, cancel
        self.labels = level.slot_labels
        self.modes = list(level.modes)
        self.best: tuple[float, int, dict[str, str]] | None = None
        self.table: list[Entry] = []
        self.cut: dict[tuple, bool | None] = {}   # runs cut short: goal missed (False) or slower

    def run(self) -> None:
        for combo in itertools.product(*legal_space(self.level)):
            if self.cancel is not None and self.cancel():
                return
            self.table.append(self.judge(dict(zip(self.labels, combo, strict=True))))

    def judge(self, choices: dict[str, str]) -> Entry:
        worst, met = 0.0, True
        for mode in self.modes:
            key = self.cache.run_key(self.level, mode, choices)
            if key in self.cut:           # the same run as one cut short before
                return Entry(choices, None, self.cut[key])
            decided = _Decided(self.level.goal, self.cache.native_result(self.level),
                               self.best[0] if self.best is not None else None) \
                if self.prune and self.level.host is not None else None
            run = self.cache.mode_run(self.level, mode, choices, cancel=self.cancel,
                                      give_up=decided)
            if run is None:            # a host run stopped once its outcome was decided
                # (still decided later: the best so far only gets better)
                self.cut[key] = False if decided.missed else None
                if not decided.missed:
                    self._slowest_first(mode)
                return Entry(choices, None, self.cut[key])
            if not meets_goal(self.level.goal, (run,)):
                met = False
                if self.prune:
                    return Entry(choices, None, False)
            worst = max(worst, run.overhead)
            if self.prune and self.best is not None and worst > self.best[0]:
                self._slowest_first(mode)
                return Entry(choices, None, None)
        if met:
            self._consider(worst, choices)
        return Entry(choices, worst, met)

    def _slowest_first(self, mode: str) -> None:
        """The mode that cut this one short is likely to cut the next: try it first."""
        self.modes.remove(mode)
        self.modes.insert(0, mode)

    def _consider(self, overhead: float, choices: dict[str, str]) -> None:
        # Ties go to the assignment that modifies the guest least (the article's trade-off).
        rank = (overhead, sum(c == "guest" for c in choices.values()))
        if self.best is None or rank < self.best[:2]:
            self.best = (*rank, choices)

    def solution(self, seconds: float) -> Solution:
        legal = 1
        for options in legal_space(self.level):
            legal *= len(options)
        if self.best is None:
            return Solution(self.level.id, None, None, False, False, 0, legal, self.table,
                            seconds)
        overhead, _, choices = self.best
        stars = stars_for(self.level, overhead, True, par=overhead)
        return Solution(self.level.id, choices, overhead, True, True, stars, legal, self.table,
                        seconds)

