"""The short-horizon day-route engine (`solve/short_horizon.py`) on `test_known_gaps`'
BASE_NOT_HOME campaign: one-hour days, base at the office, home at the port."""
from __future__ import annotations

from planner.instance import Instance
from planner.solve.params import SearchParams
from planner.solve.short_horizon import engine_drafts
from tests.conftest import make_scenario
from tests.solve.test_known_gaps import BASE_NOT_HOME

V0, V1 = 0, 1


def test_days_after_the_first_field_day_leave_from_home():
    """Day 0 from the office: v0 (priority 2) is worth most, v0 then v1 does not fit. Day 1
    leaves from the port (its start is the unit's home), not from the office."""
    inst = Instance(make_scenario(BASE_NOT_HOME))
    drafts = engine_drafts(inst, 1.0, 0, True, SearchParams())
    assert [(dr.d, dr.seq, dr.start) for dr in drafts] == [
        (0, (V0,), None), (1, (V1,), int(inst.units[0].end))]
