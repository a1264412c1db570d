"""`virtquest quiz`: the question list as JSON, and a terminal quiz driven through stdin."""

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from virtquest.cli import main
from virtquest.commands.quiz import choose_language
from virtquest.content.quizzes import DEFAULT_QUIZ_DIR, load_quiz_bank
from virtquest.game.quiz import start_session
from virtquest.game.typed_answer import LETTERS

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _english_environment(monkeypatch):
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


def run_quiz(monkeypatch, capsys, args, typed=""):
    monkeypatch.setattr(sys, "stdin", io.StringIO(typed))
    status = main(["quiz", *args])
    out, err = capsys.readouterr()
    return status, out, err


def the_session(count, seed, topic=None):
    return start_session(load_quiz_bank().questions, count=count, topic=topic, seed=seed)


def typed_answer(shown, right=True):
    """What a learner types for the right (or a wrong) answer to a shown question."""
    q = shown.question
    number = {option.key: i for i, option in enumerate(shown.options, 1)}
    if q.kind == "true-false":
        return "o" if q.answer == right else "x"
    if q.kind == "single":
        key = q.answer if right else next(k for k in q.choices if k != q.answer)
        return str(number[key])
    if q.kind == "multiple":
        keys = q.answer if right else [next(k for k in q.choices if k not in q.answer)]
        return ",".join(str(number[k]) for k in keys)
    if q.kind == "ordering":
        order = range(len(q.steps)) if right else reversed(range(len(q.steps)))
        return ",".join(str(number[i]) for i in order)
    letter = {option.key: LETTERS[i] for i, option in enumerate(shown.targets)}
    targets = [t.key for t in shown.targets]
    pairs = []
    for source, target in q.answer.items():
        chosen = target if right else targets[(targets.index(target) + 1) % len(targets)]
        pairs.append(f"{number[source]}{letter[chosen]}")
    return " ".join(pairs)


def script(session, right=True):
    return "".join(typed_answer(p, right) + "\n" for p in session.presentations)


# --- listing -------------------------------------------------------------------------------------


def test_list_json_gives_id_kind_topic_and_both_texts(monkeypatch, capsys):
    status, out, err = run_quiz(monkeypatch, capsys, ["--list", "--json"])
    listing = json.loads(out)
    assert status == 0 and err == ""
    assert len(listing) >= 100
    for entry in listing:
        assert set(entry) == {"id", "kind", "topic", "text"}
        assert set(entry["text"]) == {"ko", "en"} and all(entry["text"].values())


def test_list_json_by_topic(monkeypatch, capsys):
    _, out, _ = run_quiz(monkeypatch, capsys, ["--list", "--json", "--topic", "x86-holes"])
    listing = json.loads(out)
    assert listing and {entry["topic"] for entry in listing} == {"x86-holes"}


def test_list_as_text_in_korean(monkeypatch, capsys):
    _, out, _ = run_quiz(monkeypatch, capsys, ["--list", "--lang", "ko", "--topic", "memory"])
    assert "mem.two-d-walk  [memory, single]" in out
    assert "TLB 미스 한 번에" in out


