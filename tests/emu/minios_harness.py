"""Running programs under the mini-OS for its tests: boot, run to exit, a system call's
lines, a `print` routine, free frames and the example programs."""

from __future__ import annotations

from virtquest.content.profiles import load_profile
from virtquest.emu.boot import Guest, load_guest
from virtquest.emu.machine import RunResult

PROFILE = load_profile("modern")
USER_BASE = 0x00400000

# Helpers every test program may call: `print` writes the zero-terminated string at ebx.
PRINT = """
print:
    push eax
    push ecx
    mov ecx, ebx
print_len:
    movb eax, [ecx]
    test eax, eax
    je print_go
    inc ecx
    jmp print_len
print_go:
    sub ecx, ebx
    mov eax, 3
    int 0x80
    pop ecx
    pop eax
    ret
"""


def boot(source: str, **kw) -> Guest:
    return load_guest(source, file="test.s", profile=PROFILE, **kw)


def run(source: str, budget: int = 20_000_000, **kw) -> RunResult:
    result = boot(source, **kw).run(budget=budget)
    assert result.stop == "exit", result.message
    return result


def syscall(nr: int, ebx: int | str = 0, ecx: int | str = 0, edx: int | str = 0) -> str:
    return f"""
    mov eax, {nr}
    mov ebx, {ebx}
    mov ecx, {ecx}
    mov edx, {edx}
    int 0x80
"""


def free_frames(guest: Guest) -> int:
    return guest.machine.memory.read32(guest.kernel.symbols["free_frames"])


def open_example(name: str) -> str:
    from virtquest.emu.resources import PROGRAMS
    return (PROGRAMS / "examples" / name).read_text(encoding="utf-8")
