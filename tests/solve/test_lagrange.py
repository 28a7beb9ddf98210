"""The Lagrangian refinement (`solve/lagrange.py`): day routes by hand, the staff limit per
day, never below the brute-force optimum."""
from __future__ import annotations

import numpy as np
import pytest

from planner.instance import Instance
from planner.solve.bound import upper_bound
from planner.solve.held_karp import closure
from planner.solve.lagrange import best_day, refine_bound
from tests.solve.cases import brute_force, mixed_units, staff_split, tiny


def test_best_day_by_hand():
    """Start = end; a is 10 min away (price 1 a person, cap 50), b 20 min (price 2, a visit
    costs 5, cap 30), a-b 15 min; 100 min, setup 10, 1 min a person. Alone: a 50, b 60 - 5.
    Both: 45 min travel, 20 setup, 35 min left: b's 30 people (60), a's 5: 65 - 5 = 60."""
    d = closure(np.array([[0, 0, 10, 20], [0, 0, 10, 20], [10, 10, 0, 15], [20, 20, 15, 0]]))
    ins = np.zeros(2)  # no detour credit: still a valid (weaker) travel bound
    value, route = best_day(d, ins, 100.0, 10.0, 1.0, np.array([1.0, 2.0]),
                            np.array([0.0, -5.0]), np.array([50.0, 30.0]))
    assert value == pytest.approx(60)
    assert route == {1: pytest.approx(30), 0: pytest.approx(5)}


def test_best_day_counts_a_visit_that_records_nobody():
    """a pays 5 a visit and nothing a person, b 1 a person (as above: a 10 min away, b 20,
    a-b 15; 100 min, setup 10, 1 min a person). b alone: 30 people = 30. Both: 45 min travel,
    20 setup, room for b's 30: 35. The route names a with 0 people, so the subgradient
    counts its visit."""
    d = closure(np.array([[0, 0, 10, 20], [0, 0, 10, 20], [10, 10, 0, 15], [20, 20, 15, 0]]))
    value, route = best_day(d, np.zeros(2), 100.0, 10.0, 1.0, np.array([0.0, 1.0]),
                            np.array([5.0, 0.0]), np.array([50.0, 30.0]))
    assert value == pytest.approx(35)
    assert route == {0: 0.0, 1: pytest.approx(30)}


def test_refined_bound_holds_the_staff_limit_per_day():
    """Two weekdays: the optimum is 2 x 10 = 20. The LP pools staff over the class (6 crew
    for 2 days: three unit-days) and gets 31; the Lagrangian lets one unit out a day: 21."""
    scenario = staff_split("2024-01-04", "2024-01-05")
    inst = Instance(scenario)
    meta: dict = {}
    assert brute_force(scenario) == 20
    assert upper_bound(inst, None, meta) == 31
    assert refine_bound(inst, meta, time_limit=30, rounds=20) == 21


@pytest.mark.parametrize("case", [("tiny", s) for s in range(12)]
                         + [("mixed", s) for s in range(16)])
def test_refined_bound_never_below_the_optimum(case):
    make, seed = {"tiny": tiny, "mixed": mixed_units}[case[0]], case[1]
    scenario = make(seed)
    inst = Instance(scenario)
    meta: dict = {}
    lp = upper_bound(inst, None, meta)
    if "levels" not in meta:  # nothing can be recorded: the LP says 0
        assert lp == 0
        return
    assert refine_bound(inst, meta, time_limit=30, rounds=20) >= brute_force(scenario) - 1e-6
