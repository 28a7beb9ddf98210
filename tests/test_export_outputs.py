"""Every output file of DESIGN §4 (beyond the CSV/JSON tables), read back with the library a
user's tool would use: calendars with `icalendar`, the workbook with `openpyxl`, the
announcements and the map as HTML, the chart as a PNG.

The hand-made plan is in WITA (Asia/Makassar, UTC+8) so that a writer that ignored the
scenario's zone (or used the machine's) shows up as a wrong hour.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import openpyxl
import pytest

from planner.export import announcements, coverage_chart, ics, labels, terminal, workbook
from planner.export import map as map_writer
from planner.plan import Plan, Route, Stop, hms

from tests.conftest import TINY, make_scenario

D1, D2, D3 = dt.date(2024, 3, 4), dt.date(2024, 3, 5), dt.date(2024, 3, 6)  # Mon, Tue, Wed
ZONE = "Asia/Makassar"

GEO = {
    "name": "Uji Sulawesi 2024",
    "calendar": {"start": "2024-03-04", "deadline": "2024-03-08", "holidays": "none",
                 "timezone": ZONE},
    "shift": {"weekday": {"start": "08:00", "end": "16:00"}},
    "recording": {"minutes_per_person": 5, "setup_minutes": 30, "turnout": 0.7},
    "offline_turnaround_days": 3,
    "travel": {"speed_kmh": 30},
    "places": [{"id": "kantor", "name": "Kantor Disdukcapil", "lat": -5.14, "lon": 119.43},
               {"id": "dermaga", "name": "Dermaga Paotere", "lat": -5.11, "lon": 119.42}],
    "units": [{"id": "MK1", "base": "kantor", "kits": 2, "crew": 3},
              {"id": "MK 2/Perahu", "base": "kantor", "kits": 1, "crew": 2}],
    "links": [{"from": "dermaga", "to": "7371020001", "mode": "boat", "minutes": 60}],
    "villages": [
        {"id": "7371010001", "name": "Sukamaju", "district": "Tamalate", "lat": -5.18,
         "lon": 119.41, "eligible": 2000, "recorded": 1800},
        {"id": "7371010002", "name": "Bonto Tangnga", "district": "Tamalate", "lat": -5.20,
         "lon": 119.45, "eligible": 500, "recorded": 400, "signal": False},
        {"id": "7371020001", "name": "Pulau Barrang", "district": "Ujung/Tanah",
         "lat": -5.08, "lon": 119.32, "unrecorded": 80, "access": "water"},
    ],
    "targets": {"zones": {"yellow": 0.85, "green": 0.92}, "goal": 0.92},
}
SUKAMAJU, BONTO, PULAU = "7371010001", "7371010002", "7371020001"


def _h(h, m=0):
    return h * 3600 + m * 60


@pytest.fixture
def geo_scenario():
    return make_scenario(GEO)


def hand_made_plan(geo_scenario):
    """Three routes: MK1 on Mon (two stops) and Wed, `MK 2/Perahu` to the island on Tue."""
    routes = (
        Route("MK1", D1, "weekday", _h(8), _h(15), (
            Stop(SUKAMAJU, _h(8, 20), _h(8, 30), _h(12), 84, _h(0, 20)),
            Stop(BONTO, _h(12, 15), _h(12, 15), _h(14, 30), 42, _h(0, 15)),
        ), _h(0, 55)),
        Route("MK 2/Perahu", D2, "weekday", _h(8), _h(15), (
            Stop(PULAU, _h(9, 30), _h(9, 30), _h(13, 30), 45, _h(1, 30)),
        ), _h(3)),
        Route("MK1", D3, "weekday", _h(8), _h(13), (
            Stop(SUKAMAJU, _h(8, 20), _h(8, 20), _h(12, 40), 81, _h(0, 20)),
        ), _h(0, 40)),
    )
    return Plan(geo_scenario, routes, {"status": "hand-made", "upper_bound": 300})


@pytest.fixture
def geo_plan(geo_scenario):
    return hand_made_plan(geo_scenario)


def _visit_rows(plan):
    return plan.visits.to_dict("records")


# -- icalendar ---------------------------------------------------------------------------
def _events(path: Path):
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    return cal, [c for c in cal.walk("VEVENT")]


def test_ics_one_event_per_visit_in_the_scenario_zone(geo_plan, tmp_path):
    ics.write(geo_plan, tmp_path)
    folder = tmp_path / "calendar"
    assert sorted(p.name for p in folder.iterdir()) == ["MK1.ics", "MK_2_Perahu.ics", "all.ics"]
    rows = _visit_rows(geo_plan)
    cal, events = _events(folder / "all.ics")
    assert len(events) == len(rows) == 4
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == [ZONE]
    zone = ZoneInfo(ZONE)
    by_uid = {}
    for event in events:
        by_uid[str(event["UID"])] = event
        assert event.get("DTSTAMP") is not None
    assert len(by_uid) == len(events)  # UIDs unique
    starts = sorted((e.decoded("DTSTART"), e.decoded("DTEND")) for e in events)
    expected = sorted(
        (dt.datetime.combine(dt.date.fromisoformat(r["date"]), dt.time.fromisoformat(r["start"]),
                             tzinfo=zone),
         dt.datetime.combine(dt.date.fromisoformat(r["date"]), dt.time.fromisoformat(r["end"]),
                             tzinfo=zone))
        for r in rows)
    assert starts == expected
    for start, _ in starts:
        assert str(start.tzinfo) == ZONE
        assert start.utcoffset() == dt.timedelta(hours=8)  # WITA, not the machine's zone
    # first visit: 08:30 WITA is 00:30 UTC
    assert starts[0][0].astimezone(dt.timezone.utc) == dt.datetime(2024, 3, 4, 0, 30,
                                                                    tzinfo=dt.timezone.utc)


def test_ics_per_unit_files_split_the_visits(geo_plan, tmp_path):
    ics.write(geo_plan, tmp_path)
    counts = Counter(r["unit"] for r in _visit_rows(geo_plan))
    _, mk1 = _events(tmp_path / "calendar" / "MK1.ics")
    _, mk2 = _events(tmp_path / "calendar" / "MK_2_Perahu.ics")
    assert (len(mk1), len(mk2)) == (counts["MK1"], counts["MK 2/Perahu"]) == (3, 1)


def test_ics_uid_stable_location_and_description(geo_plan, tmp_path):
    ics.write(geo_plan, tmp_path / "one")
    ics.write(geo_plan, tmp_path / "two")
    _, first = _events(tmp_path / "one" / "calendar" / "all.ics")
    _, second = _events(tmp_path / "two" / "calendar" / "all.ics")
    assert [str(e["UID"]) for e in first] == [str(e["UID"]) for e in second]

    offline = [e for e in first if "Bonto Tangnga" in str(e["SUMMARY"])]
    assert len(offline) == 1
    text = str(offline[0]["DESCRIPTION"])
    assert "Bonto Tangnga" in text and "Tamalate" in text and "42" in text
    # offline village: counts on the day back at base + 3 days
    assert "luring" in text and "2024-03-07" in text
    assert str(offline[0]["GEO"].to_ical()) in ("-5.2;119.45", "-5.200000;119.450000")
    assert "-5.2" in str(offline[0]["LOCATION"])
    online = [e for e in first if "Sukamaju" in str(e["SUMMARY"])]
    assert all("luring" not in str(e["DESCRIPTION"]) for e in online)


def test_ics_english_labels(geo_plan, tmp_path):
    ics.write(geo_plan, tmp_path, lang="en")
    _, events = _events(tmp_path / "calendar" / "all.ics")
    text = " ".join(str(e["DESCRIPTION"]) for e in events)
    assert "Village:" in text and "offline" in text and "Desa:" not in text


def test_ics_is_rfc5545_text(geo_plan, tmp_path):
    ics.write(geo_plan, tmp_path)
    raw = (tmp_path / "calendar" / "all.ics").read_bytes()
    lines = raw.split(b"\r\n")
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert max(len(line) for line in lines) <= 75  # folded content lines
    assert lines[0] == b"BEGIN:VCALENDAR" and b"VERSION:2.0" in lines
    assert any(line.startswith(b"PRODID:") for line in lines)


def test_every_writer_copes_with_an_empty_plan(geo_scenario, tmp_path):
    plan = Plan(geo_scenario, ())
    for module in (ics, workbook, announcements, map_writer, coverage_chart):
        module.write(plan, tmp_path)
    cal, events = _events(tmp_path / "calendar" / "MK1.ics")
    assert events == [] and [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == [ZONE]
    assert list((tmp_path / "announcements").iterdir()) == []
    wb = openpyxl.load_workbook(tmp_path / "schedule.xlsx")
    assert wb["Unit MK1"]["A2"].value == "Tidak ada kunjungan"
    assert (tmp_path / "map.html").stat().st_size > 0
    assert (tmp_path / "progress.png").stat().st_size > 0
    assert "88.0 % → 88.0 %" in terminal.render(plan)


# -- openpyxl ----------------------------------------------------------------------------
def _table(ws):
    rows = list(ws.iter_rows(values_only=True))
    header = list(rows[0])
    return header, [dict(zip(header, r)) for r in rows[1:] if any(c is not None for c in r)]


def test_workbook_sheets_totals_and_real_values(geo_plan, tmp_path):
    workbook.write(geo_plan, tmp_path, lang="en")
    wb = openpyxl.load_workbook(tmp_path / "schedule.xlsx")
    assert wb.sheetnames == ["Summary", "Unit MK1", "Unit MK 2_Perahu", "Dist Tamalate",
                             "Dist Ujung_Tanah"]
    visits = geo_plan.visits
    total = int(visits["recorded"].sum())

    unit_rows = []
    for name in ("Unit MK1", "Unit MK 2_Perahu"):
        ws = wb[name]
        assert ws.freeze_panes == "A2"
        header, rows = _table(ws)
        unit_rows += rows
        for r in rows:
            assert isinstance(r["Date"], dt.datetime)  # a date cell, not text
            assert isinstance(r["Start"], dt.time) and isinstance(r["End"], dt.time)
            assert isinstance(r["Counts on"], dt.datetime)
        assert ws.column_dimensions["G"].width >= len("Bonto Tangnga")
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 and ws.print_title_rows.replace("$", "") == "1:1"
    assert len(unit_rows) == len(visits)
    assert sum(r["Recorded"] for r in unit_rows) == total
    got = sorted((r["Date"].date().isoformat(), r["Village code"], r["Start"].isoformat(),
                  r["End"].isoformat(), r["Recorded"], r["Counts on"].date().isoformat())
                 for r in unit_rows)
    want = sorted((r["date"], r["village_id"], r["start"], r["end"], r["recorded"],
                   r["counts_on"]) for r in _visit_rows(geo_plan))
    assert got == want

    district_total = sum(r["Recorded"] for name in ("Dist Tamalate", "Dist Ujung_Tanah")
                         for r in _table(wb[name])[1])
    assert district_total == total

    summary = {row[0]: row[1] for row in wb["Summary"].iter_rows(values_only=True) if row[0]}
    assert summary["Visits"] == len(visits)
    assert summary["Recorded"] == total
    # Bonto's 42 count on 2024-03-07, before the 03-08 deadline: all count
    assert summary["Counted recordings"] == geo_plan.counted == total
    assert summary["Upper bound"] == 300
    assert summary["Gap to bound"] == pytest.approx((300 - total) / 300, abs=1e-6)
    assert isinstance(summary["Deadline"], dt.datetime)


def test_workbook_district_rows_and_zone(geo_plan, tmp_path):
    workbook.write(geo_plan, tmp_path, lang="id")
    ws = openpyxl.load_workbook(tmp_path / "schedule.xlsx")["Ringkasan"]
    rows = list(ws.iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(rows) if r[0] == "Kecamatan")
    table = {r[0]: r for r in rows[header_at + 1:header_at + 4]}
    # Tamalate: eligible 2500, recorded 2200, counted 84 + 42 + 81 = 207 -> 96.28 % green
    assert table["Tamalate"][1:4] == (300, 207, pytest.approx(2200 / 2500))
    assert table["Tamalate"][4] == pytest.approx(2407 / 2500, abs=1e-6)
    assert table["Tamalate"][5] == "hijau"
    assert table["Ujung/Tanah"][4] is None  # eligible unknown: no coverage claimed
    assert table["Total"][2] == 252


# -- HTML --------------------------------------------------------------------------------
class _Page(HTMLParser):
    """Collects visible text, tag names and every attribute that could fetch something."""

    def __init__(self):
        super().__init__()
        self.text: list[str] = []
        self.tags: Counter = Counter()
        self.fetches: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1
        self._in_script = tag == "script"
        for name, value in attrs:
            if name in ("src", "href") and value:
                self.fetches.append(value)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        (self.scripts if self._in_script else self.text).append(data)


def _map_script(path: Path) -> str:
    """folium's own script (the last one), without the inlined Leaflet library."""
    return _parse(path).scripts[-1]


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def test_announcements_one_page_per_kecamatan_with_every_village(geo_plan, tmp_path):
    announcements.write(geo_plan, tmp_path, lang="en")  # lang ignored: always Indonesian
    folder = tmp_path / "announcements"
    assert sorted(p.name for p in folder.iterdir()) == ["tamalate.html", "ujung-tanah.html"]
    for path, district in ((folder / "tamalate.html", "Tamalate"),
                           (folder / "ujung-tanah.html", "Ujung/Tanah")):
        page = _parse(path)
        text = " ".join(" ".join(page.text).split())
        visited = {r["village"] for r in _visit_rows(geo_plan) if r["district"] == district}
        for village in visited:
            assert village in text
        assert f"Kecamatan {district}" in text
        assert "wajib KTP" in text and "Kartu Keluarga" in text
        assert page.fetches == [] and page.tags["script"] == 0 and page.tags["link"] == 0
        raw = path.read_text(encoding="utf-8")
        assert re.search(r"@page\s*\{[^}]*size:\s*A4", raw)
        assert '<html lang="id">' in raw and "http" not in raw
    text = " ".join(" ".join(_parse(folder / "tamalate.html").text).split())
    assert "Senin, 4 Maret 2024" in text and "08.30–12.00 WITA" in text
    assert "Rabu, 6 Maret 2024" in text
    # the offline village says when its data counts: Mon + 3 days
    assert "tanpa sinyal" in text.lower() and "Kamis, 7 Maret 2024" in text


