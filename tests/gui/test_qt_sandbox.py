"""The sandbox runs every mode on a worker; errors show at their line; runaways stop."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer

from virtquest.game.sandbox_model import SandboxModel
from virtquest.gui.qt_sandbox import SandboxView
from virtquest.hv.registry import mode_ids

RUNAWAY = "main:\nforever:\n    jmp forever\n"


def make(qtbot, **session) -> SandboxView:
    view = SandboxView(SandboxModel(**session))
    qtbot.addWidget(view)
    return view


def test_runs_under_every_mode_side_by_side(qtbot):
    view = make(qtbot)
    with qtbot.waitSignal(view.run_finished, timeout=60000) as blocker:
        view.run_button.click()
    report = blocker.args[0]
    assert [run.mode for run in report.runs] == mode_ids()
    assert view.results.table.rowCount() == len(mode_ids())
    assert "Hello, hypervisor!" in view.results.console.toPlainText()
    assert len(view.compare.runs) == len(mode_ids())


def test_an_assembly_error_is_shown_at_its_line_and_column(qtbot):
    view = make(qtbot, source="main:\n    mov eax, 1\n    mov ebx\n    ret\n")
    with qtbot.waitSignal(view.run_failed, timeout=10000):
        view.run()
    assert view.editor.error[:2] == (3, 5)
    assert "sandbox.s:3:5" in view.status.text()
    view.editor.setPlainText("main:\n    ret\n")
    assert view.editor.error is None


def test_a_runaway_program_keeps_the_ui_serving_until_cancelled(qtbot):
    view = make(qtbot, source=RUNAWAY, budget=50_000_000)
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    view.run()
    qtbot.wait(700)
    assert view.worker.busy and view.cancel_button.isEnabled()
    with qtbot.waitSignal(view.run_cancelled, timeout=10000):
        view.cancel_button.click()
    timer.stop()
    gaps = [later - earlier for earlier, later in zip(ticks, ticks[1:], strict=False)]
    assert len(ticks) >= 15
    assert max(gaps) < 0.1, f"the event loop stalled for {max(gaps):.3f} s"
    assert not view.worker.busy and view.run_button.isEnabled()
    assert "Cancelled" in view.status.text()


def test_a_runaway_stops_at_the_cycle_budget(qtbot):
    view = make(qtbot, source=RUNAWAY, budget=1_000_000)
    with qtbot.waitSignal(view.run_finished, timeout=60000) as blocker:
        view.run()
    assert all(run.result.stop == "budget" for run in blocker.args[0].runs)
    assert "cycle budget spent" in view.results.table.item(0, 4).text()


def test_closing_the_sandbox_cancels_its_run(qtbot):
    view = make(qtbot, source=RUNAWAY, budget=50_000_000)
    view.run()
    qtbot.wait(100)
    started = time.monotonic()
    view.close()
    assert time.monotonic() - started < 5
    assert view.worker.pending == 0 and view.worker.active_threads == 0


def test_open_and_save_a_program(qtbot, tmp_path):
    view = make(qtbot)
    path = tmp_path / "mine.s"
    path.write_text("main:\n    mov eax, 3\n    ret\n", encoding="utf-8")
    assert view.open_file(path)
    assert view.editor.toPlainText().startswith("main:")
    view.editor.setPlainText("main:\n    mov eax, 4\n    ret\n")
    assert view.model.modified
    assert view.save_file(path)
    assert "mov eax, 4" in path.read_text(encoding="utf-8") and not view.model.modified
    assert not view.open_file(tmp_path / "missing.s")
    assert "no such file" in view.status.text()


def test_the_mini_os_source_is_there_to_read(qtbot):
    view = make(qtbot)
    view.source_tabs.setCurrentIndex(1)
    assert view.kernel_view is not None and view.kernel_view.isReadOnly()
    assert "pv_iret:" in view.kernel_view.toPlainText()


LOOP = """\
_start:
    mov ecx, 200000
again:
    add eax, 1
    dec ecx
    jne again
    mov eax, 0
    out 0xF4, eax
"""


def test_a_large_binary_translation_ratio_on_a_short_program_is_explained(qtbot):
    """Hello world: translating its (boot) code once is most of binary translation's cycles,
    so its ratio is large; the result says why, in the run's own numbers."""
    from virtquest.game.sandbox_model import translation_cost

    view = make(qtbot)
    with qtbot.waitSignal(view.run_finished, timeout=60000) as blocker:
        view.run()
    report = blocker.args[0]
    cost = translation_cost(report)
    run = report.run("binary-translation")
    assert cost is not None and cost.overhead == run.overhead
    assert cost.share == run.result.breakdown["translation"] / run.result.cycles
    note = view.results.note.text()
    assert not view.results.note.isHidden()
    assert f"×{run.overhead:.2f}" in note and f"{round(cost.share * 100)}%" in note
    assert f"{run.result.instructions:,}" in note
    assert "cannot amortize" in note and "longer-running program" in note
    assert view.compare.note.text() == note


def test_a_long_loop_amortizes_translation_and_needs_no_explanation(qtbot):
    from virtquest.game.sandbox_model import translation_cost

    view = make(qtbot, source=LOOP)
    with qtbot.waitSignal(view.run_finished, timeout=60000) as blocker:
        view.run()
    assert translation_cost(blocker.args[0]) is None
    assert view.results.note.isHidden() and view.results.note.text() == ""
    assert view.compare.note.isHidden()


def test_the_explanation_speaks_korean(qtbot):
    from virtquest.gui.i18n import install_language

    view = make(qtbot)
    with qtbot.waitSignal(view.run_finished, timeout=60000):
        view.run()
    install_language("ko")
    try:
        assert "이진 변환" in view.results.note.text() and "amortize" not in view.results.note.text()
    finally:
        install_language("en")
    assert "amortize" in view.results.note.text()
