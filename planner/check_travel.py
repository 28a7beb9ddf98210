"""The checker's own measure of travel (DESIGN §3 "Travel"), apart from `planner.network`.

`planner.check`'s `travel_network` rule holds the shared travel network, by which every other
travel rule measures, against the times measured here. Written from the documented
definition, not from the network's code:

- A road between two road places is the straight line (geopy's geodesic, where the network
  uses pyproj; or Euclid in the planar geometry) x circuity at the unit's speed
  (`DirectRoads`). With a road graph (`GraphRoads`), a place joins the roads at its nearest
  node (nearest on a flat projection around the mean latitude of the scenario's places and
  villages, or in the planar geometry's km), the straight leg to that node x circuity at the
  unit's speed, then the shortest way over the graph's edges, each its `travel_time`, or its
  `length` at its `speed_kph` (else the unit's speed), rounded up to whole seconds, the least
  of parallel edges, both ways unless the file's graph is directed.
- Links add edges of their minutes rounded up (both ways unless `oneway`); water villages
  have links only. Travel is the shortest path: the road, or road to a link end, a shortest
  way among the link ends (their links and the roads between them), and road from the last
  link end (`Travel`).

Each time is an interval of whole seconds that the network's must lie in: geopy and pyproj
agree to well under a micrometre, so a road's bounds differ only where a micrometre moves it
across a whole second; on a road graph a float tie between two nearest nodes leaves either
and `ROAD_TOLERANCE_S` allows for the snap legs. What this module shares with the network is
the parsed input (`Scenario`, `scenario.roads.read_road_graph`) and SciPy's compiled Dijkstra
(a district's road graph has tens of thousands of nodes: a networkx search from each place
would take most of a minute, `bench/travel.py`'s baseline column).
"""
from __future__ import annotations

import math
import warnings
from decimal import Decimal
from typing import Iterable

import numpy as np

from .scenario.model import Scenario

# A road's length as the network measures it (pyproj) may differ from geopy's by this much
# (km): both follow Karney's geodesic algorithm, accurate to about 15 nm.
KM_SLACK = 1e-9
# Two snap legs measured by geopy where the network uses pyproj (each may round up to the
# other whole second) and an edge whose float time lies within a microsecond of a second.
ROAD_TOLERANCE_S = 3
# Nodes whose projected distance to a place ties the nearest one within this relative margin
# are all taken as its node (a float tie in the network's search may pick either).
TIE = 1e-9
INF = math.inf


class NotMeasurable(ValueError):
    """A place's road cannot be measured (its nearest road node is no place on Earth)."""


def whole_seconds(seconds: float) -> int:
    """Rounded up to a whole second, after rounding to a microsecond (DESIGN §3: rounded up,
    never optimistic; 600.0000000001 from float arithmetic is 600 s)."""
    return math.ceil(round(seconds, 6))


def circuity_of(scenario: Scenario) -> float:
    """Road km per straight-line km: the scenario's, else DESIGN §2's default."""
    if scenario.travel.circuity is not None:
        return float(scenario.travel.circuity)
    return 1.3 if scenario.geometry == "geodesic" else 1.0


def _points(scenario: Scenario) -> dict:
    return {p.id: p for p in list(scenario.places) + list(scenario.villages)}


def _water(point) -> bool:
    return getattr(point, "access", "road") == "water"


class DirectRoads:
    """The straight road between two road places: (least, most) whole seconds."""

    def __init__(self, scenario: Scenario):
        self.geodesic = scenario.geometry == "geodesic"
        self.circuity = circuity_of(scenario)
        self.points = _points(scenario)
        self._km: dict[tuple[str, str], float] = {}

    def prepare(self, places: Iterable[str]) -> dict[str, str]:
        return {}  # every place with coordinates can be measured

    def km(self, a: str, b: str) -> float:
        key = (a, b) if a <= b else (b, a)
        if key not in self._km:
            pa, pb = self.points[a], self.points[b]
            if self.geodesic:
                from geopy.distance import geodesic

                self._km[key] = geodesic((pa.lat, pa.lon), (pb.lat, pb.lon)).km
            else:
                self._km[key] = math.hypot(pa.x - pb.x, pa.y - pb.y)
        return self._km[key]

    def road(self, speed: float, a: str, b: str) -> tuple[float, float]:
        if a == b:
            return 0, 0
        if _water(self.points[a]) or _water(self.points[b]):
            return INF, INF
        per_km = self.circuity / speed * 3600
        seconds = self.km(a, b) * per_km
        slack = KM_SLACK * per_km + abs(seconds) * 1e-12
        return whole_seconds(seconds - slack), whole_seconds(seconds + slack)


