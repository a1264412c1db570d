"""The exceptions the machine raises internally: a fault of an instruction, and a stop."""

from __future__ import annotations

from virtquest.emu.messages import Message


class CpuFault(Exception):
    """An exception raised by an instruction (a fault: eip stays on the instruction)."""

    def __init__(self, vector: int, error: int = 0):
        super().__init__(f"vector {vector} error {error:#x}")
        self.vector, self.error = vector, error


class _GateDenied(Exception):
    def __init__(self, error: int):
        self.error = error


class MachineStop(Exception):
    """The machine cannot go on: halted with interrupts off, or a triple fault. `detail` says why
    (a Message: an id and its parameters)."""

    def __init__(self, reason: str, detail: Message):
        super().__init__(str(detail))
        self.reason, self.detail = reason, detail

    @property
    def message(self) -> str:
        return str(self.detail)
