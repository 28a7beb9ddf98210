"""Travel on an osmnx-style road graph (GraphML: node x/y, edge length m, travel_time s or speed_kph)."""
from __future__ import annotations

from decimal import Decimal

import networkx as nx
import numpy as np

from ..scenario.model import Scenario
from ..scenario.roads import RoadGraphError, coordinate_problem, read_road_graph
from .geometry import UNREACHABLE, ceil_seconds, geodesic_pairs_km


def road_graph_seconds(scenario: Scenario, ids: list[str], speed_kmh: Decimal) -> np.ndarray:
    """Shortest road time between places after snapping each to its nearest graph node.

    The snap leg (place to node) is added at the unit's speed, so a place far from any road
    is never treated as if it stood on one.
    """
    g = read_road_graph(scenario.travel.roads)
    problem = coordinate_problem(g, scenario.geometry)
    if problem is not None:  # `load_scenario` reports it at the `roads:` line; a Scenario
        raise RoadGraphError(f"{scenario.travel.roads}: {problem}")  # built in code gets it here
    nodes = list(g.nodes)
    nx_ = np.array(g.x, float)
    ny_ = np.array(g.y, float)
    speed = float(speed_kmh)
    wg = nx.DiGraph()
    for e in g.edges:
        t = e.seconds if e.seconds is not None else e.length_m / 1000.0 / (e.speed_kph or speed) * 3600.0
        t = int(ceil_seconds(np.array([t]))[0])
        for a, b in ((e.u, e.v),) if g.directed else ((e.u, e.v), (e.v, e.u)):
            if not wg.has_edge(a, b) or wg[a][b]["t"] > t:
                wg.add_edge(a, b, t=t)
    pts = {p.id: p for p in list(scenario.places) + list(scenario.villages)}
    if scenario.geometry == "geodesic":
        lat = np.array([pts[i].lat for i in ids], float); lon = np.array([pts[i].lon for i in ids], float)
        # nearest node on a local flat projection (cheap), then the exact geodesic snap leg
        k = np.cos(np.radians(np.mean(lat)))
        nearest = _nearest(lon * k, lat, nx_ * k, ny_)
        snap_km = geodesic_pairs_km(lat, lon, ny_[nearest], nx_[nearest])
    else:
        x = np.array([pts[i].x for i in ids], float); y = np.array([pts[i].y for i in ids], float)
        nearest = _nearest(x, y, nx_, ny_)
        snap_km = np.hypot(x - nx_[nearest], y - ny_[nearest])
    snap_s = ceil_seconds(snap_km * float(scenario.circuity) / speed * 3600)
    # shortest node-to-node times among the snapped nodes only, then one numpy gather
    used = sorted(set(int(k) for k in nearest))
    slot = {k: i for i, k in enumerate(used)}
    node_s = np.full((len(used), len(used)), UNREACHABLE, np.int64)
    for a, k in enumerate(used):
        node = nodes[k]
        dist = nx.single_source_dijkstra_path_length(wg, node, weight="t") if node in wg else {node: 0}
        for b, k2 in enumerate(used):
            if nodes[k2] in dist:
                node_s[a, b] = dist[nodes[k2]]
    at = np.array([slot[int(k)] for k in nearest])
    out = node_s[at[:, None], at[None, :]] + snap_s[:, None] + snap_s[None, :]
    out[out >= UNREACHABLE] = UNREACHABLE
    np.fill_diagonal(out, 0)
    return out


def _nearest(x: np.ndarray, y: np.ndarray, nx_: np.ndarray, ny_: np.ndarray,
             chunk: int = 256) -> np.ndarray:
    """Index of the nearest node for each point, in chunks (a city graph has 10^5 nodes)."""
    out = np.empty(len(x), np.int64)
    for start in range(0, len(x), chunk):
        sl = slice(start, start + chunk)
        d2 = (x[sl, None] - nx_[None, :]) ** 2 + (y[sl, None] - ny_[None, :]) ** 2
        out[sl] = d2.argmin(axis=1)
    return out
