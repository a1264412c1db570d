"""A budget stop lands where the interpreter's does. A host runs each guest a quantum at a time
(`Machine.run(budget=quantum)`, then on from where it stopped); the interpreter stops at the first
instruction boundary at or past the budget's end, and compiled code (blocks, loops, regions, bulk
fills) must stop there too — the same instruction, cycles, registers, flags and memory at every
stop — whatever the quantum, the program or the mode."""

import random
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.emu.harness import bare
from tests.emu.test_fastpath import branchy_code
from virtquest.content.profiles import load_profile
from virtquest.emu.asm import assemble
from virtquest.emu.machine import Machine
from virtquest.emu.resources import PROGRAMS
from virtquest.hv.registry import mode_ids
from virtquest.hv.runner import load_for_mode
from virtquest.hv.workloads import BY_NAME

USER_WORKLOADS = sorted(name for name in BY_NAME if name != "kernel")
MAX_QUANTA = 400


def _snapshot(machine: Machine, result) -> tuple:
    cpu = machine.cpu
    return (result.stop, cpu.cycles, cpu.instructions, cpu.eip, tuple(cpu.regs), cpu.eflags,
            cpu.cpl, result.events, result.breakdown)


def run_in_quanta(machine: Machine, quanta) -> list[tuple]:
    """Run as a host does: a quantum at a time, on from each budget stop; what the machine looks
    like at every stop (and, every so often, its whole memory)."""
    stops = []
    for n, quantum in enumerate(quanta):
        result = machine.run(budget=quantum)
        stops.append(_snapshot(machine, result))
        if n % 16 == 0 or result.stop != "budget":
            stops.append(bytes(machine.memory.data))
        if result.stop != "budget":
            break
        machine.stopped = None                     # only its quantum is over
    return stops


def workload_machine(name: str, mode: str, fast: bool) -> Machine:
    workload = BY_NAME[name]
    guest = load_for_mode((PROGRAMS / "bench" / f"{name}.s").read_text(encoding="utf-8"), mode,
                          file=f"{name}.s", profile=load_profile("modern"),
                          defines=dict(workload.quick))
    if not fast:
        guest.machine.fastpath = None              # the interpreter alone: the reference
    return guest.machine


def quanta_for(seed: int, count: int) -> list[int]:
    """Quanta of many sizes: one cycle, a few, a block's worth, a host's 20,000, odd ones."""
    rng = random.Random(seed)
    sizes = [1, 2, 3, 5, 7, 13, 20, 64, 97, 500, 1009, 4999, 20_000]
    return [rng.choice(sizes) if rng.random() < 0.5 else rng.randint(1, 3000)
            for _ in range(count)]


@pytest.mark.parametrize("name", USER_WORKLOADS)
def test_bench_workloads_stop_at_every_quantum_as_the_interpreter_does(name):
    for mode in mode_ids():
        quanta = quanta_for(zlib.crc32(f"{name}/{mode}".encode()), MAX_QUANTA)
        compiled = run_in_quanta(workload_machine(name, mode, True), quanta)
        interpreted = run_in_quanta(workload_machine(name, mode, False), quanta)
        assert compiled == interpreted, (name, mode)
        assert any(s[0] == "budget" for s in compiled[:-1] if isinstance(s, tuple))


@pytest.mark.parametrize("quantum", [1, 3, 7, 31, 257, 20_000])
def test_a_fixed_quantum_stops_the_bench_workloads_as_the_interpreter_does(quantum):
    for name in USER_WORKLOADS:
        quanta = [quantum] * (MAX_QUANTA if quantum > 100 else 3000)
        compiled = run_in_quanta(workload_machine(name, "native", True), quanta)
        interpreted = run_in_quanta(workload_machine(name, "native", False), quanta)
        assert compiled == interpreted, (name, quantum)


@given(branchy_code(), st.integers(1, 3000), st.integers(0, 2**32 - 1),
       st.sampled_from([0, 90, 333, 2000]), st.integers(0, 2**16))
@settings(max_examples=40, deadline=None)
def test_random_branching_code_stops_at_every_quantum_as_the_interpreter_does(
        body, fuel, seed, period, quanta_seed):
    setup = "\n".join(f"  mov {r}, {(seed * (i + 7)) & 0xFFFFFFFF}"
                      for i, r in enumerate(["eax", "ebx", "ecx", "edx", "esi", "edi"]))
    timer = (f"  mov eax, tick\n  mov [idt+32*8], eax\n  mov eax, {period}\n  out 0x40, eax\n"
             "  sti\n" if period else "")
    source = bare(f"{timer}{setup}\n  jmp b0\n{body}\nfinish:\n  cli\n  mov eax, [ticks]",
                  f".align 4\nfuel: .word {fuel}\nticks: .word 0\nscratch: .zero 64\n"
                  "tick:\n  push eax\n  mov eax, [ticks]\n  inc eax\n  mov [ticks], eax\n"
                  "  pop eax\n  add esp, 4\n  iret")
    program = assemble(source)
    quanta = quanta_for(quanta_seed, 300)
    runs = []
    for fast in (True, False):
        machine = Machine(load_profile("modern"), fast=fast)
        machine.start_bare(program)
        runs.append(run_in_quanta(machine, quanta))
    assert runs[0] == runs[1]
