"""Property: on random campaigns mixing many rules (small ones, and a few of a few dozen
villages over weeks; with village closures too), `solve` returns its own plan (not the greedy
fallback that stands in for a plan failing the checker), the plan passes `planner.check`, and
no bound is below it."""
from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.baseline import plan_greedy
from planner.check import check
from planner.instance import Instance
from planner.solve import solve
from planner.solve.bound import upper_bound
from tests.conftest import make_scenario
from tests.solve.random_campaigns import mid_campaign, random_campaign, with_closures


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(rng=st.randoms(use_true_random=False))
def test_random_campaigns_get_checked_plans_within_their_bounds(rng: random.Random):
    checked_within_bounds(make_scenario(random_campaign(rng)))


@settings(max_examples=6, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(rng=st.randoms(use_true_random=False))
def test_mid_sized_random_campaigns_get_checked_plans_within_their_bounds(rng: random.Random):
    checked_within_bounds(make_scenario(mid_campaign(rng)))


@settings(max_examples=15, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(rng=st.randoms(use_true_random=False), mid=st.booleans())
def test_random_campaigns_with_closures_get_checked_plans(rng: random.Random, mid: bool):
    """The optimiser and the greedy plan keep off closed villages (the checker's
    `village_closed`); the optimiser still hands out its own plan."""
    scenario = make_scenario(with_closures((mid_campaign if mid else random_campaign)(rng), rng))
    checked_within_bounds(scenario)
    assert check(scenario, plan_greedy(scenario)) == []


def checked_within_bounds(scenario) -> None:
    plan = solve(scenario, time_limit=10, seed=0, deterministic=True, iterations=5)
    assert check(scenario, plan) == []
    assert "fallback" not in plan.solver["method"]
    bound = plan.solver.get("upper_bound")
    assert bound is None or float(plan.objective) <= bound + 1e-6
    assert float(plan.objective) <= upper_bound(Instance(scenario)) + 1e-6
