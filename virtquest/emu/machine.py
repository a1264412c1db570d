"""A whole VQ32 machine (RAM, MMU, CPU, devices) and one run of it, with its result.

The run loop checks the timer between instructions and the cycle budget every few hundred
instructions, so a runaway guest always stops with a clear message; a caller may cancel.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from virtquest.emu.asm import Program
from virtquest.emu.costs import CATEGORIES, CostProfile
from virtquest.emu.cpu import CPU, MachineStop
from virtquest.emu.devices import PowerOff, standard_bus
from virtquest.emu.disk import DISK_PORTS, Disk
from virtquest.emu.errors import MachineError
from virtquest.emu.fastpath import FastPath
from virtquest.emu.hypervisor import Hypervisor
from virtquest.emu.isa import REGISTERS
from virtquest.emu.memory import PhysicalMemory
from virtquest.emu.messages import Message, message
from virtquest.emu.mmu import MMU
from virtquest.emu.nic import NIC_PORTS, NetworkCard

DEFAULT_BUDGET = 50_000_000   # cycles
CHECK_EVERY = 256             # steps (or runs of compiled blocks) between cancel checks
SLICE = 1_000_000             # and at most about this many cycles (compiled loops run long)


class Stop(NamedTuple):
    """How a run ended — "exit" | "halted" | "budget" | "cancelled" | "triple-fault" — and why."""

    reason: str
    detail: Message


@dataclass
class RunResult:
    """What one run produced: the numbers every run reports (docs/design.md, "What a run
    reports"), and how it ended."""

    cycles: int
    instructions: int
    console: str
    exit_code: int | None
    stop: str        # "exit" | "halted" | "budget" | "cancelled" | "triple-fault"
    message: str     # why, in English
    breakdown: dict[str, int]
    events: dict[str, int]
    registers: dict[str, int] = field(default_factory=dict)
    detail: Message | None = None    # `message` as an id and parameters (for any language)

    @property
    def finished(self) -> bool:
        return self.stop in ("exit", "halted")

    def to_json(self) -> dict:
        return {
            "cycles": self.cycles, "instructions": self.instructions,
            "exit_code": self.exit_code, "console": self.console, "stop": self.stop,
            "message": self.message, "breakdown": self.breakdown, "events": self.events,
        }


class Machine:
    """RAM + MMU + CPU + the standard devices, charged from one cost profile."""

    def __init__(self, profile: CostProfile, ram: int = 1 << 20, tlb_entries: int | None = None,
                 fast: bool = True):
        try:
            self.memory = PhysicalMemory(ram)
            self.mmu = MMU(self.memory, tlb_entries or profile.tlb_entries)
        except ValueError as exc:
            raise MachineError(str(exc)) from None
        self.bus, self.console, self.timer, self.apic = standard_bus()
        self.cpu = CPU(self.memory, self.mmu, self.bus, self.apic, profile)
        self.nic = NetworkCard(self.memory, self._device_time)
        self.apic.add(self.nic)
        for port in NIC_PORTS:
            self.bus.attach(port, self.nic)
        self.disk = Disk(self.memory, self._device_time)
        for port in DISK_PORTS:
            self.bus.attach(port, self.disk)
        self.profile = profile
        # Compiled blocks of innocuous code; None runs the reference interpreter alone.
        self.fastpath = FastPath(self.cpu) if fast else None
        self.exit_code: int | None = None
        self.stopped: Stop | None = None        # how it ended, and why
        # Every touch of real privileged state or a real device the guest was not given.
        self.violations: list[str] = []
        # What a hypervisor refused the guest (caught, so the guest stayed contained).
        self.refusals: list[str] = []
        self.divergences: list[dict] = []   # where a sensitive instruction showed real state
        self.vmm: Hypervisor | None = None   # what runs beneath the guest, once attached

    def _device_time(self, key: str, count: int) -> None:
        """A device's own work (a DMA transfer, an IOMMU walk): time the guest waits for, on its
        real cycles only."""
        self.cpu.charge("device", count * self.profile[key])

    def attach(self, hypervisor: Hypervisor) -> None:
        """Put a hypervisor (a mode) beneath the guest, before its first instruction."""
        self.vmm = hypervisor
        self.cpu.attach(hypervisor)

    # -- loading ---------------------------------------------------------------------------
    def load(self, program: Program, at: int | None = None) -> None:
        """Copy an assembled image into physical memory (at its origin unless told otherwise)."""
        address = program.origin if at is None else at
        if address < 0 or address + len(program.image) > self.memory.size:
            raise MachineError(
                f"{program.file}: the image ({len(program.image)} bytes at {address:#x}) does not "
                f"fit in {self.memory.size // 1024} KiB of RAM")
        self.memory.load(address, program.image)

    def start_bare(self, program: Program) -> None:
        """A `_start` program: loaded at its origin, run from reset at CPL 0, paging off."""
        if "_start" not in program.symbols:
            raise MachineError(f"{program.file}: a bare-metal program needs a '_start:' label")
        self.load(program)
        self.cpu.eip = program.symbols["_start"]
        self.cpu.regs[4] = self.memory.size  # the stack grows down from the top of RAM

    # -- running ---------------------------------------------------------------------------
    def step(self) -> bool:
        """One instruction (or the interrupt due before it). False once the machine stopped."""
        if self.stopped:
            return False
        try:
            self._tick()
        except (PowerOff, MachineStop) as end:
            self._end(end)
            return False
        return True

    def _tick(self) -> None:
        cpu = self.cpu
        if 0 <= cpu.apic.next_fire <= cpu.cycles - cpu.hidden and cpu.interrupt_deliverable():
            cpu.take_interrupt()
        cpu.step()

    def run(self, budget: int = DEFAULT_BUDGET,
            cancel: Callable[[], bool] | None = None) -> RunResult:
        """Run until the guest ends, the budget of cycles is spent, or `cancel()` says so."""
        self.advance(budget, cancel)
        return self.result()

    def advance(self, budget: int = DEFAULT_BUDGET,
                cancel: Callable[[], bool] | None = None) -> None:
        """`run` without making its result: a host runs each guest a quantum at a time and
        needs the guest's result only once, at the end (`stopped` tells how a quantum ended)."""
        cpu, limit = self.cpu, self.cpu.cycles + budget
        fastpath, apic, step = self.fastpath, self.apic, cpu.step
        try:
            while not self.stopped:
                until = min(limit, cpu.cycles + SLICE)
                for _ in range(CHECK_EVERY):
                    if cpu.cycles >= until:
                        break
                    if 0 <= apic.next_fire <= cpu.cycles - cpu.hidden and \
                            cpu.interrupt_deliverable():
                        cpu.take_interrupt()
                        step()
                    elif fastpath is None or not fastpath.try_run(until):
                        step()
                if cpu.cycles >= limit:
                    self.stopped = Stop("budget", message("run.budget", cycles=cpu.cycles,
                                                          budget=budget))
                elif cancel is not None and cancel():
                    self.stopped = Stop("cancelled", message("run.cancelled"))
        except (PowerOff, MachineStop) as end:
            self._end(end)

    def _end(self, end: Exception) -> None:
        if isinstance(end, PowerOff):
            self.exit_code = end.code
            self.stopped = Stop("exit", message("run.powered-off", code=end.code))
        elif end.reason == "halted":
            self.exit_code = self.cpu.regs[0]
            self.stopped = Stop("halted", end.detail)
        else:
            self.stopped = Stop(end.reason, end.detail)

    def result(self) -> RunResult:
        cpu = self.cpu
        stop, detail = self.stopped or Stop("running", message("run.still-running"))
        events = dict(cpu.events)
        events["tlb_misses"] = self.mmu.walks
        events["page_walk_refs"] = self.mmu.walk_refs
        events["timer_ticks"] = self.timer.ticks
        events.update(self.nic.stats())
        events.update(self.disk.stats())
        if self.apic.eois:
            events["eois"] = self.apic.eois
        breakdown = cpu.breakdown()
        return RunResult(
            cycles=cpu.cycles, instructions=cpu.instructions, console=self.console.text(),
            exit_code=_signed(self.exit_code), stop=stop, message=str(detail), detail=detail,
            breakdown={k: breakdown.get(k, 0) for k in CATEGORIES}, events=events,
            registers={name: cpu.regs[i] for i, name in enumerate(REGISTERS)} | {"eip": cpu.eip},
        )


def _signed(code: int | None) -> int | None:
    if code is None:
        return None
    return code - (1 << 32) if code & 0x80000000 else code
