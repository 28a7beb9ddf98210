"""Evening and next-morning visits to a lodging village (`solve/lodging_visits.py`), on the
two-day campaign of `test_known_gaps.SLEPT_IN_VILLAGE`: one unit at home in v0, shift of
7,200 s; v2 (lodging, 3 people at turnout 0.5: a first visit records 2, a second 1) is
2,400 s from v0 each way; v1 (1 person) is 4,158 s from v2 and 1,758 s from v0."""
from __future__ import annotations

import copy

import pytest

from planner.check import check
from planner.instance import Instance
from planner.solve.allocate import score
from planner.solve.drafts import Draft
from planner.solve.lodging_visits import lodging_visits, moves
from planner.solve.to_plan import to_plan
from tests.conftest import make_scenario
from tests.solve.test_known_gaps import SLEPT_IN_VILLAGE

V0, V1, V2 = 0, 1, 2


def instance(**unit) -> Instance:
    data = copy.deepcopy(SLEPT_IN_VILLAGE)
    data["units"][0].update(unit)
    return Instance(make_scenario(data))


@pytest.fixture
def inst() -> Instance:
    return instance()


def visits(drafts):
    return [(dr.d, j, r) for dr in sorted(drafts, key=lambda x: x.d) for j, r in zip(dr.seq, dr.rec)]


def test_two_day_trips_become_a_night_in_the_lodging_village(inst):
    """v2 on day 0 and v1 on day 1, both day trips (3 people): sleeping in v2 lets day 1
    record its last person first (2,400 + 4,158 + 1,758 = 8,316 s of travel over the two
    days, each within 7,200)."""
    drafts = lodging_visits(inst, [Draft(0, 0, (V2,)), Draft(0, 1, (V1,))])
    assert visits(drafts) == [(0, V2, 2), (1, V2, 1), (1, V1, 1)]
    assert drafts[0].end == inst.nodes[V2]
    assert check(inst.scenario, to_plan(inst, drafts, {"status": "FEASIBLE"})) == []


def test_a_trip_that_sleeps_in_the_village_visits_it_the_next_morning(inst):
    drafts = lodging_visits(inst, [Draft(0, 0, (V2,), end=int(inst.nodes[V2])),
                                   Draft(0, 1, (V1,))])
    assert visits(drafts) == [(0, V2, 2), (1, V2, 1), (1, V1, 1)]


def test_a_trip_that_sleeps_in_the_village_visits_it_that_evening(inst):
    """Day 0 drives to v2 without visiting it (a stub), day 1 visits it: the evening visit
    comes first and the morning one records the rest."""
    drafts = lodging_visits(inst, [Draft(0, 0, (), end=int(inst.nodes[V2])),
                                   Draft(0, 1, (V2, V1))])
    assert visits(drafts) == [(0, V2, 2), (1, V2, 1), (1, V1, 1)]


def test_no_night_away_for_a_unit_that_may_not_stay_away():
    inst = instance(max_nights=0)
    drafts = lodging_visits(inst, [Draft(0, 0, (V2,)), Draft(0, 1, (V1,))])
    assert visits(drafts) == [(0, V2, 2), (1, V1, 1)]
    assert all(dr.end is None for dr in drafts)


def test_no_night_where_the_next_day_would_not_fit_its_shift():
    """A 5,400 s shift: v2 -> v1 -> v0 (5,916 s) does not fit, so both days stay day trips."""
    data = copy.deepcopy(SLEPT_IN_VILLAGE)
    data["shift"] = {"weekday": {"start": "07:00", "end": "08:30"}}
    inst = Instance(make_scenario(data))
    before = [Draft(0, 0, (V2,)), Draft(0, 1, (V1,))]
    drafts = lodging_visits(inst, before)
    assert visits(drafts) == [(0, V2, 2), (1, V1, 1)]
    assert score(inst, drafts)[0] == 3


def test_only_the_given_days_move(inst):
    drafts = lodging_visits(inst, [Draft(0, 0, (V2,)), Draft(0, 1, (V1,))], only={(0, 1)})
    assert visits(drafts) == [(0, V2, 2), (1, V1, 1)]



def test_a_day_without_its_draft_has_no_moves(inst):
    """A kept move can leave a later day trip without visits, and `allocate` drops it; the
    pass then meets a (unit, day) of the plan it started from that is no longer there."""
    drafts = [Draft(0, 0, (V2,)), Draft(0, 1, (V1,))]
    village_at = {int(inst.nodes[V2]): V2}
    assert moves(inst, drafts, 0, 2, village_at, None) == []
    assert moves(inst, drafts, 0, 0, village_at, None) != []
