"""How far the bound's LP is from real day routes: the Lagrangian with every unit-day problem
solved exactly over q-routes, at the LP's own prices and after subgradient steps, and the
restricted master of the same relaxation over day-route columns.

The LP of `planner.solve.bound` prices each (unit, day class, village) link between visits,
people and the day routes (`lagrange.Subgradient.lp_prices`). At any prices the Lagrangian is
the village rows alone (`lagrange.village_part`) plus, per day, the best route of each unit
the staff limit lets out (`lagrange.days_value`). Here a day's best route is solved exactly
over a relaxation of real routes by dynamic programming over whole minutes (`day_route`):

- routes may visit a village more than once, but never twice with one village between
  (no 2-cycles: best and second-best value per (minute, village) with distinct predecessors);
- travel and service are rounded down to whole minutes and a visit records the people of one
  more minute, so every real route is one of these paths and the value is an upper bound;
- a unit that may stay away (trips of at most two days) leaves home or its base, or comes
  back home, as in the LP (`bound._overnight_travel`); the better kind bounds the day.

So every Lagrangian printed is a valid upper bound (`QRouteLagrangian.value`); subgradient
steps from the LP's prices lower it (`refine`). The restricted master (`RouteMaster`) works
from the other side: the village rows with day-route columns (the plan's own days, then the
day problems' best routes at the master's prices); its optimum stays below every
Lagrangian of this relaxation (see `RouteMaster` for staff), so it shows how low any bound of
this kind can go; with `--elementary` its columns visit a village at most once, a lower limit
for bounds whose days are real (elementary) routes. With `--elementary-pricing` the column
generation goes on with each day problem also solved over elementary routes
(`elementary_day_route`, decremental state-space relaxation: the villages the best walk
repeats are remembered in the labels until it repeats none, or up to MOST_CRITICAL of them);
the lower of the two values bounds every real route, so the Lagrangian printed ("least L",
the least of all rounds) stays valid and can only be tighter. Slow (numpy over minutes x
villages x villages): a measurement tool, not part of the planner.

    .venv/bin/python bench/route_bound.py --only kapuas-hulu
    .venv/bin/python bench/route_bound.py --only kapuas-hulu --steps 1800 --master 1800
    .venv/bin/python bench/route_bound.py --only kapuas-hulu --master 1500 --elementary
    .venv/bin/python bench/route_bound.py --only kapuas-hulu --day-trips --master 200 \
        --elementary --elementary-pricing 1200
    .venv/bin/python bench/route_bound.py --only kapuas-hulu --day-trips --steps 3600 \
        --elementary-steps
"""
from __future__ import annotations

import argparse
import importlib
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NEG = -1e18
START = -9  # the predecessor of a village reached straight from the start
ROUTES_PER_DAY = 12  # master columns per day problem: the best route ending at each village
MOST_CRITICAL = 5  # DSSR: villages remembered at most (2^5 labels per minute and village)


def top_two(values: np.ndarray, preds: np.ndarray):
    """Per column: the best value, its predecessor and row, and the best value whose
    predecessor differs from that one (its predecessor and row)."""
    cols = np.arange(values.shape[1])
    i1 = values.argmax(axis=0)
    b1, p1 = values[i1, cols], preds[i1, cols]
    other = np.where(preds == p1[None, :], NEG, values)
    i2 = other.argmax(axis=0)
    return b1, p1, i1, other[i2, cols], preds[i2, cols], i2


def label_layers(grid: tuple) -> tuple[list, list, list]:
    """Empty labels of the day DPs, per layer (best, best with another predecessor): values,
    predecessor villages (distinct sentinels, so that an empty second layer never matches
    the first) and the `top_two` source rows."""
    return ([np.full(grid, NEG), np.full(grid, NEG)],
            [np.full(grid, -1, np.int64), np.full(grid, -2, np.int64)],
            [np.full(grid, -1, np.int64), np.full(grid, -1, np.int64)])


