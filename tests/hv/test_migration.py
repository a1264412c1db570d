"""Live migration by pre-copy (hv/migration.py): the moved guest finishes with the output of a
run that never moved, the dirty log is what makes that so, and a guest that dirties memory
faster than the link does not converge."""

from __future__ import annotations

from pathlib import Path

import pytest

from virtquest.content.profiles import load_profile
from virtquest.emu.resources import ASSETS
from virtquest.hv.host import HostSetup
from virtquest.hv.hostrun import run_on_host
from virtquest.hv.migration import MigrationSetup
from virtquest.hv.runner import run_mode

PROFILE = load_profile("modern")
MIGRATE = ASSETS / "programs/levels/ch12_migrate.s"
SETTINGS = {"dirty": "dirty_log", "main": "precopy"}


def _run(path: Path, migration: MigrationSetup | None, choices=None, settings=None):
    source = path.read_text(encoding="utf-8")
    native, _ = run_mode(source, "native", file=str(path), profile=PROFILE)
    return run_on_host(source, file=str(path), profile=PROFILE, setup=HostSetup(guests=1),
                       migration=migration, choices=choices, settings=settings, native=native)


@pytest.mark.parametrize("dirty_log", ["hypervisor", "cpu"])
def test_the_moved_guest_gives_the_native_result(dirty_log):
    run = _run(MIGRATE, MigrationSetup(start=450_000, bandwidth=100),
               {"dirty": dirty_log, "main": "hypervisor"}, SETTINGS)
    migration = run.host["migration"]
    assert run.equivalent, run.result.console
    assert migration["finished"]
    assert len(migration["rounds"]) >= 2
    assert migration["pages_sent"] > migration["rounds"][0]["pages"]   # some pages went twice
    exits = run.result.events.get("vm_exit.ept_write", 0)
    if dirty_log == "hypervisor":
        assert exits >= migration["rounds"][1]["pages"]   # a fault per page first written
    else:
        assert exits == 0                                  # the CPU set dirty bits instead


def test_a_dirty_log_that_misses_writes_shows_in_the_output(monkeypatch):
    """If the migrator forgot the pages written during a round, the destination would get
    them stale: the check against native catches it."""
    from virtquest.hv import migration as migration_module

    real = migration_module.Migrator._start_round

    def forgetful(self, host, pages):
        real(self, host, pages)
        self.vm.on_write = lambda vm, page: None

    monkeypatch.setattr(migration_module.Migrator, "_start_round", forgetful)
    run = _run(MIGRATE, MigrationSetup(start=450_000, bandwidth=100),
               {"dirty": "cpu", "main": "hypervisor"}, SETTINGS)
    assert not run.equivalent


def test_stop_and_copy_sends_everything_once_with_the_guest_stopped():
    run = _run(MIGRATE, MigrationSetup(start=450_000, bandwidth=100),
               {"dirty": "cpu", "main": "cpu"}, SETTINGS)
    migration = run.host["migration"]
    assert run.equivalent
    assert migration["rounds"] == []
    sent = migration["pages_sent"]
    assert sent == migration["stop_and_copy"]["pages"] > 60
    setup = MigrationSetup(bandwidth=100)
    assert migration["downtime"] == setup.link_time(sent) + PROFILE["migrate_resume"]


def test_pre_copy_cuts_the_downtime():
    choices = {"dirty": "cpu"}
    live = _run(MIGRATE, MigrationSetup(start=450_000, bandwidth=100),
                choices | {"main": "hypervisor"}, SETTINGS)
    stopped = _run(MIGRATE, MigrationSetup(start=450_000, bandwidth=100),
                   choices | {"main": "cpu"}, SETTINGS)
    assert live.host["migration"]["downtime"] * 2 < stopped.host["migration"]["downtime"]
    assert live.host["migration"]["total"] > stopped.host["migration"]["total"]


def test_a_guest_dirtying_faster_than_the_link_does_not_converge():
    run = _run(MIGRATE, MigrationSetup(start=450_000, bandwidth=100, stop_pages=2,
                                       max_rounds=5),
               {"dirty": "cpu", "main": "hypervisor"}, SETTINGS)
    migration = run.host["migration"]
    assert run.equivalent
    assert not migration["converged"]
    assert len(migration["rounds"]) == 5
    assert "did not converge" in migration["note"]


def _programs():
    """Every shipped program: the examples, the benchmark workloads and the level programs."""
    return sorted([*ASSETS.glob("programs/examples/*.s"), *ASSETS.glob("programs/bench/*.s"),
                   *ASSETS.glob("programs/levels/*.s")])


@pytest.mark.parametrize("path", _programs(), ids=lambda p: p.name)
def test_every_shipped_program_survives_the_move(path):
    """Moved a third of the way through, each program ends as the run that never moved."""
    source = path.read_text(encoding="utf-8")
    native, _ = run_mode(source, "native", file=str(path), profile=PROFILE)
    stay = run_on_host(source, file=str(path), profile=PROFILE, setup=HostSetup(guests=1),
                       native=native)
    guest_cycles = stay.host["guests"][0]["cycles"]
    moved = run_on_host(source, file=str(path), profile=PROFILE, setup=HostSetup(guests=1),
                        migration=MigrationSetup(start=guest_cycles // 3, bandwidth=400,
                                                 stop_pages=8),
                        native=native)
    migration = moved.host["migration"]
    if stay.result.stop in ("exit", "halted") and guest_cycles > 50_000:
        assert migration["finished"]
    assert (moved.result.console, moved.result.exit_code, moved.result.stop) == (
        stay.result.console, stay.result.exit_code, stay.result.stop)


@pytest.mark.parametrize("precopy", [True, False])
@pytest.mark.parametrize("stop_at", [10, 40, 90])
def test_a_migration_stopped_between_two_quanta_goes_on_as_if_it_never_stopped(stop_at,
                                                                                precopy):
    """A run cut short before, during or after the move and finished later has the rounds,
    downtime, output and cycles of one run that never stopped."""
    source = MIGRATE.read_text(encoding="utf-8")
    native, _ = run_mode(source, "native", file=str(MIGRATE), profile=PROFILE)
    migration = MigrationSetup(start=450_000, bandwidth=100, precopy=precopy)
    kept, quanta = [], []

    def give_up(host, migrator):
        quanta.append(migrator.phase)
        return len(quanta) == stop_at

    def run(**stop):
        return run_on_host(source, file=str(MIGRATE), profile=PROFILE,
                           setup=HostSetup(guests=1), migration=migration, native=native,
                           **stop)

    whole = run()
    assert run(give_up=give_up, suspend=kept.append) is None
    assert kept[0].finish().to_json() == whole.to_json()
    assert whole.host["migration"]["finished"] and whole.equivalent
