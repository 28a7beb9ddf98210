"""The trip engine inside the search (`solve/trip_window.py`): a proposal never gives a
village a second visit on a day another unit already visits it."""
from __future__ import annotations

import copy
import importlib
import time

from planner.instance import Instance
from planner.solve.drafts import Draft
from planner.solve.trip_engine import Tour
from tests.conftest import make_scenario
from tests.solve.test_trips import ISLAND

trip_window = importlib.import_module("planner.solve.trip_window")


def test_a_tour_leaves_out_a_village_another_unit_visits_that_day(monkeypatch):
    """U2 already has a day trip to the island on Monday; the engine's tour for U1 (stubbed)
    goes there on Monday and Tuesday. The proposal keeps U1's Tuesday and drops its Monday
    visit (the island has people enough for both units' days)."""
    data = copy.deepcopy(ISLAND)
    data["units"].append({"id": "U2", "base": "kantor", "kits": 1, "crew": 2,
                          "max_nights": 4})
    inst = Instance(make_scenario(data), None)
    monkeypatch.setattr(trip_window, "solve_tour",
                        lambda prob, deadline, seed, budget=None: Tour([0] * 6, [[0], [0], [], [], []]))
    kept = [Draft(1, 0, (0,), (54,))]
    drafts = trip_window.propose(inst, kept, 0, [0, 1, 2, 3, 4], time.monotonic() + 3, seed=1)
    visits = [(dr.d, j) for dr in drafts for j in dr.seq]
    assert len(visits) == len(set(visits))
    assert (0, 0) in visits and any(dr.k == 0 and dr.d == 1 and dr.seq == (0,) for dr in drafts)


def test_windows_are_the_days_the_crew_may_be_out():
    """No weekday staff: a unit that may stay four nights still works weekends only, so its
    windows are each weekend (Saturday and Sunday), not runs of five calendar days that start
    on a weekday the staff rule bars."""
    data = copy.deepcopy(ISLAND)
    data["calendar"] = {"start": "2024-01-01", "deadline": "2024-01-21", "holidays": "none"}
    data["shift"]["weekend"] = {"start": "07:00", "end": "17:00"}
    data["staff"] = {"weekday": 0, "weekend": 2}
    inst = Instance(make_scenario(data), None)
    dates = [[str(inst.days[d].date) for d in w] for w in trip_window.windows(inst, 0)]
    assert dates == [["2024-01-06", "2024-01-07"], ["2024-01-13", "2024-01-14"],
                     ["2024-01-20", "2024-01-21"]]


def test_a_deterministic_proposal_stays_the_night_where_it_pays():
    """Without a deadline the engine runs on its iteration budget. The island holds 84
    people: a day trip records (600 - 2 x 150 - 30) / 5 = 54 of them; arriving at 09:30 and
    staying the night records all 84 on the first day (the engine serves a village's whole
    cap in one visit); the tour need not be short, the search's polish drops idle days. The same twice."""
    from planner.solve.allocate import score
    from planner.solve.trip_routes import TourBudget
    from tests.solve.test_trips import FIRST

    data = copy.deepcopy(ISLAND)
    data["villages"][0]["unrecorded"] = FIRST
    inst = Instance(make_scenario(data), None)
    runs = [trip_window.propose(inst, [], 0, [0, 1, 2, 3, 4], None, seed=1, budget=TourBudget())
            for _ in range(2)]
    assert runs[0] == runs[1]
    assert [r for dr in runs[0] for r in dr.rec] == [84] and score(inst, runs[0])[0] == 84
    assert any(dr.end is not None for dr in runs[0])  # a night away, at the island


