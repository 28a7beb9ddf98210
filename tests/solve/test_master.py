"""The route-pool master (`solve/master.py`): the exact people per visit and the best routes
of a pool, by hand on the tiny scenario (see test_allocate.py for its figures)."""
from __future__ import annotations

from planner.instance import Instance
from planner.solve.drafts import Draft
from planner.solve.master import choose_routes
from tests.conftest import make_scenario

A, B = 0, 1
EVERY_ROUTE = {(A,), (B,), (A, B)}


def test_master_finds_the_best_routes_of_the_pool(tiny_scenario):
    """From an incumbent that visits A alone on two days (70 + 21), the master picks both
    villages on both days: 70 + 42, then 21 + 13 = 146 (or B 41 and 14: the same), and
    proves it."""
    inst = Instance(tiny_scenario)
    pool = {(0, 0): set(EVERY_ROUTE), (0, 1): set(EVERY_ROUTE)}
    incumbent = [Draft(0, 0, (A,), (70,)), Draft(0, 1, (A,), (21,))]
    drafts, proven = choose_routes(inst, pool, incumbent, time_limit=10)
    assert proven
    assert sum(sum(d.rec) for d in drafts) == 146
    by_day = {d.d: dict(zip(d.seq, d.rec)) for d in drafts}
    assert by_day[0][A] == 70 and by_day[1][A] == 21 and set(by_day[1]) == {A, B}


def test_master_keeps_the_staff_limit_and_one_visit_per_village_a_day():
    """Two units of crew 2 under a staff limit of 3 on one day: one goes out, and it takes
    both villages (112) rather than each unit one village (70 + 42, not allowed)."""
    s = make_scenario(units=[{"id": "U1", "base": "base", "kits": 2, "crew": 2},
                             {"id": "U2", "base": "base", "kits": 2, "crew": 2}],
                      staff={"weekday": 3},
                      calendar={"start": "2024-01-01", "deadline": "2024-01-01",
                                "holidays": "none"})
    inst = Instance(s)
    pool = {(0, 0): set(EVERY_ROUTE), (1, 0): set(EVERY_ROUTE)}
    drafts, proven = choose_routes(inst, pool, [], time_limit=10)
    assert proven and len(drafts) == 1
    assert dict(zip(drafts[0].seq, drafts[0].rec)) == {A: 70, B: 42}
