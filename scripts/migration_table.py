"""Downtime and total time of a live migration against the guest's dirty rate and the link's
bandwidth: the table docs/hosts.md shows, measured on the emulator.

The guest is assets/programs/levels/ch12_migrate.s with HOT pages rewritten over and over (the
dirty rate), run long enough that the move is over before it ends; the link carries BANDWIDTH pages per million cycles. Pre-copy with the EPT dirty
bits, at most 8 rounds, stop-and-copy at 16 pages or fewer. Run: .venv/bin/python
scripts/migration_table.py [--json]
"""

from __future__ import annotations

import json
import sys

from virtquest.content.profiles import load_profile
from virtquest.emu.resources import ASSETS
from virtquest.hv.host import HostSetup
from virtquest.hv.hostrun import run_on_host
from virtquest.hv.migration import MigrationSetup
from virtquest.hv.runner import run_mode

PROGRAM = ASSETS / "programs/levels/ch12_migrate.s"
HOT = (2, 12, 24)
BANDWIDTHS = (25, 100, 400)


def measure() -> list[dict]:
    profile = load_profile("modern")
    source = PROGRAM.read_text(encoding="utf-8")
    rows = []
    for hot in HOT:
        defines = {"HOT": hot, "PASSES": 3000 // hot}   # long enough to outlive the move
        native, _ = run_mode(source, "native", file=str(PROGRAM), profile=profile,
                             defines=defines)
        for bandwidth in BANDWIDTHS:
            for precopy in (True, False):
                migration = MigrationSetup(start=450_000, bandwidth=bandwidth, precopy=precopy,
                                           dirty_log="dirty-bits")
                run = run_on_host(source, file=str(PROGRAM), profile=profile,
                                  setup=HostSetup(guests=1), migration=migration,
                                  defines=defines, native=native)
                m = run.host["migration"]
                rows.append({"hot_pages": hot, "bandwidth": bandwidth, "precopy": precopy,
                             "rounds": len(m["rounds"]), "pages_sent": m["pages_sent"],
                             "total": m["total"], "downtime": m["downtime"],
                             "converged": m["converged"],
                             "ended_first": m["guest_ended_first"],
                             "equivalent": run.equivalent})
    return rows


def main() -> int:
    rows = measure()
    if "--json" in sys.argv:
        print(json.dumps(rows, indent=2))
        return 0
    print(f"{'hot pages':>9} {'pages/Mcycle':>12} {'method':>14} {'rounds':>6} {'sent':>5} "
          f"{'total':>11} {'downtime':>10} {'converged':>9} {'same':>5}")
    for r in rows:
        method = "pre-copy" if r["precopy"] else "stop-and-copy"
        print(f"{r['hot_pages']:>9} {r['bandwidth']:>12} {method:>14} {r['rounds']:>6} "
              f"{r['pages_sent']:>5} {r['total']:>11,} {r['downtime']:>10,} "
              f"{'yes' if r['converged'] else 'NO':>9} {'yes' if r['equivalent'] else 'NO':>5}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
