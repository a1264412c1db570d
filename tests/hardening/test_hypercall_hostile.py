"""A guest that calls the hypercall interface with hostile arguments (docs/security.md,
docs/modes.md): pointers into nothing, huge counts, frames it does not own, page directories outside
its RAM, an iret to ring 0, a trap table rewritten after the VMM checked it. Each call is refused
(-1 in eax, the refusal recorded) or its fault is reflected into the guest's own handler; the host
never crashes, a software VMM never lets guest code run at the real ring 0, and the run stays
contained.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.emu.harness import KERNEL_STACK, bare, to_ring
from tests.emu.instruction_semantics import PAGING_ON
from tests.hardening.conftest import SOFTWARE_VMMS, STOPS, fuzz, watch_rings, watchdog
from virtquest.content.profiles import load_profile
from virtquest.emu.asm import assemble
from virtquest.emu.isa import VEC_GP, VEC_PF, VEC_UD
from virtquest.emu.machine import Machine, RunResult
from virtquest.hv.hypercalls import HYPERCALLS, MAX_MMU_BATCH, assembler_constants
from virtquest.hv.registry import create

PROFILE = load_profile("modern")
HYPERVISORS = ["trap-emulate", "binary-translation", "paravirt", "hardware-assist"]
REFUSED = 0xFFFFFFFF
HYPERCALLS_BY_NAME = {h.name: n for n, h in HYPERCALLS.items()}
CONSTANTS = "\n".join(f".equ {k}, {v}" for k, v in assembler_constants().items()) + "\n"
RAM = 1 << 20
NOWHERE = [0xFFFFF000, 0xFFFFFFFC, RAM, RAM - 2, 0x7FFFFFF0, 0x80000000]
# The budget is checked between instructions; the dearest single one is a hypercall doing its
# most: a 4096-byte console write or a full batch of page-table updates.
LONGEST_STEP = 50_000 + max(4096 * PROFILE["port_console"],
                            MAX_MMU_BATCH * PROFILE["mmu_update_entry"])


def run_guest(mode: str, source: str, budget: int = 1_000_000
              ) -> tuple[RunResult, Machine, set[int]]:
    """A bare-metal guest under `mode`, with the real rings its stepped instructions ran at."""
    machine = Machine(PROFILE)
    machine.start_bare(assemble(CONSTANTS + source, file="hypercalls.s"))
    create(mode, machine)
    rings = watch_rings(machine.cpu)
    result = machine.run(budget=budget, cancel=watchdog())
    assert result.stop in STOPS, (mode, result.stop, result.message)
    assert not machine.violations, (mode, machine.violations)
    if mode in SOFTWARE_VMMS:
        assert 0 not in rings, f"{mode}: guest code ran at the real ring 0"
    return result, machine, rings


def call(number: str, ebx="0", ecx="0", edx="0") -> str:
    return f"  mov eax, {number}\n  mov ebx, {ebx}\n  mov ecx, {ecx}\n  mov edx, {edx}\n  vmcall\n"


# --- refused: -1 in eax, the refusal recorded, nothing changed ----------------------------

@pytest.mark.parametrize("mode", HYPERVISORS)
@pytest.mark.parametrize("number", [len(HYPERCALLS), 0xFFFF, 0x80000000, REFUSED])
def test_an_unknown_hypercall_is_refused(mode, number):
    result, _, _ = run_guest(mode, bare(call(str(number)) + "  mov esi, eax\n  mov eax, 0"))
    assert result.stop == "halted" and result.registers["esi"] == REFUSED
    assert result.events["hypercalls_refused"] == 1


MMU_REQUESTS = """
.align 8
requests:
  .word {pte}, {value}
