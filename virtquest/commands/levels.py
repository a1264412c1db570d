"""`virtquest levels [--json]` lists the levels; `virtquest levels check [PATH…]` validates them."""

from __future__ import annotations

import argparse
from pathlib import Path

from virtquest.commands.common import add_json_option, print_json


def register(sub) -> None:
    p = sub.add_parser("levels", help="list the lab levels, or check level files",
                       description="List the lab levels (levels/*.yaml), or with `check` "
                                   "validate level files: file:line: field: message for "
                                   "every problem, exit status 1 if there is any.")
    add_json_option(p)
    # `check` is a subcommand of its own, so its options may come before or after the paths
    # (`levels check --solve PATH` and `levels check PATH --solve`); `levels --solve check`
    # still works. SUPPRESS: whichever parser sees the option sets it, the other leaves it be.
    p.add_argument("--solve", action="store_true", default=argparse.SUPPRESS, help=SOLVE_HELP)
    actions = p.add_subparsers(dest="action", metavar="check")
    check_parser = actions.add_parser(
        "check", help="check level files",
        description="Validate level files: file:line: field: message for every problem, "
                    "exit status 1 if there is any.")
    check_parser.add_argument("paths", nargs="*", metavar="PATH",
                              help="level files (default: all)")
    check_parser.add_argument("--solve", action="store_true", default=argparse.SUPPRESS,
                              help=SOLVE_HELP)
    check_parser.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                              help=argparse.SUPPRESS)
    p.set_defaults(handler=handle)


SOLVE_HELP = ("with check: also run the solver (three stars reachable, the hypervisor-first "
              "assignment equivalent and contained)")


def handle(args) -> int:
    if args.action == "check":
        return check(args.paths, solve=getattr(args, "solve", False))
    from virtquest.content.levels import load_levels

    levels = load_levels().levels
    rows = [{"id": lv.id, "chapter": lv.chapter, "order": lv.order,
             "title": {"ko": lv.title.ko, "en": lv.title.en}, "modes": list(lv.modes),
             "slots": lv.slot_labels, "guest_modifiable": lv.guest.modifiable}
            for lv in levels]
    if args.json:
        print_json(rows)
    else:
        for row in rows:
            print(f"{row['id']:<28} ch{row['chapter']}  {', '.join(row['modes']):<52} "
                  f"{row['title']['en']}")
    return 0


def check(paths: list[str], *, solve: bool = False) -> int:
    """Every problem of the given level files (all shipped ones when none is given)."""
    from virtquest.content.levels import load_levels
    from virtquest.game.explain import matrix_errors
    from virtquest.game.lab import check_level

    loaded = load_levels(paths=[Path(p) for p in paths]) if paths else load_levels()
    errors = list(loaded.errors) + matrix_errors()
    for level in loaded.levels:
        errors += check_level(level)
        if solve:
            from virtquest.game.solver import check_solvable

            errors += check_solvable(level)
    for error in errors:
        print(error)
    if not errors:
        print(f"{len(loaded.levels)} level(s): no problems")
    return 1 if errors else 0
