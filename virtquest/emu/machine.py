"""A whole VQ32 machine (RAM, MMU, CPU, devices) and one run of it, with its result.

The run loop checks the timer between instructions and the cycle budget every few hundred
instructions, so a runaway guest always stops with a clear message; a caller may cancel.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from virtquest.emu.asm import Program
from virtquest.emu.costs import CATEGORIES, CostProfile
from virtquest.emu.cpu import CPU, MachineStop
from virtquest.emu.devices import PowerOff, standard_bus
from virtquest.emu.errors import MachineError
from virtquest.emu.fastpath import FastPath
from virtquest.emu.isa import REGISTERS
from virtquest.emu.memory import PhysicalMemory
from virtquest.emu.mmu import MMU

DEFAULT_BUDGET = 50_000_000   # cycles
CHECK_EVERY = 256             # steps (or runs of compiled blocks) between cancel checks
SLICE = 1_000_000             # and at most about this many cycles (compiled loops run long)


@dataclass
class RunResult:
    """What one run produced: the numbers SPEC §5 reports, and how it ended."""

    cycles: int
    instructions: int
    console: str
    exit_code: int | None
    stop: str        # "exit" | "halted" | "budget" | "cancelled" | "triple-fault"
    message: str
    breakdown: dict[str, int]
    events: dict[str, int]
    registers: dict[str, int] = field(default_factory=dict)

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
        self.bus, self.console, self.timer = standard_bus()
        self.cpu = CPU(self.memory, self.mmu, self.bus, self.timer, profile)
        self.profile = profile
        # Compiled blocks of innocuous code; None runs the reference interpreter alone.
        self.fastpath = FastPath(self.cpu) if fast else None
        self.exit_code: int | None = None
        self.stopped: tuple[str, str] | None = None
        # Every touch of real privileged state or a real device the guest was not given.
        self.violations: list[str] = []
        # What a hypervisor refused the guest (caught, so the guest stayed contained).
        self.refusals: list[str] = []
        self.divergences: list[dict] = []   # where a sensitive instruction showed real state

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
        if 0 <= cpu.timer.next_fire <= cpu.cycles - cpu.hidden and cpu.interrupts_enabled():
            cpu.take_timer_interrupt()
        cpu.step()

    def run(self, budget: int = DEFAULT_BUDGET,
            cancel: Callable[[], bool] | None = None) -> RunResult:
        """Run until the guest ends, the budget of cycles is spent, or `cancel()` says so."""
        cpu, limit = self.cpu, self.cpu.cycles + budget
        fast, timer, step = self.fastpath, self.timer, cpu.step
        try:
            while not self.stopped:
                until = min(limit, cpu.cycles + SLICE)
                for _ in range(CHECK_EVERY):
                    if cpu.cycles >= until:
                        break
                    if 0 <= timer.next_fire <= cpu.cycles - cpu.hidden and \
                            cpu.interrupts_enabled():
                        cpu.take_timer_interrupt()
                        step()
                    elif fast is None or not fast.try_run(until):
                        step()
                if cpu.cycles >= limit:
                    self.stopped = ("budget", f"stopped after {cpu.cycles:,} cycles: the guest "
                                    f"did not finish within its budget of {budget:,} cycles "
                                    "(an endless loop?)")
                elif cancel is not None and cancel():
                    self.stopped = ("cancelled", "the run was cancelled")
        except (PowerOff, MachineStop) as end:
            self._end(end)
        return self.result()

    def _end(self, end: Exception) -> None:
        if isinstance(end, PowerOff):
            self.exit_code = end.code
            self.stopped = ("exit", f"the guest powered off with exit code {end.code}")
        elif end.reason == "halted":
            self.exit_code = self.cpu.regs[0]
            self.stopped = ("halted", end.message)
        else:
            self.stopped = (end.reason, end.message)

    def result(self) -> RunResult:
        cpu = self.cpu
        stop, message = self.stopped or ("running", "the guest is still running")
        events = dict(cpu.events)
        events["tlb_misses"] = self.mmu.walks
        events["page_walk_refs"] = self.mmu.walk_refs
        events["timer_ticks"] = self.timer.ticks
        breakdown = cpu.breakdown()
        return RunResult(
            cycles=cpu.cycles, instructions=cpu.instructions, console=self.console.text(),
            exit_code=_signed(self.exit_code), stop=stop, message=message,
            breakdown={k: breakdown.get(k, 0) for k in CATEGORIES}, events=events,
            registers={name: cpu.regs[i] for i, name in enumerate(REGISTERS)} | {"eip": cpu.eip},
        )


def _signed(code: int | None) -> int | None:
    if code is None:
        return None
    return code - (1 << 32) if code & 0x80000000 else code
