"""PyVRP adapter for whole multi-day tours (the trip engine's problem, `trip_engine`).

One vehicle, one route over the whole window. The days are laid end to end in time: day d
runs from C(d-1) to C(d), C being the running sum of the day limits, and each night is a
required client group of copies of the hotels that may host it, each copy's time window the
single instant C(d) (a day that ends early waits there). So the route is a tour whose every
day fits its limit and whose every night is at a hotel, exactly, and PyVRP's search chooses
villages, their days and the hotels together. The route leaves `start` and ends at `end`.

Prizes are weighted as in `engine_pyvrp` (a portfolio of explore weightings, each followed by
the exact one); every visited feasible route is compared by (prize, -travel) exactly.
"""
from __future__ import annotations

import time

import numpy as np
import pyvrp
from pyvrp.stop import MaxRuntime

from .engine_model import Client, clamp_matrix
from .engine_pyvrp import COST_CEILING, PORTFOLIO, BestVisited, explore_weights, run_search

EXPLORE_SHARE = 0.75  # of each start's budget with its explore weighting, as in engine_pyvrp


class TourModel:
    """The tour as PyVRP data: `matrix` (hotels then villages, int64 seconds), `hotels` H,
    `start`/`end` hotel positions, `nights` (hotel positions that may host a night),
    `limits` per day, `prize` (int) and `service` per village (village v at H + v)."""

    def __init__(self, matrix, hotels: int, start: int, end: int, nights, limits, prize,
                 service):
        self.matrix = clamp_matrix(matrix)
        self.H, self.start, self.end = hotels, start, end
        self.ends = np.cumsum(np.asarray(limits, np.int64))
        self.villages = [int(v) for v in np.flatnonzero(np.asarray(prize) > 0)]
        self.prize = np.asarray(prize, np.int64)
        self.service = np.asarray(service, np.int64)
        self.copies = [(n, int(h)) for n in range(1, len(limits)) for h in nights]
        self.clients = [Client(hotels + v, int(self.prize[v]), int(self.service[v]))
                        for v in self.villages]
        self.total = int(self.prize[self.villages].sum())  # every village's prize

    def data(self, scale: int, per_second: int) -> pyvrp.ProblemData:
        nv = len(self.villages)
        clients = [pyvrp.Client(c.index, service_duration=c.service, prize=c.prize * scale,
                                required=False) for c in self.clients]
        groups: dict[int, list[int]] = {}
        for i, (n, h) in enumerate(self.copies):
            at = int(self.ends[n - 1])
            clients.append(pyvrp.Client(h, tw_early=at, tw_late=at, required=False, group=n - 1))
            groups.setdefault(n - 1, []).append(nv + i)
        return pyvrp.ProblemData(
            locations=[pyvrp.Location(0, 0) for _ in range(len(self.matrix))],
            clients=clients, depots=[pyvrp.Depot(self.start), pyvrp.Depot(self.end)],
            vehicle_types=[pyvrp.VehicleType(1, start_depot=0, end_depot=1, tw_early=0,
                                             tw_late=int(self.ends[-1]),
                                             unit_distance_cost=per_second)],
            distance_matrices=[self.matrix], duration_matrices=[self.matrix],
            groups=[pyvrp.ClientGroup(groups[g]) for g in sorted(groups)])

    def visits(self, hotels: list[int], days: list[list[int]]) -> list[int]:
        """A tour (hotel per night boundary, villages per day) as PyVRP client indices."""
        pos = {v: j for j, v in enumerate(self.villages)}
        copy = {c: len(self.villages) + i for i, c in enumerate(self.copies)}
        out: list[int] = []
        for d, day in enumerate(days):
            out += [pos[v] for v in day if v in pos]
            if d + 1 < len(days):
                out.append(copy[(d + 1, hotels[d + 1])])
        return out

    def tour(self, route) -> tuple[list[int], list[list[int]]]:
        """PyVRP route -> (hotel per night boundary, villages per day)."""
        days: list[list[int]] = [[]]
        hotels = [self.start]
        for a in route:
            if not a.is_client():
                continue
            if a.idx < len(self.villages):
                days[-1].append(self.villages[a.idx])
            else:
                hotels.append(self.copies[a.idx - len(self.villages)][1])
                days.append([])
        return hotels + [self.end], days


def search_once(model: TourModel, scale: int, per_second: int, seed: int, initial,
                time_limit: float):
    """One PyVRP search: ((prize, -travel), tour) of the best feasible route it visits, or
    (None, None)."""
    data = model.data(scale, per_second)
    tracker = BestVisited(model.total * scale)
    start = None
    if initial is not None:
        try:
            start = pyvrp.Solution(data, [pyvrp.Route(data, model.visits(*initial), 0)])
            tracker.consider(start)
        except KeyError:  # a night at a hotel that may not host one: no warm start
            start = None
    run_search(data, tracker, MaxRuntime(max(0.0, time_limit)), seed, start)
    if tracker.key is None or not tracker.best.routes():
        return None, None
    return ((tracker.key[0] // scale, tracker.key[1]),
            model.tour(tracker.best.routes()[0]))


def solve_tour_pyvrp(model: TourModel, time_limit: float, seed: int = 0, initial=None):
    """The best tour (hotels, days) found in `time_limit` seconds over the `PORTFOLIO` of
    explore weightings (the warm start `initial` goes to the first), or None."""
    if not model.clients:
        return None
    exact = max(1, min(int(model.ends[-1]) + 1, COST_CEILING // max(1, model.total)))
    t0 = time.perf_counter()
    best_key, best = None, None
    for i, weight in enumerate(PORTFOLIO):
        share = max(0.0, time_limit - (time.perf_counter() - t0)) / (len(PORTFOLIO) - i)
        scale, per_second = explore_weights(model.matrix, model.clients, weight)
        key, tour = search_once(model, scale, per_second, seed + 2 * i,
                                initial if i == 0 else None, EXPLORE_SHARE * share)
        key2, tour2 = search_once(model, exact, 1, seed + 2 * i + 1,
                                  tour if tour is not None else initial,
                                  (1 - EXPLORE_SHARE) * share)
        for k, t in ((key, tour), (key2, tour2)):
            if k is not None and (best_key is None or k > best_key):
                best_key, best = k, t
    return best

