"""`calendar/<unit>.ics` and `calendar/all.ics`: one event per visit, for the teams' phones,
and one all-day event per night away from home, naming the lodging (DESIGN §4).

Events are in the scenario's own time zone (with its VTIMEZONE, RFC 5545), so a phone set to
another zone still shows the right hour. UIDs are stable per visit (campaign, unit, date,
village; campaign, unit and night; `ics_uid`, whose campaign part a re-plan into the folder
of an earlier plan takes from that plan's calendars): re-importing a new plan updates the
same events instead of duplicating them. What a new plan withdraws from an earlier one in the
same folder (summary.json `changes`) goes into `calendar-cancelled/` as cancelled revisions
under the UIDs it was published with. A visit's text follows the day's clock: where and when
the team leaves on the day's first visit (the office, or the lodging of the night before on a
trip), its boats, its arrival, and after the last visit the boat home and the night away.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar

from ..plan import Plan, Route, Stop
from . import ics_uid
from .crossings import (TimedLeg, crossing_texts, crossings, mode_name, place_name,
                        place_of, route_ends, timed_ways)
from .labels import (MOST_STEM, check_lang, clock, label, long_date, weekday_name,
                     zone_abbreviation)
from .numbers import whole

PRODID = "-//jemput//plan-routes//EN"
CANCELLED_FOLDER = "calendar-cancelled"  # the withdrawn visits and nights, as cancellations
SEQUENCE_EPOCH = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
# No file says METHOD. The teams import files (Google Calendar, iOS, Android apps), which
# mostly ignore it; a METHOD makes a file an iTIP message (RFC 5546), which needs an
# ORGANIZER (an office has no calendar address to give) and, for CANCEL, one UID per
# message. Without it a file is a plain RFC 5545 snapshot, in which an event under a UID the
# phone holds, with a higher SEQUENCE, replaces it, and STATUS:CANCELLED is allowed.
WORDS = {  # texts of the calendars that labels.py does not hold
    "id": {"visit_withdrawn": "Kunjungan ini tidak ada lagi dalam rencana terbaru: dibatalkan.",
           "night_withdrawn": "Menurut rencana terbaru tim tidak menginap di luar malam ini: "
                              "dibatalkan.",
           "boat_from": "{mode} dari {place}", "boat_then": "lalu {mode} ke {place}"},
    "en": {"visit_withdrawn": "This visit is no longer in the latest plan: cancelled.",
           "night_withdrawn": "In the latest plan the team does not sleep away this night: "
                              "cancelled.",
           "boat_from": "{mode} from {place}", "boat_then": "then {mode} to {place}"},
}


def now() -> dt.datetime:
    """The publication time of calendars written now (DTSTAMP), in whole seconds, UTC."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def publication_sequence(stamp: dt.datetime) -> int:
    """The SEQUENCE of every event published at `stamp`: its seconds since 2020 (within a
    signed 32-bit integer until 2088). Calendar apps may ignore an event under a UID they
    hold unless its SEQUENCE rose (RFC 5546 orders revisions by it; Google Calendar is
    reported to), so a later plan's moved visit, and a cancellation, must carry a higher one
    than what was published before, whichever folder or machine that was; the publication
    time gives that without state."""
    return int((stamp - SEQUENCE_EPOCH).total_seconds())


def visit_uid(plan: Plan, route: Route, stop: Stop) -> str:
    """Stable identity of a visit: same campaign, unit, day and village -> same UID."""
    return ics_uid.visit_uid(plan.scenario, ics_uid.campaign(plan), route.unit, route.date,
                             stop.village_id)


def at(day: dt.date, seconds: int, zone: ZoneInfo) -> dt.datetime:
    """A day plus seconds after its midnight, as an aware datetime in `zone`."""
    naive = dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=int(seconds))
    return naive.replace(tzinfo=zone)


def night_uid(plan: Plan, route: Route) -> str:
    """Stable identity of a night away: same campaign, unit and night -> same UID."""
    return ics_uid.night_uid(plan.scenario, ics_uid.campaign(plan), route.unit, route.date)


def _location(plan: Plan, pid: str, lang: str) -> tuple[str, tuple[float, float] | None]:
    """A village's or place's name (a village with its kecamatan) and its position, in words
    and, for a map position, as (lat, lon)."""
    item = place_of(plan.scenario, pid)
    where = place_name(plan.scenario, pid)
    district = getattr(item, "district", None)
    if district:
        where += f", {label('district', lang)} {district}"
    if item is not None and item.lat is not None and item.lon is not None:
        return f"{where} ({item.lat:.5f}, {item.lon:.5f})", (item.lat, item.lon)
    if item is not None and item.x is not None and item.y is not None:
        return f"{where} (x {item.x:g} km, y {item.y:g} km)", None
    return where, None


