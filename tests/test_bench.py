"""The benchmark's own parts: the river-corridor district generator (`bench.gen`, kind
corridor), the whole-horizon PyVRP peer (`bench.peer`) and the road table of `bench.travel`."""
from __future__ import annotations

import hashlib
import math
from collections import Counter

import pytest
import yaml

from bench.gen import FAR_TOWN_HOURS, ROAD_CIRCUITY, ROAD_KMH, generate
from bench.peer import plan_peer
from bench.peer_model import PeerModel, PeerRoute, Offer, day_trips_only, staffed_slots
from bench.peer_repair import date_routes, reallocate, route_levels
from planner import parse
from planner.baseline import plan_greedy
from planner.check import check
from planner.instance import Instance
from planner.scenario.validate import cross_check, cross_warnings
from planner.solve.allocate import score
from planner.solve.construct import construct
from planner.solve.search import greedy_drafts
from tests.conftest import make_scenario


@pytest.fixture(scope="module")
def corridor():
    return generate(220, "corridor", seed=1)


@pytest.fixture(scope="module")
def corridor_lodgings():
    return generate(220, "corridor", seed=1, lodgings=True)


def fingerprint(scenario) -> str:
    """What the golden run reads of a generated scenario, hashed."""
    rows = [(v.id, v.district, v.x, v.y, v.lat, v.lon, v.unrecorded, v.signal, v.power, v.access)
            for v in scenario.villages]
    rows += [(p.id, p.x, p.y, p.lat, p.lon) for p in scenario.places]
    rows += [(u.id, u.kits, u.crew, u.generator) for u in scenario.units]
    rows += [(link.from_, link.to, str(link.minutes)) for link in scenario.links]
    rows += [(str(scenario.calendar.start), str(scenario.calendar.deadline), scenario.staff.weekday,
              scenario.staff.weekend, scenario.staff.overtime_unit_days)]
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:16]


def test_the_older_kinds_are_generated_as_before():
    # bench/results/golden.json rests on these two; digests taken before the corridor kind
    assert fingerprint(generate(300, "capacity", "planar", seed=0)) == "705ab1321a117d83"
    assert fingerprint(generate(300, "remote", "planar", seed=0)) == "75bb3ceec331150e"


def test_the_corridor_reads_back_through_the_scenario_parser(corridor_lodgings):
    for scenario in (generate(220, "corridor", seed=2), corridor_lodgings):
        assert cross_check(scenario) == [] and cross_warnings(scenario) == []
        text = yaml.safe_dump(scenario.model_dump(mode="json", by_alias=True, exclude_none=True,
                                                  exclude={"source"}), sort_keys=False)
        assert parse(text, source="<corridor>").model_dump() == scenario.model_dump()


def test_the_corridor_has_the_district_of_issue_18(corridor):
    s = corridor
    assert len(s.villages) == 220 and len({v.district for v in s.villages}) == 23
    assert (s.calendar.deadline - s.calendar.start).days + 1 == 80
    ports = [p for p in s.places if p.id.startswith("dermaga")]
    water = [v for v in s.villages if v.access == "water"]
    assert len(ports) == 3 and len(water) == 10
    linked_from_ports = {link.from_ for link in s.links} & {p.id for p in ports}
    assert linked_from_ports == {p.id for p in ports}
    offline = [v for v in s.villages if not v.signal]
    assert all(v.signal is False for v in water) and len(offline) > len(water)
    assert {v.turnaround_days for v in offline} <= set(range(3, 8))
    assert any(not v.power for v in s.villages)
    assert len({v.district for v in s.villages if v.priority == 2}) == 3
    assert [(u.kits, u.crew) for u in s.units] == [(2, 3)] * 4
    assert sum(u.generator for u in s.units) == 2
    assert (s.staff.weekday, s.staff.weekend, s.staff.overtime_unit_days) == (6, 9, 30)
    far = max(math.hypot(v.x, v.y) for v in s.villages)
    assert 120 < far < 200  # 250 km of meandering river
    assert not any(p.lodging for p in s.places) and all(u.max_nights == 0 for u in s.units)


def test_lodgings_only_when_asked_and_only_in_far_towns(corridor, corridor_lodgings):
    lodgings = [p for p in corridor_lodgings.places if p.lodging]
    assert len(lodgings) >= 10
    for p in lodgings:
        assert math.hypot(p.x, p.y) * float(ROAD_CIRCUITY) / ROAD_KMH > FAR_TOWN_HOURS
    assert all(u.max_nights == 4 for u in corridor_lodgings.units)
    assert corridor_lodgings.villages == corridor.villages  # same district otherwise


