"""Overnight trips (`solve/trips.py`, DESIGN §3 "Trips"), figures derived by hand.

An island 60 km by road and 90 minutes by boat from the office (planar, 30 km/h: 1 km = 2
min), offline (3 days), its balai desa a lodging; one unit with one kit (5 min a person,
setup 30 min), a working week of 07:00-17:00 shifts, the next week closed so that only this
week's recordings can count (on the Monday after at the earliest).
"""
from __future__ import annotations

import copy

from planner.check import check
from planner.instance import Instance
from planner.network import UNREACHABLE
from planner.solve import solve
from planner.solve.bound import BoundModel, upper_bound
from tests.conftest import make_scenario

ISLAND = {
    "name": "island", "geometry": "planar",
    "calendar": {"start": "2024-01-01", "deadline": "2024-01-12", "holidays": "none",
                 "closed": [{"from": "2024-01-08", "to": "2024-01-12"}]},
    "shift": {"weekday": {"start": "07:00", "end": "17:00"}},
    "recording": {"minutes_per_person": 5, "setup_minutes": 30, "turnout": 1},
    "offline_turnaround_days": 3,
    "travel": {"speed_kmh": 30},
    "places": [{"id": "kantor", "name": "Kantor", "x": 0, "y": 0},
               {"id": "dermaga", "name": "Dermaga", "x": 30, "y": 0}],
    "links": [{"from": "dermaga", "to": "pulau", "mode": "boat", "minutes": 90}],
    "units": [{"id": "U1", "base": "kantor", "kits": 1, "crew": 2, "max_nights": 4}],
    "villages": [{"id": "pulau", "name": "Pulau", "district": "Laut", "x": 32, "y": 0,
                  "unrecorded": 2000, "access": "water", "signal": False, "lodging": True}],
}
# One way: 60 min road + 90 min boat = 150 min; a 600-minute shift.
DAY_TRIP = (600 - 2 * 150 - 30) // 5  # 54 people a day, five days: 270
FIRST = (600 - 150 - 30) // 5  # arrive 09:30, stay the night: 84
MIDDLE = (600 - 30) // 5  # wake up on the island: 114
LAST = (600 - 150 - 30) // 5  # leave by 14:30 for the boat back: 84


def test_a_five_day_stay_on_the_island():
    scenario = make_scenario(ISLAND)
    plan = solve(scenario, time_limit=20, seed=1, deterministic=True)
    assert check(scenario, plan) == []
    assert plan.counted == FIRST + 3 * MIDDLE + LAST == 510
    assert plan.nights == 4
    days = plan.days
    assert days.start_place.tolist() == ["kantor", "pulau", "pulau", "pulau", "pulau"]
    assert days.end_place.tolist() == ["pulau", "pulau", "pulau", "pulau", "kantor"]
    assert set(plan.visits.counts_on) == {"2024-01-08"}  # Friday, the trip's last day, + 3


def test_a_five_day_stay_pays_its_crossings_in_the_bound():
    """Each day of the stay starts or ends on the island (its lodging), so the per-day rows
    charge no crossing: 5 visits of MIDDLE, 570. The trip time rows (`travel_rows.TripTimeRows`)
    know that a trip there still goes there and back, 300 minutes, and lasts at most 5 days:
    each of its D days pays 60 minutes of it, so its setups and recordings fit in
    540 D >= 30 n + 5 r, and the week in 3000 >= 60 D + 30 n + 5 r, so 30 n + 5 r <= 2700.
    With visits of MIDDLE people (r = 114 n): n = 4.5, 513 people; the optimum is 510."""
    inst = Instance(make_scenario(ISLAND))
    assert upper_bound(inst) == 513


def test_a_village_near_home_does_not_carry_the_crossing():
    """A village 1 km from the office (2 minutes), 5 people left. The per-day rows may count it
    as the farthest village of an island day (the island is a lodging: 0 minutes from where
    such a day starts and ends), and a trip time row charged per day by that village would ask
    2 x 2 / 5 minutes of crossing instead of 60. The trip time rows bucket days by the home round
    trip of the villages they reach, so the island's days still pay 60 minutes each: 513, as
    without the village (a visit there, 35 minutes for one person, is worth less than the
    island's 600 minutes for 114). The optimum: 510 on the island (a stop at the village on
    the way costs the island 30 + 5 x 5 minutes, 11 people, for 5)."""
    data = copy.deepcopy(ISLAND)
    data["villages"].append({"id": "dekat", "name": "Dekat", "district": "Darat", "x": 1, "y": 0,
                             "unrecorded": 5})
    assert upper_bound(Instance(make_scenario(data))) == 513


