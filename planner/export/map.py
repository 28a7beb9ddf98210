"""`map.html` (folium): routes per unit and per week, villages by backlog and zone, bases, links,
lodgings.

Readable on a plan of hundreds of visits: each unit's routes form one layer (on when the page
opens, thin and translucent so that the villages stay visible); the same routes grouped by
week are in a second layer control of their own ("Minggu" / "Weeks"), all off at first, drawn
bold. A leg to a water village is drawn through the port it takes (`network.legs`), not
straight across the water. On a trip, a day that ends at a lodging is drawn to the lodging and
the next day from it (a day that only moves the team is drawn too); every lodging of the
scenario is marked with a small house, used or not. Every word, including Leaflet's own
buttons and the tile credit, is in the run's language.

Leaflet itself is inlined (`leaflet_parts`) from a copy installed on the machine (the
`django-js-lib-leaflet` wheel, or Debian's `libjs-leaflet`) so the map opens and prints without
internet; only the background tiles need a connection (without one the map keeps a plain
background). Without a local copy the page falls back to Leaflet from folium's CDN. Nothing
else external is loaded: markers are vector circles, and the lodgings' house an inline SVG, so
no icon fonts or images are needed.
"""
from __future__ import annotations

import colorsys
import datetime as dt
import html
import math
from collections import defaultdict
from pathlib import Path
from typing import Optional

import folium
from branca.element import Element

from ..plan import Plan, Route
from .crossings import (crossing_texts, lodging_ids, mode_name, place_name, place_of,
                        route_ends, timed_ways)
from .labels import check_lang, clock, day_month, label, weekday_name, zone_label
from .numbers import percent
from .leaflet_parts import (CONTROL_CSS, HtmlPopup, HtmlTooltip, LayerControlWithTitle,
                            LocalControls, numbered_ids, use_leaflet)

UNIT_COLOURS = ["#1f77b4", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
                "#bcbd22", "#7f7f7f", "#2ca02c", "#d62728"]
ZONE_COLOURS = {"red": "#d73027", "yellow": "#fdb827", "green": "#1a9850"}
NO_ZONE_COLOUR = "#9e9e9e"  # eligible unknown: no zone
OTHER_ZONE_COLOUR = "#2c7fb8"  # a zone the scenario names itself (e.g. `target`)


def unit_colours(n: int) -> list[str]:
    """n distinct route colours: the ten of the palette, then hues a golden angle apart (a
    province office may run more than ten units), never one twice."""
    out = list(UNIT_COLOURS[:n])
    i = 0
    while len(out) < n:
        hue = (0.07 + i * 0.618033988749895) % 1.0
        r, g, b = colorsys.hsv_to_rgb(hue, 0.85 if i % 2 else 0.55, 0.55 if i % 3 else 0.8)
        colour = f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"
        if colour not in out and colour not in ZONE_COLOURS.values():
            out.append(colour)
        i += 1
    return out


def zone_colour(zone: Optional[str]) -> str:
    if zone is None:
        return NO_ZONE_COLOUR
    return ZONE_COLOURS.get(zone, OTHER_ZONE_COLOUR)


LINK_COLOUR = "#08519c"
LODGING_COLOUR = "#6a3d9a"
# A house, pinned at the middle of its floor: plain SVG in a Leaflet divIcon (no image files).
LODGING_ICON = ('<svg width="18" height="18" '
                'viewBox="0 0 18 18"><path d="M9 1 L17 8.5 H14.5 V17 H3.5 V8.5 H1 Z" '
                f'fill="{LODGING_COLOUR}" stroke="#ffffff" stroke-width="1.3"/></svg>')
MANY_LAYERS = 12  # above this many overlays the layer control starts collapsed


# -- geometry ------------------------------------------------------------------------------
def _point(item, planar: bool) -> Optional[tuple[float, float]]:
    """Leaflet coordinates: (lat, lon), or (y, x) in km on a flat (`Simple`) map."""
    if planar:
        return None if item.x is None or item.y is None else (float(item.y), float(item.x))
    return None if item.lat is None or item.lon is None else (float(item.lat), float(item.lon))


