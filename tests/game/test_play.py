"""The assignment game: legal choices and their lock reasons, defaults, a play's verdicts and
stars, per-slot explanations drawn from the run's own events, and mistakes as review cards."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from virtquest.content.level_loader import load_levels
from virtquest.game.assessment import stars_for
from virtquest.game.play import play
from virtquest.game.record import record_play, schedule_mistakes
from virtquest.game.rules import LabError, complete, default_assignment, slot_rules
from virtquest.progress.store import open_store

LEVELS = load_levels()


def level(level_id):
    return LEVELS.get(level_id)


def test_locked_choices_come_with_reasons_in_both_languages():
    rules = slot_rules(level("ch1-hot-loop"))
    assert rules["hot"].site.iclass == "innocuous"
    assert rules["hot"].legal() == ["cpu", "hypervisor"]
    reason = rules["hot"].locks["guest"]
    assert "nothing to change" in reason["en"] and "바꿀 것이 없습니다" in reason["ko"]
    assert rules["print"].site.instruction.startswith("out")
    assert "cannot be modified" in rules["print"].locks["guest"]["en"]


def test_guest_needs_a_modifiable_guest_and_a_guest_form():
    assert "guest" in slot_rules(level("ch5-console-hypercall"))["emit"].legal()
    assert "guest" not in slot_rules(level("ch5-closed-source"))["emit"].legal()


def test_sensitive_hypervisor_is_locked_in_trap_emulate_but_not_in_bt():
    assert slot_rules(level("ch3-popf"))["restore"].locks["hypervisor"] is not None
    assert slot_rules(level("ch4-popf-translated"))["restore"].locks["hypervisor"] is None


def test_defaults_and_bad_assignments():
    lv = level("ch3-popf")
    assert default_assignment(lv)["restore"] == "cpu"          # the level's own default
    assert default_assignment(lv)["off"] == "hypervisor"       # safe by default
    with pytest.raises(LabError, match="did you mean 'restore'"):
        complete(lv, {"restor": "cpu"})
    with pytest.raises(LabError, match="locked"):
        complete(lv, {"restore": "hypervisor"})
    with pytest.raises(LabError, match="not a choice"):
        complete(lv, {"restore": "gpu"})


def test_popf_on_the_cpu_breaks_equivalence_and_says_why():
    result = play(level("ch3-popf"), {"restore": "cpu", "peek": "guest"})
    assert not result.equivalent and result.stars == 0
    note = next(s for s in result.slots if s.label == "restore").notes[0]
    assert note.broke == "equivalence"
    assert "POPF ran on the CPU at ring 1" in note.text["en"]
    assert "POPF" in note.text["ko"] and "무시" in note.text["ko"]
    assert [(m.slot, m.concept, m.reason) for m in result.mistakes] == [
        ("restore", "popf-ring1", "equivalence")]


def test_explanations_quote_the_runs_own_events():
    result = play(level("ch1-hot-loop"), {"hot": "hypervisor", "print": "cpu"})
    run = result.runs[0]
    hot, printed = result.slots
    assert hot.count == 300 and hot.notes[0].evidence == "emulated_each"
    assert hot.notes[0].values["emulated"] == run.result.events["emulated"] >= 300
    assert f"{run.result.events['emulated']} emulations" in hot.notes[0].text["en"]
    assert printed.notes[0].evidence == "refused_trapped"
    assert printed.notes[0].values["traps"] == run.result.events["traps"]
    assert ("hot", "efficiency", "efficiency") in [
        (m.slot, m.concept, m.reason) for m in result.mistakes]


def test_io_left_to_the_cpu_under_hav_breaks_containment():
    result = play(level("ch6-io-containment"), {"emit": "cpu"})
    assert not result.contained and result.stars == 0
    note = next(s for s in result.slots if s.label == "emit").notes[0]
    assert note.broke == "containment" and "real device" in note.text["en"]


def test_the_right_assignment_earns_three_stars():
    result = play(level("ch5-shared-flag"), {"off": "guest", "bump": "cpu", "on": "guest"})
    assert result.equivalent and result.contained and result.stars == 3
    assert result.mistakes == []
    assert result.verdict_json()["stars"] == 3


def test_stars_by_thresholds_and_by_par():
    lv = level("ch1-hot-loop")
    assert [stars_for(lv, x, True) for x in (2.0, 5.0, 50.0)] == [3, 2, 1]
    assert stars_for(lv, 1.0, False) == 0
    par_level = level("ch3-popf")
    assert stars_for(par_level, 2.0, True, par=2.0) == 3
    assert stars_for(par_level, 2.9, True, par=2.0) == 2


def test_mistakes_schedule_their_concept_cards_and_attempts_are_recorded():
    result = play(level("ch3-popf"), {"restore": "cpu", "peek": "guest"})
    store = open_store()
    pid = store.current_profile_id()
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    flagged = schedule_mistakes(store, pid, result, now=now)
    assert flagged, "popf-ring1 has quiz questions"
    outcome = record_play(store, pid, result, 12.0, now=now)
    assert outcome.recorded is not None
