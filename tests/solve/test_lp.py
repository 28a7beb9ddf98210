"""The turnout envelope's pieces (`solve/lp.py`): the most k visits can record."""
from __future__ import annotations

import copy
from functools import lru_cache

import pytest

from planner.instance import Instance
from planner.rules import turnout_cap, turnout_fraction
from planner.solve.lp import cumulative_caps
from tests.conftest import make_scenario
from tests.solve.cases import BASE


def _caps_instance(backlog: int, turnout: float) -> Instance:
    data = copy.deepcopy(BASE)
    data["recording"]["turnout"] = turnout
    data["villages"] = [{"id": "v", "x": 1, "y": 0, "unrecorded": backlog}]
    return Instance(make_scenario(data))


def test_cumulative_caps_by_hand():
    """Backlog 300, turnout 0.7: visits take 210, 63, 19, 6, 2; with at most 156 per visit
    they take 156, ceil(0.7 x 144) = 101, ceil(0.7 x 43) = 31, 9, 3."""
    inst = _caps_instance(300, 0.7)
    assert cumulative_caps(inst, 0) == [0, 210, 273, 292, 298, 300]
    assert cumulative_caps(inst, 0, per_visit=156) == [0, 156, 257, 288, 297, 300]


@pytest.mark.parametrize("backlog,turnout,per_visit", [(23, 0.5, 7), (30, 0.33, 20),
                                                      (17, 0.9, 5), (40, 0.25, 100)])
def test_cumulative_caps_is_the_most_k_visits_can_record(backlog, turnout, per_visit):
    """Exhaustive: over every choice of people per visit (1 .. min(per_visit, turnout cap)),
    the most k visits record equals the capped cumulative caps the bound uses."""
    inst = _caps_instance(backlog, turnout)
    f = cumulative_caps(inst, 0, per_visit=per_visit)

    @lru_cache(maxsize=None)
    def most(remaining: int, k: int) -> int:
        if k == 0 or remaining == 0:
            return 0
        top = min(per_visit, turnout_cap(*turnout_fraction(inst.scenario.recording.turnout),
                                         remaining))
        return max(r + most(remaining - r, k - 1) for r in range(1, top + 1))

    for k in range(1, 7):
        assert most(backlog, k) == f[min(k, len(f) - 1)]
