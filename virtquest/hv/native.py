"""`native`: no hypervisor; the guest kernel runs at CPL 0 on the bare machine."""

from __future__ import annotations

from virtquest.emu.machine import Machine


class NativeMode:
    id = "native"
    title_en = "Native"
    title_ko = "네이티브"

    def attach(self, machine: Machine, sites: dict[int, str] | None = None) -> None:
        """Nothing sits between the guest and the hardware."""
