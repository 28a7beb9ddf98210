"""The route engine's tours for the trip engine (`solve/trip_routes.py`): the raced hotel
sequences reach the brute-force optimum of the toy tours, never sleep where no night may be
spent, and the path and hotel tours fit their days."""
from __future__ import annotations

import time

import numpy as np
import pytest

from planner.solve.trip_engine import TourProblem, TourSearch
from planner.solve.trip_routes import TourBudget, hotel_tour, path_tour, solve_tour
from tests.solve.test_trip_engine import brute_force, toy

LIMITS = [[800, 700], [1000, 600], [700, 900]]


def search_of(prob: TourProblem) -> TourSearch:
    search = TourSearch(prob, np.random.default_rng(0))
    search.initial(time.monotonic() + 1)
    return search


@pytest.mark.parametrize("limits", LIMITS)
def test_solve_tour_with_the_engine_reaches_the_brute_force_optimum(limits):
    prob = toy(limits)
    tour = solve_tour(prob, deadline=time.monotonic() + 2, seed=2)
    assert tour is not None and tour.score == brute_force(prob)
    search = search_of(prob)
    assert search.feasible(search.measure(tour.copy()))
    assert tour.hotels[0] == prob.start and tour.hotels[-1] == prob.end


@pytest.mark.parametrize("budget", [TourBudget(), TourBudget(12, 200, 500)])
@pytest.mark.parametrize("limits", LIMITS)
def test_on_an_iteration_budget_the_same_tour_twice_and_the_optimum(limits, budget):
    """Deterministic runs: the greedy fill alone, or with engine runs on iteration limits;
    the same seed gives the same tour, and on the toys the brute-force optimum."""
    prob = toy(limits)
    tours = [solve_tour(prob, None, seed=2, budget=budget) for _ in range(2)]
    assert tours[0] == tours[1] and tours[0].score == brute_force(prob)


def test_a_hotel_that_hosts_no_night_is_never_slept_at():
    """Two days of 800: every tour sleeps at X (S -> E alone is 1000). Days of 1100 and
    800 with X barred: only S and E host nights, and the tour sleeps at one of them and
    scores what brute force gives with X out of reach."""
    assert solve_tour(toy([800, 800]), time.monotonic() + 1, seed=1).hotels[1] == 2
    barred = toy([1100, 800])
    barred.nights = np.array([True, True, False])
    tour = solve_tour(barred, time.monotonic() + 1, seed=1)
    assert tour.hotels[1] in (0, 1)
    # brute force over the allowed night hotels: the toy's brute force with X unreachable
    closed = toy([1100, 800])
    closed.dist = closed.dist.copy()
    closed.dist[2, :] = closed.dist[:, 2] = 10**6
    closed.dist[2, 2] = 0
    assert tour.score == brute_force(closed)


def test_path_and_hotel_tours_fit_their_days():
    prob = toy([800, 800])
    search = search_of(prob)
    for tour in (path_tour(search, 0.3, seed=1), hotel_tour(search, [0, 2, 1], 0.3, seed=1),
                 hotel_tour(search, [0, 2, 1], 0.3, seed=1, weights=(1.0,))):
        assert tour is not None
        assert all(ln <= lim for ln, lim in zip(search.measure(tour.copy()).lens, prob.limits))


def test_a_hotel_sequence_whose_hop_does_not_fit_gives_no_tour():
    """S -> E is 1000: no day of 800 holds it, whatever the villages."""
    search = search_of(toy([800, 800]))
    assert hotel_tour(search, [0, 1, 1], 0.3, seed=1) is None
