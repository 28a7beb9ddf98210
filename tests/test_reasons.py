"""Why a village keeps backlog (`planner/reasons.py`): one reason per village, the same
whichever planner made the plan."""
from __future__ import annotations

import pytest

from planner.baseline import plan_greedy
from planner.check import check
from planner.solve import solve
from tests.conftest import causes, make_scenario

# 30 km/h: 1 km = 2 minutes. A 2-hour shift, 10 min setup, 10 min a person, turnout 0.5.
BASE = {
    "name": "reasons", "geometry": "planar",
    "calendar": {"start": "2024-01-01", "deadline": "2024-01-03", "holidays": "none"},
    "shift": {"weekday": {"start": "08:00", "end": "10:00"}},
    "recording": {"minutes_per_person": 10, "setup_minutes": 10, "turnout": 0.5},
    "travel": {"speed_kmh": 30},
    "places": [{"id": "base", "x": 0, "y": 0}],
    "units": [{"id": "U1", "base": "base"}],
}
EVERY_KIND = {
    **BASE,
    "links": [{"from": "isle", "to": "isle2", "minutes": 10}],
    "villages": [
        {"id": "cap", "x": 1, "y": 0, "unrecorded": 1000},  # more than three days can record
        {"id": "far", "x": 40, "y": 0, "unrecorded": 10},  # 160 min there and back
        {"id": "dark", "x": 0, "y": 1, "unrecorded": 10, "power": False},
        {"id": "zero", "x": -1, "y": 0, "unrecorded": 10, "priority": 0},
        {"id": "off", "x": 0, "y": -1, "unrecorded": 10, "signal": False,
         "turnaround_days": 5},  # results of the first day would count on the 6th
        {"id": "isle", "x": 2, "y": 2, "unrecorded": 10, "access": "water"},
        {"id": "isle2", "x": 3, "y": 2, "unrecorded": 10, "access": "water"},
    ],
}
EXPECTED = {"cap": 'capacity', "far": 'too_far', "dark": 'no_generator',
            "zero": 'priority_zero', "off": 'offline', "isle": 'unreachable',
            "isle2": 'unreachable'}
GENERATOR_FAR = {  # the only generator unit is based 100 km away
    **BASE,
    "places": BASE["places"] + [{"id": "depot", "x": 100, "y": 0}],
    "units": [{"id": "U1", "base": "base"}, {"id": "G", "base": "depot", "generator": True}],
    "villages": [{"id": "dark", "x": 0, "y": 1, "unrecorded": 10, "power": False}],
}
NO_DAYS = {**BASE, "calendar": {**BASE["calendar"],
                                "closed": [{"from": "2024-01-01", "to": "2024-01-03"}]},
           "villages": [{"id": "v", "x": 1, "y": 0, "unrecorded": 10}]}

CREW_OVER_STAFF = {**BASE, "staff": {"weekday": 1},  # U1's crew of 2 may never go out
                   "units": [{"id": "U1", "base": "base", "crew": 2}],
                   "villages": [{"id": "v", "x": 1, "y": 0, "unrecorded": 10}]}

CLOSED = {**BASE, "villages": [
    {"id": "shut", "x": 1, "y": 0, "unrecorded": 10},  # closed the whole campaign
    {"id": "late", "x": 0, "y": 1, "unrecorded": 10, "signal": False,
     "turnaround_days": 1},  # counts only from visits up to the 2nd, both closed
    {"id": "once", "x": -1, "y": 0, "unrecorded": 2}],  # closed on the 1st only: visited
    "closures": [{"villages": ["shut"], "from": "2024-01-01", "to": "2024-01-03",
                  "reason": "banjir"},
                 {"villages": ["late", "once"], "from": "2024-01-01", "to": "2024-01-02"}]}


# two units of crew 2 at the base, staff for one: `cap` runs out of the unit-days the staff
# limit allows, with the second unit kept in on all three days
STAFF_HELD = {**BASE, "staff": {"weekday": 2},
              "units": [{"id": "U1", "base": "base", "crew": 2},
                        {"id": "U2", "base": "base", "crew": 2}],
              "villages": [{"id": "cap", "x": 1, "y": 0, "unrecorded": 1000}]}


# `b` is in kecamatan Barat, and the only unit serves Timur
NO_UNIT = {**BASE, "units": [{"id": "U1", "base": "base", "districts": ["Timur"]}],
           "villages": [{"id": "a", "x": 1, "y": 0, "unrecorded": 3, "district": "Timur"},
                        {"id": "b", "x": 0, "y": 1, "unrecorded": 3, "district": "Barat"}]}


