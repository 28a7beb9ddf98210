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
                        lambda prob, deadline, seed: Tour([0] * 6, [[0], [0], [], [], []]))
    kept = [Draft(1, 0, (0,), (54,))]
    drafts = trip_window.propose(inst, kept, 0, [0, 1, 2, 3, 4], time.monotonic() + 3, seed=1)
    visits = [(dr.d, j) for dr in drafts for j in dr.seq]
    assert len(visits) == len(set(visits))
    assert (0, 0) in visits and any(dr.k == 0 and dr.d == 1 and dr.seq == (0,) for dr in drafts)
