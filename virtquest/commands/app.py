"""Starting the desktop app (the default when `virtquest` gets no command)."""

from __future__ import annotations

import sys

from virtquest.commands.display import display_problem


def start_app() -> int:
    # Before Qt: without a display (or a library of its xcb plugin) Qt would abort the process.
    problem = display_problem()
    if problem is not None:
        print(f"virtquest: {problem}", file=sys.stderr)
        return 2
    from virtquest.gui.app import run_app  # Qt is imported only here

    return run_app()
