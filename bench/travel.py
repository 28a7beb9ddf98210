"""Travel-matrix build time (DESIGN §3 "Travel"; issue 2 item 4: 2,000 places well under 10 s).

Builds `TravelNetwork(scenario).unit_seconds(unit)` for random geodesic scenarios of 500 and
2,000 places (one base, two ports with boat links to two water-only villages, the rest road
villages spread over a Pesawaran-sized box), and compares with the obvious alternative: a Python
loop of `geopy.distance.geodesic` calls, timed on a sample of pairs and scaled to all pairs.
Agreement is reported as the largest difference in metres (pyproj vs geopy) and in seconds
(matrix vs ceil(geopy x circuity / speed)) on the sample.

    .venv/bin/python bench/travel.py [--sizes 500 2000] [--sample 20000] [--repeat 3] [--seed 1]
        [--roads 10000 40000] [--road-places 150]

With a road graph (`travel.roads`), the matrix is SciPy's Dijkstra over the graph as a sparse
matrix; the second table times it against networkx's Dijkstra from every snapped node (what the
planner did before) on synthetic grid road graphs of the given node counts, in the same process,
and checks that both give the same whole seconds.
"""
from __future__ import annotations

import argparse
import math
import time

import numpy as np

from planner.network import TravelNetwork
from planner.network.geometry import geodesic_km
from planner.scenario.model import Scenario

SPEED, CIRCUITY = 30, 1.3


def random_scenario(n: int, rng: np.random.Generator) -> Scenario:
    """n places: base, two ports, two water villages linked by boat, n - 5 road villages."""
    lat = rng.uniform(-5.9, -5.2, n)
    lon = rng.uniform(104.9, 105.4, n)
    places = [{"id": pid, "lat": float(lat[i]), "lon": float(lon[i])}
              for i, pid in enumerate(["kantor", "port1", "port2"])]
    villages = [{"id": f"v{i}", "lat": float(lat[i]), "lon": float(lon[i]), "unrecorded": 100,
                 "access": "water" if i in (3, 4) else "road"} for i in range(3, n)]
    return Scenario.model_validate({
        "name": f"bench-{n}",
        "calendar": {"start": "2018-06-04", "deadline": "2018-11-18"},
        "shift": {"weekday": {"start": "07:30", "end": "16:00"}},
        "recording": {"minutes_per_person": 5, "turnout": 0.5},
        "travel": {"speed_kmh": SPEED, "circuity": CIRCUITY},
        "places": places,
        "units": [{"id": "MK1", "base": "kantor"}],
        "links": [{"from": "port1", "to": "v3", "minutes": 120},
                  {"from": "port2", "to": "v4", "minutes": 40},
                  {"from": "port1", "to": "port2", "minutes": 30}],
        "villages": villages,
    })


def build_seconds(scenario: Scenario) -> tuple[float, np.ndarray]:
    start = time.perf_counter()
    matrix = TravelNetwork(scenario).unit_seconds(scenario.units[0])
    return time.perf_counter() - start, matrix


def geopy_loop(points: list[tuple[float, float]], pairs: np.ndarray) -> tuple[float, np.ndarray]:
    from geopy.distance import geodesic

    start = time.perf_counter()
    km = np.array([geodesic(points[i], points[j]).km for i, j in pairs])
    return time.perf_counter() - start, km


def grid_roads(file, nodes: int, rng: np.random.Generator) -> None:
    """A square grid road graph over the same box, edges 1.0-1.3 x their straight length, half
    with a speed of their own."""
    import networkx as nx

    k = max(2, int(math.isqrt(nodes)))
    g = nx.Graph()
    for a in range(k):
        for b in range(k):
            g.add_node(f"{a}_{b}", x=104.9 + 0.5 * a / (k - 1), y=-5.2 - 0.7 * b / (k - 1))
    step = 55_000 * 0.5 / (k - 1)
    for a in range(k):
        for b in range(k):
            if a + 1 < k:
                g.add_edge(f"{a}_{b}", f"{a + 1}_{b}", length=step * rng.uniform(1.0, 1.3))
            if b + 1 < k:
                g.add_edge(f"{a}_{b}", f"{a}_{b + 1}", length=step * rng.uniform(1.0, 1.3),
                           speed_kph=float(rng.choice([30.0, 50.0])))
    nx.write_graphml(g, file)


def networkx_road_seconds(scenario: Scenario, ids: list[str]) -> np.ndarray:
    """The baseline: the same snapped nodes, one networkx Dijkstra from each."""
    import networkx as nx

    from planner.network import roads
    from planner.network.geometry import UNREACHABLE, ceil_seconds
    from planner.scenario.roads import read_road_graph

    g = read_road_graph(scenario.travel.roads)
    speed = float(scenario.travel.speed_kmh)
    wg = nx.DiGraph()
    for e in g.edges:
        t = e.seconds if e.seconds is not None else \
            e.length_m / 1000.0 / (e.speed_kph or speed) * 3600
        t = int(ceil_seconds(np.array([t]))[0])
        for a, b in ((e.u, e.v),) if g.directed else ((e.u, e.v), (e.v, e.u)):
            if not wg.has_edge(a, b) or wg[a][b]["t"] > t:
                wg.add_edge(a, b, t=t)
    pts = {p.id: p for p in list(scenario.places) + list(scenario.villages)}
    lat = np.array([pts[i].lat for i in ids]); lon = np.array([pts[i].lon for i in ids])
    nx_, ny_ = np.array(g.x), np.array(g.y)
    kx = np.cos(np.radians(np.mean(lat)))
    nearest = roads._nearest(lon * kx, lat, nx_ * kx, ny_)
    snap = ceil_seconds(roads.geodesic_pairs_km(lat, lon, ny_[nearest], nx_[nearest])
                        * float(scenario.circuity) / speed * 3600)
    out = np.full((len(ids), len(ids)), UNREACHABLE, np.int64)
    for i, k in enumerate(nearest):
        dist = nx.single_source_dijkstra_path_length(wg, g.nodes[k], weight="t")
        for j, k2 in enumerate(nearest):
            if g.nodes[k2] in dist:
                out[i, j] = min(UNREACHABLE, dist[g.nodes[k2]] + snap[i] + snap[j])
    np.fill_diagonal(out, 0)
    return out


