"""The optimiser: `solve(scenario, time_limit, seed) -> Plan`, with a proven upper bound.

1. Starts: day-by-day constructions (`multiday`: each unit-day drives the day route worth
   most now, by value or by rate, with overtime given to the fastest units or not used),
   the greedy baseline's plan, and for horizons of up to three days the prize-collecting
   day-route engine (`routes`, PyVRP). People are re-allocated exactly (`allocate`).
2. Large-neighbourhood search: a stretch of days is torn out and rebuilt with perturbed
   village weights (some guided by the LP's solution), kept when the plan is no worse
   (objective, then fewer overtime unit-days, then less travel). Every route built goes to
   a pool.
3. Polish: unit-days whose recordings the rest makes up for are dropped; then a CP-SAT
   set-partitioning master (`master.choose_routes`) picks one pool route per unit-day and
   the exact people per visit under every cross-day rule. On tiny instances the pool holds
   every possible day route, so the master's optimum is the optimum.
4. Bound: the LP relaxation of `bound.py` (travel, setups, turnout over repeat visits,
   staff, overtime, offline cut-offs), solved in a forked process meanwhile; on multi-day
   districts that process then refines it (`lagrange`: every unit-day a real route).

On Pesawaran the first construction already scores 30,331 (0.9 s) and nothing below moves it
more than a few recordings. Tried and dropped (2026-11-23; 60-300 s each):
- in the LNS, simulated-annealing acceptance (T = 5 recordings, cooling): 30,332; 300 s of
  the LNS as it is: 30,337;
- a visit-level local search over the whole horizon (replace a village by a neighbour,
  insert, remove, swap villages between days, swap two days' routes), each move
  re-allocated exactly: 30,335 after 14,000 moves;
- LNS windows of 6 unit-days re-chosen by the CP-SAT master from the Lagrangian's day routes
  (`lagrange`) and the incumbent's routes of the same unit and day class: no gain in 20
  windows; the whole horizon with those routes in SCIP (continuous people): no better plan
  in 300 s; an integer Dantzig-Wolfe master over day classes (route multiplicities, the
  1,934 distinct routes of 27 s of column generation, the plan's among them) in SCIP:
  30,153 after 120 s, before any realisation day by day;
- keeping near villages for weekends (weekday bans under 45-75 minutes, two-kit units on
  the first visits and the one-kit unit on later ones): at most 30,237.
The bound's solution sends two-kit units to near villages on weekends (132 people a day at
0.72 h of travel, against the plan's 118 at 1.3 h) and farther ones on weekdays; moving a
full day's route between a weekday and a weekend changes nothing when both days are full,
so what the plans lack is the bound's lower total travel, not that order.

Pure: no files, no prints; progress goes through the `progress` callback; Ctrl-C returns the
best plan so far (status INTERRUPTED). `deterministic=True` replaces the clock by iteration
and CP-SAT deterministic-time limits, so the same seed gives the same plan.
"""
from __future__ import annotations

import time

import numpy as np

from ..plan import Plan
from ..scenario.model import Scenario
from .bound import SPLIT_UP_TO, lp_guide, upper_bound
from .master import choose_routes
from .instance import Instance
from .multiday import Draft, allocate, construct, overtime_pairs, score
from .realize import to_plan

PROGRESS_EVERY = 3.0  # seconds between progress reports
POOL_PER_UNIT_DAY = 10  # candidate routes kept per unit-day for the set-partitioning master
EXHAUSTIVE_ROUTES = 4000  # below this many possible day routes the master sees them all


