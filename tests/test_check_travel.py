"""`check_travel`: the checker's own travel measure, by hand.

Planar unless a test says otherwise; the unit drives 30 km/h, so 1 km of road or snap leg is
120 s, and a road graph edge of `length` 5,000 m without a speed of its own is 600 s. TINY:
base (0, 0), a (3, 4), b (6, 8).
"""
from __future__ import annotations

import math

import networkx as nx
import pytest

from planner.check_travel import DirectRoads, GraphRoads, Travel, whole_seconds
from tests.conftest import TINY, make_scenario


def graph_roads(tmp_path, graph, places=None, villages=None, geometry="planar", **travel):
    file = tmp_path / "roads.graphml"
    nx.write_graphml(graph, file)
    s = make_scenario(geometry=geometry, travel={"speed_kmh": 30, "roads": str(file), **travel},
                      places=places or TINY["places"], villages=villages or TINY["villages"])
    roads = GraphRoads(s)
    assert roads.prepare([p.id for p in s.places] + [v.id for v in s.villages]) == {}
    return roads


def exact(roads: GraphRoads, a: str, b: str, speed: float = 30.0) -> float:
    """Snap leg + way + snap leg through the first nearest nodes, without the tolerance."""
    (na, ka), (nb, kb) = roads.snaps(a)[0], roads.snaps(b)[0]
    return roads.snap_seconds(ka, speed) + roads.node_seconds(speed, na, nb) \
        + roads.snap_seconds(kb, speed)


def test_direct_roads_and_water():
    s = make_scenario(villages=[*TINY["villages"], {"id": "w", "x": 1, "y": 0,
                                                    "unrecorded": 5, "access": "water"}],
                      links=[{"from": "base", "to": "w", "minutes": 5}])
    roads = DirectRoads(s)
    assert roads.road(30.0, "base", "a") == (600, 600)     # 5 km
    assert roads.road(7.5, "a", "b") == (2400, 2400)       # 5 km at 7.5 km/h
    assert roads.road(30.0, "base", "w") == (math.inf, math.inf)
    s13 = make_scenario(travel={"speed_kmh": 30, "circuity": 1.3})
    assert DirectRoads(s13).road(30.0, "base", "a") == (780, 780)  # 6.5 road km


def test_links_one_way_and_water_villages():
    # a boat from base to a (1 min, one way) and between a and the water village w (5 min)
    s = make_scenario(
        villages=[*TINY["villages"], {"id": "w", "x": 50, "y": 0, "unrecorded": 5,
                                      "access": "water"}],
        links=[{"from": "base", "to": "a", "minutes": 1, "oneway": True},
               {"from": "a", "to": "w", "minutes": 5}])
    travel = Travel(s)
    assert travel.prepare(["base", "a", "b", "w"]) == {}
    assert travel.seconds(30.0, "base", "a") == (60, 60)
    assert travel.seconds(30.0, "a", "base") == (600, 600)   # the boat goes one way
    assert travel.seconds(30.0, "base", "w") == (360, 360)   # boat, boat
    assert travel.seconds(30.0, "w", "base") == (900, 900)   # boat, then 5 km of road
    assert travel.seconds(30.0, "b", "w") == (900, 900)      # 5 km of road to a, boat
    assert travel.seconds(30.0, "base", "b") == (660, 660)   # boat to a, then road


def test_snap_legs_and_the_least_of_parallel_edges(tmp_path):
    g = nx.MultiGraph()
    g.add_node("n0", x=0.0, y=0.5)   # base (0, 0) is 0.5 km away: 60 s
    g.add_node("n1", x=3.0, y=4.0)   # a stands on it
    g.add_node("n2", x=6.0, y=8.0)   # b stands on it
    g.add_edge("n0", "n1", length=5_000.0)                  # 600 s
    g.add_edge("n0", "n1", length=9_000.0)                  # a longer parallel road
    g.add_edge("n1", "n2", travel_time=299.5)               # 300 s, rounded up
    g.add_edge("n1", "n2", length=5_000.0, speed_kph=60.0)  # 300 s as well
    roads = graph_roads(tmp_path, g)
    assert exact(roads, "base", "a") == 60 + 600
    assert exact(roads, "a", "b") == 300
    assert exact(roads, "b", "base") == 300 + 600 + 60
    assert roads.road(30.0, "b", "base") == (960 - 3, 960 + 3)


