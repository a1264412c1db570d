"""Tagged TLBs (VPID): without them every VM exit and entry flushes the TLB, and the guest walks
its page tables again after each exit; with them nothing is flushed. The guest sees the same
results either way, the software hypervisors never flush on a trap, and compiled code stops
using TLB entries a flush dropped (it runs exactly as the interpreter does)."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.emu.harness import bare
from tests.emu.instruction_semantics import PAGING_ON
from virtquest.content.profiles import load_profile
from virtquest.emu.asm import assemble
from virtquest.emu.costs import CostProfile
from virtquest.emu.machine import Machine
from virtquest.emu.resources import PROGRAMS
from virtquest.hv.registry import create
from virtquest.hv.runner import run_modes

LEVEL_PROGRAM = PROGRAMS / "levels" / "ch12_vpid.s"
SMALL = {"PAGES": 8, "ROUNDS": 10}


def vpid(profile: str, on: bool) -> CostProfile:
    return dataclasses.replace(load_profile(profile), vpid=on)


def level_run(profile: CostProfile, mode: str = "hardware-assist",
              choices: dict[str, str] | None = None):
    [run] = run_modes(LEVEL_PROGRAM.read_text(encoding="utf-8"), [mode],
                      file=str(LEVEL_PROGRAM), profile=profile, defines=SMALL, choices=choices)
    assert run.result.finished and run.equivalent and run.contained, run.result.message
    return run


def test_the_shipped_profiles_say_which_hardware_has_tags():
    assert [load_profile(name).vpid for name in ("p4-2006", "core2-2008", "nehalem-2009",
                                                 "modern")] == [False, False, True, True]


@pytest.mark.parametrize("profile", ["modern", "core2-2008"])
def test_without_vpid_the_guest_walks_again_after_every_exit(profile):
    """The same exit-heavy program, only the flag differs: without tags each exit flushes, and
    after each cpuid exit the guest walks again for every page of its working set."""
    untagged, tagged = level_run(vpid(profile, False)), level_run(vpid(profile, True))
    plain, flushed = tagged.result.events, untagged.result.events
    assert flushed["vm_exits"] == plain["vm_exits"] > SMALL["ROUNDS"]
    assert flushed["tlb_flushes"] == flushed["vm_exits"] and "tlb_flushes" not in plain
    extra_walks = flushed["tlb_misses"] - plain["tlb_misses"]
    assert extra_walks >= flushed["vm_exit.cpuid"] * SMALL["PAGES"]
    assert flushed["tlb_entries_flushed"] >= extra_walks
    walks_per_exit = {name: events["tlb_misses"] / events["vm_exits"]   # docs/modes.md
                      for name, events in (("untagged", flushed), ("tagged", plain))}
    assert walks_per_exit["untagged"] > 2 * walks_per_exit["tagged"]
    assert untagged.result.breakdown["page_walk"] > tagged.result.breakdown["page_walk"]
    assert untagged.result.cycles > tagged.result.cycles
    # what the guest sees does not change
    assert (untagged.result.console, untagged.result.exit_code, untagged.result.stop) == \
        (tagged.result.console, tagged.result.exit_code, tagged.result.stop)
    assert untagged.result.instructions == tagged.result.instructions


def test_under_ept_each_walk_after_a_flush_is_two_dimensional():
    untagged, tagged = level_run(vpid("modern", False)), level_run(vpid("modern", True))
    extra_walks = untagged.result.events["tlb_misses"] - tagged.result.events["tlb_misses"]
    extra_refs = untagged.result.events["page_walk_refs"] - tagged.result.events["page_walk_refs"]
    assert extra_refs == extra_walks * (2 + 1) * (2 + 1) - extra_walks  # (n+1)(m+1)-1 each


@pytest.mark.parametrize("mode", ["trap-emulate", "binary-translation", "paravirt"])
def test_a_software_hypervisor_flushes_nothing_on_a_trap(mode):
    """The VMM lives at the top of every address space: a trap keeps the TLB, whatever the
    hardware's tags."""
    untagged, tagged = level_run(vpid("core2-2008", False), mode), \
        level_run(vpid("core2-2008", True), mode)
    assert "tlb_flushes" not in untagged.result.events
    assert untagged.result.events == tagged.result.events
    assert untagged.result.cycles == tagged.result.cycles


def _machine_after_a_paged_run(profile: CostProfile):
    machine = Machine(profile)
    machine.start_bare(assemble(bare(PAGING_ON + "  mov eax, [0x5000]\n  mov [0x6000], eax\n"),
                                file="w.s"))
    mode = create("hardware-assist", machine)
    machine.run()
    return machine, mode


