"""One level in play: the program with its slots marked, the slots with their choices, the verdict
card, and the tabs (what happened, timeline, mode comparison, debugger, and the host of a level
whose guests share one). Every choice re-runs the level's modes on a worker; what is shown
follows the lab's model (game/lab_model.py)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QEvent, QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from virtquest.content.levels import CHOICES
from virtquest.game.lab_model import LabModel, LabSlot
from virtquest.game.play import LabResult
from virtquest.gui.i18n import pick
from virtquest.gui.qt_compare import CompareChart
from virtquest.gui.qt_debugger import DebuggerPage
from virtquest.gui.qt_editor import CodeEditor, InstructionLegend
from virtquest.gui.qt_lab_host import HostPage
from virtquest.gui.qt_lab_lesson import LessonView
from virtquest.gui.qt_lab_slots import SlotList, SlotRow
from virtquest.gui.qt_lab_verdict import VerdictBox
from virtquest.gui.qt_timeline import TracePage
from virtquest.gui.widgets import FitArea
from virtquest.gui.workers import Worker
from virtquest.hv.mode import ModeRun


class _ChoiceArea(QScrollArea):
    """The choices scroll up and down only: the area is never narrower than its widest row
    (the three choices side by side, at any text size); the program beside it scrolls
    sideways instead."""

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        hint = super().minimumSizeHint()
        inner = self.widget()
        if inner is None:
            return hint
        width = (inner.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width()
                 + 2 * self.frameWidth())
        return QSize(max(hint.width(), width), hint.height())


class LabView(QWidget):
    """One level in play, built from its LabModel. Every change re-runs the level's modes on a
    worker (the newest request wins); the verdicts, stars and explanations follow."""

    result_ready = Signal(object)       # LabResult, after every change
    submitted = Signal(object)         # LabResult, when the learner submits it
    next_requested = Signal(str)       # a level id: "Next level ▶" after a clear
    quiz_requested = Signal(list)       # question ids the level unlocked

    def __init__(self, model: LabModel, *, language: str = "en",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model
        model.slot_changed.connect(self._on_slot_changed)
        model.current_changed.connect(lambda _index: self._show_current())
        model.result_changed.connect(self._on_result_changed)
        model.hints_changed.connect(self._on_hints_changed)
        self.language = language
        self.worker = Worker(self, latest_only=True)
        self.worker.busy_changed.connect(self._show_busy)
        self._build()
        QCoreApplication.instance().aboutToQuit.connect(self.shutdown)   # no run outlives the app
        self._shortcuts()
        self.setFocusProxy(self.slot_list)
        self.render_content()
        self.rerun()

    # -- building ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.title = QLabel()
        self.title.setProperty("role", "title")
        self.title.setWordWrap(True)
        self.brief = QLabel()
        self.brief.setWordWrap(True)
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(self._code_column())
        top.addWidget(self._choice_column())
        top.setStretchFactor(0, 3)
        top.setStretchFactor(1, 2)
        top.setSizes([550, 450])            # relative: the choices' text wraps, the code not
        main = QSplitter(Qt.Orientation.Vertical)
        main.addWidget(top)
        main.addWidget(self._tabs())
        main.setStretchFactor(0, 3)
        main.setStretchFactor(1, 2)
        main.setSizes([600, 400])           # relative: the program and choices get more
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.brief)
        layout.addWidget(main, 1)

    def _code_column(self) -> QWidget:
        column = QWidget()
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(InstructionLegend())
        self.program_view = CodeEditor(language=self.language, read_only=True)
        self._show_program()
        layout.addWidget(self.program_view, 3)
        excerpt = self.model.kernel_excerpt()
        self.kernel_label = QLabel()
        self.kernel_view: CodeEditor | None = None
        if excerpt is not None:
            self.kernel_view = CodeEditor(language=self.language, read_only=True)
            self.kernel_view.set_text(excerpt.text, excerpt.line_numbers)
            layout.addWidget(self.kernel_label)
            layout.addWidget(self.kernel_view, 2)
        self._mark_slot_lines()
        return column

    def _choice_column(self) -> QWidget:
        column = QWidget()
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        self.verdict = VerdictBox(self.language)
        self.verdict.hint_button.clicked.connect(self.show_hint)
        self.verdict.submit_button.clicked.connect(self.submit)
        self.verdict.next_requested.connect(self.next_requested)
        layout.addWidget(self.verdict)      # first: it changes after every choice
        self.slots_heading = QLabel()
        self.slots_heading.setProperty("role", "heading")
        layout.addWidget(self.slots_heading)
        self.slot_list = SlotList()
        self.slot_list.moved.connect(self.move)
        self.slot_list.key_choice.connect(self.choose_current)
        self.slot_list.set_rows([self._slot_row(slot) for slot in self.model.slots])
        layout.addWidget(self.slot_list)
        self.keys_hint = QLabel()
        self.keys_hint.setWordWrap(True)
        self.keys_hint.setProperty("role", "muted")
        layout.addWidget(self.keys_hint)
        layout.addStretch(1)
        area = _ChoiceArea()
        area.setWidgetResizable(True)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setWidget(column)
        self.choice_area = area
        return area

    def _scroll_choices_to(self, widget: QWidget) -> None:
        """Scroll the choices up or down (never sideways) until `widget` is in view."""
        column = self.choice_area.widget()
        top = widget.mapTo(column, widget.rect().topLeft()).y()
        half = widget.height() // 2
        self.choice_area.ensureVisible(0, top + half, 0, half + 8)

    def _slot_row(self, slot: LabSlot) -> SlotRow:
        row = SlotRow(slot, self.language)
        row.set_choice(self.model.choices[slot.label], slot.label in self.model.decided)
        row.chosen.connect(self._row_chosen)
        return row

    def show_cleared(self, result: LabResult, effects, opened: list[str],
                     next_level: tuple[str, str] | None) -> None:
        """Celebrate a submitted attempt (VerdictBox.show_cleared) and bring it into view."""
        self.verdict.show_cleared(result, effects, opened, next_level)
        self.choice_area.widget().adjustSize()
        verdict = self.verdict
        self._scroll_choices_to(verdict.next_button if next_level is not None
                                else verdict.cleared_text)
        if next_level is not None:
            verdict.next_button.setFocus()

    def _tabs(self) -> QTabWidget:
        self.tabs = QTabWidget()
        self.explanations = LessonView(self.language)
        self.explanations.anchorClicked.connect(lambda _url: self.quiz_requested.emit(
            [q.id for q in self.model.unlocked_questions()]))
        modes = list(self.model.level.modes)
        model = self.model
        self.trace_page = TracePage(modes, lambda mode: _trace_job(model, mode),
                                    language=self.language)
        self.trace_page.instruction_activated.connect(self.show_address)
        self.timeline = self.trace_page.timeline
        self.compare = CompareChart(language=self.language)
        self.debug_page = DebuggerPage(
            modes, lambda mode: model.stepper(mode, model.snapshot()), language=self.language)
        self.tabs.addTab(self.explanations, "")
        for page in (self.trace_page, self.compare, self.debug_page):
            # A page's own minimum height (the timeline's at 200% text) must not push the
            # program and the choices off a small screen: it scrolls inside its tab instead.
            self.tabs.addTab(FitArea(page), "")
        self.host_page = HostPage.add_to(self.tabs, self.model.level)    # a level with a host
        return self.tabs

    def _shortcuts(self) -> None:
        for number, choice in enumerate(CHOICES, start=1):
            shortcut = QShortcut(QKeySequence(str(number)), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda c=choice: self.choose_current(c))

    # -- content in the learner's language ---------------------------------------------------
    def render_content(self) -> None:
        level = self.model.level
        self.title.setText(pick(level.title, self.language))
        self.brief.setText(pick(level.brief, self.language))
        self.slots_heading.setText(self.tr("Who handles each instruction?"))
        self.kernel_label.setText(self.tr("In the mini-OS (the guest kernel's PV sites):"))
        self.keys_hint.setText(self.tr("Keys: ↑ ↓ choose a slot · 1 CPU · 2 Hypervisor · "
                                       "3 Guest (a modified guest kernel)"))
        self.verdict.retranslate()
        for index, name in enumerate((self.tr("What happened"), self.tr("Timeline"),
                                      self.tr("Compare modes"), self.tr("Debugger"))):
            self.tabs.setTabText(index, name)
        for row in self.slot_list.rows:
            row.language = self.language
            row.retranslate()
        self._show_hints()
        self._show_current()
        self._show_result(self.model.result)

    def set_language(self, language: str) -> None:
        self.language = self.verdict.language = self.explanations.language = language
        self.compare.language = language
        self.trace_page.set_language(language)
        self.debug_page.set_language(language)
        for editor in (self.program_view, self.kernel_view):
            if editor is not None:
                editor.language = language
        self._show_program()
        self._mark_slot_lines()
        self.render_content()

    def _show_program(self) -> None:
        """The program with its comments in the learner's language (rows keep line numbers)."""
        shown = self.model.shown_program(self.language)
        self.program_view.set_text(shown.text, shown.line_numbers)

    # -- choosing ----------------------------------------------------------------------------
    def move(self, delta: int) -> None:
        self.model.move(delta)
        # the current slot scrolls into view (up or down, never sideways)
        self._scroll_choices_to(self.slot_list.rows[self.model.current])

    def choose_current(self, choice: str) -> bool:
        return self.choose(self.model.current_slot.label, choice)

    def choose(self, label: str, choice: str) -> bool:
        """Ask the model for a slot's choice (False when locked or unchanged); re-run when it
        changed. The row and the verdict follow the model's `slot_changed`."""
        changed = self.model.choose(label, choice)
        if changed:
            self.rerun()
        else:
            self._show_slot(label)     # a refused choice must not stay checked on its button
        return changed

    def _row_chosen(self, label: str, choice: str) -> None:
        self.model.focus(self.model.slot(label).index)
        self.choose(label, choice)

    def _show_slot(self, label: str) -> None:
        row = self.slot_list.rows[self.model.slot(label).index]
        row.set_choice(self.model.choices[label], label in self.model.decided)

    def _on_slot_changed(self, label: str, rerun: bool) -> None:
        self._show_slot(label)
        if not rerun:
            self._show_result(self.model.result)     # the default, now chosen: no new run

    def _show_current(self) -> None:
        current = self.model.current
        for index, row in enumerate(self.slot_list.rows):
            row.set_current(index == current)
        slot = self.model.current_slot
        editor = self.program_view if slot.where == "program" else self.kernel_view
        for view in (self.program_view, self.kernel_view):
            if view is not None:
                view.set_focus_line(None)
        if editor is not None:
            editor.set_focus_line(editor.row_for(slot.line))

    def _mark_slot_lines(self) -> None:
        for where, view in (("program", self.program_view), ("kernel", self.kernel_view)):
            if view is None:
                continue
            rows = {view.row_for(s.line): str(s.index + 1) for s in self.model.slots
                    if s.where == where}
            view.set_slot_lines({r: badge for r, badge in rows.items() if r})

    # -- running -----------------------------------------------------------------------------
    def rerun(self) -> None:
        """Play the level under the current choices, on the worker (older runs are dropped)."""
        self.verdict.cleared.setVisible(False)
        model, choices = self.model, self.model.snapshot()
        self.worker.submit(lambda cancel: model.evaluate(choices, cancel.is_set),
                           on_success=self._on_result, on_failure=self._on_failure)
        self.trace_page.invalidate()
        self.debug_page.invalidate()

    def _on_result(self, result: LabResult) -> None:
        self.model.accept_result(result)

    def _on_result_changed(self, result: LabResult) -> None:
        self._show_result(result)
        self.result_ready.emit(result)

    def _on_failure(self, exc: BaseException) -> None:
        self.verdict.show_failure(exc)

    def _show_busy(self, busy: bool) -> None:
        self.verdict.show_busy(busy, self.model)

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Block until the workers are idle (scripts and tests)."""
        timer = QElapsedTimer()
        timer.start()
        workers = (self.worker, self.trace_page.worker)
        while any(w.pending for w in workers) and timer.elapsed() < timeout_ms:
            QCoreApplication.processEvents()
        QCoreApplication.processEvents()
        return not any(w.pending for w in workers)

    # -- the verdict -------------------------------------------------------------------------
    def _show_result(self, result: LabResult | None) -> None:
        self.verdict.show_result(self.model, self.worker.busy)
        if result is None:
            return
        self.explanations.show_result(self.model, result)
        native = ModeRun("native", result.assessment.native, 1.0, True, True)
        self.compare.set_runs([native, *result.runs])
        if self.host_page is not None:
            self.host_page.show_result(result, self.model.level)

    # -- hints and submitting ----------------------------------------------------------------
    def show_hint(self) -> None:
        self.model.next_hint()

    def _on_hints_changed(self) -> None:
        self._show_hints()
        self._show_result(self.model.result)

    def _show_hints(self) -> None:
        self.verdict.show_hints(self.model)

    def submit(self) -> None:
        if (self.model.result is not None and not self.worker.busy
                and not self.model.undecided):
            self.submitted.emit(self.model.result)

    def show_address(self, address: int) -> None:
        """Select the instruction at `address` in the program or the mini-OS excerpt."""
        timeline = self.timeline.timeline
        source = timeline.source_line(address) if timeline is not None else None
        if source is None:
            return
        view = self.program_view if source.where == "program" else self.kernel_view
        row = view.row_for(source.line) if view is not None else None
        if row:
            view.select_line(row)

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
            self.render_content()
        super().changeEvent(event)


def _trace_job(model: LabModel, mode: str):
    """The traced run of the choices as they are now (called on the UI thread)."""
    choices = model.snapshot()
    return lambda cancel: model.traced(mode, choices, cancel.is_set)
