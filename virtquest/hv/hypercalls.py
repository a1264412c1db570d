"""The hypercall interface of the paravirtual VMM (`vmcall`: eax = number, ebx/ecx/edx = arguments,
result in eax; -1 when refused). Declared once: the VMM, docs and the PV kernel's constants agree."""

from __future__ import annotations

from dataclasses import dataclass

MAX_MMU_BATCH = 2048   # as Xen: up to 2048 page-table updates in one mmu_update


@dataclass(frozen=True)
class Hypercall:
    number: int
    name: str
    args: str
    summary: str


HYPERCALLS: dict[int, Hypercall] = {h.number: h for h in (
    Hypercall(0, "set_trap_table", "ebx = table (IDT layout), ecx = limit",
              "register the guest's trap table; its system-call gate is used by the hardware"),
    Hypercall(1, "mmu_update", "ebx = requests [(pte address, value)…], ecx = count",
              "validate and apply a batch of page-table writes"),
    Hypercall(2, "new_baseptr", "ebx = page directory", "switch address space (a cr3 load)"),
    Hypercall(3, "console_io", "ebx = buffer, ecx = length", "print a whole buffer at once"),
    Hypercall(4, "sched_op", "ebx = 0 yield, 1 block", "give up the CPU until the next event"),
    Hypercall(5, "set_timer", "ebx = period in cycles", "program the virtual timer"),
    Hypercall(6, "iret", "[esp] = the eax to restore, then the frame as for iret",
              "return from a trap or system call"),
    Hypercall(7, "stack_switch", "ebx = kernel stack", "the stack traps from user mode start on"),
    Hypercall(8, "invlpg", "ebx = address", "drop one TLB entry"),
    Hypercall(9, "shared_info", "ebx = address of the shared-info block",
              "byte 0: the guest's event mask (1 = interrupts off); word 1: the hypervisor "
              "leaves the last page-fault address there"),
    Hypercall(10, "net_setup", "ebx = the network ring (virtqueue layout)",
              "connect the split network driver's front end to the back end"),
    Hypercall(11, "grant_access", "ebx = a page-aligned physical address",
              "let the network back end read that page (a grant)"),
    Hypercall(12, "event_channel_send", "none",
              "notify the network back end: new packets in the ring"),
    Hypercall(13, "balloon_release", "ebx = a page-aligned physical address",
              "the balloon driver hands that page to the host, which takes its frame back"),
)}


def assembler_constants() -> dict[str, int]:
    """`HC_NAME` symbols for the PV kernel's source."""
    return {f"HC_{h.name.upper()}": n for n, h in HYPERCALLS.items()}
