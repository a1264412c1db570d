"""The mini-OS's system calls: their results, what they refuse, and that they keep every
register but eax."""

from __future__ import annotations

import pytest

from tests.emu.minios_harness import USER_BASE, run, syscall
from virtquest.emu.boot import kernel_program


def test_null_returns_zero_and_unknown_numbers_return_minus_one():
    checks = [(0, 0), (11, -1), (42, -1), (-1, -1), (0x80000000, -1)]
    body = "".join(f"""
    mov eax, {nr}
    int 0x80
    cmp eax, {want}
    jne fail
""" for nr, want in checks)
    result = run(f"main:{body}\n mov eax, 0\n ret\nfail:\n mov eax, 1\n ret\n")
    assert result.exit_code == 0


def test_exit_ends_the_process_with_its_code():
    result = run("main:" + syscall(1, 77) + syscall(2, "'X'") + " ret\n")
    assert (result.exit_code, result.console) == (77, "")


def test_returning_from_main_exits_with_eax():
    assert run("main:\n mov eax, -3\n ret\n").exit_code == -3


def test_putc_prints_one_character_and_returns_zero():
    result = run("main:" + syscall(2, "'Q'") + syscall(2, 10) + " ret\n")
    assert (result.console, result.exit_code) == ("Q\n", 0)


def test_write_prints_the_buffer_and_returns_its_length():
    result = run("main:" + syscall(3, "text", 5) + " ret\ntext: .ascii \"abcdeXYZ\"\n")
    assert (result.console, result.exit_code) == ("abcde", 5)


def test_write_of_nothing_returns_zero():
    assert run("main:" + syscall(3, "main", 0) + " ret\n").exit_code == 0


def test_write_can_span_two_mapped_pages():
    result = run("main:" + syscall(6, 0x10000000, 2) + """
    mov eax, 0x4B4F      ; "OK" ending the first page and starting the second
    mov [0x10000fff], eax
""" + syscall(3, 0x10000fff, 2) + " ret\n")
    assert (result.console, result.exit_code) == ("OK", 2)


@pytest.mark.parametrize("ptr, length", [
    (0x1000, 16),              # kernel code
    (0x800, 4),                # the boot-info block (page 0)
    (0x3FFFF0, 32),            # the last kernel page, then the program
    (0x7FFFFFFF, 2),           # runs past the end of user space
    (0x80000000, 1),           # above user space
    (0xFFFFFFF0, 0x20),        # wraps around 4 GiB
    (0x10000000, 1),           # the map area, nothing mapped
    (USER_BASE, 0x1000 * 64),  # runs off the end of the program image
])
def test_write_refuses_memory_that_is_not_the_callers(ptr, length):
    result = run("main:" + syscall(3, ptr, length) + " ret\n")
    assert (result.console, result.exit_code) == ("", -1)


def test_write_cannot_print_kernel_secrets_by_address():
    kernel = kernel_program()
    secret = kernel.symbols["msg_panic"]          # a kernel string, readable only by the kernel
    result = run("main:" + syscall(3, secret, 8) + " ret\n")
    assert (result.console, result.exit_code) == ("", -1)


def test_getpid_of_the_first_process_is_one():
    assert run("main:" + syscall(4) + " ret\n").exit_code == 1


def test_time_reads_the_cycle_counter():
    result = run("main:" + syscall(10) + " mov esi, eax\n" + syscall(10) + """
    sub eax, esi
    ret
""")
    assert 0 < result.exit_code < 5000


@pytest.mark.parametrize("call", [
    syscall(0), syscall(2, "'.'"), syscall(3, "main", 1), syscall(4), syscall(5),
    syscall(6, 0x10000000, 1), syscall(7, 0x10000000, 1), syscall(10), syscall(42, 1, 2, 3),
    syscall(9, 55), syscall(8, "child"),
])
def test_system_calls_preserve_every_register_but_eax(call):
    lines = [ln.strip() for ln in call.strip().splitlines()]
    setup = "\n".join(f"    {ln}" for ln in lines[:-1])
    source = f"""
main:
{setup}
    mov esi, 0x51515151
    mov edi, 0xD1D1D1D1
    mov ebp, 0xB0B0B0B0
    push ebx
    push ecx
    push edx
    mov [saved_esp], esp
    int 0x80
    cmp esp, [saved_esp]
    jne fail
    cmp edx, [esp]
    jne fail
    cmp ecx, [esp+4]
    jne fail
    cmp ebx, [esp+8]
    jne fail
    cmp esi, 0x51515151
    jne fail
    cmp edi, 0xD1D1D1D1
    jne fail
    cmp ebp, 0xB0B0B0B0
    jne fail
    add esp, 12
    mov eax, 0
    ret
fail:
    add esp, 12
    mov eax, 1
    ret
child:
    mov eax, 0
    ret
saved_esp: .word 0
"""
    assert run(source).exit_code == 0
