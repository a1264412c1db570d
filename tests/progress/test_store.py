"""The store keeps what it is given: profiles, attempts, answers, cards, XP, days, settings."""

from __future__ import annotations

import threading
import time

import pytest

from tests.progress.conftest import KST, MOMENT
from virtquest.emu.errors import VirtQuestError
from virtquest.progress.errors import ProgressError
from virtquest.progress.paths import DATABASE_FILENAME, HOME_ENV_VAR, data_dir, database_path
from virtquest.progress.store import DEFAULT_PROFILE_NAME, open_store


def test_data_directory_follows_virtquest_home(tmp_path, monkeypatch):
    monkeypatch.setenv(HOME_ENV_VAR, str(tmp_path / "elsewhere"))
    assert data_dir() == tmp_path / "elsewhere"
    assert database_path() == tmp_path / "elsewhere" / DATABASE_FILENAME


def test_without_virtquest_home_the_user_data_directory_is_used(monkeypatch):
    monkeypatch.delenv(HOME_ENV_VAR)
    assert "virtquest" in str(data_dir()).lower()


def test_first_open_creates_the_database_and_a_default_profile(db_path):
    assert not db_path.exists()
    with open_store() as store:
        assert store.path == db_path and db_path.exists()
        assert store.warnings == ()
        profiles = store.list_profiles()
    assert [(p.name, p.current) for p in profiles] == [(DEFAULT_PROFILE_NAME, True)]


