"""`paravirt` (반가상화): a Xen-style hypervisor for a guest kernel that knows it is virtualized.

The modified guest kernel (the mini-OS built with PV=1) runs at ring 1 and calls the VMM with
`vmcall` hypercalls instead of executing privileged instructions: it registers a trap table (so
system calls reach it without the VMM), keeps its interrupt flag in a shared-info page (cli/sti are
plain memory writes), updates page tables with batched `mmu_update`, switches address spaces with
new_baseptr, prints with console_io, sets its timer, blocks, and returns from traps with iret.
The VMM validates every hypercall; unmodified privileged instructions still trap and are emulated.
"""

from __future__ import annotations

from virtquest.emu.cpu import CPU, MachineStop
from virtquest.emu.devices import PORT_CONSOLE, PORT_TIMER
from virtquest.emu.encoding import Instruction
from virtquest.emu.isa import (
    BY_MNEMONIC,
    FLAGS_ALWAYS_ONE,
    FLAGS_WRITABLE,
    IF,
    MSR_KERNEL_ESP,
    VEC_SYSCALL,
)
from virtquest.emu.machine import Machine
from virtquest.emu.mmu import ADDR_MASK, PTE_P
from virtquest.hv.hypercalls import HYPERCALLS, MAX_MMU_BATCH
from virtquest.hv.shadow import DirectPaging
from virtquest.hv.softvmm import M32, SoftwareVMM

KERNEL_RING = 1


class HypercallError(Exception):
    """A hypercall the VMM refuses: the guest gets -1 in eax."""


