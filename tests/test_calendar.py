"""`planner.calendar`: which days are worked, of what type, and in which hours (DESIGN §3
"Days", "Hours"). Dates are hand-picked: 13-24 August 2018 holds Independence Day (Friday 17)
and Idul Adha (Wednesday 22); 1-14 January 2024 has no holiday once `holidays: none`.
"""
from __future__ import annotations

import datetime as dt

from planner.calendar import (HOLIDAY, WEEKDAY, WEEKEND, day_type, field_days, holiday_names,
                              hours_on, staff_limit, unit_available)
from tests.conftest import make_scenario

D = dt.date
H = 3600  # seconds in an hour


CAL_2018 = {"start": "2018-08-13", "deadline": "2018-08-24", "holidays": "ID"}
WEEKEND_SHIFT = {"weekday": {"start": "08:00", "end": "16:00"},
                 "weekend": {"start": "09:00", "end": "13:00"}}


def cal(shift=None, **calendar):
    kw = {"calendar": {**CAL_2018, **calendar}}
    if shift is not None:
        kw["shift"] = shift
    return make_scenario(**kw)


def test_weekday_is_worked_and_weekend_only_with_a_weekend_shift():
    no_weekend = cal()
    assert day_type(no_weekend, D(2018, 8, 16)) == WEEKDAY  # Thursday
    assert day_type(no_weekend, D(2018, 8, 18)) is None  # Saturday, no weekend shift
    with_weekend = cal(WEEKEND_SHIFT)
    assert day_type(with_weekend, D(2018, 8, 18)) == WEEKEND
    assert day_type(with_weekend, D(2018, 8, 19)) == WEEKEND
    sat = next(d for d in field_days(with_weekend) if d.date == D(2018, 8, 18))
    assert (sat.start, sat.end, sat.overtime) == (9 * 3600, 13 * 3600, True)


def test_indonesian_holidays_close_the_day():
    s = cal(WEEKEND_SHIFT)
    assert holiday_names(s)[D(2018, 8, 17)]  # Independence Day (a Friday)
    assert day_type(s, D(2018, 8, 17)) is None
    assert day_type(s, D(2018, 8, 22)) is None  # Idul Adha 2018 (a Wednesday)
    assert day_type(cal(WEEKEND_SHIFT, holidays="none"), D(2018, 8, 17)) == WEEKDAY


def test_worked_holiday_is_a_holiday_day_even_on_a_weekend():
    s = cal(WEEKEND_SHIFT, work_on_holidays=True)
    assert day_type(s, D(2018, 8, 17)) == HOLIDAY
    june = cal(WEEKEND_SHIFT, start="2018-06-11", deadline="2018-06-22", work_on_holidays=True)
    assert day_type(june, D(2018, 6, 16)) == HOLIDAY  # Eid al-Fitr, second day, a Saturday
    # working holidays needs the weekend shift: without it the holiday stays closed
    assert day_type(cal(work_on_holidays=True), D(2018, 8, 17)) is None


def test_extra_holidays_dates_and_ranges():
    s = cal(extra_holidays=[{"from": "2018-08-13", "to": "2018-08-14", "reason": "cuti"},
                            "2018-08-21"])
    days = {d.date for d in field_days(s)}
    assert D(2018, 8, 13) not in days and D(2018, 8, 14) not in days
    assert D(2018, 8, 21) not in days
    assert D(2018, 8, 15) in days
    assert holiday_names(s)[D(2018, 8, 13)] == "cuti"


def test_closed_ranges_close_even_worked_holidays():
    s = cal(WEEKEND_SHIFT, work_on_holidays=True,
            closed=[{"from": "2018-08-16", "to": "2018-08-18", "reason": "server blocked"}])
    for day in (D(2018, 8, 16), D(2018, 8, 17), D(2018, 8, 18)):
        assert day_type(s, day) is None
    assert day_type(s, D(2018, 8, 19)) == WEEKEND


def test_start_and_deadline_are_inclusive():
    days = field_days(cal())
    assert days[0].date == D(2018, 8, 13)  # Monday = start
    assert days[-1].date == D(2018, 8, 24)  # Friday = deadline
    # Mon-Fri twice, minus 17 Aug and 22 Aug
    assert [d.date.day for d in days] == [13, 14, 15, 16, 20, 21, 23, 24]
    assert day_type(cal(), D(2018, 8, 25)) is None and day_type(cal(), D(2018, 8, 12)) is None


