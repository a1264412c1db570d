"""Starting the desktop app (the default when `virtquest` gets no command)."""

from __future__ import annotations


def start_app() -> int:
    from virtquest.gui.app import run_app  # Qt is imported only here

    return run_app()
