"""Travel on an osmnx-style road graph (GraphML: node x/y, edge length m, travel_time s or speed_kph)."""
from __future__ import annotations

from decimal import Decimal

import networkx as nx
import numpy as np

from ..scenario.model import Scenario
from .geometry import ceil_seconds, geodesic_km, planar_km


def road_graph_seconds(scenario: Scenario, ids: list[str], speed_kmh: Decimal) -> np.ndarray:
    """Shortest road time between places after snapping each to its nearest graph node.

    The snap leg (place to node) is added at the unit's speed, so a place far from any road
    is never treated as if it stood on one.
    """
    from .matrix import UNREACHABLE

    g = nx.read_graphml(scenario.travel.roads)
    nodes = list(g.nodes)
    nx_ = np.array([float(g.nodes[n]["x"]) for n in nodes])
    ny_ = np.array([float(g.nodes[n]["y"]) for n in nodes])
    speed = float(speed_kmh)
    wg = nx.DiGraph()
    for u, v, d in g.edges(data=True):
        if "travel_time" in d:
            t = float(d["travel_time"])
        else:
            kph = float(d.get("speed_kph", speed))
            t = float(d["length"]) / 1000.0 / kph * 3600.0
        t = int(ceil_seconds(np.array([t]))[0])
        for a, b in ((u, v),) if g.is_directed() else ((u, v), (v, u)):
            if not wg.has_edge(a, b) or wg[a][b]["t"] > t:
                wg.add_edge(a, b, t=t)
    pts = {p.id: p for p in list(scenario.places) + list(scenario.villages)}
    if scenario.geometry == "geodesic":
        lat = np.array([pts[i].lat for i in ids]); lon = np.array([pts[i].lon for i in ids])
        snap_km = geodesic_km(lat, lon, ny_, nx_)
    else:
        x = np.array([pts[i].x for i in ids]); y = np.array([pts[i].y for i in ids])
        snap_km = planar_km(x, y, nx_, ny_)
    nearest = snap_km.argmin(axis=1)
    snap_s = ceil_seconds(snap_km[np.arange(len(ids)), nearest] * float(scenario.circuity) / speed * 3600)
    out = np.full((len(ids), len(ids)), UNREACHABLE, np.int64)
    by_node: dict = {}
    for i, k in enumerate(nearest):
        by_node.setdefault(nodes[k], []).append(i)
    for node, rows in by_node.items():
        dist = nx.single_source_dijkstra_path_length(wg, node, weight="t") if node in wg else {node: 0}
        for node2, cols in by_node.items():
            if node2 in dist:
                for i in rows:
                    for j in cols:
                        out[i, j] = snap_s[i] + dist[node2] + snap_s[j]
    np.fill_diagonal(out, 0)
    return out
