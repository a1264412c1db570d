"""Physical memory: little-endian RAM with a watch on the bytes that hold decoded code.

A write over watched code tells the CPU to forget what it decoded on that page (self-modifying code
and code loaded over old code stay correct). The watch is kept per 32-byte chunk, so a kernel that
keeps its variables on the same page as its code does not throw its decoded code away at every
store; a hypervisor that traces whole pages (binary translation) watches the whole page.
"""

from __future__ import annotations

from collections.abc import Callable

from virtquest.emu.isa import M32

PAGE_SHIFT = 12
PAGE_SIZE = 1 << PAGE_SHIFT
PAGE_MASK = PAGE_SIZE - 1
CHUNK_SHIFT = 5                 # the granularity of the code watch: 32 bytes


class BusError(Exception):
    """A physical address outside RAM (the CPU turns it into #GP)."""

    def __init__(self, paddr: int):
        super().__init__(f"physical address {paddr:#010x} is outside RAM")
        self.paddr = paddr


class PhysicalMemory:
    """Byte-addressed RAM of `size` bytes."""

    def __init__(self, size: int = 1 << 20):
        if size <= 0 or size % PAGE_SIZE or size > 1 << 30:
            raise ValueError("RAM size must be a positive multiple of 4 KiB, at most 1 GiB")
        self.size = size
        self.data = bytearray(size)
        self.code_pages: set[int] = set()     # pages with watched code (a quick first filter)
        self.code_chunks: set[int] = set()    # paddr >> CHUNK_SHIFT of every watched code byte
        self.whole_pages: set[int] = set()    # pages where any write counts as a code write
        # Counts the pages newly watched (code or whole): whoever keeps pages it found unwatched
        # (compiled code writes them without asking) looks again when it changed.
        self.watch_version = 0
        self.on_code_write: Callable[[int], None] = lambda ppn: None   # watched code bytes
        self.on_page_write: Callable[[int], None] = lambda ppn: None   # a whole-page watch only

    # -- the code watch ---------------------------------------------------------------------
    def watch(self, paddr: int, length: int) -> None:
        """Watch `length` bytes of code at paddr (one page at most)."""
        if paddr >> PAGE_SHIFT not in self.code_pages:
            self.watch_version += 1
        self.code_pages.add(paddr >> PAGE_SHIFT)
        for chunk in range(paddr >> CHUNK_SHIFT, ((paddr + length - 1) >> CHUNK_SHIFT) + 1):
            self.code_chunks.add(chunk)

    def watch_page(self, ppn: int) -> None:
        """Count any write to the page as a code write."""
        if ppn not in self.whole_pages:
            self.watch_version += 1
        self.code_pages.add(ppn)
        self.whole_pages.add(ppn)

    def unwatch(self, ppn: int) -> None:
        self.code_pages.discard(ppn)
        self.whole_pages.discard(ppn)
        first = ppn << (PAGE_SHIFT - CHUNK_SHIFT)
        self.code_chunks.difference_update(range(first, first + (PAGE_SIZE >> CHUNK_SHIFT)))

    def touches_code(self, paddr: int, last: int) -> bool:
        """Whether a write of bytes paddr..last (on one page) must be reported: it lands on
        watched code, or on a page watched whole."""
        if paddr >> PAGE_SHIFT in self.whole_pages:
            return True
        chunks = self.code_chunks
        return paddr >> CHUNK_SHIFT in chunks or last >> CHUNK_SHIFT in chunks

    def _written(self, paddr: int, last: int) -> None:
        chunks = self.code_chunks
        for ppn in {paddr >> PAGE_SHIFT, last >> PAGE_SHIFT}:
            if ppn in self.code_pages:
                lo, hi = max(paddr, ppn << PAGE_SHIFT), min(last, (ppn << PAGE_SHIFT) | PAGE_MASK)
                if lo >> CHUNK_SHIFT in chunks or hi >> CHUNK_SHIFT in chunks:
                    self.on_code_write(ppn)
                elif ppn in self.whole_pages:
                    self.whole_pages.discard(ppn)     # told once; the watcher watches again
                    first = ppn << (PAGE_SHIFT - CHUNK_SHIFT)
                    if chunks.isdisjoint(range(first, first + (PAGE_SIZE >> CHUNK_SHIFT))):
                        self.code_pages.discard(ppn)  # nothing on it is watched any more
                    self.on_page_write(ppn)

    def read8(self, paddr: int) -> int:
        if paddr >= self.size:
            raise BusError(paddr)
        return self.data[paddr]

    def read32(self, paddr: int) -> int:
        if paddr + 4 > self.size:
            raise BusError(paddr)
        return int.from_bytes(self.data[paddr:paddr + 4], "little")

    def write8(self, paddr: int, value: int) -> None:
        if paddr >= self.size:
            raise BusError(paddr)
        self.data[paddr] = value & 0xFF
        if paddr >> PAGE_SHIFT in self.code_pages:
            self._written(paddr, paddr)

    def write32(self, paddr: int, value: int) -> None:
        if paddr + 4 > self.size:
            raise BusError(paddr)
        self.data[paddr:paddr + 4] = (value & M32).to_bytes(4, "little")
        if paddr >> PAGE_SHIFT in self.code_pages or (paddr + 3) >> PAGE_SHIFT in self.code_pages:
            self._written(paddr, paddr + 3)

    def load(self, paddr: int, blob: bytes) -> None:
        """Copy a blob into RAM (a loader's write: watched pages are told too)."""
        if paddr < 0 or paddr + len(blob) > self.size:
            raise BusError(paddr + len(blob))
        self.data[paddr:paddr + len(blob)] = blob
        for ppn in range(paddr >> PAGE_SHIFT, (paddr + max(len(blob), 1) - 1 >> PAGE_SHIFT) + 1):
            if ppn in self.code_pages:
                self.on_code_write(ppn)
