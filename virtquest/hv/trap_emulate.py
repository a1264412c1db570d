"""`trap-emulate` (전가상화, Trap & Emulate): the classic software VMM, step by step as a textbook
draws it. Binary translation and paravirtualization build on it.

1. **Deprivilege.** The guest kernel runs at ring 1. The VMM keeps ring 0, the real interrupt
   flag (always on) and the real descriptor tables; the guest's privileged state — its CPL, IF,
   control registers, IDT — lives in a virtual CPU (vcpu.py).
2. **Trap.** Every exception and interrupt enters the VMM first (`on_exception`). A privileged
   instruction of the guest kernel faults (#GP) at ring 1 and so enters it too.
3. **Emulate.** The VMM decodes the trapping instruction and performs it on the virtual CPU
   (`EMULATE`), charges its work, and resumes the guest after it.
4. **Reflect.** Any other exception, interrupt or system call is delivered into the guest through
   the guest's own (virtual) IDT, with the frame the hardware would have pushed (`reflect`).
5. **Memory.** Paging is shadowed (shadow.py): hidden page faults fill the shadow, writes to the
   guest's page tables trap and are emulated.

What it cannot do on x86: the sensitive-but-unprivileged instructions (pushf, popf, iret, sgdt,
sidt, smsw, mov r, cs) do not trap at ring 1. They run directly and show the guest real state —
an `iret` back to user mode returns without the VMM ever seeing the IF it restores. The VMM
watches them only to record where that happened (sensitive.py); it never changes what they do.
A modified guest may also call it with hypercalls (pvinterface.py).
"""

from __future__ import annotations

from virtquest.emu.actions import Gate
from virtquest.emu.cpu import CpuFault, MachineStop
from virtquest.emu.devices import PORT_CONSOLE
from virtquest.emu.encoding import Instruction
from virtquest.emu.interrupts import APIC_MSRS
from virtquest.emu.isa import (
    CR0_PE,
    CR0_WP,
    FLAGS_WRITABLE,
    IF,
    INSTRUCTION_SIZE,
    M32,
    MSR_KERNEL_ESP,
    MSR_TSC,
    ROWS,
    VEC_GP,
    VEC_PF,
    VEC_SYSCALL,
    WRITABLE_MSRS,
    IClass,
    cs_selector,
)
from virtquest.emu.machine import Machine
from virtquest.emu.memory import BusError
from virtquest.emu.messages import message
from virtquest.emu.mmu import PF_PRESENT, PF_USER, PF_WRITE, PageFault
from virtquest.hv import sensitive
from virtquest.hv.mode import Mode
from virtquest.hv.pvinterface import VMCALL, HypercallError, HypercallInterface
from virtquest.hv.shadow import ShadowPaging
from virtquest.hv.vcpu import VirtualCPU

SENSITIVE = frozenset(row.opcode for row in ROWS if row.iclass is IClass.SENSITIVE)


class GuestTripleFault(MachineStop):
    def __init__(self, vector: int):
        super().__init__("triple-fault", message("run.guest-triple-fault", vector=vector))


