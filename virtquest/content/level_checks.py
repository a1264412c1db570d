"""What a level file must pass beyond its schema, each problem with its line and field: hardware its
cost profile has, quiz questions the bank knows, a program that assembles with its defines, and
slots that sit on instructions of the program or the mini-OS.
"""

from __future__ import annotations

from pathlib import Path

from virtquest.content.errors import ContentError
from virtquest.content.levels import ENTRY_LABELS, Assembled, Level, assemble_level, did_you_mean
from virtquest.content.profiles import load_profile, profile_names
from virtquest.content.quizzes import QuizBank
from virtquest.content.yamlload import LineMap, Loc, format_loc, line_of
from virtquest.emu.errors import VirtQuestError


class LevelChecker:
    """The checks a schema cannot make: the program, its labels, quizzes and the hardware."""

    def __init__(self, level: Level, path: Path, linemap: LineMap, bank: QuizBank):
        self.level, self.path, self.linemap, self.bank = level, path, linemap, bank
        self.errors: list[ContentError] = []

    def error(self, loc: Loc, message: str) -> None:
        self.errors.append(ContentError(self.path, line_of(self.linemap, loc), format_loc(loc),
                                        message))

    def check(self) -> list[ContentError]:
        self.check_hardware()
        self.check_quizzes()
        assembled = self.check_program()
        if assembled is not None:
            self.check_defines(assembled)
            self.check_slots(assembled)
        return self.errors

    def check_hardware(self) -> None:
        hw = self.level.hardware
        names = profile_names()
        if hw.profile not in names:
            self.error(("hardware", "profile"), f"unknown profile {hw.profile!r}: expected one "
                       f"of {', '.join(names)}{did_you_mean(hw.profile, names)}")
            return
        profile = load_profile(hw.profile)
        if hw.ept and not profile.ept:
            self.error(("hardware", "ept"), f"profile {hw.profile!r} has no EPT; a level can "
                       "turn EPT off, never add it (use nehalem-2009 or modern)")
        if hw.apicv and not profile.apicv:
            self.error(("hardware", "apicv"), f"profile {hw.profile!r} has no APIC "
                       "virtualization; a level can turn it off, never add it (use modern)")
        if hw.vpid and not profile.vpid:
            self.error(("hardware", "vpid"), f"profile {hw.profile!r} has no tagged TLBs "
                       "(VPID); a level can turn them off, never add them (use nehalem-2009 or "
                       "modern)")
        if hw.vtx and not profile.vtx:
            self.error(("hardware", "vtx"), f"profile {hw.profile!r} has no VT-x")
        if (hw.vtx is False or not profile.vtx) and "hardware-assist" in self.level.modes:
            self.error(("modes",), "hardware-assist needs VT-x, which this level's hardware "
                       "does not have")

    def check_quizzes(self) -> None:
        known = [q.id for q in self.bank.questions]
        for index, question_id in enumerate(self.level.quizzes):
            if self.bank.get(question_id) is None:
                self.error(("quizzes", index), f"no quiz question has the id {question_id!r}"
                           f"{did_you_mean(question_id, known)}")

    def check_program(self) -> Assembled | None:
        level = self.level
        try:
            assembled = assemble_level(level)
        except VirtQuestError as exc:
            self.error(("program",), str(exc))
            return None
        if not set(ENTRY_LABELS) & assembled.program.labels:
            self.error(("program",), "the program needs a '_start:', 'main:' or "
                       "'kernel_main:' label")
            return None
        modified = tuple(s.label for s in level.slots
                         if f"GUEST_{s.label}" in assembled.program.symbols)
        if modified:
            try:
                assemble_level(level, modified)
            except VirtQuestError as exc:
                self.error(("program",), f"with the Guest choice (GUEST_…=1): {exc}")
        return assembled

    def check_defines(self, assembled: Assembled) -> None:
        symbols = sorted(assembled.program.symbols)
        for name in self.level.defines:
            if name not in assembled.program.symbols:
                self.error(("defines", name), f"the program has no .equ {name}"
                           f"{did_you_mean(name, symbols)}")

    def check_slots(self, assembled: Assembled) -> None:
        labels = assembled.labels()
        for index, slot in enumerate(self.level.slots):
            owner = assembled.owner(slot.label)
            if owner is None:
                self.error(("slots", index, "label"), f"no label {slot.label!r} in the program "
                           f"or the mini-OS{did_you_mean(slot.label, labels)}")
            elif owner.symbols[slot.label] not in set(owner.code):
                self.error(("slots", index, "label"), f"label {slot.label!r} is not on an "
                           "instruction (a slot's label must sit on the instruction it is about)")
            elif owner.symbols[slot.label] in owner.origins:
                library = owner.origins[owner.symbols[slot.label]][0]
                self.error(("slots", index, "label"), f"label {slot.label!r} is in the library "
                           f"file {library}, which the lab does not show: put the slot's "
                           "instruction in the program")
