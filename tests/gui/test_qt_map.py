"""The chapter map view shows stars and locks from the store and opens levels on request."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from virtquest.game.chapters import CHAPTERS
from virtquest.gui.i18n import install_language
from virtquest.gui.qt_map import QtChapterMap, star_text


def map_view(qtbot, session) -> QtChapterMap:
    view = QtChapterMap(session)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    return view


def row(view: QtChapterMap, level_id: str):
    return next(r for card in view.cards for r in card.rows if r.cell.id == level_id)


def first_levels(session, chapter: int = 1) -> list[str]:
    return [lv.id for lv in session.content.level_list if lv.chapter == chapter]


def test_map_shows_every_chapter_with_only_the_first_level_open(qtbot, session):
    view = map_view(qtbot, session)
    assert len(view.cards) == len(CHAPTERS) == 12
    first, second = first_levels(session)[:2]
    assert row(view, first).title.isEnabled()
    assert not row(view, second).title.isEnabled()           # greyed, yet it answers a click
    assert "Locked" in row(view, second).toolTip()
    assert "Play next" in view.continue_button.text()


def test_stars_and_unlocks_follow_the_attempts_in_the_store(qtbot, session):
    first, second, third = first_levels(session)[:3]
    view = map_view(qtbot, session)
    session.store.record_attempt(session.profile_id, first, {}, "trap-emulate", 1000, 2)
    session.notify_progress()
    assert row(view, first).stars.text() == star_text(2) == "★★☆"
    assert row(view, second).title.isEnabled()
    assert not row(view, third).title.isEnabled()
    assert view.cards[0].summary.text().startswith("★ 2/")
    assert second in [c.id for c in [view.model.next_to_play()]]


def test_clicking_an_open_level_asks_to_open_it(qtbot, session):
    view = map_view(qtbot, session)
    first = first_levels(session)[0]
    with qtbot.waitSignal(view.level_requested) as requested:
        qtbot.mouseClick(row(view, first), Qt.MouseButton.LeftButton)
    assert requested.args == [first]
    with qtbot.waitSignal(view.level_requested):
        qtbot.keyClick(row(view, first), Qt.Key.Key_Return)
    with qtbot.waitSignal(view.sandbox_requested):
        view.sandbox_button.click()


def test_map_without_content_says_it_is_loading(qtbot, store):
    from virtquest.gui.models import LearnerSession

    session = LearnerSession(store, None)
    view = map_view(qtbot, session)
    assert "Loading" in view.next_info.text()
    assert all(not card.rows for card in view.cards)



def test_korean_unlock_messages_choose_their_particles(qtbot, session):
    install_language("ko")
    try:
        view = map_view(qtbot, session)
        second = first_levels(session)[1]
        text = "\n".join([row(view, second).toolTip(),
                          *(label.text() for label in view.findChildren(QLabel))])
        assert "클리어" in text                       # the unlock line is there, in Korean
        for notation in ("을(를)", "이(가)", "(으)로"):
            assert notation not in text
    finally:
        install_language("en")


def test_clicking_a_locked_level_says_which_level_opens_it(qtbot, session):
    view = map_view(qtbot, session)
    first, second = first_levels(session)[:2]
    opened = []
    view.level_requested.connect(opened.append)
    qtbot.mouseClick(row(view, second), Qt.MouseButton.LeftButton)
    first_title = row(view, first).title.text().split("  ", 1)[1]
    said = view.next_info.text()                 # the map's line under its title says it
    assert "Locked" in said and first_title in said
    assert opened == []
