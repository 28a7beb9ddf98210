"""The route pool (`solve/pool.py`)."""
from __future__ import annotations

from planner.instance import Instance
from planner.solve.drafts import Draft
from planner.solve.pool import RoutePool, every_route


def test_every_route_of_a_tiny_day(tiny_scenario):
    inst = Instance(tiny_scenario)
    routes = every_route(inst, most_routes=100, most_villages=10)
    assert set(routes) == {(0, d) for d in range(len(inst.days))}
    assert {frozenset(seq) for seq in routes[(0, 0)]} == {
        frozenset({0}), frozenset({1}), frozenset({0, 1})}
    assert every_route(inst, most_routes=100, most_villages=1) is None  # 2 candidates > 1
    assert every_route(inst, most_routes=5, most_villages=10) is None  # 4 per day x 5 days


def test_the_incumbent_always_gets_in(tiny_scenario):
    pool = RoutePool(Instance(tiny_scenario), per_unit_day=1)
    pool.add([Draft(0, 0, (1,)), Draft(0, 0, (2,))])
    assert pool.routes == {(0, 0): {(1,)}}  # full at one route
    pool.add_incumbent([Draft(0, 0, (3,))])
    assert pool.routes == {(0, 0): {(1,), (3,)}}
    assert not pool.exhaustive