def test_connection_is_wal_full_sync_with_foreign_keys(store):
    pragma = lambda name: store.db.execute(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
    assert pragma("journal_mode") == "wal"
    assert pragma("synchronous") == 2  # FULL
    assert pragma("foreign_keys") == 1


def test_profiles_create_switch_rename_delete(store):
    first = store.current_profile_id()
    second = store.create_profile("  김민지 ")
    assert store.profile(second).name == "김민지"
    assert store.current_profile_id() == first  # creating does not switch
    store.switch_profile(second)
    assert store.current_profile_id() == second
    store.rename_profile(second, "Minji")
    assert [p.name for p in store.list_profiles()] == [DEFAULT_PROFILE_NAME, "Minji"]
    store.delete_profile(second)
    assert store.current_profile_id() == first


def test_deleting_the_last_profile_brings_back_a_default(store):
    only = store.current_profile_id()
    store.delete_profile(only)
    assert [p.name for p in store.list_profiles()] == [DEFAULT_PROFILE_NAME]
    assert store.current_profile_id() != only


@pytest.mark.parametrize("name", ["", "   ", "a" * 65, "tab\there", 7])
def test_bad_profile_names_are_refused(store, name):
    with pytest.raises(ProgressError):
        store.create_profile(name)


def test_profile_names_are_unique_and_unknown_ids_refused(store):
    store.create_profile("kim")
    with pytest.raises(ProgressError, match="already exists"):
        store.create_profile("kim")
    with pytest.raises(ProgressError, match="no profile"):
        store.switch_profile(999)
    assert issubclass(ProgressError, VirtQuestError)


def test_current_profile_survives_reopening(db_path):
    with open_store() as store:
        chosen = store.create_profile("second")
        store.switch_profile(chosen)
    with open_store(db_path) as store:
        assert store.current_profile_id() == chosen


def test_attempts_round_trip_and_best_result_is_most_stars_then_fewest_cycles(store):
    pid = store.current_profile_id()
    first = store.record_attempt(pid, "ch2-console", {"out": "hypervisor"}, "trap-emulate",
                                 9000, 1, 12.5, at=MOMENT)
    assert first.first_clear and first.new_best and first.previous_best_stars is None
    worse = store.record_attempt(pid, "ch2-console", {"out": "cpu"}, "trap-emulate", 99, 0)
    assert not worse.new_best and not worse.first_clear
    better = store.record_attempt(pid, "ch2-console", {"out": "guest"}, "paravirt", 4000, 3)
    assert better.new_best and better.previous_best_stars == 1 and not better.first_clear
    same_stars_fewer_cycles = store.record_attempt(pid, "ch2-console", {}, "paravirt", 3500, 3)
    assert same_stars_fewer_cycles.new_best

    best = store.best_results(pid)["ch2-console"]
    assert (best.stars, best.cycles, best.attempt_id) == (3, 3500, same_stars_fewer_cycles.attempt_id)
    assert best.first_cleared_at == MOMENT  # kept from the first clear
    attempts = store.attempts(pid, "ch2-console")
    assert attempts[0].choices == {"out": "hypervisor"} and attempts[0].seconds == 12.5
    assert attempts[0].at == MOMENT and attempts[0].at.utcoffset().total_seconds() == 0
    assert store.modes_played(pid) == {"trap-emulate", "paravirt"}
    assert store.count_attempts(pid) == 4


def test_an_unsolved_level_has_a_best_result_but_is_not_cleared(store):
    pid = store.current_profile_id()
    recorded = store.record_attempt(pid, "ch1-loop", {}, "native", 100, 0)
    assert not recorded.first_clear
    assert not store.best_results(pid)["ch1-loop"].cleared
    assert store.record_attempt(pid, "ch1-loop", {}, "native", 100, 2).first_clear


@pytest.mark.parametrize("change", [
    {"mode": "warp-drive"}, {"cycles": -1}, {"stars": 4}, {"stars": True},
    {"seconds": float("nan")}, {"seconds": 10**400}, {"level_id": "../../etc"}, {"choices": {"s": "gpu"}},
])
def test_bad_attempts_are_refused_and_nothing_is_written(store, change):
    pid = store.current_profile_id()
    args = {"level_id": "ch1-loop", "choices": {}, "mode": "native", "cycles": 1, "stars": 1,
            "seconds": None} | change
    with pytest.raises(ProgressError):
        store.record_attempt(pid, **args)
    assert store.attempts(pid) == [] and store.best_results(pid) == {}


def test_quiz_answers_round_trip(store):
    pid = store.current_profile_id()
    store.record_quiz_answer(pid, "trap.steps", True, answer=["trap", "exit", "emulate"],
                             kind="new", rating=3, seconds=4.0, at=MOMENT)
    store.record_quiz_answer(pid, "trap.steps", False, answer={"B", "A"}, kind="review")
    answers = store.quiz_answers(pid, "trap.steps")
    assert [a.correct for a in answers] == [True, False]
    assert answers[0].answer == ["trap", "exit", "emulate"] and answers[0].at == MOMENT
    assert answers[1].answer == ["A", "B"]  # a set of picks is kept as a sorted list
    assert store.count_quiz_answers(pid, correct=True) == 1
    assert store.count_quiz_answers(pid, kind="review") == 1
    with pytest.raises(ProgressError):
        store.record_quiz_answer(pid, "q", True, answer=object())


def test_cards_xp_days_and_achievements_round_trip(store):
    pid = store.current_profile_id()
    card = {"card_id": 1, "state": 2, "step": None, "stability": 3.0, "difficulty": 5.0,
            "due": "2025-03-05T00:00:00+00:00", "last_review": "2025-03-02T00:00:00+00:00"}
    store.put_card(pid, "q1", card, flagged_by="popf")
    record = store.get_card(pid, "q1")
    assert record.card == card and record.flagged_by == "popf"
    assert record.due.isoformat() == "2025-03-05T00:00:00+00:00"
    assert store.get_card(pid, "q2") is None

    store.add_xp(pid, 10, "quiz_correct", ref="question:q1", at=MOMENT)
    store.add_xp(pid, 50, "level_first_clear")
    assert store.xp_total(pid) == 60 and [e.amount for e in store.xp_events(pid)] == [10, 50]
    with pytest.raises(ProgressError):
        store.add_xp(pid, -5, "cheat")

    assert store.mark_active_day(pid, MOMENT) is True
    assert store.mark_active_day(pid, MOMENT.replace(hour=23)) is False  # same local day
    [day] = store.active_days(pid)
    assert (day.day.isoformat(), day.utc_offset_minutes) == ("2025-03-03", 540)

    assert store.unlock_achievement(pid, "first-run", MOMENT) is True
    assert store.unlock_achievement(pid, "first-run", MOMENT) is False
    assert store.unlocked_achievements(pid) == {"first-run": MOMENT}


def test_settings_have_defaults_are_validated_and_per_profile(store):
    first = store.current_profile_id()
    second = store.create_profile("other")
    assert store.settings(first) == {"language": "system", "theme": "system", "font_scale": 1.0,
                                     "lab_tour": "new"}
    store.set_setting(first, "language", "ko")
    store.set_setting(first, "theme", "dark")
    store.set_setting(first, "font_scale", 2)
    assert store.settings(first) == {"language": "ko", "theme": "dark", "font_scale": 2.0,
                                     "lab_tour": "new"}
    assert store.get_setting(second, "language") == "system"
    for key, value in (("language", "fr"), ("theme", 3), ("font_scale", 10), ("volume", 1),
                       ("font_scale", True)):
        with pytest.raises(ProgressError):
            store.set_setting(first, key, value)


def test_a_transaction_commits_all_or_nothing(store):
    pid = store.current_profile_id()
    with pytest.raises(RuntimeError), store.transaction():
        store.add_xp(pid, 10, "quiz_correct")
        store.record_attempt(pid, "ch1-loop", {}, "native", 1, 1)
        raise RuntimeError("power cut")
    assert store.xp_total(pid) == 0 and store.attempts(pid) == []


def test_deleting_a_profile_deletes_its_rows(store):
    pid = store.create_profile("leaving")
    store.record_attempt(pid, "ch1-loop", {}, "native", 1, 1)
    store.add_xp(pid, 5, "quiz_correct")
    store.mark_active_day(pid, MOMENT)
    store.delete_profile(pid)
    for table in ("attempts", "best_results", "xp_events", "daily_activity"):
        assert store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0


def test_naive_times_are_refused(store):
    pid = store.current_profile_id()
    with pytest.raises(ValueError):
        store.mark_active_day(pid, MOMENT.replace(tzinfo=None))
    assert KST.utcoffset(None).total_seconds() == 9 * 3600


def test_a_second_writer_waits_for_the_first_instead_of_failing(store):
    pid = store.current_profile_id()
    done: list[bool] = []

    def other_process_like_writer():
        with open_store() as second:
            second.add_xp(pid, 1, "quiz_wrong")
            done.append(True)

    with store.transaction():
        store.add_xp(pid, 1, "quiz_wrong")
        writer = threading.Thread(target=other_process_like_writer)
        writer.start()
        time.sleep(0.2)
        assert not done  # blocked on the write lock, not failed
    writer.join(timeout=10)
    assert done and store.xp_total(pid) == 2
