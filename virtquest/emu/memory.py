"""Physical memory: little-endian RAM with a watch on pages that hold decoded code.

Writes to a watched page tell the CPU to forget what it decoded there (self-modifying code and
code loaded over old code stay correct).
"""

from __future__ import annotations

from collections.abc import Callable

PAGE_SHIFT = 12
PAGE_SIZE = 1 << PAGE_SHIFT
PAGE_MASK = PAGE_SIZE - 1


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
        self.code_pages: set[int] = set()
        self.on_code_write: Callable[[int], None] = lambda ppn: None

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
            self.on_code_write(paddr >> PAGE_SHIFT)

    def write32(self, paddr: int, value: int) -> None:
        if paddr + 4 > self.size:
            raise BusError(paddr)
        self.data[paddr:paddr + 4] = (value & 0xFFFFFFFF).to_bytes(4, "little")
        if paddr >> PAGE_SHIFT in self.code_pages or (paddr + 3) >> PAGE_SHIFT in self.code_pages:
            self.on_code_write(paddr >> PAGE_SHIFT)
            self.on_code_write((paddr + 3) >> PAGE_SHIFT)

    def load(self, paddr: int, blob: bytes) -> None:
        """Copy a blob into RAM (a loader's write: watched pages are told too)."""
        if paddr < 0 or paddr + len(blob) > self.size:
            raise BusError(paddr + len(blob))
        self.data[paddr:paddr + len(blob)] = blob
        for ppn in range(paddr >> PAGE_SHIFT, (paddr + max(len(blob), 1) - 1 >> PAGE_SHIFT) + 1):
            if ppn in self.code_pages:
                self.on_code_write(ppn)
