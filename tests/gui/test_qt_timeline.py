"""The timeline draws events as arrows between lanes; a click selects the instruction."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from virtquest.content.profiles import load_profile
from virtquest.game.lab_view_trace import CPU, GUEST, HYPERVISOR, build_events, traced_run
from virtquest.game.sandbox import SandboxSession
from virtquest.gui.qt_sandbox import TIMELINE_TAB, SandboxView
from virtquest.gui.qt_timeline import TimelineView

PROGRAM = """\
kernel_main:
    mov ecx, 3
again:
    mov eax, 'x'
    out 0xE9, eax          ; privileged: traps under trap & emulate
    loop again
    mov eax, 0
    ret
"""
OUT_LINE = 5


@pytest.fixture(scope="module")
def trap_emulate():
    return traced_run(PROGRAM, "trap-emulate", file="t.s", profile=load_profile())


def test_trap_emulate_run_gives_trap_emulate_resume_arrows(trap_emulate):
    events = trap_emulate.since_start()
    outs = [e for e in events if trap_emulate.source_line(e.address)
            and trap_emulate.source_line(e.address).line == OUT_LINE
            and trap_emulate.source_line(e.address).where == "program"]
    kinds = [e.kind for e in outs]
    assert kinds[:3] == ["trap", "emulate", "resume"] and kinds.count("trap") == 3
    trap, emulate, resume = outs[:3]
    assert (trap.source, trap.target) == (GUEST, HYPERVISOR)
    assert (emulate.source, emulate.target) == (HYPERVISOR, HYPERVISOR)
    assert (resume.source, resume.target) == (HYPERVISOR, GUEST) and resume.derived


def test_hardware_assist_exits_and_entries_and_hypercalls_have_their_lanes():
    trace = [(10, 0x1008, "vm_exit", "io"), (900, 0x1008, "vm_entry", "io"),
             (950, 0x2008, "hypercall", "mmu_update"), (960, 0x3000, "hidden_fault", "x"),
             (970, 0x3000, "interrupt", "timer interrupt")]
    events = build_events(trace)
    routes = [(e.kind, e.source, e.target) for e in events]
    assert routes == [("vm_exit", GUEST, HYPERVISOR), ("emulate", HYPERVISOR, HYPERVISOR),
                      ("vm_entry", HYPERVISOR, GUEST), ("hypercall", GUEST, HYPERVISOR),
                      ("hidden_fault", CPU, HYPERVISOR), ("resume", HYPERVISOR, GUEST),
                      ("interrupt", CPU, GUEST)]
    assert events[0].address == 0x1000 and events[3].address == 0x2000   # noted after the ins.


def test_clicking_an_arrow_reports_its_instruction(qtbot, trap_emulate):
    view = TimelineView(trap_emulate)
    qtbot.addWidget(view)
    view.resize(900, 500)
    view.show()
    canvas = view.canvas
    trap = next(e for e in canvas.events if e.kind == "trap")
    x = round(canvas.x_of(trap.index))
    with qtbot.waitSignal(view.instructionActivated, timeout=2000) as blocker:
        qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 60))
    assert blocker.args == [trap.address]
    assert canvas.selected == trap.index
    assert f"line {OUT_LINE}" in view.detail.text() and "out 0xE9, eax" in view.detail.text()


def test_wheel_and_keys_zoom(qtbot, trap_emulate):
    view = TimelineView(trap_emulate)
    qtbot.addWidget(view)
    view.show()
    canvas = view.canvas
    start = canvas.step
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_Plus)
    assert canvas.step > start
    qtbot.keyClick(canvas, Qt.Key.Key_Minus)
    qtbot.keyClick(canvas, Qt.Key.Key_Minus)
    assert canvas.step < start
    qtbot.keyClick(canvas, Qt.Key.Key_0)
    assert canvas.content_width() <= canvas.viewport().width()
    qtbot.keyClick(canvas, Qt.Key.Key_Right)
    assert canvas.selected == 0


def test_skipping_the_boot_hides_the_mini_os_start(qtbot, trap_emulate):
    view = TimelineView(trap_emulate)
    qtbot.addWidget(view)
    shown = len(view.canvas.events)
    view.skip_boot.setChecked(False)
    assert len(view.canvas.events) == len(trap_emulate.events) > shown


def test_in_the_sandbox_a_click_selects_the_line_in_the_editor(qtbot):
    sandbox = SandboxView(SandboxSession(source=PROGRAM))
    qtbot.addWidget(sandbox)
    sandbox.show()
    assert sandbox.trace_page.mode.currentData() == "trap-emulate"
    with qtbot.waitSignal(sandbox.trace_page.worker.succeeded, timeout=20000):
        sandbox.tabs.setCurrentIndex(TIMELINE_TAB)
    trap = next(e for e in sandbox.timeline.canvas.events if e.kind == "trap")
    sandbox.timeline.canvas.select(trap.index)
    assert sandbox.editor.selected_row == OUT_LINE
    assert sandbox.editor.textCursor().blockNumber() == OUT_LINE - 1
