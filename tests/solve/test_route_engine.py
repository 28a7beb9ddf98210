"""The day-route engine against brute force on tiny instances, and its safety rules."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

from planner.network import UNREACHABLE
from planner.solve import engine_pyvrp
from planner.solve.engine_model import CLAMP, Client, Vehicle, route_feasible
from planner.solve.engine_model import vehicle_travel as route_travel
from planner.solve.engine_pyvrp import explore_weights
from planner.solve.route_engine import solve_routes

ITERS = 300  # deterministic limit: fast, and plenty for 5-7 clients


def random_instance(seed: int, n_clients: int = 6, n_vehicles: int = 2, allowed: bool = False):
    """Planar points (integer seconds, rounded up), two depots, shifts that fit only part of
    the clients so that choosing matters."""
    rng = np.random.default_rng(seed)
    pts = rng.uniform(0, 1000, size=(n_clients + 2, 2))
    d = np.ceil(np.hypot(*(pts[:, None, :] - pts[None, :, :]).transpose(2, 0, 1))).astype(np.int64)
    clients = [Client(2 + j, int(rng.integers(1, 20)), int(rng.integers(0, 120)))
               for j in range(n_clients)]
    vehicles = []
    for k in range(n_vehicles):
        start = int(rng.integers(0, 3600))
        ok = None
        if allowed and k == 0:
            ok = frozenset(c.index for c in clients[: n_clients // 2])
        vehicles.append(Vehicle(0, 1, start, start + int(rng.integers(1500, 3500)), ok))
    return d, vehicles, clients


def brute_force(matrix, vehicles, clients):
    """Best (prize, -travel) over every assignment of client sequences to vehicles."""
    service = {c.index: c.service for c in clients}
    prize = {c.index: c.prize for c in clients}
    idx = [c.index for c in clients]
    # best (travel, sequence) per vehicle per client subset
    per_vehicle = []
    for v in vehicles:
        best = {frozenset(): (route_travel(matrix, v, []), ())}
        for r in range(1, len(idx) + 1):
            for perm in itertools.permutations(idx, r):
                if route_feasible(matrix, v, perm, service):
                    key = frozenset(perm)
                    t = route_travel(matrix, v, perm)
                    if key not in best or t < best[key][0]:
                        best[key] = (t, perm)
        per_vehicle.append(best)
    result = (-1, 0)

    def walk(k, used, got, travel):
        nonlocal result
        if k == len(vehicles):
            result = max(result, (got, -travel))
            return
        for subset, (t, _) in per_vehicle[k].items():
            if not subset & used:
                walk(k + 1, used | subset, got + sum(prize[c] for c in subset), travel + t)

    walk(0, frozenset(), 0, 0)
    return result


def value(matrix, vehicles, clients, routes):
    prize = {c.index: c.prize for c in clients}
    return (sum(prize[c] for r in routes for c in r),
            -sum(route_travel(matrix, v, r) for v, r in zip(vehicles, routes)))


def assert_valid(matrix, vehicles, clients, routes):
    service = {c.index: c.service for c in clients}
    assert len(routes) == len(vehicles)
    served = [c for r in routes for c in r]
    assert len(served) == len(set(served)), "a client served twice"
    for v, r in zip(vehicles, routes):
        assert route_feasible(matrix, v, r, service)
        legs = [v.start, *r, v.end]
        assert all(matrix[a, b] < UNREACHABLE for a, b in zip(legs, legs[1:]))
        # exact integer re-timing: leave at tw_start, back by tw_end
        t = v.tw_start + sum(int(matrix[a, b]) for a, b in zip(legs, legs[1:]))
        t += sum(service[c] for c in r)
        assert t <= v.tw_end


@pytest.mark.parametrize("seed", range(6))
def test_engine_reaches_brute_force_optimum(seed):
    matrix, vehicles, clients = random_instance(seed, n_clients=6 if seed % 2 else 5)
    routes = solve_routes(matrix, vehicles, clients, time_limit=5, seed=seed,
                          max_iterations=ITERS)
    assert_valid(matrix, vehicles, clients, routes)
    assert value(matrix, vehicles, clients, routes) == brute_force(matrix, vehicles, clients)


@pytest.mark.parametrize("seed", range(3))
def test_client_restrictions_respected_and_optimal(seed):
    matrix, vehicles, clients = random_instance(100 + seed, n_clients=6, allowed=True)
    routes = solve_routes(matrix, vehicles, clients, time_limit=5, seed=seed,
                          max_iterations=ITERS)
    assert_valid(matrix, vehicles, clients, routes)
    assert set(routes[0]) <= vehicles[0].allowed
    assert value(matrix, vehicles, clients, routes) == brute_force(matrix, vehicles, clients)


def test_seven_clients_one_vehicle():
    matrix, vehicles, clients = random_instance(7, n_clients=7, n_vehicles=1)
    routes = solve_routes(matrix, vehicles, clients, time_limit=5, max_iterations=ITERS)
    assert value(matrix, vehicles, clients, routes) == brute_force(matrix, vehicles, clients)


def test_unreachable_legs_are_never_used():
    # depot 0 -> a(2) -> b(3) -> depot 1; the direct legs 0-3 and 3-1 do not exist, so b is
    # only servable between a and ... nothing: b can never be reached on a feasible route.
    big = UNREACHABLE
    matrix = np.array([[0, 10, 100, big, 50],
                       [10, 0, 100, big, 50],
                       [100, 100, 0, 5, 60],
                       [big, big, 5, 0, big],
                       [50, 50, 60, big, 0]], dtype=np.int64)
    clients = [Client(2, 5, 0), Client(3, 1000, 0), Client(4, 5, 0)]
    vehicles = [Vehicle(0, 1, 0, 10**6)]
    routes = solve_routes(matrix, vehicles, clients, time_limit=2, max_iterations=ITERS)
    assert 3 not in routes[0]
    assert sorted(routes[0]) == [2, 4]
    assert_valid(matrix, vehicles, clients, routes)


def test_unreachable_does_not_overflow_with_huge_entries():
    matrix, vehicles, clients = random_instance(3)
    matrix = matrix.copy()
    matrix[2, :] = np.iinfo(np.int64).max // 2  # far beyond UNREACHABLE: clamped, not wrapped
    matrix[2, 2] = 0
    routes = solve_routes(matrix, vehicles, clients, time_limit=2, max_iterations=ITERS)
    assert all(2 not in r for r in routes)
    assert_valid(matrix, vehicles, clients, routes)
    assert CLAMP < UNREACHABLE


def test_deterministic_with_max_iterations():
    matrix, vehicles, clients = random_instance(11, n_clients=7, n_vehicles=2)
    a = solve_routes(matrix, vehicles, clients, time_limit=60, seed=3, max_iterations=200)
    b = solve_routes(matrix, vehicles, clients, time_limit=60, seed=3, max_iterations=200)
    assert a == b


def test_warm_start_is_never_lost():
    matrix, vehicles, clients = random_instance(5, n_clients=6)
    best = brute_force(matrix, vehicles, clients)
    # the best routes, found by the engine itself with a generous limit, given back as a
    # warm start with a 1-iteration budget: the answer may not get worse
    good = solve_routes(matrix, vehicles, clients, time_limit=5, max_iterations=ITERS)
    again = solve_routes(matrix, vehicles, clients, time_limit=5, max_iterations=1,
                         initial=good)
    assert value(matrix, vehicles, clients, again) >= value(matrix, vehicles, clients, good)
    assert value(matrix, vehicles, clients, good) == best


def test_infeasible_warm_start_is_repaired():
    matrix, vehicles, clients = random_instance(5, n_clients=6)
    everything = [[c.index for c in clients], []]  # far too long for one shift
    routes = solve_routes(matrix, vehicles, clients, time_limit=5, max_iterations=ITERS,
                          initial=everything)
    assert_valid(matrix, vehicles, clients, routes)


def test_no_clients_and_zero_prizes():
    matrix, vehicles, clients = random_instance(1)
    assert solve_routes(matrix, vehicles, [], time_limit=1) == [[], []]
    zero = [Client(c.index, 0, c.service) for c in clients]
    assert solve_routes(matrix, vehicles, zero, time_limit=1, max_iterations=10) == [[], []]


def test_ortools_engine_is_valid_and_optimal_on_tiny():
    matrix, vehicles, clients = random_instance(2, n_clients=5)
    routes = solve_routes(matrix, vehicles, clients, time_limit=2, max_iterations=2000,
                          engine="ortools")
    assert_valid(matrix, vehicles, clients, routes)
    assert value(matrix, vehicles, clients, routes)[0] == brute_force(matrix, vehicles, clients)[0]


def test_exact_phase_serves_clients_the_explore_weighting_would_drop():
    """A far client of prize 1 is worth 5 cost units under the explore weighting against a
    detour of about 10,000 s, yet the shift has room for it: the engine must still serve it
    (the exact descent after the explore phase), and never trade prize for travel."""
    pts = np.array([[0, 0], [0, 0], [100, 0], [100, 100], [0, 100], [50, 150], [5000, 0]])
    m = np.ceil(np.hypot(*(pts[:, None, :] - pts[None, :, :]).transpose(2, 0, 1))).astype(np.int64)
    clients = [Client(i, 10, 0) for i in range(2, 6)] + [Client(6, 1, 0)]
    vehicles = [Vehicle(0, 1, 0, 20_000)]
    scale, per_second = explore_weights(m, clients)
    assert scale * 1 < per_second * 9_000  # explore weights alone would leave client 6 out
    explore_only = engine_pyvrp.single_search(m, vehicles, clients, scale, per_second, 0,
                                              None, ITERS, 5)[1]
    assert 6 not in explore_only[0]
    routes = solve_routes(m, vehicles, clients, time_limit=5, max_iterations=ITERS)
    assert_valid(m, vehicles, clients, routes)
    assert sorted(routes[0]) == [2, 3, 4, 5, 6]
    assert value(m, vehicles, clients, routes) == brute_force(m, vehicles, clients)
