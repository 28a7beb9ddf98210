"""The optimiser: optimal on tiny instances (brute force), valid bound, checked, reproducible."""
from __future__ import annotations

import copy
import itertools
import random
from functools import lru_cache

import pytest

from planner.calendar import field_days, staff_limit
from planner.check import check
from planner.network import TravelNetwork
from planner.plan import service_seconds, turnout_cap
from planner.solve import solve
from planner.solve.bound import cumulative_caps, upper_bound
from planner.solve.instance import Instance
from tests.conftest import make_scenario

BASE = {
    "name": "brute",
    "geometry": "planar",
    "calendar": {"start": "2024-01-04", "deadline": "2024-01-06", "holidays": "none"},
    "shift": {"weekday": {"start": "08:00", "end": "10:00"},
              "weekend": {"start": "08:00", "end": "09:30"}},
    "recording": {"minutes_per_person": 10, "setup_minutes": 10, "turnout": 0.5},
    "travel": {"speed_kmh": 30},
    "places": [{"id": "base", "x": 0, "y": 0}],
    "units": [{"id": "U1", "base": "base", "kits": 1, "crew": 2}],
    "villages": [],
}


def brute_force(scenario) -> float:
    """The best Σ priority x counted over every plan: each unit-day picks a set of villages
    (visited in the least-travel order) and how many each visit records."""
    net = TravelNetwork(scenario)
    days = field_days(scenario)
    villages = scenario.villages
    deadline = scenario.calendar.deadline
    slots = [(d, u) for d in days for u in scenario.units if not u.unavailable_on(d.date)]
    budget = scenario.staff.overtime_unit_days

    def day_options(d, u, remaining, banned):
        m = net.unit_seconds(u)
        idx = [net.index[v.id] for v in villages]
        ok = [j for j, v in enumerate(villages)
              if j not in banned and remaining[j] > 0 and (v.power or u.generator)
              and d.date.toordinal() + scenario.village_turnaround(v) <= deadline.toordinal()]
        shift = d.end - d.start
        b, e = net.index[u.base], net.index[u.end_place]
        for size in range(1, len(ok) + 1):
            for subset in itertools.combinations(ok, size):
                travel = min(
                    sum(int(m[a, c]) for a, c in zip([b] + [idx[j] for j in p], [idx[j] for j in p] + [e]))
                    for p in itertools.permutations(subset))
                caps = [turnout_cap(scenario.village_turnout(villages[j]), remaining[j]) for j in subset]
                for recs in itertools.product(*[range(1, c + 1) for c in caps]):
                    if travel + sum(service_seconds(scenario, u.kits, r) for r in recs) <= shift:
                        yield subset, recs

    @lru_cache(maxsize=None)
    def best(i, remaining, banned, crew, ot):
        if i == len(slots):
            return 0.0
        d, u = slots[i]
        nxt_new_day = i + 1 < len(slots) and slots[i + 1][0] != d
        reset = (lambda b, c: (frozenset(), 0)) if nxt_new_day else (lambda b, c: (b, c))
        value = best(i + 1, remaining, *reset(banned, crew), ot)  # unit stays home
        limit = staff_limit(scenario, d)
        if (limit is not None and crew + u.crew > limit) or (d.overtime and budget is not None and ot >= budget):
            return value
        for subset, recs in day_options(d, u, remaining, banned):
            rem = list(remaining)
            gain = 0.0
            for j, r in zip(subset, recs):
                rem[j] -= r
                gain += float(villages[j].priority) * r
            nb, nc = reset(banned | frozenset(subset), crew + u.crew)
            value = max(value, gain + best(i + 1, tuple(rem), nb, nc, ot + d.overtime))
        return value

    return best(0, tuple(v.unrecorded for v in villages), frozenset(), 0, 0)


def tiny(seed: int):
    rng = random.Random(seed)
    data = copy.deepcopy(BASE)
    n = rng.choice([2, 3, 3, 4])
    data["villages"] = [{"id": f"v{j}", "x": rng.randint(-6, 6), "y": rng.randint(-6, 6),
                         "unrecorded": rng.randint(1, 7), "priority": rng.choice([1, 1, 2]),
                         "signal": rng.random() > 0.2, "power": rng.random() > 0.2}
                        for j in range(n)]
    if rng.random() < 0.5:
        data["units"] = data["units"] + [{"id": "U2", "base": "base", "kits": 2, "crew": 1,
                                          "generator": True}]
        data["staff"] = {"weekday": rng.choice([2, 3]), "overtime_unit_days": rng.choice([0, 1])}
    data["offline_turnaround_days"] = rng.choice([1, 2])
    return make_scenario(data)


