"""The per-instruction semantics on the bare machine (no hypervisor)."""

from tests.emu.harness import run_machine
from tests.emu.instruction_semantics import InstructionSemantics


class TestNativeInstructions(InstructionSemantics):
    def run(self, source):
        return run_machine(source)[0]
