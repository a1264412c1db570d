"""The seam between the CPU and whatever runs beneath the guest: one object, registered once.

The CPU knows nothing of virtualization modes. It asks the `Hypervisor` attached to it (bare
hardware by default: the base class, which takes nothing) at a few documented moments, and the
hypervisor answers with *policy* — what it takes over, what that costs, what the guest is shown —
using the CPU's own services for the *mechanism* (delivering an exception, returning from one,
halting, loading a control register, running an instruction). A mode subclasses this and sets its
state up in `__init__`; `CPU.attach` registers it.

What the CPU asks, and when:

- `on_exception` — every exception and interrupt, before the IDT: a VMM's trap entry.
- `on_instruction` — an instruction whose form is in `intercepts`, after the privilege check and
  instead of running it: VM-exit controls, `vmcall`, a watch on the sensitive instructions.
- `on_site` — an instruction at an address in `cpu.sites` (a learner's per-site choice, a
  translated instruction), before it runs.
- `on_block` — the start of every basic block in `translated_rings` (a binary translator), with
  `block_hit` / `repeated_block` so compiled loops can ask whether the calls would only count.
- `interrupts_enabled` — whether a due interrupt is taken now (a virtual interrupt flag), and
  `mask_in_guest_memory` — whether a plain store of the guest can change that.
- `interrupt_waiting` — a due interrupt is not taken now (the guest masked interrupts): a VMM
  that sees every physical interrupt hears of it here, at the moment it arrives, if
  `sees_masked_interrupts` is set (compiled code then stops where it falls due).
- `on_code_written` — a page the hypervisor watches whole (`memory.watch_page`) was written.

And three settings: `present` (cpuid's hypervisor bit), `gate_rings` (whether an IDT gate's ring
field is honoured; under hardware assist a paravirtual kernel's ring-1 gates enter ring 0), and
`intercepts` / `translated_rings` above.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from virtquest.emu.isa import IF

if TYPE_CHECKING:  # pragma: no cover - annotations only
    from virtquest.emu.cpu import CPU
    from virtquest.emu.encoding import Instruction


class Hypervisor:
    """Bare hardware: nothing intercepted, every question answered the way the CPU alone would."""

    present = False                                # cpuid leaf 1, ecx bit 31
    gate_rings = True                              # honour an IDT gate's ring field
    intercepts: frozenset[int] = frozenset()       # opcodes that go to on_instruction
    translated_rings: frozenset[int] = frozenset()  # rings whose blocks go to on_block

    cpu: CPU

    def bind(self, cpu: CPU) -> None:
        """Called once by CPU.attach."""
        self.cpu = cpu

    def on_exception(self, vector: int, error: int, return_eip: int, software: bool) -> bool:
        """An exception or interrupt is about to be delivered (return_eip: where the handler's
        iret would go). True: the hypervisor handled it, the IDT is not used."""
        return False

    def on_instruction(self, ins: Instruction) -> bool:
        """An intercepted instruction is about to run (eip already points past it). True: the
        hypervisor did its work and its accounting (`cpu.execute`, `cpu.retire_emulated`); False:
        the CPU runs it as usual."""
        return False

    def on_site(self, cpu: CPU) -> bool:
        """The instruction at cpu.eip, an address in cpu.sites, is about to run. True: the
        hypervisor ran it (eip moved on); False: the CPU runs it."""
        return False

    def on_block(self, eip: int) -> None:
        """A basic block starts at eip, in one of translated_rings."""

    def block_hit(self, eip: int) -> bool:
        """For compiled code: if on_block(eip) would only count a hit, count it and say True."""
        return False

    def repeated_block(self, eip: int) -> Callable[[int], None] | None:
        """For compiled loops: a function that accounts n more on_block(eip) calls at once, if
        each would only count a hit; else None."""
        return None

    def interrupts_enabled(self) -> bool:
        """Whether a due interrupt is taken now."""
        return bool(self.cpu.eflags & IF)

    def interrupt_waiting(self) -> None:
        """A due interrupt waits because interrupts are masked (called at every check while it
        waits, so a VMM counts an arrival once). Bare hardware just keeps it pending."""

    def sees_masked_interrupts(self) -> bool:
        """Whether `interrupt_waiting` must be called at the moment a masked interrupt falls due
        (True while the hypervisor has not yet heard of the one due next)."""
        return False

    def mask_in_guest_memory(self) -> bool:
        """Whether an ordinary store of the guest can change `interrupts_enabled` (a paravirtual
        event mask in a shared page). Compiled code is then kept away from a due interrupt;
        otherwise it may run while interrupts are masked, since only the instructions that end a
        block (cli, sti, popf, iret …) can unmask them."""
        return False

    def on_code_written(self, ppn: int) -> None:
        """A page watched whole (memory.watch_page) was written."""
