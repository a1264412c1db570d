"""The lab's Host tab: a level whose guests share a host shows both guests' memory page by page
with the run's own counts, the host's frames, and a migration's rounds and downtime; an ordinary
level has no such tab. Setting slots say they pick a host mechanism, not an instruction's handler."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from virtquest.game.lab_model import LabModel
from virtquest.game.runs import RunCache
from virtquest.gui.i18n import install_language
from virtquest.gui.qt_lab_host import STATE_COLOURS, HostView
from virtquest.gui.qt_lab_level import LabView
from virtquest.gui.theme import apply_theme

RUNS = RunCache()          # one level's runs are made once for all the tests here


def open_lab(qtbot, content, level_id: str, choices: dict[str, str] | None = None) -> LabView:
    """The lab on a level, its slots given `choices` (as an earlier attempt would), run."""
    model = LabModel(content.levels.get(level_id), cache=RUNS, choices=choices)
    lab = LabView(model, language="en")
    qtbot.addWidget(lab)
    qtbot.waitUntil(lambda: lab.model.result is not None, timeout=60000)
    assert lab.model.result.assessment.choices == lab.model.choices
    return lab


def tab_names(lab: LabView) -> list[str]:
    return [lab.tabs.tabText(i) for i in range(lab.tabs.count())]


@pytest.fixture
def overcommit(qtbot, content):
    return open_lab(qtbot, content, "ch12-overcommit",
                    {"reclaim": "guest", "identical": "hypervisor"})


def test_a_host_level_shows_both_guests_memory_with_the_runs_counts(overcommit):
    lab = overcommit
    assert "Host" in tab_names(lab)
    assert lab.tabs.currentWidget() is lab.host_page          # the chapter's view comes first
    view = lab.host_page.view
    report = lab.model.result.runs[0].host
    assert len(view.panels) == len(report["guests"]) == 2
    frames = report["frames"]
    assert (f"Host frames in use: {frames['used']} of {frames['total']}, "
            f"peak {frames['peak']}") in view.summary.text()
    assert "ballooning" in view.summary.text() and "page sharing on" in view.summary.text()
    for panel, guest in zip(view.panels, report["guests"], strict=True):
        pages = guest["pages"]
        assert panel.title.text() == f"Guest {guest['index']} ✔ same as native"
        counts = panel.counts.text()
        assert f"ballooned: {pages['ballooned']}" in counts
        assert f"shared: {pages['shared']}" in counts
        assert f"resident: {pages['resident']}" in counts
        assert panel.grid.accessibleName() == f"Memory of guest {guest['index']}"
        assert f"{len(guest['memory_map'])} pages" in panel.grid.accessibleDescription()
    total = sum(g["pages"]["ballooned"] for g in report["guests"])
    assert view.memory.entries["ballooned"].name.text() == f"ballooned: {total}"
    peak_line = max(s["frames"] for s in report["samples"])
    assert f"frames in use: at most {peak_line}" in view.frames_chart.view.accessibleDescription()
    assert view.migration_chart.isHidden()                     # no migration on this host


def test_an_ordinary_level_has_no_host_page(qtbot, content):
    lab = open_lab(qtbot, content, "ch1-hot-loop")
    assert lab.host_page is None
    assert "Host" not in tab_names(lab)
    assert not lab.findChildren(HostView)


def test_the_arrow_keys_walk_the_pages_and_say_what_each_is(qtbot, overcommit):
    view = overcommit.host_page.view
    overcommit.tabs.setCurrentWidget(overcommit.host_page)
    grid = view.panels[1].grid
    memory_map = overcommit.model.result.runs[0].host["guests"][1]["memory_map"]
    names = {".": "untouched", "R": "resident", "S": "shared", "W": "swapped out",
             "B": "ballooned"}
    overcommit.show()
    qtbot.waitExposed(overcommit)
    overcommit.activateWindow()
    view.panels[0].grid.setFocus()
    qtbot.keyClick(view.panels[0].grid, Qt.Key.Key_Tab)        # Tab goes from grid to grid
    qtbot.waitUntil(grid.hasFocus)
    assert view.detail.text().startswith("Guest 2, page 0 ")
    for page in (1, 1 + 32, 1 + 32 + 32):
        qtbot.keyClick(grid, Qt.Key.Key_Right if page == 1 else Qt.Key.Key_Down)
        assert view.detail.text().startswith(f"Guest 2, page {page} ")
        assert view.detail.text().endswith(names[memory_map[page]])


def test_each_page_is_drawn_in_its_states_colour_in_both_themes(qapp, qtbot, overcommit):
    overcommit.resize(1000, 900)
    overcommit.show()
    qtbot.waitExposed(overcommit)
    grid = overcommit.host_page.view.panels[0].grid
    assert grid.isVisible()
    guest = grid.guest
    page = guest.pages.index("resident")
    try:
        for theme, column in (("light", 0), ("dark", 1)):
            apply_theme(qapp, theme)
            image = grid.grab().toImage()
            centre = grid.page_rect(page).center().toPoint() * grid.devicePixelRatioF()
            assert image.pixelColor(centre).name() == STATE_COLOURS["resident"][column], theme
    finally:
        apply_theme(qapp, "light")


def test_setting_slots_say_which_host_mechanism_each_choice_picks(overcommit):
    rows = {row.slot.label: row for row in overcommit.slot_list.rows}
    reclaim = rows["reclaim"]
    assert "host setting: who reclaims memory" in reclaim.title.text()
    assert "innocuous" not in reclaim.title.text()
    meanings = reclaim.meanings.text()
    assert "1 CPU: nothing reclaims" in meanings and "2 Hypervisor: host swapping" in meanings
    assert "3 Guest: ballooning" in meanings
    assert "host setting: sharing identical pages" in rows["identical"].title.text()


def test_the_host_page_speaks_korean(qtbot, overcommit):
    try:
        install_language("ko")
        QApplication.processEvents()
        assert "호스트" in tab_names(overcommit)
        view = overcommit.host_page.view
        assert view.summary.text().startswith("호스트 프레임:")
        assert view.panels[0].title.text() == "게스트 1 ✔ 네이티브와 같음"
        assert "호스트 설정" in overcommit.slot_list.rows[0].title.text()
    finally:
        install_language("en")


def test_a_migration_shows_its_rounds_and_downtime_against_the_goal(qtbot, content):
    lab = open_lab(qtbot, content, "ch12-live-migration", {"dirty": "cpu", "main": "hypervisor"})
    view = lab.host_page.view
    migration = lab.model.result.runs[0].host["migration"]
    bound = lab.model.level.goal.max_downtime
    assert not view.migration_chart.isHidden()
    bars = view.migration_chart.bars
    assert len(bars) == len(migration["rounds"]) + 1 and bars[-1][1]     # stop-and-copy last
    text = view.migration.text()
    assert f"pre-copy rounds: {len(migration['rounds'])}" in text
    assert f"pages sent: {migration['pages_sent']:,}" in text
    assert f"downtime: {migration['downtime']:,} cycles" in text
    assert f"(goal: at most {bound:,})" in text
    assert ("✔" if migration["downtime"] <= bound else "✘") in text
    assert "converged" in text
    rounds = view.migration_chart.view.accessibleDescription().splitlines()
    assert rounds[0].startswith(f"Round 1: {migration['rounds'][0]['pages']} pages")
    assert rounds[-1].startswith(f"Stop-and-copy: {migration['stop_and_copy']['pages']} pages")


def test_stop_and_copy_alone_breaks_the_downtime_goal_and_says_so(qtbot, content):
    lab = open_lab(qtbot, content, "ch12-live-migration", {"dirty": "cpu", "main": "cpu"})
    view = lab.host_page.view
    assert len(view.migration_chart.bars) == 1 and view.migration_chart.bars[0][1]
    assert "pre-copy rounds: 0" in view.migration.text() and "✘" in view.migration.text()


def test_a_migration_that_never_converged_says_so(qtbot, content):
    lab = open_lab(qtbot, content, "ch12-live-migration", {"dirty": "cpu", "main": "hypervisor"})
    run = lab.model.result.runs[0]
    stuck = dict(run.host["migration"], converged=False)
    view = HostView()
    qtbot.addWidget(view)
    view.show_run(dataclasses.replace(run, host=dict(run.host, migration=stuck)))
    assert "did not converge" in view.migration.text() and "converged ·" not in view.migration.text()
    assert "(goal:" not in view.migration.text()         # no bound given: none is claimed
    view.show_run(None)
    assert view.migration.isHidden() and not view.empty.isHidden()
