"""Build the Lampung province scenarios: one per kabupaten/kota, e-KTP before Pilkada 2018.

Lampung voted for its governor (and several bupati) on Wednesday 27 June 2018. This script
writes, for each of the 15 kabupaten/kota, `<slug>.yaml` and `villages/<slug>.csv` from the
village centroids of shared/data/regions/lampung.csv (MIT, Copyright (c) 2017-2025 / 2024
Cahya DSN; see README.md here). The scenarios read only the files written here.

No per-village or per-kabupaten e-KTP figures are bundled, so every backlog is an ESTIMATE
made by the rules of the seed scenarios (scenarios/pesawaran-2018.yaml and
scenarios/villages/make_seed_villages.py), written into each YAML's comments:

* eligible (wajib KTP): Pesawaran's seed figure per desa (412,048 / 144 = 2,861), twice that
  for a kelurahan (town ward), times a deterministic spread 0.6-1.4 from the village code (md5).
* recorded: coverage falls linearly with straight-line distance from the office, 90 % next
  to it, the slope chosen so the kabupaten's total is 84.0 % (Pesawaran's estimated start);
  largest-remainder rounding keeps the total exact.
* office (base): the centroid of the capital kecamatan's villages (not a surveyed point).
* villages without coordinates: the centroid of their kecamatan's other villages.
* Pesawaran keeps its seed scenario's villages, office, boat links, offline villages and
  priorities (scenarios/villages/pesawaran.csv).

Run: python scenarios/lampung-2018/make_lampung.py
"""
from __future__ import annotations

import csv
import re
import sys
import textwrap
from pathlib import Path

from pyproj import Geod

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "villages"))
from make_seed_villages import apportion, spread  # noqa: E402  (the seed scenarios' rules)

REGIONS_CANDIDATES = [HERE.parents[3] / "shared" / "data" / "regions",
                      Path("/work/shared/data/regions")]
PESAWARAN_CSV = HERE.parent / "villages" / "pesawaran.csv"
GEOD = Geod(ellps="WGS84")
PER_DESA = 412_048 / 144  # Pesawaran's seed: wajib KTP per desa
KELURAHAN_FACTOR = 2
COVERAGE_AT_OFFICE = 0.90
COVERAGE_TOTAL = 0.84
COLUMNS = ["id", "name", "district", "lat", "lon", "eligible", "recorded", "signal", "access",
           "turnaround_days", "priority"]

# code -> (capital, capital kecamatan, terrain); terrain sets travel speed and circuity.
REGENCIES = {
    "18.01": ("Kalianda", "Kalianda", "mixed"),
    "18.02": ("Gunung Sugih", "Gunung Sugih", "plain"),
    "18.03": ("Kotabumi", "Kotabumi", "plain"),
    "18.04": ("Liwa", "Balik Bukit", "hills"),
    "18.05": ("Menggala", "Menggala", "plain"),
    "18.06": ("Kota Agung", "Kota Agung", "hills"),
    "18.07": ("Sukadana", "Sukadana", "plain"),
    "18.08": ("Blambangan Umpu", "Blambangan Umpu", "plain"),
    "18.09": ("Gedong Tataan", "Gedong Tataan", "hills"),
    "18.10": ("Pringsewu", "Pringsewu", "plain"),
    "18.11": ("Wiralaga Mulya", "Mesuji", "plain"),
    "18.12": ("Panaragan", "Tulang Bawang Tengah", "plain"),
    "18.13": ("Krui", "Pesisir Tengah", "hills"),
    "18.71": ("Telukbetung Utara (Pemkot)", "Telukbetung Utara", "city"),
    "18.72": ("Metro Pusat (Pemkot)", "Metro Pusat", "city"),
}
TERRAIN = {  # speed km/h, circuity, why (all estimates)
    "plain": (30, "1.3", "lowland plantations and transmigration grids (DESIGN default circuity)"),
    "mixed": (30, "1.3", "lowland with the Rajabasa volcano and the coast road"),
    "hills": (30, "1.4", "hilly and coastal roads, as Pesawaran"),
    "city": (20, "1.3", "town traffic"),
}
# Islands reached by boat only (access: water): port place, minutes, signal, why (estimates).
ISLANDS = {
    "18.01": {"port": ("dermaga-canti", "Dermaga Canti", "18.01.16.2004"),
              "villages": {"18.01.16.2014": (120, False)},
              "why": "Tejang Pulau Sebesi: about two hours by local boat from Canti (Rajabasa), "
                     "~22 km in a straight line; assumed without signal (estimate)"},
    "18.13": {"port": ("dermaga-tembakak", "Dermaga Tembakak", "18.13.05.2010"),
              "villages": {f"18.13.06.200{i}": (30, True) for i in range(1, 7)},
              "why": "the six pekon of Pulau Pisang: about 30 minutes by boat from Tembakak, "
                     "~9 km; signal assumed (estimate); 10 minutes on foot or by ojek between "
                     "neighbouring pekon on the island"},
}