def _all_routes(inst: Instance):
    """Every possible day route (village set in its least-travel order) of every unit-day,
    or None when there are too many: then the pool comes from the search."""
    import itertools

    from .multiday import best_order, route_travel

    pool = {}
    total = 0
    for d, day in enumerate(inst.days):
        for k, ud in enumerate(inst.units):
            if not inst.available(k, d):
                continue
            ok = [int(j) for j in np.flatnonzero(ud.allowed & inst.counts_mask[d] & (inst.backlog > 0))]
            if len(ok) > 10:
                return None
            total += 2 ** len(ok)
            if total > EXHAUSTIVE_ROUTES:
                return None
            seqs = set()
            for size in range(1, len(ok) + 1):
                for subset in itertools.combinations(ok, size):
                    seq = tuple(best_order(inst, k, list(subset)))
                    if route_travel(inst, k, seq) <= day.end - day.start:
                        seqs.add(seq)
            if seqs:
                pool[(k, d)] = seqs
    return pool


METHOD = ("day-by-day value insertion + LNS + CP-SAT route-pool master; "
          "LP bound with travel (GLOP), Lagrangian refinement with exact day routes")
ENGINE_MAX_DAYS = 3  # horizons this short go (also) to the day-route engine


def _engine_plan(inst: Instance, time_limit: float, seed: int, deterministic: bool):
    """Short horizons: each day's routes from the prize-collecting day-route engine
    (`routes.solve_routes`, PyVRP inside), days in order, backlogs carried over. Only where
    a day is the engine's problem exactly: all units record at the same rate (the engine's
    service time is per village) and no staff limit or overtime budget picks units.
    None when it does not apply."""
    from ..plan import service_seconds
    from .master import _scale
    from .multiday import fill_exact
    from .routes import Client, Vehicle, solve_routes

    n_days = len(inst.days)
    if not 0 < n_days <= ENGINE_MAX_DAYS:
        return None
    if len({u.person_s for u in inst.units}) != 1 or len({id(u.matrix) for u in inst.units}) != 1:
        return None
    budget = inst.scenario.staff.overtime_unit_days
    weights, _ = _scale([v.priority for v in inst.scenario.villages])
    kits = inst.units[0].unit.kits
    matrix = inst.units[0].matrix
    node_to_village = {int(node): j for j, node in enumerate(inst.nodes)}
    remaining = inst.backlog.copy()
    drafts = []
    for d, day in enumerate(inst.days):
        ks = [k for k in range(len(inst.units)) if inst.available(k, d)]
        limit = inst.staff(d)
        if limit is not None and sum(inst.units[k].unit.crew for k in ks) > limit:
            return None
        if day.overtime and budget is not None and len(ks) > budget:
            return None
        caps = inst.caps(remaining)
        shift = day.end - day.start
        clients = []
        for j in np.flatnonzero(inst.counts_mask[d] & (caps > 0)):
            j = int(j)
            r = min(int(caps[j]), max(1, inst.max_people(0, shift)))
            if weights[j] <= 0:
                continue
            clients.append(Client(int(inst.nodes[j]), int(weights[j]) * r,
                                  service_seconds(inst.scenario, kits, r)))
        vehicles = []
        for k in ks:
            ud = inst.units[k]
            allowed = None if ud.allowed.all() else frozenset(int(x) for x in inst.nodes[ud.allowed])
            vehicles.append(Vehicle(ud.base, ud.end, day.start, day.end, allowed))
        if not clients or not vehicles:
            continue
        share = time_limit / n_days
        routes = solve_routes(matrix, vehicles, clients, time_limit=max(0.5, share), seed=seed,
                              max_iterations=2000 if deterministic else None)
        for k, route in zip(ks, routes):
            seq = [node_to_village[int(c)] for c in route]
            if not seq:
                continue
            capd = {j: int(caps[j]) for j in seq}
            rec = fill_exact(inst, k, d, seq, capd, inst.priority)
            keep = [(j, r) for j, r in zip(seq, rec) if r > 0]
            if keep:
                for j, r in keep:
                    remaining[j] -= r
                drafts.append(Draft(k, d, tuple(j for j, _ in keep), tuple(r for _, r in keep)))
    return drafts