target: .word 0x5A5A5A5A
"""


@pytest.mark.parametrize("mode", HYPERVISORS)
@pytest.mark.parametrize(("count", "pte", "value", "words"), [
    pytest.param(REFUSED, "target", "0x3", f"at most {MAX_MMU_BATCH}", id="huge-count"),
    pytest.param(MAX_MMU_BATCH + 1, "target", "0x3", f"at most {MAX_MMU_BATCH}",
                 id="one-over-the-batch"),
    pytest.param(1, "target", "0x40000003", "does not own", id="frame-beyond-ram"),
    pytest.param(1, "target", "0xFFFFF007", "does not own", id="last-frame-of-4g"),
    pytest.param(1, "0xFFFFFFFC", "0x3", "is not the guest's", id="entry-beyond-ram"),
    pytest.param(1, f"{RAM - 2}", "0x3", "is not the guest's", id="entry-across-the-end"),
    pytest.param(1, "target+1", "0x3", "is not the guest's", id="entry-unaligned"),
])
def test_mmu_update_refuses_what_the_guest_does_not_own(mode, count, pte, value, words):
    source = bare(call("HC_MMU_UPDATE", "requests", str(count)) + "  mov esi, eax\n"
                  "  mov ecx, [target]\n  mov eax, 0",
                  MMU_REQUESTS.format(pte=pte, value=value))
    result, machine, _ = run_guest(mode, source)
    assert result.stop == "halted", result.message
    assert result.registers["esi"] == REFUSED
    assert any(words in str(r) for r in machine.refusals), machine.refusals
    assert result.registers["ecx"] == 0x5A5A5A5A, "nothing was written"


@pytest.mark.parametrize("mode", HYPERVISORS)
@pytest.mark.parametrize(("number", "argument"), [
    ("HC_NEW_BASEPTR", "0x40000000"), ("HC_NEW_BASEPTR", "0xFFFFF000"),
    ("HC_NEW_BASEPTR", str(RAM)), ("HC_SHARED_INFO", str(RAM)),
    ("HC_SHARED_INFO", "0xFFFFFFFF"),
])
def test_addresses_outside_the_guest_are_refused(mode, number, argument):
    result, machine, _ = run_guest(mode, bare(call(number, argument) + "  mov esi, eax\n"
                                              "  mov eax, 0"))
    assert result.stop == "halted" and result.registers["esi"] == REFUSED
    assert any("not the guest's" in str(r) for r in machine.refusals), machine.refusals


# --- faults while the VMM reads the guest's memory are reflected into the guest --------------

@pytest.mark.parametrize("mode", HYPERVISORS)
@pytest.mark.parametrize(("number", "ebx", "ecx"), [
    ("HC_MMU_UPDATE", "0xFFFFFFF0", "4"), ("HC_MMU_UPDATE", str(RAM - 8), "2"),
    ("HC_CONSOLE_IO", "0xFFFFFFF0", "64"), ("HC_CONSOLE_IO", str(RAM - 4), "64"),
])
def test_a_pointer_into_nothing_is_a_fault_for_the_guest(mode, number, ebx, ecx):
    result, _, _ = run_guest(mode, bare(call(number, ebx, ecx) + "  mov edi, 0x99"))
    assert result.stop == "halted", result.message
    assert result.registers["edi"] == VEC_GP, "the guest's own #GP handler ran"


# (paging, table base, limit): a trap table the guest does not have, or only partly.
PAGING_640K = PAGING_ON.replace("cmp ecx, 1024", "cmp ecx, 0xA0")   # pages 0xA0000 on: unmapped
TABLES_IN_NOTHING = {
    "beyond-ram": ("", "0xFFFFF000", "0x7FF"),
    "beyond-ram-small-limit": ("", str(RAM + 0x1000), "7"),
    "across-the-end-of-ram": ("", str(RAM - 8), "0x7FF"),
    "wrapping-past-4g": ("", "0xFFFFFFF8", "0x7FF"),
    "unmapped-page": (PAGING_640K, "0xA0000", "0x7FF"),
    "across-into-an-unmapped-page": (PAGING_640K, "0x9FC00", "0x7FF"),
}


@pytest.mark.parametrize("mode", HYPERVISORS)
@pytest.mark.parametrize("table", TABLES_IN_NOTHING)
def test_a_trap_table_in_nothing_is_refused(mode, table):
    """Every mode checks the table before registering it, the same way: an address outside the
    guest's RAM, unmapped, or wrapping past 4 GiB is refused (-1, the refusal recorded) and the
    table in use stays — the next trap still reaches the guest's own handler."""
    paging, base, limit = TABLES_IN_NOTHING[table]
    result, machine, _ = run_guest(mode, bare(paging + call("HC_SET_TRAP_TABLE", base, limit)
                                              + "  mov ebx, eax\n  int 3\n  mov edi, 0x99"))
    assert result.stop == "halted", result.message
    assert result.registers["ebx"] == REFUSED, "refused"
    assert result.registers["edi"] == 3, "the old table still delivers"
    assert any(str(r).startswith("set_trap_table: ") for r in machine.refusals), machine.refusals
    assert result.events["hypercalls_refused"] == 1