def test_circuity_and_unit_speed_on_the_snap_leg_only(tmp_path):
    g = nx.Graph()
    g.add_node("n0", x=0.0, y=1.0)
    g.add_node("n1", x=3.0, y=4.0)
    g.add_edge("n0", "n1", length=5_000.0, speed_kph=60.0)  # 300 s at any unit speed
    roads = graph_roads(tmp_path, g, circuity=1.5)
    # snap 1 km x 1.5 at 15 km/h = 360 s
    assert exact(roads, "base", "a", speed=15.0) == 360 + 300
    assert roads.snap_seconds(2.0, 3.0) == 3600  # 2 km x 1.5 at 3 km/h: an hour


def test_one_way_roads_are_driven_one_way(tmp_path):
    g = nx.MultiDiGraph()
    g.add_node("n0", x=0.0, y=0.0)
    g.add_node("n1", x=3.0, y=4.0)
    g.add_edge("n0", "n1", length=5_000.0)    # 600 s out
    g.add_edge("n1", "n0", length=15_000.0)   # 1,800 s back
    roads = graph_roads(tmp_path, g, villages=TINY["villages"][:1])
    assert exact(roads, "base", "a") == 600
    assert exact(roads, "a", "base") == 1800


def test_no_way_is_infinite_and_a_float_tie_gives_both_nodes(tmp_path):
    g = nx.Graph()
    g.add_node("n0", x=0.0, y=1.0)
    g.add_node("twin", x=0.0, y=1.0)             # the same spot: n0, the first, is nearest
    g.add_node("near_tie", x=1.0, y=1e-13)      # 1 km away too, but for a float's width
    g.add_node("n1", x=3.0, y=4.0)
    g.add_edge("twin", "n1", length=5_000.0)
    g.add_edge("near_tie", "n1", length=5_000.0)
    roads = graph_roads(tmp_path, g, villages=TINY["villages"][:1])
    assert [node for node, _ in roads.snaps("base")] == [0, 2]
    assert roads.node_seconds(30.0, 0, 3) == math.inf
    assert roads.node_seconds(30.0, 2, 3) == 600
    # through n0 no way, through near_tie 120 + 600 s: either
    assert roads.road(30.0, "base", "a") == (720 - 3, math.inf)


def test_geodesic_snap_legs_and_a_node_past_the_pole(tmp_path):
    g = nx.Graph()
    g.add_node("n0", x=105.0, y=-5.0)
    places = [{"id": "base", "name": "Kantor", "lat": -5.01, "lon": 105.0}]
    villages = [{"id": "a", "name": "Desa A", "district": "Timur", "lat": -5.0, "lon": 105.0,
                 "unrecorded": 5}]
    roads = graph_roads(tmp_path, g, places=places, villages=villages, geometry="geodesic")
    (_, km), = roads.snaps("base")
    assert km == pytest.approx(1.1057, abs=1e-3)  # 0.01 degree of latitude near the equator
    g.nodes["n0"]["y"] = 95.0
    file = tmp_path / "pole.graphml"
    nx.write_graphml(g, file)
    s = make_scenario(geometry="geodesic", travel={"speed_kmh": 30, "roads": str(file)},
                      places=places, villages=villages)
    bad = GraphRoads(s).prepare(["base", "a"])
    assert set(bad) == {"base", "a"} and "no place on Earth" in bad["a"]


def test_a_road_to_one_unmeasurable_place_bounds_nothing(tmp_path):
    # base snaps to n0; a, at 89 degrees north, to a node past the pole, which has no
    # geodesic distance: a's roads are (0, inf) either way, base's own snap is kept
    g = nx.Graph()
    g.add_node("n0", x=105.0, y=-5.0)
    g.add_node("pole", x=0.0, y=95.0)
    file = tmp_path / "roads.graphml"
    nx.write_graphml(g, file)
    s = make_scenario(geometry="geodesic", travel={"speed_kmh": 30, "roads": str(file)},
                      places=[{"id": "base", "name": "Kantor", "lat": -5.01, "lon": 105.0}],
                      villages=[{"id": "a", "name": "Desa A", "district": "Timur", "lat": 89.0,
                                 "lon": 0.0, "unrecorded": 5}])
    roads = GraphRoads(s)
    assert set(roads.prepare(["base", "a"])) == {"a"}
    assert roads.road(30.0, "base", "a") == (0, math.inf)
    assert roads.road(30.0, "a", "base") == (0, math.inf)


