"""The fast path (compiled guest blocks) is invisible: on every shipped program, under every mode,
and on random programs, it gives exactly what the reference interpreter gives — registers, flags,
console, cycles, instruction counts, events, timer ticks, faults."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.emu.harness import bare
from virtquest.content.profiles import load_profile
from virtquest.emu.asm import assemble
from virtquest.emu.boot import load_guest
from virtquest.emu.machine import Machine
from virtquest.emu.resources import PROGRAMS
from virtquest.hv.registry import create, mode_ids
from virtquest.hv.workloads import BY_NAME

PROGRAM_FILES = sorted(PROGRAMS.glob("*/*.s"))


def run(source: str, mode: str, fast: bool, defines=None, budget=20_000_000):
    guest = load_guest(source, file="p.s", profile=load_profile("modern"), defines=defines)
    if not fast:   # rebuild the same machine without the fast path
        guest.machine.fastpath = None
    create(mode, guest.machine)
    return guest.machine.run(budget=budget), guest.machine


@pytest.mark.parametrize("path", PROGRAM_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_shipped_programs_are_identical_on_the_fast_path(path):
    source = path.read_text(encoding="utf-8")
    # a bench workload at its quick size (every one of them: loops, division, a sieve, a sort,
    # recursion, memory walks), the others with small loop counts
    workload = BY_NAME.get(path.stem) if path.parent.name == "bench" else None
    defines = dict(workload.quick) if workload else {"ITER": 4, "N": 3000}
    for mode in mode_ids():
        compiled, fm = run(source, mode, True, defines)
        interpreted, sm = run(source, mode, False, defines)
        assert compiled == interpreted, (path.name, mode)
        assert fm.cpu.eflags == sm.cpu.eflags and fm.memory.data == sm.memory.data


def test_the_fast_path_really_runs_compiled_blocks(monkeypatch):
    """A hot loop runs as a compiled region: the interpreter steps through almost none of it."""
    from virtquest.emu.cpu import CPU

    steps = []
    real_step = CPU.step
    monkeypatch.setattr(CPU, "step", lambda cpu: (steps.append(1), real_step(cpu))[1])
    source = (PROGRAMS / "bench" / "compute.s").read_text()
    result, machine = run(source, "native", True, {"N": 5003})
    regions = [b for b in machine.fastpath.blocks.values() if b is not None and b.region]
    assert regions, "the hot loop became a region"
    assert len(steps) < result.instructions // 50, "almost everything ran compiled"


def test_a_program_run_again_makes_the_same_regions(monkeypatch):
    """Every run is a new machine (the lab's re-runs, the solver, the bench's repeats): it takes
    the code compiled before, and the blocks that became regions in the first run become regions
    again — not the first run's blocks alone, which would run its loops block by block."""
    from virtquest.emu.fastpath import FastPath

    made: list[int] = []
    real_upgrade = FastPath._upgrade

    def upgrade(fastpath, block):
        region = real_upgrade(fastpath, block)
        if region is not block:
            made.append(block.start)
        return region

    monkeypatch.setattr(FastPath, "_upgrade", upgrade)
    source = (PROGRAMS / "bench" / "strings.s").read_text()
    runs = []
    for _ in range(3):
        made.clear()
        guest = load_guest(source, file="strings.s", profile=load_profile("modern"),
                           defines={"LENGTH": 200, "ROUNDS": 4})
        create("native", guest.machine)
        guest.run()
        runs.append({start for start in made if start >= guest.program.origin})  # its loops
    assert len(runs[0]) >= 3, "the first run made regions of its loops"
    assert runs[1] == runs[0] and runs[2] == runs[0]


