"""Emulator speed: guest instructions per second on the bench workloads, beside plain Python doing
the compute workload's arithmetic in the same run (so the ratio survives a noisy machine).

The user workloads (virtquest/hv/workloads.py) are measured alike: two runs of different size,
the rate of the difference; every run's exit code is checked against the workload's Python
reference, so a fast wrong answer never counts.

Time is the process's own CPU time (`clock`): on a shared machine, the time other programs hold
the processor is not the emulator's, and counting it moved rates 2–3× from run to run. Before each
run what earlier runs left behind is collected and the rest frozen (`gc.freeze`), so a collection
during the run scans what the run makes, not every compiled block made before it: that had moved
a workload's rate by up to 1.5× with the order of the measurements."""

from __future__ import annotations

import gc
import time
from dataclasses import dataclass

from virtquest.emu.boot import load_guest
from virtquest.emu.costs import CostProfile
from virtquest.emu.isa import M32
from virtquest.emu.resources import PROGRAMS
from virtquest.hv.registry import create, mode_class
from virtquest.hv.workloads import Workload

COMPUTE_SEED = 2463534242
clock = time.process_time
# Guest instructions per step of compute.s's loop (mov shl xor mov shr xor mov shl xor add loop).
COMPUTE_STEP_INSTRUCTIONS = 11


@dataclass
class Measurement:
    name: str
    mode: str
    instructions: int
    seconds: float
    reference_mips: float | None = None
    cold_mips: float | None = None

    @property
    def guest_mips(self) -> float:
        return self.instructions / self.seconds / 1e6 if self.seconds else 0.0

    def to_json(self) -> dict:
        return {"name": self.name, "mode": self.mode, "guest_mips": round(self.guest_mips, 3),
                "reference_mips": None if self.reference_mips is None
                else round(self.reference_mips, 3),
                "instructions": self.instructions, "seconds": round(self.seconds, 4),
                "cold_mips": None if self.cold_mips is None else round(self.cold_mips, 3)}


def reference_compute(n: int) -> tuple[int, float]:
    """Plain Python doing compute.s's arithmetic: (sum, seconds)."""
    start = clock()
    x, total = COMPUTE_SEED, 0
    for _ in range(n):
        x ^= (x << 13) & M32
        x ^= x >> 17
        x ^= (x << 5) & M32
        total = (total + x) & M32
    return total, clock() - start


class WrongResult(RuntimeError):
    """A bench run ended with another exit code than its Python reference gives."""


def measure(name: str, mode_id: str, profile: CostProfile, defines: dict[str, int],
            expected: int | None = None) -> Measurement:
    path = PROGRAMS / "bench" / f"{name}.s"
    mode = mode_class(mode_id)
    gc.collect()        # the last run's machine goes; what stays (compiled code) is frozen
    gc.freeze()
    guest = load_guest(path.read_text(encoding="utf-8"), file=str(path), profile=profile,
                       defines=defines, kernel_defines=dict(mode.guest_defines))
    create(mode_id, guest.machine)
    start = clock()
    result = guest.run(budget=10**12)
    seconds = clock() - start
    if not result.finished:
        raise RuntimeError(f"bench workload {name} under {mode_id} did not finish: "
                           f"{result.message}")
    if expected is not None and result.exit_code != expected:
        raise WrongResult(f"bench workload {name} under {mode_id} with {defines} ended with exit "
                          f"code {result.exit_code}; its Python reference gives {expected}")
    return Measurement(name, mode_id, result.instructions, seconds)


def user_workload(workload: Workload, mode_id: str, profile: CostProfile,
                  quick: bool = False) -> Measurement:
    """A user workload's own rate: its short and full sizes (best of three runs each, after one
    run of each that compiles what they run — the compiled code is shared between machines, and
    a second run may build its regions earlier than a first), the rate of the difference; with
    `quick`, one run of its quick size and that run's whole rate."""
    def best(sizes, runs: int) -> Measurement:
        expected = workload.expected(sizes)
        return min((measure(workload.name, mode_id, profile, dict(sizes), expected)
                    for _ in range(runs)), key=lambda m: m.seconds)

    if quick:
        return best(workload.quick, 1)
    best(workload.short, 1)
    best(workload.full, 1)
    return difference(workload.name, mode_id, best(workload.short, 3), best(workload.full, 3))


def difference(name: str, mode_id: str, short: Measurement, full: Measurement) -> Measurement:
    """The rate of what the full run did beyond the short one; the full run's whole rate when
    the machine's noise swallowed the difference (tiny sizes)."""
    seconds = full.seconds - short.seconds
    if seconds <= full.seconds / 20 or full.instructions <= short.instructions:
        return Measurement(name, mode_id, full.instructions, full.seconds)
    return Measurement(name, mode_id, full.instructions - short.instructions, seconds)


def compute_workload(mode_id: str, profile: CostProfile, n: int) -> Measurement:
    """The compute loop's own speed — two runs of different length, so boot drops out — and,
    right beside it, the Python reference on the same arithmetic. Measured as the user workloads
    are (one run of each size that compiles what it runs, then the best of three), since every
    other rate is a share of this one."""
    sizes = ({"N": n // 10}, {"N": n})
    for size in sizes:
        measure("compute", mode_id, profile, dict(size))
    short, full = (min((measure("compute", mode_id, profile, dict(size)) for _ in range(3)),
                       key=lambda m: m.seconds) for size in sizes)
    steps = n - n // 10
    ref_seconds = min(reference_compute(steps)[1] for _ in range(3))
    loop = difference("compute", mode_id, short, full)
    loop.reference_mips = steps * COMPUTE_STEP_INSTRUCTIONS / ref_seconds / 1e6
    return loop


def kernel_workload(mode_id: str, profile: CostProfile, iters: int) -> Measurement:
    """The kernel loop's own rate — system calls, map/unmap and switches — from two runs of
    different length, so boot and the first compilation of each block drop out (as for compute).
    `cold_mips` keeps the rate of one whole run from a cold start, for comparison."""
    cold = measure("kernel", mode_id, profile, {"ITER": iters})
    short = min((measure("kernel", mode_id, profile, {"ITER": max(iters // 10, 1)})
                 for _ in range(3)), key=lambda m: m.seconds)
    full = min((measure("kernel", mode_id, profile, {"ITER": iters}) for _ in range(3)),
               key=lambda m: m.seconds)
    loop = difference("kernel", mode_id, short, full)
    loop.cold_mips = cold.guest_mips
    return loop
