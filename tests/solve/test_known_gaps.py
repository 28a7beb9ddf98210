"""Plans the search used to miss, each on the smallest campaign that shows it (found by
random campaigns against an exact search that starts later days at home and lets a trip
visit the village it sleeps in twice). Each test asserts the optimum. A gap found later
goes here first, marked `xfail(strict=True)` until the search finds it."""
from __future__ import annotations

import pytest

from planner.check import check
from planner.solve import solve
from tests.conftest import make_scenario

FLAT = {"geometry": "planar", "calendar": {"holidays": "none"}}


def two_days(start: str, **data) -> dict:
    deadline = start[:-2] + f"{int(start[-2:]) + 1:02d}"
    return {"name": "gap", **FLAT, **data,
            "calendar": {**FLAT["calendar"], "start": start, "deadline": deadline}}


# One unit, based at the office, home at a port; two one-hour days, visits take no time. v0
# (1 person, priority 2) and v1 (2 people, turnout 0.25: one a visit) lie behind boat links
# from the port. Optimum 4: day 1 office -> v1 -> port; day 2 port -> v0 -> v1 -> port.
BASE_NOT_HOME = two_days(
    "2024-11-27",
    shift={"weekday": {"start": "08:00", "end": "09:00"}},
    recording={"minutes_per_person": 0, "turnout": 0.7}, travel={"speed_kmh": 5},
    places=[{"id": "kantor", "x": 0, "y": 0}, {"id": "port0", "x": -1, "y": 4}],
    units=[{"id": "U1", "base": "kantor", "end": "port0"}],
    villages=[{"id": "v0", "x": -6, "y": -1, "unrecorded": 1, "priority": 2},
              {"id": "v1", "x": -4, "y": -3, "unrecorded": 2, "turnout": 0.25}],
    links=[{"from": "port0", "to": "v0", "minutes": 1}, {"from": "port0", "to": "v1", "minutes": 5}])

# One unit at v0 that may stay one night; v2 is a lodging village with 3 people at turnout
# 0.5 (2, then 1). Optimum 4: day 1 v0 -> v2 (2), the night at v2; day 2 v2 (1) -> v1 (1) ->
# v0. DESIGN §3: a unit can visit the village it sleeps in the next morning.
SLEPT_IN_VILLAGE = two_days(
    "2025-12-17",
    shift={"weekday": {"start": "07:00", "end": "09:00"}},
    recording={"minutes_per_person": 0, "turnout": 0.6}, travel={"speed_kmh": 1},
    places=[{"id": "port0", "x": 0, "y": -3}],
    units=[{"id": "U1", "base": "v0", "max_nights": 1, "speed_kmh": 3}],
    villages=[{"id": "v0", "x": -4, "y": 0, "unrecorded": 0, "lodging": True},
              {"id": "v1", "x": -1, "y": -4, "unrecorded": 1},
              {"id": "v2", "x": -2, "y": 0, "unrecorded": 3, "lodging": True, "turnout": 0.5}],
    links=[{"from": "port0", "to": "v0", "minutes": 1}])


# One unit at home in v0 (a lodging village reached by boat from the port, 7 people: 5, then
# 2) that may stay two nights; v1 (3 people) lies near the inn; two 2-hour days, 5 minutes'
# setup and 7.5 minutes a person. Optimum 10: day 1 v0 (5) -> v1 (1), the night at the inn;
# day 2 v1 (2) -> v0 (2). Both villages twice in one trip.
TWICE_IN_A_TRIP = two_days(
    "2025-12-17",
    shift={"weekday": {"start": "07:00", "end": "09:00"}},
    recording={"minutes_per_person": 15, "setup_minutes": 5, "turnout": 0.6},
    travel={"speed_kmh": 30},
    places=[{"id": "kantor", "x": 0, "y": 0}, {"id": "port0", "x": 6, "y": -3},
            {"id": "inn0", "x": 2, "y": -2, "lodging": True}],
    units=[{"id": "U1", "base": "v0", "kits": 2, "crew": 3, "generator": True,
            "max_nights": 2, "speed_kmh": 15}],
    villages=[{"id": "v0", "x": -4, "y": 3, "unrecorded": 7, "lodging": True,
               "access": "water"},
              {"id": "v1", "x": -1, "y": -4, "unrecorded": 3}],
    links=[{"from": "port0", "to": "v0", "mode": "boat", "minutes": 20}])


@pytest.mark.parametrize("data,optimum", [
    # the master and the short-horizon engine start a unit's later days at home
    pytest.param(BASE_NOT_HOME, 4, id="base-not-home"),
    # `solve/lodging_visits.py`
    pytest.param(SLEPT_IN_VILLAGE, 4, id="slept-in-village"),
    # second visits as twins in the trip engine (`trip_window.tour_problem`)
    pytest.param(TWICE_IN_A_TRIP, 10, id="twice-in-a-trip"),
])
def test_the_search_finds_the_optimum(data, optimum):
    scenario = make_scenario(data)
    plan = solve(scenario, deterministic=True, iterations=20, seed=0)
    assert check(scenario, plan) == []
    assert plan.objective == optimum
