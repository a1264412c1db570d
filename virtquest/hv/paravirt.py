"""`paravirt` (반가상화): a Xen-style hypervisor for a guest kernel that knows it is virtualized.

The modified guest kernel (the mini-OS built with PV=1) runs at ring 1 and calls the VMM with
`vmcall` hypercalls instead of executing privileged instructions: it registers a trap table (so
system calls reach it without the VMM), keeps its interrupt flag in a shared-info page (cli/sti are
plain memory writes), updates page tables with batched `mmu_update`, switches address spaces with
new_baseptr, prints with console_io, sets its timer, blocks, and returns from traps with iret
(the interface itself is in pvinterface.py; every software VMM here offers it). Paging is
*direct*: the hardware walks the guest's own tables, which the guest may not write directly.
Unmodified privileged instructions still trap and are emulated.
"""

from __future__ import annotations

from virtquest.emu.machine import Machine
from virtquest.hv.shadow import DirectPaging
from virtquest.hv.softvmm import SoftwareVMM


class ParavirtVMM(SoftwareVMM):
    id = "paravirt"
    title_en = "Paravirtualization (hypercalls)"
    title_ko = "반가상화 (하이퍼콜)"
    guest_defines = {"PV": 1}

    def attach(self, machine: Machine, sites: dict[int, str] | None = None) -> None:
        super().attach(machine, sites)
        machine.cpu.hypervisor_present = True     # the guest knows, and may ask (cpuid)

    def make_paging(self) -> DirectPaging:
        return DirectPaging(self.cpu, lambda: None)