def _coverage_after(plan: Plan, counted: dict[str, int]) -> dict[str, Optional[float]]:
    out = {}
    for v in plan.scenario.villages:
        if v.eligible:
            recorded = v.recorded if v.recorded is not None else v.eligible - v.unrecorded
            out[v.id] = (recorded + counted.get(v.id, 0)) / v.eligible
        else:
            out[v.id] = None
    return out


def _legend(units: dict[str, str], lang: str, zones: list[str], lodgings: bool) -> Element:
    """The legend: unit colours, zone colours and, when the scenario has any, the lodging
    mark."""
    e = html.escape
    unit_rows = "".join(
        f'<div><span style="display:inline-block;width:18px;height:4px;background:{c};'
        f'vertical-align:middle;margin-right:6px"></span>{e(u)}</div>' for u, c in units.items())
    zone_rows = "".join(
        f'<div><span style="display:inline-block;width:11px;height:11px;border-radius:50%;'
        f'background:{zone_colour(z)};border:1px solid #333;'
        f'vertical-align:middle;margin-right:6px"></span>'
        f'{e(zone_label(z, lang) if z else label("no_data", lang))}</div>'
        for z in zones)
    return Element(
        '<div id="jemput-legend" style="position:fixed;top:86px;left:10px;z-index:1000;'
        'background:rgba(255,255,255,0.92);padding:8px 10px;border:1px solid #777;'
        'border-radius:4px;font:12px/1.4 Arial,Helvetica,sans-serif">'
        f'<strong>{e(label("unit", lang))}</strong>{unit_rows}'
        f'<strong>{e(label("zone", lang))} ({e(label("coverage_after", lang))})</strong>'
        f'{zone_rows}'
        + (f'<div style="margin-top:3px"><span style="display:inline-block;vertical-align:middle;'
           f'margin-right:4px;line-height:0">{LODGING_ICON}</span>'
           f'{e(label("lodging", lang))}</div>' if lodgings else "")
        + '</div>')


def week_of(day, start) -> int:
    """The campaign week of `day`: 1 for the week (Monday to Sunday) holding `start`."""
    return ((day - dt.timedelta(days=day.weekday()))
            - (start - dt.timedelta(days=start.weekday()))).days // 7 + 1


def week_name(n: int, start, lang: str) -> str:
    """`Minggu ke-1: 4–10 Juni 2018`, `Week 5: 25 June – 1 July 2018` (the year on both ends
    when the week spans two)."""
    monday = start - dt.timedelta(days=start.weekday()) + dt.timedelta(weeks=n - 1)
    sunday = monday + dt.timedelta(days=6)
    if monday.month == sunday.month:
        return label("week", lang).format(n=n, span=f"{monday.day}–{day_month(sunday, lang)}")
    first = day_month(monday, lang, year=monday.year != sunday.year)
    return label("week", lang).format(n=n, span=f"{first} – {day_month(sunday, lang)}")


def route_path(plan: Plan, route: Route, ways: list | None = None) -> list[str]:
    """The places a route passes, in order: its start, every stop and the place where it
    ends, with the link ends (ports) of the legs that cross water in between. `ways`: the
    route's `timed_ways`, when already at hand."""
    path = [route_ends(plan, route)[0]]
    for timed in ways if ways is not None else timed_ways(plan, route):
        path += [t.leg.end for t in timed]
    return path


# -- the map -------------------------------------------------------------------------------
def _new_map(plan: Plan, lang: str) -> folium.Map:
    """An empty map: flat (km) for planar scenarios, else OpenStreetMap tiles credited in the
    run's language; Leaflet inlined; zoom and scale controls in the run's language."""
    sc = plan.scenario
    planar = sc.geometry == "planar"
    if planar:
        m = folium.Map(location=None, tiles=None, crs="Simple", zoom_start=1, control_scale=False,
                       zoom_control=False)
    else:
        m = folium.Map(location=None, tiles=None, zoom_start=10, zoom_control=False,
                       zoom_snap=0.25)
        folium.TileLayer("OpenStreetMap", attr=label("attribution", lang), control=False).add_to(m)
    use_leaflet(m)
    root = m.get_root()
    root.header.add_child(Element(f"<title>{html.escape(sc.name)}</title>"), name="page_title")
    root.header.add_child(Element(CONTROL_CSS), name="jemput_control_css")
    m.add_child(LocalControls(lang, scale=not planar))
    return m


