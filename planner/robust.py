"""Plans for the Q-quantile of weighted counted recordings (`--robust Q`, DESIGN §3).

A plan made for the expected figures is fragile in one direction: a visit keeps its planned
times, so when fewer people come than expected it records fewer, but when more come it
cannot record more than its planned duration allows. The robust planner hedges against that
in two ways and lets the simulation judge:

- **hedged turnouts**: the optimiser plans against turnouts lowered by a factor that grows
  with the spread of turnout and the quantile asked for (`hedge_factors`: 1, 0.85, 0.7 and
  0.55 for Q = 0.1 and turnout_cv 0.35), so it sizes every visit for a disappointing turnout and
  fills the days with more, shorter visits; each such plan is then *realised* on the scenario's own figures
  (`realise`: every visit records min(ceil(turnout x remaining), what its duration allows),
  in date order, exact, and a visit left with nobody to record is dropped);
- **longer visits**: the time left at the end of each day (before the shift ends) is spread
  over the day's visits whose turnout, not their time, limits them (`pad`), so that a visit
  where more people come than expected can record them. Planned recordings do not change.

Every candidate (the plain plan and each hedged one, padded) is replayed by
`planner.simulate` on a planning seed, and the one with the best Q-quantile of weighted
counted recordings is kept. `planner.solve` is used as a black box; the simulation only
judges. The report gives, for each candidate, the Q-quantile, the simulated mean and the
value at the expected figures (the plan's own objective).
"""
from __future__ import annotations

import dataclasses
from decimal import Decimal
from statistics import NormalDist
from typing import Any, Optional

import numpy as np

from .calendar import field_days
from .check import check
from .instance import Instance
from .interrupts import interrupted_before_a_plan, was_interrupted
from .plan import Plan
from .reasons import left_out_causes
from .rules import max_recordable, village_cap
from .scenario.model import Scenario
from .simulate import Uncertainty, simulate

# The optimiser plans against turnouts lowered by these shares of the quantile's distance
# from the mean (z standard deviations of turnout, z from the normal distribution).
HEDGE_SHARES = (0.0, 1 / 3, 2 / 3, 1.0)
LOWEST_FACTOR = 0.3
PLANNING_RUNS = 300
# The candidates are judged on `seed + PLANNING_SEED_OFFSET`, so that `--simulate N --seed S`
# afterwards replays the chosen plan on runs its choice never saw.
PLANNING_SEED_OFFSET = 1_000_003


def hedge_factors(quantile: float, turnout_cv: float) -> tuple[float, ...]:
    """Turnout multipliers to plan against: 1 - share x z x turnout_cv for each share of
    `HEDGE_SHARES`, z = the standard normal's (1 - quantile)-quantile (1.28 for Q = 0.1). A
    quantile of one half or more gives the expected turnout only (longer visits still help)."""
    # a quantile within 1e-9 of 0 or 1 (1 - 1e-300 is 1.0 in floating point) as that bound:
    # every factor is at its floor or at 1 by then
    z = NormalDist().inv_cdf(min(1 - 1e-9, max(1e-9, 1 - quantile)))
    factors = [round(min(1.0, max(LOWEST_FACTOR, 1 - share * z * turnout_cv)), 3)
               for share in HEDGE_SHARES]
    return tuple(sorted(set(factors), reverse=True))


def hedged(scenario: Scenario, factor: float) -> Scenario:
    """The scenario with every turnout (default and per village) multiplied by `factor`."""
    if factor == 1.0:
        return scenario
    f = Decimal(str(factor))

    def lower(t: Decimal) -> Decimal:
        return max(Decimal("0.001"), (t * f).quantize(Decimal("0.0001")))

    villages = [v.replace(turnout=lower(v.turnout)) if v.turnout is not None else v
                for v in scenario.villages]
    return scenario.replace(recording=scenario.recording.replace(
        turnout=lower(scenario.recording.turnout)), villages=villages)


def realise(scenario: Scenario, plan: Plan, network) -> Plan:
    """The plan's routes and times with recordings re-derived on `scenario`'s figures, in date
    order: each visit records min(ceil(turnout x remaining), what its duration allows); a visit
    with nobody left to record is dropped (the next leg is then travelled directly)."""
    remaining = {v.id: v.unrecorded for v in scenario.villages}
    routes = []
    for route in sorted(plan.routes, key=lambda r: (r.date, r.unit)):
        unit = scenario.unit(route.unit)
        start, end = plan.places[(route.unit, route.date)]
        home = plan.home(route.unit)
        stops = []
        for stop in route.stops:
            village = scenario.village(stop.village_id)
            r = min(village_cap(scenario.village_turnout(village), remaining[village.id]),
                    max_recordable(scenario, unit.kits, stop.end - stop.start))
            if r > 0:
                remaining[village.id] -= r
                stops.append(dataclasses.replace(stop, recorded=r))
        if len(stops) < len(route.stops):
            route = _rejoined(scenario, route, stops, network, start, end)
        else:
            route = dataclasses.replace(route, stops=tuple(stops))
        # a day of a trip (or the first day, from a base that is not home) moves the team
        # even with no visit left: dropping it would strand the rest of the trip
        if route.stops or start != home or end != home:
            routes.append(route)
    return dataclasses.replace(plan, scenario=scenario, routes=tuple(routes))


