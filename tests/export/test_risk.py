"""`risk.png` in the run's language: the planner's month names on the date axis, whole days
on a short campaign, the deadline as a date is written, percentages with a decimal comma in
Indonesian."""
from __future__ import annotations

import matplotlib.text
import pytest

from planner.export import risk
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
