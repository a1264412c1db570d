"""The lab's model: a level in play, its slots, locks, choices, hints and worker jobs.

The view changes it only through its methods, and renders what its events announce
(`slot_changed`, `current_changed`, `result_changed`, `hints_changed`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from virtquest.content.levels import CHOICES, Level, assemble_level
from virtquest.content.quizzes import Prose, QuizBank, load_quiz_bank
from virtquest.game.comments import ShownSource, shown_source
from virtquest.game.debugger_model import Stepper
from virtquest.game.observer import Event
from virtquest.game.play import LabResult, play
from virtquest.game.rules import default_assignment, slot_rules
from virtquest.game.runs import RunCache
from virtquest.game.timeline_model import Timeline, traced_run

EXCERPT_MAX_LINES = 30


@dataclass(frozen=True)
class LabSlot:
    """One slot as the lab shows it."""

    index: int
    label: str
    instruction: str
    iclass: str
    where: str                                 # "program" | "kernel"
    line: int                                  # 1-based, in the program or the mini-OS source
    locks: dict[str, dict[str, str] | None]    # choice -> None (allowed) or reason {ko, en}
    concept: str
    setting: str | None = None                 # a host setting the choice picks (not a handler)

    def allowed(self, choice: str) -> bool:
        return self.locks.get(choice) is None


@dataclass(frozen=True)
class Excerpt:
    """Some lines of the mini-OS (the PV sites a level's slots sit in), with their line numbers."""

    text: str
    line_numbers: list[int]


class LabModel:
    """A level in play. Qt-free; the lab view owns one, calls its methods and renders what its
    events announce:

    - `slot_changed(label, rerun)` — a slot's choice, or whether the learner decided it, changed;
      `rerun` is True when the choices changed (a new play is due), False when only a default
      became the learner's own;
    - `current_changed(index)` — another slot has the focus;
    - `result_changed(result)` — a play of the current choices came back (`accept_result`);
    - `hints_changed()` — one more hint is shown.
    """

    def __init__(self, level: Level, *, cache: RunCache | None = None,
                 bank: QuizBank | None = None, choices: dict[str, str] | None = None):
        self.level = level
        self.cache = cache if cache is not None else RunCache()
        self._bank = bank
        self.assembled = assemble_level(level)
        self.slots = self._slot_views()
        given = {k: v for k, v in (choices or {}).items()
                 if k in level.slot_labels and self.slot(k).allowed(v)}
        self.choices = default_assignment(level) | given
        # What the learner has decided: choices given back (an earlier attempt), choices made
        # here, and slots with one legal choice. The others run at the level's default until
        # then, earn nothing (no submitting) and show no lesson.
        self.forced = {s.label for s in self.slots
                       if sum(s.allowed(c) for c in CHOICES) == 1}
        self.decided: set[str] = set(given) | self.forced
        self.current = 0
        self.hints_shown = 0
        self.par: float | None = None
        self.result: LabResult | None = None
        self.slot_changed = Event()
        self.current_changed = Event()
        self.result_changed = Event()
        self.hints_changed = Event()

    # -- slots ---------------------------------------------------------------------------
    def _slot_views(self) -> list[LabSlot]:
        rules = slot_rules(self.level)
        views = []
        for index, slot in enumerate(self.level.slots):
            rule = rules[slot.label]
            owner = self.assembled.owner(slot.label)
            where = "program" if owner is self.assembled.program else "kernel"
            views.append(LabSlot(index, slot.label, rule.site.instruction, rule.site.iclass,
                                  where, owner.lines.get(rule.site.address, 0),
                                  dict(rule.locks), slot.concept, rule.site.setting))
        return views

    def slot(self, label: str) -> LabSlot:
        return next(s for s in self.slots if s.label == label)

    @property
    def current_slot(self) -> LabSlot:
        return self.slots[self.current]

    def choose(self, label: str, choice: str) -> bool:
        """Set one slot's choice; False (nothing to run again) when it is locked or already set.
        A legal choice always counts as decided, even the default one."""
        if choice not in CHOICES or not self.slot(label).allowed(choice):
            return False
        newly_decided = label not in self.decided
        self.decided.add(label)
        if self.choices.get(label) == choice:
            if newly_decided:
                self.slot_changed.emit(label, False)
            return False
        self.choices[label] = choice
        self.slot_changed.emit(label, True)
        return True

    @property
    def undecided(self) -> list[str]:
        """Slots still at the level's default, in order."""
        return [s.label for s in self.slots if s.label not in self.decided]

    @property
    def engaged(self) -> bool:
        """The learner has chosen something or asked for a hint: the lesson may show."""
        return bool(self.decided - self.forced) or self.hints_shown > 0

    def choose_current(self, choice: str) -> bool:
        return self.choose(self.current_slot.label, choice)

    def move(self, delta: int) -> int:
        """Focus another slot (clamped); the new index."""
        return self.focus(max(0, min(len(self.slots) - 1, self.current + delta)))

    def focus(self, index: int) -> int:
        """Focus the slot at `index`; the index."""
        if index != self.current:
            self.current = index
            self.current_changed.emit(index)
        return index

    def accept_result(self, result: LabResult) -> None:
        """A play of the current choices came back from the worker: keep it (and par, found
        once) and announce it."""
        self.result = result
        if result.par is not None:
            self.par = result.par
        self.result_changed.emit(result)

    def snapshot(self) -> dict[str, str]:
        """The choices as they are now (what a worker runs; the learner may go on changing)."""
        return dict(self.choices)

    # -- hints and quizzes ---------------------------------------------------------------
    def next_hint(self) -> Prose | None:
        if self.hints_shown >= len(self.level.hints):
            return None
        self.hints_shown += 1
        self.hints_changed.emit()
        return self.level.hints[self.hints_shown - 1]

    @property
    def hints(self) -> list[Prose]:
        return list(self.level.hints[:self.hints_shown])

    @property
    def bank(self) -> QuizBank:
        if self._bank is None:
            self._bank = load_quiz_bank()
        return self._bank

    def unlocked_questions(self) -> list:
        """The quiz questions this level unlocks (those the bank knows)."""
        found = (self.bank.get(qid) for qid in self.level.quizzes)
        return [q for q in found if q is not None]

    # -- work for a worker (these run off the UI thread) ---------------------------------
    def evaluate(self, choices: dict[str, str],
                 cancel: Callable[[], bool] | None = None) -> LabResult:
        """One play under `choices`; par is found (and kept) on the first play of a par level."""
        result = play(self.level, choices, par=self.par, cache=self.cache, cancel=cancel)
        if self.level.quizzes:
            self.unlocked_questions()       # load the bank here, not on the UI thread
        return result

    def traced(self, mode: str, choices: dict[str, str],
               cancel: Callable[[], bool] | None = None) -> Timeline:
        level = self.level
        return traced_run(level.source, mode, file=level.program_file,
                          profile=level.cost_profile(), defines=dict(level.defines),
                          choices=choices, cancel=cancel)

    def stepper(self, mode: str, choices: dict[str, str]) -> Stepper:
        level = self.level
        return Stepper(level.source, mode, file=level.program_file,
                       profile=level.cost_profile(), defines=dict(level.defines),
                       choices=choices)

    # -- what the code view shows --------------------------------------------------------
    @property
    def source(self) -> str:
        return self.level.source

    def shown_program(self, language: str) -> ShownSource:
        """The program with its comments in `language` only (the `;ko:` convention); each row
        keeps the number of its source line."""
        return shown_source(self.level.source, language)

    def kernel_excerpt(self) -> Excerpt | None:
        """The mini-OS routines that hold the level's kernel slots (None when there are none)."""
        kernel = self.assembled.kernel
        labels = [s.label for s in self.slots if s.where == "kernel"]
        if kernel is None or not labels:
            return None
        lines = kernel.source.split("\n")
        text, numbers = [], []
        for label in labels:
            start = _label_line(lines, label)
            if start is None:
                continue
            if text:
                text.append("")
                numbers.append(0)
            for number in range(start, min(start + EXCERPT_MAX_LINES, len(lines) + 1)):
                if number > start and not lines[number - 1].strip():
                    break
                text.append(lines[number - 1])
                numbers.append(number)
        return Excerpt("\n".join(text), numbers) if text else None


def _label_line(lines: list[str], label: str) -> int | None:
    pattern = re.compile(rf"^\s*{re.escape(label)}\s*:")
    return next((i + 1 for i, line in enumerate(lines) if pattern.match(line)), None)
