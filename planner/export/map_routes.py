"""The routes of `map.html`: each field day a line in its unit's colour, from where the day
starts to where the team sleeps, through the ports it takes, with the day's popup and a dot
per stop.

A day that does not move the team (it stays at the village where it sleeps, to record there
or to wait) has no line to draw: it is a ring in the unit's colour around that village,
whose popup gives the day (or the days, when the unit stays there more than one), so that
every field day is on the map, in its unit's layer and its week's.
"""
from __future__ import annotations

import html
from collections import defaultdict

import folium

from ..plan import Plan, Route
from .crossings import crossing_texts, place_name, route_ends, timed_ways
from .labels import clock, label, weekday_name
from .leaflet_parts import HtmlPopup, HtmlTooltip
from .map_style import STAY_RADIUS

DAYS_APART = "<hr style='margin:3px 0'>"


def route_path(plan: Plan, route: Route, ways: list | None = None) -> list[str]:
    """The places a route passes, in order: its start, every stop and the place where it
    ends, with the link ends (ports) of the legs that cross water in between. `ways`: the
    route's `timed_ways`, when already at hand."""
    path = [route_ends(plan, route)[0]]
    for timed in ways if ways is not None else timed_ways(plan, route):
        path += [t.leg.end for t in timed]
    return path


def route_text(plan: Plan, r: Route, ways: list, lang: str) -> str:
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


def draw_routes(group: folium.FeatureGroup, plan: Plan, routes: list[Route], paths: dict,
                ways: dict, colours: dict[str, str], lang: str, bold: bool,
                radii: dict | None = None) -> None:
    """`routes` (in date order) into `group`: a line per day that moves the team, a ring per
    unit and place where days do not, a dot per stop. `paths` and `ways`: by `id(route)`,
    the route's points and its `timed_ways`; `radii`: the radius of the circle drawn at a
    point, which a ring goes around."""
    stays: dict[tuple, list[str]] = defaultdict(list)
    for r in routes:
        path = paths[id(r)]
        text = route_text(plan, r, ways[id(r)], lang)
        if len(set(path)) >= 2:
            line = folium.PolyLine(path, color=colours[r.unit], weight=4 if bold else 2,
                                   opacity=0.85 if bold else 0.45)
            line.add_child(HtmlPopup(text))
            line.add_to(group)
        elif path:
            stays[(r.unit, path[0])].append(text)
        _stop_dots(group, plan, r, colours[r.unit], bold)
    for (unit, point), texts in stays.items():
        inner = (radii or {}).get(point, STAY_RADIUS - 4)
        ring = folium.CircleMarker(point, radius=round(inner + (6 if bold else 4), 1),
                                   color=colours[unit], weight=3 if bold else 2.5,
                                   opacity=0.95 if bold else 0.8, fill=False,
                                   class_name="jemput-stay")
        ring.add_child(HtmlPopup(DAYS_APART.join(texts)))
        ring.add_to(group)


def _stop_dots(group: folium.FeatureGroup, plan: Plan, r: Route, colour: str,
               bold: bool) -> None:
    e = html.escape
    sc = plan.scenario
    planar = sc.geometry == "planar"
    for seq, s in enumerate(r.stops, start=1):
        v = sc.village(s.village_id)
        pt = ((v.y, v.x) if planar else (v.lat, v.lon))
        if pt[0] is None or pt[1] is None:
            continue
        dot = folium.CircleMarker((float(pt[0]), float(pt[1])), radius=3 if bold else 2,
                                  color=colour, fill=True, fill_color=colour, fill_opacity=1.0)
        dot.add_child(HtmlTooltip(f"{e(r.unit)} #{seq}: {e(v.label)}"))
        dot.add_to(group)
