"""An assignment judged: the level's modes run under it, the verdicts against native, the worst
overhead, whether the level's goal is met, and the stars it earns. The lab's play and the solver
both judge this way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from virtquest.content.levels import Goal, Level
from virtquest.emu.machine import RunResult
from virtquest.game.rules import LabError, complete
from virtquest.game.runs import CACHE, RunCache
from virtquest.hv.mode import ModeRun

# Stars relative to par: within 2% of the best legal assignment is three, within 50% two.
PAR_FACTORS = (1.02, 1.5)


def meets_goal(goal: Goal, runs: Iterable[ModeRun]) -> bool:
    """Every run keeps what the goal asks for: the native run's behaviour, containment, and a
    migration's downtime under the bound when the level sets one."""
    return all((run.equivalent or not goal.equivalent) and (run.contained or not goal.contained)
               and _downtime_ok(goal, run) for run in runs)


def _downtime_ok(goal: Goal, run: ModeRun) -> bool:
    if goal.max_downtime is None:
        return True
    migration = (run.host or {}).get("migration")
    return bool(migration and migration["finished"]) and \
        migration["downtime"] <= goal.max_downtime


@dataclass
class Assessment:
    """The level's modes run under one assignment, judged against native."""

    choices: dict[str, str]
    runs: list[ModeRun]
    native: RunResult

    @property
    def equivalent(self) -> bool:
        return all(run.equivalent for run in self.runs)

    @property
    def contained(self) -> bool:
        return all(run.contained for run in self.runs)

    @property
    def worst(self) -> ModeRun:
        return max(self.runs, key=lambda run: run.overhead)

    @property
    def overhead(self) -> float:
        return self.worst.overhead

    def goal_met(self, level: Level) -> bool:
        return meets_goal(level.goal, self.runs)


def assess(level: Level, choices: Mapping[str, str] | None = None, *,
           cache: RunCache = CACHE, cancel: Callable[[], bool] | None = None) -> Assessment:
    full = complete(level, choices)
    native = cache.native_reference(level, cancel=cancel)
    runs = [cache.mode_run(level, mode, full, cancel=cancel) for mode in level.modes]
    return Assessment(full, runs, native.result)


def stars_for(level: Level, overhead: float, goal_met: bool, par: float | None = None) -> int:
    """0 when the goal is missed; else 1–3 by the level's thresholds, or relative to par."""
    if not goal_met:
        return 0
    stars = level.goal.stars
    if stars == "par":
        if par is None:
            raise LabError(f"level {level.id} scores against par: solve it first")
        limits = [par * factor for factor in PAR_FACTORS]
    else:
        limits = stars[:2]
    return 3 if overhead <= limits[0] else 2 if overhead <= limits[1] else 1
