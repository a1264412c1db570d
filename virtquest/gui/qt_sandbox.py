"""The sandbox: edit any program, run it under every mode on a worker, compare, trace, step."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from virtquest.content.profiles import load_profile
from virtquest.emu.boot import kernel_source
from virtquest.emu.errors import AssemblyError, VirtQuestError
from virtquest.game.debugger_model import Stepper
from virtquest.game.sandbox_model import (
    BUDGETS,
    SandboxModel,
    SandboxReport,
    run_everywhere,
    starter,
)
from virtquest.game.timeline_model import traced_run
from virtquest.gui.i18n import current_language, fill
from virtquest.gui.layouts import AdaptiveSplitter, FlowLayout, shrinkable
from virtquest.gui.messages import message_text
from virtquest.gui.qt_compare import CompareChart
from virtquest.gui.qt_debugger import DebuggerPage
from virtquest.gui.qt_editor import CodeEditor, InstructionLegend
from virtquest.gui.qt_sandbox_results import ResultsPage
from virtquest.gui.qt_timeline import TracePage
from virtquest.gui.widgets import FitArea
from virtquest.gui.workers import Worker
from virtquest.hv.registry import mode_ids

TIMELINE_TAB, DEBUG_TAB = 2, 3    # the tabs after the results and the comparison
PROGRAM_COLUMNS = 28     # the program beside the results only when it gets this many characters
RESULT_COLUMNS = 28      # … and the results this many
class SandboxView(QWidget):
    """Edit, run under every mode, compare. Built from a SandboxModel."""

    run_finished = Signal(object)     # SandboxReport
    run_failed = Signal(object)       # the exception
    run_cancelled = Signal()

    def __init__(self, model: SandboxModel | None = None, *, language: str = "en",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model if model is not None else SandboxModel()
        self.language = language
        self.follow_app_language = False
        self.worker = Worker(self)
        self.worker.busy_changed.connect(self._show_busy)
        self.kernel_view: CodeEditor | None = None
        self._prompt = ""
        QCoreApplication.instance().aboutToQuit.connect(self.shutdown)   # no run outlives the app
        self._build()
        self._shortcuts()
        self.editor.setPlainText(self.model.source)
        self.editor.textChanged.connect(self._edited)
        self.retranslate()
        self._show_busy(False)

    # -- building ----------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.addLayout(self._toolbar())
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)
        # The program beside the results; above them when the two do not fit side by side.
        self.splitter = splitter = AdaptiveSplitter((PROGRAM_COLUMNS, RESULT_COLUMNS))
        splitter.addWidget(self._source_tabs())
        splitter.addWidget(self._result_tabs())
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([500, 500])          # half each, whatever the table would like
        layout.addWidget(splitter, 1)

    def _toolbar(self) -> FlowLayout:
        """Run first, then files, then the run's settings; the row wraps when it is too narrow
        (large text, a narrow window) instead of widening the window."""
        bar = FlowLayout()
        self.open_button = QToolButton()
        self.open_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.open_button.clicked.connect(self.choose_file)
        self.examples_menu = QMenu(self)
        for path in self.model.examples():
            action = self.examples_menu.addAction(path.name)
            action.triggered.connect(lambda _c=False, p=path: self.open_file(p, example=True))
        self.open_button.setMenu(self.examples_menu)
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.save)
        self.profile_label, self.budget_label = QLabel(), QLabel()
        self.profile = shrinkable(QComboBox(), 8)
        self.profile.addItems(self.model.profiles())
        self.profile.setCurrentText(self.model.profile)
        self.profile_label.setBuddy(self.profile)
        self.budget = shrinkable(QComboBox(), 10)
        for cycles in BUDGETS:
            self.budget.addItem(f"{cycles:,}", cycles)
        self.budget.setCurrentIndex(BUDGETS.index(self.model.budget))
        self.budget_label.setBuddy(self.budget)
        self.run_button = QPushButton()
        self.run_button.setProperty("role", "primary")
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.cancel)
        for widget in (self.run_button, self.cancel_button, self.open_button, self.save_button,
                       _pair(self.profile_label, self.profile),
                       _pair(self.budget_label, self.budget)):
            bar.addWidget(widget)
        return bar

    def _shortcuts(self) -> None:
        for keys, slot in (("Ctrl+Return", self.run), ("Escape", self.cancel),
                           ("Ctrl+S", self.save), ("Ctrl+O", self.choose_file)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    def _source_tabs(self) -> QWidget:
        self.source_tabs = QTabWidget()
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(InstructionLegend())
        self.editor = CodeEditor(language=self.language)
        column.addWidget(self.editor, 1)
        self.source_tabs.addTab(page, "")
        self.kernel_holder = QStackedWidget()
        self.source_tabs.addTab(self.kernel_holder, "")
        self.source_tabs.currentChanged.connect(self._source_tab_shown)
        return self.source_tabs

    def _result_tabs(self) -> QWidget:
        """Each page in a FitArea: a page that needs more room than the pane has (the timeline
        at 200% text, the table with its explanation) scrolls inside its tab instead of
        pushing the program aside or widening the window."""
        self.tabs = QTabWidget()
        self.results = ResultsPage(self.language)
        self.tabs.addTab(FitArea(self.results), "")
        self.compare = CompareChart(language=self.language)
        self.tabs.addTab(FitArea(self.compare), "")
        modes = mode_ids()
        self.trace_page = TracePage(modes, self._trace_job, language=self.language,
                                    default="trap-emulate")
        shrinkable(self.trace_page.mode)
        self.trace_page.instruction_activated.connect(self.show_address)
        self.trace_page.failed.connect(self.show_error)
        self.timeline = self.trace_page.timeline
        self.debug_page = DebuggerPage(modes, self._stepper, language=self.language,
                                       default="trap-emulate")
        self.debug_page.failed.connect(self.show_error)
        self.tabs.addTab(FitArea(self.trace_page), "")
        self.tabs.addTab(FitArea(self.debug_page), "")
        return self.tabs

    # -- words -------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.open_button.setText(self.tr("Open…"))
        self.open_button.setToolTip(self.tr("Open a .s file (Ctrl+O); the arrow lists examples"))
        self.save_button.setText(self.tr("Save"))
        self.save_button.setToolTip(self.tr("Save the program as a .s file (Ctrl+S)"))
        self.profile_label.setText(self.tr("&Profile:"))
        self.budget_label.setText(self.tr("&Budget:"))
        self.budget.setToolTip(self.tr("Cycles each mode may run before it is stopped "
                                       "(an endless loop stops here)"))
        self.run_button.setText(self.tr("Run under every mode"))
        self.run_button.setToolTip(self.tr("Ctrl+Enter"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop the run (Esc)"))
        self.source_tabs.setTabText(0, self.tr("Program"))
        self.source_tabs.setTabText(1, self.tr("mini-OS source (read-only)"))
        for index, name in enumerate((self.tr("Results"), self.tr("Compare modes"),
                                      self.tr("Timeline"), self.tr("Debugger"))):
            self.tabs.setTabText(index, name)
        self.results.retranslate()
        self.compare.set_note(self.results.note.text())
        if self.status.text() in ("", self._prompt):
            self._prompt = self.tr("Write a program with main:, kernel_main: or _start:, "
                                   "then run it under every mode.")
            self.status.setText(self._prompt)

    def set_language(self, language: str) -> None:
        self.language = self.results.language = language
        self.compare.language = language
        self.trace_page.set_language(language)
        self.debug_page.set_language(language)
        for editor in (self.editor, self.kernel_view):
            if editor is not None:
                editor.language = language
        model = self.model
        if model.is_untouched_starter() and model.source != starter(language):
            model.open_starter(language)                     # untouched: its comments follow
            self.editor.setPlainText(model.source)
        elif model.example is not None and not model.modified:
            model.open_example(model.example, language)      # the same: comments follow
            self.editor.setPlainText(model.source)
        self.retranslate()
        if self.model.report is not None:
            self._show_report(self.model.report)

    # -- files -------------------------------------------------------------------------------
    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open a program"),
                                              str(self.model.path or Path.home()),
                                              self.tr("VQ32 assembly (*.s);;All files (*)"))
        if path:
            self.open_file(path)

    def open_file(self, path: str | Path, *, example: bool = False) -> bool:
        """Open a file; an example opens with its comments in the UI's language, as a new
        file (saving never writes over it)."""
        try:
            if example:
                self.model.open_example(path, self.language)
            else:
                self.model.open(path)
        except VirtQuestError as exc:
            self.status.setText(str(exc))
            return False
        self.editor.set_text(self.model.source)
        self.status.setText(fill(self.tr("Opened %1."), Path(path).name))
        return True

    def save(self) -> None:
        if self.model.path is None:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the program"),
                                                  str(Path.home() / "program.s"),
                                                  self.tr("VQ32 assembly (*.s)"))
            if not path:
                return
            self.save_file(path)
        else:
            self.save_file(self.model.path)

    def save_file(self, path: str | Path) -> bool:
        try:
            saved = self.model.save(path)
        except OSError as exc:
            self.status.setText(fill(self.tr("Could not save: %1"), exc))
            return False
        self.status.setText(fill(self.tr("Saved %1."), saved))
        return True

    def _edited(self) -> None:
        self.model.edit(self.editor.toPlainText())
        self.editor.clear_error()
        self.trace_page.invalidate()
        self.debug_page.invalidate()

    # -- running -----------------------------------------------------------------------------
    def run(self) -> None:
        """Run the program under every mode on the worker."""
        if self.worker.busy:
            return
        self.model.set_run_settings(self.profile.currentText(), self.budget.currentData())
        source, file = self.model.source, self.model.file
        profile, budget = self.model.profile, self.model.budget
        self.editor.clear_error()
        self.status.setText(self.tr("Running under every mode…"))
        self.worker.submit(
            lambda cancel: run_everywhere(source, file=file, profile=profile, budget=budget,
                                          cancel=cancel.is_set),
            on_success=self._finished, on_failure=self._failed, on_cancel=self._cancelled)

    def cancel(self) -> None:
        self.worker.cancel()

    def _finished(self, report: SandboxReport) -> None:
        self.model.accept_report(report)
        self._show_report(report)
        self.trace_page.invalidate()
        self.debug_page.invalidate()
        self.run_finished.emit(report)

    def _failed(self, exc: BaseException) -> None:
        self.show_error(exc)
        self.run_failed.emit(exc)

    def _cancelled(self) -> None:
        self.status.setText(self.tr("Cancelled: the run stopped where it was."))
        self.run_cancelled.emit()

    def show_error(self, exc: BaseException) -> None:
        """An assembly error at its line and column; anything else as one line."""
        if isinstance(exc, AssemblyError):
            message = message_text(exc.detail)     # in the UI's language
            if exc.file == self.model.file:
                self.editor.set_error(exc.line, exc.column, message)
                self.source_tabs.setCurrentIndex(0)
            self.status.setText(f"{exc.file}:{exc.line}:{exc.column}: {message}")
            return
        self.status.setText(str(exc) if isinstance(exc, VirtQuestError)
                            else fill(self.tr("Unexpected error: %1"), exc))

    def _show_busy(self, busy: bool) -> None:
        self.run_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)

    def wait(self, timeout_ms: int = 60_000) -> bool:
        """Block until the workers are idle (scripts and tests)."""
        timer = QElapsedTimer()
        timer.start()
        workers = (self.worker, self.trace_page.worker)
        while any(w.pending for w in workers) and timer.elapsed() < timeout_ms:
            QCoreApplication.processEvents()
        QCoreApplication.processEvents()
        return not any(w.pending for w in workers)

    # -- results -----------------------------------------------------------------------------
    def _show_report(self, report: SandboxReport) -> None:
        self.results.show_report(report)
        self.compare.set_runs(report.runs)
        self.compare.set_note(self.results.note.text())
        native = report.native.result
        self.status.setText(fill(self.tr("Done on %1: native ran %2 cycles (%3)."),
                                 report.profile, f"{native.cycles:,}",
                                 self.results.stop_name(native.stop)))

    # -- timeline, debugger, mini-OS ---------------------------------------------------------
    def _trace_job(self, mode: str):
        """The traced run of the program as it is now (called on the UI thread)."""
        source, file, budget = self.model.source, self.model.file, self.budget.currentData()
        profile = load_profile(self.profile.currentText())
        return lambda cancel: traced_run(source, mode, file=file, profile=profile,
                                         budget=budget, cancel=cancel.is_set)

    def _stepper(self, mode: str) -> Stepper:
        return Stepper(self.model.source, mode, file=self.model.file,
                       profile=load_profile(self.profile.currentText()))

    def _source_tab_shown(self, index: int) -> None:
        if index == 1 and self.kernel_view is None:
            self.kernel_view = CodeEditor(kernel_source(), language=self.language,
                                          read_only=True)
            self.kernel_holder.addWidget(self.kernel_view)

    def show_address(self, address: int) -> None:
        """Select the instruction a timeline event came from: in the program or the mini-OS."""
        timeline = self.timeline.timeline
        source = timeline.source_line(address) if timeline is not None else None
        if source is None:
            return
        if source.where == "program":
            self.source_tabs.setCurrentIndex(0)
            self.editor.select_line(source.line)
        else:
            self.source_tabs.setCurrentIndex(1)
            self.kernel_view.select_line(source.line)

    # -- ending ------------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Cancel every run of this view and end its threads."""
        self.worker.shutdown()
        self.trace_page.shutdown()
        self.debug_page.shutdown()

    def closeEvent(self, event) -> None:  # noqa: N802
        self.shutdown()
        super().closeEvent(event)

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            if self.follow_app_language:
                self.set_language(current_language())
            else:
                self.retranslate()
        super().changeEvent(event)


def _pair(label: QLabel, field: QWidget) -> QWidget:
    """A label and its field, kept on one line of a wrapping toolbar."""
    pair = QWidget()
    row = QHBoxLayout(pair)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(label)
    row.addWidget(field)
    return pair


def create_view(learner) -> SandboxView:
    """The main window's registry entry: content follows the app's language."""
    language = current_language()
    view = SandboxView(SandboxModel(source=starter(language)), language=language)
    view.follow_app_language = True
    return view
