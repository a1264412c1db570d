"""What the core says in English, shown in the UI's language.

The core never imports Qt, so the machine, the hypervisors and the assembler word their messages
in English. Here each kind of message is a template (%1, %2 …: what the core filled in) that Qt's
translation catalogue carries; a message is matched against the templates and refilled in the UI
language. A message no template matches is shown as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP

from virtquest.gui.i18n import fill, translate

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

# The assembler and its expressions (virtquest/emu/asm.py, expr.py): what a learner sees when a
# sandbox program does not assemble.
ASSEMBLER_MESSAGES = (
    QT_TRANSLATE_NOOP("AssemblerMessage", "expected an instruction or directive, found '%1'"),
    QT_TRANSLATE_NOOP("AssemblerMessage", "symbol '%1' is already defined"),
    QT_TRANSLATE_NOOP("AssemblerMessage", "expected an operand before ','"),
    QT_TRANSLATE_NOOP("AssemblerMessage", "expected a closing %1"),
    QT_TRANSLATE_NOOP("AssemblerMessage", "expected ']' or ')' to close what was opened"),
    QT_TRANSLATE_NOOP("AssemblerMessage", "expected at least one value after %1"),
    QT_TRANSLATE_NOOP("AssemblerMessage", 'expected one "string" after %1'),
    QT_TRANSLATE_NOOP("AssemblerMessage", "expected a size between 0 and %1"),
    QT_TRANSLATE_NOOP("AssemblerMessage", "expected a power of two for .align"),
    QT_TRANSLATE_NOOP("AssemblerMessage", "expected .org at or after %1, not %2"),
    QT_TRANSLATE_NOOP("AssemblerMessage", "expected an address within 64 MiB of the origin"),
    QT_TRANSLATE_NOOP("AssemblerMessage", "expected a directive (.equ .word .byte .ascii .asciz "
                                          ".zero .align .org .if .else .endif), found '%1'"),
    QT_TRANSLATE_NOOP("AssemblerMessage", "expected .equ NAME, expression"),
    QT_TRANSLATE_NOOP("AssemblerMessage", "expected one value after %1"),
    QT_TRANSLATE_NOOP("AssemblerMessage", 'expected a "quoted string"'),
    QT_TRANSLATE_NOOP("AssemblerMessage", "expected a value that fits in %1 bits, got %2"),
    QT_TRANSLATE_NOOP("AssemblerMessage", "expected %1; found %2 %3"),
    QT_TRANSLATE_NOOP("AssemblerMessage", "expected a control register: cr0, cr2, cr3 or cr8"),
    QT_TRANSLATE_NOOP("AssemblerMessage", "expected ']' to close the memory operand"),
    QT_TRANSLATE_NOOP("AssemblerMessage", "expected a displacement after the sign"),
    QT_TRANSLATE_NOOP("AssemblerMessage", "expected a register or an address inside [ ]"),
    QT_TRANSLATE_NOOP("AssemblerMessage", "expected text, found a NUL byte"),
    QT_TRANSLATE_NOOP("AssemblerMessage", "expected the program to stay within %1 MiB of its "
                                          "origin"),
    QT_TRANSLATE_NOOP("AssemblerMessage", "expected .endif to close this .if"),
    QT_TRANSLATE_NOOP("AssemblerMessage", "expected at most %1 nested .if"),
    QT_TRANSLATE_NOOP("AssemblerMessage", "expected an expression after .if"),
    QT_TRANSLATE_NOOP("AssemblerMessage", "%1 without a matching .if"),
    QT_TRANSLATE_NOOP("AssemblerMessage", "expected .endif, found a second .else"),
    QT_TRANSLATE_NOOP("AssemblerMessage", "expected an operator or the end, found '%1'"),
    QT_TRANSLATE_NOOP("AssemblerMessage", "expected a number, a symbol or an operator, "
                                          "found '%1'"),
    QT_TRANSLATE_NOOP("AssemblerMessage", "expected a shorter expression (at most %1 tokens and "
                                          "%2 levels of parentheses)"),
    QT_TRANSLATE_NOOP("AssemblerMessage", "expected a number or a symbol"),
    QT_TRANSLATE_NOOP("AssemblerMessage", "expected ')'"),
    QT_TRANSLATE_NOOP("AssemblerMessage", "expected a number that fits in 64 bits"),
    QT_TRANSLATE_NOOP("AssemblerMessage", "expected a number or a symbol, found '%1'"),
    QT_TRANSLATE_NOOP("AssemblerMessage", "expected a character escape, found '%1'"),
    QT_TRANSLATE_NOOP("AssemblerMessage", "expected a one-byte character"),
    QT_TRANSLATE_NOOP("AssemblerMessage", "expected a defined symbol, '%1' is not defined"),
    QT_TRANSLATE_NOOP("AssemblerMessage", "expected a non-zero divisor"),
    QT_TRANSLATE_NOOP("AssemblerMessage", "expected a shift count between 0 and 63"),
    QT_TRANSLATE_NOOP("AssemblerMessage", "expected a value that fits in 64 bits"),
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


assembler_message = template_translator("AssemblerMessage", ASSEMBLER_MESSAGES)
machine_message = template_translator("MachineMessage", MACHINE_MESSAGES)
