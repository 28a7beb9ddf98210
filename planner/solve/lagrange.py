"""A tighter upper bound: Lagrangian relaxation with every unit-day's route solved exactly.

The LP of `bound.py` relaxes a day route: visits may be fractional and a day's time is
pooled with other days of its class. Here the rows linking a (unit, day class, village)'s
people and visits to the day routes are priced instead (rho >= 0 per person, nu per visit).
For any prices the relaxation splits into

- the village rows alone (turnout envelope, one visit per village and day, counting days):
  an LP without routes (`_village_part`);
- per unit and day, its best real route at these prices: an orienteering problem with a time
  budget and people recorded at a linear rate, solved by branch and bound (`best_day`) on the
  metric closure of the unit's matrix; per day, the units the staff limit lets out, and the
  overtime budget over days by a knapsack (`days_value`);

and the sum is an upper bound on the plan's objective (weak duality). The LP's own prices
give about the LP's value (Pesawaran: 31,420 against 31,425, so the LP's day routes are
nearly real ones at its prices); subgradient steps from there lower it (31,420 -> 31,360 in
55 s with `NODE_LIMIT` 500; with 3,000 nodes a step took 1.3 s: 31,384 in 60 s, 31,353-31,357
in 200 s, and by 450 s the step was below 1e-4, stalled near 31,355).
`refine_bound` runs in the bound's background process while the search runs.

Tried and dropped (Pesawaran, 2026-11-23):
- other step rules (with 3,000 nodes): halving after 10 steps without a better bound
  instead of 3 (31,404 at 55 s), deflected directions g + 0.5 g_prev (31,388), against
  31,384;
- box-step stabilised column generation (the Dantzig-Wolfe master of this relaxation: the
  village rows, unit-day route columns, staff and overtime over day types), seeded with the
  search's own 249 day routes, one greedy route per village and unit-day class, and each
  Lagrangian's routes: the master rises only to 31,142 in 90 s (30,645 from the plan's
  routes alone) and its box duals give Lagrangian values of 32,862 and more. A village is
  visited on many days in many different routes, so the master needs far more columns than
  a minute gives; without the box its duals give 245,000-345,000;
- with 500 nodes the subgradient stalls at 31,353.5 (824 steps, 546 s), and restarting the
  step at 0.05 once it falls below 0.002 stalls likewise (31,356.7 at 178 s). So faster
  steps buy nothing at 60 s: a `best_day` with bulk knapsack bounds and a village LP built
  once (1.5-2.2x the steps) gave 31,361; exact route counts under the overtime budget in the
  subgradient (`days_value` counts ignore it) gave the same path (31,361 at step 100);
- cuts Σ rho r + nu n <= best route x days out, from every step's prices, added to the LP
  and solved every 5 s: 31,370 at 57 s (the LP solves take the steps' time).
"""
from __future__ import annotations

import itertools
import time
from collections import defaultdict

import numpy as np

from .bound import insertion_costs
from .instance import Instance

# Branch-and-bound nodes per day problem (then: the bound of what is open). Fewer nodes buy
# more subgradient steps: Pesawaran at 55 s (two runs side by side) gives 31,391 / 31,358 /
# 31,360 / 31,362 / 31,385 with 200 / 300 / 500 / 600 / 3,000 nodes (38 steps at 3,000,
# 125 at 300); with 100 the open bounds are too loose (31,451).
NODE_LIMIT = 500
EXACT_TSP_UP_TO = 6  # larger village sets are charged the radial travel bound instead
TARGET = 0.97  # Polyak step target, as a share of the LP bound
FIRST_STEP = 0.2  # step scale; halved after three steps without a better bound


def closure(m: np.ndarray) -> np.ndarray:
    """Shortest-path closure (Floyd-Warshall): never above the matrix, obeys the triangle
    inequality, so dropping a village from a route never lengthens it."""
    d = m.astype(float).copy()
    for k in range(len(d)):
        d = np.minimum(d, d[:, k:k + 1] + d[k:k + 1, :])
    return d


def _tsp(d: np.ndarray, stops: list[int]) -> float:
    """Least travel 0 -> stops (any order) -> 1 on matrix d (Held-Karp)."""
    s = len(stops)
    if s == 0:
        return 0.0
    full = 1 << s
    INF = float("inf")
    dp = [[INF] * s for _ in range(full)]
    for i, v in enumerate(stops):
        dp[1 << i][i] = d[0, v]
    for mask in range(1, full):
        row = dp[mask]
        for i in range(s):
            cur = row[i]
            if cur == INF or not (mask >> i) & 1:
                continue
            vi = stops[i]
            for j in range(s):
                if (mask >> j) & 1:
                    continue
                nm = mask | (1 << j)
                val = cur + d[vi, stops[j]]
                if val < dp[nm][j]:
                    dp[nm][j] = val
    last = dp[full - 1]
    return min(last[i] + d[stops[i], 1] for i in range(s))