def _departure(plan: Plan, route: Route, lang: str) -> str:
    """`Berangkat: 06.00 WITA dari Losmen Mawar`: when and where the team leaves (the office,
    or on a trip the lodging of the night before)."""
    tz_abbr = zone_abbreviation(plan.scenario.calendar.timezone)
    return label("departs_from", lang).format(
        time=f"{clock(route.depart, lang)} {tz_abbr}",
        place=place_name(plan.scenario, route_ends(plan, route)[0]))


def visit_event(plan: Plan, route: Route, seq: int, stop: Stop, zone: ZoneInfo,
                stamp: dt.datetime, lang: str, way_in: list[TimedLeg] = (),
                way_out: list[TimedLeg] = ()) -> icalendar.Event:
    """One visit as an event; `way_in`: the timed legs of the way to it, `way_out` (on the
    day's last visit) those of the way to where the unit sleeps (`timed_ways`). Its text
    follows the day's clock: the departure, the boats to the village, the arrival, then after
    the visit the boat home or to the lodging and the night away."""
    v = plan.scenario.village(stop.village_id)
    tz_abbr = zone_abbreviation(plan.scenario.calendar.timezone)
    where, geo = _location(plan, stop.village_id, lang)
    away = seq == len(route.stops) and plan.away_at_night(route)
    boat_in = crossing_texts(plan, list(way_in), None, lang, zone=tz_abbr)
    boat_out = crossing_texts(plan, [], list(way_out), lang, to_lodging=away, zone=tz_abbr)
    lines = [
        f"{label('unit', lang)}: {route.unit} ({label('seq', lang)} {seq})",
        f"{label('village', lang)}: {v.label} [{v.id}]",
        *([f"{label('head_phone', lang)}: {v.head_phone}"] if v.head_phone else []),
        f"{label('district', lang)}: {v.district or '–'}",
        f"{label('expected', lang)}: {whole(stop.recorded, lang)}",
        *([_departure(plan, route, lang)] if seq == 1 else []),
        *(f"{label('crossing', lang)}: {text}" for text in boat_in),
        f"{label('arrive', lang)}: {clock(stop.arrive, lang)} {tz_abbr}",
        f"{label('location', lang)}: {where}",
    ]
    if not v.signal:
        lines.append(label("offline_note", lang).format(
            date=long_date(plan.counts_on(route, stop), lang)))
    lines += [f"{label('crossing', lang)}: {text}" for text in boat_out]
    if away:
        lodging = place_name(plan.scenario, route_ends(plan, route)[1])
        lines.append(f"{label('night_away', lang)}: {lodging}")
    event = icalendar.Event()
    event.add("uid", visit_uid(plan, route, stop))
    event.add("dtstamp", stamp)
    event.add("sequence", publication_sequence(stamp))
    event.add("dtstart", at(route.date, stop.start, zone))
    event.add("dtend", at(route.date, stop.end, zone))
    offline = f" ({label('offline', lang)})" if not v.signal else ""
    crossing = _crossing_mark(plan, way_in, way_out, lang)
    event.add("summary", f"{route.unit}: {v.label}{offline}{crossing} – {whole(stop.recorded, lang)}")
    event.add("location", where)
    if geo is not None:
        event.add("geo", geo)
    event.add("description", "\n".join(lines))
    event.add("categories", [route.unit, v.district or "-"])
    return event


def _crossing_mark(plan: Plan, way_in, way_out, lang: str) -> str:
    """A visit title's boats, named: ` (perahu dari Pulau Legundi)` where the way to the
    village crosses water (to an island, or back from one before a mainland village), and
    ` (lalu perahu ke Pulau Legundi)` where the way home or to the lodging after it does;
    empty where neither does."""
    sc, words = plan.scenario, WORDS[lang]
    parts = [words["boat_from"].format(mode=mode_name(t.leg.mode, lang),
                                       place=place_name(sc, t.leg.start))
             for t in crossings(list(way_in))]
    parts += [words["boat_then"].format(mode=mode_name(t.leg.mode, lang),
                                        place=place_name(sc, t.leg.end))
              for t in crossings(list(way_out))]
    return f" ({'; '.join(parts)})" if parts else ""


