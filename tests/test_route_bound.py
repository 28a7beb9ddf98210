"""`bench/route_bound.py`: the q-route day problem by hand, and the Lagrangian it gives at the
LP's prices never below the brute-force optimum."""
from __future__ import annotations

import numpy as np
import pytest

from bench.route_bound import day_value, lagrangian_at_lp_prices
from planner.instance import Instance
from tests.solve.cases import brute_force, mixed_units, staff_split, tiny


def one_village(shift: int) -> float:
    """10 min there and back, setup 30, 2 min a person, 5 per visit + 1 a person, cap 20."""
    return day_value(np.array([10]), np.zeros((1, 1), np.int64), np.array([10]), shift, 30,
                     2.0, np.array([5.0]), np.array([1.0]), np.array([20.0]))


def test_one_village_by_hand():
    assert one_village(100) == pytest.approx(25.0)  # 80 min of service: the cap, 20 people
    # 40 min: (40 - 30) / 2 = 5 people, and one minute more (the rounding relaxation): 5.5
    assert one_village(60) == pytest.approx(10.5)
    assert one_village(49) == 0.0  # not even the setup fits: the day stays home


def test_no_village_twice_with_one_between():
    """A is worth 10 a visit, B almost nothing, 1 min apart: A, B, A would collect A twice;
    a 2-cycle is never taken, so the day is worth A once and B once."""
    value = day_value(np.array([0, 0]), np.array([[0, 1], [1, 0]]), np.array([0, 0]), 10, 1,
                      1.0, np.array([10.0, 0.001]), np.zeros(2), np.ones(2))
    assert value == pytest.approx(10.001)


@pytest.mark.parametrize("make, seed", [(tiny, 0), (tiny, 3), (mixed_units, 1), (mixed_units, 5)])
def test_the_lagrangian_at_lp_prices_bounds_the_optimum(make, seed):
    scenario = make(seed)
    lp, lagrangian = lagrangian_at_lp_prices(Instance(scenario))
    assert lagrangian >= brute_force(scenario) - 1e-6


def test_the_lagrangian_is_below_the_lp_where_staff_are_pooled():
    """Two weekdays, staff for one unit a day (as in test_lagrange): the LP pools the class
    and gets 31; with one unit out a day and real routes the Lagrangian is nearer 20."""
    scenario = staff_split("2024-01-04", "2024-01-05")
    lp, lagrangian = lagrangian_at_lp_prices(Instance(scenario))
    assert lp == 31 and brute_force(scenario) - 1e-6 <= lagrangian < lp
