"""The `host:` section of a level file: the program runs as several guests of one host, or is
moved to another host while it runs (docs/levels.md, docs/hosts.md). Plain numbers here; the
choices of the level's setting slots (`Slot.setting`) pick the host's mechanisms."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from virtquest.hv.host import HostSetup
from virtquest.hv.migration import MigrationSetup

Setting = Literal["reclaim", "sharing", "dirty_log", "precopy"]
MIGRATION_SETTINGS = ("dirty_log", "precopy")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MigrationSection(_Strict):
    """A live migration of the first guest to another host."""

    start: int = Field(default=200_000, ge=0, le=100_000_000, description="the guest's cycles "
                       "before the migration starts")
    bandwidth: int = Field(default=100, ge=1, le=1_000_000, description="pages the link carries "
                           "per million cycles")
    max_rounds: int = Field(default=8, ge=1, le=30, description="pre-copy rounds before the "
                            "migrator gives up waiting for the dirty set to shrink")
    stop_pages: int = Field(default=16, ge=0, le=4096, description="stop and copy once a round "
                            "dirtied at most this many pages")

    def setup(self) -> MigrationSetup:
        return MigrationSetup(start=self.start, bandwidth=self.bandwidth,
                              max_rounds=self.max_rounds, stop_pages=self.stop_pages)


class HostSection(_Strict):
    """How many guests share the host, with how much memory, and whether one moves."""

    guests: int = Field(default=2, ge=1, le=4, description="copies of the program, each a "
                        "guest with its own memory, vCPU and devices")
    frames: int | None = Field(default=None, ge=1, le=65_536, description="host memory frames "
                               "(4 KiB) for all guests; default: as many as they touch")
    stagger: int = Field(default=0, ge=0, le=100_000_000, description="host cycles between one "
                         "guest's start and the next one's")
    quantum: int = Field(default=20_000, ge=1_000, le=1_000_000, description="cycles a guest "
                         "runs before the host switches to the next")
    scan_every: int = Field(default=100_000, ge=1_000, le=10_000_000, description="host cycles "
                            "between runs of the page-sharing scanner")
    scan_pages: int = Field(default=64, ge=1, le=4096, description="pages the scanner hashes "
                            "per run")
    migration: MigrationSection | None = None

    def setup(self) -> HostSetup:
        return HostSetup(guests=self.guests, frames=self.frames, stagger=self.stagger,
                         quantum=self.quantum, scan_every=self.scan_every,
                         scan_pages=self.scan_pages)

    def migration_setup(self) -> MigrationSetup | None:
        return self.migration.setup() if self.migration is not None else None
