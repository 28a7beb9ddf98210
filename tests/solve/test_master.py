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


# Base and home apart (`test_known_gaps.BASE_NOT_HOME`): one-hour days; from the office
# v1 alone or v0 alone fits, v0 then v1 (3,689 s) does not; from home (the port) both do
# (720 s). v0: 1 person at priority 2; v1: 2 people, one a visit.
V0, V1 = 0, 1


def base_not_home() -> Instance:
    from tests.solve.test_known_gaps import BASE_NOT_HOME
    return Instance(make_scenario(BASE_NOT_HOME))


def test_a_unit_whose_base_is_not_its_home_starts_its_second_day_at_home():
    """Day 0 from the office to v1 (1), day 1 from the port to v0 and v1 (2 + 1): 4, the
    optimum; from the office, day 1 could take one village only."""
    inst = base_not_home()
    pool = {(0, 0): {(V0,), (V1,)}, (0, 1): {(V0,), (V1,), (V0, V1)}}
    drafts, proven = choose_routes(inst, pool, [], time_limit=10)
    assert proven
    by_day = {dr.d: dr for dr in drafts}
    assert by_day[0].seq == (V1,) and by_day[0].start is None
    assert by_day[1].seq == (V0, V1) and by_day[1].start == inst.units[0].end


def test_the_first_field_day_starts_at_the_base_even_when_it_is_not_day_0():
    """With nothing on day 0, day 1 is the unit's first field day: it leaves the office, where
    v0 then v1 does not fit, so it takes v0 alone."""
    inst = base_not_home()
    pool = {(0, 1): {(V0,), (V1,), (V0, V1)}}
    drafts, proven = choose_routes(inst, pool, [], time_limit=10)
    assert proven
    assert [(dr.d, dr.seq, dr.start) for dr in drafts] == [(1, (V0,), None)]
