"""The MMU: two-level x86-32 paging with 4 KiB pages, a TLB, accessed/dirty bits and #PF.

`root` is the page directory the hardware walks. Natively it is the guest's cr3; a hypervisor may
point it at a shadow page directory instead (shadow paging), or give the MMU a second stage
(nested paging) that translates every guest-physical address the walk touches.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass

from virtquest.emu.memory import PAGE_MASK, PAGE_SHIFT, BusError, PhysicalMemory

PTE_P, PTE_W, PTE_U, PTE_A, PTE_D = 1, 2, 4, 0x20, 0x40
PF_PRESENT, PF_WRITE, PF_USER = 1, 2, 4  # page-fault error code bits
_AD = PTE_A | PTE_D
_word = struct.Struct("<I").unpack_from   # one little-endian word of RAM
ADDR_MASK = 0xFFFFF000


class PageFault(Exception):
    """#PF: the faulting linear address (for cr2) and x86's error code."""

    def __init__(self, vaddr: int, error: int):
        super().__init__(f"page fault at {vaddr:#010x} (error {error:#x})")
        self.vaddr, self.error = vaddr, error


class TlbEntry:
    """One TLB entry: the page's frame and its rights as the walk found them (a class with slots,
    so compiled code reads its fields as fast as a tuple's)."""

    __slots__ = ("frame", "writable", "user", "dirty")

    def __init__(self, frame: int, writable: bool, user: bool, dirty: bool):
        self.frame = frame          # physical address of the page
        self.writable = writable    # W in both levels
        self.user = user            # U in both levels
        self.dirty = dirty          # the walk set D (a write may hit without walking again)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TlbEntry) and (self.frame, self.writable, self.user,
                                                 self.dirty) == (other.frame, other.writable,
                                                                 other.user, other.dirty)

    def __repr__(self) -> str:
        return (f"TlbEntry({self.frame:#x}, writable={self.writable}, user={self.user}, "
                f"dirty={self.dirty})")


@dataclass(frozen=True)
class Mapping:
    """One present mapping of a page, as the page-table dump shows it."""

    vaddr: int
    paddr: int
    writable: bool
    user: bool
    accessed: bool
    dirty: bool


