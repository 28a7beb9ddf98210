"""A tighter upper bound: Lagrangian relaxation with every unit-day's route solved exactly.

The LP of `bound.py` relaxes a day route: visits may be fractional and a day's time is
pooled with other days of its class. Here the rows linking a (unit, day class, village)'s
people and visits to the day routes are priced instead (rho >= 0 per person, nu per visit).
For any prices the relaxation splits into

- the village rows alone (turnout envelope, one visit per village and day, counting days):
  an LP without routes (`village_part`);
- per unit and day, its best real route at these prices: an orienteering problem with a time
  budget and people recorded at a linear rate, solved by branch and bound (`best_day`) on the
  metric closure of the unit's matrix; per day, the units the staff limit lets out, and the
  overtime budget over days by a knapsack (`days_value`);

and the sum is an upper bound on the plan's objective (weak duality). Subgradient steps from
the LP's own prices lower it (`Subgradient.refine`). `refine_bound` runs in the bound's
background process while the search runs.

Measurements and dead ends: bench/results/NOTES.md, section "lagrange".
"""
from __future__ import annotations

import itertools
import time
from collections import defaultdict

import numpy as np

from ..instance import Instance
from .bound import (LARGE_LEVELS, SPLIT_UP_TO, day_classes, day_starts, insertion_costs,
                    overnight_ends)
from .held_karp import closure, shortest_tour
from .lp import LinearProgram, envelope_rows

# Branch-and-bound nodes per day problem (then: the bound of what is open). Fewer nodes buy
# more subgradient steps, too few loosen the open bounds (NOTES.md, lagrange).
NODE_LIMIT = 500
EXACT_TSP_UP_TO = 6  # larger village sets are charged the radial travel bound instead
TARGET = 0.97  # Polyak step target, as a share of the LP bound
FIRST_STEP = 0.2  # step scale; halved after three steps without a better bound


class DayRouteBound:
    """The best real route of one unit-day at given prices, by branch and bound (see
    `best_day`): candidates in order of value per second, a fractional-knapsack bound on
    each branch, the exact travel (Held-Karp) of small village sets."""

    def __init__(self, d, ins, shift, setup, person, price_r, price_n, cap):
        self.d, self.ins, self.shift = d, ins, shift
        self.setup, self.person = setup, person
        self.price_r, self.price_n, self.cap = price_r, price_n, cap
        nc = len(cap)
        self.rt = np.array([d[0, 2 + i] + d[2 + i, 1] for i in range(nc)])
        self.full_t = setup + person * cap
        full_v = price_n + np.maximum(price_r, 0) * cap
        ok = (full_v > 0) & (self.rt + setup <= shift)
        cand = [i for i in range(nc) if ok[i]]
        self.dens = {i: max(full_v[i] / self.full_t[i],
                            price_n[i] / setup if setup > 0 else np.inf) for i in cand}
        cand.sort(key=lambda i: -self.dens[i])
        self.cand = cand
        self.rate_of = {i: (price_r[i] / person if person > 0 else np.inf) for i in cand}

    def fill(self, chosen, room):
        """Σ price_n + people bought by the room, richest price first."""
        price_r, person = self.price_r, self.person
        v = sum(self.price_n[i] for i in chosen)
        people = {i: 0.0 for i in chosen}  # a visit counts in the subgradient, people or not
        for i in sorted(chosen, key=lambda i: -price_r[i]):
            if room <= 0 or price_r[i] <= 0:
                break
            take = min(float(self.cap[i]), room / person) if person > 0 else float(self.cap[i])
            v += price_r[i] * take
            people[i] = take
            room -= take * person
        return v, people

    def optimistic(self, chosen, room, pos):
        """Fractional knapsack: the chosen villages' people, then the villages after `pos`
        at their best value per second (already in that order)."""
        cand = self.cand
        mine = sorted(((self.rate_of[i], self.person * self.cap[i]) for i in chosen
                       if self.price_r[i] > 0), key=lambda t: -t[0])
        v = sum(self.price_n[i] for i in chosen)
        a, b = 0, pos
        while room > 0:
            ra = mine[a][0] if a < len(mine) else -1.0
            rb = self.dens[cand[b]] if b < len(cand) else -1.0
            if ra <= 0 and rb <= 0:
                break
            if ra >= rb:
                take = min(mine[a][1], room)
                v += ra * take
                a += 1
            else:
                take = min(self.full_t[cand[b]], room)
                v += rb * take
                b += 1
            room -= take
        return v

    def travel_lb(self, chosen):
        far = max(chosen, key=lambda i: self.rt[i])
        return self.rt[far] + sum(self.ins[i] for i in chosen if i != far)

    def exact_travel(self, trial, lb):
        """The route's travel: exact for small sets, else the lower bound (still valid)."""
        if len(trial) == 1:
            return self.rt[trial[0]]
        if len(trial) <= EXACT_TSP_UP_TO:
            return shortest_tour(self.d, [2 + x for x in trial])
        return lb

    def search(self, node_limit: int | None):
        """(bound, route): see `best_day`."""
        if not self.cand:
            return 0.0, {}
        best, best_route = 0.0, {}
        stack = [((), 0.0, 0, np.inf)]  # (villages, travel lower bound, next position, optimistic)
        nodes = 0
        while stack:
            chosen, trav, start, opt = stack.pop()
            if opt <= best + 1e-9:
                continue
            nodes += 1
            if node_limit is not None and nodes > node_limit:
                return max([best, opt] + [e[3] for e in stack]), best_route
            children, best, best_route = self._branch(chosen, trav, start, best, best_route)
            stack.extend(reversed(children))
        return best, best_route

    def _branch(self, chosen, trav, start, best, best_route):
        """The children of a node worth exploring, and the best route found on the way."""
        setup, cand = self.setup, self.cand
        children = []
        room_here = self.shift - trav - setup * len(chosen)
        for pos in range(start, len(cand)):
            # every later child adds a village no denser than this one: one bound for all
            if self.optimistic(chosen, room_here, pos) <= best + 1e-9:
                break
            trial = chosen + (cand[pos],)
            lb = max(trav, self.travel_lb(trial))
            room = self.shift - lb - setup * len(trial)
            if room < 0:
                continue
            o = self.optimistic(trial, room, pos + 1)
            if o <= best + 1e-9:
                continue
            if self.fill(trial, room)[0] > best:
                lb = max(lb, self.exact_travel(trial, lb))
                room = self.shift - lb - setup * len(trial)
                if room < 0:
                    continue
                v, people = self.fill(trial, room)
                if v > best:
                    best, best_route = v, people
                o = self.optimistic(trial, room, pos + 1)
            if o > best + 1e-9 and pos + 1 < len(cand):
                children.append((trial, lb, pos + 1, o))
        return children, best, best_route