def _greedy_drafts(inst: Instance, network) -> list[Draft]:
    """The greedy baseline's plan as drafts: a start the search can only improve on."""
    from ..baseline import plan_greedy

    plan = plan_greedy(inst.scenario, inst.network)
    k_of = {u.unit.id: k for k, u in enumerate(inst.units)}
    d_of = {day.date: d for d, day in enumerate(inst.days)}
    j_of = {v.id: j for j, v in enumerate(inst.scenario.villages)}
    return [Draft(k_of[r.unit], d_of[r.date], tuple(j_of[s.village_id] for s in r.stops),
                  tuple(s.recorded for s in r.stops)) for r in plan.routes if r.stops]


def _add_to_pool(pool, drafts):
    for dr in drafts:
        seqs = pool.setdefault((dr.k, dr.d), set())
        if len(seqs) < POOL_PER_UNIT_DAY:
            seqs.add(tuple(dr.seq))


def _remaining_before(inst: Instance, drafts: list[Draft], first_day: int) -> np.ndarray:
    rem = inst.backlog.copy()
    for dr in drafts:
        if dr.d < first_day:
            for j, r in zip(dr.seq, dr.rec):
                rem[j] -= r
    return rem


def _drop_useless(inst: Instance, drafts: list[Draft]) -> list[Draft]:
    """Lexicographic polish: drop overtime unit-days (then any unit-day, then single visits)
    whose recordings the rest of the plan makes up for, so no overtime or travel is spent
    that buys nothing."""
    best = allocate(inst, drafts)
    key = score(inst, best)
    # overtime routes first, fewest recordings first
    order = sorted(range(len(best)), key=lambda i: (not inst.days[best[i].d].overtime, sum(best[i].rec)))
    removed: set[tuple[int, int]] = set()
    for i in order:
        dr = best[i]
        trial = [x for x in best if (x.k, x.d) != (dr.k, dr.d) and (x.k, x.d) not in removed]
        alloc = allocate(inst, trial)
        s = score(inst, alloc)
        if s >= key:
            removed.add((dr.k, dr.d))
            key = s
    current = allocate(inst, [x for x in best if (x.k, x.d) not in removed])
    return current


def _left_out_reasons(inst: Instance, drafts: list[Draft]) -> dict[str, str]:
    from ..baseline import (REASON_CAPACITY, REASON_GENERATOR, REASON_GENERATOR_FAR,
                            REASON_OFFLINE, REASON_PRIORITY, REASON_TOO_FAR)

    rem = _remaining_before(inst, drafts, len(inst.days) + 1)
    has_gen = any(u.unit.generator for u in inst.units)
    reachable = np.zeros(inst.n, bool)
    for u in inst.units:
        reachable |= u.allowed
    counts_any = inst.counts_mask.any(axis=0) if len(inst.days) else np.zeros(inst.n, bool)
    out = {}
    for j, v in enumerate(inst.scenario.villages):
        if rem[j] <= 0:
            continue
        if v.priority == 0:
            out[v.id] = REASON_PRIORITY
        elif not v.power and not has_gen:
            out[v.id] = REASON_GENERATOR
        elif not reachable[j]:
            out[v.id] = REASON_GENERATOR_FAR if not v.power else REASON_TOO_FAR
        elif not counts_any[j]:
            out[v.id] = REASON_OFFLINE
        else:
            out[v.id] = REASON_CAPACITY
    return out


