"""The LP bound (`solve/bound.py`): it charges travel, keeps big visits to their own visit
count, and is never below the brute-force optimum."""
from __future__ import annotations

import copy
import itertools

import numpy as np
import pytest

from planner.check import check
from planner.instance import Instance
from planner.solve import solve
from planner.solve.bound import detour_costs, upper_bound
from tests.conftest import make_scenario
from tests.solve.cases import BASE, brute_force, mixed_units


def test_bound_counts_travel_time():
    """One far village: the bound is the round trip's worth of people, not the backlog."""
    data = copy.deepcopy(BASE)
    data["calendar"]["deadline"] = "2024-01-04"
    # 20 km away: 40 min each way; 2 h shift - 80 min travel - 10 min setup = 3 people.
    data["villages"] = [{"id": "far", "x": 20, "y": 0, "unrecorded": 100}]
    scenario = make_scenario(data)
    plan = solve(scenario, time_limit=5, deterministic=True, iterations=5)
    assert plan.counted == 3
    assert plan.solver["upper_bound"] == pytest.approx(3, abs=1e-3)
    assert plan.solver["status"] == "OPTIMAL"


def test_a_unit_whose_crew_is_more_than_the_staff_adds_nothing_to_the_bound():
    """U1 (crew 2) with weekday staff 1 and no weekend staff may never go out, so nothing can
    be recorded; the LP let it out for half a day (staff / crew) and the gap read 100 %."""
    data = copy.deepcopy(BASE)
    data["villages"] = [{"id": "a", "x": 3, "y": 4, "unrecorded": 40}]
    data["staff"] = {"weekday": 1, "weekend": 1}
    with pytest.warns(UserWarning, match="can never go out"):
        scenario = make_scenario(data)
    assert upper_bound(Instance(scenario)) == pytest.approx(0, abs=1e-6)
    plan = solve(scenario, time_limit=5, deterministic=True, iterations=5)
    assert plan.counted == 0 and plan.solver["status"] == "OPTIMAL"


def test_bound_big_visits_do_not_borrow_the_small_units_visit_count():
    """Backlog 100, turnout 0.5, three weekdays, one visit a day. The 2-kit unit B (out two
    days) can record 50 per visit; S, based 25 km away, has 10 min left to record: 5 people.
    Best: B 50, B 25, S 5 = 80. The plain envelope allows f(3) = 50 + 25 + 13 = 88, with B's
    two visits taking 83 of it; the nested envelope holds B's visits to f(2) = 75: 75 + 5."""
    data = copy.deepcopy(BASE)
    data["calendar"] = {"start": "2024-01-03", "deadline": "2024-01-05", "holidays": "none"}
    data["recording"] = {"minutes_per_person": 2, "setup_minutes": 10, "turnout": 0.5}
    data["places"] = [{"id": "base", "x": 0, "y": 0}, {"id": "far", "x": 26, "y": 0}]
    data["units"] = [{"id": "B", "base": "base", "kits": 2, "crew": 1,
                      "unavailable": ["2024-01-05"]},
                     {"id": "S", "base": "far", "kits": 1, "crew": 1}]
    data["villages"] = [{"id": "v", "x": 1, "y": 0, "unrecorded": 100}]
    scenario = make_scenario(data)
    assert brute_force(scenario) == 80
    assert upper_bound(Instance(scenario)) == 80
    plan = solve(scenario, time_limit=5, deterministic=True, iterations=10)
    assert check(scenario, plan) == [] and plan.counted == 80


@pytest.mark.parametrize("seed", range(16))
def test_bound_never_below_the_optimum_with_mixed_units(seed):
    scenario = mixed_units(seed)
    assert upper_bound(Instance(scenario)) >= brute_force(scenario) - 1e-6


@pytest.mark.parametrize("seed", range(6))
def test_every_day_route_travels_at_least_its_farthest_round_trip_and_the_detours(seed):
    """`detour_costs` for days from any of two starts to any of two ends (a unit that may
    stay away): every route over every subset of five villages, in every order, travels at
    least the farthest village's least round trip plus the other villages' detours."""
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 100, size=(8, 2))  # 0, 1 starts; 1, 2 ends (1 both); 3-7 villages
    m = np.ceil(np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))).astype(int)
    starts, ends, nodes = np.array([0, 1]), np.array([1, 2]), np.arange(3, 8)
    rt = (m[np.ix_(starts, nodes)].min(axis=0) + m[np.ix_(nodes, ends)].min(axis=1)).astype(float)
    detours = detour_costs(m, starts, ends, nodes, rt)
    assert detours.sum() > 0  # the credit is real, not all zeros
    for size in range(1, 6):
        for subset in itertools.combinations(range(5), size):
            far = max(subset, key=lambda i: rt[i])
            least = rt[far] + sum(detours[i] for i in subset if i != far)
            for order in itertools.permutations(subset):
                inner = sum(m[nodes[a], nodes[b]] for a, b in zip(order, order[1:]))
                route = min(m[s, nodes[order[0]]] for s in starts) + inner + min(
                    m[nodes[order[-1]], e] for e in ends)
                assert route >= least - 1e-9
