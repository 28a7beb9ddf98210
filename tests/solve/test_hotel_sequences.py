"""Hotel sequences for multi-day tours (`solve/hotel_sequences.py`) and their race through
the route engine (`solve/trip_routes.race`)."""
from __future__ import annotations

import time

import numpy as np

from planner.solve.hotel_sequences import beam, day_sets, ranked
from planner.solve.trip_engine import Tour, TourSearch
from planner.solve.trip_routes import race
from tests.solve.test_trip_engine import shortest, toy

S, E, X = 0, 1, 2  # the toy's hotels: start, end, the other one


def search_of(limits) -> TourSearch:
    return TourSearch(toy(limits), np.random.default_rng(0))


def test_a_sequence_whose_days_reap_the_same_villages_counts_them_once():
    """Two days, nights at E or X. Through X both days reap villages 0 and 1 (3 + 5 = 8,
    8 + 8 = 16 if counted per day); through E the days reap village 2 (4) and village 6
    (7): 11. The union ranks E's sequence first; a sum of days would rank X's."""
    search = search_of([800, 800])
    both = (1 << 0) | (1 << 1)
    sets = {(0, S, X): both, (1, X, E): both, (0, S, E): 1 << 2, (1, E, E): 1 << 6}
    assert search.val[0] + search.val[1] == 8 and search.val[2] + search.val[6] == 11
    assert beam(search, sets) == [[S, E, E], [S, X, E]]


def test_a_beam_keeps_only_sequences_that_end_at_the_end_hotel():
    search = search_of([800, 800])
    sets = {(0, S, X): 1, (1, X, X): 2}  # no day reaches E
    assert beam(search, sets) == []


def test_day_sets_price_only_the_hops_that_fit_and_their_routes_fit_the_day():
    """S -> E is 1000 long: it fits no day of 800; S -> X (641) and X -> E do."""
    search = search_of([800, 800])
    sets = day_sets(search, time.monotonic() + 5)
    assert (0, S, E) not in sets and (0, S, X) in sets and (1, X, E) in sets
    assert all(a == S for (d, a, _) in sets if d == 0)
    assert all(b == E for (d, _, b) in sets if d == 1)
    prob = toy([800, 800])
    for (d, a, b), mask in sets.items():
        villages = [v for v in range(search.V) if mask >> v & 1]
        assert villages and shortest(prob, a, villages, b) <= 800


def test_ranked_tours_fit_their_days_best_first():
    search = search_of([1000, 600])
    tours = ranked(search, time.monotonic() + 5)
    assert tours and all(search.feasible(search.measure(t.copy())) for t in tours)
    keys = [t.key() for t in tours]
    assert keys == sorted(keys, reverse=True)


def test_the_race_returns_a_fitting_tour_no_worse_than_its_best_entrant():
    search = search_of([700, 900])
    entrants = ranked(search, time.monotonic() + 5)
    worst_first = sorted(entrants, key=Tour.key)
    best = race(search, worst_first, time.monotonic() + 1.5, seed=1)
    assert best.key() >= max(t.key() for t in entrants)
    assert search.feasible(search.measure(best.copy()))
