"""A small block device: 4 KiB slots, moved to and from memory by DMA (ports 0x70-0x73).

The guest writes a page-aligned physical address and a slot number, then a command: 1 writes
the page to the slot, 2 reads the slot into the page. The transfer is the device's own time
(`disk_io`). The mini-OS uses it as its swap device (system calls 13 and 14, docs/minios.md); a
host that swaps the same guest's memory is told before each transfer (`before_dma`), which is
how the double-paging problem shows (docs/hosts.md).
"""

from __future__ import annotations

from collections.abc import Callable

from virtquest.emu.devices import Device
from virtquest.emu.isa import M32
from virtquest.emu.memory import PAGE_SHIFT, PAGE_SIZE, PhysicalMemory

PORT_DISK_ADDR, PORT_DISK_SLOT, PORT_DISK_CMD, PORT_DISK_STATUS = 0x70, 0x71, 0x72, 0x73
DISK_PORTS = (PORT_DISK_ADDR, PORT_DISK_SLOT, PORT_DISK_CMD, PORT_DISK_STATUS)
DISK_SLOTS = 256                 # 1 MiB of disk
CMD_WRITE, CMD_READ = 1, 2       # memory → disk, disk → memory
EMPTY_SLOT = bytes(PAGE_SIZE)


class Disk(Device):
    """The block device and its slots."""

    name, cost_key, model_key = "disk", "port_disk", "disk_model"

    def __init__(self, memory: PhysicalMemory, charge: Callable[[str, int], None]):
        self.memory = memory
        self.charge = charge                 # (cost key, count): the device's own time
        self.slots: dict[int, bytes] = {}
        self.address = self.slot = self.status = 0
        self.reads = self.writes = 0
        # Told before a transfer touches a page (page number, True when memory is written): a
        # host that keeps guest pages elsewhere brings the page back first.
        self.before_dma: Callable[[int, bool], None] | None = None

    def write(self, port: int, value: int) -> None:
        value &= M32
        if port == PORT_DISK_ADDR:
            self.address = value
        elif port == PORT_DISK_SLOT:
            self.slot = value
        elif port == PORT_DISK_CMD:
            self.status = 0 if self.transfer(value) else 1

    def read(self, port: int) -> int:
        if port == PORT_DISK_STATUS:
            return self.status
        if port == PORT_DISK_ADDR:
            return self.address
        if port == PORT_DISK_SLOT:
            return self.slot
        return M32

    def transfer(self, command: int) -> bool:
        """One page between memory and a slot; False for a bad address, slot or command."""
        address, slot = self.address, self.slot
        if command not in (CMD_WRITE, CMD_READ) or address & (PAGE_SIZE - 1) or \
                address + PAGE_SIZE > self.memory.size or not 0 <= slot < DISK_SLOTS:
            return False
        if self.before_dma is not None:
            self.before_dma(address >> PAGE_SHIFT, command == CMD_READ)
        if command == CMD_WRITE:
            self.slots[slot] = bytes(self.memory.data[address:address + PAGE_SIZE])
            self.writes += 1
        else:
            self.memory.load(address, self.slots.get(slot, EMPTY_SLOT))
            self.reads += 1
        self.charge("disk_io", 1)
        return True

    def stats(self) -> dict[str, int]:
        counts = {"disk_reads": self.reads, "disk_writes": self.writes}
        return {key: value for key, value in counts.items() if value}
