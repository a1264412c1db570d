"""A software VMM in the classic style: the guest kernel is deprivileged to ring 1, every trap and
interrupt enters the VMM first, privileged instructions are emulated on the virtual CPU, and
exceptions are reflected into the guest through its own (virtual) IDT. Paging is shadowed.

Trap & emulate is exactly this; binary translation and paravirtualization build on it.
"""

from __future__ import annotations

from virtquest.emu.cpu import CPU, CpuFault, MachineStop
from virtquest.emu.devices import PORT_CONSOLE, PORT_TIMER
from virtquest.emu.encoding import Instruction
from virtquest.emu.isa import (
    FLAGS_ALWAYS_ONE,
    FLAGS_WRITABLE,
    IF,
    INSTRUCTION_SIZE,
    MSR_KERNEL_ESP,
    MSR_TSC,
    VEC_GP,
    VEC_PF,
    VEC_SYSCALL,
    IClass,
    cs_selector,
)
from virtquest.emu.machine import Machine
from virtquest.emu.memory import BusError
from virtquest.emu.mmu import PF_PRESENT, PF_USER, PF_WRITE, PageFault
from virtquest.hv.pvinterface import HypercallError, HypercallInterface
from virtquest.hv.shadow import ShadowPaging
from virtquest.hv.vcpu import VirtualCPU

M32 = 0xFFFFFFFF
CR0_PE, CR0_WP, CR0_PG = 1, 1 << 16, 1 << 31
WRITABLE_MSRS = frozenset({0x174, MSR_KERNEL_ESP, 0x176})


class GuestTripleFault(MachineStop):
    def __init__(self, vector: int):
        super().__init__("triple-fault", f"the guest's IDT could not deliver vector {vector} "
                                         "(a triple fault in the virtual machine)")