def best_day(d: np.ndarray, ins: np.ndarray, shift: float, setup: float, person: float,
             price_r: np.ndarray, price_n: np.ndarray, cap: np.ndarray,
             node_limit: int | None = NODE_LIMIT):
    """(bound, route) for the most Σ (price_r x people + price_n) one day route can collect:
    d is a closure matrix with 0 = start, 1 = end, 2.. = candidate villages (the price arrays'
    rows shifted by 2); time = travel + Σ (setup + person x people) <= shift, people <= cap.
    `route` is the best found, {village row: people}; `bound` is its value when the search
    finished, else the most any unexplored branch could still be worth (still an upper
    bound)."""
    nc = len(cap)
    rt = np.array([d[0, 2 + i] + d[2 + i, 1] for i in range(nc)])
    full_t = setup + person * cap
    full_v = price_n + np.maximum(price_r, 0) * cap
    ok = (full_v > 0) & (rt + setup <= shift)
    cand = [i for i in range(nc) if ok[i]]
    if not cand:
        return 0.0, {}
    dens = {i: max(full_v[i] / full_t[i], price_n[i] / setup if setup > 0 else np.inf)
            for i in cand}
    cand.sort(key=lambda i: -dens[i])
    rate_of = {i: (price_r[i] / person if person > 0 else np.inf) for i in cand}

    def fill(chosen, room):
        """Σ price_n + people bought by the room, richest price first."""
        v = sum(price_n[i] for i in chosen)
        people = {i: 0.0 for i in chosen}  # a visit counts in the subgradient, people or not
        for i in sorted(chosen, key=lambda i: -price_r[i]):
            if room <= 0 or price_r[i] <= 0:
                break
            take = min(float(cap[i]), room / person) if person > 0 else float(cap[i])
            v += price_r[i] * take
            people[i] = take
            room -= take * person
        return v, people

    def optimistic(chosen, room, pos):
        """Fractional knapsack: the chosen villages' people, then the villages after `pos`
        at their best value per second (already in that order)."""
        mine = sorted(((rate_of[i], person * cap[i]) for i in chosen if price_r[i] > 0),
                      key=lambda t: -t[0])
        v = sum(price_n[i] for i in chosen)
        a, b = 0, pos
        while room > 0:
            ra = mine[a][0] if a < len(mine) else -1.0
            rb = dens[cand[b]] if b < len(cand) else -1.0
            if ra <= 0 and rb <= 0:
                break
            if ra >= rb:
                take = min(mine[a][1], room)
                v += ra * take
                a += 1
            else:
                take = min(full_t[cand[b]], room)
                v += rb * take
                b += 1
            room -= take
        return v

    def travel_lb(chosen):
        far = max(chosen, key=lambda i: rt[i])
        return rt[far] + sum(ins[i] for i in chosen if i != far)

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
        children = []
        room_here = shift - trav - setup * len(chosen)
        for pos in range(start, len(cand)):
            # every later child adds a village no denser than this one: one bound for all
            if optimistic(chosen, room_here, pos) <= best + 1e-9:
                break
            i = cand[pos]
            trial = chosen + (i,)
            lb = max(trav, travel_lb(trial))
            room = shift - lb - setup * len(trial)
            if room < 0:
                continue
            o = optimistic(trial, room, pos + 1)
            if o <= best + 1e-9:
                continue
            if fill(trial, room)[0] > best:
                if len(trial) == 1:
                    exact = rt[i]
                elif len(trial) <= EXACT_TSP_UP_TO:
                    exact = _tsp(d, [2 + x for x in trial])
                else:
                    exact = lb  # a lower bound keeps the bound valid, only looser
                lb = max(lb, exact)
                room = shift - lb - setup * len(trial)
                if room < 0:
                    continue
                v, people = fill(trial, room)
                if v > best:
                    best, best_route = v, people
                o = optimistic(trial, room, pos + 1)
            if o > best + 1e-9 and pos + 1 < len(cand):
                children.append((trial, lb, pos + 1, o))
        stack.extend(reversed(children))
    return best, best_route


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


def _village_part(inst: Instance, keys: dict, rho: dict, nu: dict, small: bool,
                  solution: dict | None = None) -> float:
    """max Σ p_j R_j - Σ rho r - Σ nu n over the village rows alone (turnout envelope, one
    visit per village and day per class, visit counts <= counting days): an LP, solved
    exactly enough (its tolerance is added)."""
    from .bound import _Lp, _envelope_rows, LARGE_LEVELS

    lp = _Lp()
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
        R = _envelope_rows(lp, inst, j, group, None if small else LARGE_LEVELS)
        objective.SetCoefficient(R, float(inst.priority[j]))
    objective.SetMaximization()
    if lp.solver.Solve() != lp.pywraplp.Solver.OPTIMAL:
        return np.inf
    v = objective.Value()
    if solution is not None:
        for key, (r, n) in made.items():
            solution[key] = (r.solution_value(), n.solution_value())
    return v + 1e-6 * max(1.0, abs(v))


