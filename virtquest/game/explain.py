"""The choice matrix as data (assets/choice-matrix.yaml) and the per-slot explanations a lab run
earns: what the choice does in that mode, told with the run's own numbers, in Korean and English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from virtquest.content.errors import ContentError
from virtquest.content.quizzes import Prose
from virtquest.content.yamlload import load_yaml, validation_to_content_errors
from virtquest.emu.cache import cached
from virtquest.emu.messages import Message
from virtquest.emu.resources import ASSETS
from virtquest.hv.mode import ModeRun

MATRIX_PATH = ASSETS / "choice-matrix.yaml"
IO_MNEMONICS = ("in", "out")
DESCRIPTOR_TABLE_STORES = ("sgdt", "sidt")   # the sensitive forms VT-x can exit on
EXIT_EVIDENCE = ("vm_exit", "exits_anyway", "monitor_trap")   # the slot's instruction exited


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Cell(_Strict):
    """One class × choice × mode of the matrix."""

    locked: bool = False
    unless_form: bool = False    # open after all where the program offers a GUEST_ form
    text: Prose


ModeCells = dict[str, Cell]          # mode id or "all" → cell


class ChoiceMatrixFile(_Strict):
    schema_version: Literal[1]
    cells: dict[Literal["innocuous", "privileged", "sensitive", "virtualization"],
                dict[Literal["cpu", "hypervisor", "guest"], ModeCells]]
    guest_locks: dict[Literal["not_modifiable", "no_form", "mode"], Prose]
    evidence: dict[str, Prose]
    divergence: dict[str, Prose]
    # setting slots (a level with a host): setting → choice → what it makes the host do
    settings: dict[Literal["reclaim", "sharing", "dirty_log", "precopy"],
                   dict[Literal["cpu", "hypervisor", "guest"], Cell]]

    def cell(self, iclass: str, choice: str, mode: str) -> Cell:
        by_mode = self.cells[iclass][choice]
        return by_mode.get(mode) or by_mode["all"]


# The shipped matrix, and a few others a test may load: 4 files of a few KB.
@cached(4)
def load_matrix(path: Path = MATRIX_PATH) -> ChoiceMatrixFile:
    """The shipped matrix; a broken file is a ContentError (the lab cannot run without it)."""
    data, linemap = load_yaml(path)
    try:
        return ChoiceMatrixFile.model_validate(data)
    except ValidationError as exc:
        raise validation_to_content_errors(path, exc, linemap)[0] from None


# The modes as the UI names them: a student never reads an id such as `trap-emulate`.
MODE_NAMES: dict[str, dict[str, str]] = {
    "native": {"ko": "네이티브", "en": "native"},
    "trap-emulate": {"ko": "트랩 & 에뮬레이션", "en": "trap & emulate"},
    "binary-translation": {"ko": "이진 변환", "en": "binary translation"},
    "paravirt": {"ko": "반가상화", "en": "paravirtualization"},
    "hardware-assist": {"ko": "하드웨어 지원 가상화", "en": "hardware assist"},
}
# {name} → the value; {name:one/many} → the count and the noun it takes ("1 trap", "3 traps").
_PLACEHOLDER = re.compile(r"\{(\w+)(?::([^{}/]+)/([^{}/]+))?\}")


def fill(template: str, values: dict[str, object], language: str = "en") -> str:
    """`{name}` → value, `{name:one/many}` → "N one|many" by the count; a value given per
    language ({"ko": …, "en": …}) in `language`. Only plain names are replaced (templates are
    data, never code)."""
    def value(match: re.Match) -> str:
        name, one, many = match.groups()
        if name not in values:
            return match.group(0)
        found = values[name]
        if isinstance(found, dict):
            found = found.get(language, found.get("en"))
        if one is not None:
            return f"{found} {one if found == 1 else many}"
        return str(found)
    return _PLACEHOLDER.sub(value, template)


def bilingual(prose: Prose, values: dict[str, object] | None = None) -> dict[str, str]:
    values = values or {}
    return {"ko": fill(prose.ko, values, "ko"), "en": fill(prose.en, values, "en")}


# --- per-slot explanations ---------------------------------------------------------------------


@dataclass(frozen=True)
class SiteFacts:
    """What the lab knows of one slot before any run: where it is and what it is."""

    label: str
    address: int
    instruction: str          # assembly text of the unmodified instruction
    mnemonic: str
    iclass: str               # innocuous | privileged | sensitive | virtualization
    setting: str | None = None   # a setting slot's host mechanism (hv/hostrun.py)


@dataclass
class Note:
    """One slot under one mode: what the choice did, told with the run's numbers."""

    mode: str
    choice: str
    evidence: str                    # the evidence key in the matrix file
    values: dict[str, object]
    text: dict[str, str]             # ko / en: the matrix cell, then the evidence
    broke: str | None = None         # "equivalence" | "containment" when this slot did it
    divergence: dict | None = field(default=None)

    def to_json(self) -> dict:
        return {"mode": self.mode, "choice": self.choice, "evidence": self.evidence,
                "values": self.values, "text": self.text, "broke": self.broke}