def test_without_nights_away_five_day_trips():
    data = copy.deepcopy(ISLAND)
    data["units"][0]["max_nights"] = 0
    scenario = make_scenario(data)
    plan = solve(scenario, time_limit=20, seed=1, deterministic=True)
    assert check(scenario, plan) == []
    assert plan.counted == 5 * DAY_TRIP == 270
    assert plan.nights == 0


def test_no_night_away_that_buys_nothing():
    """A village 5 km from the office with 100 left: a day trip records all of them on day one
    (10 min each way, 30 min setup, 100 x 5 min), so a night there would buy nothing."""
    data = copy.deepcopy(ISLAND)
    data["links"] = []
    data["villages"] = [{"id": "dekat", "name": "Dekat", "district": "Darat", "x": 5, "y": 0,
                         "unrecorded": 100, "lodging": True}]
    scenario = make_scenario(data)
    plan = solve(scenario, time_limit=20, seed=1, deterministic=True)
    assert check(scenario, plan) == []
    assert plan.counted == 100 and plan.nights == 0 and len(plan.days) == 1


def test_a_weekend_stay_and_its_bound():
    """Only a Saturday and a Sunday (the week closed): a trip of two days at most, so each of
    its days leaves home or comes back to it. Staying the night: 84 on Saturday (arrive
    09:30) and 84 on Sunday (leave at 14:30): 168, against 2 x 54 by day trips. The bound
    knows that each day of such a trip still makes one crossing (600 - 150 - 30 = 420 min of
    service a day: 168), and the optimiser reaches it."""
    data = copy.deepcopy(ISLAND)
    data["calendar"] = {"start": "2024-01-06", "deadline": "2024-01-12", "holidays": "none",
                        "closed": [{"from": "2024-01-08", "to": "2024-01-12"}]}
    data["shift"]["weekend"] = {"start": "07:00", "end": "17:00"}
    data["offline_turnaround_days"] = 0
    scenario = make_scenario(data)
    plan = solve(scenario, time_limit=20, seed=1, deterministic=True)
    assert check(scenario, plan) == []
    assert plan.counted == FIRST + LAST == 168 and plan.nights == 1
    assert plan.solver["upper_bound"] == 168
    assert plan.solver["status"] == "OPTIMAL"


def test_a_first_trip_from_a_base_away_from_home():
    """The unit starts the campaign at the port (its base; its home is the office): its first
    field day leaves the port (DESIGN §3), 90 minutes by boat: 96 on Saturday, a night on the
    island, and 84 on Sunday before the way home: 180. The bound's two-day rule (each day
    leaves home or comes back to it) must allow that first day from the base: charging
    Saturday the 150 minutes from home, the bound would be 168, below this optimum."""
    data = copy.deepcopy(ISLAND)
    data["calendar"] = {"start": "2024-01-06", "deadline": "2024-01-12", "holidays": "none",
                        "closed": [{"from": "2024-01-08", "to": "2024-01-12"}]}
    data["shift"]["weekend"] = {"start": "07:00", "end": "17:00"}
    data["offline_turnaround_days"] = 0
    data["units"][0].update(base="dermaga", end="kantor")
    scenario = make_scenario(data)
    plan = solve(scenario, time_limit=20, seed=1, deterministic=True)
    assert check(scenario, plan) == []
    assert plan.counted == (600 - 90 - 30) // 5 + LAST == 180
    assert plan.solver["upper_bound"] >= 180


def base_away_from_home() -> dict:
    """The unit starts at the port (30 minutes by boat from the island) and lives at the
    office (60 minutes further by road): any day after its first starts at the office."""
    data = copy.deepcopy(ISLAND)
    data["links"][0]["minutes"] = 30
    data["recording"]["turnout"] = 0.6
    data["offline_turnaround_days"] = 1
    data["units"][0].update(base="dermaga", end="kantor", max_nights=3)
    data["villages"].append({"id": "darat", "name": "Darat", "district": "Darat", "x": 5,
                             "y": 3, "unrecorded": 50})
    return data


