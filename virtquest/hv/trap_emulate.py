"""`trap-emulate` (전가상화, Trap & Emulate): the classic software VMM, nothing more.

The guest kernel runs deprivileged at ring 1; its privileged instructions fault (#GP) into the
VMM, which emulates them on the virtual CPU and resumes; every exception, interrupt and system
call enters the VMM and is reflected into the guest's virtual IDT; paging is shadowed.
Sensitive-but-unprivileged instructions run directly and give the answers they really give.
"""

from __future__ import annotations

from virtquest.hv.softvmm import SoftwareVMM


class TrapEmulateVMM(SoftwareVMM):
    id = "trap-emulate"
    title_en = "Full virtualization (trap & emulate)"
    title_ko = "전가상화 (트랩 & 에뮬레이션)"
