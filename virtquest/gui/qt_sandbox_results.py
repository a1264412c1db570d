"""The sandbox's Results tab: one row per mode (overhead, equivalent, contained, how it ended,
cycles, exit code), why binary translation's ratio is large when its numbers say so, and the
console output of the selected mode with what broke and where an x86 hole showed."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from virtquest.game.sandbox_model import SandboxReport, TranslationCost, translation_cost
from virtquest.gui.i18n import fill
from virtquest.gui.messages import message_text
from virtquest.gui.qt_editor import code_font
from virtquest.gui.widgets import wrapped
from virtquest.hv.mode import ModeRun
from virtquest.hv.registry import mode_title


class ResultsPage(QWidget):
    """Shows the report its owner passes (`show_report`)."""

    def __init__(self, language: str = "en", parent: QWidget | None = None):
        super().__init__(parent)
        self.language = language
        self.report: SandboxReport | None = None
        column = QVBoxLayout(self)
        self.table = QTableWidget(0, 7)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.itemSelectionChanged.connect(self._show_console)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.note = wrapped(role="muted")      # why a ratio is large, when the numbers say so
        self.note.hide()
        self.console_label = QLabel()
        self.console_label.setWordWrap(True)
        self.console = QPlainTextEdit()
        self.console.setReadOnly(True)
        self.console.setFont(code_font())
        column.addWidget(self.table, 2)
        column.addWidget(self.note)
        column.addWidget(self.console_label)
        column.addWidget(self.console, 1)

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([
            self.tr("Mode"), self.tr("Overhead"), self.tr("Equivalent"), self.tr("Contained"),
            self.tr("Ended"), self.tr("Cycles"), self.tr("Exit code")])
        self.table.resizeColumnsToContents()            # every heading readable in any language
        self.console_label.setText(self.tr("Console output of the selected mode:"))
        if self.report is not None:
            self._show_note(self.report)

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() == QEvent.Type.FontChange:
            self.table.resizeColumnsToContents()        # headings readable at any text size
            if self.table.rowCount():
                self._fit_table()
        super().changeEvent(event)

    def stop_name(self, stop: str) -> str:
        return {"exit": self.tr("finished"), "halted": self.tr("halted"),
                "budget": self.tr("cycle budget spent"), "cancelled": self.tr("cancelled"),
                "triple-fault": self.tr("triple fault")}.get(stop, stop)

    def show_report(self, report: SandboxReport) -> None:
        self.report = report
        self.table.setRowCount(len(report.runs))
        for row, run in enumerate(report.runs):
            for column, text in enumerate(self._cells(run)):
                item = QTableWidgetItem(text)
                if column in (1, 5, 6):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self._fit_table()
        self.table.selectRow(0)
        self._show_note(report)

    def _fit_table(self) -> None:
        """Every mode's row stays in view; the explanation and the console scroll below."""
        table = self.table
        table.resizeRowsToContents()
        bar = table.horizontalScrollBar().sizeHint().height()
        table.setMinimumHeight(table.horizontalHeader().sizeHint().height()
                               + table.verticalHeader().length() + bar
                               + 2 * table.frameWidth())

    def _show_note(self, report: SandboxReport) -> None:
        note = self.translation_note(translation_cost(report))
        self.note.setText(note)
        self.note.setVisible(bool(note))

    def translation_note(self, cost: TranslationCost | None) -> str:
        """Binary translation's large ratio explained from the run's numbers ("" when small)."""
        if cost is None:
            return ""
        numbers = fill(self.tr("Why ×%1 for binary translation? %2% of its cycles went to "
                               "translating code: %3 instructions, each translated the first "
                               "time it ran, in a run of only %4 instructions."),
                       f"{cost.overhead:.2f}", round(cost.share * 100),
                       f"{cost.translated:,}", f"{cost.executed:,}")
        why = self.tr("Binary translation pays once to translate code the first time it runs; "
                      "a short program cannot amortize that, so the ratio looks large — try a "
                      "longer-running program (a loop that runs many times).")
        return f"{numbers} {why}"

    def _cells(self, run: ModeRun) -> list[str]:
        result = run.result
        yes, no = "✔", "✘"
        return [mode_title(run.mode, self.language), f"×{run.overhead:.2f}",
                yes if run.equivalent else no, yes if run.contained else no,
                self.stop_name(result.stop), f"{result.cycles:,}",
                "" if result.exit_code is None else str(result.exit_code)]

    def _show_console(self) -> None:
        report, rows = self.report, self.table.selectionModel().selectedRows()
        if report is None or not rows:
            return
        run = report.runs[rows[0].row()]
        lines = [run.result.console.rstrip("\n"), "", f"— {message_text(run.result.detail)}"]
        lines += [fill(self.tr("containment broken: %1"), message_text(v))
                  for v in run.violations]
        lines += [fill(self.tr("x86 hole: %1"), message_text(d["how"]))
                  for d in run.divergences]
        self.console.setPlainText("\n".join(lines))