def test_a_greedy_plan_of_the_corridor_passes_the_checker(corridor):
    plan = plan_greedy(corridor)
    assert plan.counted > 0
    assert check(corridor, plan) == []


def test_increments_are_the_turnout_of_what_is_left_capped_by_a_day():
    # tiny: turnout 0.7, village a has 100 unrecorded
    inst = Instance(make_scenario())
    model = PeerModel(inst)
    # 100 -> 70 (30 left) -> 21 (9) -> ceil(6.3) = 7 (2) -> ceil(1.4) = 2 (0)
    assert model.increments(0, 6, most=10**6) == [70, 21, 7, 2]
    # at most 50 a visit: 50 (50 left) -> 35 (15) -> ceil(10.5) = 11 (4) -> ceil(2.8) = 3 (1) -> 1
    assert model.increments(0, 6, most=50) == [50, 35, 11, 3, 1]
    assert model.increments(0, 2, most=50) == [50, 35]


def test_the_pooled_unit_days_keep_staff_and_the_overtime_budget(corridor):
    inst = Instance(corridor)
    crews = Counter()
    for d, k in staffed_slots(inst):
        crews[d] += inst.units[k].unit.crew
    assert all(crews[d] <= inst.staff(d) for d in crews)
    model = PeerModel(inst)
    overtime = sum(p.num_available for p in model.pools if p.overtime)
    assert overtime == corridor.staff.overtime_unit_days
    assert all(p.num_available <= len(p.slots) for p in model.pools)


def test_a_route_holding_a_later_copy_is_dated_after_the_one_before():
    first, second, third = (Offer(0, c, 10, 2, c, 0) for c in (1, 2, 3))
    other = Offer(1, 1, 10, 2, 4, 1)
    routes = [PeerRoute(0, [third]), PeerRoute(0, [second, other]), PeerRoute(0, [first])]
    assert route_levels(routes) == [2, 1, 0]


def test_the_peer_returns_a_checked_plan_on_a_small_district():
    scenario = generate(30, "corridor", seed=2)
    plan = plan_peer(scenario, time_limit=3, seed=1)
    assert check(scenario, plan) == []
    assert plan.solver["check_problems"] == 0
    assert plan.counted > 0 and plan.solver["model_value"] > 0
    assert all(r.end_place in (None, "kantor") for r in plan.routes)  # day trips only


def test_the_peer_starts_from_the_better_of_the_construction_and_the_greedy_plan():
    scenario = day_trips_only(generate(30, "corridor", seed=0))
    inst = Instance(scenario)
    built = reallocate(inst, construct(inst, inst.priority, None,
                                       scenario.staff.overtime_unit_days))
    starts = (float(score(inst, built)[0]), float(score(inst, greedy_drafts(inst))[0]))
    assert starts[0] != starts[1]  # here the greedy plan is the better start
    plan = plan_peer(scenario, time_limit=2, seed=1)
    assert plan.solver["warm_start_value"] == max(starts)


def test_dating_leaves_out_a_second_visit_to_a_village_on_one_day():
    # two units, one day: both routes land on it, so village a (0) is visited once only
    scenario = make_scenario(calendar={"start": "2024-01-01", "deadline": "2024-01-01",
                                       "holidays": "none"},
                             units=[{"id": "U1", "base": "base", "kits": 2, "crew": 3},
                                    {"id": "U2", "base": "base", "kits": 2, "crew": 3}])
    model = PeerModel(Instance(scenario))
    assert [sorted(p.slots) for p in model.pools] == [[(0, 0), (0, 1)]]
    a1, a2, b1 = Offer(0, 1, 20, 2, 1, 0), Offer(0, 2, 10, 2, 2, 1), Offer(1, 1, 15, 2, 3, 2)
    kept = []
    drafts = date_routes(model, [PeerRoute(0, [a2, b1]), PeerRoute(0, [a1])], kept)
    assert sorted((dr.d, dr.seq, dr.rec) for dr in drafts) == [(0, (0,), (20,)), (0, (1,), (15,))]
    assert len(kept) == 2


def test_the_road_table_compares_equal_matrices(capsys):
    """`bench/travel.py`'s road table runs and finds SciPy's and networkx's matrices equal."""
    import numpy as np

    from bench.travel import road_table

    road_table([400], 30, np.random.default_rng(0))
    row = [line for line in capsys.readouterr().out.splitlines() if line.strip().startswith("400")]
    assert row and row[0].split()[-1] == "True"
