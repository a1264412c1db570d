"""The answer input for a question of any of the six kinds (`make_input`).

Every input takes a `Presentation` (the question as shuffled for this learner) and gives its
answer in the question's own terms, the form `game.quiz.grade` accepts; each is usable from the
keyboard and marks, after grading, what was right and what was wrong (qt_answer*.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from virtquest.gui.qt_answer import AnswerInput
from virtquest.gui.qt_answer_choice import MultipleInput, SingleInput, TrueFalseInput
from virtquest.gui.qt_answer_match import ClassifyInput, MatchingInput
from virtquest.gui.qt_answer_order import OrderingInput

if TYPE_CHECKING:
    from virtquest.game.quiz import Presentation


INPUTS: dict[str, type[AnswerInput]] = {
    "single": SingleInput, "multiple": MultipleInput, "true-false": TrueFalseInput,
    "ordering": OrderingInput, "matching": MatchingInput, "classify": ClassifyInput,
}


def make_input(presentation: Presentation, parent: QWidget | None = None) -> AnswerInput:
    return INPUTS[presentation.question.kind](presentation, parent)
