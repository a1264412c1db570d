"""The timeline's events come from the trace's ids and parameters, never from English text:
every kind a run records has its message, and the addresses and short labels are worked out
from the parameters."""

from __future__ import annotations

import pytest

from virtquest.content.profiles import load_profile
from virtquest.emu.cpu import TraceEntry
from virtquest.emu.isa import VEC_GP, VEC_SYSCALL
from virtquest.emu.messages import EN
from virtquest.game.timeline_model import (
    GUEST,
    HYPERVISOR,
    build_events,
    instruction_address,
    short_detail,
    traced_run,
)
from virtquest.hv.registry import mode_ids

PROGRAM = """\
main:
    mov eax, 3
    mov ebx, text
    mov ecx, 3
    int 0x80               ; write(text, 3)
    mov eax, 0
    ret
text: .ascii "hi\\n"
"""
INT_LINE = 5


@pytest.fixture(scope="module")
def timelines():
    return {mode: traced_run(PROGRAM, mode, file="t.s", profile=load_profile())
            for mode in mode_ids()}


def test_every_traced_event_is_a_message_with_its_parameters(timelines):
    kinds = set()
    for timeline in timelines.values():
        assert timeline.result.exit_code == 0
        for event in timeline.events:
            described = event.message                 # raises if an id or a parameter is missing
            assert described.id in EN and described.text()
            kinds.add(event.kind)
    assert {"trap", "reflect", "emulate", "resume", "hidden_fault", "translate", "inline",
            "callout", "hypercall", "vm_exit", "vm_entry", "interrupt"} <= kinds


def test_a_system_call_is_shown_at_its_int_in_every_mode(timelines):
    for mode, timeline in timelines.items():
        at_int = [e for e in timeline.since_start() if e.params.get("vector") == VEC_SYSCALL
                  and e.kind in ("trap", "interrupt")]
        assert at_int and all(e.detail == "int 0x80" for e in at_int), mode
        source = timeline.source_line(at_int[0].address)     # then the exit, from the mini-OS
        assert source is not None and (source.where, source.line) == ("program", INT_LINE), mode


def test_addresses_labels_and_exit_boxes_come_from_the_parameters():
    assert instruction_address("trap", 0x1008, {"vector": VEC_SYSCALL}) == 0x1000
    assert instruction_address("trap", 0x1008, {"vector": VEC_GP}) == 0x1008
    assert instruction_address("vm_exit", 0x1008, {"reason": "io"}) == 0x1000
    assert instruction_address("vm_exit", 0x1008, {"reason": "page_fault"}) == 0x1008
    assert short_detail("trap", {"vector": VEC_GP}) == "#GP"
    assert short_detail("reflect", {"vector": 7}) == "7"
    assert short_detail("translate", {"count": 5, "address": 0x40}) == "5"
    assert short_detail("emulate", {"instruction": "cli"}) == "cli"
    assert short_detail("hidden_fault", {}) == "#PF"
    trace = [TraceEntry(10, 0x1008, "vm_exit", {"reason": "io"}),
             TraceEntry(20, 0x1008, "vm_entry", {"reason": "io"}),
             TraceEntry(30, 0x2000, "vm_exit", {"reason": "page_fault"}),
             TraceEntry(40, 0x3000, "vm_entry", {"reason": "external_interrupt"})]
    events = build_events(trace)
    assert [(e.kind, e.derived) for e in events] == [
        ("vm_exit", False), ("emulate", True), ("vm_entry", False),
        ("vm_exit", False), ("vm_entry", False)]      # a different reason: not its handler
    handler = events[1]
    assert (handler.source, handler.target) == (HYPERVISOR, HYPERVISOR)
    assert handler.message.id == "trace.exit_handler" and handler.message.params == {"reason": "io"}
    assert str(events[0].message) == "VM exit, reason: io"
    assert (events[2].source, events[2].target) == (HYPERVISOR, GUEST)


LIBRARY_PROGRAM = """\
_start:
    mov esp, 0x80000
    mov esi, text
    call puts              ; from the library
    hlt

.include "console.s"
text: .asciz "ok"
"""
INCLUDE_LINE = 7


def test_a_library_routine_is_shown_at_the_include_line_with_its_own_file_and_line():
    """The timeline and the debugger point at the `.include` line the learner can see, and say
    which line of which library file the instruction is."""
    from virtquest.emu.source import library
    from virtquest.game.debugger_model import Stepper

    timeline = traced_run(LIBRARY_PROGRAM, "trap-emulate", file="t.s", profile=load_profile())
    assert timeline.result.console == "ok"
    outs = [e for e in timeline.events if e.kind == "trap" and e.params.get("vector") == VEC_GP]
    source = timeline.source_line(outs[0].address)               # `out` inside puts
    assert (source.where, source.line) == ("program", INCLUDE_LINE)
    console = library()["console.s"].split("\n")
    assert source.library == "console.s"
    assert console[source.library_line - 1].strip() == "out 0xE9, eax"
    assert source.text == f"out 0xE9, eax — lib/console.s:{source.library_line}"
    assert timeline.source_line(timeline.program.symbols["_start"]).library == ""

    stepper = Stepper(LIBRARY_PROGRAM, "native", file="t.s", profile=load_profile())
    lines = []
    while not stepper.stopped:
        lines.append(stepper.source_line(stepper.state().eip).line)
        stepper.step()
    assert lines[:4] == [2, 3, 4, INCLUDE_LINE] and lines[-1] == 5     # into puts, back, hlt
