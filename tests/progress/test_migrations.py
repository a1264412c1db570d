"""Every earlier schema version migrates to the current one with its data kept.

The DDL below is what each version shipped with, frozen here on purpose: old databases are
built from it (not from the migration code), so an edited shipped step cannot go unnoticed.
"""

from __future__ import annotations

import hashlib
import sqlite3

import pytest
from sqlite_utils import Database

from tests.progress.conftest import dump
from virtquest.progress import migrations
from virtquest.progress.errors import ProgressError
from virtquest.progress.migrations import SCHEMA_VERSION, Migration, migrate
from virtquest.progress.store import open_store

SHIPPED_V1 = """
CREATE TABLE profiles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reuse a deleted learner's id
    name TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
CREATE TABLE app_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE settings (
    profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (profile_id, key)
);
CREATE TABLE attempts (
    id INTEGER PRIMARY KEY,
    profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    level_id TEXT NOT NULL,
    choices TEXT NOT NULL,
    mode TEXT NOT NULL,
    cycles INTEGER NOT NULL CHECK (cycles >= 0),
    stars INTEGER NOT NULL CHECK (stars BETWEEN 0 AND 3),
    at TEXT NOT NULL
);
CREATE INDEX attempts_by_level ON attempts (profile_id, level_id);
CREATE TABLE best_results (
    profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    level_id TEXT NOT NULL,
    stars INTEGER NOT NULL,
    cycles INTEGER NOT NULL,
    attempt_id INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
    first_cleared_at TEXT,
    PRIMARY KEY (profile_id, level_id)
);
CREATE TABLE quiz_answers (
    id INTEGER PRIMARY KEY,
    profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    question_id TEXT NOT NULL,
    correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
    answer TEXT,
    at TEXT NOT NULL
);
CREATE INDEX quiz_answers_by_question ON quiz_answers (profile_id, question_id);
PRAGMA user_version = 1;
"""

SHIPPED_V2 = """
CREATE TABLE review_cards (
    profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    question_id TEXT NOT NULL,
    card TEXT NOT NULL,
    due TEXT NOT NULL,
    flagged_by TEXT,
    PRIMARY KEY (profile_id, question_id)
);
CREATE INDEX review_cards_by_due ON review_cards (profile_id, due);
CREATE TABLE xp_events (
    id INTEGER PRIMARY KEY,
    profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    amount INTEGER NOT NULL CHECK (amount >= 0),
    reason TEXT NOT NULL,
    ref TEXT,
    at TEXT NOT NULL
);
CREATE INDEX xp_events_by_profile ON xp_events (profile_id);
ALTER TABLE quiz_answers ADD COLUMN kind TEXT;
ALTER TABLE quiz_answers ADD COLUMN rating INTEGER;
PRAGMA user_version = 2;
"""

V1_DATA = """
INSERT INTO profiles (id, name, created_at) VALUES
    (1, 'learner', '2024-09-01T09:00:00.000000+00:00'),
    (2, '김민지', '2024-09-02T09:00:00.000000+00:00');
INSERT INTO app_state VALUES ('current_profile_id', '2');
INSERT INTO settings VALUES (2, 'language', '"ko"');
INSERT INTO attempts (id, profile_id, level_id, choices, mode, cycles, stars, at) VALUES
    (1, 2, 'ch1-loop', '{"out": "hypervisor"}', 'trap-emulate', 5000, 2,
     '2024-09-02T10:00:00.000000+00:00'),
    (2, 2, 'ch1-loop', '{"out": "guest"}', 'paravirt', 3000, 3,
     '2024-09-03T23:30:00.000000+00:00');
INSERT INTO best_results VALUES (2, 'ch1-loop', 3, 3000, 2, '2024-09-02T10:00:00.000000+00:00');
INSERT INTO quiz_answers (id, profile_id, question_id, correct, answer, at) VALUES
    (1, 2, 'trap.steps', 1, '[1, 2, 3]', '2024-09-03T08:00:00.000000+00:00'),
    (2, 1, 'types.type1', 0, '"b"', '2024-09-05T08:00:00.000000+00:00');
"""

