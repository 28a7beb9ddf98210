"""Short one-line reprs of the library's results, for notebooks (DESIGN §5).

A notebook cell ending in `plan`, `scenario`, `planner.solve_many(...)` or
`planner.simulate(...)` shows its repr. The default reprs of the dataclasses and pydantic
models spell out every route, village and figure (a Pesawaran plan ran to 130,000
characters); these say what the object is and its headline figures, and point to the
attributes that hold the rest.
"""
from __future__ import annotations

import math
from typing import Any


def scenario_repr(scenario) -> str:
    """Name, horizon, units, villages and backlog; the file it came from."""
    calendar = scenario.calendar
    backlog = sum(v.unrecorded for v in scenario.villages)
    source = f", source={scenario.source!r}" if scenario.source else ""
    return (f"Scenario({scenario.name!r}, {calendar.start} to {calendar.deadline}, "
            f"{_count(len(scenario.units), 'unit')}, {_count(len(scenario.villages), 'village')}, "
            f"{backlog:,} unrecorded{source})")


def plan_repr(plan) -> str:
    """Visits and unit-days; counted and weighted recordings; the solver's status and gap."""
    visits = sum(len(route.stops) for route in plan.routes)
    parts = [repr(plan.scenario.name),
             f"{_count(visits, 'visit')} on {_count(len(plan.routes), 'unit-day')}"]
    objective = None
    try:
        objective = float(plan.objective)
        parts.append(f"counted {plan.counted:,}, objective {objective:,.0f}")
    except (KeyError, ValueError):  # a village the scenario lacks: `planner.check` names it
        parts.append("naming villages the scenario does not have")
    if plan.solver.get("status"):
        parts.append(str(plan.solver["status"]))
    bound = plan.solver.get("upper_bound")
    if bound and objective is not None:
        parts.append(f"gap {(float(bound) - objective) / float(bound):.1%}")
    return f"Plan({', '.join(parts)}; .visits, .days, .summary())"


def simulation_repr(simulation) -> str:
    """Runs and seed; counted recordings and coverage, mean and P10-P90; the goal's chance."""
    figures: dict[str, Any] = simulation.figures
    counted = figures.get("counted") or {}
    parts = [f"{figures.get('runs')} runs, seed {figures.get('seed')}"]
    if counted:
        parts.append(f"counted mean {counted['mean']:,.0f} "
                     f"(P10 {counted['p10']:,.0f}, P90 {counted['p90']:,.0f})")
    coverage = figures.get("coverage")
    if coverage:
        parts.append(f"coverage mean {_down(coverage['mean'])} "
                     f"(P10 {_down(coverage['p10'])}, P90 {_down(coverage['p90'])})")
    if figures.get("goal_probability") is not None:
        parts.append(f"goal reached in {_share_of_runs(figures['goal_probability'])} of runs")
    return f"Simulation({', '.join(parts)}; .figures, .runs)"


def _down(share: float) -> str:
    """A coverage to two decimals, rounded down as every coverage the planner shows (risk.png's
    legend, the table): a P10 just under a 92 % goal never reads `92.00%`."""
    return f"{math.floor(share * 10000 + 1e-9) / 100:.2f}%"


def _share_of_runs(p: float) -> str:
    """`99.7%`; `100.0%` and `0.0%` only when every run or none, `> 99.9%` and `< 0.1%` for
    what would round to them (as `export.chance.chance_text`, which this layer cannot import)."""
    text = f"{p:.1%}"
    if text == "100.0%" and p < 1:
        return "> 99.9%"
    if text == "0.0%" and p > 0:
        return "< 0.1%"
    return text


def many_repr(many) -> str:
    """The districts planned and those that failed, by name."""
    planned = [r.name for r in many.results if r.ok]
    failed = [r.name for r in many.results if not r.ok]
    parts = [f"{len(planned)} planned: {', '.join(planned) or '-'}"]
    if failed:
        parts.append(f"{len(failed)} failed: {', '.join(failed)} (see .errors)")
    return f"ManyPlans({'; '.join(parts)}; .plans, .summary)"


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"
