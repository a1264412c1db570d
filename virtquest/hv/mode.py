"""The interface every virtualization mode implements, and what one run under a mode reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from virtquest.emu.machine import Machine, RunResult


class Mode(Protocol):
    """A way of running the guest: bare hardware, or a hypervisor of some kind.

    `attach` installs the mode on a freshly loaded machine (hooks, shadow structures, …) before
    the first instruction runs; the machine then runs as usual. `sites` maps the address of an
    instruction to a learner's choice for it, "cpu" or "hypervisor" (a "guest" choice changes the
    guest's code itself, so it arrives as a build define instead); each mode applies the choice
    matrix of CURRICULUM.md in its own way.
    """

    id: str
    title_en: str
    title_ko: str

    def attach(self, machine: Machine, sites: dict[int, str] | None = None) -> None: ...


@dataclass
class ModeRun:
    """One run under one mode, with its verdicts against the native run (SPEC §5)."""

    mode: str
    result: RunResult
    overhead: float
    equivalent: bool
    contained: bool
    violations: list[str] = field(default_factory=list)    # what broke containment
    divergences: list[dict] = field(default_factory=list)  # where the x86 holes showed
    refusals: list[str] = field(default_factory=list)      # what the VMM caught and refused

    def to_json(self) -> dict:
        r = self.result
        return {
            "mode": self.mode, "cycles": r.cycles, "instructions": r.instructions,
            "overhead": round(self.overhead, 4), "equivalent": self.equivalent,
            "contained": self.contained, "exit_code": r.exit_code, "console": r.console,
            "stop": r.stop, "message": r.message, "breakdown": r.breakdown, "events": r.events,
            "violations": self.violations, "divergences": self.divergences,
            "refusals": self.refusals,
        }
