"""`virtquest --content DIR` and VIRTQUEST_CONTENT: an instructor's folder is listed, played and
checked with the built-in content; clashes and bad folders are one line and exit status 2."""

from __future__ import annotations

import json

import pytest

from tests.content.test_custom_content import (
    LEVEL_ID,
    QUESTION,
    QUESTION_ID,
    level_text,
    make_content_folder,
)
from virtquest.cli import main
from virtquest.content.folders import ENV_VAR
from virtquest.content.levels import DEFAULT_LEVEL_DIR
from virtquest.content.quizzes import DEFAULT_QUIZ_DIR


@pytest.fixture(autouse=True)
def _no_content_from_the_environment(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


def run_cli(capsys, *args):
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def listed(capsys, *args) -> list[dict]:
    status, out, err = run_cli(capsys, *args)
    assert status == 0 and err == "", err
    return json.loads(out)


@pytest.fixture
def course(tmp_path):
    return make_content_folder(tmp_path / "course")


def test_levels_and_questions_of_the_folder_are_listed_with_the_builtin(capsys, course):
    builtin_levels = listed(capsys, "levels", "--json")
    builtin_questions = listed(capsys, "quiz", "--list", "--json")
    levels = listed(capsys, "--content", str(course), "levels", "--json")
    questions = listed(capsys, "--content", str(course), "quiz", "--list", "--json")
    assert len(levels) == len(builtin_levels) + 1
    assert len(questions) == len(builtin_questions) + 1
    assert LEVEL_ID in {row["id"] for row in levels}
    assert QUESTION_ID in {row["id"] for row in questions}


def test_the_environment_variable_works_like_the_option(capsys, course, monkeypatch):
    builtin = listed(capsys, "levels", "--json")
    monkeypatch.setenv(ENV_VAR, str(course))
    assert len(listed(capsys, "levels", "--json")) == len(builtin) + 1
    assert any(row["id"] == QUESTION_ID for row in listed(capsys, "quiz", "--list", "--json"))


def test_the_option_lasts_one_command(capsys, course):
    builtin = listed(capsys, "levels", "--json")
    listed(capsys, "--content", str(course), "levels", "--json")
    assert len(listed(capsys, "levels", "--json")) == len(builtin)


def test_the_text_listing_names_the_custom_file(capsys, course):
    status, out, _ = run_cli(capsys, "--content", str(course), "levels")
    line = next(line for line in out.splitlines() if line.startswith(LEVEL_ID))
    assert status == 0 and line.endswith(f"[{course / 'instructor-loop.yaml'}]")


def test_a_custom_level_runs_by_its_id(capsys, course, tmp_path):
    assign = tmp_path / "a.json"
    assign.write_text(json.dumps({"hot": "cpu"}), encoding="utf-8")
    status, out, err = run_cli(capsys, "--content", str(course), "run", LEVEL_ID,
                               "--assign", str(assign), "--json")
    doc = json.loads(out)
    assert status == 0, err
    assert doc["program"] == str(course / "programs" / "loop.s")
    assert doc["level"]["choices"] == {"hot": "cpu", "print": "hypervisor"}
    assert doc["level"]["stars"] == 3


def test_a_custom_question_is_listed_under_its_topic(capsys, course):
    rows = listed(capsys, "--content", str(course), "quiz", "--list", "--topic", "trap-emulate",
                  "--json")
    assert QUESTION_ID in {row["id"] for row in rows}


def test_a_level_id_clash_is_one_line_naming_both_files(capsys, tmp_path):
    course = make_content_folder(tmp_path / "course", level=level_text("ch1-cli-refused"))
    status, out, err = run_cli(capsys, "--content", str(course), "levels", "--json")
    assert status == 2 and out == "" and err.count("\n") == 1
    assert str(course / "instructor-loop.yaml") in err
    assert str(DEFAULT_LEVEL_DIR / "ch1-cli.yaml") in err
    assert "level id 'ch1-cli-refused' is already used by" in err


@pytest.mark.parametrize("command", [("quiz", "--list", "--json"), ("levels",),
                                     ("run", LEVEL_ID)])
def test_a_question_id_clash_stops_every_command(capsys, tmp_path, command):
    course = make_content_folder(tmp_path / "course",
                                 question=QUESTION.replace(QUESTION_ID, "trap.definition"))
    status, out, err = run_cli(capsys, "--content", str(course), *command)
    assert status == 2 and out == "" and err.count("\n") == 1, err
    assert str(course / "quizzes" / "trap-emulate.yaml") in err
    assert str(DEFAULT_QUIZ_DIR / "trap-emulate.yaml") in err


def test_two_custom_folders_sharing_an_id_name_both_files(capsys, tmp_path, monkeypatch):
    first = make_content_folder(tmp_path / "a")
    second = make_content_folder(tmp_path / "b", level=level_text(order=11), question=None)
    monkeypatch.setenv(ENV_VAR, str(second))
    status, _, err = run_cli(capsys, "--content", str(first), "levels")
    assert status == 2 and err.count("\n") == 1
    assert str(first / "instructor-loop.yaml") in err and str(second / "instructor-loop.yaml") \
        in err


@pytest.mark.parametrize("kind", ["missing", "file"])
def test_a_bad_content_folder_is_one_line_exit_2(capsys, tmp_path, kind):
    path = tmp_path / "course"
    if kind == "file":
        path.write_text("x", encoding="utf-8")
    status, out, err = run_cli(capsys, "--content", str(path), "levels")
    assert status == 2 and out == "" and err.count("\n") == 1
    assert err.startswith(f"virtquest: --content: {path}: ")


def test_levels_check_on_a_good_folder(capsys, course):
    status, out, err = run_cli(capsys, "levels", "check", str(course))
    assert (status, err) == (0, "")
    assert out == "1 level(s), 1 question(s): no problems\n"


def test_levels_check_names_file_and_line_of_a_broken_level(capsys, course):
    broken = course / "instructor-loop.yaml"
    text = level_text().replace("order: 10", "order: tenth")
    broken.write_text(text, encoding="utf-8")
    status, out, _ = run_cli(capsys, "levels", "check", str(course))
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.startswith("order:"))
    assert status == 1 and f"{broken}:{line}: order: " in out