def solve(scenario: Scenario, time_limit: float = 60.0, seed: int = 0, deterministic: bool = False,
          progress=None, network=None, iterations: int | None = None) -> Plan:
    """The best plan found within `time_limit` seconds (or `iterations` LNS steps when
    `deterministic`: then the same seed gives the same plan)."""
    t0 = time.monotonic()
    inst = Instance(scenario, network)
    rng = np.random.default_rng(seed)
    budget = scenario.staff.overtime_unit_days
    n_days = len(inst.days)
    if iterations is None:
        iterations = 40 if deterministic else 10**9
    status = "FEASIBLE"
    proven_optimal = False
    bound = None
    best: list[Draft] = []
    best_key = (0.0, 0, 0)
    last_report = t0
    done_iters = 0

    def report(force=False):
        nonlocal last_report
        now = time.monotonic()
        if progress is None or (not force and now - last_report < PROGRESS_EVERY):
            return
        last_report = now
        obj = best_key[0]
        gap = None if bound is None else (0.0 if bound <= 0 else max(0.0, (bound - obj) / bound))
        progress({"counted": int(sum(sum(dr.rec) for dr in best
                                     if all(inst.counts_mask[dr.d, j] for j in dr.seq))),
                  "objective": obj, "bound": bound, "gap": gap,
                  "elapsed": round(now - t0, 1), "iterations": done_iters})

    # the bound's process refines the LP's bound until shortly before the search ends
    pending = _bound_in_background(inst, 0.0 if deterministic else 0.9 * time_limit)
    ot_allowed = None
    exhaustive = _all_routes(inst)
    pool = {} if exhaustive is None else exhaustive
    lp = None  # (bound, guide) once the LP is solved
    method = METHOD
    guided_done = False

    def guided(beta):
        guide = lp[1]

        def weight(k, d):
            g = guide.get((k, inst.days[d].overtime))
            return inst.priority if g is None else inst.priority * (1 + beta * (g > 0.05))
        return weight

    def consider(drafts):
        nonlocal best, best_key
        key = score(inst, drafts)
        _add_to_pool(pool, drafts)
        if key >= best_key or not best:
            best, best_key = drafts, key
            return True
        return False

    try:
        if pending is None:
            details: dict = {}
            lp = (upper_bound(inst, details), lp_guide(inst, details))
        elif deterministic:
            lp = _collect(pending, None, wait=True)
        bound = None if lp is None else lp[0]
        pairs = overtime_pairs(inst, budget)
        variants = [(budget, pairs), (budget, None), (0, None)] if budget != 0 else [(0, None)]
        if pairs is None and budget != 0:
            variants = [(budget, None), (0, None)]
        for ot, allowed in variants:
            for rate in (False, True):
                if consider(allocate(inst, construct(inst, inst.priority, None, ot,
                                                     ot_allowed=allowed, rate=rate))):
                    ot_allowed = allowed
        try:
            greedy = _greedy_drafts(inst, network)
            consider(greedy)
            consider(allocate(inst, greedy))
        except Exception:  # noqa: BLE001 - the baseline is a start, not a requirement
            pass
        # the engine's share shrinks by what the starts above took (the exhaustive route
        # pool can take seconds), so the limit holds
        engine_s = min(0.8 * time_limit, 0.9 * time_limit - (time.monotonic() - t0))
        engine = _engine_plan(inst, engine_s, seed, deterministic)
        if engine is not None:
            method = METHOD + " + day-route engine (PyVRP)"
            consider(allocate(inst, engine))
        report(force=True)
        # Large-neighbourhood search over stretches of days.
        while done_iters < iterations and n_days > 0:
            if not deterministic and time.monotonic() - t0 > time_limit * 0.6:
                break
            lp = _collect(pending, lp, wait=False)
            bound = None if lp is None else lp[0]
            if _meets(best_key[0], bound):
                status = "OPTIMAL"
                break
            if lp is not None and not guided_done:
                guided_done = True
                ot = budget if ot_allowed is not None or budget is None else budget
                for beta in (0.5, 2.0):
                    consider(allocate(inst, construct(inst, guided(beta), None, ot,
                                                      ot_allowed=ot_allowed)))
            done_iters += 1
            length = int(rng.integers(1, max(2, min(n_days, 15)) + 1))
            a = int(rng.integers(0, max(1, n_days - length + 1)))
            window = range(a, min(n_days, a + length))
            kept = [dr for dr in best if dr.d not in window]
            noise = 1 + 0.3 * rng.random(inst.n) * (rng.random() < 0.7)
            if lp is not None and rng.random() < 0.5:
                base = guided(float(rng.choice([0.5, 2.0])))
                weight = (lambda base, noise: lambda k, d: base(k, d) * noise)(base, noise)
            else:
                weight = inst.priority * noise
            rate = bool(rng.random() < 0.5)
            if rng.random() < 0.5:
                rebuilt = construct(inst, weight, rng, budget, day_range=window, fixed=kept,
                                    remaining_start=_remaining_before(inst, best, a),
                                    ot_allowed=ot_allowed, rate=rate)
            else:  # scattered days: each rebuilt on the backlog the rest leaves it
                days = sorted(int(x) for x in rng.choice(n_days, size=min(n_days, len(window)),
                                                         replace=False))
                kept = [dr for dr in best if dr.d not in set(days)]
                rebuilt = []
                for d in days:
                    rebuilt += construct(inst, weight, rng, budget, day_range=[d],
                                         fixed=kept + rebuilt,
                                         remaining_start=_remaining_before(inst, kept + rebuilt, d),
                                         ot_allowed=ot_allowed, rate=rate)
            _add_to_pool(pool, rebuilt)
            consider(allocate(inst, kept + rebuilt))
            report()
        if deterministic or time.monotonic() - t0 < time_limit * 0.95:
            best = _drop_useless(inst, best)
            best_key = score(inst, best)
        left = time_limit - (time.monotonic() - t0)
        if best and (deterministic or left > 0.5):
            _add_to_pool(pool, best)
            for dr in best:  # the incumbent's routes are always candidates
                pool.setdefault((dr.k, dr.d), set()).add(tuple(dr.seq))
            chosen = choose_routes(inst, pool, best, time_limit=max(0.5, 0.8 * left),
                                   deterministic_time=3.0 if deterministic else None, seed=seed)
            if chosen is not None:
                drafts, proven = chosen
                if score(inst, drafts) >= best_key:
                    best, best_key = drafts, score(inst, drafts)
                if proven and exhaustive is not None and all(
                        u.unit.max_nights == 0 for u in inst.units):
                    proven_optimal = True
    except KeyboardInterrupt:
        status = "INTERRUPTED"
    try:
        # the bound may finish a little after the search (a tenth of the limit), not more:
        # the time limit is the planner's, and a plan without a proven gap is still a plan
        grace = max(1.0, time_limit - (time.monotonic() - t0) + 0.1 * time_limit)
        lp = _collect(pending, lp, wait=status != "INTERRUPTED", timeout=grace)
        if status != "INTERRUPTED" and lp is not None and not _meets(best_key[0], lp[0]):
            # a gap is left: wait for the refinement, but not a second past the limit
            lp = _refined(pending, lp, time_limit - (time.monotonic() - t0))
    except KeyboardInterrupt:
        status = "INTERRUPTED"
    bound = None if lp is None else lp[0]
    _stop(pending)
    if proven_optimal and status != "INTERRUPTED":
        # every possible day route was in the master and CP-SAT proved its optimum
        bound = best_key[0] if bound is None else min(bound, best_key[0])
    if _meets(best_key[0], bound) and status != "INTERRUPTED":
        status = "OPTIMAL"
    solver = {
        "status": status, "seconds": round(time.monotonic() - t0, 3), "seed": seed,
        "method": method,
        "upper_bound": bound, "iterations": done_iters,
        "left_out_reasons": _left_out_reasons(inst, best),
    }
    plan = to_plan(inst, best, solver)
    try:
        report(force=True)
    except KeyboardInterrupt:
        plan.solver["status"] = "INTERRUPTED"
    return _safety_net(scenario, plan, inst.network)


