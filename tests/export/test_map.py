"""`map.html`: every village, unit layers on, week layers in their own control and off, the
boat link, island routes drawn through the port, and nothing fetched from a CDN."""
from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
import math
import re

from planner.export import map as map_writer
from planner.export.leaflet_parts import leaflet_folder
from planner.plan import Plan, Route, Stop
from tests.export.sample import (BONTO, D1, PULAU, SUKAMAJU, hm, map_script, parse, replan,
                                 trip_plan, visit_rows)


def _names(block: str) -> list[str]:
    """The layer names of one `{name: layer, ...}` block of a layer control."""
    return [html.unescape(json.loads(f'"{n}"')) for n in re.findall(r'"([^"]+)"\s*:', block)]


def test_map_has_every_village_unit_and_week_layers_links_and_no_cdn(geo_plan, tmp_path):
    map_writer.write(geo_plan, tmp_path)
    raw = (tmp_path / "map.html").read_text(encoding="utf-8")
    page = parse(tmp_path / "map.html")
    script = page.scripts[-1]
    for r in visit_rows(geo_plan):
        assert r["village"] in script
    # the main control: one layer per unit (on), plus villages, links and bases
    overlays = re.search(r'overlays\s*:\s*\{(.*?)\}', script, re.S).group(1)
    names = _names(overlays)
    assert names == ["Rute unit MK1", "Rute unit MK 2/Perahu", "Jalur perahu/sungai", "Desa",
                     "Kantor & dermaga"]
    # the week control: the campaign's one week, off when the page opens
    weeks = re.search(r'L\.control\.layers\(null, \{(.*?)\}', script, re.S).group(1)
    assert _names(weeks) == ["Minggu ke-1: 4–10 Maret 2024"]
    assert '"Rute per minggu"' in script
    week_group = re.search(r'": (feature_group_\w+),', weeks).group(1)
    assert f"{week_group}.addTo(" not in script  # off at first
    for unit_group in re.findall(r'": (feature_group_\w+),', overlays):
        assert f"{unit_group}.addTo(" in script  # on at first
    assert '"dashArray": "10 6"' in script  # the boat link
    assert script.count("L.polyline(") == 2 * 3 + 1  # three routes, per unit and per week; one link
    # unit colours: MK1 blue, `MK 2/Perahu` orange
    assert '"color": "#1f77b4"' in script and '"color": "#ff7f0e"' in script
    # popups carry the visit dates, and no jQuery is needed for them
    assert "2024-03-04 (Senin)" in script and "2024-03-06 (Rabu)" in script
    assert "$(" not in script
    if leaflet_folder() is not None:
        assert not [u for u in page.fetches if u.startswith("http")]
        assert "<script src=" not in raw and "stylesheet" not in raw


def test_map_routes_to_island_go_through_the_port(geo_plan):
    island = next(r for r in geo_plan.routes if r.unit == "MK 2/Perahu")
    assert map_writer.route_path(geo_plan, island) == ["kantor", "dermaga", PULAU, "dermaga",
                                                       "kantor"]
    road = next(r for r in geo_plan.routes if len(r.stops) == 2)
    assert map_writer.route_path(geo_plan, road) == ["kantor", SUKAMAJU, BONTO, "kantor"]


def test_map_route_popup_gives_the_boat_leg(geo_plan, tmp_path):
    map_writer.write(geo_plan, tmp_path, lang="en")
    script = map_script(tmp_path / "map.html")
    assert "leaves Dermaga Paotere at 08:30, boat 60 min" in script
    assert "way back: leaves Pulau Barrang at 13:30, boat 60 min" in script
    weeks = re.search(r'L\.control\.layers\(null, \{(.*?)\}', script, re.S).group(1)
    assert _names(weeks) == ["Week 1: 4–10 March 2024"]
    assert '"Zoom in"' in script and "contributors" in script


