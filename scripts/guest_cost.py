"""What a guest instruction costs the host, counted instead of timed: the host's machine
instructions (valgrind's `Ir`) per guest instruction on the bench workloads. A count does not move
with the machine's load, so two versions of the emulator can be compared on a busy shared machine
where `virtquest bench`'s rates move by a third between runs.

For each workload two runs are counted, each in a process of its own that first runs both sizes
once (so everything is compiled) and then the one size it counts; the cost is the difference in
host instructions over the difference in guest instructions, so start-up, boot and compilation
drop out, as in `virtquest bench`. The counts are exact from one run to the next (PYTHONHASHSEED
is fixed and the heap frozen before the counted run, so no collection scans what earlier runs
built). A workload's share of compute's speed is compute's cost over its own.

    .venv/bin/python scripts/guest_cost.py [--tree DIR] [--mode MODE] [--jobs N] [NAME …]

`--tree` counts another copy of the package (a directory holding `virtquest/`, `assets/`,
`levels/`; for example an older version checked out with `git worktree`). Needs valgrind; each
workload takes a minute or two of processor time under it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

# Both sizes of each workload, smaller than the bench's (valgrind runs Python ~50× slower); the
# difference between them is what is counted.
SIZES = {
    "compute": ({"N": 10_000}, {"N": 40_000}),
    "count_cmp": ({"N": 10_000}, {"N": 40_000}),
    "count_dec": ({"N": 10_000}, {"N": 40_000}),
    "primes": ({"N": 2_000}, {"N": 5_000}),
    "sieve": ({"N": 10_000}, {"N": 30_000}),
    "sort": ({"N": 100}, {"N": 200}),
    "fib": ({"N": 14}, {"N": 17}),
    "memsum": ({"PAGES": 16, "ROUNDS": 2}, {"PAGES": 16, "ROUNDS": 6}),
    "strings": ({"LENGTH": 1000, "ROUNDS": 4}, {"LENGTH": 1000, "ROUNDS": 12}),
    "list": ({"NODES": 2000, "STRIDE": 617, "ROUNDS": 4},
             {"NODES": 2000, "STRIDE": 617, "ROUNDS": 12}),
    "kernel": ({"ITER": 20}, {"ITER": 60}),
}

# What each counted process runs (its arguments: workload, size index, mode).
CHILD = """
import gc, sys
from virtquest.content.profiles import load_profile
from virtquest.hv.bench import measure
from virtquest.hv.workloads import BY_NAME
name, which, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
sizes = {sizes!r}[name]
workload = BY_NAME.get(name)
profile = load_profile("modern")
for size in sizes:
    measure(name, mode, profile, dict(size), workload.expected(size) if workload else None)
gc.collect()
gc.freeze()
print("GUEST", measure(name, mode, profile, dict(sizes[which])).instructions)
"""


def count(tree: Path, name: str, which: int, mode: str) -> tuple[int, int]:
    """(guest instructions, host instructions) of one counted run."""
    env = dict(os.environ, PYTHONPATH=str(tree), PYTHONHASHSEED="0")
    done = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
         sys.executable, "-c", CHILD.format(sizes=SIZES), name, str(which), mode],
        env=env, cwd=tree, capture_output=True, text=True, check=True)   # `-c` puts cwd first
    guest = int(re.search(r"GUEST (\d+)", done.stdout).group(1))
    host = int(re.search(r"I\s+refs:\s+([\d,]+)", done.stderr).group(1).replace(",", ""))
    return guest, host


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help="workloads (default: all)")
    parser.add_argument("--tree", type=Path, default=Path(__file__).resolve().parents[1],
                        help="the copy of the package to count (default: this one)")
    parser.add_argument("--mode", default="native")
    parser.add_argument("--jobs", type=int, default=2, help="processes at once")
    args = parser.parse_args()
    names = args.names or list(SIZES)
    unknown = set(names) - set(SIZES)
    if unknown:
        parser.error(f"unknown workload {', '.join(sorted(unknown))}")
    if "compute" not in names:
        names.insert(0, "compute")
    # compiled once before the counted processes start, so none of them counts compiling it
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(args.tree / "virtquest")],
                   check=True, capture_output=True)
    jobs = [(name, which) for name in names for which in (0, 1)]
    with ThreadPoolExecutor(args.jobs) as pool:
        counts = dict(zip(jobs, pool.map(lambda job: count(args.tree, *job, args.mode), jobs),
                          strict=True))
    cost = {}
    for name in names:
        (guest0, host0), (guest1, host1) = counts[name, 0], counts[name, 1]
        cost[name] = (host1 - host0) / (guest1 - guest0)
    report = {name: {"host_per_guest": round(c, 1), "share_of_compute": round(
        cost["compute"] / c, 3)} for name, c in cost.items()}
    print(json.dumps({"mode": args.mode, "tree": str(args.tree), "workloads": report},
                     indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
