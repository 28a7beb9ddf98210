"""A scenario's road graph file (osmnx-style GraphML, DESIGN §2 `travel.roads`) read into plain
data once: the loader reads it to report a bad file at its `roads:` line, and the travel
network reads the same parse, not the file again."""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from .values import MOST_KM


class RoadGraphError(ValueError):
    """The file is missing, is not GraphML, or lacks what travel on it needs."""


@dataclass(frozen=True)
class RoadEdge:
    """One road: `seconds` as the file gives it (`travel_time`), else `length_m` at `speed_kph`
    (None: the unit's own speed)."""

    u: str
    v: str
    seconds: Optional[float]
    length_m: Optional[float]
    speed_kph: Optional[float]


@dataclass(frozen=True)
class RoadGraph:
    nodes: tuple[str, ...]
    x: tuple[float, ...]  # lon (geodesic) or km (planar), as the file's node x
    y: tuple[float, ...]
    edges: tuple[RoadEdge, ...]
    directed: bool


_GIVEN: dict[str, RoadGraph] = {}  # path -> graph sent along with a scenario (a worker's)


def give_road_graph(path: str, graph: RoadGraph) -> None:
    """Use `graph` for `path` in this process: a cluster worker gets the graph the client
    read with the scenario, and needs no access to the file."""
    _GIVEN[str(path)] = graph


def read_road_graph(path: str | Path) -> RoadGraph:
    """The parsed graph (one given for this path, or the file's); a file changed since the
    last read is read again."""
    if str(path) in _GIVEN:
        return _GIVEN[str(path)]
    path = Path(path).resolve()
    try:
        stat = path.stat()
    except OSError:
        raise RoadGraphError(f"no such file {path}") from None
    if not path.is_file():
        raise RoadGraphError(f"no such file {path}")
    return _read(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _read(path: str, _mtime_ns: int, _size: int) -> RoadGraph:
    import networkx as nx

    try:
        g = nx.read_graphml(path)
    except Exception as exc:  # networkx and its XML parser raise many kinds
        raise RoadGraphError(f"cannot read {path} as GraphML: {exc}") from None
    if g.number_of_nodes() == 0:
        raise RoadGraphError(f"{path}: the road graph has no node")
    nodes = tuple(str(n) for n in g.nodes)
    xs, ys = [], []
    for n, data in g.nodes(data=True):
        xs.append(_number(data, "x", f"node {n!r}", path))
        ys.append(_number(data, "y", f"node {n!r}", path))
    edges = []
    for u, v, data in g.edges(data=True):
        where = f"edge {u!r}-{v!r}"
        if "travel_time" in data:
            edges.append(RoadEdge(str(u), str(v), _number(data, "travel_time", where, path, least=0),
                                  None, None))
            continue
        length = _number(data, "length", where, path, least=0,
                         hint=" (or a 'travel_time' in seconds)")
        speed = _number(data, "speed_kph", where, path, least=0) if "speed_kph" in data else None
        if speed == 0:
            raise RoadGraphError(f"{path}: {where}: 'speed_kph' must be above 0")
        edges.append(RoadEdge(str(u), str(v), None, length, speed))
    return RoadGraph(nodes, tuple(xs), tuple(ys), tuple(edges), g.is_directed())


def coordinate_problem(graph: RoadGraph, geometry: str) -> Optional[str]:
    """What is wrong with the graph's node coordinates for the scenario's `geometry`, or
    None: geodesic nodes need x a longitude and y a latitude (a node at latitude 95 has no
    geodesic distance, so every snap to it would be unmeasurable), planar ones the range of
    a village's x and y."""
    if geometry == "geodesic":
        limits = (("x", graph.x, 180.0, "a longitude"), ("y", graph.y, 90.0, "a latitude"))
    else:
        limits = (("x", graph.x, MOST_KM, "km"), ("y", graph.y, MOST_KM, "km"))
    for key, values, most, what in limits:
        for node, value in zip(graph.nodes, values):
            if abs(value) > most:
                return (f"node {node!r}: {key!r} is {value:g}; expected {what} "
                        f"from {-most:g} to {most:g} ({geometry} geometry)")
    return None


def _number(data: dict, key: str, where: str, path: str, least: Optional[float] = None,
            hint: str = "") -> float:
    if key not in data:
        raise RoadGraphError(f"{path}: {where} has no {key!r}{hint}")
    try:
        value = float(data[key])
    except (TypeError, ValueError):
        raise RoadGraphError(f"{path}: {where}: {key!r} is {data[key]!r}, not a number") from None
    if not math.isfinite(value) or (least is not None and value < least):
        bound = "a finite number" if least is None else f"a finite number of at least {least:g}"
        raise RoadGraphError(f"{path}: {where}: {key!r} is {data[key]!r}; expected {bound}")
    return value