def _rejoined(scenario: Scenario, route, stops: list, network, start: str, end: str):
    """The route from `start` over the kept stops to `end`: each leg's travel from the
    previous kept stop (times stay: a direct leg is never longer than going through the
    dropped village)."""
    unit = scenario.unit(route.unit)
    prev = start
    kept = []
    for stop in stops:
        kept.append(dataclasses.replace(stop, travel_s=network.travel(unit, prev, stop.village_id)))
        prev = stop.village_id
    back = network.travel(unit, prev, end) if prev != end else 0
    return dataclasses.replace(route, stops=tuple(kept),
                               travel_s=sum(s.travel_s for s in kept) + back)


def pad(scenario: Scenario, plan: Plan) -> Plan:
    """Spread each day's time between coming back and the shift end over its visits that
    their turnout (not their time) limits, in proportion to what they record; later visits and
    the return move later by what came before them. Recordings stay as planned."""
    shift_end = {d.date: d.end for d in field_days(scenario)}
    limited = _turnout_limited(scenario, plan)
    routes = []
    for route in plan.routes:
        slack = shift_end.get(route.date, route.return_) - route.return_
        weights = np.array([s.recorded if limited[(route.unit, route.date, s.village_id)] else 0
                            for s in route.stops], float)
        if slack <= 0 or weights.sum() == 0:
            routes.append(route)
            continue
        extra = np.floor(slack * weights / weights.sum()).astype(int)
        shift, stops = 0, []
        for stop, more in zip(route.stops, extra):
            stops.append(dataclasses.replace(stop, arrive=stop.arrive + shift,
                                             start=stop.start + shift,
                                             end=stop.end + shift + int(more)))
            shift += int(more)
        routes.append(dataclasses.replace(route, stops=tuple(stops),
                                          return_=route.return_ + shift))
    return dataclasses.replace(plan, routes=tuple(routes))


def _turnout_limited(scenario: Scenario, plan: Plan) -> dict[tuple, bool]:
    """(unit, date, village) -> whether the visit records all the turnout expected."""
    remaining = {v.id: v.unrecorded for v in scenario.villages}
    out = {}
    for route in sorted(plan.routes, key=lambda r: (r.date, r.unit)):
        for stop in route.stops:
            village = scenario.village(stop.village_id)
            cap = village_cap(scenario.village_turnout(village), remaining[village.id])
            out[(route.unit, route.date, stop.village_id)] = stop.recorded >= cap
            remaining[village.id] -= stop.recorded
    return out


def plan_robust(scenario: Scenario, quantile: float, time_limit: float = 60.0, seed: int = 0,
                deterministic: bool = False, network=None, runs: int = PLANNING_RUNS,
                factors: Optional[tuple[float, ...]] = None,
                uncertainty: Optional[Uncertainty] = None) -> tuple[Plan, dict[str, Any]]:
    """The candidate plan with the best `quantile` of weighted counted recordings over `runs`
    simulated runs, and the report for summary.json `robust`. `seed` is the optimiser's; the
    runs judging the candidates use a seed derived from it (`PLANNING_SEED_OFFSET`). Ctrl-C
    in a candidate's search ends the run with the best candidate so far (status
    INTERRUPTED), or, before any had a plan, goes on as a KeyboardInterrupt."""
    if not 0 < quantile < 1:
        raise ValueError("the quantile must lie strictly between 0 and 1")
    from .network import TravelNetwork
    from .solve import solve

    network = network if network is not None else TravelNetwork(scenario)
    unc = uncertainty if uncertainty is not None else Uncertainty.of(scenario)
    factors = factors or hedge_factors(quantile, unc.turnout_cv)
    share = time_limit / len(factors)
    judging_seed = seed + PLANNING_SEED_OFFSET
    best, report, interrupted = None, [], False
    for factor in factors:
        planned = solve(hedged(scenario, factor), time_limit=share, seed=seed,
                        deterministic=deterministic, network=network)
        # Ctrl-C ends the whole run: the candidates so far (and this one's plan) decide
        interrupted = was_interrupted(planned)
        if interrupted_before_a_plan(planned):
            break
        if factor != 1.0:  # its bound and reasons were for the hedged figures
            planned = dataclasses.replace(planned, solver={**planned.solver, "upper_bound": None,
                                                           "left_out_causes": {}})
        candidate = pad(scenario, realise(scenario, planned, network))
        if check(scenario, candidate, network=network):
            continue  # never a wrong plan: a candidate that fails the check is not kept
        sim = simulate(scenario, candidate, runs=runs, seed=judging_seed, uncertainty=unc,
                       network=network)
        value = float(np.quantile(sim.runs["objective"], quantile))
        report.append({"turnout_factor": factor, "quantile_value": round(value, 3),
                       "mean": sim.figures["objective"]["mean"],
                       "expected": float(candidate.objective)})
        if best is None or value > best[0]:
            best = (value, candidate, factor)
        if interrupted:
            break
    if best is None:
        if interrupted:  # before any candidate had a plan: nothing to hand out
            raise KeyboardInterrupt
        raise RuntimeError("no robust candidate passed the check")
    value, plan, factor = best
    if interrupted:
        plan.solver["status"] = "INTERRUPTED"
    plan.solver["left_out_causes"] = left_out_causes(Instance(scenario, network), plan)
    chosen = next(r for r in report if r["turnout_factor"] == factor)
    return plan, {"quantile": quantile, "runs": runs, "seed": judging_seed,
                  "turnout_factor": factor, "quantile_value": chosen["quantile_value"],
                  "expected": chosen["expected"], "candidates": report}
