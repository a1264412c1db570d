"""Fill and copy loops that the fast path runs many passes at a time leave exactly what the
interpreter leaves: bytes, registers, flags, cycles, faults — across page edges, over pages the
loop may not write, and when a copy's source and destination overlap."""

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from virtquest.content.profiles import load_profile
from virtquest.emu import bulk
from virtquest.emu.boot import kernel_program, load_guest
from virtquest.emu.encoding import decode
from virtquest.hv.registry import create

AREA = 0x10000000


def loop_source(kind: str, stride: int, count: int, dst: int, src: int, value: int,
                adds_first: str, pages: int) -> str:
    words = stride // 4
    if kind == "fill":
        body = [f"    mov [ebx+{4 * i}], edx" for i in range(words)]
        adds = ["    add ebx, " + str(stride)]
    else:
        body = [line for i in range(words)
                for line in (f"    mov edx, [eax+{4 * i}]", f"    mov [ebx+{4 * i}], edx")]
        adds = [f"    add eax, {stride}", f"    add ebx, {stride}"]
        if adds_first == "ebx":
            adds.reverse()
    return "\n".join([
        "main:",
        "    mov eax, 6", f"    mov ebx, {AREA}", f"    mov ecx, {pages}", "    int 0x80",
        # a recognisable pattern everywhere, so copies and fills both show
        f"    mov ebx, {AREA}", f"    mov ecx, {pages * 1024}",
        "seed:", "    mov [ebx], ecx", "    add ebx, 4", "    loop seed",
        f"    mov ebx, {AREA + dst}", f"    mov eax, {AREA + src}", f"    mov edx, {value}",
        f"    mov ecx, {count}",
        "body:", *body, *adds, "    loop body",
        "    pushf", "    pop eax", "    and eax, 0x8c1",      # the last add's flags
        "    add eax, ebx", "    add eax, edx",
        "    ret",
    ]) + "\n"


def run(source: str, mode: str, fast: bool):
    guest = load_guest(source, file="bulk.s", profile=load_profile("modern"))
    if not fast:
        guest.machine.fastpath = None
    create(mode, guest.machine)
    return guest.machine.run(budget=50_000_000), bytes(guest.machine.memory.data)


@given(kind=st.sampled_from(["fill", "copy"]), stride=st.sampled_from([4, 8, 16, 32, 64]),
       count=st.integers(1, 700), dst=st.integers(0, 3 * 1024 - 1).map(lambda w: 4 * w),
       src=st.integers(0, 3 * 1024 - 1).map(lambda w: 4 * w),
       value=st.integers(0, 2**32 - 1), adds_first=st.sampled_from(["eax", "ebx"]),
       pages=st.integers(1, 3), mode=st.sampled_from(["native", "paravirt", "hardware-assist"]))
@settings(max_examples=40, deadline=None)
def test_fill_and_copy_loops_match_the_interpreter(kind, stride, count, dst, src, value,
                                                   adds_first, pages, mode):
    source = loop_source(kind, stride, count, dst, src, value, adds_first, pages)
    compiled = run(source, mode, True)
    interpreted = run(source, mode, False)
    assert compiled == interpreted


def test_an_overlapping_copy_spreads_its_first_words_like_the_interpreter():
    # destination 8 bytes above the source: each pass copies words the previous pass wrote
    source = loop_source("copy", 8, 600, dst=8, src=0, value=0, adds_first="eax", pages=1)
    compiled, interpreted = run(source, "native", True), run(source, "native", False)
    assert compiled == interpreted
    assert compiled[0].exit_code is not None


def test_a_fill_running_off_its_pages_faults_at_the_same_store():
    source = loop_source("fill", 32, 200, dst=4096 - 256, src=0, value=7, adds_first="eax",
                         pages=1)
    compiled, interpreted = run(source, "native", True), run(source, "native", False)
    assert compiled == interpreted and compiled[0].exit_code == 128 + 14      # killed by #PF


def test_the_kernels_page_loops_are_recognised():
    kernel = kernel_program({})
    data = kernel.image
    for label in ("zp_loop", "cp_loop"):
        start = kernel.symbols[label] - kernel.origin
        instructions = []
        for k in range(64):
            ins = decode(bytes(data[start + 8 * k:start + 8 * k + 8]))
            instructions.append(ins)
            if ins.row.mnemonic == "loop":
                break
        found = bulk.plan(instructions)
        assert found is not None and found.stride == 32, label


