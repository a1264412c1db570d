"""The mini-OS and its boot loader: boot, system calls, processes, faults, memory, PV sites."""

from __future__ import annotations

import struct

import pytest

from virtquest.content.profiles import load_profile
from virtquest.emu.boot import BOOT_MAGIC, Guest, kernel_program, load_guest, pv_sites
from virtquest.emu.encoding import decode
from virtquest.emu.errors import AssemblyError, MachineError
from virtquest.emu.isa import INSTRUCTION_SIZE
from virtquest.emu.machine import RunResult

PROFILE = load_profile("modern")
USER_BASE = 0x00400000
TRAMPOLINE = 0x0FFFF000

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


# --- system calls ------------------------------------------------------------------------

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


# --- faults ------------------------------------------------------------------------------

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


# --- memory: map and unmap ---------------------------------------------------------------

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


# --- kernel_main, _start and loading ------------------------------------------------------

def test_kernel_main_runs_at_cpl0_before_main_at_cpl3():
    result = run("""
kernel_main:
    mov eax, cs
    and eax, 3
    add eax, 'k'
    out 0xE9, eax          ; privileged, allowed at CPL 0: prints 'k'
    ret
main:
    mov eax, cs
    and eax, 3             ; 3
    ret
""")
    assert (result.console, result.exit_code) == ("k", 3)


def test_kernel_main_without_main_ends_the_run_with_its_eax():
    result = run("kernel_main:\n mov eax, 1234\n ret\n")
    assert (result.exit_code, result.console) == (1234, "")


def test_system_calls_from_kernel_main():
    result = run("""
kernel_main:
    mov eax, 4
    int 0x80               ; getpid: the program's process, 1
    mov esi, eax
    mov eax, 3
    mov ebx, text
    mov ecx, 2
    int 0x80               ; write from kernel mode: 2
    add esi, eax
    mov eax, 5             ; yield, wait and exit need a user process: -1
    int 0x80
    add esi, eax
    mov eax, 9
    mov ebx, 1
    int 0x80
    add esi, eax
    mov eax, 1
    mov ebx, 9
    int 0x80
    add esi, eax
    mov eax, esi
    ret
text: .ascii "km"
""")
    assert (result.console, result.exit_code) == ("km", 1 + 2 - 3)


def test_a_fault_in_kernel_main_is_a_kernel_panic():
    result = run("kernel_main:\n mov eax, [0]\n ret\n")
    assert result.console == (
        "[minios] kernel panic: #PF page fault at 0x00000000 (eip 0x00400000)\n")
    assert result.exit_code == 255


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
    fast = run(PREEMPTION, kernel_defines={"TIMER_PERIOD": 1000})
    assert fast.console == "cp"                                 # preempted mid-spin
    assert fast.events["timer_ticks"] >= 2


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


def test_verbose_boot_prints_the_memory_layout():
    from virtquest.emu.boot import kernel_program

    result = run("main:\n ret\n", kernel_defines={"VERBOSE": 1})
    image = (kernel_program({"VERBOSE": 1}).end + 0xFFF) & ~0xFFF   # the page after the kernel
    assert result.console.startswith(
        f"[minios] kernel 0x00001000 program {image:#010x} (8 bytes)")


def test_start_programs_run_bare_metal():
    guest = boot("_start:\n mov eax, cs\n out 0xE9, eax\n mov eax, 9\n out 0xF4, eax\n")
    assert (guest.kind, guest.kernel, guest.program.origin) == ("bare", None, 0)
    result = guest.run()
    assert (result.console, result.exit_code) == ("\x08", 9)


def test_main_programs_are_assembled_for_user_base():
    guest = boot("main:\n ret\n")
    assert guest.kind == "minios"
    assert guest.program.origin == USER_BASE
    assert guest.program.symbols["main"] == USER_BASE


def test_boot_info_block_describes_the_program():
    guest = boot("kernel_main:\n ret\nmain:\n ret\ndata: .zero 5000\n", ram=2 << 20)
    symbols = guest.kernel.symbols
    raw = guest.machine.memory.data[symbols["BOOT_INFO"]:symbols["BOOT_INFO"] + 28]
    magic, ram, phys, size, vaddr, main, kmain = struct.unpack("<7I", raw)
    assert (magic, ram, size, vaddr) == (BOOT_MAGIC, 2 << 20, 16 + 5000, USER_BASE)
    assert (kmain, main) == (USER_BASE, USER_BASE + 8)
    assert phys % 4096 == 0 and phys >= guest.kernel.end
    assert bytes(guest.machine.memory.data[phys:phys + size]) == guest.program.image
    assert guest.machine.cpu.eip == symbols["kernel_entry"]


def test_a_source_without_an_entry_label_is_refused():
    with pytest.raises(MachineError, match="expected a '_start:', 'main:' or 'kernel_main:'"):
        boot("start:\n ret\n")


def test_assembly_errors_name_file_line_and_column():
    with pytest.raises(AssemblyError) as err:
        boot("main:\n mov eax, ebx\n  frob eax\n")
    assert (err.value.file, err.value.line, err.value.column) == ("test.s", 3, 3)


def test_a_program_too_big_for_ram_is_refused():
    with pytest.raises(MachineError, match="do not fit"):
        boot("main:\n ret\n.zero 60000\n", ram=64 * 1024)


def test_more_ram_gives_more_free_frames():
    small, large = boot("main:\n ret\n"), boot("main:\n ret\n", ram=8 << 20)
    small.run()
    large.run()
    assert free_frames(large) == free_frames(small) + (3 << 20) // 4096  # 4 MiB usable


def test_runs_are_deterministic():
    source = open_example("spawn_wait.s")
    first, second = run(source), run(source)
    assert (first.cycles, first.instructions, first.console, first.events) == (
        second.cycles, second.instructions, second.console, second.events)


def test_boot_takes_well_under_100k_instructions():
    machine = boot("main:\n ret\n").machine
    while machine.cpu.cpl == 0 and machine.step():
        pass
    assert machine.cpu.cpl == 3
    assert machine.cpu.instructions < 20_000


def test_the_kernel_is_assembled_once_per_set_of_defines():
    assert kernel_program() is kernel_program({})
    other = kernel_program({"TIMER_PERIOD": 5})
    assert other is not kernel_program()
    assert other.symbols["TIMER_PERIOD"] == 5


# --- PV sites ------------------------------------------------------------------------------

def test_privileged_instructions_appear_only_in_pv_sites():
    kernel = kernel_program()
    labels = kernel.label_at()
    routine = None
    for addr in kernel.code:
        routine = labels.get(addr, routine)
        offset = addr - kernel.origin
        ins = decode(kernel.image[offset:offset + INSTRUCTION_SIZE])
        if ins.row.privileged:
            assert routine.startswith("pv_"), f"{ins.text()} in {routine}"


def test_pv_sites_are_listed_by_name():
    names = set(pv_sites(kernel_program()))
    assert {"pv_irq_disable", "pv_irq_enable", "pv_halt", "pv_write_cr3", "pv_set_pte",
            "pv_invlpg", "pv_console_putc", "pv_iret", "pv_set_timer", "pv_power_off",
            "pv_load_idt", "pv_set_kernel_stack", "pv_read_cr2"} <= names


def open_example(name: str) -> str:
    from virtquest.emu.resources import PROGRAMS
    return (PROGRAMS / "examples" / name).read_text(encoding="utf-8")
