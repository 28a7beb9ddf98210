"""Travel on an osmnx-style road graph (GraphML: node x/y, edge length m, travel_time s or speed_kph)."""
from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import numpy as np

from ..scenario.model import Scenario
from ..scenario.roads import RoadGraph, RoadGraphError, coordinate_problem, read_road_graph
from .geometry import UNREACHABLE, ceil_seconds, geodesic_pairs_km

if TYPE_CHECKING:
    from scipy.sparse import csr_array

SOURCES_AT_ONCE = 64  # Dijkstra rows held at once: 64 x 100,000 nodes x 8 bytes = 51 MB


def road_graph_seconds(scenario: Scenario, ids: list[str], speed_kmh: Decimal) -> np.ndarray:
    """Shortest road time between places after snapping each to its nearest graph node.

    The snap leg (place to node) is added at the unit's speed, so a place far from any road
    is never treated as if it stood on one. The graph as networkx read it becomes a sparse
    matrix of whole seconds, searched from the snapped nodes by SciPy's compiled Dijkstra: a
    district's OSM graph has tens of thousands of nodes, too many for a Python search from
    every village (`bench/travel.py` compares the two).
    """
    from scipy.sparse.csgraph import dijkstra  # here: most scenarios have no road graph

    g = read_road_graph(scenario.travel.roads)
    problem = coordinate_problem(g, scenario.geometry)
    if problem is not None:  # `load_scenario` reports it at the `roads:` line; a Scenario
        raise RoadGraphError(f"{scenario.travel.roads}: {problem}")  # built in code gets it here
    nx_ = np.array(g.x, float)
    ny_ = np.array(g.y, float)
    speed = float(speed_kmh)
    graph = _seconds_graph(g, speed)
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
    used, at = np.unique(nearest, return_inverse=True)
    node_s = np.empty((len(used), len(used)), np.int64)
    for first in range(0, len(used), SOURCES_AT_ONCE):  # rows of all nodes, a block at a time
        rows = dijkstra(graph, directed=True, indices=used[first:first + SOURCES_AT_ONCE])
        node_s[first:first + SOURCES_AT_ONCE] = _whole_seconds(rows[:, used])
    out = node_s[at[:, None], at[None, :]] + snap_s[:, None] + snap_s[None, :]
    out[out >= UNREACHABLE] = UNREACHABLE
    np.fill_diagonal(out, 0)
    return out


def _seconds_graph(g: RoadGraph, speed_kmh: float) -> csr_array:
    """The road graph as a sparse matrix of edge seconds (rounded up, the shortest of
    parallel edges, both ways unless the file's graph is directed; explicit zeros are
    edges of no time)."""
    from scipy.sparse import csr_array

    index = {n: i for i, n in enumerate(g.nodes)}
    u = np.array([index[e.u] for e in g.edges], np.int64)
    v = np.array([index[e.v] for e in g.edges], np.int64)
    t = ceil_seconds(np.array([e.seconds if e.seconds is not None
                               else e.length_m / 1000.0 / (e.speed_kph or speed_kmh) * 3600.0
                               for e in g.edges], float))
    if not g.directed:
        u, v, t = np.concatenate([u, v]), np.concatenate([v, u]), np.concatenate([t, t])
    n = len(g.nodes)
    order = np.lexsort((t, v, u))  # per (u, v) the shortest first
    u, v, t = u[order], v[order], t[order]
    first = np.ones(len(u), bool)
    first[1:] = (u[1:] != u[:-1]) | (v[1:] != v[:-1])
    return csr_array((t[first].astype(float), (u[first], v[first])), shape=(n, n))


def _whole_seconds(rows: np.ndarray) -> np.ndarray:
    """Dijkstra's float sums back to integer seconds: exact below 2^53, and anything at
    or beyond UNREACHABLE (including no path, inf) is UNREACHABLE."""
    return np.where(rows < UNREACHABLE, rows, UNREACHABLE).astype(np.int64)


def _nearest(x: np.ndarray, y: np.ndarray, nx_: np.ndarray, ny_: np.ndarray,
             cells: int = 2_000_000) -> np.ndarray:
    """Index of the nearest node for each point, in chunks of points whose distance rows
    hold about `cells` numbers (16 MB each), whatever the graph's size (a city's has 10^5
    nodes)."""
    out = np.empty(len(x), np.int64)
    chunk = max(1, cells // max(1, len(nx_)))
    for start in range(0, len(x), chunk):
        sl = slice(start, start + chunk)
        d2 = (x[sl, None] - nx_[None, :]) ** 2 + (y[sl, None] - ny_[None, :]) ** 2
        out[sl] = d2.argmin(axis=1)
    return out
