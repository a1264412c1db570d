"""The mini-OS's memory system calls: map gives zeroed user pages, unmap takes them back, bad
ranges are refused and frames are recycled."""

from __future__ import annotations

import pytest

from tests.emu.minios_harness import boot, free_frames, run, syscall


def test_map_gives_zeroed_writable_user_pages():
    result = run("main:" + syscall(6, 0x20000000, 3) + """
    mov esi, eax
    mov eax, [0x20002ffc]  ; zero
    add esi, eax
    mov eax, 5
    mov [0x20002ffc], eax
    mov eax, [0x20002ffc]
    add eax, esi
    ret
""")
    assert result.exit_code == 5


@pytest.mark.parametrize("vaddr, npages", [
    (0x10000010, 1),       # not page aligned
    (0x0F000000, 1),       # below the map area
    (0x80000000, 1),       # above it
    (0x7FFFF000, 2),       # runs past its end
    (0x10000000, 0),       # no pages
    (0x10000000, 100000),  # more memory than there is
])
def test_map_rejects_bad_requests(vaddr, npages):
    assert run("main:" + syscall(6, vaddr, npages) + " ret\n").exit_code == -1


def test_map_refuses_pages_that_are_already_mapped():
    result = run("main:" + syscall(6, 0x10001000, 1) + syscall(6, 0x10000000, 2)
                 + " ret\n")
    assert result.exit_code == -1


def test_unmap_rejects_bad_ranges():
    result = run("main:" + syscall(7, 0x00400000, 1) + " mov esi, eax\n"
                 + syscall(7, 0x10000004, 1) + " add eax, esi\n ret\n")
    assert result.exit_code == -2


def test_access_after_unmap_faults():
    result = run("main:" + syscall(6, 0x30000000, 2) + """
    mov [0x30001000], eax  ; a TLB entry for the page now exists
    mov eax, [0x30001000]
""" + syscall(7, 0x30000000, 2) + """
    mov eax, [0x30001000]  ; unmap flushed it: this faults
    ret
""")
    assert "#PF page fault at 0x30001000" in result.console
    assert result.exit_code == 142


def test_map_and_unmap_recycle_frames():
    source = """
.equ ROUNDS, 20           ; 20 * 16 pages: more than RAM holds
main:
    mov esi, ROUNDS
again:
    mov eax, 6
    mov ebx, 0x10000000
    mov ecx, 16
    int 0x80
    test eax, eax
    jne fail
    mov [0x1000f000], esi
    mov eax, 7
    mov ebx, 0x10000000
    mov ecx, 16
    int 0x80
    dec esi
    jne again
    ret
fail:
    mov eax, -1
    ret
"""
    guest = boot(source)
    assert guest.run().exit_code == 0
    single = boot(source, defines={"ROUNDS": 1})
    single.run()
    assert free_frames(guest) == free_frames(single)