@pytest.mark.parametrize("seed", range(12))
def test_reaches_brute_force_optimum_and_bound_holds(seed):
    scenario = tiny(seed)
    optimum = brute_force(scenario)
    plan = solve(scenario, time_limit=10, seed=seed, deterministic=True, iterations=30)
    assert check(scenario, plan) == []
    assert float(plan.objective) == pytest.approx(optimum)
    assert plan.solver["upper_bound"] >= optimum - 1e-6
    assert upper_bound(Instance(scenario)) >= optimum - 1e-6  # the LP bound on its own


def _caps_instance(backlog: int, turnout: float) -> Instance:
    data = copy.deepcopy(BASE)
    data["recording"]["turnout"] = turnout
    data["villages"] = [{"id": "v", "x": 1, "y": 0, "unrecorded": backlog}]
    return Instance(make_scenario(data))


def test_cumulative_caps_by_hand():
    """Backlog 300, turnout 0.7: visits take 210, 63, 19, 6, 2; with at most 156 per visit
    they take 156, ceil(0.7 x 144) = 101, ceil(0.7 x 43) = 31, 9, 3."""
    inst = _caps_instance(300, 0.7)
    assert cumulative_caps(inst, 0) == [0, 210, 273, 292, 298, 300]
    assert cumulative_caps(inst, 0, per_visit=156) == [0, 156, 257, 288, 297, 300]


@pytest.mark.parametrize("backlog,turnout,per_visit", [(23, 0.5, 7), (30, 0.33, 20),
                                                      (17, 0.9, 5), (40, 0.25, 100)])
def test_cumulative_caps_is_the_most_k_visits_can_record(backlog, turnout, per_visit):
    """Exhaustive: over every choice of people per visit (1 .. min(per_visit, turnout cap)),
    the most k visits record equals the capped cumulative caps the bound uses."""
    inst = _caps_instance(backlog, turnout)
    f = cumulative_caps(inst, 0, per_visit=per_visit)

    @lru_cache(maxsize=None)
    def most(remaining: int, k: int) -> int:
        if k == 0 or remaining == 0:
            return 0
        top = min(per_visit, int(turnout_cap(inst.scenario.recording.turnout, remaining)))
        return max(r + most(remaining - r, k - 1) for r in range(1, top + 1))

    for k in range(1, 7):
        assert most(backlog, k) == f[min(k, len(f) - 1)]


def test_bound_counts_travel_time():
    """One far village: the bound is the round trip's worth of people, not the backlog."""
    data = copy.deepcopy(BASE)
    data["calendar"]["deadline"] = "2024-01-04"
    # 20 km away: 40 min each way; 2 h shift - 80 min travel - 10 min setup = 3 people.
    data["villages"] = [{"id": "far", "x": 20, "y": 0, "unrecorded": 100}]
    scenario = make_scenario(data)
    plan = solve(scenario, time_limit=5, deterministic=True, iterations=5)
    assert plan.counted == 3
    assert plan.solver["upper_bound"] == pytest.approx(3, abs=1e-3)
    assert plan.solver["status"] == "OPTIMAL"


def test_bound_big_visits_do_not_borrow_the_small_units_visit_count():
    """Backlog 100, turnout 0.5, three weekdays, one visit a day. The 2-kit unit B (out two
    days) can record 50 per visit; S, based 25 km away, has 10 min left to record: 5 people.
    Best: B 50, B 25, S 5 = 80. The plain envelope allows f(3) = 50 + 25 + 13 = 88, with B's
    two visits taking 83 of it; the nested envelope holds B's visits to f(2) = 75: 75 + 5."""
    data = copy.deepcopy(BASE)
    data["calendar"] = {"start": "2024-01-03", "deadline": "2024-01-05", "holidays": "none"}
    data["recording"] = {"minutes_per_person": 2, "setup_minutes": 10, "turnout": 0.5}
    data["places"] = [{"id": "base", "x": 0, "y": 0}, {"id": "far", "x": 26, "y": 0}]
    data["units"] = [{"id": "B", "base": "base", "kits": 2, "crew": 1,
                      "unavailable": ["2024-01-05"]},
                     {"id": "S", "base": "far", "kits": 1, "crew": 1}]
    data["villages"] = [{"id": "v", "x": 1, "y": 0, "unrecorded": 100}]
    scenario = make_scenario(data)
    assert brute_force(scenario) == 80
    assert upper_bound(Instance(scenario)) == 80
    plan = solve(scenario, time_limit=5, deterministic=True, iterations=10)
    assert check(scenario, plan) == [] and plan.counted == 80