@pytest.mark.parametrize("mode", HYPERVISORS)
def test_a_trap_table_in_the_guests_memory_is_accepted(mode):
    result, _, _ = run_guest(mode, bare(PAGING_640K + call("HC_SET_TRAP_TABLE", "idt", "0x7FF")
                                        + "  mov ebx, eax\n  int 3\n  mov edi, 0x99"))
    assert result.stop == "halted" and result.registers["ebx"] == 0, result.message
    assert result.registers["edi"] == 3


@pytest.mark.parametrize("mode", HYPERVISORS)
def test_an_unmapped_pointer_is_a_page_fault_for_the_guest(mode):
    source = bare(PAGING_ON + call("HC_CONSOLE_IO", "0x00800000", "16") + "  mov edi, 0x99")
    result, _, _ = run_guest(mode, source)
    assert result.stop == "halted", result.message
    assert result.registers["edi"] == VEC_PF and result.console == ""


@pytest.mark.parametrize("mode", HYPERVISORS)
def test_a_huge_console_write_prints_at_most_one_page(mode):
    result, machine, _ = run_guest(mode, bare(call("HC_CONSOLE_IO", "msg", str(REFUSED)) +
                                              "  mov edi, 0x99", 'msg: .ascii "hello"'))
    assert result.stop == "halted" and result.registers["edi"] == 0x99, "no fault, no hang"
    assert result.console.startswith("hello") and len(machine.console.output) == 4096


# --- privilege: hypercalls belong to the guest kernel, and never lift anyone to ring 0 ---------

USER_HYPERCALLS = "".join(
    call(str(n), "msg", "5", "0") + f"  mov [results+{4 * n}], eax\n" for n in HYPERCALLS)


@pytest.mark.parametrize("mode", HYPERVISORS)
def test_user_mode_may_not_make_hypercalls(mode):
    source = bare(to_ring(3), "user_code:\n" + USER_HYPERCALLS + "  mov ebx, cs\n  int 0x80\n"
                  + 'msg: .ascii "hello"\n.align 4\nresults: .zero 64')
    result, machine, _ = run_guest(mode, source)
    assert result.stop == "halted" and result.registers["edi"] == 0x80, result.message
    start = assemble(CONSTANTS + source).symbols["results"]     # paging is off: physical
    values = [machine.memory.read32(start + 4 * n) for n in HYPERCALLS]
    assert values == [REFUSED] * len(HYPERCALLS), [hex(v) for v in values]
    assert result.registers["ebx"] & 3 == 3, "still at ring 3"
    assert result.console == "" and result.events["hypercalls_refused"] == len(HYPERCALLS)


IRET_TO_RING0 = f"""
  mov eax, {KERNEL_STACK}
  push eax                   ; esp
  push 0x2                   ; eflags
  push 8                     ; cs: ring 0
  push kernel_again          ; eip
  push 0x1234                ; the eax to restore
"""


