"""Small scenarios shared by the optimiser's tests, and the brute-force optimum they are
measured against (every plan of a few villages over a few days)."""
from __future__ import annotations

import copy
import itertools
import random
from functools import lru_cache

from planner.calendar import field_days, staff_limit
from planner.network import TravelNetwork
from planner.rules import service_seconds, turnout_cap, turnout_fraction
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
              and (not u.districts or v.district in u.districts)
              and d.date.toordinal() + scenario.village_turnaround(v) <= deadline.toordinal()
              and not any(v.id in c.villages and c.from_ <= d.date <= c.to
                          for c in scenario.closures)]
        shift = d.end - d.start
        b, e = net.index[u.base], net.index[u.end_place]
        for size in range(1, len(ok) + 1):
            for subset in itertools.combinations(ok, size):
                travel = min(
                    sum(int(m[a, c]) for a, c in zip([b] + [idx[j] for j in p], [idx[j] for j in p] + [e]))
                    for p in itertools.permutations(subset))
                caps = [turnout_cap(*turnout_fraction(scenario.village_turnout(villages[j])), remaining[j])
                        for j in subset]
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
