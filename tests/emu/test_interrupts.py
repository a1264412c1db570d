"""The local APIC (x2APIC-style MSRs) and the network card's interrupts, on bare hardware."""

import dataclasses

import pytest

from virtquest.content.profiles import load_profile
from virtquest.emu.asm import assemble
from virtquest.emu.interrupts import InterruptController, Source
from virtquest.emu.machine import Machine

PROFILE = load_profile("modern")

# A kernel that enables (or not) its APIC, lets packets arrive every 1000 cycles, spins, and prints
# how many interrupts its handler saw. The handler ends with an EOI unless told not to.
KERNEL = """
.equ APIC_ON, {apic_on}
.equ SEND_EOI, {send_eoi}
_start:
    mov esp, 0x80000
    lidt [idtr]
    mov ecx, 0x80F
    mov eax, 0xFF | (APIC_ON << 8)
    xor edx, edx
    wrmsr
    mov eax, 1000
    out 0x50, eax
    sti
    mov ecx, 20000
spin:
    nop
    loop spin
    cli
    xor eax, eax
    out 0x50, eax
    mov eax, [seen]
    out 0xF4, eax
handler:
    push eax
    push ecx
    push edx
    mov eax, [seen]
    inc eax
    mov [seen], eax
.if SEND_EOI
    mov ecx, 0x80B
    xor eax, eax
    xor edx, edx
    wrmsr
.endif
    pop edx
    pop ecx
    pop eax
    add esp, 4
    iret
.align 4096
seen: .word 0
idtr: .word idt, 34 * 8 - 1
.align 8
idt:  .zero 33 * 8
      .word handler, 1
"""


def run(apic_on: int, send_eoi: int, fast: bool = True):
    machine = Machine(PROFILE, fast=fast)
    machine.start_bare(assemble(KERNEL.format(apic_on=apic_on, send_eoi=send_eoi)))
    result = machine.run()
    assert result.stop == "exit", result.message
    return result, machine


def test_an_enabled_apic_delivers_nothing_more_until_the_eoi():
    result, machine = run(apic_on=1, send_eoi=0)
    assert result.exit_code == 1                     # the one in service blocks every other
    assert machine.apic.in_service == 33


def test_packets_faster_than_the_handler_starve_the_kernel_and_the_budget_stops_it():
    source = KERNEL.format(apic_on=1, send_eoi=1).replace("mov eax, 1000", "mov eax, 150")
    machine = Machine(PROFILE)
    machine.start_bare(assemble(source))
    result = machine.run(budget=2_000_000)
    assert result.stop == "budget"           # a livelock, as an interrupt storm makes on x86


def test_with_eoi_every_packet_is_an_interrupt():
    result, machine = run(apic_on=1, send_eoi=1)
    assert result.exit_code > 20
    assert result.events["eois"] == result.exit_code == result.events["nic_interrupts"]


def test_a_disabled_apic_acknowledges_by_itself_as_old_programs_expect():
    result, _ = run(apic_on=0, send_eoi=0)
    assert result.exit_code > 20 and result.exit_code == result.events["nic_interrupts"]
    assert "eois" not in result.events


@pytest.mark.parametrize("apic_on,send_eoi", [(1, 0), (1, 1), (0, 0)])
def test_the_fast_path_delivers_at_the_same_points(apic_on, send_eoi):
    fast, _ = run(apic_on, send_eoi, fast=True)
    slow, _ = run(apic_on, send_eoi, fast=False)
    assert (fast.cycles, fast.instructions, fast.exit_code, fast.events) == \
        (slow.cycles, slow.instructions, slow.exit_code, slow.events)


def test_the_eoi_register_cannot_be_read_and_the_svr_reads_back():
    source = """
_start:
    mov esp, 0x80000
    lidt [idtr]
    mov ecx, 0x80F
    mov eax, 0x1AB
    xor edx, edx
    wrmsr
    rdmsr
    mov [svr], eax
    mov ecx, 0x80B
    rdmsr
    mov eax, 7
    out 0xF4, eax
gp:
    mov eax, [svr]
    out 0xF4, eax
.align 4096
svr:  .word 0
idtr: .word idt, 14 * 8 - 1
.align 8
idt:  .zero 13 * 8
      .word gp, 1
"""
    machine = Machine(PROFILE)
    machine.start_bare(assemble(source))
    result = machine.run()
    assert result.exit_code == 0x1AB          # rdmsr of the EOI register faulted (#GP, 13)


def test_the_network_card_counts_its_packets_and_keeps_its_own_pace():
    controller = InterruptController()

    class Card(Source):
        vector = 33

        def fired(self, now):
            self.raised += 1
            self.due += 100

    card = Card()
    controller.add(card)
    card.due = 100
    controller.update()
    controller.now = 250                      # the guest took the first one late
    assert controller.fire() == 33
    assert card.due == 200                    # the next is already due: packets do not wait
    controller.svr = 0x1FF
    controller.now = 260
    controller.fire()
    assert controller.next_fire == -1         # in service until the EOI
    controller.eoi()
    assert controller.next_fire == 300


def test_a_profile_without_apicv_cannot_be_told_to_have_it():
    assert load_profile("modern").apicv and not load_profile("nehalem-2009").apicv
    assert dataclasses.replace(load_profile("modern"), apicv=False).apicv is False
