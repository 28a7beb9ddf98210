"""Day-route ordering (`solve/drafts.py`)."""
from __future__ import annotations

import signal

import pytest

from planner.instance import Instance
from planner.solve.drafts import two_opt
from tests.conftest import make_scenario

# One-way river and boat legs make the travel matrix asymmetric (found by random scenarios:
# `solve` never returned on it, 2-opt undoing its own reversals).
ONE_WAY = {
    "name": "one-way", "geometry": "planar",
    "calendar": {"start": "2024-04-08", "deadline": "2024-04-08", "holidays": "none"},
    "shift": {"weekday": {"start": "08:00", "end": "17:00"}},
    "recording": {"minutes_per_person": 2.5, "setup_minutes": 0, "turnout": 0.5},
    "travel": {"speed_kmh": 25.5},
    "links": [{"from": "v7", "to": "port0", "mode": "river", "minutes": 20, "oneway": True},
              {"from": "port0", "to": "v7", "mode": "boat", "minutes": 10, "oneway": True},
              {"from": "port0", "to": "v10", "mode": "boat", "minutes": 45.5}],
    "places": [{"id": "port0", "x": -11, "y": -6}, {"id": "inn0", "x": 11, "y": -12}],
    "units": [{"id": "U2", "base": "inn0", "end": "port0", "kits": 1, "crew": 1,
               "speed_kmh": 50}],
    "villages": [{"id": vid, "x": x, "y": y, "unrecorded": 1, **extra}
                 for vid, x, y, extra in [("v4", 3, -4, {}), ("v5", -13, -1, {}),
                                          ("v6", -4, -5, {}),
                                          ("v7", -13.75, 2, {"access": "water"}),
                                          ("v8", -6, 11, {}), ("v9", 1, 5, {}),
                                          ("v10", -7, -7, {"access": "water"})]],
}


@pytest.fixture
def one_way_instance():
    return Instance(make_scenario(ONE_WAY))


def length(inst: Instance, order: list[int]) -> int:
    """Travel of unit 0's day from its base through `order` to its home."""
    ud = inst.units[0]
    path = [ud.base] + [int(inst.nodes[j]) for j in order] + [ud.end]
    return sum(int(ud.matrix[a, b]) for a, b in zip(path, path[1:]))


def test_two_opt_ends_and_never_lengthens_on_one_way_legs(one_way_instance):
    inst = one_way_instance

    def stuck(*_):
        raise TimeoutError("2-opt did not end")

    signal.signal(signal.SIGALRM, stuck)
    signal.alarm(20)
    orders = ([0, 1, 2, 3, 4, 5, 6], [6, 5, 4, 3, 2, 1, 0], [3, 0, 6, 1, 5, 2, 4])
    try:
        improved = [two_opt(inst, 0, order) for order in orders]
    except TimeoutError:
        improved = None
    finally:
        signal.alarm(0)
    if improved is None:
        pytest.fail("2-opt did not end within 20 s")
    for order, better in zip(orders, improved):
        assert sorted(better) == sorted(order)
        assert length(inst, better) <= length(inst, order)