def refine_bound(inst: Instance, meta: dict, time_limit: float, rounds: int = 10_000,
                 node_limit: int | None = NODE_LIMIT, log=None) -> float:
    """The least Lagrangian bound found from the LP's prices (`meta` from
    `bound.upper_bound(..., meta=...)`) by subgradient steps within `time_limit` seconds or
    `rounds` steps; never above what the LP's prices give."""
    from .bound import SPLIT_UP_TO, day_classes

    t0 = time.perf_counter()
    classes = day_classes(inst)
    setup = float(inst.setup_s)
    small = inst.n * len(inst.units) <= SPLIT_UP_TO
    keys = {}  # (k, c, j) -> (per_visit, counting days)
    for k, c, j, pv, _, _, _, cd in meta["visits"]:
        keys[(k, c, j)] = (pv, cd)
    by_kc = defaultdict(list)
    for (k, c, j), (pv, cd) in keys.items():
        by_kc[(k, c)].append((j, pv))
    closures = {}
    for (k, c), rows in by_kc.items():
        ud = inst.units[k]
        idx = [ud.base, ud.end] + [int(inst.nodes[j]) for j, _ in rows]
        sub = closure(ud.matrix[np.ix_(idx, idx)])
        if ud.unit.max_nights > 0:  # a day may start or end at a lodging
            sub[0, :] = 0.0
            sub[:, 1] = 0.0
        closures[(k, c)] = (sub, insertion_costs(sub, 0, 1, np.arange(2, len(idx))))
    # the LP's own prices: per person its envelope level's, per visit the level's less the
    # one-visit-per-day row's
    level_price = {}
    for j, levels in meta["levels"].items():
        for a, b, r_ids in levels:
            for r in r_ids:
                level_price[r] = (a, b)
    rho_c, nu_c = {}, {}
    for k, c, j, pv, r, n, gamma, cd in meta["visits"]:
        a, b = level_price[r]
        rho_c[(k, c, j)] = max(0.0, a)
        nu_c[(k, c, j)] = b - max(0.0, gamma)

    def lagrangian(rho, nu, grad=None):
        """The bound at these prices; with `grad`, also its subgradient per link row."""
        values, routes = {}, {}
        for (k, c), rows in by_kc.items():
            ud = inst.units[k]
            sub, ins = closures[(k, c)]
            pr = np.array([rho[(k, c, j)] for j, _ in rows])
            pn = np.array([nu[(k, c, j)] for j, _ in rows])
            cap = np.array([float(pv) for _, pv in rows])
            for shift in {inst.days[d].end - inst.days[d].start for d in classes[c]}:
                v, route = best_day(sub, ins, float(shift), setup, float(ud.person_s), pr, pn,
                                    cap, node_limit)
                values[(k, c, shift)] = v
                routes[(k, c, shift)] = {rows[i][0]: p for i, p in route.items()}
        sol = {} if grad is not None else None
        counts: dict = {}
        total = _village_part(inst, keys, rho, nu, small, sol) + days_value(
            inst, classes, values, counts)
        if grad is not None and sol:  # (no subgradient when the village LP failed)
            for key, (r, n) in sol.items():
                grad[key] = [-r, -n]
            for (k, c, shift), times in counts.items():
                for j, p in routes[(k, c, shift)].items():
                    grad[(k, c, j)][0] += times * p
                    grad[(k, c, j)][1] += times
        return total

    target = TARGET * float(meta["lp"])
    rho, nu = dict(rho_c), dict(nu_c)
    grad: dict = {}
    best = lagrangian(rho, nu, grad)
    best_at = (dict(rho), dict(nu), grad)
    theta, stall = FIRST_STEP, 0
    last = time.perf_counter() - t0  # the slowest step so far: none may end past the limit
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
        value = lagrangian(rho, nu, grad)
        last = max(last, time.perf_counter() - started)
        if value < best - 1e-6:
            best, stall = value, 0
            best_at = (dict(rho), dict(nu), grad)
        else:
            stall += 1
            if stall >= 3:  # back to the best prices, shorter steps
                theta, stall = theta / 2, 0
                rho, nu, grad = dict(best_at[0]), dict(best_at[1]), best_at[2]
        if log:
            log(f"round {rnd}: {value:.1f} best {best:.1f} theta {theta:.3g} "
                f"{time.perf_counter() - t0:.1f}s")
    if all(float(v.priority).is_integer() for v in inst.scenario.villages):
        best = float(np.floor(best + 1e-6 * max(1.0, abs(best))))  # integer objective
    return best