def test_fill_loops_run_as_bulk_fills(monkeypatch):
    """An unrolled fill loop (as kernels clear pages) is compiled into one bulk write, with the
    interpreter's bytes, registers, flags and cycles."""
    from virtquest.emu import bulk

    plans = []
    real_plan = bulk.plan
    monkeypatch.setattr(bulk, "plan", lambda ins: (plans.append(real_plan(ins)), plans[-1])[1])
    stores = "\n".join(f"    mov [ebx+{4 * k}], edx" for k in range(8))
    source = f"""
_start:
    mov ebx, 0x40000
    mov edx, 0x5A17C0DE
    mov ecx, 700
fill:
{stores}
    add ebx, 32
    loop fill
    mov eax, ebx
    out 0xF4, eax
"""
    results = []
    for fast in (True, False):
        machine = Machine(load_profile("modern"), fast=fast)
        machine.start_bare(assemble(source))
        results.append((machine.run(), bytes(machine.memory.data[0x40000:0x40000 + 700 * 32])))
    assert [p for p in plans if p is not None], "the fill loop became a bulk plan"
    assert results[0] == results[1]
    assert results[0][1] == bytes.fromhex("DEC0175A") * (700 * 8)


@pytest.mark.parametrize("mode", ["trap-emulate", "paravirt"])   # the kernel unmodified
def test_compiled_code_runs_while_a_masked_timer_interrupt_waits(mode, monkeypatch):
    """Under a software VMM the unmodified guest's user mode runs with its virtual IF off (the
    iret that went there never reached the VMM), so the timer falls due and waits. Compiled
    blocks still run — nothing they hold can unmask it — and give exactly the interpreter's
    result."""
    from virtquest.emu.cpu import CPU

    source = (PROGRAMS / "bench" / "compute.s").read_text()
    steps = []
    real_step = CPU.step
    monkeypatch.setattr(CPU, "step", lambda cpu: (steps.append(1), real_step(cpu))[1])
    compiled, machine = run(source, mode, True, {"N": 200_000})
    waiting = machine.apic.next_fire
    assert 0 <= waiting < machine.cpu.guest_clock - 500_000, "the timer was due long ago"
    assert len(steps) < compiled.instructions // 20, "most of it ran as compiled code"
    interpreted, _ = run(source, mode, False, {"N": 200_000})
    assert compiled == interpreted


REGS = ["eax", "ebx", "ecx", "edx", "esi", "edi", "ebp"]
ALU = ["add", "sub", "and", "or", "xor", "cmp", "test", "imul"]


@st.composite
def straight_code(draw):
    """Random innocuous code with loads, stores, pushes and pops into a scratch area."""
    lines = [f"  mov {r}, {draw(st.integers(0, 2**32 - 1))}" for r in REGS]
    for _ in range(draw(st.integers(1, 25))):
        kind = draw(st.sampled_from(["alu", "alui", "shift", "unary", "mem", "stack", "div"]))
        a, b = draw(st.sampled_from(REGS)), draw(st.sampled_from(REGS))
        if kind == "alu":
            lines.append(f"  {draw(st.sampled_from(ALU))} {a}, {b}")
        elif kind == "alui":
            lines.append(f"  {draw(st.sampled_from(ALU))} {a}, {draw(st.integers(0, 2**32 - 1))}")
        elif kind == "shift":
            lines.append(f"  {draw(st.sampled_from(['shl', 'shr']))} {a}, {draw(st.integers(0, 31))}")
        elif kind == "unary":
            lines.append(f"  {draw(st.sampled_from(['inc', 'dec', 'neg', 'not']))} {a}")
        elif kind == "mem":
            off = draw(st.integers(0, 60)) * 4
            op = draw(st.sampled_from(["mov {a}, [scratch+{o}]", "mov [scratch+{o}], {a}",
                                       "add {a}, [scratch+{o}]", "movb {a}, [scratch+{o}]",
                                       "movb [scratch+{o}], {a}"]))
            lines.append("  " + op.format(a=a, o=off))
        elif kind == "stack":
            lines.append(f"  push {a}\n  pop {b}")
        else:
            lines.append(f"  div {a}")           # sometimes by zero: a #DE mid-block
    return "\n".join(lines)


@given(straight_code(), st.integers(1, 40))
@settings(max_examples=60, deadline=None)
def test_random_loops_match_the_interpreter(body, count):
    source = bare(f"  mov ecx, {count}\nagain:\n{body}\n  mov ecx, [counter]\n  dec ecx\n"
                  "  mov [counter], ecx\n  jne again\n  pushf\n  pop eax",
                  f".align 4\ncounter: .word {count}\nscratch: .zero 256")
    results = []
    for fast in (True, False):
        machine = Machine(load_profile("modern"), fast=fast)
        machine.start_bare(assemble(source))
        results.append((machine.run(budget=2_000_000), bytes(machine.memory.data)))
    assert results[0] == results[1]


