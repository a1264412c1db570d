"""The CPU's architectural actions: one service for each thing the hardware does beyond an
instruction's arithmetic — deliver an exception through a gate (frame push, stack switch), return
from one, halt, load a control register, read and write MSRs and ports, identify itself.

The instruction definitions call these (`cpu.interrupt_return()`, `cpu.halt()` …, listed in
semantics.SERVICES), and so does every hypervisor: a VMM that emulates `iret` for its guest reads
the frame and resumes with the same services the CPU uses, changing only the policy (which ring,
which flags the guest is shown). Mixed into CPU.
"""

from __future__ import annotations

from typing import NamedTuple

from virtquest.emu.faults import CpuFault, MachineStop
from virtquest.emu.interrupts import APIC_MSRS
from virtquest.emu.isa import (
    CR0_PE,
    CR0_PG,
    CR0_WP,
    FLAGS_ALWAYS_ONE,
    GATE_DPL_SHIFT,
    GATE_PRESENT,
    GATE_RING_SHIFT,
    GATE_TRAP,
    IF,
    M32,
    MSR_TSC,
    VEC_GP,
    WRITABLE_MSRS,
    cs_selector,
)
from virtquest.emu.messages import message
from virtquest.emu.semantics import load_flags

CPU_SIGNATURE = (0x0632, "VQ32", "VQ32", "Virt")   # cpuid leaf 1's eax, leaf 0's vendor words
FRAME_WORDS = 5                                    # esp, eflags, cs, eip, error code


class Gate(NamedTuple):
    """One IDT entry, decoded (the layout is in docs/isa.md)."""

    handler: int
    dpl: int            # the highest CPL allowed to use `int n` on it
    ring: int           # the ring its handler runs in
    trap: bool          # a trap gate leaves IF alone; an interrupt gate clears it


class TrapFrame(NamedTuple):
    """What delivery pushes and iret pops (the error code is dropped by the handler itself)."""

    eip: int
    cs: int
    eflags: int
    esp: int


def check_cr0(value: int) -> None:
    """Paging (PG) needs protected mode (PE): a #GP otherwise, as on x86."""
    if value & CR0_PG and not value & CR0_PE:
        raise CpuFault(VEC_GP)