def mixed_units(seed: int):
    """One or two villages, three weekdays, two units whose visits differ in what they can
    record (kits, base, days out): the case the nested turnout envelope tightens."""
    rng = random.Random(seed)
    data = copy.deepcopy(BASE)
    data["calendar"] = {"start": "2024-01-03", "deadline": "2024-01-05", "holidays": "none"}
    data["recording"] = {"minutes_per_person": rng.choice([2, 4]), "setup_minutes": 10,
                         "turnout": rng.choice([0.3, 0.5, 0.7])}
    data["places"] = [{"id": "base", "x": 0, "y": 0},
                      {"id": "far", "x": rng.randint(5, 26), "y": 0}]
    big = {"id": "B", "base": "base", "kits": 2, "crew": 1}
    if rng.random() < 0.5:
        big["unavailable"] = [rng.choice(["2024-01-03", "2024-01-05"])]
    data["units"] = [big, {"id": "S", "base": rng.choice(["base", "far"]), "kits": 1, "crew": 1}]
    data["villages"] = [{"id": f"v{j}", "x": rng.randint(0, 3), "y": rng.randint(-2, 2),
                         "unrecorded": rng.randint(10, 60)} for j in range(rng.choice([1, 1, 2]))]
    return make_scenario(data)


@pytest.mark.parametrize("seed", range(16))
def test_bound_never_below_the_optimum_with_mixed_units(seed):
    scenario = mixed_units(seed)
    assert upper_bound(Instance(scenario)) >= brute_force(scenario) - 1e-6


def test_same_seed_deterministic_gives_identical_visits():
    scenario = make_scenario(calendar={"start": "2024-01-01", "deadline": "2024-01-12",
                                       "holidays": "none"})
    a = solve(scenario, time_limit=30, seed=3, deterministic=True, iterations=15)
    b = solve(scenario, time_limit=30, seed=3, deterministic=True, iterations=15)
    assert a.visits.equals(b.visits)
    assert check(scenario, a) == []


def test_no_overtime_or_idle_travel_when_weekdays_suffice():
    """Backlog a weekday can clear: no weekend day, and no unit-day that records nothing more."""
    data = copy.deepcopy(BASE)
    data["calendar"] = {"start": "2024-01-05", "deadline": "2024-01-08", "holidays": "none"}
    data["shift"]["weekend"] = {"start": "08:00", "end": "10:00"}
    data["units"] = [{"id": "U1", "base": "base", "kits": 1, "crew": 1},
                     {"id": "U2", "base": "base", "kits": 1, "crew": 1}]
    data["villages"] = [{"id": "a", "x": 1, "y": 0, "unrecorded": 2},
                        {"id": "b", "x": 0, "y": 1, "unrecorded": 2}]
    data["recording"]["turnout"] = 1
    scenario = make_scenario(data)
    plan = solve(scenario, time_limit=5, deterministic=True, iterations=10)
    assert plan.counted == 4
    assert plan.overtime_unit_days == 0
    assert len(plan.days) == 1  # one unit-day records both villages (2 x (10 + 20) min + travel)
    assert check(scenario, plan) == []


def test_offline_village_not_visited_when_results_come_too_late():
    data = copy.deepcopy(BASE)
    data["calendar"] = {"start": "2024-01-01", "deadline": "2024-01-05", "holidays": "none"}
    data["offline_turnaround_days"] = 2
    data["villages"] = [{"id": "off", "x": 1, "y": 0, "unrecorded": 40, "signal": False},
                        {"id": "on", "x": 0, "y": 1, "unrecorded": 40}]
    scenario = make_scenario(data)
    plan = solve(scenario, time_limit=5, deterministic=True, iterations=10)
    visits = plan.visits
    late = visits[(visits.village_id == "off") & (visits.date > "2024-01-03")]
    assert late.empty
    assert (visits.village_id == "off").any()  # early visits there are worth making
    assert check(scenario, plan) == []


