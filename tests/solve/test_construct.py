"""The construction heuristic (`solve/construct.py`), by hand on the tiny scenario (see
test_allocate.py for its figures)."""
from __future__ import annotations

from planner.instance import Instance
from planner.solve.construct import construct, overtime_pairs
from planner.solve.drafts import best_order, route_travel
from tests.conftest import make_scenario

A, B = 0, 1


def test_one_day_visits_both_villages_at_their_caps(tiny_scenario):
    """One unit-day has room for A's 70 and B's 42 (see test_fill_exact_by_hand)."""
    inst = Instance(tiny_scenario)
    drafts = construct(inst, inst.priority, None, None, day_range=[0])
    assert len(drafts) == 1
    (dr,) = drafts
    assert (dr.k, dr.d) == (0, 0)
    assert dict(zip(dr.seq, dr.rec)) == {A: 70, B: 42}
    assert route_travel(inst, 0, dr.seq) == 2400


def test_the_next_day_works_on_what_is_left(tiny_scenario):
    """Day 2: ceil(0.7 x 30) = 21 at A and ceil(0.7 x 18) = 13 at B."""
    inst = Instance(tiny_scenario)
    drafts = construct(inst, inst.priority, None, None, day_range=[0, 1])
    assert [dict(zip(d.seq, d.rec)) for d in drafts] == [{A: 70, B: 42}, {A: 21, B: 13}]


def test_best_order_takes_the_shortest_tour():
    """The base and three villages on the corners of a 4 km square, given across it: the
    least travel goes round the square, 16 km = 32 min (across: 19.3 km)."""
    s = make_scenario(villages=[{"id": f"v{i}", "x": x, "y": y, "unrecorded": 5}
                                for i, (x, y) in enumerate([(0, 4), (4, 0), (4, 4)])])
    inst = Instance(s)
    assert route_travel(inst, 0, [0, 1, 2]) > 2300
    assert best_order(inst, 0, [0, 1, 2]) in ([0, 2, 1], [1, 2, 0])
    assert route_travel(inst, 0, best_order(inst, 0, [0, 1, 2])) == 1920


def test_overtime_pairs_go_to_the_fastest_unit_first():
    """Two weekend days, budget 2: the 2-kit unit gets both, earliest first."""
    s = make_scenario(calendar={"start": "2024-01-06", "deadline": "2024-01-07",
                                "holidays": "none"},
                      shift={"weekday": {"start": "08:00", "end": "16:00"},
                             "weekend": {"start": "08:00", "end": "12:00"}},
                      units=[{"id": "S", "base": "base", "kits": 1},
                             {"id": "F", "base": "base", "kits": 2}],
                      staff={"overtime_unit_days": 2})
    assert overtime_pairs(Instance(s), 2) == {(1, 0), (1, 1)}
    assert overtime_pairs(Instance(s), 4) is None  # every pair fits the budget
