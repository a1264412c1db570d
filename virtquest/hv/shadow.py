"""Shadow page tables: the hypervisor's own guest-virtual → machine translations.

The hardware walks the shadow, never the guest's tables. A miss is a *hidden page fault*: the VMM
walks the guest's tables in software and fills the shadow entry, and the guest never knows. The
guest's page-table pages are write-protected ("traced"), so its writes to them trap and the VMM
drops the shadow entries they derived. A first write to a clean page also traps, so the VMM can
set the guest's dirty bit as the hardware would have.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from virtquest.emu.actions import check_cr0
from virtquest.emu.cpu import CPU
from virtquest.emu.isa import CR0_PG, INSTRUCTION_SIZE, M32
from virtquest.emu.memory import PAGE_MASK, PAGE_SHIFT
from virtquest.emu.mmu import (
    ADDR_MASK,
    PF_PRESENT,
    PF_USER,
    PF_WRITE,
    PTE_A,
    PTE_D,
    PTE_P,
    PTE_U,
    PTE_W,
    PageFault,
    TlbEntry,
)

Entry = TlbEntry   # a shadow entry is what the TLB will hold
# Distinct entries written in one traced frame, with no walk through it in between, before the VMM
# decides it is no longer a page table and stops tracing it (write-flood detection, as KVM does): a
# freed page table zeroed for reuse as data would otherwise trap on every store. Rewriting the same
# entry again and again (a kernel updating one PTE) never floods.
FLOOD_LIMIT = 8


class ShadowPaging:
    """One shadow per guest page directory, filled lazily, kept coherent by tracing."""

    def __init__(self, cpu: CPU, on_hidden_fault: Callable[[], None]):
        self.cpu, self.mem = cpu, cpu.mem
        self.on_hidden_fault = on_hidden_fault   # charges the trap and the fill
        self.shadows: dict[int, dict[int, Entry]] = {}
        self.current: dict[int, Entry] = {}
        self.guest_cr3 = 0
        self.traced: dict[int, int] = defaultdict(int)         # guest page-table frame -> uses
        self.derived: dict[int, set[tuple[int, int]]] = defaultdict(set)  # frame -> (cr3, vpn)
        self.mapped_to: dict[int, set[tuple[int, int]]] = defaultdict(set)  # target -> (cr3, vpn)
        self.unlocked = False   # while the VMM itself emulates a traced write
        self.flood: dict[int, set[int]] = defaultdict(set)  # traced frame -> offsets written

    # -- the guest's control registers, as they change what the hardware walks -----------------
    def load_cr0(self, old: int, new: int, cr3: int) -> None:
        """The guest loads cr0: paging turned on installs the shadow of cr3's directory, turned
        off removes it. Paging without protected mode is a #GP, as on the hardware."""
        check_cr0(new)
        if new & CR0_PG and not old & CR0_PG:
            self.install(cr3)
        elif old & CR0_PG and not new & CR0_PG:
            self.uninstall()

    def load_cr3(self, cr3: int, paging: bool) -> None:
        """The guest loads cr3: with paging on, the hardware now walks that directory's shadow."""
        if paging:
            self.switch(cr3)

    def pte_written(self, pte_addr: int, old: int) -> None:
        """The VMM wrote a guest page-table entry for the guest (a validated mmu_update): drop
        the translations it had produced (new mappings had none). When a page directory lets go
        of a page table, that frame is no longer a page table: stop tracing it (Xen's unpin), so
        its reuse as an ordinary page does not trap."""
        frame = pte_addr & ADDR_MASK
        self.drop_derived(frame, pte_addr & PAGE_MASK)
        if frame in self.shadows and old & PTE_P and (old & ADDR_MASK) != frame:
            self.untrace(old & ADDR_MASK)

    # -- the hardware's view ---------------------------------------------------------------
    def install(self, cr3: int) -> None:
        mmu = self.cpu.mmu
        mmu.walker, mmu.enabled, mmu.write_protect = self.walk, True, True
        self.switch(cr3)

    def uninstall(self) -> None:
        mmu = self.cpu.mmu
        mmu.walker, mmu.enabled = None, False
        mmu.flush()

    def switch(self, cr3: int) -> None:
        """A guest cr3 load: the hardware now walks that directory's shadow."""
        self.guest_cr3 = cr3 & ADDR_MASK
        self.current = self.shadows.setdefault(self.guest_cr3, {})
        self.cpu.mmu.flush()

    def walk(self, vaddr: int, write: bool, user: bool) -> tuple[Entry, int]:
        entry = self.current.get(vaddr >> 12)
        if entry is not None:
            if entry.dirty or not write:
                return entry, 2
            if self._frame_traced(entry.frame):
                if self.unlocked:   # the VMM's own emulated write
                    return TlbEntry(entry.frame, True, entry.user, True), 2
                raise PageFault(vaddr, PF_PRESENT | PF_WRITE | (PF_USER if user else 0))
        entry = self._fill(vaddr, write, user)   # a true guest fault raises: the VMM reflects it
        self.on_hidden_fault()                    # a hidden one: the VMM filled the shadow
        self.cpu.events["shadow_page_faults"] += 1
        return entry, 2

    # -- filling from the guest's tables ---------------------------------------------------
    def guest_lookup(self, vaddr: int) -> tuple[int, int, int, int] | None:
        """(pde address, pde, pte address, pte) of the guest's own tables, or None if absent."""
        pde_addr = self.guest_cr3 | ((vaddr >> 22) << 2)
        pde = self.mem.read32(pde_addr)
        if not pde & PTE_P:
            return None
        pte_addr = (pde & ADDR_MASK) | (((vaddr >> 12) & 0x3FF) << 2)
        return pde_addr, pde, pte_addr, self.mem.read32(pte_addr)

    def _fill(self, vaddr: int, write: bool, user: bool) -> Entry:
        # guest_lookup, _trace and _frame_traced written out: this runs at every walk of a
        # paravirtual guest and at every hidden fault
        # The entries are read from RAM directly (memory.read32 for a bus error), and written
        # back only when a bit is new or the page holds watched code (whose watch hears of
        # every write): storing the value already there changes nothing else.
        mem, cr3 = self.mem, self.guest_cr3
        data, size = mem.data, mem.size
        code = (PF_WRITE if write else 0) | (PF_USER if user else 0)
        pde_addr = cr3 | ((vaddr >> 22) << 2)
        pde = data[pde_addr] | data[pde_addr + 1] << 8 | data[pde_addr + 2] << 16 \
            | data[pde_addr + 3] << 24 if pde_addr + 4 <= size else mem.read32(pde_addr)
        if not pde & PTE_P:
            raise PageFault(vaddr, code)          # a true guest fault: reflected to the guest
        pte_addr = (pde & ADDR_MASK) | (((vaddr >> 12) & 0x3FF) << 2)
        pte = data[pte_addr] | data[pte_addr + 1] << 8 | data[pte_addr + 2] << 16 \
            | data[pte_addr + 3] << 24 if pte_addr + 4 <= size else mem.read32(pte_addr)
        if not pte & PTE_P:
            raise PageFault(vaddr, code)
        both = pde & pte
        w, u = bool(both & PTE_W), bool(both & PTE_U)
        if (user and not u) or (write and not w):
            raise PageFault(vaddr, code | PF_PRESENT)
        watched = mem.code_pages
        if not pde & PTE_A or pde_addr >> PAGE_SHIFT in watched:
            mem.write32(pde_addr, pde | PTE_A)
        bits = PTE_A | PTE_D if write else PTE_A
        if pte & bits != bits or pte_addr >> PAGE_SHIFT in watched:
            mem.write32(pte_addr, pte | bits)
        frame, table, traced = pte & ADDR_MASK, pde & ADDR_MASK, self.traced
        if cr3 not in traced:
            self._trace(cr3)
        if table not in traced:
            self._trace(table)
        self.flood.pop(cr3, None)
        self.flood.pop(table, None)
        vpn = vaddr >> 12
        key = (cr3, vpn)
        self.derived[cr3].add(key)
        self.derived[table].add(key)
        self.mapped_to[frame].add(key)
        frame_traced = frame in traced
        dirty = bool((write or pte & PTE_D) and w) and not frame_traced
        entry = TlbEntry(frame, w and not frame_traced, u, dirty)
        self.current[vpn] = entry
        return entry

    # -- tracing ---------------------------------------------------------------------------
    def _frame_traced(self, frame: int) -> bool:
        return frame in self.traced

    def _trace(self, frame: int) -> None:
        if frame not in self.traced:
            self.traced[frame] = 1
            for cr3, vpn in list(self.mapped_to.get(frame, ())):   # now read-only everywhere
                self._drop(cr3, vpn)

    def is_traced_address(self, vaddr: int) -> bool:
        found = self.guest_lookup(vaddr)
        return found is not None and bool(found[3] & PTE_P) and self._frame_traced(
            found[3] & ADDR_MASK)

    def traced_write_done(self, vaddr: int) -> None:
        """After the VMM emulated a write into a guest page table: drop what it derived."""
        found = self.guest_lookup(vaddr)
        if found is None:
            return
        frame = found[3] & ADDR_MASK
        self.drop_derived(frame, vaddr & PAGE_MASK)
        self.cpu.mmu.invlpg(vaddr)        # the write went through a temporarily writable entry
        self.cpu.events["traced_pt_writes"] += 1
        self.flood[frame].add(vaddr & 0xFFC)
        if len(self.flood[frame]) >= FLOOD_LIMIT:
            self.untrace(frame)

    def drop_derived(self, frame: int, offset: int) -> None:
        """The entry at `offset` of a guest page directory or page table changed: drop the
        translations that went through that one entry (and only those)."""
        index = offset >> 2
        for cr3, vpn in list(self.derived.get(frame, ())):
            through = (vpn >> 10) if cr3 == frame else (vpn & 0x3FF)
            if through == index:
                self._drop(cr3, vpn)
                self.derived[frame].discard((cr3, vpn))

    def untrace(self, frame: int) -> None:
        """Stop tracing a frame: nothing derived from it survives, its mappings become writable
        again; if the guest walks through it as a page table later, it is traced anew."""
        self.traced.pop(frame, None)
        self.flood.pop(frame, None)
        for cr3, vpn in list(self.derived.pop(frame, ())):
            self._drop(cr3, vpn)
        for cr3, vpn in list(self.mapped_to.get(frame, ())):
            self._drop(cr3, vpn)
        self.cpu.events["unshadowed_frames"] += 1

    def emulate_store(self, vaddr: int) -> None:
        """Run the guest's store at eip on the VMM's behalf (write protection lifted), then drop
        the shadow entries the written page table had produced."""
        cpu = self.cpu
        eip = cpu.eip
        ins = cpu.fetch(eip)
        cpu.eip = (eip + INSTRUCTION_SIZE) & M32
        self.unlocked = True
        try:
            cpu.execute(ins)
        except BaseException:
            cpu.eip = eip
            raise
        finally:
            self.unlocked = False
        self.traced_write_done(vaddr)

    def guest_allows_write(self, vaddr: int, user: bool = False) -> bool:
        """Whether the guest's own tables let this write through (the trap was only ours)."""
        found = self.guest_lookup(vaddr)
        if found is None or not found[3] & PTE_P:
            return False
        bits = found[1] & found[3]
        return bool(bits & PTE_W) and (not user or bool(bits & PTE_U))

    def invlpg(self, vaddr: int) -> None:
        self._drop(self.guest_cr3, vaddr >> 12)

    def _drop(self, cr3: int, vpn: int) -> None:
        shadow = self.shadows.get(cr3)
        if shadow is not None and shadow.pop(vpn, None) is not None and cr3 == self.guest_cr3:
            self.cpu.mmu.invlpg(vpn << 12)


class DirectPaging(ShadowPaging):
    """Paravirtual direct paging (Xen): the hardware walks the guest's own tables, which the
    guest may not write directly — it asks the VMM with (batched) mmu_update hypercalls. A
    direct store into a page table still traps and is emulated, like a traced write."""

    def walk(self, vaddr: int, write: bool, user: bool) -> tuple[Entry, int]:
        if self.unlocked:
            entry = self.current.get(vaddr >> 12)
            if entry is not None and self._frame_traced(entry.frame):
                return TlbEntry(entry.frame, True, entry.user, True), 2
        entry = self._fill(vaddr, write, user)
        if write and not entry.writable and self._frame_traced(entry.frame) and \
                not self.unlocked:
            raise PageFault(vaddr, PF_PRESENT | PF_WRITE | (PF_USER if user else 0))
        return entry, 2