def _where(plan: Plan) -> dict[str, tuple[float, float]]:
    planar = plan.scenario.geometry == "planar"
    out = {}
    for item in list(plan.scenario.places) + list(plan.scenario.villages):
        pt = _point(item, planar)
        if pt is not None:
            out[item.id] = pt
    return out


def build(plan: Plan, lang: str = "id") -> folium.Map:
    check_lang(lang)
    sc = plan.scenario
    m = _new_map(plan, lang)
    where = _where(plan)
    colours = dict(zip((u.id for u in sc.units), unit_colours(len(sc.units))))
    routes = [r for r in sorted(plan.routes, key=lambda r: (r.date, r.unit))
              if plan.is_field_day(r)]
    ways = {id(r): timed_ways(plan, r) for r in routes}
    paths = {id(r): [where[i] for i in route_path(plan, r, ways[id(r)]) if i in where]
             for r in routes}

    # Per unit, on: all its routes, thin and translucent.
    for unit in sc.units:
        group = folium.FeatureGroup(name=html.escape(f"{label('units_routes', lang)} {unit.id}"),
                                    show=True)
        for r in routes:
            if r.unit == unit.id:
                _draw_route(group, plan, r, paths[id(r)], ways[id(r)], colours[r.unit],
                            lang, bold=False)
        group.add_to(m)
    _draw_links(m, plan, where, lang)
    zones_seen = _draw_villages(m, plan, where, lang)
    _draw_places(m, plan, where, lang)
    _draw_lodgings(m, plan, where, lang)
    # Per week, off, in a control of their own: each week's routes of every unit, bold.
    weeks: dict[int, folium.FeatureGroup] = {}
    for r in routes:
        n = week_of(r.date, sc.calendar.start)
        if n not in weeks:
            weeks[n] = folium.FeatureGroup(name=html.escape(week_name(n, sc.calendar.start, lang)),
                                           show=False, control=False)
        _draw_route(weeks[n], plan, r, paths[id(r)], ways[id(r)], colours[r.unit], lang,
                    bold=True)
    for group in weeks.values():
        group.add_to(m)
    folium.LayerControl(collapsed=len(sc.units) + 4 > MANY_LAYERS).add_to(m)
    if weeks:
        m.add_child(LayerControlWithTitle(label("weeks", lang),
                                          [(g.layer_name, g) for g in weeks.values()]))
    zone_order = [z for z in ("red", "yellow", "green") if z in zones_seen]
    zone_order += sorted(z for z in zones_seen if z and z not in zone_order)
    if None in zones_seen:
        zone_order.append(None)
    m.get_root().html.add_child(_legend(colours, lang, zone_order, bool(lodging_ids(plan))),
                                name="legend")
    if where:
        lats = [p[0] for p in where.values()]
        lons = [p[1] for p in where.values()]
        pad = 0.05 * max(max(lats) - min(lats), max(lons) - min(lons), 1e-3)
        m.fit_bounds([[min(lats) - pad, min(lons) - pad], [max(lats) + pad, max(lons) + pad]])
    return m


def _draw_links(m: folium.Map, plan: Plan, where: dict, lang: str) -> None:
    """Boat and river links, dashed."""
    sc = plan.scenario
    if not sc.links:
        return
    e = html.escape
    links = folium.FeatureGroup(name=e(label("links", lang)), show=True)
    for link in sc.links:
        a, b = where.get(link.from_), where.get(link.to)
        if a is None or b is None:
            continue
        line = folium.PolyLine([a, b], color=LINK_COLOUR, weight=3, dash_array="8 6",
                               opacity=0.9)
        line.add_child(HtmlTooltip(
            f"{e(mode_name(link.mode, lang))}: {e(place_name(sc, link.from_))} – "
            f"{e(place_name(sc, link.to))}, {link.minutes:g} {e(label('minutes', lang))}"))
        line.add_to(links)
    links.add_to(m)