def _meets(objective: float, bound: float | None) -> bool:
    """Whether the plan's objective reaches the bound (within the LP solver's tolerance)."""
    return bound is not None and objective >= bound - 1e-6 * max(1.0, bound)


def _refinable(inst: Instance) -> bool:
    """Whether `lagrange.refine_bound` applies: multi-day horizons (one to three days go to
    the day-route engine, and the TOP bench runs two solves per two cores), districts small
    enough for the LP's fine day classes, and visits that take time."""
    return (len(inst.days) > ENGINE_MAX_DAYS and inst.n * len(inst.units) <= SPLIT_UP_TO
            and inst.setup_s > 0 and all(u.person_s > 0 for u in inst.units))


def _bound_child(inst: Instance, conn, refine_seconds: float = 0.0) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    try:
        details: dict = {}
        meta: dict = {}
        t0 = time.monotonic()
        value = upper_bound(inst, details, meta)
        conn.send((value, lp_guide(inst, details)))
        left = refine_seconds - (time.monotonic() - t0)
        if left > 1.0 and "levels" in meta and _refinable(inst):
            from .lagrange import refine_bound

            conn.send(("refined", refine_bound(inst, meta, time_limit=left)))  # `_refined` mins
    except BaseException:  # noqa: BLE001 - any failure means "no bound from here"
        conn.send(None)
    finally:
        conn.close()


