"""Rebuild the seed scenarios' village tables from the real coordinates (reproducible estimate).

The seeds (shared/seeds/) give only district totals: wajib KTP (eligible) and recorded, plus
a few kecamatan figures. Per-village numbers are not published, so this script spreads the
totals over the real villages of shared/data/regions/ by a fixed, documented rule and keeps
every sum equal to the seed's figure:

* eligible: weight 4 for a kelurahan (town ward, code NNNN starting with 1), 1 for a desa,
  times a deterministic spread 0.6-1.4 from the village code (md5), largest-remainder rounded.
* unrecorded (backlog): kecamatan the seed names get the seed's figure; the rest is spread in
  proportion to eligible x (0.5 + distance from the district office / largest distance), i.e.
  remote villages lag behind (the seeds blame distance, network and electricity);
  recorded = eligible - unrecorded.
* signal/power false (only where the seed names network and electricity as the problem):
  the desa with the highest remoteness score distance x (0.5 + md5 spread).
* villages without coordinates: the mean centroid of their kecamatan's other villages.

Run: python scenarios/villages/make_seed_villages.py  (writes the CSVs next to this file).
Village data: MIT, Copyright (c) 2017 / 2024 Cahya DSN (see shared/data/regions/README.md).
"""
from __future__ import annotations

import csv
import hashlib
import math
import sys
from pathlib import Path

from pyproj import Geod

HERE = Path(__file__).resolve().parent
REGIONS_CANDIDATES = [HERE.parents[2] / "shared" / "data" / "regions",
                      Path("/work/shared/data/regions")]
GEOD = Geod(ellps="WGS84")

SEEDS = {
    # seed 001 (Kapuas Hulu, 26 Feb 2018): 169,067 wajib KTP, 155,769 recorded (per 5 Jan 2018);
    # Putussibau Selatan "sekitar 1.000 lebih", then Kalis and Silat Hilir (estimated 950, 900).
    "kapuas-hulu": dict(
        source="kapuas_hulu.csv", eligible=169_067, recorded=155_769,
        office=(0.866700, 112.923600),
        fixed={"Putussibau Selatan": 1_050, "Kalis": 950, "Silat Hilir": 900},
        priority={"Putussibau Selatan": 2, "Kalis": 2, "Silat Hilir": 2},
        # Danau Sentarum lake villages, reached by speedboat from Selimbau, and the upper
        # Kapuas villages of Putussibau Selatan, by longboat from Putussibau (see the YAML links).
        water={"61.06.09.2015", "61.06.09.2016", "61.06.09.2017", "61.06.09.2019",
               "61.06.09.2020", "61.06.22.2008", "61.06.22.2011",
               "61.06.17.2020", "61.06.17.2021", "61.06.17.2022", "61.06.17.2023"},
        offline_share=0.20, nopower_share=0.12,
        force_signal={"61.06.15.2004"},
        water_offline=True,  # lake villages: no signal, no grid power  # Miau Merah (SP4): "ada jaringannya" (seed 001)
        # Estimate: the four upper-Kapuas villages can host a team overnight (balai desa); a
        # longboat trip there does not fit one field day.
        lodging={"61.06.17.2020", "61.06.17.2021", "61.06.17.2022", "61.06.17.2023"},
    ),
    # seed 002 (Lombok Tengah, Nov 2018): 686,362 recorded, 66,524 not recorded -> 752,886 wajib
    # KTP; Pujut has the most unrecorded (estimated: twice its proportional share).
    "lombok-tengah": dict(
        source="lombok_tengah.csv", eligible=686_362 + 66_524, recorded=686_362,
        office=(-8.705000, 116.273000),
        boost={"Pujut": 2.0}, priority={"Pujut": 2},
        water=set(), offline_share=0.08, nopower_share=0.08, force_signal=set(),
    ),
    # seed 003 (OKI, 10 Jul 2017): 440,000 recorded = 80 % -> 550,000 wajib KTP.
    "oki": dict(
        source="ogan_komering_ilir.csv", eligible=550_000, recorded=440_000,
        office=(-3.394000, 104.832000),
        water=set(), offline_share=0.0, nopower_share=0.0, force_signal=set(),
    ),
    # seed 004 (Kotim, 1 Sep 2016): "306 ribu lebih" wajib KTP, "sekitar 80 ribuan" without.
    "kotim": dict(
        source="kotawaringin_timur.csv", eligible=306_000, recorded=226_000,
        office=(-2.538000, 112.950000),
        # Seranau lies across the Mentaya from Sampit; the south of Pulau Hanaut is reached
        # by river boat (see the YAML links).
        water={"62.02.12.1001", "62.02.12.2002", "62.02.12.2003", "62.02.12.2004",
               "62.02.12.2005", "62.02.12.2006", "62.02.09.2003", "62.02.09.2004",
               "62.02.09.2009", "62.02.09.2014"},
        offline_share=0.0, nopower_share=0.0, force_signal=set(),
    ),
}


