"""`network.roads`: travel over an osmnx-style road graph (GraphML), snapping each place to
its nearest node (DESIGN §3 "Travel")."""
from __future__ import annotations

from pathlib import Path

import yaml

from planner.network import UNREACHABLE, TravelNetwork
from planner.scenario import load_scenario
from tests.conftest import TINY


def _write_roads(file: Path) -> None:
    import networkx as nx

    g = nx.Graph()
    g.add_node("n0", x=0.0, y=0.0)
    g.add_node("n1", x=10.0, y=0.0)
    g.add_node("n2", x=10.0, y=10.0)
    g.add_node("n3", x=50.0, y=50.0)  # an island of road: no edge
    g.add_edge("n0", "n1", length=10_000.0, speed_kph=60.0)  # 600 s
    g.add_edge("n1", "n2", length=10_000.0, travel_time=299.5)  # rounded up to 300 s
    nx.write_graphml(g, file)


def test_road_graph_travel_is_snap_plus_shortest_path(tmp_path):
    _write_roads(tmp_path / "roads.graphml")
    path = tmp_path / "s.yaml"
    data = {**TINY, "travel": {"speed_kmh": 30, "roads": "roads.graphml"},
            "places": [{"id": "base", "x": 0, "y": 0.1}],
            "villages": [{"id": "a", "x": 10, "y": 10, "unrecorded": 5},
                         {"id": "far", "x": 50, "y": 49.9, "unrecorded": 5}]}
    text = yaml.safe_dump(data, sort_keys=False)
    path.write_text(text)
    s = load_scenario(path)
    net, u = TravelNetwork(s), s.units[0]
    # 0.1 km snap at 30 km/h = 12 s, then n0 -> n1 -> n2 = 600 + 300 s, then 0 s
    assert net.travel(u, "base", "a") == 912
    assert net.travel(u, "a", "base") == 912
    assert net.travel(u, "base", "far") == UNREACHABLE  # no road joins n3


def test_the_road_graph_is_read_once_until_the_file_changes(tmp_path):
    from planner.scenario.roads import read_road_graph

    file = tmp_path / "roads.graphml"
    _write_roads(file)
    first = read_road_graph(file)
    assert read_road_graph(file) is first  # the loader's parse serves the network
    assert len(first.nodes) == 4 and len(first.edges) == 2
    import networkx as nx

    g = nx.read_graphml(file)
    g.add_edge("n2", "n3", length=1000.0)
    nx.write_graphml(g, file)
    again = read_road_graph(file)
    assert again is not first and len(again.edges) == 3


def test_a_scenario_built_in_code_with_nodes_past_the_pole_is_refused(tmp_path):
    """`load_scenario` reports such a graph at its `roads:` line; a Scenario built in code
    reaches the network, which must refuse it too, not measure travel as NaN."""
    import networkx as nx
    import pytest

    from planner.scenario.model import Scenario
    from planner.scenario.roads import RoadGraphError

    g = nx.Graph()
    g.add_node("n0", x=105.06, y=95.0)
    g.add_node("n1", x=105.07, y=95.0)
    g.add_edge("n0", "n1", length=900.0)
    nx.write_graphml(g, tmp_path / "roads.graphml")
    data = {**TINY, "geometry": "geodesic",
            "travel": {"speed_kmh": 30, "roads": str(tmp_path / "roads.graphml")},
            "places": [{"id": "base", "lat": -5.39, "lon": 105.06}],
            "villages": [{"id": "a", "lat": -5.42, "lon": 105.07, "unrecorded": 5}]}
    s = Scenario.model_validate(data)
    with pytest.raises(RoadGraphError, match="node 'n0': 'y' is 95; expected a latitude"):
        TravelNetwork(s).travel(s.units[0], "base", "a")
