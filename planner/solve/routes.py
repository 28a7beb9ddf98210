"""The day-route engine: prize-collecting routes for a set of vehicles on one day.

Given a travel matrix (int64 seconds), vehicles (start, end, shift window, clients they may
serve) and optional clients (prize, service seconds), find one route per vehicle that maximises
the total prize, then travel as a tie-break (DESIGN §3 objective order). This is the Team
Orienteering Problem with time budgets; the multi-day optimiser calls it to price day routes.

PyVRP's iterated local search does the search (`_pyvrp.py`); OR-Tools routing (`_ortools_routing.py`)
is kept as a second engine for comparison and as a fall-back. Whatever the engine returns is
re-timed here in exact integers, so a scaling or rounding slip can never leak an infeasible route.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

# Matrix entries at or above this are "no path" (planner.network.UNREACHABLE = 10**12).
UNREACHABLE = 10**12
# Unreachable legs are clamped to this: longer than any day (so never feasible), small enough
# that sums of a few thousand of them stay far inside int64.
CLAMP = 10**9


@dataclass(frozen=True)
class Vehicle:
    """One unit on one day."""

    start: int  # matrix index of where it leaves
    end: int  # matrix index of where it must be back
    tw_start: int  # earliest departure, seconds
    tw_end: int  # latest return, seconds
    allowed: frozenset[int] | None = None  # client matrix indices it may serve (None = all)

    def may_serve(self, index: int) -> bool:
        return self.allowed is None or index in self.allowed


@dataclass(frozen=True)
class Client:
    index: int  # matrix index
    prize: int  # collected if visited (>= 0, integer)
    service: int  # seconds spent there


def clamp_matrix(matrix: np.ndarray) -> np.ndarray:
    """int64 copy with unreachable entries clamped to CLAMP (never dropped)."""
    m = np.asarray(matrix, dtype=np.int64).copy()
    m[m >= CLAMP] = CLAMP
    return m


def route_end_time(matrix: np.ndarray, vehicle: Vehicle, route: Sequence[int],
                   service: dict[int, int]) -> int:
    """Return time at the end place when leaving at tw_start (exact integers; no waiting
    is ever needed because clients have no time windows of their own)."""
    t = int(vehicle.tw_start)
    here = vehicle.start
    for c in route:
        t += int(matrix[here, c]) + int(service[c])
        here = c
    return t + int(matrix[here, vehicle.end])


def route_feasible(matrix: np.ndarray, vehicle: Vehicle, route: Sequence[int],
                   service: dict[int, int]) -> bool:
    legs = [vehicle.start, *route, vehicle.end]
    if any(int(matrix[a, b]) >= CLAMP for a, b in zip(legs, legs[1:])):
        return False
    if not all(vehicle.may_serve(c) and c in service for c in route):
        return False
    return route_end_time(matrix, vehicle, route, service) <= vehicle.tw_end


def route_travel(matrix: np.ndarray, vehicle: Vehicle, route: Sequence[int]) -> int:
    """Travel seconds of a route; an empty route is a unit that stays home (0)."""
    if not route:
        return 0
    legs = [vehicle.start, *route, vehicle.end]
    return int(sum(int(matrix[a, b]) for a, b in zip(legs, legs[1:])))


def repair(matrix: np.ndarray, vehicles: Sequence[Vehicle], clients: Sequence[Client],
           routes: list[list[int]]) -> list[list[int]]:
    """Make routes valid whatever the engine did: unknown, duplicate or forbidden clients are
    removed, then clients are dropped from the end until each route fits its shift."""
    service = {c.index: int(c.service) for c in clients}
    seen: set[int] = set()
    out = []
    for v, route in zip(vehicles, routes):
        r = []
        for c in route:
            if c in service and c not in seen and v.may_serve(c):
                r.append(c)
                seen.add(c)
        while r and not route_feasible(matrix, v, r, service):
            seen.discard(r.pop())
        out.append(r)
    out += [[] for _ in range(len(vehicles) - len(out))]
    return out


def total_prize(clients: Sequence[Client], routes: list[list[int]]) -> int:
    prize = {c.index: c.prize for c in clients}
    return sum(prize[c] for r in routes for c in r)


def solve_routes(matrix: np.ndarray, vehicles: Sequence[Vehicle], clients: Sequence[Client],
                 time_limit: float, seed: int = 0, initial: list[list[int]] | None = None,
                 max_iterations: int | None = None, engine: str = "pyvrp",
                 explore: bool = True) -> list[list[int]]:
    """Best prize-collecting routes, one per vehicle (list of client matrix indices).

    `time_limit` is wall-clock seconds; `max_iterations`, when given, replaces it by a
    deterministic limit (same seed, same input -> same routes). `initial` is a warm start.
    `explore` picks PyVRP's prize weighting (see `_pyvrp`; False is the exact weighting used
    before 2026-11-23, kept for comparison).
    """
    vehicles = list(vehicles)
    if not vehicles:
        return []
    m = clamp_matrix(matrix)
    service = {c.index: int(c.service) for c in clients}
    # Clients no vehicle can reach on its own can never be served: leave them out.
    useful = [c for c in clients if c.prize > 0 and any(
        v.may_serve(c.index) and route_feasible(m, v, [c.index], service) for v in vehicles)]
    if initial is not None:
        initial = repair(m, vehicles, useful, [list(r) for r in initial])
    if not useful:
        return [[] for _ in vehicles]
    if engine == "ortools":
        from ._ortools_routing import solve_ortools
        routes = solve_ortools(m, vehicles, useful, time_limit=time_limit, seed=seed,
                               initial=initial, max_iterations=max_iterations)
    else:
        from ._pyvrp import solve_pyvrp
        routes = solve_pyvrp(m, vehicles, useful, time_limit=time_limit, seed=seed,
                             initial=initial, max_iterations=max_iterations, explore=explore)
    routes = repair(m, vehicles, useful, routes)
    if initial is not None:
        # Never return worse than the warm start (the engine may stop before regaining it).
        key = lambda rs: (total_prize(useful, rs) if rs is not None else -1,
                          -sum(route_travel(m, v, r) for v, r in zip(vehicles, rs)))
        if key(initial) > key(routes):
            routes = initial
    return routes
