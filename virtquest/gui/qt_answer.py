"""What every answer input is: the `AnswerInput` base (an answer in the question's own terms, or None
until complete; marks after grading; the keyboard), and the parts several kinds share: a label that
clicks its button, a line with a right/wrong mark, the letters and marks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QAbstractButton, QHBoxLayout, QLabel, QSizePolicy, QWidget

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


def escape_html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
