"""Interrupt virtualization: what each mode does with a device's interrupts, the guest's EOI and
the guest's reading of time (chapter 11's programs, run for real)."""

import dataclasses

import pytest

from virtquest.content.profiles import load_profile
from virtquest.emu.resources import PROGRAMS
from virtquest.hv.registry import mode_ids
from virtquest.hv.runner import run_modes

STORM = PROGRAMS / "levels" / "ch11_storm.s"
TSC = PROGRAMS / "levels" / "ch11_tsc.s"
MODERN = load_profile("modern")
NO_APICV = dataclasses.replace(MODERN, apicv=False)


def run(path, modes, profile=MODERN, choices=None, fast=True):
    return {r.mode: r for r in run_modes(path.read_text(encoding="utf-8"), modes,
                                          file=str(path), profile=profile, choices=choices)}


@pytest.mark.parametrize("profile", [MODERN, NO_APICV, load_profile("nehalem-2009")],
                         ids=["modern", "no-apicv", "nehalem"])
def test_every_mode_counts_the_same_packets_as_native(profile):
    for run_ in run(STORM, mode_ids(), profile).values():
        assert run_.result.finished and run_.contained, (run_.mode, run_.violations)
        assert run_.equivalent, (run_.mode, run_.result.console)
        assert run_.result.events["nic_interrupts"] == 120


def test_without_apic_virtualization_an_interrupt_costs_two_or_three_exits():
    events = run(STORM, ["hardware-assist"], NO_APICV)["hardware-assist"].result.events
    interrupts = events["nic_interrupts"]
    assert events["vm_exit.external_interrupt"] == interrupts
    assert events["vm_exit.apic_eoi"] == interrupts
    # the interrupts that arrived inside the cli section: each waits for an interrupt window
    assert 0 < events["vm_exit.interrupt_window"] < interrupts
    per_interrupt = (events["vm_exit.external_interrupt"] + events["vm_exit.apic_eoi"]
                     + events["vm_exit.interrupt_window"]) / interrupts
    assert 2 < per_interrupt < 3


def test_posted_interrupts_and_eoi_virtualization_remove_those_exits():
    events = run(STORM, ["hardware-assist"])["hardware-assist"].result.events
    assert events["posted_interrupts"] == events["virtual_eois"] == events["nic_interrupts"]
    for reason in ("external_interrupt", "interrupt_window", "apic_eoi"):
        assert events.get(f"vm_exit.{reason}", 0) == 0


def test_an_eoi_given_to_the_hypervisor_exits_again_even_with_apicv():
    events = run(STORM, ["hardware-assist"], choices={"eoi": "hypervisor"})[
        "hardware-assist"].result.events
    assert events["vm_exit.apic_eoi"] == events["nic_interrupts"]


def test_the_timer_still_exits_with_apicv():
    source = STORM.read_text().replace("out 0x50, eax               ; packets start arriving",
                                       "out 0x40, eax")
    source = source.replace("out 0x50, eax               ; no more packets", "out 0x40, eax")
    source = source.replace("(VEC_NIC + 1) * 8 - 1", "33 * 8 - 1").replace(
        ".zero VEC_NIC * 8", ".zero 32 * 8")
    [hav] = run_modes(source, ["hardware-assist"], profile=MODERN)
    assert hav.equivalent
    assert hav.result.events["vm_exit.external_interrupt"] == hav.result.events["timer_ticks"]
    assert "posted_interrupts" not in hav.result.events


def test_an_eoi_left_to_the_cpu_without_apicv_breaks_containment():
    runs = run(STORM, ["hardware-assist", "trap-emulate"], NO_APICV, choices={"eoi": "cpu"})
    assert not runs["hardware-assist"].contained
    assert runs["hardware-assist"].violations[0].id == "containment.real-apic"
    assert runs["trap-emulate"].contained           # at ring 1 the wrmsr traps anyway
    assert run(STORM, ["hardware-assist"], choices={"eoi": "cpu"})["hardware-assist"].contained


def test_timing_cpuid_finds_vt_x_unless_the_hypervisor_takes_rdtsc():
    native = "8 cpuid: bare metal\n"
    shown = run(TSC, ["trap-emulate", "binary-translation", "hardware-assist"],
                choices={"start_clock": "cpu", "stop_clock": "cpu"})
    assert shown["trap-emulate"].result.console == native       # cpuid does not trap at ring 1
    assert "hypervisor" in shown["hardware-assist"].result.console   # TSC offsetting shows exits
    assert "hypervisor" in shown["binary-translation"].result.console  # and translation
    hidden = run(TSC, ["trap-emulate", "binary-translation", "hardware-assist"],
                 choices={"start_clock": "hypervisor", "stop_clock": "hypervisor"})
    for mode, run_ in hidden.items():
        assert run_.equivalent, (mode, run_.result.console)
    assert hidden["hardware-assist"].result.events["vm_exit.rdtsc"] == 2


def test_the_virtual_time_is_what_native_would_read():
    # the cycles the probes took, as the guest sees them: identical with virtual time
    def elapsed(mode, choices):
        source = TSC.read_text().replace("    cmp ebx, LIMIT", "    mov eax, ebx\n    out 0xF4, eax")
        [r] = run_modes(source, [mode], profile=MODERN, choices=choices)
        return r.result.exit_code
    hidden = {"start_clock": "hypervisor", "stop_clock": "hypervisor"}
    native = elapsed("native", None)
    assert elapsed("hardware-assist", hidden) == native
    assert elapsed("hardware-assist", None) > 10 * native