class GraphRoads:
    """The road between two road places over the scenario's road graph: snap leg, shortest
    way between the nodes, snap leg, as (least, most) whole seconds."""

    def __init__(self, scenario: Scenario):
        from .scenario.roads import read_road_graph

        self.graph = read_road_graph(scenario.travel.roads)
        self.geodesic = scenario.geometry == "geodesic"
        self.circuity = circuity_of(scenario)
        self.points = _points(scenario)
        self.node_x = np.array(self.graph.x, float)
        self.node_y = np.array(self.graph.y, float)
        mean_lat = float(np.mean([p.lat for p in self.points.values()])) if self.geodesic else 0
        self.x_scale = math.cos(math.radians(mean_lat)) if self.geodesic else 1.0
        self._snaps: dict[str, list[tuple[int, float]]] = {}  # place -> [(node, km)]
        self.bad: dict[str, str] = {}  # place -> why its road cannot be measured
        self._column: dict[int, int] = {}  # node -> column of the kept rows
        self._weights: dict[float, object] = {}  # speed -> sparse matrix of edge seconds
        self._rows: dict[tuple[float, int], np.ndarray] = {}  # (speed, node) -> kept columns

    def prepare(self, places: Iterable[str]) -> dict[str, str]:
        """Snap every road place that will be asked about; returns place -> why it cannot
        be measured, for the places that cannot."""
        bad = self.bad = {}
        for place in places:
            if _water(self.points[place]):
                continue
            try:
                self.snaps(place)
            except NotMeasurable as exc:
                bad[place] = str(exc)
        nodes = sorted({n for snaps in self._snaps.values() for n, _ in snaps})
        self._column = {n: j for j, n in enumerate(nodes)}
        self._rows.clear()
        return bad

    def snaps(self, place: str) -> list[tuple[int, float]]:
        """The place's nearest node(s) and the straight km to each; raises `NotMeasurable`
        when that distance is no number. More than one only on a float tie: of nodes at the
        very same spot the first in the file is the nearest, as in any search that keeps the
        first least; nodes apart but within `TIE` of each other's distance may be either."""
        if place not in self._snaps:
            p = self.points[place]
            px, py = (p.lon, p.lat) if self.geodesic else (p.x, p.y)
            d2 = ((self.node_x - px) * self.x_scale) ** 2 + (self.node_y - py) ** 2
            least = float(np.min(d2))
            near, spots = [], set()
            for n in np.flatnonzero(d2 <= least * (1 + TIE) + 1e-30):
                spot = (self.node_x[n], self.node_y[n])
                if spot not in spots and len(near) < 4:
                    spots.add(spot)
                    near.append(int(n))
            self._snaps[place] = [(n, self._km(p, n)) for n in near]
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
                                f"(x {x:g}, y {y:g}) is no place on Earth "
                                f"({str(exc).rstrip('.')})") from None
        if not math.isfinite(km):
            raise NotMeasurable(f"its nearest road node {self.graph.nodes[node]!r} "
                                f"(x {x:g}, y {y:g}) has no geodesic distance")
        return km

    def snap_seconds(self, km: float, speed: float) -> int:
        return whole_seconds(km * self.circuity / speed * 3600)

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
                sec = whole_seconds(raw)
                ends = [(index[e.u], index[e.v])]
                if not self.graph.directed:
                    ends.append((index[e.v], index[e.u]))
                for pair in ends:
                    if sec < least.get(pair, INF):
                        least[pair] = sec
            n = len(self.graph.nodes)
            rows = np.array([u for u, _ in least], np.int64)
            cols = np.array([v for _, v in least], np.int64)
            data = np.array(list(least.values()), float)
            self._weights[speed] = csr_array((data, (rows, cols)), shape=(n, n))
        return self._weights[speed]

    def node_seconds(self, speed: float, source: int, target: int) -> float:
        """Shortest whole seconds between two snapped nodes (inf: no way); one search per
        start node, of which only the snapped nodes' times are kept."""
        from scipy.sparse.csgraph import dijkstra

        key = (speed, source)
        if key not in self._rows:
            row = dijkstra(self._weighted(speed), directed=True, indices=source)
            self._rows[key] = row[list(self._column)]
        return float(self._rows[key][self._column[target]])

    def road(self, speed: float, a: str, b: str) -> tuple[float, float]:
        """(least, most) seconds; (0, inf) from or to a place `prepare` found unmeasurable
        (reported on its own), so that the roads through it bound nothing."""
        if a == b:
            return 0, 0
        if _water(self.points[a]) or _water(self.points[b]):
            return INF, INF
        if a in self.bad or b in self.bad:
            return 0, INF
        times = [self.snap_seconds(ka, speed) + self.node_seconds(speed, na, nb)
                 + self.snap_seconds(kb, speed)
                 for na, ka in self.snaps(a) for nb, kb in self.snaps(b)]
        return max(0, min(times) - ROAD_TOLERANCE_S), max(times) + ROAD_TOLERANCE_S


