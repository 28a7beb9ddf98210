"""How much more a plan's days drive than its own visits need: each unit's visits (village and
service time as in the plan) re-partitioned over the unit's own field days by PyVRP, for
least travel and starting from the plan's days, against the plan's travel.

Every re-partitioned day is a route the unit could drive: it starts where the plan's day of
its kind starts (the base on the unit's first field day, home after) and ends at home within
that day's shift, serves each of its visits for as long as the plan does, never visits a
village twice, and visits only villages whose recordings still count on days of its kind (a
vehicle type per shift length, start and set of counting villages, as many of each as the
plan's days of that kind; a capacity-1 load per village the unit visits more than once keeps
two of its visits off one route, which no edge cost can do for A, B, A). The routes are not
dated (which day of a kind, whether another unit is in the village that day), so the figure
is the travel this search finds for the same visits, not a plan. Day trips only: a plan with
nights away is refused.

    .venv/bin/python bench/repartition.py --only kapuas-hulu --day-trips
"""
from __future__ import annotations

import argparse
import sys
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SAME_DAY = 10**7  # seconds on an edge between two visits to one village: never one day


@dataclass(frozen=True)
class UnitDays:
    """One unit's field days in the plan: each day as its kind (shift seconds, the matrix
    index it starts from, the village positions whose recordings count that day) and its
    visits in order, each (village position, service seconds); and their travel seconds."""

    unit: str
    days: tuple[tuple[tuple, tuple[tuple[int, int], ...]], ...]
    travel: int

    @property
    def kinds(self) -> Counter:
        return Counter(kind for kind, _ in self.days)

    @property
    def visits(self) -> list[tuple[int, int]]:
        return [visit for _, visits in self.days for visit in visits]


@dataclass(frozen=True)
class Repartition:
    """A unit's travel in the plan and re-partitioned, and the new days: each as its kind
    and its village positions in visiting order."""

    unit: str
    days: int
    visits: int
    plan_travel: int
    travel: int
    feasible: bool
    routes: tuple[tuple[tuple, tuple[int, ...]], ...]


def unit_days(inst, plan) -> dict[int, UnitDays]:
    """Per unit position, its field days in the plan (days without visits left out)."""
    k_of = {ud.unit.id: k for k, ud in enumerate(inst.units)}
    j_of = {v.id: j for j, v in enumerate(inst.scenario.villages)}
    d_of = {day.date: d for d, day in enumerate(inst.days)}
    days: dict[int, list] = {}
    travel: Counter = Counter()
    for r in sorted(plan.routes, key=lambda r: (r.unit, r.date)):
        if not r.stops:
            continue
        start, end = plan.places[(r.unit, r.date)]
        if end != plan.home(r.unit):
            raise SystemExit(f"{r.unit} {r.date}: a night away; day trips only (--day-trips)")
        k, d = k_of[r.unit], d_of[r.date]
        day = inst.days[d]
        kind = (day.end - day.start, inst.network.index[start],
                tuple(int(j) for j in np.flatnonzero(inst.counts_mask[d])))
        days.setdefault(k, []).append(
            (kind, tuple((j_of[s.village_id], s.end - s.start) for s in r.stops)))
        travel[k] += r.travel_s
    return {k: UnitDays(inst.units[k].unit.id, tuple(ds), travel[k]) for k, ds in days.items()}


