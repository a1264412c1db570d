"""The lab: choices by mouse and keyboard, live verdicts from the worker, locks with reasons."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from virtquest.content.level_loader import load_level_file
from virtquest.emu.costs import CATEGORIES
from virtquest.game.lab_model import LabModel
from virtquest.gui.qt_lab import LabPage
from virtquest.gui.qt_lab_level import LabView

LEVEL = """\
schema_version: 1
chapter: 2
order: 1
id: ch2-test-console
title: {ko: "시험용 콘솔", en: "A test console"}
brief:
  ko: "게스트 커널이 콘솔 포트에 글자를 씁니다."
  en: "The guest kernel writes characters to the console port."
explain:
  ko: "특권 명령은 링 1에서 트랩됩니다. 무해한 명령은 CPU에 맡겨야 빠릅니다."
  en: "Privileged instructions trap at ring 1. Innocuous ones belong on the CPU."
hints:
  - {ko: "반복문 안의 add는 무해한 명령입니다.", en: "The add in the loop is innocuous."}
  - {ko: "out은 특권 명령입니다.", en: "out is privileged."}
program: |
  kernel_main:
      mov ecx, 20
  again:
  hot:
      add eax, 1
      loop again
      mov eax, 'A'
  io:
      out 0xE9, eax
      mov eax, 0
      ret
slots:
  - label: hot
    concept: efficiency
    default: hypervisor
    explain: {ko: "반복문의 add는 20번 실행됩니다.", en: "The loop's add runs 20 times."}
  - label: io
    concept: trap-cost
  - label: pv_irq_disable
    concept: pv-shared-flag
