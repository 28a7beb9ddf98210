"""The LNS's valuation of rebuilt days (`solve/search.py`), computed by hand on the tiny
scenario: Desa A (100 left, turnout 0.7) 10 min from the base, Desa B (60 left) 20 min;
08:00-16:00, setup 30 min, 150 s a person (5 min, 2 kits)."""
from __future__ import annotations

import importlib

import numpy as np
import pytest

from planner.instance import Instance
from planner.solve.drafts import Draft
from tests.conftest import make_scenario

search = importlib.import_module("planner.solve.search")
A, B = 0, 1


def test_one_visit_most_by_hand(tiny_scenario):
    """A: (28,800 - 1,200 travel - 1,800 setup) / 150 = 172; B: (28,800 - 2,400 - 1,800)
    / 150 = 164."""
    assert search.one_visit_most(Instance(tiny_scenario)).tolist() == [172, 164]


def test_a_village_that_later_days_visit_again_is_worth_what_they_leave(tiny_scenario):
    """Rebuilding day 0 beside a kept day 2 that records 70 at A: a visit to A today records
    ceil(0.7 x 100) = 70, but day 2 then loses it; the plan gains ceil(0.7 x 30) = 21, so
    A's weight x 21/70 = 0.3. B, which no kept day visits, keeps its weight."""
    inst = Instance(tiny_scenario)
    kept = [Draft(0, 2, (A,), (70,))]
    weight = search.later_visits_discount(inst, kept, 0, np.array([1.0, 2.0]),
                                          search.one_visit_most(inst))
    assert weight.tolist() == pytest.approx([0.3, 2.0])
    # days before the rebuilt ones are what the visit starts from, not a loss
    assert search.later_visits_discount(inst, kept, 3, np.array([1.0, 2.0]),
                                        search.one_visit_most(inst)).tolist() == [1.0, 2.0]


def test_a_visit_bound_by_time_loses_nothing_later():
    """A 90-minute day records at most (5,400 - 1,200 - 1,800) / 150 = 16 at A: today's
    visit and the later one both record 16 whatever the other does, so no discount; a
    function weight (of unit and day) is discounted alike."""
    inst = Instance(make_scenario(shift={"weekday": {"start": "08:00", "end": "09:30"}}))
    kept = [Draft(0, 2, (A,), (16,))]
    most = search.one_visit_most(inst)
    assert most[A] == 16
    weight = search.later_visits_discount(inst, kept, 0, lambda k, d: np.array([1.0, 1.0]), most)
    assert weight(0, 0).tolist() == [1.0, 1.0]


class _ReadyBounds:
    """A bound process stub whose LP is always in; counts how often it is asked."""

    inline = False

    def __init__(self):
        self.asked = 0

    def lp(self, wait, timeout=None):
        self.asked += 1
        return search.LpResult(100.0, {})


def _search(inst, limit, bounds, **params):
    return search.Search(inst, search.SearchParams(**params),
                         search.Clock(limit, deterministic=False), 0, bounds)


def test_the_walk_looks_for_the_lp_only_every_so_many_steps(tiny_scenario):
    """With `lp_every_steps` 25, an LP that is in is taken at step 25, not at step 3."""
    inst = Instance(tiny_scenario)
    bounds = _ReadyBounds()
    s = _search(inst, 60.0, bounds, lp_every_steps=25)
    s.iterations = 3
    s.take_lp()
    assert s.lp is None and bounds.asked == 0
    s.iterations = 25
    s.take_lp()
    assert s.lp is not None and s.lp.bound == 100.0 and bounds.asked == 1


def test_a_step_draws_the_same_numbers_with_or_without_the_lp(tiny_scenario):
    """The LP's arrival must not shift the walk's later random draws."""
    inst = Instance(tiny_scenario)
    states = []
    for lp in (None, search.LpResult(100.0, {})):
        s = _search(inst, 60.0, _ReadyBounds(), guided_probability=1.0)
        s.lp, s.guided_done = lp, True
        s.best = [Draft(0, 0, (A,), (70,))]
        s._rebuild = lambda *args, **kwargs: []
        s.step()
        states.append(s.rng.bit_generator.state["state"]["state"])
    assert states[0] == states[1]


def test_a_deterministic_run_takes_the_lp_in_after_its_first_plans(tiny_scenario, monkeypatch):
    """No start reads the LP, so a deterministic run asks for it (and waits) only once its
    first plans are made, while the bound's process solves it beside them; it used to wait
    for it first (NOTES, search, 2026-12-07)."""
    events = []

    class Bounds(_ReadyBounds):
        inline = False

        def lp(self, wait, timeout=None):
            events.append(("lp", wait))
            return super().lp(wait, timeout)

        def refined(self, lp, timeout):
            return lp

        def stop(self):
            pass

    starts = search.Search.starts
    monkeypatch.setattr(search.Search, "starts",
                        lambda self: (starts(self), events.append(("starts done",))))
    s = search.Search(Instance(tiny_scenario), search.SearchParams(),
                      search.Clock(10.0, deterministic=True), 0, Bounds())
    s.run(iterations=0)
    assert events[0] == ("starts done",) and events[1] == ("lp", True)
    assert s.bound == 100.0