@pytest.mark.parametrize("period", [400, 777, 5000])
def test_timer_interrupts_land_on_the_same_instruction(period):
    source = bare(f"""
  mov eax, tick
  mov [idt+32*8], eax
  mov eax, {period}
  out 0x40, eax
  mov esi, 0
  sti
  mov ecx, 3000
  mov ebx, 12345
spin:
  add ebx, ecx
  xor ebx, 0x5A5A
  shl ebx, 3
  loop spin
  cli
  mov eax, esi
""", "tick:\n  inc esi\n  add edi, ebx\n  add esp, 4\n  iret")
    results = []
    for fast in (True, False):
        machine = Machine(load_profile("modern"), fast=fast)
        machine.start_bare(assemble(source))
        results.append(machine.run())
    assert results[0] == results[1] and results[0].exit_code >= 2


@st.composite
def branchy_code(draw):
    """Random blocks that branch among themselves (forward, backward, calls): regions."""
    regs = ["eax", "ebx", "ecx", "edx", "esi", "edi"]
    jccs = ["je", "jne", "jb", "jae", "jl", "jge", "jle", "jg"]
    n = draw(st.integers(2, 8))
    lines = []
    for i in range(n):
        lines.append(f"b{i}:")
        lines += ["  mov ebp, [fuel]", "  dec ebp", "  mov [fuel], ebp", "  je finish"]
        for _ in range(draw(st.integers(0, 5))):
            a, b = draw(st.sampled_from(regs)), draw(st.sampled_from(regs))
            lines.append(draw(st.sampled_from([
                f"  add {a}, {b}", f"  sub {a}, {draw(st.integers(0, 2**32 - 1))}",
                f"  cmp {a}, {b}", f"  xor {a}, {b}", f"  shl {a}, {draw(st.integers(0, 31))}",
                f"  inc {a}", f"  mov [scratch+{4 * draw(st.integers(0, 15))}], {a}",
                f"  mov {a}, [scratch+{4 * draw(st.integers(0, 15))}]", f"  test {a}, {b}",
                f"  push {a}\n  pop {b}", f"  and {a}, 3\n  div {a}"])))
        kind = draw(st.sampled_from(["jcc", "jmp", "call", "loop", "fall"]))
        target = f"b{draw(st.integers(0, n - 1))}"
        if kind == "jcc":
            lines.append(f"  {draw(st.sampled_from(jccs))} {target}")
        elif kind == "jmp":
            lines.append(f"  jmp {target}")
        elif kind == "call":
            lines.append(f"  call f{draw(st.integers(0, 1))}")
        elif kind == "loop":
            lines.append(f"  loop {target}")
    lines.append("  jmp b0")
    lines += ["f0:", "  add esi, 3", "  cmp esi, edi", "  ret",
              "f1:", "  xor edi, eax", "  shr edi, 1", "  ret"]
    return "\n".join(lines)


@given(branchy_code(), st.integers(1, 3000), st.integers(0, 2**32 - 1),
       st.sampled_from([0, 90, 333, 2000]))
@settings(max_examples=60, deadline=None)
def test_random_branching_code_matches_the_interpreter(body, fuel, seed, period):
    setup = "\n".join(f"  mov {r}, {(seed * (i + 7)) & 0xFFFFFFFF}"
                      for i, r in enumerate(["eax", "ebx", "ecx", "edx", "esi", "edi"]))
    timer = (f"  mov eax, tick\n  mov [idt+32*8], eax\n  mov eax, {period}\n  out 0x40, eax\n"
             "  sti\n" if period else "")
    source = bare(f"{timer}{setup}\n  jmp b0\n{body}\nfinish:\n  cli\n  mov eax, [ticks]",
                  f".align 4\nfuel: .word {fuel}\nticks: .word 0\nscratch: .zero 64\n"
                  "tick:\n  push eax\n  mov eax, [ticks]\n  inc eax\n  mov [ticks], eax\n"
                  "  pop eax\n  add esp, 4\n  iret")
    results = []
    for fast in (True, False):
        machine = Machine(load_profile("modern"), fast=fast)
        machine.start_bare(assemble(source))
        results.append((machine.run(budget=3_000_000), bytes(machine.memory.data),
                        machine.cpu.eflags))
    assert results[0] == results[1]


