"""`map.html` (folium): routes per unit and per week, villages by backlog and zone, bases, links,
lodgings.

Readable on a plan of hundreds of visits: each unit's routes form one layer (on when the page
opens, thin and translucent so that the villages stay visible); the same routes grouped by
week are in a second layer control of their own ("Minggu" / "Weeks"), all off at first, drawn
bold. A leg to a water village is drawn through the port it takes (`network.legs`), not
straight across the water. On a trip, a day that ends at a lodging is drawn to the lodging and
the next day from it (a day that only moves the team is drawn too); every lodging of the
scenario is marked with a small house, used or not; a day spent at the village where the team
sleeps is a ring around it (`map_routes`). A village the plan does not visit has a dashed
outline and a paler fill, and its popup says why (summary.json `left_out`). The legend
(`map_legend`) folds away and has a row for everything drawn; the page opens, and prints on
A4 landscape, with every village clear of the controls. Every word, including Leaflet's own
buttons and the tile credit, is in the run's language.

Leaflet itself is inlined (`leaflet_parts`) from a copy installed on the machine (the
`django-js-lib-leaflet` wheel, or Debian's `libjs-leaflet`) so the map opens and prints without
internet; only the background tiles need a connection (without one the map keeps a plain
background). Without a local copy the page falls back to Leaflet from folium's CDN. Nothing
else external is loaded: markers are vector circles, and the lodgings' house an inline SVG, so
no icon fonts or images are needed.
"""
from __future__ import annotations

import datetime as dt
import html
from collections import defaultdict
from pathlib import Path
from typing import Optional

import folium

from ..plan import Plan
from .crossings import lodging_ids, mode_name, place_name, place_of, route_ends, timed_ways
from .labels import check_lang, clock, day_month, label, weekday_name, zone_label
from .leaflet_parts import (HtmlPopup, HtmlTooltip, LayerControlWithTitle, fit_to_controls,
                            new_map, save_page, use_leaflet)
from .map_legend import (add_legend, circle_row, head, line_row, link_row, lodging_row,
                         size_rows, stay_row, unvisited_row)
from .map_routes import draw_routes, route_path
from .map_style import (LINK_COLOUR, LINK_DASH, LINK_WEIGHT, LODGING_ICON, NO_ZONE_COLOUR,
                        UNIT_COLOURS, UNVISITED_DASH, UNVISITED_FILL_OPACITY, VILLAGE_EDGE,
                        VISITED_FILL_OPACITY, ZONE_COLOURS, unit_colours, village_radius, word,
                        zone_colour)
from .numbers import percent, whole

# names other modules and the tests take from here
__all__ = ["build", "write", "route_path", "week_of", "week_name", "unit_colours",
           "zone_colour", "UNIT_COLOURS", "ZONE_COLOURS", "NO_ZONE_COLOUR", "HtmlPopup",
           "HtmlTooltip", "use_leaflet"]


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


