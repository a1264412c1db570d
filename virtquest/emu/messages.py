"""What the core tells a user — why a run stopped, where a guest saw through a VMM, what broke
containment, what the assembler found wrong — as an id with parameters.

The English text of every id is in `EN`, the one English catalogue; the GUI keeps the Korean one
(virtquest/gui/messages_ko.py) under the same ids and fills in the same parameters, so no front end
ever has to read English to know what was said. A test checks that both catalogues have the same
ids and the same placeholders.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

# id -> English template; placeholders are str.format fields with names ({cycles:,}, {port:#x}).
EN: dict[str, str] = {
}


def placeholders(template: str) -> frozenset[str]:
    """The parameter names a template fills in."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


@dataclass(frozen=True)
class Message:
    """One thing the core says: an id from the catalogue and the values it fills in."""

    id: str
    params: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        template = EN.get(self.id)
        if template is None:
            raise KeyError(f"no message '{self.id}' in the catalogue")
        missing = placeholders(template) - set(self.params)
        if missing:
            raise KeyError(f"message '{self.id}' needs {', '.join(sorted(missing))}")
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    def text(self, catalogue: Mapping[str, str] | None = None) -> str:
        """The message in English, or from another catalogue with the same ids."""
        template = (catalogue or EN).get(self.id, EN[self.id])
        return template.format(**self.params)

    def __str__(self) -> str:
        return self.text()

    def to_json(self) -> dict:
        return {"id": self.id, "params": dict(self.params), "text": self.text()}


def message(id: str, **params: object) -> Message:  # noqa: A002 - the catalogue's word
    return Message(id, params)
