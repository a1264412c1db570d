"""The step debugger's model: one guest under one mode; step back is reset and replay."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from virtquest.emu.boot import Guest
from virtquest.emu.costs import CostProfile
from virtquest.emu.isa import CF, IF, OF, REGISTERS, SF, ZF
from virtquest.emu.machine import Stop
from virtquest.emu.memory import PAGE_SHIFT
from virtquest.emu.mmu import Mapping
from virtquest.game.timeline_model import ENTRY_LABELS, SourceLine, Timeline
from virtquest.hv.runner import load_for_mode

CHUNK = 512                      # steps between looks at the cancel flag
RUN_BUDGET = 20_000_000          # cycles one press of Run may spend before it pauses
FLAG_BITS = (("CF", CF), ("ZF", ZF), ("SF", SF), ("IF", IF), ("OF", OF))
MAX_MAPPINGS = 512


@dataclass(frozen=True)
class CpuState:
    """What the register panel shows, copied out of the machine."""

    registers: dict[str, int]
    eip: int
    eflags: int
    cpl: int
    control: dict[str, int]
    cycles: int
    instructions: int
    steps: int
    stop: Stop | None                 # how the run ended, once it has

    @property
    def flags(self) -> dict[str, bool]:
        return {name: bool(self.eflags & bit) for name, bit in FLAG_BITS}


@dataclass(frozen=True)
class VcpuState:
    """The virtual CPU a software VMM keeps for the guest (what the guest believes it has)."""

    cpl: int
    interrupt_flag: bool
    control: dict[str, int]
    idtr: tuple[int, int]


class Stepper:
    """One guest, one mode, one program; step, run, pause, reset, step back."""

    def __init__(self, source: str, mode: str = "native", *, file: str = "<source>",
                 profile: CostProfile, defines: dict[str, int] | None = None,
                 choices: dict[str, str] | None = None):
        self.source, self.mode, self.file = source, mode, file
        self.profile = profile
        self.defines = dict(defines or {})
        self.choices = dict(choices or {})
        self.guest = self._load()
        self.steps = 0

    # -- loading -------------------------------------------------------------------------
    def _load(self) -> Guest:
        return load_for_mode(self.source, self.mode, file=self.file, profile=self.profile,
                             defines=self.defines, choices=self.choices)

    def reset(self) -> None:
        self.guest = self._load()
        self.steps = 0

    @property
    def machine(self):
        return self.guest.machine

    @property
    def entry(self) -> int | None:
        """Where the program's own code starts (after the mini-OS has booted)."""
        program = self.guest.program
        return next((program.symbols[n] for n in ENTRY_LABELS if n in program.labels), None)

    @property
    def stopped(self) -> tuple[str, str] | None:
        return self.machine.stopped

    # -- moving --------------------------------------------------------------------------
    def step(self, count: int = 1) -> int:
        """Up to `count` steps; how many were taken (fewer once the machine stops)."""
        machine, taken = self.machine, 0
        while taken < count and not machine.stopped:
            machine.step()
            taken += 1
        self.steps += taken
        return taken

    def run(self, cancel: Callable[[], bool] | None = None, *,
            breakpoints: Iterable[int] = (), budget: int = RUN_BUDGET) -> str:
        """Step until the machine stops ("stopped"), an address in `breakpoints` is next
        ("breakpoint"), `cancel()` ("paused") or `budget` cycles pass ("budget")."""
        machine, cpu = self.machine, self.machine.cpu
        stops = frozenset(breakpoints)
        limit = cpu.cycles + budget
        while not machine.stopped:
            for _ in range(CHUNK):
                machine.step()
                self.steps += 1
                if machine.stopped:
                    return "stopped"
                if cpu.eip in stops:
                    return "breakpoint"
            if cancel is not None and cancel():
                return "paused"
            if cpu.cycles >= limit:
                return "budget"
        return "stopped"

    def run_to_entry(self, cancel: Callable[[], bool] | None = None) -> str:
        """Run until the program's first instruction (through the mini-OS boot)."""
        entry = self.entry
        if entry is None or self.machine.cpu.eip == entry:
            return "breakpoint"
        return self.run(cancel, breakpoints=[entry])

    def step_back(self, cancel: Callable[[], bool] | None = None) -> bool:
        """Back one step: replay all steps but the last on a fresh machine."""
        if self.steps == 0:
            return False
        return self.goto(self.steps - 1, cancel)

    def goto(self, steps: int, cancel: Callable[[], bool] | None = None) -> bool:
        """Replay from reset to exactly `steps` steps; False (and nothing changed) if cancelled."""
        guest = self._load()
        machine, done = guest.machine, 0
        while done < steps and not machine.stopped:
            for _ in range(min(CHUNK, steps - done)):
                machine.step()
                done += 1
            if cancel is not None and cancel():
                return False
        self.guest, self.steps = guest, done
        return True

    # -- looking -------------------------------------------------------------------------
    def state(self) -> CpuState:
        cpu = self.machine.cpu
        return CpuState(
            registers={name: cpu.regs[i] for i, name in enumerate(REGISTERS)},
            eip=cpu.eip, eflags=cpu.eflags, cpl=cpu.cpl,
            control={"cr0": cpu.cr0, "cr2": cpu.cr2, "cr3": cpu.cr3, "cr8": cpu.cr8},
            cycles=cpu.cycles, instructions=cpu.instructions, steps=self.steps,
            stop=self.machine.stopped)

    def vcpu(self) -> VcpuState | None:
        """The attached VMM's virtual CPU, when the mode keeps one."""
        vmm = getattr(self.machine, "vmm", None)
        vcpu = getattr(vmm, "vcpu", None)
        if vcpu is None:
            return None
        interrupt_flag = bool(getattr(vmm, "vif", vcpu.interrupt_flag))
        return VcpuState(vcpu.cpl, interrupt_flag,
                         {"cr0": vcpu.cr0, "cr2": vcpu.cr2, "cr3": vcpu.cr3, "cr8": vcpu.cr8},
                         vcpu.idtr)

    def vmcs(self) -> dict[str, object] | None:
        """The VMCS exit controls and counters, under hardware assist."""
        vmcs = getattr(getattr(self.machine, "vmm", None), "vmcs", None)
        if vmcs is None:
            return None
        return {name: getattr(vmcs, name) for name in (
            "ept", "io_exiting", "hlt_exiting", "cr3_load_exiting", "invlpg_exiting",
            "page_fault_exiting", "tpr_shadow", "reads", "writes")}

    def page_tables(self) -> list[Mapping]:
        """The mappings under the page directory the guest loaded (cr3 as the guest sees it)."""
        machine = self.machine
        cpu, vcpu = machine.cpu, self.vcpu()
        paging = (vcpu.control["cr0"] if vcpu else cpu.cr0) & 0x80000000
        if not paging:
            return []
        root = vcpu.control["cr3"] if vcpu else cpu.cr3
        return machine.mmu.mappings(root, limit=MAX_MAPPINGS)

    def shadow_entries(self) -> list[Mapping] | None:
        """What the hardware really walks under shadow paging: the VMM's filled entries."""
        shadow = getattr(getattr(self.machine, "vmm", None), "shadow", None)
        current = getattr(shadow, "current", None)
        if current is None:
            return None
        return [Mapping(vpn << PAGE_SHIFT, e.frame, e.writable, e.user, True, e.dirty)
                for vpn, e in sorted(current.items())[:MAX_MAPPINGS]]

    def source_line(self, address: int) -> SourceLine | None:
        return Timeline(self.mode, [], self.guest.program, self.guest.kernel).source_line(address)
