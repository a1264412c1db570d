"""Answer inputs that pick among options: single choice, multiple choice, true or false."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from virtquest.gui.i18n import pick
from virtquest.gui.qt_answer import RIGHT, WRONG, AnswerInput, ClickLabel
from virtquest.gui.theme import set_role

if TYPE_CHECKING:
    from virtquest.game.quiz import Grade, Presentation


class _ChoiceInput(AnswerInput):
    """Single and multiple choice: one row per choice; digit keys pick."""

    exclusive = True

    def __init__(self, presentation: Presentation, parent: QWidget | None = None):
        super().__init__(presentation, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.group = QButtonGroup(self)
        self.group.setExclusive(self.exclusive)
        self.buttons: list[QAbstractButton] = []
        self.labels: list[ClickLabel] = []
        for index in range(len(presentation.options)):
            button = QRadioButton(f"&{index + 1}") if self.exclusive else QCheckBox(f"&{index + 1}")
            button.toggled.connect(self.changed)
            self.group.addButton(button, index)
            label = ClickLabel(button)
            row = QHBoxLayout()
            row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            row.addWidget(label, 1)
            layout.addLayout(row)
            self.buttons.append(button)
            self.labels.append(label)
        self.retranslate()

    def retranslate(self) -> None:
        for option, button, label in zip(self.presentation.options, self.buttons, self.labels,
                                         strict=True):
            text = pick(option.label)
            label.setText(text)
            button.setAccessibleName(text)

    def focus_widget(self) -> QWidget:
        checked = [button for button in self.buttons if button.isChecked()]
        return (checked or self.buttons or [self])[0]

    def picked(self) -> list[str]:
        return [str(option.key) for option, button in
                zip(self.presentation.options, self.buttons, strict=True) if button.isChecked()]

    def keyPressEvent(self, event) -> None:  # noqa: N802
        index = event.key() - Qt.Key.Key_1
        if 0 <= index < len(self.buttons) and self.buttons[index].isEnabled():
            self.buttons[index].click()
            self.buttons[index].setFocus()
            return
        super().keyPressEvent(event)

    def mark(self, right: set[str]) -> None:
        picked = set(self.picked())
        for option, button, label in zip(self.presentation.options, self.buttons, self.labels,
                                         strict=True):
            button.setEnabled(False)
            key = str(option.key)
            if key in right:
                label.setText(f"{RIGHT} {pick(option.label)}")
                set_role(label, "verdict", "right")
            elif key in picked:
                label.setText(f"{WRONG} {pick(option.label)}")
                set_role(label, "verdict", "wrong")


class SingleInput(_ChoiceInput):
    exclusive = True

    def answer(self) -> object | None:
        picked = self.picked()
        return picked[0] if picked else None

    def show_result(self, grade: Grade) -> None:
        self.mark({str(grade.expected)})

    def hint(self) -> str:
        return self.tr("Pick one answer (keys 1–9), then press Enter.")


class MultipleInput(_ChoiceInput):
    exclusive = False

    def answer(self) -> object | None:
        picked = self.picked()
        return picked or None

    def show_result(self, grade: Grade) -> None:
        self.mark({str(key) for key in grade.expected})

    def hint(self) -> str:
        return self.tr("Pick every right answer (keys 1–9 toggle), then press Enter.")


class TrueFalseInput(AnswerInput):
    """Two buttons; T/O mean true, F/X mean false."""

    def __init__(self, presentation: Presentation, parent: QWidget | None = None):
        super().__init__(presentation, parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.true_button, self.false_button = QRadioButton(), QRadioButton()
        self.group = QButtonGroup(self)
        for button in (self.true_button, self.false_button):
            self.group.addButton(button)
            button.toggled.connect(self.changed)
            layout.addWidget(button)
        layout.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        self.true_button.setText(self.tr("&True  (T)"))
        self.false_button.setText(self.tr("&False  (F)"))

    def focus_widget(self) -> QWidget:
        return self.false_button if self.false_button.isChecked() else self.true_button

    def answer(self) -> object | None:
        if self.true_button.isChecked():
            return True
        return False if self.false_button.isChecked() else None

    def keyPressEvent(self, event) -> None:  # noqa: N802
        keys = {Qt.Key.Key_T: self.true_button, Qt.Key.Key_O: self.true_button,
                Qt.Key.Key_1: self.true_button, Qt.Key.Key_F: self.false_button,
                Qt.Key.Key_X: self.false_button, Qt.Key.Key_2: self.false_button}
        button = keys.get(Qt.Key(event.key()))
        if button is not None and button.isEnabled():
            button.click()
            button.setFocus()
            return
        super().keyPressEvent(event)

    def show_result(self, grade: Grade) -> None:
        right = self.true_button if grade.expected else self.false_button
        for button in (self.true_button, self.false_button):
            button.setEnabled(False)
            picked = button.isChecked()
            if button is right:
                button.setText(f"{RIGHT} {button.text()}")
                set_role(button, "verdict", "right")
            elif picked:
                button.setText(f"{WRONG} {button.text()}")
                set_role(button, "verdict", "wrong")

    def hint(self) -> str:
        return self.tr("True or false? Press T or F, then Enter.")
