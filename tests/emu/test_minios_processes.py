"""Processes under the mini-OS: spawn, wait, yield, orphans and the process table; the timer,
preemption and idling when every process is blocked."""

from __future__ import annotations

from tests.emu.minios_harness import PRINT, boot, free_frames, run, syscall
from virtquest.emu.boot import kernel_program

# --- processes ---------------------------------------------------------------------------

def test_spawn_returns_new_pids_and_wait_returns_their_exit_codes():
    result = run("""
main:
    mov eax, 8
    mov ebx, child_a
    int 0x80
    mov esi, eax
    mov eax, 8
    mov ebx, child_b
    int 0x80
    mov edi, eax
    mov eax, 9
    mov ebx, edi
    int 0x80
    imul eax, 100
    mov ebp, eax
    mov eax, 9
    mov ebx, esi
    int 0x80
    add eax, ebp          ; 100 * code_b + code_a
    imul esi, 10000
    add eax, esi
    imul edi, 1000
    add eax, edi          ; + pid_a * 10000 + pid_b * 1000
    ret
child_a:
    mov eax, 7
    ret
child_b:
    mov eax, 1
    mov ebx, 4
    int 0x80
""")
    assert result.exit_code == 2 * 10000 + 3 * 1000 + 4 * 100 + 7


def test_spawned_child_gets_a_copy_of_memory_and_a_fresh_stack():
    result = run("""
main:
    mov eax, 41
    mov [value], eax
    push 0x1234           ; on the parent's stack, just below main's return address
    mov eax, 8
    mov ebx, child
    int 0x80
    mov ebx, eax
    mov eax, 9
    int 0x80              ; the child's code
    mov ebx, [value]      ; still 41 here: the child wrote only its own copy
    imul ebx, 1000
    add eax, ebx
    pop ebx
    ret
child:
    mov eax, [esp]        ; the return address: the trampoline page
    cmp eax, 0x0FFFF000
    jne bad
    mov eax, [esp-4]      ; the parent's 0x1234 is not on this stack
    test eax, eax
    jne bad
    mov eax, [value]      ; 41: copied from the parent
    inc eax
    mov [value], eax
    ret                   ; exit code 42
bad:
    mov eax, 1
    ret
value: .word 0
""")
    assert result.exit_code == 41 * 1000 + 42


def test_wait_refuses_processes_that_are_not_children():
    result = run("main:" + syscall(9, 1) + " mov esi, eax\n" + syscall(9, 99) + """
    add eax, esi
    ret
""")
    assert result.exit_code == -2


def test_wait_reaps_a_child_that_already_exited():
    result = run("""
main:
    mov eax, 8
    mov ebx, child
    int 0x80
    mov esi, eax
    mov eax, 5            ; let the child run and exit first
    int 0x80
    mov eax, 9
    mov ebx, esi
    int 0x80
    mov edi, eax
    mov eax, 9            ; reaped: a second wait fails
    mov ebx, esi
    int 0x80
    imul edi, 10
    add eax, edi
    ret
child:
    mov eax, 6
    ret
""")
    assert result.exit_code == 60 - 1


def test_yield_alternates_two_processes():
    result = run("""
main:
    mov eax, 8
    mov ebx, other
    int 0x80
    mov edi, eax
    mov ebx, text_a
    call turns
    mov eax, 9
    mov ebx, edi
    int 0x80
    ret
other:
    mov ebx, text_b
    call turns
    mov eax, 0
    ret
turns:
    mov esi, 3
turn:
    call print
    mov eax, 5
    int 0x80
    dec esi
    jne turn
    ret
text_a: .asciz "A"
text_b: .asciz "b"
""" + PRINT)
    assert result.console == "AbAbAb"


def test_yield_with_nobody_else_ready_returns_at_once():
    result = run("main:" + syscall(5) + " ret\n")
    assert (result.exit_code, result.events["interrupts"]) == (0, 2)


