"""Lab levels (the file format: docs/levels.md): the pydantic model of a level file, where its
program comes from, and the level's program assembled (with the mini-OS when it runs on it).
Reading and checking level files: level_loader.py and level_checks.py.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from virtquest.content.hosts import MIGRATION_SETTINGS, HostSection, Setting
from virtquest.content.profiles import load_profile
from virtquest.content.quizzes import Concept, Prose, QuestionId
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


def did_you_mean(word: str, known: list[str]) -> str:
    close = difflib.get_close_matches(word, known, n=3, cutoff=0.6)
    return f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