def _legend(colours: dict[str, str], zones: list, drawn: dict, lang: str) -> str:
    """The legend's rows: unit colours, zone colours, the unvisited outline, circle sizes,
    then the marks the map has (offices, ports, lodgings, links, days at one place)."""
    rows = [head(label("unit", lang))]
    rows += [line_row(c, u) for u, c in colours.items()]
    rows.append(head(f'{label("zone", lang)} ({label("coverage_after", lang)})'))
    rows += [circle_row(zone_colour(z), zone_label(z, lang) if z else label("no_data", lang))
             for z in zones]
    if drawn["unvisited"]:
        rows.append(unvisited_row(lang))
    rows.append(size_rows(drawn["biggest"], lang))
    rows.append(head(label("bases", lang)))
    rows.append(circle_row("#ffffff", word("office", lang), radius=6, edge="#000", weight=3))
    if drawn["ports"]:
        rows.append(circle_row("#ffffff", word("port", lang), radius=4.5, edge="#000",
                               weight=2))
    if drawn["lodgings"]:
        rows.append(lodging_row(label("lodging", lang)))
    if drawn["links"]:
        rows.append(link_row(label("links", lang)))
    if drawn["stays"]:
        rows.append(stay_row(lang))
    return "".join(rows)


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
    m = new_map(sc.name, lang, sc.geometry == "planar")
    where = _where(plan)
    colours = dict(zip((u.id for u in sc.units), unit_colours(len(sc.units))))
    routes = [r for r in sorted(plan.routes, key=lambda r: (r.date, r.unit))
              if plan.is_field_day(r)]
    ways = {id(r): timed_ways(plan, r) for r in routes}
    paths = {id(r): [where[i] for i in route_path(plan, r, ways[id(r)]) if i in where]
             for r in routes}
    biggest = max((v.unrecorded for v in sc.villages), default=1) or 1
    radii = {where[v.id]: village_radius(v.unrecorded, biggest) for v in sc.villages
             if v.id in where}

    # Per unit, on: all its routes, thin and translucent.
    for unit in sc.units:
        group = folium.FeatureGroup(name=html.escape(f"{label('units_routes', lang)} {unit.id}"),
                                    show=True)
        draw_routes(group, plan, [r for r in routes if r.unit == unit.id], paths, ways,
                    colours, lang, bold=False, radii=radii)
        group.add_to(m)
    drawn = {"links": _draw_links(m, plan, where, lang),
             "stays": any(len(set(p)) == 1 for p in paths.values())}
    zones_seen = _draw_villages(m, plan, where, lang, drawn)
    drawn["ports"] = _draw_places(m, plan, where, lang)
    drawn["lodgings"] = _draw_lodgings(m, plan, where, lang)
    # Per week, off, in a control of their own: each week's routes of every unit, bold.
    by_week: dict[int, list] = defaultdict(list)
    for r in routes:
        by_week[week_of(r.date, sc.calendar.start)].append(r)
    weeks = {}
    for n, week_routes in by_week.items():
        weeks[n] = folium.FeatureGroup(name=html.escape(week_name(n, sc.calendar.start, lang)),
                                       show=False, control=False)
        draw_routes(weeks[n], plan, week_routes, paths, ways, colours, lang, bold=True,
                    radii=radii)
        weeks[n].add_to(m)
    # collapsed: a list open over the map hides the places under it
    folium.LayerControl(collapsed=True).add_to(m)
    if weeks:
        m.add_child(LayerControlWithTitle(label("weeks", lang),
                                          [(g.layer_name, g) for g in weeks.values()]))
    zone_order = [z for z in ("red", "yellow", "green") if z in zones_seen]
    zone_order += sorted(z for z in zones_seen if z and z not in zone_order)
    if None in zones_seen:
        zone_order.append(None)
    add_legend(m, _legend(colours, zone_order, drawn, lang), lang)
    fit_to_controls(m, list(where.values()), 0.03)
    return m


def _draw_links(m: folium.Map, plan: Plan, where: dict, lang: str) -> bool:
    """Boat and river links, dashed; whether any is drawn."""
    sc = plan.scenario
    e = html.escape
    links = folium.FeatureGroup(name=e(label("links", lang)), show=True)
    drawn = False
    for link in sc.links:
        a, b = where.get(link.from_), where.get(link.to)
        if a is None or b is None:
            continue
        line = folium.PolyLine([a, b], color=LINK_COLOUR, weight=LINK_WEIGHT,
                               dash_array=LINK_DASH, opacity=0.9)
        line.add_child(HtmlTooltip(
            f"{e(mode_name(link.mode, lang))}: {e(place_name(sc, link.from_))} – "
            f"{e(place_name(sc, link.to))}, {link.minutes:g} {e(label('minutes', lang))}"))
        line.add_to(links)
        drawn = True
    if drawn:
        links.add_to(m)
    return drawn