def regions_dir() -> Path:
    for p in REGIONS_CANDIDATES:
        if (p / "lampung.csv").is_file():
            return p
    sys.exit("shared/data/regions/lampung.csv not found")


def slug(regency: str) -> str:
    name = regency.replace("Kabupaten ", "")
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def place_positions(rows: list[dict]) -> list[str]:
    """Fill missing centroids with their kecamatan's mean; returns the ids filled."""
    by_kec: dict[str, list] = {}
    for r in rows:
        if r["lat"]:
            by_kec.setdefault(r["district"], []).append((float(r["lat"]), float(r["lon"])))
    filled = []
    for r in rows:
        if not r["lat"]:
            pts = by_kec[r["district"]]
            r["lat"] = f"{sum(p[0] for p in pts) / len(pts):.6f}"
            r["lon"] = f"{sum(p[1] for p in pts) / len(pts):.6f}"
            filled.append(f"{r['code']} {r['village']}")
    return filled


def office_of(rows: list[dict], kecamatan: str) -> tuple[float, float]:
    pts = [(float(r["lat"]), float(r["lon"])) for r in rows if r["district"] == kecamatan]
    return round(sum(p[0] for p in pts) / len(pts), 4), round(sum(p[1] for p in pts) / len(pts), 4)


def villages(rows: list[dict], office: tuple[float, float], code: str) -> tuple[list[dict], float]:
    """The village table by the rules above; returns it and the coverage slope per km."""
    km = [d / 1000 for d in GEOD.inv([office[1]] * len(rows), [office[0]] * len(rows),
                                       [float(r["lon"]) for r in rows],
                                       [float(r["lat"]) for r in rows])[2]]
    kelurahan = [r["code"].split(".")[3].startswith("1") for r in rows]
    eligible = [round(PER_DESA * (KELURAHAN_FACTOR if k else 1) * (0.6 + 0.8 * spread(r["code"])))
                for r, k in zip(rows, kelurahan)]
    total = sum(eligible)
    recorded_total = round(COVERAGE_TOTAL * total)
    slope = (COVERAGE_AT_OFFICE * total - recorded_total) / sum(e * d for e, d in zip(eligible, km))
    recorded = apportion(recorded_total, [e * (COVERAGE_AT_OFFICE - slope * d)
                                          for e, d in zip(eligible, km)])
    island = ISLANDS.get(code, {}).get("villages", {})
    out = []
    for r, e, rec in zip(rows, eligible, recorded):
        assert 0 < rec <= e, r
        water = r["code"] in island
        signal = island[r["code"]][1] if water else True
        out.append({"id": r["code"], "name": r["village"], "district": r["district"],
                    "lat": r["lat"], "lon": r["lon"], "eligible": e, "recorded": rec,
                    "signal": "true" if signal else "false", "access": "water" if water else "road",
                    "turnaround_days": "" if signal else 3, "priority": ""})
    return out, slope


def links_yaml(code: str, rows: list[dict]) -> tuple[str, str]:
    """The `places` line of the port and the `links` block for a kabupaten's islands."""
    island = ISLANDS.get(code)
    if island is None:
        return "", ""
    pid, pname, village_code = island["port"]
    at = next(r for r in rows if r["code"] == village_code)
    place = (f"  # Estimate: {pname}, at the centroid of desa {at['village']} ({village_code});\n"
             f"  # not a surveyed point.\n"
             f"  - {{id: {pid}, name: {pname}, lat: {float(at['lat']):.4f}, lon: {float(at['lon']):.4f}}}\n")
    why = textwrap.wrap(f"Estimate: {island['why']}.", 94)
    lines = ["links:"] + [f"  # {line}" for line in why]
    ids = sorted(island["villages"])
    for vid in ids:
        lines.append(f"  - {{from: {pid}, to: {vid}, mode: boat, minutes: {island['villages'][vid][0]}}}")
    for a, b in zip(ids, ids[1:]):
        lines.append(f"  - {{from: {a}, to: {b}, mode: walk, minutes: 10}}")
    return place, "\n".join(lines) + "\n\n"


