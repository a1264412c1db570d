"""The debugger steps, runs, pauses, resets and steps back to exactly the earlier state."""

from __future__ import annotations

import pytest

from virtquest.content.profiles import load_profile
from virtquest.game.debugger_model import Stepper
from virtquest.gui.qt_debugger import DebuggerPage, DebuggerView

BARE = """\
_start:
    mov eax, 1
    mov ebx, 10
again:
    add eax, eax
    dec ebx
    jne again
    push eax
    pop ecx
    hlt
"""

KERNEL = """\
kernel_main:
    mov eax, cr0
    cli
    mov eax, 7
    ret
"""


def make_view(qtbot, source: str, mode: str = "native") -> DebuggerView:
    view = DebuggerView(Stepper(source, mode, file="dbg.s", profile=load_profile()))
    qtbot.addWidget(view)
    return view


def test_stepping_moves_the_machine_and_shows_the_registers(qtbot):
    view = make_view(qtbot, BARE)
    for _ in range(2):
        view.buttons["step"].click()
    state = view.stepper.state()
    assert state.steps == 2 and state.registers["ebx"] == 10
    assert "0000000a" in view.state_panel.registers.text()
    assert view.program_view._exec_line == 5      # `add eax, eax` is next


def test_step_back_restores_the_earlier_state_exactly(qtbot):
    view = make_view(qtbot, BARE)
    for _ in range(7):
        view.step()
    earlier = view.stepper.state()
    view.step()
    assert view.stepper.state() != earlier
    with qtbot.waitSignal(view.state_changed, timeout=10000):
        view.step_back()
    assert view.stepper.state() == earlier


def test_run_to_the_end_then_step_back_from_the_stopped_machine(qtbot):
    view = make_view(qtbot, BARE)
    with qtbot.waitSignal(view.state_changed, timeout=10000):
        view.run()
    final = view.stepper.state()
    assert final.stop is not None and final.registers["ecx"] == 1 << 10
    assert "Stopped" in view.status.text()
    with qtbot.waitSignal(view.state_changed, timeout=10000):
        view.step_back()
    back = view.stepper.state()
    assert back.stop is None and back.steps == final.steps - 1
    view.step()
    assert view.stepper.state() == final


def test_pause_stops_a_run_that_would_not_end(qtbot):
    view = make_view(qtbot, "_start:\nforever:\n    jmp forever\n")
    view.run()
    qtbot.waitUntil(lambda: view.worker.busy, timeout=2000)
    assert view.buttons["pause"].isEnabled() and not view.buttons["step"].isEnabled()
    qtbot.wait(100)
    with qtbot.waitSignal(view.state_changed, timeout=10000):
        view.pause()
    assert view.stepper.state().steps > 0 and view.stepper.stopped is None
    assert view.buttons["step"].isEnabled()


def test_reset_goes_back_to_the_first_instruction(qtbot):
    view = make_view(qtbot, BARE)
    first = view.stepper.state()
    for _ in range(3):
        view.step()
    view.buttons["reset"].click()
    assert view.stepper.state() == first


@pytest.mark.parametrize("mode", ["trap-emulate", "paravirt"])
def test_software_vmm_shows_its_virtual_cpu_beside_the_real_one(qtbot, mode):
    view = make_view(qtbot, KERNEL, mode)
    with qtbot.waitSignal(view.state_changed, timeout=20000):
        view.run_to_program()
    assert not view.state_panel.vcpu_box.isHidden()
    assert view.stepper.vcpu().cpl == 0 and view.stepper.state().cpl == 1
    assert "believes it is at CPL 0" in view.state_panel.cpl_label.text()
    assert view.state_panel.pages.rowCount() > 0                  # the guest's page tables after boot
    assert view.state_panel.pages_choice.count() == 2             # and the shadow the MMU walks


def test_hardware_assist_shows_the_vmcs_and_no_virtual_cpu(qtbot):
    view = make_view(qtbot, KERNEL, "hardware-assist")
    assert view.state_panel.vcpu_box.isHidden() and not view.state_panel.vmcs_box.isHidden()


def test_the_debugger_page_rebuilds_its_guest_when_shown_after_a_change(qtbot):
    sources = [BARE]
    page = DebuggerPage(["native", "trap-emulate"], lambda mode: Stepper(
        sources[-1], mode, file="dbg.s", profile=load_profile()))
    qtbot.addWidget(page)
    page.show()
    first = page.debugger
    assert first is not None and first.stepper.mode == "native"
    page.mode.setCurrentIndex(1)
    assert page.debugger is first and first.stepper.mode == "trap-emulate"
    sources.append("_start:\n    mov eax, 1\n    mov ebx\n")
    page.invalidate()
    assert "dbg.s:3:5" in page.message.text() and page.holder.currentWidget() is page.message


def test_registers_and_tables_follow_the_text_size(qtbot):
    from tests.gui.test_qt_editor import set_text_size
    from virtquest.gui.fonts import point_size

    set_text_size(1.0)
    view = make_view(qtbot, BARE)
    view.show()
    widgets = (view.state_panel.registers, view.state_panel.pages, view.state_panel.console, view.program_view)
    qtbot.waitUntil(lambda: all(w.font().pointSizeF() == point_size(1.0) for w in widgets))
    rows = view.state_panel.pages.minimumHeight()
    try:
        set_text_size(2.0)
        qtbot.waitUntil(lambda: all(w.font().pointSizeF() == point_size(2.0) for w in widgets))
        assert view.state_panel.pages.minimumHeight() > rows
    finally:
        set_text_size(1.0)


def test_code_and_registers_go_one_above_the_other_when_narrow(qtbot):
    """Side by side while both are readable; stacked (not wider) when the view is narrow."""
    from PySide6.QtCore import Qt

    view = make_view(qtbot, BARE)
    view.show()
    wide = view.splitter.side_by_side_width() + 40
    view.resize(wide, 600)
    qtbot.waitUntil(lambda: view.splitter.orientation() == Qt.Orientation.Horizontal)
    view.resize(view.splitter.side_by_side_width() // 2 + 40, 600)
    qtbot.waitUntil(lambda: view.splitter.orientation() == Qt.Orientation.Vertical)
    assert view.minimumSizeHint().width() < view.splitter.side_by_side_width()
    assert view.width() < view.splitter.side_by_side_width()
