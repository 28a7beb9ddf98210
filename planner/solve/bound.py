"""An upper bound on Σ priority x counted recordings: an LP relaxation that charges travel.

Days are grouped into classes (weekday / overtime). Per unit u, class c and village v, `n` counts visits and `r` people recorded.
Every constraint is a sum over the days of a class of a rule that holds on each day, so any
plan gives a feasible point and the LP optimum bounds the objective:

- time per unit-day: setups + recording + travel ≤ shift. A route's travel is at least the
  cheapest arc into each visited village plus the cheapest arc back to the end place (arcs
  charged to their heads), or the cheapest arc out of the base plus the cheapest arc out of
  each village (charged to their tails); both forms are added;
- one visit alone: people ≤ (shift − setup − round trip) / seconds-per-person, and the
  turnout cap of the full backlog;
- at most one visit per village per day, on the days whose recordings count (offline villages:
  only up to deadline - turnaround); visits of a unit ≤ its days out; staff per class;
  overtime budget; unit availability;
- travel again: a day costs at least the round trip to its farthest village (`_radial_rows`);
- turnout over repeated visits: after k visits at most f(k) people were recorded, where f
  takes the most each time: the turnout cap, but no more than one visit of any unit can fit
  in a shift (the most possible, since the backlog left grows with R; see
  `cumulative_caps`); f is concave, so its tangent lines bound Σ r by the (fractional) visit
  count. The same holds for any subset of a village's visits, so the visits of the
  biggest-cap units get their own envelope too (`_envelope_rows`).

Tried and dropped (2026-11-23): on Pesawaran, separating that subset envelope for every subset
(per village, the visit variables sorted by people per visit, the most violated prefix):
24 rounds of 6-73 violated rows each leave the LP at 31,425.9 (GLOP finds another
optimum every time), and round 25 fails to solve. Nor does the order of visits in time
leave much: with one class per day and the exact turnout chain (a day's people <= turnout x
what the earlier days left) the LP drops 0.7 % on a 7-village week (1,552 -> 1,541) but not
at all on 30 villages over three weeks (4,714 both); on Pesawaran's 155 days GLOP had not
solved it after 18 minutes.
"""
from __future__ import annotations

from collections import defaultdict

import numpy as np

from .instance import Instance

MAX_CUTS = 60
# Nested visit sets per village in the turnout envelope (`_envelope_rows`): one per distinct
# per-visit cap up to SPLIT_UP_TO villages x units, else this many. Every level on the
# 1,000-village capacity bench made GLOP take 131 s instead of 5 s, for 0.09 %.
LARGE_LEVELS = 2
# GLOP's presolve sometimes gives up (ABNORMAL) on this LP; it then solves without it.
GLOP_RETRIES = ("use_preprocessing: false", "use_preprocessing: false use_dual_simplex: true")
RADIAL_BUCKETS = 200


def cumulative_caps(inst: Instance, j: int, limit: int = MAX_CUTS,
                    per_visit: int | None = None) -> list[int]:
    """f(0..K): the most people k visits can record in village j when no visit records more
    than `per_visit` (the most one visit of any unit can fit in a shift; None: no such cap).
    Taking the most each time is the most over k visits: what is left after a visit,
    max(R - per_visit, R - ceil(turnout x R)), never shrinks as R grows, so recording less
    now leaves at most as much more for later as it saved."""
    b = int(inst.backlog[j])
    f, rem = [0], b
    while rem > 0 and len(f) <= limit:
        take = inst.cap(j, rem)
        if per_visit is not None:
            take = min(take, per_visit)
        if take <= 0:
            break
        rem -= take
        f.append(b - rem)
    return f


SPLIT_UP_TO = 2500  # villages x units: up to this size, days are also split at cut-offs


def day_classes(inst: Instance) -> dict[tuple, list[int]]:
    """Field days grouped by overtime (shift length and staff limit differ) and, for
    instances small enough, by the stretches between offline counting cut-offs (so days on
    which offline recordings no longer count cannot lend them their time)."""
    split = inst.n * len(inst.units) <= SPLIT_UP_TO
    cuts = sorted({d.toordinal() for d in inst.last_counting_date}) if split else []
    out: dict[tuple, list[int]] = defaultdict(list)
    for i, day in enumerate(inst.days):
        stretch = sum(1 for c in cuts if day.date.toordinal() > c)
        out[(day.overtime, stretch)].append(i)
    return dict(out)


