"""What the core says, shown in the UI's language.

The core (virtquest/emu, virtquest/hv) never imports Qt: it reports a `Message`, an id with named
parameters (virtquest/emu/messages.py). Its English text comes from `EN` there, its Korean text
from `KO` in virtquest/gui/messages_ko.py, under the same ids and with the same `{name}`
placeholders. To show one, call `message_text(message)`: the template of the UI's language
(`current_language()`; or the language given) filled in with the message's parameters, English
where a catalogue lacks the id. Nothing here reads the English wording. To add a message: an id
and its English template in `EN`, its Korean template in `KO` (a test checks that both have the
same ids and placeholders), then raise or return `message(id, **params)` from the core.

Everything the core reports is a Message: the assembler's and its expressions' errors, why a run
stopped (`RunResult.detail`), where a guest saw through a VMM (`ModeRun.divergences[…]["how"]`),
what broke containment (`ModeRun.violations`), what a hypervisor refused (`ModeRun.refusals`)
and each event of a traced run (`TraceEntry.message`, the id `trace.<kind>`: the timeline).
"""

from __future__ import annotations

from collections.abc import Mapping

from virtquest.emu.messages import EN, Message
from virtquest.game.hangul import resolve_particles
from virtquest.gui.i18n import current_language
from virtquest.gui.messages_ko import KO

# language -> the catalogue of its templates, keyed by message id.
CATALOGUES: dict[str, Mapping[str, str]] = {"en": EN, "ko": KO}


def message_text(message: Message, language: str | None = None) -> str:
    """`message` in `language` (by default the UI's): its template there, filled in, with each
    Korean particle after a placeholder (`{vector}을(를)`) chosen for the value that came in."""
    return resolve_particles(message.text(CATALOGUES.get(language or current_language(), EN)))
