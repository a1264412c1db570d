"""The host view's model: the report of a run on a host of several guests (`ModeRun.host`,
hv/hostrun.py) turned into what the lab's Host tab draws: each guest's pages as cells by state,
the host's frames over time, and a live migration's rounds on the same time axis, with its
downtime. Qt-free: the command line and the tests read it as it is."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from virtquest.hv.mode import ModeRun

# What a guest page is to the host, in the order the legend lists them.
PAGE_STATES = ("untouched", "resident", "shared", "swapped", "ballooned")
# The memory map of the report: one character per 4 KiB guest page (hv/host.py, STATE_CHARS).
STATE_OF_CHAR = {".": "untouched", "R": "resident", "S": "shared", "W": "swapped",
                 "B": "ballooned"}
COLUMNS = 32                     # pages per row of a guest's grid (256 pages: 8 rows)
# The lines of the frames chart: frames in use, and guest pages in each reclaimed state.
SERIES_KEYS = ("frames", "shared", "swapped", "ballooned")


@dataclass(frozen=True)
class GuestMemory:
    """One guest's pages at the end of the run, and how the guest ended."""

    index: int                               # 1, 2, … as the report numbers them
    pages: tuple[str, ...]                   # a state of PAGE_STATES per guest page
    equivalent: bool                         # the same output and ending as native
    stop: str                                # exit | host-oom | budget | halted | …
    exit_code: int | None
    events: Mapping[str, int]                # first_touches, swap_outs, ballooned, …

    def count(self, state: str) -> int:
        return self.pages.count(state)

    def counts(self) -> dict[str, int]:
        return {state: self.count(state) for state in PAGE_STATES}

    def rows(self, columns: int = COLUMNS) -> list[tuple[str, ...]]:
        """The pages row by row, `columns` to a row (page 0 at the top left)."""
        return [self.pages[start:start + columns] for start in range(0, len(self.pages),
                                                                      columns)]

    def address(self, page: int) -> int:
        """The guest-physical address where a page starts."""
        return page * 4096


@dataclass(frozen=True)
class Series:
    """One line of the frames chart: (host cycles, count) from the start to the end."""

    key: str                                 # one of SERIES_KEYS
    points: tuple[tuple[int, int], ...]

    @property
    def peak(self) -> int:
        return max((value for _, value in self.points), default=0)


@dataclass(frozen=True)
class Round:
    """One round of a migration as a bar on the time axis: `pages` sent from `start` to `end`
    (host cycles). The stop-and-copy round is the downtime: the guest is paused through it."""

    number: int
    start: int
    end: int
    pages: int
    dirtied: int                             # pages the guest wrote while it went
    stop_and_copy: bool

    @property
    def duration(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class MigrationPicture:
    """A live migration: its rounds in order (the stop-and-copy last, once it happened)."""

    rounds: tuple[Round, ...]
    begin: int                               # host cycles when it started
    total: int                               # from the start to the guest running on the target
    downtime: int                            # the guest paused (the last round and the resume)
    pages_sent: int
    bandwidth: int                           # pages per million cycles
    precopy: bool
    dirty_log: str                           # write-protect | dirty-bits
    finished: bool                           # False: the guest ended before it could move
    converged: bool                          # False: stopped after the most rounds allowed
    downtime_bound: int | None = None        # the level's goal, if it sets one

    @property
    def precopy_rounds(self) -> tuple[Round, ...]:
        return tuple(r for r in self.rounds if not r.stop_and_copy)

    @property
    def stop_round(self) -> Round | None:
        return next((r for r in self.rounds if r.stop_and_copy), None)

    @property
    def end(self) -> int:
        return self.begin + self.total

    @property
    def within_bound(self) -> bool | None:
        """Whether the downtime keeps the level's bound (None: the level sets none)."""
        if self.downtime_bound is None:
            return None
        return self.finished and self.downtime <= self.downtime_bound


@dataclass(frozen=True)
class HostPicture:
    """Everything the Host tab shows of one run."""

    frames_total: int | None                 # None: the host gives as many as asked for
    frames_used: int                         # at the end
    frames_peak: int
    reclaim: str                             # none | swap | balloon
    sharing: bool
    work: Mapping[str, int]                  # the host's events: swap_outs, shares, …
    guests: tuple[GuestMemory, ...]
    series: tuple[Series, ...]               # frames always; a reclaimed state if it happened
    end: int                                 # host cycles at the end of the run
    migration: MigrationPicture | None

    def totals(self) -> dict[str, int]:
        """Pages of all guests by state."""
        return {state: sum(guest.count(state) for guest in self.guests)
                for state in PAGE_STATES}

    def line(self, key: str) -> Series | None:
        return next((s for s in self.series if s.key == key), None)


def host_picture(run: ModeRun, downtime_bound: int | None = None) -> HostPicture | None:
    """What the Host tab draws of `run`; None for a run of one guest alone (no host report)."""
    report = run.host
    if report is None:
        return None
    guests = tuple(_guest(entry) for entry in report["guests"])
    end = max(run.result.cycles, *(s["at"] for s in report["samples"]), 0)
    migration = report.get("migration")
    return HostPicture(
        frames_total=report["frames"]["total"], frames_used=report["frames"]["used"],
        frames_peak=report["frames"]["peak"], reclaim=report["reclaim"],
        sharing=bool(report["sharing"]), work=dict(report["work"]), guests=guests,
        series=_series(report, guests, end), end=end,
        migration=_migration(migration, downtime_bound) if migration is not None else None)


def _guest(entry: Mapping) -> GuestMemory:
    return GuestMemory(index=entry["index"],
                       pages=tuple(STATE_OF_CHAR[c] for c in entry["memory_map"]),
                       equivalent=bool(entry.get("equivalent", True)),
                       stop=entry.get("stop", ""), exit_code=entry.get("exit_code"),
                       events=dict(entry.get("events", {})))


def _series(report: Mapping, guests: tuple[GuestMemory, ...], end: int) -> tuple[Series, ...]:
    """The samples as lines from cycle 0 (nothing in use) to the end (the final counts)."""
    final = {"frames": report["frames"]["used"]}
    final |= {key: sum(g.count(key) for g in guests) for key in SERIES_KEYS[1:]}
    lines = []
    for key in SERIES_KEYS:
        points = [(0, 0)] + [(s["at"], s[key]) for s in report["samples"]]
        if points[-1][0] < end:
            points.append((end, final[key]))
        if key == "frames" or any(value for _, value in points):
            lines.append(Series(key, tuple(points)))
    return tuple(lines)


def _migration(report: Mapping, downtime_bound: int | None) -> MigrationPicture:
    rounds = [Round(r["round"], r["start"], r["end"], r["pages"], r["dirtied"], False)
              for r in report["rounds"]]
    last = report.get("stop_and_copy")
    if last is not None:
        rounds.append(Round(last["round"], last["start"], last["end"], last["pages"],
                            last["dirtied"], True))
    finished = bool(report["finished"])
    # the migration began when it was started, a little before its first round's pages went
    begin = (last["end"] - report["total"]) if finished and last is not None else (
        rounds[0].start if rounds else 0)
    return MigrationPicture(
        rounds=tuple(rounds), begin=begin, total=report["total"],
        downtime=report["downtime"], pages_sent=report["pages_sent"],
        bandwidth=report["bandwidth"], precopy=bool(report["precopy"]),
        dirty_log=report["dirty_log"], finished=finished, converged=bool(report["converged"]),
        downtime_bound=downtime_bound)
