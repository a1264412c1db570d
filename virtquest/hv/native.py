"""`native`: no hypervisor; the guest kernel runs at CPL 0 on the bare machine."""

from __future__ import annotations

from virtquest.hv.mode import Mode


class NativeMode(Mode):
    """Nothing sits between the guest and the hardware: every question the CPU asks gets the
    bare hardware's answer (the Hypervisor base class)."""

    id = "native"
    title_en = "Native"
    title_ko = "네이티브"
