"""Lab levels (the file format: docs/levels.md): the pydantic model of a level file and the loader
that checks each file on its own — its fields, its program, its slots, quizzes and hardware — with
file, line and field.

A broken level never stops the others: `load_levels()` returns the good ones and a ContentError
for every problem it found. Besides the built-in `levels/`, it reads every custom content folder
(folders.py); a level id found in two folders is an IdClashError naming both files.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from virtquest.content.errors import ContentError, IdClashError, raise_first_clash
from virtquest.content.folders import ContentFolder, content_folders
from virtquest.content.hosts import MIGRATION_SETTINGS, HostSection, Setting
from virtquest.content.profiles import load_profile, profile_names
from virtquest.content.quizzes import (
    Concept,
    Prose,
    QuestionId,
    QuizBank,
    load_quiz_bank,
    load_quiz_folders,
)
from virtquest.content.yamlload import (
    LineMap,
    Loc,
    format_loc,
    line_of,
    load_yaml,
    validation_to_content_errors,
)
from virtquest.emu.asm import Program, assemble
from virtquest.emu.boot import kernel_program
from virtquest.emu.costs import CostProfile
from virtquest.emu.errors import VirtQuestError
from virtquest.emu.resources import ASSETS, LEVELS
from virtquest.emu.source import read_source

SCHEMA_VERSION = 1
DEFAULT_LEVEL_DIR = LEVELS
MAX_SLOTS = 10
LEVEL_DOCUMENT = ("a level: schema_version, chapter, order, id, title, brief, explain, program, "
                  "slots and modes (docs/levels.md)")

ModeId = Literal["trap-emulate", "binary-translation", "paravirt", "hardware-assist"]
Choice = Literal["cpu", "hypervisor", "guest"]
CHOICES: tuple[str, ...] = ("cpu", "hypervisor", "guest")

LevelId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", min_length=3,
                                           max_length=60)]
Symbol = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=60)]
ProfileName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9.-]*$", max_length=40)]
# A program is a path ("programs/levels/x.s": in the level file's folder, else under assets/) or
# the source itself (several lines).
_PROGRAM_PATH = re.compile(r"^[A-Za-z0-9_./-]+\.s$")
ENTRY_LABELS = ("_start", "main", "kernel_main")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Title(Prose):
    """A short text in both languages (a level's title)."""

    ko: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
    en: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]


class Slot(_Strict):
    """One instruction the learner assigns, named by the label that sits on it."""

    label: Symbol
    default: Choice | None = Field(default=None, description="the choice shown first; "
                                   "by default the hypervisor where it is allowed")
    concept: Concept = Field(description="concept tag: a mistake here schedules its quiz cards")
    explain: Prose | None = None
    setting: Setting | None = Field(default=None, description="a setting slot of a level with "
                                    "a host: its choice picks one of the host's mechanisms "
                                    "(docs/levels.md); the label shows where it bites")


class Hardware(_Strict):
    """The machine the level runs on: a cost profile, and what of VT-x and EPT it offers."""

    profile: ProfileName = "modern"
    vtx: bool | None = Field(default=None, description="false: no VT-x (hardware-assist is "
                             "then not allowed); default: as the profile")
    ept: bool | None = Field(default=None, description="false turns EPT off on a profile "
                             "that has it (shadow paging under VT-x); default: as the profile")
    apicv: bool | None = Field(default=None, description="false turns APIC virtualization "
                               "(posted interrupts, EOI without exit) off on a profile that has "
                               "it; default: as the profile")
    vpid: bool | None = Field(default=None, description="false turns tagged TLB entries (VPID) "
                              "off on a profile that has them: every VM exit and entry then "
                              "flushes the guest's TLB; default: as the profile")
    assigned_nic: bool = Field(default=False, description="true assigns the network card to "
                               "the guest under hardware-assist (passthrough: its registers "
                               "without exits, its DMA through an IOMMU the hypervisor must set "
                               "up)")


class GuestSpec(_Strict):
    modifiable: bool = Field(default=False, description="whether the learner may modify the "
                             "guest kernel (the Guest choice, where the source has a "
                             "GUEST_<label> form)")


Thresholds = Annotated[list[Annotated[float, Field(gt=0, le=100_000)]],
                       Field(min_length=3, max_length=3)]


class Goal(_Strict):
    """What a run must achieve, and how its overhead turns into stars."""

    equivalent: bool = True
    contained: bool = True
    stars: Thresholds | Literal["par"] = Field(
        default="par", description="[three, two, one]: the largest overhead (cycles ÷ native) "
        "for 3, 2 and 1 stars; or 'par': relative to the solver's best legal assignment")
    max_downtime: int | None = Field(default=None, ge=1, le=1_000_000_000, description="a "
                                     "migration's downtime must stay at or under this many "
                                     "cycles")

    @field_validator("stars")
    @classmethod
    def _ordered(cls, value):
        if isinstance(value, list) and not value[0] <= value[1] <= value[2]:
            raise PydanticCustomError("thresholds_order", "thresholds must be [three, two, one] "
                                      "with three <= two <= one")
        return value


