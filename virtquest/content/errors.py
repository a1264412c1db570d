"""ContentError: a problem in a content file (level, quiz, profile), named by file, line and field;
IdClashError: one id in two content folders."""

from __future__ import annotations

from collections.abc import Iterable
from os import PathLike

from virtquest.emu.errors import VirtQuestError


class ContentError(VirtQuestError):
    """A content file is unusable, or one entry in it is: says where and what was expected.

    Reads like `levels/quizzes/x.yaml:12: questions[3].answer: expected one of a, b, c`.
    `line` is 1-based, or None when the problem is the file as a whole; `field` may be "".
    """

    def __init__(self, path: str | PathLike[str], line: int | None, field: str, message: str):
        self.path = str(path)
        self.line = line
        self.field = field
        self.message = message
        super().__init__(self._describe())

    def _describe(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        parts = [where, self.field, self.message] if self.field else [where, self.message]
        return ": ".join(parts)

    def __repr__(self) -> str:
        return f"ContentError({self.path!r}, {self.line!r}, {self.field!r}, {self.message!r})"


class IdClashError(ContentError):
    """A level or question id defined in two content folders (the built-in one and a custom one,
    or two custom ones). Names both files, the one that came first being `first`: a custom
    folder never shadows content silently, so loading all the content raises this.
    """

    def __init__(self, path: str | PathLike[str], line: int | None, field: str, message: str,
                 *, first: str | PathLike[str]):
        self.first = str(first)
        super().__init__(path, line, field, message)


def raise_first_clash(errors: Iterable[ContentError]) -> None:
    """Raise the first IdClashError among `errors`, if there is one."""
    for error in errors:
        if isinstance(error, IdClashError):
            raise error
