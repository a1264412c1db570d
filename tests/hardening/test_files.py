"""Every command that reads a file, given files that are not what it expects (docs/security.md, "The
command line"): an empty file, binary data, a huge file, NUL bytes, Latin-1 and UTF-16 text, a
missing path and a directory. Each gets one clear line naming the file and a non-zero exit status —
never a traceback, never a hang. Run as a user would: `python -m virtquest` in a real process."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from virtquest.emu.resources import LEVELS, PROGRAMS

HELLO = PROGRAMS / "examples" / "hello.s"
TIMEOUT = 60


def _huge() -> bytes:
    """Several MB of plain text: bigger than any limit, so only a size check refuses it early."""
    return ("; " + "x" * 97 + "\n").encode() * 90_000


INPUTS: dict[str, bytes | None] = {   # None: made specially (missing path, directory)
    "empty": b"",
    "binary": bytes(range(256)) * 16,
    "huge": _huge(),
    "nul bytes": b"main:\n  mov eax, 1\x00\x00\n  ret\n",
    "latin-1": "main:\n  ; café, naïve\n  ret\n".encode("latin-1"),
    "utf-16": "main:\n  ret\n".encode("utf-16"),
    "missing": None,
    "directory": None,
}


# What a user should never read: an errno, or a class name from inside the app (a pydantic
# model's "instance of _QuizFileEnvelope").
INTERNALS = re.compile(r"\[Errno|instance of|\b_[A-Z]\w+|Error\b|Exception\b")


def _first_level_id() -> str:
    text = sorted(LEVELS.glob("*.yaml"))[0].read_text(encoding="utf-8")
    return re.search(r"^id:\s*(\S+)", text, re.M).group(1)


# command: (file extension, arguments with {file}, the expected exit status). `levels check`
# reports problems as its output and exits 1; everything else is bad input: 2 (docs/design.md,
# "The command line").
COMMANDS = {
    "run": (".s", ["run", "{file}"], 2),
    "run --profile": (".yaml", ["run", str(HELLO), "--profile", "{file}"], 2),
    "run --assign": (".json", ["run", _first_level_id(), "--assign", "{file}"], 2),
    "levels check": (".yaml", ["levels", "check", "{file}"], 1),
    "progress import": (".json", ["progress", "import", "{file}"], 2),
    "quiz --dir": (".yaml", ["quiz", "--list", "--dir", "{dir}"], 2),
}
CASES = [(command, kind) for command in COMMANDS for kind in INPUTS]


@dataclass
class Outcome:
    status: int
    stdout: str
    stderr: str
    file: Path


def _make_input(base: Path, kind: str, extension: str) -> tuple[Path, Path]:
    """The file, and a quiz directory holding just that file."""
    folder = base / "quizzes"
    folder.mkdir(parents=True)
    path = folder / f"input{extension}"
    if kind == "directory":
        path.mkdir()
    elif kind == "missing":
        folder = base / "no-such-folder"
        path = folder / f"input{extension}"
    else:
        path.write_bytes(INPUTS[kind])
    return path, folder


def _run(base: Path, command: str, kind: str) -> Outcome:
    extension, arguments, _ = COMMANDS[command]
    path, folder = _make_input(base, kind, extension)
    argv = [a.format(file=path, dir=folder) for a in arguments]
    env = dict(os.environ, VIRTQUEST_HOME=str(base / "home"), QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-m", "virtquest", *argv], capture_output=True,
                          text=True, encoding="utf-8", errors="replace", env=env,
                          timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    return Outcome(done.returncode, done.stdout, done.stderr, folder if kind == "missing"
                   and command == "quiz --dir" else path)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory) -> dict[tuple[str, str], Outcome]:
    """Every case at once, a few processes at a time (each one starts a Python)."""
    root = tmp_path_factory.mktemp("hostile-files")
    with ThreadPoolExecutor(max_workers=6) as pool:
        futures = {case: pool.submit(_run, root / f"case{i}", *case)
                   for i, case in enumerate(CASES)}
        return {case: future.result() for case, future in futures.items()}


@pytest.mark.parametrize(("command", "kind"), CASES, ids=[f"{c}-{k}" for c, k in CASES])
def test_a_bad_file_gets_one_clear_line_and_a_nonzero_status(outcomes, command, kind):
    outcome = outcomes[(command, kind)]
    expected_status = COMMANDS[command][2]
    both = outcome.stdout + outcome.stderr
    assert "Traceback" not in both and 'File "' not in both, both[-2000:]
    assert outcome.status == expected_status, (outcome.status, both[-500:])
    report = outcome.stdout if command == "levels check" else outcome.stderr
    lines = report.strip().splitlines()
    assert len(lines) == 1, report
    if command != "levels check":
        assert outcome.stdout == "" and lines[0].startswith("virtquest: ")
    shown = str(outcome.file)
    assert shown in lines[0] or str(outcome.file.parent) in lines[0], (shown, lines[0])
    assert len(lines[0]) < 400, "one clear line, not a dump of the file"
    assert not INTERNALS.search(lines[0]), lines[0]


# What the line must say for the cases where a raw message used to leak through: an errno for a
# directory given to --assign, "no such profile file" for a directory that exists, and a
# pydantic class name (`_QuizFileEnvelope`, `ProfileFile`, `Level`) for an empty file.
SAYS = {
    ("run --assign", "directory"): "is a directory, not an assignment file",
    ("run --profile", "directory"): "is a directory, not a profile file",
    ("quiz --dir", "empty"): "the file is empty; expected a quiz file: schema_version and a "
                             "list of questions",
    ("run --profile", "empty"): "the file is empty; expected a cost profile",
    ("levels check", "empty"): "the file is empty; expected a level",
    ("run --assign", "empty"): "the file is empty; expected a JSON object",
}


@pytest.mark.parametrize(("command", "kind"), SAYS, ids=[f"{c}-{k}" for c, k in SAYS])
def test_the_line_says_what_is_wrong_with_the_file(outcomes, command, kind):
    outcome = outcomes[(command, kind)]
    line = (outcome.stdout if command == "levels check" else outcome.stderr).strip()
    prefix = "" if command == "levels check" else "virtquest: "
    assert line.startswith(f"{prefix}{outcome.file}"), line
    assert SAYS[(command, kind)] in line, line
    assert outcome.status == COMMANDS[command][2]


def _cli(base: Path, *argv: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, VIRTQUEST_HOME=str(base / "home"), QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "virtquest", *argv], capture_output=True,
                          text=True, encoding="utf-8", errors="replace", env=env,
                          timeout=TIMEOUT, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize(("command", "name", "text", "says"), [
    pytest.param(["quiz", "--list", "--dir", "{dir}"], "q.yaml", "- just\n- a list\n",
                 "expected a quiz file: schema_version and a list of questions, not a list",
                 id="quiz-file-of-a-list"),
    pytest.param(["quiz", "--list", "--dir", "{dir}"], "q.yaml",
                 "schema_version: 1\nquestions:\n  - 3\n",
                 "questions[0]: expected a mapping (key: value lines), not a number",
                 id="quiz-question-of-a-number"),
    pytest.param(["run", str(HELLO), "--profile", "{file}"], "p.yaml", "'just text'\n",
                 "expected a cost profile", id="profile-of-text"),
    pytest.param(["progress", "import", "{file}"], "x.json",
                 '{"format": "virtquest-progress", "version": 1, "app_version": "1",'
                 ' "exported_at": "2024-01-01T00:00:00Z", "profile": 3}',
                 "profile: expected a JSON object", id="progress-profile-of-a-number"),
])
def test_no_internal_class_name_reaches_the_user(tmp_path, command, name, text, says):
    """A value that should be a mapping and is not: pydantic's own message names the model
    class (`instance of _QuizFileEnvelope`, `ExportedProfile`); the line says what is expected."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / name).write_text(text, encoding="utf-8")
    done = _cli(tmp_path, *[a.format(dir=folder, file=folder / name) for a in command])
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and done.stdout == "" and len(lines) == 1, done.stderr
    assert says in lines[0] and str(folder / name) in lines[0], lines[0]
    assert not INTERNALS.search(lines[0]), lines[0]


@pytest.mark.parametrize(("budget", "says"), [
    ("-5", "a budget is 1 to 10^12 cycles"), ("0", "a budget is 1 to 10^12 cycles"),
    ("lots", "'lots' is not a whole number of cycles"),
    ("10000000000000", "a budget is 1 to 10^12 cycles")])
def test_a_budget_that_is_not_a_number_of_cycles_is_refused(tmp_path, budget, says):
    # it used to be taken silently as "no budget given" (50 M cycles)
    done = _cli(tmp_path, "run", str(HELLO), "--budget", budget)
    assert done.returncode == 2 and says in done.stderr and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1