class _Lp:
    """A thin layer over pywraplp's low-level API (the operator API is slow to build)."""

    def __init__(self):
        from ortools.linear_solver import pywraplp

        self.pywraplp = pywraplp
        self.solver = pywraplp.Solver.CreateSolver("GLOP")
        self.inf = self.solver.infinity()

    def var(self, lb=0.0, ub=None):
        return self.solver.NumVar(lb, self.inf if ub is None else ub, "")

    def row(self, terms, lb=None, ub=None):
        c = self.solver.Constraint(-self.inf if lb is None else lb, self.inf if ub is None else ub)
        for coef, v in terms:
            c.SetCoefficient(v, float(coef))
        return c


def _buckets(round_trip: np.ndarray, most: int = RADIAL_BUCKETS) -> np.ndarray:
    """Lower edges of round-trip buckets (whole minutes, at most `most` of them)."""
    minutes = np.floor(round_trip / 60.0) * 60.0
    edges = np.unique(minutes)
    if edges.size > most:
        edges = np.unique(np.quantile(minutes, np.linspace(0, 1, most + 1)[:-1], method="lower"))
    return edges


def lp_guide(inst: Instance, details: dict) -> dict[tuple[int, bool], np.ndarray]:
    """Visits per village that the LP optimum gives each (unit, overtime) class."""
    out = {}
    for (k, overtime), rows in details.items():
        n = np.zeros(inst.n)
        for j, _, visits, _ in rows:
            if isinstance(visits, float):
                n[j] += visits
        out[(k, overtime)] = n
    return out


def insertion_costs(m: np.ndarray, base: int, end: int, nodes: np.ndarray) -> np.ndarray:
    """Per village v, the least detour of passing through v between two other distinct stops
    that are the base/end or villages at least as far (round trip) as v:
    min d(a,v) + d(v,c) - d(a,c). Take a day route and remove its villages nearest first,
    keeping the farthest: when v goes, its neighbours are such stops, and the route
    shortens by that detour, so the route is at least round trip(farthest) + Σ detours."""
    src = np.concatenate([[base], nodes])
    dst = np.concatenate([[end], nodes])
    sub = m[np.ix_(src, dst)].astype(float)
    rt = (m[base, nodes] + m[nodes, end]).astype(float)
    rt_src = np.concatenate([[np.inf], rt])
    rt_dst = np.concatenate([[np.inf], rt])
    same = src[:, None] == dst[None, :]
    out = np.zeros(len(nodes))
    for i, v in enumerate(nodes):
        into = m[src, v].astype(float)
        outof = m[v, dst].astype(float)
        detour = into[:, None] + outof[None, :] - sub
        detour[i + 1, :] = np.inf  # a = v
        detour[:, i + 1] = np.inf  # c = v
        detour[same] = np.inf  # a = c
        detour[rt_src < rt[i], :] = np.inf  # already removed: nearer than v
        detour[:, rt_dst < rt[i]] = np.inf
        least = float(detour.min())
        out[i] = max(0.0, least) if np.isfinite(least) else 0.0  # alone: no other stop
    return out


