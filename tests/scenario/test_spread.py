"""`scenario.spread`: a village or place a thousand kilometres from the others is a coordinate
typed wrong (a dropped minus sign, a slipped digit), refused with the likely fix."""
from __future__ import annotations

import copy

import yaml

from planner.scenario import parse
from tests.conftest import TINY
from tests.scenario.texts import line_of, problems

LOMBOK = [(-8.648, 116.530), (-8.575, 116.629), (-8.517, 116.670), (-8.700, 116.450)]


def _text(villages, place=(-8.65, 116.533)) -> str:
    data = copy.deepcopy(TINY)
    data.update(geometry="geodesic",
                places=[{"id": "base", "name": "Kantor", "lat": place[0], "lon": place[1]}],
                villages=[{"id": f"v{i}", "name": f"Desa {i}", "lat": lat, "lon": lon,
                           "unrecorded": 50} for i, (lat, lon) in enumerate(villages)])
    return yaml.safe_dump(data, sort_keys=False)


def test_a_latitude_without_its_minus_sign_is_refused_with_the_fix():
    text = _text(LOMBOK + [(8.705, 116.47)])
    (problem,) = problems(text)
    assert problem == (
        f"s.yaml:{line_of(text, 'lat: 8.705')}: villages[4].lat: village 'Desa 4' at lat "
        "8.705, lon 116.47 lies 1,921 km from the middle of the villages (lat -8.57, lon "
        "116.53): is the minus sign of the latitude missing? (lat -8.705 lies among them; "
        "south of the equator is negative)")


def test_a_slipped_digit_and_a_far_office_are_refused():
    text = _text(LOMBOK + [(-8.705, 161.47)], place=(8.65, 116.533))
    place, village = problems(text)
    assert place.startswith(f"s.yaml:{line_of(text, 'lat: 8.65')}: places[0].lat: place "
                            "'Kantor' at lat 8.65, lon 116.533 lies 1,923 km")
    assert village.endswith("check its lat and lon (lat is north-south, negative south of the "
                            "equator; lon east-west)")


def test_a_district_as_wide_as_an_island_province_is_accepted():
    # Maluku Barat Daya's islands and its office: several hundred km apart, all real
    islands = [(-7.80, 126.30), (-8.20, 127.90), (-7.95, 129.65), (-8.15, 125.65)]
    scenario = parse(_text(islands, place=(-8.15, 127.78)), source="s.yaml")
    assert len(scenario.villages) == 4
