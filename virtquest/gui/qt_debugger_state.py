"""The step debugger's machine panel, beside the code: the registers (bold: changed by the last
move), the CPL and counters, the virtual CPU a software hypervisor keeps, the VMCS exit controls,
the page tables (the guest's, or the shadow table the MMU really walks) and the console so far."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from virtquest.emu.isa import REGISTERS
from virtquest.game.debugger_model import CpuState, Stepper
from virtquest.gui.i18n import fill
from virtquest.gui.qt_editor import code_font

CPL_NAMES = {0: "ring 0", 1: "ring 1", 2: "ring 2", 3: "ring 3"}


def _hex(value: int) -> str:
    return f"{value:08x}"


class MachinePanel(QScrollArea):
    """Shows a stepper's machine when its owner says (`show_state`), never while a worker moves
    it (`busy`)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.stepper: Stepper | None = None
        self.busy = False
        body = QWidget()
        column = QVBoxLayout(body)
        column.addWidget(self._registers_box())
        self.vcpu_box = QGroupBox()
        self.vcpu_form = QFormLayout(self.vcpu_box)
        column.addWidget(self.vcpu_box)
        self.vmcs_box = QGroupBox()
        self.vmcs_form = QFormLayout(self.vmcs_box)
        column.addWidget(self.vmcs_box)
        column.addWidget(self._pages_box())
        column.addWidget(self._console_box())
        column.addStretch(1)
        self.setWidget(body)
        self.setWidgetResizable(True)
        self.fit()

    def _registers_box(self) -> QGroupBox:
        box = self.registers_box = QGroupBox()
        column = QVBoxLayout(box)
        self.registers = QLabel()
        self.registers.setFont(code_font())
        self.registers.setTextFormat(Qt.TextFormat.RichText)
        self.registers.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # No word wrap in the scrolled panel: wrapped labels (height-for-width) get squeezed.
        self.cpl_label = QLabel()
        self.counters = QLabel()
        for widget in (self.registers, self.cpl_label, self.counters):
            column.addWidget(widget)
        return box

    def _pages_box(self) -> QGroupBox:
        box = self.pages_box = QGroupBox()
        column = QVBoxLayout(box)
        self.pages_choice = QComboBox()
        self.pages_choice.currentIndexChanged.connect(self._show_pages)
        column.addWidget(self.pages_choice)
        self.pages = QTableWidget(0, 6)
        self.pages.verticalHeader().setVisible(False)
        self.pages.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.pages.setFont(code_font())
        column.addWidget(self.pages)
        return box

    def _console_box(self) -> QGroupBox:
        box = self.console_box = QGroupBox()
        column = QVBoxLayout(box)
        self.console = QPlainTextEdit()
        self.console.setReadOnly(True)
        self.console.setFont(code_font())
        column.addWidget(self.console)
        return box

    def fit(self) -> None:
        """Sizes measured in text (again after the text size changed): the page table shows
        ten rows, the console six."""
        metrics = self.fontMetrics()
        self.pages.setMinimumHeight(metrics.height() * 10)
        self.console.setMaximumHeight(metrics.height() * 6)

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() == QEvent.Type.FontChange:
            self.fit()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.registers_box.setTitle(self.tr("CPU registers"))
        self.registers.setToolTip(self.tr("Bold: changed by the last step or run"))
        self.vcpu_box.setTitle(self.tr("Virtual CPU (what the guest kernel believes)"))
        self.vmcs_box.setTitle(self.tr("VMCS exit controls (VT-x)"))
        self.pages_box.setTitle(self.tr("Page tables"))
        self.pages.setHorizontalHeaderLabels(
            [self.tr("virtual"), self.tr("physical"), "W", "U", "A", "D"])
        self.console_box.setTitle(self.tr("Console output so far"))
        if self.stepper is not None and not self.busy:
            self.fill_pages_choice()

    # -- showing -----------------------------------------------------------------------------
    def show_state(self, stepper: Stepper, state: CpuState, before: CpuState | None) -> None:
        """The machine as it is; `before`: its state before the last move (what changed)."""
        self.stepper = stepper
        self.registers.setText(register_table(state, before))
        self.cpl_label.setText(self._cpl_text(state.cpl))
        self.counters.setText(fill(self.tr("%1 cycles\n%2 instructions · %3 steps"),
                                   f"{state.cycles:,}", f"{state.instructions:,}",
                                   f"{state.steps:,}"))
        self._show_vcpu()
        self._show_vmcs()
        self.fill_pages_choice()
        self.console.setPlainText(stepper.machine.console.text())

    def _cpl_text(self, cpl: int) -> str:
        vcpu = self.stepper.vcpu()
        text = fill(self.tr("CPL %1 (%2) on the real CPU"), cpl, CPL_NAMES.get(cpl, ""))
        if vcpu is not None and vcpu.cpl != cpl:
            text += "\n" + fill(self.tr("the guest believes it is at CPL %1"), vcpu.cpl)
        return text

    def _show_vcpu(self) -> None:
        vcpu = self.stepper.vcpu()
        self.vcpu_box.setVisible(vcpu is not None)
        if vcpu is None:
            return
        rows = [("CPL", str(vcpu.cpl)), ("IF", str(int(vcpu.interrupt_flag))),
                *((name, _hex(value)) for name, value in vcpu.control.items()),
                ("idtr", f"{_hex(vcpu.idtr[0])} / {vcpu.idtr[1]}")]
        _fill_form(self.vcpu_form, rows)

    def _show_vmcs(self) -> None:
        vmcs = self.stepper.vmcs()
        self.vmcs_box.setVisible(vmcs is not None)
        if vmcs is not None:
            _fill_form(self.vmcs_form, [(k, str(v)) for k, v in vmcs.items()])

    def fill_pages_choice(self) -> None:
        wanted = [self.tr("The guest's page tables (its cr3)")]
        if self.stepper.shadow_entries() is not None:
            wanted.append(self.tr("Shadow page table (what the MMU really walks)"))
        current = [self.pages_choice.itemText(i) for i in range(self.pages_choice.count())]
        if current != wanted:
            index = self.pages_choice.currentIndex()
            self.pages_choice.blockSignals(True)
            self.pages_choice.clear()
            self.pages_choice.addItems(wanted)
            self.pages_choice.setCurrentIndex(index if 0 <= index < len(wanted) else 0)
            self.pages_choice.blockSignals(False)
        self._show_pages()

    def _show_pages(self, *_args) -> None:
        if self.busy or self.stepper is None:
            return
        shadow = self.pages_choice.currentIndex() == 1
        mappings = (self.stepper.shadow_entries() or []) if shadow else \
            self.stepper.page_tables()
        self.pages.setRowCount(len(mappings))
        for row, m in enumerate(mappings):
            cells = (_hex(m.vaddr), _hex(m.paddr), *("✔" if f else "·" for f in (
                m.writable, m.user, m.accessed, m.dirty)))
            for column, text in enumerate(cells):
                self.pages.setItem(row, column, QTableWidgetItem(text))
        self.pages.resizeColumnsToContents()