def test_levels_check_names_file_and_line_of_a_broken_question(capsys, course):
    quiz = course / "quizzes" / "trap-emulate.yaml"
    quiz.write_text(QUESTION.replace("answer: true", "answer: maybe"), encoding="utf-8")
    status, out, _ = run_cli(capsys, "levels", "check", str(course))
    line = next(i for i, row in enumerate(QUESTION.splitlines(), 1) if "answer:" in row)
    assert status == 1 and f"{quiz}:{line}: questions[0].answer: " in out
    # The level that unlocks the question now points to nothing: said too.
    assert f"{course / 'instructor-loop.yaml'}:" in out and QUESTION_ID in out


def test_levels_check_reports_clashes_with_the_builtin_content(capsys, tmp_path):
    course = make_content_folder(tmp_path / "course",
                                 level=level_text("ch1-hot-loop", question=None),
                                 question=QUESTION.replace(QUESTION_ID, "trap.definition"))
    status, out, _ = run_cli(capsys, "levels", "check", str(course))
    lines = out.splitlines()
    assert status == 1
    assert any(line.startswith(f"{course / 'instructor-loop.yaml'}:2: id: ")
               and str(DEFAULT_LEVEL_DIR / "ch1-hot-loop.yaml") in line for line in lines), out
    assert any(line.startswith(f"{course / 'quizzes' / 'trap-emulate.yaml'}:3: ")
               and str(DEFAULT_QUIZ_DIR / "trap-emulate.yaml") in line for line in lines), out


def test_levels_check_of_a_configured_folder_does_not_clash_with_itself(capsys, course):
    status, out, _ = run_cli(capsys, "--content", str(course), "levels", "check", str(course))
    assert status == 0 and out == "1 level(s), 1 question(s): no problems\n"


def test_levels_check_without_paths_checks_the_custom_folders_too(capsys, tmp_path):
    course = make_content_folder(tmp_path / "course", level=level_text("ch1-hot-loop"))
    status, out, _ = run_cli(capsys, "--content", str(course), "levels", "check")
    assert status == 1 and out.startswith(f"{course / 'instructor-loop.yaml'}:2: id: ")


def test_levels_check_on_a_missing_folder_is_one_line_exit_2(capsys, tmp_path):
    missing = tmp_path / "nowhere"
    status, out, err = run_cli(capsys, "levels", "check", str(missing))
    assert (status, out) == (2, "")
    assert err == (f"virtquest: levels check: {missing}: no such content folder (a level file's "
                   "name ends in .yaml)\n")


def test_levels_check_on_something_neither_file_nor_folder_is_one_line_exit_2(capsys,
                                                                              tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("x", encoding="utf-8")
    status, _, err = run_cli(capsys, "levels", "check", str(notes))
    assert status == 2 and err.count("\n") == 1
    assert "neither a level file (.yaml) nor a content folder" in err


def test_a_broken_custom_level_is_a_warning_and_the_rest_is_listed(capsys, course):
    builtin = listed(capsys, "levels", "--json")
    broken = course / "instructor-loop.yaml"
    broken.write_text(level_text().replace("order: 10", "order: tenth"), encoding="utf-8")
    status, out, err = run_cli(capsys, "--content", str(course), "levels", "--json")
    assert status == 0 and len(json.loads(out)) == len(builtin)
    assert err.startswith(f"virtquest: warning: {broken}:") and ": order: " in err
