"""The learner's progress in one SQLite database (sqlite-utils): profiles, attempts, answers, cards.

Every write runs in a transaction (`Store.transaction()` nests as savepoints), so a crash or a
power cut leaves each change either wholly there or wholly absent.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from virtquest.progress.clock import local_now, parse_utc, utc_text
from virtquest.progress.errors import ProgressError
from virtquest.progress.migrations import migrate
from virtquest.progress.paths import database_path
from virtquest.progress.records import (
    ANSWER_KINDS,
    MAX_CYCLES,
    MAX_REF_LENGTH,
    MAX_STARS,
    MAX_XP_AWARD,
    ActiveDay,
    Attempt,
    AttemptRecorded,
    BestResult,
    CardRecord,
    Profile,
    QuizAnswer,
    XpEvent,
    answer_json,
    check_choices,
    check_count,
    check_id,
    check_mode,
    check_profile_name,
    check_seconds,
)
from virtquest.progress.recovery import find_damage, move_aside
from virtquest.progress.settings import SETTINGS, setting_spec

DEFAULT_PROFILE_NAME = "learner"
CURRENT_PROFILE_KEY = "current_profile_id"
BUSY_TIMEOUT_MS = 5000  # the app and a `virtquest` command may write at the same time


@dataclass(frozen=True)
class StoreOpened:
    """What happened while opening: the caller must show `warnings` to the learner."""

    path: Path
    warnings: tuple[str, ...]
    backup_path: Path | None


def open_store(path: str | Path | None = None) -> Store:
    """Open (creating, checking and migrating) the progress database; None → the data directory.

    A damaged file is moved aside and a fresh database started; `Store.opened.warnings` says so.
    """
    target = Path(path) if path is not None else database_path()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ProgressError(f"cannot create the progress folder {target.parent}: {exc}") from exc
    warnings: list[str] = []
    backup = None
    damage = find_damage(target)
    if damage is not None:
        backup = _keep_aside(target)
        warnings.append(
            f"The progress database was damaged ({damage}). It was kept as {backup.name} in "
            f"{backup.parent} and a fresh one was started."
        )
    try:
        db = Database(target, execute_plugins=False)
    except sqlite3.Error as exc:
        raise ProgressError(f"cannot open the progress database {target}: {exc}") from exc
    try:
        _configure(db)
        migrate(db)
        store = Store(db, StoreOpened(target, tuple(warnings), backup))
        store.current_profile_id()  # a default profile on first use
    except sqlite3.Error as exc:
        db.close()
        raise ProgressError(f"cannot open the progress database {target}: {exc}") from exc
    except BaseException:
        db.close()
        raise
    return store


def _keep_aside(path: Path) -> Path:
    try:
        return move_aside(path)
    except OSError as exc:
        raise ProgressError(f"the progress database {path} is damaged and could not be moved "
                            f"aside: {exc.strerror or exc}") from exc


def _configure(db: Database) -> None:
    db.execute("PRAGMA foreign_keys = ON")
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.enable_wal()
    # FULL, not NORMAL: in WAL mode NORMAL keeps the database consistent but may lose the last
    # commits on a power cut. Progress writes are few and small (one per answer or attempt), so
    # an fsync per commit costs nothing a learner notices, and nothing committed is lost.
    db.execute("PRAGMA synchronous = FULL")


class Store:
    """Typed reads and transactional writes over the progress database."""

    def __init__(self, db: Database, opened: StoreOpened):
        self.db = db
        self.opened = opened

    @property
    def path(self) -> Path:
        return self.opened.path

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.opened.warnings

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """All writes inside commit together or not at all (nested blocks are savepoints)."""
        if self.db.conn.in_transaction:
            with self.db.atomic():
                yield self
            return
        # IMMEDIATE takes the write lock up front: when the app and a `virtquest` command write
        # at once, one waits (busy_timeout) instead of failing halfway through its transaction.
        self.db.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.db.rollback()
            raise
        try:
            self.db.conn.execute("COMMIT")
        except BaseException:
            self.db.rollback()
            raise

    def _rows(self, sql: str, params: tuple = ()) -> list[dict[str, Any]]:
        cursor = self.db.execute(sql, params)
        keys = [column[0] for column in cursor.description]
        return [dict(zip(keys, row, strict=True)) for row in cursor.fetchall()]

    def _scalar(self, sql: str, params: tuple = ()) -> Any:
        row = self.db.execute(sql, params).fetchone()
        return None if row is None else row[0]

    # --- profiles ---------------------------------------------------------------------------

    def current_profile_id(self) -> int:
        """The profile in use; repairs a missing one by picking the first or creating a default."""
        chosen = self._scalar("SELECT value FROM app_state WHERE key = ?", (CURRENT_PROFILE_KEY,))
        if chosen is not None and self._profile_exists(int(chosen)):
            return int(chosen)
        with self.transaction():
            first = self._scalar("SELECT min(id) FROM profiles")
            profile_id = int(first) if first is not None else self._insert_profile(
                DEFAULT_PROFILE_NAME
            )
            self._set_current(profile_id)
        return profile_id

    def create_profile(self, name: str, *, created_at: datetime | None = None) -> int:
        """A new, empty profile (not made current); names are unique."""
        with self.transaction():
            return self._insert_profile(name, created_at)

    def switch_profile(self, profile_id: int) -> None:
        self._require_profile(profile_id)
        with self.transaction():
            self._set_current(profile_id)

    def rename_profile(self, profile_id: int, name: str) -> None:
        self._require_profile(profile_id)
        name = check_profile_name(name)
        with self.transaction():
            self._require_free_name(name, except_id=profile_id)
            self.db.execute("UPDATE profiles SET name = ? WHERE id = ?", (name, profile_id))

    def delete_profile(self, profile_id: int, *, ensure_current: bool = True) -> None:
        """Remove a profile and everything it recorded.

        Afterwards another profile (or a new default) is made current, unless the caller is about
        to create one itself (`ensure_current=False`, inside its own transaction).
        """
        self._require_profile(profile_id)
        with self.transaction():
            self.db.execute("DELETE FROM profiles WHERE id = ?", (profile_id,))
            if ensure_current:
                self.current_profile_id()

    def list_profiles(self) -> list[Profile]:
        current = self.current_profile_id()
        rows = self._rows("SELECT id, name, created_at FROM profiles ORDER BY id")
        return [Profile.from_row(row, current) for row in rows]

    def profile(self, profile_id: int) -> Profile:
        self._require_profile(profile_id)
        row = self._rows("SELECT id, name, created_at FROM profiles WHERE id = ?", (profile_id,))
        return Profile.from_row(row[0], self.current_profile_id())

    def profile_id_by_name(self, name: str) -> int | None:
        found = self._scalar("SELECT id FROM profiles WHERE name = ?", (name.strip(),))
        return None if found is None else int(found)

    def _insert_profile(self, name: str, created_at: datetime | None = None) -> int:
        name = check_profile_name(name)
        self._require_free_name(name)
        table = self.db.table("profiles").insert(
            {"name": name, "created_at": utc_text(created_at or local_now())}
        )
        return int(table.last_rowid)

    def _require_free_name(self, name: str, except_id: int | None = None) -> None:
        existing = self.profile_id_by_name(name)
        if existing is not None and existing != except_id:
            raise ProgressError(f"a profile named {name!r} already exists")

    def _profile_exists(self, profile_id: int) -> bool:
        return self._scalar("SELECT 1 FROM profiles WHERE id = ?", (profile_id,)) is not None

    def _require_profile(self, profile_id: int) -> None:
        valid = isinstance(profile_id, int) and not isinstance(profile_id, bool)
        if not valid or not self._profile_exists(profile_id):
            raise ProgressError(f"there is no profile with id {profile_id!r}")

    def _set_current(self, profile_id: int) -> None:
        self.db.table("app_state").upsert(
            {"key": CURRENT_PROFILE_KEY, "value": str(profile_id)}, pk="key"
        )

    # --- settings ---------------------------------------------------------------------------

    def get_setting(self, profile_id: int, key: str) -> object:
        """The profile's value for a known setting, or that setting's default."""
        spec = setting_spec(key)
        stored = self._scalar(
            "SELECT value FROM settings WHERE profile_id = ? AND key = ?", (profile_id, key)
        )
        return spec.default if stored is None else json.loads(stored)

    def set_setting(self, profile_id: int, key: str, value: object) -> None:
        value = setting_spec(key).check(key, value)
        self._require_profile(profile_id)
        with self.transaction():
            self.db.table("settings").upsert(
                {"profile_id": profile_id, "key": key, "value": json.dumps(value)},
                pk=("profile_id", "key"),
            )

    def settings(self, profile_id: int) -> dict[str, object]:
        """Every known setting with the profile's value or the default."""
        return {key: self.get_setting(profile_id, key) for key in SETTINGS}

    # --- lab attempts -----------------------------------------------------------------------

    def record_attempt(
        self, profile_id: int, level_id: str, choices: Mapping[str, str], mode: str,
        cycles: int, stars: int, seconds: float | None = None, *, at: datetime | None = None,
    ) -> AttemptRecorded:
        """Keep one run of a level and update that level's best result."""
        row = {
            "profile_id": profile_id,
            "level_id": check_id(level_id, "a level id"),
            "choices": json.dumps(check_choices(dict(choices)), sort_keys=True),
            "mode": check_mode(mode),
            "cycles": check_count(cycles, "cycles", MAX_CYCLES),
            "stars": check_count(stars, "stars", MAX_STARS),
            "seconds": check_seconds(seconds),
            "at": utc_text(at or local_now()),
        }
        self._require_profile(profile_id)
        with self.transaction():
            attempt_id = int(self.db.table("attempts").insert(row).last_rowid)
            return self._update_best(attempt_id, row)

    def _update_best(self, attempt_id: int, row: dict[str, Any]) -> AttemptRecorded:
        previous = self.best_results(row["profile_id"]).get(row["level_id"])
        better = previous is None or (row["stars"], -row["cycles"]) > (
            previous.stars, -previous.cycles
        )
        first_clear = row["stars"] >= 1 and (previous is None or not previous.cleared)
        if better:
            cleared_at = previous.first_cleared_at if previous else None
            self.db.table("best_results").upsert({
                "profile_id": row["profile_id"], "level_id": row["level_id"],
                "stars": row["stars"], "cycles": row["cycles"], "attempt_id": attempt_id,
                "first_cleared_at": row["at"] if first_clear else _utc_or_none(cleared_at),
            }, pk=("profile_id", "level_id"))
        return AttemptRecorded(
            attempt_id=attempt_id, level_id=row["level_id"], stars=row["stars"],
            previous_best_stars=previous.stars if previous else None,
            first_clear=first_clear, new_best=better,
        )

    def attempts(self, profile_id: int, level_id: str | None = None) -> list[Attempt]:
        """The profile's attempts, oldest first (one level's only, if given)."""
        where, params = "profile_id = ?", [profile_id]
        if level_id is not None:
            where, params = where + " AND level_id = ?", [profile_id, level_id]
        rows = self._rows(f"SELECT * FROM attempts WHERE {where} ORDER BY at, id", tuple(params))
        return [Attempt.from_row(row) for row in rows]

    def best_results(self, profile_id: int) -> dict[str, BestResult]:
        """Level id → the best attempt so far (most stars, then fewest cycles)."""
        rows = self._rows(
            "SELECT * FROM best_results WHERE profile_id = ? ORDER BY level_id", (profile_id,)
        )
        return {row["level_id"]: BestResult.from_row(row) for row in rows}

    def modes_played(self, profile_id: int) -> set[str]:
        rows = self._rows("SELECT DISTINCT mode FROM attempts WHERE profile_id = ?", (profile_id,))
        return {row["mode"] for row in rows}

    def count_attempts(self, profile_id: int) -> int:
        return int(self._scalar("SELECT count(*) FROM attempts WHERE profile_id = ?",
                                (profile_id,)))

    # --- quiz answers -----------------------------------------------------------------------

    def record_quiz_answer(
        self, profile_id: int, question_id: str, correct: bool, *, answer: object = None,
        kind: str | None = None, rating: int | None = None, seconds: float | None = None,
        at: datetime | None = None,
    ) -> int:
        """Keep one answer to a quiz question; returns its id."""
        if kind is not None and kind not in ANSWER_KINDS:
            raise ProgressError(f"answer kind must be one of {', '.join(ANSWER_KINDS)}")
        row = {
            "profile_id": profile_id, "question_id": check_id(question_id, "a question id"),
            "correct": int(bool(correct)), "answer": answer_json(answer), "kind": kind,
            "rating": None if rating is None else check_count(rating, "rating", 4),
            "seconds": check_seconds(seconds), "at": utc_text(at or local_now()),
        }
        self._require_profile(profile_id)
        with self.transaction():
            return int(self.db.table("quiz_answers").insert(row).last_rowid)

    def quiz_answers(self, profile_id: int, question_id: str | None = None) -> list[QuizAnswer]:
        """The profile's answers, oldest first (one question's only, if given)."""
        where, params = "profile_id = ?", (profile_id,)
        if question_id is not None:
            where, params = where + " AND question_id = ?", (profile_id, question_id)
        rows = self._rows(f"SELECT * FROM quiz_answers WHERE {where} ORDER BY at, id", params)
        return [QuizAnswer.from_row(row) for row in rows]

    def count_quiz_answers(
        self, profile_id: int, *, correct: bool | None = None, kind: str | None = None,
        since: datetime | None = None,
    ) -> int:
        """How many answers match; `since` compares instants, whatever zone it is given in."""
        sql, params = "SELECT count(*) FROM quiz_answers WHERE profile_id = ?", [profile_id]
        for column, value in (("correct", correct), ("kind", kind)):
            if value is not None:
                sql, params = sql + f" AND {column} = ?", [*params, value]
        if since is not None:
            sql, params = sql + " AND at >= ?", [*params, utc_text(since)]
        return int(self._scalar(sql, tuple(params)))

    # --- review cards -----------------------------------------------------------------------

    def get_card(self, profile_id: int, question_id: str) -> CardRecord | None:
        rows = self._rows(
            "SELECT * FROM review_cards WHERE profile_id = ? AND question_id = ?",
            (profile_id, question_id),
        )
        return CardRecord.from_row(rows[0]) if rows else None

    def put_card(
        self, profile_id: int, question_id: str, card: Mapping[str, Any], *,
        flagged_by: str | None = None,
    ) -> None:
        """Store an FSRS card (its to_dict() form); its `due` is indexed for the queue."""
        self._require_profile(profile_id)
        with self.transaction():
            self.db.table("review_cards").upsert({
                "profile_id": profile_id, "question_id": check_id(question_id, "a question id"),
                "card": json.dumps(dict(card), sort_keys=True),
                "due": utc_text(datetime.fromisoformat(card["due"])),
                "flagged_by": flagged_by,
            }, pk=("profile_id", "question_id"))

    def cards(self, profile_id: int) -> list[CardRecord]:
        """Every card of the profile, soonest due first."""
        rows = self._rows(
            "SELECT * FROM review_cards WHERE profile_id = ? ORDER BY due, question_id",
            (profile_id,),
        )
        return [CardRecord.from_row(row) for row in rows]

    # --- XP ---------------------------------------------------------------------------------

    def add_xp(self, profile_id: int, amount: int, reason: str, *, ref: str | None = None,
               at: datetime | None = None) -> int:
        """Record an XP award (an event, so the total can always be explained)."""
        row = {
            "profile_id": profile_id, "amount": check_count(amount, "XP", MAX_XP_AWARD),
            "reason": check_id(reason, "an XP reason"), "ref": _check_ref(ref),
            "at": utc_text(at or local_now()),
        }
        self._require_profile(profile_id)
        with self.transaction():
            return int(self.db.table("xp_events").insert(row).last_rowid)

    def xp_total(self, profile_id: int) -> int:
        return int(self._scalar(
            "SELECT coalesce(sum(amount), 0) FROM xp_events WHERE profile_id = ?", (profile_id,)
        ))

    def xp_events(self, profile_id: int) -> list[XpEvent]:
        rows = self._rows(
            "SELECT * FROM xp_events WHERE profile_id = ? ORDER BY at, id", (profile_id,)
        )
        return [XpEvent.from_row(row) for row in rows]

    # --- daily activity and achievements ----------------------------------------------------

    def mark_active_day(self, profile_id: int, moment: datetime) -> bool:
        """Note study on the learner's local day of `moment`; True if that day is new."""
        offset = moment.utcoffset()
        if offset is None:
            raise ValueError("a timezone-aware datetime is required")
        self._require_profile(profile_id)
        with self.transaction():
            cursor = self.db.execute(
                "INSERT OR IGNORE INTO daily_activity (profile_id, day, utc_offset_minutes, "
                "first_at) VALUES (?, ?, ?, ?)",
                (profile_id, moment.date().isoformat(), int(offset.total_seconds() // 60),
                 utc_text(moment)),
            )
            return cursor.rowcount == 1

    def active_days(self, profile_id: int) -> list[ActiveDay]:
        rows = self._rows(
            "SELECT day, utc_offset_minutes, first_at FROM daily_activity WHERE profile_id = ? "
            "ORDER BY day", (profile_id,),
        )
        return [ActiveDay(date.fromisoformat(row["day"]), row["utc_offset_minutes"],
                          parse_utc(row["first_at"])) for row in rows]

    def unlock_achievement(self, profile_id: int, achievement_id: str, at: datetime) -> bool:
        """Unlock once; True only the first time."""
        self._require_profile(profile_id)
        with self.transaction():
            cursor = self.db.execute(
                "INSERT OR IGNORE INTO achievements (profile_id, achievement_id, unlocked_at) "
                "VALUES (?, ?, ?)",
                (profile_id, check_id(achievement_id, "an achievement id"), utc_text(at)),
            )
            return cursor.rowcount == 1

    def unlocked_achievements(self, profile_id: int) -> dict[str, datetime]:
        rows = self._rows(
            "SELECT achievement_id, unlocked_at FROM achievements WHERE profile_id = ? "
            "ORDER BY unlocked_at, achievement_id", (profile_id,),
        )
        return {row["achievement_id"]: parse_utc(row["unlocked_at"]) for row in rows}


def _check_ref(ref: str | None) -> str | None:
    if ref is not None and (not isinstance(ref, str) or len(ref) > MAX_REF_LENGTH):
        raise ProgressError(f"an XP reference must be a text of at most {MAX_REF_LENGTH} characters")
    return ref


def _utc_or_none(moment: datetime | None) -> str | None:
    return None if moment is None else utc_text(moment)
