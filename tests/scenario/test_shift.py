"""`scenario.shift`: the working-hours keys as the file gives them (DESIGN §2 `shift`). How they
combine for one date is tested in tests/test_calendar.py."""
from __future__ import annotations

import datetime as dt

import pytest

from planner.scenario.shift import DatedHours, Shift, Window
from planner.scenario.values import FieldProblem

D = dt.date
OFFICE = {"start": "08:00", "end": "16:00"}


def test_a_window_ends_after_it_starts():
    assert Window.model_validate(OFFICE).end == 16 * 3600
    for end in ("08:00", "07:00"):
        with pytest.raises(ValueError, match="must be after its start") as err:
            Window.model_validate({"start": "08:00", "end": end})
        assert isinstance(err.value.errors()[0]["ctx"]["error"], FieldProblem)


def test_one_date_is_a_range_of_one_day():
    entry = DatedHours.model_validate({"date": "2024-01-10", "start": "09:00", "end": "12:00"})
    assert (entry.from_, entry.to) == (D(2024, 1, 10), D(2024, 1, 10))
    assert entry.covers(D(2024, 1, 10)) and not entry.covers(D(2024, 1, 11))
    assert (entry.window.start, entry.window.end) == (9 * 3600, 12 * 3600)
    again = DatedHours.model_validate(entry.model_dump(by_alias=True))
    assert again == entry


@pytest.mark.parametrize("entry, field, message", [
    ({"from": "2024-01-10", "to": "2024-01-05", "start": "08:00", "end": "12:00"}, "to",
     "before it starts"),
    ({"from": "2024-01-05", "to": "2024-01-10", "start": "08:00"}, "end", "both `start` and `end`"),
    ({"from": "2024-01-05", "to": "2024-01-10", "end": "12:00"}, "start", "both `start` and `end`"),
    ({"from": "2024-01-05", "to": "2024-01-10", "start": "12:00", "end": "08:00"}, "end",
     "must be after its start"),
    ({"from": "2024-01-05", "start": "08:00", "end": "12:00"}, "to", "required"),
    ({"to": "2024-01-05"}, "from", "required"),
    ({"date": "2024-01-05", "from": "2024-01-04", "to": "2024-01-05"}, "date", "not both"),
])
def test_bad_dated_hours_name_their_field(entry, field, message):
    with pytest.raises(ValueError) as err:
        DatedHours.model_validate(entry)
    cause = err.value.errors()[0]["ctx"]["error"]
    assert cause.field == field and message in str(cause)


def test_dates_without_hours_mean_no_field_work():
    for entry in ({"date": "2024-01-05", "start": None, "end": None}, {"date": "2024-01-05"}):
        assert DatedHours.model_validate(entry).window is None


def test_day_entries_absent_null_or_given():
    shift = Shift.model_validate({"weekday": OFFICE, "friday": {"start": "08:00", "end": "11:30"},
                                  "sunday": None})
    assert shift.day_entry(0) == (False, None)  # Monday: absent
    given, friday = shift.day_entry(4)
    assert given and (friday.start, friday.end) == (8 * 3600, 11 * 3600 + 1800)
    assert shift.day_entry(6) == (True, None)  # Sunday: null = no field work


@pytest.mark.parametrize("extra, overtime", [
    ({}, False),
    ({"weekend": OFFICE}, True),
    ({"saturday": OFFICE}, True),
    ({"sunday": None}, False),
    ({"dates": [{"date": "2024-01-06", "start": "08:00", "end": "12:00"}]}, True),
    ({"dates": [{"date": "2024-01-06"}]}, False),
])
def test_whether_overtime_days_can_have_hours(extra, overtime):
    assert Shift.model_validate({"weekday": OFFICE, **extra}).may_work_overtime() is overtime
