"""The step debugger: step, run, pause, reset, step back through one guest under one mode, the
code with the next instruction marked beside the machine (qt_debugger_state.py); and the page
that makes a debugger for the mode chosen."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from virtquest.emu.boot import kernel_source
from virtquest.emu.errors import VirtQuestError
from virtquest.game.comments import shown_source
from virtquest.game.debugger_model import CpuState, Stepper
from virtquest.gui.i18n import fill
from virtquest.gui.layouts import AdaptiveSplitter, FlowLayout, shrinkable
from virtquest.gui.messages import message_text
from virtquest.gui.qt_debugger_state import MachinePanel
from virtquest.gui.qt_editor import CodeEditor
from virtquest.gui.qt_timeline import ModeChooser
from virtquest.gui.workers import Worker
from virtquest.hv.registry import mode_title

STATE_COLUMNS = 36      # the registers panel is this many characters wide (follows the text size)
CODE_COLUMNS = 30       # the code beside it at least this many


class DebuggerView(QWidget):
    """Steps one guest under one mode. Long moves (run, step back) go to a worker; a single
    step runs here, on the UI thread (one instruction)."""

    state_changed = Signal()

    def __init__(self, stepper: Stepper, *, language: str = "en",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.language = language
        self.stepper = stepper
        self.worker = Worker(self)
        self.worker.busy_changed.connect(self._set_busy)
        self._previous: CpuState | None = None
        self._build()
        self._shortcuts()
        self.retranslate()
        self.set_stepper(stepper)

    # -- building ----------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.addLayout(self._toolbar())
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.mode_label = QLabel()
        line = QHBoxLayout()
        line.addWidget(self.status, 1)
        line.addWidget(self.mode_label)
        layout.addLayout(line)
        # Code beside the registers when both fit, the registers below the code when not.
        self.splitter = splitter = AdaptiveSplitter((CODE_COLUMNS, STATE_COLUMNS))
        splitter.addWidget(self._code_tabs())
        self.state_panel = MachinePanel()
        splitter.addWidget(self.state_panel)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter, 1)

    def _toolbar(self) -> FlowLayout:
        bar = FlowLayout()
        self.buttons: dict[str, QPushButton] = {}
        for name, slot in (("reset", self.reset), ("back", self.step_back), ("step", self.step),
                           ("run", self.run), ("pause", self.pause),
                           ("entry", self.run_to_program)):
            button = QPushButton()
            button.clicked.connect(slot)
            bar.addWidget(button)
            self.buttons[name] = button
        return bar

    def retranslate(self) -> None:
        """Every fixed word in the UI language (again after a LanguageChange)."""
        for name, text, tip in (
            ("reset", self.tr("Reset"), self.tr("Back to the first instruction (Ctrl+R)")),
            ("back", self.tr("◀ Step back"), self.tr("Undo one step by replaying the run (F9)")),
            ("step", self.tr("Step ▶"), self.tr("Execute one instruction (F10)")),
            ("run", self.tr("Run"), self.tr("Run until the guest stops or you pause (F5)")),
            ("pause", self.tr("Pause"), self.tr("Stop running here (F6)")),
            ("entry", self.tr("Run to the program"),
             self.tr("Run through the mini-OS boot to the program's first instruction")),
        ):
            self.buttons[name].setText(text)
            self.buttons[name].setToolTip(tip)
        self.code_tabs.setTabText(0, self.tr("Program"))
        if self.kernel_view is not None:
            self.code_tabs.setTabText(1, self.tr("mini-OS"))
        self.state_panel.retranslate()

    def _shortcuts(self) -> None:
        for keys, slot in (("F10", self.step), ("F9", self.step_back), ("F5", self.run),
                           ("F6", self.pause), ("Ctrl+R", self.reset)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    def _code_tabs(self) -> QTabWidget:
        self.code_tabs = QTabWidget()
        self.program_view = CodeEditor(language=self.language, read_only=True)
        self.kernel_view: CodeEditor | None = None
        self.code_tabs.addTab(self.program_view, "")
        return self.code_tabs

    # -- the model ---------------------------------------------------------------------------
    def set_stepper(self, stepper: Stepper) -> None:
        """Debug another guest (the lab's choices changed, the sandbox's source changed)."""
        self.worker.cancel()
        self.stepper = stepper
        self._previous = None
        self._show_program()
        self._ensure_kernel_tab()
        self.mode_label.setText(self._mode_text())
        self.refresh()

    def set_language(self, language: str) -> None:
        """Content (mode titles, instruction help) in `language`."""
        self.language = language
        for editor in (self.program_view, self.kernel_view):
            if editor is not None:
                editor.language = language
        self.mode_label.setText(self._mode_text())
        self._show_program()
        if not self.worker.busy:
            self._show_location(self.stepper.state())

    def _show_program(self) -> None:
        """The program with its comments in the learner's language (rows keep line numbers)."""
        shown = shown_source(self.stepper.guest.program.source, self.language)
        self.program_view.set_text(shown.text, shown.line_numbers)

    def _mode_text(self) -> str:
        return fill(self.tr("Mode: %1"), mode_title(self.stepper.mode, self.language))

    def _ensure_kernel_tab(self) -> None:
        has_kernel = self.stepper.guest.kernel is not None
        if has_kernel and self.kernel_view is None:
            self.kernel_view = CodeEditor(kernel_source(), language=self.language, read_only=True)
            self.code_tabs.addTab(self.kernel_view, self.tr("mini-OS"))
        if self.kernel_view is not None:
            self.code_tabs.setTabVisible(1, has_kernel)
        self.buttons["entry"].setVisible(has_kernel)

    # -- actions -----------------------------------------------------------------------------
    def step(self) -> None:
        if self.worker.busy:
            return
        self.stepper.step(1)
        self.refresh()

    def step_back(self) -> None:
        if self.worker.busy or self.stepper.steps == 0:
            return
        stepper = self.stepper
        self._start(lambda cancel: stepper.step_back(cancel.is_set), self.tr("Replaying…"))

    def run(self) -> None:
        if self.worker.busy or self.stepper.stopped:
            return
        stepper = self.stepper
        self._start(lambda cancel: stepper.run(cancel.is_set), self.tr("Running…"))

    def run_to_program(self) -> None:
        if self.worker.busy or self.stepper.stopped:
            return
        stepper = self.stepper
        self._start(lambda cancel: stepper.run_to_entry(cancel.is_set),
                    self.tr("Booting the mini-OS…"))

    def pause(self) -> None:
        self.worker.cancel()

    def reset(self) -> None:
        if self.worker.busy:
            return
        self.stepper.reset()
        self._previous = None
        self.refresh()

    def _start(self, job, message: str) -> None:
        self.status.setText(message)
        self.worker.submit(job, on_success=lambda _r: self.refresh(),
                           on_failure=self._failed, on_cancel=self.refresh)

    def _failed(self, exc: BaseException) -> None:
        self.refresh()
        self.status.setText(fill(self.tr("The run failed: %1"), exc))

    def _set_busy(self, busy: bool) -> None:
        self.state_panel.busy = busy
        for name in ("reset", "back", "step", "run", "entry"):
            self.buttons[name].setEnabled(not busy)
        self.buttons["pause"].setEnabled(busy)

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Block until the worker is idle (for scripts and tests)."""
        timer = QElapsedTimer()
        timer.start()
        while self.worker.pending and timer.elapsed() < timeout_ms:
            QCoreApplication.processEvents()
        QCoreApplication.processEvents()
        return not self.worker.pending

    def shutdown(self) -> None:
        self.worker.shutdown()

    def closeEvent(self, event) -> None:  # noqa: N802
        self.shutdown()
        super().closeEvent(event)

    # -- showing -----------------------------------------------------------------------------
    def refresh(self) -> None:
        """Show the machine as it is (never while a worker moves it)."""
        if self.worker.busy:
            return
        state = self.stepper.state()
        self.state_panel.show_state(self.stepper, state, self._previous)
        self._show_location(state)
        self.status.setText(self._status_text(state))
        self.buttons["back"].setEnabled(state.steps > 0)
        self.buttons["pause"].setEnabled(False)
        self._previous = state
        self.state_changed.emit()

    def _status_text(self, state: CpuState) -> str:
        if state.stop:
            return fill(self.tr("Stopped after %1 steps: %2"), f"{state.steps:,}",
                        message_text(state.stop.detail))
        return fill(self.tr("Step %1 · next instruction at %2"), f"{state.steps:,}",
                    f"{state.eip:#010x}")

    def _show_location(self, state: CpuState) -> None:
        source = self.stepper.source_line(state.eip)
        self.program_view.set_execution_line(None)
        if self.kernel_view is not None:
            self.kernel_view.set_execution_line(None)
        if source is None:
            return
        if source.where == "kernel" and self.kernel_view is not None:
            self.kernel_view.set_execution_line(source.line)
            self.code_tabs.setCurrentWidget(self.kernel_view)
        elif source.where == "program":
            self.program_view.set_execution_line(self.program_view.row_for(source.line))
            self.code_tabs.setCurrentWidget(self.program_view)

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.mode_label.setText(self._mode_text())
            if not self.worker.busy:
                self.status.setText(self._status_text(self.stepper.state()))
        super().changeEvent(event)


class DebuggerPage(QWidget):
    """A debugger with a mode chooser; `make_stepper(mode)` builds the guest to step, again
    whenever the page is shown after `invalidate()` (the program or the choices changed)."""

    failed = Signal(object)

    def __init__(self, modes: list[str], make_stepper: Callable[[str], Stepper], *,
                 language: str = "en", default: str | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.make_stepper, self.language = make_stepper, language
        self.mode = ModeChooser(modes, language, default)
        shrinkable(self.mode)
        self.mode.currentIndexChanged.connect(lambda _i: self.invalidate())
        self.debugger: DebuggerView | None = None
        self.holder = QStackedWidget()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.holder.addWidget(self.message)
        layout = QVBoxLayout(self)
        layout.addLayout(self.mode.row)
        layout.addWidget(self.holder, 1)
        self._dirty = True

    def invalidate(self) -> None:
        self._dirty = True
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        if not self._dirty:
            return
        self._dirty = False
        try:
            stepper = self.make_stepper(self.mode.currentData())
        except VirtQuestError as exc:
            self.message.setText(str(exc))
            self.holder.setCurrentWidget(self.message)
            self.failed.emit(exc)
            return
        if self.debugger is None:
            self.debugger = DebuggerView(stepper, language=self.language)
            self.debugger.mode_label.hide()          # the chooser above says it
            self.holder.addWidget(self.debugger)
        else:
            self.debugger.set_stepper(stepper)
        self.holder.setCurrentWidget(self.debugger)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self.refresh()

    def set_language(self, language: str) -> None:
        self.language = language
        self.mode.set_language(language)
        if self.debugger is not None:
            self.debugger.set_language(language)

    def shutdown(self) -> None:
        if self.debugger is not None:
            self.debugger.shutdown()
