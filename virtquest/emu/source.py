"""Reading a program's source from a file, with a clear error for anything that is not one; and
the library of routines shipped with the mini-OS that a program may `.include`."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path

from virtquest.emu.errors import VirtQuestError
from virtquest.emu.resources import LIBRARY

MAX_SOURCE_BYTES = 1 << 20
LIBRARY_PREFIX = "lib/"          # how an error names a library file ("lib/console.s")


class SourceError(VirtQuestError):
    """A file that cannot be a program: missing, a directory, too large, binary, not UTF-8."""


def read_source(path: str | Path) -> str:
    p = Path(path)
    if not p.exists():
        raise SourceError(f"{p}: no such file")
    if p.is_dir():
        raise SourceError(f"{p}: is a directory, expected a .s source file")
    size = p.stat().st_size
    if size > MAX_SOURCE_BYTES:
        raise SourceError(f"{p}: {size:,} bytes is too large for a program "
                          f"(at most {MAX_SOURCE_BYTES:,})")
    raw = p.read_bytes()
    if b"\0" in raw:
        raise SourceError(f"{p}: contains NUL bytes; expected a text file of VQ32 assembly")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(f"{p}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    return text.removeprefix("\ufeff")


class Library(Mapping[str, str]):
    """The `.s` files of a folder by name (`console.s` → its text), each read once."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._names = tuple(sorted(p.name for p in folder.glob("*.s"))) if folder.is_dir() else ()
        self._texts: dict[str, str] = {}

    def __getitem__(self, name: str) -> str:
        if name not in self._names:
            raise KeyError(name)
        if name not in self._texts:
            self._texts[name] = read_source(self.folder / name)
        return self._texts[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


@lru_cache(maxsize=1)
def library() -> Library:
    """The library shipped with the mini-OS (assets/guest/lib): docs/minios.md, "The library"."""
    return Library(LIBRARY)
