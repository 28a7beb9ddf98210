"""An upper bound on Σ priority x counted recordings: an LP relaxation that charges travel.

Days are grouped into classes (weekday/overtime x the stretches between offline counting
cut-offs). Per unit u, class c and village v, `n` counts visits and `r` people recorded.
Every constraint is a sum over the days of a class of a rule that holds on each day, so any
plan gives a feasible point and the LP optimum bounds the objective:

- time per unit-day: setups + recording + travel ≤ shift. A route's travel is at least the
  cheapest arc into each visited village plus the cheapest arc back to the end place (arcs
  charged to their heads), or the cheapest arc out of the base plus the cheapest arc out of
  each village (charged to their tails); both forms are added;
- one visit alone: people ≤ (shift − setup − round trip) / seconds-per-person, and the
  turnout cap of the full backlog;
- at most one visit per village per day; visits of a unit ≤ its days out; staff per class;
  overtime budget; unit availability; offline villages only on days whose recordings count;
- travel again: a day costs at least the round trip to its farthest village (`_radial_rows`);
- turnout over repeated visits: after k visits at most f(k) people were recorded, where f
  takes the full cap each time (the most possible, since the backlog left, floor((1−t)R),
  grows with R); f is concave, so its tangent lines bound Σ r by the (fractional) visit count.
"""
from __future__ import annotations

from collections import defaultdict

import numpy as np

from .instance import Instance

MAX_CUTS = 60
RADIAL_BUCKETS = 24


def cumulative_caps(inst: Instance, j: int, limit: int = MAX_CUTS) -> list[int]:
    """f(0..K): the most people k visits can record in village j."""
    b = int(inst.backlog[j])
    f, rem = [0], b
    while rem > 0 and len(f) <= limit:
        rem -= inst.cap(j, rem)
        f.append(b - rem)
    return f


def day_classes(inst: Instance) -> dict[tuple, list[int]]:
    """Field days grouped by (overtime, cut-off stretch)."""
    cuts = sorted({d.toordinal() for d in inst.last_counting_date})
    out: dict[tuple, list[int]] = defaultdict(list)
    for i, day in enumerate(inst.days):
        stretch = sum(1 for c in cuts if day.date.toordinal() > c)
        out[(day.overtime, stretch)].append(i)
    return dict(out)