def spread(code: str, salt: str = "") -> float:
    """A deterministic number in [0, 1) from a village code."""
    return int(hashlib.md5((salt + code).encode()).hexdigest()[:8], 16) / 2**32


def apportion(total: int, weights: list[float]) -> list[int]:
    """Integers proportional to weights that sum exactly to total (largest remainder)."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    out = [math.floor(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: (out[i] - raw[i], i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


def regions_dir() -> Path:
    for p in REGIONS_CANDIDATES:
        if p.is_dir():
            return p
    sys.exit("shared/data/regions not found")


def build(name: str, cfg: dict) -> list[dict]:
    rows = list(csv.DictReader(open(regions_dir() / cfg["source"], encoding="utf-8")))
    # Villages without coordinates: mean centroid of their kecamatan (README: pemekaran).
    by_kec: dict[str, list] = {}
    for r in rows:
        if r["lat"]:
            by_kec.setdefault(r["district"], []).append((float(r["lat"]), float(r["lon"])))
    for r in rows:
        if not r["lat"]:
            pts = by_kec[r["district"]]
            r["lat"] = f"{sum(p[0] for p in pts) / len(pts):.6f}"
            r["lon"] = f"{sum(p[1] for p in pts) / len(pts):.6f}"
            r["estimated_position"] = True
    olat, olon = cfg["office"]
    lats = [float(r["lat"]) for r in rows]
    lons = [float(r["lon"]) for r in rows]
    _, _, dist = GEOD.inv([olon] * len(rows), [olat] * len(rows), lons, lats)
    dmax = max(dist)
    kel = [r["code"].split(".")[3].startswith("1") for r in rows]
    w_elig = [(4 if k else 1) * (0.6 + 0.8 * spread(r["code"])) for r, k in zip(rows, kel)]
    eligible = apportion(cfg["eligible"], w_elig)
    backlog_total = cfg["eligible"] - cfg["recorded"]
    fixed = cfg.get("fixed", {})
    boost = cfg.get("boost", {})
    backlog = [0] * len(rows)
    remote = [0.5 + d / dmax for d in dist]
    for kec, n in fixed.items():
        idx = [i for i, r in enumerate(rows) if r["district"] == kec]
        for i, b in zip(idx, apportion(n, [eligible[i] * remote[i] for i in idx])):
            backlog[i] = b
    rest = [i for i, r in enumerate(rows) if r["district"] not in fixed]
    weights = [eligible[i] * remote[i] * boost.get(rows[i]["district"], 1.0) for i in rest]
    for i, b in zip(rest, apportion(backlog_total - sum(fixed.values()), weights)):
        backlog[i] = b
    desa = [i for i in range(len(rows)) if not kel[i]]
    n_off = round(cfg["offline_share"] * len(rows))
    n_pow = round(cfg["nopower_share"] * len(rows))
    off = set(sorted(desa, key=lambda i: -dist[i] * (0.5 + spread(rows[i]["code"], "sig")))[:n_off])
    nopow = set(sorted(desa, key=lambda i: -dist[i] * (0.5 + spread(rows[i]["code"], "pow")))[:n_pow])
    out = []
    for i, r in enumerate(rows):
        assert backlog[i] <= eligible[i], (name, r)
        water = r["code"] in cfg["water"]
        cut_off = water and cfg.get("water_offline", False)
        signal = not ((i in off or cut_off) and r["code"] not in cfg["force_signal"])
        out.append({
            "id": r["code"], "name": r["village"], "district": r["district"],
            "lat": r["lat"], "lon": r["lon"], "eligible": eligible[i],
            "recorded": eligible[i] - backlog[i],
            "signal": "true" if signal else "false",
            "power": "false" if (i in nopow or cut_off) else "true",
            "access": "water" if water else "road",
            "priority": cfg.get("priority", {}).get(r["district"], 1),
        })
        if "lodging" in cfg:
            out[-1]["lodging"] = "true" if r["code"] in cfg["lodging"] else ""
    assert sum(v["eligible"] for v in out) == cfg["eligible"]
    assert sum(v["recorded"] for v in out) == cfg["recorded"]
    return out


def main() -> None:
    for name, cfg in SEEDS.items():
        rows = build(name, cfg)
        path = HERE / f"{name}.csv"
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
        kec: dict[str, int] = {}
        for v in rows:
            kec[v["district"]] = kec.get(v["district"], 0) + v["eligible"] - v["recorded"]
        top = sorted(kec.items(), key=lambda kv: -kv[1])[:4]
        print(f"{path.name}: {len(rows)} villages, eligible {sum(v['eligible'] for v in rows)}, "
              f"recorded {sum(v['recorded'] for v in rows)}, offline "
              f"{sum(v['signal'] == 'false' for v in rows)}, no power "
              f"{sum(v['power'] == 'false' for v in rows)}; largest backlogs {top}")


if __name__ == "__main__":
    main()
