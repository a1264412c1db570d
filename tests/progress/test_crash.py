"""A process killed (SIGKILL) in the middle of writing loses no committed row and no integrity."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from virtquest.progress.store import open_store

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 5
TIME_BUDGET_S = 30.0

# The child commits an attempt and its XP event together, then prints the attempt's id.
WRITER = """
from virtquest.progress.store import open_store
store = open_store()
pid = store.current_profile_id()
i = 0
while True:
    with store.transaction():
        done = store.record_attempt(pid, f"ch1-level-{i % 40}", {"s": "cpu"}, "native", i, i % 4)
        store.add_xp(pid, 1, "quiz_wrong", ref=f"attempt:{done.attempt_id}")
    print(done.attempt_id, flush=True)
    i += 1
"""


def committed_ids(log: Path) -> list[int]:
    """Ids on complete lines only: a line cut off by the kill was never fully printed."""
    text = log.read_text()
    lines = text.split("\n")[:-1]  # the part after the last newline is incomplete
    return [int(line) for line in lines]


def wait_for_first_line(log: Path, child: subprocess.Popen, deadline: float) -> None:
    while "\n" not in log.read_text():
        assert child.poll() is None, "the writer died on its own"
        assert time.monotonic() < deadline, "the writer never committed"
        time.sleep(0.01)


def kill_writer_at_random(tmp_path: Path, round_no: int, rng: random.Random, deadline: float):
    log = tmp_path / f"round-{round_no}.log"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with log.open("w") as out:
        child = subprocess.Popen([sys.executable, "-c", WRITER], stdout=out, env=env, cwd=ROOT)
    try:
        wait_for_first_line(log, child, deadline)
        delay = rng.uniform(0.0, 0.3)
        time.sleep(delay)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    return committed_ids(log), delay


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_sigkill_during_writes_loses_nothing_committed(tmp_path, db_path):
    rng = random.Random()
    deadline = time.monotonic() + TIME_BUDGET_S
    seen: list[int] = []
    for round_no in range(ROUNDS):
        ids, delay = kill_writer_at_random(tmp_path, round_no, rng, deadline)
        seen += ids
        with open_store() as store:
            assert store.warnings == (), f"round {round_no} (killed after {delay:.3f}s)"
            pid = store.current_profile_id()
            kept = {a.id for a in store.attempts(pid)}
            refs = {e.ref for e in store.xp_events(pid)}
            assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        missing = [i for i in seen if i not in kept]
        assert not missing, f"round {round_no}: committed ids lost {missing[:5]}"
        # each transaction is whole: an attempt never lacks its XP event, nor the reverse
        assert refs == {f"attempt:{i}" for i in kept}
        if time.monotonic() > deadline:
            break
    assert len(seen) >= ROUNDS
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
