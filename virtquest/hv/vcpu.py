"""The virtual CPU: the privileged state the guest believes it has, kept by the hypervisor."""

from __future__ import annotations

from dataclasses import dataclass, field

from virtquest.emu.isa import MSR_KERNEL_ESP


@dataclass
class VirtualCPU:
    """What a guest kernel sees of the CPU's privileged state, while the real one differs."""

    cpl: int = 0                    # the guest's idea of its privilege level
    interrupt_flag: bool = False    # the guest's IF (cli/sti act on this, not on the real IF)
    cr0: int = 0
    cr2: int = 0
    cr3: int = 0
    cr8: int = 0
    idtr: tuple[int, int] = (0, 0)
    gdtr: tuple[int, int] = (0, 0)
    msrs: dict[int, int] = field(default_factory=lambda: {MSR_KERNEL_ESP: 0, 0x174: 0, 0x176: 0})

    @property
    def paging(self) -> bool:
        return bool(self.cr0 & 0x80000000)

    def read_cr(self, n: int) -> int:
        return {0: self.cr0, 2: self.cr2, 3: self.cr3, 8: self.cr8}[n]
