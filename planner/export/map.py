"""`map.html` (folium): routes per unit and day, villages by backlog and zone, bases, boat links.

Leaflet itself is inlined from a copy installed on the machine (the `django-js-lib-leaflet`
wheel, or Debian's `libjs-leaflet`) so the map opens and prints without internet; only the
background tiles need a connection (without one the map keeps a plain background). Without a
local copy the page falls back to Leaflet from folium's CDN. Nothing else external is loaded:
markers are vector circles, so no icon fonts or images are needed.
"""
from __future__ import annotations

import base64
import html
import math
import re
from collections import defaultdict
from pathlib import Path
from typing import Optional

import folium
from branca.element import Element, MacroElement
from jinja2 import Template

from ..plan import Plan, Route
from .labels import check_lang, label, percent, weekday_name, zone_label

UNIT_COLOURS = ["#1f77b4", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
                "#bcbd22", "#7f7f7f", "#2ca02c", "#d62728"]
ZONE_COLOURS = {"red": "#d73027", "yellow": "#fdb827", "green": "#1a9850"}
NO_ZONE_COLOUR = "#9e9e9e"  # eligible unknown: no zone
OTHER_ZONE_COLOUR = "#2c7fb8"  # a zone the scenario names itself (e.g. `target`)


def zone_colour(zone: Optional[str]) -> str:
    if zone is None:
        return NO_ZONE_COLOUR
    return ZONE_COLOURS.get(zone, OTHER_ZONE_COLOUR)
LINK_COLOUR = "#08519c"
CDN_JS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js"
CDN_CSS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.css"
MANY_LAYERS = 12  # above this many overlays the layer control starts collapsed


# -- Leaflet assets ------------------------------------------------------------------------
def leaflet_folder() -> Optional[Path]:
    """A folder holding leaflet.js and leaflet.css on this machine, if any."""
    candidates = []
    try:
        from importlib.resources import files

        candidates.append(Path(str(files("js_lib_leaflet"))) / "static" / "js_lib_leaflet")
    except (ImportError, ModuleNotFoundError, TypeError):
        pass
    candidates.append(Path("/usr/share/javascript/leaflet"))
    for folder in candidates:
        if (folder / "leaflet.js").is_file() and (folder / "leaflet.css").is_file():
            return folder
    return None


def _inline_css(folder: Path) -> str:
    """leaflet.css with its images turned into data: URIs (the layer-control icon)."""
    css = (folder / "leaflet.css").read_text(encoding="utf-8")

    def data_uri(match: re.Match) -> str:
        image = folder / match.group(1)
        if not image.is_file():
            return "none"
        encoded = base64.b64encode(image.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{encoded})"

    return re.sub(r"url\((?:['\"])?(images/[^'\")]+\.png)(?:['\"])?\)", data_uri, css)


def use_leaflet(m: folium.Map) -> bool:
    """Inline a local Leaflet into the page; True if done, False if the CDN is used."""
    folder = leaflet_folder()
    m.default_css = [] if folder else [("leaflet_css", CDN_CSS)]
    m.default_js = [] if folder else [("leaflet", CDN_JS)]
    if folder is None:
        return False
    js = (folder / "leaflet.js").read_text(encoding="utf-8").replace("</script", "<\\/script")
    header = m.get_root().header
    header.add_child(Element(f"<style>{_inline_css(folder)}</style>"), name="leaflet_css_inline")
    header.add_child(Element(f"<script>{js}</script>"), name="leaflet_js_inline")
    return True


