"""The exhaustive solver: every legal assignment of a level (at most 3^10), each judged by running
it, gives par — the lowest overhead that meets the level's goal. Exact, and fast because runs are
deterministic and kept (runs.RunCache), illegal choices are never tried, and an assignment stops
being run as soon as one mode misses the goal or is already slower than the best so far. On a
level with a host, a run stops between two quanta once its outcome is decided, and an assignment
whose run is another's (a setting that cannot matter) or follows another's until the host runs
short of frames is judged from that one (docs/hosts.md, "How quickly a level answers").
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
from virtquest.game.runs import CACHE, RunCache, setting_choices
from virtquest.hv.host import Host
from virtquest.hv.hostrun import follows, ran_short
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
        self.short = False                  # the host had run short of frames when it stopped
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
        # the same division as the run's overhead (hostrun._judge)
        alone = max(self.native.cycles, 1) * len(host.vms)
        if self.missed or self.best is not None and host.elapsed() / alone > self.best:
            self.short = ran_short(host.events)
            return True
        return False


class _Search:
    def __init__(self, level: Level, cache: RunCache, prune: bool,
                 cancel: Callable[[], bool] | None):
        self.level, self.cache, self.prune, self.cancel = level, cache, prune, cancel
        self.labels = level.slot_labels
        self.modes = list(level.modes)
        # (overhead, guest choices, place in the product order, choices): the lowest wins
        self.best: tuple[float, int, int, dict[str, str]] | None = None
        self.table: list[Entry] = []
        self.hosted = prune and level.host is not None and len(self.modes) == 1
        # a host level's runs as far as the solver ran them, by what they are kept under:
        # overhead (None: cut short), goal met (None: not known), whether the host ran short
        self.known: dict[tuple, tuple[float | None, bool | None, bool]] = {}

    def run(self) -> None:
        combos = [dict(zip(self.labels, combo, strict=True))
                  for combo in itertools.product(*legal_space(self.level))]
        entries: list[Entry | None] = [None] * len(combos)
        # an assignment that runs as another until a mechanism first acts waits for that one
        later = [index for index, choices in enumerate(combos) if self._follows(choices)]
        waiting = set(later)
        first = [index for index in range(len(combos)) if index not in waiting]
        if self.hosted:
            # the Guest's and the hypervisor's choices first: the cheapest host runs are those
            # where the guest or the host helps, and a low best early cuts the others sooner
            first.reverse()
        for index in first + later:
            if self.cancel is not None and self.cancel():
                break
            entries[index] = self.judge(combos[index], index)
        self.table = [entry for entry in entries if entry is not None]

    def _follows(self, choices: dict[str, str]) -> dict[str, str] | None:
        """On a host level, the assignment this one runs as until the host first runs short of
        frames (hostrun.follows), if there is one."""
        level = self.level
        if not self.hosted:
            return None
        by_setting = setting_choices(level, choices)
        ahead = follows(level.host.setup(), level.host.migration_setup(), by_setting)
        if ahead is None:
            return None
        labels = {setting: label for label, setting in level.settings.items()}
        return dict(choices) | {labels[setting]: c for setting, c in ahead.items()}

    def judge(self, choices: dict[str, str], index: int) -> Entry:
        if self.hosted:
            return self._judge_host(choices, index)
        worst, met = 0.0, True
        for mode in self.modes:
            run = self.cache.mode_run(self.level, mode, choices, cancel=self.cancel)
            if not meets_goal(self.level.goal, (run,)):
                met = False
                if self.prune:
                    return Entry(choices, None, False)
            worst = max(worst, run.overhead)
            if self.prune and self.best is not None and worst > self.best[0]:
                self._slowest_first(mode)
                return Entry(choices, None, None)
        if met:
            self._consider(worst, choices, index)
        return Entry(choices, worst, met)

    def _judge_host(self, choices: dict[str, str], index: int) -> Entry:
        """One host run, stopped once its outcome is decided (`_Decided`); or none at all when
        the solver already ran the same run, or the run this one follows until the host first
        runs short: if that one never did, this is the same run; if it did, this one stopped a
        guest there, out of host memory, and misses a goal that asks for the native result."""
        mode, goal = self.modes[0], self.level.goal
        ahead = self._follows(choices)
        if ahead is not None:
            known = self.known.get(self.cache.run_key(self.level, mode, ahead))
            if known is not None and not known[2]:
                return self._entry(choices, index, known)
            if known is not None and goal.equivalent:
                return Entry(choices, None, False)
        key = self.cache.run_key(self.level, mode, choices)
        if key not in self.known:
            decided = _Decided(goal, self.cache.native_result(self.level),
                               self.best[0] if self.best is not None else None)
            run = self.cache.mode_run(self.level, mode, choices, cancel=self.cancel,
                                      give_up=decided)
            if run is None:            # stopped once its outcome was decided (still decided
                # later: the best so far only gets better)
                self.known[key] = (None, False if decided.missed else None, decided.short)
            elif run.result.stop != "cancelled":
                self.known[key] = (run.overhead, meets_goal(goal, (run,)),
                                   ran_short(run.host["work"]))
            else:
                return Entry(choices, None, None)
        return self._entry(choices, index, self.known[key])

    def _entry(self, choices: dict[str, str], index: int,
               known: tuple[float | None, bool | None, bool]) -> Entry:
        overhead, met, _ = known
        if overhead is None or not met:
            return Entry(choices, None, met)
        if self.best is not None and overhead > self.best[0]:
            return Entry(choices, None, None)
        self._consider(overhead, choices, index)
        return Entry(choices, overhead, met)

    def _slowest_first(self, mode: str) -> None:
        """The mode that cut this one short is likely to cut the next: try it first."""
        self.modes.remove(mode)
        self.modes.insert(0, mode)

    def _consider(self, overhead: float, choices: dict[str, str], index: int) -> None:
        # Ties go to the assignment that modifies the guest least (the article's trade-off),
        # then to the first in the order of the legal choices.
        rank = (overhead, sum(c == "guest" for c in choices.values()), index)
        if self.best is None or rank < self.best[:3]:
            self.best = (*rank, choices)

    def solution(self, seconds: float) -> Solution:
        legal = 1
        for options in legal_space(self.level):
            legal *= len(options)
        if self.best is None:
            return Solution(self.level.id, None, None, False, False, 0, legal, self.table,
                            seconds)
        overhead, _, _, choices = self.best
        stars = stars_for(self.level, overhead, True, par=overhead)
        return Solution(self.level.id, choices, overhead, True, True, stars, legal, self.table,
                        seconds)

