"""How long a text-size step, a theme switch and a language switch take in the real app, with
every view built (the map, the lab with a level and its tabs, a quiz question, the review, a
sandbox run, the progress charts, the settings).

Each change is timed from the setting to the repainted window: the setting applied, the events
it posted handled, the window painted. The app runs on the platform Qt picks, so
`QT_QPA_PLATFORM=offscreen` measures it headless and `xvfb-run` in a real window. Prints the
median and the slowest of each kind of change, in ms:

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/appearance_timing.py
    xvfb-run -a -s "-screen 0 1440x900x24" .venv/bin/python scripts/appearance_timing.py

A sandbox of its own: progress goes to a temporary home, never to the learner's.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time

CHANGES = {
    "text size": ("font_scale", (1.25, 1.5, 2.0, 1.75, 1.0)),
    "theme": ("theme", ("dark", "light")),
    "language": ("language", ("ko", "en")),
}


def settle(app) -> None:
    from PySide6.QtCore import QCoreApplication

    for _ in range(3):
        QCoreApplication.sendPostedEvents()
        app.processEvents()


def every_view(window, app, level: str) -> None:
    """Build every view in the state that has the most widgets."""
    from virtquest.gui.qt_sandbox import DEBUG_TAB

    window.open_level(level)
    lab = window.views["lab"].view
    lab.wait()
    settle(app)
    for index in range(lab.tabs.count()) if hasattr(lab, "tabs") else ():
        lab.tabs.setCurrentIndex(index)
        settle(app)
    quiz = window.show_view("quiz")
    quiz.start(seed=2024)
    window.show_view("review")
    sandbox = window.show_view("sandbox")
    sandbox.run()
    sandbox.wait()
    settle(app)
    for index in range(sandbox.tabs.count()):
        sandbox.tabs.setCurrentIndex(index)
        settle(app)
    sandbox.tabs.setCurrentIndex(DEBUG_TAB)
    for key in ("progress", "settings", "map"):
        window.show_view(key)
        settle(app)


def measure(window, app, key: str, value: object) -> float:
    start = time.perf_counter()
    window.session.set_setting(key, value)
    settle(app)
    window.repaint()
    settle(app)
    return (time.perf_counter() - start) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="times through every change")
    parser.add_argument("--view", default="lab", help="the view shown while changing")
    parser.add_argument("--level", default="ch3-popf", help="the level open in the lab")
    parser.add_argument("--size", default="1024x700", help="window size, WxH")
    parser.add_argument("--json", action="store_true", help="one JSON object instead of a table")
    args = parser.parse_args()
    os.environ.setdefault("VIRTQUEST_HOME", tempfile.mkdtemp(prefix="vq-timing-"))

    from virtquest.gui.app import build_window, make_app
    from virtquest.gui.models import load_content
    from virtquest.progress.store import open_store

    app = make_app()
    width, height = (int(n) for n in args.size.split("x"))
    with open_store() as store:
        window = build_window(store, load_content(), remember=False,
                              overrides={"language": "en", "theme": "light", "font_scale": 1.0,
                                         "lab_tour": "done"})
        window.resize(width, height)
        window.show()
        settle(app)
        every_view(window, app, args.level)
        window.show_view(args.view)
        settle(app)
        measure(window, app, "font_scale", 1.1)        # warm: first-use caches
        measure(window, app, "font_scale", 1.0)
        times: dict[str, list[float]] = {name: [] for name in CHANGES}
        for _ in range(args.rounds):
            for name, (key, values) in CHANGES.items():
                for value in values:
                    times[name].append(measure(window, app, key, value))
        window.close()
        settle(app)
    result = {name: {"median_ms": round(statistics.median(t), 1), "max_ms": round(max(t), 1),
                     "n": len(t)} for name, t in times.items()}
    result["platform"] = app.platformName()
    if args.json:
        print(json.dumps(result))
    else:
        print(f"platform {result['platform']}, view {args.view}, {args.size}")
        for name in CHANGES:
            row = result[name]
            print(f"{name:10} median {row['median_ms']:7.1f} ms   max {row['max_ms']:7.1f} ms"
                  f"   ({row['n']} changes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