class DayProblem:
    """The q-route day problem of `day_route`, solved once; `route` recovers a path."""

    def __init__(self, start, travel, end, shift, setup, person, price_n, price_r, cap):
        self.n, self.setup, self.person = len(price_n), setup, person
        self.cap = cap
        self.best, self.best_at = 0.0, None
        self.per_end, self.per_end_t = np.full(self.n, NEG), np.full(self.n, -1)
        if self.n == 0 or shift <= 0:
            return
        n = self.n
        gain_rate = np.maximum(price_r, 0.0)
        self.longest = longest = int(min(shift, setup + np.ceil(cap * person).max()))
        cols = np.arange(n)
        grid = (shift + 1, n)
        done, done_p, done_s = label_layers(grid)  # service at i ended at t
        came, came_p, came_s = label_layers(grid)  # arrived at i at t
        ok = start <= shift
        came[0][start[ok], cols[ok]] = 0.0
        came_p[0][start[ok], cols[ok]] = START
        arcs = travel.astype(np.int64).copy()
        np.fill_diagonal(arcs, 10**9)
        gains = np.full((longest + 1, n), NEG)
        for s in range(setup, longest + 1):
            gains[s] = price_n + gain_rate * np.minimum(cap, (s + 1 - setup) / person)
        from_rows = np.broadcast_to(cols[:, None], arcs.shape)
        for t in range(setup, shift + 1):
            served = np.arange(setup, min(t, longest) + 1)
            at = t - served
            values = np.concatenate([came[0][at] + gains[served], came[1][at] + gains[served],
                                     done[0][t - 1:t], done[1][t - 1:t]])  # last rows: waiting
            preds = np.concatenate([came_p[0][at], came_p[1][at], done_p[0][t - 1:t],
                                    done_p[1][t - 1:t]])
            (done[0][t], done_p[0][t], done_s[0][t],
             done[1][t], done_p[1][t], done_s[1][t]) = top_two(values, preds)
            home = t + end <= shift
            if home.any():
                value = np.where(home, done[0][t], NEG)
                better = value > self.per_end
                self.per_end[better], self.per_end_t[better] = value[better], t
            if t == shift:
                break
            left = t - arcs  # [j, i]: when the service at j must have ended
            valid = left >= 0
            left = np.where(valid, left, 0)
            b1, p1 = done[0][left, from_rows], done_p[0][left, from_rows]
            b2 = done[1][left, from_rows]
            cand = np.where(valid, np.where(p1 == cols[None, :], b2, b1), NEG)  # no i -> j -> i
            values = np.concatenate([cand, came[0][t:t + 1], came[1][t:t + 1]])
            preds = np.concatenate([np.broadcast_to(cols[:, None], cand.shape),
                                    came_p[0][t:t + 1], came_p[1][t:t + 1]])
            (came[0][t], came_p[0][t], came_s[0][t],
             came[1][t], came_p[1][t], came_s[1][t]) = top_two(values, preds)
        self.done_p, self.done_s, self.came_s, self.arcs = done_p, done_s, came_s, arcs
        i = int(self.per_end.argmax())
        if self.per_end[i] > 0:
            self.best, self.best_at = float(self.per_end[i]), (int(self.per_end_t[i]), i)

    def route(self, t: int, i: int) -> list[tuple[int, float]]:
        """The path of the best label ending its service at village i at minute t, as
        (village, people) from the last visit back to the first."""
        visits, kind, label = [], "done", 0
        while True:
            if kind == "done":
                row = int(self.done_s[label][t, i])
                rows = min(t, self.longest) + 1 - self.setup  # service lengths at t
                if row < 2 * rows:  # served s minutes after arriving (label row // rows)
                    s = self.setup + row % rows
                    visits.append((i, float(min(self.cap[i], (s + 1 - self.setup) / self.person))))
                    kind, label, t = "came", row // rows, t - s
                else:  # waited a minute
                    label, t = row - 2 * rows, t - 1
            else:
                row = int(self.came_s[label][t, i])
                if row < 0 or row >= self.n:  # straight from the start
                    return visits
                j, t = row, t - int(self.arcs[row, i])
                label = 1 if self.done_p[0][t, j] == i else 0
                kind, i = "done", j

    def routes(self, most: int) -> list[list[tuple[int, float]]]:
        """The best route ending at each village, for the `most` best villages."""
        order = np.argsort(-self.per_end)[:most]
        return [self.route(int(self.per_end_t[i]), int(i)) for i in order
                if self.per_end[i] > 1e-9]


