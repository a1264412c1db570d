"""Which choices each slot of a level allows and why the others are locked (the choice matrix,
docs/curriculum.md), and the assignments built from them: the level's defaults, the safe one, and
a learner's choices completed and checked.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from virtquest.content.levels import CHOICES, Level, assemble_level, did_you_mean
from virtquest.emu.cache import Cache
from virtquest.emu.encoding import decode
from virtquest.emu.errors import VirtQuestError
from virtquest.emu.isa import INSTRUCTION_SIZE
from virtquest.game.explain import MODE_NAMES, SiteFacts, bilingual, load_matrix
from virtquest.hv.hostrun import SETTINGS

SAFE_ORDER = ("hypervisor", "guest", "cpu")   # correct-first: the VMM, a modified guest, the CPU


class LabError(VirtQuestError):
    """An assignment the level does not allow (an unknown slot, a locked choice), or a level that
    cannot be played (a slot on no instruction, a program that never ends)."""


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
    hw = level.hardware
    host = level.host.model_dump_json() if level.host is not None else None
    return (level.id, digest, tuple(sorted(level.defines.items())), hw.profile, hw.ept, hw.apicv,
            hw.vpid, hw.assigned_nic, host, tuple(sorted(level.settings.items())))


def slot_rules(level: Level) -> dict[str, SlotRules]:
    """Per slot: its instruction and its legal choices (kept per level_key)."""
    key = (level_key(level), tuple(level.modes), level.guest.modifiable,
           tuple(level.slot_labels))
    return _RULES.get_or_make(key, lambda: _build_rules(level))


# Slot rules by level (as `slot_rules` keys them): a few KB each. Bound: 256, several times the
# shipped levels and an instructor's own, with room for the versions a level goes through while
# it is written and checked again.
_RULES: Cache[tuple, dict[str, SlotRules]] = Cache(256)


def _build_rules(level: Level) -> dict[str, SlotRules]:
    assembled = assemble_level(level)
    rules = {}
    for slot in level.slots:
        site = _site(assembled, slot.label)
        has_form = f"GUEST_{slot.label}" in assembled.owner(slot.label).symbols
        if slot.setting is not None:
            site = dataclasses.replace(site, setting=slot.setting)
            locks = _setting_locks(level, slot.setting, has_form)
        else:
            locks = _locks(level, site.iclass, has_form)
        rules[slot.label] = SlotRules(site, has_form, locks)
    return rules


def _setting_locks(level: Level, setting: str, has_form: bool) -> dict[str, dict[str, str] | None]:
    """A setting slot's choices are the host's mechanisms (hv/hostrun.py, SETTINGS); one the
    setting does not have is locked with the matrix's reason, and the Guest choice also needs
    the program's modified form, as on any slot."""
    matrix = load_matrix()
    locks: dict[str, dict[str, str] | None] = {}
    for choice in CHOICES:
        cell = matrix.settings[setting][choice]
        if SETTINGS[setting][choice] is None or cell.locked:
            locks[choice] = bilingual(cell.text)
        elif choice == "guest" and not level.guest.modifiable:
            locks[choice] = bilingual(matrix.guest_locks["not_modifiable"])
        elif choice == "guest" and not has_form:
            locks[choice] = bilingual(matrix.guest_locks["no_form"])
        else:
            locks[choice] = None
    return locks


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