def test_a_kernel_loop_of_several_blocks_runs_as_one_region():
    source = (PROGRAMS / "bench" / "kernel.s").read_text()
    _, machine = run(source, "native", True, {"ITER": 6})
    assert any(b is not None and b.region is not None
               for b in machine.fastpath.blocks.values()), "the kernel's scans became regions"


@pytest.mark.parametrize("divisor", [140, 141, 197])
def test_a_fault_deep_inside_a_region_is_counted_up_to_the_faulting_instruction(divisor):
    source = bare(f"""
  mov ecx, 50
  mov ebx, {divisor}
top:
  mov eax, 1000
  cmp ebx, 7
  jb skip
  add esi, 1
skip:
  xor edx, edx
  div ebx
  dec ebx
  jmp top
""")
    results = []
    for fast in (True, False):
        machine = Machine(load_profile("modern"), fast=fast)
        machine.start_bare(assemble(source))
        results.append((machine.run(), machine.fastpath and any(
            b is not None and b.region is not None for b in machine.fastpath.blocks.values())))
    assert results[0][0] == results[1][0] and results[0][0].registers["edi"] == 0   # #DE
    assert results[0][1], "the loop ran as a region"


@pytest.mark.parametrize("loop", [
    "spin:\n  add eax, 1\n  jmp spin",                                    # one block
    "spin:\n  add eax, 1\n  cmp eax, 7\n  jb low\n  sub ebx, 1\n  jmp spin\n"
    "low:\n  add ebx, 2\n  jmp spin",                                     # a region
])
def test_an_endless_compiled_loop_still_hears_cancel_soon(loop):
    """Cancel is asked at least every SLICE cycles, however long compiled code could run."""
    from virtquest.emu.machine import SLICE
    asked = []

    def cancel() -> bool:
        asked.append(1)
        return len(asked) >= 3

    machine = Machine(load_profile("modern"))
    machine.start_bare(assemble(bare(loop)))
    result = machine.run(budget=10**12, cancel=cancel)
    assert result.stop == "cancelled" and result.cycles <= 3 * SLICE + 10_000
    assert machine.fastpath.blocks, "it ran compiled"


def test_hot_code_patched_on_another_page_runs_the_new_instruction_every_time():
    """A region calls into a function on another page and the loop rewrites that function's
    immediate each turn: every compiled copy of it must be dropped and the new value used."""
    source = bare("""
  mov ecx, 60
  mov esi, 0
  mov edi, 0
again:
  call f
  add esi, eax
  add edi, 1
  mov [f + 4], edi
  loop again
  mov eax, esi
""", """
.align 4096
f:
  mov eax, 0
  ret
""")
    patched = assemble(source)
    # the immediate of `mov eax, 0` is the word at f + 4 (see docs/isa.md's encoding)
    results = []
    for fast in (True, False):
        machine = Machine(load_profile("modern"), fast=fast)
        machine.start_bare(patched)
        results.append((machine.run(), bytes(machine.memory.data)))
    assert results[0] == results[1]
    assert results[0][0].exit_code == sum(range(60))     # 0 + 1 + … + 59


def _both_ways(source: str, profile=None, budget: int = 3_000_000):
    """What the program leaves (run result, memory, flags) compiled and interpreted."""
    results = []
    for fast in (True, False):
        machine = Machine(profile or load_profile("modern"), fast=fast)
        machine.start_bare(assemble(source))
        results.append((machine.run(budget=budget), bytes(machine.memory.data),
                        machine.cpu.eflags))
    return results


