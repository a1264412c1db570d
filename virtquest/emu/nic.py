"""The network card: receive interrupts, a transmit engine that reads packets from memory by DMA,
and what stands between its DMA and memory (nothing, a hypervisor's device model, or an IOMMU).

Ports (all 32-bit, `in`/`out`):

| port | name | what it does |
|---|---|---|
| 0x50 | RX_INTERVAL | write P > 0: a packet arrives every P cycles of the guest's clock (vector 33); read: packets so far |
| 0x58 | TX_ADDR | write: the physical address of the next packet to send |
| 0x59 | TX_LEN | write: its length in bytes (at most 1514) |
| 0x5A | TX_GO | write: send it — the card reads the bytes by DMA and puts them on the wire |
| 0x5B | TX_STATUS | read: 0 if the last send went out, 1 if its DMA failed (or DMA is off) |
| 0x5C | WIRE_SUM | read: a checksum of every byte the card has put on the wire |
| 0x5F | CTRL | write bit 0: bus mastering on (the card may use DMA at all), as in PCI's command register |

The wire's checksum is how a guest (and a test) proves what really went out: a packet read from
the wrong memory changes it.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from virtquest.emu.devices import Device
from virtquest.emu.interrupts import Source
from virtquest.emu.isa import M32
from virtquest.emu.memory import PAGE_SHIFT, PhysicalMemory
from virtquest.emu.messages import Message, message

PORT_RX = 0x50
PORT_TX_ADDR, PORT_TX_LEN, PORT_TX_GO, PORT_TX_STATUS, PORT_WIRE = 0x58, 0x59, 0x5A, 0x5B, 0x5C
PORT_CTRL = 0x5F
TX_PORTS = (PORT_TX_ADDR, PORT_TX_LEN, PORT_TX_GO, PORT_TX_STATUS, PORT_WIRE)
NIC_PORTS = (PORT_RX, *TX_PORTS, PORT_CTRL)
VEC_NIC = 33
MAX_FRAME = 1514
CTRL_BUS_MASTER = 1
# Where a guest's RAM sits in the host's physical memory when a device is assigned to it: the
# guest's physical address 0 is the host's HOST_BASE (a guest-physical address is not a host one).
HOST_BASE = 0x1000_0000


class RamDMA:
    """DMA straight into the machine's RAM: bare hardware, or a hypervisor's device model, which
    knows where the guest's memory is. An address outside RAM is a failed transfer (on a PC, a
    master abort)."""

    def __init__(self, memory: PhysicalMemory):
        self.memory = memory

    def read(self, address: int, length: int) -> bytes | None:
        if address < 0 or address + length > self.memory.size:
            return None
        return bytes(self.memory.data[address:address + length])


class UnremappedDMA:
    """A device assigned to a guest with no IOMMU in the way: it uses the guest's addresses as
    host-physical ones. They are not: the guest's RAM starts at HOST_BASE, so its DMA reaches
    whatever host memory has those numbers — every such access is a containment breach."""

    def __init__(self, memory: PhysicalMemory, violations: list[Message]):
        self.memory, self.violations = memory, violations

    def read(self, address: int, length: int) -> bytes | None:
        guest = address - HOST_BASE
        if guest >= 0 and guest + length <= self.memory.size:
            return bytes(self.memory.data[guest:guest + length])
        self.violations.append(message("containment.dma-host-memory", address=address,
                                       length=length))
        return bytes(length)            # the host's memory there (its contents do not matter)


class Iommu:
    """DMA remapping (VT-d / AMD-Vi, much simplified): the hypervisor maps each page of the
    guest's RAM for the device; the IOMMU translates each DMA page through that table, caching
    translations in an IOTLB, and refuses (faults) an address with no mapping."""

    IOTLB_ENTRIES = 32

    def __init__(self, memory: PhysicalMemory, refusals: list[Message],
                 charge: Callable[[str, int], None], events):
        self.memory, self.refusals, self.charge, self.events = memory, refusals, charge, events
        pages = memory.size >> PAGE_SHIFT
        self.table = {page: (HOST_BASE >> PAGE_SHIFT) + page for page in range(pages)}
        self.iotlb: OrderedDict[int, int] = OrderedDict()

    def translate(self, page: int) -> int | None:
        frame = self.iotlb.get(page)
        if frame is not None:
            self.iotlb.move_to_end(page)
            return frame
        self.events["iotlb_misses"] += 1
        self.charge("iommu_walk", 1)
        frame = self.table.get(page)
        if frame is not None:
            self.iotlb[page] = frame
            if len(self.iotlb) > self.IOTLB_ENTRIES:
                self.iotlb.popitem(last=False)
        return frame

    def read(self, address: int, length: int) -> bytes | None:
        out = bytearray()
        end = address + length
        while address < end:
            page = address >> PAGE_SHIFT
            frame = self.translate(page)
            if frame is None:
                self.events["dma_faults"] += 1
                self.refusals.append(message("refusal.dma-fault", address=address))
                return None
            upto = min(end, (page + 1) << PAGE_SHIFT)
            host = (frame << PAGE_SHIFT | address & 0xFFF) - HOST_BASE
            out += self.memory.data[host:host + upto - address]
            address = upto
        return bytes(out)


class NetworkCard(Source, Device):
    """The card: its receive side raises vector 33 every RX_INTERVAL cycles (a packet here is its
    interrupt); its transmit side sends a packet from memory on TX_GO."""

    name, cost_key, model_key = "network card", "port_nic", "nic_model"
    vector = VEC_NIC

    def __init__(self, memory: PhysicalMemory, charge: Callable[[str, int], None]):
        Source.__init__(self)
        self.interval = 0
        self.dma: RamDMA | UnremappedDMA | Iommu = RamDMA(memory)
        self.charge = charge               # (cost key, count): the device's own time
        self.ctrl = 0
        self.tx_addr = self.tx_len = self.status = 0
        self.wire_sum = 0
        self.sent = self.errors = 0

    # -- the receive side: a source of interrupts ------------------------------------------------
    def fired(self, now: int) -> None:
        """Packets keep their own pace, whenever the guest takes their interrupts: the next one
        is due an interval after this one was (at once, if the guest is that far behind)."""
        self.raised += 1
        self.due = self.due + self.interval if self.interval else -1

    # -- registers ------------------------------------------------------------------------------
    def write(self, port: int, value: int) -> None:
        value &= M32
        if port == PORT_RX:
            self.interval = value
            self.due = self.controller.now + value if value else -1
            self.changed()
        elif port == PORT_TX_ADDR:
            self.tx_addr = value
        elif port == PORT_TX_LEN:
            self.tx_len = value
        elif port == PORT_TX_GO:
            self.status = 0 if self.transmit_from(self.tx_addr, self.tx_len) else 1
        elif port == PORT_CTRL:
            self.ctrl = value

    def read(self, port: int) -> int:
        if port == PORT_RX:
            return self.raised & M32
        if port == PORT_TX_STATUS:
            return self.status
        if port == PORT_WIRE:
            return self.wire_sum
        if port == PORT_CTRL:
            return self.ctrl
        return M32

    # -- sending -------------------------------------------------------------------------------
    def transmit_from(self, address: int, length: int) -> bool:
        """Read a packet by DMA and send it; False if the transfer failed (or DMA is off)."""
        data = None
        if self.ctrl & CTRL_BUS_MASTER and 0 < length <= MAX_FRAME:
            data = self.dma.read(address, length)
        if data is None:
            self.errors += 1
            return False
        self.put_on_wire(data)
        return True

    def put_on_wire(self, data: bytes) -> None:
        total = self.wire_sum
        for byte in data:
            total = (total * 31 + byte) & M32
        self.wire_sum = total
        self.sent += 1
        self.charge("nic_packet", 1)

    def stats(self) -> dict[str, int]:
        """The card's counts for a run's events (only those that happened)."""
        counts = {"nic_interrupts": self.raised, "nic_packets_sent": self.sent,
                  "nic_send_errors": self.errors, "nic_wire_sum": self.wire_sum}
        return {key: value for key, value in counts.items() if value}
