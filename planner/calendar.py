"""Which days can be worked, of what type, and in which hours (DESIGN §3 "Days", "Hours")."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the scenario's own checks ask which days are worked (scenario.unused)
    from .scenario.model import Scenario, Unit, Window

WEEKDAY, WEEKEND, HOLIDAY = "weekday", "weekend", "holiday"


@dataclass(frozen=True)
class Day:
    """A day on which field work may happen."""

    date: dt.date
    day_type: str  # weekday | weekend | holiday
    start: int  # shift start, seconds after midnight
    end: int  # shift end

    @property
    def overtime(self) -> bool:
        return self.day_type != WEEKDAY


@lru_cache(maxsize=64)
def _country_holidays(country: str, first: int, last: int) -> dict[dt.date, str]:
    import holidays

    return dict(holidays.country_holidays(country, years=range(first, last + 1)).items())


def holiday_names(scenario: Scenario) -> dict[dt.date, str]:
    """Public holidays (from `holidays`) plus `extra_holidays`, within the horizon."""
    cal = scenario.calendar
    out: dict[dt.date, str] = {}
    if cal.holidays:
        out.update(_country_holidays(cal.holidays, cal.start.year, cal.deadline.year))
    for r in cal.extra_holidays:
        for d in r.dates():
            out.setdefault(d, r.reason or "extra holiday")
    return {d: n for d, n in out.items() if cal.start <= d <= cal.deadline}


def closed_dates(scenario: Scenario) -> set[dt.date]:
    return {d for r in scenario.calendar.closed for d in r.dates()}


def hours_on(scenario: Scenario, day: dt.date, day_type: str) -> Window | None:
    """The hours of `day` when it is of type `day_type` (DESIGN §3 "Hours"), or None for no
    field work: the weekday or weekend shift (a worked holiday takes the weekend's), then the
    entry for its day of the week if the file gives one, then every `shift.dates` entry
    covering it, later entries winning. Whether the day may be worked at all (closed days,
    holidays, the horizon) is `day_type`'s question, not this one's."""
    shift = scenario.shift
    hours = shift.weekday if day_type == WEEKDAY else shift.weekend
    given, entry = shift.day_entry(day.weekday())
    if given:
        hours = entry
    for dated in shift.dates:
        if dated.covers(day):
            hours = dated.window
    return hours


def day_type(scenario: Scenario, day: dt.date, holidays: dict | None = None,
             closed: set | None = None) -> str | None:
    """`weekday`, `weekend`, `holiday`, or None when no field work may happen that day: the day
    is closed, outside the horizon, a holiday that is not worked, or has no hours. Hours never
    change the type: a Saturday with hours of its own is still a weekend day."""
    holidays = holiday_names(scenario) if holidays is None else holidays
    closed = closed_dates(scenario) if closed is None else closed
    if day in closed or not (scenario.calendar.start <= day <= scenario.calendar.deadline):
        return None
    if day in holidays:
        if not scenario.calendar.work_on_holidays:
            return None
        kind = HOLIDAY
    else:
        kind = WEEKEND if day.weekday() >= 5 else WEEKDAY
    return kind if hours_on(scenario, day, kind) is not None else None


def field_days(scenario: Scenario) -> list[Day]:
    """Every day from start to deadline (inclusive) on which units may go out, with its hours."""
    hol, closed = holiday_names(scenario), closed_dates(scenario)
    days = []
    d = scenario.calendar.start
    while d <= scenario.calendar.deadline:
        t = day_type(scenario, d, hol, closed)
        if t is not None:
            hours = hours_on(scenario, d, t)
            days.append(Day(d, t, hours.start, hours.end))
        d += dt.timedelta(days=1)
    return days


def unit_available(unit: Unit, day: dt.date) -> bool:
    return not unit.unavailable_on(day)


def staff_limit(scenario: Scenario, day: Day) -> int | None:
    """Crew members free for field work that day (None = unlimited)."""
    return scenario.staff.weekday if day.day_type == WEEKDAY else scenario.staff.weekend
