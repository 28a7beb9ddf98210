"""`check_roads.RoadGraphMeasure`: the checker's own road-graph travel, by hand.

The graphs are planar (node x, y in km) unless a test says otherwise; the unit drives 30 km/h,
so 1 km of snap leg is 120 s, and an edge of `length` 5,000 m without a speed of its own is
600 s.
"""
from __future__ import annotations

import math

import networkx as nx
import pytest

from planner.check_roads import NotMeasurable, RoadGraphMeasure
from tests.conftest import TINY, make_scenario


def measure_of(tmp_path, graph, places=None, villages=None, geometry="planar", circuity=1.0):
    file = tmp_path / "roads.graphml"
    nx.write_graphml(graph, file)
    s = make_scenario(geometry=geometry, travel={"speed_kmh": 30, "roads": str(file)},
                      places=places or TINY["places"], villages=villages or TINY["villages"])
    return RoadGraphMeasure(s, circuity)


def seconds(m: RoadGraphMeasure, a: str, b: str, speed: float = 30.0) -> float:
    (na, ka), (nb, kb) = m.snaps(a)[0], m.snaps(b)[0]
    return m.snap_seconds(ka, speed) + m.exact_node_seconds(speed, na, nb) \
        + m.snap_seconds(kb, speed)


def test_snap_legs_and_the_least_of_parallel_edges(tmp_path):
    g = nx.MultiGraph()
    g.add_node("n0", x=0.0, y=0.5)   # base (0, 0) is 0.5 km away: 60 s
    g.add_node("n1", x=3.0, y=4.0)   # a stands on it
    g.add_node("n2", x=6.0, y=8.0)   # b stands on it
    g.add_edge("n0", "n1", length=5_000.0)                  # 600 s
    g.add_edge("n0", "n1", length=9_000.0)                  # a longer parallel road
    g.add_edge("n1", "n2", travel_time=299.5)               # 300 s, rounded up
    g.add_edge("n1", "n2", length=5_000.0, speed_kph=60.0)  # 300 s as well
    m = measure_of(tmp_path, g)
    assert seconds(m, "base", "a") == 60 + 600
    assert seconds(m, "a", "b") == 300
    assert seconds(m, "b", "base") == 300 + 600 + 60


def test_circuity_and_unit_speed_on_the_snap_leg_only(tmp_path):
    g = nx.Graph()
    g.add_node("n0", x=0.0, y=1.0)
    g.add_node("n1", x=3.0, y=4.0)
    g.add_edge("n0", "n1", length=5_000.0, speed_kph=60.0)  # 300 s at any unit speed
    m = measure_of(tmp_path, g)
    m.circuity = 1.5
    # snap 1 km x 1.5 at 15 km/h = 360 s
    assert seconds(m, "base", "a", speed=15.0) == 360 + 300


def test_one_way_roads_are_driven_one_way(tmp_path):
    g = nx.MultiDiGraph()
    g.add_node("n0", x=0.0, y=0.0)
    g.add_node("n1", x=3.0, y=4.0)
    g.add_edge("n0", "n1", length=5_000.0)    # 600 s out
    g.add_edge("n1", "n0", length=15_000.0)   # 1,800 s back
    m = measure_of(tmp_path, g, villages=TINY["villages"][:1])
    assert seconds(m, "base", "a") == 600
    assert seconds(m, "a", "base") == 1800


def test_no_way_is_infinite_and_a_tie_gives_both_nodes(tmp_path):
    g = nx.Graph()
    g.add_node("n0", x=0.0, y=0.0)
    g.add_node("twin", x=0.0, y=0.0)  # the same spot: either is the base's node
    g.add_node("n1", x=3.0, y=4.0)
    g.add_edge("twin", "n1", length=5_000.0)
    m = measure_of(tmp_path, g, villages=TINY["villages"][:1])
    assert [node for node, _ in m.snaps("base")] == [0, 1]
    assert m.exact_node_seconds(30.0, 0, 2) == math.inf
    assert m.exact_node_seconds(30.0, 1, 2) == 600


def test_a_search_cut_off_sees_what_was_asked(tmp_path):
    g = nx.path_graph(["n0", "n1", "n2"])
    for i, name in enumerate(["n0", "n1", "n2"]):
        g.nodes[name].update(x=5.0 * i, y=0.0)
    nx.set_edge_attributes(g, 5_000.0, "length")  # 600 s each
    m = measure_of(tmp_path, g)
    m.ask(30.0, 0, 700)
    assert m.node_seconds(30.0, 0, 1) == 600
    assert m.node_seconds(30.0, 0, 2) == math.inf   # beyond the cut-off
    m.ask(30.0, 0, 1300)
    assert m.node_seconds(30.0, 0, 2) == 1200       # searched again, further


def test_geodesic_snap_legs_and_a_node_past_the_pole(tmp_path):
    g = nx.Graph()
    g.add_node("n0", x=105.0, y=-5.0)
    places = [{"id": "base", "name": "Kantor", "lat": -5.01, "lon": 105.0}]
    villages = [{"id": "a", "name": "Desa A", "district": "Timur", "lat": -5.0, "lon": 105.0,
                 "unrecorded": 5}]
    m = measure_of(tmp_path, g, places=places, villages=villages, geometry="geodesic")
    (_, km), = m.snaps("base")
    assert km == pytest.approx(1.1057, abs=1e-3)  # 0.01 degree of latitude near the equator
    g.nodes["n0"]["y"] = 95.0
    bad = measure_of(tmp_path, g, places=places, villages=villages, geometry="geodesic")
    with pytest.raises(NotMeasurable, match="no place on Earth"):
        bad.snaps("a")