def _values(state: CpuState) -> dict[str, int]:
    return {**state.registers, "eip": state.eip, "eflags": state.eflags, **state.control}


def register_table(state: CpuState, before: CpuState | None) -> str:
    """The registers two to a row, in hex; those the last move changed in bold."""
    now = _values(state)
    old = _values(before) if before is not None else now
    names = [*REGISTERS, "eip", "eflags", "cr0", "cr2", "cr3", "cr8"]
    cells = []
    for name in names:
        value = _hex(now[name])
        if now[name] != old[name]:
            value = f"<b><u>{value}</u></b>"
        cells.append(f"<td>{name}&nbsp;</td><td>{value}&nbsp;&nbsp;&nbsp;</td>")
    rows = ["<tr>" + "".join(cells[i:i + 2]) + "</tr>" for i in range(0, len(cells), 2)]
    flags = "&nbsp; ".join(f"{k}={int(v)}" for k, v in state.flags.items())
    rows.append(f"<tr><td>flags&nbsp;</td><td colspan=3>{flags}</td></tr>")
    return "<table cellspacing=0 cellpadding=1>" + "".join(rows) + "</table>"


def _fill_form(form: QFormLayout, rows: list[tuple[str, str]]) -> None:
    while form.rowCount():
        form.removeRow(0)
    for name, value in rows:
        label = QLabel(value)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(name, label)
