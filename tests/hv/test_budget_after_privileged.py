"""A run whose budget runs out just after a privileged instruction (a system call, a return from
one, a cr3 load that empties the TLB) stops where the interpreter alone stops: the fast path runs
those instructions through the interpreter between compiled blocks, in the same call, and must
hand back to the machine's loop before looking at the next instruction (a lookup there may walk
the page tables, which the interpreter would not have done yet)."""

import pytest

from virtquest.content.profiles import load_profile
from virtquest.emu.resources import PROGRAMS
from virtquest.hv.registry import mode_ids
from virtquest.hv.runner import load_for_mode

SOURCE = (PROGRAMS / "bench" / "kernel.s").read_text(encoding="utf-8")
POINTS = 12


def machine(mode: str, fast: bool):
    guest = load_for_mode(SOURCE, mode, file="kernel.s", profile=load_profile("modern"),
                          defines={"ITER": 4})
    if not fast:
        guest.machine.fastpath = None     # the interpreter alone: the reference
    return guest.machine


def privileged_ends(mode: str) -> list[int]:
    """The cycle counts at which the interpreter finished an instruction that changed the ring
    or emptied the TLB (a system call, an iret, a cr3 load), spread over the run."""
    m = machine(mode, fast=False)
    cpu, ends = m.cpu, []
    while True:
        ring = cpu.cpl
        if not m.step():
            break
        if cpu.cpl != ring or m.mmu.enabled and not m.mmu.tlb:
            ends.append(cpu.cycles)
    step = max(len(ends) // POINTS, 1)
    return ends[::step][:POINTS]


def outcome(mode: str, budget: int, fast: bool):
    m = machine(mode, fast)
    result = m.run(budget=budget)
    return (result.stop, result.cycles, result.instructions, result.registers, result.events,
            result.breakdown, bytes(m.memory.data))


@pytest.mark.parametrize("mode", mode_ids())
def test_a_budget_ending_after_a_privileged_instruction_stops_as_the_interpreter_does(mode):
    ends = privileged_ends(mode)
    assert len(ends) >= POINTS // 2
    for budget in ends:
        fast, slow = outcome(mode, budget, True), outcome(mode, budget, False)
        assert fast[0] == "budget"
        assert fast == slow, (mode, budget)
