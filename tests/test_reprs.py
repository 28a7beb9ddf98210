"""planner/reprs.py: what a notebook shows for a scenario, plan, simulation or batch."""
from __future__ import annotations

import dataclasses

import planner
from planner.baseline import plan_greedy
from planner.many import DistrictResult, ManyPlans
from planner.plan import Plan, Route, Stop
from tests.conftest import SCENARIOS


def test_a_scenario_and_its_plan_show_their_figures_in_one_line():
    # the default reprs spelled out every village and route: 45,000 and 132,000 characters
    scenario = planner.load_scenario(SCENARIOS / "pesawaran-2018.yaml")
    plan = plan_greedy(scenario)
    assert repr(scenario) == str(scenario) == (
        "Scenario('Pesawaran jemput bola 2018', 2018-06-04 to 2018-11-18, 3 units, "
        f"144 villages, 65,928 unrecorded, source={scenario.source!r})")
    shown = repr(plan)
    assert shown.startswith("Plan('Pesawaran jemput bola 2018', ")
    visits = len(plan.visits)
    assert f"{visits} visits on {len(plan.routes)} unit-days" in shown
    assert f"counted {plan.counted:,}, objective {float(plan.objective):,.0f}" in shown
    assert len(shown) < 200 and "\n" not in shown


def test_a_plan_shows_its_gap_and_survives_a_village_the_scenario_lacks(tiny_scenario):
    stop = Stop("a", arrive=28800, start=28800, end=30000, recorded=10, travel_s=600)
    route = Route("U1", tiny_scenario.calendar.start, "weekday", 28200, 31000, (stop,), 1200)
    plan = Plan(tiny_scenario, (route,), solver={"status": "OPTIMAL", "upper_bound": 20.0})
    assert repr(plan) == ("Plan('tiny', 1 visit on 1 unit-day, counted 10, objective 10, "
                          "OPTIMAL, gap 50.0%; .visits, .days, .summary())")
    unknown = Plan(tiny_scenario, (dataclasses.replace(route, stops=(
        dataclasses.replace(stop, village_id="nowhere"),)),))
    assert "naming villages the scenario does not have" in repr(unknown)  # no KeyError


def test_a_simulation_shows_its_spread_and_the_goal_chance(tiny_scenario):
    scenario = tiny_scenario.replace(targets={"goal": 0.95})
    simulation = planner.simulate(scenario, plan_greedy(scenario), runs=20, seed=0)
    shown = repr(simulation)
    assert shown.startswith("Simulation(20 runs, seed 0, counted mean ")
    assert "coverage mean " in shown and "goal reached in " in shown
    assert len(shown) < 250
    # 4 runs of 100,000 short of the goal showed "goal reached in 100.0% of runs"
    almost = dataclasses.replace(simulation, figures={**simulation.figures,
                                                      "goal_probability": 0.99996})
    assert "goal reached in > 99.9% of runs" in repr(almost)
    # coverage rounded down, as risk.png's legend has it: Kotim's P90 0.76739 read 76.74%
    # here and 76.73 % there; a P10 of 0.919996 read 92.00% against a 92 % goal
    close = dataclasses.replace(simulation, figures={**simulation.figures, "coverage": {
        "mean": 0.765159, "p10": 0.919996, "p50": 0.765175, "p90": 0.76739}})
    assert "(P10 91.99%, P90 76.73%)" in repr(close)


def test_a_batch_names_its_districts_planned_and_failed(tiny_scenario):
    plan = plan_greedy(tiny_scenario)
    many = ManyPlans([DistrictResult("tiny", None, tiny_scenario, plan, rendered=("x" * 10**5,)),
                      DistrictResult("gone", "gone.yaml", errors=("gone.yaml:1: (file): no "
                                                                  "such file",))])
    assert repr(many) == ("ManyPlans(1 planned: tiny; 1 failed: gone (see .errors); "
                          ".plans, .summary)")
    assert len(repr(many.results[0])) < 1000  # the drawn files are not shown
