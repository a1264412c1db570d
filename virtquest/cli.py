"""The `virtquest` command: starts the app, or runs one subcommand (docs/design.md, "The
command line").

Each subcommand lives in virtquest/commands/NAME.py with `register(subparsers)`; its handler gets the
parsed arguments and returns an exit status. Errors of the project's types become one line on
stderr and exit status 2 — never a traceback.

`--content DIR` (repeatable, before the command) adds an instructor's folder of levels and
quizzes for this run, to every command and to the app; VIRTQUEST_CONTENT does the same from the
environment (virtquest/content/folders.py).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from virtquest import __version__
from virtquest.emu.errors import VirtQuestError

# Order is the order of `virtquest --help`.
COMMANDS = (
    "run", "levels", "solve", "paper", "schema", "quiz", "review",
    "progress", "bench", "screenshot", "debug",
)


class OneLineParser(argparse.ArgumentParser):
    """Usage errors as one line on stderr and exit status 2, like every other error, with a
    pointer to --help."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="virtquest",
        description="Learn how a hypervisor runs a guest OS. Without a command, starts the app.",
    )
    parser.add_argument("--version", action="version", version=f"virtquest {__version__}")
    parser.add_argument("--content", action="append", default=[], metavar="DIR",
                        help="also read levels and quizzes from this folder (level files at "
                             "its top, quiz files in DIR/quizzes/); repeatable, and added to "
                             "the folders of $VIRTQUEST_CONTENT (see docs/levels.md)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)
    for name in COMMANDS:
        importlib.import_module(f"virtquest.commands.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from virtquest.content.folders import custom_folders, set_command_line_folders

    parser = build_parser()
    args = parser.parse_args(argv)
    previous = set_command_line_folders(args.content)
    try:
        custom_folders()  # a missing folder is one line before anything runs
        if args.command is None:
            from virtquest.commands.app import start_app

            return start_app()
        return int(args.handler(args) or 0)
    except VirtQuestError as exc:
        print(f"virtquest: {exc}", file=sys.stderr)
        return exc.exit_status
    except KeyboardInterrupt:
        print("virtquest: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (`… | head`): nothing more to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except OSError as exc:   # a file no command checked first: its name and why, no errno
        where = f"{exc.filename}: " if exc.filename is not None else ""
        print(f"virtquest: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except UnicodeDecodeError as exc:
        print(f"virtquest: {exc}", file=sys.stderr)
        return 2
    finally:
        set_command_line_folders(previous)
