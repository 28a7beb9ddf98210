"""People per visit (`solve/allocate.py`), computed by hand on the tiny scenario: base at
(0, 0), Desa A 5 km away (10 min at 30 km/h), Desa B 10 km (20 min), A-B 5 km; 08:00-16:00,
setup 30 min, 5 min a person with 2 kits (150 s), turnout 0.7 (A: 70 of 100, B: 42 of 60)."""
from __future__ import annotations

from planner.instance import Instance
from planner.solve.allocate import allocate, drop_useless, fill_exact, score
from planner.solve.drafts import Draft
from tests.conftest import make_scenario

A, B = 0, 1


def test_fill_exact_by_hand(tiny_scenario):
    """[A, B]: 2,400 s of travel leaves 26,400 s; A (first of equal priorities) gets its cap
    70 (12,300 s), B then has 14,100 s: (14,100 - 1,800) / 150 = 82 > its cap 42."""
    inst = Instance(tiny_scenario)
    caps = {A: 70, B: 42}
    assert fill_exact(inst, 0, 0, [A, B], caps, inst.priority) == [70, 42]
    # a shift with room for one person at each visit only: 2 x 1,950 + 2,400 = 6,300 s
    short = make_scenario(shift={"weekday": {"start": "08:00", "end": "09:45"}})
    inst = Instance(short)
    assert fill_exact(inst, 0, 0, [A, B], caps, inst.priority) == [1, 1]


def test_allocate_follows_the_turnout_over_the_days(tiny_scenario):
    """Two days at A: 70 of 100, then ceil(0.7 x 30) = 21, whatever the drafts said."""
    inst = Instance(tiny_scenario)
    drafts = allocate(inst, [Draft(0, 1, (A,), (5,)), Draft(0, 0, (A,), (99,))])
    assert drafts == [Draft(0, 0, (A,), (70,)), Draft(0, 1, (A,), (21,))]
    assert score(inst, drafts)[0] == 91


def test_drop_useless_gives_the_weekend_day_back():
    """Turnout 1, 30 s a person, a 50-minute Saturday before a Monday, both at A: the
    Saturday records 40 (50 - 20 travel - 10 setup = 20 min) and the Monday the other 60;
    without the Saturday the Monday records all 100, so the overtime day goes (the
    objective's second level)."""
    s = make_scenario(calendar={"start": "2024-01-06", "deadline": "2024-01-08",
                                "holidays": "none"},
                      shift={"weekday": {"start": "08:00", "end": "16:00"},
                             "weekend": {"start": "08:00", "end": "08:50"}},
                      recording={"minutes_per_person": 1, "setup_minutes": 10, "turnout": 1})
    inst = Instance(s)
    saturday, monday = 0, 2
    assert [d.day_type for d in inst.days] == ["weekend", "weekend", "weekday"]
    both = allocate(inst, [Draft(0, saturday, (A,)), Draft(0, monday, (A,))])
    assert both == [Draft(0, saturday, (A,), (40,)), Draft(0, monday, (A,), (60,))]
    assert drop_useless(inst, both) == [Draft(0, monday, (A,), (100,))]