def test_interrupt_returns_checked_plan():
    scenario = make_scenario(calendar={"start": "2024-01-01", "deadline": "2024-01-12",
                                       "holidays": "none"})
    calls = []

    def progress(info):
        calls.append(info)
        if len(calls) >= 1:
            raise KeyboardInterrupt

    plan = solve(scenario, time_limit=30, seed=1, progress=progress)
    assert plan.solver["status"] == "INTERRUPTED"
    assert calls and {"counted", "bound", "gap", "elapsed"} <= set(calls[0])
    assert check(scenario, plan) == []


def test_slow_bound_does_not_stretch_the_time_limit(monkeypatch):
    """The planner's time limit holds when the bound's LP is slow: the search stops on time,
    waits a tenth of the limit for the LP, and hands out the plan without the LP's bound (this
    tiny instance still gets the bound that the exhaustive route pool proves)."""
    import importlib
    import time

    solve_module = importlib.import_module("planner.solve")  # `planner.solve` is the function

    def slow_bound(inst, details=None, meta=None):
        time.sleep(60)
        return 1e9

    monkeypatch.setattr(solve_module, "upper_bound", slow_bound)
    scenario = make_scenario(calendar={"start": "2024-01-01", "deadline": "2024-01-12",
                                       "holidays": "none"})
    started = time.monotonic()
    plan = solve(scenario, time_limit=3, seed=1)
    assert time.monotonic() - started < 3 + 0.3 + 2.0  # limit + grace + a margin for checking
    assert plan.solver["upper_bound"] != 1e9  # the LP's answer never arrived
    assert check(scenario, plan) == []


def test_slow_route_pool_does_not_stretch_the_time_limit(monkeypatch):
    """The day-route engine gets what is left of the limit, not a fixed share of it: when the
    starts before it are slow (here the exhaustive route pool, made to take 3 s), a one-day
    plan still comes within the limit (before: 3 s + 0.8 x 6 s for the engine + the master)."""
    import importlib
    import math
    import time

    solve_module = importlib.import_module("planner.solve")  # `planner.solve` is the function

    def slow_pool(inst):
        time.sleep(3.0)
        return None

    monkeypatch.setattr(solve_module, "_all_routes", slow_pool)
    # 30 villages on a ring 60 km across: one day cannot serve them all, so the engine uses
    # its whole budget
    villages = [{"id": f"v{i}", "name": f"Desa {i}", "district": "D", "unrecorded": 10,
                 "x": round(30 * math.cos(i / 5), 2), "y": round(30 * math.sin(i / 5), 2)}
                for i in range(30)]
    scenario = make_scenario(calendar={"start": "2024-01-02", "deadline": "2024-01-02",
                                       "holidays": "none"}, villages=villages)
    started = time.monotonic()
    plan = solve(scenario, time_limit=6, seed=1)
    assert time.monotonic() - started < 6 + 0.6 + 0.5  # limit + grace + a margin
    assert "day-route engine" in plan.solver["method"]
    assert plan.visits.shape[0] > 0
    assert check(scenario, plan) == []


@pytest.mark.slow
def test_generated_district_beats_greedy_within_its_bound():
    """A generated 100-village, 5-unit, 90-day district (bounded: a few search steps)."""
    from bench.gen import generate
    from planner.baseline import plan_greedy

    scenario = generate(100, "capacity", "planar", seed=1)
    greedy = plan_greedy(scenario)
    plan = solve(scenario, time_limit=60, seed=0, deterministic=True, iterations=5)
    assert check(scenario, plan) == []
    assert plan.objective >= greedy.objective
    assert plan.solver["upper_bound"] >= float(plan.objective)
    assert plan.overtime_unit_days <= scenario.staff.overtime_unit_days