@pytest.mark.parametrize("mode", HYPERVISORS)
def test_an_iret_hypercall_to_ring0_stays_deprivileged(mode):
    source = bare(IRET_TO_RING0 + "  mov eax, HC_IRET\n  vmcall\n  mov edi, 0x66",
                  "kernel_again:\n  mov esi, eax\n  mov eax, 0\n  hlt")
    result, _, rings = run_guest(mode, source)
    assert result.stop == "halted" and result.registers["esi"] == 0x1234, result.message
    if mode in SOFTWARE_VMMS:
        assert rings == {1}, rings


# The saved eax is readable, the frame after it is not: the last word of RAM, or the last word
# of the last mapped page (the tables here map only the first 640 KiB).
IRET_ACROSS = {
    "end-of-ram": ("", RAM - 4, VEC_GP),
    "unmapped-page": (PAGING_ON.replace("cmp ecx, 1024", "cmp ecx, 0xA0"), 0xA0000 - 4, VEC_PF),
}


@pytest.mark.parametrize("mode", HYPERVISORS)
@pytest.mark.parametrize("where", IRET_ACROSS)
def test_an_iret_hypercall_that_faults_part_way_changes_nothing(mode, where):
    """The iret hypercall pops the saved eax first (as Xen's), then the frame. When the frame
    faults, the guest sees the fault at its vmcall with every register as it was: the guest's
    handler finds the old esp in the frame it is given, and eax still holds the call number."""
    paging, esp, vector = IRET_ACROSS[where]
    source = bare(paging + f"  mov esp, {esp}\n  mov eax, HC_IRET\nat:\n  vmcall\n"
                           "  mov edi, 0x66")
    result, _, _ = run_guest(mode, source)
    registers = result.registers
    assert result.stop == "halted" and registers["edi"] == vector, result.message
    assert registers["ebp"] == assemble(CONSTANTS + source).symbols["at"], "faults at itself"
    assert registers["esp"] == esp - 20, f"esp moved by {registers['esp'] - (esp - 20):+d}"
    assert registers["eax"] == HYPERCALLS_BY_NAME["iret"], "eax untouched"


TRAP_TABLE = """
  mov eax, HC_STACK_SWITCH
  mov ebx, {stack}
  vmcall
  mov eax, syscall_entry
  mov [idt+0x80*8], eax
  mov eax, 1 | (3 << 1) | (1 << 3)   ; present, callable from ring 3, runs in ring 1
  mov [idt+0x80*8+4], eax
  mov eax, HC_SET_TRAP_TABLE
  mov ebx, idt
  mov ecx, 256*8-1
  vmcall
  mov eax, {rewritten}               ; after the check: ask for ring 0
  mov [idt+0x80*8+4], eax
"""
USER_SYSCALL = """
user_code:
  int 0x80
  mov eax, 99
  int 3
syscall_entry:
  mov ebx, 0x41
  out 0xE9, ebx
  mov eax, 7
  out 0xF4, eax
"""


@pytest.mark.parametrize("mode", HYPERVISORS)
def test_a_trap_table_rewritten_after_the_check_never_reaches_ring0(mode):
    """The trap table is the guest's memory: its system-call gate is checked again at every
    system call, so rewriting it to ring 0 sends the call through the VMM instead."""
    source = bare(TRAP_TABLE.format(stack=KERNEL_STACK, rewritten="1 | (3 << 1)") + to_ring(3),
                  USER_SYSCALL)
    result, _, _ = run_guest(mode, source)
    assert (result.stop, result.exit_code, result.console) == ("exit", 7, "A"), result.message
    if mode in SOFTWARE_VMMS:
        assert result.events["traps"] >= 2, "the out instructions trapped into the VMM"


@pytest.mark.parametrize("mode", HYPERVISORS)
@pytest.mark.parametrize("stack", ["0xFFFFF000", str(RAM + 0x1000), "0x20"])
def test_a_kernel_stack_in_nothing_never_reaches_ring0(mode, stack):
    source = bare(TRAP_TABLE.format(stack=stack, rewritten="1 | (3 << 1) | (1 << 3)")
                  + to_ring(3).replace(f"mov eax, {KERNEL_STACK}", f"mov eax, {stack}"),
                  USER_SYSCALL)
    result, _, _ = run_guest(mode, source)
    assert result.console in ("", "A")


