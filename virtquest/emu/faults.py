"""The exceptions the machine raises internally: a fault of an instruction, and a stop."""

from __future__ import annotations


class CpuFault(Exception):
    """An exception raised by an instruction (a fault: eip stays on the instruction)."""

    def __init__(self, vector: int, error: int = 0):
        super().__init__(f"vector {vector} error {error:#x}")
        self.vector, self.error = vector, error


class _GateDenied(Exception):
    def __init__(self, error: int):
        self.error = error


class MachineStop(Exception):
    """The machine cannot go on: halted with interrupts off, or a triple fault."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason, self.message = reason, message