def test_list_json_from_a_real_process():
    result = subprocess.run([sys.executable, "-m", "virtquest", "quiz", "--list", "--json"],
                            cwd=ROOT, capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["id"]


# --- playing -------------------------------------------------------------------------------------


def test_a_scripted_quiz_shows_verdicts_explanations_and_a_score(monkeypatch, capsys):
    session = the_session(6, seed=21)
    status, out, _ = run_quiz(monkeypatch, capsys, ["-n", "6", "--seed", "21", "--lang", "en"],
                              script(session))
    assert status == 0
    assert out.count("✔ Correct!") == 6 and "Not quite" not in out
    assert out.count("Explanation:") == 6
    first = session.presentations[0].question
    assert first.explanation.en.split()[0] in out
    assert "[6/6]" in out and "Score: 6/6 correct" in out


def test_wrong_answers_show_the_right_one(monkeypatch, capsys):
    session = the_session(4, seed=8)
    _, out, _ = run_quiz(monkeypatch, capsys, ["-n", "4", "--seed", "8", "--lang", "en"],
                         script(session, right=False))
    assert out.count("✘ Not quite.") == 4 and out.count("Answer: ") == 4
    assert "Score: 0/4 correct" in out


def test_every_kind_can_be_answered_through_the_terminal(monkeypatch, capsys):
    bank = load_quiz_bank()
    count = len(bank)
    session = the_session(count, seed=2)
    _, out, _ = run_quiz(monkeypatch, capsys, ["-n", str(count), "--seed", "2", "--lang", "en"],
                         script(session))
    assert f"Score: {count}/{count} correct" in out
    for hint in ("Type one number", "separated by commas (e.g. 1,3)", "o for true",
                 "in the right order", "Pair each left number", "Pair each item number"):
        assert hint in out


def test_bad_input_is_explained_and_asked_again(monkeypatch, capsys):
    session = the_session(1, seed=4, topic="papers")
    typed = "banana\n99\n\n" + script(session)
    _, out, _ = run_quiz(monkeypatch, capsys,
                         ["-n", "1", "--seed", "4", "--topic", "papers", "--lang", "en"], typed)
    assert out.count("Could not read that") == 2
    assert "Score: 1/1 correct" in out


def test_quitting_early_still_gives_the_score(monkeypatch, capsys):
    session = the_session(5, seed=9)
    typed = typed_answer(session.presentations[0]) + "\nq\n"
    _, out, _ = run_quiz(monkeypatch, capsys, ["-n", "5", "--seed", "9", "--lang", "en"], typed)
    assert "Stopped after 1 of 5 questions." in out and "Score: 1/1 correct" in out


def test_end_of_input_ends_the_quiz(monkeypatch, capsys):
    status, out, _ = run_quiz(monkeypatch, capsys, ["-n", "3", "--seed", "1", "--lang", "en"], "")
    assert status == 0 and "Stopped after 0 of 3 questions." in out


def test_korean_follows_the_environment(monkeypatch, capsys):
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    session = the_session(2, seed=6)
    _, out, _ = run_quiz(monkeypatch, capsys, ["-n", "2", "--seed", "6"], script(session))
    assert "정답입니다" in out and "해설:" in out and "점수: 2/2 정답" in out
    assert session.presentations[0].question.text.ko.split()[0] in out


def test_language_choice():
    assert choose_language("en", {"LANG": "ko_KR.UTF-8"}) == "en"
    assert choose_language(None, {"LANG": "ko_KR.UTF-8"}) == "ko"
    assert choose_language(None, {"LC_ALL": "en_US.UTF-8", "LANG": "ko_KR"}) == "en"
    assert choose_language(None, {}) == "en"


def test_json_mode_keeps_stdout_for_one_result_document(monkeypatch, capsys):
    session = the_session(3, seed=13)
    _, out, err = run_quiz(monkeypatch, capsys, ["-n", "3", "--seed", "13", "--json"],
                           script(session))
    result = json.loads(out)
    assert result["correct"] == 3 and result["total"] == 3 and result["seed"] == 13
    assert [a["id"] for a in result["answers"]] == [p.question.id for p in session.presentations]
    assert "Explanation:" in err


def test_answers_are_recorded_in_progress(monkeypatch, capsys):
    from virtquest.progress.store import open_store

    session = the_session(3, seed=17)
    typed = typed_answer(session.presentations[0]) + "\n" + "".join(
        typed_answer(p, right=False) + "\n" for p in session.presentations[1:])
    run_quiz(monkeypatch, capsys, ["-n", "3", "--seed", "17", "--lang", "en"], typed)
    with open_store() as store:
        answers = store.quiz_answers(store.current_profile_id())
    assert [(a.question_id, a.correct) for a in answers] == [
        (p.question.id, i == 0) for i, p in enumerate(session.presentations)]


# --- broken content and bad arguments --------------------------------------------------------------


def test_a_broken_quiz_file_is_reported_and_the_rest_plays(tmp_path, monkeypatch, capsys):
    directory = tmp_path / "quizzes"
    shutil.copytree(DEFAULT_QUIZ_DIR, directory)
    (directory / "zz-broken.yaml").write_text("schema_version: 1\nquestions: [\n", encoding="utf-8")
    status, out, err = run_quiz(monkeypatch, capsys, ["--list", "--json", "--dir", str(directory)])
    assert status == 0 and len(json.loads(out)) == len(load_quiz_bank())
    assert "warning:" in err and "zz-broken.yaml:" in err and "broken YAML" in err


def test_a_missing_quiz_directory_is_one_line_and_status_2(tmp_path, monkeypatch, capsys):
    status, out, err = run_quiz(monkeypatch, capsys, ["--dir", str(tmp_path / "none")])
    assert status == 2 and out == ""
    assert "no such quiz directory" in err and "Traceback" not in err


def test_an_unknown_topic_is_refused(monkeypatch, capsys):
    status, out, err = run_quiz(monkeypatch, capsys, ["--topic", "cooking"])
    assert status == 2 and out == ""
    assert "unknown topic 'cooking'; expected one of hypervisor-types" in err


def test_the_command_loads_no_content_until_it_runs():
    code = ("import sys, virtquest.commands.quiz;"
            "assert 'virtquest.content.quizzes' not in sys.modules;"
            "assert 'pydantic' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
