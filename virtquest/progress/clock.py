"""Time as the store keeps it: UTC ISO-8601 text in the database, tz-aware datetimes in code."""

from __future__ import annotations

from datetime import UTC, datetime


def local_now() -> datetime:
    """Now, tz-aware in the computer's local zone (the learner's day is a local day)."""
    return datetime.now().astimezone()


def require_aware(moment: datetime) -> datetime:
    """Refuse naive datetimes: a time without a zone cannot be placed on the learner's day."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a timezone-aware datetime is required")
    return moment


def to_utc(moment: datetime) -> datetime:
    """The same instant in UTC with the `timezone.utc` tzinfo that fsrs insists on."""
    return require_aware(moment).astimezone(UTC)


def utc_text(moment: datetime) -> str:
    """Fixed-width UTC ISO-8601, so text order in SQL is time order."""
    return to_utc(moment).isoformat(timespec="microseconds")


def parse_utc(text: str) -> datetime:
    """Read a stored timestamp back as an aware UTC datetime."""
    return to_utc(datetime.fromisoformat(text))
