"""The lab's verdict card: each mode's verdict (equivalent, contained, overhead), the stars and par,
the hints, the Submit button, and what a submitted attempt earned with the way on."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from virtquest.game.lab_model import LabModel
from virtquest.game.play import LabResult
from virtquest.gui.i18n import fill, pick
from virtquest.gui.qt_editor import is_dark
from virtquest.gui.theme import set_role
from virtquest.hv.mode import ModeRun
from virtquest.hv.registry import mode_title

RIGHT, WRONG = "✔", "✘"
VERDICT_COLOURS = {"right": ("#1f7a3a", "#5fcf80"), "wrong": ("#c0392b", "#ff7b6b")}


class VerdictBox(QFrame):
    """The card above the slots. It shows what its owner passes (a model and its result); the
    hint and submit buttons are the owner's to connect."""

    next_requested = Signal(str)       # a level id: "Next level ▶" after a clear

    def __init__(self, language: str = "en", parent: QWidget | None = None):
        super().__init__(parent)
        self.language = language
        self._shown: LabResult | None = None     # whose verdicts are on screen
        self.setProperty("role", "card")
        layout = QVBoxLayout(self)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.verdicts = QLabel()
        self.verdicts.setTextFormat(Qt.TextFormat.RichText)
        self.verdicts.setWordWrap(True)
        self.stars = QLabel()
        self.stars.setProperty("role", "stars")
        self.stars.setWordWrap(True)
        self.par = QLabel()
        self.par.setWordWrap(True)
        row = QHBoxLayout()
        self.hint_button = QPushButton()
        self.submit_button = QPushButton()
        self.submit_button.setProperty("role", "primary")
        row.addWidget(self.hint_button)
        row.addStretch(1)
        row.addWidget(self.submit_button)
        self.hints = QLabel()
        self.hints.setWordWrap(True)
        for widget in (self.status, self.verdicts, self.stars, self.par):
            layout.addWidget(widget)
        layout.addLayout(row)
        layout.addWidget(self.hints)
        layout.addWidget(self._cleared_box())

    def _cleared_box(self) -> QFrame:
        """What a submitted attempt earned: stars, XP, a new level, achievements, what opened,
        and the way on. Hidden until the learner submits."""
        self.cleared = QFrame()
        self.cleared.setProperty("role", "feedback")
        layout = QVBoxLayout(self.cleared)
        self.cleared_text = QLabel()
        self.cleared_text.setTextFormat(Qt.TextFormat.RichText)
        self.cleared_text.setWordWrap(True)
        self.next_button = QPushButton()
        self.next_button.setProperty("role", "primary")
        self.next_button.clicked.connect(
            lambda: self.next_requested.emit(self.next_button.property("level")))
        layout.addWidget(self.cleared_text)
        layout.addWidget(self.next_button, 0, Qt.AlignmentFlag.AlignRight)
        self.cleared.setVisible(False)
        return self.cleared

    def retranslate(self) -> None:
        self.submit_button.setText(self.tr("Submit"))

    # -- a play's verdict --------------------------------------------------------------------
    def show_result(self, model: LabModel, busy: bool) -> None:
        """The verdict of the model's result (nothing before the first), as far as the learner
        has decided; Submit only when every slot is decided and no run is pending."""
        result = model.result
        if result is None:
            self._shown = None
            self.verdicts.setText("")
            self.stars.setText("")
            self.par.setText("")
            self.submit_button.setEnabled(False)
            return
        undecided = model.undecided
        self.status.setText(self.tr("Verdict for your choices:") if model.engaged else
                            self.tr("A first run at the level's starting choices — who should "
                                    "handle each instruction? Choose below."))
        self.show_verdicts(result)
        self.stars.setText(self._stars_text(result) if not undecided else "☆☆☆  " + fill(
            self.tr("Choose a handler for every slot to earn stars (%1 left)."), len(undecided)))
        self.par.setText(self._par_text(model, result) if not undecided else "")
        self.submit_button.setEnabled(not busy and not undecided)
        self.submit_button.setToolTip(self.tr("Choose a handler for every slot first")
                                      if undecided else "")

    def show_verdicts(self, result: LabResult) -> None:
        """One line per mode, its marks in the theme's colours (again after a theme switch)."""
        self._shown = result
        self.verdicts.setText("<br>".join(self._verdict_line(run) for run in result.runs))

    def show_busy(self, busy: bool, model: LabModel) -> None:
        if busy:
            self.status.setText(self.tr("Running the guest under your choices…"))
        self.submit_button.setEnabled(not busy and model.result is not None
                                      and not model.undecided)

    def show_failure(self, exc: BaseException) -> None:
        self.status.setText(fill(self.tr("The run failed: %1"), exc))

    def _verdict_line(self, run: ModeRun) -> str:
        dark = is_dark(self.palette())

        def mark(ok: bool, name: str) -> str:
            colour = VERDICT_COLOURS["right" if ok else "wrong"][1 if dark else 0]
            return f"<span style='color:{colour}'><b>{RIGHT if ok else WRONG}</b> {name}</span>"
        equivalent, contained = self.tr("equivalent"), self.tr("contained")
        return (f"<b>{html.escape(mode_title(run.mode, self.language))}</b>: "
                f"{mark(run.equivalent, equivalent)} &nbsp; "
                f"{mark(run.contained, contained)} &nbsp; "
                + fill(self.tr("overhead ×%1"), f"{run.overhead:.2f}"))

    def _stars_text(self, result: LabResult) -> str:
        if not result.goal_met:
            return "☆☆☆  " + self.tr(
                "Goal not met: the guest must stay equivalent and contained.")
        return "★" * result.stars + "☆" * (3 - result.stars)

    def _par_text(self, model: LabModel, result: LabResult) -> str:
        stars = model.level.goal.stars
        if result.par is not None:
            return fill(self.tr("Par (the best legal assignment): ×%1 — yours: ×%2"),
                        f"{result.par:.2f}", f"{result.overhead:.2f}")
        if isinstance(stars, list):
            return fill(self.tr("★★★ at ×%1 or less, ★★ at ×%2 — yours: ×%3"),
                        f"{stars[0]:.2f}", f"{stars[1]:.2f}", f"{result.overhead:.2f}")
        return ""

    # -- hints -------------------------------------------------------------------------------
    def show_hints(self, model: LabModel) -> None:
        shown = model.hints
        left = len(model.level.hints) - len(shown)
        self.hint_button.setText(fill(self.tr("Hint (%1 left)"), left))
        self.hint_button.setEnabled(left > 0)
        self.hint_button.setVisible(bool(model.level.hints))
        self.hints.setText("\n".join(fill(self.tr("Hint %1: %2"), i, pick(h, self.language))
                                     for i, h in enumerate(shown, start=1)))
        self.hints.setVisible(bool(shown))

    # -- a submitted attempt -----------------------------------------------------------------
    def show_cleared(self, result: LabResult, effects, opened: list[str],
                     next_level: tuple[str, str] | None) -> None:
        """Celebrate a submitted attempt. `effects`: the XP, level and achievements it earned
        (game.xp.ActivityEffects); `opened`: titles of the levels it unlocked; `next_level`:
        (id, title) of the level to play next, if any."""
        lines = []
        if result.stars:
            lines.append("<b>" + "★" * result.stars + "☆" * (3 - result.stars) + "  "
                         + html.escape(self.tr("Level cleared!")) + "</b>")
        else:
            lines.append("<b>" + html.escape(self.tr(
                "Attempt saved — the goal is not met yet, so no stars.")) + "</b>")
        if effects.xp_gained:
            lines.append(html.escape(fill(self.tr("+%1 XP"), effects.xp_gained)))
        if effects.leveled_up:
            lines.append("<b>" + html.escape(fill(self.tr("Level up! You are now level %1."),
                                                  effects.level_after)) + "</b>")
        for achievement in effects.new_achievements:
            lines.append("◆ " + html.escape(fill(self.tr("Achievement: %1"),
                                                  pick(achievement.title, self.language))))
        if opened:
            lines.append(html.escape(fill(self.tr("Unlocked: %1"), ", ".join(
                f"“{title}”" for title in opened))))
        self.cleared_text.setText("<br>".join(lines))
        self.next_button.setVisible(next_level is not None)
        if next_level is not None:
            self.next_button.setProperty("level", next_level[0])
            self.next_button.setText(fill(self.tr("Next level: %1 ▶"), next_level[1]))
        set_role(self.cleared, "verdict", "right" if result.stars else "wrong")
        self.cleared.setVisible(True)
        self.cleared.adjustSize()

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() == QEvent.Type.PaletteChange and self._shown is not None:
            self.show_verdicts(self._shown)        # HTML with colours written in: rewrite it
        super().changeEvent(event)
