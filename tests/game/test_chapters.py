"""The chapter map's model: its chapters, stars from best results, each level opening after the
one before it has a star (across chapter borders), and what clearing a level would open."""

from __future__ import annotations

from dataclasses import dataclass

from virtquest.game.chapters import CHAPTERS, build_chapter_map


@dataclass(frozen=True)
class Lv:
    id: str
    chapter: int
    order: int
    title: dict


@dataclass(frozen=True)
class Best:
    stars: int


LEVELS = [Lv(f"ch{c}-l{o}", c, o, {"ko": f"레벨 {c}.{o}", "en": f"Level {c}.{o}"})
          for c in (1, 2, 4) for o in (1, 2)]


def test_every_chapter_is_listed_even_without_levels():
    model = build_chapter_map(LEVELS, {})
    assert [c.info.number for c in model.chapters] == list(range(1, 13))
    assert len(CHAPTERS) == 12
    assert model.chapters[2].levels == () and model.total_max_stars == 18


def test_only_the_first_level_is_open_at_the_start():
    model = build_chapter_map(LEVELS, {})
    assert [c.id for c in model.cells() if c.unlocked] == ["ch1-l1"]
    assert model.cell("ch1-l2").locked_by == "ch1-l1"
    assert model.cell("ch2-l1").locked_by == "ch1-l2"  # the chapter before must be done
    assert model.next_to_play().id == "ch1-l1"


def test_a_star_opens_the_next_level_and_the_next_chapter():
    model = build_chapter_map(LEVELS, {"ch1-l1": Best(1), "ch1-l2": Best(3)})
    assert model.cell("ch1-l2").stars == 3
    assert model.cell("ch2-l1").unlocked
    assert model.chapters[1].unlocked
    assert model.cell("ch2-l2").locked_by == "ch2-l1"
    assert model.cell("ch4-l1").locked_by == "ch2-l2"  # the empty chapter 3 does not block
    assert model.next_to_play().id == "ch2-l1"


def test_zero_stars_do_not_unlock():
    model = build_chapter_map(LEVELS, {"ch1-l1": Best(0)})
    assert not model.cell("ch1-l2").unlocked


def test_what_unlocks_next_names_the_level_to_clear():
    model = build_chapter_map(LEVELS, {"ch1-l1": Best(2)})
    unlocks = model.next_unlocks()
    assert [(u.clear.id, u.opens.id) for u in unlocks] == [("ch1-l2", "ch2-l1")]


def test_a_level_with_stars_stays_open_even_out_of_order():
    model = build_chapter_map(LEVELS, {"ch2-l2": Best(1)})  # e.g. imported progress
    assert model.cell("ch2-l2").unlocked and model.chapters[1].stars == 1
