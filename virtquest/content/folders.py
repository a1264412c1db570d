"""Content folders: the built-in levels and quizzes, and an instructor's folders beside them.

A content folder has the layout of the built-in `levels/`: level files (`*.yaml`) at its top and,
optionally, quiz files in a `quizzes/` subfolder. Besides the built-in folder, content comes from
the folders given on the command line (`virtquest --content DIR`, repeatable; the CLI sets them
here for the length of one run) and from the environment variable VIRTQUEST_CONTENT (folders
separated by os.pathsep), in that order. The built-in folder always comes first, so an id that a
custom folder repeats is found as a clash in the custom file (see IdClashError) and never
replaces the built-in entry.

Only the standard library and the error types here: the CLI imports this module for every
command, before it knows whether the command reads any content.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from virtquest.emu.errors import VirtQuestError
from virtquest.emu.resources import LEVELS

ENV_VAR = "VIRTQUEST_CONTENT"
QUIZ_SUBFOLDER = "quizzes"
LAYOUT = "level files (*.yaml) at its top and quiz files in quizzes/"


class ContentFolderError(VirtQuestError):
    """A content folder that is missing or is not a folder (one line, exit status 2)."""


@dataclass(frozen=True)
class ContentFolder:
    """One folder of content: its level files, and its quiz files in `quizzes/`."""

    path: Path
    builtin: bool = False

    @property
    def levels(self) -> Path:
        return self.path

    @property
    def quizzes(self) -> Path:
        return self.path / QUIZ_SUBFOLDER

    @property
    def label(self) -> str:
        """How messages name the folder's content: built-in, or the folder as given."""
        return "built-in content" if self.builtin else f"content folder {self.path}"

    def same_place(self, other: ContentFolder) -> bool:
        return _key(self.path) == _key(other.path)

    def holds(self, file: str | Path) -> bool:
        """Whether `file` lies inside this folder (its quizzes/ included)."""
        return _key(self.path) in _key(Path(file)).parents


BUILTIN = ContentFolder(LEVELS, builtin=True)

_command_line: tuple[Path, ...] = ()


def set_command_line_folders(paths: Iterable[str | Path]) -> tuple[Path, ...]:
    """The folders of `--content` for this run; returns the previous ones (to restore them)."""
    global _command_line
    previous = _command_line
    _command_line = tuple(Path(p) for p in paths)
    return previous


def custom_folder(path: str | Path, *, origin: str = "") -> ContentFolder:
    """`path` as a content folder, or ContentFolderError when it is missing or not a folder.
    `origin` says where the path came from (`--content`, the environment variable)."""
    where = f"{origin}: " if origin else ""
    folder = Path(path).expanduser()
    if not folder.exists():
        raise ContentFolderError(f"{where}{folder}: no such content folder (a content folder "
                                 f"holds {LAYOUT})")
    if not folder.is_dir():
        raise ContentFolderError(f"{where}{folder}: not a folder (a content folder holds "
                                 f"{LAYOUT})")
    return ContentFolder(folder)


def env_folders(environ: Mapping[str, str] | None = None) -> list[str]:
    """The folders VIRTQUEST_CONTENT names (empty entries are ignored)."""
    value = (os.environ if environ is None else environ).get(ENV_VAR, "")
    return [part for part in value.split(os.pathsep) if part.strip()]


def custom_folders(environ: Mapping[str, str] | None = None) -> tuple[ContentFolder, ...]:
    """The custom content folders, `--content` first, then VIRTQUEST_CONTENT; a folder named
    twice (or the built-in one) counts once."""
    named = [(path, "--content") for path in _command_line]
    named += [(path, ENV_VAR) for path in env_folders(environ)]
    folders: list[ContentFolder] = []
    for path, origin in named:
        folder = custom_folder(path, origin=origin)
        if not any(folder.same_place(other) for other in (BUILTIN, *folders)):
            folders.append(folder)
    return tuple(folders)


def content_folders(environ: Mapping[str, str] | None = None) -> tuple[ContentFolder, ...]:
    """The built-in folder, then every custom one."""
    return (BUILTIN, *custom_folders(environ))


def _key(path: Path) -> Path:
    return path.expanduser().resolve()
