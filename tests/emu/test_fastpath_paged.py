"""The fast path with paging on, as user programs run: random loops that load and store words and
bytes over several mapped pages (aligned, unaligned, across a page edge), under the native machine
and under shadow paging, give exactly what the reference interpreter gives — including memory,
cycles and faults. Compiled code keeps the pages it has seen from one block to the next, until the
TLB changes or a page comes to hold code (memgen.py, fastpath.py); these programs are where that
could go wrong."""

from hypothesis import given, settings
from hypothesis import strategies as st

from virtquest.content.profiles import load_profile
from virtquest.emu.boot import load_guest
from virtquest.hv.registry import create, mode_class

AREA = 0x10000000
PAGES = 3
REGS = ["eax", "ebx", "edx", "esi", "edi"]


def offsets():
    """Offsets into the mapped area: anywhere, near a page edge, or just past the area."""
    edge = st.integers(1, PAGES - 1).flatmap(lambda p: st.integers(p * 4096 - 6, p * 4096 + 2))
    return st.one_of(st.integers(0, PAGES * 4096 - 4), edge,
                     st.integers(PAGES * 4096 - 2, PAGES * 4096 + 8))


@st.composite
def memory_loop(draw):
    lines = []
    for _ in range(draw(st.integers(1, 12))):
        a, b = draw(st.sampled_from(REGS)), draw(st.sampled_from(REGS))
        off = draw(offsets())
        lines.append(draw(st.sampled_from([
            f"  mov {a}, [ebp+{off}]", f"  mov [ebp+{off}], {a}", f"  movb {a}, [ebp+{off}]",
            f"  movb [ebp+{off}], {a}", f"  add {a}, [ebp+{off}]", f"  xchg {a}, [ebp+{off}]",
            f"  add {a}, {b}", f"  xor {a}, {draw(st.integers(0, 2**32 - 1))}",
            f"  push {a}\n  pop {b}", f"  shl {a}, {draw(st.integers(0, 31))}",
            f"  and {a}, 0x1FFC\n  add {a}, ebp\n  mov {b}, [{a}]",       # a computed address
            f"  and {a}, 0x1FFF\n  add {a}, ebp\n  movb [{a}], {b}"])))
    return "\n".join(lines)


def program(body: str, passes: int, seed: int) -> str:
    regs = "\n".join(f"    mov {r}, {(seed * (i + 3)) & 0xFFFFFFFF}" for i, r in enumerate(REGS))
    return f"""
main:
    mov eax, 6
    mov ebx, {AREA}
    mov ecx, {PAGES}
    int 0x80
{regs}
    mov ebp, {AREA}
    mov ecx, {passes}
again:
{body}
    loop again
    xor eax, eax
    mov ecx, {PAGES * 1024}
    mov esi, {AREA}
sum:
    add eax, [esi]
    xor eax, ecx
    add esi, 4
    loop sum
    ret
"""


def run(source: str, mode: str, fast: bool):
    guest = load_guest(source, file="p.s", profile=load_profile("modern"),
                       kernel_defines=dict(mode_class(mode).guest_defines))
    if not fast:
        guest.machine.fastpath = None
    create(mode, guest.machine)
    result = guest.machine.run(budget=3_000_000)
    return result, bytes(guest.machine.memory.data), guest.machine.cpu.eflags


@given(memory_loop(), st.integers(1, 60), st.integers(0, 2**32 - 1),
       st.sampled_from(["native", "trap-emulate", "hardware-assist"]))
@settings(max_examples=50, deadline=None)
def test_paged_memory_loops_match_the_interpreter(body, passes, seed, mode):
    source = program(body, passes, seed)
    assert run(source, mode, True) == run(source, mode, False)


def test_a_store_into_its_own_code_is_seen_by_the_next_pass():
    """A loop that rewrites a byte of its own code (an immediate) through a byte store: the
    compiled loop must stop using what it compiled, as the interpreter would."""
    source = """
main:
    mov ecx, 50
    xor eax, eax
again:
    add eax, 1
patch:
    add eax, 7
    mov ebx, ecx
    movb [patch+4], ebx
    loop again
    ret
"""
    compiled, interpreted = run(source, "native", True), run(source, "native", False)
    assert compiled == interpreted and compiled[0].finished


def test_a_page_that_comes_to_hold_code_is_no_longer_written_blindly():
    """Compiled code keeps the pages it wrote from one block to the next. A data page written by
    a compiled loop, then run as code (the interpreter decodes it), then written again by the same
    loop: the second writes must be seen as writes to code, and the next call run the new
    instruction, as the interpreter does."""
    source = f"""
main:
    mov eax, 6
    mov ebx, {AREA}
    mov ecx, 1
    int 0x80
    mov eax, [template]            ; copy `mov eax, imm` and `ret` into the mapped page
    mov [{AREA}], eax
    mov eax, [template+4]
    mov [{AREA}+4], eax
    mov eax, [template+8]
    mov [{AREA}+8], eax
    mov eax, [template+12]
    mov [{AREA}+12], eax
    xor edx, edx                   ; edx = the sum of what the calls return
    mov esi, 1
round:
    mov ecx, 40                    ; a compiled loop writes the immediate, again and again
write:
    mov [{AREA}+4], esi
    loop write
    mov ebx, {AREA}
    call ebx
    add edx, eax
    add esi, 1
    cmp esi, 8
    jb round
    mov eax, edx
    ret
template:
    mov eax, 0
    ret
"""
    compiled, interpreted = run(source, "native", True), run(source, "native", False)
    assert compiled == interpreted and compiled[0].exit_code == sum(range(1, 8))


def test_a_page_watched_whole_again_is_told_of_every_first_write():
    """A page watched whole (as a hypervisor write-protects a page to log it dirty) is told of
    the first write after each watch; compiled code that found it unwatched since and kept it
    among its writable pages must look again when it is watched again — here at every system
    call, between rounds of a loop that keeps storing to it."""
    source = f"""
main:
    mov eax, 6
    mov ebx, {AREA}
    mov ecx, 1
    int 0x80
    mov esi, 30
round:
    mov ecx, 200
again:
    mov [{AREA}+8], ecx
    add edx, ecx
    loop again
    xor eax, eax                   ; a null system call: the watcher watches the page again
    int 0x80
    dec esi
    jnz round
    mov eax, edx
    ret
"""
    def run_watched(fast: bool) -> tuple:
        guest = load_guest(source, file="p.s", profile=load_profile("modern"))
        if not fast:
            guest.machine.fastpath = None
        create("native", guest.machine)
        machine, told = guest.machine, []
        machine.memory.on_page_write = told.append
        deliver = machine.cpu.exception

        def exception(*args, **kwargs) -> None:
            for mapping in machine.mmu.mappings():
                if mapping.vaddr == AREA:
                    machine.memory.watch_page(mapping.paddr >> 12)
            deliver(*args, **kwargs)

        machine.cpu.exception = exception
        return machine.run(budget=3_000_000), told

    compiled, interpreted = run_watched(True), run_watched(False)
    assert compiled == interpreted and len(compiled[1]) >= 30, "told once per watch"