def day_route(start: np.ndarray, travel: np.ndarray, end: np.ndarray, shift: int, setup: int,
              person: float, price_n: np.ndarray, price_r: np.ndarray,
              cap: np.ndarray) -> tuple[float, list[tuple[int, float]]]:
    """The most Σ (price_n + price_r x people) a day can collect over 2-cycle-free walks, and
    a walk that collects it, as (village, people) from the last visit back to the first.

    Whole minutes: `start[i]` from the start to village i, `travel[j, i]` village j to i,
    `end[i]` village i to the end, `shift` the day, `setup` per visit, `person` minutes a
    person; serving s minutes at i records min(cap_i, (s + 1 - setup) / person) people (at
    least 0: a day may stay home)."""
    problem = DayProblem(start, travel, end, shift, setup, person, price_n, price_r, cap)
    return problem.best, ([] if problem.best_at is None else problem.route(*problem.best_at))


def day_value(start, travel, end, shift, setup, person, price_n, price_r, cap) -> float:
    """`day_route`'s value alone."""
    return day_route(start, travel, end, shift, setup, person, price_n, price_r, cap)[0]


def masked_day(start, travel, end, shift, setup, person, price_n, price_r, cap, critical):
    """The best walk of the day that visits no village of `critical` twice and has no 2-cycle
    (other villages may repeat with two or more between), on `day_route`'s minute grid:
    (value, walk as (village, people) from the last visit back). Labels per (minute,
    village, set of critical villages visited): the best and the best with another
    predecessor, as in `DayProblem`."""
    n, masks = len(price_n), 1 << len(critical)
    bit = np.zeros(n, np.int64)
    for b, i in enumerate(critical):
        bit[i] = 1 << b
    longest = int(min(shift, setup + np.ceil(cap * person).max()))
    grid = (shift + 1, n, masks)
    done, done_p, done_s = label_layers(grid)  # service at i ended at t
    came, came_p, came_s = label_layers(grid)  # arrived at i at t
    cols = np.arange(n)
    ok = start <= shift
    came[0][start[ok], cols[ok], bit[ok]] = 0.0
    came_p[0][start[ok], cols[ok], bit[ok]] = START
    arcs = travel.astype(np.int64).copy()
    np.fill_diagonal(arcs, 10**9)
    gains = np.full((longest + 1, n), NEG)
    for s in range(setup, longest + 1):
        gains[s] = price_n + np.maximum(price_r, 0.0) * np.minimum(cap, (s + 1 - setup) / person)
    all_masks = np.arange(masks)

    def best_two(values, preds):
        out = top_two(values.reshape(len(values), -1), preds.reshape(len(preds), -1))
        return [a.reshape(n, masks) for a in out]

    best, best_at = 0.0, None
    for t in range(setup, shift + 1):
        served = np.arange(setup, min(t, longest) + 1)
        g = gains[served][:, :, None]
        values = np.concatenate([came[0][t - served] + g, came[1][t - served] + g,
                                 done[0][t - 1:t], done[1][t - 1:t]])  # last rows: waiting
        preds = np.concatenate([came_p[0][t - served], came_p[1][t - served],
                                done_p[0][t - 1:t], done_p[1][t - 1:t]])
        (done[0][t], done_p[0][t], done_s[0][t],
         done[1][t], done_p[1][t], done_s[1][t]) = best_two(values, preds)
        home = np.where((t + end <= shift)[:, None], done[0][t], NEG)
        i, m = np.unravel_index(home.argmax(), home.shape)
        if home[i, m] > best:
            best, best_at = float(home[i, m]), (t, int(i), int(m))
        if t == shift:
            break
        left = t - arcs  # [j, i]: when the service at j must have ended
        valid = left >= 0
        at = np.where(valid, left, 0)
        b1, p1, b2 = (done[0][at, cols[:, None]], done_p[0][at, cols[:, None]],
                      done[1][at, cols[:, None]])  # (j, i, mask)
        moves = np.where(valid[:, :, None],
                         np.where(p1 == cols[None, :, None], b2, b1), NEG)  # no i -> j -> i
        for i in np.flatnonzero(bit):  # into a critical village: its bit was not set before
            without = all_masks[(all_masks & bit[i]) == 0]
            column = np.full((n, masks), NEG)
            column[:, without | bit[i]] = moves[:, i, without]
            moves[:, i] = column
        values = np.concatenate([moves, came[0][t:t + 1], came[1][t:t + 1]])
        preds = np.concatenate([np.broadcast_to(cols[:, None, None], moves.shape),
                                came_p[0][t:t + 1], came_p[1][t:t + 1]])
        (came[0][t], came_p[0][t], came_s[0][t],
         came[1][t], came_p[1][t], came_s[1][t]) = best_two(values, preds)
    walk = []
    if best_at is not None:
        t, i, m = best_at
        kind, layer = "done", 0
        while True:
            if kind == "done":
                row = int(done_s[layer][t, i, m])
                rows = min(t, longest) + 1 - setup  # service lengths at t
                if row < 2 * rows:  # served s minutes after arriving
                    s = setup + row % rows
                    walk.append((i, float(min(cap[i], (s + 1 - setup) / person))))
                    kind, layer, t = "came", row // rows, t - s
                else:  # waited a minute
                    layer, t = row - 2 * rows, t - 1
            else:
                row = int(came_s[layer][t, i, m])
                if row < 0 or row >= n:  # a start label (set before any move)
                    break
                j, m = row, m & ~int(bit[i])
                t = t - int(arcs[j, i])
                layer = 1 if int(done_p[0][t, j, m]) == i else 0
                kind, i = "done", j
    return best, walk