def test_map_village_size_and_zone_colour(geo_plan, tmp_path):
    map_writer.write(geo_plan, tmp_path)
    script = map_script(tmp_path / "map.html")
    markers = re.findall(r'L\.circleMarker\(\s*\[([-\d.]+), ([-\d.]+)\],\s*(\{.*?\})', script,
                         re.S)
    by_place = {}
    for a, b, opts in markers:
        by_place.setdefault((float(a), float(b)), []).append(opts)
    # biggest backlog (200) gets the biggest radius; 96 % after the plan: green
    assert any('"radius": 13.0' in o and '"fillColor": "#1a9850"' in o
               for o in by_place[(-5.18, 119.41)])
    # Bonto: (400 + 42) / 500 = 88.4 % -> yellow
    assert any('"fillColor": "#fdb827"' in o for o in by_place[(-5.2, 119.45)])


def test_map_planar_scenario_uses_a_flat_map(tiny_scenario, tmp_path):
    route = Route("U1", dt.date(2024, 1, 1), "weekday", hm(8), hm(12),
                  (Stop("a", hm(8, 10), hm(8, 10), hm(11), 70, 600),), 1200)
    map_writer.write(Plan(tiny_scenario, (route,)), tmp_path)
    script = map_script(tmp_path / "map.html")
    assert "crs: L.CRS.Simple" in script and "tileLayer" not in script
    assert "[4.0, 3.0]" in script  # (y, x) of village a


def test_week_numbers_run_monday_to_sunday_from_the_start():
    start = dt.date(2018, 6, 6)  # a Wednesday
    assert map_writer.week_of(dt.date(2018, 6, 10), start) == 1  # that Sunday
    assert map_writer.week_of(dt.date(2018, 6, 11), start) == 2  # the next Monday
    assert map_writer.week_name(2, start, "id") == "Minggu ke-2: 11–17 Juni 2018"
    assert map_writer.week_name(4, start, "en") == "Week 4: 25 June – 1 July 2018"
    new_year = dt.date(2018, 12, 31)
    assert map_writer.week_name(1, new_year, "id") == \
        "Minggu ke-1: 31 Desember 2018 – 6 Januari 2019"


# -- overnight trips -----------------------------------------------------------------------
def _polylines(script: str) -> list[list[tuple[float, float]]]:
    """The points of every line drawn, in order."""
    out = []
    for points in re.findall(r'L\.polyline\(\s*(\[\[.*?\]\])', script, re.S):
        out.append([tuple(p) for p in json.loads(points)])
    return out


def _popups(script: str) -> list[str]:
    """The HTML of every popup."""
    return [html.unescape(json.loads(p))
            for p in re.findall(r'bindPopup\(("(?:[^"\\]|\\.)*")', script)]


def _circles(script: str) -> set[tuple[float, float]]:
    """Where circle markers are drawn."""
    return {(float(a), float(b))
            for a, b in re.findall(r'L\.circleMarker\(\s*\[([-\d.]+), ([-\d.]+)\]', script)}