def test_unit_availability_and_staff_limits():
    s = cal(WEEKEND_SHIFT).replace(
        units=[{"id": "U1", "base": "base", "unavailable": ["2018-08-14",
                                                           {"from": "2018-08-20", "to": "2018-08-21"}]}],
        staff={"weekday": 4, "weekend": 2})
    u = s.units[0]
    assert not unit_available(u, D(2018, 8, 14)) and unit_available(u, D(2018, 8, 15))
    assert not unit_available(u, D(2018, 8, 21)) and unit_available(u, D(2018, 8, 23))
    by_date = {d.date: d for d in field_days(s)}
    assert staff_limit(s, by_date[D(2018, 8, 15)]) == 4
    assert staff_limit(s, by_date[D(2018, 8, 18)]) == 2
    assert staff_limit(cal(), by_date[D(2018, 8, 15)]) is None  # omitted = unlimited


# -- hours by day of the week and by date (DESIGN §3 "Hours") ---------------------------------
# 1-14 January 2024: Monday 1 ... Friday 5, Saturday 6, Sunday 7, Monday 8 ... Sunday 14.

OFFICE = {"start": "08:00", "end": "16:00"}


def january(**shift):
    """1-14 January 2024 without public holidays; `shift` adds to a weekday shift 08-16."""
    calendar = shift.pop("calendar", {})
    return make_scenario(calendar={"start": "2024-01-01", "deadline": "2024-01-14",
                                   "holidays": "none", **calendar},
                         shift={"weekday": OFFICE, **shift})


def worked(s) -> dict[dt.date, tuple[str, int, int]]:
    """Every field day as date -> (type, start, end)."""
    return {d.date: (d.day_type, d.start, d.end) for d in field_days(s)}


def test_a_short_friday():
    s = january(friday={"start": "08:00", "end": "11:30"})
    days = worked(s)
    assert days[D(2024, 1, 4)] == (WEEKDAY, 8 * H, 16 * H)  # Thursday: the weekday shift
    assert days[D(2024, 1, 5)] == (WEEKDAY, 8 * H, 11 * H + 1800)  # Friday: its own hours
    assert days[D(2024, 1, 12)] == (WEEKDAY, 8 * H, 11 * H + 1800)
    assert len(days) == 10  # Mon-Fri twice; no weekend shift
    window = hours_on(s, D(2024, 1, 5), WEEKDAY)
    assert (window.start, window.end) == (8 * H, 11 * H + 1800)


def test_ramadan_dates_shorten_every_day_they_cover_even_a_short_friday():
    s = january(friday={"start": "08:00", "end": "11:30"},
                weekend={"start": "08:00", "end": "15:00"},
                dates=[{"from": "2024-01-08", "to": "2024-01-12", "start": "08:00", "end": "14:00",
                        "reason": "Ramadan"}])
    days = worked(s)
    assert days[D(2024, 1, 5)] == (WEEKDAY, 8 * H, 11 * H + 1800)  # before Ramadan
    assert days[D(2024, 1, 6)] == (WEEKEND, 8 * H, 15 * H)
    for d in range(8, 13):
        assert days[D(2024, 1, d)] == (WEEKDAY, 8 * H, 14 * H)  # the dates entry wins, Friday too
    assert days[D(2024, 1, 13)] == (WEEKEND, 8 * H, 15 * H)  # after the range


def test_a_null_sunday_is_not_worked_but_saturday_is():
    s = january(weekend={"start": "08:00", "end": "14:00"}, sunday=None)
    days = worked(s)
    assert days[D(2024, 1, 6)] == (WEEKEND, 8 * H, 14 * H)
    assert D(2024, 1, 7) not in days and D(2024, 1, 14) not in days
    assert day_type(s, D(2024, 1, 7)) is None
    assert hours_on(s, D(2024, 1, 7), WEEKEND) is None
    # an absent entry is not a null one: without `sunday:` Sunday takes the weekend shift
    assert worked(january(weekend={"start": "08:00", "end": "14:00"}))[D(2024, 1, 7)] == \
        (WEEKEND, 8 * H, 14 * H)


def test_a_null_weekday_entry_closes_that_day_of_the_week():
    days = worked(january(wednesday=None))
    assert D(2024, 1, 3) not in days and D(2024, 1, 10) not in days
    assert D(2024, 1, 2) in days and D(2024, 1, 4) in days
    assert len(days) == 8


