"""Achievements as data: the shipped file is valid, and each unlocks on its event, not before.

Also the XP rules that come with the same events (first clears, new stars, quiz answers).
"""

from __future__ import annotations

import fnmatch
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import get_args
from zoneinfo import ZoneInfo

import pytest
import yaml

from virtquest.game import achievements as ach
from virtquest.game.achievements import (
    AchievementsError,
    achievement_progress,
    evaluate_achievements,
    load_achievements,
)
from virtquest.game.review import answer_question
from virtquest.game.xp import XP_RULES, level_for, record_level_attempt
from virtquest.progress.records import MODE_IDS
from virtquest.progress.store import open_store

SEOUL = ZoneInfo("Asia/Seoul")
NOW = datetime(2025, 3, 3, 10, 0, tzinfo=SEOUL)
HANGUL = re.compile(r"[\uac00-\ud7a3]")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def store():
    with open_store() as opened:
        yield opened


@pytest.fixture
def pid(store):
    return store.current_profile_id()


def ids(unlocked) -> set[str]:
    return {a.id for a in unlocked}


def clear(store, pid, level_id, stars=1, mode="trap-emulate", now=NOW):
    return record_level_attempt(store, pid, level_id, {}, mode, 1000, stars, now=now)


# --- the data file ------------------------------------------------------------------------

def test_shipped_achievements_are_valid_and_bilingual():
    catalogue = load_achievements()
    assert len(catalogue) >= 15
    assert len({a.id for a in catalogue}) == len(catalogue)
    for achievement in catalogue:
        assert HANGUL.search(achievement.title.ko) and HANGUL.search(achievement.description.ko)
        assert achievement.title.en.strip() and achievement.description.en.strip()


def test_every_metric_of_the_vocabulary_has_a_reader():
    assert set(ach._METRICS) == set(get_args(ach.Metric))


def test_chapter_patterns_match_shipped_levels():
    level_ids = [yaml.safe_load(p.read_text(encoding="utf-8")).get("id")
                 for p in sorted((ROOT / "levels").glob("*.yaml"))]
    if not level_ids:
        pytest.skip("no level files shipped yet")
    for achievement in load_achievements():
        pattern = achievement.condition.level_pattern
        if pattern:
            assert any(fnmatch.fnmatchcase(str(i), pattern) for i in level_ids), \
                f"{achievement.id}: no shipped level matches {pattern!r}"


BAD_FILES = {
    "not yaml": "achievements: [unclosed",
    "python object tag": "!!python/object/apply:os.system ['echo hacked']",
    "unknown metric": "{metric: lines_of_code, at_least: 1}",
    "threshold zero": "{metric: xp_total, at_least: 0}",
    "pattern on a non-level metric": "{metric: xp_total, at_least: 1, level_pattern: 'ch1-*'}",
    "expression instead of data": "{metric: xp_total, at_least: '__import__(\"os\")'}",
    "number as text": "{metric: xp_total, at_least: '5'}",
    "extra key": "{metric: xp_total, at_least: 1, bonus: 5}",
}


def write_catalogue(path: Path, condition: str, *, duplicate=False, english=True) -> Path:
    title = "{ko: 제목, en: Title}" if english else "{ko: 제목}"
    entry = (f"  - id: a\n    title: {title}\n    description: {{ko: 설명, en: Text}}\n"
             f"    condition: {condition}\n")
    text = condition if condition.startswith(("!!", "achievements")) else \
        "schema_version: 1\nachievements:\n" + entry * (2 if duplicate else 1)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", BAD_FILES)
def test_malformed_achievement_files_are_refused(tmp_path, name):
    path = write_catalogue(tmp_path / f"{name.replace(' ', '-')}.yaml", BAD_FILES[name])
    with pytest.raises(AchievementsError) as refused:
        load_achievements(path)
    assert str(path.name) in str(refused.value)


def test_duplicate_ids_and_missing_translations_are_refused(tmp_path):
    for kwargs in ({"duplicate": True}, {"english": False}):
        path = write_catalogue(tmp_path / f"{len(kwargs)}-{list(kwargs)[0]}.yaml",
                               "{metric: xp_total, at_least: 1}", **kwargs)
        with pytest.raises(AchievementsError):
            load_achievements(path)


# --- unlocking ----------------------------------------------------------------------------

def test_first_clear_needs_a_star(store, pid):
    failed = clear(store, pid, "ch1-loop", stars=0)
    assert ids(failed.effects.new_achievements) == {"first-run"}
    passed = clear(store, pid, "ch1-loop", stars=1)
    assert {"first-clear", "ring-zero"} <= ids(passed.effects.new_achievements)
    assert "first-run" not in ids(passed.effects.new_achievements)  # only once


def test_chapter_achievements_follow_the_level_pattern(store, pid):
    outcome = clear(store, pid, "ch3-popf", stars=2)
    assert "mind-the-gap" in ids(outcome.effects.new_achievements)
    assert "translator" not in store.unlocked_achievements(pid)


def test_five_three_star_levels_unlock_on_the_fifth(store, pid):
    for n in range(4):
        clear(store, pid, f"ch9-boss{n}", stars=3)
    assert "three-stars-5" not in store.unlocked_achievements(pid)
    clear(store, pid, "ch9-boss0", stars=3)  # the same level again does not count twice
    assert "three-stars-5" not in store.unlocked_achievements(pid)
    assert "three-stars-5" in ids(clear(store, pid, "ch9-boss4", stars=3).effects.new_achievements)


