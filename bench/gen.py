"""Synthetic districts for benchmarks: `generate(villages, kind, geometry, seed) -> Scenario`.

A kabupaten of clustered villages (one cluster per kecamatan) around the Disdukcapil office,
with realistic backlogs: coverage falls with distance from the office, as in the field
reports. `kind="capacity"`: far more unrecorded residents than the units can reach in the
horizon (the choice of villages and routes decides the result); `kind="remote"`: the same,
but in a district twice as wide with small villages late in the campaign (about a hundred
residents left each), so travel takes about half of every day and days have several stops
(routing matters, as in Kapuas Hulu); `kind="backlog"`: small
backlogs that the units can nearly clear (repeat visits and timing decide it). A few villages
have no signal (offline, 3-day turnaround), no power (generator units only) or are islands
reached by boat from a port.

`kind="corridor"` (`corridor`): a remote river district like Kapuas Hulu, with the office at
one end of a long river, a road beside the river up to the last kecamatan, boat-only villages
behind three ports, and few staff; `lodgings=True` adds a lodging in every far kecamatan town
and lets units stay away up to four nights.
"""
from __future__ import annotations

import datetime as dt
import math

import numpy as np

from planner.scenario.model import Scenario

KM_PER_DEG = 111.32


def place_at(x: float, y: float, geometry: str, origin=(-5.40, 105.06)) -> dict:
    """The coordinates of a point `x`, `y` km from `origin` (lat, lon) in the scenario's
    geometry: x/y in km (planar) or lat/lon (geodesic)."""
    if geometry == "planar":
        return {"x": round(float(x), 3), "y": round(float(y), 3)}
    lat0, lon0 = origin
    return {"lat": round(lat0 + y / KM_PER_DEG, 6),
            "lon": round(lon0 + x / (KM_PER_DEG * math.cos(math.radians(lat0))), 6)}


