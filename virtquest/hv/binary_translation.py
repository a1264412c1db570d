"""`binary-translation` (전가상화, 이진 변환): VMware's answer to the x86 holes.

Guest-kernel code never runs as written. Each basic block is translated on first use (a cost per
instruction translated) into a translation cache: innocuous instructions are copied and run at
native speed; sensitive and privileged ones are replaced — cheap ones (cli/sti, pushf/popf,
`mov r, cs`, sgdt/sidt, smsw, cr8, rdtsc, port I/O to the virtual devices) by inline emulation on the
virtual CPU, the rest by a callout into the VMM. Indirect control flow (ret, jmp r, call r) pays a
translation-cache lookup. A write into translated code drops its blocks. Page-table writes that
keep trapping are re-translated into callouts (adaptive translation). User code runs directly.
"""

from __future__ import annotations

from dataclasses import dataclass

from virtquest.emu.cpu import CPU
from virtquest.emu.encoding import Instruction
from virtquest.emu.isa import (
    FLAGS_ALWAYS_ONE,
    FLAGS_WRITABLE,
    IF,
    INSTRUCTION_SIZE,
    M32,
    IClass,
    cs_selector,
)
from virtquest.emu.lowering import definition
from virtquest.emu.machine import Machine
from virtquest.emu.memory import PAGE_MASK, PAGE_SHIFT
from virtquest.hv.trap_emulate import EMULATE, TrapEmulateVMM

MAX_BLOCK = 32
ADAPT_AFTER = 2          # traced page-table writes from one instruction before it becomes a callout
INDIRECT = frozenset({"ret", "jmp r", "call r"})
INLINE = frozenset({"cli", "sti", "pushf", "popf", "mov r, cs", "smsw r", "sgdt [m]", "sidt [m]",
                    "in r, imm", "out imm, r", "rdtsc"})


@dataclass
class Block:
    """One translated basic block: where it starts and what each site became."""

    start: int                     # guest-virtual address
    page: int                      # physical page of the guest code
    sites: dict[int, str]          # guest-virtual address -> "inline" | "callout" | "lookup"
    length: int


