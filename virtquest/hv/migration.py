"""Live migration by pre-copy: a running guest moves to another host over a link of a set
bandwidth (docs/hosts.md).

Round 1 sends every page the guest has touched while it keeps running; each later round sends
the pages it dirtied during the round before, tracked by write protection (every first write to
a page in a round is an EPT violation exit) or by the nested table's dirty bits (the CPU sets a
bit; the migrator reads and clears them each round, then flushes the TLB). When a round's dirty
set is small enough, or after `max_rounds`, the guest is paused: the last dirty pages are sent
(the downtime) and the guest resumes on the destination.

How it is real: the destination's memory is a separate buffer that only sent pages reach. At the
switch the guest's RAM is replaced by that buffer, so a page the dirty log missed comes back
stale and the guest's output shows it. The vCPU and device state are carried over as they are
(a real migrator serializes them with the last pages; they are a few KB).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from virtquest.emu.memory import PAGE_SHIFT
from virtquest.emu.messages import Message, message
from virtquest.hv.host import RESIDENT, SHARED, VM, Host

DIRTY_LOGS = ("write-protect", "dirty-bits")


@dataclass(frozen=True)
class MigrationSetup:
    """When and how the guest moves."""

    start: int = 200_000            # the guest's cycles before the migration starts
    bandwidth: int = 100            # pages the link carries per million cycles
    precopy: bool = True            # False: stop and copy everything at once
    dirty_log: str = "write-protect"
    max_rounds: int = 8
    stop_pages: int = 16            # stop and copy once a round dirtied at most this many

    def __post_init__(self) -> None:
        if self.dirty_log not in DIRTY_LOGS:
            raise ValueError(f"dirty_log must be one of {', '.join(DIRTY_LOGS)}")
        if self.bandwidth < 1 or self.max_rounds < 1 or self.stop_pages < 0 or self.start < 0:
            raise ValueError("bandwidth and max_rounds must be positive, start and stop_pages "
                             "at least 0")

    def link_time(self, pages: int) -> int:
        """Cycles the link needs for that many pages."""
        return math.ceil(pages * 1_000_000 / self.bandwidth)


@dataclass
class Round:
    number: int
    pages: int
    start: int
    end: int = 0
    dirtied: int = 0

    def to_json(self) -> dict:
        return {"round": self.number, "pages": self.pages, "start": self.start,
                "end": self.end, "dirtied": self.dirtied}


@dataclass
class Migrator:
    """Moves one guest of a host; call it between the host's quanta."""

    vm: VM
    setup: MigrationSetup
    phase: str = "waiting"          # waiting | precopy | done
    rounds: list[Round] = field(default_factory=list)
    pages_sent: int = 0
    started_at: int = 0
    downtime: int = 0
    total: int = 0
    converged: bool = True
    note: Message | None = None

    def __post_init__(self) -> None:
        self.destination = bytearray(self.vm.memory.size)
        self.dirty: set[int] = set()
        self.round_end = 0
        self.ended_first = False       # the guest ended before the move was over

    def __call__(self, host: Host) -> None:
        if self.phase == "waiting" and self.vm.cpu.cycles >= self.setup.start \
                and not self.vm.finished:
            self.phase = "precopy"
            self.started_at = host.elapsed()
            if self.setup.precopy:
                self._start_round(host, self._touched())
            else:
                self._stop_and_copy(host, self._touched())
        elif self.phase == "precopy" and (host.elapsed() >= self.round_end or self.vm.finished):
            self._finish_round(host)

    # -- rounds ----------------------------------------------------------------------------
    def _touched(self) -> list[int]:
        state = self.vm.state
        return [page for page in range(len(state)) if state[page] in (RESIDENT, SHARED)]

    def _start_round(self, host: Host, pages: list[int]) -> None:
        vm, setup, profile = self.vm, self.setup, host.profile
        self.dirty = set()
        vm.log_traps = setup.dirty_log == "write-protect"
        vm.on_write = lambda _vm, page: self.dirty.add(page)
        vm.on_touch = lambda _vm, page: self.dirty.add(page)
        touched = self._touched()
        for page in touched:                 # a fresh log: every page clean and watched
            vm.protect(page)
        if setup.dirty_log == "dirty-bits":
            host.charge(None, "host", len(touched) * profile["dirty_scan"])
        vm.mmu.flush()                       # INVEPT: the new rights (or clear bits) hold
        self._send(host, pages)
        now = host.elapsed()
        self.rounds.append(Round(len(self.rounds) + 1, len(pages), now))
        self.round_end = now + setup.link_time(len(pages))

    def _finish_round(self, host: Host) -> None:
        current = self.rounds[-1]
        current.end = host.elapsed()
        dirty = sorted(self.dirty)
        current.dirtied = len(dirty)
        self.ended_first = self.vm.finished
        if self.vm.finished or len(dirty) <= self.setup.stop_pages:
            self._stop_and_copy(host, dirty)
        elif len(self.rounds) >= self.setup.max_rounds:
            self.converged = False
            self.note = message("host.migration-stuck", rounds=len(self.rounds),
                                pages=len(dirty))
            self._stop_and_copy(host, dirty)
        else:
            self._start_round(host, dirty)

    def _send(self, host: Host, pages: list[int]) -> None:
        data = self.vm.memory.data
        for page in pages:
            lo = page << PAGE_SHIFT
            self.destination[lo:lo + (1 << PAGE_SHIFT)] = data[lo:lo + (1 << PAGE_SHIFT)]
        host.charge(None, "host", len(pages) * host.profile["migrate_page"])
        self.pages_sent += len(pages)

    def _stop_and_copy(self, host: Host, pages: list[int]) -> None:
        """The guest is paused (the host calls this between quanta): the last pages go, then
        the guest resumes on the destination, with the destination's memory."""
        vm = self.vm
        self._send(host, pages)
        self.downtime = self.setup.link_time(len(pages)) + host.profile["migrate_resume"]
        host.charge(None, "host", self.downtime)
        vm.log_traps, vm.on_write, vm.on_touch = False, None, None
        vm.protected.clear()
        host.busy = True
        try:
            vm.memory.load(0, bytes(self.destination))   # the guest now runs from these bytes
        finally:
            host.busy = False
        vm.mmu.flush()
        self.total = host.elapsed() - self.started_at
        self.phase = "done"
        self.stop_round = Round(len(self.rounds) + 1, len(pages), host.elapsed() - self.downtime,
                                host.elapsed(), 0)

    def report(self) -> dict:
        return {
            "start": self.setup.start, "bandwidth": self.setup.bandwidth,
            "precopy": self.setup.precopy, "dirty_log": self.setup.dirty_log,
            "finished": self.phase == "done",
            "rounds": [r.to_json() for r in self.rounds],
            "stop_and_copy": self.stop_round.to_json() if self.phase == "done" else None,
            "pages_sent": self.pages_sent, "total": self.total, "downtime": self.downtime,
            "converged": self.converged, "guest_ended_first": self.ended_first,
            "note": str(self.note) if self.note is not None else None,
        }
