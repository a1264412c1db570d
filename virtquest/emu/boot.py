"""The boot loader: turns a program's source into a machine ready to run it (docs/minios.md).

A source with `_start:` runs bare metal. A source with `main:` and/or `kernel_main:` is assembled
for USER_BASE and booted on the mini-OS (assets/guest/minios.s): the loader copies the kernel and
the program image into RAM, writes the BOOT INFO block the kernel reads, and points the CPU at the
kernel's entry. Layout constants (BOOT_INFO, USER_BASE, …) are read from the assembled kernel's
`.equ`s, so overriding them with `kernel_defines` moves both sides together.

Boot-info block (little-endian 32-bit words at physical BOOT_INFO, default 0x800):
    +0 magic 0x534F5156 ("VQOS")   +4 RAM size in bytes   +8 physical address of the program image
    +12 image size in bytes   +16 the image's virtual address (USER_BASE)
    +20 address of `main` (0 if none)   +24 address of `kernel_main` (0 if none)
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from virtquest.emu.asm import Program, assemble
from virtquest.emu.cache import cached
from virtquest.emu.costs import CostProfile
from virtquest.emu.errors import MachineError
from virtquest.emu.machine import DEFAULT_BUDGET, Machine, RunResult
from virtquest.emu.memory import PAGE_SIZE
from virtquest.emu.resources import GUEST

KERNEL_FILES = ("minios.s",)   # concatenated in this order
BOOT_MAGIC = 0x534F5156
BOOT_INFO_FORMAT = "<7I"
ENTRY_LABELS = ("_start", "main", "kernel_main")
PV_PREFIX = "pv_"


@dataclass
class Guest:
    """A loaded machine and what was loaded into it."""

    machine: Machine
    program: Program
    kernel: Program | None
    kind: str                      # "bare" | "minios"

    def run(self, budget: int = DEFAULT_BUDGET,
            cancel: Callable[[], bool] | None = None) -> RunResult:
        return self.machine.run(budget=budget, cancel=cancel)


def load_guest(source: str, *, file: str = "<source>", profile: CostProfile,
               defines: dict[str, int] | None = None, ram: int = 1 << 20,
               kernel_defines: dict[str, int] | None = None) -> Guest:
    """Assemble `source` and load it, bare metal or on the mini-OS, by its entry labels."""
    program = assemble(source, file=file, origin=0, defines=defines)
    if "_start" in program.labels:
        machine = Machine(profile, ram)
        machine.start_bare(program)
        return Guest(machine, program, None, "bare")
    if not {"main", "kernel_main"} & program.labels:
        raise MachineError(f"{file}: expected a '_start:', 'main:' or 'kernel_main:' label")
    kernel = kernel_program(kernel_defines)
    program = assemble(source, file=file, origin=kernel.symbols["USER_BASE"], defines=defines)
    machine = Machine(profile, ram)
    boot_minios(machine, kernel, program)
    return Guest(machine, program, kernel, "minios")


def boot_minios(machine: Machine, kernel: Program, program: Program) -> None:
    """Put the kernel, the program image and the boot-info block in RAM; reset to the kernel."""
    symbols = kernel.symbols
    image_phys = _page_up(kernel.end)
    reachable = min(machine.memory.size, symbols["KERNEL_MAP_LIMIT"])
    # The kernel also needs free frames for process 1: a page directory, two page tables,
    # the stack pages. Refuse early, with a clear message, when they cannot exist.
    needed = image_phys + _page_up(len(program.image)) + PAGE_SIZE * (
        3 + symbols["USER_STACK_PAGES"])
    if needed > reachable:
        raise MachineError(
            f"{program.file}: the program ({len(program.image)} bytes) and the mini-OS "
            f"({kernel.end:#x} bytes) do not fit in {reachable // 1024} KiB of usable RAM")
    machine.load(kernel)
    machine.memory.load(image_phys, program.image)
    info = struct.pack(BOOT_INFO_FORMAT, BOOT_MAGIC, machine.memory.size, image_phys,
                       len(program.image), program.origin, program.symbols.get("main", 0),
                       program.symbols.get("kernel_main", 0))
    machine.memory.load(symbols["BOOT_INFO"], info)
    machine.cpu.eip = symbols["kernel_entry"]
    machine.cpu.regs[4] = symbols["kstack_top"]


def kernel_source() -> str:
    """The mini-OS source text, as the app shows it."""
    return _kernel_source()


def kernel_program(defines: dict[str, int] | None = None) -> Program:
    """The assembled mini-OS (cached per set of defines: every run reuses it)."""
    return _assemble_kernel(tuple(sorted((defines or {}).items())))


def pv_sites(kernel: Program) -> dict[str, int]:
    """Name → address of every PV site (the kernel's `pv_…` routines and `pv_iret`)."""
    return {name: kernel.symbols[name] for name in sorted(kernel.labels)
            if name.startswith(PV_PREFIX)}


@lru_cache(maxsize=1)
def _kernel_source() -> str:
    return "\n".join((GUEST / name).read_text(encoding="utf-8") for name in KERNEL_FILES)


# One assembled mini-OS per set of defines: the plain one, PV=1 for paravirt, and one per Guest
# choice on a kernel slot that a level's runs try (a few each); 32 keeps every shipped level's.
@cached(32)
def _assemble_kernel(defines: tuple[tuple[str, int], ...]) -> Program:
    return assemble(_kernel_source(), file="assets/guest/minios.s", origin=0,
                    defines=dict(defines))


def _page_up(value: int) -> int:
    return (value + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1)
