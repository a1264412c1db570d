"""The assignment game: which choices are legal for a slot and why the others are locked (the
choice matrix, docs/curriculum.md), one play of a level under its modes, the verdicts, the
overhead, the stars, and the mistakes (docs/design.md, "A lab run, from click to verdict").

Runs are deterministic, so each (level, mode, choices) is run once and kept (see `RunCache`); the
solver relies on this too.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from virtquest.content.errors import ContentError
from virtquest.content.levels import CHOICES, Level, assemble_level, did_you_mean
from virtquest.content.quizzes import QuizBank, load_quiz_bank
from virtquest.content.yamlload import format_loc, line_of, load_yaml
from virtquest.emu.boot import kernel_program
from virtquest.emu.encoding import decode
from virtquest.emu.errors import VirtQuestError
from virtquest.emu.isa import INSTRUCTION_SIZE
from virtquest.emu.machine import DEFAULT_BUDGET, RunResult
from virtquest.game.explain import (
    MODE_NAMES,
    Note,
    SiteFacts,
    bilingual,
    explain_site,
    load_matrix,
)
from virtquest.hv.mode import ModeRun
from virtquest.hv.runner import load_for_mode, run_modes

# Stars relative to par: within 2% of the best legal assignment is three, within 50% two.
PAR_FACTORS = (1.02, 1.5)
SAFE_ORDER = ("hypervisor", "guest", "cpu")   # correct-first: the VMM, a modified guest, the CPU


class LabError(VirtQuestError):
    """An assignment the level does not allow: an unknown slot, or a locked choice."""


# --- what each slot is and which choices it allows --------------------------------------------


@dataclass(frozen=True)
class SlotRules:
    """One slot's instruction and, per choice, None when allowed or the lock's reason (ko/en)."""

    site: SiteFacts
    has_guest_form: bool
    locks: dict[str, dict[str, str] | None]

    def legal(self) -> list[str]:
        return [choice for choice in CHOICES if self.locks[choice] is None]


def level_key(level: Level) -> tuple:
    """What a run of this level depends on (besides mode and choices)."""
    digest = hashlib.sha256(level.source.encode()).hexdigest()
    return (level.id, digest, tuple(sorted(level.defines.items())), level.hardware.profile,
            level.hardware.ept)


def slot_rules(level: Level) -> dict[str, SlotRules]:
    """Per slot: its instruction and its legal choices (kept per level_key)."""
    key = (level_key(level), tuple(level.modes), level.guest.modifiable,
           tuple(level.slot_labels))
    rules = _RULES.get(key)
    if rules is None:
        rules = _RULES[key] = _build_rules(level)
        if len(_RULES) > 256:
            _RULES.pop(next(iter(_RULES)))
    return rules


_RULES: dict[tuple, dict[str, SlotRules]] = {}


def _build_rules(level: Level) -> dict[str, SlotRules]:
    assembled = assemble_level(level)
    rules = {}
    for slot in level.slots:
        site = _site(assembled, slot.label)
        has_form = f"GUEST_{slot.label}" in assembled.owner(slot.label).symbols
        rules[slot.label] = SlotRules(site, has_form, _locks(level, site.iclass, has_form))
    return rules


def _site(assembled, label: str) -> SiteFacts:
    owner = assembled.owner(label)
    if owner is None:
        raise LabError(f"no label {label!r} in the program or the mini-OS")
    address = owner.symbols[label]
    offset = address - owner.origin
    ins = decode(owner.image[offset:offset + INSTRUCTION_SIZE])
    if ins is None:
        raise LabError(f"label {label!r} is not on an instruction")
    return SiteFacts(label, address, ins.text(), ins.row.mnemonic, ins.row.iclass.value)


def _locks(level: Level, iclass: str, has_form: bool) -> dict[str, dict[str, str] | None]:
    matrix = load_matrix()
    locks: dict[str, dict[str, str] | None] = {}
    for choice in CHOICES:
        locks[choice] = None
        for mode in level.modes:
            cell = matrix.cell(iclass, choice, mode)
            if cell.locked and not (cell.unless_form and has_form):
                locks[choice] = _mode_lock(matrix, cell, mode, len(level.modes))
                break
        if choice == "guest" and locks[choice] is None:
            if not level.guest.modifiable:
                locks[choice] = bilingual(matrix.guest_locks["not_modifiable"])
            elif not has_form:
                locks[choice] = bilingual(matrix.guest_locks["no_form"])
    return locks


def _mode_lock(matrix, cell, mode: str, modes: int) -> dict[str, str]:
    text = bilingual(cell.text)
    if modes == 1:
        return text
    where = bilingual(matrix.guest_locks["mode"], {"mode": MODE_NAMES.get(mode, mode)})
    return {lang: f"{where[lang]} {text[lang]}" for lang in ("ko", "en")}


def default_assignment(level: Level) -> dict[str, str]:
    """What the lab shows first: each slot's `default`, else the safe choice."""
    safe = safe_assignment(level)
    return {slot.label: slot.default or safe[slot.label] for slot in level.slots}


