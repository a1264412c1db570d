"""`virtquest bench`: what it measures and how it reports it (numbers are not asserted: speed is
measured, never timed in a test)."""

from __future__ import annotations

import json

from virtquest.cli import main
from virtquest.commands.bench import peak_memory_mb, targets
from virtquest.hv.registry import mode_ids
from virtquest.hv.workloads import WORKLOADS


def test_bench_json_has_every_workload_for_every_mode_and_the_targets(capsys):
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
        for workload in WORKLOADS:
            assert by_kind[(workload.name, mode)]["guest_mips"] > 0
    rows = {t["target"]: t for t in document["targets"]}
    user = rows["user workloads, native (share of native compute, slowest)"]
    assert user["where"] in {w.name for w in WORKLOADS} and isinstance(user["met"], bool)
    assert rows["app start-up to a shown window (ms, median)"]["met"] is None   # --no-startup
    assert not any("py65" in name for name in rows)                           # not asked for


def test_only_some_workloads_and_an_unknown_name(capsys):
    assert main(["bench", "--quick", "--no-startup", "--json", "--only", "fib"]) == 0
    names = {w["name"] for w in json.loads(capsys.readouterr().out)["workloads"]}
    assert names == {"compute", "fib"}
    assert main(["bench", "--quick", "--only", "fibonacci"]) == 2
    assert "unknown workload fibonacci" in capsys.readouterr().err


def workload(name, mode, mips, reference=None):
    return {"name": name, "mode": mode, "guest_mips": mips, "reference_mips": reference}


def test_a_target_is_reported_unmet_when_the_number_misses_it():
    document = {"workloads": [
        workload("compute", "native", 10.0, 50.0), workload("compute", "paravirt", 10.0, 50.0),
        workload("sort", "native", 6.0), workload("fib", "native", 4.0),
        workload("sort", "paravirt", 4.5), workload("kernel", "native", 3.0),
        workload("kernel", "paravirt", 2.0)],
        "peers": {"py65": {"mips": 1.0, "workloads": []}},
        "levels": {"max_rerun_ms": 20.0, "max_solve_ms": 2500.0}, "startup_ms": None,
        "peak_memory_mb": None}
    rows = {t["target"]: t for t in targets(document)}
    assert rows["compute, native (share of Python)"]["met"] is False          # 20% < 35%
    native = rows["user workloads, native (share of native compute, slowest)"]
    assert (native["value"], native["where"], native["met"]) == (0.4, "fib", False)
    virtual = rows["user workloads, virtualized modes (share of native compute, slowest)"]
    assert (virtual["where"], virtual["met"]) == ("sort under paravirt", True)   # 45% ≥ 40%
    kernel = rows["kernel, warm (share of native compute, slowest mode)"]
    assert (kernel["value"], kernel["where"], kernel["met"]) == (0.2, "paravirt", False)
    peer = rows["user workloads over py65 (times, slowest workload and mode)"]
    assert (peer["value"], peer["met"]) == (4.0, False)                       # 4× < 5×
    assert rows["exact solver (ms, worst level)"]["met"] is False
    assert rows["app start-up to a shown window (ms, median)"]["met"] is None  # not measured


def test_the_memory_probe_plays_levels_in_the_app_and_reports_its_peak():
    peak = peak_memory_mb(levels=2)
    assert peak is not None and 30 < peak < 2000