def test_best_day_by_hand():
    """Start = end; a is 10 min away (price 1 a person, cap 50), b 20 min (price 2, a visit
    costs 5, cap 30), a-b 15 min; 100 min, setup 10, 1 min a person. Alone: a 50, b 60 - 5.
    Both: 45 min travel, 20 setup, 35 min left: b's 30 people (60), a's 5: 65 - 5 = 60."""
    import numpy as np

    from planner.solve.lagrange import best_day, closure

    d = closure(np.array([[0, 0, 10, 20], [0, 0, 10, 20], [10, 10, 0, 15], [20, 20, 15, 0]]))
    ins = np.zeros(2)  # no detour credit: still a valid (weaker) travel bound
    value, route = best_day(d, ins, 100.0, 10.0, 1.0, np.array([1.0, 2.0]),
                            np.array([0.0, -5.0]), np.array([50.0, 30.0]))
    assert value == pytest.approx(60)
    assert route == {1: pytest.approx(30), 0: pytest.approx(5)}


def test_best_day_counts_a_visit_that_records_nobody():
    """a pays 5 a visit and nothing a person, b 1 a person (as above: a 10 min away, b 20,
    a-b 15; 100 min, setup 10, 1 min a person). b alone: 30 people = 30. Both: 45 min travel,
    20 setup, room for b's 30: 35. The route names a with 0 people, so the subgradient
    counts its visit."""
    import numpy as np

    from planner.solve.lagrange import best_day, closure

    d = closure(np.array([[0, 0, 10, 20], [0, 0, 10, 20], [10, 10, 0, 15], [20, 20, 15, 0]]))
    value, route = best_day(d, np.zeros(2), 100.0, 10.0, 1.0, np.array([0.0, 1.0]),
                            np.array([5.0, 0.0]), np.array([50.0, 30.0]))
    assert value == pytest.approx(35)
    assert route == {0: 0.0, 1: pytest.approx(30)}


def staff_split(start: str, deadline: str):
    """Two units of crew 2 under a weekday staff limit of 3: one unit a day. Two villages
    1 km off (4 min round trip); 120 min shift - 10 setup - 4 travel = 10 people a unit-day."""
    data = copy.deepcopy(BASE)
    data["calendar"] = {"start": start, "deadline": deadline, "holidays": "none"}
    data["recording"] = {"minutes_per_person": 10, "setup_minutes": 10, "turnout": 1.0}
    data["units"] = [{"id": "U1", "base": "base", "kits": 1, "crew": 2},
                     {"id": "U2", "base": "base", "kits": 1, "crew": 2}]
    data["staff"] = {"weekday": 3}
    data["villages"] = [{"id": "x", "x": 1, "y": 0, "unrecorded": 100},
                        {"id": "y", "x": 0, "y": 1, "unrecorded": 100}]
    return make_scenario(data)


def test_refined_bound_holds_the_staff_limit_per_day():
    """Two weekdays: the optimum is 2 x 10 = 20. The LP pools staff over the class (6 crew
    for 2 days: three unit-days) and gets 31; the Lagrangian lets one unit out a day: 21."""
    from planner.solve.lagrange import refine_bound

    scenario = staff_split("2024-01-04", "2024-01-05")
    inst = Instance(scenario)
    meta: dict = {}
    assert brute_force(scenario) == 20
    assert upper_bound(inst, None, meta) == 31
    assert refine_bound(inst, meta, time_limit=30, rounds=20) == 21


@pytest.mark.parametrize("case", [("tiny", s) for s in range(12)]
                         + [("mixed", s) for s in range(16)])
def test_refined_bound_never_below_the_optimum(case):
    from planner.solve.lagrange import refine_bound

    make, seed = {"tiny": tiny, "mixed": mixed_units}[case[0]], case[1]
    scenario = make(seed)
    inst = Instance(scenario)
    meta: dict = {}
    lp = upper_bound(inst, None, meta)
    if "levels" not in meta:  # nothing can be recorded: the LP says 0
        assert lp == 0
        return
    assert refine_bound(inst, meta, time_limit=30, rounds=20) >= brute_force(scenario) - 1e-6


def test_solve_reports_the_refined_bound_from_its_background_process():
    """Four weekdays (past the day-route engine's horizon; the optimum is 4 x 10 = 40): the
    LP lets half again as many units out (63), the refinement in the background process
    one a day."""
    from planner.solve import _bound_in_background, _collect, _refined, _stop

    inst = Instance(staff_split("2024-01-01", "2024-01-04"))
    pending = _bound_in_background(inst, refine_seconds=20)
    try:
        lp = _collect(pending, None, wait=True, timeout=60)
        refined = _refined(pending, lp, timeout=60)
    finally:
        _stop(pending)
    assert lp[0] > 60
    assert 40 <= refined[0] <= 42
