"""One program run as several guests of one host (or migrated between two), judged against the
program's native run: every guest must behave as it would alone on bare hardware
(docs/hosts.md).

A level's *setting slots* choose the host's mechanisms; their choices keep the three usual ids,
and each setting gives them its meaning here (`SETTINGS`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import replace

from virtquest.emu.asm import Program
from virtquest.emu.boot import Guest, boot_minios, load_guest
from virtquest.emu.cache import Cache
from virtquest.emu.costs import CATEGORIES, CostProfile
from virtquest.emu.machine import DEFAULT_BUDGET, Machine, RunResult
from virtquest.hv.host import Host, HostSetup
from virtquest.hv.migration import MigrationSetup, Migrator
from virtquest.hv.mode import ModeRun
from virtquest.hv.registry import create, mode_class
from virtquest.hv.runner import equivalent, guest_defines, site_addresses

HOST_MODE = "hardware-assist"

# What each choice of a setting slot makes the host do (None: locked for that setting).
SETTINGS: dict[str, dict[str, object]] = {
    # who reclaims memory when the host's frames run out
    "reclaim": {"cpu": "none", "hypervisor": "swap", "guest": "balloon"},
    # identical pages of the guests: left alone, or shared copy-on-write by the hypervisor
    "sharing": {"cpu": False, "hypervisor": True, "guest": None},
    # how a live migration learns which pages were written: EPT dirty bits or write protection
    "dirty_log": {"cpu": "dirty-bits", "hypervisor": "write-protect", "guest": None},
    # pre-copy while the guest runs, or stop it and copy everything at once
    "precopy": {"cpu": False, "hypervisor": True, "guest": None},
}


def configure(setup: HostSetup, migration: MigrationSetup | None,
              settings: Mapping[str, str]) -> tuple[HostSetup, MigrationSetup | None]:
    """The host's setup with the setting slots' choices applied (setting → choice)."""
    for setting, choice in settings.items():
        value = SETTINGS[setting][choice]
        if value is None:
            raise ValueError(f"setting {setting}: {choice} is not a choice here")
        if setting == "reclaim":
            setup = replace(setup, reclaim=value)
        elif setting == "sharing":
            setup = replace(setup, sharing=value)
        elif migration is not None and setting == "dirty_log":
            migration = replace(migration, dirty_log=value)
        elif migration is not None and setting == "precopy":
            migration = replace(migration, precopy=value)
    return setup, migration


def same_run(setup: HostSetup, migration: MigrationSetup | None,
             settings: Mapping[str, str]) -> dict[str, str]:
    """The choices of the setting slots (setting → choice) with each choice that cannot change
    the run replaced by the first one that runs the same: the dirty log when nothing pre-copies
    (stop-and-copy never logs) and pre-copy or the dirty log when nothing migrates; the CPU's
    or the hypervisor's reclaim when the host has a frame for every page (nothing ever runs
    out). Two assignments with the same answer make the same run, but for the settings its
    report names (`relabel`)."""
    setup, migration = configure(setup, migration, settings)
    same = dict(settings)
    for setting, choice in settings.items():
        if setting in ("dirty_log", "precopy") and migration is None or \
                setting == "dirty_log" and not migration.precopy or \
                setting == "reclaim" and setup.frames is None and choice != "guest":
            same[setting] = next(c for c, value in SETTINGS[setting].items()
                                 if value is not None)
    return same


def follows(setup: HostSetup, migration: MigrationSetup | None,
            settings: Mapping[str, str]) -> dict[str, str] | None:
    """The choices (setting → choice) whose run this one is until the host first finds no free
    frame, if there are such: nothing reclaiming runs exactly as host swapping until that
    moment, when swapping takes a victim and nothing reclaiming stops the guest that needed the
    frame (out of host memory). None for every other choice."""
    setup, _ = configure(setup, migration, settings)
    if "reclaim" not in settings or setup.reclaim != "none" or setup.frames is None:
        return None
    swap = next(c for c, value in SETTINGS["reclaim"].items() if value == "swap")
    return dict(settings) | {"reclaim": swap}


def ran_short(work: Mapping[str, int]) -> bool:
    """Whether a host (its counts, `Host.events` or a report's `work`) ever found no free frame
    for a page."""
    return bool(work.get("swap_outs") or work.get("out_of_memory"))


def relabel(run: ModeRun, setup: HostSetup, migration: MigrationSetup | None,
            settings: Mapping[str, str]) -> ModeRun:
    """A run made under `same_run`'s choices, reported under `settings` (setting → choice):
    the host's report names the reclaim and the dirty log chosen."""
    setup, migration = configure(setup, migration, settings)
    report = dict(run.host or {})
    if "reclaim" in report:
        report["reclaim"] = setup.reclaim
    if report.get("migration") is not None and migration is not None:
        report["migration"] = report["migration"] | {"dirty_log": migration.dirty_log,
                                                     "precopy": migration.precopy}
    return replace(run, host=report) if report != run.host else run


def run_on_host(source: str, *, file: str, profile: CostProfile, setup: HostSetup,
                migration: MigrationSetup | None = None,
                defines: dict[str, int] | None = None,
                choices: dict[str, str] | None = None,
                settings: Mapping[str, str] | None = None,
                budget: int = DEFAULT_BUDGET,
                cancel: Callable[[], bool] | None = None,
                native: RunResult,
                give_up: Callable[[Host, Migrator | None], bool] | None = None,
                suspend: Callable[[Suspended], None] | None = None
                ) -> ModeRun | None:
    """The program as `setup.guests` guests of one host under hardware assist with EPT (the
    first of them migrated when `migration` is given). `choices` are the learner's, by slot
    label; `settings` maps the labels of setting slots to their setting. `give_up` is asked
    after every quantum (after the migrator) whether the run's outcome is already decided for
    whoever asks (the solver: a goal already missed, an overhead already above par); if it
    says so, the run stops there and gives None, and `suspend` is handed the stopped run,
    which `Suspended.finish` takes on to the end later if someone wants it whole."""
    choices, settings = dict(choices or {}), dict(settings or {})
    setup, migration = configure(setup, migration,
                                 {settings[label]: choices[label] for label in settings
                                  if label in choices})
    at_sites = {label: choice for label, choice in choices.items() if label not in settings}
    modified = guest_defines(choices)
    host = Host(profile, setup)
    for _ in range(setup.guests):
        guest = boot(source, file=file, profile=profile, defines=dict(defines or {}) | modified,
                     kernel_defines=dict(mode_class(HOST_MODE).guest_defines) | modified)
        create(HOST_MODE, guest.machine, site_addresses(guest, at_sites))
        host.add(guest)
    migrator = Migrator(host.vms[0], migration) if migration is not None else None
    between: Callable[[Host], None] | None = migrator
    if give_up is not None:
        def between(host: Host) -> None:
            if migrator is not None:
                migrator(host)
            if give_up(host, migrator):
                raise _GaveUp
    try:
        host.run(budget=budget, cancel=cancel, between=between)
    except _GaveUp:
        if suspend is not None:
            suspend(Suspended(host, migrator, native, budget))
        return None
    return _judge(host, migrator, native)


class _GaveUp(Exception):
    """`give_up` said the run's outcome is decided: stop it between two quanta."""


class Suspended:
    """A host run `give_up` stopped between two quanta, as it was: the solver cuts a run short
    once its outcome is decided, and the lab may then ask for that run whole. `finish` goes on
    from there to the end (Host.run goes on exactly where it stopped), so the part already run
    is not run again. Finished once: the run goes on in place."""

    def __init__(self, host: Host, migrator: Migrator | None, native: RunResult, budget: int):
        self.host, self.migrator, self.native, self.budget = host, migrator, native, budget
        self.done = False

    def finish(self, cancel: Callable[[], bool] | None = None) -> ModeRun:
        """The whole run's result; a cancelled one is reported as cancelled (and cannot go on)."""
        if self.done:
            raise RuntimeError("a suspended host run goes on only once")
        self.done = True
        self.host.run(budget=self.budget, cancel=cancel, between=self.migrator)
        return _judge(self.host, self.migrator, self.native)


# The programs a host boots, as assembled: every guest of a run is the same program, and every
# assignment of a level boots it again (a Guest choice builds another). Bound: 64 builds, more
# than every shipped host level's assignments make (each a program of a few KB and a kernel
# shared with the mini-OS's own cache), so a level's re-runs never assemble.
_BUILDS: Cache[tuple, tuple[Program, Program | None, str]] = Cache(64)


def boot(source: str, *, file: str, profile: CostProfile, defines: dict[str, int],
         kernel_defines: dict[str, int]) -> Guest:
    """A fresh machine booted with the program, as `load_guest` boots it, assembling the
    program only the first time it is seen (by its text and defines)."""
    key = (source, file, tuple(sorted(defines.items())), tuple(sorted(kernel_defines.items())))
    built = _BUILDS.get(key)
    if built is None:
        guest = load_guest(source, file=file, profile=profile, defines=defines,
                           kernel_defines=kernel_defines)
        _BUILDS.put(key, (guest.program, guest.kernel, guest.kind))
        return guest
    program, kernel, kind = built
    machine = Machine(profile)
    if kind == "bare":
        machine.start_bare(program)
    else:
        boot_minios(machine, kernel, program)
    return Guest(machine, program, kernel, kind)


def _judge(host: Host, migrator: Migrator | None, native: RunResult) -> ModeRun:
    results = [vm.machine.result() for vm in host.vms]
    verdicts = [equivalent(native, result) for result in results]
    shown = next((r for r, same in zip(results, verdicts, strict=True) if not same), results[0])
    breakdown = Counter({key: 0 for key in CATEGORIES})
    events: Counter[str] = Counter()
    for result in results:
        breakdown.update(result.breakdown)
        events.update(result.events)
    breakdown.update(host.breakdown)
    events.update({f"host.{key}": value for key, value in host.events.items()})
    elapsed = host.elapsed()
    combined = RunResult(
        cycles=elapsed, instructions=sum(r.instructions for r in results),
        console=shown.console, exit_code=shown.exit_code, stop=shown.stop,
        message=shown.message, detail=shown.detail,
        breakdown={key: breakdown[key] for key in CATEGORIES}, events=dict(events),
        registers=shown.registers)
    violations = [v for vm in host.vms for v in vm.machine.violations]
    report = host.report()
    for entry, result, same in zip(report["guests"], results, verdicts, strict=True):
        entry.update({"cycles": result.cycles, "instructions": result.instructions,
                      "console": result.console, "exit_code": result.exit_code,
                      "stop": result.stop, "message": result.message, "equivalent": same,
                      "breakdown": result.breakdown})
    report["migration"] = migrator.report() if migrator is not None else None
    alone = max(native.cycles, 1) * len(host.vms)
    return ModeRun(HOST_MODE, combined, elapsed / alone, all(verdicts), not violations,
                   violations=violations,
                   divergences=[d for vm in host.vms for d in vm.machine.divergences],
                   refusals=[r for vm in host.vms for r in vm.machine.refusals], host=report)