def test_announcement_file_names_are_safe_and_distinct():
    names = announcements.file_names(["Teluk Pandan", "Teluk/Pandan", "", "Ñagari Ü"])
    assert names == {"Teluk Pandan": "teluk-pandan.html", "Teluk/Pandan": "teluk-pandan-2.html",
                     "": "tanpa-kecamatan.html", "Ñagari Ü": "nagari-u.html"}


def test_map_has_every_village_day_layers_links_and_no_cdn(geo_plan, tmp_path):
    map_writer.write(geo_plan, tmp_path)
    raw = (tmp_path / "map.html").read_text(encoding="utf-8")
    page = _parse(tmp_path / "map.html")
    script = page.scripts[-1]
    for r in _visit_rows(geo_plan):
        assert r["village"] in script
    # one overlay per field day, plus villages, links and bases
    overlays = re.search(r'overlays\s*:\s*\{(.*?)\}', script, re.S).group(1)
    names = [json.loads(f'"{n}"') for n in re.findall(r'"([^"]+)"\s*:', overlays)]
    assert [n for n in names if n[:4] == "2024"] == ["2024-03-04 Senin", "2024-03-05 Selasa",
                                                      "2024-03-06 Rabu"]
    assert {"Desa", "Jalur perahu/sungai", "Kantor & dermaga"} <= set(names)
    assert '"dashArray": "8 6"' in script  # the boat link
    assert script.count("L.polyline(") == 3 + 1  # three routes, one link
    # unit colours: MK1 blue, `MK 2/Perahu` orange
    assert '"color": "#1f77b4"' in script and '"color": "#ff7f0e"' in script
    # popups carry the visit dates, and no jQuery is needed for them
    assert "2024-03-04 (Senin)" in script and "2024-03-06 (Rabu)" in script
    assert "$(" not in script
    if map_writer.leaflet_folder() is not None:
        assert not [u for u in page.fetches if u.startswith("http")]
        assert "<script src=" not in raw and "stylesheet" not in raw


