"""Devices on the I/O bus: debug console 0xE9, timer 0x40, slow legacy port 0x80, power-off 0xF4
(the network card, ports 0x50-0x5F, is in nic.py).

Each device names the cost key of one access; the bus logs who touched what, which is how a run
knows whether the guest ever reached a real device ("contained").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from virtquest.emu.interrupts import InterruptController, Source
from virtquest.emu.isa import M32

PORT_CONSOLE, PORT_TIMER, PORT_LEGACY, PORT_POWER = 0xE9, 0x40, 0x80, 0xF4


class PowerOff(Exception):
    """The guest wrote its exit code to the power-off port."""

    def __init__(self, code: int):
        super().__init__(f"power off with exit code {code}")
        self.code = code


class Device:
    name = "device"
    cost_key = "port_other"      # one access to the real device
    model_key = "virtual_io"     # one access emulated by a hypervisor's model of the device

    def read(self, port: int) -> int:
        return M32

    def write(self, port: int, value: int) -> None:
        pass


class Console(Device):
    """Port 0xE9: each write prints the low byte of the value."""

    name, cost_key = "console", "port_console"
    MAX_OUTPUT = 1 << 20

    def __init__(self) -> None:
        self.output = bytearray()

    def write(self, port: int, value: int) -> None:
        if len(self.output) < self.MAX_OUTPUT:
            self.output.append(value & 0xFF)

    def read(self, port: int) -> int:
        return 0

    def text(self) -> str:
        return self.output.decode("utf-8", errors="replace")


class Timer(Source, Device):
    """Port 0x40: the period in cycles of the guest's clock (0 stops it). Raises vector 32 every
    period while IF=1."""

    name, cost_key = "timer", "port_timer"
    vector = 32

    def __init__(self) -> None:
        Source.__init__(self)
        self.period = 0

    @property
    def ticks(self) -> int:
        return self.raised

    def write(self, port: int, value: int) -> None:
        self.period = value & M32
        self.due = self.controller.now + self.period if self.period else -1
        self.changed()

    def read(self, port: int) -> int:
        return self.period

    def fired(self, now: int) -> None:
        """One tick was delivered: schedule the next one (ticks missed while masked coalesce)."""
        self.raised += 1
        self.due = now + self.period if self.period else -1


class LegacyPort(Device):
    """Port 0x80: an old ISA diagnostic port; every access is slow, as on real PCs."""

    name, cost_key = "legacy port 0x80", "port_legacy"

    def __init__(self) -> None:
        self.last = 0

    def write(self, port: int, value: int) -> None:
        self.last = value & 0xFF

    def read(self, port: int) -> int:
        return self.last


class PowerControl(Device):
    """Port 0xF4: writing a value ends the run with that exit code."""

    name, cost_key = "power", "port_console"

    def write(self, port: int, value: int) -> None:
        raise PowerOff(value & M32)


@dataclass
class Access:
    port: int
    write: bool
    value: int


@dataclass
class IOBus:
    """Port → device. Unknown ports read as all ones and ignore writes, as on a PC."""

    devices: dict[int, Device] = field(default_factory=dict)
    log_limit: int = 10000
    log: list[Access] = field(default_factory=list)
    fallback: Device = field(default_factory=Device)

    def attach(self, port: int, device: Device) -> None:
        self.devices[port] = device

    def device(self, port: int) -> Device:
        return self.devices.get(port, self.fallback)

    def read(self, port: int) -> int:
        value = self.device(port).read(port) & M32
        self._record(port, False, value)
        return value

    def write(self, port: int, value: int) -> None:
        self._record(port, True, value)
        self.device(port).write(port, value)

    def _record(self, port: int, write: bool, value: int) -> None:
        if len(self.log) < self.log_limit:
            self.log.append(Access(port, write, value))


def standard_bus() -> tuple[IOBus, Console, Timer, InterruptController]:
    """The PC-like bus every machine starts with, and the interrupt controller its timer raises
    its interrupts at."""
    console, timer, apic = Console(), Timer(), InterruptController()
    apic.add(timer)
    bus = IOBus()
    bus.attach(PORT_CONSOLE, console)
    bus.attach(PORT_TIMER, timer)
    bus.attach(PORT_LEGACY, LegacyPort())
    bus.attach(PORT_POWER, PowerControl())
    return bus, console, timer, apic