def _draw_villages(m: folium.Map, plan: Plan, where: dict, lang: str) -> set[Optional[str]]:
    """Villages: radius by backlog, colour by the zone reached after the plan; returns the
    zones shown (for the legend)."""
    sc = plan.scenario
    e = html.escape
    counted = plan.counted_by_village()
    coverage = _coverage_after(plan, counted)
    visits_of: dict[str, list[str]] = defaultdict(list)
    for r in sorted(plan.routes, key=lambda r: (r.date, r.unit)):
        for s in r.stops:
            visits_of[s.village_id].append(
                f"{r.date.isoformat()} ({weekday_name(r.date, lang)}) · {e(r.unit)} · "
                f"{clock(s.start, lang)}–{clock(s.end, lang)} · {s.recorded}")
    biggest = max((v.unrecorded for v in sc.villages), default=1) or 1
    villages = folium.FeatureGroup(name=e(label("village", lang)), show=True)
    zones_seen: set[Optional[str]] = set()
    for v in sc.villages:
        pt = where.get(v.id)
        if pt is None:
            continue
        zone = sc.targets.zone_of(coverage[v.id]) if coverage[v.id] is not None else None
        zones_seen.add(zone)
        dates = "<br>".join(visits_of.get(v.id, [])) or e(label("no_visits", lang))
        popup = (f"<b>{e(v.label)}</b> [{e(v.id)}]<br>{e(label('district', lang))}: "
                 f"{e(v.district or '–')}<br>{e(label('backlog', lang))}: {v.unrecorded}"
                 f" · {e(label('counted', lang))}: {counted.get(v.id, 0)}<br>"
                 f"{e(label('coverage_after', lang))}: {percent(coverage[v.id], lang)}"
                 f" ({e(zone_label(zone, lang))})"
                 + ("" if v.signal else f"<br>{e(label('offline', lang))}")
                 + f"<hr style='margin:3px 0'>{dates}")
        marker = folium.CircleMarker(
            pt, radius=3 + 10 * math.sqrt(v.unrecorded / biggest), color="#222", weight=1,
            fill=True, fill_color=zone_colour(zone), fill_opacity=0.85)
        marker.add_child(HtmlTooltip(e(v.label)))
        marker.add_child(HtmlPopup(popup))
        marker.add_to(villages)
    villages.add_to(m)
    return zones_seen


def _draw_places(m: folium.Map, plan: Plan, where: dict, lang: str) -> None:
    """Bases (bold rings) and other places (ports); a place that is only a lodging is drawn
    by `_draw_lodgings`."""
    sc = plan.scenario
    e = html.escape
    bases = {u.base for u in sc.units} | {u.end_place for u in sc.units}
    group = folium.FeatureGroup(name=e(label("bases", lang)), show=True)
    for p in sc.places:
        pt = where.get(p.id)
        if pt is None or (p.lodging and p.id not in bases):
            continue
        is_base = p.id in bases
        marker = folium.CircleMarker(
            pt, radius=8 if is_base else 5, color="#000", weight=3 if is_base else 2,
            fill=True, fill_color="#ffffff", fill_opacity=1.0)
        marker.add_child(HtmlTooltip(e(p.name or p.id)))
        marker.add_child(HtmlPopup(f"<b>{e(p.name or p.id)}</b>"))
        marker.add_to(group)
    group.add_to(m)


