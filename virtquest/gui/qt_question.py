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
from virtquest.gui.theme import set_role
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

    def focus_widget(self) -> QWidget:
        """The part that takes the keyboard when the question appears."""
        return self

    def focus_first(self) -> None:
        """Give the keyboard to this input, so its keys work at once (no Tab first)."""
        self.focus_widget().setFocus(Qt.FocusReason.OtherFocusReason)

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


class MarkedLine(QWidget):
    """A verdict mark (✔ or ✘, coloured by the theme) before wrapped text in the normal colour:
    an answered part stays as readable as it was, never pale, never cut short."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.mark = QLabel()
        self.text = wrapped()
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.mark, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.text, 1)

    def show_line(self, right: bool, text: str) -> None:
        self.mark.setText(RIGHT if right else WRONG)
        set_role(self.mark, "verdict", "right" if right else "wrong")
        self.mark.setAccessibleName(RIGHT if right else WRONG)
        self.text.setText(text)


class OrderingInput(AnswerInput):
    """A list to reorder by dragging or with Alt+Up / Alt+Down (and the two buttons). Once
    graded, the learner's order stays on screen as wrapped lines, each marked right or wrong."""

    def __init__(self, presentation: Presentation, parent: QWidget | None = None):
        super().__init__(presentation, parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.editor = QWidget()
        layout = QHBoxLayout(self.editor)
        layout.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
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
        self.result = QWidget()
        lines = QVBoxLayout(self.result)
        lines.setContentsMargins(0, 0, 0, 0)
        lines.setSpacing(6)
        self.lines = [MarkedLine() for _ in presentation.options]
        for line in self.lines:
            lines.addWidget(line)
        self.result.hide()
        outer.addWidget(self.editor)
        outer.addWidget(self.result)
        self.graded = False
        self.retranslate()

    def focus_widget(self) -> QWidget:
        return self.list

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

    def _step_text(self, row: int) -> str:
        labels = {option.key: option.label for option in self.presentation.options}
        return f"{row + 1}. {pick(labels[self.list.item(row).data(Qt.ItemDataRole.UserRole)])}"

    def _renumber(self) -> None:
        for row in range(self.list.count()):
            self.list.item(row).setText(self._step_text(row))
        self._fit_height()
        if self.graded:
            for row, line in enumerate(self.lines):
                right = self.list.item(row).data(Qt.ItemDataRole.UserRole) == row
                line.show_line(right, self._step_text(row))

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
        if row < 0 or not 0 <= target < self.list.count() or self.graded:
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
        # The list would turn pale (disabled) and cut long steps short: plain lines replace it.
        self.graded = True
        self.list.setEnabled(False)
        self.up.setEnabled(False)
        self.down.setEnabled(False)
        self.editor.hide()
        self.result.show()
        self._renumber()

    def hint(self) -> str:
        return self.tr("Put the steps in order: drag them, or select one and press "
                       "Alt+↑ / Alt+↓. Then press Enter.")


class MatchingInput(AnswerInput):
    """Each left entry gets a right entry from a drop-down; the right entries are listed a, b, c…
    Typing an entry's letter picks it for the row and moves on to the next row."""

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
        # Once graded, each drop-down gives way to the entry chosen, marked ✔ or ✘, and a wrong
        # one is followed by the right answer.
        self.rows: list[tuple[str, QLabel, QComboBox, QLabel]] = []
        self.chosen: list[MarkedLine] = []
        for row, option in enumerate(presentation.options):
            label, combo, mark, chosen = wrapped(), QComboBox(), wrapped(), MarkedLine()
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(14)
            combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            combo.currentIndexChanged.connect(self.changed)
            combo.installEventFilter(self)
            label.setBuddy(combo)
            grid.addWidget(label, 2 * row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(combo, 2 * row, 1)
            grid.addWidget(chosen, 2 * row, 1)
            grid.addWidget(mark, 2 * row + 1, 1)
            mark.setTextFormat(Qt.TextFormat.PlainText)
            mark.setIndent(chosen.mark.fontMetrics().horizontalAdvance(WRONG) + 6)  # under the text
            mark.hide()
            chosen.hide()
            self.rows.append((str(option.key), label, combo, mark))
            self.chosen.append(chosen)
        layout.addLayout(grid)
        self.graded: Grade | None = None
        self.retranslate()

    def targets(self):
        return self.presentation.targets

    def focus_widget(self) -> QWidget:
        return self.rows[0][2] if self.rows else self

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        # A target's letter picks it for this row and moves on to the next row.
        if event.type() == QEvent.Type.KeyPress and isinstance(watched, QComboBox) and \
                watched.isEnabled() and event.modifiers() in (Qt.KeyboardModifier.NoModifier,
                                                              Qt.KeyboardModifier.ShiftModifier):
            letter = event.text().lower()
            if len(letter) == 1 and letter in LETTERS[:len(self.targets())]:
                watched.setCurrentIndex(LETTERS.index(letter) + 1)
                combos = [combo for _key, _label, combo, _mark in self.rows]
                index = combos.index(watched)
                if index + 1 < len(combos):
                    combos[index + 1].setFocus(Qt.FocusReason.TabFocusReason)
                return True
        return super().eventFilter(watched, event)

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
        if self.graded is not None:
            self._show_marks(self.graded)

    def choose(self, source: str, target: str) -> None:
        """Pick `target` for `source` (what a learner does with the drop-down)."""
        for key, _label, combo, _mark in self.rows:
            if key == source:
                combo.setCurrentIndex(combo.findData(target))

    def answer(self) -> object | None:
        chosen = {key: combo.currentData() for key, _l, combo, _m in self.rows}
        return chosen if all(chosen.values()) else None

    def show_result(self, grade: Grade) -> None:
        # A disabled drop-down is pale and cuts its text short: wrapped lines take its place.
        self.graded = grade
        self._show_marks(grade)

    def _show_marks(self, grade: Grade) -> None:
        letters = {str(t.key): f"{LETTERS[i]}. {pick(t.label)}"
                   for i, t in enumerate(self.targets())}
        for (key, _label, combo, mark), chosen in zip(self.rows, self.chosen, strict=True):
            combo.setEnabled(False)
            combo.hide()
            expected = grade.expected[key]
            right = combo.currentData() == expected
            chosen.show_line(right, letters.get(combo.currentData(), ""))
            chosen.show()
            mark.setText(fill(self.tr("right answer: %1"), letters[expected]))
            mark.setVisible(not right)

    def hint(self) -> str:
        return self.tr("Type the letter of each row's match (a, b, c…): the next row follows. "
                       "Or choose from each drop-down. Then press Enter.")


class ClassifyInput(AnswerInput):
    """A grid: one row per item, one column per category, one radio button per cell. From the
    keyboard, a category's number puts the marked item in it and moves on to the next item."""

    def __init__(self, presentation: Presentation, parent: QWidget | None = None):
        super().__init__(presentation, parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(16)
        grid.setColumnStretch(1, 3)
        self.headers = []
        for col, _target in enumerate(presentation.targets, start=2):
            header = wrapped(role="muted")
            header.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(header, 0, col)
            grid.setColumnStretch(col, 2)
            self.headers.append(header)
        self.rows: list[tuple[str, QLabel, QButtonGroup]] = []
        self.pointers: list[QLabel] = []  # ▸ before the item the keys act on
        for row, option in enumerate(presentation.options, start=1):
            pointer, label = QLabel(), wrapped()
            pointer.setFixedWidth(pointer.fontMetrics().horizontalAdvance("▸") + 4)
            grid.addWidget(pointer, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(label, row, 1)
            group = QButtonGroup(self)
            for col, target in enumerate(presentation.targets, start=2):
                button = QRadioButton()
                button.setProperty("target", str(target.key))
                button.toggled.connect(self.changed)
                button.installEventFilter(self)
                group.addButton(button)
                grid.addWidget(button, row, col, Qt.AlignmentFlag.AlignCenter)
            self.rows.append((str(option.key), label, group))
            self.pointers.append(pointer)
        self.graded: Grade | None = None
        self.retranslate()

    def retranslate(self) -> None:
        for number, (header, target) in enumerate(zip(self.headers, self.presentation.targets,
                                                      strict=True), start=1):
            header.setText(f"{number}. {pick(target.label)}")
        labels = {str(o.key): o.label for o in self.presentation.options}
        for key, label, group in self.rows:
            label.setText(pick(labels[key]))
            for button, target in zip(group.buttons(), self.presentation.targets, strict=True):
                button.setAccessibleName(f"{pick(labels[key])}: {pick(target.label)}")
        if self.graded is not None:
            self._show_marks(self.graded)

    # --- keyboard ------------------------------------------------------------------------
    def focus_widget(self) -> QWidget:
        return self._button_of(0) if self.rows else self

    def _row_of(self, widget: QWidget | None) -> int | None:
        for row, (_key, _label, group) in enumerate(self.rows):
            if widget in group.buttons():
                return row
        return None

    def _button_of(self, row: int, column: int | None = None) -> QAbstractButton:
        buttons = self.rows[row][2].buttons()
        checked = self.rows[row][2].checkedButton()
        if checked is not None:
            return checked
        return buttons[column if column is not None and column < len(buttons) else 0]

    def _focus_row(self, row: int, column: int | None = None) -> None:
        if 0 <= row < len(self.rows):
            self._button_of(row, column).setFocus(Qt.FocusReason.TabFocusReason)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if event.type() in (QEvent.Type.FocusIn, QEvent.Type.FocusOut):
            row = self._row_of(watched) if event.type() == QEvent.Type.FocusIn else None
            for index, pointer in enumerate(self.pointers):
                pointer.setText("▸" if index == row and self.graded is None else "")
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event) -> None:  # noqa: N802
        # Keys the focused radio button leaves alone arrive here: a category's number ticks
        # it for the current item and goes on to the next; ↑/↓ go from item to item.
        focused = self.focusWidget()
        row = self._row_of(focused)
        if row is None or self.graded is not None:
            super().keyPressEvent(event)
            return
        column = self.rows[row][2].buttons().index(focused)
        number = event.key() - Qt.Key.Key_1
        if 0 <= number < len(self.presentation.targets):
            self.rows[row][2].buttons()[number].click()
            self._focus_row(row + 1 if row + 1 < len(self.rows) else row, number)
            return
        step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: +1}.get(Qt.Key(event.key()))
        if step is not None:
            self._focus_row(row + step, column)
            return
        super().keyPressEvent(event)

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
        self.graded = grade
        for pointer in self.pointers:
            pointer.setText("")
        self._show_marks(grade)

    def _show_marks(self, grade: Grade) -> None:
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
        return fill(self.tr("Press a category's number (1–%1) to put the item marked ▸ in it; "
                            "the next item follows. ↑/↓ move between items. Then press Enter."),
                    len(self.presentation.targets))


INPUTS: dict[str, type[AnswerInput]] = {
    "single": SingleInput, "multiple": MultipleInput, "true-false": TrueFalseInput,
    "ordering": OrderingInput, "matching": MatchingInput, "classify": ClassifyInput,
}


def make_input(presentation: Presentation, parent: QWidget | None = None) -> AnswerInput:
    return INPUTS[presentation.question.kind](presentation, parent)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
