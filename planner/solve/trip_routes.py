"""Whole tours through the day-route engine (`route_engine`, PyVRP): the trip engine's
(`trip_engine`) strongest starts.

Two problems that PyVRP solves far better than a search in Python:

- the single path from the tour's start to its end within the sum of the day limits (the
  orienteering problem), then cut into days at hotels by `TourSearch.split`: on instances
  whose optimal tour is an optimal path cut at hotels this finds the tour's villages;
- for a fixed hotel sequence, the days themselves: one vehicle per day from that night's
  hotel to the next, each within its day limit (the team orienteering problem), warm-started
  from the best tour with those hotels.

Villages' values become integer prizes (`PRIZE_SCALE` per unit of value, rounded), so the
engine's order is the tour's up to that rounding; every tour coming back is re-measured by
`TourSearch`, never trusted.
"""
from __future__ import annotations

import time

import numpy as np

from .engine_model import Client, Vehicle
from .engine_tour import TourModel, solve_tour_pyvrp
from .route_engine import solve_routes
from .trip_engine import Tour, TourProblem, TourSearch

PRIZE_SCALE = 100  # prize points per unit of a village's value
SEQUENCES = 3  # hotel sequences whose days the engine plans
# Of the starts' time: the path tour, the whole tour, the hotel sequences together; the rest
# goes to the best sequence's days.
SHARES = {"path": 0.15, "whole": 0.25, "sequences": 0.2}


def prizes(search: TourSearch) -> np.ndarray:
    """Each village's integer prize (0 where it may not be visited)."""
    return np.where(search.p.open_, np.round(search.val * PRIZE_SCALE), 0).astype(np.int64)


def clients_of(search: TourSearch) -> list[Client]:
    """The villages with a prize as the engine's clients (matrix index H + village)."""
    prize = prizes(search)
    return [Client(search.H + int(v), int(prize[v]), int(search.svc[v]))
            for v in np.flatnonzero(prize > 0)]


def as_tour(search: TourSearch, hotels: list[int], routes: list[list[int]]) -> Tour:
    """Engine routes (matrix indices) as a measured tour."""
    days = [[int(c) - search.H for c in r] for r in routes]
    return search.measure(Tour(list(hotels), days))


def path_tour(search: TourSearch, time_limit: float, seed: int) -> Tour | None:
    """One path from start to end within the sum of the day limits, cut into days at hotels
    and polished by the search's local moves; None when no cut fits."""
    clients = clients_of(search)
    if not clients:
        return None
    vehicle = Vehicle(search.p.start, search.p.end, 0, int(search.limits.sum()))
    route = solve_routes(search.M, [vehicle], clients, time_limit, seed)[0]
    if not route:
        return None
    tour = search.split([int(c) - search.H for c in route])
    return tour if tour is not None and search.feasible(tour) else None


def hotel_tour(search: TourSearch, hotels: list[int], time_limit: float, seed: int,
               initial: Tour | None = None) -> Tour | None:
    """The best days the engine finds for one hotel sequence (one vehicle per day), polished
    by the search's local moves; None when a day cannot fit its hotels' hop."""
    vehicles = [Vehicle(int(a), int(b), 0, int(lim))
                for a, b, lim in zip(hotels, hotels[1:], search.limits)]
    warm = None
    if initial is not None and list(initial.hotels) == list(hotels):
        warm = [[search.H + v for v in day] for day in initial.days]
    routes = solve_routes(search.M, vehicles, clients_of(search), time_limit, seed, initial=warm)
    tour = search.local(as_tour(search, hotels, routes))
    return tour if search.feasible(tour) else None


def whole_tour(search: TourSearch, time_limit: float, seed: int,
               initial: Tour | None = None) -> Tour | None:
    """The engine's whole tour (`engine_tour`: villages, days and hotels together), polished
    by the search's local moves; None when it finds none."""
    model = TourModel(search.M, search.H, search.p.start, search.p.end, search.night_hotels,
                      search.limits, prizes(search), search.svc)
    warm = None if initial is None else (initial.hotels, initial.days)
    found = solve_tour_pyvrp(model, time_limit, seed, warm)
    if found is None:
        return None
    tour = search.local(search.measure(Tour(*found)))
    return tour if search.feasible(tour) else None


def engine_starts(search: TourSearch, best: Tour, until: float, seed: int,
                  sequences: int = SEQUENCES) -> Tour:
    """The best of `best`, the path tour, the whole tour and the engine's days for the hotel
    sequences of the best tours so far (`best`, then `search.ranked`), then the rest of the
    time to `until` for the days of the best tour's hotel sequence; `SHARES` of that time
    each."""
    now = time.monotonic()
    span = until - now
    for make in (lambda: path_tour(search, SHARES["path"] * span, seed),
                 lambda: whole_tour(search, SHARES["whole"] * span, seed, best)):
        t = make()
        if t is not None and t.key() > best.key():
            best = t
    tried: list[list[int]] = []
    each = SHARES["sequences"] * span / sequences
    for i, t in enumerate([best] + search.ranked):
        if len(tried) >= sequences or time.monotonic() >= until:
            break
        if t.hotels in tried:
            continue
        tried.append(list(t.hotels))
        c = hotel_tour(search, t.hotels, each, seed + 1 + i, initial=t)
        if c is not None and c.key() > best.key():
            best = c
    left = until - time.monotonic()
    if left > 0:
        c = hotel_tour(search, best.hotels, left, seed + 1 + sequences, initial=best)
        if c is not None and c.key() > best.key():
            best = c
    return best


def solve_tour(prob: TourProblem, deadline: float, seed: int = 0) -> Tour | None:
    """The trip engine's best tour for `prob` by `deadline` (time.monotonic), started from
    the route engine's tours (`engine_starts`), or None."""
    if not prob.limits:
        return None
    search = TourSearch(prob, np.random.default_rng(seed))
    return search.run(deadline, starts=lambda s, b, until: engine_starts(s, b, until, seed))
