"""`hardware-assist` (하드웨어 지원 가상화): VT-x / AMD-V.

The guest kernel runs at ring 0 in non-root mode, so the x86 holes are gone: pushf, popf, `mov r,
cs` and friends see the guest's own state. The hypervisor runs only when the VMCS says an event
must *exit*: port I/O, HLT, CPUID (always), vmcall, the timer interrupt; and, without EPT, cr3 loads,
invlpg and page faults (shadow paging). Each exit costs a VM exit, the handler's work and its VMCS
reads and writes, and a VM entry. With EPT there are no paging exits, but every TLB miss walks two
dimensions: each guest page-table reference is itself translated (Bhargava et al. 2008).

Interrupts: every physical interrupt exits (external-interrupt exiting), and the VMM injects it on
the next VM entry. One that arrives while the guest has interrupts off cannot be injected: the VMM
asks for an *interrupt-window* exit, which comes when the guest turns them on, and injects then
(two exits for one interrupt). The guest's EOI (a write to the x2APIC's EOI MSR) exits too. With
APIC virtualization (APICv, on hardware whose profile says `apicv`) the CPU itself delivers a
pending virtual interrupt when the guest turns interrupts on, completes an EOI without an exit,
and a device's *posted* interrupt reaches the running guest without any exit; the timer's
interrupt still exits, since the host's own timer raises it.

Tagged TLBs: without VPID (first-generation VT-x: the P4 and Core 2 profiles) the TLB holds no
record of whose translation an entry is, so every VM exit and every VM entry flushes it, and after
each exit the guest walks its page tables again for every page it touches — with EPT, walks of two
dimensions. With VPID (Nehalem and later) the guest's entries carry its tag and survive the exit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from virtquest.emu.cpu import CPU
from virtquest.emu.devices import PORT_CONSOLE
from virtquest.emu.encoding import Instruction
from virtquest.emu.interrupts import APIC_MSRS, MSR_APIC_EOI
from virtquest.emu.isa import (
    CR0_PE,
    CR0_PG,
    FLAGS_WRITABLE,
    IF,
    INSTRUCTION_SIZE,
    M32,
    MSR_KERNEL_ESP,
    ROWS,
    VEC_PF,
    VEC_TIMER,
    IClass,
)
from virtquest.emu.machine import Machine
from virtquest.emu.messages import message
from virtquest.emu.mmu import PF_PRESENT, PF_USER, PF_WRITE
from virtquest.emu.nic import (
    CTRL_BUS_MASTER,
    NIC_PORTS,
    PORT_CTRL,
    TX_PORTS,
    Iommu,
    UnremappedDMA,
)
from virtquest.hv.mode import Mode
from virtquest.hv.pvinterface import VMCALL, HypercallError, HypercallInterface
from virtquest.hv.shadow import ShadowPaging

EPT_LEVELS = 2   # the nested table has as many levels as the guest's (m = n = 2)
ALWAYS_EXITING = ("in", "out", "hlt", "cpuid", "vmcall", "invlpg")


@dataclass
class VMCS:
    """The exit controls of one virtual CPU (a small subset of Intel's)."""

    ept: bool
    io_exiting: bool = True
    passthrough_ports: set[int] = field(default_factory=set)
    hlt_exiting: bool = True
    cr3_load_exiting: bool = True
    invlpg_exiting: bool = True
    page_fault_exiting: bool = True
    tpr_shadow: bool = True       # cr8 reads and writes stay in the guest
    apicv: bool = False           # virtual-interrupt delivery, EOI virtualization, posted interrupts
    vpid: bool = False            # "enable VPID": the guest's TLB entries are tagged and kept
    reads: int = 0
    writes: int = 0

    @classmethod
    def for_hardware(cls, ept: bool, apicv: bool = False, vpid: bool = False) -> VMCS:
        return cls(ept=ept, cr3_load_exiting=not ept, invlpg_exiting=not ept,
                   page_fault_exiting=not ept, apicv=apicv, vpid=vpid)


class HardwareAssistVMM(HypercallInterface, Mode):
    id = "hardware-assist"
    title_en = "Hardware-assisted virtualization (VT-x / AMD-V)"
    title_ko = "하드웨어 지원 가상화 (VT-x / AMD-V)"
    present = True
    gate_rings = False     # the guest kernel is at ring 0 here: a PV trap table's ring-1 gates
                           # enter it at ring 0

    def __init__(self, machine: Machine, sites: dict[int, str] | None = None,
                 ept: bool | None = None, vpid: bool | None = None):
        super().__init__(machine, sites)
        cpu = self.cpu
        ept = cpu.profile.ept if ept is None else ept
        vpid = cpu.profile.vpid if vpid is None else vpid
        self.vmcs = VMCS.for_hardware(ept, cpu.profile.apicv, vpid)
        # An interrupt that fell due while the guest had interrupts off: whether the VMM has
        # heard of it (its exit taken, or posted), and whether it waits for the interrupt window.
        self.arrival_seen = False
        self.window_open_exit = False
        self.shadow = None if ept else ShadowPaging(cpu, self._hidden_fault)
        if ept:
            cpu.mmu.second_stage = self.nested_translate
        # The forms that exit, by the VMCS's controls; vmcall always exits (a modified guest
        # uses it for hypercalls).
        self.exits = {"in r, imm": HardwareAssistVMM.exit_io, "out imm, r": HardwareAssistVMM.exit_io,
                      "hlt": HardwareAssistVMM.exit_hlt, "cpuid": HardwareAssistVMM.exit_cpuid,
                      "wrmsr": HardwareAssistVMM.exit_wrmsr}
        if self.vmcs.cr3_load_exiting:
            self.exits["mov crN, r"] = HardwareAssistVMM.exit_mov_cr
        if self.vmcs.invlpg_exiting:
            self.exits["invlpg [m]"] = HardwareAssistVMM.exit_invlpg
        self.intercepts = frozenset(row.opcode for row in ROWS if row.syntax in self.exits) | {
            VMCALL}
        self.shared_info: int | None = None
        if cpu.profile.assigned_nic:
            # The card is the guest's (VT-d passthrough): its registers are mapped into the guest
            # and need no exit; its DMA reaches memory unremapped until the hypervisor, seeing
            # the guest turn bus mastering on (PCI config space, always intercepted), maps the
            # guest's RAM in the IOMMU for it.
            self.vmcs.passthrough_ports |= set(TX_PORTS)
            machine.nic.dma = UnremappedDMA(machine.memory, machine.violations)
        for address, choice in self.sites.items():
            if choice == "hypervisor":
                cpu.sites[address] = self.on_site

    def on_site(self, cpu: CPU) -> bool:
        """A learner made this instruction exit (monitor-trap style): exit, run it, re-enter."""
        try:
            ins = cpu.fetch(cpu.eip)
        except Exception:
            return False
        if ins.row.mnemonic in ALWAYS_EXITING or ins.row.mnemonic == "wrmsr":
            return False                      # these exit anyway (wrmsr: by the MSR bitmap)
        if ins.row.mnemonic == "rdtsc":
            return self.exit_rdtsc(ins)
        if ins.row.iclass is IClass.SENSITIVE and ins.row.mnemonic not in ("sgdt", "sidt"):
            return False                      # VT-x cannot be told to exit on it: it just runs,
                                              # correctly, since the guest really is at ring 0
        self.charge_exit("monitor_trap")
        cpu.execute_for_vmm(ins)
        return True

    # -- exits -------------------------------------------------------------------------------
    def on_instruction(self, ins: Instruction) -> bool:
        """A VM exit on an instruction the VMCS says exits; False lets it run in the guest."""
        if ins.row.opcode == VMCALL:
            self.hypercall()
            if not self.vmcs.vpid:
                # The VM entry flushes too: the handler read the guest's memory through the
                # guest's page tables, and those entries must not reach the guest.
                self.cpu.mmu.flush()
            self.cpu.retire(ins)
            return True
        return self.exits[ins.row.syntax](self, ins)

    def charge_exit(self, reason: str, reads: int = 3, writes: int = 1) -> None:
        """One VM exit, its handler with its VMCS accesses, and the VM entry back. Without VPID
        the exit and the entry flush the TLB: the guest comes back to an empty one."""
        p, cpu = self.profile, self.cpu
        if cpu.trace is not None:
            cpu.note("vm_exit", reason=reason)
        cpu.charge("trap", p["vm_exit"] + p["vm_entry"])
        cpu.charge("emulation", p["hav_handler"] + reads * p["vmcs_read"] + writes * p["vmcs_write"])
        self.vmcs.reads += reads
        self.vmcs.writes += writes
        cpu.events["vm_exits"] += 1
        cpu.events[f"vm_exit.{reason}"] += 1
        if not self.vmcs.vpid:
            self._flush_tlb()
        if cpu.trace is not None:
            cpu.note("vm_entry", reason=reason)

    def _flush_tlb(self) -> None:
        """An untagged TLB loses every entry (the guest's walks refill it, charged by the MMU as
        page walks). Counted once per flush: `tlb_flushes`, and the entries it dropped."""
        cpu = self.cpu
        cpu.events["tlb_flushes"] += 1
        cpu.events["tlb_entries_flushed"] += len(cpu.mmu.tlb)
        cpu.mmu.flush()

    def world_switch(self) -> bool:
        """The host is about to run this guest again after another guest ran on the same physical
        CPU. Without VPID the TLB may hold the other guest's translations and is flushed; with
        VPID each guest's entries carry its own tag and nothing is flushed. Whether it flushed."""
        if self.vmcs.vpid:
            return False
        self._flush_tlb()
        return True

    def exit_io(self, ins: Instruction) -> bool:
        port = ins.imm & 0xFFFF
        site = (self.cpu.eip - INSTRUCTION_SIZE) & M32
        choice = self.sites.get(site)
        if self.profile.assigned_nic and port in NIC_PORTS:
            return self.assigned_io(ins, port, choice)
        if (not self.vmcs.io_exiting or port in self.vmcs.passthrough_ports
                or choice == "cpu"):
            self.machine.violations.append(message(
                "containment.real-device", instruction=ins.text(), port=port))
            return False
        self.charge_exit("io", reads=4, writes=1)
        self.cpu.charge("emulation", self.profile[self.machine.bus.device(port).model_key])
        return self.access_for_guest(ins, port)

    def access_for_guest(self, ins: Instruction, port: int) -> bool:
        """The hypervisor makes the guest's port access itself (after its exit), and the guest's
        instruction retires as emulated."""
        cpu, machine = self.cpu, self.machine
        if ins.row.mnemonic == "in":
            cpu.regs[ins.a] = machine.bus.read(port)
        else:
            machine.apic.now = cpu.guest_clock    # a device may start its clock
            if port == PORT_CONSOLE:              # the output still has to reach the real console
                cpu.charge("device", self.profile["port_console"])
            machine.bus.write(port, cpu.regs[ins.a])
        cpu.retire_emulated(ins)
        return True

    def exit_wrmsr(self, ins: Instruction) -> bool:
        """A write to a local-APIC MSR (the MSR bitmap intercepts the x2APIC range; other MSRs
        are the guest's own). With APICv an EOI completes in the guest without an exit."""
        cpu = self.cpu
        index = cpu.regs[1]
        if index not in APIC_MSRS:
            return False
        choice = self.sites.get((cpu.eip - INSTRUCTION_SIZE) & M32)
        if index == MSR_APIC_EOI and self.vmcs.apicv and choice != "hypervisor":
            cpu.events["virtual_eois"] += 1
            return False                  # EOI virtualization: the CPU completes it
        if choice == "cpu":               # no APIC virtualization: the real APIC is the guest's
            self.machine.violations.append(message(
                "containment.real-apic", instruction=ins.text(), msr=index))
            return False
        self.charge_exit("apic_eoi" if index == MSR_APIC_EOI else "msr_write")
        cpu.perform(ins)                  # the VMM's emulated APIC takes the write
        cpu.retire_emulated(ins)
        return True

    def exit_rdtsc(self, ins: Instruction) -> bool:
        """RDTSC exiting (a learner gave rdtsc to the hypervisor): the VMM answers with the
        guest's virtual time — what the counter would show had the VMM's own work never
        happened. Without it, rdtsc runs in the guest with TSC offsetting and shows every exit."""
        cpu = self.cpu
        self.charge_exit("rdtsc")
        tsc = cpu.virtual_tsc()
        cpu.eip = (cpu.eip + INSTRUCTION_SIZE) & M32
        cpu.regs[0], cpu.regs[2] = tsc & M32, tsc >> 32 & M32
        cpu.retire_emulated(ins)
        cpu.block_start = True
        return True

    def assigned_io(self, ins: Instruction, port: int, choice: str | None) -> bool:
        """An access to the assigned network card. Its registers are the guest's: they run
        without an exit unless a learner makes them exit. Its config space (CTRL) exits, and
        the hypervisor sets the IOMMU up before bus mastering goes on — unless the write is
        left to the CPU, and the card's DMA then goes out unremapped."""
        cpu, machine = self.cpu, self.machine
        if port == PORT_CTRL:
            if choice == "cpu":
                return False
            self.charge_exit("pci_config")
            if cpu.regs[ins.a] & CTRL_BUS_MASTER and not isinstance(machine.nic.dma, Iommu):
                machine.nic.dma = Iommu(machine.memory, machine.refusals, machine.nic.charge,
                                        cpu.events)
        elif choice != "hypervisor":
            return False                  # passthrough: the guest drives the card itself
        else:
            self.charge_exit("io", reads=4, writes=1)
            cpu.charge("emulation", self.profile[machine.bus.device(port).model_key])
        return self.access_for_guest(ins, port)

    def exit_hlt(self, ins: Instruction) -> bool:
        self.charge_exit("hlt")
        self.cpu.halt(self.interrupts_enabled(), message_id="run.guest-halted")
        self.cpu.retire_emulated(ins)
        return True

    def exit_cpuid(self, ins: Instruction) -> bool:
        self.charge_exit("cpuid", reads=3, writes=5)
        self.cpu.execute(ins)             # the VMM answers with the hypervisor bit set
        return True

    def exit_mov_cr(self, ins: Instruction) -> bool:
        cpu = self.cpu
        value = cpu.regs[ins.b]
        if ins.a not in (0, 3):
            return False
        if ins.a == 0 and value & CR0_PG and not value & CR0_PE:
            return False                  # PG without PE: the #GP comes before any exit
        self.charge_exit("cr_access")
        if ins.a == 3:
            cpu.cr3 = value
            self.shadow.load_cr3(value, cpu.mmu.walker is not None)
        else:
            old, cpu.cr0 = cpu.cr0, value
            self.shadow.load_cr0(old, value, cpu.cr3)
        cpu.retire_emulated(ins)
        return True

    def exit_invlpg(self, ins: Instruction) -> bool:
        self.charge_exit("invlpg")
        self.pv_invlpg(self.cpu.ea(ins))
        self.cpu.retire_emulated(ins)
        return True

    # -- exceptions and interrupts ---------------------------------------------------------
    def on_exception(self, vector: int, error: int, return_eip: int, software: bool) -> bool:
        cpu = self.cpu
        if vector >= 32 and not software:
            self.deliver_external(vector)
            return False                  # injected on VM entry: delivered through the guest IDT
        if vector == VEC_PF and not software and self.vmcs.page_fault_exiting:
            self.charge_exit("page_fault", reads=4, writes=2)
            if self._traced_store(error):
                return True
            cpu.events["injected"] += 1
            return False                  # a true guest fault: injected into the guest
        if vector < 32 and not software:  # a fault the guest takes itself, in non-root mode
            cpu.charge("trap", self.profile["nonroot_fault"])
        return False

    def posted(self, vector: int) -> bool:
        """A device's interrupt, posted to the running guest (APICv): no exit. The timer's is the
        host's own interrupt and always exits."""
        return self.vmcs.apicv and vector != VEC_TIMER

    def interrupt_waiting(self) -> None:
        """An interrupt fell due while the guest has interrupts off. The physical interrupt exits
        now; the VMM cannot inject it, so it asks for an interrupt-window exit (with APICv the
        CPU delivers the pending virtual interrupt itself once the guest allows it)."""
        if self.arrival_seen or self.mask_in_guest_memory():
            return
        self.arrival_seen = True
        apic = self.machine.apic
        apic.now = self.cpu.guest_clock
        vector = apic.pending()
        if vector is None or self.posted(vector):
            return
        self.charge_exit("external_interrupt")
        self.window_open_exit = not self.vmcs.apicv

    def sees_masked_interrupts(self) -> bool:
        return not self.arrival_seen and not self.mask_in_guest_memory()

    def deliver_external(self, vector: int) -> None:
        cpu = self.cpu
        if self.arrival_seen:
            if self.window_open_exit:
                self.charge_exit("interrupt_window")
        elif self.posted(vector):
            pass
        else:
            self.charge_exit("external_interrupt")
        if self.posted(vector):
            cpu.charge("trap", self.profile["posted_interrupt"])
            cpu.events["posted_interrupts"] += 1
        else:
            cpu.events["injected"] += 1
        self.arrival_seen = self.window_open_exit = False

    def _hidden_fault(self) -> None:
        """Shadow paging without EPT: the #PF exits, the VMM fills the shadow, and re-enters."""
        self.charge_exit("page_fault", reads=4, writes=2)
        self.cpu.charge("emulation", self.profile["shadow_fill"])

    def _traced_store(self, error: int) -> bool:
        vaddr = self.cpu.cr2
        if error & (PF_PRESENT | PF_WRITE) != PF_PRESENT | PF_WRITE:
            return False
        if not self.shadow.is_traced_address(vaddr) or not self.shadow.guest_allows_write(
                vaddr, bool(error & PF_USER)):
            return False
        self.shadow.emulate_store(vaddr)
        self.cpu.charge("emulation", self.profile["shadow_update"])
        return True

    # -- hypercalls from a modified guest (PV drivers on HAV) ------------------------------
    def pv_enter(self) -> None:
        self.charge_exit("vmcall", reads=3, writes=1)

    def pv_kernel_mode(self) -> bool:
        return self.cpu.cpl == 0

    def pv_set_trap_table(self, base: int, limit: int) -> None:
        self.cpu.idtr = (base, limit)

    def pv_stack(self, esp: int) -> None:
        self.cpu.msrs[MSR_KERNEL_ESP] = esp

    def pv_shared_info(self, paddr: int) -> None:
        """A paravirtual kernel masks events in memory; honour the mask beside the real IF."""
        memory, cpu = self.machine.memory, self.cpu
        self.shared_info = paddr
        memory.data[paddr] = 0 if cpu.eflags & IF else 1
        cpu.eflags |= IF

    def interrupts_enabled(self) -> bool:
        if not self.cpu.eflags & IF:
            return False
        return self.shared_info is None or self.machine.memory.data[self.shared_info] == 0

    def mask_in_guest_memory(self) -> bool:
        return self.shared_info is not None

    def pv_pte_written(self, pte_addr: int, old: int) -> None:
        if self.shadow is not None:
            self.shadow.drop_derived(pte_addr & 0xFFFFF000, pte_addr & 0xFFF)

    def pv_load_cr3(self, cr3: int) -> None:
        cpu = self.cpu
        if self.shadow is not None and cpu.mmu.walker is not None:
            cpu.cr3 = cr3
            self.shadow.switch(cr3)
        else:
            cpu.write_cr(3, cr3)

    def pv_invlpg(self, vaddr: int) -> None:
        if self.shadow is not None:
            self.shadow.invlpg(vaddr)
        self.cpu.invlpg(vaddr)

    def pv_block(self) -> None:
        if self.shared_info is not None:
            self.machine.memory.data[self.shared_info] = 0
        self.cpu.eflags |= IF
        self.cpu.halt(True, message_id="run.guest-blocked")

    def pv_iret(self) -> None:
        """iret in non-root mode, after the saved eax; nothing changes unless all of it was
        readable."""
        cpu = self.cpu
        saved_eax = cpu.read32(cpu.regs[4])
        frame = cpu.read_trap_frame(offset=4)
        if frame.cs & 3 < cpu.cpl:
            raise HypercallError(message("refusal.iret-inward"))
        cpu.return_to(frame, frame.eflags & FLAGS_WRITABLE)
        cpu.regs[0] = saved_eax

    # -- nested paging -----------------------------------------------------------------------
    def nested_translate(self, gpa: int) -> tuple[int, int]:
        """EPT: guest-physical to host-physical. The guest owns its RAM 1:1 here; the cost is the
        walk of the nested table's levels for every guest-physical address touched."""
        if gpa >= self.machine.memory.size:   # an EPT violation: refused, the guest gets #GP
            self.machine.refusals.append(message("refusal.outside-ram", address=gpa))
        return gpa, EPT_LEVELS

