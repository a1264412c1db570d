"""The lab: a level's slots with a CPU / Hypervisor / Guest choice each, and live verdicts."""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QEvent, QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from virtquest.content.levels import CHOICES
from virtquest.game.lab_model import LabModel, LabSlot
from virtquest.game.play import LabResult
from virtquest.game.record import record_play, schedule_mistakes
from virtquest.game.sandbox_model import mode_title
from virtquest.gui.i18n import current_language, fill, pick
from virtquest.gui.qt_compare import CompareChart
from virtquest.gui.qt_debugger import DebuggerPage
from virtquest.gui.qt_editor import CodeEditor, InstructionLegend, is_dark
from virtquest.gui.qt_lab_slots import SlotList, SlotRow
from virtquest.gui.qt_timeline import TracePage
from virtquest.gui.qt_tour import LabTour
from virtquest.gui.theme import set_role
from virtquest.gui.widgets import FitArea
from virtquest.gui.workers import Worker
from virtquest.hv.mode import ModeRun

RIGHT, WRONG = "✔", "✘"
VERDICT_COLOURS = {"right": ("#1f7a3a", "#5fcf80"), "wrong": ("#c0392b", "#ff7b6b")}


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
        layout.addWidget(self._verdict_box())      # first: it changes after every choice
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

    def _verdict_box(self) -> QFrame:
        box = QFrame()
        box.setProperty("role", "card")
        layout = QVBoxLayout(box)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.verdicts = QLabel()
        self.verdicts.setTextFormat(Qt.TextFormat.RichText)
        self.verdicts.setWordWrap(True)
        self.stars = QLabel()
        self.stars.setProperty("role", "stars")
        self.stars.setWordWrap(True)
        self.par = QLabel()
        self.par.setWordWrap(True)
        row = QHBoxLayout()
        self.hint_button = QPushButton()
        self.hint_button.clicked.connect(self.show_hint)
        self.submit_button = QPushButton()
        self.submit_button.setProperty("role", "primary")
        self.submit_button.clicked.connect(self.submit)
        row.addWidget(self.hint_button)
        row.addStretch(1)
        row.addWidget(self.submit_button)
        self.hints = QLabel()
        self.hints.setWordWrap(True)
        for widget in (self.status, self.verdicts, self.stars, self.par):
            layout.addWidget(widget)
        layout.addLayout(row)
        layout.addWidget(self.hints)
        layout.addWidget(self._cleared_box())
        return box

    def _cleared_box(self) -> QFrame:
        """What a submitted attempt earned: stars, XP, a new level, achievements, what opened,
        and the way on. Hidden until the learner submits."""
        self.cleared = QFrame()
        self.cleared.setProperty("role", "feedback")
        layout = QVBoxLayout(self.cleared)
        self.cleared_text = QLabel()
        self.cleared_text.setTextFormat(Qt.TextFormat.RichText)
        self.cleared_text.setWordWrap(True)
        self.next_button = QPushButton()
        self.next_button.setProperty("role", "primary")
        self.next_button.clicked.connect(
            lambda: self.next_requested.emit(self.next_button.property("level")))
        layout.addWidget(self.cleared_text)
        layout.addWidget(self.next_button, 0, Qt.AlignmentFlag.AlignRight)
        self.cleared.setVisible(False)
        return self.cleared

    def show_cleared(self, result: LabResult, effects, opened: list[str],
                     next_level: tuple[str, str] | None) -> None:
        """Celebrate a submitted attempt. `effects`: the XP, level and achievements it earned
        (game.xp.ActivityEffects); `opened`: titles of the levels it unlocked; `next_level`:
        (id, title) of the level to play next, if any."""
        lines = []
        if result.stars:
            lines.append("<b>" + "★" * result.stars + "☆" * (3 - result.stars) + "  "
                         + html.escape(self.tr("Level cleared!")) + "</b>")
        else:
            lines.append("<b>" + html.escape(self.tr(
                "Attempt saved — the goal is not met yet, so no stars.")) + "</b>")
        if effects.xp_gained:
            lines.append(html.escape(fill(self.tr("+%1 XP"), effects.xp_gained)))
        if effects.leveled_up:
            lines.append("<b>" + html.escape(fill(self.tr("Level up! You are now level %1."),
                                                  effects.level_after)) + "</b>")
        for achievement in effects.new_achievements:
            lines.append("◆ " + html.escape(fill(self.tr("Achievement: %1"),
                                                  pick(achievement.title, self.language))))
        if opened:
            lines.append(html.escape(fill(self.tr("Unlocked: %1"), ", ".join(
                f"“{title}”" for title in opened))))
        self.cleared_text.setText("<br>".join(lines))
        self.next_button.setVisible(next_level is not None)
        if next_level is not None:
            self.next_button.setProperty("level", next_level[0])
            self.next_button.setText(fill(self.tr("Next level: %1 ▶"), next_level[1]))
        set_role(self.cleared, "verdict", "right" if result.stars else "wrong")
        self.cleared.setVisible(True)
        self.cleared.adjustSize()
        self.choice_area.widget().adjustSize()
        self._scroll_choices_to(self.next_button if next_level is not None
                                else self.cleared_text)
        if next_level is not None:
            self.next_button.setFocus()

    def _tabs(self) -> QTabWidget:
        self.tabs = QTabWidget()
        self.explanations = QTextBrowser()
        self.explanations.setOpenLinks(False)
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
        self.submit_button.setText(self.tr("Submit"))
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
        self.language = language
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
        self.cleared.setVisible(False)
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
        self.status.setText(fill(self.tr("The run failed: %1"), exc))

    def _show_busy(self, busy: bool) -> None:
        if busy:
            self.status.setText(self.tr("Running the guest under your choices…"))
        self.submit_button.setEnabled(not busy and self.model.result is not None
                                      and not self.model.undecided)

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
        if result is None:
            self.verdicts.setText("")
            self.stars.setText("")
            self.par.setText("")
            self.submit_button.setEnabled(False)
            return
        undecided = self.model.undecided
        self.status.setText(self.tr("Verdict for your choices:") if self.model.engaged else
                            self.tr("A first run at the level's starting choices — who should "
                                    "handle each instruction? Choose below."))
        self.verdicts.setText("<br>".join(self._verdict_line(run) for run in result.runs))
        self.stars.setText(self._stars_text(result) if not undecided else "☆☆☆  " + fill(
            self.tr("Choose a handler for every slot to earn stars (%1 left)."), len(undecided)))
        self.par.setText(self._par_text(result) if not undecided else "")
        self.submit_button.setEnabled(not self.worker.busy and not undecided)
        self.submit_button.setToolTip(self.tr("Choose a handler for every slot first")
                                      if undecided else "")
        self.explanations.setHtml(self._explanations_html(result))
        native = ModeRun("native", result.assessment.native, 1.0, True, True)
        self.compare.set_runs([native, *result.runs])

    def _verdict_line(self, run: ModeRun) -> str:
        dark = is_dark(self.palette())

        def mark(ok: bool, name: str) -> str:
            colour = VERDICT_COLOURS["right" if ok else "wrong"][1 if dark else 0]
            return f"<span style='color:{colour}'><b>{RIGHT if ok else WRONG}</b> {name}</span>"
        equivalent, contained = self.tr("equivalent"), self.tr("contained")
        return (f"<b>{html.escape(mode_title(run.mode, self.language))}</b>: "
                f"{mark(run.equivalent, equivalent)} &nbsp; "
                f"{mark(run.contained, contained)} &nbsp; "
                + fill(self.tr("overhead ×%1"), f"{run.overhead:.2f}"))

    def _stars_text(self, result: LabResult) -> str:
        if not result.goal_met:
            return "☆☆☆  " + self.tr(
                "Goal not met: the guest must stay equivalent and contained.")
        return "★" * result.stars + "☆" * (3 - result.stars)

    def _par_text(self, result: LabResult) -> str:
        stars = self.model.level.goal.stars
        if result.par is not None:
            return fill(self.tr("Par (the best legal assignment): ×%1 — yours: ×%2"),
                        f"{result.par:.2f}", f"{result.overhead:.2f}")
        if isinstance(stars, list):
            return fill(self.tr("★★★ at ×%1 or less, ★★ at ×%2 — yours: ×%3"),
                        f"{stars[0]:.2f}", f"{stars[1]:.2f}", f"{result.overhead:.2f}")
        return ""

    def _explanations_html(self, result: LabResult) -> str:
        if not self.model.engaged:      # nothing that gives the answer away before a choice
            return "<p>" + html.escape(self.tr(
                "Choose who handles each marked instruction: the CPU, the hypervisor or the "
                "(modified) guest. The guest runs again after every choice, and what each "
                "choice did appears here. The lesson and the quiz cards follow once every "
                "slot is your choice and the goal is met.")) + "</p>"
        parts = []
        for outcome in result.slots:
            slot = self.model.slot(outcome.label)
            choice = SlotRow.choice_name(self.slot_list.rows[slot.index], outcome.choice)
            if outcome.label not in self.model.decided:
                choice += " " + html.escape(self.tr("(the starting choice — not yet yours)"))
            parts.append(f"<h4>{slot.index + 1}. {html.escape(outcome.label)} — "
                         f"<code>{html.escape(outcome.site.instruction)}</code> → {choice}</h4>")
            for note in outcome.notes:
                text = html.escape(pick(note.text, self.language))
                warn = f" <b>({WRONG} {self._broke_name(note.broke)})</b>" if note.broke else ""
                parts.append(f"<p><i>{html.escape(mode_title(note.mode, self.language))}</i>: "
                             f"{text}{warn}</p>")
            if outcome.explain:
                parts.append(f"<p>{html.escape(pick(outcome.explain, self.language))}</p>")
        if result.goal_met and result.stars and not self.model.undecided:
            why = self.tr("Why")
            parts.append(f"<h3>{why}</h3>"
                         f"<p>{html.escape(pick(self.model.level.explain, self.language))}</p>")
            parts.append(self._quiz_html())
        return "\n".join(parts)

    def _broke_name(self, what: str) -> str:
        return {"equivalence": self.tr("equivalence broken"),
                "containment": self.tr("containment broken")}.get(what, html.escape(what))

    def _quiz_html(self) -> str:
        questions = self.model.unlocked_questions()
        if not questions:
            return ""
        items = "".join(f"<li>{html.escape(pick(q.text, self.language))}</li>"
                        for q in questions)
        heading, practise = self.tr("Quiz cards unlocked"), self.tr("Practise these cards now")
        return (f"<h3>{heading}</h3><ul>{items}</ul>"
                f"<p><a href='quiz:'>{practise}</a></p>")

    # -- hints and submitting ----------------------------------------------------------------
    def show_hint(self) -> None:
        self.model.next_hint()

    def _on_hints_changed(self) -> None:
        self._show_hints()
        self._show_result(self.model.result)

    def _show_hints(self) -> None:
        shown = self.model.hints
        left = len(self.model.level.hints) - len(shown)
        self.hint_button.setText(fill(self.tr("Hint (%1 left)"), left))
        self.hint_button.setEnabled(left > 0)
        self.hint_button.setVisible(bool(self.model.level.hints))
        self.hints.setText("\n".join(fill(self.tr("Hint %1: %2"), i, pick(h, self.language))
                                     for i, h in enumerate(shown, start=1)))
        self.hints.setVisible(bool(shown))

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
        elif event.type() == QEvent.Type.PaletteChange and self.model.result is not None:
            self.verdicts.setText("<br>".join(     # the verdict marks in the theme's colours
                self._verdict_line(run) for run in self.model.result.runs))
        super().changeEvent(event)