def _draw_villages(m: folium.Map, plan: Plan, where: dict, lang: str,
                   drawn: dict) -> set[Optional[str]]:
    """Villages: radius by backlog, colour by the zone reached after the plan, a dashed
    outline and a paler fill where the plan does not visit (the popup says why); returns the
    zones shown and notes in `drawn` the biggest backlog and whether any village is left
    unvisited (for the legend). In a re-plan (`--actuals`) the visits that happened are
    listed first, marked done, and their counted recordings are in the village's counted
    figure, as in summary.json `districts`, the announcements and the workbook: a village
    the teams visited last week is not drawn as one never visited. Its backlog stays
    today's, as the announcements give it."""
    sc = plan.scenario
    e = html.escape
    coverage = _coverage_after(plan, plan.counted_by_village())
    # the campaign's counted recordings: the plan's and a re-plan's actual ones
    counted = {vid: sum(days.values()) for vid, days in plan.counted_per_day.items()}
    visits_of: dict[str, list[str]] = defaultdict(list)
    for x in (plan.report.get("actuals") or {}).get("done") or ():
        day = dt.date.fromisoformat(x["date"])
        visits_of[x["village_id"]].append(
            f"{day.isoformat()} ({weekday_name(day, lang)}) · {e(x['unit'])} · "
            f"{e(label('actual_visit', lang))} · {x['recorded']}")
    for r in sorted(plan.routes, key=lambda r: (r.date, r.unit)):
        for s in r.stops:
            visits_of[s.village_id].append(
                f"{r.date.isoformat()} ({weekday_name(r.date, lang)}) · {e(r.unit)} · "
                f"{clock(s.start, lang)}–{clock(s.end, lang)} · {s.recorded}")
    reasons = {x["village_id"]: x["reason"] for x in plan.summary(lang)["left_out"]}
    biggest = max((v.unrecorded for v in sc.villages), default=1) or 1
    drawn.update(biggest=biggest, unvisited=False)
    villages = folium.FeatureGroup(name=e(label("village", lang)), show=True)
    zones_seen: set[Optional[str]] = set()
    for v in sc.villages:
        pt = where.get(v.id)
        if pt is None:
            continue
        zone = sc.targets.zone_of(coverage[v.id]) if coverage[v.id] is not None else None
        zones_seen.add(zone)
        visited = v.id in visits_of
        drawn["unvisited"] |= not visited
        dates = ("<br>".join(visits_of[v.id]) if visited else
                 f"{e(label('no_visits', lang))}: "
                 f"{e(reasons.get(v.id) or word('nothing_left', lang))}")
        popup = (f"<b>{e(v.label)}</b> [{e(v.id)}]<br>{e(label('district', lang))}: "
                 f"{e(v.district or '–')}<br>{e(label('backlog', lang))}: {whole(v.unrecorded, lang)}"
                 f" · {e(label('counted', lang))}: {whole(counted.get(v.id, 0), lang)}<br>"
                 f"{e(label('coverage_after', lang))}: {percent(coverage[v.id], lang)}"
                 f" ({e(zone_label(zone, lang))})"
                 + ("" if v.signal else f"<br>{e(label('offline', lang))}")
                 + f"<hr style='margin:3px 0'>{dates}")
        marker = folium.CircleMarker(
            pt, radius=village_radius(v.unrecorded, biggest), color=VILLAGE_EDGE,
            weight=1 if visited else 2, dash_array=None if visited else UNVISITED_DASH,
            fill=True, fill_color=zone_colour(zone),
            fill_opacity=VISITED_FILL_OPACITY if visited else UNVISITED_FILL_OPACITY,
            class_name="jemput-village" if visited else "jemput-village jemput-unvisited")
        marker.add_child(HtmlTooltip(e(v.label)))
        marker.add_child(HtmlPopup(popup))
        marker.add_to(villages)
    villages.add_to(m)
    return zones_seen


def _draw_places(m: folium.Map, plan: Plan, where: dict, lang: str) -> bool:
    """Bases (bold rings) and other places (ports); a place that is only a lodging is drawn
    by `_draw_lodgings`. Whether any place other than a base is drawn."""
    sc = plan.scenario
    e = html.escape
    bases = {u.base for u in sc.units} | {u.end_place for u in sc.units}
    group = folium.FeatureGroup(name=e(label("bases", lang)), show=True)
    others = False
    for p in sc.places:
        pt = where.get(p.id)
        if pt is None or (p.lodging and p.id not in bases):
            continue
        is_base = p.id in bases
        others |= not is_base
        marker = folium.CircleMarker(
            pt, radius=8 if is_base else 5, color="#000", weight=3 if is_base else 2,
            fill=True, fill_color="#ffffff", fill_opacity=1.0)
        marker.add_child(HtmlTooltip(e(p.name or p.id)))
        marker.add_child(HtmlPopup(f"<b>{e(p.name or p.id)}</b><br>"
                                   f"{e(word('office' if is_base else 'port', lang))}"))
        marker.add_to(group)
    group.add_to(m)
    return others


def _draw_lodgings(m: folium.Map, plan: Plan, where: dict, lang: str) -> bool:
    """Every lodging (a place or a village), used or not, as a house in a layer of its own:
    its name in the tooltip, the nights spent there (date and unit) in the popup."""
    sc = plan.scenario
    e = html.escape
    ids = lodging_ids(plan)
    if not ids:
        return False
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
    return True


def write(plan: Plan, out_dir: Path, lang: str = "id") -> None:
    save_page(build(plan, lang), Path(out_dir) / "map.html")