def test_map_marks_lodgings_and_draws_trip_legs(trips, tmp_path):
    """Both lodgings (the losmen, a place; Pulau Barrang, a village) get a house in a layer of
    their own. MK1's Monday ends at the losmen, Tuesday starts and ends there, and Wednesday,
    a day without visits, is drawn from the losmen to the office: 5 days, per unit and per
    week, and the boat link."""
    map_writer.write(trips, tmp_path)
    script = map_script(tmp_path / "map.html")
    overlays = re.search(r'overlays\s*:\s*\{(.*?)\}', script, re.S).group(1)
    assert _names(overlays)[-1] == "Penginapan"
    assert script.count("L.divIcon(") == 2 and script.count('"className": "jemput-house"') == 2
    assert '.bindTooltip("Penginapan: Losmen Mawar")' in script
    assert '.bindTooltip("Penginapan: Pulau Barrang")' in script
    popups = _popups(script)
    losmen_popup = next(p for p in popups if p.startswith("<b>Losmen Mawar</b>"))
    assert "Malam menginap: 2<br>2024-03-04 (Senin) · MK1<br>2024-03-05 (Selasa) · MK1" in \
        losmen_popup
    lines = _polylines(script)
    assert len(lines) == 2 * 5 + 1
    losmen, office = (-5.19, 119.44), (-5.14, 119.43)
    assert lines.count([office, (-5.18, 119.41), (-5.2, 119.45), losmen]) == 2  # Monday
    assert lines.count([losmen, (-5.18, 119.41), (-5.2, 119.45), losmen]) == 2  # Tuesday
    assert lines.count([losmen, office]) == 2  # Wednesday: only the drive home
    island = (-5.08, 119.32)
    assert lines.count([office, (-5.11, 119.42), island]) == 2  # to the balai desa
    wednesday = next(p for p in popups if "2024-03-06 (Rabu)" in p and "Hari perjalanan" in p)
    assert "Berangkat 08.00 (Losmen Mawar) · Kembali 08.15 (Kantor Disdukcapil)" in wednesday
    monday = next(p for p in popups if p.startswith("<b>MK1</b> · 2024-03-04"))
    assert "Tiba 13.55 (Losmen Mawar)" in monday and monday.endswith("Menginap: Losmen Mawar")


def test_map_marks_a_lodging_nobody_uses(trip_scenario, tmp_path):
    """A plan of day trips on a scenario with lodgings: the lodgings are still on the map."""
    route = Route("MK1", D1, "weekday", hm(8), hm(13), (
        Stop(SUKAMAJU, hm(8, 20), hm(8, 30), hm(12), 84, hm(0, 20)),), hm(0, 40))
    map_writer.write(Plan(trip_scenario, (route,)), tmp_path, lang="en")
    script = map_script(tmp_path / "map.html")
    assert '.bindTooltip("Lodging: Losmen Mawar")' in script
    assert '.bindTooltip("Lodging: Pulau Barrang")' in script
    assert any(p.startswith("<b>Losmen Mawar</b>") and "Nights away: 0" in p
               for p in _popups(script))
    overlays = re.search(r'overlays\s*:\s*\{(.*?)\}', script, re.S).group(1)
    assert _names(overlays)[-1] == "Lodgings"
    # the losmen is drawn as a lodging only, not also as a white ring among the offices
    circles = _circles(script)
    assert (-5.11, 119.42) in circles and (-5.19, 119.44) not in circles  # port, losmen


def test_map_without_lodgings_has_no_lodging_layer(geo_plan, tmp_path):
    map_writer.write(geo_plan, tmp_path)
    script = map_script(tmp_path / "map.html")
    assert "L.divIcon(" not in script and "Penginapan" not in script


def test_every_unit_has_its_own_colour_beyond_the_palette():
    from planner.export.map import UNIT_COLOURS, ZONE_COLOURS, unit_colours

    assert unit_colours(3) == UNIT_COLOURS[:3]
    many = unit_colours(40)  # the eleventh unit used to get the first one's colour
    assert len(set(many)) == 40 and many[:10] == UNIT_COLOURS
    assert not set(many) & set(ZONE_COLOURS.values())


def test_the_same_plan_gives_the_same_page(geo_plan, tmp_path):
    """branca gives every element a random id; numbered instead, a plan written twice (as
    `--deterministic` runs alone and in a batch do) gives the same file, and every id is
    still drawn once (as a `var`)."""
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        map_writer.write(geo_plan, tmp_path / name)
    page = (tmp_path / "a" / "map.html").read_bytes()
    assert page == (tmp_path / "b" / "map.html").read_bytes()
    declared = re.findall(rb"var ([a-z_]+_[0-9a-f]{32}) =", page)
    assert declared and len(declared) == len(set(declared))


