"""Trap frames and gates read and written in one go (cpu.load_words, cpu.store_words_sup, used by
exception delivery and iret) give exactly what reading and writing them a word at a time gives:
the same words, the same memory, the same TLB, walks and code-watch notices — or they decline,
having changed nothing, and the words are read or written one by one."""

import contextlib

from hypothesis import given, settings
from hypothesis import strategies as st

from virtquest.content.profiles import load_profile
from virtquest.emu.machine import Machine
from virtquest.emu.mmu import PTE_D, PTE_P, PTE_U, PTE_W, PageFault

PD, PT = 0x1000, 0x2000
BASE = 0x00400000          # pages 0..5 of the second 4 MiB
FRAMES = 0x10000
# each page: its PTE flags (the last: not present), chosen so every kind of entry is there
PAGE_FLAGS = [PTE_P | PTE_W | PTE_U, PTE_P | PTE_W | PTE_U | PTE_D, PTE_P | PTE_W,
              PTE_P | PTE_U, PTE_P | PTE_W | PTE_U | PTE_D, 0]
CODE_PAGE = 4              # holds watched code


def machine(warm: list[tuple[int, bool]], write_protect: bool) -> Machine:
    m = Machine(load_profile("modern"))
    mem, mmu = m.memory, m.mmu
    mem.write32(PD + 4 * (BASE >> 22), PT | PTE_P | PTE_W | PTE_U)
    for page, flags in enumerate(PAGE_FLAGS):
        mem.write32(PT + 4 * page, (FRAMES + page * 0x1000) | flags)
        for offset in range(0, 0x1000, 4):
            mem.write32(FRAMES + page * 0x1000 + offset, page << 24 | offset)
    mem.watch(FRAMES + CODE_PAGE * 0x1000 + 0x100, 8)
    mmu.root, mmu.enabled, mmu.write_protect = PD, True, write_protect
    for page, write in warm:                 # entries already in the TLB (maybe dirty)
        with contextlib.suppress(PageFault):   # a page the walk refuses stays out of the TLB
            mmu.translate(BASE + page * 0x1000, write, False)
    return m


def state(m: Machine) -> tuple:
    return (bytes(m.memory.data), dict(m.mmu.tlb), m.mmu.walks, m.cpu.cycles,
            sorted(m.memory.code_pages))


warm_entries = st.lists(st.tuples(st.integers(0, len(PAGE_FLAGS) - 1), st.booleans()),
                        max_size=6)
addresses = st.one_of(
    st.integers(BASE - 8, BASE + len(PAGE_FLAGS) * 0x1000 + 8),               # anywhere
    st.integers(1, len(PAGE_FLAGS)).flatmap(                                    # at a page edge
        lambda p: st.integers(BASE + p * 0x1000 - 20, BASE + p * 0x1000 + 4)),
    st.integers(BASE + CODE_PAGE * 0x1000 + 0xE8, BASE + CODE_PAGE * 0x1000 + 0x120))  # code


@given(warm_entries, st.booleans(), addresses, st.integers(1, 5), st.booleans())
@settings(max_examples=300, deadline=None)
def test_words_read_at_once_are_the_words_read_one_by_one(warm, wp, va, count, user):
    fast, slow = machine(warm, wp), machine(warm, wp)
    words = fast.cpu.load_words(va, count, user)
    if words is None:
        assert state(fast) == state(slow)          # declined: nothing changed
        return
    one_by_one = tuple(slow.cpu._read32(va + 4 * i, user) for i in range(count))
    assert words == one_by_one and state(fast) == state(slow)


@given(warm_entries, st.booleans(), addresses, st.lists(st.integers(0, 2**32 - 1), min_size=1,
                                                        max_size=5))
@settings(max_examples=300, deadline=None)
def test_words_written_at_once_are_the_words_written_one_by_one(warm, wp, va, values):
    fast, slow = machine(warm, wp), machine(warm, wp)
    told: dict[str, list[int]] = {"fast": [], "slow": []}   # code written (its page)
    fast.cpu.code_listeners.append(told["fast"].append)
    slow.cpu.code_listeners.append(told["slow"].append)
    before = state(fast)
    if not fast.cpu.store_words_sup(va, tuple(values)):
        assert state(fast) == before and not told["fast"]   # declined: nothing written
        return
    # as a trap frame is pushed: the highest word first
    for i in reversed(range(len(values))):
        slow.cpu.write32_sup(va + 4 * i, values[i])
    assert state(fast) == state(slow) and told["fast"] == told["slow"]
