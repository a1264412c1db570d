"""`virtquest bench [--json] [--quick]`: emulator speed as ratios to plain Python, and startup."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from virtquest.commands.common import add_json_option, add_profile_option, print_json


def register(sub) -> None:
    p = sub.add_parser("bench", help="measure the emulator's speed",
                       description="Guest instructions per second on a compute loop and on a "
                                   "kernel-heavy loop under every mode, beside plain Python doing "
                                   "the same arithmetic in the same run; app start-up time.")
    add_profile_option(p)
    p.add_argument("--quick", action="store_true", help="small workloads (for a smoke test)")
    p.add_argument("--no-startup", action="store_true", help="skip the app start-up measurement")
    add_json_option(p)
    p.set_defaults(handler=handle)


def handle(args) -> int:
    from virtquest.content.profiles import load_profile
    from virtquest.hv.bench import compute_workload, measure
    from virtquest.hv.registry import mode_ids

    profile = load_profile(args.profile)
    n, iters = (20_000, 3) if args.quick else (1_000_000, 40)
    workloads = []
    for mode in mode_ids():
        workloads.append(compute_workload(mode, profile, n))
        workloads.append(measure("kernel", mode, profile, {"ITER": iters}))
    document = {
        "profile": profile.name,
        "workloads": [w.to_json() for w in workloads],
        "levels": level_timings(quick=args.quick),
        "startup_ms": None if args.no_startup else startup_ms(),
    }
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


def startup_ms() -> float | None:
    """Cold start of the app to a shown main window, in a fresh process (offscreen)."""
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               VIRTQUEST_STARTUP_PROBE="1")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "virtquest"], env=env, capture_output=True,
                          text=True, timeout=120)
    if done.returncode != 0:
        return None
    return round((time.perf_counter() - start) * 1000, 1)


def table(document: dict) -> str:
    lines = [f"profile {document['profile']}", "",
             f"{'workload':<10}{'mode':<20}{'guest MIPS':>12}{'Python MIPS':>13}{'ratio':>8}"]
    for w in document["workloads"]:
        ref = w["reference_mips"]
        ratio = f"{w['guest_mips'] / ref:.0%}" if ref else ""
        lines.append(f"{w['name']:<10}{w['mode']:<20}{w['guest_mips']:>12.2f}"
                     f"{ref or '':>13}{ratio:>8}")
    lv = document["levels"]
    lines += ["", f"levels ({lv['levels']}): re-run after one change at most "
                  f"{lv['max_rerun_ms']} ms ({lv['max_rerun_level']}), exact solve at most "
                  f"{lv['max_solve_ms']} ms ({lv['max_solve_level']})"]
    if document["startup_ms"] is not None:
        lines += ["", f"app start-up to a shown window: {document['startup_ms']:.0f} ms"]
    return "\n".join(lines)
