"""`hardware-assist` (하드웨어 지원 가상화): VT-x / AMD-V.

The guest kernel runs at ring 0 in non-root mode, so the x86 holes are gone: pushf, popf, `mov r,
cs` and friends see the guest's own state. The hypervisor runs only when the VMCS says an event
must *exit*: port I/O, HLT, CPUID (always), vmcall, the timer interrupt; and, without EPT, cr3 loads,
invlpg and page faults (shadow paging). Each exit costs a VM exit, the handler's work and its VMCS
reads and writes, and a VM entry. With EPT there are no paging exits, but every TLB miss walks two
dimensions: each guest page-table reference is itself translated (Bhargava et al. 2008).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from virtquest.emu.cpu import CPU, MachineStop
from virtquest.emu.devices import PORT_CONSOLE, PORT_TIMER
from virtquest.emu.encoding import Instruction
from virtquest.emu.isa import (
    BY_MNEMONIC,
    FLAGS_ALWAYS_ONE,
    FLAGS_WRITABLE,
    VEC_PF,
    VEC_TIMER,
    IClass,
)
from virtquest.emu.machine import Machine
from virtquest.emu.mmu import PF_PRESENT, PF_USER, PF_WRITE
from virtquest.hv.pvinterface import HypercallError, HypercallInterface
from virtquest.hv.shadow import ShadowPaging

EPT_LEVELS = 2   # the nested table has as many levels as the guest's (m = n = 2)
M32 = 0xFFFFFFFF


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
    descriptor_table_exiting: bool = False
    tpr_shadow: bool = True       # cr8 reads and writes stay in the guest
    reads: int = 0
    writes: int = 0

    @classmethod
    def for_hardware(cls, ept: bool) -> VMCS:
        return cls(ept=ept, cr3_load_exiting=not ept, invlpg_exiting=not ept,
                   page_fault_exiting=not ept)


class HardwareAssistVMM(HypercallInterface):
    id = "hardware-assist"
    title_en = "Hardware-assisted virtualization (VT-x / AMD-V)"
    title_ko = "하드웨어 지원 가상화 (VT-x / AMD-V)"

    def __init__(self, ept: bool | None = None):
        self.ept_override = ept

    def attach(self, machine: Machine, sites: dict[int, str] | None = None) -> None:
        cpu = machine.cpu
        self.machine, self.cpu, self.profile = machine, cpu, cpu.profile
        ept = cpu.profile.ept if self.ept_override is None else self.ept_override
        self.vmcs = VMCS.for_hardware(ept)
        cpu.hypervisor_present = True
        cpu.gate_rings = False       # the guest kernel is at ring 0 here: a PV trap table's
        cpu.exception_hook = self.on_exception   # ring-1 gates enter it at ring 0
        self.shadow = None if ept else ShadowPaging(cpu, self._hidden_fault)
        if ept:
            cpu.mmu.second_stage = self.nested_translate
        self._install_exits()
        self.install_hypercalls()           # vmcall always exits; a modified guest uses it
        self.shared_info: int | None = None
        self.sites = dict(sites or {})
        for address, choice in self.sites.items():
            if choice == "hypervisor":
                cpu.exec_hooks[address] = self.forced_exit
        machine.vmm = self

    def forced_exit(self, cpu: CPU) -> bool:
        """A learner made this instruction exit (monitor-trap style): exit, run it, re-enter."""
        _, ins = cpu._fetch(cpu.eip)
        if ins.row.mnemonic in ("in", "out", "hlt", "cpuid", "vmcall", "invlpg"):
            return False                      # these exit anyway
        if ins.row.iclass is IClass.SENSITIVE and ins.row.mnemonic not in ("sgdt", "sidt"):
            return False                      # VT-x cannot be told to exit on it: it just runs,
                                              # correctly, since the guest really is at ring 0
        self.charge_exit("monitor_trap")
        cpu.execute_for_vmm(ins)
        return True

    # -- exits -------------------------------------------------------------------------------
    def _install_exits(self) -> None:
        exits = {"in": self._exit_io, "out": self._exit_io, "hlt": self._exit_hlt,
                 "cpuid": self._exit_cpuid}
        if self.vmcs.cr3_load_exiting:
            exits["mov"] = self._exit_mov_cr
        if self.vmcs.invlpg_exiting:
            exits["invlpg"] = self._exit_invlpg
        cpu = self.cpu
        for mnemonic, handler in exits.items():
            for row in BY_MNEMONIC[mnemonic]:
                if mnemonic == "mov" and row.syntax != "mov crN, r":
                    continue
                cpu.handlers[row.opcode] = self._exiting(row, handler, cpu.handlers[row.opcode])
        cpu.forget_decoded()

    def _exiting(self, row, handler, original):
        def run(ins: Instruction) -> None:
            if not handler(ins, original):
                original(ins)
        return run

    def charge_exit(self, reason: str, reads: int = 3, writes: int = 1) -> None:
        """One VM exit, its handler with its VMCS accesses, and the VM entry back."""
        p, cpu = self.profile, self.cpu
        cpu.note("vm_exit", reason)
        cpu.charge("trap", p["vm_exit"] + p["vm_entry"])
        cpu.charge("emulation", p["hav_handler"] + reads * p["vmcs_read"] + writes * p["vmcs_write"])
        self.vmcs.reads += reads
        self.vmcs.writes += writes
        cpu.events["vm_exits"] += 1
        cpu.events[f"vm_exit.{reason}"] += 1
        cpu.note("vm_entry", reason)

    def _emulated(self, ins: Instruction) -> None:
        """The exiting instruction counts as executed for the guest; step() charges nothing."""
        cpu = self.cpu
        cpu.emulated(cpu.cost[ins.row.opcode])
        cpu.cycles -= cpu.cost[ins.row.opcode]   # step() adds the native cost after the handler

    def _exit_io(self, ins: Instruction, original) -> bool:
        port = ins.imm & 0xFFFF
        site = (self.cpu.eip - 8) & M32
        if (not self.vmcs.io_exiting or port in self.vmcs.passthrough_ports
                or self.sites.get(site) == "cpu"):
            self.machine.violations.append(
                f"{ins.text()}: the guest drove the real device on port {port:#x} directly")
            return False
        self.charge_exit("io", reads=4, writes=1)
        self.cpu.charge("emulation", self.profile["virtual_io"])
        if ins.row.mnemonic == "in":
            self.cpu.regs[ins.a] = self.machine.bus.read(port)
        else:
            if port == PORT_TIMER:
                self.machine.timer.now = self.cpu.guest_clock
            elif port == PORT_CONSOLE:      # the output still has to reach the real console
                self.cpu.charge("device", self.profile["port_console"])
            self.machine.bus.write(port, self.cpu.regs[ins.a])
        self._emulated(ins)
        return True

    def _exit_hlt(self, ins: Instruction, original) -> bool:
        cpu, timer = self.cpu, self.machine.timer
        self.charge_exit("hlt")
        if not cpu.interrupts_enabled() or timer.next_fire < 0:
            raise MachineStop("halted", "the guest halted with interrupts disabled or no timer "
                                        "running, so nothing can wake it")
        if timer.next_fire > cpu.guest_clock:
            cpu.charge("idle", timer.next_fire - cpu.guest_clock)
        self._emulated(ins)
        return True

    def _exit_cpuid(self, ins: Instruction, original) -> bool:
        self.charge_exit("cpuid", reads=3, writes=5)
        original(ins)                     # the VMM answers with the hypervisor bit set
        return True

    def _exit_mov_cr(self, ins: Instruction, original) -> bool:
        if ins.a not in (0, 3):
            return False
        if ins.a == 0 and self.cpu.regs[ins.b] & 0x80000000 and not self.cpu.regs[ins.b] & 1:
            return False                  # PG without PE: the #GP comes before any exit
        self.charge_exit("cr_access")
        cpu = self.cpu
        value = cpu.regs[ins.b]
        if ins.a == 3:
            cpu.cr3 = value
            if cpu.mmu.walker is not None:
                self.shadow.switch(value)
        else:
            was = bool(cpu.cr0 & 0x80000000)
            cpu.cr0 = value
            now = bool(value & 0x80000000)
            if now and not was:
                self.shadow.install(cpu.cr3)
            elif was and not now:
                self.shadow.uninstall()
        self._emulated(ins)
        return True

    def _exit_invlpg(self, ins: Instruction, original) -> bool:
        self.charge_exit("invlpg")
        ea = self.cpu.ea(ins)
        self.shadow.invlpg(ea)
        self.cpu.mmu.invlpg(ea)
        self._emulated(ins)
        return True

    # -- exceptions and interrupts ---------------------------------------------------------
    def on_exception(self, cpu: CPU, vector: int, error: int, return_eip: int,
                     software: bool) -> bool:
        if vector == VEC_TIMER and not software:
            self.charge_exit("external_interrupt")
            cpu.events["injected"] += 1
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
        self.cpu.msrs[0x175] = esp

    def pv_shared_info(self, paddr: int) -> None:
        """A paravirtual kernel masks events in memory; honour the mask beside the real IF."""
        memory, cpu = self.machine.memory, self.cpu
        self.shared_info = paddr
        memory.data[paddr] = 0 if cpu.eflags & 0x200 else 1
        cpu.eflags |= 0x200
        cpu.irq_gate = lambda: bool(cpu.eflags & 0x200) and memory.data[paddr] == 0

    def pv_pte_written(self, pte_addr: int, old: int) -> None:
        if self.shadow is not None:
            self.shadow.drop_derived(pte_addr & 0xFFFFF000, pte_addr & 0xFFF)

    def pv_load_cr3(self, cr3: int) -> None:
        cpu = self.cpu
        cpu.cr3 = cr3
        if self.shadow is not None and cpu.mmu.walker is not None:
            self.shadow.switch(cr3)
        else:
            cpu.mmu.root = cr3
            cpu.mmu.flush()

    def pv_invlpg(self, vaddr: int) -> None:
        if self.shadow is not None:
            self.shadow.invlpg(vaddr)
        self.cpu.mmu.invlpg(vaddr)

    def pv_block(self) -> None:
        cpu, timer = self.cpu, self.machine.timer
        if timer.next_fire < 0:
            raise MachineStop("halted", "the guest blocked with no timer running")
        if self.shared_info is not None:
            self.machine.memory.data[self.shared_info] = 0
        cpu.eflags |= 0x200
        if timer.next_fire > cpu.guest_clock:
            cpu.charge("idle", timer.next_fire - cpu.guest_clock)

    def pv_iret(self) -> None:
        """iret in non-root mode, after the saved eax; nothing changes unless all of it was
        readable (`read_iret_frame`)."""
        cpu = self.cpu
        saved_eax, eip, cs, flags, new_esp = self.read_iret_frame()
        if cs & 3 < cpu.cpl:
            raise HypercallError("iret to a more privileged ring")
        cpu.eip, cpu.cpl, cpu.regs[4] = eip, cs & 3, new_esp
        cpu.eflags = (flags & FLAGS_WRITABLE) | FLAGS_ALWAYS_ONE
        cpu.block_start = True
        cpu.regs[0] = saved_eax

    # -- nested paging -----------------------------------------------------------------------
    def nested_translate(self, gpa: int) -> tuple[int, int]:
        """EPT: guest-physical to host-physical. The guest owns its RAM 1:1 here; the cost is the
        walk of the nested table's levels for every guest-physical address touched."""
        if gpa >= self.machine.memory.size:   # an EPT violation: refused, the guest gets #GP
            self.machine.refusals.append(f"guest-physical {gpa:#x} is outside the guest's RAM")
        return gpa, EPT_LEVELS