def repartition(inst, k: int, plan: UnitDays, seconds: float, seed: int = 0) -> Repartition:
    """Unit k's visits over its days of each kind (see the module docstring), by PyVRP
    within `seconds`, starting from the plan's own days."""
    import pyvrp
    from pyvrp.stop import MaxRuntime

    ud, visits, kinds = inst.units[k], plan.visits, plan.kinds
    model = pyvrp.Model()
    ends = list(dict.fromkeys([ud.end] + [start for _, start, _ in kinds]))
    end_locations = {p: model.add_location(x=0, y=0) for p in ends}
    depots = {p: model.add_depot(end_locations[p]) for p in ends}
    repeated = sorted(j for j, n in Counter(j for j, _ in visits).items() if n > 1)
    dim = {j: i for i, j in enumerate(repeated)}
    width = max(1, len(dim))
    places = [(p, None, end_locations[p]) for p in ends]
    for j, service in visits:
        location = model.add_location(x=0, y=0)
        load = [0] * width
        if j in dim:
            load[dim[j]] = 1
        model.add_client(location, delivery=load, service_duration=int(service))
        places.append((int(inst.nodes[j]), j, location))
    order = sorted(kinds)
    for kind in order:
        shift, start, counting = kind
        counts = set(counting)
        profile = model.add_profile()
        model.add_vehicle_type(num_available=kinds[kind], capacity=[1] * width,
                               start_depot=depots[start], end_depot=depots[ud.end],
                               shift_duration=int(shift), profile=profile)
        for a, ja, la in places:
            for b, jb, lb in places:
                if la is lb:
                    continue
                never = jb is not None and (ja == jb or jb not in counts)
                t = SAME_DAY if never else int(ud.matrix[a, b])
                model.add_edge(la, lb, distance=t, duration=t, profile=profile)
    data, plan_routes, first = model.data(), [], 0
    for kind, day in plan.days:  # the plan's days: a feasible start (clients in visit order)
        plan_routes.append(pyvrp.Route(data, list(range(first, first + len(day))),
                                       order.index(kind)))
        first += len(day)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyVRP's penalty-bound notes on tight instances
        best = model.solve(stop=MaxRuntime(seconds), seed=seed, display=False,
                           initial_solution=pyvrp.Solution(data, plan_routes)).best
    routes = tuple((order[route.vehicle_type()],
                    tuple(visits[a.idx][0] for a in route.schedule() if a.is_client()))
                   for route in best.routes())
    travel = int(best.distance())
    return Repartition(ud.unit.id, len(plan.days), len(visits), plan.travel, travel,
                       bool(best.is_feasible()) and travel < SAME_DAY, routes)


def main(argv=None) -> None:
    from bench.district import scenario_of
    from bench.peer_model import day_trips_only
    from planner.instance import Instance
    from planner.solve import solve

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="+", default=["kapuas-hulu"], help="bench/district.py cases")
    ap.add_argument("--day-trips", action="store_true", help="every unit's max_nights set to 0")
    ap.add_argument("--time-limit", type=float, default=60.0, help="the optimiser's seconds")
    ap.add_argument("--per-unit", type=float, default=20.0, help="PyVRP's seconds per unit")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    print("case                 unit  days visits  plan h  re-partitioned h   less  feasible")
    for name in args.only:
        scenario = scenario_of(name)
        if args.day_trips:
            scenario = day_trips_only(scenario)
        plan = solve(scenario, time_limit=args.time_limit, seed=args.seed)
        inst = Instance(scenario)
        total = [0, 0]  # over the units PyVRP found a feasible re-partition for
        for k, days in sorted(unit_days(inst, plan).items()):
            r = repartition(inst, k, days, args.per_unit, args.seed)
            if r.feasible:
                total[0] += r.plan_travel
                total[1] += r.travel
            less = f"{1 - r.travel / r.plan_travel:6.1%}" if r.feasible else "     -"
            print(f"{name:20} {r.unit:>5} {r.days:5} {r.visits:6} {r.plan_travel / 3600:7.1f} "
                  f"{r.travel / 3600 if r.feasible else float('nan'):17.1f} {less}  {r.feasible}")
        print(f"{name:20} {'all':>5} {'':5} {'':6} {total[0] / 3600:7.1f} {total[1] / 3600:17.1f} "
              f"{1 - total[1] / max(1, total[0]):6.1%}  (feasible units; plan "
              f"{float(plan.objective):,.0f}, {args.time_limit:.0f} s, seed {args.seed})")


if __name__ == "__main__":
    main()
