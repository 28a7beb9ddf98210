"""The travel graph and its integer-seconds shortest-path matrix (DESIGN §3 "Travel").

Road edges join every pair of road places (straight line x circuity / speed, or the road
graph); `links` add boat/river/ferry edges; `access: water` villages have link edges only.
Each edge is rounded up to whole seconds, then shortest paths are taken over the graph.
Road-only pairs need no search (rounded-up straight lines obey the triangle inequality), so
only paths through link ends ("hubs") are searched, with networkx on the small hub graph,
and combined with the road matrix in numpy.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

import networkx as nx
import numpy as np

from ..scenario.model import Scenario, Unit
from .geometry import UNREACHABLE, ceil_seconds, geodesic_km, planar_km
from .roads import road_graph_seconds


@dataclass
class TravelNetwork:
    """All places (scenario places first, then villages) and their travel times."""

    scenario: Scenario
    _cache: dict = field(default_factory=dict, repr=False)

    @cached_property
    def ids(self) -> list[str]:
        return [p.id for p in self.scenario.places] + [v.id for v in self.scenario.villages]

    @cached_property
    def index(self) -> dict[str, int]:
        return {pid: i for i, pid in enumerate(self.ids)}

    @cached_property
    def water(self) -> np.ndarray:
        n_places = len(self.scenario.places)
        mask = np.zeros(len(self.ids), bool)
        for j, v in enumerate(self.scenario.villages):
            mask[n_places + j] = v.access == "water"
        return mask

    @cached_property
    def road_km(self) -> np.ndarray:
        """Straight-line km between all places (before circuity)."""
        pts = list(self.scenario.places) + list(self.scenario.villages)
        if self.scenario.geometry == "geodesic":
            lat = np.array([p.lat for p in pts], float)
            lon = np.array([p.lon for p in pts], float)
            return geodesic_km(lat, lon)
        x = np.array([p.x for p in pts], float)
        y = np.array([p.y for p in pts], float)
        return planar_km(x, y)

    def road_seconds(self, speed_kmh: Decimal) -> np.ndarray:
        """Road edge times in whole seconds (rounded up); UNREACHABLE for water villages.
        Kept per speed, read-only: with a road graph each costs a search from every place,
        and the hub graph, `legs` and the outputs ask again."""
        key = ("road", Decimal(speed_kmh))
        if key not in self._cache:
            sec = self._road_seconds(speed_kmh)
            sec.flags.writeable = False
            self._cache[key] = sec
        return self._cache[key]

    def _road_seconds(self, speed_kmh: Decimal) -> np.ndarray:
        if self.scenario.travel.roads:
            sec = road_graph_seconds(self.scenario, self.ids, speed_kmh)
        else:
            factor = float(self.scenario.circuity) / float(speed_kmh) * 3600.0
            sec = ceil_seconds(self.road_km * factor)
        sec = sec.copy()
        sec[self.water, :] = UNREACHABLE
        sec[:, self.water] = UNREACHABLE
        np.fill_diagonal(sec, 0)
        return sec

    def graph(self, speed_kmh: Decimal) -> nx.DiGraph:
        """The hub graph: link ends, the links between them, and road edges among them (kept
        per speed; not to be changed)."""
        key = ("hubs", Decimal(speed_kmh))
        if key not in self._cache:
            self._cache[key] = self._graph(speed_kmh)
        return self._cache[key]

    def _graph(self, speed_kmh: Decimal) -> nx.DiGraph:
        road = self.road_seconds(speed_kmh)
        g = nx.DiGraph()
        hubs = sorted({self.index[e] for link in self.scenario.links for e in (link.from_, link.to)})
        g.add_nodes_from(hubs)
        for a in hubs:
            for b in hubs:
                if a != b and road[a, b] < UNREACHABLE:
                    g.add_edge(a, b, seconds=int(road[a, b]), mode="road")
        for link in self.scenario.links:
            a, b = self.index[link.from_], self.index[link.to]
            sec = math.ceil(link.minutes * 60)  # exact: minutes is a Decimal
            for u, v in ((a, b),) if link.oneway else ((a, b), (b, a)):
                if not g.has_edge(u, v) or g[u][v]["seconds"] > sec:
                    g.add_edge(u, v, seconds=sec, mode=link.mode)
        return g

    def seconds(self, speed_kmh: Decimal) -> np.ndarray:
        """Shortest travel times (int64 seconds) between all places at this road speed."""
        key = Decimal(speed_kmh)
        if key not in self._cache:
            road = self.road_seconds(key)
            if not self.scenario.links:
                self._cache[key] = road
            else:
                g = self.graph(key)
                hubs = list(g.nodes)
                lengths = dict(nx.all_pairs_dijkstra_path_length(g, weight="seconds"))
                hub_hub = np.full((len(hubs), len(hubs)), UNREACHABLE, np.int64)
                for i, a in enumerate(hubs):
                    for j, b in enumerate(hubs):
                        hub_hub[i, j] = lengths[a].get(b, UNREACHABLE)
                to_hub = road[:, hubs]  # n x K
                # best time from every place to hub b through any entry hub a
                via = np.min(to_hub[:, :, None] + hub_hub[None, :, :], axis=1)  # n x K
                best = road.copy()
                for j, b in enumerate(hubs):
                    np.minimum(best, via[:, j][:, None] + road[b, :][None, :], out=best)
                best[best >= UNREACHABLE] = UNREACHABLE
                self._cache[key] = best
        return self._cache[key]

    def unit_seconds(self, unit: Unit) -> np.ndarray:
        return self.seconds(self.scenario.unit_speed(unit))

    def travel(self, unit: Unit, a: str, b: str) -> int:
        m = self.unit_seconds(unit)
        return int(m[self.index[a], self.index[b]])
