"""A lab note tells, where a slot exited on hardware without tagged TLBs, how many page walks the
run made per exit (the lesson of ch12-tagged-tlb), quoting the run's own events."""

from __future__ import annotations

from virtquest.content.level_loader import load_levels
from virtquest.game.play import play

LEVEL = load_levels().get("ch12-tagged-tlb")
CHOICES = {"ask": "cpu", "touch": "cpu", "report": "hypervisor"}


def note(result, label):
    return next(s for s in result.slots if s.label == label).notes[0]


def test_an_exit_on_hardware_without_vpid_tells_the_walks_per_exit():
    assert LEVEL.cost_profile().vpid is False
    result = play(LEVEL, CHOICES)
    events = result.runs[0].result.events
    per_exit = round(events["tlb_misses"] / events["vm_exits"], 1)
    for label in ("ask", "report"):
        said = note(result, label)
        assert said.values["walks_per_exit"] == per_exit
        assert f"{events['tlb_misses']} times, {per_exit} per exit" in said.text["en"]
        assert f"페이지 워크는 {events['tlb_misses']}번" in said.text["ko"]
        assert "VPID" in said.text["ko"]
    assert "VPID" not in note(result, "touch").text["en"], "the store did not exit"


def test_with_vpid_the_note_says_nothing_of_flushes():
    tagged = LEVEL.model_copy(update={"hardware": LEVEL.hardware.model_copy(
        update={"vpid": None})})
    assert tagged.cost_profile().vpid is True
    result = play(tagged, CHOICES)
    assert "tlb_flushes" not in result.runs[0].result.events
    assert all("VPID" not in note(result, label).text["en"] for label in CHOICES)
