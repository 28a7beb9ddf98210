"""`scenario.districts`: kecamatan names that differ only in letter case or spacing are one
kecamatan, so a closure, a service point and the per-kecamatan figures reach every village."""
from __future__ import annotations

import copy

import pytest
import yaml

from planner.notices import Notice
from planner.scenario import parse
from tests.conftest import TINY


def _villages() -> list[dict]:
    return [
        {"id": "a", "district": "Selong", "x": 3, "y": 4, "unrecorded": 100},
        {"id": "b", "district": " selong ", "x": 6, "y": 8, "unrecorded": 60},
        {"id": "c", "district": "Selong", "x": 5, "y": 5, "unrecorded": 60},
        {"id": "d", "district": "Labuhan  Haji", "x": 1, "y": 1, "unrecorded": 60},
    ]


def _parse(**changes):
    data = {**copy.deepcopy(TINY), "villages": _villages(), **changes}
    text = yaml.safe_dump(data, sort_keys=False)
    with pytest.warns(Notice) as caught:
        scenario = parse(text, source="s.yaml")
    return scenario, [w.message for w in caught if isinstance(w.message, Notice)], text


def test_a_kecamatan_in_other_case_is_the_one_most_villages_write():
    scenario, notices, text = _parse()
    assert [v.district for v in scenario.villages] == ["Selong", "Selong", "Selong", "Labuhan Haji"]
    (notice,) = [n for n in notices if n.key == "district_spelling"]
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "' selong '" in row)
    assert str(notice) == (f"s.yaml:{line}: villages[1].district: kecamatan 'selong' (1 village(s)) "
                           "is read as 'Selong', as 2 other village(s) write it; write one "
                           "spelling to silence this")


def test_a_closure_and_a_service_point_reach_every_spelling():
    scenario, _, _ = _parse(
        closures=[{"districts": ["SELONG"], "from": "2024-01-02", "to": "2024-01-03"}],
        units=[{"id": "U1", "base": "base", "districts": "labuhan haji"}])
    assert scenario.closed_villages(scenario.closures[0]) == ["a", "b", "c"]
    assert scenario.units[0].districts == ("Labuhan Haji",)
    assert scenario.units[0].serves(scenario.village("d"))