# The first 4 MiB mapped to themselves, and the last page of the address space to frame 0x30000
# (page tables at 0x10000 and 0x11000, the directory at 0x20000), then paging on.
TOP_PAGE_MAPPED = """
  mov ebx, 0x10000
  mov ecx, 0
map_loop:
  mov eax, ecx
  shl eax, 12
  or eax, 3
  mov [ebx], eax
  add ebx, 4
  inc ecx
  cmp ecx, 1024
  jne map_loop
  mov eax, 0x10003
  mov [0x20000], eax
  mov eax, 0x11003
  mov [0x20ffc], eax
  mov eax, 0x30003
  mov [0x11ffc], eax
  mov eax, 0x20000
  mov cr3, eax
  mov eax, 0x80000001
  mov cr0, eax
"""


def test_addresses_that_wrap_around_the_top_of_memory_match_the_interpreter():
    """A pointer plus a number, a push and a pop are computed without wrapping to 32 bits while
    the page they reach is one compiled code has seen (memgen.unwrapped, _after_step): here they
    wrap — a pop from the last word of the address space leaves esp at 0, a push at 0 goes to
    the last word, [ebx+8] reaches past the top to address 4 — in a loop that runs compiled."""
    source = bare(TOP_PAGE_MAPPED + """
  mov ebx, 0xfffffffc
  mov eax, 0x1234
  mov [ebx], eax
  mov [scratch], eax
  mov edx, 0
  mov ecx, 300
again:
  mov esp, ebx
  pop eax
  add edx, eax
  add edx, esp
  push edx
  pop esi
  add edx, esp
  mov eax, [ebx+8]
  add edx, eax
  mov eax, [ebx+scratch+4]
  add edx, eax
  mov esp, 0
  push ecx
  push edx
  pop edi
  add edx, edi
  mov esp, ebx
  pop eax
  add edx, eax
  loop again
  mov eax, edx
""", ".align 4\nscratch: .word 0")
    compiled, interpreted = _both_ways(source)
    assert compiled == interpreted
    assert compiled[0].registers["esp"] == 0 and compiled[0].registers["edi"] != 0


def test_a_region_longer_than_one_call_counts_as_the_interpreter():
    """A region counts cycles and instructions in one number (region.COUNT_BITS), taking at
    most ROOM_CAP cycles a call; a long run of it (many calls, then a divide fault deep inside)
    is counted exactly — also when some instructions cost nothing, where it keeps two counts."""
    source = bare("""
  mov ecx, 30000
  mov ebx, 9000
top:
  mov eax, 1000
  cmp ebx, 7
  jb skip
  add esi, 1
skip:
  xor edx, edx
  push eax
  call half
  pop eax
  div ebx
  dec ebx
  loop top
  mov eax, esi
  jmp done
half:
  shr eax, 1
  ret
done:
""")
    free_alu = load_profile("modern").with_costs(alu=0)
    for profile in (None, free_alu):
        compiled, interpreted = _both_ways(source, profile, budget=2_000_000)
        assert compiled == interpreted
        assert compiled[0].registers["edi"] == 0, "the division by zero was reached"


@pytest.mark.parametrize("setter", ["cmp eax, ebx", "sub eax, ebx", "sbb eax, ebx"])
def test_unsigned_compares_at_their_edges_branch_as_the_interpreter(setter):
    """jbe and ja after a subtraction test `t <= 0` (flaggen.fused_condition): equal words,
    one below the other, and sbb's 0 - 0xffffffff - 1 (whose result is 0, with a borrow)."""
    cases = [(5, 5, 0), (4, 5, 0), (5, 4, 0), (0, 0xFFFFFFFF, 1), (0, 0xFFFFFFFF, 0),
             (0xFFFFFFFF, 0, 1), (0, 0, 1)]
    table = "\n".join(f"  .word {a}, {b}, {c}" for a, b, c in cases)
    source = bare(f"""
  mov edi, 0
  mov ebp, 0
  mov ecx, 40
again:
  mov esi, ecx
  and esi, 7
  cmp esi, {len(cases)}
  jb pick
  mov esi, 0
pick:
  imul esi, 12
  add esi, cases
  mov edx, [esi+8]
  neg edx             ; CF = the case's borrow in
  mov eax, [esi]
  mov ebx, [esi+4]
  {setter}
  jbe low
  add edi, 1
low:
  mov eax, [esi]
  mov edx, [esi+8]
  neg edx
  {setter}
  ja high
  add ebp, 0x100
high:
  loop again
  mov eax, edi
""", ".align 4\ncases:\n" + table)
    compiled, interpreted = _both_ways(source)
    assert compiled == interpreted
    assert 0 < compiled[0].exit_code < 40


