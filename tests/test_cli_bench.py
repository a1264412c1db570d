"""`virtquest bench`: what it measures and how it reports it (numbers are not asserted: speed is
measured, never timed in a test)."""

from __future__ import annotations

import json

from virtquest.cli import main
from virtquest.commands.bench import peak_memory_mb, targets
from virtquest.hv.registry import mode_ids


def test_bench_json_has_both_workloads_for_every_mode_and_the_targets(capsys):
    status = main(["bench", "--quick", "--no-startup", "--json"])
    out, _ = capsys.readouterr()
    document = json.loads(out)
    assert status == 0
    by_kind = {(w["name"], w["mode"]): w for w in document["workloads"]}
    for mode in mode_ids():
        compute, kernel = by_kind[("compute", mode)], by_kind[("kernel", mode)]
        assert compute["guest_mips"] > 0 and compute["reference_mips"] > 0
        # the kernel rate is the loop's own (two runs apart) and a whole cold run is kept too
        assert kernel["instructions"] > 0 and kernel["guest_mips"] > 0 and kernel["cold_mips"] > 0
    names = [t["target"] for t in document["targets"]]
    assert len(names) == 8 and all(isinstance(t["met"], bool) for t in document["targets"][:6])
    assert [t["met"] for t in document["targets"][6:]] == [None, None]   # --no-startup
    assert any("kernel, native" in n for n in names)


def test_a_target_is_reported_unmet_when_the_number_misses_it():
    document = {"workloads": [
        {"name": "compute", "mode": "native", "guest_mips": 10.0, "reference_mips": 50.0},
        {"name": "kernel", "mode": "native", "guest_mips": 6.0, "reference_mips": None},
        {"name": "kernel", "mode": "paravirt", "guest_mips": 1.5, "reference_mips": None}],
        "levels": {"max_rerun_ms": 20.0, "max_solve_ms": 2500.0}, "startup_ms": None,
        "peak_memory_mb": None}
    met = {t["target"]: t["met"] for t in targets(document)}
    assert met["compute, native (share of Python)"] is False          # 20% < 35%
    assert met["kernel, native (M instr/s)"] is True
    assert met["kernel, slowest virtualized mode (M instr/s)"] is False
    assert met["exact solver (ms, worst level)"] is False
    assert met["app start-up to a shown window (ms, median)"] is None  # not measured


def test_the_memory_probe_plays_levels_in_the_app_and_reports_its_peak():
    peak = peak_memory_mb(levels=2)
    assert peak is not None and 30 < peak < 2000
