"""`virtquest levels`, `levels check`, `solve`, `run LEVEL_ID --assign` and `schema`: shapes and
exit statuses (docs/design.md, "The command line")."""

from __future__ import annotations

import json

import pytest

from virtquest.cli import main
from virtquest.emu.resources import PROGRAMS


def run_cli(capsys, *args):
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_levels_json_lists_every_level(capsys):
    status, out, _ = run_cli(capsys, "levels", "--json")
    rows = json.loads(out)
    assert status == 0 and len(rows) >= 24
    assert set(rows[0]) == {"id", "chapter", "order", "title", "modes", "slots",
                            "guest_modifiable"}
    assert set(rows[0]["title"]) == {"ko", "en"} and isinstance(rows[0]["slots"], list)


def test_levels_check_is_clean_for_the_shipped_levels(capsys):
    status, out, _ = run_cli(capsys, "levels", "check")
    assert status == 0 and "no problems" in out


def test_levels_check_reports_file_line_field(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema_version: 1\nid: ch1-x\nchapter: one\n", encoding="utf-8")
    status, out, _ = run_cli(capsys, "levels", "check", str(bad))
    assert status == 1
    assert f"{bad}:3: chapter: " in out


def test_solve_json_shape(capsys):
    status, out, _ = run_cli(capsys, "solve", "ch1-hot-loop", "--json")
    doc = json.loads(out)
    assert status == 0
    assert set(doc) == {"assignment", "overhead", "equivalent", "contained", "stars"}
    assert doc["assignment"]["hot"] == "cpu" and doc["stars"] == 3


def test_solve_unknown_level_is_one_line_exit_2(capsys):
    status, _, err = run_cli(capsys, "solve", "ch1-hot-lop")
    assert status == 2 and "did you mean 'ch1-hot-loop'" in err and err.count("\n") == 1


def test_run_level_with_an_assignment(capsys, tmp_path):
    assign = tmp_path / "a.json"
    assign.write_text(json.dumps({"hot": "hypervisor"}), encoding="utf-8")
    status, out, _ = run_cli(capsys, "run", "ch1-hot-loop", "--assign", str(assign), "--json")
    doc = json.loads(out)
    assert status == 0 and set(doc) >= {"program", "profile", "runs", "level"}
    (run,) = doc["runs"]
    assert {"mode", "cycles", "instructions", "overhead", "equivalent", "contained",
            "exit_code", "console", "breakdown", "events"} <= set(run)
    assert doc["level"]["choices"] == {"hot": "hypervisor", "print": "hypervisor"}
    assert doc["level"]["stars"] == 1


def test_run_level_rejects_a_locked_choice(capsys, tmp_path):
    assign = tmp_path / "a.json"
    assign.write_text(json.dumps({"restore": "hypervisor"}), encoding="utf-8")
    status, _, err = run_cli(capsys, "run", "ch3-popf", "--assign", str(assign))
    assert status == 2 and "locked" in err


def test_run_still_runs_files(capsys):
    status, out, _ = run_cli(capsys, "run", str(PROGRAMS / "levels" / "ch1_hot_loop.s"),
                             "--json")
    assert status == 0 and json.loads(out)["runs"][0]["console"] == "sum 45150\n"


def test_schema_writes_level_and_quiz_schemas(capsys, tmp_path):
    status, _, _ = run_cli(capsys, "schema", str(tmp_path / "out"))
    assert status == 0
    level = json.loads((tmp_path / "out" / "level.schema.json").read_text(encoding="utf-8"))
    quiz = json.loads((tmp_path / "out" / "quiz.schema.json").read_text(encoding="utf-8"))
    assert level["title"] == "VirtQuest level file" and "questions" in quiz["properties"]


@pytest.mark.parametrize("order", [
    pytest.param(("levels", "check", "--solve", "{unreachable}"), id="option-before-the-path"),
    pytest.param(("levels", "check", "{unreachable}", "--solve"), id="option-after-the-path"),
    pytest.param(("levels", "--solve", "check", "{unreachable}"), id="option-before-check"),
])
def test_levels_check_solve_takes_its_option_before_or_after_the_paths(capsys, tmp_path, order):
    """Only the solver finds this level's problem (no assignment reaches its goal), so the
    problem shows up only when `--solve` was understood, in whichever place it was given."""
    from tests.content.test_levels import GOOD

    unreachable = tmp_path / "unreachable.yaml"
    unreachable.write_text(GOOD.replace("[2.0, 10.0, 1000.0]", "[1.0, 1.0, 1.0]"),
                           encoding="utf-8")
    status, out, err = run_cli(capsys, *[a.format(unreachable=unreachable) for a in order])
    assert status == 1 and err == "", err
    assert any(line.startswith(f"{unreachable}:") and "goal.stars" in line
               for line in out.splitlines()), out


def test_levels_check_without_solve_does_not_run_the_solver(capsys, tmp_path):
    from tests.content.test_levels import GOOD

    unreachable = tmp_path / "unreachable.yaml"
    unreachable.write_text(GOOD.replace("[2.0, 10.0, 1000.0]", "[1.0, 1.0, 1.0]"),
                           encoding="utf-8")
    status, out, _ = run_cli(capsys, "levels", "check", str(unreachable))
    assert status == 0 and "1 level(s): no problems" in out


def test_a_reader_that_stops_early_gets_no_error_message(tmp_path):
    """`virtquest … | head`: the closed pipe ends the command quietly (no "Broken pipe")."""
    import subprocess
    import sys

    process = subprocess.Popen(
        [sys.executable, "-c", "import sys\nfrom virtquest.cli import main\n"
         "for _ in range(20):\n    main(['quiz', '--list', '--json'])\n"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
    process.stdout.read(100)
    process.stdout.close()
    _, err = process.communicate(timeout=120)
    assert err == b""
