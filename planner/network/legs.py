"""The legs of a shortest path: which roads and links a trip between two places takes.

The travel matrix gives only times. Outputs need the way as well (the boat leg of a visit:
"berangkat 07.50 dari Dermaga Canti, perahu 90 menit"), and the simulation needs to know
which visits are reached through a link (a cancelled boat cancels them). A path between two
places is one road edge, or road to a link end, a shortest path over the hub graph (links and
roads between link ends), and road from the last link end: the same decomposition the matrix
is built from (`matrix.TravelNetwork.seconds`), so the legs add up to the matrix's time.
"""
from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np

from ..scenario.model import Unit
from .geometry import UNREACHABLE
from .matrix import TravelNetwork


@dataclass(frozen=True)
class Leg:
    """One edge of a path: `mode` is `road` or a link's mode (boat, river, ferry ...)."""

    start: str  # place or village id
    end: str
    mode: str
    seconds: int

    @property
    def is_link(self) -> bool:
        return self.mode != "road"


def legs(network: TravelNetwork, unit: Unit, a: str, b: str) -> list[Leg]:
    """The edges of a least-time path from `a` to `b` for `unit`, in order ([] when a == b
    or there is no path)."""
    if a == b:
        return []
    speed = network.scenario.unit_speed(unit)
    best = network.seconds(speed)
    i, j = network.index[a], network.index[b]
    if best[i, j] >= UNREACHABLE:
        return []
    road = network.road_seconds(speed)
    ids = network.ids
    if road[i, j] == best[i, j]:
        return [Leg(a, b, "road", int(road[i, j]))]
    g = network.graph(speed)
    hubs = np.array(list(g.nodes), np.int64)
    into = road[i, hubs]
    out_of = road[hubs, j]
    for h1 in np.argsort(into, kind="stable"):
        if into[h1] >= UNREACHABLE:
            break
        lengths, paths = nx.single_source_dijkstra(g, int(hubs[h1]), weight="seconds")
        for h2, hub in enumerate(hubs):
            hub = int(hub)
            if hub in lengths and into[h1] + lengths[hub] + out_of[h2] == best[i, j]:
                path = [i] + paths[hub] + [j]
                return _edges(g, road, ids, path)
    return []  # not reached: `best` is built from these same pieces


def _edges(g: nx.DiGraph, road: np.ndarray, ids: list[str], path: list[int]) -> list[Leg]:
    out = []
    for u, v in zip(path, path[1:]):
        if u == v:
            continue
        if g.has_edge(u, v):
            data = g[u][v]
            out.append(Leg(ids[u], ids[v], data["mode"], int(data["seconds"])))
        else:
            out.append(Leg(ids[u], ids[v], "road", int(road[u, v])))
    return out
