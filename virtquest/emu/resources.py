"""Where the shipped data lives: the mini-OS, programs, profiles and translations (`assets/`) and
the levels and quizzes (`levels/`).

The repository keeps both folders at its top level. An installed wheel carries them inside the
package, as `virtquest/assets` and `virtquest/levels` (pyproject.toml maps the two folders onto
those package names at build time, so each file exists once in the source tree). The installed
copy wins when it exists; otherwise the checkout's folders are used (a source tree on sys.path, or
an editable install). A package imported from a zip file (a wheel or zipapp on sys.path) has no
folders to read: its data is copied once into a cache folder (importlib.resources reads the
zip) and read from there."""

from __future__ import annotations

import hashlib
import os
import tempfile
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
CHECKOUT = PACKAGE.parent


def _shipped(name: str) -> Path:
    """The folder `name` as installed inside the package, or else the checkout's, or else (a
    package in a zip) a copy of the zip's folder."""
    inside = PACKAGE / name
    if inside.is_dir():
        return inside
    if (CHECKOUT / name).is_dir():
        return CHECKOUT / name
    packed = resources.files("virtquest") / name
    return _unpacked(packed, name) if packed.is_dir() else CHECKOUT / name


def _unpacked(folder: Traversable, name: str) -> Path:
    """A copy of a folder inside a zip, in a cache folder named after the zip's path (written
    once; a finished copy is marked, so an interrupted one is written again)."""
    key = hashlib.sha256(str(PACKAGE).encode()).hexdigest()[:16]
    user = os.getuid() if hasattr(os, "getuid") else 0
    target = Path(tempfile.gettempdir()) / f"virtquest-{user}-{key}" / name
    if not (target / ".complete").exists():
        _copy(folder, target)
        (target / ".complete").write_text("", encoding="utf-8")
    return target


def _copy(folder: Traversable, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for item in folder.iterdir():
        if item.is_dir():
            _copy(item, target / item.name)
        else:
            (target / item.name).write_bytes(item.read_bytes())


ASSETS = _shipped("assets")
GUEST = ASSETS / "guest"
LIBRARY = GUEST / "lib"          # what a program may `.include`
PROGRAMS = ASSETS / "programs"
PROFILES = ASSETS / "profiles"
LEVELS = _shipped("levels")
QUIZZES = LEVELS / "quizzes"
