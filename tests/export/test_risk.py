"""`risk.png` in the run's language: the planner's month names on the date axis, whole days
on a short campaign, the deadline as a date is written, percentages with a decimal comma in
Indonesian."""
from __future__ import annotations

import dataclasses

import matplotlib.text
import pytest

from planner.export import risk
from planner.export.chart_format import share_text
from planner.simulate import simulate


@pytest.fixture
def sim(geo_scenario, geo_plan):
    return simulate(geo_scenario, geo_plan, runs=60, seed=2)


def _texts(fig) -> list[str]:
    fig.canvas.draw()
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_text()]


def _date_ticks(fig) -> list[str]:
    fig.canvas.draw()
    return [t.get_text() for t in fig.axes[1].get_xticklabels() if t.get_text()]


def test_a_short_campaign_is_dated_in_the_runs_language_on_whole_days(sim, geo_scenario):
    """Monday 4 to Friday 8 March 2024: a tick a day, none at 12:00, no ISO dates."""
    fig = risk.build(sim, geo_scenario, "id")
    assert _date_ticks(fig) == ["3 Mar\n2024", "4 Mar", "5 Mar", "6 Mar", "7 Mar", "8 Mar",
                                "9 Mar"]
    texts = _texts(fig)
    assert "Batas waktu 8 Maret 2024" in texts
    assert not [t for t in texts if ":" in t or "2024-" in t]
    assert "Deadline 8 March 2024" in _texts(risk.build(sim, geo_scenario, "en"))


def test_month_names_are_the_planners_own(sim, geo_scenario):
    long = geo_scenario.replace(calendar={**geo_scenario.calendar.model_dump(),
                                          "deadline": "2024-10-31"})
    fig = risk.build(sim, long, "id")
    ticks = _date_ticks(fig)
    assert {"Agu", "Okt"} <= set(ticks) and "Aug" not in ticks and "Oct" not in ticks
    assert "Batas waktu 31 Oktober 2024" in _texts(fig)


def test_percentages_with_a_decimal_comma_in_indonesian(sim, geo_scenario):
    fig = risk.build(sim, geo_scenario, "id")
    texts = _texts(fig)
    p10 = sim.figures["coverage"]["p10"]
    assert f"P10 {int(p10 * 10000) // 100},{int(p10 * 10000) % 100:02d} %" in texts
    # the curve is the whole district's counted coverage (an offline village's recordings on
    # the day its cards come): "Peluang mencapai sasaran 92 % sampai tanggal ini" said neither
    assert "Sasaran 92 %" in texts and ("Peluang mencapai sasaran 92 % sampai tanggal ini\n"
                                        "(cakupan terhitung seluruh kabupaten)") in texts
    ticks = [t.get_text() for ax in fig.axes for t in ax.get_xticklabels() + ax.get_yticklabels()]
    assert "100 %" in ticks and not [t for t in ticks if "%" in t and "." in t]
    en = _texts(risk.build(sim, geo_scenario, "en"))
    assert ("Chance of reaching the 92 % goal by each date\n(the whole district's counted "
            "coverage)") in en and "Goal 92 %" in en


def test_a_coverage_axis_without_a_goal_is_in_percent(sim, geo_scenario):
    # the spread of the coverage is a share of the eligible residents, with a goal or not
    fig = risk.build(dataclasses.replace(sim, goal=None), geo_scenario, "en")
    fig.canvas.draw()
    assert all(t.get_text().endswith(" %") for t in fig.axes[0].get_xticklabels()
               if t.get_text())



@pytest.mark.filterwarnings("ignore:targets.goal")  # the blind scenario keeps its targets
def test_the_spread_shows_the_plans_own_figure_beside_the_runs(geo_scenario, geo_plan, sim):
    # Pesawaran: the table said 91.0 % after, the histogram 90.21-90.56 % with nothing marking
    # the plan's 91.07 %, so the runs' shortfall could not be seen on risk.png alone
    summary = geo_plan.summary()
    texts = _texts(risk.build(sim, geo_scenario, "en"))
    assert f"Plan {share_text(summary['coverage_after'], 'en', 2)}" in texts
    assert f"Rencana {share_text(summary['coverage_after'], 'id', 2)}" in \
        _texts(risk.build(sim, geo_scenario, "id"))
    # no village knows `eligible`: the plan's weighted counted recordings
    blind = geo_scenario.replace(villages=[
        v.replace(unrecorded=v.unrecorded, eligible=None, recorded=None)
        for v in geo_scenario.villages])
    weighted = risk.build(simulate(blind, dataclasses.replace(geo_plan, scenario=blind), runs=20),
                          blind, "en")
    assert f"Plan {float(summary['objective']):,.0f}" in _texts(weighted)