@pytest.mark.parametrize("mode", HYPERVISORS)
def test_blocking_with_no_timer_halts_instead_of_hanging(mode):
    result, _, _ = run_guest(mode, bare(call("HC_SCHED_OP", "1") + "  mov edi, 0x99"))
    assert result.stop == "halted" and "timer" in result.message


@pytest.mark.parametrize("mode", HYPERVISORS)
def test_a_timer_of_one_cycle_interrupts_the_guest_and_the_run_ends(mode):
    source = bare(call("HC_SHARED_INFO", "shared") + "  mov eax, 0\n  movb [shared], eax\n"
                  + call("HC_SET_TIMER", "1") + "spin:\n  jmp spin", "shared: .word 1")
    result, _, _ = run_guest(mode, source, budget=200_000)
    assert result.stop == "halted" and result.registers["edi"] == 32, result.message


def test_native_hardware_has_no_hypercalls():
    machine = Machine(PROFILE)
    machine.start_bare(assemble(CONSTANTS + bare(call("HC_CONSOLE_IO", "msg", "5"),
                                                 'msg: .ascii "hello"'), file="hypercalls.s"))
    result = machine.run(budget=100_000)
    assert result.registers["edi"] == VEC_UD and result.console == ""


# --- the guest's own page tables --------------------------------------------------------------

@pytest.mark.parametrize("mode", HYPERVISORS)
def test_a_mapping_beyond_the_guests_ram_is_refused_with_a_fault(mode):
    """The guest's tables map 4 MiB over 1 MiB of RAM: touching a frame it does not have is a
    #GP as on bare metal. Under EPT that is the nested table refusing it — a refusal, not a
    breach of containment."""
    source = bare(PAGING_ON + "  mov eax, [0x00200000]\n  mov edi, 0x99")
    result, machine, _ = run_guest(mode, source)
    assert result.stop == "halted" and result.registers["edi"] == VEC_GP, result.message
    if mode == "hardware-assist" and PROFILE.ept:
        assert any(r.id == "refusal.outside-ram" for r in machine.refusals)


# --- random sequences of hypercalls with hostile arguments ------------------------------------

ARGUMENT = st.sampled_from([str(a) for a in NOWHERE] + [
    "0", "1", "8", "0x7FF", str(MAX_MMU_BATCH), str(MAX_MMU_BATCH + 1), str(REFUSED),
    "requests", "requests+4", "scratch", "idt", "0x70000", "0x40000003", "0x6003", "shared",
]) | st.integers(0, 0xFFFFFFFF).map(str)


@st.composite
def hypercall_storm(draw) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 12))):
        number = draw(st.sampled_from(sorted(HYPERCALLS)) | st.integers(0, 0xFFFFFFFF))
        lines.append(call(str(number), draw(ARGUMENT), draw(ARGUMENT), draw(ARGUMENT)))
        lines.append("  mov [last], eax\n")
    data = """
.align 8
requests:
  .word target, 0x3, scratch, 0x40000003, 0xFFFFFFFC, 0x3, target, 0x6003
target: .word 0
shared: .word 0
last: .word 0
scratch: .zero 64
"""
    return bare("".join(lines), data)


@given(st.sampled_from(HYPERVISORS), hypercall_storm())
@fuzz(2)
def test_random_hypercalls_with_hostile_arguments(mode, source):
    """Whatever the sequence: the host survives, the run ends as documented, within its budget,
    contained, and (software VMMs) never at the real ring 0 — `run_guest` checks all that."""
    result, _, _ = run_guest(mode, source, budget=300_000)
    assert result.cycles - result.breakdown["idle"] <= 300_000 + LONGEST_STEP
