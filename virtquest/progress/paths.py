"""Where the progress database lives: VIRTQUEST_HOME if set, else the user's data directory."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

HOME_ENV_VAR = "VIRTQUEST_HOME"
DATABASE_FILENAME = "progress.sqlite3"


def data_dir() -> Path:
    """The directory holding the learner's data (not created here)."""
    override = os.environ.get(HOME_ENV_VAR)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir("virtquest", appauthor=False))


def database_path() -> Path:
    """The progress database file inside the data directory."""
    return data_dir() / DATABASE_FILENAME
