"""Linear-programming pieces shared by the bound (`bound`) and its Lagrangian refinement
(`lagrange`): a thin layer over GLOP, and the turnout envelope of a village's visits.

The turnout rule caps each visit at ceil(turnout x what is left), so k visits to a village
record at most f(k), the sum of taking the most each time (`cumulative_caps`); f is concave,
and its tangent lines bound the people of any set of visits by their (fractional) number.
"""
from __future__ import annotations

from ortools.linear_solver import pywraplp

from ..instance import Instance

MAX_CUTS = 60  # pieces of the envelope f per village (its tangents hold beyond)


class LinearProgram:
    """A thin layer over pywraplp's low-level API (the operator API is slow to build)."""

    def __init__(self):
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


def envelope_rows(lp: LinearProgram, inst: Instance, j: int, group,
                  levels: int | None = None, meta: dict | None = None):
    """The turnout envelope of village j over nested sets of its visit variables; returns
    the variable of the people recorded there in all.

    Any m of a village's visits, whatever other visits came between them, record at most
    f_p(m) = cumulative_caps(.., per_visit=p), p the most one of those m visits can record:
    visits outside the set only shrink the backlog the set sees, and the cap per visit never
    grows as the backlog shrinks. So for every level L, the visits (unit, day class) whose
    own cap is at least L obey Σ r <= f_P(Σ n), P the largest cap of all (it is in every
    set), and the concave f_P gives tangent rows. One level (all visits) is the plain turnout
    envelope; the nested levels stop the LP from letting the big units record first-visit
    amounts on every visit while small units pad the visit count."""
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