def test_map_routes_to_island_go_through_the_port(geo_plan):
    path = map_writer._via_links(geo_plan, ["kantor", PULAU, "kantor"],
                                 {"kantor": (-5.14, 119.43), "dermaga": (-5.11, 119.42),
                                  PULAU: (-5.08, 119.32)})
    assert path == ["kantor", "dermaga", PULAU, "dermaga", "kantor"]
    road = map_writer._via_links(geo_plan, ["kantor", SUKAMAJU, BONTO, "kantor"], {})
    assert road == ["kantor", SUKAMAJU, BONTO, "kantor"]


def test_map_village_size_and_zone_colour(geo_plan, tmp_path):
    map_writer.write(geo_plan, tmp_path)
    script = _map_script(tmp_path / "map.html")
    markers = re.findall(r'L\.circleMarker\(\s*\[([-\d.]+), ([-\d.]+)\],\s*(\{.*?\})', script,
                         re.S)
    by_place = {(float(a), float(b)): opts for a, b, opts in markers}
    sukamaju = by_place[(-5.18, 119.41)]
    # biggest backlog (200) gets the biggest radius; 96 % after the plan: green
    assert '"radius": 13.0' in sukamaju and '"fillColor": "#1a9850"' in sukamaju
    bonto = [o for (lat, lon), o in by_place.items() if (lat, lon) == (-5.2, 119.45)
             and '"radius": 3,' not in o]
    # Bonto: (400 + 42) / 500 = 88.4 % -> yellow
    assert any('"fillColor": "#fdb827"' in o for o in bonto)


