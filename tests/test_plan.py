"""planner/plan.py: what `help()` says of the Plan a notebook reads."""
from __future__ import annotations

import inspect

import pytest

from planner.plan import Plan


def test_the_tables_and_figures_a_notebook_reads_say_what_they_hold():
    # help(Plan.visits), help(Plan.days), counted and objective said nothing
    for name in ("visits", "days", "counted", "objective", "summary", "is_feasible"):
        assert inspect.getdoc(getattr(Plan, name)), name
    assert "YYYY-MM-DD" in Plan.visits.__doc__
    assert '"true"' in Plan.days.__doc__  # overtime is the text of days.csv, not a bool


def test_summary_names_a_language_it_does_not_write(tiny_scenario):
    # "fr" was KeyError: 'fr' from causes.py where a village is left out, else accepted
    plan = Plan(tiny_scenario, ())
    with pytest.raises(ValueError, match="^summary: lang 'fr'; expected 'id'"):
        plan.summary(lang="fr")
    english, indonesian = (plan.summary(lang)["left_out"][0]["reason"] for lang in ("en", "id"))
    assert english != indonesian