def write_csv(path: Path, table: list[dict]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(table)


HEAD = """\
# {name} (Lampung): e-KTP jemput bola before the Pilkada of 27 June 2018.
#
# One of the 15 kabupaten/kota in scenarios/lampung-2018/; plan them all at once with
#   plan-routes scenarios/lampung-2018/*.yaml -o lampung-plans --workers 2
# Lampung elected its governor on Wednesday 27 June 2018 (Pilkada serentak): a resident must be
# recorded to vote with an e-KTP (or the Suket printed after recording). Written by
# make_lampung.py: every figure that is not a date, a coordinate or a name is an ESTIMATE and
# says where it comes from. Units, kits, staff and hours are Pesawaran's seed scenario's
# (scenarios/pesawaran-2018.yaml), the one kabupaten of Lampung with a field report.
# Village coordinates: shared/data/regions/lampung.csv (MIT, see README.md here).
name: {short} jemput bola Pilkada 2018
geometry: geodesic

calendar:
  # Estimate: the push starts eight weeks before the vote (Wednesday 2 May, after Labour Day);
  # Pesawaran's seed has the kabupaten still in the red zone in May 2018.
  start: 2018-05-02
  # The day before the vote: Wednesday 27 June (Pilkada) is a public holiday, and a recording
  # must count before the polling stations open.
  deadline: 2018-06-26
  # Public holidays from the `holidays` package: Ascension 10 May, Waisak 29 May, Pancasila
  # 1 June, Idul Fitri 15-16 June, Pilkada 27 June 2018.
  holidays: ID
  # Cuti bersama Idul Fitri 2018 (SKB 3 Menteri, revised April 2018), as in Pesawaran.
  extra_holidays:
    - {{from: 2018-06-11, to: 2018-06-14, reason: cuti bersama Idul Fitri}}
    - {{from: 2018-06-18, to: 2018-06-20, reason: cuti bersama Idul Fitri}}
  work_on_holidays: false
  timezone: Asia/Jakarta    # Lampung is on WIB

shift:
  weekday: {{start: "07:30", end: "16:00"}}   # estimate, as Pesawaran (office hours)
  weekend: {{start: "08:00", end: "15:00"}}   # lembur on Saturday and Sunday, as Pesawaran
  # Not modelled: the shorter civil-servant hours of Ramadan 1439 H (17 May - 14 June 2018);
  # the plans assume full days then.

recording:
  minutes_per_person: 5     # DESIGN §1: 90-100 people per kit-day
  setup_minutes: 30         # estimate, as Pesawaran
  turnout: 0.33             # estimate, as Pesawaran (a third of the remaining backlog per visit)

offline_turnaround_days: 3  # as Pesawaran's seed ("paling lama ... tiga hari")

travel:
  speed_kmh: {speed}             # estimate: {why}
  circuity: {circuity}            # estimate

staff:
  weekday: 3                # estimate, as Pesawaran: the office stays open on weekdays
  weekend: 8                # estimate, as Pesawaran: all three cars on lembur days

places:
"""
UNITS = """\
units:
  # Estimate, as Pesawaran: two cars with two kits each and a smaller team with one kit.
  - {id: MK1, base: kantor, kits: 2, crew: 3, generator: true}
  - {id: MK2, base: kantor, kits: 2, crew: 3}
  - {id: MK3, base: kantor, kits: 1, crew: 2}

"""
TAIL = """\
targets:
  # Green from 92 % and the goal, as Pesawaran's seed; yellow from 85 % (estimate, as Pesawaran).
  zones: {yellow: 0.85, green: 0.92}
  goal: 0.92
"""


def scenario_yaml(name, stem, capital, kecamatan, office, terrain, table, slope, filled, port,
                  links, **_) -> str:
    """A kabupaten's scenario YAML with its comments."""
    speed, circuity, why = terrain
    short = name.replace("Kabupaten ", "")
    n_kec = sum(1 for v in table if v["district"] == kecamatan)
    cover = [(v["recorded"] / v["eligible"]) for v in table]
    kel = sum(1 for v in table if v["id"].split(".")[3].startswith("1"))
    text = HEAD.format(name=name, short=short, speed=speed, circuity=circuity, why=why)
    text += (f"  # Estimate: Kantor Disdukcapil {short} in {capital}, placed at the centroid\n"
             f"  # of the {n_kec} villages of kecamatan {kecamatan} (its position is not known "
             "here;\n  # not a surveyed point).\n"
             f"  - {{id: kantor, name: Kantor Disdukcapil {short}, lat: {office[0]}, "
             f"lon: {office[1]}}}\n")
    text += port + "\n" + UNITS + links
    fill = ("; ".join(filled))
    text += (
        "villages:\n"
        f"  # {len(table)} desa/kelurahan ({kel} kelurahan): code -> id, name, kecamatan -> district and\n"
        "  # polygon centroid from shared/data/regions/lampung.csv (villages of 2025: a few were\n"
        "  # split off after 2018; their residents are counted where they live now).\n"
        + (f"  # No centroid upstream, placed at their kecamatan's mean centroid: {fill}.\n"
           if filled else "")
        + "  # eligible (wajib KTP): ESTIMATE. No per-village or per-kabupaten figure is bundled:\n"
        f"  # {PER_DESA:,.0f} per desa (Pesawaran's seed: 412,048 over 144 desa), {KELURAHAN_FACTOR}x for a\n"
        "  # kelurahan, times a spread 0.6-1.4 from the village code (md5). Replace with the DKB.\n"
        f"  # recorded: ESTIMATE. {100 * COVERAGE_TOTAL:.1f} % of eligible in all (Pesawaran's estimated "
        "start), falling\n  # with straight-line distance from the office: coverage = "
        f"{COVERAGE_AT_OFFICE:.2f} - {slope:.7f} x km, from\n"
        f"  # {100 * max(cover):.1f} % near the office to {100 * min(cover):.1f} % in the farthest village "
        "(largest-remainder rounding).\n"
        f"  file: villages/{stem}.csv\n\n")
    return text + TAIL


def pesawaran_yaml() -> str:
    """Pesawaran: the seed scenario's places, units, links and villages under this calendar."""
    seed = (HERE.parent / "pesawaran-2018.yaml").read_text("utf-8")
    places = seed[seed.index("places:\n") + len("places:\n"):seed.index("units:")]
    rest = seed[seed.index("links:"):seed.index("targets:")]
    text = HEAD.format(name="Kabupaten Pesawaran", short="Pesawaran", speed=30, circuity="1.4",
                       why="as Pesawaran's seed scenario")
    return text + places + UNITS.replace("Estimate, as Pesawaran", "Estimate (seed scenario)") \
        + rest + TAIL


def main() -> None:
    regions = regions_dir()
    all_rows = list(csv.DictReader(open(regions / "lampung.csv", encoding="utf-8")))
    regencies = list(csv.DictReader(open(regions / "lampung_regencies.csv", encoding="utf-8")))
    (HERE / "villages").mkdir(exist_ok=True)
    for reg in regencies:
        code, name = reg["code"], reg["regency"]
        capital, kecamatan, terrain = REGENCIES[code]
        stem = slug(name)
        if code == "18.09":  # Pesawaran: its seed scenario's village table, unchanged
            (HERE / "villages" / f"{stem}.csv").write_text(PESAWARAN_CSV.read_text("utf-8"), "utf-8")
            (HERE / f"{stem}.yaml").write_text(pesawaran_yaml(), "utf-8")
            print(f"{stem}: the seed scenario's villages")
            continue
        rows = [r for r in all_rows if r["code"].startswith(code + ".")]
        filled = place_positions(rows)
        office = office_of(rows, kecamatan)
        table, slope = villages(rows, office, code)
        write_csv(HERE / "villages" / f"{stem}.csv", table)
        port, links = links_yaml(code, rows)
        text = scenario_yaml(name=name, stem=stem, code=code, capital=capital,
                             kecamatan=kecamatan, office=office, terrain=TERRAIN[terrain],
                             table=table, slope=slope, filled=filled, port=port, links=links)
        (HERE / f"{stem}.yaml").write_text(text, "utf-8")
        elig = sum(v["eligible"] for v in table)
        print(f"{stem}: {len(table)} villages, eligible {elig}, backlog "
              f"{elig - sum(v['recorded'] for v in table)}, office {office}, "
              f"slope {100 * slope:.4f} %/km, filled {len(filled)}")


if __name__ == "__main__":
    main()