def upper_bound(inst: Instance, details: dict | None = None, meta: dict | None = None) -> float:
    """The LP bound. `details` gets the LP's visits per (unit, overtime) class (`lp_guide`);
    `meta` its prices for `lagrange.refine_bound`, as plain numbers."""
    lp = _Lp()
    visit_meta = []  # (k, class key, j, per_visit, r, n)
    class_rows = {}  # (class key, j) -> (its one-visit-per-day row, counting days)
    detours: dict[tuple, np.ndarray] = {}
    classes = day_classes(inst)
    person = [float(ud.person_s) for ud in inst.units]
    setup = float(inst.setup_s)
    budget = inst.scenario.staff.overtime_unit_days
    nodes = inst.nodes
    R = {}  # village -> total people variable
    # village -> (most people one visit can record, r, n) per unit and day class
    groups: dict[int, list] = defaultdict(list)
    ot_days = []
    for (overtime, stretch), days in classes.items():
        shift = inst.days[days[0]].end - inst.days[days[0]].start
        staff_cap = 0.0
        for d in days:
            s = inst.staff(d)
            staff_cap = lp.inf if (s is None or staff_cap == lp.inf) else staff_cap + s
        counting_days = inst.counts_mask[days].sum(axis=0)  # per village
        counts = counting_days > 0
        per_village_n: dict[int, list] = defaultdict(list)
        crew_terms = []
        for k, ud in enumerate(inst.units):
            avail = sum(1 for d in days if inst.available(k, d))
            if avail == 0:
                continue
            y = lp.var(0, avail)
            crew_terms.append((ud.unit.crew, y))
            if overtime:
                ot_days.append((1, y))
            if details is not None:
                details.setdefault((k, overtime), [])
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
            min_in = np.minimum(sub.min(axis=0) if an.size > 1 else np.inf, from_base)
            min_out = np.minimum(sub.min(axis=1) if an.size > 1 else np.inf, to_end)
            round_trip = from_base + to_end
            head = [(float(to_end.min()), y), (-shift, y)]
            tail = [(float(from_base.min()), y), (-shift, y)]
            visits = []  # (i, n, r)
            for i, j in enumerate(allowed):
                j = int(j)
                room = shift - setup - round_trip[i]
                first = inst.cap(j, int(inst.backlog[j]))
                if room < 0:
                    continue
                per_visit = first if person[k] == 0 else min(first, int(room // person[k]))
                if per_visit <= 0:
                    continue
                n = lp.var(0, float(counting_days[j]))
                r = lp.var()
                lp.row([(1, r), (-per_visit, n)], ub=0)
                per_village_n[j].append(n)
                groups[j].append((per_visit, r, n))
                visit_meta.append((k, (overtime, stretch), j, per_visit, r, n))
                head += [(setup + min_in[i], n), (person[k], r)]
                tail += [(setup + min_out[i], n), (person[k], r)]
                visits.append((i, n, r))
                if details is not None:
                    details.setdefault((k, overtime), []).append((j, y, n, r))
            if not visits:
                continue
            lp.row(head, ub=0)
            lp.row(tail, ub=0)
            if not overnight:
                key = (id(m), ud.base, ud.end)
                if key not in detours:
                    detours[key] = insertion_costs(m, ud.base, ud.end, nodes)
                ins = detours[key][allowed]
                _radial_rows(lp, visits, round_trip, y, shift, setup, person[k], ins)
            else:
                for _, n, _ in visits:
                    lp.row([(1, n), (-1, y)], ub=0)
        for j, ns in per_village_n.items():
            class_rows[(overtime, stretch), j] = (
                lp.row([(1, n) for n in ns], ub=float(counting_days[j])), float(counting_days[j]))
        if staff_cap != lp.inf and crew_terms:
            lp.row(crew_terms, ub=staff_cap)
    if budget is not None and ot_days:
        lp.row(ot_days, ub=budget)
    objective = lp.solver.Objective()
    trivial = 0.0
    small = inst.n * len(inst.units) <= SPLIT_UP_TO
    for j, group in groups.items():
        R[j] = _envelope_rows(lp, inst, j, group, None if small else LARGE_LEVELS,
                              None if meta is None else meta.setdefault("_levels", {}))
        objective.SetCoefficient(R[j], float(inst.priority[j]))
        trivial += float(inst.priority[j]) * int(inst.backlog[j])
    if not R:
        return 0.0
    objective.SetMaximization()
    status = lp.solver.Solve()
    for retry in GLOP_RETRIES:
        if status == lp.pywraplp.Solver.OPTIMAL:
            break
        lp.solver.SetSolverSpecificParametersAsString(retry)
        status = lp.solver.Solve()
    if status != lp.pywraplp.Solver.OPTIMAL:
        # Without a proven LP optimum fall back to the trivial bound: every backlog counted.
        return float(sum(inst.priority[j] * inst.backlog[j] for j in range(inst.n)))
    value = objective.Value()
    if meta is not None:  # plain numbers: the solver's objects die with it
        meta["lp"] = value
        meta["visits"] = [(k, c, j, pv, r.index(), n.index(), class_rows[c, j][0].dual_value(),
                           class_rows[c, j][1]) for k, c, j, pv, r, n in visit_meta]
        meta["levels"] = {  # per village, per nested set: its rows' prices, its r variables
            j: [(row_r.dual_value(), row_n.dual_value(), [r.index() for r in rs])
                for row_r, row_n, rs in levels]
            for j, levels in meta.pop("_levels", {}).items()}
    if details is not None:
        for key, rows in details.items():
            details[key] = [(j, y.solution_value(), n.solution_value(), r.solution_value())
                            for j, y, n, r in rows]
    value = value + 1e-6 * max(1.0, abs(value))  # the LP solver's tolerance
    if all(float(v.priority).is_integer() for v in inst.scenario.villages):
        value = float(np.floor(value))  # integer objective
    return min(value, trivial)


def _envelope_rows(lp: _Lp, inst: Instance, j: int, group, levels: int | None = None,
                   meta: dict | None = None):
    """The turnout envelope of village j over nested sets of its visit variables; returns
    the variable of the people recorded there in all.

    Any m of a village's visits, whatever other visits came between them, record at most
    f_p(m) = cumulative_caps(.., per_visit=p), p the most one of those m visits can record:
    visits outside the set only shrink the backlog the set sees, and the cap per visit never
    grows as the backlog shrinks. So for every level L, the visits (unit, day class) whose
    own cap is at least L obey Σ r <= f_P(Σ n), P the largest cap of all (it is in every
    set), and the concave f_P gives tangent rows. One level (all visits) is the plain turnout
    envelope; the nested levels stop the LP from letting the big units record first-visit
    amounts on every visit while small units pad the visit count (Pesawaran: 31,816 ->
    31,425)."""
    group = sorted(group, key=lambda g: -g[0])
    caps = sorted({g[0] for g in group}, reverse=True)
    if levels is not None and len(caps) > levels:
        # Any subset of the levels is valid: keep the largest gaps between caps (a 1-kit
        # unit's visits among 2-kit ones), and the smallest cap (every visit).
        steps = sorted((caps[i] / caps[i + 1], i) for i in range(len(caps) - 1))
        caps = sorted((caps[i] for _, i in steps[len(steps) - (levels - 1):]),
                      reverse=True) + caps[-1:]
    most = int(inst.backlog[j])  # f stops at MAX_CUTS visits; its tangents hold beyond
    f = cumulative_caps(inst, j, per_visit=group[0][0])  # every set holds the largest cap
    tangents = []  # (slope, intercept) of f's pieces; equal slopes give the same line
    for k in range(len(f) - 1):
        slope = f[k + 1] - f[k]
        if not tangents or slope != tangents[-1][0]:
            tangents.append((slope, f[k] - slope * k))
    R = N = None
    i = 0
    for level in caps:  # descending; the last is the smallest cap, so every visit is in
        r_terms, n_terms = [], []
        while i < len(group) and group[i][0] >= level:
            r_terms.append(group[i][1])
            n_terms.append(group[i][2])
            i += 1
        R2, N2 = lp.var(0, most), lp.var()  # people and visits of the set, nested sums
        row_r = lp.row([(1, R2)] + [(-1, r) for r in r_terms]
                       + ([(-1, R)] if R is not None else []), lb=0, ub=0)
        row_n = lp.row([(1, N2)] + [(-1, n) for n in n_terms]
                       + ([(-1, N)] if N is not None else []), lb=0, ub=0)
        if meta is not None:
            meta.setdefault(j, []).append((row_r, row_n, r_terms))
        R, N = R2, N2
        for slope, intercept in tangents:
            lp.row([(1, R), (-slope, N)], ub=intercept)
    return R


def _radial_rows(lp: _Lp, visits, round_trip, y, shift, setup, person, ins):
    """A day out costs at least the round trip to its farthest village v*, plus, for every
    other village v of the day, the detour `ins[v]` of passing through it. Let w_v count the
    days whose farthest village is v (w_v <= n_v), bucket days by that round trip (z_b = Σ w
    of bucket b, Z_b = days reaching bucket b or beyond), and let a village be visited only on
    days reaching its own bucket. Villages of bucket >= b are visited on days of bucket >= b,
    whose time is the shift: D_b = Σ_{v in buckets >= b} [(shift - rt_v + ins_v) w_v
    - (setup + ins_v) n_v - person r_v] >= 0."""
    rts = np.array([round_trip[i] for i, _, _ in visits])
    edges = _buckets(rts)
    which = np.searchsorted(edges, rts, side="right") - 1
    nb = len(edges)
    Z = [lp.var() for _ in range(nb)]
    D = [lp.var() for _ in range(nb)]  # >= 0
    members: dict[int, list] = defaultdict(list)
    for (i, n, r), b in zip(visits, which):
        w = lp.var()
        lp.row([(1, w), (-1, n)], ub=0)
        lp.row([(1, n), (-1, Z[b])], ub=0)
        members[int(b)].append((n, r, w, float(ins[i]), float(round_trip[i])))
    for b in range(nb):
        # Z_b = Z_{b+1} + Σ_{v in b} w_v
        terms = [(1, Z[b])] + [(-1, w) for _, _, w, _, _ in members.get(b, ())]
        if b + 1 < nb:
            terms.append((-1, Z[b + 1]))
        lp.row(terms, lb=0, ub=0)
        terms = [(1, D[b])]
        if b + 1 < nb:
            terms.append((-1, D[b + 1]))
        for n, r, w, detour, rt in members.get(b, ()):
            terms += [(-(shift - rt + detour), w), (setup + detour, n), (person, r)]
        lp.row(terms, lb=0, ub=0)
    lp.row([(1, Z[0]), (-1, y)], ub=0)