def test_map_planar_scenario_uses_a_flat_map(tiny_scenario, tmp_path):
    route = Route("U1", dt.date(2024, 1, 1), "weekday", _h(8), _h(12),
                  (Stop("a", _h(8, 10), _h(8, 10), _h(11), 70, 600),), 1200)
    map_writer.write(Plan(tiny_scenario, (route,)), tmp_path)
    script = _map_script(tmp_path / "map.html")
    assert "crs: L.CRS.Simple" in script and "tileLayer" not in script
    assert "[4.0, 3.0]" in script  # (y, x) of village a


# -- progress chart ----------------------------------------------------------------------
def test_progress_series_counts_offline_recordings_on_their_day(geo_plan):
    days, series = coverage_chart.coverage_series(geo_plan)
    assert days[0] == dt.date(2024, 3, 3) and days[-1] == dt.date(2024, 3, 9)
    at = dict(zip(days, series["Tamalate"]))
    assert at[dt.date(2024, 3, 3)] == pytest.approx(2200 / 2500)  # before the plan
    assert at[D1] == pytest.approx((2200 + 84) / 2500)  # Bonto's 42 not yet
    assert at[D3] == pytest.approx((2200 + 84 + 81) / 2500)
    assert at[dt.date(2024, 3, 7)] == pytest.approx((2200 + 84 + 81 + 42) / 2500)
    assert "Ujung/Tanah" not in series  # eligible unknown
    assert series[""] == series["Tamalate"]  # the only district that knows eligible


