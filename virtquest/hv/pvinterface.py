"""The hypercall interface every hypervisor here offers a modified (paravirtualized) guest.

`vmcall` with eax = number, ebx/ecx/edx = arguments; the result in eax, -1 when refused. Each
hypercall is validated before it touches anything. A VMM provides the few `pv_*` operations that
differ between a software VMM (guest kernel at ring 1) and hardware assist (ring 0, non-root).
"""

from __future__ import annotations

from virtquest.emu.devices import PORT_CONSOLE, PORT_TIMER
from virtquest.emu.encoding import Instruction
from virtquest.emu.isa import BY_MNEMONIC
from virtquest.emu.memory import BusError
from virtquest.emu.mmu import ADDR_MASK, PTE_P, PageFault
from virtquest.hv.hypercalls import HYPERCALLS, MAX_MMU_BATCH

M32 = 0xFFFFFFFF
TRAP_TABLE_BYTES = 256 * 8   # 256 gates of 8 bytes (IDT layout)
VMCALL = BY_MNEMONIC["vmcall"][0].opcode


class HypercallError(Exception):
    """A hypercall the VMM refuses: the guest gets -1 in eax, the refusal is recorded."""


class HypercallInterface:
    """Mixin: the hypercalls, validated. The host class supplies cpu, machine, profile, the
    `pv_*` operations and `pv_enter` (what entering the VMM for a hypercall costs)."""

    def install_hypercalls(self) -> None:
        self.cpu.handlers[VMCALL] = self.hypercall
        self.cpu.forget_decoded()

    def hypercall(self, ins: Instruction) -> None:
        cpu = self.cpu
        number = cpu.regs[0]
        self.pv_enter()
        cpu.events["hypercalls"] += 1
        entry = HYPERCALLS.get(number)
        if entry is None or not self.pv_kernel_mode():
            cpu.regs[0] = M32                        # no such hypercall, or from user mode
            cpu.events["hypercalls_refused"] += 1
            return
        cpu.events[f"hypercall.{entry.name}"] += 1
        cpu.note("hypercall", entry.name)
        try:
            result = getattr(self, f"_hc_{entry.name}")(cpu.regs[3], cpu.regs[1], cpu.regs[2])
        except HypercallError as refused:
            cpu.events["hypercalls_refused"] += 1
            self.machine.refusals.append(f"{entry.name}: {refused}")
            result = M32
        if result is not None:
            cpu.regs[0] = result & M32

    def _hc_set_trap_table(self, base, limit, _):
        self._validate_trap_table(base, limit)
        self.pv_set_trap_table(base, limit)
        return 0

    def _validate_trap_table(self, base: int, limit: int) -> None:
        """The part of the table that can hold gates (256 of them) must be the guest's memory:
        mapped, inside its RAM, not wrapping past 4 GiB. Checked the same way in every mode,
        before anything changes; a refused table leaves the one in use in place."""
        last = base + min(limit, TRAP_TABLE_BYTES - 1)
        if last > M32:
            raise HypercallError(f"trap table at {base:#x} wraps past 4 GiB")
        size = self.machine.memory.size
        page = base
        while page <= last:
            end = min(last, page | 0xFFF)
            try:
                paddr = self.cpu.mmu.translate(page, False, False)
            except (PageFault, BusError):
                raise HypercallError(f"trap table at {base:#x}: {page:#x} is not mapped") from None
            if paddr + (end - page) >= size:
                raise HypercallError(f"trap table at {base:#x} is not the guest's "
                                     f"(outside its RAM)")
            page = end + 1

    def _hc_stack_switch(self, esp, _b, _c):
        self.pv_stack(esp)
        return 0

    def _hc_shared_info(self, address, _b, _c):
        paddr = self.cpu.mmu.translate(address & M32, False, False)
        if paddr >= self.machine.memory.size:
            raise HypercallError(f"address {address:#x} is not the guest's")
        self.pv_shared_info(paddr)
        return 0

    def _hc_mmu_update(self, requests, count, _):
        if count > MAX_MMU_BATCH:
            raise HypercallError(f"{count} updates in one call (at most {MAX_MMU_BATCH})")
        cpu, done = self.cpu, 0
        for i in range(count):
            pte_addr = cpu.read32_sup(requests + 8 * i)
            value = cpu.read32_sup(requests + 8 * i + 4)
            self._validate_pte(pte_addr, value)
            old = self.machine.memory.read32(pte_addr)
            self.machine.memory.write32(pte_addr, value)
            self.pv_pte_written(pte_addr, old)
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

    def _hc_new_baseptr(self, cr3, _b, _c):
        if cr3 & ADDR_MASK >= self.machine.memory.size:
            raise HypercallError(f"page directory {cr3:#x} is not the guest's")
        self.pv_load_cr3(cr3)
        return 0

    def _hc_invlpg(self, vaddr, _b, _c):
        self.pv_invlpg(vaddr)
        return 0

    def _hc_console_io(self, ptr, length, _):
        cpu = self.cpu
        count = min(length, 4096)
        for i in range(count):
            self.machine.bus.write(PORT_CONSOLE, cpu._read8((ptr + i) & M32, False))
        cpu.charge("hypercall", self.profile["virtual_io"])
        cpu.charge("device", count * self.profile["port_console"])   # the real console still
        return length                                               # prints every byte

    def _hc_set_timer(self, period, _b, _c):
        self.machine.timer.now = self.cpu.guest_clock
        self.machine.bus.write(PORT_TIMER, period)
        return 0

    def _hc_sched_op(self, op, _b, _c):
        if op == 1:
            self.pv_block()
        return 0

    def _hc_iret(self, _a, _b, _c):
        self.pv_iret()
        return None                                  # eax belongs to the interrupted code

    def read_iret_frame(self) -> tuple[int, ...]:
        """The iret hypercall's stack: the eax to restore (popped first, as Xen's), then eip,
        cs, eflags and esp as for iret. All of it is read before anything changes, so a fault
        part-way leaves the guest exactly as it was (esp included)."""
        cpu = self.cpu
        esp = cpu.regs[4]
        return tuple(cpu.read32((esp + 4 * k) & M32) for k in range(5))
