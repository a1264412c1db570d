"""Runs long work off the UI thread on a QThreadPool, with cancel, success and failure callbacks."""

from __future__ import annotations

import contextlib
import itertools
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

# A job is a callable taking a threading.Event; it passes `cancel.is_set` as `cancel=` to
# Machine.run / run_modes, so it stops within a few hundred instructions of a cancel. Only a
# job's id crosses threads in a signal: the result waits on the Job until the UI thread collects
# it, and the QRunnable is released on the UI thread too.
JobFn = Callable[[threading.Event], Any]
_ids = itertools.count(1)

# How long a job computing in Python may keep the interpreter before the UI thread, asking for it,
# gets it (Python's default is 5 ms). PySide may take the interpreter for every Qt event that could
# reach Python code (an override check), so while a run computes, the UI thread waits up to this
# long per such event: at 5 ms, a burst of a thousand events (a window activated) froze the UI for
# seconds. Idle, the UI thread asks for nothing and a job loses nothing.
UI_SWITCH_INTERVAL = 0.0002


@dataclass
class Job:
    """One submitted piece of work: its id, its cancel flag, its outcome and its callbacks."""

    id: int
    cancel: threading.Event = field(default_factory=threading.Event)
    on_success: Callable[[Any], None] | None = field(default=None, repr=False)
    on_failure: Callable[[BaseException], None] | None = field(default=None, repr=False)
    on_cancel: Callable[[], None] | None = field(default=None, repr=False)
    superseded: bool = False
    result: Any = field(default=None, repr=False)
    error: BaseException | None = field(default=None, repr=False)
    task: QRunnable | None = field(default=None, repr=False)


class _Relay(QObject):
    """Tells the worker, on the UI thread, that the job with this id has ended."""

    ended = Signal(int)


class _Task(QRunnable):
    def __init__(self, job: Job, fn: JobFn, relay: _Relay):
        super().__init__()
        self.job, self.fn, self.relay = job, fn, relay
        self.setAutoDelete(False)      # the Job holds it; it is let go on the UI thread

    def run(self) -> None:
        job = self.job
        try:
            if not job.cancel.is_set():
                job.result = self.fn(job.cancel)
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the UI
            job.error = exc
        # Its worker may be gone (a shutdown that timed out): then nobody waits for this job.
        with contextlib.suppress(RuntimeError):
            self.relay.ended.emit(job.id)


class Worker(QObject):
    """Submit callables to run off the UI thread, in order; each ends in exactly one of success,
    failure or cancel (unless a newer request superseded it, under `latest_only`)."""

    started = Signal()
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, *, latest_only: bool = False):
        super().__init__(parent)
        sys.setswitchinterval(min(sys.getswitchinterval(), UI_SWITCH_INTERVAL))
        self.latest_only = latest_only
        self._pool: QThreadPool | None = QThreadPool()
        self._pool.setMaxThreadCount(1)          # in order; a superseded run frees it quickly
        self._pool.setExpiryTimeout(5000)
        self._relay = _Relay(self)
        self._relay.ended.connect(self._on_ended, Qt.ConnectionType.QueuedConnection)
        self._jobs: dict[int, Job] = {}
        self._closed = False
        self._was_busy = False

    # -- submitting ------------------------------------------------------------------------
    def submit(self, fn: JobFn, on_success: Callable[[Any], None] | None = None,
               on_failure: Callable[[BaseException], None] | None = None,
               on_cancel: Callable[[], None] | None = None) -> Job:
        """Run `fn(cancel_event)` off the UI thread; the callbacks run on the UI thread."""
        if self._closed or self._pool is None:
            raise RuntimeError("this worker has been shut down")
        if self.latest_only:
            self._supersede()
        job = Job(next(_ids), on_success=on_success, on_failure=on_failure, on_cancel=on_cancel)
        job.task = _Task(job, fn, self._relay)
        self._jobs[job.id] = job
        self._pool.start(job.task)
        self.started.emit()
        self._update_busy()
        return job

    def _supersede(self) -> None:
        for job in self._jobs.values():
            job.superseded = True
            job.cancel.set()

    def cancel(self) -> None:
        """Ask every job to stop; each ends with its cancel callback."""
        for job in self._jobs.values():
            job.cancel.set()

    @property
    def busy(self) -> bool:
        return any(not job.superseded for job in self._jobs.values())

    @property
    def pending(self) -> int:
        """Jobs submitted and not yet collected (superseded ones included: they still run)."""
        return len(self._jobs)

    @property
    def active_threads(self) -> int:
        return self._pool.activeThreadCount() if self._pool is not None else 0

    # -- ending ----------------------------------------------------------------------------
    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Cancel everything, wait for the jobs and end the pool's threads. True if in time."""
        if self._pool is None:
            return True
        self._closed = True
        for job in self._jobs.values():
            job.superseded = True
            job.cancel.set()
        finished = self._pool.waitForDone(timeout_ms)
        if finished:
            self._pool = None      # deleting the pool joins its idle threads
        self._jobs.clear()
        return finished

    @Slot(int)
    def _on_ended(self, job_id: int) -> None:
        job = self._jobs.pop(job_id, None)
        if job is None or self._closed:
            return
        job.task = None
        self._update_busy()
        if not job.superseded:
            self._report(job)

    def _report(self, job: Job) -> None:
        if job.cancel.is_set():
            self._call(job.on_cancel)
            self.cancelled.emit()
        elif job.error is not None:
            self._call(job.on_failure, job.error)
            self.failed.emit(job.error)
        else:
            self._call(job.on_success, job.result)
            self.succeeded.emit(job.result)

    def _update_busy(self) -> None:
        busy = self.busy
        if busy != self._was_busy:
            self._was_busy = busy
            self.busy_changed.emit(busy)

    @staticmethod
    def _call(callback: Callable | None, *args: Any) -> None:
        if callback is not None:
            callback(*args)