def _bound_in_background(inst: Instance, refine_seconds: float = 0.0):
    """Solve the bound's LP in a forked process, so the search keeps the other core (the
    LP solver holds the GIL), then refine it there for up to `refine_seconds` in all
    (`lagrange`). None when forking is not possible (then the LP is solved inline)."""
    import multiprocessing as mp

    try:
        ctx = mp.get_context("fork")
        inst.units, inst.counts_mask  # computed once, shared by the fork
        receiver, sender = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_bound_child, args=(inst, sender, refine_seconds),
                           daemon=True)
        proc.start()
        sender.close()
        return proc, receiver, inst
    except Exception:  # noqa: BLE001 - e.g. inside a daemonic worker
        return None


def _collect(pending, got, wait: bool, timeout: float | None = None):
    """(bound, guide) once the LP is solved, else None (`wait`: up to `timeout` seconds)."""
    if pending is None or got is not None:
        return got
    proc, receiver, inst = pending
    if not receiver.poll(timeout if wait else 0):
        return None
    try:
        value = receiver.recv()
    except EOFError:
        value = None
    if value is None:  # the child failed: solve inline
        details: dict = {}
        value = (upper_bound(inst, details), lp_guide(inst, details))
    return value


def _refined(pending, lp, timeout: float):
    """The background process's refined bound (at most the LP's), waiting up to `timeout`
    seconds; `lp` unchanged when none comes."""
    if pending is None or lp is None:
        return lp
    _, receiver, _ = pending
    try:
        if not receiver.poll(max(0.0, timeout)):
            return lp
        msg = receiver.recv()
    except (EOFError, OSError):
        return lp
    if isinstance(msg, tuple) and len(msg) == 2 and msg[0] == "refined":
        return (min(lp[0], float(msg[1])), lp[1])
    return lp


def _stop(pending) -> None:
    if pending is None:
        return
    proc, receiver, _ = pending
    receiver.close()
    proc.join(timeout=1)
    if proc.is_alive():
        proc.terminate()
        proc.join(timeout=1)


def _safety_net(scenario: Scenario, plan: Plan, network) -> Plan:
    """A plan that fails the checker is a bug; never hand it out: use the greedy plan."""
    from ..check import check

    problems = check(scenario, plan, network)
    if not problems:
        return plan
    from ..baseline import plan_greedy

    greedy = plan_greedy(scenario, network)
    solver = dict(greedy.solver)
    solver.update(status="FEASIBLE", method="greedy fallback (optimiser plan failed the check: "
                  + str(problems[0])[:200] + ")", upper_bound=plan.solver.get("upper_bound"),
                  seconds=plan.solver.get("seconds"), seed=plan.solver.get("seed"))
    return Plan(scenario, greedy.routes, solver)


__all__ = ["solve"]
