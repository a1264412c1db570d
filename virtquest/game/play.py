"""One play of a level: its assignment judged under the level's modes, par when the level scores
against it, the stars, what each slot did and the explanation it earned, and the mistakes
(docs/design.md, "A lab run, from click to verdict").
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from virtquest.content.levels import Level, assemble_level
from virtquest.game.assessment import Assessment, assess, stars_for
from virtquest.game.explain import Note, SiteFacts, bilingual, explain_site
from virtquest.game.rules import slot_rules
from virtquest.game.runs import CACHE, RunCache
from virtquest.game.solver import solve
from virtquest.hv.mode import ModeRun


@dataclass(frozen=True)
class Mistake:
    """A slot whose choice cost the learner: it broke a property, or only cost cycles."""

    slot: str
    concept: str
    reason: str          # "equivalence" | "containment" | "efficiency"


@dataclass
class SlotOutcome:
    label: str
    choice: str
    site: SiteFacts
    count: int
    notes: list[Note]
    explain: dict[str, str] | None

    def to_json(self) -> dict:
        return {"slot": self.label, "choice": self.choice, "instruction": self.site.instruction,
                "class": self.site.iclass, "count": self.count,
                "notes": [note.to_json() for note in self.notes], "explain": self.explain}


@dataclass
class LabResult:
    """One play of a level: verdicts, overhead (the worst mode's), stars, and what each slot did."""

    level_id: str
    assessment: Assessment
    stars: int
    goal_met: bool
    par: float | None
    slots: list[SlotOutcome]
    mistakes: list[Mistake] = field(default_factory=list)

    @property
    def choices(self) -> dict[str, str]:
        return self.assessment.choices

    @property
    def runs(self) -> list[ModeRun]:
        return self.assessment.runs

    @property
    def equivalent(self) -> bool:
        return self.assessment.equivalent

    @property
    def contained(self) -> bool:
        return self.assessment.contained

    @property
    def overhead(self) -> float:
        return self.assessment.overhead

    def verdict_json(self) -> dict:
        return {"level": self.level_id, "choices": self.choices, "equivalent": self.equivalent,
                "contained": self.contained, "overhead": round(self.overhead, 4),
                "worst_mode": self.assessment.worst.mode, "goal_met": self.goal_met,
                "stars": self.stars, "par": None if self.par is None else round(self.par, 4),
                "slots": [slot.to_json() for slot in self.slots],
                "mistakes": [vars(m) for m in self.mistakes]}


def play(level: Level, choices: Mapping[str, str] | None = None, *,
         par: float | None = None, cache: RunCache = CACHE,
         cancel: Callable[[], bool] | None = None) -> LabResult:
    """Run the level's modes under the learner's choices and score them."""
    assessment = assess(level, choices, cache=cache, cancel=cancel)
    if level.goal.stars == "par" and par is None:
        par = solve(level, cache=cache, cancel=cancel).overhead
    goal_met = assessment.goal_met(level)
    stars = stars_for(level, assessment.overhead, goal_met, par)
    slots = _slot_outcomes(level, assessment, cache)
    return LabResult(level.id, assessment, stars, goal_met, par, slots,
                     _mistakes(level, slots, stars))


def _slot_outcomes(level: Level, assessment: Assessment, cache: RunCache) -> list[SlotOutcome]:
    counts = cache.native_reference(level).counts
    built = _built_addresses(level, assessment.choices)
    outcomes = []
    for slot in level.slots:
        rule = slot_rules(level)[slot.label]
        choice = assessment.choices[slot.label]
        # Another slot's Guest form may move code: the run knows the site at its built address.
        site = dataclasses.replace(rule.site, address=built.get(slot.label, rule.site.address))
        notes = [explain_site(site, choice, run, counts[slot.label])
                 for run in assessment.runs]
        outcomes.append(SlotOutcome(slot.label, choice, rule.site, counts[slot.label], notes,
                                    bilingual(slot.explain) if slot.explain else None))
    return outcomes


def _built_addresses(level: Level, choices: Mapping[str, str]) -> dict[str, int]:
    modified = tuple(label for label, choice in choices.items() if choice == "guest")
    if not modified:
        return {}
    assembled = assemble_level(level, modified)
    return {label: address for label in level.slot_labels
            if (address := assembled.address_of(label)) is not None}


def _mistakes(level: Level, slots: list[SlotOutcome], stars: int) -> list[Mistake]:
    mistakes = []
    for outcome in slots:
        concept = level.slot(outcome.label).concept
        broke = next((note.broke for note in outcome.notes if note.broke), None)
        if broke:
            mistakes.append(Mistake(outcome.label, concept, broke))
        elif (stars < 3 and outcome.choice == "hypervisor"
              and outcome.site.iclass == "innocuous" and outcome.count):
            mistakes.append(Mistake(outcome.label, concept, "efficiency"))
    return mistakes