@given(offset=st.integers(1, 2 * 1024 - 1).map(lambda w: 4 * w),
       runs=st.lists(st.tuples(st.integers(1, 8), st.integers(0, 8)), min_size=1, max_size=6),
       seed=st.integers(0, 2**32 - 1),
       mode=st.sampled_from(["native", "trap-emulate", "hardware-assist"]))
@settings(max_examples=30, deadline=None)
def test_runs_of_pushes_and_pops_match_the_interpreter(offset, runs, seed, mode):
    """Pushes and pops written out a run at a time, with the stack anywhere in two pages (so
    some runs cross the page edge and some run off the mapped pages: a #PF kills the process)."""
    regs = ["eax", "ebx", "ecx", "edx", "esi", "edi", "ebp"]
    body = []
    for i, (pushes, pops) in enumerate(runs):
        body += [f"    push {regs[(i + j) % 7]}" for j in range(pushes)]
        body += [f"    pop {regs[(i * 3 + j) % 7]}" for j in range(pops)]
    setup = [f"    mov {r}, {(seed * (i + 3)) & 0xFFFFFFFF}" for i, r in enumerate(regs)]
    source = "\n".join([
        "main:",
        "    mov eax, 6", f"    mov ebx, {AREA}", "    mov ecx, 2", "    int 0x80",
        "    mov [saved], esp", *setup, f"    mov esp, {AREA + offset}",
        "    mov [count], ecx",
        "again:", *body,
        "    mov ecx, [count]", "    dec ecx", "    mov [count], ecx", "    jne again",
        "    mov esp, [saved]", "    add eax, ebx", "    add eax, esi", "    ret",
        ".align 4", "saved: .word 0", "count: .word 0",
    ]) + "\n"
    source = source.replace("    mov [count], ecx\nagain:", "    mov ecx, 6\n    mov [count], ecx\nagain:")
    assert run(source, mode, True) == run(source, mode, False)


@pytest.mark.parametrize("tlb", [2, 3, 5])
@pytest.mark.parametrize("mode", ["native", "trap-emulate", "paravirt"])
def test_a_block_whose_loads_evict_its_own_code_from_a_tiny_tlb_matches_the_interpreter(tlb, mode):
    """With a TLB of a few entries, a block touching several pages pushes its own code page out;
    the interpreter then walks again at the next fetch, and so must the fast path."""
    profile = dataclasses.replace(load_profile("modern"), tlb_entries=tlb)
    loads = "\n".join(f"    add eax, [ebx+{4096 * p + 8 * i}]" for i in range(3) for p in range(4))
    source = "\n".join([
        "main:", "    mov eax, 6", f"    mov ebx, {AREA}", "    mov ecx, 4", "    int 0x80",
        "    mov esi, 40", "    xor eax, eax",
        "again:", loads, "    dec esi", "    jne again",
        "    ret"]) + "\n"
    results = []
    for fast in (True, False):
        guest = load_guest(source, file="tlb.s", profile=profile)
        if not fast:
            guest.machine.fastpath = None
        create(mode, guest.machine)
        results.append((guest.machine.run(budget=50_000_000), bytes(guest.machine.memory.data)))
    assert results[0] == results[1]


@pytest.mark.parametrize("tlb", [2, 3, 4])
def test_calls_and_returns_that_evict_code_from_a_tiny_tlb_match_the_interpreter(tlb):
    profile = dataclasses.replace(load_profile("modern"), tlb_entries=tlb)
    source = "\n".join([
        "main:", "    mov eax, 6", f"    mov ebx, {AREA}", "    mov ecx, 3", "    int 0x80",
        "    mov esi, 30", "    xor eax, eax",
        "again:", f"    mov esp, {AREA + 4096 + 2048}", "    call f", "    add eax, [ebx+8192]",
        "    call f", "    dec esi", "    jne again", "    ret",
        "f:", "    add eax, [ebx]", "    add eax, [ebx+4096]", "    ret"]) + "\n"
    source = source.replace("main:\n", "main:\n    mov edi, esp\n").replace(
        "    jne again\n    ret", "    jne again\n    mov esp, edi\n    ret")
    results = []
    for fast in (True, False):
        guest = load_guest(source, file="tlb.s", profile=profile)
        if not fast:
            guest.machine.fastpath = None
        create("native", guest.machine)
        results.append((guest.machine.run(budget=50_000_000), bytes(guest.machine.memory.data)))
    assert results[0] == results[1]