class Actions:
    """The services (mixed into CPU, which provides the state they act on)."""

    # -- exceptions: gates, frames, returns --------------------------------------------------
    def read_gate(self, idtr: tuple[int, int], vector: int) -> Gate:
        """The gate for `vector` in the table at idtr; a #GP (error 8·v+2) when it is beyond the
        limit or not present, as on x86."""
        base, limit = idtr
        if vector * 8 + 7 > limit:
            raise CpuFault(VEC_GP, vector * 8 + 2)
        both = self.load_words(base + vector * 8, 2, False)
        if both is None:
            handler = self.read32_sup(base + vector * 8)
            flags = self.read32_sup(base + vector * 8 + 4)
        else:
            handler, flags = both
        if not flags & GATE_PRESENT:
            raise CpuFault(VEC_GP, vector * 8 + 2)
        return Gate(handler, (flags >> GATE_DPL_SHIFT) & 3, (flags >> GATE_RING_SHIFT) & 3,
                    bool(flags & GATE_TRAP))

    def enter_handler(self, handler: int, frame: tuple[int, int, int, int, int], stack: int,
                      ring: int, mask_interrupts: bool) -> None:
        """Push the trap frame (old esp, eflags, cs, return eip, error code) below `stack`, then
        run `handler` in `ring` on that stack — with IF cleared for an interrupt gate. The
        frame is written before anything else changes: a fault on the way leaves the CPU as it
        was."""
        # the lowest word first in memory: the frame's last (a frame on one page in the TLB
        # is written at once, as the five writes would leave it)
        if not self.store_words_sup((stack - 4 * len(frame)) & M32, frame[::-1]):
            for k, value in enumerate(frame, start=1):
                self.write32_sup((stack - 4 * k) & M32, value)
        self.regs[4] = (stack - 4 * FRAME_WORDS) & M32
        self.cpl = ring
        if mask_interrupts:
            self.eflags &= ~IF
        self.eip = handler
        self.block_start = True

    def software_interrupt(self, vector: int) -> None:
        """`int n`: deliver vector n through the IDT, returning after the `int`."""
        self.exception(vector, 0, self.eip, software=True)

    def read_trap_frame(self, offset: int = 0) -> TrapFrame:
        """The frame iret pops from esp + offset, all of it read before anything changes, so a
        fault part-way leaves the CPU as it was."""
        esp, read = self.regs[4] + offset, self.read32
        words = self.load_words(esp & M32, 4, self.cpl == 3)
        if words is not None:
            return TrapFrame(*words)
        return TrapFrame(read(esp & M32), read((esp + 4) & M32), read((esp + 8) & M32),
                         read((esp + 12) & M32))

    def return_to(self, frame: TrapFrame, eflags: int, ring: int | None = None) -> None:
        """Resume at the frame's eip and stack in `ring` (the frame's cs ring unless a VMM says
        otherwise) with these flags: the end of every iret."""
        self.eip, self.regs[4] = frame.eip, frame.esp
        self.cpl = frame.cs & 3 if ring is None else ring
        self.eflags = eflags | FLAGS_ALWAYS_ONE
        self.block_start = True

    def interrupt_return(self) -> None:
        """iret, as x86 does it: to the same or an outer ring only (#GP otherwise); outside ring 0
        a change of IF in the popped flags is ignored, silently."""
        frame = self.read_trap_frame()
        if frame.cs & 3 < self.cpl:
            raise CpuFault(VEC_GP, frame.cs & 0xFFFC)
        self.return_to(frame, load_flags(self.eflags, frame.eflags, self.cpl))

    @property
    def cs(self) -> int:
        """The code segment selector: its low two bits are the CPL."""
        return cs_selector(self.cpl)

    # -- waiting ------------------------------------------------------------------------------
    def halt(self, interrupts_on: bool | None = None, message_id: str = "run.cpu-halted") -> None:
        """Wait for the next interrupt: the time until the timer fires passes idle. Nothing can
        wake a CPU whose interrupts are off (IF, or a hypervisor's virtual IF) or whose timer is
        stopped: the machine stops (`message_id`: the message that says so; a hypervisor says whose
        halt it was)."""
        on = bool(self.eflags & IF) if interrupts_on is None else interrupts_on
        if self.apic.next_fire < 0 or not on:
            raise MachineStop("halted", message(message_id))
        if self.apic.next_fire > self.guest_clock:
            self.charge("idle", self.apic.next_fire - self.guest_clock)

    # -- devices ------------------------------------------------------------------------------
    def port_in(self, port: int) -> int:
        self._port_cost(port)
        return self.io.read(port)

    def port_out(self, port: int, value: int) -> None:
        self._port_cost(port)
        self.apic.now = self.guest_clock
        self.io.write(port, value)

    def _port_cost(self, port: int) -> None:
        self.events["port_io"] += 1
        self.charge("device", self.profile[self.io.device(port).cost_key])

    # -- control registers and MSRs -------------------------------------------------------------
    def write_cr(self, n: int, value: int) -> None:
        """Load a control register: cr0 turns paging and write protection on or off, cr3 switches
        the page directory; both flush the TLB."""
        value &= M32
        if n == 0:
            check_cr0(value)
            self.cr0 = value
            self.mmu.enabled = bool(value & CR0_PG)
            self.mmu.write_protect = bool(value & CR0_WP)
            self.mmu.flush()
        elif n == 2:
            self.cr2 = value
        elif n == 3:
            self.cr3 = value
            self.mmu.root = value
            self.mmu.flush()
        else:
            self.cr8 = value & 0xF

    def read_cr(self, n: int) -> int:
        return {0: self.cr0, 2: self.cr2, 3: self.cr3, 8: self.cr8}[n]

    def invlpg(self, vaddr: int) -> None:
        self.mmu.invlpg(vaddr)

    def read_msr(self, index: int) -> int:
        """An MSR's 64-bit value (the cycle counter at MSR_TSC); #GP for one that does not
        exist."""
        if index == MSR_TSC:
            return self.cycles
        if index in APIC_MSRS:
            value = self.apic.read_msr(index)
            if value is None:
                raise CpuFault(VEC_GP)
            return value
        if index not in self.msrs:
            raise CpuFault(VEC_GP)
        return self.msrs[index]

    def write_msr(self, index: int, value: int) -> None:
        if index in APIC_MSRS:              # the local APIC's registers (x2APIC mode)
            self.apic.write_msr(index, value)
            return
        if index not in WRITABLE_MSRS:
            raise CpuFault(VEC_GP)
        self.msrs[index] = value

    def virtual_tsc(self) -> int:
        """The time-stamp counter a hypervisor shows when it virtualizes time: what rdtsc would
        read had the hypervisor's own work (traps, exits, emulation, translation, hypercalls)
        never happened — the guest's clock, plus the page walks and device waits bare hardware
        has too."""
        return self.guest_clock + self.charged["page_walk"] + self.charged["device"]

    def cpuid(self) -> None:
        """Leaf 0: the vendor words; leaf 1: the signature and feature bits, with ecx bit 31 set
        when a hypervisor is present (the bit guests read to know)."""
        leaf, (signature, *vendor) = self.regs[0], CPU_SIGNATURE
        if leaf == 0:
            out = (1, *(int.from_bytes(w.encode("ascii"), "little") for w in vendor))
        elif leaf == 1:
            out = (signature, 0, (1 << 31) if self.hv.present else 0, 0x10 | 0x20)
        else:
            out = (0, 0, 0, 0)
        self.regs[0], self.regs[3], self.regs[1], self.regs[2] = out
