"""The one registry of virtualization modes, by their contract ids (SPEC §5)."""

from __future__ import annotations

from virtquest.emu.errors import VirtQuestError
from virtquest.hv.binary_translation import BinaryTranslationVMM
from virtquest.hv.hardware_assist import HardwareAssistVMM
from virtquest.hv.mode import Mode
from virtquest.hv.native import NativeMode
from virtquest.hv.paravirt import ParavirtVMM
from virtquest.hv.trap_emulate import TrapEmulateVMM

_MODES: dict[str, type] = {"native": NativeMode, "trap-emulate": TrapEmulateVMM,
                           "binary-translation": BinaryTranslationVMM,
                           "paravirt": ParavirtVMM,
                           "hardware-assist": HardwareAssistVMM}


class UnknownMode(VirtQuestError):
    pass


def register(mode_class: type) -> type:
    _MODES[mode_class.id] = mode_class
    return mode_class


def mode_ids() -> list[str]:
    return list(_MODES)


def get_mode(mode_id: str) -> Mode:
    try:
        return _MODES[mode_id]()
    except KeyError:
        raise UnknownMode(f"unknown mode '{mode_id}': expected one of {', '.join(_MODES)} "
                          "or 'all'") from None
