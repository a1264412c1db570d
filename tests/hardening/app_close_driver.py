"""Run the real app (`virtquest.gui.app.run_app`, as `virtquest` does) and close its main window
while work is going on. Used by test_app_close.py, in a process of its own; prints one JSON line
about what was still running once `run_app` had returned.

    python -m tests.hardening.app_close_driver QUESTION_ID LEVEL_ID WHEN

WHEN is "loading": close at once, while the content still loads on its thread; or "running":
once the content is there, record an answer through the window, open a level (the lab runs it
under its modes on its worker) and start an endless program in the sandbox (every mode, the
largest cycle budget, on another worker), then close the window while those runs go on.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time


def os_thread_names() -> list[str]:
    """For the report only: Qt keeps idle threads of its own (image and font work)."""
    names = []
    for task in sorted(os.listdir("/proc/self/task")):
        try:
            with open(f"/proc/self/task/{task}/comm", encoding="utf-8") as comm:
                names.append(comm.read().strip())
        except OSError:
            pass
    return names


def main() -> int:
    question_id, level_id, when = sys.argv[1:4]
    from PySide6.QtCore import QThreadPool, QTimer
    from PySide6.QtWidgets import QApplication

    from virtquest.gui.app import make_app, run_app
    from virtquest.gui.main_window import MainWindow

    make_app()   # the one QApplication; run_app uses it
    report: dict[str, object] = {"baseline_python_threads": threading.active_count()}

    def window() -> MainWindow:
        return next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))

    def drive() -> None:
        main_window = window()
        if when == "loading":
            report["loading_before_close"] = not main_window.session.loaded
            close(main_window)
            return
        if not main_window.session.loaded:
            QTimer.singleShot(20, drive)
            return
        main_window.session.answer(question_id, True)     # committed during this session
        main_window.open_level(level_id)                     # the lab runs it at once
        sandbox = main_window.show_view("sandbox")
        sandbox.editor.setPlainText("main:\nforever:\n    jmp forever\n")
        sandbox.budget.setCurrentIndex(sandbox.budget.count() - 1)
        sandbox.run()
        QTimer.singleShot(300, lambda: close(main_window, sandbox))

    def close(main_window: MainWindow, sandbox=None) -> None:
        if sandbox is not None:
            report["sandbox_busy_before_close"] = sandbox.worker.busy
        report["python_threads_running_before_close"] = len(sys._current_frames()) - 1
        started = time.monotonic()
        main_window.close()
        report["close_seconds"] = time.monotonic() - started

    QTimer.singleShot(0, drive)
    report["status"] = run_app()
    # Right away: any thread still running Python code (a run, a content load) shows here.
    report["python_threads_running"] = len(sys._current_frames()) - 1
    report["python_threads"] = threading.active_count()
    report["global_pool_active"] = QThreadPool.globalInstance().activeThreadCount()
    report["os_threads"] = os_thread_names()
    print(json.dumps(report), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
