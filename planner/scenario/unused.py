"""Settings that the file gives but that change nothing in any plan, or that another setting
overrides: each is allowed (DESIGN §3 says what wins), but a planner who wrote it believes it
in force and would plan otherwise, so each is warned about at its line.

- `turnaround_days` on a village with signal: its recordings count the day they are made.
- `max_nights` where no place or village is a lodging: every trip is a day trip; and the
  other way round, lodgings where no unit has `max_nights` (the default is 0).
- `staff.weekend` or `overtime_unit_days` where no Saturday, Sunday or holiday has hours.
- `work_on_holidays: true` where no holiday of the campaign gets hours (they take the weekend's).
- hours for dates after the deadline, or only on days that are closed (hours never open one).
- hours too short for one visit (setup and one recording) even without travel.
- `targets` where no village has `eligible`: no coverage, zone or goal day can be computed.
- zones named by the traffic light (red, yellow, green) with thresholds out of that order.
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..notices import Notice
from .values import clock_text

if TYPE_CHECKING:
    from .model import Scenario


def unused_settings(s: "Scenario") -> list[tuple[str, Notice]]:
    """(field.path, notice) for every setting of `s` that changes nothing (module docstring)."""
    return (_turnaround_with_signal(s) + _nights_without_lodging(s) + _overtime_without_hours(s)
            + _holidays_without_hours(s) + _dated_hours_unused(s) + _hours_too_short(s)
            + _targets_without_eligible(s) + _zones_out_of_order(s))


def _more(count: int) -> Notice | str:
    if not count:
        return ""
    return Notice("unused_one_more") if count == 1 else Notice("unused_more", count=count)


def _turnaround_with_signal(s: "Scenario") -> list[tuple[str, Notice]]:
    """One notice at the first village with signal and a non-zero `turnaround_days`, counting
    the others (a table's column filled on every row reads as one slip)."""
    found = [(i, v) for i, v in enumerate(s.villages) if v.signal and v.turnaround_days]
    if not found:
        return []
    i, v = found[0]
    return [(f"villages[{i}].turnaround_days", Notice(
        "turnaround_with_signal", id=v.id, days=v.turnaround_days, more=_more(len(found) - 1)))]


def _nights_without_lodging(s: "Scenario") -> list[tuple[str, Notice]]:
    """Nights without a lodging, or lodgings without nights: one of the two is forgotten. A
    lodging that is a unit's base or home is where it starts, not a hint of trips."""
    lodgings = [(f"places[{i}].lodging", p.id) for i, p in enumerate(s.places) if p.lodging]
    lodgings += [(f"villages[{i}].lodging", v.id) for i, v in enumerate(s.villages) if v.lodging]
    if not lodgings:
        return [(f"units[{i}].max_nights", Notice("nights_without_lodging", unit=u.id, nights=u.max_nights))
                for i, u in enumerate(s.units) if u.max_nights > 0]
    homes = {u.base for u in s.units} | {u.end_place for u in s.units}
    away = [(path, pid) for path, pid in lodgings if pid not in homes]
    if any(u.max_nights > 0 for u in s.units) or not away:
        return []
    (path, pid), count = away[0], len(away) - 1
    more = "" if not count else Notice("lodging_one_more") if count == 1 else Notice(
        "lodging_more", count=count)
    return [(path, Notice("lodging_without_nights", id=pid, more=more))]


def _overtime_without_hours(s: "Scenario") -> list[tuple[str, Notice]]:
    """Staff for weekends, or a lembur budget, in a campaign that has Saturdays or Sundays but
    no overtime day with hours: they limit nothing (a forgotten `shift.weekend`). Zero is
    consistent with no weekend work and is not warned about; a campaign without a weekend (a
    re-plan of its last days) has nothing to warn about."""
    given = [key for key in ("weekend", "overtime_unit_days") if getattr(s.staff, key)]
    if not given:
        return []
    from ..calendar import closed_dates, field_days

    days = field_days(s)
    if not days or any(day.overtime for day in days):  # no day at all is the summary's news
        return []
    closed, cal = closed_dates(s), s.calendar
    dates = (cal.start + dt.timedelta(days=n) for n in range((cal.deadline - cal.start).days + 1))
    if not any(d.weekday() >= 5 and d not in closed for d in dates):
        return []
    return [(f"staff.{given[0]}", Notice(
        "overtime_without_hours", keys=", ".join(f"staff.{k}" for k in given)))]


def _holidays_without_hours(s: "Scenario") -> list[tuple[str, Notice]]:
    """`work_on_holidays: true` while every holiday of the campaign that is not closed anyway
    gets no hours (a worked holiday takes the weekend shift, and the file has none)."""
    if not s.calendar.work_on_holidays:
        return []
    from ..calendar import HOLIDAY, closed_dates, holiday_names, hours_on

    closed = closed_dates(s)
    days = [d for d in holiday_names(s) if d not in closed]
    if not days or any(hours_on(s, d, HOLIDAY) is not None for d in days):
        return []
    # no count of them: a re-plan's later start would change it and warn again
    return [("calendar.work_on_holidays", Notice("holidays_without_hours"))]


def _dated_hours_unused(s: "Scenario") -> list[tuple[str, Notice]]:
    """A `shift.dates` entry with hours that begins after the deadline (a typo in the year?),
    or whose every day inside the campaign is closed or a holiday not worked. One that ended
    before the start is a past event in a re-plan's scenario, not a slip."""
    from ..calendar import closed_dates, holiday_names

    cal, out = s.calendar, []
    holidays = {} if cal.work_on_holidays else holiday_names(s)
    closed = closed_dates(s)
    for i, entry in enumerate(s.shift.dates):
        if entry.start is None:
            continue
        hours = f"{clock_text(entry.start)[:5]}-{clock_text(entry.end)[:5]}"
        if entry.from_ > cal.deadline:
            out.append((f"shift.dates[{i}].from", Notice(
                "hours_after_deadline", hours=hours, day=str(entry.from_), deadline=str(cal.deadline))))
            continue
        first, last = max(entry.from_, cal.start), min(entry.to, cal.deadline)
        days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
        if days and all(d in closed or d in holidays for d in days):
            out.append((f"shift.dates[{i}]", Notice("hours_on_closed_days", hours=hours)))
    return out


def _hours_too_short(s: "Scenario") -> list[tuple[str, Notice]]:
    """Hours shorter than one visit of one person by the unit with the most kits, before any
    travel: the days they apply to are not worked, which a slip (`08:00` for `18:00`) hides."""
    kits = max(u.kits for u in s.units)
    need = (s.recording.setup_minutes + s.recording.minutes_per_person / kits) * 60
    shift = s.shift
    windows = [(key, getattr(shift, key)) for key in ("weekday", "weekend")]
    windows += [(name, getattr(shift, name)) for name in (
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")]
    windows += [(f"dates[{i}]", d.window) for i, d in enumerate(shift.dates)]
    out = []
    for key, w in windows:
        if w is not None and w.end - w.start < need:
            out.append((f"shift.{key}", Notice(
                "hours_too_short", hours=f"{clock_text(w.start)[:5]}-{clock_text(w.end)[:5]}",
                minutes=(w.end - w.start) // 60, need=_minutes(need))))
    return out


def _minutes(seconds):
    """Minutes as a short figure (32.5, 30), which the notice writes in the run's language."""
    value = seconds / 60
    return int(value) if value == int(value) else round(float(value), 1)


def _targets_without_eligible(s: "Scenario") -> list[tuple[str, Notice]]:
    """Coverage is recorded / eligible: without any village's `eligible` the zones and the goal
    are never reached nor reported."""
    if any(v.eligible is not None for v in s.villages):
        return []
    given = [key for key in ("goal", "zones") if getattr(s.targets, key)]
    return [(f"targets.{given[0]}", Notice("targets_without_eligible", keys=", ".join(
        f"targets.{k}" for k in given)))] if given else []


TRAFFIC_LIGHT = ("red", "yellow", "green")  # the zones' names from low to high coverage


def _zones_out_of_order(s: "Scenario") -> list[tuple[str, Notice]]:
    """A zone whose name the traffic light ranks above another's but whose threshold is not
    higher: a district is given the zone of the highest threshold it reaches, so the names
    read backwards (yellow at 0.95 and green at 0.92 call 97 % yellow)."""
    zones = {name.casefold(): (name, t) for name, t in s.targets.zones.items()}
    named = [zones[n] for n in TRAFFIC_LIGHT if n in zones]
    for (low, low_t), (high, high_t) in zip(named, named[1:]):
        if high_t <= low_t:
            return [(f"targets.zones.{high}", Notice(
                "zones_out_of_order", low=low, low_t=low_t, high=high, high_t=high_t))]
    return []
