"""The lab's list of slots: one row a marked instruction, with its CPU / Hypervisor / Guest
buttons, what is locked and why, and the keyboard to move between rows and choose."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from virtquest.content.levels import CHOICES
from virtquest.game.lab_model import LabSlot
from virtquest.gui.i18n import fill, pick
from virtquest.gui.qt_editor import class_colour


def _set_property(widget: QWidget, name: str, value: object) -> None:
    widget.setProperty(name, value)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    widget.update()                   # repaint now: an old frame must not linger


class SlotRow(QFrame):
    """One slot: its badge, label and instruction, three choices, and why some are locked."""

    chosen = Signal(str, str)          # label, choice

    def __init__(self, slot: LabSlot, language: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.slot, self.language = slot, language
        self.setObjectName("slot")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        grid = QGridLayout(self)
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setWordWrap(True)
        grid.addWidget(self.title, 0, 0, 1, 3)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str, QPushButton] = {}
        for column, choice in enumerate(CHOICES):
            button = QPushButton()
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _checked=False, c=choice: self.chosen.emit(
                self.slot.label, c))
            button.toggled.connect(lambda _checked, c=choice: self._label(c))
            self.group.addButton(button)
            grid.addWidget(button, 1, column)
            self.buttons[choice] = button
        self.meanings = QLabel()            # a setting slot: what each choice makes the host do
        self.meanings.setWordWrap(True)
        grid.addWidget(self.meanings, 2, 0, 1, 3)
        self.locks = QLabel()
        self.locks.setWordWrap(True)
        self.locks.setProperty("role", "muted")
        grid.addWidget(self.locks, 3, 0, 1, 3)
        self.retranslate()

    def choice_name(self, choice: str) -> str:
        return {"cpu": self.tr("CPU"), "hypervisor": self.tr("Hypervisor"),
                "guest": self.tr("Guest")}[choice]

    def class_name(self, iclass: str) -> str:
        return {"innocuous": self.tr("innocuous"), "privileged": self.tr("privileged"),
                "sensitive": self.tr("sensitive"),
                "virtualization": self.tr("virtualization")}.get(iclass, iclass)

    def setting_name(self, setting: str) -> str:
        return {"reclaim": self.tr("who reclaims memory"),
                "sharing": self.tr("sharing identical pages"),
                "dirty_log": self.tr("who logs dirty pages"),
                "precopy": self.tr("how the migration copies")}.get(setting, setting)

    def setting_choice(self, setting: str, choice: str) -> str:
        """What a setting slot's choice makes the host do, in a few words ("" if nothing)."""
        return {("reclaim", "cpu"): self.tr("nothing reclaims"),
                ("reclaim", "hypervisor"): self.tr("host swapping"),
                ("reclaim", "guest"): self.tr("ballooning"),
                ("sharing", "cpu"): self.tr("no sharing"),
                ("sharing", "hypervisor"): self.tr("page sharing"),
                ("dirty_log", "cpu"): self.tr("EPT dirty bits"),
                ("dirty_log", "hypervisor"): self.tr("write protection"),
                ("precopy", "cpu"): self.tr("stop and copy"),
                ("precopy", "hypervisor"): self.tr("pre-copy")}.get((setting, choice), "")

    def retranslate(self) -> None:
        slot = self.slot
        colour = class_colour(slot.iclass, self.palette()).name() if slot.iclass in (
            "innocuous", "privileged", "sensitive", "virtualization") else ""
        where = (self.tr("%1, mini-OS line %2") if slot.where == "kernel"
                 else self.tr("%1, program line %2"))
        kind = self.class_name(slot.iclass)
        if slot.setting is not None:     # the choice picks a host mechanism, not a handler
            kind = fill(self.tr("host setting: %1"), self.setting_name(slot.setting))
            colour = ""
        where = fill(where, kind, slot.line)
        self.title.setText(
            f"<b>{slot.index + 1}. {html.escape(slot.label)}</b> &nbsp;"
            f"<code style='color:{colour}'>{html.escape(slot.instruction)}</code> &nbsp;"
            f"<i>({where})</i>")
        lines = []
        for choice in CHOICES:
            button = self.buttons[choice]
            lock = slot.locks.get(choice)
            self._label(choice)
            button.setEnabled(lock is None)
            reason = pick(lock, self.language) if lock else ""
            button.setToolTip(reason)
            if lock:
                lines.append(f"{self.choice_name(choice)} — {reason}")
        self.locks.setText("\n".join(lines))
        self.locks.setVisible(bool(lines))
        meanings = [f"{CHOICES.index(c) + 1} {self.choice_name(c)}: "
                    f"{self.setting_choice(slot.setting, c)}" for c in CHOICES
                    if slot.setting is not None and not slot.locks.get(c)
                    and self.setting_choice(slot.setting, c)]
        self.meanings.setText(" · ".join(meanings))
        self.meanings.setVisible(bool(meanings))

    def _label(self, choice: str) -> None:
        """A button's text: its key and name, and a check mark when it is the chosen one (the
        selection shows by shape as well as by colour)."""
        button = self.buttons[choice]
        mark = "✓ " if button.isChecked() else ""
        button.setText(f"{mark}{CHOICES.index(choice) + 1}  {self.choice_name(choice)}")
        name = self.choice_name(choice)
        button.setAccessibleName(fill(self.tr("%1 (chosen)"), name) if button.isChecked()
                                 else name)

    def set_choice(self, choice: str, decided: bool = True) -> None:
        """Check the chosen button; a slot the learner has not decided shows none checked."""
        if decided:
            self.buttons[choice].setChecked(True)
            return
        self.group.setExclusive(False)
        for button in self.buttons.values():
            button.setChecked(False)
        self.group.setExclusive(True)

    def set_current(self, current: bool) -> None:
        _set_property(self, "current", "true" if current else "false")

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() == QEvent.Type.PaletteChange:
            self.retranslate()            # the instruction in the new theme's class colour
        super().changeEvent(event)


class SlotList(QWidget):
    """The slots, one row each. Keyboard: ↑/↓ move between slots, 1/2/3 choose."""

    moved = Signal(int)
    key_choice = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.rows: list[SlotRow] = []
        self.setStyleSheet("QFrame#slot[current=\"true\"] { border: 2px solid palette(highlight);"
                           " border-radius: 6px; }")

    def set_rows(self, rows: list[SlotRow]) -> None:
        for row in self.rows:
            row.deleteLater()
        self.rows = rows
        for row in rows:
            self.column.addWidget(row)

    def keyPressEvent(self, event) -> None:  # noqa: N802
        key = event.key()
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Left):
            self.moved.emit(-1)
        elif key in (Qt.Key.Key_Down, Qt.Key.Key_Right):
            self.moved.emit(1)
        elif Qt.Key.Key_1 <= key <= Qt.Key.Key_3:
            self.key_choice.emit(CHOICES[key - Qt.Key.Key_1])
        else:
            super().keyPressEvent(event)
