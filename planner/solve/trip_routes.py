"""The trip engine's tours (`trip_engine`) through the day-route engine (`route_engine`,
PyVRP): hotel sequences raced by the engine.

For a fixed hotel sequence, PyVRP plans the days far better than a search in Python: one
vehicle per day from that night's hotel to the next, each within its day limit (the team
orienteering problem, `hotel_tour`). What remains is which sequence: `solve_tour` ranks
sequences by a greedy fill (`TourSearch.initial`, `hotel_sequences.ranked`) and adds the
sequence of the single path from start to end within the sum of the day limits, cut at
hotels (`path_tour`); `race` then spends the time where the engine's own short runs prove a
sequence good (a heat of cold runs, then successive halving). A cold start: warm-started
from a greedy fill, the engine stays near it.

Villages' values become integer prizes (`PRIZE_SCALE` per unit of value, rounded), so the
engine's order is the tour's up to that rounding; every tour coming back is re-measured by
`TourSearch`, never trusted. Second visits (twins) get no prize: the engine plans first
visits, as fast as without twins, and the local moves after each run add second visits
where a day has room left.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .engine_model import Client, Vehicle
from .hotel_sequences import ranked
from .route_engine import solve_routes
from .trip_engine import Tour, TourProblem, TourSearch

PRIZE_SCALE = 100  # prize points per unit of a village's value
# Of the tour's time: the greedy fill of sampled hotel sequences, the ranked sequences
# (`hotel_sequences`), the path tour; the rest goes to the race.
SHARES = {"initial": 0.03, "ranked": 0.08, "path": 0.08}
INITIAL_SEQUENCES = 100  # hotel sequences sampled and filled greedily (`TourSearch.initial`)
RACED = 200  # most hotel sequences entered in the race
SCREEN_RUN = 0.1  # seconds of each cold engine run of the race's first heat
SCREEN_SHARE = 0.4  # of the race's time, the most for its first heat
KEEP = 1 / 3  # share of the sequences each later round of the race keeps
RACE_WEIGHTS = (1.0,)  # one explore weighting per race run: short runs do not split
FINAL_WEIGHTS = (0.4, 1.0)  # the last sequence's run
OVERHEAD = 0.05  # seconds a run takes beyond its budget (data, polishing)


@dataclass(frozen=True)
class TourBudget:
    """Iteration limits instead of the clock (deterministic runs: same seed, same tour):
    `sequences` hotel sequences filled greedily (`TourSearch.initial`); with
    `heat_iterations`, the path tour and each of them get a cold engine run of that many
    iterations, and the best tour `final_iterations` more. The default fills only: engine
    runs cost far more per window than they add (bench/results/NOTES.md, trip engine)."""

    sequences: int = 12
    heat_iterations: int = 0
    final_iterations: int = 0


def prizes(search: TourSearch) -> np.ndarray:
    """Each village's integer prize (0 where it may not be visited, and for second visits:
    the engine plans first visits only, and the local moves after it add second ones where
    room is left, so twins do not slow the engine down)."""
    open_ = search.p.open_ & ~search.second
    return np.where(open_, np.round(search.val * PRIZE_SCALE), 0).astype(np.int64)


def clients_of(search: TourSearch) -> list[Client]:
    """The villages with a prize as the engine's clients (matrix index H + village)."""
    prize = prizes(search)
    return [Client(search.H + int(v), int(prize[v]), int(search.svc[v]))
            for v in np.flatnonzero(prize > 0)]


def as_tour(search: TourSearch, hotels: list[int], routes: list[list[int]]) -> Tour:
    """Engine routes (matrix indices) as a measured tour."""
    days = [[int(c) - search.H for c in r] for r in routes]
    return search.measure(Tour(list(hotels), days))


def path_tour(search: TourSearch, time_limit: float, seed: int,
              max_iterations: int | None = None) -> Tour | None:
    """One path from start to end within the sum of the day limits, cut into days at hotels
    and polished by the search's local moves; None when no cut fits."""
    clients = clients_of(search)
    if not clients:
        return None
    vehicle = Vehicle(search.p.start, search.p.end, 0, int(search.limits.sum()))
    route = solve_routes(search.M, [vehicle], clients, time_limit, seed,
                         max_iterations=max_iterations)[0]
    if not route:
        return None
    tour = search.split([int(c) - search.H for c in route])
    return tour if tour is not None and search.feasible(tour) else None


def hotel_tour(search: TourSearch, hotels: list[int], time_limit: float, seed: int,
               initial: Tour | None = None, weights=None,
               max_iterations: int | None = None) -> Tour | None:
    """The best days the engine finds for one hotel sequence (one vehicle per day), polished
    by the search's local moves; None when a day cannot fit its hotels' hop. `weights`:
    the engine's explore weights (default its portfolio); `max_iterations` replaces the
    time limit (deterministic)."""
    vehicles = [Vehicle(int(a), int(b), 0, int(lim))
                for a, b, lim in zip(hotels, hotels[1:], search.limits)]
    warm = None
    if initial is not None and list(initial.hotels) == list(hotels):
        warm = [[search.H + v for v in day if not search.second[v]] for day in initial.days]
    routes = solve_routes(search.M, vehicles, clients_of(search), time_limit, seed, initial=warm,
                          weights=weights, max_iterations=max_iterations)
    tour = search.local(as_tour(search, hotels, routes))
    return tour if search.feasible(tour) else None