def night_event(plan: Plan, route: Route, next_route: Route | None, stamp: dt.datetime,
                lang: str) -> icalendar.Event:
    """The night after `route`, away from home, as an all-day event on the route's date
    naming the lodging (and its position where known); `next_route`: the unit's next day,
    whose departure from the lodging it gives."""
    sc = plan.scenario
    tz_abbr = zone_abbreviation(sc.calendar.timezone)
    lodging = route_ends(plan, route)[1]
    name = place_name(sc, lodging)
    where, geo = _location(plan, lodging, lang)
    lines = [f"{label('unit', lang)}: {route.unit}",
             f"{label('lodging', lang)}: {name} [{lodging}]",
             f"{label('arrive', lang)}: {clock(route.return_, lang)} {tz_abbr}"]
    if next_route is not None:
        lines.append(label("next_departure", lang).format(
            day=weekday_name(next_route.date, lang),
            time=f"{clock(next_route.depart, lang)} {tz_abbr}"))
    lines.append(f"{label('location', lang)}: {where}")
    event = icalendar.Event()
    event.add("uid", night_uid(plan, route))
    event.add("dtstamp", stamp)
    event.add("sequence", publication_sequence(stamp))
    event.add("dtstart", route.date)  # a date: an all-day event
    event.add("dtend", route.date + dt.timedelta(days=1))
    event.add("transp", "TRANSPARENT")  # the night does not block the day's visits
    event.add("summary", f"{label('night_away', lang)}: {name} ({route.unit})")
    event.add("location", where)
    if geo is not None:
        event.add("geo", geo)
    event.add("description", "\n".join(lines))
    event.add("categories", [route.unit])
    return event


def _route_events(plan: Plan, route: Route, next_route: Route | None, zone: ZoneInfo,
                  stamp: dt.datetime, lang: str) -> list[icalendar.Event]:
    """A route's visits, then the night after it when the unit sleeps away from home."""
    ways = timed_ways(plan, route)
    away = plan.away_at_night(route)
    out = []
    for seq, stop in enumerate(route.stops, start=1):
        home = ways[-1] if seq == len(route.stops) else []
        out.append(visit_event(plan, route, seq, stop, zone, stamp, lang, ways[seq - 1], home))
    if away:
        out.append(night_event(plan, route, next_route, stamp, lang))
    return out


def route_events(plan: Plan, lang: str, stamp: dt.datetime) -> dict[tuple, list]:
    """Every route's events (`_route_events`) by (unit, date), in the order of visits.csv:
    made once for a unit's calendar and the one of every unit, which hold the same events."""
    zone = ZoneInfo(plan.scenario.calendar.timezone)
    following = {}  # (unit, date) -> the unit's next route
    for routes in plan.routes_by_unit.values():
        following.update(((r.unit, r.date), n) for r, n in zip(routes, routes[1:]))
    return {(r.unit, r.date): _route_events(plan, r, following.get((r.unit, r.date)), zone,
                                            stamp, lang)
            for r in sorted(plan.routes, key=lambda r: (r.date, r.unit))}


def build_calendar(plan: Plan, units: set[str] | None, name: str, lang: str = "id",
                   stamp: dt.datetime | None = None,
                   events: dict[tuple, list] | None = None) -> icalendar.Calendar:
    """A calendar with one event per visit and one per night away of `units` (all units
    when None). `events`: `route_events` of the plan at `stamp`, when already made."""
    stamp = stamp or now()
    events = route_events(plan, lang, stamp) if events is None else events
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")  # no METHOD: a snapshot (the note above WORDS)
    cal.add("x-wr-calname", icalendar.vText(name))  # TEXT, escaped like SUMMARY
    cal.add("x-wr-timezone", plan.scenario.calendar.timezone)
    for (unit, _date), day_events in events.items():
        if units is None or unit in units:
            for event in day_events:
                cal.add_component(event)
    first = min((r.date for r in plan.routes), default=plan.scenario.calendar.start)
    last = max((r.date for r in plan.routes), default=plan.scenario.calendar.deadline)
    cal.add_missing_timezones(first_date=first - dt.timedelta(days=366),
                              last_date=last + dt.timedelta(days=366))
    if not cal.timezones:  # a calendar without events still names its zone
        cal.add_component(icalendar.Timezone.from_tzid(plan.scenario.calendar.timezone))
    return cal


