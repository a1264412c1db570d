"""`virtquest bench [--json] [--quick]`: emulator speed as ratios to plain Python, and startup."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

from virtquest.commands.common import add_json_option, add_profile_option, print_json


def register(sub) -> None:
    p = sub.add_parser("bench", help="measure the emulator's speed",
                       description="Guest instructions per second on a compute loop and on a "
                                   "kernel-heavy loop under every mode, beside plain Python doing "
                                   "the same arithmetic in the same run; app start-up time.")
    add_profile_option(p)
    p.add_argument("--quick", action="store_true", help="small workloads (for a smoke test)")
    p.add_argument("--no-startup", action="store_true",
                   help="skip the app's measurements (start-up, memory after five levels)")
    add_json_option(p)
    p.set_defaults(handler=handle)


def handle(args) -> int:
    from virtquest.content.profiles import load_profile
    from virtquest.hv.bench import compute_workload, kernel_workload
    from virtquest.hv.registry import mode_ids

    profile = load_profile(args.profile)
    n, iters = (20_000, 10) if args.quick else (1_000_000, 200)
    workloads = []
    for mode in mode_ids():
        workloads.append(compute_workload(mode, profile, n))
        workloads.append(kernel_workload(mode, profile, iters))
    document = {
        "profile": profile.name,
        "workloads": [w.to_json() for w in workloads],
        "levels": level_timings(quick=args.quick),
        "startup_ms": None if args.no_startup else startup_ms(),
        "peak_memory_mb": None if args.no_startup else peak_memory_mb(),
    }
    document["targets"] = targets(document)
    if args.json:
        print_json(document)
    else:
        print(table(document))
    return 0


def level_timings(quick: bool = False) -> dict:
    """Worst case over the shipped levels: re-running a level's modes after one choice changed
    (the lab's live feedback), and solving a level exactly from scratch."""
    from virtquest.content.levels import load_levels
    from virtquest.game.lab import RunCache, default_assignment, play, slot_rules
    from virtquest.game.solver import solve

    levels = load_levels().levels
    if quick:
        levels = levels[:2]
    rerun, solving = {}, {}
    for level in levels:
        cache = RunCache()
        choices = default_assignment(level)
        play(level, choices, cache=cache, par=1.0)
        label = level.slot_labels[0]
        other = next((c for c in slot_rules(level)[label].legal() if c != choices[label]), None)
        if other is not None:
            start = time.perf_counter()
            play(level, choices | {label: other}, cache=cache, par=1.0)
            rerun[level.id] = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        solve(level, cache=RunCache())
        solving[level.id] = (time.perf_counter() - start) * 1000
    worst_rerun = max(rerun, key=rerun.get, default=None)
    worst_solve = max(solving, key=solving.get, default=None)
    return {"max_rerun_ms": round(rerun[worst_rerun], 1) if worst_rerun else None,
            "max_rerun_level": worst_rerun,
            "max_solve_ms": round(solving[worst_solve], 1) if worst_solve else None,
            "max_solve_level": worst_solve, "levels": len(levels)}


def startup_ms(runs: int = 3) -> float | None:
    """Cold start of the app to a shown main window, in a fresh process (offscreen): the median
    of `runs` starts."""
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               VIRTQUEST_STARTUP_PROBE="1")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "virtquest"], env=env, capture_output=True,
                              text=True, timeout=120)
        if done.returncode != 0:
            return None
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 1)


def peak_memory_mb(levels: int = 5) -> float | None:
    """Peak resident memory of the app after playing `levels` levels in the lab (each run under
    its modes, one choice changed, submitted), in a fresh process with a scratch progress
    database."""
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
                   VIRTQUEST_MEMORY_PROBE=str(levels), VIRTQUEST_HOME=home)
        done = subprocess.run([sys.executable, "-m", "virtquest"], env=env, capture_output=True,
                              text=True, timeout=600)
    for line in done.stdout.splitlines():
        if line.startswith("peak_rss_mb "):
            return float(line.split()[1])
    return None


TARGETS = {"compute_native": 0.35, "compute_virtualized": 0.30, "kernel_native_mips": 5.0,
           "kernel_virtualized_mips": 2.0, "rerun_ms": 100.0, "solve_ms": 2000.0,
           "startup_ms": 1000.0, "peak_memory_mb": 300.0}


def targets(document: dict) -> list[dict]:
    """Each target of the performance goals beside what was measured, and whether it is met."""
    rows = []

    def row(name: str, value, goal: float, at_least: bool) -> None:
        met = None if value is None else (value >= goal if at_least else value <= goal)
        rows.append({"target": name, "value": value, "goal": goal,
                     "kind": "at least" if at_least else "at most", "met": met})

    work = document["workloads"]
    compute = {w["mode"]: w["guest_mips"] / w["reference_mips"] for w in work
               if w["name"] == "compute" and w["reference_mips"]}
    kernel = {w["mode"]: w["guest_mips"] for w in work if w["name"] == "kernel"}
    if "native" in compute:
        row("compute, native (share of Python)", round(compute["native"], 3),
            TARGETS["compute_native"], True)
    others = [v for m, v in compute.items() if m != "native"]
    if others:
        row("compute, slowest virtualized mode (share of Python)", round(min(others), 3),
            TARGETS["compute_virtualized"], True)
    if "native" in kernel:
        row("kernel, native (M instr/s)", kernel["native"], TARGETS["kernel_native_mips"], True)
    others = [v for m, v in kernel.items() if m != "native"]
    if others:
        row("kernel, slowest virtualized mode (M instr/s)", min(others),
            TARGETS["kernel_virtualized_mips"], True)
    levels = document["levels"]
    row("level re-run after one choice (ms, worst level)", levels["max_rerun_ms"],
        TARGETS["rerun_ms"], False)
    row("exact solver (ms, worst level)", levels["max_solve_ms"], TARGETS["solve_ms"], False)
    row("app start-up to a shown window (ms, median)", document.get("startup_ms"),
        TARGETS["startup_ms"], False)
    row("peak memory after five levels (MB)", document.get("peak_memory_mb"),
        TARGETS["peak_memory_mb"], False)
    return rows


def table(document: dict) -> str:
    lines = [f"profile {document['profile']}", "",
             f"{'workload':<10}{'mode':<20}{'guest MIPS':>12}{'Python MIPS':>13}{'ratio':>8}"]
    for w in document["workloads"]:
        ref = w["reference_mips"]
        ratio = f"{w['guest_mips'] / ref:.0%}" if ref else ""
        cold = f"  (one cold run: {w['cold_mips']:.2f})" if w.get("cold_mips") else ""
        lines.append(f"{w['name']:<10}{w['mode']:<20}{w['guest_mips']:>12.2f}"
                     f"{ref or '':>13}{ratio:>8}{cold}")
    lv = document["levels"]
    lines += ["", f"levels ({lv['levels']}): re-run after one change at most "
                  f"{lv['max_rerun_ms']} ms ({lv['max_rerun_level']}), exact solve at most "
                  f"{lv['max_solve_ms']} ms ({lv['max_solve_level']})"]
    if document["startup_ms"] is not None:
        lines += ["", f"app start-up to a shown window: {document['startup_ms']:.0f} ms (median)"]
    if document.get("peak_memory_mb") is not None:
        lines += [f"app peak memory after five levels: {document['peak_memory_mb']:.0f} MB"]
    lines += ["", "targets:"]
    for t in document["targets"]:
        mark = {True: "met", False: "NOT met", None: "not measured"}[t["met"]]
        lines.append(f"  {t['target']}: {t['value']} ({t['kind']} {t['goal']}) — {mark}")
    return "\n".join(lines)