def test_reach_aims_a_tour_at_the_kecamatan_no_visit_reaches():
    """Two kecamatan: Darat (a village by the office) and Laut (the island). A plan that
    only visits Darat leaves Laut unreached; `reach` plans a window again with the island
    worth more to the engine, and the proposal it offers visits the island."""
    from planner.solve.trip_routes import TourBudget

    data = copy.deepcopy(ISLAND)
    data["villages"][0]["unrecorded"] = 84
    data["villages"].append({"id": "darat", "name": "Darat", "district": "Darat", "x": 1,
                             "y": 0, "unrecorded": 500})
    inst = Instance(make_scenario(data), None)
    plan = [Draft(0, d, (1,), (100,)) for d in range(5)]
    assert trip_window.unreached(inst, plan) == ["Laut"]
    offered = []

    def best(drafts):
        if drafts is not None:
            offered.append(drafts)
        return offered[-1] if offered else plan
    trip_window.reach(inst, best, None, seed=1, tries=2, budget=TourBudget())
    assert offered and "Laut" not in trip_window.unreached(inst, offered[0])
    assert any(0 in dr.seq for dr in offered[0])


def test_tours_make_passes_until_a_pass_gains_nothing(monkeypatch):
    """With `window_seconds`, the windows are planned in passes: each window at most that
    long, and again in the next pass while the last pass made the plan better. Stubbed
    proposals gain one person in the first two passes, nothing after: three passes, then
    the tours stop (long before the deadline)."""
    data = copy.deepcopy(ISLAND)
    data["villages"][0]["unrecorded"] = 84
    inst = Instance(make_scenario(data), None)
    jobs = trip_window.window_jobs(inst)
    calls = []

    def propose(inst_, drafts, k, days, deadline, seed, budget=None, weight=None):
        calls.append(deadline - time.monotonic())
        gained = min(len(calls), 2 * len(jobs))
        return [Draft(0, 0, (0,), (gained,))]
    monkeypatch.setattr(trip_window, "propose", propose)
    offered = [[]]

    def best(drafts):
        if drafts is not None and drafts[0].rec > (offered[-1][0].rec if offered[-1] else (0,)):
            offered.append(drafts)
        return offered[-1]
    trip_window.tour_starts(inst, best, time.monotonic() + 60, seed=1, window_seconds=0.2)
    assert len(calls) == 3 * len(jobs)
    assert max(calls) <= 0.2


def test_few_windows_keep_a_long_run_each(monkeypatch):
    """`pass_seconds` shared over the windows, when more than `window_seconds`, is what a
    window gets per pass (a single-window tour keeps the engine's time), never more than
    the deadline leaves."""
    inst = Instance(make_scenario(copy.deepcopy(ISLAND)), None)
    jobs = trip_window.window_jobs(inst)
    calls = []

    def propose(inst_, drafts, k, days, deadline, seed, budget=None, weight=None):
        calls.append(deadline - time.monotonic())
        return None
    monkeypatch.setattr(trip_window, "propose", propose)
    trip_window.tour_starts(inst, lambda drafts: [], time.monotonic() + 60, seed=1,
                            window_seconds=0.01, pass_seconds=0.4 * len(jobs))
    assert len(calls) == len(jobs)  # nothing gained: one pass
    assert 0.3 < max(calls) <= 0.4
    assert trip_window.window_cap(len(jobs), None, 5.0) is None


def test_a_tour_of_two_days_or_more_may_come_back_to_a_village():
    """The island at turnout 0.6 with 100 people left: a first visit records 60 (30 + 5 x 60
    minutes with one kit), a second 24 of the 40 left (150 minutes), worth that much to the
    engine, never on the first visit's day. A one-day window has no second visits."""
    data = copy.deepcopy(ISLAND)
    data["recording"]["turnout"] = 0.6
    data["villages"][0]["unrecorded"] = 100
    inst = Instance(make_scenario(data), None)
    remaining = inst.backlog.copy()
    prob, _, villages = trip_window.tour_problem(inst, 0, [0, 1, 2], remaining, inst.units[0].base)
    assert villages.tolist() == [0, 0]
    assert prob.value.tolist() == [60, 24] and prob.service.tolist() == [330 * 60, 150 * 60]
    assert prob.twin.tolist() == [1, 0]
    one, _, villages = trip_window.tour_problem(inst, 0, [0], remaining, inst.units[0].base)
    assert villages.tolist() == [0] and one.twin.tolist() == [-1]
