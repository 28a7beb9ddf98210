"""`scenario.values`: dates, yes/no words and clock times as a planner writes them, and the
hint given when they cannot be read."""
from __future__ import annotations

import datetime as dt

import pytest
import yaml

from planner.scenario import parse
from planner.scenario.values import DateRange, parse_bool, parse_clock, parse_date
from tests.conftest import TINY

D = dt.date


def test_iso_dates_and_yaml_dates_are_read():
    assert parse_date("2023-11-27") == D(2023, 11, 27)
    assert parse_date(" 2024-1-5 ") == D(2024, 1, 5)
    assert parse_date(D(2018, 6, 27)) == D(2018, 6, 27)


@pytest.mark.parametrize("text, hint", [
    ("27/11/2023", "expected a date YYYY-MM-DD, for example 2023-11-27 (if you mean 27 November 2023)"),
    ("27.11.2023", "for example 2023-11-27"),
    ("2023/11/27", "for example 2023-11-27"),
    ("11/27/2023", "for example 2023-11-27"),  # month first: only one reading is a date
    ("1 Jan 2024", "for example 2024-01-01 (if you mean 1 January 2024)"),
    ("17 Agustus 2018", "for example 2018-08-17"),
    ("05/05/2024", "for example 2024-05-05"),
    ("05/01/2024", "write 2024-01-05 for 5 January 2024 or 2024-05-01 for 1 May 2024"),
    ("besok", "expected a date YYYY-MM-DD, for example 2023-11-27"),
    ("2024-02-30", "February 2024 has 29 days"),
    ("2023-02-29", "February 2023 has 28 days"),
    ("2024-13-01", "month 13 does not exist"),
])
def test_a_date_in_another_form_gets_the_expected_form_and_a_reading(text, hint):
    with pytest.raises(ValueError) as err:
        parse_date(text)
    assert hint in str(err.value)
    assert str(err.value).startswith(f"{text!r} is not a date")


def test_a_date_with_a_time_is_refused():
    with pytest.raises(ValueError, match="without a time, for example 2024-01-05"):
        parse_date(dt.datetime(2024, 1, 5, 8, 0))


@pytest.mark.parametrize("word", ["true", "TRUE", "Ya", "ya", "BENAR", "benar", "Yes", "1", "YA"])
def test_true_words(word):
    assert parse_bool(word) is True


@pytest.mark.parametrize("word", ["false", "False", "TIDAK", "tidak", "SALAH", "salah", "no", "NO", "0"])
def test_false_words(word):
    assert parse_bool(word) is False


def test_booleans_from_yaml_and_spreadsheet_cells():
    assert parse_bool(True) is True and parse_bool(False) is False
    assert parse_bool(1) is True and parse_bool(0) is False and parse_bool(1.0) is True
    for bad in ("mungkin", "2", 2, "", None):
        with pytest.raises(ValueError, match="expected true or false .*ya/tidak, benar/salah"):
            parse_bool(bad)


def test_clock_times():
    assert parse_clock("07:30") == 27000 and parse_clock("24:00") == 86400
    with pytest.raises(ValueError, match="quoted"):
        parse_clock(480)
    with pytest.raises(ValueError, match="not a valid time"):
        parse_clock("24:01")


def test_a_date_range_is_inclusive_and_ordered():
    r = DateRange.model_validate({"from": "2024-01-30", "to": "2024-02-02", "reason": "server"})
    assert r.dates() == [D(2024, 1, 30), D(2024, 1, 31), D(2024, 2, 1), D(2024, 2, 2)]
    assert r.covers(D(2024, 2, 2)) and not r.covers(D(2024, 2, 3))
    with pytest.raises(ValueError, match="before it starts"):
        DateRange.model_validate({"from": "2024-02-02", "to": "2024-01-30"})


@pytest.mark.parametrize("holidays", [
    "\n    - 2019-06-03: cuti bersama\n    - 2019-06-07\n",       # items with their reason
    " {2019-06-03: cuti bersama, 2019-06-07: null}\n",          # one mapping of them
])
def test_a_date_with_its_reason_is_that_day_with_that_reason(holidays):
    text = yaml.safe_dump({**TINY, "calendar": {**TINY["calendar"], "extra_holidays": []}},
                          sort_keys=False).replace("extra_holidays: []\n", "extra_holidays:" + holidays)
    ranges = parse(text).calendar.extra_holidays
    assert [(r.from_, r.to, r.reason) for r in ranges] == [
        (dt.date(2019, 6, 3), dt.date(2019, 6, 3), "cuti bersama"),
        (dt.date(2019, 6, 7), dt.date(2019, 6, 7), None)]


@pytest.mark.parametrize("change, words", [
    # each was pydantic's "1 validation error for Unit ... Extra inputs are not permitted
    # [type=extra_forbidden, ...] For further information visit https://errors.pydantic.dev/..."
    (lambda s: s.units[0].replace(kit=3),
     "kit: unknown key 'kit'; expected one of: id, base, end, kits, crew"),
    (lambda s: s.units[0].replace(kits=0), "kits: Input should be greater than 0 (got 0)"),
    (lambda s: s.staff.replace(weekdy=1),
     "weekdy: unknown key 'weekdy'; expected one of: weekday, weekend, overtime_unit_days"),
    (lambda s: s.calendar.replace(deadline="2024-13-01"),
     "deadline: '2024-13-01' is not a date: month 13 does not exist"),
])
def test_a_sections_replace_names_the_field_in_a_planners_words(tiny_scenario, change, words):
    with pytest.raises(ValueError) as caught:
        change(tiny_scenario)
    assert str(caught.value).startswith(words)
    assert "pydantic" not in str(caught.value) and "\n" not in str(caught.value)
    assert tiny_scenario.units[0].replace(kits=3).kits == 3
