"""`bench/route_bound.py`: the q-route day problem by hand, its recovered routes, the
Lagrangian at the LP's prices and after subgradient steps never below the brute-force optimum,
the restricted master never above the Lagrangian, and the elementary day problem (DSSR)
against enumeration of every elementary route."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

from bench.route_bound import (QRouteLagrangian, RouteMaster, column_generation, day_route,
                               day_value, elementary_day_route, lagrangian_at_lp_prices,
                               masked_day)
from planner.solve.bound import upper_bound
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


@pytest.mark.parametrize("seed", range(12))
def test_the_recovered_route_collects_the_value_within_the_day(seed):
    """Random small days: the route `day_route` returns is worth its value, fits the shift
    (serving s minutes records (s + 1 - setup) / person people) and has no 2-cycle."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 8))
    points = rng.uniform(0, 60, (n + 1, 2))
    d = np.floor(np.hypot(*(points[:, None, :] - points[None, :, :]).transpose(2, 0, 1)))
    d = d.astype(np.int64)
    price_n, price_r = rng.uniform(-1, 3, n), rng.uniform(0, 1, n)
    cap = rng.integers(1, 20, n).astype(float)
    shift, setup, person = int(rng.integers(40, 200)), 5, 2.0
    value, route = day_route(d[0, 1:], d[1:, 1:], d[1:, 0], shift, setup, person, price_n,
                             price_r, cap)
    assert value == pytest.approx(sum(price_n[i] + price_r[i] * p for i, p in route))
    order = [i for i, _ in reversed(route)]
    if order:
        travel = d[0, 1 + order[0]] + sum(d[1 + a, 1 + b] for a, b in zip(order, order[1:])) \
            + d[1 + order[-1], 0]
        service = sum(setup - 1 + p * person for _, p in route)
        assert travel + service <= shift + 1e-9
        assert all(p <= cap[i] + 1e-9 for i, p in route)
    assert all(a != b for a, b in zip(order, order[2:]))


@pytest.fixture(params=[(tiny, 0), (tiny, 3), (mixed_units, 1)])
def small_case(request):
    make, seed = request.param
    scenario = make(seed)
    inst = Instance(scenario)
    meta: dict = {}
    upper_bound(inst, meta=meta)
    return scenario, inst, meta


def test_subgradient_steps_stay_above_the_optimum(small_case):
    scenario, inst, meta = small_case
    lag = QRouteLagrangian(inst, meta)
    at_lp = lag.value(*lag.sub.lp_prices())
    stepped = lag.refine(3.0)
    assert brute_force(scenario) - 1e-6 <= stepped <= at_lp + 1e-6


def test_the_master_stays_below_the_lagrangian(small_case):
    """Weak duality: the master's optimum over any columns is at most any Lagrangian."""
    scenario, inst, meta = small_case
    lag = QRouteLagrangian(inst, meta)
    master = RouteMaster(lag)
    master_value, least = column_generation(lag, master, 2.0)
    assert master.columns > 0
    assert master_value <= least + 1e-6
    assert least >= brute_force(scenario) - 1e-6


def test_an_elementary_master_keeps_each_village_once(small_case):
    """A route visiting a village twice becomes one visit, the first (routes run from the
    last visit back): its people, one visit in the link row."""
    _, inst, meta = small_case
    lag = QRouteLagrangian(inst, meta)
    master = RouteMaster(lag, elementary=True)
    key = next(iter(master.day_rows))
    k, c, _ = key
    j = next(jj for kk, cc, jj in lag.sub.keys if (kk, cc) == (k, c))
    master.add(key, [(j, 1.0), (j, 2.0)])
    column = master.lp.solver.variables()[-1]
    assert master.columns == 1 and not master.repeating
    assert master.n_link[(k, c, j)].GetCoefficient(column) == -1.0
    assert master.r_link[(k, c, j)].GetCoefficient(column) == -2.0


