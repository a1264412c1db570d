"""The worker runs jobs off the UI thread and ends each in success, failure or cancel."""

from __future__ import annotations

import os
import threading
import time

import pytest

from virtquest.gui.workers import Worker


def os_threads() -> int:
    return len(os.listdir("/proc/self/task"))


def settle_threads(limit: int, timeout: float = 3.0) -> int:
    deadline = time.monotonic() + timeout
    while os_threads() > limit and time.monotonic() < deadline:
        time.sleep(0.02)
    return os_threads()


def test_success_runs_off_the_ui_thread_and_calls_back_on_it(qtbot):
    worker = Worker()
    seen = {}

    def job(cancel):
        seen["thread"] = threading.current_thread() is threading.main_thread()
        return 42

    with qtbot.waitSignal(worker.succeeded, timeout=5000) as blocker:
        worker.submit(job, on_success=lambda r: seen.setdefault("result", r))
    assert blocker.args == [42]
    assert seen == {"thread": False, "result": 42}
    assert not worker.busy
    worker.shutdown()


def test_failure_reaches_the_failure_callback(qtbot):
    worker = Worker()
    errors = []

    def job(cancel):
        raise ValueError("bad program")

    with qtbot.waitSignal(worker.failed, timeout=5000):
        worker.submit(job, on_failure=errors.append)
    assert isinstance(errors[0], ValueError)
    worker.shutdown()


def test_cancel_stops_a_long_job_and_calls_on_cancel(qtbot):
    worker = Worker()
    started = threading.Event()
    cancelled = []

    def job(cancel):
        started.set()
        while not cancel.wait(0.01):
            pass
        return "stopped"

    worker.submit(job, on_success=lambda r: pytest.fail("a cancelled job must not succeed"),
                  on_cancel=lambda: cancelled.append(True))
    assert started.wait(5)
    with qtbot.waitSignal(worker.cancelled, timeout=5000):
        worker.cancel()
    assert cancelled == [True]
    worker.shutdown()


def test_latest_only_drops_the_results_of_older_requests(qtbot):
    worker = Worker(latest_only=True)
    results = []

    def slow(value):
        def job(cancel):
            cancel.wait(0.3)
            return value
        return job

    worker.submit(slow("old"), on_success=results.append)
    worker.submit(slow("older is superseded"), on_success=results.append)
    with qtbot.waitSignal(worker.succeeded, timeout=5000):
        worker.submit(slow("new"), on_success=results.append)
    qtbot.waitUntil(lambda: worker.pending == 0, timeout=5000)
    assert results == ["new"]
    worker.shutdown()


def test_shutdown_cancels_the_running_job_and_leaves_no_thread(qtbot):
    before = os_threads()
    worker = Worker()
    started = threading.Event()

    def forever(cancel):
        started.set()
        while not cancel.is_set():
            time.sleep(0.001)

    worker.submit(forever)
    assert started.wait(5)
    assert os_threads() > before
    assert worker.shutdown(timeout_ms=5000)
    assert settle_threads(before) <= before
    with pytest.raises(RuntimeError):
        worker.submit(forever)