def generate(villages: int = 300, kind: str = "capacity", geometry: str = "planar", seed: int = 0,
             units: int = 5, days: int = 90, start: str = "2024-06-03",
             lodgings: bool = False) -> Scenario:
    """A synthetic district of `kind` (see the module docstring). The corridor kind has its
    own unit count and horizon (4 units, 80 days) and reads `lodgings`; the other kinds
    ignore `lodgings`."""
    if kind == "corridor":
        return corridor(villages, seed, lodgings, geometry, start)
    rng = np.random.default_rng(seed)
    # km; 300 villages ~ a 60 km square district, or a 110 km one for a remote district
    side = (110.0 if kind == "remote" else 60.0) * math.sqrt(villages / 300.0)
    n_kec = max(3, villages // 25)
    centres = rng.uniform(-side / 2, side / 2, size=(n_kec, 2))
    which = rng.integers(0, n_kec, size=villages)
    xy = centres[which] + rng.normal(0, side / 20, size=(villages, 2))
    dist = np.hypot(xy[:, 0], xy[:, 1])
    size, low, high = (900, 180, 3600) if kind == "remote" else (2200, 400, 9000)
    eligible = np.clip(rng.lognormal(math.log(size), 0.45, villages), low, high).astype(int)
    if kind == "capacity":
        coverage = 0.86 - 0.25 * dist / dist.max() + rng.normal(0, 0.03, villages)
    elif kind == "remote":
        coverage = 0.95 - 0.12 * dist / dist.max() + rng.normal(0, 0.02, villages)
    elif kind == "backlog":
        coverage = 0.985 - 0.03 * dist / dist.max() + rng.normal(0, 0.005, villages)
    else:
        raise ValueError(f"kind must be capacity, remote, backlog or corridor, not {kind!r}")
    coverage = np.clip(coverage, 0.5, 0.995)
    recorded = np.floor(eligible * coverage).astype(int)
    offline = rng.random(villages) < 0.05
    no_power = rng.random(villages) < 0.05
    island = np.argsort(-dist)[:2]  # the two farthest villages are islands off the coast
    port = xy[island].mean(axis=0) * 0.8

    def place(x, y):
        return place_at(x, y, geometry)

    rows = []
    for j in range(villages):
        row = {"id": f"V{j:04d}", "name": f"Desa {j}", "district": f"Kec {which[j]:02d}",
               **place(*xy[j]), "eligible": int(eligible[j]), "recorded": int(recorded[j])}
        if offline[j] or j in island:
            row["signal"] = False
        if no_power[j]:
            row["power"] = False
        if j in island:
            row["access"] = "water"
        rows.append(row)
    kits = [2, 2, 2, 1, 1, 2, 1][:units] + [1] * max(0, units - 7)
    crew = [3 if k == 2 else 2 for k in kits]
    unit_rows = [{"id": f"MK{i + 1}", "base": "kantor", "kits": kits[i], "crew": crew[i],
                  "generator": i % 2 == 0} for i in range(units)]
    first = dt.date.fromisoformat(start)
    data = {
        "name": f"synthetic {villages} villages, {kind}-bound, {geometry}, seed {seed}",
        "geometry": geometry,
        "calendar": {"start": first, "deadline": first + dt.timedelta(days=days - 1),
                     "holidays": "ID"},
        "shift": {"weekday": {"start": "08:00", "end": "16:00"},
                  "weekend": {"start": "08:00", "end": "14:00"}},
        "recording": {"minutes_per_person": 5, "setup_minutes": 30, "turnout": 0.6},
        "offline_turnaround_days": 3,
        "travel": {"speed_kmh": 30, "circuity": 1.3},
        "staff": {"weekday": sum(crew) - 2, "weekend": sum(crew),
                  "overtime_unit_days": 4 * units},
        "places": [{"id": "kantor", "name": "Kantor Disdukcapil", **place(0, 0)},
                   {"id": "port", "name": "Dermaga", **place(*port)}],
        "units": unit_rows,
        "links": [{"from": "port", "to": rows[j]["id"], "mode": "boat", "minutes": 45}
                  for j in island],
        "villages": rows,
    }
    return Scenario.model_validate(data)


# -- the corridor kind -----------------------------------------------------------------------
RIVER_KM = 250.0  # river length from the office (km 0) to the last village upstream
RIVER_STEP_KM = 0.25
ROAD_KMH, ROAD_CIRCUITY = 35, "1.35"  # the road winds along the river
BOAT_KMH, BOARDING_MIN = 15.0, 15  # longboats upriver; loading and casting off
TRIBUTARY_SINUOSITY = 1.4
FAR_TOWN_HOURS = 1.5  # kecamatan towns farther than this by road get a lodging
CORRIDOR_ORIGIN = (0.87, 112.93)  # lat, lon of the office in geodesic mode (Putussibau)


def river_line(rng: np.random.Generator):
    """The river's centreline every RIVER_STEP_KM from the office upstream: arc length,
    x, y (km) and heading (rad). Meanders of about 30 km on a bend of about 120 km: the far
    end lies about 140 km from the office in a straight line, so that about two villages in
    three can be reached on a day trip of an 8-hour shift."""
    s = np.arange(0.0, RIVER_KM + RIVER_STEP_KM, RIVER_STEP_KM)
    phase = rng.uniform(0, 2 * math.pi, 2)
    heading = (1.3 * np.sin(2 * math.pi * s / 30 + phase[0])
               + 0.5 * np.sin(2 * math.pi * s / 120 + phase[1]))
    x = np.concatenate([[0.0], np.cumsum(np.cos(heading[:-1]) * RIVER_STEP_KM)])
    y = np.concatenate([[0.0], np.cumsum(np.sin(heading[:-1]) * RIVER_STEP_KM)])
    return s, x, y, heading


def boat_minutes(km: float) -> int:
    return int(math.ceil(km / BOAT_KMH * 60))


def corridor_villages(villages: int, rng: np.random.Generator, line):
    """Where the villages are: (x, y, kecamatan, river km, port of each boat-only village or
    -1), the ports (x, y, kecamatan) and the boat links (port or village index, village,
    minutes). Road villages lie beside the river up to the road's end; the last kecamatan,
    upstream of the road's end, and two tributaries are reached only by boat from a port."""
    s, x, y, heading = line
    n_kec = max(4, round(villages / 9.5))
    seg = RIVER_KM / n_kec
    n_water = max(5, round(villages / 22))
    n_trib = n_water // 3
    n_upper = n_water - 2 * n_trib
    road_end = (n_kec - 1) * seg

    def at(km):
        h = np.interp(km, s, heading)
        return np.interp(km, s, x), np.interp(km, s, y), -np.sin(h), np.cos(h)

    rows = []  # x, y, kecamatan, river km, port
    for km in np.sort(rng.uniform(2.0, road_end, villages - n_water)):
        px, py, nx, ny = at(km)
        off = rng.normal(0, 1.5)
        rows.append((px + off * nx, py + off * ny, int(km // seg), km, -1))
    trib_kec = [round(0.45 * (n_kec - 1)), round(0.7 * (n_kec - 1))]
    ports = [(*at(road_end)[:2], n_kec - 2)]
    links = []
    spacing = rng.uniform(0.6, 1.0, n_upper) * (RIVER_KM - road_end) / n_upper
    upper_km = road_end + np.cumsum(spacing)
    prev, prev_km = ("port", 0), road_end
    for km in upper_km:
        px, py, _, _ = at(km)
        rows.append((px, py, n_kec - 1, km, 0))
        boarding = BOARDING_MIN if prev[0] == "port" else 0
        links.append((prev, len(rows) - 1, boat_minutes(km - prev_km) + boarding))
        prev, prev_km = ("village", len(rows) - 1), km
    for p, kec in enumerate(trib_kec, start=1):
        km0 = (kec + 0.5) * seg
        px, py, nx, ny = at(km0)
        ports.append((px, py, kec))
        side = rng.choice([-1.0, 1.0])
        angle = math.atan2(side * ny, side * nx) + rng.normal(0, 0.3)
        prev, dist = ("port", p), 0.0
        for _ in range(n_trib):
            step = rng.uniform(6, 12)
            dist += step
            rows.append((px + dist * math.cos(angle), py + dist * math.sin(angle), kec, km0, p))
            links.append((prev, len(rows) - 1, boat_minutes(step * TRIBUTARY_SINUOSITY)
                          + (BOARDING_MIN if prev[0] == "port" else 0)))
            prev = ("village", len(rows) - 1)
    return rows, ports, links, n_kec


def corridor(villages: int = 220, seed: int = 0, lodgings: bool = False,
             geometry: str = "planar", start: str = "2024-06-03") -> Scenario:
    """A Kalimantan-like river district (the one of issue 18): `villages` villages in about
    villages/9.5 kecamatan strung along 250 km of river, the office (Disdukcapil) at the
    downstream end; a road beside the river (35 km/h, circuity 1.35) up to the last
    kecamatan, whose villages, like those up two tributaries, are reached only by longboat
    (15 km/h) from one of three ports; coverage falls upstream, and far villages are more
    often offline (turnaround 3-7 days) or without power. 4 units of 2 kits (two with a
    generator), staff for 2 units on weekdays and 3 on weekends, 30 overtime unit-days, 80
    days; priority 2 on three kecamatan. With `lodgings`, one lodging in every kecamatan town
    more than FAR_TOWN_HOURS from the office by road, and units may stay 4 nights away."""
    rng = np.random.default_rng(seed)
    line = river_line(rng)
    rows, ports, links, n_kec = corridor_villages(villages, rng, line)
    village_rows = corridor_village_rows(rows, n_kec, rng, geometry)

    def place(px, py):
        return place_at(px, py, geometry, CORRIDOR_ORIGIN)

    port_ids = ["dermaga-hulu"] + [f"dermaga-{kec:02d}" for _, _, kec in ports[1:]]
    places = [{"id": "kantor", "name": "Kantor Disdukcapil", **place(0, 0)}]
    places += [{"id": pid, "name": f"Dermaga Kec {kec:02d}", **place(px, py)}
               for pid, (px, py, kec) in zip(port_ids, ports)]
    if lodgings:
        places += corridor_lodgings(line, n_kec, geometry)

    def end(e):
        return port_ids[e[1]] if e[0] == "port" else village_rows[e[1]]["id"]

    link_rows = [{"from": end(a), "to": village_rows[b]["id"], "mode": "boat", "minutes": m}
                 for a, b, m in links]
    first = dt.date.fromisoformat(start)
    units = [{"id": f"MK{i + 1}", "base": "kantor", "kits": 2, "crew": 3,
              "generator": i % 2 == 0, **({"max_nights": 4} if lodgings else {})}
             for i in range(4)]
    data = {
        "name": f"synthetic river corridor, {villages} villages, seed {seed}"
                + (", lodgings" if lodgings else ", day trips"),
        "geometry": geometry,
        "calendar": {"start": first, "deadline": first + dt.timedelta(days=79), "holidays": "ID"},
        "shift": {"weekday": {"start": "08:00", "end": "16:00"},
                  "weekend": {"start": "08:00", "end": "14:00"}},
        "recording": {"minutes_per_person": 5, "setup_minutes": 30, "turnout": 0.6},
        "offline_turnaround_days": 3,
        "travel": {"speed_kmh": ROAD_KMH, "circuity": ROAD_CIRCUITY},
        "staff": {"weekday": 6, "weekend": 9, "overtime_unit_days": 30},
        "places": places, "units": units, "links": link_rows, "villages": village_rows,
    }
    return Scenario.model_validate(data)


def corridor_village_rows(rows, n_kec: int, rng: np.random.Generator,
                          geometry: str) -> list[dict]:
    """The villages' rows: some 500 residents of KTP age each (lognormal), backlogs that grow
    upstream (coverage falls from about 88 % at the office to 63 % at the far end), offline
    villages (every boat-only one, and more often far away) with turnarounds of 3-7 days,
    villages without power, priority 2 in three kecamatan."""
    n = len(rows)
    km = np.array([r[3] for r in rows])
    water = np.array([r[4] >= 0 for r in rows])
    eligible = np.clip(rng.lognormal(math.log(500), 0.5, n) * np.where(water, 0.6, 1.0),
                       150, 3500).astype(int)
    coverage = np.clip(0.88 - 0.25 * km / RIVER_KM + rng.normal(0, 0.03, n), 0.5, 0.99)
    offline = water | (rng.random(n) < 0.10 + 0.30 * km / RIVER_KM)
    turnaround = rng.integers(3, 8, n)
    no_power = rng.random(n) < np.where(water, 0.5, 0.04 + 0.16 * km / RIVER_KM)
    priority_kec = set((rng.choice(n_kec - 1, 3, replace=False) + 1).tolist())
    out = []
    for j, (vx, vy, kec, _, port) in enumerate(rows):
        row = {"id": f"V{j:04d}", "name": f"Desa {kec:02d}-{j}", "district": f"Kec {kec:02d}",
               **place_at(vx, vy, geometry, CORRIDOR_ORIGIN), "eligible": int(eligible[j]),
               "recorded": int(eligible[j] * coverage[j])}
        if offline[j]:
            row.update(signal=False, turnaround_days=int(turnaround[j]))
        if no_power[j]:
            row["power"] = False
        if port >= 0:
            row["access"] = "water"
        if kec in priority_kec:
            row["priority"] = 2
        out.append(row)
    return out


def corridor_lodgings(line, n_kec: int, geometry: str) -> list[dict]:
    """A lodging (penginapan) in the town of every road kecamatan (mid-way along its stretch
    of river) that lies more than FAR_TOWN_HOURS from the office by road."""
    s, x, y, _ = line
    seg = RIVER_KM / n_kec
    out = []
    for kec in range(n_kec - 1):
        tx, ty = np.interp((kec + 0.5) * seg, s, x), np.interp((kec + 0.5) * seg, s, y)
        hours = math.hypot(tx, ty) * float(ROAD_CIRCUITY) / ROAD_KMH
        if hours > FAR_TOWN_HOURS:
            out.append({"id": f"penginapan-{kec:02d}", "name": f"Penginapan Kec {kec:02d}",
                        **place_at(tx, ty, geometry, CORRIDOR_ORIGIN), "lodging": True})
    return out


if __name__ == "__main__":
    import sys

    s = generate(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
    print(s.name, len(s.villages), sum(v.unrecorded for v in s.villages))
