"""The comparison chart stacks each mode's cycles by breakdown category."""

from __future__ import annotations

import pytest

from virtquest.emu.costs import CATEGORIES
from virtquest.game.sandbox_model import run_everywhere
from virtquest.gui.qt_compare import CompareChart

PROGRAM = """\
kernel_main:
    mov ecx, 5
again:
    mov eax, 'x'
    out 0xE9, eax
    loop again
    mov eax, 0
    ret
"""


@pytest.fixture(scope="module")
def report():
    return run_everywhere(PROGRAM, file="compare.s")


def test_one_bar_set_per_category_and_one_bar_per_mode(qtbot, report):
    chart = CompareChart(report.runs)
    qtbot.addWidget(chart)
    assert list(chart.sets) == list(CATEGORIES)
    series = chart.chart.series()
    assert len(series) == 1 and series[0].count() == len(CATEGORIES)
    ordered = list(reversed(report.runs))
    for key, bar_set in chart.sets.items():
        assert bar_set.count() == len(report.runs)
        assert [bar_set.at(i) for i in range(bar_set.count())] == [
            float(run.result.breakdown[key]) for run in ordered]


def test_bars_add_up_to_each_modes_cycles(qtbot, report):
    chart = CompareChart(report.runs)
    qtbot.addWidget(chart)
    for i, run in enumerate(reversed(report.runs)):
        assert sum(s.at(i) for s in chart.sets.values()) == run.result.cycles


def test_legend_and_labels_name_what_was_spent(qtbot, report):
    chart = CompareChart(report.runs, language="ko")
    qtbot.addWidget(chart)
    used = chart.used_categories()
    assert "guest" in used and "trap" in used and "idle" not in used
    assert chart.category_label("trap").replace(" ", "&nbsp;") in chart.legend.text()
    axis_labels = chart.chart.axes()[0].categories()
    assert any("×" in label for label in axis_labels)
    assert "전가상화" in chart.view.toolTip()


def test_without_runs_it_says_what_to_do(qtbot):
    chart = CompareChart([])
    qtbot.addWidget(chart)
    assert not chart.empty.isHidden() and chart.view.isHidden()