class ParavirtVMM(SoftwareVMM):
    id = "paravirt"
    title_en = "Paravirtualization (hypercalls)"
    title_ko = "반가상화 (하이퍼콜)"
    guest_defines = {"PV": 1}

    def attach(self, machine: Machine, sites: dict[int, str] | None = None) -> None:
        super().attach(machine, sites)
        cpu = self.cpu
        cpu.hypervisor_present = True
        self.shadow = DirectPaging(cpu, lambda: None)
        self.shared_info: int | None = None          # guest-physical address of the mask byte
        self.direct_syscalls = False
        vmcall = BY_MNEMONIC["vmcall"][0].opcode
        cpu.handlers[vmcall] = self.hypercall
        cpu.forget_decoded()

    # -- the virtual interrupt flag lives in the shared-info page once registered -----------
    @property
    def vif(self) -> bool:
        if self.shared_info is None:
            return self.vcpu.interrupt_flag
        return self.machine.memory.data[self.shared_info] == 0

    @vif.setter
    def vif(self, value: bool) -> None:
        self.vcpu.interrupt_flag = value
        if self.shared_info is not None:
            self.machine.memory.data[self.shared_info] = 0 if value else 1

    # -- system calls straight to the guest kernel ------------------------------------------
    def on_exception(self, cpu: CPU, vector: int, error: int, return_eip: int,
                     software: bool) -> bool:
        if software and vector == VEC_SYSCALL and self.direct_syscalls and self.vcpu.cpl == 3:
            self.vcpu.cpl = 0                         # the hardware enters the ring-1 kernel
            cpu.events["direct_syscalls"] += 1
            return False
        return super().on_exception(cpu, vector, error, return_eip, software)

    # -- hypercalls ---------------------------------------------------------------------------
    def hypercall(self, ins: Instruction) -> None:
        cpu = self.cpu
        number = cpu.regs[0]
        cpu.charge("hypercall", self.profile["hypercall"])
        cpu.events["hypercalls"] += 1
        entry = HYPERCALLS.get(number)
        if entry is None or self.vcpu.cpl != 0:
            cpu.regs[0] = M32                        # -1: no such hypercall, or from user mode
            cpu.events["hypercalls_refused"] += 1
            return
        cpu.events[f"hypercall.{entry.name}"] += 1
        try:
            result = getattr(self, f"_hc_{entry.name}")(cpu.regs[3], cpu.regs[1], cpu.regs[2])
        except HypercallError as refused:
            cpu.events["hypercalls_refused"] += 1
            self.machine.refusals.append(f"{entry.name}: {refused}")
            result = M32
        if result is not None:
            cpu.regs[0] = result & M32

    def _hc_set_trap_table(self, base, limit, _):
        self.vcpu.idtr = (base, limit)
        self.cpu.idtr = (base, limit)                # the hardware dispatches system calls itself
        self.direct_syscalls = bool(self.cpu.read32_sup(base + VEC_SYSCALL * 8 + 4) & 1)
        return 0

    def _hc_stack_switch(self, esp, _b, _c):
        self.vcpu.msrs[MSR_KERNEL_ESP] = esp
        self.cpu.msrs[MSR_KERNEL_ESP] = esp
        return 0

    def _hc_shared_info(self, address, _b, _c):
        paddr = self._guest_physical(address)
        self.shared_info = paddr
        self.machine.memory.data[paddr] = 0 if self.vcpu.interrupt_flag else 1
        return 0

    def _hc_mmu_update(self, requests, count, _):
        if count > MAX_MMU_BATCH:
            raise HypercallError(f"{count} updates in one call (at most {MAX_MMU_BATCH})")
        cpu, done = self.cpu, 0
        for i in range(count):
            pte_addr = cpu.read32_sup(requests + 8 * i)
            value = cpu.read32_sup(requests + 8 * i + 4)
            self._validate_pte(pte_addr, value)
            self.machine.memory.write32(pte_addr, value)
            self._after_pte_write(pte_addr)
            done += 1
        cpu.charge("hypercall", count * self.profile["mmu_update_entry"])
        cpu.events["mmu_updates"] += count
        return done

    def _validate_pte(self, pte_addr: int, value: int) -> None:
        size = self.machine.memory.size
        if pte_addr & 3 or pte_addr + 4 > size:
            raise HypercallError(f"page-table entry address {pte_addr:#x} is not the guest's")
        if value & PTE_P and (value & ADDR_MASK) >= size:
            raise HypercallError(f"mapping frame {value & ADDR_MASK:#x}, which the guest does "
                                 "not own, was refused")

    def _after_pte_write(self, pte_addr: int) -> None:
        """Drop the TLB entries the written table had produced (new mappings had none)."""
        for cr3, vpn in list(self.shadow.derived.get(pte_addr & ADDR_MASK, ())):
            self.shadow._drop(cr3, vpn)

    def _hc_new_baseptr(self, cr3, _b, _c):
        if cr3 & ADDR_MASK >= self.machine.memory.size:
            raise HypercallError(f"page directory {cr3:#x} is not the guest's")
        self.write_cr(3, cr3)
        return 0

    def _hc_invlpg(self, vaddr, _b, _c):
        self.shadow.invlpg(vaddr)
        self.cpu.mmu.invlpg(vaddr)
        return 0

    def _hc_console_io(self, ptr, length, _):
        cpu = self.cpu
        for i in range(min(length, 4096)):
            self.machine.bus.write(PORT_CONSOLE, cpu._read8((ptr + i) & M32, False))
        cpu.charge("hypercall", self.profile["virtual_io"])
        return length

    def _hc_set_timer(self, period, _b, _c):
        self.machine.timer.now = self.cpu.guest_clock
        self.machine.bus.write(PORT_TIMER, period)
        return 0

    def _hc_sched_op(self, op, _b, _c):
        if op == 1:                                   # block until the next event
            timer, cpu = self.machine.timer, self.cpu
            self.vif = True
            if timer.next_fire < 0:
                raise MachineStop("halted", "the guest blocked with no timer running")
            if timer.next_fire > cpu.guest_clock:
                cpu.charge("idle", timer.next_fire - cpu.guest_clock)
        return 0

    def _hc_iret(self, _a, _b, _c):
        """Return from a trap: pop eip, cs, eflags, esp as iret does; restore the event mask."""
        cpu, v = self.cpu, self.vcpu
        esp = cpu.regs[4]
        eip, cs, flags, new_esp = (cpu.read32((esp + 4 * k) & M32) for k in range(4))
        if cs & 3 < v.cpl:
            raise HypercallError("iret to a more privileged ring")
        v.cpl = cs & 3
        self.vif = bool(flags & IF)
        cpu.cpl = self.real_ring(v.cpl)
        cpu.eflags = (flags & FLAGS_WRITABLE & ~IF) | IF | FLAGS_ALWAYS_ONE
        cpu.eip, cpu.regs[4] = eip, new_esp
        cpu.block_start = True
        return None                                   # eax is the interrupted code's own

    def _guest_physical(self, vaddr: int) -> int:
        paddr = self.cpu.mmu.translate(vaddr & M32, False, False)
        if paddr >= self.machine.memory.size:
            raise HypercallError(f"address {vaddr:#x} is not the guest's")
        return paddr
