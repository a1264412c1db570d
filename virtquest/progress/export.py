"""A learner profile as one JSON document: export it, and import it only after checking all of it.

This is how an instructor collects progress, so an import file is untrusted input: it is read
with a size cap, parsed strictly (no duplicate keys, no NaN), validated completely against the
models below — types, ranges, dates, cross-references — and only then written, in one
transaction. A rejected file changes nothing.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    JsonValue,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
    model_validator,
)

from virtquest import __version__
from virtquest.progress.clock import utc_text
from virtquest.progress.errors import ProgressError
from virtquest.progress.records import (
    ANSWER_KINDS,
    CHOICES,
    MAX_ANSWER_JSON_CHARS,
    MAX_CYCLES,
    MAX_REF_LENGTH,
    MAX_SECONDS,
    MAX_STARS,
    MAX_XP_AWARD,
    MODE_IDS,
    check_id,
    check_profile_name,
)
from virtquest.progress.settings import SETTINGS
from virtquest.progress.store import Store

FORMAT = "virtquest-progress"
EXPORT_VERSION = 1
MAX_IMPORT_BYTES = 8 * 1024 * 1024  # a year of daily study is well under 1 MB
MAX_ROWS = 100_000
# VirtQuest did not exist before this; a date before it (or in the future) is not progress.
EARLIEST = datetime(2020, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=2)  # clocks on lab PCs drift; a day or two ahead is not absurd
MAX_OFFSET_MINUTES = 14 * 60  # the widest UTC offsets in use are −12:00 and +14:00
ROW_KEYS = ("attempts", "quiz_answers", "cards", "xp_events", "activity", "achievements")


# --- field types --------------------------------------------------------------------------

def _as_id(value: str) -> str:
    return _plain(lambda: check_id(value, "an id"))


def _as_name(value: str) -> str:
    return _plain(lambda: check_profile_name(value))


def _plain(check: Callable[[], Any]) -> Any:
    """Report a store rule's error as pydantic's, so it lands in the same error list."""
    try:
        return check()
    except ProgressError as exc:
        raise ValueError(str(exc)) from None


def _as_timestamp(value: object) -> datetime:
    if not isinstance(value, str):
        raise ValueError("expected an ISO-8601 date and time as text")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("expected an ISO-8601 date and time") from None
    if moment.tzinfo is None:
        raise ValueError("a timestamp needs its UTC offset")
    if not EARLIEST <= moment <= datetime.now(UTC) + FUTURE_SLACK:
        raise ValueError(f"date {value!r} is outside {EARLIEST.year} … today")
    return moment.astimezone(UTC)


def _as_day(value: object) -> date:
    if not isinstance(value, str):
        raise ValueError("expected a date YYYY-MM-DD as text")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError("expected a date YYYY-MM-DD") from None


def _as_number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("expected a number")
    try:
        number = float(value)
    except OverflowError:
        raise ValueError("number too large") from None
    if not math.isfinite(number):
        raise ValueError("expected a finite number")
    return number


def _small_json(value: JsonValue) -> JsonValue:
    if len(json.dumps(value, ensure_ascii=False)) > MAX_ANSWER_JSON_CHARS:
        raise ValueError(f"longer than {MAX_ANSWER_JSON_CHARS} characters")
    return value


Id = Annotated[StrictStr, AfterValidator(_as_id)]
Timestamp = Annotated[datetime, BeforeValidator(_as_timestamp)]
Day = Annotated[date, BeforeValidator(_as_day)]
Count = Annotated[StrictInt, Field(ge=0, le=MAX_CYCLES)]
Seconds = Annotated[float, BeforeValidator(_as_number), Field(ge=0, le=MAX_SECONDS)]
Rows = Field(default_factory=list, max_length=MAX_ROWS)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class ExportedProfile(_Model):
    name: Annotated[StrictStr, AfterValidator(_as_name)]
    created_at: Timestamp


class ExportedSettings(_Model):
    language: Literal[SETTINGS["language"].choices] | None = None
    theme: Literal[SETTINGS["theme"].choices] | None = None
    font_scale: Annotated[float, BeforeValidator(_as_number), Field(
        ge=SETTINGS["font_scale"].minimum, le=SETTINGS["font_scale"].maximum)] | None = None
    lab_tour: Literal[SETTINGS["lab_tour"].choices] | None = None


class ExportedAttempt(_Model):
    level_id: Id
    choices: dict[Id, Literal[CHOICES]] = Field(max_length=64)
    mode: Literal[MODE_IDS]
    cycles: Count
    stars: Annotated[StrictInt, Field(ge=0, le=MAX_STARS)]
    seconds: Seconds | None = None
    at: Timestamp


class ExportedAnswer(_Model):
    question_id: Id
    correct: StrictBool
    answer: Annotated[JsonValue, AfterValidator(_small_json)] = None
    kind: Literal[ANSWER_KINDS] | None = None
    rating: Annotated[StrictInt, Field(ge=1, le=4)] | None = None
    seconds: Seconds | None = None
    at: Timestamp


def _card_time(value: str) -> str:
    """A due time may lie years ahead (long intervals), but must be a real aware time."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("expected an ISO-8601 date and time") from None
    if moment.tzinfo is None or not EARLIEST <= moment <= EARLIEST.replace(year=2200):
        raise ValueError(f"due time {value!r} is not a plausible aware date")
    return value


