"""The master: from a pool of candidate day routes, choose one per unit-day and the people
per visit, exactly, with CP-SAT (set partitioning with recording amounts).

With a route's village sequence fixed, the rules are linear in the people per visit r:
- per route: Σ service seconds + travel ≤ shift, where service s ≥ setup + r x person
  (scaled to integers; s is whole seconds, so this is the rule's rounding up);
- turnout with t = p/q: r ≤ ceil(t x remaining) ⟺ q r ≤ p (B − Σ earlier r) + q − 1;
- visits whose recordings cannot count record nobody.
The objective is Σ priority x r (priorities scaled to integers); a visit that ends with
r = 0 is dropped.
"""
from __future__ import annotations

from decimal import Decimal

from .instance import Instance
from .multiday import Draft, route_travel


def _scale(values: list[Decimal]) -> tuple[list[int], int]:
    """Integer weights proportional to `values` (exact for up to 6 decimals)."""
    factor = 1
    for v in values:
        while (v * factor) != int(v * factor) and factor < 10**6:
            factor *= 10
    return [int(v * factor) for v in values], factor


def choose_routes(inst: Instance, pool: dict[tuple[int, int], set[tuple[int, ...]]],
                  incumbent: list[Draft], time_limit: float = 10.0,
                  deterministic_time: float | None = None, seed: int = 0):
    """Set partitioning over a pool of candidate day routes, with exact amounts: pick at
    most one route per unit-day and the people per visit, under every cross-day rule
    (one visit per village per day, turnout over the days, staff, overtime budget).
    Lexicographic: most Σ priority x r, then fewest overtime unit-days, then least travel.
    Returns (drafts, proven_optimal) or None."""
    from ortools.sat.python import cp_model

    weights, _ = _scale([v.priority for v in inst.scenario.villages])
    setup = inst.setup_s
    budget_ot = inst.scenario.staff.overtime_unit_days
    inc = {(dr.k, dr.d): dr for dr in incumbent}
    model = cp_model.CpModel()
    routes = []  # (k, d, seq, x, rs, travel)
    per_unit_day: dict[tuple, list] = {}
    village_day: dict[tuple[int, int], list] = {}
    staff_day: dict[int, list] = {}
    gain, ot_terms, travel_terms = [], [], []
    for (k, d), seqs in sorted(pool.items()):
        day = inst.days[d]
        person = inst.units[k].person_s
        den = setup.denominator * person.denominator
        for seq in sorted(seqs):
            travel = route_travel(inst, k, seq)
            budget = day.end - day.start - travel
            if budget < 0:
                continue
            x = model.NewBoolVar("")
            hinted = inc.get((k, d))
            chosen = hinted is not None and tuple(hinted.seq) == tuple(seq)
            model.AddHint(x, chosen)
            rs, services = [], []
            for i, j in enumerate(seq):
                ub = int(inst.backlog[j]) if inst.counts_mask[d, j] else 0
                r = model.NewIntVar(0, ub, "")
                s = model.NewIntVar(0, budget, "")
                model.Add(den * s >= int(setup * den) * x + int(person * den) * r)
                model.Add(r <= ub * x)
                model.AddHint(r, hinted.rec[i] if chosen else 0)
                rs.append(r)
                services.append(s)
                village_day.setdefault((j, d), []).append((x, r))
                gain.append(weights[j] * r)
            model.Add(sum(services) <= budget)
            per_unit_day.setdefault((k, d), []).append(x)
            staff_day.setdefault(d, []).append((inst.units[k].unit.crew, x))
            if day.overtime:
                ot_terms.append(x)
            travel_terms.append((travel, x))
            routes.append((k, d, seq, x, rs))
    for xs in per_unit_day.values():
        model.Add(sum(xs) <= 1)
    for d, terms in staff_day.items():
        limit = inst.staff(d)
        if limit is not None:
            model.Add(sum(c * x for c, x in terms) <= limit)
    if budget_ot is not None and ot_terms:
        model.Add(sum(ot_terms) <= budget_ot)
    days_of: dict[int, list[int]] = {}
    for (j, d) in village_day:
        days_of.setdefault(j, []).append(d)
    for j, ds in days_of.items():
        p, q = inst.turnout[j]
        b = int(inst.backlog[j])
        earlier = []
        for d in sorted(ds):
            terms = village_day[(j, d)]
            if len(terms) > 1:
                model.Add(sum(x for x, _ in terms) <= 1)
            day_r = sum(r for _, r in terms)
            model.Add(q * day_r <= p * (b - sum(earlier)) + q - 1)
            earlier.extend(r for _, r in terms)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed

    def run(share):
        if deterministic_time is not None:
            solver.parameters.max_deterministic_time = deterministic_time * share
        else:
            solver.parameters.max_time_in_seconds = max(0.1, time_limit * share)
        return solver.Solve(model)

    model.Maximize(sum(gain))
    status = run(0.7)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    proven = status == cp_model.OPTIMAL
    best_gain = int(round(solver.ObjectiveValue()))
    values = {id(x): solver.Value(x) for *_, x, _ in routes}
    rvals = {id(r): solver.Value(r) for *_, rs in routes for r in rs}
    model.ClearHints()
    for k, d, seq, x, rs in routes:
        model.AddHint(x, values[id(x)])
        for r in rs:
            model.AddHint(r, rvals[id(r)])
    model.Add(sum(gain) >= best_gain)
    scale = 1 + sum(t for t, _ in travel_terms)
    model.Minimize(scale * sum(ot_terms) + sum(t * x for t, x in travel_terms))
    status2 = run(0.3)
    if status2 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        values = {id(x): solver.Value(x) for *_, x, _ in routes}
        rvals = {id(r): solver.Value(r) for *_, rs in routes for r in rs}
    out = []
    for k, d, seq, x, rs in routes:
        if not values[id(x)]:
            continue
        keep = [(j, rvals[id(r)]) for j, r in zip(seq, rs) if rvals[id(r)] > 0]
        if keep:
            out.append(Draft(k, d, tuple(j for j, _ in keep), tuple(r for _, r in keep)))
    return out, proven