def cancelled_calendar(plan: Plan, withdrawn: list[dict], nights: list[dict], name: str,
                       lang: str, stamp: dt.datetime) -> icalendar.Calendar:
    """The earlier plan's visits and nights away that this plan withdraws (summary.json
    `changes.withdrawn`, `withdrawn_nights`), as a plain calendar (no METHOD) of their
    cancelled revisions: each event under the UID it was published with, its SEQUENCE above
    the published one (both are `publication_sequence`), STATUS:CANCELLED, free, and titled
    `DIBATALKAN: ...`, so that importing it over the earlier calendar replaces each event: an
    app that honours the status drops or strikes it, one that does not still shows the title
    (a moved visit is a new UID: its old event goes this way)."""
    sc, campaign = plan.scenario, ics_uid.campaign(plan)
    zone = ZoneInfo(sc.calendar.timezone)
    cal = icalendar.Calendar()
    for key, value in (("prodid", PRODID), ("version", "2.0"), ("calscale", "GREGORIAN"),
                       ("x-wr-calname", icalendar.vText(name)),
                       ("x-wr-timezone", sc.calendar.timezone)):
        cal.add(key, value)
    for visit in withdrawn:
        day, vid = dt.date.fromisoformat(visit["date"]), visit["village_id"]
        village = sc.village_index.get(vid)
        title = f"{visit['unit']}: {village.label if village is not None else vid}"
        event = _cancelled(ics_uid.visit_uid(sc, campaign, visit["unit"], day, vid),
                           at(day, _seconds(visit["start"]), zone),
                           at(day, _seconds(visit["end"]), zone), stamp)
        event.add("summary", f"{label('cancelled_visit', lang)}: {title}")
        event.add("description", WORDS[lang]["visit_withdrawn"])
        cal.add_component(event)
    for night in nights:
        day = dt.date.fromisoformat(night["date"])
        event = _cancelled(ics_uid.night_uid(sc, campaign, night["unit"], day), day,
                           day + dt.timedelta(days=1), stamp)
        event.add("summary", f"{label('cancelled_visit', lang)}: {label('night_away', lang)}: "
                             f"{place_name(sc, night['night_at'])} ({night['unit']})")
        event.add("description", WORDS[lang]["night_withdrawn"])
        cal.add_component(event)
    cal.add_missing_timezones()
    if not cal.timezones:
        cal.add_component(icalendar.Timezone.from_tzid(sc.calendar.timezone))
    return cal


def _cancelled(uid: str, start, end, stamp: dt.datetime) -> icalendar.Event:
    """A published event's cancellation: its UID, a higher SEQUENCE, STATUS:CANCELLED."""
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("sequence", publication_sequence(stamp))
    event.add("status", "CANCELLED")
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("transp", "TRANSPARENT")  # a cancelled visit blocks no time
    return event


def _seconds(hms_text: str) -> int:
    h, m, s = (int(x) for x in hms_text.split(":"))
    return h * 3600 + m * 60 + s


def unit_file_name(unit_id: str) -> str:
    """A safe file name for a unit's calendar (unit ids are free text in the scenario)."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", unit_id).strip("._")[:MOST_STEM].strip("._")
    safe = safe or "unit"
    return f"{safe}.ics"


def write(plan: Plan, out_dir: Path, lang: str = "id") -> None:
    check_lang(lang)
    folder = Path(out_dir) / "calendar"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = now()
    changes = plan.report.get("changes") or {}
    withdrawn, nights = changes.get("withdrawn") or [], changes.get("withdrawn_nights") or []
    names = unit_file_names([u.id for u in plan.scenario.units]
                            + sorted({v["unit"] for v in withdrawn + nights}))
    events = route_events(plan, lang, stamp)
    for unit in plan.scenario.units:
        cal = build_calendar(plan, {unit.id}, f"{plan.scenario.name} – {unit.id}", lang, stamp,
                             events)
        (folder / names[unit.id]).write_bytes(cal.to_ical())
    cal = build_calendar(plan, None, plan.scenario.name, lang, stamp, events)
    every = every_unit_file_name({n.lower() for n in names.values()})
    (folder / every).write_bytes(cal.to_ical())
    if withdrawn or nights:  # what an earlier plan here published, beside calendar/ (whose
        cancelled = Path(out_dir) / CANCELLED_FOLDER  # files hold this plan's events only)
        cancelled.mkdir()
        for unit in sorted({v["unit"] for v in withdrawn + nights}):
            cal = cancelled_calendar(plan, [v for v in withdrawn if v["unit"] == unit],
                                     [n for n in nights if n["unit"] == unit],
                                     f"{plan.scenario.name} – {unit}", lang, stamp)
            (cancelled / names[unit]).write_bytes(cal.to_ical())
        cal = cancelled_calendar(plan, withdrawn, nights, plan.scenario.name, lang, stamp)
        (cancelled / every).write_bytes(cal.to_ical())


def unit_file_names(units: list[str]) -> dict[str, str]:
    """Each unit's calendar file name (`unit_file_name`), distinct in a case-blind file
    system (ids differing only in unsafe characters get `_` added), in the order given."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for unit in units:
        if unit in names:
            continue
        name = unit_file_name(unit)
        while name.lower() in used:
            name = name[:-4] + "_.ics"
        used.add(name.lower())
        names[unit] = name
    return names


def every_unit_file_name(unit_files: set[str]) -> str:
    """`all.ics`, unless a unit is called `all`: its own calendar keeps the contract's name
    (`calendar/<unit>.ics`) and the every-unit one becomes `_all.ics` (no unit's file name
    starts with `_`)."""
    return "_all.ics" if "all.ics" in unit_files else "all.ics"
