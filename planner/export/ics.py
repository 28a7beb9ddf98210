"""`calendar/<unit>.ics` and `calendar/all.ics`: one event per visit, for the teams' phones.

Events are in the scenario's own time zone (with its VTIMEZONE, RFC 5545), so a phone set to
another zone still shows the right hour. UIDs are stable per visit (campaign, unit, date,
village): re-importing a new plan updates the same events instead of duplicating them.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar

from ..plan import Plan, Route, Stop
from .crossings import crossing_texts, timed_ways
from .labels import check_lang, clock, label, zone_abbreviation

PRODID = "-//jemput//plan-routes//EN"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "plan"


def visit_uid(plan: Plan, route: Route, stop: Stop) -> str:
    """Stable identity of a visit: same campaign, unit, day and village -> same UID."""
    return (f"{_slug(plan.scenario.name)}.{_slug(route.unit)}.{route.date.isoformat()}."
            f"{_slug(stop.village_id)}@jemput")


def at(day: dt.date, seconds: int, zone: ZoneInfo) -> dt.datetime:
    """A day plus seconds after its midnight, as an aware datetime in `zone`."""
    naive = dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=int(seconds))
    return naive.replace(tzinfo=zone)


def _location(plan: Plan, stop: Stop, lang: str) -> tuple[str, tuple[float, float] | None]:
    v = plan.scenario.village(stop.village_id)
    where = v.label + (f", {label('district', lang)} {v.district}" if v.district else "")
    if v.lat is not None and v.lon is not None:
        return f"{where} ({v.lat:.5f}, {v.lon:.5f})", (v.lat, v.lon)
    if v.x is not None and v.y is not None:
        return f"{where} (x {v.x:g} km, y {v.y:g} km)", None
    return where, None


def visit_event(plan: Plan, route: Route, seq: int, stop: Stop, zone: ZoneInfo,
                stamp: dt.datetime, lang: str, boat: list[str] = ()) -> icalendar.Event:
    """One visit as an event; `boat`: the boat legs of its way, in words (`crossing_texts`)."""
    v = plan.scenario.village(stop.village_id)
    tz_abbr = zone_abbreviation(plan.scenario.calendar.timezone)
    where, geo = _location(plan, stop, lang)
    lines = [
        f"{label('unit', lang)}: {route.unit} ({label('seq', lang)} {seq})",
        f"{label('village', lang)}: {v.label} [{v.id}]",
        f"{label('district', lang)}: {v.district or '–'}",
        f"{label('expected', lang)}: {stop.recorded}",
        *(f"{label('crossing', lang)}: {text}" for text in boat),
        f"{label('arrive', lang)}: {clock(stop.arrive, lang)} {tz_abbr}",
        f"{label('location', lang)}: {where}",
    ]
    counts_on = plan.counts_on(route, stop)
    if not v.signal:
        lines.append(label("offline_note", lang).format(date=counts_on.isoformat()))
    event = icalendar.Event()
    event.add("uid", visit_uid(plan, route, stop))
    event.add("dtstamp", stamp)
    event.add("dtstart", at(route.date, stop.start, zone))
    event.add("dtend", at(route.date, stop.end, zone))
    offline = f" ({label('offline', lang)})" if not v.signal else ""
    crossing = f" ({label('crossing', lang)})" if boat else ""
    event.add("summary", f"{route.unit}: {v.label}{offline}{crossing} – {stop.recorded}")
    event.add("location", where)
    if geo is not None:
        event.add("geo", geo)
    event.add("description", "\n".join(lines))
    event.add("categories", [route.unit, v.district or "-"])
    return event


def build_calendar(plan: Plan, units: set[str] | None, name: str, lang: str = "id",
                   stamp: dt.datetime | None = None) -> icalendar.Calendar:
    """A calendar with one event per visit of `units` (all units when None)."""
    zone = ZoneInfo(plan.scenario.calendar.timezone)
    stamp = stamp or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", plan.scenario.calendar.timezone)
    for route in sorted(plan.routes, key=lambda r: (r.date, r.unit)):
        if units is not None and route.unit not in units:
            continue
        ways = timed_ways(plan, route)
        for seq, stop in enumerate(route.stops, start=1):
            home = ways[-1] if seq == len(route.stops) else None
            boat = crossing_texts(plan, ways[seq - 1], home, lang)
            cal.add_component(visit_event(plan, route, seq, stop, zone, stamp, lang, boat))
    first = min((r.date for r in plan.routes), default=plan.scenario.calendar.start)
    last = max((r.date for r in plan.routes), default=plan.scenario.calendar.deadline)
    cal.add_missing_timezones(first_date=first - dt.timedelta(days=366),
                              last_date=last + dt.timedelta(days=366))
    if not cal.timezones:  # a calendar without events still names its zone
        cal.add_component(icalendar.Timezone.from_tzid(plan.scenario.calendar.timezone))
    return cal


def unit_file_name(unit_id: str) -> str:
    """A safe file name for a unit's calendar (unit ids are free text in the scenario)."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", unit_id).strip("._") or "unit"
    return f"{safe}.ics"


def write(plan: Plan, out_dir: Path, lang: str = "id") -> None:
    check_lang(lang)
    folder = Path(out_dir) / "calendar"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    used: set[str] = {"all.ics"}  # a unit called "all" must not overwrite the whole plan
    for unit in plan.scenario.units:
        name = unit_file_name(unit.id)
        while name.lower() in used:  # ids differing only in unsafe characters
            name = name[:-4] + "_.ics"
        used.add(name.lower())
        cal = build_calendar(plan, {unit.id}, f"{plan.scenario.name} – {unit.id}", lang, stamp)
        (folder / name).write_bytes(cal.to_ical())
    cal = build_calendar(plan, None, plan.scenario.name, lang, stamp)
    (folder / "all.ics").write_bytes(cal.to_ical())
