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
