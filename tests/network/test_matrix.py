"""`network.matrix`: travel seconds between places, hand-computed (DESIGN §3 "Travel").

Numbers are hand-computed on the planar TINY scenario of tests/conftest.py: base at (0, 0),
village a at (3, 4) = 5 km, b at (6, 8) = 10 km; at 30 km/h with circuity 1 a km takes 120 s.
"""
from __future__ import annotations

import copy

import numpy as np

from planner.network import UNREACHABLE, TravelNetwork
from tests.conftest import TINY, make_scenario


def test_planar_travel_is_hand_computed(tiny_scenario):
    net = TravelNetwork(tiny_scenario)
    u = tiny_scenario.units[0]
    assert net.ids == ["base", "a", "b"]
    assert net.travel(u, "base", "a") == 600  # 5 km at 30 km/h
    assert net.travel(u, "base", "b") == 1200
    assert net.travel(u, "a", "b") == 600 and net.travel(u, "b", "a") == 600
    assert net.unit_seconds(u).dtype == np.int64


def test_travel_is_rounded_up_never_down():
    data = copy.deepcopy(TINY)
    data["travel"] = {"speed_kmh": 35, "circuity": 1.1}
    data["villages"][1] = {"id": "b", "x": 0.001, "y": 0, "unrecorded": 1}  # 1 m
    s = make_scenario(data)
    net, u = TravelNetwork(s), s.units[0]
    assert net.travel(u, "base", "a") == 566  # 5 km x 1.1 / 35 km/h = 565.71 s
    assert net.travel(u, "base", "b") == 1  # 0.1131 s


def test_exact_seconds_are_not_rounded_past():
    """600 s exactly stays 600 s (binary noise like 600.0000000001 must not make it 601)."""
    data = copy.deepcopy(TINY)
    data["travel"] = {"speed_kmh": 36, "circuity": 1.2}  # 5 km x 1.2 / 36 km/h = 600 s
    s = make_scenario(data)
    assert TravelNetwork(s).travel(s.units[0], "base", "a") == 600


def test_geodesic_agrees_with_geopy_within_a_second():
    from geopy.distance import geodesic

    rng = np.random.default_rng(7)
    pts = [(float(la), float(lo)) for la, lo in zip(rng.uniform(-6.0, -5.2, 12),
                                                    rng.uniform(104.9, 105.4, 12))]
    s = make_scenario(geometry="geodesic", travel={"speed_kmh": 30, "circuity": 1.3},
                      places=[{"id": "base", "lat": pts[0][0], "lon": pts[0][1]}],
                      villages=[{"id": f"v{i}", "lat": la, "lon": lo, "unrecorded": 1}
                                for i, (la, lo) in enumerate(pts[1:])])
    net, u = TravelNetwork(s), s.units[0]
    m = net.unit_seconds(u)
    for i, p in enumerate(pts):
        for j, q in enumerate(pts):
            want = geodesic(p, q).km * 1.3 / 30 * 3600
            assert 0 <= m[i, j] - want < 1.0 + 1e-6, (i, j, m[i, j], want)


WATER = {
    "places": [{"id": "base", "x": 0, "y": 0}, {"id": "port", "x": 3, "y": 0}],
    "links": [{"from": "port", "to": "island", "mode": "boat", "minutes": 30}],
    "villages": [{"id": "a", "x": 3, "y": 4, "unrecorded": 10},
                 # 1 km from base in a straight line, but reachable only by boat from the port
                 {"id": "island", "x": 0, "y": 1, "unrecorded": 10, "access": "water"}],
}


def test_water_village_is_reached_only_through_its_link():
    s = make_scenario(**WATER)
    net, u = TravelNetwork(s), s.units[0]
    assert net.travel(u, "base", "port") == 360  # 3 km
    assert net.travel(u, "base", "island") == 360 + 1800  # road to the port, then the boat
    assert net.travel(u, "island", "base") == 1800 + 360  # links are both ways by default
    assert net.travel(u, "a", "island") == 480 + 1800  # a -> port is 4 km


def test_oneway_links():
    data = copy.deepcopy(WATER)
    data["links"] = [{"from": "port", "to": "island", "minutes": 30, "oneway": True}]
    s = make_scenario(**data)
    net, u = TravelNetwork(s), s.units[0]
    assert net.travel(u, "base", "island") == 2160
    assert net.travel(u, "island", "base") == UNREACHABLE  # no way back
    data["links"].append({"from": "island", "to": "base", "minutes": 50.5, "oneway": True})
    s = make_scenario(**data)
    net = TravelNetwork(s)
    assert net.travel(s.units[0], "island", "base") == 3030
    assert net.travel(s.units[0], "island", "a") == 3030 + 600


def test_link_shortcut_beats_the_road():
    """A ferry faster than the road is used between road places too."""
    s = make_scenario(links=[{"from": "base", "to": "b", "mode": "ferry", "minutes": 5}])
    net, u = TravelNetwork(s), s.units[0]
    assert net.travel(u, "base", "b") == 300  # instead of 1200 by road
    assert net.travel(u, "a", "b") == 600  # the road is still shorter than a -> base -> ferry


def test_per_unit_speeds():
    s = make_scenario(units=[{"id": "U1", "base": "base"},
                             {"id": "U2", "base": "base", "speed_kmh": 60}],
                      links=[{"from": "base", "to": "b", "minutes": 15}])
    net = TravelNetwork(s)
    slow, fast = s.units
    assert net.travel(slow, "base", "a") == 600 and net.travel(fast, "base", "a") == 300
    # a -> b: the slow unit takes the road (600 s) ... the fast one too (300 s)
    assert net.travel(slow, "a", "b") == 600 and net.travel(fast, "a", "b") == 300
    # base -> b: the boat (900 s) beats the slow road (1200 s) but not the fast road (600 s)
    assert net.travel(slow, "base", "b") == 900 and net.travel(fast, "base", "b") == 600


def test_travel_too_long_for_any_horizon_is_unreachable_not_an_overflow():
    """Rounding up never wraps round: a leg beyond int64 (a speed near zero, a road graph's
    crawling edge) is UNREACHABLE, as a leg no plan can drive; so is a leg no one could
    measure (NaN), which a cast would turn into a negative time."""
    from planner.network.geometry import ceil_seconds

    got = ceil_seconds(np.array([599.9999999, 1e300, np.inf, 2.0 * UNREACHABLE, np.nan]))
    assert got.tolist() == [600, UNREACHABLE, UNREACHABLE, UNREACHABLE, UNREACHABLE]
