"""The hypercall interface every hypervisor here offers a modified (paravirtualized) guest.

`vmcall` with eax = number, ebx/ecx/edx = arguments; the result in eax, -1 when refused. Each
hypercall is validated before it touches anything. A VMM intercepts `vmcall` (its opcode is in the
VMM's `intercepts`), calls `hypercall()`, and provides the few `pv_*` operations that differ
between a software VMM (guest kernel at ring 1) and hardware assist (ring 0, non-root).
"""

from __future__ import annotations

from virtquest.emu.devices import PORT_CONSOLE, PORT_TIMER
from virtquest.emu.isa import BY_MNEMONIC, M32
from virtquest.emu.memory import BusError
from virtquest.emu.messages import Message, message
from virtquest.emu.mmu import ADDR_MASK, PTE_P, PageFault
from virtquest.hv.hypercalls import HYPERCALLS, MAX_MMU_BATCH

TRAP_TABLE_BYTES = 256 * 8   # 256 gates of 8 bytes (IDT layout)
VMCALL = BY_MNEMONIC["vmcall"][0].opcode


class HypercallError(Exception):
    """A hypercall the VMM refuses: the guest gets -1 in eax, the refusal (a Message) is
    recorded."""

    def __init__(self, detail: Message):
        super().__init__(str(detail))
        self.detail = detail


class HypercallInterface:
    """Mixin: the hypercalls, validated. The host class supplies cpu, machine, profile, the
    `pv_*` operations and `pv_enter` (what entering the VMM for a hypercall costs)."""

    def hypercall(self) -> None:
        """The guest executed vmcall: do what eax asks, if a guest kernel asks it."""
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
        if cpu.trace is not None:
            cpu.note("hypercall", name=entry.name)
        try:
            result = OPERATIONS[number](self, cpu.regs[3], cpu.regs[1], cpu.regs[2])
        except HypercallError as refused:
            cpu.events["hypercalls_refused"] += 1
            self.machine.refusals.append(refused.detail)
            result = M32
        if result is not None:
            cpu.regs[0] = result & M32

    def hc_set_trap_table(self, base, limit, _):
        self._validate_trap_table(base, limit)
        self.pv_set_trap_table(base, limit)
        return 0

    def _validate_trap_table(self, base: int, limit: int) -> None:
        """The part of the table that can hold gates (256 of them) must be the guest's memory:
        mapped, inside its RAM, not wrapping past 4 GiB. Checked the same way in every mode,
        before anything changes; a refused table leaves the one in use in place."""
        last = base + min(limit, TRAP_TABLE_BYTES - 1)
        if last > M32:
            raise HypercallError(message("refusal.trap-table-wraps", base=base))
        size = self.machine.memory.size
        page = base
        while page <= last:
            end = min(last, page | 0xFFF)
            try:
                paddr = self.cpu.mmu.translate(page, False, False)
            except (PageFault, BusError):
                raise HypercallError(message("refusal.trap-table-unmapped", base=base,
                                             page=page)) from None
            if paddr + (end - page) >= size:
                raise HypercallError(message("refusal.trap-table-foreign", base=base))
            page = end + 1

    def hc_stack_switch(self, esp, _b, _c):
        self.pv_stack(esp)
        return 0

    def hc_shared_info(self, address, _b, _c):
        paddr = self.cpu.mmu.translate(address & M32, False, False)
        if paddr >= self.machine.memory.size:
            raise HypercallError(message("refusal.shared-info", address=address))
        self.pv_shared_info(paddr)
        return 0

    def hc_mmu_update(self, requests, count, _):
        if count > MAX_MMU_BATCH:
            raise HypercallError(message("refusal.batch-too-big", count=count,
                                         limit=MAX_MMU_BATCH))
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
            raise HypercallError(message("refusal.pte-address", address=pte_addr))
        if value & PTE_P and (value & ADDR_MASK) >= size:
            raise HypercallError(message("refusal.foreign-frame", frame=value & ADDR_MASK))

    def hc_new_baseptr(self, cr3, _b, _c):
        if cr3 & ADDR_MASK >= self.machine.memory.size:
            raise HypercallError(message("refusal.page-directory", address=cr3))
        self.pv_load_cr3(cr3)
        return 0

    def hc_invlpg(self, vaddr, _b, _c):
        self.pv_invlpg(vaddr)
        return 0

    def hc_console_io(self, ptr, length, _):
        cpu = self.cpu
        count = min(length, 4096)
        for i in range(count):
            self.machine.bus.write(PORT_CONSOLE, cpu.read8_sup((ptr + i) & M32))
        cpu.charge("hypercall", self.profile["virtual_io"])
        cpu.charge("device", count * self.profile["port_console"])   # the real console still
        return length                                               # prints every byte

    def hc_set_timer(self, period, _b, _c):
        self.machine.apic.now = self.cpu.guest_clock
        self.machine.bus.write(PORT_TIMER, period)
        return 0

    def hc_sched_op(self, op, _b, _c):
        if op == 1:
            self.pv_block()
        return 0

    def hc_net_setup(self, ring, _b, _c):
        if ring & 0xFFF or ring > self.machine.memory.size - 4096:
            raise HypercallError(message("refusal.net-ring", address=ring))
        self.virtio.connect(ring)
        return 0

    def hc_grant_access(self, frame, _b, _c):
        if frame & 0xFFF or frame >= self.machine.memory.size:
            raise HypercallError(message("refusal.grant-frame", address=frame))
        self.virtio.grant(frame)
        return 0

    def hc_event_channel_send(self, _a, _b, _c):
        self.virtio.notified()
        return 0

    def hc_balloon_release(self, frame, _b, _c):
        if frame & 0xFFF or frame >= self.machine.memory.size:
            raise HypercallError(message("refusal.balloon-frame", address=frame))
        take = getattr(self, "balloon", None)     # set by the host that runs this guest
        if take is None:
            raise HypercallError(message("refusal.no-balloon"))
        take(frame >> 12)
        return 0

    def hc_iret(self, _a, _b, _c):
        self.pv_iret()
        return None                                  # eax belongs to the interrupted code


# The operation behind each hypercall number (hypercalls.py declares them).
OPERATIONS = {0: HypercallInterface.hc_set_trap_table, 1: HypercallInterface.hc_mmu_update,
              2: HypercallInterface.hc_new_baseptr, 3: HypercallInterface.hc_console_io,
              4: HypercallInterface.hc_sched_op, 5: HypercallInterface.hc_set_timer,
              6: HypercallInterface.hc_iret, 7: HypercallInterface.hc_stack_switch,
              8: HypercallInterface.hc_invlpg, 9: HypercallInterface.hc_shared_info,
              10: HypercallInterface.hc_net_setup, 11: HypercallInterface.hc_grant_access,
              12: HypercallInterface.hc_event_channel_send,
              13: HypercallInterface.hc_balloon_release}
assert set(OPERATIONS) == set(HYPERCALLS)
