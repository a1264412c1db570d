"""The checks of a level that the content layer cannot make, because they need the game's rules
and runs: the defaults are legal, every Guest form changes the program, and (for shipped levels)
the level can be solved to three stars while the correct-first assignment stays equivalent and
contained. Each problem is a ContentError at the line of the field it names.
"""

from __future__ import annotations

from virtquest.content.errors import ContentError
from virtquest.content.levels import Level, assemble_level
from virtquest.content.yamlload import LineMap, format_loc, line_of, load_yaml
from virtquest.emu.boot import kernel_program
from virtquest.emu.errors import VirtQuestError
from virtquest.game.assessment import assess
from virtquest.game.rules import safe_assignment, slot_rules
from virtquest.game.runs import CACHE, RunCache
from virtquest.game.solver import solve


class _Problems:
    """The problems found in one level's file, each at the line of its field (the file is read
    for its lines only when there is a problem to place)."""

    def __init__(self, level: Level):
        self.path = level.path or f"levels/{level.id}.yaml"
        self.errors: list[ContentError] = []
        self._linemap: LineMap | None = None

    def add(self, loc: tuple, message: str) -> list[ContentError]:
        if self._linemap is None:
            try:
                _, self._linemap = load_yaml(self.path)
            except ContentError:
                self._linemap = {}
        self.errors.append(ContentError(self.path, line_of(self._linemap, loc), format_loc(loc),
                                        message))
        return self.errors


def check_level(level: Level) -> list[ContentError]:
    """Playability: defaults are legal, Guest forms exist where the guest is modifiable and
    change the program. (Solvability is `check_solvable`'s.)"""
    problems = _Problems(level)
    try:
        rules = slot_rules(level)
    except VirtQuestError as exc:
        return problems.add(("program",), str(exc))
    for index, slot in enumerate(level.slots):
        lock = rules[slot.label].locks.get(slot.default) if slot.default else None
        if lock is not None:
            problems.add(("slots", index, "default"),
                         f"{slot.default} is locked here: {lock['en']}")
        if rules[slot.label].has_guest_form and not _form_changes(level, slot.label):
            problems.add(("slots", index, "label"), f"GUEST_{slot.label}=1 does not change the "
                         "program: write the modified form with .if GUEST_" + slot.label)
    if level.guest.modifiable and not any(r.has_guest_form for r in rules.values()):
        problems.add(("guest", "modifiable"), "the guest is modifiable but no slot has a "
                     "GUEST_<label> form in the program")
    return problems.errors


def _form_changes(level: Level, label: str) -> bool:
    before, after = assemble_level(level), assemble_level(level, (label,))
    if label not in before.program.labels and before.kernel is not None:
        return kernel_program().image != kernel_program({f"GUEST_{label}": 1}).image
    return before.program.image != after.program.image


def check_solvable(level: Level, *, cache: RunCache = CACHE) -> list[ContentError]:
    """A shipped level must be solvable to three stars, and the correct-first assignment
    (hypervisor wherever allowed) must keep the guest equivalent and contained."""
    problems = _Problems(level)
    try:
        safe = assess(level, safe_assignment(level), cache=cache)
        solution = solve(level, cache=cache)
    except VirtQuestError as exc:   # e.g. a program that never ends: this level's problem only
        return problems.add(("program",), str(exc))
    if not (safe.equivalent and safe.contained):
        problems.add(("slots",), f"the hypervisor-first assignment {safe.choices} is not "
                     "equivalent and contained")
    if solution.assignment is None:
        problems.add(("goal",), "no legal assignment meets the goal")
    elif solution.stars < 3:
        problems.add(("goal", "stars"), f"the best legal assignment {solution.assignment} has "
                     f"overhead {solution.overhead:.3f}x: only {solution.stars} stars")
    return problems.errors
