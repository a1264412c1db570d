"""Exception and interrupt delivery: the CPU's path from a fault, an `int n` or a due interrupt
to its handler — the hypervisor's say first (`on_exception`), else the IDT: the gate read, the
stack switch and the trap frame (the layout is in docs/isa.md), a fault on the way delivered in
its place, a second one a triple fault. Mixed into CPU, which provides the state it acts on and
the services of actions.py it uses (read_gate, enter_handler).
"""

from __future__ import annotations

from virtquest.emu.faults import CpuFault, MachineStop, _GateDenied
from virtquest.emu.isa import INSTRUCTION_SIZE, M32, MSR_KERNEL_ESP, VEC_GP, VEC_PF, cs_selector
from virtquest.emu.memory import BusError
from virtquest.emu.messages import message
from virtquest.emu.mmu import PageFault


class Delivery:
    """Exceptions and interrupts (mixed into CPU)."""

    def exception(self, vector: int, error: int, return_eip: int, software: bool = False) -> None:
        """Deliver an exception or interrupt: to the hypervisor if it takes it, else the IDT."""
        self.events["exceptions" if vector < 32 else "interrupts"] += 1
        self.block_start = True
        if self.hv_takes_exceptions and self.hv.on_exception(vector, error, return_eip, software):
            return
        if self.trace is not None:
            self.note("exception" if vector < 32 else "interrupt", vector=vector)
        self.deliver(vector, error, return_eip, software)

    def deliver(self, vector: int, error: int, return_eip: int, software: bool = False) -> None:
        """x86-style delivery through the IDT (frame layout in docs/isa.md). A fault while
        delivering is delivered instead; a second one is a triple fault and stops the machine.
        An `int n` that cannot be delivered (a gate its ring may not use, a missing gate, a
        fault on the way) faults at the `int` itself, as on x86."""
        for _attempt in range(2):
            try:
                gate = self.read_gate(self.idtr, vector)
                cpl = self.cpl
                if software and gate.dpl < cpl:
                    raise _GateDenied(vector * 8 + 2)
                # The ring the handler runs in: 0, unless a paravirtual trap table asks for 1.
                target = gate.ring if self.hv.gate_rings else 0
                esp = self.regs[4]
                stack = self.msrs[MSR_KERNEL_ESP] if cpl > target else esp
                self.enter_handler(gate.handler, (esp, self.eflags, cs_selector(cpl), return_eip,
                                                  error),
                                   stack, target if target < cpl else cpl, not gate.trap)
                self.cycles += self.profile.cycles["exception_entry" if software or vector >= 32
                                                   else "fault_entry"]
                return
            except _GateDenied as denied:  # `int n` through a gate the caller may not use
                vector, error = VEC_GP, denied.error
                self.events["exceptions"] += 1
            except PageFault as pf:
                self.cr2, vector, error = pf.vaddr, VEC_PF, pf.error
            except CpuFault as fault:
                vector, error = fault.vector, fault.error
            except BusError:
                vector, error = VEC_GP, 0
            if software:
                return_eip = (return_eip - INSTRUCTION_SIZE) & M32
            software = False
        raise MachineStop("triple-fault", message("run.triple-fault", vector=vector))

    def interrupts_enabled(self) -> bool:
        """Whether a due interrupt is taken now: IF, or a hypervisor's virtual IF."""
        return self.hv.interrupts_enabled()

    def interrupt_deliverable(self) -> bool:
        """A due interrupt: is it taken now? If not, the hypervisor hears that it waits (a VMM
        that must see every physical interrupt exits here, and asks for the window)."""
        if self.hv.interrupts_enabled():
            return True
        self.hv.interrupt_waiting()
        return False

    def take_interrupt(self) -> None:
        """Deliver the interrupt that is due (the controller picks it) before the next
        instruction."""
        self.apic.now = self.cycles - self.hidden
        self.exception(self.apic.fire(), 0, self.eip)

    def recover(self, fault: Exception) -> None:
        """Deliver the fault an instruction at eip raised (eip already points at it)."""
        eip = self.eip
        if isinstance(fault, PageFault):
            self.cr2 = fault.vaddr
            self.events["page_faults"] += 1
            self.exception(VEC_PF, fault.error, eip)
        elif isinstance(fault, CpuFault):
            self.exception(fault.vector, fault.error, eip)
        else:
            self.exception(VEC_GP, 0, eip)
