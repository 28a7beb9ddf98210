"""The trip engine's measures and moves (`solve/trip_engine.py`): the toy tours whose
optimum is found by brute force (`test_trip_routes` solves them), the split of one path into
days at hotels, and bench/ophs.py's reader of the OPHS files (both layouts)."""
from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from planner.solve.trip_engine import Tour, TourProblem, TourSearch

# start hotel S (0,0), end hotel E (10,0), one other hotel X (5,4); villages around.
HOTELS = [(0, 0), (10, 0), (5, 4)]
VILLAGES = [(1, 1, 3), (2, 3, 5), (4, 5, 4), (6, 5, 6), (8, 3, 2), (9, 1, 3), (5, -2, 7)]


def toy(limits, scale=100):
    pts = HOTELS + [(x, y) for x, y, _ in VILLAGES]
    dist = np.array([[math.ceil(scale * math.dist(a, b)) for b in pts] for a in pts], np.int64)
    value = np.array([s for _, _, s in VILLAGES], float)
    return TourProblem(dist, 3, 0, 1, limits, value, np.zeros(len(VILLAGES), np.int64),
                       np.ones(len(VILLAGES), bool))


def shortest(prob, a, seq, b):
    """Least length from hotel a through the villages `seq` (any order) to hotel b."""
    if not seq:
        return prob.dist[a, b]
    h = prob.hotels
    return min(prob.dist[a, h + p[0]] + sum(prob.dist[h + u, h + v] for u, v in zip(p, p[1:]))
               + prob.dist[h + p[-1], b] for p in itertools.permutations(seq))


def brute_force(prob) -> float:
    """Best score of a two-day tour: every night hotel, every split of the villages into
    day one, day two and not visited."""
    best = 0.0
    n = len(prob.value)
    for night in range(prob.hotels):
        for labels in itertools.product(range(3), repeat=n):
            days = [[v for v in range(n) if labels[v] == d] for d in (0, 1)]
            score = sum(prob.value[v] for v in range(n) if labels[v] < 2)
            if score <= best:
                continue
            if shortest(prob, prob.start, days[0], night) <= prob.limits[0] and \
                    shortest(prob, night, days[1], prob.end) <= prob.limits[1]:
                best = score
    return best


def test_one_path_is_cut_into_days_at_a_hotel():
    """S -> (1,1) -> (2,3) -> (4,5) -> X -> (6,5) -> (8,3) -> (9,1) -> E: the cut at X
    is 7.9 + 7.9 long (hundredths rounded up per edge): the cut at X fits two days of 800."""
    prob = toy([800, 800])
    search = TourSearch(prob, np.random.default_rng(0))
    tour = search.split([0, 1, 2, 3, 4, 5])
    assert tour.hotels == [0, 2, 1]
    assert set(tour.days[0]) >= {0, 1, 2} and set(tour.days[1]) >= {3, 4, 5}
    assert all(ln <= lim for ln, lim in zip(tour.lens, prob.limits))


def test_the_ophs_reader_reads_both_layouts():
    from bench.ophs import OPHS, read_instance, to_scenario

    if not OPHS.exists():
        pytest.skip("no OPHS data")
    a = read_instance(OPHS / "SET1" / "1-2" / "100-30-1-2.ophs")  # CRLF, tabs, dashes
    assert (a.extra_hotels, a.days, a.tmax, a.td) == (1, 2, 30.0, [21.6591, 8.12403])
    assert len(a.points) == 101 and len(a.scored) == 98
    assert a.points[0] == (18.19, 6.32, 0) and a.points[3] == (15.52, 28.03, 7)
    b = read_instance(OPHS / "EXTRA" / "SET_2-3_TSP" / "eil51-H4-T3-S3.ophs")  # spaces, LF
    assert (b.extra_hotels, b.days, b.td) == (2, 3, [114.0, 114.0, 114.0])
    assert len(b.scored) == 51 and b.points[0] == (37.0, 52.0, 0)
    scenario = to_scenario(a)
    assert scenario.units[0].max_nights == 1
    assert sum(p.lodging for p in scenario.places) == 3


def with_twins(prob, of):
    """`prob` with a twin (a second visit, worth half) of each village position in `of`."""
    n, h, of = len(prob.value), prob.hotels, list(of)
    idx = list(range(h + n)) + [h + v for v in of]
    twin = np.full(n + len(of), -1, np.int64)
    twin[n:] = of
    twin[of] = np.arange(n, n + len(of))
    return TourProblem(prob.dist[np.ix_(idx, idx)], h, prob.start, prob.end, prob.limits,
                       np.concatenate([prob.value, prob.value[of] / 2]),
                       np.concatenate([prob.service, prob.service[of]]),
                       np.ones(n + len(of), bool), twin=twin)


def test_a_village_and_its_twin_are_never_on_the_same_day():
    """Days long enough for everything: the fill takes every village and every twin, each
    twin on the other day than its village (the one place two visits may not share)."""
    prob = with_twins(toy([5000, 5000]), range(len(VILLAGES)))
    search = TourSearch(prob, np.random.default_rng(0))
    tour = search.local(search.measure(Tour([0, 2, 1], [[], []])))
    n = len(VILLAGES)
    assert sorted(tour.days[0] + tour.days[1]) == list(range(2 * n))
    for day in tour.days:
        assert not {v for v in day if v < n} & {int(prob.twin[v]) for v in day if v >= n}
    assert tour.score == pytest.approx(1.5 * sum(s for _, _, s in VILLAGES))


def test_measuring_a_tour_drops_a_twin_from_its_villages_day():
    """A day from the route engine or a cut path may hold a village and its twin: measuring
    keeps the first of the two that day."""
    prob = with_twins(toy([800, 800]), [0])
    search = TourSearch(prob, np.random.default_rng(0))
    tour = search.measure(Tour([0, 2, 1], [[7, 1, 0], [3]]))
    assert tour.days == [[7, 1], [3]]
    assert tour.score == pytest.approx(1.5 + 5 + 6)