# -- what the audit of the maps found ------------------------------------------------------
def _legend_html(script: str) -> str:
    """The legend control's HTML."""
    found = re.search(r'box\.innerHTML = ("(?:[^"\\]|\\.)*");', script)
    assert found, "no legend control"
    return json.loads(found.group(1))


def test_the_layer_list_is_folded_and_the_map_fitted_clear_of_the_controls(geo_plan, tmp_path):
    """An open layer list covered the villages under it (Kapuas Hulu's only red one at
    1366x768): both lists start folded, and the fit makes room for the controls (checked in
    Chromium by tests/test_browser.py)."""
    map_writer.write(geo_plan, tmp_path)
    script = map_script(tmp_path / "map.html")
    assert re.search(r'"collapsed": true', script)
    assert "collapsed: true" in script  # the week list
    assert "paddingTopLeft" in script and "beforeprint" in script
    assert "@page { size: A4 landscape" in (tmp_path / "map.html").read_text(encoding="utf-8")


def test_links_look_like_no_unit_and_the_legend_explains_every_mark(trips, tmp_path):
    """Dark-blue links read as unit MK1's blue routes: links are black dashes, far from every
    unit colour; the legend, which folds, has rows for links, offices, ports, lodgings and
    circle sizes."""
    from planner.export.map_style import LINK_COLOUR, unit_colours

    def rgb(colour):
        return [int(colour[i:i + 2], 16) for i in (1, 3, 5)]

    for colour in unit_colours(40):
        assert math.dist(rgb(colour), rgb(LINK_COLOUR)) > 120, colour
    map_writer.write(trips, tmp_path)
    script = map_script(tmp_path / "map.html")
    assert f'"color": "{LINK_COLOUR}"' in script and '"dashArray": "10 6"' in script
    legend = _legend_html(script)
    assert legend.startswith("<details open><summary>Legenda</summary>")
    for text in ("Jalur perahu/sungai", "Kantor (pangkalan unit)", "Dermaga atau tempat lain",
                 "Penginapan", "Ukuran lingkaran: belum terekam", "MK1", "MK 2/Perahu"):
        assert text in legend, text
    assert 'stroke-dasharray="10 6"' in legend  # the link's sample is drawn like the link
    assert "jemput-legend" in script and "position: fixed" not in legend


def test_a_day_at_the_lodging_village_is_on_the_map(trip_scenario, tmp_path):
    """A unit that sleeps at Pulau Barrang and records there the next day has no line to
    draw that day: a ring in its colour around the village carries the day's popup, in its
    unit's layer and its week's, so every field day has a popup (twice: unit and week)."""
    plan = trip_plan(trip_scenario)
    perahu = [r for r in plan.routes if r.unit == "MK 2/Perahu"]
    stay = Route("MK 2/Perahu", dt.date(2024, 3, 7), "weekday", hm(6), hm(9), (
        Stop(PULAU, hm(6), hm(6), hm(9), 10, 0),), 0, start_place=PULAU, end_place=PULAU)
    home = dataclasses.replace(perahu[1], date=dt.date(2024, 3, 8))
    routes = [r for r in plan.routes if r.unit != "MK 2/Perahu"] + [perahu[0], stay, home]
    plan = Plan(trip_scenario, tuple(routes), {"status": "hand-made"})
    map_writer.write(plan, tmp_path, lang="en")
    script = map_script(tmp_path / "map.html")
    days = [p for p in _popups(script) if re.match(r"<b>(MK1|MK 2/Perahu)</b> · 2024-", p)]
    assert len(days) == 2 * len(routes)
    ring = [p for p in days if p.startswith("<b>MK 2/Perahu</b> · 2024-03-07 (Thursday)")]
    assert len(ring) == 2 and "Depart 06:00 (Pulau Barrang)" in ring[0]
    assert script.count('"className": "jemput-stay"') == 2
    assert "A day at the village where the team sleeps" in _legend_html(script)