class BinaryTranslationVMM(TrapEmulateVMM):
    id = "binary-translation"
    title_en = "Full virtualization (binary translation)"
    title_ko = "전가상화 (이진 변환)"
    translated_rings = frozenset({0, 1, 2})     # user code (ring 3) is never translated

    def __init__(self, machine: Machine, sites: dict[int, str] | None = None):
        super().__init__(machine, sites)
        self.cache: dict[int, Block] = {}           # physical address of block start -> block
        self.pages: dict[int, list[int]] = {}       # physical page -> block keys
        self.adaptive: dict[int, int] = {}          # eip -> traced-write traps seen
        self.site_kinds: dict[int, str] = {}        # physical address of a site -> its kind
        for address in self.sites:
            self.cpu.sites.pop(address, None)       # translation decides, not the generic site

    # -- translation -----------------------------------------------------------------------
    def on_block(self, eip: int) -> None:
        if self.vcpu.cpl != 0:
            return                                  # user code runs directly
        cpu = self.cpu
        mmu = cpu.mmu
        # mmu.translate(eip, False, False), its TLB hit written out: this runs at every block
        entry = mmu.tlb.get(eip >> PAGE_SHIFT) if mmu.enabled else None
        pa = mmu.translate(eip, False, False) if entry is None else \
            entry.frame | (eip & PAGE_MASK)
        if pa in self.cache:
            cpu.events["tc_hits"] += 1
            return
        self.translate(eip, pa)

    def repeated_block(self, eip: int):
        """For the fast path: on_block at eip, n more times, when each would be a plain hit."""
        cpu = self.cpu
        if self.vcpu.cpl != 0:
            return lambda n: None
        entry = cpu.mmu.tlb.get(eip >> PAGE_SHIFT) if cpu.mmu.enabled else None
        if entry is None or (entry.frame | (eip & PAGE_MASK)) not in self.cache:
            return None
        events = cpu.events

        def hits(n: int) -> None:
            events["tc_hits"] += n
        return hits

    def block_hit(self, eip: int) -> bool:
        """For the fast path: on_block at eip, if it would be a plain hit (counted); else False."""
        cpu = self.cpu
        if self.vcpu.cpl != 0:
            return True
        entry = cpu.mmu.tlb.get(eip >> PAGE_SHIFT) if cpu.mmu.enabled else None
        if entry is None or (entry.frame | (eip & PAGE_MASK)) not in self.cache:
            return False
        cpu.events["tc_hits"] += 1
        return True

    def translate(self, eip: int, pa: int) -> None:
        cpu = self.cpu
        sites: dict[int, str] = {}
        addr, count = eip, 0
        while count < MAX_BLOCK:
            ins = self.fetch(addr)
            if ins is None:
                break
            count += 1
            kind = self.site_kind(ins, self.sites.get(addr))
            if kind:
                sites[addr] = kind
                cpu.sites[addr] = self.on_site
                self.site_kinds[pa + ((addr - eip) & M32)] = kind
            addr = (addr + INSTRUCTION_SIZE) & M32
            if definition(ins.row).ends_block or addr >> PAGE_SHIFT != eip >> PAGE_SHIFT:
                break
        block = Block(eip, pa >> PAGE_SHIFT, sites, count)
        cpu.mem.watch_page(pa >> PAGE_SHIFT)       # VMware-style: the whole page is traced
        self.cache[pa] = block
        self.pages.setdefault(pa >> PAGE_SHIFT, []).append(pa)
        cpu.charge("translation", count * self.profile["bt_translate"])
        cpu.events["blocks_translated"] += 1
        cpu.note("translate", count=count, address=eip)
        cpu.events["instructions_translated"] += count

    @staticmethod
    def site_kind(ins: Instruction, choice: str | None = None) -> str | None:
        """What the translator makes of one instruction (a learner's choice can change it)."""
        syntax = ins.row.syntax
        if choice == "cpu" and ins.row.iclass is not IClass.INNOCUOUS:
            return None                             # copied as is: it faults, or answers wrongly
        if choice == "hypervisor" and ins.row.iclass is IClass.INNOCUOUS:
            return "callout"
        if syntax == "mov crN, r" and ins.a == 8 or syntax == "mov r, crN" and ins.b == 8:
            return "inline"                         # a virtual TPR is just memory
        if syntax in INLINE:
            return "inline"
        if ins.row.iclass in (IClass.PRIVILEGED, IClass.SENSITIVE):
            return "callout"
        if syntax in INDIRECT:
            return "lookup"
        return None

    def on_code_written(self, ppn: int) -> None:
        """Guest code was written (on a page the translator watches whole): its translations
        are stale."""
        for pa in self.pages.pop(ppn, ()):
            block = self.cache.pop(pa, None)
            if block is not None:
                for addr in block.sites:
                    self.cpu.sites.pop(addr, None)
                    self.site_kinds.pop(pa + ((addr - block.start) & M32), None)
                self.cpu.events["tc_invalidations"] += 1

    # -- running translated sites ----------------------------------------------------------
    def on_site(self, cpu: CPU) -> bool:
        """Called before a translated site executes. False lets the hardware run it as is."""
        eip = cpu.eip
        if self.vcpu.cpl != 0:
            return False
        kind = self._site_at(eip)
        if kind is None:
            return False
        if kind == "lookup":
            cpu.charge("translation", self.profile.cycles["bt_tc_lookup"])
            cpu.events["tc_lookups"] += 1
            return False
        ins = self.fetch(eip)
        if kind == "adaptive":
            return self._adaptive_store(ins)
        cpu.eip = (eip + INSTRUCTION_SIZE) & M32
        try:
            self.vcpu_execute(ins)
        except BaseException:
            cpu.eip = eip
            raise
        cost_key = "bt_inline" if kind == "inline" else "bt_callout"
        cpu.charge("emulation", self.profile.cycles[cost_key])
        cpu.retire_emulated(ins)
        cpu.events["inline" if kind == "inline" else "callouts"] += 1
        if cpu.trace is not None:
            cpu.note("inline" if kind == "inline" else "callout", instruction=ins.text())
        return True

    def _site_at(self, eip: int) -> str | None:
        if eip in self.adaptive and self.adaptive[eip] >= ADAPT_AFTER:
            return "adaptive"
        mmu = self.cpu.mmu
        entry = mmu.tlb.get(eip >> PAGE_SHIFT) if mmu.enabled else None
        if entry is not None:             # a TLB hit, as mmu.translate would find it
            return self.site_kinds.get(entry.frame | (eip & PAGE_MASK))
        try:
            pa = mmu.translate(eip, False, False)
        except Exception:
            return None
        return self.site_kinds.get(pa)

    def vcpu_execute(self, ins: Instruction) -> None:
        """Emulate a sensitive or privileged instruction correctly on the virtual CPU (eip
        already past it)."""
        syntax = ins.row.syntax
        if syntax in TRANSLATE:
            TRANSLATE[syntax](self, ins)
        elif syntax in EMULATE:
            EMULATE[syntax](self, ins)
        else:                           # a learner's callout: the same result, dearer
            self.cpu.perform(ins)

    def _bt_rdtsc(self, ins):
        """rdtsc emulated in the translation cache: the translator shows virtual time, which
        hides its own work (translation, callouts) from a guest that times itself. Left to the
        CPU (copied as is), rdtsc reads the real counter."""
        tsc = self.cpu.virtual_tsc()
        self.cpu.regs[0], self.cpu.regs[2] = tsc & M32, tsc >> 32 & M32

    def _bt_pushf(self, ins):
        cpu = self.cpu
        cpu.push((cpu.eflags & ~IF) | (IF if self.vif else 0) | FLAGS_ALWAYS_ONE)

    def _bt_popf(self, ins):
        cpu = self.cpu
        value = cpu.pop()
        self.vif = bool(value & IF)
        writable = FLAGS_WRITABLE & ~IF
        cpu.eflags = (cpu.eflags & ~writable) | (value & writable) | IF | FLAGS_ALWAYS_ONE

    def _bt_mov_cs(self, ins):
        self.cpu.regs[ins.a] = cs_selector(self.vcpu.cpl)

    def _bt_smsw(self, ins):
        self.cpu.regs[ins.a] = self.vcpu.cr0 & 0xFFFF

    def _bt_sgdt(self, ins):
        self._store(ins, self.vcpu.gdtr)

    def _bt_sidt(self, ins):
        self._store(ins, self.vcpu.idtr)

    def _store(self, ins, table):
        ea = self.cpu.ea(ins)
        self.cpu.write32(ea, table[0])
        self.cpu.write32(ea + 4, table[1])


    # -- adaptive translation of page-table writes -----------------------------------------
    def handle_page_fault(self, vaddr: int, error: int) -> bool:
        handled = super().handle_page_fault(vaddr, error)
        if handled and self.vcpu.cpl == 0:
            eip = (self.cpu.eip - INSTRUCTION_SIZE) & M32
            self.adaptive[eip] = self.adaptive.get(eip, 0) + 1
            if self.adaptive[eip] == ADAPT_AFTER:
                self.cpu.sites[eip] = self.on_site
                self.cpu.events["adaptive_retranslations"] += 1
        return handled

    def _adaptive_store(self, ins: Instruction) -> bool:
        """A page-table store re-translated as a callout: no trap, the VMM does it directly."""
        cpu = self.cpu
        vaddr = cpu.ea(ins) if ins.row.operands and ins.row.operands[0].value == "m" else None
        if vaddr is None or not self.shadow.is_traced_address(vaddr):
            return False
        cpu.charge("emulation", self.profile["bt_pte_update"])
        self.shadow.emulate_store(vaddr)
        cpu.events["callouts"] += 1
        return True


# Sensitive instructions translated into inline code on the virtual CPU (the rest of what the
# translator replaces is emulated as trap & emulate would, EMULATE).
TRANSLATE = {"pushf": BinaryTranslationVMM._bt_pushf, "popf": BinaryTranslationVMM._bt_popf,
             "mov r, cs": BinaryTranslationVMM._bt_mov_cs,
             "smsw r": BinaryTranslationVMM._bt_smsw, "sgdt [m]": BinaryTranslationVMM._bt_sgdt,
             "sidt [m]": BinaryTranslationVMM._bt_sidt, "rdtsc": BinaryTranslationVMM._bt_rdtsc}
