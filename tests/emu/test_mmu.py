"""Paging: translation, permissions, #PF with cr2 and error code, A/D bits, the TLB and its flushes."""

import pytest

from tests.emu.harness import bare, run_machine
from tests.emu.instruction_semantics import PAGING_ON
from virtquest.emu.isa import VEC_PF
from virtquest.emu.memory import PhysicalMemory
from virtquest.emu.mmu import MMU, PTE_A, PTE_D, PTE_P, PTE_U, PTE_W, PageFault

PD, PT = 0x1000, 0x2000


def mmu_with(pte_flags, pde_flags=PTE_P | PTE_W | PTE_U, tlb=4):
    mem = PhysicalMemory(1 << 20)
    mmu = MMU(mem, tlb)
    mem.write32(PD + 4 * 1, PT | pde_flags)          # 0x00400000-0x007FFFFF
    mem.write32(PT + 4 * 5, 0x9000 | pte_flags)       # 0x00405000 -> 0x9000
    mmu.root, mmu.enabled = PD, True
    return mem, mmu


def test_translation_and_accessed_dirty_bits():
    mem, mmu = mmu_with(PTE_P | PTE_W | PTE_U)
    assert mmu.translate(0x00405123, False, True) == 0x9123
    assert mem.read32(PT + 20) & PTE_A and not mem.read32(PT + 20) & PTE_D
    mmu.translate(0x00405000, True, True)
    assert mem.read32(PT + 20) & PTE_D
    assert mem.read32(PD + 4) & PTE_A


@pytest.mark.parametrize("pte,write,user,code", [
    (0, False, True, 0b100),                          # not present, user read
    (PTE_P | PTE_U, True, True, 0b111),               # read-only page, user write
    (PTE_P | PTE_W, False, True, 0b101),              # supervisor page, user read
])
def test_page_fault_error_codes(pte, write, user, code):
    _, mmu = mmu_with(pte)
    with pytest.raises(PageFault) as info:
        mmu.translate(0x00405008, write, user)
    assert (info.value.vaddr, info.value.error) == (0x00405008, code)


def test_supervisor_writes_honour_write_protect_only_with_wp():
    _, mmu = mmu_with(PTE_P | PTE_U)
    assert mmu.translate(0x00405000, True, False) == 0x9000
    mmu.flush()
    mmu.write_protect = True
    with pytest.raises(PageFault):
        mmu.translate(0x00405000, True, False)


def test_tlb_keeps_stale_entries_until_invlpg_or_flush():
    mem, mmu = mmu_with(PTE_P | PTE_W | PTE_U)
    assert mmu.translate(0x00405000, False, False) == 0x9000
    mem.write32(PT + 20, 0xA000 | PTE_P | PTE_W | PTE_U)
    assert mmu.translate(0x00405000, False, False) == 0x9000, "stale until invalidated"
    mmu.invlpg(0x00405000)
    assert mmu.translate(0x00405000, False, False) == 0xA000
    mem.write32(PT + 20, 0xB000 | PTE_P | PTE_W | PTE_U)
    mmu.flush()
    assert mmu.translate(0x00405000, False, False) == 0xB000


def test_tlb_size_is_respected_and_misses_are_counted():
    mem, mmu = mmu_with(PTE_P | PTE_W, tlb=2)
    for i in range(8):
        mem.write32(PT + 4 * i, (0x10000 + 0x1000 * i) | PTE_P | PTE_W)
    for _ in range(2):
        for i in range(3):  # three pages cycle through a two-entry TLB: every access misses
            mmu.translate(0x00400000 + 0x1000 * i, False, False)
    assert len(mmu.tlb) == 2 and mmu.walks == 6 and mmu.walk_refs == 12


def test_mappings_dump_lists_present_pages():
    _, mmu = mmu_with(PTE_P | PTE_W | PTE_U)
    [m] = mmu.mappings()
    assert (m.vaddr, m.paddr, m.writable, m.user) == (0x00405000, 0x9000, True, True)


def test_guest_page_fault_sets_cr2_and_costs_a_walk():
    result, machine = run_machine(bare(PAGING_ON + "  mov eax, [0x00800010]\n"))
    assert result.registers["edi"] == VEC_PF and machine.cpu.cr2 == 0x00800010
    assert result.breakdown["page_walk"] > 0 and result.events["page_faults"] == 1


def test_cr3_reload_flushes_the_tlb_in_a_guest():
    body = PAGING_ON + """
  mov eax, [0x5000]
  mov eax, 0x6003
  mov [0x10014], eax     ; remap page 5 to frame 6
  mov ebx, [0x5000]      ; stale TLB: still frame 5
  mov eax, cr3
  mov cr3, eax
  mov ecx, [0x5000]      ; fresh walk: frame 6
"""
    data = ".org 0x5000\n.word 55\n.org 0x6000\n.word 66"
    result, _ = run_machine(bare(body, data))
    assert (result.registers["ebx"], result.registers["ecx"]) == (55, 66)
