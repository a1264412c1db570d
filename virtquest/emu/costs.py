"""Cost profiles: cycles per instruction class and per mechanism, each with its source
(docs/design.md, "Cost profiles").

The YAML files live in assets/profiles/ and are parsed by the content layer; this module holds the
validated, plain-Python form the machine charges from, and the list of keys every profile needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from virtquest.emu.errors import ProfileError
from virtquest.emu.isa import COST_KEYS

# Mechanisms the bare machine charges for, beyond one cost per instruction.
MACHINE_KEYS = frozenset({
    "exception_entry",   # the hardware's delivery of a software or external interrupt (IDT)
    "fault_entry",       # the delivery of a fault (#DE #UD #GP #PF), with the kernel's own work
    "page_walk_ref",     # one memory reference of a page-table walk after a TLB miss
    "port_console",      # one access to the debug console
    "port_timer",        # one access to the timer
    "port_nic",          # one access to a register of the network card
    "nic_packet",        # the network card reading one packet by DMA and sending it
    "iommu_walk",        # an IOTLB miss: the IOMMU walks its table for one DMA page
    "port_legacy",       # one access to the slow legacy port 0x80
    "port_other",        # an access to a port with no device
    "port_disk",         # one access to a register of the disk
    "disk_io",           # the disk moving one 4 KiB page to or from memory by DMA
})
# Mechanisms of virtualization that tools rely on by name (the modes charge them; docs/modes.md).
VIRTUALIZATION_KEYS = frozenset({
    "vm_entry", "vm_exit",                  # hardware-assisted: one VM entry / one VM exit
    "vmm_trap",       # a software VMM: a fault from the deprivileged guest into the VMM and back
    "vmm_emulate",    # decoding and emulating one guest instruction on the virtual CPU
    "vmm_reflect",    # reflecting an exception or interrupt into the guest's virtual IDT
    "shadow_fill",    # a hidden page fault: walking the guest's tables to fill a shadow entry
    "shadow_update",  # a traced write into a guest page table, validated by the VMM
    "virtual_io",     # one access to the VMM's virtual device model
    "bt_translate",   # translating one guest instruction into the translation cache
    "bt_tc_lookup",   # a translation-cache lookup on ret / indirect jmp / indirect call
    "bt_inline",      # a sensitive instruction emulated inline in translated code
    "bt_callout",     # a callout from translated code into the VMM
    "bt_pte_update",  # a page-table write that adaptive translation turned into a direct update
    "vmcs_read", "vmcs_write",   # VMREAD / VMWRITE in an exit handler
    "hav_handler",    # the hypervisor's own work to handle one VM exit
    "nonroot_fault",  # extra cost of a fault delivered to the guest inside non-root mode
    "hypercall",      # one hypercall into the paravirtual VMM and back
    "posted_interrupt",  # APICv: the CPU delivering a posted interrupt inside the guest
    "virtio_request",    # the hypervisor's virtio back end handling one descriptor
    "nic_model",         # one register access to an emulated network card, in its device model
    "disk_model",        # one register access to an emulated disk, in its device model
    "mmu_update_entry",  # validating one page-table update of a batched mmu_update
})
# What a host running several guests spends on them (hv/host.py, hv/migration.py; docs/hosts.md).
HOST_KEYS = frozenset({
    "world_switch",    # switching the physical CPU from one guest's vCPU to another's
    "page_scan",       # hashing one 4 KiB page while looking for identical pages to share
    "page_compare",    # comparing two candidate pages byte for byte before sharing them
    "cow_break",       # a write to a shared page: a new frame, the 4 KiB copied into it
    "swap_io",         # one page written to or read from the host's swap device
    "balloon_page",    # the host taking back one page the balloon driver handed over
    "migrate_page",    # the source host's CPU sending one page over the migration link
    "dirty_scan",      # reading and clearing one page's dirty bit in the nested page table
    "migrate_resume",  # the destination activating the moved guest (the end of the downtime)
})
REQUIRED_KEYS = frozenset(COST_KEYS) | MACHINE_KEYS | VIRTUALIZATION_KEYS | HOST_KEYS

# Breakdown categories of a run (docs/design.md, "What a run reports"), in display order.
CATEGORIES = ("guest", "trap", "emulation", "translation", "hypercall", "page_walk", "device",
              "idle", "host")

MAX_CYCLES_PER_KEY = 10_000_000


@dataclass(frozen=True)
class CostProfile:
    """A validated cost profile: `cycles[key]`, `sources[key]`, and the hardware it describes."""

    name: str
    description: str
    cycles: dict[str, int]
    sources: dict[str, str] = field(default_factory=dict)
    ept: bool = False
    vtx: bool = True
    tlb_entries: int = 64
    apicv: bool = False    # APIC virtualization: virtual-interrupt delivery, posted interrupts
    assigned_nic: bool = False   # the network card is assigned to the guest (VT-d passthrough)
    vpid: bool = False     # tagged TLB entries (VPID): a VM exit or entry keeps the guest's TLB

    def __post_init__(self) -> None:
        missing = sorted(REQUIRED_KEYS - set(self.cycles))
        if missing:
            raise ProfileError(f"profile '{self.name}' lacks cost keys: {', '.join(missing)}")
        for key, value in self.cycles.items():
            if isinstance(value, bool) or not isinstance(value, int) or not (
                0 <= value <= MAX_CYCLES_PER_KEY
            ):
                raise ProfileError(
                    f"profile '{self.name}': cost '{key}' must be a whole number of cycles "
                    f"between 0 and {MAX_CYCLES_PER_KEY}, got {value!r}")
        if not 1 <= self.tlb_entries <= 4096:
            raise ProfileError(f"profile '{self.name}': tlb_entries must be between 1 and 4096")

    def __getitem__(self, key: str) -> int:
        return self.cycles[key]

    def scaled(self, key: str, factor: float) -> CostProfile:
        """A copy with one mechanism's cost scaled (to show what depends on it)."""
        cycles = dict(self.cycles)
        cycles[key] = round(cycles[key] * factor)
        return replace(self, cycles=cycles, sources=dict(self.sources))

    def with_costs(self, **changes: int) -> CostProfile:
        cycles = dict(self.cycles) | changes
        return replace(self, cycles=cycles, sources=dict(self.sources))
