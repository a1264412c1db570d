"""Export → import round trips; hostile or malformed imports are refused and change nothing."""

from __future__ import annotations

import copy
import json
from datetime import timedelta

import pytest

from tests.progress.conftest import MOMENT, dump
from virtquest.game.review import answer_question, schedule_concept
from virtquest.game.xp import record_level_attempt
from virtquest.progress.errors import ProgressError
from virtquest.progress.export import (
    MAX_IMPORT_BYTES,
    export_document,
    export_profile,
    import_profile,
    parse_export,
)
from virtquest.progress.store import open_store


def fill_with_progress(store, profile_id: int) -> None:
    for day in range(3):
        now = MOMENT + timedelta(days=day)
        answer_question(store, profile_id, "trap.steps", day != 1, answer=["a", "b"],
                        seconds=5.5, now=now)
        answer_question(store, profile_id, f"types.q{day}", True, answer="b", now=now)
        record_level_attempt(store, profile_id, f"ch{day + 1}-intro", {"s1": "hypervisor"},
                             "trap-emulate", 1200 - day, day + 1, 30.0, now=now)
    schedule_concept(store, profile_id, "popf", ["holes.popf"], now=MOMENT)
    store.set_setting(profile_id, "language", "ko")
    store.set_setting(profile_id, "font_scale", 2.0)


def comparable(document: dict) -> dict:
    return {key: value for key, value in document.items() if key != "exported_at"}


def test_export_then_import_into_a_fresh_home(tmp_path, monkeypatch):
    monkeypatch.setenv("VIRTQUEST_HOME", str(tmp_path / "student"))
    with open_store() as store:
        pid = store.create_profile("김민지")
        fill_with_progress(store, pid)
        original = export_document(store, pid)
        counts = export_profile(store, pid, tmp_path / "minji.json")
    assert counts["attempts"] == 3 and counts["achievements"] >= 3

    monkeypatch.setenv("VIRTQUEST_HOME", str(tmp_path / "instructor"))
    with open_store() as store:
        result = import_profile(store, tmp_path / "minji.json")
        assert (result.name, result.replaced, result.counts) == ("김민지", False, counts)
        assert store.current_profile_id() != result.profile_id  # importing does not switch
        assert comparable(export_document(store, result.profile_id)) == comparable(original)
        best = store.best_results(result.profile_id)  # rebuilt from the attempts
        assert {level: b.stars for level, b in best.items()} == {
            "ch1-intro": 1, "ch2-intro": 2, "ch3-intro": 3}


def test_import_refuses_a_taken_name_unless_told(tmp_path, store):
    pid = store.current_profile_id()
    fill_with_progress(store, pid)
    export_profile(store, pid, tmp_path / "me.json")
    before = dump(store.path)
    with pytest.raises(ProgressError, match="already exists"):
        import_profile(store, tmp_path / "me.json")
    assert dump(store.path) == before

    renamed = import_profile(store, tmp_path / "me.json", name="me again")
    assert store.profile(renamed.profile_id).name == "me again"
    replaced = import_profile(store, tmp_path / "me.json", replace=True)
    assert replaced.replaced
    assert store.current_profile_id() == replaced.profile_id  # the current one was replaced
    assert len(store.list_profiles()) == 2


def test_export_file_is_utf8_json_and_atomic(tmp_path, store):
    pid = store.create_profile("이서연")
    (tmp_path / "exports").mkdir()
    target = tmp_path / "exports" / "out.json"
    target.write_text("old content")
    export_profile(store, pid, target)
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["profile"]["name"] == "이서연" and "이서연" in target.read_text("utf-8")
    assert [p.name for p in target.parent.iterdir()] == ["out.json"]  # no temporary left


# --- hostile and malformed documents ------------------------------------------------------

def valid_document() -> dict:
    return {
        "format": "virtquest-progress", "version": 1, "app_version": "0.1.0",
        "exported_at": "2025-03-04T00:00:00+00:00",
        "profile": {"name": "student", "created_at": "2025-03-01T00:00:00+00:00"},
        "settings": {"language": "en", "theme": "dark", "font_scale": 1.5},
        "attempts": [{"level_id": "ch1-loop", "choices": {"s1": "cpu"}, "mode": "native",
                      "cycles": 100, "stars": 3, "seconds": 4, "at": "2025-03-02T01:00:00Z"}],
        "quiz_answers": [{"question_id": "q1", "correct": True, "answer": ["x"], "kind": "new",
                          "rating": 3, "seconds": 2.5, "at": "2025-03-02T01:00:00+00:00"}],
        "cards": [{"question_id": "q1", "flagged_by": None, "card": {
            "card_id": 1, "state": 2, "step": None, "stability": 3.0, "difficulty": 5.0,
            "due": "2025-03-05T00:00:00+00:00", "last_review": "2025-03-02T01:00:00+00:00"}}],
        "xp_events": [{"amount": 10, "reason": "quiz_correct", "ref": "question:q1",
                       "at": "2025-03-02T01:00:00+00:00"}],
        "activity": [{"day": "2025-03-02", "utc_offset_minutes": 540,
                      "first_at": "2025-03-02T01:00:00+00:00"}],
        "achievements": [{"id": "first-answer", "unlocked_at": "2025-03-02T01:00:00+00:00"}],
    }


