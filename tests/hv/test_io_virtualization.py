"""I/O virtualization: the same driver's packets through an emulated card, a virtio ring and an
assigned card behind an IOMMU (chapter 10's program, run for real)."""

import dataclasses

import pytest

from virtquest.content.profiles import load_profile
from virtquest.emu.machine import Machine
from virtquest.emu.memory import PhysicalMemory
from virtquest.emu.nic import HOST_BASE, Iommu, RamDMA
from virtquest.emu.resources import PROGRAMS
from virtquest.hv.registry import mode_ids
from virtquest.hv.runner import load_for_mode, run_modes

NIC = PROGRAMS / "levels" / "ch10_nic.s"
MODERN = load_profile("modern")
ASSIGNED = dataclasses.replace(MODERN, assigned_nic=True)
VIRTUALIZED = [m for m in mode_ids() if m != "native"]
NATIVE_OUTPUT = "sent 16, errors 1, wire"


def runs(modes, profile=MODERN, choices=None, packets=None):
    defines = {"PACKETS": packets} if packets else None
    return {r.mode: r for r in run_modes(NIC.read_text(encoding="utf-8"), modes, file=str(NIC),
                                          profile=profile, choices=choices, defines=defines)}


def test_the_unmodified_driver_sends_the_same_bytes_in_every_mode():
    for run in runs(mode_ids()).values():
        assert run.equivalent and run.contained, (run.mode, run.result.console)
        assert run.result.console.startswith(NATIVE_OUTPUT)
        assert run.result.events["nic_packets_sent"] == 16
        assert run.result.events["nic_send_errors"] == 1     # the bad address, as natively


def test_the_virtio_driver_sends_the_same_bytes_in_every_virtualized_mode():
    for run in runs(VIRTUALIZED, choices={"tx_addr": "guest"}).values():
        assert run.equivalent and run.contained, (run.mode, run.result.console)
        assert run.result.events["virtio_requests"] == 17
        assert run.result.events["virtio_notifications"] == 3    # one per batch of eight


def exits_per_packet(profile=MODERN, choices=None):
    """VM exits per packet, by the difference between 16 and 8 packets, less the printing (one
    exit per character)."""
    many = runs(["hardware-assist"], profile, choices, packets=16)["hardware-assist"].result
    few = runs(["hardware-assist"], profile, choices, packets=8)["hardware-assist"].result
    printing = len(many.console) - len(few.console)
    return (many.events["vm_exits"] - few.events["vm_exits"] - printing) / 8


def test_exits_per_packet_fall_from_emulated_to_virtio_to_passthrough():
    emulated = exits_per_packet()
    virtio = exits_per_packet(choices={"tx_addr": "guest"})
    passthrough = exits_per_packet(ASSIGNED, {"bus_master": "hypervisor"})
    assert emulated == 4                   # address, length, go, status
    assert virtio == 1 / 8                 # one notification per batch of eight
    assert passthrough == 0


def test_an_assigned_card_without_an_iommu_reads_host_memory():
    run = runs(["hardware-assist"], ASSIGNED, {"bus_master": "cpu"})["hardware-assist"]
    assert not run.contained and not run.equivalent
    assert run.violations[0].id == "containment.dma-host-memory"
    assert "errors 0" in run.result.console          # even the bad address "worked"


def test_with_the_iommu_the_stray_dma_faults_and_is_reported():
    run = runs(["hardware-assist"], ASSIGNED, {"bus_master": "hypervisor"})["hardware-assist"]
    assert run.contained and run.equivalent
    assert run.result.events["dma_faults"] == 1
    assert [r.id for r in run.refusals] == ["refusal.dma-fault"]
    assert run.refusals[0].params["address"] == 0x200000
    assert run.result.events["iotlb_misses"] >= 1


@pytest.mark.parametrize("mode,guest", [(m, False) for m in mode_ids()]
                         + [(m, True) for m in VIRTUALIZED])
def test_the_fast_path_and_the_interpreter_agree(mode, guest):
    choices = {"tx_addr": "guest"} if guest else None
    results = []
    for fast in (True, False):
        loaded = load_for_mode(NIC.read_text(), mode, file=str(NIC), profile=MODERN,
                               choices=choices)
        if not fast:
            loaded.machine.fastpath = None
        r = loaded.run()
        results.append((r.cycles, r.instructions, r.console, r.events))
    assert results[0] == results[1]


def test_dma_engines():
    memory = PhysicalMemory(1 << 16)
    memory.data[0x100:0x104] = b"abcd"
    assert RamDMA(memory).read(0x100, 4) == b"abcd"
    assert RamDMA(memory).read(0xFFFE, 4) is None              # past the end of RAM
    events, refusals, walks = {"iotlb_misses": 0, "dma_faults": 0}, [], []
    iommu = Iommu(memory, refusals, lambda key, count: walks.append(count), events)
    assert iommu.read(0x100, 4) == b"abcd" and iommu.read(0x104, 0) == b""
    assert events["iotlb_misses"] == 1                          # the second read hit the IOTLB
    assert iommu.read(HOST_BASE, 4) is None and events["dma_faults"] == 1


def test_a_card_without_bus_mastering_cannot_send():
    machine = Machine(MODERN)
    assert machine.nic.transmit_from(0x100, 64) is False
    machine.nic.ctrl = 1
    assert machine.nic.transmit_from(0x100, 64) is True
    assert machine.nic.sent == 1 and machine.nic.wire_sum == 0   # 64 zero bytes


NET = PROGRAMS / "examples" / "net.s"


def test_the_mini_os_network_driver_sends_the_same_bytes_in_every_mode():
    runs_ = run_modes(NET.read_text(), mode_ids(), file=str(NET), profile=MODERN)
    sums = {r.mode: r.result.events["nic_wire_sum"] for r in runs_}
    assert len(set(sums.values())) == 1, sums
    for run in runs_:
        assert run.equivalent and run.contained, run.mode
        assert run.result.events["nic_packets_sent"] == 8


def test_the_paravirtual_kernel_uses_the_split_driver():
    [run] = run_modes(NET.read_text(), ["paravirt"], file=str(NET), profile=MODERN)
    events = run.result.events
    assert events["hypercall.event_channel_send"] == events["virtio_requests"] == 8
    assert events["hypercall.grant_access"] == 1 and events["hypercall.net_setup"] == 1


def test_the_back_end_reads_only_granted_pages():
    # the paravirtual kernel with its grant taken out: every packet is refused, and said so
    loaded = load_for_mode(NET.read_text(), "paravirt", file=str(NET), profile=MODERN)
    loaded.machine.vmm.virtio.grant = lambda frame: None
    result = loaded.run()
    assert "sent 0 of 8" in result.console
    assert {r.id for r in loaded.machine.refusals} == {"refusal.not-granted"}
