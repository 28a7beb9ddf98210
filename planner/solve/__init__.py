"""The optimiser: `solve(scenario, time_limit, seed) -> Plan`, with a proven upper bound.

`solve` builds the parts (the scenario as arrays, the bound's background process, the
search with its parameters), runs the search (`search.Search`), reads the solution out
(`to_plan`) and hands out only a plan that passes `planner.check`. Pure: no files, no
prints; progress goes through the `progress` callback; Ctrl-C returns the best plan so far
(status INTERRUPTED). `deterministic=True` replaces the clock by iteration and CP-SAT
deterministic-time limits, so the same seed gives the same plan.
"""
from __future__ import annotations

from math import inf
from numbers import Real

from ..baseline import plan_greedy
from ..check import check
from ..instance import Instance
from ..network import TravelNetwork
from ..plan import Plan
from ..reasons import left_out_causes
from ..scenario.load import expect_scenario
from ..scenario.model import Scenario
from .allocate import allocate, score
from .bound_process import BoundProcess
from .construct import construct
from .params import SearchParams
from .search import Clock, Search
from .to_plan import to_plan


def solve(scenario: Scenario, time_limit: float = 60.0, seed: int = 0,
          deterministic: bool = False, progress=None, network: TravelNetwork | None = None,
          iterations: int | None = None, params: SearchParams | None = None) -> Plan:
    """The best plan found within `time_limit` seconds (or `iterations` LNS steps when
    `deterministic`: then the same seed gives the same plan).

    `scenario`: a Scenario (`planner.load_scenario`, `scenario.replace`). `time_limit`: the
    seconds of search (the plan comes a little later: its causes and check); not used when
    `deterministic`, which runs `iterations` steps (default `SearchParams().iterations`) with
    deterministic solver limits, however long they take. Without `deterministic` the same
    `seed` may give another plan: the clock decides how far the search gets. `progress`:
    called with a dict (counted, objective, bound, gap, ...) as the search improves.
    `network`: this scenario's `TravelNetwork`, to save building it again; `params`: the
    search's `SearchParams`. The Plan's `solver` holds status, seconds, seed, method and
    upper_bound."""
    expect_scenario(scenario, "planner.solve")
    if not deterministic and not (isinstance(time_limit, Real) and 0 < time_limit < inf):
        raise ValueError(f"planner.solve: time_limit must be a positive number of seconds, "
                         f"not {time_limit!r}")
    params = params or SearchParams()
    clock = Clock(time_limit, deterministic)
    inst = Instance(scenario, network)
    if iterations is None:
        iterations = params.iterations if deterministic else 10**9
    refine = 0.0 if deterministic else params.refine_until * time_limit
    inline = None if deterministic else params.inline_lp_share * time_limit
    bounds = BoundProcess.start(inst, refine, params.engine_max_days, inline)
    search = Search(inst, params, clock, seed, bounds, progress)
    status = search.run(iterations)
    solver = {"status": status, "seconds": round(clock.elapsed(), 3), "seed": seed,
              "method": search.method, "upper_bound": search.bound,
              "iterations": search.iterations}
    try:
        plan = to_plan(inst, search.best, solver)
    except ValueError as err:  # a day the rules reject (to_plan's own check): a bug
        return fallback(scenario, inst.network, solver, str(err))
    plan.solver["left_out_causes"] = left_out_causes(inst, plan)
    try:
        search.report(force=True)
    except KeyboardInterrupt:
        plan.solver["status"] = "INTERRUPTED"
    return safety_net(scenario, plan, inst.network)


def quick_plan(scenario: Scenario, network: TravelNetwork | None = None) -> Plan:
    """One of the optimiser's first constructions alone (each day's route grown by the
    village with the most weighted people per added second, units in both orders; no search,
    no master, no bound): a good plan in a second or two, for comparing variants of a
    scenario with the same method (`planner.limits`)."""
    inst = Instance(scenario, network)
    budget = scenario.staff.overtime_unit_days
    best, best_key = [], None
    for first in (True, False):
        drafts = allocate(inst, construct(inst, inst.priority, None, budget, rate=True,
                                          most_kits_first=first))
        if best_key is None or score(inst, drafts) > best_key:
            best, best_key = drafts, score(inst, drafts)
    return to_plan(inst, best, {"status": "FEASIBLE", "method": "first construction"})


def safety_net(scenario: Scenario, plan: Plan, network: TravelNetwork) -> Plan:
    """A plan that fails the checker is a bug; never hand it out: use the greedy plan."""
    problems = check(scenario, plan, network)
    if not problems:
        return plan
    return fallback(scenario, network, plan.solver, str(problems[0]))


def fallback(scenario: Scenario, network: TravelNetwork, solver: dict, problem: str) -> Plan:
    """The greedy plan, saying why the optimiser's was not handed out."""
    greedy = plan_greedy(scenario, network)
    bound = solver.get("upper_bound")
    if bound is not None and bound < greedy.objective:
        bound = None  # the optimiser's bound was what failed: no bound rather than a wrong one
    out = dict(greedy.solver)
    out.update(status="FEASIBLE", method="greedy fallback (optimiser plan failed the check: "
               + problem[:200] + ")", upper_bound=bound,
               seconds=solver.get("seconds"), seed=solver.get("seed"))
    return Plan(scenario, greedy.routes, out)


__all__ = ["solve", "quick_plan", "SearchParams"]
