"""What every virtualization mode is — a Hypervisor (the CPU's one seam, emu/hypervisor.py) made
for one machine — and what one run under a mode reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from virtquest.emu.hypervisor import Hypervisor
from virtquest.emu.machine import Machine, RunResult
from virtquest.emu.messages import Message
from virtquest.hv.virtio import VirtioNet


class Mode(Hypervisor):
    """A way of running the guest: bare hardware, or a hypervisor of some kind.

    A mode is made for one freshly loaded machine, before its first instruction: `__init__` sets
    up everything it needs (its virtual CPU, shadow structures, the sites it watches), and
    `registry.create` attaches it to the machine. `sites` maps the address of an instruction to
    a learner's choice for it, "cpu" or "hypervisor" (a "guest" choice changes the guest's code
    itself, so it arrives as a build define instead); each mode applies the choice matrix
    (docs/curriculum.md) in its own way.
    """

    id: ClassVar[str]
    title_en: ClassVar[str]
    title_ko: ClassVar[str]
    guest_defines: ClassVar[dict[str, int]] = {}   # how the guest is built for this mode

    def __init__(self, machine: Machine, sites: dict[int, str] | None = None):
        self.machine, self.cpu, self.profile = machine, machine.cpu, machine.cpu.profile
        self.sites = dict(sites or {})
        if self.id != "native":             # every hypervisor offers a virtio network device
            self.virtio = VirtioNet(machine)


@dataclass
class ModeRun:
    """One run under one mode, with its verdicts against the native run."""

    mode: str
    result: RunResult
    overhead: float
    equivalent: bool
    contained: bool
    violations: list[Message] = field(default_factory=list)   # what broke containment
    # where the x86 holes showed: {"eip", "instruction", "how": a Message}
    divergences: list[dict] = field(default_factory=list)
    refusals: list[Message] = field(default_factory=list)     # what the VMM caught and refused
    # on a host of several guests (hv/hostrun.py): per-guest results, the host's memory and a
    # migration's rounds; None for a run of one guest alone
    host: dict | None = None

    def to_json(self) -> dict:
        r = self.result
        return {
            "mode": self.mode, "cycles": r.cycles, "instructions": r.instructions,
            "overhead": round(self.overhead, 4), "equivalent": self.equivalent,
            "contained": self.contained, "exit_code": r.exit_code, "console": r.console,
            "stop": r.stop, "message": r.message, "breakdown": r.breakdown, "events": r.events,
            "violations": [str(v) for v in self.violations],
            "divergences": [d | {"how": str(d["how"])} for d in self.divergences],
            "refusals": [str(r) for r in self.refusals],
        } | ({"host": self.host} if self.host is not None else {})
