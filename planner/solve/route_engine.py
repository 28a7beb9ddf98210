"""The day-route engine: prize-collecting routes for a set of vehicles on one day.

Given a travel matrix (int64 seconds), vehicles (start, end, shift window, clients they may
serve) and optional clients (prize, service seconds), find one route per vehicle that maximises
the total prize, then travel as a tie-break (DESIGN §3 objective order). This is the Team
Orienteering Problem with time budgets; the multi-day optimiser calls it to price day routes.

PyVRP's iterated local search does the search (`engine_pyvrp`); OR-Tools routing
(`engine_ortools`) is kept as a second engine for comparison. Whatever the engine returns is
re-timed here in exact integers, so a scaling or rounding slip can never leak an infeasible route.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .engine_model import Client, Vehicle, clamp_matrix, route_feasible, vehicle_travel
from .engine_ortools import solve_ortools
from .engine_pyvrp import PORTFOLIO, solve_pyvrp


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
                 explore: bool = True, weights: Sequence[float] | None = None) -> list[list[int]]:
    """Best prize-collecting routes, one per vehicle (list of client matrix indices).

    `time_limit` is wall-clock seconds; `max_iterations`, when given, replaces it by a
    deterministic limit (same seed, same input -> same routes). `initial` is a warm start.
    `explore` picks PyVRP's prize weighting (see `engine_pyvrp`; False is the exact
    weighting, kept for comparison); `weights`, PyVRP's explore weights (one start each;
    default `engine_pyvrp.PORTFOLIO`).
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
        routes = solve_ortools(m, vehicles, useful, time_limit=time_limit, seed=seed,
                               initial=initial, max_iterations=max_iterations)
    else:
        routes = solve_pyvrp(m, vehicles, useful, time_limit=time_limit, seed=seed,
                             initial=initial, max_iterations=max_iterations, explore=explore,
                             weights=weights or PORTFOLIO)
    routes = repair(m, vehicles, useful, routes)
    if initial is not None:
        # Never return worse than the warm start (the engine may stop before regaining it).
        key = lambda rs: (total_prize(useful, rs) if rs is not None else -1,
                          -sum(vehicle_travel(m, v, r) for v, r in zip(vehicles, rs)))
        if key(initial) > key(routes):
            routes = initial
    return routes