class HtmlText(MacroElement):
    """A popup or tooltip bound with Leaflet's own `bindPopup(html)` / `bindTooltip(html)`.

    folium's `Popup` builds its content with jQuery (`$(...)`), one more library to load
    from a CDN, and its `Tooltip` pastes the text raw into a JavaScript template literal (a
    backtick in a village name would break the page). Here the HTML goes in as a JSON string.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this._parent.get_name() }}.{{ this.method }}({{ this.html|tojson }}"
        "{% if this.method == 'bindPopup' %}, {maxWidth: 360}{% endif %});"
        "{% endmacro %}")

    def __init__(self, html_text: str, tooltip: bool = False):
        super().__init__()
        self._name = "HtmlText"
        self.html = html_text
        self.method = "bindTooltip" if tooltip else "bindPopup"


def HtmlPopup(html_text: str) -> HtmlText:  # noqa: N802 (reads like the folium class)
    return HtmlText(html_text)


def HtmlTooltip(html_text: str) -> HtmlText:  # noqa: N802
    return HtmlText(html_text, tooltip=True)


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


def _name(sc, pid: str) -> str:
    """A place's or village's name for people."""
    if pid in sc.village_index:
        return sc.village(pid).label
    return next((p.name or p.id for p in sc.places if p.id == pid), pid)


def _hm(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def _legend(units: dict[str, str], lang: str, zones: list[str]) -> Element:
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
        f'{zone_rows}</div>')


# -- the map -------------------------------------------------------------------------------
def build(plan: Plan, lang: str = "id") -> folium.Map:
    check_lang(lang)
    sc = plan.scenario
    planar = sc.geometry == "planar"
    e = html.escape
    if planar:
        m = folium.Map(location=None, tiles=None, crs="Simple", zoom_start=1, control_scale=False)
    else:
        m = folium.Map(location=None, tiles="OpenStreetMap", zoom_start=10, control_scale=True,
                       zoom_snap=0.25)
    use_leaflet(m)
    m.get_root().header.add_child(Element(f"<title>{e(sc.name)}</title>"), name="page_title")

    places = {p.id: p for p in sc.places}
    where: dict[str, tuple[float, float]] = {}
    for item in list(sc.places) + list(sc.villages):
        pt = _point(item, planar)
        if pt is not None:
            where[item.id] = pt

    colours = {u.id: UNIT_COLOURS[i % len(UNIT_COLOURS)] for i, u in enumerate(sc.units)}
    counted = plan.counted_by_village()
    coverage = _coverage_after(plan, counted)
    visits_of: dict[str, list[str]] = defaultdict(list)
    routes = sorted(plan.routes, key=lambda r: (r.date, r.unit))
    for r in routes:
        for s in r.stops:
            visits_of[s.village_id].append(
                f"{r.date.isoformat()} ({weekday_name(r.date, lang)}) · {e(r.unit)} · "
                f"{_hm(s.start)}–{_hm(s.end)} · {s.recorded}")

    # Day layers: every unit's route of that day, in the unit's colour.
    by_day: dict = defaultdict(list)
    for r in routes:
        if r.stops:
            by_day[r.date].append(r)
    for day, day_routes in sorted(by_day.items()):
        group = folium.FeatureGroup(name=f"{day.isoformat()} {weekday_name(day, lang)}", show=True)
        for r in day_routes:
            _draw_route(group, plan, r, where, colours[r.unit], lang)
        group.add_to(m)

    # Boat and river links.
    if sc.links:
        links = folium.FeatureGroup(name=label("links", lang), show=True)
        for link in sc.links:
            a, b = where.get(link.from_), where.get(link.to)
            if a is None or b is None:
                continue
            line = folium.PolyLine([a, b], color=LINK_COLOUR, weight=3, dash_array="8 6",
                                   opacity=0.9)
            line.add_child(HtmlTooltip(f"{e(link.mode)}: {e(_name(sc, link.from_))} – "
                                       f"{e(_name(sc, link.to))}, {link.minutes:g} min"))
            line.add_to(links)
        links.add_to(m)

    # Villages: radius by backlog, colour by the zone reached after the plan.
    biggest = max((v.unrecorded for v in sc.villages), default=1) or 1
    villages = folium.FeatureGroup(name=label("village", lang), show=True)
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
                 f"{e(label('coverage_after', lang))}: {percent(coverage[v.id])}"
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

    # Bases and other places (ports, lodgings).
    bases = {u.base for u in sc.units} | {u.end_place for u in sc.units}
    group = folium.FeatureGroup(name=label("bases", lang), show=True)
    for pid, p in places.items():
        pt = where.get(pid)
        if pt is None:
            continue
        is_base = pid in bases
        marker = folium.CircleMarker(
            pt, radius=8 if is_base else 5, color="#000", weight=3 if is_base else 2,
            fill=True, fill_color="#ffffff", fill_opacity=1.0)
        marker.add_child(HtmlTooltip(e(p.name or p.id)))
        marker.add_child(HtmlPopup(f"<b>{e(p.name or p.id)}</b>"))
        marker.add_to(group)
    group.add_to(m)

    folium.LayerControl(collapsed=len(by_day) + 3 > MANY_LAYERS).add_to(m)
    zone_order = [z for z in ("red", "yellow", "green") if z in zones_seen]
    zone_order += sorted(z for z in zones_seen if z and z not in zone_order)
    if None in zones_seen:
        zone_order.append(None)
    m.get_root().html.add_child(_legend(colours, lang, zone_order), name="legend")
    if where:
        lats = [p[0] for p in where.values()]
        lons = [p[1] for p in where.values()]
        pad = 0.05 * max(max(lats) - min(lats), max(lons) - min(lons), 1e-3)
        m.fit_bounds([[min(lats) - pad, min(lons) - pad], [max(lats) + pad, max(lons) + pad]])
    return m


def _draw_route(group: folium.FeatureGroup, plan: Plan, r: Route,
                where: dict[str, tuple[float, float]], colour: str, lang: str) -> None:
    unit = plan.scenario.unit(r.unit)
    e = html.escape
    path_ids = _via_links(plan, [unit.base] + [s.village_id for s in r.stops] + [unit.end_place],
                          where)
    path = [where[i] for i in path_ids if i in where]
    names = " → ".join(e(plan.scenario.village(s.village_id).label) for s in r.stops)
    text = (f"<b>{e(r.unit)}</b> · {r.date.isoformat()} ({weekday_name(r.date, lang)})<br>"
            f"{e(label('depart', lang))} {_hm(r.depart)} · {e(label('return', lang))} "
            f"{_hm(r.return_)}<br>{names}<br>{e(label('recorded', lang))}: {r.recorded}")
    if len(path) >= 2:
        line = folium.PolyLine(path, color=colour, weight=4, opacity=0.8)
        line.add_child(HtmlPopup(text))
        line.add_to(group)
    for seq, s in enumerate(r.stops, start=1):
        pt = where.get(s.village_id)
        if pt is not None:
            dot = folium.CircleMarker(pt, radius=3, color=colour, fill=True, fill_color=colour,
                                      fill_opacity=1.0)
            dot.add_child(HtmlTooltip(f"{e(r.unit)} #{seq}: "
                                      f"{e(plan.scenario.village(s.village_id).label)}"))
            dot.add_to(group)


def _via_links(plan: Plan, ids: list[str], where: dict[str, tuple[float, float]]) -> list[str]:
    """Draw legs to and from `access: water` villages through the link that reaches them
    (the port), not straight across the water; the nearest link end is shown. Display only:
    the travel times come from the network, not from this line."""
    sc = plan.scenario
    ends: dict[str, set[str]] = defaultdict(set)
    for link in sc.links:
        ends[link.to].add(link.from_)
        ends[link.from_].add(link.to)

    def water(pid: str) -> bool:
        return pid in sc.village_index and sc.village(pid).access == "water"

    def nearest(options: set[str], to: str) -> Optional[str]:
        known = [o for o in options if o in where and to in where]
        if not known:
            return None
        return min(known, key=lambda o: (where[o][0] - where[to][0]) ** 2
                   + (where[o][1] - where[to][1]) ** 2)

    out = ids[:1]
    for a, b in zip(ids, ids[1:]):
        if a in ends.get(b, set()):
            out.append(b)
            continue
        if water(a):
            hop = nearest(ends.get(a, set()), b)
            if hop is not None and hop != b:
                out.append(hop)
        if water(b):
            hop = nearest(ends.get(b, set()), out[-1])
            if hop is not None and hop != out[-1]:
                out.append(hop)
        out.append(b)
    return out


def write(plan: Plan, out_dir: Path, lang: str = "id") -> None:
    build(plan, lang).save(str(Path(out_dir) / "map.html"))