def road_table(sizes: list[int], places: int, rng: np.random.Generator) -> None:
    """Print the road table: per graph size, the planner's road matrix against the networkx
    baseline, their ratio and whether they agree to the second."""
    import tempfile
    from pathlib import Path

    from planner.network.roads import road_graph_seconds
    from planner.scenario.roads import read_road_graph

    head = (f"{'road nodes':>10} {'places':>7} {'scipy s':>8} {'networkx s':>11} {'ratio':>7} "
            f"{'identical':>9}")
    print("\n" + head)
    print("-" * len(head))
    with tempfile.TemporaryDirectory() as tmp:
        for nodes in sizes:
            file = Path(tmp) / f"roads-{nodes}.graphml"
            grid_roads(file, nodes, rng)
            base = random_scenario(places, rng)
            scenario = base.replace(travel=base.travel.replace(roads=str(file)))
            ids = [p.id for p in scenario.places] + [v.id for v in scenario.villages]
            read_road_graph(file)  # parsed once, outside both timings
            start = time.perf_counter()
            fast = road_graph_seconds(scenario, ids, scenario.travel.speed_kmh)
            fast_s = time.perf_counter() - start
            start = time.perf_counter()
            slow = networkx_road_seconds(scenario, ids)
            slow_s = time.perf_counter() - start
            print(f"{nodes:>10,} {places:>7} {fast_s:>8.2f} {slow_s:>11.2f} "
                  f"{slow_s / fast_s:>6.0f}x {str(bool(np.array_equal(fast, slow))):>9}")
    print("scipy: planner.network.roads.road_graph_seconds (one unit speed; the graph read once "
          "before both); networkx: single_source_dijkstra_path_length from each snapped node")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[500, 2000])
    ap.add_argument("--sample", type=int, default=20_000, help="geopy pairs timed per size")
    ap.add_argument("--repeat", type=int, default=3, help="matrix builds per size (best is shown)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--roads", type=int, nargs="*", default=[10_000, 40_000],
                    help="road graph node counts for the second table (none: skip it)")
    ap.add_argument("--road-places", type=int, default=150)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)

    head = (f"{'places':>7} {'pairs':>10} {'matrix s':>9} {'per pair us':>11} "
            f"{'geopy s (est)':>14} {'ratio':>7} {'max diff m':>11} {'max diff s':>10} {'water ok':>8}")
    print(head)
    print("-" * len(head))
    for n in args.sizes:
        scenario = random_scenario(n, rng)
        times = []
        for _ in range(args.repeat):
            seconds, matrix = build_seconds(scenario)
            times.append(seconds)
        best = min(times)
        pairs_all = n * (n - 1)

        pts = list(scenario.places) + list(scenario.villages)
        points = [(p.lat, p.lon) for p in pts]
        k = min(args.sample, pairs_all)
        i = rng.integers(0, n, k)
        j = (i + rng.integers(1, n, k)) % n  # i != j
        pairs = np.stack([i, j], axis=1)
        geopy_s, geopy_km = geopy_loop(points, pairs)
        geopy_all = geopy_s / k * pairs_all  # a loop over every ordered pair

        lat = np.array([p[0] for p in points]); lon = np.array([p[1] for p in points])
        pyproj_km = geodesic_km(lat, lon)[i, j]
        diff_m = float(np.max(np.abs(pyproj_km - geopy_km)) * 1000)
        # whole-second agreement of the road edges (before boat shortcuts), away from water
        road_s = TravelNetwork(scenario).road_seconds(scenario.travel.speed_kmh)[i, j]
        road = ~np.isin(i, [3, 4]) & ~np.isin(j, [3, 4])
        want = np.array([math.ceil(round(km * CIRCUITY / SPEED * 3600, 6)) for km in geopy_km])
        diff_s = int(np.max(np.abs(road_s[road] - want[road])))
        # the water village v3 is reached through port1 and its 120-minute boat only
        water_ok = bool(matrix[0, 3] == matrix[0, 1] + 7200 and matrix[3, 0] == matrix[1, 0] + 7200)
        print(f"{n:>7} {pairs_all:>10,} {best:>9.2f} {best / pairs_all * 1e6:>11.3f} "
              f"{geopy_all:>14.1f} {geopy_all / best:>6.0f}x {diff_m:>11.1e} {diff_s:>10} "
              f"{str(water_ok):>8}")
    print(f"\nmatrix: TravelNetwork.unit_seconds, best of {args.repeat} (geodesic WGS84 via pyproj, "
          f"x{CIRCUITY} / {SPEED} km/h, rounded up, boat links via hub shortest paths)")
    print(f"geopy: geopy.distance.geodesic in a Python loop on {args.sample:,} random pairs, "
          "scaled to all ordered pairs")
    print("max diff m: |pyproj - geopy| on the sample; max diff s: road edge seconds vs "
          "ceil(geopy km x circuity / speed) on the sample (0 = identical whole seconds)")
    if args.roads:
        road_table(args.roads, args.road_places, rng)


if __name__ == "__main__":
    main()
