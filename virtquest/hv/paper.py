"""Replicating the papers: the emulator's per-operation cost beside the published figures.

Each operation is a program with an `ITER` count. It runs at two counts and the cost per
operation is the difference divided by the difference in counts, so boot and set-up drop out.
The published numbers are the papers' (cited); the emulator's come from running the programs.
"""

from __future__ import annotations

from dataclasses import dataclass

from virtquest.emu.costs import CostProfile
from virtquest.emu.resources import PROGRAMS
from virtquest.hv.runner import run_mode


@dataclass(frozen=True)
class Operation:
    name: str
    program: str
    low: int
    high: int
    published: dict[str, float]     # column -> the paper's figure


@dataclass(frozen=True)
class Paper:
    id: str
    title: str
    profile: str
    unit: str                       # "cycles" or "µs"
    clock_mhz: float                # for µs: the paper's machine
    columns: dict[str, str]         # column label -> mode id
    operations: tuple[Operation, ...]
    note: str


ADAMS_2006 = Paper(
    id="adams2006",
    title="Adams & Agesen, A Comparison of Software and Hardware Techniques for x86 "
          "Virtualization, ASPLOS 2006 (Table 1; Pentium 4 672)",
    profile="p4-2006", unit="cycles", clock_mhz=3800.0,
    columns={"native": "native", "BT": "binary-translation", "VT": "hardware-assist"},
    operations=(
        Operation("syscall", "syscall", 20, 60, {"native": 242, "BT": 2308, "VT": 246}),
        Operation("in", "in", 10, 30, {"native": 3209, "BT": 216, "VT": 15826}),
        Operation("cr8wr", "cr8wr", 20, 60, {"native": 150, "BT": 35, "VT": 177}),
        Operation("call/ret", "callret", 40, 120, {"native": 11, "BT": 51, "VT": 11}),
        Operation("pgfault", "pgfault", 10, 30, {"native": 1093, "BT": 3927, "VT": 11242}),
        Operation("divzero", "divzero", 10, 30, {"native": 889, "BT": 3223, "VT": 1014}),
        Operation("ptemod", "ptemod", 16, 48, {"native": 1, "BT": 391, "VT": 12733}),
        Operation("forkwait", "forkwait", 4, 12,
                  {"native": round(6.02 * 3.8e9 / 40000), "BT": round(36.95 * 3.8e9 / 40000),
                   "VT": round(106.4 * 3.8e9 / 40000)}),
    ),
    note="forkwait's published figures are seconds for 40,000 fork+wait; shown here as cycles "
         "per fork+wait at the P4's 3.8 GHz.",
)

BARHAM_2003 = Paper(
    id="barham2003",
    title="Barham et al., Xen and the Art of Virtualization, SOSP 2003 (lmbench; 2.4 GHz Xeon)",
    profile="p4-2006", unit="µs", clock_mhz=2400.0,
    columns={"native": "native", "Xen": "paravirt", "VMware": "binary-translation"},
    operations=(
        Operation("null call", "syscall", 20, 60, {"native": 0.45, "Xen": 0.46, "VMware": 0.73}),
        Operation("fork", "forkwait", 4, 12, {"native": 110, "Xen": 198, "VMware": 874}),
        Operation("page fault", "pgfault", 10, 30,
                  {"native": 1.42, "Xen": 2.73, "VMware": 12.4}),
    ),
    note="µs are the emulator's cycles at 2.4 GHz, with the P4-era cost profile.",
)

PAPERS = {p.id: p for p in (ADAMS_2006, BARHAM_2003)}


def measure_operation(op: Operation, mode_id: str, profile: CostProfile) -> float | None:
    """Cycles per operation under a mode, or None when the program is not shipped."""
    path = PROGRAMS / "paper" / f"{op.program}.s"
    if not path.exists():
        return None
    source = path.read_text(encoding="utf-8")
    cycles = []
    for count in (op.low, op.high):
        result, _ = run_mode(source, mode_id, file=str(path), profile=profile,
                             defines={"ITER": count}, budget=10**10)
        if not result.finished:
            raise RuntimeError(f"{op.program} under {mode_id}: {result.message}")
        cycles.append(result.cycles)
    return (cycles[1] - cycles[0]) / (op.high - op.low)


def replicate(paper: Paper, profile: CostProfile) -> list[dict]:
    rows = []
    for op in paper.operations:
        row = {"operation": op.name, "published": dict(op.published), "emulator": {}}
        for column, mode_id in paper.columns.items():
            per_op = measure_operation(op, mode_id, profile)
            if per_op is not None and paper.unit == "µs":
                per_op = per_op / paper.clock_mhz
            row["emulator"][column] = None if per_op is None else round(per_op, 3)
        rows.append(row)
    return rows