def best_day(d: np.ndarray, ins: np.ndarray, shift: float, setup: float, person: float,
             price_r: np.ndarray, price_n: np.ndarray, cap: np.ndarray,
             node_limit: int | None = NODE_LIMIT):
    """(bound, route) for the most Σ (price_r x people + price_n) one day route can collect:
    d is a closure matrix with 0 = start, 1 = end, 2.. = candidate villages (the price arrays'
    rows shifted by 2); time = travel + Σ (setup + person x people) <= shift, people <= cap.
    `route` is the best found, {village row: people}; `bound` is its value when the search
    finished, else the most any unexplored branch could still be worth (still an upper
    bound)."""
    return DayRouteBound(d, ins, shift, setup, person, price_r, price_n, cap).search(node_limit)


def days_value(inst: Instance, classes: dict, values: dict, counts: dict | None = None) -> float:
    """Σ over days of the best set of units the staff limit lets out, each worth its best
    route `values[(k, class, shift)]` (at least 0: it may stay home); the overtime budget
    over days by a knapsack."""
    budget = inst.scenario.staff.overtime_unit_days
    day_best = 0.0
    ot_options = []
    for c, days in classes.items():
        for d in days:
            shift = inst.days[d].end - inst.days[d].start
            ks = [k for k in range(len(inst.units)) if inst.available(k, d)]
            limit = inst.staff(d)
            opts = defaultdict(lambda: -np.inf)  # units out -> best value
            pick = ()
            for size in range(len(ks) + 1):
                for sub_ks in itertools.combinations(ks, size):
                    if limit is not None and sum(inst.units[k].unit.crew for k in sub_ks) > limit:
                        continue
                    v = sum(max(0.0, values.get((k, c, shift), 0.0)) for k in sub_ks)
                    if v > max(opts.values(), default=-np.inf):
                        pick = sub_ks
                    opts[size] = max(opts[size], v)
            if counts is not None:  # which units go out (the subgradient's; budget ignored)
                for k in pick:
                    if values.get((k, c, shift), 0.0) > 0:
                        counts[(k, c, shift)] = counts.get((k, c, shift), 0) + 1
            if inst.days[d].overtime and budget is not None:
                ot_options.append(dict(opts))
            else:
                day_best += max(opts.values())
    if ot_options:
        cap_b = int(budget)
        dp = np.full(cap_b + 1, -np.inf)
        dp[0] = 0.0
        for opts in ot_options:
            new = np.full(cap_b + 1, -np.inf)
            for used in range(cap_b + 1):
                if dp[used] == -np.inf:
                    continue
                for size, v in opts.items():
                    if used + size <= cap_b:
                        new[used + size] = max(new[used + size], dp[used] + v)
            dp = new
        day_best += float(dp.max())
    return day_best