class Level(_Strict):
    """One level file (levels/*.yaml)."""

    schema_version: Literal[1]
    chapter: int = Field(ge=1, le=99)   # before id: the id's chapter prefix is checked against it
    order: int = Field(ge=1, le=99)
    id: LevelId
    title: Title
    brief: Prose
    explain: Prose
    hints: list[Prose] = Field(default_factory=list, max_length=10)
    program: str = Field(min_length=1, max_length=40_000, description="a .s file (found in the "
                         "level file's folder, else under assets/) or the source itself")
    defines: dict[Symbol, int] = Field(default_factory=dict)
    slots: list[Slot] = Field(min_length=1, max_length=MAX_SLOTS)
    modes: list[ModeId] = Field(min_length=1, max_length=4)
    hardware: Hardware = Hardware()
    guest: GuestSpec = GuestSpec()
    goal: Goal = Goal()
    host: HostSection | None = Field(default=None, description="run the program as guests of "
                                     "one host (overcommit, sharing, migration)")
    quizzes: list[QuestionId] = Field(default_factory=list)

    _source: str | None = PrivateAttr(default=None)
    _path: str | None = PrivateAttr(default=None)
    _id_line: int | None = PrivateAttr(default=None)
    _program_file: str | None = PrivateAttr(default=None)

    @field_validator("id")
    @classmethod
    def _chapter_prefix(cls, value: str, info) -> str:
        chapter = info.data.get("chapter")
        prefix = re.match(r"^ch(\d+)-", value)
        if prefix and chapter is not None and int(prefix.group(1)) != chapter:
            raise PydanticCustomError("chapter_prefix", "the id says chapter {said} but "
                                      "chapter is {chapter}",
                                      {"said": prefix.group(1), "chapter": chapter})
        return value

    @field_validator("modes")
    @classmethod
    def _distinct_modes(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise PydanticCustomError("duplicate_mode", "a mode is listed twice")
        return value

    @model_validator(mode="after")
    def _distinct_slots(self) -> Level:
        labels = [slot.label for slot in self.slots]
        for label in labels:
            if labels.count(label) > 1:
                raise PydanticCustomError("duplicate_slot", "slot {label!r} is listed twice",
                                          {"label": label})
        return self

    @model_validator(mode="after")
    def _host_settings(self) -> Level:
        settings = [slot.setting for slot in self.slots if slot.setting is not None]
        if self.host is None:
            if settings:
                raise PydanticCustomError("setting_without_host", "a setting slot needs the "
                                          "level's host: section")
            if self.goal.max_downtime is not None:
                raise PydanticCustomError("downtime_without_migration", "goal.max_downtime "
                                          "needs host.migration")
            return self
        if list(self.modes) != ["hardware-assist"]:
            raise PydanticCustomError("host_modes", "a level with a host runs its guests under "
                                      "hardware-assist only: modes: [hardware-assist]")
        for setting in settings:
            if settings.count(setting) > 1:
                raise PydanticCustomError("duplicate_setting", "setting {setting} is on two "
                                          "slots", {"setting": setting})
            if setting in MIGRATION_SETTINGS and self.host.migration is None:
                raise PydanticCustomError("setting_without_migration", "setting {setting} "
                                          "needs host.migration", {"setting": setting})
        if self.goal.max_downtime is not None and self.host.migration is None:
            raise PydanticCustomError("downtime_without_migration", "goal.max_downtime needs "
                                      "host.migration")
        return self

    @property
    def settings(self) -> dict[str, str]:
        """Setting slots: label → setting."""
        return {slot.label: slot.setting for slot in self.slots if slot.setting is not None}

    # -- the program -----------------------------------------------------------------------
    @property
    def program_is_file(self) -> bool:
        return "\n" not in self.program and bool(_PROGRAM_PATH.match(self.program.strip()))

    @property
    def program_file(self) -> str:
        """How errors and the app name the program: its file (`assets/…` for a shipped one),
        or the level's file when the source is written in it."""
        if not self.program_is_file:
            return self._path or f"levels/{self.id}.yaml"
        if self._program_file is None:
            name = self.program.strip()
            try:
                path = program_path(name, self.folder)
            except ProgramPathError:
                return f"assets/{name}"
            local = self.folder is not None and not _inside(path, ASSETS)
            self._program_file = str(self.folder / name) if local else f"assets/{name}"
        return self._program_file

    @property
    def source(self) -> str:
        """The program's text (read once, from its file when `program` is a path)."""
        if self._source is None:
            self._source = read_source(program_path(self.program, self.folder)) \
                if self.program_is_file else self.program
        return self._source

    @property
    def path(self) -> str | None:
        return self._path

    @property
    def folder(self) -> Path | None:
        """The folder of the level's file (None for a level not read from a file)."""
        return Path(self._path).parent if self._path else None

    @property
    def slot_labels(self) -> list[str]:
        return [slot.label for slot in self.slots]

    def slot(self, label: str) -> Slot:
        for slot in self.slots:
            if slot.label == label:
                return slot
        raise KeyError(label)

    def cost_profile(self) -> CostProfile:
        """The level's cost profile, with EPT, APICv or VPID turned off when the level says so."""
        profile = load_profile(self.hardware.profile)
        if self.hardware.ept is not None and self.hardware.ept != profile.ept:
            profile = dataclasses.replace(profile, ept=self.hardware.ept)
        if self.hardware.apicv is not None and self.hardware.apicv != profile.apicv:
            profile = dataclasses.replace(profile, apicv=self.hardware.apicv)
        if self.hardware.vpid is not None and self.hardware.vpid != profile.vpid:
            profile = dataclasses.replace(profile, vpid=self.hardware.vpid)
        if self.hardware.assigned_nic:
            profile = dataclasses.replace(profile, assigned_nic=True)
        return profile


class ProgramPathError(VirtQuestError):
    pass


def program_path(program: str, folder: Path | None = None) -> Path:
    """The file a level's `program` names: relative to `folder` (the level file's folder) when it
    is there, else under assets/ (the shipped programs). Either way it must stay inside."""
    name = program.strip()
    if folder is not None:
        local = (folder / name).resolve()
        if _inside(local, folder) and local.is_file():
            return local
    path = (ASSETS / name).resolve()
    if not _inside(path, ASSETS):
        where = "in the level file's folder or " if folder is not None else ""
        raise ProgramPathError(f"{program}: a level's program must be a file {where}"
                               "under assets/")
    if folder is not None and not path.exists():
        raise ProgramPathError(f"{name}: no such program in {folder} nor under assets/")
    return path


def _inside(path: Path, folder: Path) -> bool:
    return folder.resolve() in path.resolve().parents


# --- assembled programs ----------------------------------------------------------------------


@dataclass(frozen=True)
class Assembled:
    """A level's program as assembled (unmodified: every GUEST_ form off), and the kernel under
    it when it runs on the mini-OS."""

    program: Program
    kernel: Program | None

    def address_of(self, label: str) -> int | None:
        if label in self.program.labels:
            return self.program.symbols[label]
        if self.kernel is not None and label in self.kernel.labels:
            return self.kernel.symbols[label]
        return None

    def owner(self, label: str) -> Program | None:
        if label in self.program.labels:
            return self.program
        if self.kernel is not None and label in self.kernel.labels:
            return self.kernel
        return None

    def labels(self) -> list[str]:
        names = set(self.program.labels)
        if self.kernel is not None:
            names |= self.kernel.labels
        return sorted(names)


def assemble_level(level: Level, guest_labels: tuple[str, ...] = ()) -> Assembled:
    """Assemble the level's program as the runner would (GUEST_<label>=1 for `guest_labels`);
    raises AssemblyError."""
    defines = dict(level.defines) | {f"GUEST_{label}": 1 for label in guest_labels}
    program = assemble(level.source, file=level.program_file, origin=0, defines=defines)
    if "_start" in program.labels:
        return Assembled(program, None)
    kernel = kernel_program()
    program = assemble(level.source, file=level.program_file, origin=kernel.symbols["USER_BASE"],
                       defines=defines)
    return Assembled(program, kernel)


# --- loading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelSet:
    """Every level that loaded, in chapter order, and what was wrong with the rest."""

    levels: tuple[Level, ...] = ()
    errors: tuple[ContentError, ...] = ()
    _by_id: dict[str, Level] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id.update({level.id: level for level in self.levels})

    def __len__(self) -> int:
        return len(self.levels)

    def get(self, level_id: str) -> Level | None:
        return self._by_id.get(level_id)

    def ids(self) -> list[str]:
        return [level.id for level in self.levels]


def load_levels(directory: str | Path | None = None, *,
                paths: list[Path] | None = None, bank: QuizBank | None = None) -> LevelSet:
    """Load `directory/*.yaml`, or just `paths`; with neither, the built-in levels and those of
    every custom content folder (folders.py). Never raises for bad content (see `.errors`),
    except that loading every folder raises IdClashError for an id defined in two of them."""
    if paths is not None:
        return _load_groups([list(paths)], [None], bank)
    if directory is not None:
        directory = Path(directory)
        if not directory.is_dir():
            return LevelSet(errors=(ContentError(directory, None, "", "no such level directory"),))
        return _load_groups([sorted(directory.glob("*.yaml"))], [None], bank)
    levels = load_level_folders(content_folders(), bank if bank is not None else load_quiz_bank())
    raise_first_clash(levels.errors)
    return levels


def load_level_folders(folders: tuple[ContentFolder, ...] | list[ContentFolder],
                       bank: QuizBank | None = None) -> LevelSet:
    """The levels of each folder in turn, checked against `bank` (default: the quizzes of the
    same folders). A level id that an earlier folder defined is an IdClashError in `.errors`
    naming both files, and the level is left out; nothing raises."""
    bank = bank if bank is not None else load_quiz_folders(folders)
    groups: list[list[Path]] = []
    errors: list[ContentError] = []
    for folder in folders:
        if not folder.levels.is_dir():
            errors.append(ContentError(folder.levels, None, "", "no such level directory"))
            groups.append([])
        else:
            groups.append(sorted(folder.levels.glob("*.yaml")))
    loaded = _load_groups(groups, list(folders), bank)
    return LevelSet(loaded.levels, tuple(errors) + loaded.errors)


def _load_groups(groups: list[list[Path]], folders: list[ContentFolder | None],
                 bank: QuizBank | None) -> LevelSet:
    """Load each group of files (one group per folder), drop clashes, sort by chapter."""
    bank = bank if bank is not None else load_quiz_bank()
    levels: list[tuple[Level, int]] = []
    errors: list[ContentError] = []
    for number, paths in enumerate(groups):
        for path in paths:
            level, problems = load_level_file(path, bank)
            errors.extend(problems)
            if level is not None:
                levels.append((level, number))
    kept, clashes = _without_clashes(levels, folders)
    errors.extend(clashes)
    kept.sort(key=lambda lv: (lv.chapter, lv.order, lv.id))
    return LevelSet(tuple(kept), tuple(errors))


def load_level_file(path: str | Path, bank: QuizBank | None = None
                    ) -> tuple[Level | None, list[ContentError]]:
    """One level file: the level (None when unusable) and every problem found in it."""
    path = Path(path)
    try:
        data, linemap = load_yaml(path)
    except ContentError as exc:
        return None, [exc]
    try:
        level = Level.model_validate(data)
    except ValidationError as exc:
        return None, validation_to_content_errors(path, exc, linemap, document=LEVEL_DOCUMENT)
    level._path = str(path)
    level._id_line = line_of(linemap, ("id",))
    errors = LevelChecker(level, path, linemap,
                          bank if bank is not None else load_quiz_bank()).check()
    return (None if errors else level), errors


def level_schema() -> dict[str, Any]:
    """JSON Schema of a level file, for `virtquest schema` and editors."""
    schema = Level.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "VirtQuest level file"
    return schema


def _without_clashes(levels: list[tuple[Level, int]], folders: list[ContentFolder | None]
                     ) -> tuple[list[Level], list[ContentError]]:
    """Two files may not share an id, nor a place (chapter, order) on the map. Each level comes
    with the number of its folder: an id repeated in another folder is an IdClashError."""
    kept: list[Level] = []
    errors: list[ContentError] = []
    ids: dict[str, tuple[Level, int]] = {}
    places: dict[tuple[int, int], Level] = {}
    for level, number in levels:
        same_id = ids.get(level.id)
        if same_id is not None and same_id[1] != number:
            first, owner = same_id[0], folders[same_id[1]]
            builtin = " (built-in)" if owner is not None and owner.builtin else ""
            errors.append(IdClashError(
                level.path or level.id, level._id_line, "id",
                f"level id {level.id!r} is already used by {_where(first)}{builtin}; give the "
                "level an id of its own", first=first.path or first.id))
            continue
        first = same_id[0] if same_id is not None else places.get((level.chapter, level.order))
        if first is not None:
            what = (f"id {level.id!r}" if first.id == level.id
                    else f"chapter {level.chapter}, order {level.order}")
            errors.append(ContentError(level.path or level.id, None, "id" if first.id == level.id
                                       else "order", f"{what} is already used by {first.path}"))
            continue
        ids[level.id] = (level, number)
        places[(level.chapter, level.order)] = level
        kept.append(level)
    return kept, errors


def _where(level: Level) -> str:
    path = level.path or level.id
    return path if level._id_line is None else f"{path}:{level._id_line}"


def did_you_mean(word: str, known: list[str]) -> str:
    close = difflib.get_close_matches(word, known, n=3, cutoff=0.6)
    return f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


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