@pytest.mark.parametrize("data,expected", [
    (EVERY_KIND, EXPECTED),
    (STAFF_HELD, {"cap": 'capacity_staff'}),
    (NO_UNIT, {"b": 'no_unit'}),
    (GENERATOR_FAR, {"dark": 'generator_far'}),
    (NO_DAYS, {"v": 'no_days'}),
    (CREW_OVER_STAFF, {"v": 'staff'}),
    (CLOSED, {"shut": 'closed', "late": 'closed', "once": 'turnout'}),
], ids=["every-kind", "staff-held", "no-unit", "generator-far", "no-days", "crew-over-staff", "closed"])
def test_both_planners_give_each_village_the_same_reason(data, expected):
    scenario = make_scenario(data)
    greedy = plan_greedy(scenario)
    optimised = solve(scenario, time_limit=10, seed=1, deterministic=True, iterations=5)
    for plan in (greedy, optimised):
        assert check(scenario, plan) == []
        assert causes(plan) == expected


def test_a_village_visited_once_is_not_visited_1_times():
    from planner.causes import cause_text

    once = {"cause": "turnout", "visits": 1, "share": 0.35}
    assert cause_text(once, "en").startswith("visited once; a visit records at most 35 %")
    assert cause_text({**once, "visits": 4}, "en").startswith("visited 4 times;")
    assert cause_text(once, "id").startswith("dikunjungi 1 kali;")


def test_a_closed_village_says_why_when_the_closure_does():
    from planner.causes import cause_text

    closed = {"cause": "closed", "reason": "banjir"}
    assert cause_text(closed, "en") == ("closed (banjir) on every field day whose recordings "
                                        "would still count")
    assert cause_text({**closed, "reason": None}, "id").startswith("desa ditutup pada setiap")


def test_a_village_out_of_the_unit_days_staff_allows_says_so():
    from planner.causes import cause_text

    scenario = make_scenario(STAFF_HELD)
    plan = solve(scenario, time_limit=10, seed=1, deterministic=True, iterations=5)
    cause = plan.solver["left_out_causes"]["cap"]
    assert cause == {"cause": "capacity_staff", "days": 3}
    assert cause_text(cause, "en") == ("not enough unit-days before the deadline: the units out "
                                       "are in full use, and on 3 field days the staff limit "
                                       "kept in other units that could serve this village")


# MK1 (2 kits) serves Timur and Barat, KB (1 kit) Barat Daya alone, each village 2,000 left:
# KB records at c every day, slower than MK1's plan rate; c's binding cause is KB's unit-days
SERVICE_POINTS = {
    **BASE, "shift": {"weekday": {"start": "08:00", "end": "16:00"}},
    "calendar": {"start": "2024-01-01", "deadline": "2024-01-05", "holidays": "none"},
    "recording": {"minutes_per_person": 5, "setup_minutes": 30, "turnout": 0.7},
    "places": [{"id": "base", "x": 0, "y": 0}, {"id": "kec-b", "x": 10, "y": 0}],
    "units": [{"id": "MK1", "base": "base", "kits": 2, "crew": 3, "districts": ["Timur", "Barat"]},
              {"id": "KB", "base": "kec-b", "kits": 1, "crew": 2, "districts": "Barat Daya"}],
    "villages": [{"id": "a", "district": "Timur", "x": 3, "y": 4, "unrecorded": 2000},
                 {"id": "b", "district": "Barat", "x": 12, "y": 1, "unrecorded": 2000},
                 {"id": "c", "district": "Barat Daya", "x": 11, "y": -3, "unrecorded": 2000}],
}


def test_a_service_points_village_is_judged_against_its_own_units():
    """c was `rate` ("other villages give more per hour") against MK1's faster days, though
    KB may serve nothing else and MK1 may not serve c."""
    scenario = make_scenario(SERVICE_POINTS)
    for plan in (plan_greedy(scenario),
                 solve(scenario, time_limit=10, seed=1, deterministic=True, iterations=5)):
        assert causes(plan)["c"] == "capacity"


def test_no_field_day_for_anyone_names_each_villages_own_units():
    """Staff for no crew at all: a is MK1's to serve, c nobody's."""
    data = {**SERVICE_POINTS, "staff": {"weekday": 1},
            "units": SERVICE_POINTS["units"][:1] + [{**SERVICE_POINTS["units"][1],
                                                    "districts": "Barat"}]}
    scenario = make_scenario(data)
    got = plan_greedy(scenario).solver["left_out_causes"]
    assert got["a"] == {"cause": "staff", "units": ["MK1"]}
    assert got["b"] == {"cause": "staff", "units": ["KB", "MK1"]}
    assert got["c"] == {"cause": "no_unit"}