def test_the_network_lies_in_the_measure_on_random_scenarios():
    """The checker's measure and `planner.network` are written apart; a disagreement would be
    a false alarm on every plan driving that leg, and the optimiser would hand out its greedy
    plan. Every ordered pair of places of random scenarios: geodesic (near Lampung, near a
    pole, across the antimeridian) and planar, links one way and to water villages, two unit
    speeds."""
    import random

    from planner.network import UNREACHABLE, TravelNetwork
    from planner.scenario.model import Scenario

    rng = random.Random(7)
    boxes = {"lampung": ((-6, -4), (104, 106)), "pole": ((89, 90), (-180, 180)),
             "antimeridian": ((-10, 10), (179.9, 180))}
    for case in range(40):
        kind = rng.choice([*boxes, "planar"])

        def at():
            if kind == "planar":
                return {"x": rng.uniform(0, 50), "y": rng.uniform(0, 50)}
            (la, lb), (oa, ob) = boxes[kind]
            lon = rng.uniform(oa, ob)
            return {"lat": rng.uniform(la, lb), "lon": lon if lon <= 180 else lon - 360}

        villages = [{"id": f"v{j}", **at(), "unrecorded": 5} for j in range(rng.randint(2, 9))]
        links = []
        if rng.random() < 0.6:
            for j in rng.sample(range(len(villages)), k=rng.randint(1, 2)):
                villages[j]["access"] = "water" if rng.random() < 0.5 else "road"
                links.append({"from": "port", "to": f"v{j}", "minutes": rng.choice([1, 30, 45.5]),
                              "oneway": rng.random() < 0.3})
                if links[-1]["oneway"]:
                    links.append({"from": f"v{j}", "to": "port", "minutes": 90, "oneway": True})
        s = Scenario.model_validate({
            **TINY, "geometry": "planar" if kind == "planar" else "geodesic",
            "travel": {"speed_kmh": rng.choice([7.5, 30, 47.3]),
                       "circuity": rng.choice([1.0, 1.37])},
            "places": [{"id": "base", **at()}, {"id": "port", **at()}],
            "units": [{"id": "U1", "base": "base"}, {"id": "U2", "base": "base", "speed_kmh": 60}],
            "villages": villages, "links": links})
        network, measure = TravelNetwork(s), Travel(s)
        assert measure.prepare(network.ids) == {}
        for u in s.units:
            times = network.unit_seconds(u)
            for i, a in enumerate(network.ids):
                for j, b in enumerate(network.ids):
                    least, most = measure.seconds(float(s.unit_speed(u)), a, b)
                    got = int(times[i, j])
                    if got >= UNREACHABLE:
                        assert least == math.inf, (case, a, b)
                    else:
                        assert least <= got <= most, (case, kind, a, b, got, least, most)


def test_whole_seconds_round_up_whatever_is_left_past_a_microsecond():
    # float noise below a microsecond is no time (600.0000000001 s from 10 km at 60 km/h);
    # 2 microseconds more than 600 s is a road of 601 whole seconds, never 600 (DESIGN §3:
    # rounded up, never optimistic)
    assert whole_seconds(600.0000000001) == 600
    assert whole_seconds(600.000002) == 601
    assert whole_seconds(599.9999999) == 600


def test_geodesic_nearest_node_on_a_flat_projection_around_the_mean_latitude(tmp_path):
    # At 60°N a degree of longitude is half a degree of latitude: a node 0.01° east (about
    # 0.56 km) is nearer than one 0.006° north (about 0.67 km), though farther in degrees;
    # the one north is no float tie with it either (1.44 times its squared distance).
    g = nx.Graph()
    g.add_node("north", x=0.0, y=60.006)
    g.add_node("east", x=0.01, y=60.0)
    g.add_edge("north", "east", length=1_000.0)
    places = [{"id": "base", "name": "Kantor", "lat": 60.0, "lon": 0.0}]
    villages = [{"id": "a", "name": "Desa A", "district": "Timur", "lat": 60.0, "lon": 0.0,
                 "unrecorded": 5}]
    roads = graph_roads(tmp_path, g, places=places, villages=villages, geometry="geodesic")
    (node, km), = roads.snaps("base")
    assert node == 1 and km == pytest.approx(0.558, abs=1e-3)