def village_part(inst: Instance, keys: dict, rho: dict, nu: dict, small: bool,
                 solution: dict | None = None) -> float:
    """max Σ p_j R_j - Σ rho r - Σ nu n over the village rows alone (turnout envelope, one
    visit per village and day per class, visit counts <= counting days): an LP, solved
    exactly enough (its tolerance is added)."""
    lp = LinearProgram()
    objective = lp.solver.Objective()
    groups = defaultdict(list)
    class_rows: dict = {}
    made = {}
    for key, (pv, cd) in keys.items():
        k, c, j = key
        r, n = lp.var(0, None), lp.var(0, float(cd))
        made[key] = (r, n)
        objective.SetCoefficient(r, -float(rho[key]))
        objective.SetCoefficient(n, -float(nu[key]))
        groups[j].append((pv, r, n))
        class_rows.setdefault((c, j), ([], cd))[0].append(n)
    for (c, j), (ns, cd) in class_rows.items():
        lp.row([(1, n) for n in ns], ub=float(cd))
    for j, group in groups.items():
        R = envelope_rows(lp, inst, j, group, None if small else LARGE_LEVELS)
        objective.SetCoefficient(R, float(inst.priority[j]))
    objective.SetMaximization()
    if lp.solver.Solve() != lp.pywraplp.Solver.OPTIMAL:
        return np.inf
    v = objective.Value()
    if solution is not None:
        for key, (r, n) in made.items():
            solution[key] = (r.solution_value(), n.solution_value())
    return v + 1e-6 * max(1.0, abs(v))