def elementary_day_route(start, travel, end, shift, setup, person, price_n, price_r, cap,
                         most_critical: int = MOST_CRITICAL):
    """`day_route` over elementary routes (no village twice), by decremental state-space
    relaxation: the villages the best walk repeats are remembered in its labels
    (`masked_day`) and the day solved again, until the walk is elementary (exact) or more
    than `most_critical` villages would be remembered (then the walk's value, still an upper
    bound on every elementary route, and its walk). (value, exact, walk)."""
    critical: list[int] = []
    while True:
        value, walk = masked_day(start, travel, end, shift, setup, person, price_n, price_r,
                                 cap, critical)
        seen, repeated = set(), []
        for i, _ in walk:
            if i in seen and i not in repeated:
                repeated.append(i)
            seen.add(i)
        if not repeated:
            return value, True, walk
        if len(critical) + len(repeated) > most_critical:
            return value, False, walk
        critical += repeated


class QRouteLagrangian:
    """The Lagrangian of the module docstring over the LP's links (`lagrange.Subgradient`'s
    keys and prices), its day problems solved by `DayProblem`."""

    def __init__(self, inst, meta: dict):
        from planner.solve.bound import longest_trip, overnight_ends
        from planner.solve.held_karp import closure

        lagrange = importlib.import_module("planner.solve.lagrange")
        self.inst, self.meta = inst, meta
        self.sub = lagrange.Subgradient(inst, meta, node_limit=1)  # keys, classes, prices
        self.most_critical = 0  # > 0: day problems also over elementary routes (DSSR)
        self.setup = int(inst.setup_s // 60)
        self.kinds, full = {}, {}
        for k, ud in enumerate(inst.units):
            m = full.setdefault(k, closure(ud.matrix))
            if ud.unit.max_nights > 0:
                starts, ends = overnight_ends(inst, k)
                from_start = m[starts].min(axis=0)
                to_end = m[:, ends].min(axis=1)
                kinds = [(from_start, to_end)]
                if longest_trip(inst, k) <= 2:
                    leave = np.minimum(m[ud.end], m[ud.base])
                    kinds = [(leave, to_end), (from_start, m[:, ud.end])]
            else:
                kinds = [(m[ud.base], m[:, ud.end])]
            self.kinds[k] = (m, kinds)

    def day_problems(self, rho: dict, nu: dict):
        """Per (unit, class, shift): the villages (j) the rows stand for, the day problems of
        each kind and their inputs (`day_route`'s arguments)."""
        inst = self.inst
        for (k, c), rows in self.sub.by_kc.items():
            m, kinds = self.kinds[k]
            js = np.array([j for j, _ in rows])
            pr = np.array([rho[(k, c, j)] for j, _ in rows])
            pn = np.array([nu[(k, c, j)] for j, _ in rows])
            cap = np.array([float(pv) for _, pv in rows])
            keep = pn + np.maximum(pr, 0) * cap > 1e-9  # a visit worth nothing is never made
            js, pr, pn, cap = js[keep], pr[keep], pn[keep], cap[keep]
            nodes = inst.nodes[js]
            travel = np.floor(m[np.ix_(nodes, nodes)] / 60).astype(np.int64)
            person = float(inst.units[k].person_s) / 60.0
            for shift in {inst.days[d].end - inst.days[d].start for d in self.sub.classes[c]}:
                inputs = [(np.floor(a[nodes] / 60).astype(np.int64), travel,
                           np.floor(b[nodes] / 60).astype(np.int64), int(shift // 60),
                           self.setup, person, pn, pr, cap) for a, b in kinds]
                yield (k, c, shift), js, [DayProblem(*args) for args in inputs], inputs

    def elementary(self, problem: DayProblem, args: tuple) -> tuple:
        """`elementary_day_route` of a day problem; a q-route optimum that visits no village
        twice is already the elementary one (every elementary route is a q-route), so it is
        taken without solving the day again."""
        walk = [] if problem.best_at is None else problem.route(*problem.best_at)
        if len({i for i, _ in walk}) == len(walk):
            return problem.best, True, walk
        return elementary_day_route(*args, self.most_critical)

    def value(self, rho: dict, nu: dict, grad: dict | None = None,
              columns: dict | None = None) -> float:
        """The bound at these prices; with `grad`, its subgradient per link; with `columns`,
        the best routes of each day problem per (unit, class, shift), as (j, people)."""
        lagrange = importlib.import_module("planner.solve.lagrange")
        values, best_routes = {}, {}
        for key, js, problems, inputs in self.day_problems(rho, nu):
            best = max(problems, key=lambda p: p.best)
            values[key] = best.best
            best_routes[key] = [] if best.best_at is None else [
                (int(js[i]), p) for i, p in best.route(*best.best_at)]
            if columns is not None:
                columns[key] = [[(int(js[i]), p) for i, p in route]
                                for p in problems for route in p.routes(ROUTES_PER_DAY)]
            if self.most_critical and len(js):
                solved = [self.elementary(p, args) for p, args in zip(problems, inputs)]
                value, _, walk = max(solved, key=lambda x: x[0])
                if value < values[key]:  # both bound every real route: the lower one
                    values[key] = value
                    best_routes[key] = [(int(js[i]), p) for i, p in walk]
                if columns is not None:
                    columns[key] += [[(int(js[i]), p) for i, p in w] for _, exact, w in solved
                                     if exact and w]
        sol = {} if grad is not None else None
        counts: dict = {}
        total = lagrange.village_part(self.inst, self.sub.keys, rho, nu, self.sub.small, sol) \
            + lagrange.days_value(self.inst, self.sub.classes, values, counts)
        if grad is not None and sol:
            for key, (r, n) in sol.items():
                grad[key] = [-r, -n]
            for (k, c, shift), times in counts.items():
                for j, people in best_routes[(k, c, shift)]:
                    grad[(k, c, j)][0] += times * people
                    grad[(k, c, j)][1] += times
        return total

    def refine(self, seconds: float, log=None) -> float:
        """The least bound found by `lagrange.Subgradient.refine`'s steps from the LP's prices,
        with these day problems, within `seconds`."""
        sub = self.sub
        sub.value = self.value  # the same steps, q-route day problems
        return sub.refine(seconds, 10**9, log)


class RouteMaster:
    """The village rows of `lagrange.village_part` with day-route columns: each column
    records its people and visits in the (unit, class, village) links and takes one of the
    unit's days of that class and shift (days its crew may go out; the staff of a class
    pooled over its days, the overtime budget over overtime classes). Where every day's staff
    lets out all the units whose crews fit (Kapuas Hulu: no weekday staff, weekend staff for
    all three units), its optimum over q-route columns is at most the q-route Lagrangian at
    any prices (weak duality); where staff pick among units day by day, pooling may let it
    exceed that."""

    def __init__(self, lag: QRouteLagrangian, elementary: bool = False):
        from planner.solve.bound import LARGE_LEVELS
        from planner.solve.lp import LinearProgram, envelope_rows

        inst, sub = lag.inst, lag.sub
        self.inst, self.lp = inst, LinearProgram()
        lp, objective = self.lp, self.lp.solver.Objective()
        groups, class_rows = defaultdict(list), {}
        self.r_link, self.n_link = {}, {}
        for key, (pv, cd) in sub.keys.items():
            k, c, j = key
            r, n = lp.var(0, None), lp.var(0, float(cd))
            groups[j].append((pv, r, n))
            class_rows.setdefault((c, j), ([], cd))[0].append(n)
            self.r_link[key] = lp.row([(1, r)], ub=0)  # r <= Σ people x columns
            self.n_link[key] = lp.row([(1, n)], lb=0, ub=0)  # n = Σ visits x columns
        for (c, j), (ns, counting_days) in class_rows.items():
            lp.row([(1, n) for n in ns], ub=float(counting_days))  # one visit a day
        for j, group in groups.items():
            total = envelope_rows(lp, inst, j, group, None if sub.small else LARGE_LEVELS)
            objective.SetCoefficient(total, float(inst.priority[j]))
        objective.SetMaximization()
        days, self.staff_rows = defaultdict(int), {}
        for c, ds in sub.classes.items():
            limits = [inst.staff(d) for d in ds]
            for d, limit in zip(ds, limits):
                shift = inst.days[d].end - inst.days[d].start
                for k, ud in enumerate(inst.units):
                    if inst.available(k, d) and (limit is None or ud.unit.crew <= limit):
                        days[(k, c, shift)] += 1
            if all(limit is not None for limit in limits):
                self.staff_rows[c] = lp.row([], ub=float(sum(limits)))
        self.day_rows = {key: lp.row([], ub=float(v)) for key, v in days.items()}
        budget = inst.scenario.staff.overtime_unit_days
        self.overtime_row = None if budget is None else lp.row([], ub=float(budget))
        self.columns = 0
        self.repeating = []  # the columns that visit a village twice (q-routes may)
        self.elementary = elementary  # keep only a route's first visit to each village

    def add(self, key: tuple, route: list[tuple[int, float]]) -> None:
        """One column: a day route of unit k in class c, shift `shift` (key), as (j, people)."""
        k, c, _ = key
        # visits the LP leaves out (recordings that cannot count) are worth nothing: dropped
        route = [(j, p) for j, p in route if (k, c, j) in self.r_link]
        if key not in self.day_rows or not route:
            return
        column = self.lp.var(0, None)
        self.day_rows[key].SetCoefficient(column, 1.0)
        if c in self.staff_rows:
            self.staff_rows[c].SetCoefficient(column, float(self.inst.units[k].unit.crew))
        if self.overtime_row is not None and c[0]:
            self.overtime_row.SetCoefficient(column, 1.0)
        if self.elementary:  # dropping a visit never lengthens a route (closure, setup)
            first = {}
            for j, p in reversed(route):  # routes run from the last visit back
                first.setdefault(j, p)
            route = list(first.items())
        people, visits = defaultdict(float), defaultdict(int)
        for j, p in route:
            people[j] += p
            visits[j] += 1
        for j in people:
            self.r_link[(k, c, j)].SetCoefficient(column, -people[j])
            self.n_link[(k, c, j)].SetCoefficient(column, -float(visits[j]))
        self.columns += 1
        if max(visits.values()) > 1:
            self.repeating.append(column)

    def add_plan(self, plan, classes: dict) -> None:
        """The plan's days as columns."""
        inst = self.inst
        j_of = {v.id: j for j, v in enumerate(inst.scenario.villages)}
        k_of = {ud.unit.id: k for k, ud in enumerate(inst.units)}
        class_of = {inst.days[d].date: (c, inst.days[d].end - inst.days[d].start)
                    for c, ds in classes.items() for d in ds}
        for r in plan.routes:
            c, shift = class_of[r.date]
            self.add((k_of[r.unit], c, shift),
                     [(j_of[s.village_id], float(s.recorded)) for s in r.stops])

    def repeating_days(self) -> float:
        """Days of the last solution whose route visits a village twice (no real route)."""
        return sum(column.solution_value() for column in self.repeating)

    def solve(self) -> tuple[float, dict, dict]:
        """(optimum, prices per person, prices per visit) of the links."""
        assert self.lp.solver.Solve() == self.lp.pywraplp.Solver.OPTIMAL
        rho = {key: max(0.0, row.dual_value()) for key, row in self.r_link.items()}
        nu = {key: row.dual_value() for key, row in self.n_link.items()}
        return self.lp.solver.Objective().Value(), rho, nu


def column_generation(lag: QRouteLagrangian, master: RouteMaster, seconds: float,
                      smoothing: float = 0.85, log=None) -> tuple[float, float]:
    """(master optimum, least Lagrangian) after rounds of pricing within `seconds`: each
    round prices at `smoothing` x the best prices so far + the rest x the master's
    (Wentges), adds every day problem's best routes, and re-solves the master."""
    t0 = time.perf_counter()
    center = lag.sub.lp_prices()
    prices, best, master_value, rounds = center, np.inf, master.solve()[0], 0
    while time.perf_counter() - t0 < seconds:
        rounds += 1
        columns: dict = {}
        value = lag.value(*prices, columns=columns)
        if value < best:
            best, center = value, prices
        for key, routes in columns.items():
            for route in routes:
                master.add(key, route)
        master_value, rho, nu = master.solve()
        prices = ({key: smoothing * center[0][key] + (1 - smoothing) * rho[key] for key in rho},
                  {key: smoothing * center[1][key] + (1 - smoothing) * nu[key] for key in nu})
        if log:
            log(f"round {rounds}: Lagrangian {value:.1f} (least {best:.1f}), master "
                f"{master_value:.1f} over {master.columns} columns "
                f"({master.repeating_days():.1f} days on routes that visit a village twice), "
                f"{time.perf_counter() - t0:.0f} s")
    return master_value, best


def lagrangian_at_lp_prices(inst) -> tuple[float, float]:
    """(LP bound, Lagrangian at the LP's prices with q-route day problems)."""
    from planner.solve.bound import upper_bound

    meta: dict = {}
    lp = upper_bound(inst, meta=meta)
    lag = QRouteLagrangian(inst, meta)
    return lp, lag.value(*lag.sub.lp_prices())


def main(argv=None) -> None:
    from bench.district import CASES, scenario_of
    from planner.instance import Instance
    from planner.solve import solve
    from planner.solve.bound import upper_bound

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", nargs="+", default=["kapuas-hulu"], choices=sorted(CASES))
    ap.add_argument("--steps", type=float, default=0,
                    help="seconds of subgradient steps from the LP's prices")
    ap.add_argument("--master", type=float, default=0,
                    help="seconds of column generation from a 60 s plan's days")
    ap.add_argument("--elementary", action="store_true",
                    help="master columns visit a village at most once (later visits "
                         "dropped): the master's optimum is then a lower limit for bounds "
                         "whose day routes never visit a village twice")
    ap.add_argument("--elementary-steps", action="store_true",
                    help="--steps with each day problem also solved over elementary routes")
    ap.add_argument("--elementary-pricing", type=float, default=0,
                    help="seconds of column generation after --master's with the day "
                         "problems also solved over elementary routes (DSSR)")
    ap.add_argument("--day-trips", action="store_true",
                    help="every unit comes home each night (max_nights 0)")
    ap.add_argument("--verbose", action="store_true", help="print every step")
    args = ap.parse_args(argv)
    log = print if args.verbose else None
    print(f"{'case':<22} {'LP':>9} {'q-route L':>10} {'L / LP':>7} {'stepped':>9} "
          f"{'plan':>8} {'master':>9} {'least L':>9} {'sec':>6}")
    for name in args.only:
        t = time.perf_counter()
        scenario = scenario_of(name)
        if args.day_trips:
            from bench.peer_model import day_trips_only

            scenario = day_trips_only(scenario)
        inst = Instance(scenario)
        meta: dict = {}
        lp = upper_bound(inst, meta=meta)
        lag = QRouteLagrangian(inst, meta)
        at_lp = lag.value(*lag.sub.lp_prices())
        if args.elementary_steps:
            lag.most_critical = MOST_CRITICAL
        stepped = lag.refine(args.steps, log) if args.steps else np.nan
        lag.most_critical = 0
        plan_value = master_value = least = np.nan
        if args.master:
            plan = solve(scenario, time_limit=60, seed=0)
            plan_value = float(plan.objective)
            master = RouteMaster(lag, args.elementary)
            master.add_plan(plan, lag.sub.classes)
            master_value, least = column_generation(lag, master, args.master, log=log)
            if args.elementary_pricing:
                lag.most_critical = MOST_CRITICAL
                master_value, more = column_generation(lag, master, args.elementary_pricing,
                                                       log=log)
                least = min(least, more)
        print(f"{name:<22} {lp:>9.1f} {at_lp:>10.1f} {at_lp / lp:>7.4f} {stepped:>9.1f} "
              f"{plan_value:>8.0f} {master_value:>9.1f} {least:>9.1f} "
              f"{time.perf_counter() - t:>6.0f}", flush=True)


if __name__ == "__main__":
    main()
