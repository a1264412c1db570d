"""`virtquest progress …` and `virtquest review`: paths, export/import, due cards, clear errors."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from virtquest.cli import main
from virtquest.game.review import answer_question
from virtquest.progress.clock import local_now
from virtquest.progress.paths import database_path
from virtquest.progress.store import open_store

ROOT = Path(__file__).resolve().parent.parent


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_progress_path_prints_the_database_path(capsys):
    status, out, _ = run(capsys, "progress", "path")
    assert status == 0 and out.strip() == str(database_path())
    status, out, _ = run(capsys, "progress", "path", "--json")
    assert json.loads(out) == {"path": str(database_path()), "exists": False}


def test_export_and_import_through_the_command_line(tmp_path, capsys):
    with open_store() as store:
        pid = store.current_profile_id()
        answer_question(store, pid, "trap.steps", True)
    target = tmp_path / "me.json"
    status, out, _ = run(capsys, "progress", "export", str(target), "--json")
    assert status == 0 and json.loads(out)["counts"]["quiz_answers"] == 1
    assert json.loads(target.read_text(encoding="utf-8"))["format"] == "virtquest-progress"

    status, _, err = run(capsys, "progress", "import", str(target))
    assert status == 2 and "already exists" in err and err.count("\n") == 1
    status, out, _ = run(capsys, "progress", "import", str(target), "--as", "copy")
    assert status == 0 and "imported profile 'copy'" in out
    status, out, _ = run(capsys, "progress", "import", str(target), "--replace", "--json")
    assert status == 0 and json.loads(out)["replaced"] is True
    with open_store() as store:
        assert sorted(p.name for p in store.list_profiles()) == ["copy", "learner"]


def test_export_a_named_profile_and_an_unknown_one(tmp_path, capsys):
    with open_store() as store:
        store.create_profile("박지훈")
    status, out, _ = run(capsys, "progress", "export", str(tmp_path / "j.json"),
                         "--profile", "박지훈")
    assert status == 0 and "박지훈" in out
    status, _, err = run(capsys, "progress", "export", str(tmp_path / "x.json"),
                         "--profile", "nobody")
    assert status == 2 and "no profile named 'nobody'" in err


def test_export_into_a_missing_folder_is_a_clear_error(tmp_path, capsys):
    status, out, err = run(capsys, "progress", "export", str(tmp_path / "no" / "such.json"))
    assert status == 2 and out == "" and "cannot write" in err and err.count("\n") == 1


def test_a_bad_import_file_is_one_line_and_exit_two_in_a_real_process(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    result = subprocess.run([sys.executable, "-m", "virtquest", "progress", "import", str(bad)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "binary" in result.stderr


def test_a_corrupt_database_is_reported_on_stderr(capsys):
    path = database_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"definitely not sqlite" * 20)
    status, _, err = run(capsys, "progress", "export", str(path.parent / "out.json"))
    assert status == 0 and "warning" in err and "kept as progress.sqlite3.corrupt-" in err


def test_review_json_lists_due_cards_and_a_forecast(capsys):
    with open_store() as store:
        pid = store.current_profile_id()
        answer_question(store, pid, "made.up-question", False, now=local_now() - timedelta(days=1))
    status, out, _ = run(capsys, "review", "--json")
    document = json.loads(out)  # exactly one JSON document
    assert status == 0 and document["profile"]["name"] == "learner"
    assert len(document["forecast"]) == 14 and document["forecast"][0]["due"] >= 0
    assert set(document) >= {"due", "new", "forecast", "streak", "xp", "quiz_bank"}
    if not document["quiz_bank"]:
        assert [d["id"] for d in document["due"]] == ["made.up-question"]


def test_review_shows_question_texts_from_the_quiz_bank(capsys):
    from virtquest.content.quizzes import load_quiz_bank

    first = load_quiz_bank(ROOT / "levels" / "quizzes").questions[0]
    with open_store() as store:
        answer_question(store, store.current_profile_id(), first.id, False,
                        now=local_now() - timedelta(days=1))
    status, out, _ = run(capsys, "review", "--json")
    document = json.loads(out)
    assert document["quiz_bank"] is True
    [due] = [d for d in document["due"] if d["id"] == first.id]
    assert due["text"] == {"ko": first.text.ko, "en": first.text.en}
    assert due["topic"] == first.topic
    assert all(entry["text"] for entry in document["new"])


def test_review_degrades_to_ids_when_the_quiz_bank_does_not_load(capsys, monkeypatch):
    import virtquest.content.quizzes as quizzes
    from virtquest.emu.errors import VirtQuestError

    def broken(*_args, **_kwargs):
        raise VirtQuestError("the quiz files cannot be read")

    monkeypatch.setattr(quizzes, "load_quiz_bank", broken)
    with open_store() as store:
        answer_question(store, store.current_profile_id(), "some.question", False,
                        now=local_now() - timedelta(days=1))
    status, out, err = run(capsys, "review", "--json")
    document = json.loads(out)
    assert "quiz bank not loaded: the quiz files cannot be read" in err
    assert status == 0 and document["quiz_bank"] is False and document["new"] == []
    assert document["due"] == [{"id": "some.question", "topic": None, "text": None,
                                "due": document["due"][0]["due"], "flagged_by": None}]
    status, out, _ = run(capsys, "review")
    assert status == 0 and "some.question" in out and "Next 14 days" in out


def test_help_exists_for_each_command(capsys):
    for argv in (["progress", "--help"], ["review", "--help"], ["progress", "import", "--help"]):
        with pytest.raises(SystemExit) as done:
            main(argv)
        assert done.value.code == 0
    assert "--replace" in capsys.readouterr().out