def explain_site(site: SiteFacts, choice: str, run: ModeRun, count: int) -> Note:
    """The note for one slot in one mode's run (`count`: times it ran natively)."""
    matrix = load_matrix()
    if site.setting is not None:
        return _explain_setting(matrix, site, choice, run)
    events = run.result.events
    values: dict[str, object] = {
        "count": count, "times": "once" if count == 1 else f"{count} times",
        "label": site.label, "instruction": site.instruction,
        "traps": events.get("traps", 0), "emulated": events.get("emulated", 0),
        "callouts": events.get("callouts", 0), "inline": events.get("inline", 0),
        "exits": events.get("vm_exits", 0), "hypercalls": events.get("hypercalls", 0)}
    key, broke, divergence = _evidence(site, choice, run, count, values)
    cell = matrix.cell(site.iclass, choice, run.mode)
    detail = _divergence_text(matrix, divergence) if divergence else None
    said = bilingual(matrix.evidence[key], values)
    flushed = _flush_text(matrix, key, events, values)
    text = {lang: " ".join(part for part in (bilingual(cell.text)[lang],
                                             detail[lang] if detail else "", said[lang],
                                             flushed[lang] if flushed else "") if part)
            for lang in ("ko", "en")}
    return Note(run.mode, choice, key, values, text, broke, divergence)


def _flush_text(matrix: ChoiceMatrixFile, key: str, events: dict,
                values: dict) -> dict[str, str] | None:
    """Where the slot exited on hardware without tagged TLBs and the guest had translations to
    lose: the page walks that followed, per exit (docs/modes.md, "Tagged TLBs")."""
    if key not in EXIT_EVIDENCE or not events.get("tlb_entries_flushed"):
        return None
    walks, exits = events.get("tlb_misses", 0), max(events.get("vm_exits", 0), 1)
    values["walks"], values["walks_per_exit"] = walks, round(walks / exits, 1)
    return bilingual(matrix.evidence["tlb_flushed"], values)


def _explain_setting(matrix: ChoiceMatrixFile, site: SiteFacts, choice: str,
                     run: ModeRun) -> Note:
    """A setting slot: what the chosen mechanism is, then what the host's run did with it."""
    host = run.host or {}
    work = host.get("work", {})
    migration = host.get("migration") or {}
    values: dict[str, object] = {
        "label": site.label, "guests": len(host.get("guests", [])),
        "frames": (host.get("frames") or {}).get("total") or "-",
        "peak": (host.get("frames") or {}).get("peak", 0),
        "swap_outs": work.get("swap_outs", 0), "swap_ins": work.get("swap_ins", 0),
        "ballooned": work.get("ballooned", 0), "shares": work.get("shares", 0),
        "cow_faults": work.get("cow_faults", 0), "scanned": work.get("pages_scanned", 0),
        "rounds": len(migration.get("rounds", [])), "sent": migration.get("pages_sent", 0),
        "downtime": f"{migration.get('downtime', 0):,}", "total": f"{migration.get('total', 0):,}",
        "exits": run.result.events.get("vm_exit.ept_write", 0)}
    out_of_memory = run.result.stop == "host-oom"
    key = f"{site.setting}.{choice}"
    broke = None
    if out_of_memory and site.setting == "reclaim":
        key, broke = "reclaim.out_of_memory", "equivalence"
    elif not run.equivalent and site.setting != "reclaim":
        broke = "equivalence"
    cell = matrix.settings[site.setting][choice]
    said = bilingual(matrix.evidence[f"host.{key}"], values)
    text = {lang: f"{bilingual(cell.text)[lang]} {said[lang]}" for lang in ("ko", "en")}
    return Note(run.mode, choice, f"host.{key}", values, text, broke)