modes: [trap-emulate]
guest: {modifiable: true}
goal: {stars: [2.1, 3.0, 8.0]}
quizzes: [bt.what-it-does]
"""


@pytest.fixture(scope="module")
def level(tmp_path_factory):
    path = tmp_path_factory.mktemp("levels") / "ch2-test-console.yaml"
    path.write_text(LEVEL, encoding="utf-8")
    loaded, errors = load_level_file(path)
    assert not errors, errors
    return loaded


@pytest.fixture
def view(qtbot, level):
    lab = LabView(LabModel(level), language="en")
    qtbot.addWidget(lab)
    qtbot.waitUntil(lambda: lab.model.result is not None, timeout=20000)
    return lab


def decide_the_rest(view) -> None:
    """Choose, for every slot not yet decided, the choice it already has (no new run)."""
    for label in view.model.undecided:
        view.choose(label, view.model.choices[label])


def test_lab_builds_from_its_level_and_shows_the_first_verdict(view):
    assert view.title.text() == "A test console"
    assert len(view.slot_list.rows) == 3
    result = view.model.result
    assert result.equivalent and result.contained
    assert "equivalent" in view.verdict.verdicts.text() and "×" in view.verdict.verdicts.text()
    assert view.program_view._slots and view.kernel_view is not None
    assert view.kernel_view.shown_number(1) > 100     # the mini-OS's own line numbers


def test_keys_move_between_slots_and_choose(qtbot, view):
    before = view.model.result.overhead
    view.slot_list.setFocus()
    assert view.model.current == 0
    with qtbot.waitSignal(view.result_ready, timeout=20000) as blocker:
        qtbot.keyClick(view.slot_list, Qt.Key.Key_1)          # hot → CPU
    assert view.model.choices["hot"] == "cpu"
    assert view.slot_list.rows[0].buttons["cpu"].isChecked()
    assert blocker.args[0].overhead < before
    qtbot.keyClick(view.slot_list, Qt.Key.Key_Down)
    qtbot.keyClick(view.slot_list, Qt.Key.Key_Down)
    assert view.model.current == 2
    assert view.slot_list.rows[2].property("current") == "true"
    with qtbot.waitSignal(view.result_ready, timeout=20000) as blocker:
        qtbot.keyClick(view.slot_list, Qt.Key.Key_3)          # pv_irq_disable → Guest
    assert blocker.args[0].choices["pv_irq_disable"] == "guest"
    assert view.model.result.stars == 3
    assert "1 left" in view.verdict.stars.text() and not view.verdict.submit_button.isEnabled()
    qtbot.keyClick(view.slot_list, Qt.Key.Key_Up)
    qtbot.keyClick(view.slot_list, Qt.Key.Key_2)              # io → Hypervisor, its default
    assert "★★★" in view.verdict.stars.text() and view.verdict.submit_button.isEnabled()


def test_a_locked_choice_is_disabled_with_its_reason_shown(qtbot, view):
    row = view.slot_list.rows[0]                 # `add`: innocuous, so Guest is locked
    guest = row.buttons["guest"]
    assert not guest.isEnabled()
    assert "nothing to change" in guest.toolTip()
    assert "nothing to change" in row.locks.text()
    assert view.choose("hot", "guest") is False
    assert view.model.choices["hot"] == "hypervisor"
    assert view.worker.pending == 0


def test_clicking_a_choice_reruns_and_explains(qtbot, view):
    with qtbot.waitSignal(view.result_ready, timeout=20000):
        view.slot_list.rows[0].buttons["cpu"].click()
    text = view.explanations.toPlainText()
    assert "add eax, 1" in text and "directly" in text
    assert "not yet yours" in text                 # the other slots still at their start
    assert "Why" not in text
    decide_the_rest(view)
    text = view.explanations.toPlainText()
    assert "Why" in text and "Quiz cards unlocked" in text


def test_nothing_gives_the_answer_away_before_the_first_choice(qtbot, view):
    assert view.model.result.goal_met            # the starting choices happen to pass …
    text = view.explanations.toPlainText()
    assert "Why" not in text and "Quiz cards" not in text and "20 times" not in text
    assert not view.verdict.submit_button.isEnabled()      # … but earn nothing untouched
    assert not any(b.isChecked() for row in view.slot_list.rows for b in row.buttons.values())
    assert "3 left" in view.verdict.stars.text()
    view.show_hint()                               # a hint counts as taking part
    assert "not yet yours" in view.explanations.toPlainText()


def test_newest_choice_wins_when_changes_come_quickly(qtbot, view):
    results = []
    view.result_ready.connect(results.append)
    view.choose("hot", "cpu")
    view.choose("io", "cpu")
    view.choose("hot", "hypervisor")
    qtbot.waitUntil(lambda: view.worker.pending == 0, timeout=20000)
    assert [r.choices for r in results] == [{"hot": "hypervisor", "io": "cpu",
                                              "pv_irq_disable": "hypervisor"}]


def test_hints_come_one_at_a_time(qtbot, view):
    assert view.verdict.hints.isHidden()
    view.verdict.hint_button.click()
    assert "innocuous" in view.verdict.hints.text() and "privileged" not in view.verdict.hints.text()
    view.verdict.hint_button.click()
    assert "out is privileged" in view.verdict.hints.text()
    assert not view.verdict.hint_button.isEnabled()


def test_korean_content_follows_the_language(qtbot, level):
    lab = LabView(LabModel(level), language="ko")
    qtbot.addWidget(lab)
    assert lab.title.text() == "시험용 콘솔"
    assert "바꿀 것이 없습니다" in lab.slot_list.rows[0].locks.text()
    lab.wait()


def test_timeline_and_compare_follow_the_assignment(qtbot, view):
    assert set(view.compare.sets) == set(CATEGORIES)      # one bar set per category
    view.show()
    with qtbot.waitSignal(view.trace_page.worker.succeeded, timeout=20000):
        view.tabs.setCurrentIndex(1)
    out = view.model.assembled.address_of("io")
    trap = next(e for e in view.timeline.canvas.events
                if e.kind == "trap" and e.address == out)
    assert trap.is_arrow
    view.timeline.canvas.select(trap.index)
    program = view.program_view
    assert program.selected_row == program.row_for(view.model.slot("io").line)


def test_submit_emits_the_result_and_closing_cancels_the_runs(qtbot, view):
    decide_the_rest(view)
    with qtbot.waitSignal(view.submitted, timeout=2000) as blocker:
        view.verdict.submit_button.click()
    assert blocker.args[0] is view.model.result
    view.choose("hot", "cpu")
    assert view.worker.busy
    view.close()
    assert view.worker.pending == 0


def test_the_lab_page_opens_a_shipped_level_and_records_an_attempt(qtbot, session):
    page = LabPage(session)
    qtbot.addWidget(page)
    level_id = session.content.levels.ids()[0]
    page.show_level(level_id)
    lab = page.view
    qtbot.waitUntil(lambda: lab.model.result is not None, timeout=30000)
    lab.submit()                                   # untouched: nothing to record
    assert not session.store.best_results(session.profile_id)
    decide_the_rest(lab)
    with qtbot.waitSignal(session.progress_changed, timeout=5000):
        lab.submit()
    assert session.store.best_results(session.profile_id)


def test_the_chosen_handler_shows_by_mark_and_colour(qtbot, view):
    row = view.slot_list.rows[0]
    with qtbot.waitSignal(view.result_ready, timeout=20000):
        row.buttons["cpu"].click()
    cpu, hypervisor = row.buttons["cpu"], row.buttons["hypervisor"]
    assert cpu.text().startswith("✓") and not hypervisor.text().startswith("✓")
    assert "chosen" in cpu.accessibleName() and "chosen" not in hypervisor.accessibleName()

    def background(button):                       # a pixel inside the button, off its text
        return button.grab().toImage().pixelColor(4, button.height() // 2).name()

    assert background(cpu) != background(hypervisor)
    with qtbot.waitSignal(view.result_ready, timeout=20000):
        hypervisor.click()
    assert hypervisor.text().startswith("✓") and not cpu.text().startswith("✓")


def test_the_current_slot_scrolls_into_view_on_a_small_screen(qtbot, view):
    view.resize(1024, 560)
    view.show()
    qtbot.waitExposed(view)
    area = view.choice_area
    area.setFixedHeight(260)                     # room for about one slot, as at 1024×700
    view.slot_list.setFocus()
    for _ in range(len(view.slot_list.rows) - 1):
        qtbot.keyClick(view.slot_list, Qt.Key.Key_Down)
    last = view.slot_list.rows[-1]
    top = last.mapTo(area.viewport(), last.rect().topLeft()).y()
    assert area.verticalScrollBar().value() > 0
    assert top >= 0 and top + last.height() <= area.viewport().height()
    assert [row.property("current") for row in view.slot_list.rows] == ["false", "false", "true"]


def test_a_clear_is_celebrated_and_leads_to_the_next_level(qtbot, session):
    page = LabPage(session)
    qtbot.addWidget(page)
    first, second = [lv.id for lv in session.content.level_list][:2]
    page.show_level(first)
    lab = page.view
    qtbot.waitUntil(lambda: lab.model.result is not None, timeout=30000)
    assert lab.verdict.cleared.isHidden()
    # the level's best legal assignment, chosen slot by slot as a learner would
    from virtquest.game.solver import solve
    best = solve(lab.model.level).assignment
    for label, choice in best.items():
        if lab.model.choices[label] != choice:
            with qtbot.waitSignal(lab.result_ready, timeout=30000):
                lab.choose(label, choice)
        else:
            lab.choose(label, choice)
    assert lab.model.result.stars >= 1
    lab.submit()
    text = lab.verdict.cleared_text.text()
    assert not lab.verdict.cleared.isHidden()
    assert "Level cleared!" in text and "XP" in text and "Unlocked" in text
    assert lab.verdict.next_button.isVisibleTo(lab) and lab.verdict.next_button.property("level") == second
    lab.verdict.next_button.click()
    assert page.view.model.level.id == second
    qtbot.waitUntil(lambda: page.view.model.result is not None, timeout=30000)


def test_the_lab_fits_a_small_screen_at_200_percent_text(qtbot, store, content):
    from virtquest.gui.app import build_window
    from virtquest.gui.i18n import install_language

    window = build_window(store, content, overrides={"font_scale": 2.0, "language": "ko"},
                          hangul_font="NanumGothic", remember=False)
    qtbot.addWidget(window)
    try:
        window.open_level("ch3-popf")
        window.resize(1024, 700)
        window.show()
        lab = window.views["lab"].view
        qtbot.waitUntil(lambda: lab.model.result is not None, timeout=30000)
        hint = window.minimumSizeHint()
        assert hint.width() <= 1024 and hint.height() <= 700      # the window need not grow
        assert window.height() <= 700
        bottom = lab.tabs.mapTo(window, lab.tabs.rect().bottomLeft()).y()
        assert bottom <= window.height()          # the tabs are on screen, not scrolled away
        choices = lab.choice_area
        assert choices.widget().width() <= choices.viewport().width()  # nothing cut sideways
        assert choices.height() >= 150                                # more than one line
    finally:
        window.close()
        window.appearance.session.overrides.clear()
        window.appearance.apply()
        install_language("en")
