"""PyVRP adapter for the day-route engine (prize-collecting VRP with shift windows).

PyVRP minimises cost minus collected prize. Prizes are multiplied by a factor larger than any
feasible total travel, so one more prize point always beats any saving in travel: the order
of DESIGN §3 (prize first, then travel) holds exactly. Per-vehicle client restrictions
(`Vehicle.allowed`) become routing profiles whose matrices make forbidden clients unreachable.

Tried and dropped (measured on TOP, no gain at equal time): independent multi-starts,
recombining a pool of the search's routes with CP-SAT (ILS-SP style), a greedy warm start,
other penalty / late-acceptance settings.
"""
from __future__ import annotations

import time
import warnings
from typing import Sequence

import numpy as np
import pyvrp
from pyvrp import SolveParams
from pyvrp.exceptions import PenaltyBoundWarning
from pyvrp.search import NeighbourhoodParams
from pyvrp.stop import MaxIterations, MaxRuntime

from .routes import CLAMP, Client, Vehicle

# Costs stay well inside int64 (PyVRP sums them with penalties).
COST_CEILING = 10**15
# A small granular neighbourhood: on TOP instances 10 neighbours beat PyVRP's default 50
# at equal time (more iterations; p4.2.j mean of 8 seeds at 3 s: 906 vs 883-890;
# p4.2.r 1281 vs 1269; p4.4.n 957 vs 946).
PARAMS = SolveParams(neighbourhood=NeighbourhoodParams(num_neighbours=10))


def prize_factor(vehicles: Sequence[Vehicle], clients: Sequence[Client]) -> int:
    """Weight of one prize point: more than the travel of any feasible set of routes."""
    horizon = sum(max(0, v.tw_end - v.tw_start) for v in vehicles) + 1
    total = max(1, sum(c.prize for c in clients))
    return max(1, min(horizon, COST_CEILING // total))


def build_data(matrix: np.ndarray, vehicles: Sequence[Vehicle], clients: Sequence[Client],
               prize_scale: int | None = None):
    """ProblemData plus the vehicle-type key of every vehicle (same order as `vehicles`)."""
    depots: list[int] = []
    for v in vehicles:
        for d in (v.start, v.end):
            if d not in depots:
                depots.append(d)
    loc_index = depots + [c.index for c in clients]
    sub = matrix[np.ix_(loc_index, loc_index)].astype(np.int64)
    nd = len(depots)
    everyone = {c.index for c in clients}

    profiles: list[frozenset[int] | None] = []
    types: dict[tuple, int] = {}
    keys = []
    for v in vehicles:
        allowed = None if v.allowed is None or frozenset(v.allowed) >= everyone else v.allowed
        if allowed not in profiles:
            profiles.append(allowed)
        key = (depots.index(v.start), depots.index(v.end), int(v.tw_start), int(v.tw_end),
               profiles.index(allowed))
        types[key] = types.get(key, 0) + 1
        keys.append(key)
    matrices = []
    for allowed in profiles:
        m = sub.copy()
        if allowed is not None:
            banned = [nd + j for j, c in enumerate(clients) if c.index not in allowed]
            m[banned, :] = CLAMP
            m[:, banned] = CLAMP
            m[banned, banned] = 0
        matrices.append(m)

    scale = prize_scale if prize_scale is not None else prize_factor(vehicles, clients)
    data = pyvrp.ProblemData(
        locations=[pyvrp.Location(0, 0) for _ in loc_index],
        clients=[pyvrp.Client(nd + j, service_duration=int(c.service), prize=int(c.prize) * scale,
                              required=False) for j, c in enumerate(clients)],
        depots=[pyvrp.Depot(i) for i in range(nd)],
        vehicle_types=[pyvrp.VehicleType(n, start_depot=k[0], end_depot=k[1], tw_early=k[2],
                                         tw_late=k[3], unit_distance_cost=1, profile=k[4])
                       for k, n in types.items()],
        distance_matrices=matrices,
        duration_matrices=matrices,
    )
    return data, list(types), keys


class AllServed:
    """Stop criterion: the limit, or every client served (the prize cannot grow any more)
    once a fifth of the budget went to shortening the routes. PyVRP's cost is travel plus
    missed prizes; travel never exceeds the horizon and a missed prize costs more."""

    def __init__(self, limit, data: pyvrp.ProblemData, max_iterations, time_limit):
        self.limit = limit
        horizon = sum(vt.num_available * (vt.tw_late - vt.tw_early) for vt in data.vehicle_types())
        smallest = min((c.prize for c in data.clients() if c.prize > 0), default=1)
        self.threshold = min(horizon, smallest - 1)  # PyVRP's cost: travel + missed prizes
        self.iterations = 0
        self.min_iterations = (max_iterations or 0) // 5
        self.min_seconds = 0.0 if max_iterations is not None else 0.2 * time_limit
        self.start = time.perf_counter()

    def __call__(self, best_cost: float) -> bool:
        self.iterations += 1
        if self.limit(best_cost):
            return True
        return (best_cost <= self.threshold and self.iterations >= self.min_iterations
                and time.perf_counter() - self.start >= self.min_seconds)


def solve_pyvrp(matrix: np.ndarray, vehicles: Sequence[Vehicle], clients: Sequence[Client],
                time_limit: float, seed: int = 0, initial: list[list[int]] | None = None,
                max_iterations: int | None = None) -> list[list[int]]:
    data, type_keys, keys = build_data(matrix, vehicles, clients)
    position = {c.index: j for j, c in enumerate(clients)}

    best = None
    if initial is not None:
        routes = [pyvrp.Route(data, [position[c] for c in r], type_keys.index(k))
                  for r, k in zip(initial, keys) if r and all(c in position for c in r)]
        best = pyvrp.Solution(data, routes)

    limit = MaxIterations(max_iterations) if max_iterations is not None else MaxRuntime(time_limit)
    stop = AllServed(limit, data, max_iterations, time_limit)
    with warnings.catch_warnings():
        # near-empty instances trip PyVRP's penalty-bound notice; the solver writes nothing
        warnings.simplefilter("ignore", PenaltyBoundWarning)
        result = pyvrp.solve(data, stop=stop, seed=seed, collect_stats=False, display=False,
                             initial_solution=best, params=PARAMS)
    if result.best.is_feasible() or best is None:
        best = result.best  # routes.solve_routes keeps the warm start if it is still better

    out: list[list[int]] = [[] for _ in vehicles]
    free = dict(enumerate(keys))
    for route in best.routes():
        key = type_keys[route.vehicle_type()]
        i = next(i for i, k in free.items() if k == key)
        del free[i]
        out[i] = [clients[a.idx].index for a in route if a.is_client()]
    return out
