"""Runs one guest program under one or more modes and judges each run against native."""

from __future__ import annotations

from collections.abc import Callable

from virtquest.emu.boot import load_guest
from virtquest.emu.costs import CostProfile
from virtquest.emu.machine import DEFAULT_BUDGET, RunResult
from virtquest.hv.mode import ModeRun
from virtquest.hv.registry import get_mode, mode_ids


def run_mode(source: str, mode_id: str, *, file: str, profile: CostProfile,
             defines: dict[str, int] | None = None, budget: int = DEFAULT_BUDGET,
             cancel: Callable[[], bool] | None = None) -> tuple[RunResult, list[str]]:
    """One run under one mode: the result and the containment violations it recorded."""
    mode = get_mode(mode_id)
    guest = load_guest(source, file=file, profile=profile, defines=defines,
                       kernel_defines=dict(getattr(mode, "guest_defines", {})))
    mode.attach(guest.machine)
    result = guest.run(budget=budget, cancel=cancel)
    return result, list(guest.machine.violations)


def run_modes(source: str, modes: list[str] | None = None, *, file: str = "<source>",
              profile: CostProfile, defines: dict[str, int] | None = None,
              budget: int = DEFAULT_BUDGET,
              cancel: Callable[[], bool] | None = None) -> list[ModeRun]:
    """Runs under each mode (all when None); native always runs first as the reference."""
    wanted = modes or mode_ids()
    native, _ = run_mode(source, "native", file=file, profile=profile, defines=defines,
                         budget=budget, cancel=cancel)
    runs = []
    for mode_id in wanted:
        if mode_id == "native":
            result, violations = native, []
        else:
            result, violations = run_mode(source, mode_id, file=file, profile=profile,
                                          defines=defines, budget=budget, cancel=cancel)
        runs.append(ModeRun(mode_id, result, result.cycles / max(native.cycles, 1),
                            equivalent(native, result), not violations))
    return runs


def equivalent(native: RunResult, other: RunResult) -> bool:
    """Guest-visible outcome equal to native: console output, exit code and how it ended."""
    return (other.console, other.exit_code, other.stop) == (
        native.console, native.exit_code, native.stop)
