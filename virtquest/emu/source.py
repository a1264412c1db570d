"""Reading a program's source from a file, with a clear error for anything that is not one."""

from __future__ import annotations

from pathlib import Path

from virtquest.emu.errors import VirtQuestError

MAX_SOURCE_BYTES = 1 << 20


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
