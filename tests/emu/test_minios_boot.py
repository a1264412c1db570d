"""Booting the mini-OS: kernel_main before main, bare _start programs, loading the program
and the boot-info block, the kernel image and its PV sites."""

from __future__ import annotations

import struct

import pytest

from tests.emu.minios_harness import USER_BASE, boot, free_frames, open_example, run
from virtquest.emu.boot import BOOT_MAGIC, kernel_program, pv_sites
from virtquest.emu.encoding import decode
from virtquest.emu.errors import AssemblyError, MachineError
from virtquest.emu.isa import INSTRUCTION_SIZE

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
