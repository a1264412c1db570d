"""Answer inputs that give each item a target: matching (one partner each) and classifying (one
category each)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QComboBox,
    QGridLayout,
    QLabel,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from virtquest.gui.i18n import fill, pick
from virtquest.gui.qt_answer import LETTERS, RIGHT, WRONG, AnswerInput, MarkedLine, escape_html
from virtquest.gui.theme import set_role
from virtquest.gui.widgets import wrapped

if TYPE_CHECKING:
    from virtquest.game.quiz import Grade, Presentation


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
        lines = [f"<b>{LETTERS[i]}.</b> {escape_html(pick(t.label))}"
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
