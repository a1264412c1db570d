"""The interrupt controller: VQ32's local APIC, programmed through x2APIC-style MSRs.

Devices that raise interrupts (the timer, the network card's receive line) are *sources*: each
has a vector and the time, on the guest's clock, when it next falls due. The controller tells the
CPU when the earliest one is due (`next_fire`, read between instructions by the run loop and the
fast path) and which vector to deliver (`fire`).

Until the guest enables its APIC (bit 8 of the spurious-interrupt vector register, MSR 0x80F, as
on x86), interrupts are acknowledged as they are delivered, as the old programs expect. Once it
is enabled, a delivered vector stays *in service* and no other interrupt is delivered until the
guest writes the EOI register (MSR 0x80B): the write every interrupt handler ends with, and the
one a hypervisor without APIC virtualization must intercept (docs/modes.md). VQ32 keeps one vector
in service at a time and has no priorities beyond "earliest due first"; x86's APIC has sixteen
priority classes and nests higher ones (docs/isa.md says so).
"""

from __future__ import annotations

MSR_APIC_EOI = 0x80B        # x2APIC end-of-interrupt register (write only)
MSR_APIC_SVR = 0x80F        # x2APIC spurious-interrupt vector register; bit 8 enables the APIC
APIC_MSRS = frozenset({MSR_APIC_EOI, MSR_APIC_SVR})
SVR_ENABLE = 1 << 8


class Source:
    """Something that raises one vector on a schedule of the guest's clock."""

    vector = 32

    def __init__(self) -> None:
        self.due = -1            # guest-clock time it next falls due, -1 when quiet
        self.raised = 0          # interrupts it has delivered
        self.controller: InterruptController | None = None

    def fired(self, now: int) -> None:
        """Its interrupt was delivered at `now`: schedule the next one."""
        self.raised += 1
        self.due = -1

    def changed(self) -> None:
        if self.controller is not None:
            self.controller.update()


class InterruptController:
    """The sources, the vector in service and the earliest due time (`next_fire`, -1: none
    deliverable)."""

    def __init__(self) -> None:
        self.sources: list[Source] = []
        self.now = 0                  # the guest clock, set by the CPU before each device access
        self.next_fire = -1
        self.svr = 0xFF               # x86's reset value: vector 0xFF, APIC software-disabled
        self.in_service: int | None = None
        self.eois = 0

    @property
    def enabled(self) -> bool:
        return bool(self.svr & SVR_ENABLE)

    def add(self, source: Source) -> None:
        source.controller = self
        self.sources.append(source)
        self.update()

    def update(self) -> None:
        """Recompute when the next interrupt can be delivered."""
        if self.in_service is not None:
            self.next_fire = -1
            return
        due = [s.due for s in self.sources if s.due >= 0]
        self.next_fire = min(due) if due else -1

    def pending(self) -> int | None:
        """The vector of a source that has fallen due, even while one is in service."""
        now_due = [s for s in self.sources if 0 <= s.due <= self.now]
        return min(now_due, key=lambda s: (s.due, -s.vector)).vector if now_due else None

    def fire(self) -> int:
        """Deliver the earliest due interrupt: its vector; with the APIC enabled it stays in
        service until the guest's EOI."""
        source = min((s for s in self.sources if s.due >= 0), key=lambda s: (s.due, -s.vector))
        source.fired(self.now)
        if self.enabled:
            self.in_service = source.vector
        self.update()
        return source.vector

    def eoi(self) -> None:
        """End of interrupt: the vector in service is done; the next due one may come."""
        self.eois += 1
        self.in_service = None
        self.update()

    def write_msr(self, index: int, value: int) -> None:
        if index == MSR_APIC_EOI:
            self.eoi()
        elif index == MSR_APIC_SVR:
            self.svr = value & 0x1FF
            if not self.enabled:
                self.in_service = None
            self.update()

    def read_msr(self, index: int) -> int | None:
        """The register's value, or None for one that cannot be read (EOI is write only)."""
        return self.svr if index == MSR_APIC_SVR else None
