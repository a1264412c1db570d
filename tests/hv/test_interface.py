"""The one seam between the CPU and a hypervisor (virtquest/emu/hypervisor.py): a small mode
written against it alone, and the rules the shipped modes keep."""

import ast
from pathlib import Path

from tests.emu.harness import bare
from virtquest.content.profiles import load_profile
from virtquest.emu.asm import assemble
from virtquest.emu.hypervisor import Hypervisor
from virtquest.emu.isa import BY_MNEMONIC, VEC_UD
from virtquest.emu.machine import Machine

HV = Path(__file__).resolve().parents[2] / "virtquest" / "hv"
CPUID = BY_MNEMONIC["cpuid"][0].opcode


class CountingCpuid(Hypervisor):
    """Answers cpuid itself (leaf 7 only), counts #UD, and watches one address."""

    present = True
    intercepts = frozenset({CPUID})

    def __init__(self):
        self.asked, self.invalid, self.seen = 0, 0, []

    def on_instruction(self, ins):
        self.asked += 1
        if self.cpu.regs[0] != 7:
            return False                      # let the CPU answer
        self.cpu.regs[3] = 0xC0FFEE
        self.cpu.retire_emulated(ins)
        return True

    def on_exception(self, vector, error, return_eip, software):
        self.invalid += vector == VEC_UD
        return False                          # the guest's IDT takes it

    def on_site(self, cpu):
        self.seen.append(cpu.cycles)
        return False


def test_a_mode_written_against_the_interface_alone():
    machine = Machine(load_profile("modern"))
    program = assemble(bare("""
  mov eax, 1
  cpuid
  mov eax, 7
  cpuid
watched:
  vmcall
"""))
    machine.start_bare(program)
    hv = CountingCpuid()
    machine.attach(hv)
    machine.cpu.sites[program.symbols["watched"]] = hv.on_site
    result = machine.run(budget=100_000)
    assert hv.asked == 2 and result.registers["ebx"] == 0xC0FFEE
    assert result.registers["ecx"] >> 31 == 1, "leaf 1 answered by the CPU: hypervisor present"
    assert hv.invalid == 1 and result.registers["edi"] == VEC_UD, "vmcall: #UD through the IDT"
    assert len(hv.seen) == 1


def _calls(tree: ast.AST):
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)]


def test_modes_use_the_cpus_services_not_its_insides():
    """No module of virtquest/hv reaches a private attribute of the CPU, replaces its methods or
    dispatches by building a method name (every emulated form and hypercall is in a table)."""
    for path in HV.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute) and \
                    node.value.attr == "cpu":
                assert not node.attr.startswith("_"), f"{path.name}: cpu.{node.attr}"
        for call in _calls(tree):
            if isinstance(call.func, ast.Name) and call.func.id == "getattr" and \
                    len(call.args) > 1 and isinstance(call.args[1], ast.JoinedStr):
                raise AssertionError(f"{path.name}:{call.lineno}: getattr by a built name")


def test_every_mode_sets_itself_up_in_its_constructor():
    """State is made in __init__ (no `attach` that creates attributes later)."""
    from virtquest.hv.registry import mode_class, mode_ids

    for mode_id in mode_ids():
        assert "attach" not in vars(mode_class(mode_id)), mode_id