CardTime = Annotated[StrictStr, AfterValidator(_card_time)]


class FsrsCardState(_Model):
    """fsrs.Card.to_dict(), checked field by field (FSRS difficulty lies in 1–10)."""

    card_id: Annotated[StrictInt, Field(ge=0, le=2**63 - 1)]
    state: Annotated[StrictInt, Field(ge=1, le=3)]
    step: Annotated[StrictInt, Field(ge=0, le=100)] | None
    stability: Annotated[float, BeforeValidator(_as_number), Field(ge=0, le=10**6)] | None
    difficulty: Annotated[float, BeforeValidator(_as_number), Field(ge=0, le=11)] | None
    due: CardTime
    last_review: CardTime | None


class ExportedCard(_Model):
    question_id: Id
    card: FsrsCardState
    flagged_by: Id | None = None


class ExportedXp(_Model):
    amount: Annotated[StrictInt, Field(ge=0, le=MAX_XP_AWARD)]
    reason: Id
    ref: Annotated[StrictStr, Field(max_length=MAX_REF_LENGTH)] | None = None
    at: Timestamp


class ExportedDay(_Model):
    day: Day
    utc_offset_minutes: Annotated[StrictInt, Field(ge=-MAX_OFFSET_MINUTES, le=MAX_OFFSET_MINUTES)]
    first_at: Timestamp

    @model_validator(mode="after")
    def _day_matches_first_activity(self) -> ExportedDay:
        local = self.first_at.astimezone(timezone(timedelta(minutes=self.utc_offset_minutes)))
        if local.date() != self.day:
            raise ValueError(f"first_at is not on {self.day} at UTC offset "
                             f"{self.utc_offset_minutes} minutes")
        return self


class ExportedAchievement(_Model):
    id: Id
    unlocked_at: Timestamp


class ProgressExport(_Model):
    """The whole document (format version 1)."""

    format: Literal["virtquest-progress"]
    version: Literal[1]
    app_version: Annotated[StrictStr, Field(max_length=32)]
    exported_at: Timestamp
    profile: ExportedProfile
    settings: ExportedSettings = ExportedSettings()
    attempts: list[ExportedAttempt] = Rows
    quiz_answers: list[ExportedAnswer] = Rows
    cards: list[ExportedCard] = Rows
    xp_events: list[ExportedXp] = Rows
    activity: list[ExportedDay] = Rows
    achievements: list[ExportedAchievement] = Rows

    @model_validator(mode="after")
    def _unique_keys(self) -> ProgressExport:
        for what, keys in (
            ("cards", [c.question_id for c in self.cards]),
            ("activity", [d.day for d in self.activity]),
            ("achievements", [a.id for a in self.achievements]),
        ):
            if len(keys) != len(set(keys)):
                raise ValueError(f"{what} lists the same entry twice")
        return self


