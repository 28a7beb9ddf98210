"""The checker's own measure of travel on a road graph (DESIGN §3 "Travel" with `travel.roads`).

`planner.check`'s `travel_network` rule holds the shared travel network against the roads
measured here. Written apart from `planner.network.roads`, from the documented definition: a
place joins the road graph at its nearest node (nearest on a flat projection around the mean
latitude of the scenario's places and villages, or in the planar geometry's km), the leg to
that node is its straight-line distance (geopy's geodesic, not the network's pyproj) x
circuity at the unit's speed, and each road edge takes its `travel_time`, or its `length` at
its `speed_kph` (else the unit's speed), rounded up to whole seconds, the shortest of parallel
edges, both ways unless the file's graph is directed. What it shares with the network is the
parsed file (`scenario.roads.read_road_graph`, the input as the contract reads it) and SciPy's
compiled Dijkstra: a district's graph has tens of thousands of nodes, and a networkx search per
leg driven would take most of a minute (`bench/travel.py`'s baseline column).
"""
from __future__ import annotations

import math
import warnings
from typing import Optional

import numpy as np

from .scenario.model import Scenario
from .scenario.roads import read_road_graph

# Two snap legs measured by geopy where the network uses pyproj (the two agree to the
# millimetre, but each leg may round up to the other whole second), and a second for an
# edge whose float time lies within a microsecond of a whole second.
ROAD_TOLERANCE_S = 3
# Nodes whose projected distance to a place ties the nearest one within this relative
# margin are all taken as its node (a float tie in the network's own search may pick either).
TIE = 1e-9


class NotMeasurable(ValueError):
    """A place's nearest node has no straight-line distance to it (a node past a pole)."""


class RoadGraphMeasure:
    """Road time between places of one scenario, over its road graph, at given unit speeds.

    `seconds(speed, a, b, at_most)` answers one leg; legs sharing a start share one search,
    cut off at the longest time asked of it (`plan` announces the legs first)."""

    def __init__(self, scenario: Scenario, circuity: float):
        self.scenario = scenario
        self.circuity = circuity
        self.graph = read_road_graph(scenario.travel.roads)
        self.node_x = np.array(self.graph.x, float)
        self.node_y = np.array(self.graph.y, float)
        self.geodesic = scenario.geometry == "geodesic"
        points = list(scenario.places) + list(scenario.villages)
        self.points = {p.id: p for p in points}
        mean_lat = float(np.mean([p.lat for p in points])) if self.geodesic else 0.0
        self.x_scale = math.cos(math.radians(mean_lat)) if self.geodesic else 1.0
        self._weights: dict[float, object] = {}  # speed -> sparse matrix of edge seconds
        self._snaps: dict[str, list[tuple[int, float]]] = {}  # place -> [(node, km)]
        self._asked: dict[tuple[float, int], int] = {}  # (speed, node) -> search cut-off
        self._rows: dict[tuple[float, int], tuple[int, np.ndarray]] = {}

    # -- snapping ---------------------------------------------------------------------------
    def snaps(self, place: str) -> list[tuple[int, float]]:
        """The place's nearest node(s) (more than one only on a float tie) and the straight
        km to each; raises `NotMeasurable` when that distance is no number."""
        if place not in self._snaps:
            p = self.points[place]
            px, py = (p.lon, p.lat) if self.geodesic else (p.x, p.y)
            d2 = ((self.node_x - px) * self.x_scale) ** 2 + (self.node_y - py) ** 2
            least = float(np.nanmin(d2)) if np.isfinite(d2).any() else math.inf
            near = np.flatnonzero(d2 <= least * (1 + TIE) + 1e-30)[:4]
            self._snaps[place] = [(int(n), self._km(p, int(n))) for n in near]
        return self._snaps[place]

    def _km(self, p, node: int) -> float:
        x, y = float(self.node_x[node]), float(self.node_y[node])
        if not self.geodesic:
            return math.hypot(p.x - x, p.y - y)
        from geopy.distance import geodesic

        try:
            with warnings.catch_warnings():  # geopy warns before it refuses
                warnings.simplefilter("ignore")
                km = geodesic((p.lat, p.lon), (y, x)).km
        except ValueError as exc:  # geopy refuses a latitude beyond ±90
            raise NotMeasurable(f"its nearest road node {self.graph.nodes[node]!r} "
                                f"(x {x:g}, y {y:g}) is no place on Earth: {exc}") from None
        if not math.isfinite(km):
            raise NotMeasurable(f"its nearest road node {self.graph.nodes[node]!r} "
                                f"(x {x:g}, y {y:g}) has no geodesic distance")
        return km

    def snap_seconds(self, km: float, speed: float) -> int:
        return math.ceil(round(km * self.circuity / speed * 3600, 6))

    # -- the road graph at a speed -----------------------------------------------------------
    def _weighted(self, speed: float):
        """The graph's edges in whole seconds at this unit speed, as a sparse matrix (one
        entry per ordered pair of nodes, the least of parallel edges)."""
        if speed not in self._weights:
            from scipy.sparse import csr_array

            index = {n: i for i, n in enumerate(self.graph.nodes)}
            least: dict[tuple[int, int], int] = {}
            for e in self.graph.edges:
                raw = e.seconds if e.seconds is not None else \
                    e.length_m * 3.6 / (e.speed_kph if e.speed_kph else speed)
                sec = math.ceil(round(raw, 6))
                ends = [(index[e.u], index[e.v])]
                if not self.graph.directed:
                    ends.append((index[e.v], index[e.u]))
                for pair in ends:
                    if sec < least.get(pair, math.inf):
                        least[pair] = sec
            n = len(self.graph.nodes)
            rows = np.array([u for u, _ in least], np.int64)
            cols = np.array([v for _, v in least], np.int64)
            data = np.array(list(least.values()), float)
            self._weights[speed] = csr_array((data, (rows, cols)), shape=(n, n))
        return self._weights[speed]

    def ask(self, speed: float, node: int, at_most: float) -> None:
        """Announce a search from `node` that must see every node within `at_most` s."""
        key = (speed, node)
        self._asked[key] = max(self._asked.get(key, 0), int(max(0.0, at_most)) + 1)

    def node_seconds(self, speed: float, source: int, target: int) -> float:
        """Shortest whole seconds from node to node (inf: none within the announced cut-off)."""
        from scipy.sparse.csgraph import dijkstra

        key = (speed, source)
        limit = self._asked.get(key, 0)
        held = self._rows.get(key)
        if held is None or held[0] < limit:
            row = dijkstra(self._weighted(speed), directed=True, indices=source,
                           limit=limit if limit > 0 else np.inf)
            self._rows[key] = held = (limit, row)
        return float(held[1][target])

    def exact_node_seconds(self, speed: float, source: int, target: int) -> float:
        """Shortest whole seconds from node to node without a cut-off (for a message)."""
        from scipy.sparse.csgraph import dijkstra

        return float(dijkstra(self._weighted(speed), directed=True, indices=source)[target])
