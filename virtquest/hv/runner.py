"""Runs one guest program under one or more modes — with a learner's per-site choices — and judges
each run against the native one (docs/design.md, "What a run reports")."""

from __future__ import annotations

from collections.abc import Callable

from virtquest.emu.boot import Guest, load_guest
from virtquest.emu.costs import CostProfile
from virtquest.emu.machine import DEFAULT_BUDGET, RunResult
from virtquest.hv.mode import ModeRun
from virtquest.hv.registry import create, mode_class, mode_ids

CHOICES = ("cpu", "hypervisor", "guest")


def guest_defines(choices: dict[str, str] | None) -> dict[str, int]:
    """A "guest" choice modifies the guest's code at that site: GUEST_<label> = 1 selects the
    modified form written in the source (`.if GUEST_label … .else … .endif`); 0 keeps the
    original, even in a build that is paravirtualized everywhere else."""
    return {f"GUEST_{label}": int(choice == "guest") for label, choice in (choices or {}).items()}


def site_addresses(guest: Guest, choices: dict[str, str] | None) -> dict[int, str]:
    """Address → "cpu" | "hypervisor" for the sites the learner did not give to the guest."""
    sites = {}
    for label, choice in (choices or {}).items():
        if choice == "guest":
            continue
        address = guest.program.symbols.get(label)
        if address is None and guest.kernel is not None:
            address = guest.kernel.symbols.get(label)
        if address is not None:
            sites[address] = choice
    return sites


def load_for_mode(source: str, mode_id: str, *, file: str, profile: CostProfile,
                  defines: dict[str, int] | None = None,
                  choices: dict[str, str] | None = None) -> Guest:
    """A machine loaded with the program (built for the mode and the choices), mode attached."""
    mode = mode_class(mode_id)
    modified = guest_defines(choices)
    guest = load_guest(source, file=file, profile=profile, defines=(defines or {}) | modified,
                       kernel_defines=dict(mode.guest_defines) | modified)
    create(mode_id, guest.machine, site_addresses(guest, choices))
    return guest


def run_mode(source: str, mode_id: str, *, file: str, profile: CostProfile,
             defines: dict[str, int] | None = None, choices: dict[str, str] | None = None,
             budget: int = DEFAULT_BUDGET,
             cancel: Callable[[], bool] | None = None) -> tuple[RunResult, Guest]:
    """One run under one mode."""
    guest = load_for_mode(source, mode_id, file=file, profile=profile, defines=defines,
                          choices=choices)
    return guest.run(budget=budget, cancel=cancel), guest


def judge(mode_id: str, native: RunResult, result: RunResult, guest: Guest) -> ModeRun:
    machine = guest.machine
    return ModeRun(mode_id, result, result.cycles / max(native.cycles, 1),
                   equivalent(native, result), not machine.violations,
                   violations=list(machine.violations), divergences=list(machine.divergences),
                   refusals=list(machine.refusals))


def run_modes(source: str, modes: list[str] | None = None, *, file: str = "<source>",
              profile: CostProfile, defines: dict[str, int] | None = None,
              choices: dict[str, str] | None = None, budget: int = DEFAULT_BUDGET,
              cancel: Callable[[], bool] | None = None,
              native: RunResult | None = None) -> list[ModeRun]:
    """Runs under each mode (all when None). The reference is the native run of the unmodified
    program (pass it in to reuse it)."""
    if native is None:
        native, _ = run_mode(source, "native", file=file, profile=profile, defines=defines,
                             budget=budget, cancel=cancel)
    runs = []
    for mode_id in modes or mode_ids():
        result, guest = run_mode(source, mode_id, file=file, profile=profile, defines=defines,
                                 choices=choices, budget=budget, cancel=cancel)
        runs.append(judge(mode_id, native, result, guest))
    return runs


def equivalent(native: RunResult, other: RunResult) -> bool:
    """Guest-visible outcome equal to native: console output, exit code and how it ended."""
    return (other.console, other.exit_code, other.stop) == (
        native.console, native.exit_code, native.stop)
