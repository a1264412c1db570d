"""The lab's "What happened" tab: what each slot's choice did under each mode, told with the run's
own numbers; once every slot is decided and the goal met, the level's lesson and the quiz cards
it unlocked."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QTextBrowser, QWidget

from virtquest.game.lab_model import LabModel
from virtquest.game.play import LabResult
from virtquest.gui.i18n import pick
from virtquest.hv.registry import mode_title

WRONG = "✘"


class LessonView(QTextBrowser):
    """Shows what its owner passes (a model and its result). A click on "Practise these cards
    now" is `anchorClicked` with the URL `quiz:`."""

    def __init__(self, language: str = "en", parent: QWidget | None = None):
        super().__init__(parent)
        self.language = language
        self.setOpenLinks(False)

    def show_result(self, model: LabModel, result: LabResult) -> None:
        self.setHtml(self._html(model, result))

    def choice_name(self, choice: str) -> str:
        return {"cpu": self.tr("CPU"), "hypervisor": self.tr("Hypervisor"),
                "guest": self.tr("Guest")}[choice]

    def _html(self, model: LabModel, result: LabResult) -> str:
        if not model.engaged:      # nothing that gives the answer away before a choice
            return "<p>" + html.escape(self.tr(
                "Choose who handles each marked instruction: the CPU, the hypervisor or the "
                "(modified) guest. The guest runs again after every choice, and what each "
                "choice did appears here. The lesson and the quiz cards follow once every "
                "slot is your choice and the goal is met.")) + "</p>"
        parts = []
        for outcome in result.slots:
            slot = model.slot(outcome.label)
            choice = self.choice_name(outcome.choice)
            if outcome.label not in model.decided:
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
        if result.goal_met and result.stars and not model.undecided:
            why = self.tr("Why")
            parts.append(f"<h3>{why}</h3>"
                         f"<p>{html.escape(pick(model.level.explain, self.language))}</p>")
            parts.append(self._quiz_html(model))
        return "\n".join(parts)

    def _broke_name(self, what: str) -> str:
        return {"equivalence": self.tr("equivalence broken"),
                "containment": self.tr("containment broken")}.get(what, html.escape(what))

    def _quiz_html(self, model: LabModel) -> str:
        questions = model.unlocked_questions()
        if not questions:
            return ""
        items = "".join(f"<li>{html.escape(pick(q.text, self.language))}</li>"
                        for q in questions)
        heading, practise = self.tr("Quiz cards unlocked"), self.tr("Practise these cards now")
        return (f"<h3>{heading}</h3><ul>{items}</ul>"
                f"<p><a href='quiz:'>{practise}</a></p>")
