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
"""
from __future__ import annotations

import datetime as dt
import math

import numpy as np

from planner.scenario.model import Scenario

KM_PER_DEG = 111.32


def generate(villages: int = 300, kind: str = "capacity", geometry: str = "planar", seed: int = 0,
             units: int = 5, days: int = 90, start: str = "2024-06-03") -> Scenario:
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
        raise ValueError(f"kind must be capacity, remote or backlog, not {kind!r}")
    coverage = np.clip(coverage, 0.5, 0.995)
    recorded = np.floor(eligible * coverage).astype(int)
    offline = rng.random(villages) < 0.05
    no_power = rng.random(villages) < 0.05
    island = np.argsort(-dist)[:2]  # the two farthest villages are islands off the coast
    port = xy[island].mean(axis=0) * 0.8

    def place(x, y):
        if geometry == "planar":
            return {"x": round(float(x), 3), "y": round(float(y), 3)}
        lat0, lon0 = -5.40, 105.06
        return {"lat": round(lat0 + y / KM_PER_DEG, 6),
                "lon": round(lon0 + x / (KM_PER_DEG * math.cos(math.radians(lat0))), 6)}

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


if __name__ == "__main__":
    import sys

    s = generate(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
    print(s.name, len(s.villages), sum(v.unrecorded for v in s.villages))
