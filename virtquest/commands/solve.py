"""`virtquest solve LEVEL_ID [--json]`: par — the best legal assignment, found exhaustively."""

from __future__ import annotations

from virtquest.commands.common import add_json_option, print_json
from virtquest.emu.errors import VirtQuestError


class UnknownLevel(VirtQuestError):
    pass


def register(sub) -> None:
    p = sub.add_parser("solve", help="find a level's best legal assignment (par)",
                       description="Run every legal assignment of a level's slots under its "
                                   "modes and report the best one that meets the goal.")
    p.add_argument("level", metavar="LEVEL_ID")
    add_json_option(p)
    p.set_defaults(handler=handle)


def find_level(level_id: str):
    """A shipped level by id, or UnknownLevel naming the close ones."""
    from virtquest.content.level_loader import load_levels
    from virtquest.content.levels import did_you_mean

    levels = load_levels()
    level = levels.get(level_id)
    if level is None:
        raise UnknownLevel(f"unknown level '{level_id}'{did_you_mean(level_id, levels.ids())} "
                           "(see `virtquest levels`)")
    return level


def handle(args) -> int:
    from virtquest.game.solver import solve

    level = find_level(args.level)
    solution = solve(level)
    if args.json:
        print_json(solution.to_json())
        return 0
    if solution.assignment is None:
        print(f"{level.id}: no legal assignment meets the goal ({solution.legal} tried)")
        return 1
    choices = ", ".join(f"{k}={v}" for k, v in solution.assignment.items())
    print(f"{level.id}: par {solution.overhead:.3f}x, {solution.stars} stars — {choices} "
          f"({solution.legal} legal assignments, {solution.seconds:.2f} s)")
    return 0