def test_all_five_modes(store, pid):
    for mode in MODE_IDS[:-1]:
        clear(store, pid, "ch1-loop", mode=mode)
    assert "every-mode" not in store.unlocked_achievements(pid)
    assert "every-mode" in ids(clear(store, pid, "ch1-loop", mode=MODE_IDS[-1])
                               .effects.new_achievements)


def test_ten_in_a_row_is_broken_by_a_mistake(store, pid):
    for i in range(9):
        answer_question(store, pid, f"q{i}", True, now=NOW)
    answer_question(store, pid, "q9", False, now=NOW)
    for i in range(9):
        answer_question(store, pid, f"r{i}", True, now=NOW)
    assert "ten-in-a-row" not in store.unlocked_achievements(pid)
    outcome = answer_question(store, pid, "r9", True, now=NOW)
    assert "ten-in-a-row" in ids(outcome.new_achievements)


def test_streak_achievement_on_the_third_day(store, pid):
    for day in range(2):
        answer_question(store, pid, f"q{day}", True, now=NOW + timedelta(days=day))
    assert "streak-3" not in store.unlocked_achievements(pid)
    third = answer_question(store, pid, "q2", True, now=NOW + timedelta(days=2))
    assert "streak-3" in ids(third.new_achievements)


def test_metric_thresholds_with_a_small_catalogue(tmp_path, store, pid):
    catalogue = load_achievements(write_catalogue(
        tmp_path / "reviews.yaml", "{metric: reviews_done, at_least: 3}"))
    for _ in range(2):
        store.record_quiz_answer(pid, "q", True, kind="review", at=NOW)
    store.record_quiz_answer(pid, "q", True, kind="early", at=NOW)  # early does not count
    assert evaluate_achievements(store, pid, now=NOW, achievements=catalogue) == []
    store.record_quiz_answer(pid, "q", False, kind="review", at=NOW)
    assert ids(evaluate_achievements(store, pid, now=NOW, achievements=catalogue)) == {"a"}
    assert evaluate_achievements(store, pid, now=NOW, achievements=catalogue) == []


def test_cards_mastered_counts_long_intervals_only(tmp_path, store, pid):
    catalogue = load_achievements(write_catalogue(
        tmp_path / "mastered.yaml", "{metric: cards_mastered, at_least: 1}"))
    card = {"card_id": 1, "state": 2, "step": None, "stability": 30.0, "difficulty": 5.0,
            "last_review": "2025-03-01T00:00:00+00:00", "due": "2025-03-20T00:00:00+00:00"}
    store.put_card(pid, "short", card)
    assert evaluate_achievements(store, pid, now=NOW, achievements=catalogue) == []
    store.put_card(pid, "long", card | {"due": "2025-03-25T00:00:00+00:00"})
    assert ids(evaluate_achievements(store, pid, now=NOW, achievements=catalogue)) == {"a"}


def test_progress_view_lists_values_and_unlock_times(store, pid):
    clear(store, pid, "ch1-loop", stars=3)
    progress = {p.achievement.id: p for p in achievement_progress(store, pid, now=NOW)}
    assert progress["first-clear"].value == 1 and progress["first-clear"].unlocked_at is not None
    assert progress["xp-1000"].unlocked_at is None and 0 < progress["xp-1000"].value < 1000


# --- XP -----------------------------------------------------------------------------------

def test_level_curve():
    assert [level_for(x).level for x in (0, 99, 100, 299, 300, 600)] == [1, 1, 2, 2, 3, 4]
    assert level_for(150).xp_into_level == 50 and level_for(150).xp_for_next == 200


def test_attempt_xp_is_for_first_clears_and_new_stars_only(store, pid):
    first = clear(store, pid, "ch2-console", stars=1)
    assert first.effects.xp_gained == XP_RULES["level_first_clear"] + XP_RULES["level_new_star"]
    assert clear(store, pid, "ch2-console", stars=1).effects.xp_gained == 0  # replay: nothing
    better = clear(store, pid, "ch2-console", stars=3)
    assert better.effects.xp_gained == 2 * XP_RULES["level_new_star"]
    assert better.effects.leveled_up  # 50 + 20 + 40 = 110 XP reaches level 2
    assert clear(store, pid, "ch2-other", stars=0).effects.xp_gained == 0


def test_quiz_xp(store, pid):
    assert answer_question(store, pid, "q", False, now=NOW).xp_gained == XP_RULES["quiz_wrong"]


def test_a_broken_achievements_file_never_costs_the_answer(tmp_path, store, pid, monkeypatch):
    broken = write_catalogue(tmp_path / "broken.yaml", BAD_FILES["unknown metric"])
    monkeypatch.setattr(ach, "ACHIEVEMENTS_PATH", broken)
    monkeypatch.setattr(ach.load_achievements, "__defaults__", (broken,))
    outcome = answer_question(store, pid, "q", True, now=NOW)
    assert outcome.new_achievements == () and "broken.yaml" in outcome.effects.warnings[0]
    assert len(store.quiz_answers(pid)) == 1 and store.xp_total(pid) == XP_RULES["quiz_correct"]
