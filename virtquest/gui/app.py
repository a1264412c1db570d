"""The application object and the main window (the views arrive with the GUI work)."""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QVBoxLayout, QWidget

from virtquest import __version__
from virtquest.gui.fonts import INSTALL_HINT, hangul_font_family


class MainWindow(QMainWindow):
    """The top-level window: the product's name and, for now, a welcome."""

    def __init__(self, korean_font: str | None):
        super().__init__()
        self.setWindowTitle(f"VirtQuest {__version__}")
        self.resize(1100, 720)
        body = QWidget()
        layout = QVBoxLayout(body)
        title = QLabel("VirtQuest")
        title.setObjectName("title")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setStyleSheet("font-size: 32pt; font-weight: bold;")
        if korean_font:
            text = "가상화를 직접 돌려 보며 배우기 — Learn virtualization by running it"
        else:
            text = ("Learn virtualization by running it.\nNo font on this computer can show "
                    f"Korean; the app stays in English until one is installed:\n{INSTALL_HINT}")
        subtitle = QLabel(text)
        subtitle.setObjectName("subtitle")
        subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(1)
        layout.addWidget(title)
        layout.addWidget(subtitle)
        layout.addStretch(2)
        self.setCentralWidget(body)


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("VirtQuest")
    app.setApplicationVersion(__version__)
    return app


def run_app() -> int:
    app = make_app()
    window = MainWindow(hangul_font_family())
    window.show()
    if os.environ.get("VIRTQUEST_STARTUP_PROBE"):
        # `virtquest bench` measures start-up: quit as soon as the window is up.
        QTimer.singleShot(0, app.quit)
    return app.exec()
