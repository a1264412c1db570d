"""The progress schema as an ORDERED list of migrations; the version lives in PRAGMA user_version.

A shipped step is never edited: learners' databases were built by it. A change is a new step at
the end. Version 0 is an empty file; each step takes the database from version N-1 to N inside
one transaction together with the new user_version, so a crash mid-migration leaves version N-1.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlite_utils import Database

from virtquest.progress.errors import ProgressError

V1_PROFILES_ATTEMPTS_QUIZ = """
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
"""

V2_REVIEW_AND_XP = """
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
"""

V3_STREAKS_ACHIEVEMENTS = """
ALTER TABLE attempts ADD COLUMN seconds REAL;
ALTER TABLE quiz_answers ADD COLUMN seconds REAL;
CREATE TABLE daily_activity (
    profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    utc_offset_minutes INTEGER NOT NULL,
    first_at TEXT NOT NULL,
    PRIMARY KEY (profile_id, day)
);
CREATE TABLE achievements (
    profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    achievement_id TEXT NOT NULL,
    unlocked_at TEXT NOT NULL,
    PRIMARY KEY (profile_id, achievement_id)
);
"""

# Learners who studied before streaks existed keep their history: each day they made an attempt
# or answered a question becomes an active day. Their zone was never recorded, so UTC it is.
V3_BACKFILL_ACTIVITY = """
INSERT OR IGNORE INTO daily_activity (profile_id, day, utc_offset_minutes, first_at)
SELECT profile_id, substr(at, 1, 10), 0, min(at)
FROM (SELECT profile_id, at FROM attempts UNION ALL SELECT profile_id, at FROM quiz_answers)
GROUP BY profile_id, substr(at, 1, 10);
"""


@dataclass(frozen=True)
class Migration:
    """One step: the version it produces and the SQL scripts that get there."""

    version: int
    name: str
    scripts: tuple[str, ...] = field(default_factory=tuple)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "profiles, attempts, best results, quiz answers, settings",
              (V1_PROFILES_ATTEMPTS_QUIZ,)),
    Migration(2, "FSRS review cards, XP events, quiz answer kind and rating",
              (V2_REVIEW_AND_XP,)),
    Migration(3, "daily activity for streaks, achievements, time spent",
              (V3_STREAKS_ACHIEVEMENTS, V3_BACKFILL_ACTIVITY)),
)

SCHEMA_VERSION = MIGRATIONS[-1].version


def schema_version(db: Database) -> int:
    """The version recorded in the database header."""
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def check_version_known(version: int, where: str) -> None:
    """Refuse a database written by a newer VirtQuest: migrating down would lose its data."""
    if version > SCHEMA_VERSION:
        raise ProgressError(
            f"{where} was written by a newer VirtQuest (progress schema {version}; this version "
            f"knows up to {SCHEMA_VERSION}); it was left untouched — please update VirtQuest"
        )


def migrate(db: Database, target: int = SCHEMA_VERSION,
            on_step: Callable[[Migration], None] | None = None) -> int:
    """Apply, in order, every step above the database's version up to `target`; returns it."""
    current = schema_version(db)
    check_version_known(current, "the progress database")
    for step in MIGRATIONS:
        if current < step.version <= target:
            _apply(db, step)
            if on_step is not None:
                on_step(step)
            current = step.version
    return current


def _apply(db: Database, step: Migration) -> None:
    with db.atomic():
        for script in step.scripts:
            db.executescript(script)
        # user_version is part of the database header, so it commits with the step or not at all.
        db.execute(f"PRAGMA user_version = {int(step.version)}")
