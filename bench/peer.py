"""A whole-horizon PyVRP peer for the district bench: the model of issue 18, the yardstick
that an OR engineer builds in a day with PyVRP 0.14 (`plan_peer(scenario, time_limit, seed)`).

Method, in four steps, all within `time_limit` seconds:

1. The pooled model (`peer_model.PeerModel`). The unit-days that may work are fixed first:
   on each field day the free units join in a fixed order (generator first, then most kits
   per crew member) while their crews fit the day's staff. They are pooled into PyVRP
   vehicle types, one per (speed, kits, generator, home, shift window, overtime class), with
   `num_available` = the type's unit-days; the overtime budget goes to the overtime types in
   the same order (a generator unit can drive any route of a unit without one). Each village
   is offered as optional clients, one per possible visit k = 1, 2, ... (up to MAX_COPIES,
   fewer when the model would exceed MAX_LOCATIONS or MAX_CLIENTS): copy k records the k-th turnout
   increment of the backlog (exact, `planner.rules`), where each visit before it took its
   turnout cap or, if less, the most one day trip can record there; its prize is priority x
   people, its service time their recording time. Every copy is also offered in parts (what
   fits in each shift window, one part per VERSION_STEP_S of service, and the sizes the warm
   start records), all versions of one copy in one mutually exclusive `ClientGroup`. PyVRP's
   service time belongs to the client, so each kits class has its own clients, kept from the
   other classes' vehicles (and villages without power from vehicles without a generator) by
   unusable legs in the vehicle's routing profile. A recording's prize outweighs a whole
   day's travel; an overtime vehicle costs one shift of travel. PyVRP 0.14 cannot keep two
   clients off one route (its groups are mutually exclusive only), so the legs between
   copies of one village are unusable; a route that still visits two (not one after the
   other) keeps the first (`same_route_copies` counts the others).
2. Warm start: the better of two day-by-day plans, the optimiser's first construction
   (`planner.solve.construct`, read only) and the greedy baseline's plan (whichever scores
   more: the peer's result follows its start), each unit-day on a vehicle type of its shift,
   home, speed and kits, the n-th visit of a village as copy n at the size it records.
   PyVRP then searches from it with its default parameters.
3. Dating (`peer_repair.date_routes`, the simple one): the routes in the order their copies
   ask for, each on the free unit-day of its type that loses least: no village twice on one
   day and offline villages before their counting cut-off first, then after the days of
   the copies before it, then the earliest; a visit to a village that an earlier-dated route
   visits that day is left out. Staff, unit availability and the overtime budget hold by
   construction of the unit-days.
4. Repair (`peer_repair`): people per visit re-derived exactly in date order
   (`planner.solve.allocate.allocate`), each day's spare time filled by inserting the village
   that records most, re-derived again (kept only if better), and read out as a `Plan`
   (`planner.solve.to_plan`). Day trips only (the issue's peer plans no overnight trips).

`plan.solver` records `model_value` (Σ priority x people of the PyVRP solution's routes,
before dating), `dated_value` (after dating and the first exact re-allocation),
`warm_start_value` (the warm start alone) and `check_problems` (what `planner.check` finds
in the returned plan); the plan's objective against `model_value` is what dating and repair
lose.
"""
from __future__ import annotations

import time
import warnings
from collections import defaultdict

import pyvrp
from pyvrp.exceptions import PenaltyBoundWarning
from pyvrp.stop import MaxRuntime

from bench.peer_model import PeerModel, PeerRoute, day_trips_only
from bench.peer_repair import date_routes, fill_slack, reallocate
from planner.check import check
from planner.instance import Instance
from planner.plan import Plan
from planner.scenario.model import Scenario
from planner.solve.allocate import score
from planner.solve.construct import construct
from planner.solve.drafts import Draft
from planner.solve.search import greedy_drafts
from planner.solve.to_plan import to_plan

RESERVE_SHARE, RESERVE_MIN_S = 0.05, 1.0  # time kept for dating and repair


def warm_versions(inst: Instance, drafts: list[Draft]) -> dict[tuple[int, int, int], set[int]]:
    """(village, n, kits) -> people of the n-th visits of the village in `drafts` by units
    of `kits`: offered as versions, so that the warm start is a solution of the model."""
    out, visits = defaultdict(set), defaultdict(int)
    for dr in sorted(drafts, key=lambda x: (x.d, x.k)):
        for j, r in zip(dr.seq, dr.rec):
            visits[j] += 1
            out[j, visits[j], inst.units[dr.k].unit.kits].add(int(r))
    return out