def _draw_lodgings(m: folium.Map, plan: Plan, where: dict, lang: str) -> None:
    """Every lodging (a place or a village), used or not, as a house in a layer of its own:
    its name in the tooltip, the nights spent there (date and unit) in the popup."""
    sc = plan.scenario
    e = html.escape
    ids = lodging_ids(plan)
    if not ids:
        return
    nights: dict[str, list[str]] = defaultdict(list)
    for r in sorted(plan.routes, key=lambda r: (r.date, r.unit)):
        if plan.away_at_night(r):
            nights[route_ends(plan, r)[1]].append(
                f"{r.date.isoformat()} ({weekday_name(r.date, lang)}) · {e(r.unit)}")
    group = folium.FeatureGroup(name=e(label("lodgings", lang)), show=True)
    for pid in ids:
        pt = where.get(pid)
        if pt is None:
            continue
        name = e(place_name(sc, pid))
        district = getattr(place_of(sc, pid), "district", None)
        popup = (f"<b>{name}</b><br>{e(label('lodging', lang))}"
                 + (f" · {e(label('district', lang))} {e(district)}" if district else "")
                 + f"<hr style='margin:3px 0'>{e(label('nights', lang))}: {len(nights[pid])}"
                 + "".join(f"<br>{n}" for n in nights[pid]))
        icon = folium.DivIcon(html=LODGING_ICON, icon_size=(18, 18), icon_anchor=(9, 17),
                              class_name="jemput-house")
        marker = folium.Marker(pt, icon=icon)
        marker.add_child(HtmlTooltip(f"{e(label('lodging', lang))}: {name}"))
        marker.add_child(HtmlPopup(popup))
        marker.add_to(group)
    group.add_to(m)


def _route_text(plan: Plan, r: Route, ways: list, lang: str) -> str:
    """A route's popup: unit and day; departure from where the day starts and arrival where
    the team sleeps; the villages in order (or that the day only moves the team); the
    recordings; the boat legs; on a trip, the lodging of the night."""
    e = html.escape
    sc = plan.scenario
    start, end = route_ends(plan, r)
    away = plan.away_at_night(r)
    names = (" → ".join(e(sc.village(s.village_id).label) for s in r.stops)
             or e(label("travel_day", lang)))
    boat = [t for i, s in enumerate(r.stops)
            for t in crossing_texts(plan, ways[i], ways[-1] if i == len(r.stops) - 1 else [],
                                    lang, to_lodging=away)]
    if not r.stops:
        boat = crossing_texts(plan, [], ways[-1], lang, to_lodging=away)
    back = label("arrive" if away else "return", lang)
    return (f"<b>{e(r.unit)}</b> · {r.date.isoformat()} ({weekday_name(r.date, lang)})<br>"
            f"{e(label('depart', lang))} {clock(r.depart, lang)} ({e(place_name(sc, start))}) · "
            f"{e(back)} {clock(r.return_, lang)} ({e(place_name(sc, end))})<br>{names}<br>"
            f"{e(label('recorded', lang))}: {r.recorded}"
            + "".join(f"<br>{e(t)}" for t in boat)
            + (f"<br>{e(label('night_away', lang))}: {e(place_name(sc, end))}" if away else ""))


def _draw_route(group: folium.FeatureGroup, plan: Plan, r: Route, path: list, ways: list,
                colour: str, lang: str, bold: bool) -> None:
    """One field day: its line (through the ports it takes, from where the day starts to
    where the team sleeps) with a popup, and a dot per stop."""
    e = html.escape
    sc = plan.scenario
    if len(path) >= 2:
        line = folium.PolyLine(path, color=colour, weight=4 if bold else 2,
                               opacity=0.85 if bold else 0.45)
        line.add_child(HtmlPopup(_route_text(plan, r, ways, lang)))
        line.add_to(group)
    for seq, s in enumerate(r.stops, start=1):
        pt = _point(sc.village(s.village_id), sc.geometry == "planar")
        if pt is not None:
            dot = folium.CircleMarker(pt, radius=3 if bold else 2, color=colour, fill=True,
                                      fill_color=colour, fill_opacity=1.0)
            dot.add_child(HtmlTooltip(f"{e(r.unit)} #{seq}: {e(sc.village(s.village_id).label)}"))
            dot.add_to(group)


def write(plan: Plan, out_dir: Path, lang: str = "id") -> None:
    numbered_ids(build(plan, lang)).save(str(Path(out_dir) / "map.html"))
