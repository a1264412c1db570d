"""Closing the whole app mid-run (docs/security.md: bad timing never loses data). The real app runs
in a process of its own (`app_close_driver.py` starts it as `virtquest` does), with progress already
in its database; its main window is closed while the content loads, or while a lab run and an
endless sandbox run go on their worker threads. Nothing committed is lost, the database passes its
integrity check, no thread is left running, and no process is left behind."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from virtquest.progress.paths import DATABASE_FILENAME
from virtquest.progress.store import open_store

ROOT = Path(__file__).resolve().parents[2]
QUESTION = "bt.what-it-does"       # shipped content: answered through the window
LEVEL = "ch1-hot-loop"             # opened in the lab, which runs it at once
EARLIER_QUESTION = "pv.definition"
TIMEOUT = 120


def record_earlier_progress(database: Path) -> None:
    with open_store(database) as store:
        profile = store.current_profile_id()
        store.record_quiz_answer(profile, EARLIER_QUESTION, True)
        store.record_attempt(profile, LEVEL, {"hot": "cpu"}, "trap-emulate", cycles=1234,
                             stars=2)


def processes_with(marker: str) -> list[int]:
    """Every process (but this one) whose environment holds the marker: the app's, and any it
    might have started."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if marker.encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.mark.parametrize("when", ["running", "loading"])
def test_closing_the_app_mid_run_loses_nothing_and_leaves_nothing_running(tmp_path, when):
    home = tmp_path / "home"
    home.mkdir()
    database = home / DATABASE_FILENAME
    record_earlier_progress(database)
    marker = f"VIRTQUEST_CLOSE_TEST={uuid.uuid4()}"
    env = dict(os.environ, VIRTQUEST_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    env[marker.split("=")[0]] = marker.split("=")[1]
    done = subprocess.run(
        [sys.executable, "-m", "tests.hardening.app_close_driver", QUESTION, LEVEL, when],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT,
        stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr[-3000:]
    for words in ("Traceback", "Error calling Python override", "has been deleted"):
        assert words not in done.stderr, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["status"] == 0

    # The close really came mid-work, and nothing of that work outlived the app.
    if when == "running":
        assert report["sandbox_busy_before_close"], "the endless run was going"
    else:
        assert report["loading_before_close"], "the content was still loading"
    assert report["close_seconds"] < 10, "closing waits for cancelled runs, not for budgets"
    assert report["python_threads_running"] == 0, report
    assert report["python_threads"] == report["baseline_python_threads"], report
    assert report["global_pool_active"] == 0, report
    assert processes_with(marker) == [], "a process was left behind"

    # Nothing committed is lost, and the database is sound.
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        answered = {row[0] for row in db.execute("SELECT question_id FROM quiz_answers")}
        attempts = db.execute("SELECT level_id, cycles, stars FROM attempts").fetchall()
    assert EARLIER_QUESTION in answered
    assert (LEVEL, 1234, 2) in attempts
    if when == "running":
        assert QUESTION in answered, "the answer given in the window was committed"
    with open_store(database) as store:
        assert not store.warnings, "no damage found, nothing set aside"
