"""A paravirtual network device (virtio-net's transmit queue, simplified): the back end every
hypervisor here offers a guest that has a virtio driver.

The guest and the hypervisor share one *virtqueue* in guest memory, a split ring as in virtio
(Russell, 2008), with VQ32's 32-bit fields (virtio uses 64-bit addresses and 16-bit indexes):

    queue + 0     descriptor table: QUEUE_SIZE entries of 16 bytes — address, length, flags, next
    queue + 256   available ring (driver → device): flags, idx, ring[QUEUE_SIZE] (descriptor ids)
    queue + 512   used ring (device → driver): flags, idx, ring[QUEUE_SIZE] of (id, length)

The driver writes the queue's address to port 0x5D once. To send, it fills descriptors, puts
their ids in the available ring, advances `avail.idx` — as many packets as it likes — and then
*notifies* the device once, by writing port 0x5E: the one access that leaves the guest (a trap or
a VM exit). The back end then takes every new descriptor, reads its packet (it knows where the
guest's memory is), hands it to the real network card, and returns it in the used ring with the
bytes sent (0 if the packet could not be read). Unless the available ring's flags ask for no
interrupt (bit 0, virtio's VRING_AVAIL_F_NO_INTERRUPT), it then raises vector 34.
"""

from __future__ import annotations

from virtquest.emu.devices import Device
from virtquest.emu.interrupts import Source
from virtquest.emu.isa import M32
from virtquest.emu.machine import Machine
from virtquest.emu.memory import PAGE_SHIFT
from virtquest.emu.messages import message
from virtquest.emu.nic import MAX_FRAME, RamDMA

PORT_VIRTIO_QUEUE, PORT_VIRTIO_NOTIFY = 0x5D, 0x5E
QUEUE_SIZE = 16
DESC, AVAIL, USED = 0, 256, 512
AVAIL_NO_INTERRUPT = 1
VEC_VIRTIO = 34


class UsedBufferInterrupt(Source):
    """The back end's interrupt: raised at once when it has returned buffers."""

    vector = VEC_VIRTIO

    def raise_now(self) -> None:
        self.due = self.controller.now
        self.changed()


class VirtioNet(Device):
    """The hypervisor's virtio back end for the network card's transmit side."""

    name, cost_key = "virtio-net", "port_nic"

    def __init__(self, machine: Machine):
        self.machine = machine
        self.memory = machine.memory
        self.dma = RamDMA(machine.memory)      # the back end knows where the guest's RAM is
        self.queue: int | None = None
        self.granted: set[int] | None = None     # pages a split driver granted (None: any)
        self.last_avail = 0
        self.used_idx = 0
        self.irq = UsedBufferInterrupt()
        machine.apic.add(self.irq)
        bus = machine.bus
        bus.attach(PORT_VIRTIO_QUEUE, self)
        bus.attach(PORT_VIRTIO_NOTIFY, self)

    def read(self, port: int) -> int:
        return self.queue if port == PORT_VIRTIO_QUEUE and self.queue is not None else 0

    def write(self, port: int, value: int) -> None:
        if port == PORT_VIRTIO_QUEUE:
            self.queue = value & M32
            self.last_avail = self.used_idx = 0
        elif port == PORT_VIRTIO_NOTIFY:
            self.notified()

    def connect(self, ring: int) -> None:
        """A split driver's front end (Xen-style, by hypercall): the ring, and from now on the
        back end reads only pages the guest granted."""
        self.queue = ring
        self.last_avail = self.used_idx = 0
        self.granted = set()

    def grant(self, frame: int) -> None:
        if self.granted is not None:
            self.granted.add(frame >> PAGE_SHIFT)

    def _readable(self, address: int, length: int) -> bool:
        if self.granted is None:
            return True
        pages = range(address >> PAGE_SHIFT, (address + length - 1 >> PAGE_SHIFT) + 1)
        if all(page in self.granted for page in pages):
            return True
        self.machine.refusals.append(message("refusal.not-granted", address=address))
        return False

    def _word(self, offset: int) -> int:
        address = self.queue + offset
        if not 0 <= address <= self.memory.size - 4:
            return 0
        return int.from_bytes(self.memory.data[address:address + 4], "little")

    def _put(self, offset: int, value: int) -> None:
        address = self.queue + offset
        if 0 <= address <= self.memory.size - 4:
            self.memory.data[address:address + 4] = (value & M32).to_bytes(4, "little")

    def notified(self) -> None:
        """The guest's kick: take every descriptor it made available since the last one."""
        if self.queue is None:
            return
        cpu, events = self.machine.cpu, self.machine.cpu.events
        events["virtio_notifications"] += 1
        avail_idx = self._word(AVAIL + 4)
        taken = 0
        while self.last_avail != avail_idx and taken < QUEUE_SIZE:
            slot = self.last_avail % QUEUE_SIZE
            desc = self._word(AVAIL + 8 + 4 * slot) % QUEUE_SIZE
            address, length = self._word(DESC + 16 * desc), self._word(DESC + 16 * desc + 4)
            data = self.dma.read(address, length) \
                if 0 < length <= MAX_FRAME and self._readable(address, length) else None
            sent = 0
            if data is not None:
                self.machine.nic.put_on_wire(data)
                sent = length
            else:
                self.machine.nic.errors += 1
            used = self.used_idx % QUEUE_SIZE
            self._put(USED + 8 + 8 * used, desc)
            self._put(USED + 12 + 8 * used, sent)
            self.used_idx = (self.used_idx + 1) & M32
            self._put(USED + 4, self.used_idx)
            self.last_avail = (self.last_avail + 1) & M32
            cpu.charge("emulation", self.machine.profile["virtio_request"])
            events["virtio_requests"] += 1
            taken += 1
        if taken and not self._word(AVAIL) & AVAIL_NO_INTERRUPT:
            self.irq.raise_now()