def best_elementary_day(start, travel, end, shift, setup, person, price_n, price_r, cap):
    """Every elementary route, each with its spare minutes given one at a time to the visit
    that gains most by it (the gain of a minute never grows: optimal), on `day_route`'s
    grid: serving s minutes records min(cap, (s + 1 - setup) / person) people."""
    def people(i, s):
        return min(cap[i], (s + 1 - setup) / person)

    best = 0.0
    for size in range(1, len(price_n) + 1):
        for seq in itertools.permutations(range(len(price_n)), size):
            spare = shift - start[seq[0]] - end[seq[-1]] - setup * size \
                - sum(travel[a, b] for a, b in zip(seq, seq[1:]))
            if spare < 0:
                continue
            served = dict.fromkeys(seq, setup)
            for _ in range(spare):
                i = max(seq, key=lambda i: price_r[i] * (people(i, served[i] + 1)
                                                         - people(i, served[i])))
                served[i] += 1
            best = max(best, sum(price_n[i] + price_r[i] * people(i, served[i]) for i in seq))
    return best


def test_a_cycle_through_two_villages_is_no_elementary_route():
    """A worth 10 a visit, B and C almost nothing, all 1 minute apart: the q-route day goes
    A, B, C, A (no 2-cycle in it) and collects A twice; an elementary day collects it once."""
    args = (np.zeros(3, np.int64), 1 - np.eye(3, dtype=np.int64), np.zeros(3, np.int64), 12, 1,
            1.0, np.array([10.0, 0.001, 0.001]), np.zeros(3), np.ones(3))
    assert day_value(*args) >= 20.0
    value, exact, walk = elementary_day_route(*args)
    assert exact and value == pytest.approx(10.002)
    assert sorted(i for i, _ in walk) == [0, 1, 2]


def test_the_elementary_labels_take_no_2_cycle_without_remembering():
    """As `test_no_village_twice_with_one_between`, with no village remembered: A, B, A is
    already excluded by the labels (best and best with another predecessor)."""
    value, walk = masked_day(np.array([0, 0]), np.array([[0, 1], [1, 0]]), np.array([0, 0]),
                              10, 1, 1.0, np.array([10.0, 0.001]), np.zeros(2), np.ones(2), [])
    assert value == pytest.approx(10.001) and sorted(i for i, _ in walk) == [0, 1]


@pytest.mark.parametrize("seed", range(16))
def test_the_elementary_day_is_the_best_elementary_route(seed):
    """Random days of 3-6 villages: DSSR's value is the best over every elementary route, no
    more than the q-route value, and its walk visits each village once, collects the value
    and fits the shift."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 7))
    points = rng.uniform(0, 50, (n + 1, 2))
    d = np.ceil(np.hypot(*(points[:, None, :] - points[None, :, :]).transpose(2, 0, 1)))
    d = d.astype(np.int64)
    args = (d[0, 1:], d[1:, 1:], d[1:, 0], int(rng.integers(100, 300)), 10, 2.0,
            rng.uniform(-5, 10, n), rng.uniform(0, 1, n), rng.integers(1, 30, n).astype(float))
    value, exact, walk = elementary_day_route(*args, most_critical=n)
    assert exact
    assert value == pytest.approx(best_elementary_day(*args))
    assert value <= day_value(*args) + 1e-9
    start, travel, end, shift, setup, person, price_n, price_r, cap = args
    order = [i for i, _ in reversed(walk)]
    assert len(set(order)) == len(order)
    assert value == pytest.approx(sum(price_n[i] + price_r[i] * p for i, p in walk))
    if order:
        moving = start[order[0]] + sum(travel[a, b] for a, b in zip(order, order[1:])) \
            + end[order[-1]]
        assert moving + sum(setup - 1 + p * person for _, p in walk) <= shift + 1e-9


def test_the_lagrangian_with_elementary_days_stays_valid_and_no_looser(small_case):
    """At the LP's prices: at or above the optimum, at or below the q-route Lagrangian."""
    scenario, inst, meta = small_case
    lag = QRouteLagrangian(inst, meta)
    q_route = lag.value(*lag.sub.lp_prices())
    lag.most_critical = 5
    elementary = lag.value(*lag.sub.lp_prices())
    assert brute_force(scenario) - 1e-6 <= elementary <= q_route + 1e-6


def test_subgradient_steps_with_elementary_days_stay_above_the_optimum(small_case):
    scenario, inst, meta = small_case
    lag = QRouteLagrangian(inst, meta)
    lag.most_critical = 5
    at_lp = lag.value(*lag.sub.lp_prices())
    stepped = lag.refine(2.0)
    assert brute_force(scenario) - 1e-6 <= stepped <= at_lp + 1e-6
