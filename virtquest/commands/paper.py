"""`virtquest paper adams2006|barham2003 [--profile P] [--json]`: the papers, replicated."""

from __future__ import annotations

from virtquest.commands.common import add_json_option, print_json


def register(sub) -> None:
    p = sub.add_parser("paper", help="the emulator's figures beside a paper's",
                       description="Runs each operation of a published benchmark table on the "
                                   "emulator, per mode, beside the paper's numbers.")
    p.add_argument("paper", choices=["adams2006", "barham2003"])
    p.add_argument("--profile", default=None, metavar="NAME|FILE",
                   help="cost profile (default: the paper's era, p4-2006)")
    add_json_option(p)
    p.set_defaults(handler=handle)


def handle(args) -> int:
    from virtquest.content.profiles import load_profile
    from virtquest.hv.paper import PAPERS, replicate

    paper = PAPERS[args.paper]
    profile = load_profile(args.profile or paper.profile)
    rows = replicate(paper, profile)
    if args.json:
        print_json({"paper": paper.id, "title": paper.title, "profile": profile.name,
                    "unit": paper.unit, "columns": list(paper.columns), "rows": rows,
                    "note": paper.note})
        return 0
    print(f"{paper.title}\nprofile {profile.name}, {paper.unit} per operation "
          "(emulator / published)\n")
    header = f"{'operation':<12}" + "".join(f"{c:>24}" for c in paper.columns)
    print(header)
    for row in rows:
        cells = []
        for column in paper.columns:
            emu, pub = row["emulator"][column], row["published"][column]
            cells.append(f"{'—' if emu is None else _fmt(emu)} / {_fmt(pub)}")
        print(f"{row['operation']:<12}" + "".join(f"{c:>24}" for c in cells))
    print(f"\n{paper.note}")
    return 0


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:,.2f}"