def test_a_later_dates_entry_wins():
    first = {"from": "2024-01-08", "to": "2024-01-12", "start": "08:00", "end": "14:00"}
    second = {"date": "2024-01-10", "start": "09:00", "end": "12:00", "reason": "rapat"}
    days = worked(january(dates=[first, second]))
    assert days[D(2024, 1, 10)] == (WEEKDAY, 9 * H, 12 * H)
    assert days[D(2024, 1, 9)] == (WEEKDAY, 8 * H, 14 * H)
    days = worked(january(dates=[second, first]))  # the other order: the range wins
    assert days[D(2024, 1, 10)] == (WEEKDAY, 8 * H, 14 * H)


def test_a_dates_entry_without_hours_means_no_field_work():
    s = january(dates=[{"from": "2024-01-09", "to": "2024-01-10", "start": None, "end": None,
                        "reason": "pelatihan"}, {"date": "2024-01-11", "reason": "rapat"}])
    days = worked(s)
    assert not {D(2024, 1, 9), D(2024, 1, 10), D(2024, 1, 11)} & set(days)
    assert D(2024, 1, 8) in days and D(2024, 1, 12) in days


def test_a_dates_entry_on_a_closed_day_or_an_unworked_holiday_stays_closed():
    hours = {"start": "08:00", "end": "12:00"}
    s = january(dates=[{"from": "2024-01-01", "to": "2024-01-14", **hours}],
                calendar={"closed": ["2024-01-03"], "extra_holidays": ["2024-01-04"]})
    assert day_type(s, D(2024, 1, 3)) is None and day_type(s, D(2024, 1, 4)) is None
    days = worked(s)
    assert D(2024, 1, 3) not in days and D(2024, 1, 4) not in days
    assert days[D(2024, 1, 5)] == (WEEKDAY, 8 * H, 12 * H)


def test_a_saturday_entry_without_a_weekend_shift_is_an_overtime_day():
    s = january(saturday={"start": "07:00", "end": "12:00"})
    days = worked(s)
    assert days[D(2024, 1, 6)] == (WEEKEND, 7 * H, 12 * H)  # still a weekend day
    assert D(2024, 1, 7) not in days  # Sunday: no shift
    assert next(d for d in field_days(s) if d.date == D(2024, 1, 6)).overtime


def test_a_dates_entry_gives_hours_to_any_day_it_covers_that_may_be_worked():
    """The rule read as written: a one-off Saturday with hours is worked, as overtime."""
    days = worked(january(dates=[{"date": "2024-01-13", "start": "08:00", "end": "12:00"}]))
    assert days[D(2024, 1, 13)] == (WEEKEND, 8 * H, 12 * H)
    assert D(2024, 1, 6) not in days


def test_a_worked_holiday_takes_weekend_hours_then_its_day_then_its_dates():
    s = january(weekend={"start": "08:00", "end": "14:00"}, friday={"start": "08:00", "end": "11:30"},
                dates=[{"date": "2024-01-09", "start": "09:00", "end": "13:00"}],
                calendar={"work_on_holidays": True,
                          "extra_holidays": ["2024-01-02", "2024-01-05", "2024-01-09"]})
    days = worked(s)
    assert days[D(2024, 1, 2)] == (HOLIDAY, 8 * H, 14 * H)  # a Tuesday: the weekend shift
    assert days[D(2024, 1, 5)] == (HOLIDAY, 8 * H, 11 * H + 1800)  # a Friday: its own hours
    assert days[D(2024, 1, 9)] == (HOLIDAY, 9 * H, 13 * H)  # the dates entry last
    # without a weekend shift a worked holiday has hours only from its day or its dates
    s = january(friday={"start": "08:00", "end": "11:30"},
                calendar={"work_on_holidays": True, "extra_holidays": ["2024-01-02", "2024-01-05"]})
    days = worked(s)
    assert D(2024, 1, 2) not in days
    assert days[D(2024, 1, 5)] == (HOLIDAY, 8 * H, 11 * H + 1800)


def test_dates_outside_the_horizon_change_nothing():
    plain = january(weekend={"start": "08:00", "end": "14:00"})
    padded = january(weekend={"start": "08:00", "end": "14:00"},
                     dates=[{"from": "2023-12-01", "to": "2023-12-31", "start": None, "end": None},
                            {"date": "2025-01-06", "start": "09:00", "end": "10:00"}],
                     calendar={"extra_holidays": ["2023-12-25", {"from": "2024-12-24", "to": "2024-12-26"}],
                               "closed": [{"from": "2023-12-20", "to": "2023-12-31"}]})
    assert field_days(padded) == field_days(plain)
    assert len(field_days(plain)) == 14