def test_a_world_switch_flushes_only_without_vpid():
    machine, mode = _machine_after_a_paged_run(vpid("modern", False))
    machine.cpu.mmu.translate(0x5000, False, False)        # an entry the switch must drop
    flushes = machine.cpu.events["tlb_flushes"]
    assert mode.world_switch() is True
    assert machine.cpu.mmu.tlb == {} and machine.cpu.events["tlb_flushes"] == flushes + 1

    machine, mode = _machine_after_a_paged_run(vpid("modern", True))
    machine.cpu.mmu.translate(0x5000, False, False)
    kept = dict(machine.cpu.mmu.tlb)
    assert mode.world_switch() is False
    assert machine.cpu.mmu.tlb == kept and "tlb_flushes" not in machine.cpu.events


# -- the fast path stays exact with flushes -------------------------------------------------------

AREA, PAGES = 0x00030000, 4     # in RAM, clear of the page tables (0x10000, 0x20000)
REGS = ["eax", "ebx", "edx", "esi", "edi"]
EXITS = ["  push ecx\n  cpuid\n  pop ecx", "  out 0xE9, eax"]


@st.composite
def exiting_loop(draw):
    """A loop over several pages with exits among its loads and stores, and innocuous
    instructions a learner gave to the hypervisor (a forced exit inside compiled code)."""
    lines, sites = [], []
    for i in range(draw(st.integers(2, 14))):
        a, b = draw(st.sampled_from(REGS)), draw(st.sampled_from(REGS))
        off = draw(st.integers(0, PAGES * 4096 - 4))
        kind = draw(st.sampled_from(["load", "store", "byte", "add", "exit", "site"]))
        if kind == "exit":
            lines.append(draw(st.sampled_from(EXITS)))
        elif kind == "site":
            lines.append(f"site{i}:\n  mov [ebp+{off}], {a}")
            sites.append(f"site{i}")
        else:
            lines.append({"load": f"  add {a}, [ebp+{off}]", "store": f"  mov [ebp+{off}], {a}",
                          "byte": f"  movb [ebp+{off}], {b}", "add": f"  add {a}, {b}"}[kind])
    return "\n".join(lines), sites


def paged_program(body: str, passes: int, seed: int) -> str:
    regs = "\n".join(f"  mov {r}, {(seed * (i + 3)) & 0xFFFFFFFF}" for i, r in enumerate(REGS))
    return bare(f"""{PAGING_ON}
{regs}
  mov ebp, {AREA}
  mov ecx, {passes}
again:
{body}
  loop again
  xor eax, eax
  mov ecx, {PAGES * 1024}
  mov esi, {AREA}
sum:
  add eax, [esi]
  xor eax, ecx
  add esi, 4
  loop sum
""")


def run_both(source: str, sites: list[str], profile: CostProfile):
    """The run with the fast path and with the interpreter alone: result, memory, flags."""
    program = assemble(source, file="p.s")
    outcomes = []
    for fast in (True, False):
        machine = Machine(profile, fast=fast)
        machine.start_bare(program)
        create("hardware-assist", machine,
               {program.symbols[label]: "hypervisor" for label in sites})
        result = machine.run(budget=3_000_000)
        outcomes.append((result, bytes(machine.memory.data), machine.cpu.eflags))
    return outcomes


@given(exiting_loop(), st.integers(1, 40), st.integers(0, 2**32 - 1),
       st.sampled_from(["modern", "core2-2008"]))
@settings(max_examples=40, deadline=None)
def test_compiled_code_matches_the_interpreter_across_flushes(loop, passes, seed, profile):
    body, sites = loop
    compiled, interpreted = run_both(paged_program(body, passes, seed), sites,
                                     vpid(profile, False))
    assert compiled == interpreted


def test_the_level_program_runs_alike_compiled_and_interpreted_with_flushes():
    """Every store into the working set given to the hypervisor: forced exits inside compiled
    loops, each flushing the TLB the loop was using."""
    source = LEVEL_PROGRAM.read_text(encoding="utf-8")
    for profile in (vpid("modern", False), vpid("core2-2008", False)):
        program = assemble(source, file=str(LEVEL_PROGRAM), defines=SMALL)
        outcomes = []
        for fast in (True, False):
            machine = Machine(profile, fast=fast)
            machine.start_bare(program)
            create("hardware-assist", machine, {program.symbols["touch"]: "hypervisor"})
            result = machine.run()
            outcomes.append((result, bytes(machine.memory.data)))
        compiled, interpreted = outcomes
        assert compiled == interpreted
        assert compiled[0].events["vm_exit.monitor_trap"] == SMALL["PAGES"] * SMALL["ROUNDS"]
        assert compiled[0].events["tlb_flushes"] == compiled[0].events["vm_exits"]
