"""PyVRP adapter for the day-route engine (prize-collecting VRP with shift windows).

PyVRP minimises cost minus collected prize. Two weightings (`explore`):

- exact (`explore=False`): prizes are multiplied by a factor larger than any feasible total
  travel, so one more prize point always beats any saving in travel. PyVRP's late-acceptance
  search then never accepts losing a prize point and tends to stay in its first local optimum.
- explore (default): an average client is worth `weight` times the median leg, so the
  search trades prize against travel and moves between prize levels. The order of DESIGN §3
  still holds for what is returned: every feasible solution the search visits is compared by
  (prize, -travel) exactly, in a callback (`BestVisited`), and the best of them is kept. The
  last part of each start's budget (1 - `EXPLORE_SHARE`) descends with the exact weighting
  from that best, which adds clients the explore weighting deems not worth their detour.

Which weighting finds the best basin differs from instance to instance, and one search
rarely leaves its first basin, so the budget is split over a `PORTFOLIO` of fresh starts, one
per weight, and the best is kept. Per-vehicle client restrictions (`Vehicle.allowed`) become
routing profiles whose matrices make forbidden clients unreachable.

Measurements behind these choices: bench/results/NOTES.md, section "engine_pyvrp".
"""
from __future__ import annotations

import time
import warnings
from typing import Sequence

import numpy as np
import pyvrp
from pyvrp import SolveParams
from pyvrp.IteratedLocalSearch import IteratedLocalSearchCallbacks, IteratedLocalSearchParams
from pyvrp.exceptions import PenaltyBoundWarning
from pyvrp.search import NeighbourhoodParams
from pyvrp.stop import MaxIterations, MaxRuntime

from .engine_model import CLAMP, Client, Vehicle, depot_indices

# Costs stay well inside int64 (PyVRP sums them with penalties).
COST_CEILING = 10**15
# A small granular neighbourhood: more iterations in the same time (NOTES.md, engine_pyvrp).
NEIGHBOURS = NeighbourhoodParams(num_neighbours=10)
# Explore weightings, one fresh start each: an average client's prize in median legs.
PORTFOLIO = (0.2, 0.4, 0.8, 1.0)
# Share of a start's budget for the explore phase; the rest descends with the exact weighting.
EXPLORE_SHARE = 0.75


def prize_factor(vehicles: Sequence[Vehicle], clients: Sequence[Client]) -> int:
    """Weight of one prize point: more than the travel of any feasible set of routes."""
    horizon = sum(max(0, v.tw_end - v.tw_start) for v in vehicles) + 1
    total = max(1, sum(c.prize for c in clients))
    return max(1, min(horizon, COST_CEILING // total))


def explore_weights(matrix: np.ndarray, clients: Sequence[Client],
                    weight: float = 0.4) -> tuple[int, int]:
    """(prize multiplier, cost per travel second) that make an average client worth about
    `weight` median legs between clients (integers, both >= 1)."""
    idx = [c.index for c in clients]
    legs = matrix[np.ix_(idx, idx)]
    legs = legs[(legs > 0) & (legs < CLAMP)]
    median = float(np.median(legs)) if legs.size else 1.0
    mean_prize = max(1e-9, float(np.mean([c.prize for c in clients])))
    ratio = weight * max(1.0, median) / mean_prize
    if ratio >= 1:
        return min(int(round(ratio)), COST_CEILING // max(1, sum(c.prize for c in clients))), 1
    return 1, int(round(1 / ratio))


def build_data(matrix: np.ndarray, vehicles: Sequence[Vehicle], clients: Sequence[Client],
               prize_scale: int | None = None, distance_cost: int = 1):
    """ProblemData plus the vehicle-type key of every vehicle (same order as `vehicles`)."""
    depots = depot_indices(vehicles)
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
                                         tw_late=k[3], unit_distance_cost=distance_cost,
                                         profile=k[4])
                       for k, n in types.items()],
        distance_matrices=matrices,
        duration_matrices=matrices,
    )
    return data, list(types), keys


class BestVisited(IteratedLocalSearchCallbacks):
    """Keeps the best feasible solution the search visits by (prize, -travel), exactly: with
    the explore weighting PyVRP's own best is the best by its weighted cost, not by prize."""

    def __init__(self, total_prize: int):
        self.total_prize = total_prize  # scaled: every client served
        self.key: tuple[int, int] | None = None
        self.best: pyvrp.Solution | None = None

    def consider(self, sol: pyvrp.Solution) -> None:
        if sol.is_feasible():
            key = (sol.prizes(), -sol.distance())
            if self.key is None or key > self.key:
                self.key, self.best = key, sol

    def on_iteration(self, current, candidate, best, cost_evaluator):
        self.consider(candidate)

    def on_best(self, best):
        self.consider(best)

    @property
    def all_served(self) -> bool:
        return self.key is not None and self.key[0] >= self.total_prize


class AllServed:
    """Stop criterion: the limit, or every client served (the prize cannot grow any more)
    once a fifth of the budget went to shortening the routes."""

    def __init__(self, limit, tracker: BestVisited, max_iterations, time_limit):
        self.limit = limit
        self.tracker = tracker
        self.iterations = 0
        self.min_iterations = (max_iterations or 0) // 5
        self.min_seconds = 0.0 if max_iterations is not None else 0.2 * time_limit
        self.start = time.perf_counter()

    def __call__(self, best_cost: float) -> bool:
        self.iterations += 1
        if self.limit(best_cost):
            return True
        return (self.tracker.all_served and self.iterations >= self.min_iterations
                and time.perf_counter() - self.start >= self.min_seconds)


