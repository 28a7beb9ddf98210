"""The sentence on `targets.goal` the terminal, the workbook and the chart show: whether and
when the counted coverage reaches it, in the run's language."""
from __future__ import annotations

import datetime as dt

from .labels import label, long_date
from .numbers import target_text


def goal_sentence(goal, reached_on: dt.date | None, met_before: bool, deadline: dt.date,
                  lang: str = "id") -> str | None:
    """One sentence on `targets.goal` (None when the scenario sets none); `met_before`: the
    coverage before the plan already reaches it."""
    if goal is None:
        return None
    share = target_text(goal, lang)  # `92,5 %` in Indonesian
    if reached_on is None:
        return label("goal_not_reached", lang).format(goal=share, date=long_date(deadline, lang))
    if met_before:
        return label("goal_met_before", lang).format(goal=share)
    return label("goal_reached", lang).format(goal=share, date=long_date(reached_on, lang))


def plan_goal_sentence(plan, lang: str = "id") -> str | None:
    """`goal_sentence` for a plan: when (or whether) its counted coverage reaches the goal;
    None without a goal or without any `eligible` count (no coverage to compare)."""
    sc = plan.scenario
    goal = sc.targets.goal
    before = plan.coverage()["before"]
    if goal is None or before is None:
        return None
    met_before = before >= float(goal)
    return goal_sentence(goal, plan.goal_reached_on, met_before, sc.calendar.deadline, lang)