def _radial_rows(solver, visits, round_trip, y, shift, setup, person, buckets=RADIAL_BUCKETS):
    """A day out costs at least the round trip to its farthest village: split the unit's
    days by the bucket of that round trip (z), charge each day its bucket's lower edge, and
    let a village be visited only on days reaching at least its own bucket."""
    rts = np.array([round_trip[i] for i, _, _ in visits])
    edges = np.unique(np.quantile(rts, np.linspace(0, 1, buckets + 1)[:-1], method="lower"))
    which = np.searchsorted(edges, rts, side="right") - 1
    z = [solver.NumVar(0, solver.infinity(), "") for _ in edges]
    solver.Add(sum(z) == y)
    per_day = None if setup + person <= 0 else [max(0, int((shift - e) // (setup + person))) for e in edges]
    for (i, n, r), b in zip(visits, which):
        solver.Add(n <= sum(z[b:]))
    # Visits to villages of bucket >= b happen on days of bucket >= b, whose service time
    # is at most the shift minus that bucket's round trip.
    for b in range(1, len(edges)):
        group = [(n, r) for (_, n, r), w in zip(visits, which) if w >= b]
        solver.Add(sum(setup * n + person * r for n, r in group)
                   <= sum((shift - float(edges[c])) * z[c] for c in range(b, len(edges))))
    if per_day is not None:
        for b in range(len(edges)):
            group = [n for (_, n, _), w in zip(visits, which) if w >= b]
            solver.Add(sum(group) <= sum(per_day[c] * z[c] for c in range(b, len(edges))))
    solver.Add(sum(setup * n + person * r for _, n, r in visits)
               + sum(float(e) * zz for e, zz in zip(edges, z)) <= shift * y)


def upper_bound(inst: Instance, details: dict | None = None) -> float:
    from ortools.linear_solver import pywraplp

    solver = pywraplp.Solver.CreateSolver("GLOP")
    inf = solver.infinity()
    classes = day_classes(inst)
    person = [float(ud.person_s) for ud in inst.units]
    setup = float(inst.setup_s)
    budget = inst.scenario.staff.overtime_unit_days
    nodes = inst.nodes
    r_vars: dict[int, list] = defaultdict(list)
    n_vars: dict[int, list] = defaultdict(list)
    ot_days = []
    for (overtime, _), days in classes.items():
        shift = inst.days[days[0]].end - inst.days[days[0]].start
        staff_cap = 0.0
        for d in days:
            s = inst.staff(d)
            staff_cap = inf if (s is None or staff_cap == inf) else staff_cap + s
        counts = inst.counts_mask[days[0]]
        per_village_n: dict[int, list] = defaultdict(list)
        crew_terms = []
        for k, ud in enumerate(inst.units):
            avail = sum(1 for d in days if inst.available(k, d))
            if avail == 0:
                continue
            y = solver.NumVar(0, avail, "")
            crew_terms.append((ud.unit.crew, y))
            if overtime:
                ot_days.append(y)
            m = ud.matrix
            overnight = ud.unit.max_nights > 0
            allowed = np.flatnonzero(ud.allowed & counts)
            if allowed.size == 0:
                continue
            an = nodes[allowed]
            sub = m[np.ix_(an, an)].astype(float)
            np.fill_diagonal(sub, np.inf)
            from_base = m[ud.base, an].astype(float)
            to_end = m[an, ud.end].astype(float)
            if overnight:  # a trip may start or end at a lodging: no depot arcs assumed
                from_base = np.zeros_like(from_base)
                to_end = np.zeros_like(to_end)
            min_in = np.minimum(sub.min(axis=0), from_base)
            min_out = np.minimum(sub.min(axis=1), to_end)
            depot_head = float(to_end.min())
            depot_tail = float(from_base.min())
            round_trip = from_base + to_end
            time_head, time_tail, radial = [], [], []
            for i, j in enumerate(allowed):
                j = int(j)
                room = shift - setup - round_trip[i]
                if person[k] > 0:
                    per_visit = min(inst.cap(j, int(inst.backlog[j])), int(room // person[k]) if room >= 0 else 0)
                else:
                    per_visit = inst.cap(j, int(inst.backlog[j])) if room >= 0 else 0
                if per_visit <= 0:
                    continue
                n = solver.NumVar(0, len(days), "")
                r = solver.NumVar(0, inf, "")
                solver.Add(r <= per_visit * n)
                solver.Add(n <= y)
                per_village_n[j].append(n)
                r_vars[j].append(r)
                n_vars[j].append(n)
                time_head.append((setup + min_in[i], n, person[k], r))
                time_tail.append((setup + min_out[i], n, person[k], r))
                radial.append((i, n, r))
                if details is not None:
                    details.setdefault((k, overtime), []).append((j, y, n, r))
            for terms, depot in ((time_head, depot_head), (time_tail, depot_tail)):
                if terms:
                    solver.Add(sum(a * n + p * r for a, n, p, r in terms) + depot * y <= shift * y)
            if radial and not overnight:
                _radial_rows(solver, radial, round_trip, y, shift, setup, person[k])
        for j, ns in per_village_n.items():
            solver.Add(sum(ns) <= len(days))
        if staff_cap != inf and crew_terms:
            solver.Add(sum(c * y for c, y in crew_terms) <= staff_cap)
    if budget is not None and ot_days:
        solver.Add(sum(ot_days) <= budget)
    objective = []
    for j, rs in r_vars.items():
        f = cumulative_caps(inst, j)
        total = sum(rs)
        visits = sum(n_vars[j])
        for k in range(len(f) - 1):
            solver.Add(total <= f[k] + (f[k + 1] - f[k]) * (visits - k))
        solver.Add(total <= f[-1])
        objective.append(inst.priority[j] * total)
    if not objective:
        return 0.0
    solver.Maximize(sum(objective))
    status = solver.Solve()
    if status != pywraplp.Solver.OPTIMAL:
        # Without a proven LP optimum fall back to the trivial bound: every backlog counted.
        return float(sum(inst.priority[j] * inst.backlog[j] for j in range(inst.n)))
    value = solver.Objective().Value()
    if details is not None:
        for key, rows in details.items():
            details[key] = [(j, y.solution_value(), n.solution_value(), r.solution_value())
                            for j, y, n, r in rows]
    trivial = float(sum(inst.priority[j] * cumulative_caps(inst, j)[-1] for j in r_vars))
    return min(value * (1 + 1e-7) + 1e-6, trivial)