V2_DATA = """
INSERT INTO review_cards VALUES (2, 'trap.steps',
    '{"card_id": 7, "state": 2, "step": null, "stability": 4.0, "difficulty": 5.0, "due": "2024-09-10T08:00:00+00:00", "last_review": "2024-09-03T08:00:00+00:00"}',
    '2024-09-10T08:00:00.000000+00:00', NULL);
INSERT INTO xp_events (id, profile_id, amount, reason, ref, at) VALUES
    (1, 2, 50, 'level_first_clear', 'level:ch1-loop', '2024-09-02T10:00:00.000000+00:00');
UPDATE quiz_answers SET kind = 'new', rating = 3 WHERE id = 1;
"""

SHIPPED = {1: [SHIPPED_V1, V1_DATA], 2: [SHIPPED_V1, V1_DATA, SHIPPED_V2, V2_DATA]}


def build_old_database(path, version: int) -> None:
    conn = sqlite3.connect(path)
    try:
        for script in SHIPPED[version]:
            conn.executescript(script)
        conn.commit()
    finally:
        conn.close()


def schema_of(path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL "
                            "ORDER BY name").fetchall()
        return [(name, " ".join(sql.split())) for name, sql in rows]
    finally:
        conn.close()


def test_migrations_are_ordered_and_end_at_the_schema_version():
    versions = [step.version for step in migrations.MIGRATIONS]
    assert versions == list(range(1, len(versions) + 1)) and len(versions) >= 3
    assert versions[-1] == SCHEMA_VERSION


@pytest.mark.parametrize("version", sorted(SHIPPED))
def test_shipped_steps_were_not_edited(tmp_path, version):
    """The migration code still builds exactly the schema each version shipped with."""
    frozen = tmp_path / "frozen.db"
    conn = sqlite3.connect(frozen)
    try:
        conn.executescript("".join(s for s in SHIPPED[version] if s.startswith("\nCREATE")))
    finally:
        conn.close()
    db = Database(tmp_path / "stepwise.db", execute_plugins=False)
    try:
        assert migrate(db, target=version) == version
    finally:
        db.close()
    assert schema_of(tmp_path / "stepwise.db") == schema_of(frozen)


@pytest.mark.parametrize("version", sorted(SHIPPED))
def test_old_database_migrates_with_its_data(db_path, version):
    db_path.parent.mkdir(parents=True)
    build_old_database(db_path, version)
    with open_store() as store:
        assert store.warnings == ()
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.current_profile_id() == 2
        assert [p.name for p in store.list_profiles()] == ["learner", "김민지"]
        assert store.get_setting(2, "language") == "ko"
        attempts = store.attempts(2)
        assert [(a.level_id, a.stars, a.seconds) for a in attempts] == [
            ("ch1-loop", 2, None), ("ch1-loop", 3, None)]
        assert store.best_results(2)["ch1-loop"].cycles == 3000
        answers = store.quiz_answers(2)
        assert answers[0].answer == [1, 2, 3] and answers[0].seconds is None
        assert answers[0].kind == ("new" if version >= 2 else None)
        # Streak history is backfilled from the days learners already studied (UTC days).
        assert [d.day.isoformat() for d in store.active_days(2)] == [
            "2024-09-02", "2024-09-03"]
        assert [d.day.isoformat() for d in store.active_days(1)] == ["2024-09-05"]
        if version >= 2:
            assert store.get_card(2, "trap.steps").card["stability"] == 4.0
            assert store.xp_total(2) == 50
        # and the migrated database takes new writes
        store.record_attempt(2, "ch2-console", {}, "native", 10, 1, 3.0)
        store.record_quiz_answer(2, "trap.steps", True, kind="review", seconds=2.0)


def test_an_empty_file_is_version_zero_and_becomes_current(db_path):
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"")
    with open_store() as store:
        assert store.warnings == ()
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_failing_step_leaves_the_previous_version(tmp_path, monkeypatch):
    broken = Migration(SCHEMA_VERSION + 1, "broken",
                       ("CREATE TABLE half_done (x); SELECT * FROM no_such_table;",))
    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, broken))
    db = Database(tmp_path / "p.db", execute_plugins=False)
    try:
        with pytest.raises(sqlite3.OperationalError):
            migrate(db, target=SCHEMA_VERSION + 1)
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert "half_done" not in db.table_names()
    finally:
        db.close()


def test_a_newer_database_is_refused_untouched(db_path):
    db_path.parent.mkdir(parents=True)
    build_old_database(db_path, 2)
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()
    content = dump(db_path)
    with pytest.raises(ProgressError, match="newer VirtQuest"):
        open_store()
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before
    assert dump(db_path) == content
    assert not list(db_path.parent.glob("*.corrupt-*"))
