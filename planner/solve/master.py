"""For fixed day routes, the best recording amounts: an exact CP-SAT model.

With the village sequences fixed, the rules are linear in the people per visit r:
- per route: Σ service seconds + travel ≤ shift, where service s ≥ setup + r x person
  (scaled to integers; s is whole seconds, so this is the rule's rounding up);
- turnout with t = p/q: r ≤ ceil(t x remaining) ⟺ q r ≤ p (B − Σ earlier r) + q − 1;
- visits whose recordings cannot count record nobody.
The objective is Σ priority x r (priorities scaled to integers). A visit that ends with r = 0
is dropped by the caller.
"""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from .instance import Instance
from .multiday import Draft, route_travel


def _scale(values: list[Decimal]) -> tuple[list[int], int]:
    """Integer weights proportional to `values` (exact for up to 6 decimals)."""
    factor = 1
    for v in values:
        while (v * factor) != int(v * factor) and factor < 10**6:
            factor *= 10
    return [int(v * factor) for v in values], factor


def best_amounts(inst: Instance, drafts: list[Draft], hint: bool = True, time_limit: float = 10.0,
                 deterministic_time: float | None = None, seed: int = 0) -> list[Draft] | None:
    """Optimal people per visit over the given routes (None when CP-SAT finds nothing)."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    weights, _ = _scale([v.priority for v in inst.scenario.villages])
    setup = inst.setup_s
    drafts = sorted(drafts, key=lambda x: (x.d, x.k))
    r_of: list[list] = []
    by_village: dict[int, list] = {}
    objective = []
    for dr in drafts:
        day = inst.days[dr.d]
        person: Fraction = inst.units[dr.k].person_s
        budget = day.end - day.start - route_travel(inst, dr.k, dr.seq)
        den = (setup.denominator * person.denominator)
        rs, services = [], []
        for i, j in enumerate(dr.seq):
            ub = int(inst.backlog[j]) if inst.counts_mask[dr.d, j] else 0
            r = model.NewIntVar(0, ub, "")
            s = model.NewIntVar(0, max(0, budget), "")
            # den*s >= den*setup + den*person*r, all integers
            model.Add(den * s >= int(setup * den) + int(person * den) * r)
            rs.append(r)
            services.append(s)
            by_village.setdefault(j, []).append(r)
            objective.append(weights[j] * r)
            if hint:
                model.AddHint(r, dr.rec[i] if i < len(dr.rec) else 0)
        model.Add(sum(services) <= budget)
        r_of.append(rs)
    for j, rs in by_village.items():
        p, q = inst.turnout[j]
        b = int(inst.backlog[j])
        earlier = []
        for r in rs:  # in date order (drafts sorted by day; one visit per village per day)
            model.Add(q * r <= p * (b - sum(earlier)) + q - 1)
            earlier.append(r)
        model.Add(sum(rs) <= b)
    model.Maximize(sum(objective))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    if deterministic_time is not None:
        solver.parameters.max_deterministic_time = deterministic_time
    else:
        solver.parameters.max_time_in_seconds = max(0.1, time_limit)
    status = solver.Solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    out = []
    for dr, rs in zip(drafts, r_of):
        keep = [(j, int(solver.Value(r))) for j, r in zip(dr.seq, rs)]
        keep = [(j, r) for j, r in keep if r > 0]
        if keep:
            out.append(Draft(dr.k, dr.d, tuple(j for j, _ in keep), tuple(r for _, r in keep)))
    return out