@dataclass(frozen=True)
class ImportResult:
    profile_id: int
    name: str
    replaced: bool
    counts: dict[str, int]


# --- export -------------------------------------------------------------------------------

def export_document(store: Store, profile_id: int) -> dict[str, Any]:
    """The profile as a JSON-ready dict, checked against the import rules before it leaves."""
    profile = store.profile(profile_id)
    document = {
        "format": FORMAT, "version": EXPORT_VERSION, "app_version": __version__,
        "exported_at": utc_text(datetime.now(UTC)),
        "profile": {"name": profile.name, "created_at": utc_text(profile.created_at)},
        "settings": store.settings(profile_id),
        "attempts": [_attempt_row(a) for a in store.attempts(profile_id)],
        "quiz_answers": [_answer_row(a) for a in store.quiz_answers(profile_id)],
        "cards": [{"question_id": c.question_id, "card": c.card, "flagged_by": c.flagged_by}
                  for c in store.cards(profile_id)],
        "xp_events": [{"amount": x.amount, "reason": x.reason, "ref": x.ref, "at": utc_text(x.at)}
                      for x in store.xp_events(profile_id)],
        "activity": [{"day": d.day.isoformat(), "utc_offset_minutes": d.utc_offset_minutes,
                      "first_at": utc_text(d.first_at)} for d in store.active_days(profile_id)
                     if d.first_at is not None],
        "achievements": [{"id": key, "unlocked_at": utc_text(at)}
                         for key, at in store.unlocked_achievements(profile_id).items()],
    }
    _validate(document, f"profile {profile.name!r}")  # never write a file we would refuse
    return document


def _attempt_row(attempt: Any) -> dict[str, Any]:
    return {"level_id": attempt.level_id, "choices": attempt.choices, "mode": attempt.mode,
            "cycles": attempt.cycles, "stars": attempt.stars, "seconds": attempt.seconds,
            "at": utc_text(attempt.at)}


def _answer_row(answer: Any) -> dict[str, Any]:
    return {"question_id": answer.question_id, "correct": answer.correct,
            "answer": answer.answer, "kind": answer.kind, "rating": answer.rating,
            "seconds": answer.seconds, "at": utc_text(answer.at)}


def export_profile(store: Store, profile_id: int, path: str | Path) -> dict[str, int]:
    """Write the profile to `path` (atomically: a crash never leaves half a file); row counts."""
    document = export_document(store, profile_id)
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    try:
        _write_atomically(Path(path), text.encode("utf-8"))
    except OSError as exc:
        raise ProgressError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return _counts(document)


def _write_atomically(path: Path, data: bytes) -> None:
    directory = path.resolve().parent
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _counts(document: dict[str, Any]) -> dict[str, int]:
    return {key: len(document[key]) for key in ROW_KEYS}


# --- import -------------------------------------------------------------------------------

def read_export(path: str | Path) -> ProgressExport:
    """Read and validate an export file completely; raises ProgressError naming the problem."""
    source = Path(path)
    try:
        with source.open("rb") as stream:
            raw = stream.read(MAX_IMPORT_BYTES + 1)
    except OSError as exc:
        raise ProgressError(f"cannot read {source}: {exc.strerror or exc}") from exc
    return parse_export(raw, str(source))


def parse_export(raw: bytes, source: str = "<import>") -> ProgressExport:
    """Validate the bytes of an export document; nothing is written."""
    if len(raw) > MAX_IMPORT_BYTES:
        raise ProgressError(f"{source}: too large for a progress export "
                            f"(more than {MAX_IMPORT_BYTES // (1024 * 1024)} MB)")
    data = _parse_json(raw, source)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ProgressError(f"{source}: not a VirtQuest progress export")
    if data.get("version") != EXPORT_VERSION:
        raise ProgressError(f"{source}: export format version {data.get('version')!r} is not "
                            f"supported (this VirtQuest reads version {EXPORT_VERSION})")
    return _validate(data, source)


