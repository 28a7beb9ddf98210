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


def test_road_travel_matches_networkx_dijkstra_on_random_graphs(tmp_path):
    """The sparse-matrix search gives networkx's shortest paths exactly: directed and
    undirected graphs, parallel edges (the shortest counts), edges of no time, isolated
    nodes, edges too long to drive, two unit speeds."""
    import random
    from decimal import Decimal

    import networkx as nx
    import numpy as np

    from planner.network.geometry import ceil_seconds
    from planner.network.roads import road_graph_seconds
    from planner.scenario.model import Scenario

    rng = random.Random(3)
    for case in range(40):
        directed = rng.random() < 0.4
        g = nx.MultiDiGraph() if directed else nx.MultiGraph()
        n = rng.randint(1, 25)
        for i in range(n):
            g.add_node(f"n{i}", x=rng.uniform(0, 20), y=rng.uniform(0, 20))
        for _ in range(rng.randint(0, 3 * n)):
            a, b = f"n{rng.randrange(n)}", f"n{rng.randrange(n)}"
            kind = rng.randrange(5)
            if kind == 0:
                g.add_edge(a, b, travel_time=rng.choice([0.0, 299.5, 1e15]))
            elif kind == 1:
                g.add_edge(a, b, length=rng.uniform(0, 9000), speed_kph=45.5)
            else:
                g.add_edge(a, b, length=rng.uniform(0, 9000))
        file = tmp_path / f"g{case}.graphml"
        nx.write_graphml(g, file)
        villages = [{"id": f"v{j}", "x": rng.uniform(-2, 22), "y": rng.uniform(-2, 22),
                     "unrecorded": 5} for j in range(rng.randint(1, 8))]
        s = Scenario.model_validate({**TINY, "travel": {"speed_kmh": 30, "roads": str(file)},
                                     "villages": villages})
        ids = ["base"] + [v["id"] for v in villages]
        xy = np.array([[0.0, 0.0]] + [[v["x"], v["y"]] for v in villages])
        nodes = np.array([[d["x"], d["y"]] for _, d in g.nodes(data=True)])
        names = list(g.nodes)
        for speed in (Decimal(30), Decimal("7.5")):
            ref = nx.DiGraph()
            ref.add_nodes_from(names)
            for a, b, d in g.edges(data=True):
                t = d["travel_time"] if "travel_time" in d else \
                    d["length"] / 1000 / d.get("speed_kph", float(speed)) * 3600
                t = int(ceil_seconds(np.array([t]))[0])
                for u, w in ((a, b),) if directed else ((a, b), (b, a)):
                    if not ref.has_edge(u, w) or ref[u][w]["t"] > t:
                        ref.add_edge(u, w, t=t)
            near = [int(np.argmin(((nodes - p) ** 2).sum(axis=1))) for p in xy]
            snap = ceil_seconds(np.hypot(*(xy - nodes[near]).T) / float(speed) * 3600)
            got = road_graph_seconds(s, ids, speed)
            for i, a in enumerate(ids):
                lengths = nx.single_source_dijkstra_path_length(ref, names[near[i]], weight="t")
                for j, b in enumerate(ids):
                    want = 0 if i == j else min(UNREACHABLE, lengths.get(names[near[j]], UNREACHABLE)
                                                + snap[i] + snap[j])
                    assert got[i, j] == want, (case, a, b)


def test_an_osmnx_style_file_reads_and_routes(tmp_path):
    """What osmnx's save_graphml writes: a MultiDiGraph whose attributes are all strings
    (`osmid` lists, `highway` lists, `geometry` WKT, `oneway` words), both directions of a
    two-way road, parallel edges (the faster counts) and a one-way road."""
    import shutil

    from tests.test_bad_input import WITH_ROADS

    shutil.copy(Path(__file__).with_name("osmnx_style.graphml"), tmp_path / "r.graphml")
    (tmp_path / "s.yaml").write_text(WITH_ROADS)
    s = load_scenario(tmp_path / "s.yaml")
    net, u = TravelNetwork(s), s.units[0]
    there, back = net.travel(u, "kantor", "desa-a"), net.travel(u, "desa-a", "kantor")
    assert there == back and 279 <= there < 279 + 60  # the road's travel_time + two snaps
    # kantor -> 102 (279 s) -> 103 by the faster of two parallel one-way edges (3000 s)
    assert 3279 <= net.travel(u, "kantor", "dermaga") < 3279 + 120
    assert net.travel(u, "dermaga", "kantor") == UNREACHABLE  # 102 -> 103 is one-way


def test_road_graph_times_are_searched_once_per_speed(tmp_path, monkeypatch):
    """The hub graph, `legs` and the outputs ask for the road times again and again (the
    simulation once per visit reached by boat): with a road graph each answer is a search
    from every place, so the network keeps them per speed, read-only."""
    import numpy as np
    import pytest

    from planner.network import legs as legs_module
    from planner.network import matrix

    _write_roads(tmp_path / "roads.graphml")
    path = tmp_path / "s.yaml"
    data = {**TINY, "travel": {"speed_kmh": 30, "roads": "roads.graphml"},
            "places": [{"id": "base", "x": 0, "y": 0.1}, {"id": "port", "x": 10, "y": 0}],
            "villages": [{"id": "a", "x": 10, "y": 10, "unrecorded": 5},
                         {"id": "w", "x": 12, "y": 0, "unrecorded": 5, "access": "water"}],
            "links": [{"from": "port", "to": "w", "minutes": 10}]}
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    s = load_scenario(path)
    searches = []
    real = matrix.road_graph_seconds
    monkeypatch.setattr(matrix, "road_graph_seconds",
                        lambda *args: searches.append(args[2]) or real(*args))
    net, u = TravelNetwork(s), s.units[0]
    # base -> port: 12 s snap + 600 s road; the boat 600 s
    assert net.travel(u, "base", "w") == 612 + 600
    for _ in range(3):
        assert [leg.mode for leg in legs_module.legs(net, u, "base", "w")] == ["road", "boat"]
        net.graph(s.unit_speed(u))
    assert len(searches) == 1
    with pytest.raises(ValueError, match="read-only"):
        net.road_seconds(s.unit_speed(u))[0, 1] = 0
    assert isinstance(net.road_seconds(s.unit_speed(u)), np.ndarray)