class Subgradient:
    """The Lagrangian of the module docstring and its prices: `value` evaluates it,
    `refine` walks the prices down from the LP's own (`meta` of `bound.upper_bound`)."""

    def __init__(self, inst: Instance, meta: dict, node_limit: int | None = NODE_LIMIT):
        self.inst, self.meta, self.node_limit = inst, meta, node_limit
        self.classes = day_classes(inst)
        self.setup = float(inst.setup_s)
        self.small = inst.n * len(inst.units) <= SPLIT_UP_TO
        self.keys = {}  # (k, c, j) -> (per_visit, counting days)
        for k, c, j, pv, _, _, _, cd in meta["visits"]:
            self.keys[(k, c, j)] = (pv, cd)
        self.by_kc = defaultdict(list)
        for (k, c, j), (pv, cd) in self.keys.items():
            self.by_kc[(k, c)].append((j, pv))
        self.closures = {}
        full: dict[int, np.ndarray] = {}  # closure of the whole matrix, for units that stay away
        for (k, c), rows in self.by_kc.items():
            ud = inst.units[k]
            villages = [int(inst.nodes[j]) for j, _ in rows]
            sub = closure(ud.matrix[np.ix_([ud.base, ud.end] + villages,
                                           [ud.base, ud.end] + villages)])
            if ud.unit.max_nights > 0:  # a day starts at base, home or a lodging, ends at one
                starts, ends = overnight_ends(inst, k)
                if k not in full:
                    full[k] = closure(ud.matrix)
                sub[0, 2:] = full[k][np.ix_(starts, villages)].min(axis=0)
                sub[2:, 1] = full[k][np.ix_(villages, ends)].min(axis=1)
                sub[0, 1] = 0.0
            elif len(day_starts(inst, k)) > 1:  # the first field day leaves the base, others home
                sub[0, 2:] = np.minimum(sub[0, 2:], sub[1, 2:])
            self.closures[(k, c)] = (sub, insertion_costs(sub, 0, 1, np.arange(2, len(villages) + 2)))

    def lp_prices(self) -> tuple[dict, dict]:
        """The LP's own prices: per person its envelope level's, per visit the level's less
        the one-visit-per-day row's."""
        level_price = {}
        for j, levels in self.meta["levels"].items():
            for a, b, r_ids in levels:
                for r in r_ids:
                    level_price[r] = (a, b)
        rho, nu = {}, {}
        for k, c, j, pv, r, n, gamma, cd in self.meta["visits"]:
            a, b = level_price[r]
            rho[(k, c, j)] = max(0.0, a)
            nu[(k, c, j)] = b - max(0.0, gamma)
        return rho, nu

    def value(self, rho: dict, nu: dict, grad: dict | None = None) -> float:
        """The bound at these prices; with `grad`, also its subgradient per link row."""
        inst = self.inst
        values, routes = {}, {}
        for (k, c), rows in self.by_kc.items():
            sub, ins = self.closures[(k, c)]
            pr = np.array([rho[(k, c, j)] for j, _ in rows])
            pn = np.array([nu[(k, c, j)] for j, _ in rows])
            cap = np.array([float(pv) for _, pv in rows])
            for shift in {inst.days[d].end - inst.days[d].start for d in self.classes[c]}:
                v, route = best_day(sub, ins, float(shift), self.setup,
                                    float(inst.units[k].person_s), pr, pn, cap, self.node_limit)
                values[(k, c, shift)] = v
                routes[(k, c, shift)] = {rows[i][0]: p for i, p in route.items()}
        sol = {} if grad is not None else None
        counts: dict = {}
        total = village_part(inst, self.keys, rho, nu, self.small, sol) + days_value(
            inst, self.classes, values, counts)
        if grad is not None and sol:  # (no subgradient when the village LP failed)
            for key, (r, n) in sol.items():
                grad[key] = [-r, -n]
            for (k, c, shift), times in counts.items():
                for j, p in routes[(k, c, shift)].items():
                    grad[(k, c, j)][0] += times * p
                    grad[(k, c, j)][1] += times
        return total

    def refine(self, time_limit: float, rounds: int, log=None, t0: float | None = None) -> float:
        """Polyak steps toward `TARGET` x the best bound; after three steps without a
        better bound, back to the best prices with half the step. No step may end past the
        time limit counted from `t0` (default: now; the slowest step so far is the
        estimate)."""
        t0 = time.perf_counter() if t0 is None else t0
        target = TARGET * float(self.meta["lp"])
        rho, nu = self.lp_prices()
        grad: dict = {}
        best = self.value(rho, nu, grad)
        best_at = (dict(rho), dict(nu), grad)
        theta, stall = FIRST_STEP, 0
        last = time.perf_counter() - t0
        for rnd in range(1, rounds + 1):
            norm = sum(g[0] ** 2 + g[1] ** 2 for g in grad.values())
            started = time.perf_counter()
            if norm <= 1e-12 or started - t0 + last > time_limit:
                break
            target = min(target, TARGET * best)  # below the best bound, always
            step = theta * (best - target) / norm
            for key, g in grad.items():
                rho[key] = max(0.0, rho[key] - step * g[0])
                nu[key] = nu[key] - step * g[1]
            grad = {}
            value = self.value(rho, nu, grad)
            last = max(last, time.perf_counter() - started)
            if value < best - 1e-6:
                best, stall = value, 0
                best_at = (dict(rho), dict(nu), grad)
            else:
                stall += 1
                if stall >= 3:
                    theta, stall = theta / 2, 0
                    rho, nu, grad = dict(best_at[0]), dict(best_at[1]), best_at[2]
            if log:
                log(f"round {rnd}: {value:.1f} best {best:.1f} theta {theta:.3g} "
                    f"{time.perf_counter() - t0:.1f}s")
        return best


def refine_bound(inst: Instance, meta: dict, time_limit: float, rounds: int = 10_000,
                 node_limit: int | None = NODE_LIMIT, log=None) -> float:
    """The least Lagrangian bound found from the LP's prices (`meta` from
    `bound.upper_bound(..., meta=...)`) by subgradient steps within `time_limit` seconds or
    `rounds` steps; never above what the LP's prices give."""
    t0 = time.perf_counter()
    best = Subgradient(inst, meta, node_limit).refine(time_limit, rounds, log, t0)
    if all(float(v.priority).is_integer() for v in inst.scenario.villages):
        best = float(np.floor(best + 1e-6 * max(1.0, abs(best))))  # integer objective
    return best