class TrapEmulateVMM(HypercallInterface, Mode):
    """Deprivileged guest kernel (ring 1), trap entry for everything, emulation on a virtual CPU,
    reflection through the guest's IDT, shadow paging."""

    id = "trap-emulate"
    title_en = "Full virtualization (trap & emulate)"
    title_ko = "전가상화 (트랩 & 에뮬레이션)"
    kernel_ring = 1
    # The sensitive instructions are watched (they run anyway); vmcall is the hypercall.
    intercepts = SENSITIVE | {VMCALL}

    def __init__(self, machine: Machine, sites: dict[int, str] | None = None):
        super().__init__(machine, sites)
        cpu = self.cpu
        self.vcpu = VirtualCPU(cpl=cpu.cpl, interrupt_flag=bool(cpu.eflags & IF), cr0=cpu.cr0,
                               cr3=cpu.cr3, idtr=cpu.idtr, gdtr=cpu.gdtr, msrs=dict(cpu.msrs))
        cpu.cpl = self.real_ring(self.vcpu.cpl)
        cpu.eflags |= IF                 # the real IF stays on; the guest's lives in the vCPU
        cpu.cr0 = CR0_PE | CR0_WP
        cpu.idtr = cpu.gdtr = (0, 0)     # the VMM's own tables (not the guest's)
        self.shadow = self.make_paging()
        self.in_vmm = False
        self.shared_info: int | None = None   # guest-physical address of a PV guest's event mask
        self.direct_syscalls = False          # a PV trap table lets system calls bypass the VMM
        for address, choice in self.sites.items():
            if choice == "hypervisor":
                cpu.sites[address] = self.on_site

    def make_paging(self) -> ShadowPaging:
        return ShadowPaging(self.cpu, self._hidden_fault)

    def real_ring(self, virtual_cpl: int) -> int:
        return max(virtual_cpl, self.kernel_ring)

    @property
    def vif(self) -> bool:
        """The guest's virtual interrupt flag: in the vCPU, or — once a paravirtual guest has
        registered its shared-info page — the event-mask byte there (0 = events enabled)."""
        if self.shared_info is None:
            return self.vcpu.interrupt_flag
        return self.machine.memory.data[self.shared_info] == 0

    @vif.setter
    def vif(self, value: bool) -> None:
        self.vcpu.interrupt_flag = value
        if self.shared_info is not None:
            self.machine.memory.data[self.shared_info] = 0 if value else 1

    def interrupts_enabled(self) -> bool:
        if self.shared_info is None:           # self.vif, asked often: without the property
            return self.vcpu.interrupt_flag
        return self.machine.memory.data[self.shared_info] == 0

    def mask_in_guest_memory(self) -> bool:
        return self.shared_info is not None

    # -- what the CPU hands the VMM --------------------------------------------------------------
    def entered(self) -> None:
        """At every entry into the VMM: what the hardware says of the guest's mode. A trap, a
        hypercall or a site from ring 3 comes from user mode, even when the VMM never saw the
        iret that went there (at ring 1, iret to ring 3 does not trap)."""
        if self.cpu.cpl > self.kernel_ring:
            self.vcpu.cpl = self.cpu.cpl

    def on_site(self, cpu) -> bool:
        """A learner gave this instruction to the hypervisor: an innocuous one is emulated one
        instruction at a time (correct, but Popek & Goldberg's efficiency is lost); a privileged
        one traps and is emulated anyway. Sensitive ones cannot be seen at ring 1 at all."""
        self.entered()
        ins = self.fetch(cpu.eip)
        if ins is not None and ins.row.mnemonic == "rdtsc":
            return self.trapped_rdtsc(ins)
        if ins is None or ins.row.iclass is not IClass.INNOCUOUS:
            return False
        self.charge_trap()
        cpu.execute_for_vmm(ins)
        cpu.charge("emulation", self.profile["vmm_emulate"])
        cpu.events["emulated"] += 1
        return True

    def trapped_rdtsc(self, ins: Instruction) -> bool:
        """rdtsc given to the hypervisor: it sets cr4.TSD for the guest, so rdtsc outside ring 0
        faults, and answers with virtual time (its own work hidden). Otherwise rdtsc is not
        privileged: at ring 1 it runs and reads the real counter."""
        cpu = self.cpu
        self.charge_trap()
        tsc = cpu.virtual_tsc()
        cpu.eip = (cpu.eip + INSTRUCTION_SIZE) & M32
        cpu.regs[0], cpu.regs[2] = tsc & M32, tsc >> 32 & M32
        cpu.charge("emulation", self.profile["vmm_emulate"])
        cpu.retire_emulated(ins)
        cpu.events["emulated"] += 1
        return True

    def on_instruction(self, ins: Instruction) -> bool:
        self.entered()
        if ins.row.opcode == VMCALL:
            self.hypercall()
            self.cpu.retire(ins)
            return True
        sensitive.watch(self, ins)       # runs it, as the hardware does, and notes what it showed
        return True

    def on_exception(self, vector: int, error: int, return_eip: int, software: bool) -> bool:
        self.entered()
        if software and vector == VEC_SYSCALL and self.direct_syscalls and self.vcpu.cpl == 3 \
                and self.direct_syscall(error, return_eip):
            return True
        if self.in_vmm:
            raise GuestTripleFault(vector)
        self.in_vmm = True
        try:
            self.enter(vector, error, return_eip, software)
        except PageFault as pf:
            self.vcpu.cr2 = pf.vaddr
            self.reflect_second(VEC_PF, pf.error, self._faulted_at(software, return_eip))
        except (CpuFault, BusError) as fault:
            self.reflect_second(getattr(fault, "vector", VEC_GP), getattr(fault, "error", 0),
                                self._faulted_at(software, return_eip))
        finally:
            self.in_vmm = False
        return True

    # -- trap entry --------------------------------------------------------------------------
    def enter(self, vector: int, error: int, return_eip: int, software: bool) -> None:
        """Dispatch one trap: emulate a trapping privileged instruction, handle a fault the VMM
        itself caused (shadow paging), reflect everything else."""
        cpu, v = self.cpu, self.vcpu
        cpu.events["traps"] += 1
        if cpu.trace is not None:
            cpu.note("trap", vector=vector)
        if vector == VEC_GP and not software and v.cpl == 0:
            ins = self.fetch(cpu.eip)
            if ins is not None and ins.row.syntax in EMULATE:
                self.charge_trap()
                self.emulate(ins)
                return
        if vector == VEC_PF and not software and self.handle_page_fault(cpu.cr2, error):
            return
        if vector == VEC_PF:
            v.cr2 = cpu.cr2
            if self.shared_info is not None:    # a paravirtual guest reads it from there
                self.machine.memory.write32(self.shared_info + 4, v.cr2)
        self.charge_trap()
        self.reflect_checked(vector, error, return_eip, software)

    def _faulted_at(self, software: bool, return_eip: int) -> int:
        """Where a fault on the way into the guest happened: the instruction at eip, or for
        `int n` (a missing gate, a table or stack in nothing) the `int` itself, as native
        delivery has it — never the instruction after it."""
        return (return_eip - INSTRUCTION_SIZE) & M32 if software else self.cpu.eip

    def direct_syscall(self, error: int, return_eip: int) -> bool:
        """A registered trap table: the hardware enters the guest kernel without the VMM, through
        the table's trap gate. The table is the guest's memory, so its gate is checked again now
        (still ring 1, callable from ring 3), and any fault while entering goes to the VMM
        instead — never a guest handler at ring 0."""
        cpu = self.cpu
        try:
            gate = cpu.read_gate(cpu.idtr, VEC_SYSCALL)
            if gate.ring != self.kernel_ring or gate.dpl != 3 or not gate.trap:
                return False
            frame = (cpu.regs[4], cpu.eflags, cpu.cs, return_eip, error)
            if cpu.trace is not None:           # as the CPU notes one: before entering
                cpu.note("interrupt", vector=VEC_SYSCALL)
            cpu.enter_handler(gate.handler, frame, cpu.msrs[MSR_KERNEL_ESP], gate.ring, False)
        except (CpuFault, PageFault, BusError):
            return False
        cpu.cycles += self.profile["exception_entry"]
        self.vcpu.cpl = 0
        cpu.events["direct_syscalls"] += 1
        return True

    def charge_trap(self) -> None:
        self.cpu.charge("trap", self.profile["vmm_trap"])

    def fetch(self, eip: int) -> Instruction | None:
        try:
            return self.cpu.fetch(eip)
        except (CpuFault, PageFault, BusError):
            return None

    # -- reflecting into the guest ---------------------------------------------------------
    def reflect_checked(self, vector: int, error: int, return_eip: int, software: bool) -> None:
        """Reflect, with the check the hardware makes on `int n`: a gate whose DPL is below the
        caller's (virtual) CPL gives #GP at the `int` instead."""
        gate = None
        if software:
            try:
                gate = self.cpu.read_gate(self.vcpu.idtr, vector)
            except CpuFault:
                gate = None
            if gate is not None and gate.dpl < self.vcpu.cpl:
                vector, error = VEC_GP, vector * 8 + 2
                return_eip = (return_eip - INSTRUCTION_SIZE) & M32
                gate = None
        # the gate just read is the one reflect would read again (a TLB hit: nothing changes)
        self.reflect(vector, error, return_eip, gate)

    def reflect(self, vector: int, error: int, return_eip: int, gate: Gate | None = None) -> None:
        """Deliver an exception through the guest's virtual IDT, as the hardware would have —
        the frame shows the guest's virtual IF and CPL — with the CPU's own delivery service. A
        missing gate is a #GP (delivered in its place by `reflect_second`), as on bare metal.
        `gate`: the gate for `vector`, when the caller has just read it."""
        cpu, v = self.cpu, self.vcpu
        if gate is None:
            gate = cpu.read_gate(v.idtr, vector)
        shown_flags = (cpu.eflags & ~IF) | (IF if self.vif else 0)
        frame = (cpu.regs[4], shown_flags, cs_selector(v.cpl), return_eip, error)
        stack = v.msrs[MSR_KERNEL_ESP] if v.cpl > 0 else cpu.regs[4]
        cpu.enter_handler(gate.handler, frame, stack, self.real_ring(0), mask_interrupts=False)
        v.cpl, self.vif = 0, False
        # The guest's own share of taking it (its kernel's entry work) is paid as on hardware.
        cpu.cycles += self.profile["fault_entry" if vector < 32 else "exception_entry"]
        cpu.charge("trap", self.profile["vmm_reflect"])
        cpu.events["reflected"] += 1
        if cpu.trace is not None:
            cpu.note("reflect", vector=vector)

    def reflect_second(self, vector: int, error: int, return_eip: int) -> None:
        """A fault while entering the guest's handler is reflected instead; a fault in that too
        is a triple fault, as on the hardware (never an exception escaping into the host)."""
        try:
            self.reflect(vector, error, return_eip)
        except (CpuFault, PageFault, BusError):
            raise GuestTripleFault(vector) from None

    # -- emulating privileged instructions on the virtual CPU ------------------------------
    def emulate(self, ins: Instruction) -> None:
        cpu = self.cpu
        eip = cpu.eip
        cpu.eip = (eip + INSTRUCTION_SIZE) & M32
        try:
            EMULATE[ins.row.syntax](self, ins)
        except (CpuFault, PageFault, BusError):
            cpu.eip = eip                  # a fault: the guest sees it at the instruction
            raise
        cpu.retire_emulated(ins)           # the guest's clock: as if executed
        cpu.charge("emulation", self.profile["vmm_emulate"])
        cpu.events["emulated"] += 1
        if cpu.trace is not None:
            cpu.note("emulate", instruction=ins.text())

    def emulate_cli(self, ins: Instruction) -> None:
        self.vif = False

    def emulate_sti(self, ins: Instruction) -> None:
        self.vif = True

    def emulate_hlt(self, ins: Instruction) -> None:
        self.cpu.halt(self.vif, message_id="run.guest-halted")

    def emulate_in(self, ins: Instruction) -> None:
        self.cpu.regs[ins.a] = self.virtual_in(ins.imm & 0xFFFF)

    def emulate_out(self, ins: Instruction) -> None:
        self.virtual_out(ins.imm & 0xFFFF, self.cpu.regs[ins.a])

    def virtual_in(self, port: int) -> int:
        """The guest's device access, served by the VMM's virtual device model."""
        self.cpu.charge("emulation", self.profile[self.machine.bus.device(port).model_key])
        return self.machine.bus.read(port)

    def virtual_out(self, port: int, value: int) -> None:
        self.cpu.charge("emulation", self.profile[self.machine.bus.device(port).model_key])
        self.machine.apic.now = self.cpu.guest_clock    # a device may start its clock now
        if port == PORT_CONSOLE:          # the output still has to reach the real console
            self.cpu.charge("device", self.profile["port_console"])
        self.machine.bus.write(port, value)

    def emulate_mov_to_cr(self, ins: Instruction) -> None:
        self.write_cr(ins.a, self.cpu.regs[ins.b])

    def emulate_mov_from_cr(self, ins: Instruction) -> None:
        self.cpu.regs[ins.a] = self.vcpu.read_cr(ins.b)

    def write_cr(self, n: int, value: int) -> None:
        """A control register load, on the virtual CPU; paging turned on or off, or a new page
        directory, changes which shadow the hardware walks."""
        v = self.vcpu
        value &= M32
        if n == 0:
            self.shadow.load_cr0(v.cr0, value, v.cr3)   # may #GP, as the hardware would
            v.cr0 = value
        elif n == 2:
            v.cr2 = value
        elif n == 3:
            v.cr3 = value
            self.shadow.load_cr3(value, v.paging)
        else:
            v.cr8 = value & 0xF

    def emulate_lidt(self, ins: Instruction) -> None:
        ea = self.cpu.ea(ins)
        self.vcpu.idtr = (self.cpu.read32(ea), self.cpu.read32((ea + 4) & M32))

    def emulate_lgdt(self, ins: Instruction) -> None:
        ea = self.cpu.ea(ins)
        self.vcpu.gdtr = (self.cpu.read32(ea), self.cpu.read32((ea + 4) & M32))

    def emulate_invlpg(self, ins: Instruction) -> None:
        self.pv_invlpg(self.cpu.ea(ins))

    def emulate_iret(self, ins: Instruction) -> None:
        """An iret that trapped (back into the guest kernel, whose frame shows ring 0 while the
        CPU is at ring 1), or that a translator handed over: done on the virtual CPU."""
        self.virtual_iret(self.cpu.read_trap_frame())

    def virtual_iret(self, frame) -> None:
        """Return to the frame's ring and code; the guest's IF comes back from the frame."""
        cpu, v = self.cpu, self.vcpu
        if frame.cs & 3 < v.cpl:
            raise CpuFault(VEC_GP, frame.cs & 0xFFFC)
        v.cpl, self.vif = frame.cs & 3, bool(frame.eflags & IF)
        cpu.return_to(frame, (frame.eflags & FLAGS_WRITABLE & ~IF) | IF, self.real_ring(v.cpl))

    def emulate_rdmsr(self, ins: Instruction) -> None:
        cpu, index = self.cpu, self.cpu.regs[1]
        if index == MSR_TSC:
            value = cpu.cycles
        elif index in APIC_MSRS:          # the VMM's emulated local APIC
            value = self.machine.apic.read_msr(index)
            if value is None:
                raise CpuFault(VEC_GP)
        elif index in self.vcpu.msrs:
            value = self.vcpu.msrs[index]
        else:
            raise CpuFault(VEC_GP)
        cpu.regs[0], cpu.regs[2] = value & M32, (value >> 32) & M32

    def emulate_wrmsr(self, ins: Instruction) -> None:
        cpu, index = self.cpu, self.cpu.regs[1]
        if index in APIC_MSRS:            # an EOI or the APIC's enable: the emulated APIC
            self.machine.apic.write_msr(index, cpu.regs[0] | (cpu.regs[2] << 32))
            return
        if index not in WRITABLE_MSRS:
            raise CpuFault(VEC_GP)
        self.vcpu.msrs[index] = cpu.regs[0] | (cpu.regs[2] << 32)

    # -- paging ------------------------------------------------------------------------------
    def _hidden_fault(self) -> None:
        if self.cpu.trace is not None:
            self.cpu.note("hidden_fault")
        self.cpu.charge("trap", self.profile["vmm_trap"])
        self.cpu.charge("emulation", self.profile["shadow_fill"])

    def handle_page_fault(self, vaddr: int, error: int) -> bool:
        """A write into a traced guest page table: emulate it and keep the shadow coherent."""
        if not self.vcpu.paging or error & (PF_PRESENT | PF_WRITE) != PF_PRESENT | PF_WRITE:
            return False
        if not self.shadow.is_traced_address(vaddr):
            return False
        if not self.shadow.guest_allows_write(vaddr, bool(error & PF_USER)):
            return False                                # the guest's own tables forbid it
        self.charge_trap()
        self.shadow.emulate_store(vaddr)
        self.cpu.charge("emulation", self.profile["shadow_update"])
        return True

    # -- the hypercall interface's operations (pvinterface.py) --------------------------------
    def pv_enter(self) -> None:
        self.cpu.charge("hypercall", self.profile["hypercall"])

    def pv_kernel_mode(self) -> bool:
        return self.vcpu.cpl == 0

    def pv_set_trap_table(self, base: int, limit: int) -> None:
        self.vcpu.idtr = (base, limit)
        self.cpu.idtr = (base, limit)      # the hardware may now dispatch system calls itself
        try:
            gate = self.cpu.read_gate((base, limit), VEC_SYSCALL)
        except (CpuFault, PageFault, BusError):
            gate = None
        self.direct_syscalls = gate is not None and gate.ring == self.kernel_ring and gate.trap

    def pv_stack(self, esp: int) -> None:
        self.vcpu.msrs[MSR_KERNEL_ESP] = esp
        self.cpu.msrs[MSR_KERNEL_ESP] = esp

    def pv_shared_info(self, paddr: int) -> None:
        flag = self.vif
        self.shared_info = paddr
        self.vif = flag

    def pv_pte_written(self, pte_addr: int, old: int) -> None:
        self.shadow.pte_written(pte_addr, old)

    def pv_load_cr3(self, cr3: int) -> None:
        self.write_cr(3, cr3)

    def pv_invlpg(self, vaddr: int) -> None:
        self.shadow.invlpg(vaddr)
        self.cpu.invlpg(vaddr)

    def pv_block(self) -> None:
        self.vif = True
        self.cpu.halt(True, message_id="run.guest-blocked")

    def pv_iret(self) -> None:
        saved_eax = self.cpu.read32(self.cpu.regs[4])
        frame = self.cpu.read_trap_frame(offset=4)
        try:
            self.virtual_iret(frame)
        except CpuFault as fault:
            raise HypercallError(message("refusal.iret-inward")) from fault
        self.cpu.regs[0] = saved_eax


# What the VMM emulates when the guest kernel's instruction traps, by form: every privileged
# one, and iret (it traps when its frame returns to ring 0, which the CPU, at ring 1, refuses).
EMULATE = {"cli": TrapEmulateVMM.emulate_cli, "sti": TrapEmulateVMM.emulate_sti,
           "hlt": TrapEmulateVMM.emulate_hlt, "in r, imm": TrapEmulateVMM.emulate_in,
           "out imm, r": TrapEmulateVMM.emulate_out,
           "mov crN, r": TrapEmulateVMM.emulate_mov_to_cr,
           "mov r, crN": TrapEmulateVMM.emulate_mov_from_cr,
           "lidt [m]": TrapEmulateVMM.emulate_lidt, "lgdt [m]": TrapEmulateVMM.emulate_lgdt,
           "invlpg [m]": TrapEmulateVMM.emulate_invlpg, "iret": TrapEmulateVMM.emulate_iret,
           "rdmsr": TrapEmulateVMM.emulate_rdmsr, "wrmsr": TrapEmulateVMM.emulate_wrmsr}
assert {r.syntax for r in ROWS if r.iclass is IClass.PRIVILEGED} <= set(EMULATE)