def test_spawn_fails_when_the_process_table_is_full():
    result = run("""
main:
    xor esi, esi
again:
    mov eax, 8
    mov ebx, child
    int 0x80
    cmp eax, -1
    je full
    inc esi
    jmp again
full:
    mov eax, esi          ; children started
    ret
child:
    ret
""", kernel_defines={"MAX_PROCS": 4})
    assert result.exit_code == 3


def test_an_orphan_runs_on_and_the_run_ends_with_process_1s_code():
    result = run("""
main:
    mov eax, 8
    mov ebx, child
    int 0x80
    mov ebx, parent_text
    call print
    mov eax, 3            ; exit without waiting
    ret
child:
    mov eax, 5
    int 0x80
    mov ebx, child_text
    call print
    mov eax, 9
    ret
parent_text: .asciz "parent gone;"
child_text: .asciz "orphan done"
""" + PRINT)
    assert (result.console, result.exit_code) == ("parent gone;orphan done", 3)


def test_forty_spawn_wait_cycles_give_all_memory_back():
    source = """
.equ CYCLES, 40
main:
    mov esi, CYCLES
    xor edi, edi
again:
    mov eax, 8
    mov ebx, child
    int 0x80
    cmp eax, -1
    je fail
    mov ebx, eax
    mov eax, 9
    int 0x80
    add edi, eax
    dec esi
    jne again
    mov eax, edi
    ret
fail:
    mov eax, -1
    ret
child:                    ; each child also maps 8 pages: a leak would run out quickly
    mov eax, 6
    mov ebx, 0x10000000
    mov ecx, 8
    int 0x80
    test eax, eax
    jne fail
    mov eax, 3
    mov [0x10007000], eax
    ret
"""
    one = boot(source, defines={"CYCLES": 1})
    assert one.run().exit_code == 3
    forty = boot(source)
    result = forty.run()
    assert (result.stop, result.exit_code) == ("exit", 40 * 3)
    assert free_frames(forty) == free_frames(one)


# --- the timer and scheduling -------------------------------------------------------------

def test_timer_interrupts_in_kernel_mode_return_to_kernel_main():
    result = run("""
kernel_main:
    sti
    mov ecx, 2000
spin:
    loop spin
    cli
    mov eax, 6
    ret
""", kernel_defines={"TIMER_PERIOD": 500})
    assert result.exit_code == 6
    assert result.events["timer_ticks"] > 2


PREEMPTION = """
main:
    mov eax, 8
    mov ebx, child
    int 0x80
    mov edi, eax
    mov ecx, 3000          ; busy for about 6000 cycles, with no system call
spin:
    nop
    loop spin
    mov eax, 2
    mov ebx, 'p'
    int 0x80
    mov eax, 9
    mov ebx, edi
    int 0x80
    ret
child:
    mov eax, 2
    mov ebx, 'c'
    int 0x80
    mov eax, 0
    ret
"""


def test_timer_preempts_a_busy_process_only_after_a_full_time_slice():
    assert run(PREEMPTION).console == "pc"                      # period 1M cycles: no tick
    ticking = run(PREEMPTION, kernel_defines={"TIMER_PERIOD": 1000})
    assert ticking.console == "cp"                                 # preempted mid-spin
    assert ticking.events["timer_ticks"] >= 2


def test_without_a_timer_programs_still_run():
    result = run(PREEMPTION, kernel_defines={"TIMER_PERIOD": 0})
    assert (result.console, result.events["timer_ticks"]) == ("pc", 0)


def test_when_every_process_is_blocked_the_kernel_idles_until_the_budget():
    # No system call can block every process (wait only waits for children), so kernel_main
    # marks process 1 as waiting by hand; its first yield then leaves nobody ready.
    source = """
kernel_main:
    mov eax, 2
    mov [PROC_TABLE], eax
    ret
main:
    mov eax, 5
    int 0x80
    ret
"""
    guest = boot(source, defines={"PROC_TABLE": kernel_program().symbols["proc_table"]},
                 kernel_defines={"TIMER_PERIOD": 10_000})
    result = guest.run(budget=200_000)
    assert result.stop == "budget"
    assert result.events["timer_ticks"] > 10
    assert result.breakdown["idle"] > 100_000
