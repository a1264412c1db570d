"""`paravirt` (반가상화): a Xen-style hypervisor for a guest kernel that knows it is virtualized.

The modified guest kernel (the mini-OS built with PV=1) runs at ring 1 and calls the VMM with
`vmcall` hypercalls instead of executing privileged instructions: it registers a trap table whose
system-call gate is a ring-1 trap gate (so system calls reach it without the VMM), keeps its
interrupt flag as an event mask in a shared-info page (cli/sti are plain memory writes), updates
page tables with batched `mmu_update`, switches address spaces with new_baseptr, prints with
console_io, sets its timer and blocks. It returns from traps as x86-32 Xen guests did: it restores
its own event mask from the frame and executes `iret` directly: back to user mode that needs no
VMM at all (an iret back into the kernel itself, whose frame shows ring 0, still traps and is
emulated). Paging is *direct*: the hardware walks the guest's
own tables, which the guest may not write directly. Unmodified privileged instructions still trap
and are emulated, as under trap & emulate (the interface itself is in pvinterface.py; every
software VMM here offers it).
"""

from __future__ import annotations

from virtquest.hv.shadow import DirectPaging
from virtquest.hv.trap_emulate import TrapEmulateVMM


class ParavirtVMM(TrapEmulateVMM):
    id = "paravirt"
    title_en = "Paravirtualization (hypercalls)"
    title_ko = "반가상화 (하이퍼콜)"
    guest_defines = {"PV": 1}
    present = True                   # the guest knows, and may ask (cpuid)

    def make_paging(self) -> DirectPaging:
        return DirectPaging(self.cpu, lambda: None)
