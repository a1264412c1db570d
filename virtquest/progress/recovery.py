"""Checking a progress database before use: a damaged file is moved aside, never silently dropped.

A file written by a newer VirtQuest is refused untouched (it is read only through a read-only
connection). A file that is not a database, is truncated, or fails PRAGMA integrity_check is
renamed to `progress.sqlite3.corrupt-YYYYmmdd-HHMMSS` so the learner (or a helper) can still try
to rescue it, and the caller is told so that it can tell the learner.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from virtquest.progress.errors import ProgressError
from virtquest.progress.migrations import check_version_known

SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100
# Result codes (low byte of the extended code) that mean "the file itself is bad".
_CORRUPTION_CODES = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}


def find_damage(path: Path) -> str | None:
    """Why the database at `path` cannot be trusted, or None if it is healthy or absent.

    Raises ProgressError for a newer schema version or a file that cannot be read at all.
    """
    try:
        if not path.exists() or path.stat().st_size == 0:
            return None  # SQLite treats an empty file as an empty database
        return _header_damage(path) or _sqlite_damage(path)
    except OSError as exc:
        raise ProgressError(f"cannot read the progress database {path}: "
                            f"{exc.strerror or exc}") from exc


def _header_damage(path: Path) -> str | None:
    with path.open("rb") as handle:
        header = handle.read(HEADER_SIZE)
    if header[: len(SQLITE_MAGIC)] != SQLITE_MAGIC and not SQLITE_MAGIC.startswith(header):
        return "the file is not a SQLite database"
    if len(header) < HEADER_SIZE:
        return "the file is truncated (shorter than a database header)"
    return _size_damage(path, header)


def _size_damage(path: Path, header: bytes) -> str | None:
    """A file shorter than the page count its header claims lost its tail."""
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        # Mid-checkpoint the header may run ahead of the file; the WAL still holds the pages and
        # SQLite's own check below reads through it.
        return None
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    page_count = int.from_bytes(header[28:32], "big")
    header_count_valid = header[24:28] == header[92:96]
    expected = page_size * page_count
    actual = path.stat().st_size
    if header_count_valid and page_count and actual < expected:
        return f"the file is truncated ({actual} of {expected} bytes)"
    return None


def _sqlite_damage(path: Path) -> str | None:
    try:
        rows = _read_only_check(path)
    except sqlite3.DatabaseError as exc:
        if _is_corruption(exc):
            return f"SQLite reports: {exc}"
        raise ProgressError(f"cannot read the progress database {path}: {exc}") from exc
    if rows != ["ok"]:
        return "the integrity check failed: " + "; ".join(rows[:3])
    return None


def _read_only_check(path: Path) -> list[str]:
    """Version first (a newer file is refused before anything else), then integrity."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        check_version_known(version, str(path))
        return [str(row[0]) for row in conn.execute("PRAGMA integrity_check").fetchall()]
    finally:
        conn.close()


def _is_corruption(exc: sqlite3.DatabaseError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in _CORRUPTION_CODES
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text


def move_aside(path: Path, now: datetime | None = None) -> Path:
    """Rename a damaged database (and its WAL) to a dated backup; returns the backup's path."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    backup = _free_name(path.with_name(f"{path.name}.corrupt-{stamp}"))
    path.rename(backup)
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    if wal.exists():
        # Left in place, SQLite would replay the damaged file's log into the fresh database.
        wal.rename(Path(f"{backup}-wal"))
    if shm.exists():
        shm.unlink()  # only an index of the WAL, rebuilt on demand
    return backup


def _free_name(candidate: Path) -> Path:
    """Never overwrite an earlier backup (two failures within one second)."""
    if not candidate.exists():
        return candidate
    for n in range(2, 1000):
        numbered = candidate.with_name(f"{candidate.name}-{n}")
        if not numbered.exists():
            return numbered
    raise ProgressError(f"too many backups named {candidate.name}* — please tidy that folder")