def test_an_unvisited_village_is_dashed_and_says_why(geo_scenario, tmp_path):
    route = Route("MK1", D1, "weekday", hm(8), hm(15), (
        Stop(SUKAMAJU, hm(8, 20), hm(8, 30), hm(12), 84, hm(0, 20)),), hm(0, 40))
    plan = Plan(geo_scenario, (route,))
    for lang, words in (("id", "Tidak ada kunjungan"), ("en", "No visits")):
        map_writer.write(plan, tmp_path, lang=lang)
        script = map_script(tmp_path / "map.html")
        reasons = {x["village"]: x["reason"] for x in plan.summary(lang)["left_out"]}
        for name in ("Bonto Tangnga", "Pulau Barrang"):
            popup = next(p for p in _popups(script) if p.startswith(f"<b>{name}</b>"))
            assert popup.endswith(f"{words}: {reasons[name]}")
        assert script.count('"className": "jemput-village jemput-unvisited"') == 2
        assert script.count('"className": "jemput-village"') == 1
        assert "Sukamaju" in reasons  # visited, backlog left: not dashed
    assert "Not visited (dashed outline)" in _legend_html(script)


def test_a_replan_map_shows_the_visits_that_happened(geo_scenario, tmp_path):
    """A re-plan's map said `Tidak ada kunjungan` (dashed, `Terhitung: 0`) for a village the
    teams visited before `today` and the new plan does not revisit, while the announcements
    said `sudah dikunjungi` and summary.json counted its recordings: the visits that happened
    are listed, marked done, and counted."""
    plan = replan(geo_scenario)
    for lang, done in (("id", "sudah terlaksana (realisasi)"), ("en", "done (actual)")):
        map_writer.write(plan, tmp_path, lang=lang)
        popups = _popups(map_script(tmp_path / "map.html"))
        island = next(p for p in popups if p.startswith("<b>Pulau Barrang</b>"))
        assert island.endswith(f"2024-03-05 ({'Selasa' if lang == 'id' else 'Tuesday'}) · "
                               f"MK 2/Perahu · {done} · 45")
        assert ": 45<br>" in island  # counted, as summary.json's districts count it
        bonto = next(p for p in popups if p.startswith("<b>Bonto Tangnga</b>"))
        assert f"MK1 · {done} · 42" in bonto and ": 42<br>" in bonto  # counts Thu, by Fri
        suka = next(p for p in popups if p.startswith("<b>Sukamaju</b>"))
        assert suka.index(done) < suka.index("MK1 · 08.20" if lang == "id" else "MK1 · 08:20")
        assert ": 165<br>" in suka  # 84 done + 81 planned
        assert "jemput-unvisited" not in map_script(tmp_path / "map.html")


def test_names_with_template_braces_are_drawn_as_they_are(tmp_path):
    """branca read every drawn piece of the page as a jinja template again: a village named
    `{{ 7*7 }}` showed `49`, and one holding `{%` stopped the map (exit 1). Names are text."""
    import copy

    from tests.conftest import make_scenario
    from tests.export.sample import GEO, hand_made_plan

    raw = copy.deepcopy(GEO)
    raw["name"] = "Uji {{ 1+1 }}"
    raw["villages"][0]["name"] = "Desa {{ 7*7 }} {% raw"
    raw["units"][0]["id"] = "MK{{2}}"
    plan = hand_made_plan(make_scenario(raw))
    plan = dataclasses.replace(plan, routes=tuple(
        dataclasses.replace(r, unit="MK{{2}}") if r.unit == "MK1" else r for r in plan.routes))
    map_writer.write(plan, tmp_path)
    page = (tmp_path / "map.html").read_text(encoding="utf-8")
    assert "Desa {{ 7*7 }} {% raw" in page and "Desa 49" not in page
    assert "<title>Uji {{ 1+1 }}</title>" in page
    assert "MK{{2}}" in page and '"MK2"' not in page
