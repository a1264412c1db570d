"""What the core says, shown in the UI's language.

The core (virtquest/emu, virtquest/hv) never imports Qt: it reports a `Message`, an id with named
parameters (virtquest/emu/messages.py). Its English text comes from `EN` there, its Korean text
from `KO` in virtquest/gui/messages_ko.py, under the same ids and with the same `{name}`
placeholders. To show one, call `message_text(message)`: the template of the UI's language
(`current_language()`; or the language given) filled in with the message's parameters, English
where a catalogue lacks the id. Nothing here reads the English wording. To add a message: an id
and its English template in `EN`, its Korean template in `KO` (a test checks that both have the
same ids and placeholders), then raise or return `message(id, **params)` from the core.

The assembler and its expressions report Messages. The machine's and the hypervisors' messages
are still English strings, matched against the templates in `MACHINE_MESSAGES` (%1, %2 …: what
the core filled in) that Qt's translation catalogue carries and refilled in the UI language (a
message no template matches is shown as it is) until they, too, report Messages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP

from virtquest.emu.messages import EN, Message
from virtquest.gui.i18n import current_language, fill, translate
from virtquest.gui.messages_ko import KO

# language -> the catalogue of its templates, keyed by message id.
CATALOGUES: dict[str, Mapping[str, str]] = {"en": EN, "ko": KO}


def message_text(message: Message, language: str | None = None) -> str:
    """`message` in `language` (by default the UI's): its template there, filled in."""
    return message.text(CATALOGUES.get(language or current_language(), EN))


# What the machine and the hypervisors say about a run: why it stopped, where the guest saw
# through a software VMM (an x86 hole), what broke containment. They word these in English; the
# UI shows them in its own language (%1, %2 …: what the machine filled in).
MACHINE_MESSAGES = (
    QT_TRANSLATE_NOOP("MachineMessage", "the guest powered off with exit code %1"),
    QT_TRANSLATE_NOOP("MachineMessage", "stopped after %1 cycles: the guest did not finish "
                                        "within its budget of %2 cycles (an endless loop?)"),
    QT_TRANSLATE_NOOP("MachineMessage", "the run was cancelled"),
    QT_TRANSLATE_NOOP("MachineMessage", "the CPU halted with interrupts disabled or no timer "
                                        "running, so nothing can wake it"),
    QT_TRANSLATE_NOOP("MachineMessage", "the guest halted with interrupts disabled or no "
                                        "timer running, so nothing can wake it"),
    QT_TRANSLATE_NOOP("MachineMessage", "the guest blocked with no timer running"),
    QT_TRANSLATE_NOOP("MachineMessage", "triple fault while delivering vector %1: the IDT or "
                                        "the kernel stack is unusable"),
    QT_TRANSLATE_NOOP("MachineMessage", "the guest is still running"),
    QT_TRANSLATE_NOOP("MachineMessage", "pushf showed IF=%1, the real flag, but the guest had "
                                        "set its virtual IF to %2"),
    QT_TRANSLATE_NOOP("MachineMessage", "popf tried to set IF=%1 but ran at ring %2, where the "
                                        "CPU silently ignores a change of IF: the guest's "
                                        "interrupt state did not change"),
    QT_TRANSLATE_NOOP("MachineMessage", "%1 stored the real %2 (base %3) instead of the "
                                        "guest's (base %4): the VMM is visible"),
    QT_TRANSLATE_NOOP("MachineMessage", "smsw read the real cr0 (%1) instead of the guest's "
                                        "(%2)"),
    QT_TRANSLATE_NOOP("MachineMessage", "mov r, cs read %1 (CPL %2) although the guest kernel "
                                        "believes it runs at CPL %3 (%4)"),
    QT_TRANSLATE_NOOP("MachineMessage", "%1: the guest drove the real device on port %2 "
                                        "directly"),
    QT_TRANSLATE_NOOP("MachineMessage", "guest-physical %1 is outside the guest's RAM"),
)


def template_translator(context: str, templates: Sequence[str]) -> Callable[[str], str]:
    """A function that shows a message made from one of `templates` in the UI language."""
    patterns = [(re.compile(re.sub(r"%\d", lambda _m: "(.+?)",
                                   re.escape(t).replace(r"\%", "%"))), t) for t in templates]

    def translated(message: str) -> str:
        for pattern, template in patterns:
            match = pattern.fullmatch(message)
            if match:
                return fill(translate(context, template), *match.groups())
        return message
    return translated


machine_message = template_translator("MachineMessage", MACHINE_MESSAGES)