class Travel:
    """Shortest travel between places over roads and links, as (least, most) whole seconds:
    the network's time must lie within."""

    def __init__(self, scenario: Scenario):
        self.roads = GraphRoads(scenario) if scenario.travel.roads else DirectRoads(scenario)
        self.links = [(link.from_, link.to, math.ceil(Decimal(link.minutes) * 60), link.oneway)
                      for link in scenario.links]
        self.hubs = sorted({end for a, b, _, _ in self.links for end in (a, b)})
        self._hub_ways: dict[float, tuple[np.ndarray, np.ndarray]] = {}
        self._to_hubs: dict[tuple[float, str], tuple[np.ndarray, np.ndarray]] = {}
        self._from_hubs: dict[tuple[float, str], tuple[np.ndarray, np.ndarray]] = {}

    def prepare(self, places: Iterable[str]) -> dict[str, str]:
        """Get ready to measure between these places (and the link ends); returns place ->
        why it cannot be measured, for those that cannot."""
        return self.roads.prepare(sorted(set(places) | set(self.hubs)))

    def _hub_matrix(self, speed: float) -> tuple[np.ndarray, np.ndarray]:
        """Shortest (least, most) seconds between link ends over their links and roads
        (Floyd-Warshall: link ends are few)."""
        if speed not in self._hub_ways:
            k = len(self.hubs)
            at = {h: i for i, h in enumerate(self.hubs)}
            least, most = np.full((k, k), INF), np.full((k, k), INF)
            for i, a in enumerate(self.hubs):
                for j, b in enumerate(self.hubs):
                    least[i, j], most[i, j] = self.roads.road(speed, a, b)
            for a, b, seconds, oneway in self.links:
                for u, v in ((a, b),) if oneway else ((a, b), (b, a)):
                    least[at[u], at[v]] = min(least[at[u], at[v]], seconds)
                    most[at[u], at[v]] = min(most[at[u], at[v]], seconds)
            for m in (least, most):
                np.fill_diagonal(m, 0)
                for via in range(k):
                    np.minimum(m, m[:, via, None] + m[None, via, :], out=m)
            self._hub_ways[speed] = least, most
        return self._hub_ways[speed]

    def _ways(self, cache: dict, speed: float, place: str, to_hubs: bool):
        key = (speed, place)
        if key not in cache:
            pairs = [self.roads.road(speed, place, h) if to_hubs else
                     self.roads.road(speed, h, place) for h in self.hubs]
            cache[key] = (np.array([p[0] for p in pairs], float),
                          np.array([p[1] for p in pairs], float))
        return cache[key]

    def seconds(self, speed: float, a: str, b: str) -> tuple[float, float]:
        """(least, most) whole seconds from a to b at this unit speed (inf, inf: no way)."""
        least, most = self.roads.road(speed, a, b)
        if not self.hubs or a == b:
            return least, most
        hub_least, hub_most = self._hub_matrix(speed)
        out_least, out_most = self._ways(self._to_hubs, speed, a, True)
        in_least, in_most = self._ways(self._from_hubs, speed, b, False)
        via_least = np.min(out_least[:, None] + hub_least + in_least[None, :])
        via_most = np.min(out_most[:, None] + hub_most + in_most[None, :])
        return min(least, float(via_least)), min(most, float(via_most))
