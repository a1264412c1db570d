"""`virtquest levels [--json]` lists the levels (built-in and custom); `virtquest levels check
[PATH…]` validates level files, or whole content folders with their quizzes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from virtquest.commands.common import add_json_option, print_json
from virtquest.emu.errors import VirtQuestError


class CheckPathError(VirtQuestError):
    """A path given to `levels check` that is neither a level file nor a content folder."""


def register(sub) -> None:
    p = sub.add_parser("levels", help="list the lab levels, or check level files",
                       description="List the lab levels (levels/*.yaml and those of every "
                                   "--content folder), or with `check` validate level files "
                                   "or content folders: file:line: field: message for every "
                                   "problem, exit status 1 if there is any.")
    add_json_option(p)
    # `check` is a subcommand of its own, so its options may come before or after the paths
    # (`levels check --solve PATH` and `levels check PATH --solve`); `levels --solve check`
    # still works. SUPPRESS: whichever parser sees the option sets it, the other leaves it be.
    p.add_argument("--solve", action="store_true", default=argparse.SUPPRESS, help=SOLVE_HELP)
    actions = p.add_subparsers(dest="action", metavar="check")
    check_parser = actions.add_parser(
        "check", help="check level files or content folders",
        description="Validate level files, or content folders (their level files and "
                    "quizzes/, and ids that clash with the built-in content): file:line: "
                    "field: message for every problem, exit status 1 if there is any.")
    check_parser.add_argument("paths", nargs="*", metavar="PATH",
                              help="level files or content folders (default: all the content)")
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
    from virtquest.content.folders import BUILTIN
    from virtquest.content.level_loader import load_levels

    loaded = load_levels()
    for error in loaded.errors:
        print(f"virtquest: warning: {error}", file=sys.stderr)
    levels = loaded.levels
    rows = [{"id": lv.id, "chapter": lv.chapter, "order": lv.order,
             "title": {"ko": lv.title.ko, "en": lv.title.en}, "modes": list(lv.modes),
             "slots": lv.slot_labels, "guest_modifiable": lv.guest.modifiable}
            for lv in levels]
    if args.json:
        print_json(rows)
    else:
        for row, level in zip(rows, levels, strict=True):
            custom = "" if not level.path or BUILTIN.holds(level.path) else f"  [{level.path}]"
            print(f"{row['id']:<28} ch{row['chapter']}  {', '.join(row['modes']):<52} "
                  f"{row['title']['en']}{custom}")
    return 0


def check(paths: list[str], *, solve: bool = False) -> int:
    """Every problem of the given level files and content folders (all the content when none
    is given): the files' own problems, and ids that clash with the other content folders."""
    from virtquest.content.folders import content_folders
    from virtquest.content.level_loader import load_level_folders, load_levels
    from virtquest.content.quizzes import load_quiz_folders
    from virtquest.game.explain import matrix_errors

    folders = content_folders()
    files, directories = _check_targets(paths)
    errors = []
    levels = []
    questions = 0
    if not paths:
        bank = load_quiz_folders(folders)
        loaded = load_level_folders(folders, bank)
        errors += list(bank.errors) + list(loaded.errors)
        levels += loaded.levels
        questions += len(bank)
    for directory in directories:
        found = _check_folder(directory, folders)
        errors += found[0]
        levels += found[1]
        questions += found[2]
    if files:
        loaded = load_levels(paths=files, bank=load_quiz_folders(folders))
        errors += loaded.errors
        levels += loaded.levels
    errors += matrix_errors()
    errors += _level_problems(levels, solve)
    for error in errors:
        print(error)
    if not errors:
        checked = f"{len(levels)} level(s)" + (f", {questions} question(s)"
                                                if not files else "")
        print(f"{checked}: no problems")
    return 1 if errors else 0


def _check_targets(paths: list[str]) -> tuple[list[Path], list[Path]]:
    """The level files and the content folders among `paths`. A path ending in .yaml is a level
    file (whatever is wrong with it is reported as a problem of that file); any other path must
    be a content folder, or it is one line and exit status 2."""
    from virtquest.content.folders import LAYOUT

    files, directories = [], []
    for name in paths:
        path = Path(name)
        if path.suffix in (".yaml", ".yml"):
            files.append(path)
        elif path.is_dir():
            directories.append(path)
        elif path.exists():
            raise CheckPathError(f"levels check: {name}: neither a level file (.yaml) nor a "
                                 f"content folder (a folder with {LAYOUT})")
        else:
            raise CheckPathError(f"levels check: {name}: no such content folder (a level "
                                 "file's name ends in .yaml)")
    return files, directories


def _check_folder(directory: Path, folders) -> tuple[list, list, int]:
    """A content folder's problems, levels and number of questions. It is loaded in its place
    among the configured folders (after the built-in one when it is not configured), so that
    its ids are checked against theirs; only problems that involve its files are kept."""
    from virtquest.content.errors import IdClashError
    from virtquest.content.folders import custom_folder
    from virtquest.content.level_loader import load_level_folders
    from virtquest.content.quizzes import load_quiz_folders

    folder = custom_folder(directory, origin="levels check")
    ordered = list(folders)
    if not any(other.same_place(folder) for other in folders):
        ordered.append(folder)
    bank = load_quiz_folders(ordered)
    loaded = load_level_folders(ordered, bank)

    def involves(error) -> bool:
        return folder.holds(error.path) or (isinstance(error, IdClashError)
                                            and folder.holds(error.first))

    errors = [e for e in (*bank.errors, *loaded.errors) if involves(e)]
    levels = [lv for lv in loaded.levels if lv.path and folder.holds(lv.path)]
    questions = sum(1 for q in bank.questions if folder.holds(bank.file_of(q.id)))
    return errors, levels, questions


def _level_problems(levels, solve: bool) -> list:
    """What only running a level finds (and, with `solve`, what only the solver finds)."""
    from virtquest.game.checks import check_level

    errors = []
    for level in levels:
        errors += check_level(level)
        if solve:
            from virtquest.game.checks import check_solvable

            errors += check_solvable(level)
    return errors
