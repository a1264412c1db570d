"""The timeline draws events as arrows between lanes; a click selects the instruction."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QPoint, Qt

from virtquest.content.profiles import load_profile
from virtquest.emu.cpu import TraceEntry
from virtquest.game.sandbox_model import SandboxModel
from virtquest.game.timeline_model import CPU, GUEST, HYPERVISOR, build_events, traced_run
from virtquest.gui.i18n import install_language
from virtquest.gui.messages import message_text
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
    trace = [TraceEntry(10, 0x1008, "vm_exit", {"reason": "io"}),
             TraceEntry(900, 0x1008, "vm_entry", {"reason": "io"}),
             TraceEntry(950, 0x2008, "hypercall", {"name": "mmu_update"}),
             TraceEntry(960, 0x3000, "hidden_fault", {}),
             TraceEntry(970, 0x3000, "interrupt", {"vector": 32})]
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
    with qtbot.waitSignal(view.instruction_activated, timeout=2000) as blocker:
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
    sandbox = SandboxView(SandboxModel(source=PROGRAM))
    qtbot.addWidget(sandbox)
    sandbox.show()
    assert sandbox.trace_page.mode.currentData() == "trap-emulate"
    with qtbot.waitSignal(sandbox.trace_page.worker.succeeded, timeout=20000):
        sandbox.tabs.setCurrentIndex(TIMELINE_TAB)
    trap = next(e for e in sandbox.timeline.canvas.events if e.kind == "trap")
    sandbox.timeline.canvas.select(trap.index)
    assert sandbox.editor.selected_row == OUT_LINE
    assert sandbox.editor.textCursor().blockNumber() == OUT_LINE - 1


def test_the_events_are_described_in_the_ui_language(qtbot, trap_emulate):
    """The trace records ids with parameters: a trap & emulate run's events read in Korean when
    the UI speaks Korean and in English otherwise, with the numbers the run filled in."""
    view = TimelineView(trap_emulate)
    qtbot.addWidget(view)
    at_out = [e for e in view.canvas.events if (source := trap_emulate.source_line(e.address))
              and (source.where, source.line) == ("program", OUT_LINE)]
    trap, emulate, resume = at_out[:3]
    assert trap.params == {"vector": 13} and emulate.params == {"instruction": "out 0xe9, eax"}
    assert message_text(trap.message) == "the guest trapped to the hypervisor on vector 13"
    assert message_text(emulate.message) == "the hypervisor emulated out 0xe9, eax"
    view.canvas.select(trap.index)
    assert "the guest trapped to the hypervisor on vector 13" in view.detail.text()

    install_language("ko")
    assert message_text(trap.message) == "벡터 13번 트랩: 게스트에서 하이퍼바이저로 제어가 넘어갔습니다"
    assert message_text(emulate.message) == "하이퍼바이저가 out 0xe9, eax 명령을 에뮬레이션했습니다"
    assert message_text(resume.message) == "하이퍼바이저가 게스트의 실행을 재개했습니다"
    english = [e for e in trap_emulate.events if not re.search("[가-힣]", message_text(e.message))]
    assert not english, english[:3]
    assert "벡터 13번 트랩" in view.detail.text() and f"{trap.cycle:,}" in view.detail.text()
    assert "vector" not in view.canvas.describe(trap)
