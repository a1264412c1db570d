"""The answer inputs for the six question kinds, each usable from the keyboard and each able to
mark, after grading, what was right and what was wrong.

Every input takes a `Presentation` (the question as shuffled for this learner) and gives its
answer in the question's own terms, the form `game.quiz.grade` accepts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from virtquest.gui.i18n import fill, pick
from virtquest.gui.theme import colour, set_role
from virtquest.gui.widgets import wrapped

if TYPE_CHECKING:
    from virtquest.game.quiz import Grade, Presentation

LETTERS = "abcdefghijklmnopqrstuvwxyz"
RIGHT, WRONG = "✔", "✘"


class ClickLabel(QLabel):
    """A wrapping label that clicks its button: long choices wrap, yet the whole row is a target."""

    def __init__(self, button: QAbstractButton):
        super().__init__()
        self.button = button
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if self.button.isEnabled():
            self.button.click()
            self.button.setFocus()
        super().mousePressEvent(event)


class AnswerInput(QWidget):
    """Base of the six inputs: `answer()` is None until the answer is complete."""

    changed = Signal()

    def __init__(self, presentation: Presentation, parent: QWidget | None = None):
        super().__init__(parent)
        self.presentation = presentation
        self.question = presentation.question

    def answer(self) -> object | None:
        raise NotImplementedError

    def show_result(self, grade: Grade) -> None:
        """Lock the input and mark each part right or wrong."""
        raise NotImplementedError

    def retranslate(self) -> None:
        """Show the content in the current UI language."""

    def hint(self) -> str:
        return ""

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


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


class OrderingInput(AnswerInput):
    """A list to reorder by dragging or with Alt+Up / Alt+Down (and the two buttons)."""

    def __init__(self, presentation: Presentation, parent: QWidget | None = None):
        super().__init__(presentation, parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setSpacing(2)
        self.list.model().rowsMoved.connect(lambda *_: self._renumber())
        for option in presentation.options:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, option.key)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        buttons = QVBoxLayout()
        self.up, self.down = QPushButton(), QPushButton()
        self.up.clicked.connect(lambda: self.move(-1))
        self.down.clicked.connect(lambda: self.move(+1))
        buttons.addWidget(self.up)
        buttons.addWidget(self.down)
        buttons.addStretch(1)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.list.installEventFilter(self)
        self.retranslate()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        # Alt+Up / Alt+Down move the selected step (plain arrows still move the selection).
        if watched is self.list and event.type() == QEvent.Type.KeyPress and \
                event.modifiers() & Qt.KeyboardModifier.AltModifier:
            step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: +1}.get(Qt.Key(event.key()))
            if step is not None:
                self.move(step)
                return True
        return super().eventFilter(watched, event)

    def retranslate(self) -> None:
        self.up.setText(self.tr("Move up"))
        self.down.setText(self.tr("Move down"))
        self.up.setToolTip("Alt+↑")
        self.down.setToolTip("Alt+↓")
        self._renumber()

    def _renumber(self) -> None:
        labels = {option.key: option.label for option in self.presentation.options}
        for row in range(self.list.count()):
            item = self.list.item(row)
            prefix = item.data(Qt.ItemDataRole.UserRole + 1) or ""
            item.setText(f"{prefix}{row + 1}. {pick(labels[item.data(Qt.ItemDataRole.UserRole)])}")
        self._fit_height()

    def _fit_height(self) -> None:
        rows = sum(self.list.sizeHintForRow(r) + 2 * self.list.spacing()
                   for r in range(self.list.count()))
        self.list.setMinimumHeight(rows + 2 * self.list.frameWidth() + 4)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_height()

    def move(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.list.count() or not self.list.isEnabled():
            return
        item = self.list.takeItem(row)
        self.list.insertItem(target, item)
        self.list.setCurrentRow(target)
        self._renumber()
        self.changed.emit()

    def order(self) -> list[int]:
        return [int(self.list.item(r).data(Qt.ItemDataRole.UserRole))
                for r in range(self.list.count())]

    def answer(self) -> object | None:
        return self.order()

    def show_result(self, grade: Grade) -> None:
        self.list.setEnabled(False)
        self.up.setEnabled(False)
        self.down.setEnabled(False)
        for row in range(self.list.count()):
            item = self.list.item(row)
            right = item.data(Qt.ItemDataRole.UserRole) == row
            item.setData(Qt.ItemDataRole.UserRole + 1, f"{RIGHT if right else WRONG} ")
        self._renumber()

    def hint(self) -> str:
        return self.tr("Put the steps in order: drag them, or select one and press "
                       "Alt+↑ / Alt+↓. Then press Enter.")


class MatchingInput(AnswerInput):
    """Each left entry gets a right entry from a drop-down; the right entries are listed a, b, c…"""

    def __init__(self, presentation: Presentation, parent: QWidget | None = None):
        super().__init__(presentation, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.legend = wrapped()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.legend)
        grid = QGridLayout()
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)
        self.rows: list[tuple[str, QLabel, QComboBox, QLabel]] = []
        for row, option in enumerate(presentation.options):
            label, combo, mark = wrapped(), QComboBox(), wrapped()
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(14)
            combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            combo.currentIndexChanged.connect(self.changed)
            label.setBuddy(combo)
            grid.addWidget(label, 2 * row, 0)
            grid.addWidget(combo, 2 * row, 1)
            grid.addWidget(mark, 2 * row + 1, 1)
            mark.hide()
            self.rows.append((str(option.key), label, combo, mark))
        layout.addLayout(grid)
        self.retranslate()

    def targets(self):
        return self.presentation.targets

    def retranslate(self) -> None:
        lines = [f"<b>{LETTERS[i]}.</b> {_escape(pick(t.label))}"
                 for i, t in enumerate(self.targets())]
        self.legend.setText("<br>".join(lines))
        labels = {str(o.key): o.label for o in self.presentation.options}
        for key, label, combo, _mark in self.rows:
            label.setText(pick(labels[key]))
            current = combo.currentIndex()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(self.tr("Choose..."), None)
            for i, target in enumerate(self.targets()):
                combo.addItem(f"{LETTERS[i]}. {pick(target.label)}", str(target.key))
            combo.setCurrentIndex(max(0, current))
            combo.view().setMinimumWidth(combo.view().sizeHintForColumn(0) + 24)
            combo.blockSignals(False)

    def choose(self, source: str, target: str) -> None:
        """Pick `target` for `source` (what a learner does with the drop-down)."""
        for key, _label, combo, _mark in self.rows:
            if key == source:
                combo.setCurrentIndex(combo.findData(target))

    def answer(self) -> object | None:
        chosen = {key: combo.currentData() for key, _l, combo, _m in self.rows}
        return chosen if all(chosen.values()) else None

    def show_result(self, grade: Grade) -> None:
        letters = {str(t.key): (LETTERS[i], t.label) for i, t in enumerate(self.targets())}
        for key, _label, combo, mark in self.rows:
            combo.setEnabled(False)
            expected = grade.expected[key]
            right = combo.currentData() == expected
            letter, text = letters[expected]
            if right:
                mark.setText(RIGHT)
                set_role(mark, "verdict", "right")
            else:
                answer = fill(self.tr("right answer: %1"), f"{letter}. {_escape(pick(text))}")
                mark.setText(f"<span style='color:{colour('wrong').name()}'>{WRONG}</span> "
                             f"{answer}")
            mark.show()

    def hint(self) -> str:
        return self.tr("Choose the matching entry for each row (Tab moves to the next one; "
                       "type a letter to pick). Then press Enter.")


class ClassifyInput(AnswerInput):
    """A grid: one row per item, one column per category, one radio button per cell."""

    def __init__(self, presentation: Presentation, parent: QWidget | None = None):
        super().__init__(presentation, parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(16)
        grid.setColumnStretch(0, 3)
        self.headers = []
        for col, _target in enumerate(presentation.targets, start=1):
            header = wrapped(role="muted")
            header.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(header, 0, col)
            grid.setColumnStretch(col, 2)
            self.headers.append(header)
        self.rows: list[tuple[str, QLabel, QButtonGroup]] = []
        for row, option in enumerate(presentation.options, start=1):
            label = wrapped()
            grid.addWidget(label, row, 0)
            group = QButtonGroup(self)
            for col, target in enumerate(presentation.targets, start=1):
                button = QRadioButton()
                button.setProperty("target", str(target.key))
                button.toggled.connect(self.changed)
                group.addButton(button)
                grid.addWidget(button, row, col, Qt.AlignmentFlag.AlignCenter)
            self.rows.append((str(option.key), label, group))
        self.retranslate()

    def retranslate(self) -> None:
        for header, target in zip(self.headers, self.presentation.targets, strict=True):
            header.setText(pick(target.label))
        labels = {str(o.key): o.label for o in self.presentation.options}
        for key, label, group in self.rows:
            label.setText(pick(labels[key]))
            for button, target in zip(group.buttons(), self.presentation.targets, strict=True):
                button.setAccessibleName(f"{pick(labels[key])}: {pick(target.label)}")

    def choose(self, item: str, category: str) -> None:
        for key, _label, group in self.rows:
            if key == item:
                for button in group.buttons():
                    if button.property("target") == category:
                        button.click()

    def answer(self) -> object | None:
        chosen = {}
        for key, _label, group in self.rows:
            button = group.checkedButton()
            if button is None:
                return None
            chosen[key] = button.property("target")
        return chosen

    def show_result(self, grade: Grade) -> None:
        labels = {str(o.key): o.label for o in self.presentation.options}
        for key, label, group in self.rows:
            checked = group.checkedButton()
            right = checked is not None and checked.property("target") == grade.expected[key]
            for button in group.buttons():
                button.setEnabled(False)
                if button.property("target") == grade.expected[key]:
                    set_role(button, "verdict", "right")
                    button.setText(RIGHT)
            label.setText(f"{RIGHT if right else WRONG} {pick(labels[key])}")
            set_role(label, "verdict", "right" if right else "wrong")

    def hint(self) -> str:
        return self.tr("Put each item in one category: Tab moves between rows, the arrow keys "
                       "between categories. Then press Enter.")


INPUTS: dict[str, type[AnswerInput]] = {
    "single": SingleInput, "multiple": MultipleInput, "true-false": TrueFalseInput,
    "ordering": OrderingInput, "matching": MatchingInput, "classify": ClassifyInput,
}


def make_input(presentation: Presentation, parent: QWidget | None = None) -> AnswerInput:
    return INPUTS[presentation.question.kind](presentation, parent)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
