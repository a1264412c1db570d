"""Faults under the mini-OS: a fault kills only the process that made it and is named on
the console; in kernel_main it is a kernel panic."""

from __future__ import annotations

import pytest

from tests.emu.minios_harness import PRINT, boot, run


def test_a_user_page_fault_kills_only_that_process():
    guest = boot("""
main:
    mov eax, 8
    mov ebx, crasher
    int 0x80
    mov esi, eax
    mov ebx, before
    call print
    mov eax, 9
    mov ebx, esi
    int 0x80
    mov edi, eax
    mov ebx, after
    call print
    mov eax, edi
    ret
crasher:
    mov eax, [0x10000000]
    ret
before: .asciz "waiting\\n"
after: .asciz "still here\\n"
""" + PRINT)
    result = guest.run()
    crasher_eip = guest.program.symbols["crasher"]
    assert result.console == (
        "waiting\n"
        f"[minios] process 2 killed: #PF page fault at 0x10000000 (eip {crasher_eip:#010x})\n"
        "still here\n")
    assert result.exit_code == 128 + 14


@pytest.mark.parametrize("body, message, code", [
    ("mov ecx, 0\n div ecx", "#DE divide error at 0x00400008", 128),
    ("cli", "#GP general protection at 0x00400000", 141),
    ("out 0xE9, eax", "#GP general protection at 0x00400000", 141),
    ("int 14", "#GP general protection at 0x00400000", 141),
    ("jmp junk\njunk: .word 0xFFFFFFFF, 0", "#UD invalid opcode at 0x00400008", 134),
    ("mov eax, [0x1000]", "#PF page fault at 0x00001000 (eip 0x00400000)", 142),
    ("mov [0x0FFFF000], eax", "#PF page fault at 0x0ffff000 (eip 0x00400000)", 142),
    ("mov eax, [0x80000000]", "#PF page fault at 0x80000000 (eip 0x00400000)", 142),
])
def test_faults_kill_the_process_and_name_the_fault(body, message, code):
    result = run(f"main:\n {body}\n ret\n")
    assert result.console == f"[minios] process 1 killed: {message}\n"
    assert result.exit_code == code


def test_a_fault_in_kernel_main_is_a_kernel_panic():
    result = run("kernel_main:\n mov eax, [0]\n ret\n")
    assert result.console == (
        "[minios] kernel panic: #PF page fault at 0x00000000 (eip 0x00400000)\n")
    assert result.exit_code == 255
