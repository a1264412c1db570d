"""The lab's first-run guide: shown once, skippable, done by doing, replayable."""

from __future__ import annotations

from PySide6.QtCore import Qt

from virtquest.gui.qt_lab import LabPage


def open_page(qtbot, session, level_index: int = 0) -> LabPage:
    page = LabPage(session)
    qtbot.addWidget(page)
    page.resize(1024, 700)
    page.show()
    page.show_level([lv.id for lv in session.content.level_list][level_index])
    qtbot.waitUntil(lambda: page.view.model.result is not None, timeout=30000)
    return page


def test_the_tour_shows_on_the_first_level_and_esc_ends_it_for_good(qtbot, session):
    page = open_page(qtbot, session)
    tour = page.tour
    assert tour is not None and tour.isVisible()
    assert "slot" in tour.text.text() and "1 of 5" in tour.counter.text()
    assert tour.target_rect().isValid()              # it points at the first slot
    qtbot.keyClick(tour, Qt.Key.Key_Escape)
    assert page.tour is None
    assert session.store.get_setting(session.profile_id, "lab_tour") == "done"
    page.show_level([lv.id for lv in session.content.level_list][0])
    assert page.tour is None                         # not again


def test_the_handler_step_is_done_by_choosing(qtbot, session):
    page = open_page(qtbot, session)
    tour = page.tour
    qtbot.keyClick(tour, Qt.Key.Key_Return)          # 2 of 5: the three handlers
    assert "Three handlers" in tour.text.text()
    with qtbot.waitSignal(page.view.result_ready, timeout=30000):
        qtbot.keyClick(tour, Qt.Key.Key_1)           # a real choice, run by the lab
    assert page.view.model.choices[page.view.model.slots[0].label] == "cpu"
    assert "3 of 5" in tour.counter.text()
    for _ in range(3):
        tour.next_button.click()
    assert page.tour is None
    assert session.store.get_setting(session.profile_id, "lab_tour") == "done"


def test_the_tour_can_be_replayed(qtbot, session):
    session.store.set_setting(session.profile_id, "lab_tour", "done")
    page = open_page(qtbot, session)
    assert page.tour is None
    tour = page.start_tour()
    assert tour is not None and tour.isVisible()
    tour.skip_button.click()
    assert page.tour is None


def test_settings_replays_the_tour_at_the_next_level(qtbot, session):
    from virtquest.gui.qt_settings import QtSettings

    session.store.set_setting(session.profile_id, "lab_tour", "done")
    settings = QtSettings(session)
    qtbot.addWidget(settings)
    settings.tour_button.click()
    assert "tour" in settings.status.text()
    page = open_page(qtbot, session)
    assert page.tour is not None and page.tour.isVisible()
