"""The one registry of virtualization modes, by their contract ids."""

from __future__ import annotations

from virtquest.emu.errors import VirtQuestError
from virtquest.emu.machine import Machine
from virtquest.hv.binary_translation import BinaryTranslationVMM
from virtquest.hv.hardware_assist import HardwareAssistVMM
from virtquest.hv.mode import Mode
from virtquest.hv.native import NativeMode
from virtquest.hv.paravirt import ParavirtVMM
from virtquest.hv.trap_emulate import TrapEmulateVMM

_MODES: dict[str, type[Mode]] = {"native": NativeMode, "trap-emulate": TrapEmulateVMM,
                                  "binary-translation": BinaryTranslationVMM,
                                  "paravirt": ParavirtVMM,
                                  "hardware-assist": HardwareAssistVMM}


class UnknownMode(VirtQuestError):
    pass


def mode_ids() -> list[str]:
    return list(_MODES)


def mode_class(mode_id: str) -> type[Mode]:
    """A mode's class: its id, titles and how the guest is built for it."""
    try:
        return _MODES[mode_id]
    except KeyError:
        raise UnknownMode(f"unknown mode '{mode_id}': expected one of {', '.join(_MODES)} "
                          "or 'all'") from None


def mode_title(mode_id: str, language: str) -> str:
    """A mode's title as every view shows it, in Korean (`ko`) or English."""
    cls = mode_class(mode_id)
    return cls.title_ko if language == "ko" else cls.title_en


def create(mode_id: str, machine: Machine, sites: dict[int, str] | None = None, **options) -> Mode:
    """The mode, made for this machine and attached to it (before its first instruction)."""
    mode = mode_class(mode_id)(machine, sites, **options)
    machine.attach(mode)
    return mode
