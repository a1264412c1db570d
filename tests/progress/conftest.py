"""Fixtures for the progress store tests: a store in the test's own VIRTQUEST_HOME."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from virtquest.progress.paths import database_path
from virtquest.progress.store import open_store

KST = timezone(timedelta(hours=9), "KST")
MOMENT = datetime(2025, 3, 3, 10, 0, tzinfo=KST)


@pytest.fixture
def store():
    with open_store() as opened:
        yield opened


@pytest.fixture
def db_path() -> Path:
    return database_path()


def dump(path: Path) -> list[str]:
    """The database's full content as SQL, to compare before and after an operation."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump()) + [f"user_version={conn.execute('PRAGMA user_version').fetchone()[0]}"]
    finally:
        conn.close()