def test_accesses_off_one_register_fault_and_follow_page_tables_as_the_interpreter():
    """Accesses off one register in a block find their page once (memgen.address_groups): here
    a loop reads [ebx], [ebx+4] and writes [ebx+8] while ebx walks over a page edge into a page
    that is not present (the page fault comes from the write, the reads before it done), a call
    pushes and pops around them, and every pass remaps the page the reads come from to the
    other of two frames (a page-table store and invlpg), whose words differ."""
    source = bare(TOP_PAGE_MAPPED + """
  mov ebp, 0x50003           ; 0x9e000 -> frame 0x50000 (then 0x51000, and back)
  mov [0x10000 + 0x9e * 4], ebp
  mov eax, 0
  mov [0x10000 + 0xa0 * 4], eax    ; 0xa0000: not present
  mov eax, cr3
  mov cr3, eax
  mov ebx, 0x9e800
  mov ecx, 2000
  mov esi, 0
again:
  mov eax, [ebx]
  mov edx, [ebx+4]
  add esi, eax
  add esi, edx
  push esi
  call mix
  pop edi
  mov [ebx+8], esi
  add ebx, 4
  test ecx, 31
  jnz same
  xor ebp, 0x50003 ^ 0x51003
  mov [0x10000 + 0x9e * 4], ebp
  invlpg [0x9e000]
same:
  loop again
  mov eax, esi
  jmp finish
mix:
  mov eax, [esp+4]
  shl eax, 3
  xor esi, eax
  add esi, 0x9e3779b9
  ret
finish:
""")
    compiled, interpreted = _both_ways(source)
    assert compiled == interpreted
    assert compiled[0].registers["edi"] == 14, "the write past the edge faulted (#PF)"


def test_words_written_off_one_register_into_its_own_code_are_run():
    """Two word stores off one register rewrite the immediates of two instructions of the loop
    itself: a page holding code is never among the writable pages seen, so each store takes the
    slow path, which ends the block, and the next pass runs the new instructions."""
    source = bare("""
  mov ecx, 40
  mov esi, 0
  mov ebx, patch
again:
patch:
  add esi, 1
  add esi, 2
  mov eax, ecx
  mov edx, ecx
  shl edx, 4
  mov [ebx+4], eax
  mov [ebx+12], edx
  loop again
  mov eax, esi
""")
    compiled, interpreted = _both_ways(source)
    assert compiled == interpreted
    assert compiled[0].exit_code == sum(c + 1 + 16 * (c + 1) for c in range(1, 40)) + 3


@pytest.mark.parametrize("depth", [90, 91, 200])
def test_a_fault_in_a_call_chain_written_in_place_is_counted_as_the_interpreter(depth):
    """A region writes a call's target, a compare's branch and a return's successor inside the
    branch to them, and lowers its count once for the run (region.RegionGenerator._where): a
    fault in such a run — a divide by zero deep in a recursion, or its stack grown down over the
    program's own code and IDT until a triple fault — is accounted up to the faulting
    instruction, with every block before it."""
    source = bare(f"""
  mov esp, 0x600
  mov eax, {depth}
  mov ebx, 0
  call walk
  mov eax, esi
  jmp done
walk:
  cmp eax, 2
  jb leaf
  push ebx
  push eax
  dec eax
  call walk
  mov ebx, eax
  pop eax
  sub eax, 2
  call walk
  add eax, ebx
  pop ebx
  ret
leaf:
  inc esi
  mov edx, 0
  mov ecx, esi
  sub ecx, 400
  div ecx
  ret
done:
""")
    compiled, interpreted = _both_ways(source, budget=2_000_000)
    assert compiled == interpreted
    if depth < 100:
        assert compiled[0].stop == "halted" and compiled[0].registers["edi"] == 0   # #DE
    else:
        assert compiled[0].stop == "triple-fault"