def run_search(data: pyvrp.ProblemData, tracker: BestVisited, stop, seed: int,
               start: pyvrp.Solution | None) -> pyvrp.Result:
    """PyVRP's search on `data` with our neighbourhood, every visited solution offered to
    `tracker` (its best included)."""
    params = SolveParams(neighbourhood=NEIGHBOURS, ils=IteratedLocalSearchParams(callbacks=tracker))
    with warnings.catch_warnings():
        # near-empty instances trip PyVRP's penalty-bound notice; the solver writes nothing
        warnings.simplefilter("ignore", PenaltyBoundWarning)
        result = pyvrp.solve(data, stop=stop, seed=seed, collect_stats=False, display=False,
                             initial_solution=start, params=params)
    tracker.consider(result.best)
    return result


def single_search(matrix, vehicles, clients, scale: int, per_second: int, seed: int,
         initial: list[list[int]] | None, max_iterations: int | None, time_limit: float):
    """One PyVRP search with the given weights: ((prize, -travel), routes) of the best feasible
    solution it visits (None when there is none), routes one per vehicle in client indices."""
    data, type_keys, keys = build_data(matrix, vehicles, clients, scale, per_second)
    tracker = BestVisited(sum(int(c.prize) for c in clients) * scale)
    position = {c.index: j for j, c in enumerate(clients)}

    start = None
    if initial is not None:
        routes = [pyvrp.Route(data, [position[c] for c in r], type_keys.index(k))
                  for r, k in zip(initial, keys) if r and all(c in position for c in r)]
        start = pyvrp.Solution(data, routes)
        tracker.consider(start)

    limit = MaxIterations(max_iterations) if max_iterations is not None else MaxRuntime(time_limit)
    result = run_search(data, tracker, AllServed(limit, tracker, max_iterations, time_limit),
                        seed, start)
    best = tracker.best if tracker.best is not None else result.best

    out: list[list[int]] = [[] for _ in vehicles]
    free = dict(enumerate(keys))
    for route in best.routes():
        key = type_keys[route.vehicle_type()]
        i = next(i for i, k in free.items() if k == key)
        del free[i]
        out[i] = [clients[a.idx].index for a in route if a.is_client()]
    if tracker.key is None:
        return None, out
    return (tracker.key[0] // scale, tracker.key[1]), out


def solve_pyvrp(matrix: np.ndarray, vehicles: Sequence[Vehicle], clients: Sequence[Client],
                time_limit: float, seed: int = 0, initial: list[list[int]] | None = None,
                max_iterations: int | None = None, explore: bool = True,
                weights: Sequence[float] = PORTFOLIO) -> list[list[int]]:
    """Best routes found; with `explore`, the budget is split evenly over one start per
    explore weight in `weights` (the warm start goes to the first), and the best of them by
    (prize, -travel) is returned. Once a start serves every client, the prize cannot grow:
    the rest is skipped."""
    exact = prize_factor(vehicles, clients)
    if not explore:
        return single_search(matrix, vehicles, clients, exact, 1, seed, initial, max_iterations,
                    time_limit)[1]
    t0 = time.perf_counter()
    total = sum(int(c.prize) for c in clients)
    its = None if max_iterations is None else max(2, max_iterations // len(weights))
    best_key, best, fallback = None, None, None
    for i, weight in enumerate(weights):
        share = max(0.0, time_limit - (time.perf_counter() - t0)) / (len(weights) - i)
        key, routes = portfolio_start(matrix, vehicles, clients, weight, exact, seed + 2 * i,
                             initial if i == 0 else None, its, share)
        if key is None:
            fallback = fallback or routes  # nothing feasible seen: `routes.repair` mends it
        elif best_key is None or key > best_key:
            best_key, best = key, routes
        if best_key is not None and best_key[0] >= total:
            break
    if best_key is None:
        return initial or fallback
    return best


def portfolio_start(matrix, vehicles, clients, weight: float, exact: int, seed: int,
           initial: list[list[int]] | None, max_iterations: int | None, time_limit: float):
    """One start of the portfolio: EXPLORE_SHARE of its budget searches with the explore
    weighting `weight`, the rest descends with the exact weighting from the best found."""
    t0 = time.perf_counter()
    scale, per_second = explore_weights(matrix, clients, weight)
    its = None if max_iterations is None else max(1, int(EXPLORE_SHARE * max_iterations))
    key, routes = single_search(matrix, vehicles, clients, scale, per_second, seed, initial, its,
                       EXPLORE_SHARE * time_limit)
    its = None if max_iterations is None else max(1, max_iterations - its)
    left = max(0.05, time_limit - (time.perf_counter() - t0))
    key2, routes2 = single_search(matrix, vehicles, clients, exact, 1, seed + 1,
                         routes if key is not None else initial, its, left)
    if key is None or (key2 is not None and key2 >= key):
        return key2, routes2
    return key, routes