def safe_assignment(level: Level) -> dict[str, str]:
    """Hypervisor where allowed, else a modified guest, else the CPU: correct before fast."""
    rules = slot_rules(level)
    return {label: next(c for c in SAFE_ORDER if rule.locks[c] is None)
            for label, rule in rules.items()}


def complete(level: Level, choices: Mapping[str, str] | None) -> dict[str, str]:
    """A full, legal assignment: the given choices, the level's defaults for the rest."""
    rules = slot_rules(level)
    given = dict(choices or {})
    for label, choice in given.items():
        if label not in rules:
            raise LabError(f"level {level.id} has no slot {label!r} (slots: "
                           f"{', '.join(rules)}){did_you_mean(label, list(rules))}")
        if choice not in CHOICES:
            raise LabError(f"slot {label}: {choice!r} is not a choice: expected one of "
                           f"{', '.join(CHOICES)}")
        lock = rules[label].locks[choice]
        if lock is not None:
            raise LabError(f"slot {label}: {choice} is locked — {lock['en']}")
    return default_assignment(level) | given


# --- running, with every run kept -------------------------------------------------------------


@dataclass(frozen=True)
class NativeReference:
    """The native run of the unmodified program, and how often each slot's instruction ran."""

    result: RunResult
    counts: dict[str, int]


class RunCache:
    """Deterministic runs, kept: the native reference per level, and each mode run by its
    (level, mode, choices). Bounded, least recently used first out."""

    def __init__(self, max_runs: int = 4096):
        self.native: dict[tuple, NativeReference] = {}
        self.runs: OrderedDict[tuple, ModeRun] = OrderedDict()
        self.max_runs = max_runs
        self.misses = 0

    def native_reference(self, level: Level, budget: int = DEFAULT_BUDGET,
                         cancel: Callable[[], bool] | None = None) -> NativeReference:
        key = level_key(level)
        if key not in self.native:
            self.native[key] = _native_reference(level, budget, cancel)
        return self.native[key]

    def mode_run(self, level: Level, mode: str, choices: Mapping[str, str], *,
                 budget: int = DEFAULT_BUDGET,
                 cancel: Callable[[], bool] | None = None) -> ModeRun:
        key = (level_key(level), mode, tuple(sorted(choices.items())))
        run = self.runs.get(key)
        if run is not None:
            self.runs.move_to_end(key)
            return run
        native = self.native_reference(level, budget, cancel).result
        run = run_modes(level.source, [mode], file=level.program_file,
                        profile=level.cost_profile(), defines=dict(level.defines),
                        choices=dict(choices), budget=budget, cancel=cancel, native=native)[0]
        self.misses += 1
        if run.result.stop != "cancelled":
            self.runs[key] = run
            if len(self.runs) > self.max_runs:
                self.runs.popitem(last=False)
        return run


def _native_reference(level: Level, budget: int,
                      cancel: Callable[[], bool] | None) -> NativeReference:
    """Native run with a counter on each slot (a hook that only counts, then lets it run)."""
    guest = load_for_mode(level.source, "native", file=level.program_file,
                          profile=level.cost_profile(), defines=dict(level.defines))
    counts = dict.fromkeys(level.slot_labels, 0)
    for label, rule in slot_rules(level).items():
        guest.machine.cpu.sites[rule.site.address] = _counter(counts, label)
    result = guest.run(budget=budget, cancel=cancel)
    if not result.finished:
        raise LabError(f"level {level.id}: the program does not finish natively: "
                       f"{result.message}")
    return NativeReference(result, counts)


def _counter(counts: dict[str, int], label: str):
    def count(cpu) -> bool:
        counts[label] += 1
        return False
    return count


CACHE = RunCache()


# --- one play ---------------------------------------------------------------------------------


