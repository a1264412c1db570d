"""The py65 peer of `virtquest bench`: each 6502 program's result is checked against plain Python
before its time counts, and without py65 there is no peer (rates are not asserted: speed is
measured, never timed in a test)."""

from __future__ import annotations

import dataclasses
import importlib.util
import sys

import pytest

from virtquest.commands import bench_peer
from virtquest.commands.bench_peer import PROGRAMS, PeerMismatch, peer_py65, run_program

needs_py65 = pytest.mark.skipif(importlib.util.find_spec("py65") is None,
                                reason="py65 (a test extra) is not installed")


@needs_py65
@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.name)
def test_each_program_computes_what_python_computes(program):
    for size in program.quick_sizes:
        instructions, seconds = run_program(program, size)
        assert instructions > 0 and seconds >= 0


@needs_py65
@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.name)
def test_a_wrong_expected_result_raises(program):
    wrong = dataclasses.replace(program, reference=lambda size: "not the result")
    with pytest.raises(PeerMismatch, match="py65 computed"):
        run_program(wrong, program.quick_sizes[0])


@needs_py65
def test_a_broken_program_is_caught_by_its_check():
    xorshift = PROGRAMS[0]
    code = bytearray(xorshift.code)
    assert code[0x0C:0x0E] == b"\xa9\x00"   # LDA #$00 before the ROR that carries lo & 1 into bit 7
    code[0x0D] = 0x02                        # now ROR also sets bit 0
    with pytest.raises(PeerMismatch):
        run_program(dataclasses.replace(xorshift, code=bytes(code)), 2)


@needs_py65
def test_a_program_that_never_stops_raises_instead_of_hanging():
    spin = dataclasses.replace(PROGRAMS[0], code=bytes([0x4C, 0x00, 0x02]))   # JMP $0200
    with pytest.raises(PeerMismatch, match="did not reach its BRK"):
        run_program(spin, 1, budget=1000)


def test_the_references_and_sizes():
    assert PROGRAMS[3].reference(10) == 55 and PROGRAMS[3].reference(24) == 46368
    assert PROGRAMS[1].reference(1) == sum(bench_peer._memsum_data(1))
    for program in PROGRAMS:
        assert 0 < program.sizes[0] < program.sizes[1]
        assert 0 < program.quick_sizes[0] < program.quick_sizes[1]
        for size in (*program.sizes, *program.quick_sizes):   # each fits its byte
            program.prepare([0] * 0x10000, size)


def test_a_size_that_does_not_fit_its_byte_is_refused():
    with pytest.raises(ValueError, match="does not fit"):
        PROGRAMS[0].prepare([0] * 0x10000, 256)


@needs_py65
def test_every_instruction_is_counted_once():
    # xorshift16: per round LDX, DEC, BNE and 64 steps of 25 instructions; the BRK is not run
    rounds = 3
    instructions, _ = run_program(PROGRAMS[0], rounds)
    assert instructions == rounds * (3 + 25 * bench_peer.XORSHIFT_STEPS)


@needs_py65
def test_quick_peer_reports_a_positive_rate_for_every_program():
    peer = peer_py65(quick=True)
    assert peer is not None and peer["name"] == "py65" and peer["version"]
    assert [w["name"] for w in peer["workloads"]] == [p.name for p in PROGRAMS]
    for workload in peer["workloads"]:
        assert workload["instructions"] > 0 and workload["seconds"] > 0 and workload["mips"] > 0
    assert peer["min_mips"] <= peer["mips"] <= peer["max_mips"]


def test_no_peer_when_py65_cannot_be_imported(monkeypatch):
    for name in ("py65", "py65.devices", "py65.devices.mpu6502"):
        monkeypatch.setitem(sys.modules, name, None)
    assert peer_py65(quick=True) is None
    assert bench_peer.peer_py65() is None