def warm_start(model: PeerModel, data: pyvrp.ProblemData, drafts: list[Draft]) -> pyvrp.Solution:
    """The construction's unit-days as a PyVRP solution (step 2 of the module docstring): each
    on a vehicle type of its shift, home, speed and kits (with a generator if its unit has
    one), the n-th visit of a village as copy n at the largest version it records."""
    inst = model.inst
    options = defaultdict(list)
    for i, o in enumerate(model.offers):
        options[o.j, o.copy, o.kits].append(i)
    used, visits = defaultdict(int), defaultdict(int)
    routes = []
    for dr in sorted(drafts, key=lambda x: (x.d, x.k)):
        p = model.pool_for(dr.k, dr.d, used)
        if p is None:
            continue
        kits = inst.units[dr.k].unit.kits
        route = []
        for j, r in zip(dr.seq, dr.rec):
            visits[j] += 1
            fits = [i for i in options.get((j, visits[j], kits), ())
                    if model.offers[i].people <= r]
            if fits:
                route.append(max(fits, key=lambda i: model.offers[i].people))
        if route:
            used[p] += 1
            routes.append(pyvrp.Route(data, route, p))
    return pyvrp.Solution(data, routes)


def read_routes(model: PeerModel, solution: pyvrp.Solution) -> tuple[list[PeerRoute], int]:
    """The solution's routes as offers in visiting order, and how many later copies of a
    village were dropped from a route that already visits it."""
    out, dropped = [], 0
    for route in solution.routes():
        seen, visits = set(), []
        for a in route:
            if not a.is_client():
                continue
            o = model.offers[a.idx]
            if o.j in seen:
                dropped += 1
                continue
            seen.add(o.j)
            visits.append(o)
        out.append(PeerRoute(route.vehicle_type(), visits))
    return out, dropped


def search(model: PeerModel, drafts: list[Draft], seconds: float,
           seed: int) -> pyvrp.Solution | None:
    """PyVRP's best feasible solution of the model (the warm start if it finds none) within
    `seconds` less the reserve for dating and repair; None when the model is empty."""
    if not model.offers or not model.pools:
        return None
    data = model.data()
    start = warm_start(model, data, drafts)
    budget = max(0.1, seconds - max(RESERVE_MIN_S, RESERVE_SHARE * seconds))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PenaltyBoundWarning)
        result = pyvrp.solve(data, stop=MaxRuntime(budget), seed=seed, collect_stats=False,
                             display=False, initial_solution=start)
    return result.best if result.best.is_feasible() else start


def plan_peer(scenario: Scenario, time_limit: float = 60.0, seed: int = 0) -> Plan:
    """The peer's plan of `scenario` within `time_limit` seconds (see the module docstring);
    `plan.solver` holds its model value, its value after dating and its objective."""
    started = time.perf_counter()
    inst = Instance(day_trips_only(scenario))
    first = max((reallocate(inst, construct(inst, inst.priority, None,
                                            scenario.staff.overtime_unit_days)),
                 greedy_drafts(inst)), key=lambda drafts: score(inst, drafts))
    model = PeerModel(inst, warm_versions(inst, first))
    result = search(model, first, time_limit - (time.perf_counter() - started), seed)
    routes, same_route = read_routes(model, result) if result else ([], 0)
    dated_routes: list[PeerRoute] = []
    dated = reallocate(inst, date_routes(model, routes, dated_routes))
    filled = reallocate(inst, fill_slack(inst, dated))
    final = filled if score(inst, filled) > score(inst, dated) else dated
    solver = {"status": "FEASIBLE", "method": "pyvrp whole-horizon peer", "seed": seed,
              "seconds": round(time.perf_counter() - started, 3), "upper_bound": None,
              "model_value": model.model_value(routes),
              "dated_value": float(score(inst, dated)[0]),
              "warm_start_value": float(score(inst, first)[0]),
              "pyvrp_prize": model.prize_value(result) if result else 0.0,
              "clients": len(model.offers), "vehicle_types": len(model.pools),
              "same_route_copies": same_route, "undated_routes": len(routes) - len(dated_routes)}
    plan = to_plan(inst, final, solver)
    plan = Plan(scenario, plan.routes, solver)
    solver["check_problems"] = len(check(scenario, plan))
    return plan