def _trace_job(model: LabModel, mode: str):
    """The traced run of the choices as they are now (called on the UI thread)."""
    choices = model.snapshot()
    return lambda cancel: model.traced(mode, choices, cancel.is_set)


class LabPage(QWidget):
    """The main window's lab: opens a level (`show_level`), records each submitted attempt."""

    quiz_requested = Signal(list)      # question ids the open level unlocked

    def __init__(self, learner, parent: QWidget | None = None):
        super().__init__(parent)
        self.learner = learner
        self.view: LabView | None = None
        self.tour: LabTour | None = None
        self.stack = QStackedWidget()
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.retranslate()

    def show_level(self, level_id: str) -> None:
        level = self.learner.level(level_id)
        if level is None:
            self.empty.setText(fill(self.tr("No level “%1” is loaded."), level_id))
            return
        self.close_level()
        bank = self.learner.content.bank if self.learner.content else None
        self.view = LabView(LabModel(level, bank=bank), language=current_language())
        self.view.submitted.connect(self._record)
        self.view.next_requested.connect(self.show_level)
        self.view.quiz_requested.connect(self.quiz_requested)
        self.stack.addWidget(self.view)
        self.stack.setCurrentWidget(self.view)
        self.view.setFocus()
        if self.learner.setting("lab_tour") == "new":
            self.start_tour()

    def start_tour(self) -> LabTour | None:
        """The first-run guide over the open level (None when no level is open). Seen to the
        end or skipped, it is not shown again unless replayed from Settings."""
        if self.view is None:
            return None
        tour = LabTour(self.view)
        tour.finished.connect(lambda _seen: self._tour_done())
        self.tour = tour
        tour.start()
        return tour

    def _tour_done(self) -> None:
        self.tour = None
        if "lab_tour" not in self.learner.overrides:
            self.learner.store.set_setting(self.learner.profile_id, "lab_tour", "done")

    def shutdown(self) -> None:
        """Cancel the open level's runs and end their threads (the main window is closing)."""
        if self.view is not None:
            self.view.shutdown()

    def close_level(self) -> None:
        if self.view is not None:
            self.view.shutdown()
            self.stack.removeWidget(self.view)
            self.view.deleteLater()
            self.view = None

    def _record(self, result: LabResult) -> None:
        store, profile = self.learner.store, self.learner.profile_id
        before = self.learner.chapter_map()
        schedule_mistakes(store, profile, result, bank=self.learner.content.bank)
        outcome = record_play(store, profile, result)
        after = self.learner.chapter_map()
        self.learner.notify_progress()
        if self.view is None:
            return
        language = current_language()
        opened = [pick(cell.title, language) for cell in after.cells()
                  if cell.unlocked and not (before.cell(cell.id) or cell).unlocked]
        nxt = after.next_to_play()
        if nxt is not None and nxt.id == result.level_id:
            nxt = None                       # not cleared yet: no "next", try again
        self.view.show_cleared(result, outcome.effects, opened,
                               (nxt.id, pick(nxt.title, language)) if nxt else None)

    def retranslate(self) -> None:
        self.empty.setText(self.tr("Choose a level on the chapter map to open it here."))
        if self.view is not None:
            self.view.set_language(current_language())

    def closeEvent(self, event) -> None:  # noqa: N802
        self.close_level()
        super().closeEvent(event)

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def create_view(learner) -> LabPage:
    """The main window's registry entry."""
    return LabPage(learner)
