"""`bench/repartition.py`: a unit's visits re-partitioned over its days in hand-checkable cases
(crossed days uncrossed, never a village twice a day, a village only on days where it
counts), and a plan's days and travel read back whole."""
from __future__ import annotations

import copy

from bench.repartition import UnitDays, repartition, unit_days
from planner.instance import Instance
from planner.solve import solve
from planner.solve.drafts import route_travel
from tests.conftest import make_scenario
from tests.solve.cases import BASE

EAST_WEST = [("E1", 10, 1), ("E2", 10, -1), ("W1", -10, 1), ("W2", -10, -1)]
E1, E2, W1, W2 = range(4)


def east_west_scenario():
    """Two villages 10 km east of the base and two 10 km west, 20 minutes away each side."""
    data = copy.deepcopy(BASE)
    data["villages"] = [{"id": v, "x": x, "y": y, "unrecorded": 4} for v, x, y in EAST_WEST]
    return make_scenario(data)


def two_hour_day(inst, counting=(E1, E2, W1, W2), shift: int = 7200) -> tuple:
    return (shift, inst.units[0].base, tuple(counting))


def test_crossed_days_are_uncrossed():
    """Each plan day goes east and west; re-partitioned, one day goes east, the other west,
    and the travel is what those two routes drive."""
    inst = Instance(east_west_scenario())
    day = two_hour_day(inst)
    crossed = route_travel(inst, 0, (E1, W1)) + route_travel(inst, 0, (E2, W2))
    plan = UnitDays("U1", ((day, ((E1, 600), (W1, 600))), (day, ((E2, 600), (W2, 600)))),
                    crossed)
    r = repartition(inst, 0, plan, seconds=1.0)
    assert r.feasible and r.visits == 4 and r.days == 2 and r.plan_travel == crossed
    assert sorted(sorted(seq) for _, seq in r.routes) == [[E1, E2], [W1, W2]]
    assert r.travel == sum(route_travel(inst, 0, seq) for _, seq in r.routes) < crossed


def test_a_village_is_never_visited_twice_on_a_day():
    """Two visits to E1 and one to E2 over two days: E1's visits stay on different days,
    though E1, E2, E1 on one day would drive least."""
    inst = Instance(east_west_scenario())
    day = two_hour_day(inst)
    plan = UnitDays("U1", ((day, ((E1, 600), (E2, 600))), (day, ((E1, 600),))), 10**6)
    r = repartition(inst, 0, plan, seconds=1.0)
    assert r.feasible
    assert all(seq.count(E1) <= 1 for _, seq in r.routes)
    assert sorted(j for _, seq in r.routes for j in seq) == [E1, E1, E2]


def test_a_village_goes_only_on_days_where_it_counts():
    """W1's recordings count on the two-hour day only; each visit takes 15 minutes. Least
    travel would put E1 and E2 on the two-hour day and W1 alone on the one-hour day (all
    three do not fit one day); W1 stays on the two-hour day instead, with one of E1 and E2."""
    inst = Instance(east_west_scenario())
    long_day, short_day = two_hour_day(inst), two_hour_day(inst, (E1, E2, W2), shift=3600)
    plan = UnitDays("U1", ((long_day, ((E1, 900), (W1, 900))), (short_day, ((E2, 900),))),
                    10**6)
    r = repartition(inst, 0, plan, seconds=1.0)
    assert r.feasible
    assert {kind for kind, seq in r.routes if W1 in seq} == {long_day}
    assert r.travel > route_travel(inst, 0, (E1, E2)) + route_travel(inst, 0, (W1,))


def test_a_plans_days_and_travel_are_read_whole():
    scenario = east_west_scenario()
    plan = solve(scenario, deterministic=True, iterations=2)
    (days,) = unit_days(Instance(scenario), plan).values()
    routes = [r for r in plan.routes if r.stops]
    assert len(days.days) == len(routes) > 0 and days.unit == "U1"
    assert days.travel == sum(r.travel_s for r in routes)
    assert days.visits == [(EAST_WEST.index(next(v for v in EAST_WEST if v[0] == s.village_id)),
                            s.end - s.start) for r in routes for s in r.stops]
