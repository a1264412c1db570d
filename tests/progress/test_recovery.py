"""A damaged database is kept aside as a dated backup, a fresh one is started, the learner is told."""

from __future__ import annotations

import re
import sqlite3

import pytest

from virtquest.progress.errors import ProgressError
from virtquest.progress.recovery import find_damage, move_aside
from virtquest.progress.store import open_store

BACKUP_NAME = re.compile(r"progress\.sqlite3\.corrupt-\d{8}-\d{6}(-\d+)?$")


def make_database_with_progress(path) -> None:
    with open_store(path) as store:
        pid = store.current_profile_id()
        for i in range(300):
            store.record_quiz_answer(pid, f"q{i % 40}", i % 3 == 0, answer=f"answer {i}" * 5)


def backups(path) -> list:
    return sorted(p for p in path.parent.iterdir() if BACKUP_NAME.match(p.name))


def assert_kept_aside_and_fresh(path, original: bytes, reason: str) -> None:
    with open_store() as store:
        assert len(store.warnings) == 1
        assert reason in store.warnings[0] and "kept as" in store.warnings[0]
        [backup] = backups(path)
        assert store.opened.backup_path == backup
        assert backup.read_bytes() == original  # nothing of the old file is lost
        assert store.quiz_answers(store.current_profile_id()) == []  # a fresh start...
        store.add_xp(store.current_profile_id(), 1, "quiz_wrong")  # ...that works
    with open_store() as store:
        assert store.warnings == ()  # told once, not on every start


def test_a_file_that_is_not_a_database(db_path):
    db_path.parent.mkdir(parents=True)
    original = b"These are my lecture notes, not a database.\n" * 50
    db_path.write_bytes(original)
    assert_kept_aside_and_fresh(db_path, original, "not a SQLite database")


def test_random_binary_garbage(db_path):
    db_path.parent.mkdir(parents=True)
    original = bytes(range(256)) * 64
    db_path.write_bytes(original)
    assert_kept_aside_and_fresh(db_path, original, "not a SQLite database")


@pytest.mark.parametrize("keep", [10, 60, 4096 * 3])
def test_a_truncated_database(db_path, keep):
    make_database_with_progress(db_path)
    original = db_path.read_bytes()[:keep]
    assert len(original) < db_path.stat().st_size
    db_path.write_bytes(original)
    assert_kept_aside_and_fresh(db_path, original, "truncated")


def test_a_database_failing_the_integrity_check(db_path):
    make_database_with_progress(db_path)
    data = bytearray(db_path.read_bytes())
    spot = data.rfind(b"q39")  # change one key inside the index only
    data[spot:spot + 3] = b"zzz"
    db_path.write_bytes(bytes(data))
    assert find_damage(db_path) is not None
    assert_kept_aside_and_fresh(db_path, bytes(data), "")


def test_a_corrupt_databases_wal_goes_with_it(db_path):
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"x" * 200)
    wal = db_path.with_name(db_path.name + "-wal")
    wal.write_bytes(b"old log")
    backup = move_aside(db_path)
    assert not db_path.exists() and not wal.exists()
    assert backup.with_name(backup.name + "-wal").read_bytes() == b"old log"


def test_two_failures_in_one_second_keep_both_backups(db_path):
    db_path.parent.mkdir(parents=True)
    for content in (b"first" * 50, b"second" * 50):
        db_path.write_bytes(content)
        move_aside(db_path)
    assert sorted(b.read_bytes()[:5] for b in backups(db_path)) == [b"first", b"secon"]


def test_a_healthy_or_missing_database_is_not_damaged(db_path):
    assert find_damage(db_path) is None
    make_database_with_progress(db_path)
    assert find_damage(db_path) is None


def test_a_file_sqlite_cannot_open_for_another_reason_is_an_error_not_corruption(db_path):
    db_path.mkdir(parents=True)  # a folder where the database should be
    with pytest.raises(ProgressError):
        open_store()
    assert db_path.is_dir() and not backups(db_path)


def test_a_locked_database_is_not_mistaken_for_a_corrupt_one(db_path, monkeypatch):
    make_database_with_progress(db_path)

    def locked(*_args, **_kwargs):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr("virtquest.progress.recovery._read_only_check", locked)
    with pytest.raises(ProgressError, match="locked"):
        open_store()
    assert not backups(db_path)
