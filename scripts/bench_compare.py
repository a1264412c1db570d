"""Two versions of the emulator measured side by side: `virtquest bench --json --no-startup` run
from each tree in turn, several rounds, each workload's best rate per tree kept. Rates on a shared
machine move with its load; taken in turn, the two trees see the same load, so their ratio holds.

    .venv/bin/python scripts/bench_compare.py --before DIR [--after DIR] [--rounds N] [--json]

A tree is a directory holding `virtquest/`, `assets/`, `levels/` (for example an older version
checked out with `git worktree add --detach DIR COMMIT`). The table gives, for each workload and
mode, its share of `compute`'s native rate in the after tree (the speed targets' yardstick) and
after / before for the same workload and mode.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def bench(tree: Path) -> dict:
    """One `virtquest bench --json --no-startup` run of the package in `tree`, from an empty
    folder so nothing of the current directory is imported."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    with tempfile.TemporaryDirectory() as empty:
        done = subprocess.run([sys.executable, "-m", "virtquest", "bench", "--json",
                               "--no-startup"], cwd=empty, env=env, capture_output=True,
                              text=True, check=True)
    return json.loads(done.stdout)


def best(reports: list[dict]) -> dict[tuple[str, str], float]:
    rates: dict[tuple[str, str], float] = {}
    for report in reports:
        for row in report["workloads"]:
            key = (row["name"], row["mode"])
            rates[key] = max(rates.get(key, 0.0), row["guest_mips"])
    return rates


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, required=True, help="the older tree")
    parser.add_argument("--after", type=Path, default=ROOT, help="the newer tree (default: this)")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each tree, in turn")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args()
    before_runs, after_runs = [], []
    for round_ in range(args.rounds):
        print(f"round {round_ + 1} of {args.rounds}…", file=sys.stderr)
        before_runs.append(bench(args.before))
        after_runs.append(bench(args.after))
    before, after = best(before_runs), best(after_runs)
    compute = after[("compute", "native")]
    rows = [{"name": name, "mode": mode, "after_mips": rate,
             "before_mips": before.get((name, mode)),
             "share_of_compute": round(rate / compute, 3),
             "gain": round(rate / before[(name, mode)], 2) if before.get((name, mode)) else None}
            for (name, mode), rate in after.items()]
    levels = {"before": [r.get("levels") for r in before_runs],
              "after": [r.get("levels") for r in after_runs]}
    if args.json:
        print(json.dumps({"rounds": args.rounds, "workloads": rows, "levels": levels}, indent=2))
        return 0
    print(f"{'workload':10} {'mode':19} {'after':>7} {'before':>7} {'share':>6} {'gain':>6}")
    for row in rows:
        before_text = f"{row['before_mips']:7.2f}" if row["before_mips"] else "      —"
        gain = f"×{row['gain']:.2f}" if row["gain"] else "—"
        print(f"{row['name']:10} {row['mode']:19} {row['after_mips']:7.2f} {before_text} "
              f"{row['share_of_compute']:6.0%} {gain:>6}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