class SoftwareVMM(HypercallInterface):
    """Deprivileged guest kernel (ring 1), trap entry for everything, shadow paging; a modified
    guest may also call it with hypercalls."""

    id = "software-vmm"
    title_en = title_ko = "software VMM"
    kernel_ring = 1

    # -- attaching ---------------------------------------------------------------------------
    def attach(self, machine: Machine, sites: dict[int, str] | None = None) -> None:
        cpu = machine.cpu
        self.machine, self.cpu, self.profile = machine, cpu, cpu.profile
        self.vcpu = VirtualCPU(cpl=cpu.cpl, interrupt_flag=bool(cpu.eflags & IF), cr0=cpu.cr0,
                               cr3=cpu.cr3, idtr=cpu.idtr, gdtr=cpu.gdtr, msrs=dict(cpu.msrs))
        cpu.cpl = self.real_ring(self.vcpu.cpl)
        cpu.eflags |= IF                 # the real IF stays on; the guest's lives in the vCPU
        cpu.cr0 = CR0_PE | CR0_WP
        cpu.idtr = cpu.gdtr = (0, 0)     # the VMM's own tables (not the guest's)
        cpu.exception_hook = self.on_exception
        cpu.irq_gate = lambda: self.vif
        self.shadow = self.make_paging()
        self._in_vmm = False
        self.shared_info: int | None = None          # guest-physical address of the event mask
        self.direct_syscalls = False
        self.install_hypercalls()
        self._watch_sensitive()
        self.sites = dict(sites or {})
        for address, choice in self.sites.items():
            if choice == "hypervisor":
                cpu.exec_hooks[address] = self.intercept_site
        machine.vmm = self

    def make_paging(self) -> ShadowPaging:
        return ShadowPaging(self.cpu, self._hidden_fault)

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

    def real_ring(self, virtual_cpl: int) -> int:
        return max(virtual_cpl, self.kernel_ring)

    def intercept_site(self, cpu: CPU) -> bool:
        """A learner gave this instruction to the hypervisor: an innocuous one is emulated one
        instruction at a time (correct, but Popek & Goldberg's efficiency is lost); a privileged
        one traps and is emulated anyway. Sensitive ones cannot be seen at ring 1 at all."""
        ins = self.fetch(cpu.eip)
        if ins is None or ins.row.iclass is not IClass.INNOCUOUS:
            return False
        self.charge_trap()
        cpu.execute_for_vmm(ins)
        cpu.charge("emulation", self.profile["vmm_emulate"])
        cpu.events["emulated"] += 1
        return True

    # -- trap entry ----------------------------------------------------------------------------
    def on_exception(self, cpu: CPU, vector: int, error: int, return_eip: int,
                     software: bool) -> bool:
        if software and vector == VEC_SYSCALL and self.direct_syscalls and self.vcpu.cpl == 3 \
                and self.direct_syscall(error, return_eip):
            return True
        if self._in_vmm:
            raise GuestTripleFault(vector)
        self._in_vmm = True
        try:
            self.enter(vector, error, return_eip, software)
        except PageFault as pf:
            self.vcpu.cr2 = pf.vaddr
            self.reflect_second(VEC_PF, pf.error, self._faulted_at(software, return_eip))
        except (CpuFault, BusError) as fault:
            self.reflect_second(getattr(fault, "vector", VEC_GP), getattr(fault, "error", 0),
                                self._faulted_at(software, return_eip))
        finally:
            self._in_vmm = False
        return True

    def _faulted_at(self, software: bool, return_eip: int) -> int:
        """Where a fault on the way into the guest happened: the instruction at eip, or for
        `int n` (a missing gate, a table or stack in nothing) the `int` itself, as native
        delivery has it — never the instruction after it."""
        return (return_eip - INSTRUCTION_SIZE) & M32 if software else self.cpu.eip

    def reflect_second(self, vector: int, error: int, return_eip: int) -> None:
        """A fault while entering the guest's handler is reflected instead; a fault in that too
        is a triple fault, as on the hardware (never an exception escaping into the host)."""
        try:
            self.reflect(vector, error, return_eip)
        except (CpuFault, PageFault, BusError):
            raise GuestTripleFault(vector) from None

    def direct_syscall(self, error: int, return_eip: int) -> bool:
        """A registered trap table: the hardware enters the guest kernel without the VMM. The
        table is the guest's memory, so its gate is checked again now (still ring 1, callable
        from ring 3), and any fault while entering goes to the VMM instead — never a guest
        handler at ring 0."""
        cpu = self.cpu
        base, limit = cpu.idtr
        try:
            gate = cpu.read32_sup(base + VEC_SYSCALL * 8 + 4) if limit >= VEC_SYSCALL * 8 + 7 else 0
            if not gate & 1 or (gate >> 3) & 3 != self.kernel_ring or (gate >> 1) & 3 != 3:
                return False
            cpu._deliver(VEC_SYSCALL, error, return_eip, True)
        except (CpuFault, PageFault, BusError):
            return False
        self.vcpu.cpl = 0
        cpu.events["direct_syscalls"] += 1
        cpu.note("interrupt", "system call")
        return True

    def enter(self, vector: int, error: int, return_eip: int, software: bool) -> None:
        """Dispatch one trap; subclasses add their own cases first."""
        cpu, v = self.cpu, self.vcpu
        cpu.events["traps"] += 1
        cpu.note("trap", f"vector {vector}")
        if vector == VEC_GP and not software and v.cpl == 0:
            ins = self.fetch(cpu.eip)
            if ins is not None and ins.row.iclass is IClass.PRIVILEGED:
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

    def charge_trap(self) -> None:
        self.cpu.charge("trap", self.profile["vmm_trap"])

    def fetch(self, eip: int) -> Instruction | None:
        try:
            return self.cpu._fetch(eip)[1]
        except (CpuFault, PageFault, BusError):
            return None

    # -- reflecting into the guest ---------------------------------------------------------
    def reflect_checked(self, vector: int, error: int, return_eip: int, software: bool) -> None:
        if software:
            base, limit = self.vcpu.idtr
            flags = self.cpu.read32_sup(base + vector * 8 + 4) if vector * 8 + 7 <= limit else 0
            if flags & 1 and ((flags >> 1) & 3) < self.vcpu.cpl:   # as native: DPL < CPL
                vector, error = VEC_GP, vector * 8 + 2
                return_eip = (return_eip - INSTRUCTION_SIZE) & M32
        self.reflect(vector, error, return_eip)

    def reflect(self, vector: int, error: int, return_eip: int) -> None:
        """Deliver an exception through the guest's virtual IDT, as the hardware would have: a
        missing gate is a #GP (delivered in its place by `reflect_second`), as on bare metal."""
        cpu, v = self.cpu, self.vcpu
        base, limit = v.idtr
        if vector * 8 + 7 > limit:
            raise CpuFault(VEC_GP, vector * 8 + 2)
        handler = cpu.read32_sup(base + vector * 8)
        if not cpu.read32_sup(base + vector * 8 + 4) & 1:
            raise CpuFault(VEC_GP, vector * 8 + 2)
        old_flags = (cpu.eflags & ~IF) | (IF if self.vif else 0)
        frame = (cpu.regs[4], old_flags, cs_selector(v.cpl), return_eip, error)
        new_esp = v.msrs[MSR_KERNEL_ESP] if v.cpl > 0 else cpu.regs[4]
        for k, value in enumerate(frame, start=1):
            cpu.write32_sup((new_esp - 4 * k) & M32, value)
        cpu.regs[4] = (new_esp - 4 * len(frame)) & M32
        v.cpl, self.vif = 0, False
        cpu.cpl = self.real_ring(0)
        cpu.eip = handler
        cpu.block_start = True
        # The guest's own share of taking it (its kernel's entry work) is paid as on hardware.
        cpu.cycles += self.profile["fault_entry" if vector < 32 else "exception_entry"]
        cpu.charge("trap", self.profile["vmm_reflect"])
        cpu.events["reflected"] += 1
        cpu.note("reflect", f"vector {vector} into the guest's IDT")

    # -- emulating privileged instructions on the virtual CPU ------------------------------
    def emulate(self, ins: Instruction) -> None:
        cpu = self.cpu
        eip = cpu.eip
        cpu.eip = (eip + INSTRUCTION_SIZE) & M32
        try:
            getattr(self, f"_emu_{ins.row.mnemonic}")(ins)
        except (CpuFault, PageFault, BusError):
            cpu.eip = eip                  # a fault: the guest sees it at the instruction
            raise
        cpu.emulated(cpu.cost[ins.row.opcode])               # the guest's clock: as if executed
        cpu.instructions += 1
        cpu.charge("emulation", self.profile["vmm_emulate"])
        cpu.events["emulated"] += 1
        cpu.note("emulate", ins.text())

    def _emu_cli(self, ins):
        self.vif = False

    def _emu_sti(self, ins):
        self.vif = True

    def _emu_hlt(self, ins):
        cpu, timer = self.cpu, self.machine.timer
        if not self.vif or timer.next_fire < 0:
            raise MachineStop("halted", "the guest halted with interrupts disabled or no timer "
                                        "running, so nothing can wake it")
        if timer.next_fire > cpu.guest_clock:
            cpu.charge("idle", timer.next_fire - cpu.guest_clock)

    def _emu_in(self, ins):
        self.cpu.regs[ins.a] = self.virtual_in(ins.imm & 0xFFFF)

    def _emu_out(self, ins):
        self.virtual_out(ins.imm & 0xFFFF, self.cpu.regs[ins.a])

    def virtual_in(self, port: int) -> int:
        """The guest's device access, served by the VMM's virtual device model."""
        self.cpu.charge("emulation", self.profile["virtual_io"])
        return self.machine.bus.read(port)

    def virtual_out(self, port: int, value: int) -> None:
        self.cpu.charge("emulation", self.profile["virtual_io"])
        if port == PORT_TIMER:
            self.machine.timer.now = self.cpu.guest_clock
        elif port == PORT_CONSOLE:          # the output still has to reach the real console
            self.cpu.charge("device", self.profile["port_console"])
        self.machine.bus.write(port, value)

    def _emu_mov(self, ins):
        if ins.row.operands[0].value == "cr":
            self.write_cr(ins.a, self.cpu.regs[ins.b])
        else:
            self.cpu.regs[ins.a] = self.vcpu.read_cr(ins.b)

    def write_cr(self, n: int, value: int) -> None:
        v = self.vcpu
        value &= M32
        if n == 0 and value & CR0_PG and not value & CR0_PE:
            raise CpuFault(VEC_GP)          # as the hardware: paging needs protected mode
        if n == 0:
            was = v.paging
            v.cr0 = value
            if v.paging and not was:
                self.shadow.install(v.cr3)
            elif was and not v.paging:
                self.shadow.uninstall()
        elif n == 2:
            v.cr2 = value
        elif n == 3:
            v.cr3 = value
            if v.paging:
                self.shadow.switch(value)
        else:
            v.cr8 = value & 0xF

    def _emu_lidt(self, ins):
        ea = self.cpu.ea(ins)
        self.vcpu.idtr = (self.cpu.read32(ea), self.cpu.read32(ea + 4))

    def _emu_lgdt(self, ins):
        ea = self.cpu.ea(ins)
        self.vcpu.gdtr = (self.cpu.read32(ea), self.cpu.read32(ea + 4))

    def _emu_invlpg(self, ins):
        ea = self.cpu.ea(ins)
        self.shadow.invlpg(ea)
        self.cpu.mmu.invlpg(ea)

    def _emu_iret(self, ins):
        esp = self.cpu.regs[4]
        self._iret(*(self.cpu.read32((esp + 4 * k) & M32) for k in range(4)))

    def _iret(self, eip: int, cs: int, flags: int, new_esp: int) -> None:
        """Return to the frame's ring and code; the frame was read whole before this."""
        cpu, v = self.cpu, self.vcpu
        if cs & 3 < v.cpl:
            raise CpuFault(VEC_GP, cs)
        v.cpl, self.vif = cs & 3, bool(flags & IF)
        cpu.cpl = self.real_ring(v.cpl)
        cpu.eflags = (flags & FLAGS_WRITABLE & ~IF) | IF | FLAGS_ALWAYS_ONE
        cpu.eip, cpu.regs[4] = eip, new_esp
        cpu.block_start = True

    def _emu_rdmsr(self, ins):
        cpu, index = self.cpu, self.cpu.regs[1]
        if index == MSR_TSC:
            value = cpu.cycles
        elif index in self.vcpu.msrs:
            value = self.vcpu.msrs[index]
        else:
            raise CpuFault(VEC_GP)
        cpu.regs[0], cpu.regs[2] = value & M32, (value >> 32) & M32

    def _emu_wrmsr(self, ins):
        cpu, index = self.cpu, self.cpu.regs[1]
        if index not in WRITABLE_MSRS:
            raise CpuFault(VEC_GP)
        self.vcpu.msrs[index] = cpu.regs[0] | (cpu.regs[2] << 32)

    # -- paging ------------------------------------------------------------------------------
    def _hidden_fault(self) -> None:
        self.cpu.note("hidden_fault", "shadow page table filled")
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

    # -- the hypercall interface's operations ---------------------------------------------
    def pv_enter(self) -> None:
        self.cpu.charge("hypercall", self.profile["hypercall"])

    def pv_kernel_mode(self) -> bool:
        return self.vcpu.cpl == 0

    def pv_set_trap_table(self, base: int, limit: int) -> None:
        self.vcpu.idtr = (base, limit)
        self.cpu.idtr = (base, limit)      # the hardware may now dispatch system calls itself
        gate = self.cpu.read32_sup(base + VEC_SYSCALL * 8 + 4) if limit >= VEC_SYSCALL * 8 + 7 else 0
        self.direct_syscalls = bool(gate & 1) and (gate >> 3) & 3 == self.kernel_ring

    def pv_stack(self, esp: int) -> None:
        self.vcpu.msrs[MSR_KERNEL_ESP] = esp
        self.cpu.msrs[MSR_KERNEL_ESP] = esp

    def pv_shared_info(self, paddr: int) -> None:
        flag = self.vif
        self.shared_info = paddr
        self.vif = flag

    def pv_pte_written(self, pte_addr: int, old: int) -> None:
        """Drop the translations the written entry had produced (new mappings had none). When
        a page directory lets go of a page table, that frame is no longer a page table: stop
        tracing it (Xen's unpin), so its reuse as an ordinary page does not trap."""
        frame = pte_addr & 0xFFFFF000
        self.shadow.drop_derived(frame, pte_addr & 0xFFF)
        if frame in self.shadow.shadows and old & 1 and (old & 0xFFFFF000) != frame:
            self.shadow.untrace(old & 0xFFFFF000)

    def pv_load_cr3(self, cr3: int) -> None:
        self.write_cr(3, cr3)

    def pv_invlpg(self, vaddr: int) -> None:
        self.shadow.invlpg(vaddr)
        self.cpu.mmu.invlpg(vaddr)

    def pv_block(self) -> None:
        timer, cpu = self.machine.timer, self.cpu
        self.vif = True
        if timer.next_fire < 0:
            raise MachineStop("halted", "the guest blocked with no timer running")
        if timer.next_fire > cpu.guest_clock:
            cpu.charge("idle", timer.next_fire - cpu.guest_clock)

    def pv_iret(self) -> None:
        saved_eax, *frame = self.read_iret_frame()
        try:
            self._iret(*frame)
        except CpuFault as fault:
            raise HypercallError("iret to a more privileged ring") from fault
        self.cpu.regs[0] = saved_eax

    # -- sensitive instructions: watched, never intercepted ------------------------------
    def _watch_sensitive(self) -> None:
        """Record where a sensitive instruction, run directly, shows the guest real state that
        differs from its virtual state (this is what breaks equivalence, and why)."""
        from virtquest.hv.sensitive import wrap_sensitive_handlers

        wrap_sensitive_handlers(self)
