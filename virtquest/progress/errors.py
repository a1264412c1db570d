"""The progress store's error type, shown to the learner as one clear line."""

from __future__ import annotations

from virtquest.emu.errors import VirtQuestError


class ProgressError(VirtQuestError):
    """The progress store cannot do what was asked (refused database, bad import, bad value)."""
