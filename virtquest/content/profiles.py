"""Cost profiles from assets/profiles/*.yaml: validated with pydantic into the machine's CostProfile."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from virtquest.content.errors import ContentError
from virtquest.content.yamlload import load_yaml, validation_to_content_errors
from virtquest.emu.cache import cached
from virtquest.emu.costs import MAX_CYCLES_PER_KEY, REQUIRED_KEYS, CostProfile
from virtquest.emu.errors import ProfileError
from virtquest.emu.resources import PROFILES

DEFAULT_PROFILE = "modern"
MAX_PROFILE_BYTES = 256 * 1024


class _Text(BaseModel):
    model_config = ConfigDict(extra="forbid")
    en: str = Field(min_length=1)
    ko: str = Field(min_length=1)


class _Cost(BaseModel):
    model_config = ConfigDict(extra="forbid")
    cycles: int = Field(ge=0, le=MAX_CYCLES_PER_KEY, strict=True)
    source: str = Field(min_length=3, description="where the number comes from (paper, manual, or 'assumption: why')")


class _Hardware(BaseModel):
    model_config = ConfigDict(extra="forbid")
    vtx: bool = True
    ept: bool = False
    tlb_entries: int = Field(default=64, ge=1, le=4096)
    apicv: bool = False
    vpid: bool = False


PROFILE_DOCUMENT = "a cost profile: schema_version, name, description, hardware and costs"


class ProfileFile(BaseModel):
    """The file format of a cost profile."""

    model_config = ConfigDict(extra="forbid")
    schema_version: int = Field(ge=1, le=1)
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9.-]*$")
    description: _Text
    hardware: _Hardware = _Hardware()
    costs: dict[str, _Cost]


def profile_names() -> list[str]:
    return sorted(p.stem for p in PROFILES.glob("*.yaml"))


def load_profile(name_or_path: str | Path = DEFAULT_PROFILE) -> CostProfile:
    """A shipped profile by name, or a profile file by path; ProfileError says what is wrong."""
    text = str(name_or_path)
    if text in profile_names():
        return _load_cached(str(PROFILES / f"{text}.yaml"))
    path = Path(text)
    if path.suffix not in (".yaml", ".yml") and not path.exists():
        raise ProfileError(f"unknown profile '{text}': expected one of {', '.join(profile_names())} "
                           "or the path of a profile file")
    return _load_file(path)


# The shipped profiles (4) and a learner's own: 16 profiles of a few KB.
@cached(16)
def _load_cached(path: str) -> CostProfile:
    return _load_file(Path(path))


def _load_file(path: Path) -> CostProfile:
    if path.is_dir():
        raise ProfileError(f"{path}: is a directory, not a profile file")
    if not path.is_file():
        raise ProfileError(f"{path}: no such profile file")
    if path.stat().st_size > MAX_PROFILE_BYTES:
        raise ProfileError(f"{path}: too large for a cost profile")
    try:   # the content loader: safe, bounded (aliases, depth), with lines for the errors
        data, linemap = load_yaml(path)
    except ContentError as exc:
        raise ProfileError(str(exc)) from None
    try:
        model = ProfileFile.model_validate(data)
    except ValidationError as exc:
        raise ProfileError(str(validation_to_content_errors(
            path, exc, linemap, document=PROFILE_DOCUMENT)[0])) from None
    missing = sorted(REQUIRED_KEYS - set(model.costs))
    if missing:
        raise ProfileError(f"{path}: costs: missing {', '.join(missing)}")
    return CostProfile(
        name=model.name, description=model.description.en,
        cycles={k: v.cycles for k, v in model.costs.items()},
        sources={k: v.source for k, v in model.costs.items()},
        ept=model.hardware.ept, vtx=model.hardware.vtx, tlb_entries=model.hardware.tlb_entries,
        apicv=model.hardware.apicv, vpid=model.hardware.vpid,
    )
