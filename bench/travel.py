"""Travel-matrix build time (DESIGN §3 "Travel"; issue 2 item 4: 2,000 places well under 10 s).

Builds `TravelNetwork(scenario).unit_seconds(unit)` for random geodesic scenarios of 500 and
2,000 places (one base, two ports with boat links to two water-only villages, the rest road
villages spread over a Pesawaran-sized box), and compares with the obvious alternative: a Python
loop of `geopy.distance.geodesic` calls, timed on a sample of pairs and scaled to all pairs.
Agreement is reported as the largest difference in metres (pyproj vs geopy) and in seconds
(matrix vs ceil(geopy x circuity / speed)) on the sample.

    .venv/bin/python bench/travel.py [--sizes 500 2000] [--sample 20000] [--repeat 3] [--seed 1]
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[500, 2000])
    ap.add_argument("--sample", type=int, default=20_000, help="geopy pairs timed per size")
    ap.add_argument("--repeat", type=int, default=3, help="matrix builds per size (best is shown)")
    ap.add_argument("--seed", type=int, default=1)
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


if __name__ == "__main__":
    main()