def _evidence(site: SiteFacts, choice: str, run: ModeRun, count: int,
              values: dict) -> tuple[str, str | None, dict | None]:
    """Which evidence sentence fits, and whether this slot broke a property."""
    if choice == "guest":
        return "modified", None, None
    divergence = next((d for d in run.divergences if d.get("eip") == site.address), None)
    if divergence is not None:
        # the hole showed here; it broke equivalence only if the run's outcome differs
        return "direct", None if run.equivalent else "equivalence", divergence
    violation = _violation_of(site, run)
    if violation is not None:
        if "msr" in violation.params:
            values["msr"] = f"{violation.params['msr']:#x}"
            return "real_apic", "containment", None
        values["port"] = f"{violation.params['port']:#x}"
        return "real_device", "containment", None
    if count == 0:
        return "never_ran", None, None
    return _usual_evidence(site, choice, run, values), None, None


def _usual_evidence(site: SiteFacts, choice: str, run: ModeRun, values: dict) -> str:
    mode, iclass, events = run.mode, site.iclass, run.result.events
    if mode == "hardware-assist" and (site.mnemonic in ("cpuid", "vmcall", "hlt")
                                      or site.mnemonic in IO_MNEMONICS):
        return "exits_anyway" if choice == "cpu" or site.mnemonic not in IO_MNEMONICS \
            else "vm_exit"
    if site.mnemonic == "rdtsc" and choice == "hypervisor":
        if mode == "hardware-assist":
            values["exits"] = events.get("vm_exits", 0)
            return "vm_exit"
        if mode == "binary-translation":
            for key in ("inline", "callouts", "traps"):
                values[key] = events.get(key, 0)
            return "translated"
    if iclass == "innocuous" or iclass == "virtualization":
        if choice == "cpu":
            return "direct"
        if mode == "binary-translation":
            return "callout_each"
        if mode == "hardware-assist":
            values["exits"] = events.get("vm_exit.monitor_trap", 0)
            return "monitor_trap"
        return "emulated_each"
    if iclass == "sensitive":
        if mode == "hardware-assist":   # VT-x can be told to exit only on sgdt / sidt
            exits = choice == "hypervisor" and site.mnemonic in DESCRIPTOR_TABLE_STORES
            return "vm_exit" if exits else "nonroot"
        return "translated" if choice == "hypervisor" else "sensitive_quiet"
    return _privileged_evidence(choice, mode)


def _privileged_evidence(choice: str, mode: str) -> str:
    if mode == "hardware-assist":
        return "nonroot" if choice == "cpu" else "vm_exit"
    if mode == "binary-translation":
        return "copied_faulted" if choice == "cpu" else "translated"
    return "refused_trapped" if choice == "cpu" else "trap_emulate"


def _violation_of(site: SiteFacts, run: ModeRun) -> Message | None:
    """A containment violation this slot's instruction caused (the VMM names the instruction)."""
    for violation in run.violations:
        if violation.id in ("containment.real-device", "containment.real-apic") and \
                violation.params["instruction"] == site.instruction:
            return violation
    return None


def _divergence_text(matrix: ChoiceMatrixFile, divergence: dict) -> dict[str, str] | None:
    """The matrix's words for what a sensitive instruction revealed, filled with what the VMM
    recorded (the ring it ran at, the IF it wanted)."""
    how: Message = divergence["how"]
    mnemonic = str(divergence.get("instruction", "")).split(" ")[0]
    template = matrix.divergence.get(mnemonic)
    if template is None:
        return {"ko": str(how), "en": str(how)}
    params = how.params
    return bilingual(template, {"ring": params.get("ring", params.get("real_cpl", 1)),
                                "wanted": params.get("wanted", "?")})


def matrix_errors(path: Path = MATRIX_PATH) -> list[ContentError]:
    """Problems of the matrix file (for `levels check`): none when it loads."""
    try:
        load_matrix.__wrapped__(path)
    except ContentError as exc:
        return [exc]
    return []