def race(search: TourSearch, tours: list[Tour], deadline: float, seed: int) -> Tour:
    """The best tour of a race over the hotel sequences of `tours` (best first). A heat of
    short cold engine runs (`hotel_tour`, `SCREEN_RUN` seconds each, one explore
    weighting) for as many sequences as `SCREEN_SHARE` of the time allows ranks them far
    better than a greedy fill; then successive halving: each round plans the days of every
    sequence left, warm-started from its last tour, the same time per round, and keeps the
    best `KEEP` of them; the last sequence gets what is left, with `FINAL_WEIGHTS`. A
    sequence's days need seconds to reach their best, so time goes where they prove good."""
    left = deadline - time.monotonic()
    heat = max(1, int(SCREEN_SHARE * left / (SCREEN_RUN + OVERHEAD)))
    pool = sorted((better(t, hotel_tour(search, t.hotels, SCREEN_RUN, seed + i, None,
                                        RACE_WEIGHTS))
                   for i, t in enumerate(tours[:heat])), key=Tour.key, reverse=True)
    for round_ in range(1, 64):
        pool = pool[:max(1, int(np.ceil(len(pool) * KEEP)))]
        left = deadline - time.monotonic()
        if len(pool) <= 1 or left <= 0:
            break
        rounds = int(np.ceil(np.log(len(pool)) / np.log(1 / KEEP))) + 1
        each = left / rounds / len(pool) - OVERHEAD
        if each < SCREEN_RUN:
            break
        pool = sorted((better(t, hotel_tour(search, t.hotels, each, seed + 100 * round_ + i,
                                            t, RACE_WEIGHTS))
                       for i, t in enumerate(pool)), key=Tour.key, reverse=True)
    best = pool[0]
    left = deadline - time.monotonic() - OVERHEAD
    if left > SCREEN_RUN:
        best = better(best, hotel_tour(search, best.hotels, left, seed + 9999, best,
                                       FINAL_WEIGHTS))
    return best


def better(a: Tour, b: Tour | None) -> Tour:
    """`b` when it exists and beats `a` by (score, -length), else `a`."""
    return b if b is not None and b.key() > a.key() else a


def solve_tour(prob: TourProblem, deadline: float | None, seed: int = 0,
               budget: TourBudget | None = None) -> Tour | None:
    """The trip engine's best tour for `prob` by `deadline` (time.monotonic), or None: the
    hotel sequences the greedy fill and `hotel_sequences` rank best and the path tour's,
    raced by the route engine (`race`). With a `budget` instead of a deadline, iteration
    limits replace the clock (`deterministic`)."""
    if not prob.limits:
        return None
    if budget is not None:
        return deterministic(prob, budget, seed)
    search = TourSearch(prob, np.random.default_rng(seed))
    now = time.monotonic()
    span = deadline - now
    best = search.initial(now + SHARES["initial"] * span, most=INITIAL_SEQUENCES)
    if best is None:
        return None
    tours = sorted(ranked(search, time.monotonic() + SHARES["ranked"] * span) + search.ranked,
                   key=Tour.key, reverse=True)
    path = path_tour(search, SHARES["path"] * span, seed)
    pool: dict[tuple[int, ...], Tour] = {}
    for t in ([path] if path is not None else []) + tours:
        pool.setdefault(tuple(t.hotels), t)
        if len(pool) >= RACED:
            break
    return better(best, race(search, list(pool.values()), deadline, seed))


def deterministic(prob: TourProblem, budget: TourBudget, seed: int) -> Tour | None:
    """`solve_tour` on iteration limits: the greedy fill's best `budget.sequences` hotel
    sequences and the path tour, one cold engine run each, then more for the best (no
    engine run where the iterations are 0)."""
    search = TourSearch(prob, np.random.default_rng(seed))
    best = search.initial(float("inf"), most=budget.sequences)
    if best is None or not budget.heat_iterations:
        return best
    path = path_tour(search, 0.0, seed, budget.heat_iterations)
    for i, t in enumerate(([path] if path is not None else []) + search.ranked):
        best = better(best, t)
        best = better(best, hotel_tour(search, t.hotels, 0.0, seed + i, None, RACE_WEIGHTS,
                                       budget.heat_iterations))
    if not budget.final_iterations:
        return best
    return better(best, hotel_tour(search, best.hotels, 0.0, seed + 9999, best, FINAL_WEIGHTS,
                                   budget.final_iterations))