def test_progress_png_is_written(geo_plan, tmp_path):
    from PIL import Image

    coverage_chart.write(geo_plan, tmp_path)
    with Image.open(tmp_path / "progress.png") as img:
        assert img.format == "PNG" and img.size[0] >= 1000 and img.size[1] >= 600
        colours = img.convert("RGB").getcolors(maxcolors=1 << 20)
        assert len(colours) > 50  # a drawing, not an empty canvas


def test_progress_without_eligible_counts_plots_recordings(tiny_scenario, tmp_path):
    scenario = make_scenario(villages=[{**v, "eligible": None, "recorded": None}
                                       for v in TINY["villages"]])
    route = Route("U1", dt.date(2024, 1, 2), "weekday", _h(8), _h(12),
                  (Stop("a", _h(8, 10), _h(8, 10), _h(11), 70, 600),), 1200)
    plan = Plan(scenario, (route,))
    assert coverage_chart.coverage_series(plan)[1] == {}
    fig = coverage_chart.build(plan, "en")
    line = fig.axes[0].lines[0]
    assert max(line.get_ydata()) == 70
    coverage_chart.write(plan, tmp_path)
    assert (tmp_path / "progress.png").stat().st_size > 10_000


# -- terminal ----------------------------------------------------------------------------
def test_terminal_table_before_after_and_zone(geo_plan):
    text = terminal.render(geo_plan, lang="en")
    lines = text.splitlines()
    assert lines[0].split()[:3] == ["District", "Backlog", "Counted"]
    tamalate = next(line for line in lines if line.startswith("Tamalate"))
    assert "88.0 % → 96.3 %" in tamalate and tamalate.endswith("green")
    total = lines[-1]
    assert total.startswith("Total") and " 252 " in total
    assert "hijau" in terminal.render(geo_plan, lang="id")