def with_change(path: str, value) -> bytes:
    """The valid document with one field (dotted path, list indexes as numbers) replaced."""
    document = copy.deepcopy(valid_document())
    *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
    target = document
    for part in parents:
        target = target[part]
    target[last] = value
    return json.dumps(document).encode()


HOSTILE = {
    "not json": b"hello, instructor",
    "empty": b"",
    "binary": bytes(range(256)) * 8,
    "nul bytes": b'{"format": "virtquest-progress"\x00}',
    "top-level list": b"[1, 2, 3]",
    "other format": with_change("format", "anki-deck"),
    "unknown version": with_change("version", 2),
    "version as text": with_change("version", "1"),
    "huge document": b'{"format": "virtquest-progress", "pad": "' + b"x" * MAX_IMPORT_BYTES + b'"}',
    "deep nesting": b"[" * 100_000 + b"]" * 100_000,
    "duplicate keys": b'{"format": "virtquest-progress", "format": "virtquest-progress"}',
    "NaN": with_change("attempts.0.seconds", 1).replace(b'"seconds": 1', b'"seconds": NaN'),
    "unknown field": with_change("profile.admin", True),
    "negative cycles": with_change("attempts.0.cycles", -5),
    "too many stars": with_change("attempts.0.stars", 7),
    "stars as bool": with_change("attempts.0.stars", True),
    "cycles as text": with_change("attempts.0.cycles", "100"),
    "absurd integer": with_change("attempts.0.cycles", 10**30),
    "negative seconds": with_change("quiz_answers.0.seconds", -1),
    "seconds beyond float": with_change("quiz_answers.0.seconds", 10**400),
    "negative xp": with_change("xp_events.0.amount", -100),
    "date in 1970": with_change("attempts.0.at", "1970-01-01T00:00:00+00:00"),
    "date in 9999": with_change("quiz_answers.0.at", "9999-12-31T00:00:00+00:00"),
    "date without zone": with_change("xp_events.0.at", "2025-03-02T01:00:00"),
    "date as number": with_change("attempts.0.at", 1740877200),
    "not a date": with_change("profile.created_at", "yesterday"),
    "unknown mode": with_change("attempts.0.mode", "turbo"),
    "bad choice": with_change("attempts.0.choices", {"s1": "gpu"}),
    "path as level id": with_change("attempts.0.level_id", "../../etc/passwd"),
    "markup as question id": with_change("quiz_answers.0.question_id", "<script>"),
    "empty profile name": with_change("profile.name", "  "),
    "control chars in name": with_change("profile.name", "a\x1b[31mb"),
    "huge answer": with_change("quiz_answers.0.answer", "x" * 20_000),
    "bad card state": with_change("cards.0.card.state", 9),
    "card due without zone": with_change("cards.0.card.due", "2025-03-05T00:00:00"),
    "duplicate cards": json.dumps(valid_document() | {
        "cards": valid_document()["cards"] * 2}).encode(),
    "day not matching first activity": with_change("activity.0.day", "2025-03-05"),
    "offset beyond any zone": with_change("activity.0.utc_offset_minutes", 24 * 60),
    "unknown setting value": with_change("settings.language", "klingon"),
    "font scale absurd": with_change("settings.font_scale", 100),
    "attempts not a list": with_change("attempts", {"0": {}}),
    "last row bad": json.dumps(valid_document() | {"attempts": valid_document()["attempts"] * 50
                                                   + [{"level_id": "x"}]}).encode(),
}


def test_the_valid_document_imports(tmp_path, store):
    source = tmp_path / "ok.json"
    source.write_bytes(json.dumps(valid_document()).encode())
    result = import_profile(store, source)
    assert result.counts["attempts"] == 1
    assert store.get_setting(result.profile_id, "theme") == "dark"


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_imports_are_refused_and_change_nothing(tmp_path, store, name):
    pid = store.current_profile_id()
    fill_with_progress(store, pid)
    source = tmp_path / "import.json"
    source.write_bytes(HOSTILE[name])
    before = dump(store.path)
    with pytest.raises(ProgressError) as refused:
        import_profile(store, source)
    message = str(refused.value)
    assert str(source) in message and "\n" not in message and len(message) < 600
    assert dump(store.path) == before


def test_a_failure_while_writing_rolls_the_whole_import_back(tmp_path, store, monkeypatch):
    source = tmp_path / "ok.json"
    source.write_bytes(json.dumps(valid_document()).encode())
    before = dump(store.path)

    def disk_full(*_args, **_kwargs):
        raise ProgressError("disk full")

    monkeypatch.setattr(store, "unlock_achievement", disk_full)  # the last step of an import
    with pytest.raises(ProgressError, match="disk full"):
        import_profile(store, source)
    assert dump(store.path) == before


def test_a_missing_file_is_a_clear_error(tmp_path, store):
    with pytest.raises(ProgressError, match="cannot read"):
        import_profile(store, tmp_path / "nowhere.json")


def test_parse_export_names_the_bad_field():
    with pytest.raises(ProgressError, match=r"attempts\.0\.stars"):
        parse_export(with_change("attempts.0.stars", 9), "student.json")