def _parse_json(raw: bytes, source: str) -> Any:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ProgressError(f"{source}: not UTF-8 text (is it a binary file?)") from None
    if "\x00" in text:
        raise ProgressError(f"{source}: holds NUL bytes (is it a binary file?)")
    try:
        return json.loads(text, object_pairs_hook=_refuse_duplicates,
                          parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:
        raise ProgressError(f"{source}: not valid JSON: {exc}") from None


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("a key appears twice in one object")
    return dict(pairs)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _validate(data: Any, source: str) -> ProgressExport:
    try:
        return ProgressExport.model_validate(data)
    except ValidationError as exc:
        problems = [f"{'.'.join(str(p) for p in error['loc']) or '(document)'}: "
                    f"{_problem(error)}" for error in exc.errors()[:3]]
        more = f" (and {exc.error_count() - 3} more)" if exc.error_count() > 3 else ""
        raise ProgressError(f"{source}: invalid progress export: {'; '.join(problems)}{more}") \
            from None


# Pydantic's "not an object" errors, whose own messages name the model class (an internal name).
_OBJECT_ERRORS = frozenset({"model_type", "model_attributes_type", "dataclass_type",
                            "dataclass_exact_type", "dict_type"})


def _problem(error: dict[str, Any]) -> str:
    return "expected a JSON object" if error["type"] in _OBJECT_ERRORS else str(error["msg"])


def import_profile(store: Store, path: str | Path, *, replace: bool = False,
                   name: str | None = None) -> ImportResult:
    """Import an export file as a new profile (or over the same-named one, with `replace`).

    `name` imports under another name (every student's first profile has the same default one).
    """
    return import_document(store, read_export(path), replace=replace, name=name)


def import_document(store: Store, document: ProgressExport, *, replace: bool = False,
                    name: str | None = None) -> ImportResult:
    """Write a validated document in one transaction; the current profile stays current."""
    name = document.profile.name if name is None else check_profile_name(name)
    existing = store.profile_id_by_name(name)
    if existing is not None and not replace:
        raise ProgressError(f"a profile named {name!r} already exists; import it under another "
                            "name (--as NAME) or overwrite that profile (--replace)")
    was_current = existing is not None and existing == store.current_profile_id()
    with store.transaction():
        if existing is not None:
            store.delete_profile(existing, ensure_current=False)
        profile_id = store.create_profile(name, created_at=document.profile.created_at)
        _write_document(store, profile_id, document)
        if was_current:
            store.switch_profile(profile_id)
    counts = {key: len(getattr(document, key)) for key in ROW_KEYS}
    return ImportResult(profile_id, name, existing is not None, counts)


def _write_document(store: Store, profile_id: int, doc: ProgressExport) -> None:
    for key, value in doc.settings.model_dump(exclude_none=True).items():
        store.set_setting(profile_id, key, value)
    for a in sorted(doc.attempts, key=lambda a: a.at):  # replayed in order: best results follow
        store.record_attempt(profile_id, a.level_id, a.choices, a.mode, a.cycles, a.stars,
                             a.seconds, at=a.at)
    for q in doc.quiz_answers:
        store.record_quiz_answer(profile_id, q.question_id, q.correct, answer=q.answer,
                                 kind=q.kind, rating=q.rating, seconds=q.seconds, at=q.at)
    for c in doc.cards:
        store.put_card(profile_id, c.question_id, c.card.model_dump(), flagged_by=c.flagged_by)
    for x in doc.xp_events:
        store.add_xp(profile_id, x.amount, x.reason, ref=x.ref, at=x.at)
    for d in doc.activity:
        zone = timezone(timedelta(minutes=d.utc_offset_minutes))
        store.mark_active_day(profile_id, d.first_at.astimezone(zone))
    for achievement in doc.achievements:
        store.unlock_achievement(profile_id, achievement.id, achievement.unlocked_at)
