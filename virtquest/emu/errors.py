"""Error types shared by every layer. The CLI prints them as one line; the GUI shows them."""

from __future__ import annotations

from virtquest.emu.messages import Message


class VirtQuestError(Exception):
    """Base of every error the project reports to a user (never a traceback)."""

    exit_status = 2


class AssemblyError(VirtQuestError):
    """A source program could not be assembled: names file, line and column, and says what was
    expected as a Message (`detail`); `message` is its English text."""

    def __init__(self, file: str, line: int, column: int, detail: Message):
        self.file, self.line, self.column, self.detail = file, line, column, detail
        self.message = detail.text()
        super().__init__(f"{file}:{line}:{column}: {self.message}")


class MachineError(VirtQuestError):
    """The machine cannot run what it was given (bad image, bad configuration, bad profile)."""


class ProfileError(MachineError):
    """A cost profile is missing a key or holds a value that is not a cycle count."""
