"""`scenario.messages`: numbers as a spreadsheet writes them, refused with the fix spelled out."""
from __future__ import annotations

import copy

import pytest
import yaml

from planner.scenario import ScenarioError, parse
from tests.conftest import TINY


def _problem(**village) -> str:
    data = copy.deepcopy(TINY)
    data["geometry"] = "geodesic"
    data["places"] = [{"id": "base", "lat": -8.65, "lon": 116.53}]
    data["villages"] = [{"id": "a", "lat": -8.6, "lon": 116.5, "unrecorded": 10, **village}]
    with pytest.raises(ScenarioError) as err:
        parse(yaml.safe_dump(data, sort_keys=False), source="s.yaml")
    (problem,) = err.value.problems
    return f"{problem.path}: {problem.message}"


def test_a_longitude_in_the_latitude_column_asks_whether_they_are_swapped():
    assert _problem(lat=116.47, lon=-8.705) == (
        "villages[0].lat: a latitude is from -90 to 90 (got 116.47): are lat and lon swapped? "
        "lat is north-south (Indonesia: -11 to 6, south negative), lon east-west (Indonesia: "
        "95 to 141)")


def test_a_thousands_separator_in_a_count_names_the_number_to_write():
    assert _problem(unrecorded="1.320") == (
        "villages[0].unrecorded: expected a whole number (got '1.320'): write it without a "
        "thousands separator, 1320")


def test_a_decimal_comma_outside_a_semicolon_csv_names_the_number_to_write():
    assert _problem(lon="116,5300") == (
        "villages[0].lon: expected a number (got '116,5300'): write the decimal mark as a point, "
        "116.5300 (a comma is read as one only in a CSV file whose cells are split by `;`)")


def test_other_bad_numbers_keep_the_general_message():
    assert _problem(unrecorded="banyak") == (
        "villages[0].unrecorded: Input should be a valid integer, unable to parse string as an "
        "integer (got 'banyak')")


def _top_problem(section: str, **changes) -> str:
    data = copy.deepcopy(TINY)
    data[section] = {**data.get(section, {}), **changes}
    with pytest.raises(ScenarioError) as err:
        parse(yaml.safe_dump(data, sort_keys=False), source="s.yaml")
    (problem,) = err.value.problems
    return f"{problem.path}: {problem.message}"


@pytest.mark.parametrize("section, changes, expected", [
    ("recording", {"turnout": "50%"},
     "recording.turnout: expected a number (got '50%'): a share is written as a decimal, 0.5"),
    ("recording", {"turnout": 70},
     "recording.turnout: at most 1 (got 70): a share is written as a decimal, 70 % is 0.7"),
    ("targets", {"goal": 92},
     "targets.goal: at most 1 (got 92): a share is written as a decimal, 92 % is 0.92"),
    ("travel", {"speed_kmh": "30 km/jam"},
     "travel.speed_kmh: expected a number (got '30 km/jam'): write the number alone, 30"),
    ("recording", {"minutes_per_person": "5 menit"},
     "recording.minutes_per_person: expected a number (got '5 menit'): write the number alone, 5"),
    ("calendar", {"timezone": "WITA"},
     "calendar.timezone: 'WITA' is not an IANA time zone (e.g. Asia/Jakarta); WITA is Asia/Makassar"),
    ("calendar", {"holidays": "Indonesia"},
     "calendar.holidays: 'Indonesia' is not a country code known to the holidays package; "
     "Indonesia's is ID"),
])
def test_a_value_written_as_an_office_would_says_how_to_write_it(section, changes, expected):
    assert _top_problem(section, **changes) == expected


def test_a_letter_typed_for_a_digit_is_not_taken_for_a_unit():
    assert _problem(unrecorded="8OO") == (
        "villages[0].unrecorded: Input should be a valid integer, unable to parse string as an "
        "integer (got '8OO')")


@pytest.mark.parametrize("field, written, expected", [
    ("lat", "8°42'S", "write -8.7 (south of the equator is negative)"),
    ("lat", "8° 39' 36\" LS", "write -8.66 (south of the equator is negative)"),
    ("lon", "116°27'E", "write 116.45"),
    ("lon", "116° 31,8' BT", "write 116.53"),
])
def test_degrees_and_minutes_name_the_decimal_degrees_to_write(field, written, expected):
    assert _problem(**{field: written}) == (
        f"villages[0].{field}: expected decimal degrees (got {written!r}): {expected}")