def test_the_masters_days_start_where_the_plan_says():
    """The route-pool master prices a day route from the unit's base; on a day that is not the
    unit's first it starts at home, 60 minutes further: such a day is re-allocated from where
    it starts, so the plan is the optimiser's and passes the checker (it used to stop solve
    with a day ending at 18:00)."""
    scenario = make_scenario(base_away_from_home())
    plan = solve(scenario, time_limit=10, seed=1, deterministic=True)
    assert check(scenario, plan) == []
    assert "fallback" not in plan.solver["method"]
    assert plan.counted >= 500


def test_a_day_the_rules_reject_falls_back_to_the_greedy_plan(monkeypatch):
    """Should the optimiser's own read-out ever reject a day, solve hands out the greedy plan
    and says why, instead of raising."""
    import importlib

    solve_module = importlib.import_module("planner.solve")

    def broken(*_):
        raise ValueError("route of U1 on 2024-01-05 ends at 64800 after 61200")
    monkeypatch.setattr(solve_module, "to_plan", broken)
    scenario = make_scenario(base_away_from_home())
    plan = solve(scenario, time_limit=10, seed=1, deterministic=True)
    assert check(scenario, plan) == []
    assert plan.solver["method"].startswith("greedy fallback") and "64800" in plan.solver["method"]


def test_day_trips_from_a_home_nearer_than_the_base():
    """Day trips only, base at the office, home at the port (90 minutes by boat from the
    island): the first day leaves the office, 150 + 90 minutes of travel, (600 - 240 - 30) / 5
    = 66 people; the four others leave home, 180 minutes, 78 each: 378. The bound prices each
    day from the nearer of base and home (it used to charge the office every day: 5 x 66 =
    330, below this plan): 5 x 78 = 390."""
    data = copy.deepcopy(ISLAND)
    data["units"][0].update(base="kantor", end="dermaga", max_nights=0)
    scenario = make_scenario(data)
    plan = solve(scenario, time_limit=20, seed=1, deterministic=True)
    assert check(scenario, plan) == []
    assert plan.counted == 66 + 4 * 78 == 378
    assert upper_bound(Instance(scenario)) == 390
    assert plan.solver["upper_bound"] >= 378


def test_a_night_at_the_base_then_home():
    """The unit starts at its base, a lodging village with 3 people left (turnout 0.6: 2, then
    1), its home 60.7 minutes away; 2-hour shifts. Tuesday: 2 people (16.5 minutes); the last
    one only by staying the night there: Wednesday, 1 person (13.25 minutes) and home (60.7):
    from home the day would take 134.7 minutes. A day after a night at the base once counted
    as a first day at the base, so the way home was dropped and the plan failed the check."""
    scenario = make_scenario({
        "name": "base lodging", "geometry": "planar",
        "calendar": {"start": "2025-07-01", "deadline": "2025-07-03", "holidays": "none"},
        "shift": {"weekday": {"start": "07:00", "end": "09:00"}},
        "recording": {"minutes_per_person": 3.25, "setup_minutes": 10, "turnout": 0.6},
        "travel": {"speed_kmh": 25.5, "circuity": 1.5},
        "places": [{"id": "rumah", "x": -9, "y": 0}],
        "units": [{"id": "U1", "base": "v0", "end": "rumah", "kits": 1, "crew": 1,
                   "max_nights": 1}],
        "villages": [{"id": "v0", "x": 1, "y": 14, "unrecorded": 3, "lodging": True}]})
    plan = solve(scenario, time_limit=10, seed=0, deterministic=True, iterations=10)
    assert check(scenario, plan) == []
    assert "fallback" not in plan.solver["method"]
    assert plan.objective == 3 and plan.nights == 1


def test_a_village_no_trip_reaches_leaves_the_bound_as_it_is():
    """A boat-only village reached by a one-way boat and no way back: no trip comes home
    from it (10^12 seconds in the matrix). It adds no bucket to the trip time rows, and the
    island's bound stays 513."""
    data = copy.deepcopy(ISLAND)
    data["villages"].append({"id": "jauh", "name": "Jauh", "district": "Laut", "x": 80, "y": 0,
                             "unrecorded": 500, "access": "water"})
    data["links"] = data["links"] + [{"from": "dermaga", "to": "jauh", "mode": "boat",
                                      "minutes": 60, "oneway": True}]
    inst = Instance(make_scenario(data))
    (rows,) = BoundModel(inst).trip_time.values()
    assert rows.edges.max() < UNREACHABLE
    assert upper_bound(inst) == 513