def test_labels_reject_unknown_language(geo_plan, tmp_path):
    with pytest.raises(ValueError, match="unknown language"):
        workbook.write(geo_plan, tmp_path, lang="fr")
    assert labels.long_date(dt.date(2024, 3, 4)) == "Senin, 4 Maret 2024"
    assert labels.zone_abbreviation("Asia/Jayapura") == "WIT"


# -- with a real planner -----------------------------------------------------------------
def test_greedy_plan_round_trip(geo_scenario, tmp_path):
    baseline = pytest.importorskip("planner.baseline")
    plan = baseline.plan_greedy(geo_scenario)
    rows = _visit_rows(plan)
    assert rows, "the greedy plan should visit something"
    for module in (ics, workbook, announcements, map_writer, coverage_chart):
        module.write(plan, tmp_path)
    _, events = _events(tmp_path / "calendar" / "all.ics")
    assert len(events) == len(rows)
    zone = ZoneInfo(ZONE)
    assert sorted(e.decoded("DTSTART") for e in events) == sorted(
        dt.datetime.combine(dt.date.fromisoformat(r["date"]), dt.time.fromisoformat(r["start"]),
                            tzinfo=zone) for r in rows)
    wb = openpyxl.load_workbook(tmp_path / "schedule.xlsx")
    recorded = sum(r["Direkam"] for ws in wb.worksheets[1:1 + len(geo_scenario.units)]
                   for r in _table(ws)[1] if r.get("Direkam") is not None)
    assert recorded == sum(r["recorded"] for r in rows)
    pages = " ".join(" ".join(" ".join(_parse(p).text).split())
                     for p in (tmp_path / "announcements").iterdir())
    map_script = _map_script(tmp_path / "map.html")
    for r in rows:
        assert r["village"] in pages and r["village"] in map_script
    assert (tmp_path / "progress.png").stat().st_size > 10_000
    assert hms(0) == "00:00:00"