class MMU:
    """Translates linear to physical addresses; counts walks and the memory references they make."""

    def __init__(self, memory: PhysicalMemory, tlb_entries: int = 64):
        if tlb_entries < 1:
            raise ValueError("the TLB needs at least one entry")
        self.memory = memory
        self.tlb_entries = tlb_entries
        self.enabled = False
        self.write_protect = False     # cr0.WP: supervisor writes honour read-only pages
        self.root = 0                  # physical address of the page directory being walked
        self.tlb: dict[int, TlbEntry] = {}   # by virtual page number
        self.walks = 0
        self.walk_refs = 0
        self.on_walk: Callable[[int], None] = lambda refs: None  # charged by the CPU
        # Nested paging: guest-physical -> host-physical, returning (hpa, memory references made).
        self.second_stage: Callable[[int], tuple[int, int]] | None = None
        # Shadow paging: a hypervisor's walker replaces the walk of `root`; it returns the TLB
        # entry and the memory references it made, or raises PageFault for the hardware's #PF.
        self.walker: Callable[[int, bool, bool], tuple[TlbEntry, int]] | None = None
        # told when an entry goes, or changes other than by gaining rights on the same frame
        self.on_evict: Callable[[], None] | None = None

    # -- translation ------------------------------------------------------------------------
    def translate(self, vaddr: int, write: bool, user: bool) -> int:
        if not self.enabled:
            return vaddr if self.second_stage is None else self._nested_only(vaddr)
        entry = self.tlb.get(vaddr >> PAGE_SHIFT)
        # A hit may be used without a walk when a user access finds U set, and a write finds D
        # set and W set (or a supervisor write with cr0.WP clear): the hottest test of the machine.
        if entry is not None and (entry.user or not user) and (
            not write or entry.dirty and (entry.writable or not (user or self.write_protect))
        ):
            return entry.frame | (vaddr & PAGE_MASK)
        return self._walk(vaddr, write, user)

    def _nested_only(self, vaddr: int) -> int:
        """Paging off under nested paging: the TLB caches guest-physical → host-physical."""
        entry = self.tlb.get(vaddr >> PAGE_SHIFT)
        if entry is None:
            self.walks += 1
            before = self.walk_refs
            entry = TlbEntry(self._stage2(vaddr & ADDR_MASK), True, True, True)
            self.on_walk(self.walk_refs - before)
            self._insert(vaddr >> PAGE_SHIFT, entry)
        return entry.frame | (vaddr & PAGE_MASK)

    def _walk(self, vaddr: int, write: bool, user: bool) -> int:
        self.walks += 1
        before = self.walk_refs
        try:
            walker = self.walker
            if walker is None:
                return self._walk_tables(vaddr, write, user)
            # A shadow-paging VMM's walk (`walker`) in place of the hardware's
            entry, refs = walker(vaddr, write, user)
            self.walk_refs += refs
            if user and not entry.user or write and (
                    not entry.dirty or not entry.writable and (user or self.write_protect)):
                code = PF_PRESENT | (PF_WRITE if write else 0) | (PF_USER if user else 0)
                raise PageFault(vaddr, code)
            vpn, tlb = vaddr >> PAGE_SHIFT, self.tlb
            if vpn in tlb or len(tlb) >= self.tlb_entries:
                self._insert(vpn, entry)
            else:
                tlb[vpn] = entry
            return entry.frame | (vaddr & PAGE_MASK)
        finally:
            self.on_walk(self.walk_refs - before)

    def _walk_tables(self, vaddr: int, write: bool, user: bool) -> int:
        """The hardware's walk of `root` (every walk but a shadow-paging VMM's), each
        guest-physical address it touches translated by the second stage if there is one. The
        entries are read and written in RAM directly (one on a page holding watched code is
        written through memory.write32, so its watch hears of it): this runs after every TLB
        miss, and every address-space switch empties the TLB."""
        mem, stage2 = self.memory, self.second_stage
        data, size = mem.data, mem.size
        pde_addr = (self.root & ADDR_MASK) | ((vaddr >> 22) << 2)
        if stage2 is None:
            # nothing beneath the walk (every walk but nested paging's): each entry one word
            self.walk_refs += 1
            if pde_addr + 4 > size:
                raise BusError(pde_addr)
            pde = _word(data, pde_addr)[0]
            if not pde & PTE_P:
                raise PageFault(vaddr, (PF_WRITE if write else 0) | (PF_USER if user else 0))
            pte_addr = (pde & ADDR_MASK) | ((vaddr >> 10) & 0xFFC)
            self.walk_refs += 1
            if pte_addr + 4 > size:
                raise BusError(pte_addr)
            pte = _word(data, pte_addr)[0]
            if not pte & PTE_P:
                raise PageFault(vaddr, (PF_WRITE if write else 0) | (PF_USER if user else 0))
            both = pde & pte
            w, u = bool(both & PTE_W), bool(both & PTE_U)
            if user and not u or write and not w and (user or self.write_protect):
                raise PageFault(vaddr, PF_PRESENT | (PF_WRITE if write else 0)
                                | (PF_USER if user else 0))
            if not pde & PTE_A:
                self._set_entry(pde_addr, pde | PTE_A)
            if write:
                if pte & _AD != _AD:
                    self._set_entry(pte_addr, pte | _AD)
            elif not pte & PTE_A:
                self._set_entry(pte_addr, pte | PTE_A)
            frame = pte & ADDR_MASK
            vpn = vaddr >> PAGE_SHIFT
            entry = TlbEntry(frame, w, u, bool(write or pte & PTE_D))
            tlb = self.tlb
            if vpn in tlb or len(tlb) >= self.tlb_entries:
                self._insert(vpn, entry)
            else:
                tlb[vpn] = entry
            return frame | (vaddr & PAGE_MASK)
        pde_addr, refs = stage2(pde_addr)
        self.walk_refs += refs
        self.walk_refs += 1
        if pde_addr + 4 > size:
            raise BusError(pde_addr)
        pde = data[pde_addr] | data[pde_addr + 1] << 8 | data[pde_addr + 2] << 16 \
            | data[pde_addr + 3] << 24
        code = (PF_WRITE if write else 0) | (PF_USER if user else 0)
        if not pde & PTE_P:
            raise PageFault(vaddr, code)
        pte_addr = (pde & ADDR_MASK) | (((vaddr >> 12) & 0x3FF) << 2)
        if stage2 is not None:
            pte_addr, refs = stage2(pte_addr)
            self.walk_refs += refs
        self.walk_refs += 1
        if pte_addr + 4 > size:
            raise BusError(pte_addr)
        pte = data[pte_addr] | data[pte_addr + 1] << 8 | data[pte_addr + 2] << 16 \
            | data[pte_addr + 3] << 24
        if not pte & PTE_P:
            raise PageFault(vaddr, code)
        both = pde & pte
        w, u = bool(both & PTE_W), bool(both & PTE_U)
        if user and not u or write and not w and (user or self.write_protect):
            raise PageFault(vaddr, code | PF_PRESENT)
        if not pde & PTE_A:
            self._set_entry(pde_addr, pde | PTE_A)
        bits = PTE_A | PTE_D if write else PTE_A
        if pte & bits != bits:
            self._set_entry(pte_addr, pte | bits)
        frame = pte & ADDR_MASK
        if stage2 is not None:
            frame, refs = stage2(frame)
            self.walk_refs += refs
        vpn = vaddr >> PAGE_SHIFT
        entry = TlbEntry(frame, w, u, bool(write or pte & PTE_D))
        tlb = self.tlb
        if vpn in tlb or len(tlb) >= self.tlb_entries:
            self._insert(vpn, entry)
        else:
            tlb[vpn] = entry
        return frame | (vaddr & PAGE_MASK)

    def _set_entry(self, hpa: int, value: int) -> None:
        """Write back a walked entry with A (and D) set: in place, or through memory.write32 when
        its page holds watched code."""
        mem = self.memory
        if hpa >> PAGE_SHIFT in mem.code_pages:
            mem.write32(hpa, value)
        else:
            mem.data[hpa:hpa + 4] = (value & 0xFFFFFFFF).to_bytes(4, "little")

    def _stage2(self, gpa: int) -> int:
        if self.second_stage is None:
            return gpa
        hpa, refs = self.second_stage(gpa)
        self.walk_refs += refs
        return hpa

    def _insert(self, vpn: int, entry: TlbEntry) -> None:
        old = self.tlb.get(vpn)
        if old is not None:
            # replaced (a write walked a clean page again): only an entry that maps another
            # frame or takes a right away makes copies of the old one wrong; one that adds
            # rights (dirty, writable, user) to the same frame leaves them as true as before
            if old.frame != entry.frame or old.user and not entry.user or \
                    old.writable and not entry.writable or old.dirty and not entry.dirty:
                self._dropped()
        elif len(self.tlb) >= self.tlb_entries:
            del self.tlb[next(iter(self.tlb))]  # FIFO: deterministic and simple
            self._dropped()
        self.tlb[vpn] = entry

    def _dropped(self) -> None:
        """An entry left the TLB or changed (another frame, or a right taken away): whoever
        keeps copies of entries (compiled code running now) must stop using them."""
        if self.on_evict is not None:
            self.on_evict()

    # -- TLB control ------------------------------------------------------------------------
    def flush(self) -> None:
        self.tlb.clear()
        self._dropped()

    def invlpg(self, vaddr: int) -> None:
        self.tlb.pop(vaddr >> PAGE_SHIFT, None)
        self._dropped()

    def forget_frame(self, ppn: int) -> None:
        """Drop every entry that maps to physical page `ppn` (a hypervisor took the frame away:
        the INVEPT of one page)."""
        stale = [vpn for vpn, entry in self.tlb.items() if entry.frame >> PAGE_SHIFT == ppn]
        for vpn in stale:
            del self.tlb[vpn]
        if stale:
            self._dropped()

    # -- inspection (the GUI's page-table view) --------------------------------------------
    def mappings(self, root: int | None = None, limit: int = 4096) -> list[Mapping]:
        """Every present mapping under a page directory (without touching A/D bits or the TLB)."""
        root = self.root if root is None else root
        out: list[Mapping] = []
        mem = self.memory
        for i in range(1024):
            pde = mem.read32((root & ADDR_MASK) + 4 * i)
            if not pde & PTE_P or (pde & ADDR_MASK) + 4096 > mem.size:
                continue
            for j in range(1024):
                pte = mem.read32((pde & ADDR_MASK) + 4 * j)
                if pte & PTE_P:
                    out.append(Mapping((i << 22) | (j << 12), pte & ADDR_MASK,
                                       bool(pde & pte & PTE_W), bool(pde & pte & PTE_U),
                                       bool(pte & PTE_A), bool(pte & PTE_D)))
                    if len(out) >= limit:
                        return out
        return out
