"""The export tests' sample: a WITA campaign with an island behind a port, a hand-made plan
on it, and helpers that read outputs back the way a user's tool would.

The plan is in WITA (Asia/Makassar, UTC+8) so that a writer that ignored the scenario's zone
(or used the machine's) shows up as a wrong hour.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import icalendar

from planner.actuals import Actuals, ActualVisit
from planner.plan import Plan, Route, Stop

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


def hm(h: int, m: int = 0) -> int:
    """A clock time as seconds after midnight."""
    return h * 3600 + m * 60


def hand_made_plan(geo_scenario) -> Plan:
    """Three routes: MK1 on Mon (two stops) and Wed, `MK 2/Perahu` to the island on Tue."""
    routes = (
        Route("MK1", D1, "weekday", hm(8), hm(15), (
            Stop(SUKAMAJU, hm(8, 20), hm(8, 30), hm(12), 84, hm(0, 20)),
            Stop(BONTO, hm(12, 15), hm(12, 15), hm(14, 30), 42, hm(0, 15)),
        ), hm(0, 55)),
        Route("MK 2/Perahu", D2, "weekday", hm(8), hm(15), (
            Stop(PULAU, hm(9, 30), hm(9, 30), hm(13, 30), 45, hm(1, 30)),
        ), hm(3)),
        Route("MK1", D3, "weekday", hm(8), hm(13), (
            Stop(SUKAMAJU, hm(8, 20), hm(8, 20), hm(12, 40), 81, hm(0, 20)),
        ), hm(0, 40)),
    )
    return Plan(geo_scenario, routes, {"status": "hand-made", "upper_bound": 300})


def replan(geo_scenario) -> Plan:
    """The hand-made plan's campaign re-planned on Wed (D3) from what happened (DESIGN §4
    `--actuals`): Mon MK1 recorded 84 at Sukamaju and 42 at offline Bonto (counting Thu,
    Mon + 3), Tue `MK 2/Perahu` 45 on the island; the new plan is MK1's Wed visit to Sukamaju
    (81). The report carries the actual figures as `plan-routes --actuals` writes them."""
    done = Actuals("done.csv", (ActualVisit(2, "MK1", D1, SUKAMAJU, 84),
                                ActualVisit(3, "MK1", D1, BONTO, 42),
                                ActualVisit(4, "MK 2/Perahu", D2, PULAU, 45)))
    left = geo_scenario.after(done, D3)
    route = Route("MK1", D3, "weekday", hm(8), hm(13), (
        Stop(SUKAMAJU, hm(8, 20), hm(8, 20), hm(12, 40), 81, hm(0, 20)),), hm(0, 40))
    return Plan(left, (route,), {"status": "hand-made"},
                report={"actuals": done.report(geo_scenario, D3)})


# The same campaign with overnight trips: a losmen in Tamalate (a place) and the balai desa of
# Pulau Barrang (a village) are lodgings; the shift starts at 06:00 and the deadline is a week
# later, so that the offline recordings of a three-day trip still count.
LOSMEN = "losmen"
TRIPS = {
    **GEO,
    "calendar": {**GEO["calendar"], "deadline": "2024-03-15"},
    "shift": {"weekday": {"start": "06:00", "end": "16:00"}},
    "places": GEO["places"] + [{"id": LOSMEN, "name": "Losmen Mawar", "lat": -5.19,
                                "lon": 119.44, "lodging": True}],
    "units": [{**GEO["units"][0], "max_nights": 2}, {**GEO["units"][1], "max_nights": 1}],
    "villages": GEO["villages"][:2] + [{**GEO["villages"][2], "lodging": True}],
}


def trip_plan(trip_scenario) -> Plan:
    """Two trips, three nights. Times follow the scenario's travel times (kantor-Sukamaju 13
    min, Sukamaju-Bonto 13, Bonto-losmen 4, losmen-Sukamaju 9, losmen-kantor 15; the island
    60 min by boat from the port, 9 min from the office), kits 2 (MK1) and 1.

    - MK1 Mon: office, Sukamaju, Bonto, sleeps at Losmen Mawar; Tue: leaves the losmen at
      06:00 (its start place left to the plan's default), Sukamaju, Bonto, sleeps there again;
      Wed: drives home without a visit (a day that only moves the team).
    - `MK 2/Perahu` Tue: office, boat to Pulau Barrang, sleeps at its balai desa; Wed: a visit
      there from 06:00 to 07:30, then the boat home.
    """
    routes = (
        Route("MK1", D1, "weekday", hm(8), hm(13, 55), (
            Stop(SUKAMAJU, hm(8, 20), hm(8, 20), hm(11, 20), 60, hm(0, 13)),
            Stop(BONTO, hm(11, 35), hm(11, 35), hm(13, 50), 42, hm(0, 13)),
        ), hm(0, 30), end_place=LOSMEN),
        Route("MK1", D2, "weekday", hm(6), hm(10, 2), (
            Stop(SUKAMAJU, hm(6, 10), hm(6, 15), hm(8, 25), 40, hm(0, 10)),
            Stop(BONTO, hm(8, 38), hm(8, 38), hm(9, 58), 20, hm(0, 13)),
        ), hm(0, 27), end_place=LOSMEN),
        Route("MK1", D3, "weekday", hm(8), hm(8, 15), (), hm(0, 15), start_place=LOSMEN),
        Route("MK 2/Perahu", D2, "weekday", hm(8), hm(13, 45), (
            Stop(PULAU, hm(9, 30), hm(9, 30), hm(13, 45), 45, hm(1, 10)),
        ), hm(1, 10), end_place=PULAU),
        Route("MK 2/Perahu", D3, "weekday", hm(6), hm(8, 40), (
            Stop(PULAU, hm(6), hm(6), hm(7, 30), 12, 0),
        ), hm(1, 10), start_place=PULAU),
    )
    return Plan(trip_scenario, routes, {"status": "hand-made"})


def visit_rows(plan) -> list[dict]:
    return plan.visits.to_dict("records")


def events(path: Path):
    """A calendar file read back: the calendar and its events."""
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    return cal, [c for c in cal.walk("VEVENT")]


def table(ws):
    """A sheet with a header row as (header, one dict per non-empty row)."""
    rows = list(ws.iter_rows(values_only=True))
    header = list(rows[0])
    return header, [dict(zip(header, r)) for r in rows[1:] if any(c is not None for c in r)]


BLOCKS = {"p", "div", "li", "td", "th", "tr", "h1", "h2", "h3", "br", "section", "header",
          "footer", "ul", "table", "hr"}
HIDDEN = {"style", "title"}


class Page(HTMLParser):
    """Collects visible text (a space at every block boundary, none inside a sentence's
    inline markup), tag names, every attribute that could fetch something, and scripts."""

    def __init__(self):
        super().__init__()
        self.text: list[str] = []
        self.tags: Counter = Counter()
        self.fetches: list[str] = []
        self.scripts: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1
        if tag == "script" or tag in HIDDEN:
            self._in = tag
        if tag in BLOCKS:
            self.text.append(" ")
        for name, value in attrs:
            if name in ("src", "href") and value:
                self.fetches.append(value)

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None
        if tag in BLOCKS:
            self.text.append(" ")

    def handle_data(self, data):
        if self._in == "script":
            self.scripts.append(data)
        elif self._in is None:
            self.text.append(data)


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def visible_text(path: Path) -> str:
    """A page's visible text with whitespace collapsed."""
    return " ".join("".join(parse(path).text).split())


def map_script(path: Path) -> str:
    """folium's own script (the last one), without the inlined Leaflet library."""
    return parse(path).scripts[-1]
