"""`virtquest review [--json]`: the quiz cards due now, today's new ones and the coming days' load."""

from __future__ import annotations

import argparse
import locale
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from virtquest.commands.progress import emit, open_store_for_cli
from virtquest.emu.errors import VirtQuestError
from virtquest.game.review import forecast, review_queue
from virtquest.game.streak import current_streak
from virtquest.game.xp import level_for
from virtquest.progress.clock import local_now
from virtquest.progress.store import Store

FORECAST_DAYS = 14
TEXT_WIDTH = 72


@dataclass(frozen=True)
class QuestionInfo:
    topic: str | None
    text: dict[str, str] | None


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "review", help="show the quiz questions due for review",
        description="Show the spaced-review cards due now, today's new questions and a "
                    f"{FORECAST_DAYS}-day forecast for the current profile.",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.set_defaults(handler=_review)


def load_questions(directory: Path | None = None) -> dict[str, QuestionInfo] | None:
    """Question id → topic and text from the quiz bank (the built-in questions and those of
    every custom content folder, unless `directory` is given), or None when there is none."""
    from virtquest.content.quizzes import load_quiz_bank

    try:
        bank = load_quiz_bank(directory)
    except VirtQuestError as exc:
        print(f"virtquest: warning: quiz bank not loaded: {exc}", file=sys.stderr)
        return None
    return {q.id: QuestionInfo(q.topic, {"ko": q.text.ko, "en": q.text.en})
            for q in bank.questions}


def _review(args: argparse.Namespace) -> int:
    questions = load_questions()
    now = local_now()
    with open_store_for_cli() as store:
        document = review_document(store, store.current_profile_id(), questions, now)
        language = _language(store.get_setting(store.current_profile_id(), "language"))
    emit(args, document, _as_text(document, language))
    return 0


def review_document(store: Store, profile_id: int, questions: dict[str, QuestionInfo] | None,
                    now: datetime) -> dict[str, Any]:
    """Everything `virtquest review` shows, as one JSON-ready dict."""
    known = list(questions) if questions is not None else [c.question_id for c in
                                                           store.cards(profile_id)]
    queue = review_queue(store, profile_id, known, now=now)
    cards = {c.question_id: c for c in store.cards(profile_id)}
    due = [q for q in queue if q in cards]
    streak = current_streak(store, profile_id, now)
    xp = store.xp_total(profile_id)
    return {
        "profile": {"id": profile_id, "name": store.profile(profile_id).name},
        "now": now.isoformat(timespec="seconds"),
        "quiz_bank": questions is not None,
        "due": [_entry(q, questions, cards[q]) for q in due],
        "new": [_entry(q, questions, None) for q in queue if q not in cards],
        "forecast": [{"date": d.day.isoformat(), "due": d.due}
                     for d in forecast(store, profile_id, FORECAST_DAYS, now=now)],
        "streak": {"days": streak.days, "active_today": streak.active_today,
                   "freeze_ready": streak.freeze_ready},
        "xp": {"total": xp, "level": level_for(xp).level},
    }


def _entry(question_id: str, questions: dict[str, QuestionInfo] | None, card: Any) -> dict:
    info = (questions or {}).get(question_id, QuestionInfo(None, None))
    entry: dict[str, Any] = {"id": question_id, "topic": info.topic, "text": info.text}
    if card is not None:
        entry["due"] = card.due.isoformat()
        entry["flagged_by"] = card.flagged_by  # the lab concept that made it due, if any
    return entry


def _language(setting: object) -> str:
    if setting in ("ko", "en"):
        return str(setting)
    system = (locale.getlocale()[0] or "").lower()
    return "ko" if system.startswith("ko") else "en"


def _as_text(document: dict[str, Any], language: str) -> str:
    lines = [f"Profile {document['profile']['name']!r}: {len(document['due'])} due now, "
             f"{len(document['new'])} new today; streak {document['streak']['days']} days, "
             f"{document['xp']['total']} XP (level {document['xp']['level']})"]
    for title, entries in (("Due now", document["due"]), ("New today", document["new"])):
        if entries:
            lines.append(f"{title}:")
            lines.extend(f"  {_line(entry, language)}" for entry in entries)
    days = ", ".join(f"{d['date'][5:]} {d['due']}" for d in document["forecast"])
    lines.append(f"Next {FORECAST_DAYS} days: {days}")
    return "\n".join(lines)


def _line(entry: dict[str, Any], language: str) -> str:
    text = " ".join(entry["text"][language].split()) if entry["text"] else ""
    text = text if len(text) <= TEXT_WIDTH else text[: TEXT_WIDTH - 1] + "…"
    because = f" (lab: {entry['flagged_by']})" if entry.get("flagged_by") else ""
    return f"{entry['id']}{because}  {text}".rstrip()