@dataclass
class Assessment:
    """The level's modes run under one assignment, judged against native."""

    choices: dict[str, str]
    runs: list[ModeRun]
    native: RunResult

    @property
    def equivalent(self) -> bool:
        return all(run.equivalent for run in self.runs)

    @property
    def contained(self) -> bool:
        return all(run.contained for run in self.runs)

    @property
    def worst(self) -> ModeRun:
        return max(self.runs, key=lambda run: run.overhead)

    @property
    def overhead(self) -> float:
        return self.worst.overhead

    def goal_met(self, level: Level) -> bool:
        goal = level.goal
        return (self.equivalent or not goal.equivalent) and (self.contained or not goal.contained)


def assess(level: Level, choices: Mapping[str, str] | None = None, *,
           cache: RunCache = CACHE, cancel: Callable[[], bool] | None = None) -> Assessment:
    full = complete(level, choices)
    native = cache.native_reference(level, cancel=cancel)
    runs = [cache.mode_run(level, mode, full, cancel=cancel) for mode in level.modes]
    return Assessment(full, runs, native.result)


def stars_for(level: Level, overhead: float, goal_met: bool, par: float | None = None) -> int:
    """0 when the goal is missed; else 1–3 by the level's thresholds, or relative to par."""
    if not goal_met:
        return 0
    stars = level.goal.stars
    if stars == "par":
        if par is None:
            raise LabError(f"level {level.id} scores against par: solve it first")
        limits = [par * factor for factor in PAR_FACTORS]
    else:
        limits = stars[:2]
    return 3 if overhead <= limits[0] else 2 if overhead <= limits[1] else 1


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
        # The solver builds on this module; it is asked only for a par-scored level.
        from virtquest.game.solver import solve

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


# --- progress: mistakes become review cards, attempts become records ---------------------------


def schedule_mistakes(store, profile_id: int, result: LabResult, *,
                      bank: QuizBank | None = None, now: datetime | None = None) -> list[str]:
    """Each mistake's concept makes its quiz questions due now; returns the question ids."""
    from virtquest.game.review import schedule_concept

    bank = bank if bank is not None else load_quiz_bank()
    flagged: list[str] = []
    for concept in dict.fromkeys(m.concept for m in result.mistakes):
        ids = [q.id for q in bank.by_concept(concept)]
        if ids:
            flagged += schedule_concept(store, profile_id, concept, ids, now=now)
    return flagged


def record_play(store, profile_id: int, result: LabResult, seconds: float | None = None, *,
                now: datetime | None = None):
    """Keep the attempt (XP, streak, achievements) under its worst mode's cycles."""
    from virtquest.game.xp import record_level_attempt

    worst = result.assessment.worst
    return record_level_attempt(store, profile_id, result.level_id, result.choices, worst.mode,
                                worst.result.cycles, result.stars, seconds, now=now)


# --- checks the content layer cannot make -------------------------------------------------------


def check_level(level: Level) -> list[ContentError]:
    """Playability: defaults are legal, Guest forms exist where the guest is modifiable and
    change the program. (Solvability is the solver's: see `solver.check_solvable`.)"""
    path = level.path or f"levels/{level.id}.yaml"
    try:
        _, linemap = load_yaml(path)
    except ContentError:
        linemap = {}
    errors: list[ContentError] = []

    def error(loc: tuple, message: str) -> None:
        errors.append(ContentError(path, line_of(linemap, loc), format_loc(loc), message))

    try:
        rules = slot_rules(level)
    except VirtQuestError as exc:
        return [ContentError(path, line_of(linemap, ("program",)), "program", str(exc))]
    for index, slot in enumerate(level.slots):
        lock = rules[slot.label].locks.get(slot.default) if slot.default else None
        if lock is not None:
            error(("slots", index, "default"), f"{slot.default} is locked here: {lock['en']}")
        if rules[slot.label].has_guest_form and not _form_changes(level, slot.label):
            error(("slots", index, "label"), f"GUEST_{slot.label}=1 does not change the "
                  "program: write the modified form with .if GUEST_" + slot.label)
    if level.guest.modifiable and not any(r.has_guest_form for r in rules.values()):
        error(("guest", "modifiable"), "the guest is modifiable but no slot has a "
              "GUEST_<label> form in the program")
    return errors


def _form_changes(level: Level, label: str) -> bool:
    before, after = assemble_level(level), assemble_level(level, (label,))
    if label not in before.program.labels and before.kernel is not None:
        return kernel_program().image != kernel_program({f"GUEST_{label}": 1}).image
    return before.program.image != after.program.image
