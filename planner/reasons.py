"""Why a village keeps backlog after a plan: its binding cause, the same whichever planner
made the plan, as a code and plain numbers (`causes.py` says it in words).

The causes are tested from the most fundamental to the least: no day on which anyone can go
out; no path at all; no unit that may serve the village (power); priority 0; the offline
cut-off; closed (`closures`) on every day a visit could still count; out of reach of a day
trip (and of every lodging, for units that may stay away); only units that the staff limit
keeps in could serve it; the turnout (visited, each visit records at most its share of those
left); other villages give more per hour; and otherwise capacity (every unit-day is in use).
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import numpy as np

from .instance import Instance
from .network import UNREACHABLE

RATE_MARGIN = 0.8  # a village below this share of the plan's rate per hour is "rate"


def anyone_out(inst: Instance, d: int) -> bool:
    """Whether some unit may go out on field day d (availability, staff, overtime budget)."""
    if inst.days[d].overtime and inst.scenario.staff.overtime_unit_days == 0:
        return False
    limit = inst.staff(d)
    return any(inst.available(k, d) and (limit is None or ud.unit.crew <= limit)
               for k, ud in enumerate(inst.units))


class Reach:
    """Per unit and village: the round trip of a day trip, and whether a visit of one person
    fits the longest usable field day (from home, or from a lodging for units that stay away)."""

    def __init__(self, inst: Instance, longest: int):
        n, K = inst.n, len(inst.units)
        self.round_trip = np.full((K, n), float(UNREACHABLE))
        self.fits = np.zeros((K, n), bool)
        for k, ud in enumerate(inst.units):
            rt = (ud.from_start + ud.to_end).astype(float)
            self.round_trip[k] = rt
            one = inst.setup_s + ud.person_s
            fits = (rt < UNREACHABLE) & (rt + one <= longest)
            if ud.unit.max_nights > 0 and inst.lodgings.size:
                m = ud.matrix
                via = (m[np.ix_(inst.lodgings, inst.nodes)] + m[np.ix_(inst.nodes, inst.lodgings)].T)
                # a lodging the unit reaches within a field day, and home from it again
                home_ok = (m[np.ix_(ud.starts, inst.lodgings)].min(axis=0) <= longest) & \
                    (m[inst.lodgings, ud.end] <= longest)
                fits |= ((via + one <= longest) & home_ok[:, None]).any(axis=0)
            self.fits[k] = fits
        self.reach = self.round_trip < UNREACHABLE


def left_out_causes(inst: Instance, plan) -> dict[str, dict]:
    """village id -> {"cause": code, numbers...} for every village with backlog left by `plan`."""
    usable = [d for d in range(len(inst.days)) if anyone_out(inst, d)]
    if not usable:
        held = staff_kept_in(inst, plan)  # their crew is more than any day's staff
        out = {}
        for v in inst.scenario.villages:
            if v.unrecorded > 0:
                ours = [u.id for u in inst.scenario.units if u.serves(v)]
                mine = sorted(u for u in held if u in ours)
                out[v.id] = {"cause": "no_unit"} if not ours else \
                    {"cause": "staff", "units": mine} if mine else {"cause": "no_days"}
        return out
    earliest = inst.days[usable[0]].date
    longest = max(inst.days[d].end - inst.days[d].start for d in usable)
    reach = Reach(inst, longest)
    done = Counter()
    visits = Counter()
    capped = {}  # village -> whether its last visit recorded all the turnout allowed
    position = {v.id: j for j, v in enumerate(inst.scenario.villages)}
    for r in sorted(plan.routes, key=lambda r: r.date):
        for s in r.stops:
            j = position[s.village_id]
            capped[s.village_id] = s.recorded >= inst.cap(j, int(inst.backlog[j]) - done[s.village_id])
            done[s.village_id] += s.recorded
            visits[s.village_id] += 1
    kept_in = staff_kept_in(inst, plan)
    plan_rate = rate_of_plan(plan)
    held = staff_held(inst, plan, usable)
    rates: dict[frozenset, float] = {}  # the rate of the units a service point's village has
    out = {}
    for j, v in enumerate(inst.scenario.villages):
        left = v.unrecorded - done[v.id]
        if left > 0:
            n_capped = visits[v.id] if capped.get(v.id) else 0
            ours = frozenset(u.id for u in inst.scenario.units if u.serves(v))
            if len(ours) < len(inst.units) and ours not in rates:
                rates[ours] = rate_of_plan(plan, ours)
            out[v.id] = village_cause(inst, j, v, reach, longest, earliest, n_capped, kept_in,
                                      rates.get(ours, plan_rate), left, usable)
            if out[v.id]["cause"] == "capacity":
                may_serve = [k for k, ud in enumerate(inst.units)
                             if reach.fits[k, j] and ud.servable[j]]  # power, districts
                days = sum(1 for d in usable if held[d] & set(may_serve)
                           and inst.village_open[d, j] and inst.counts_mask[d, j])
                if days:
                    out[v.id] = {"cause": "capacity_staff", "days": days}
    return out


def staff_held(inst: Instance, plan, usable: list[int]) -> dict[int, set[int]]:
    """Field day -> the units available that day but kept in because the staff limit leaves
    no room for their crew beside the units that went out."""
    crews, out_units = out_by_day(inst, plan)
    held: dict[int, set[int]] = {}
    for d in usable:
        date, limit = inst.days[d].date, inst.staff(d)
        held[d] = set() if limit is None else {
            k for k, ud in enumerate(inst.units)
            if inst.available(k, d) and ud.unit.id not in out_units[date]
            and crews[date] + ud.unit.crew > limit}
    return held


def village_cause(inst, j, v, reach: Reach, longest, earliest, n_visits, kept_in, plan_rate,
                  left, usable) -> dict:
    """The binding cause of village j (row v); `n_visits` its visits when the last of them
    recorded all that turnout allowed (else 0); `usable` the field days someone may go out."""
    scenario = inst.scenario
    ours = [k for k, ud in enumerate(inst.units) if ud.unit.serves(v)]  # units' `districts`
    generators = [k for k in ours if inst.units[k].unit.generator]
    if not reach.reach[:, j].any():
        return {"cause": "unreachable"}
    if not ours:
        return {"cause": "no_unit"}
    if not v.power and not generators:
        return {"cause": "no_generator"}
    if v.priority <= 0:
        return {"cause": "priority_zero"}
    turnaround = scenario.village_turnaround(v)
    if earliest + dt.timedelta(days=turnaround) > scenario.calendar.deadline:
        return {"cause": "offline", "days": turnaround}
    if not any(inst.village_open[d, j] and inst.counts_mask[d, j] for d in usable):
        closure = next(c for c in scenario.village_closures[v.id]
                       if any(c.covers(inst.days[d].date) for d in usable))
        return {"cause": "closed", "reason": closure.reason}
    may_serve = ours if v.power else generators
    serving = [k for k in may_serve if reach.fits[k, j]]
    if not serving:
        best = min(reach.round_trip[k, j] for k in may_serve)
        code = "generator_far" if not v.power else "too_far"
        return {"cause": code, "round_trip_s": float(best), "shift_s": float(longest)}
    if all(inst.units[k].unit.id in kept_in for k in serving):
        held = [inst.units[k].unit.id for k in serving]  # by staff alone, or with the budget
        return {"cause": "staff" if all(kept_in[u] == "staff" for u in held)
                else "staff_overtime", "units": held}
    if n_visits:
        return {"cause": "turnout", "visits": n_visits,
                "share": float(scenario.village_turnout(v))}
    k = min(serving, key=lambda k: reach.round_trip[k, j])
    rate = village_rate(inst, k, j, left, reach.round_trip[k, j], longest)
    if plan_rate > 0 and rate < RATE_MARGIN * plan_rate:
        return {"cause": "rate", "rate": round(rate, 1), "plan_rate": round(plan_rate, 1),
                "round_trip_s": float(reach.round_trip[k, j])}
    return {"cause": "capacity"}


def village_rate(inst: Instance, k: int, j: int, left: int, round_trip: float, longest: int):
    """Weighted recordings per hour of unit k's day spent on a day trip to village j alone."""
    ud = inst.units[k]
    room = longest - round_trip - float(inst.setup_s)
    person = float(ud.person_s)
    people = min(inst.cap(j, left), int(room / person) if person > 0 else left)
    people = max(people, 0)
    hours = (round_trip + float(inst.setup_s) + people * person) / 3600.0
    return float(inst.priority[j]) * people / hours if hours > 0 else 0.0


def rate_of_plan(plan, units: frozenset | None = None) -> float:
    """The plan's weighted counted recordings per hour its units are out; those of `units`
    alone where given (the units that may serve a service point's village)."""
    if units is None:
        hours = sum((r.return_ - r.depart) for r in plan.routes if r.stops) / 3600.0
        return float(plan.objective) / hours if hours > 0 else 0.0
    routes = [r for r in plan.routes if r.stops and r.unit in units]
    hours = sum((r.return_ - r.depart) for r in routes) / 3600.0
    deadline = plan.scenario.calendar.deadline
    value = sum(float(plan.scenario.village(s.village_id).priority) * s.recorded
                for r in routes for s in r.stops if plan.counts_on(r, s) <= deadline)
    return value / hours if hours > 0 else 0.0


def out_by_day(inst: Instance, plan) -> tuple[dict[dt.date, int], dict[dt.date, set[str]]]:
    """Per date, the crews of the units out (every field day of a trip counts) and those
    units."""
    crews: dict[dt.date, int] = defaultdict(int)
    units: dict[dt.date, set[str]] = defaultdict(set)
    for r in plan.routes:
        if plan.is_field_day(r):
            crews[r.date] += inst.scenario.unit(r.unit).crew
            units[r.date].add(r.unit)
    return crews, units


def staff_kept_in(inst: Instance, plan) -> dict[str, str]:
    """Units that never go out in the plan although available, and why: on every field day
    the staff limit leaves no room for their crew beside the units that do go out
    (`staff`), or the overtime budget is spent on the overtime days that staff would allow
    (`staff_overtime`)."""
    crews, out_units = out_by_day(inst, plan)
    went_out = set().union(*out_units.values())
    budget = inst.scenario.staff.overtime_unit_days
    budget_spent = budget is not None and plan.overtime_unit_days >= budget
    kept = {}
    for k, ud in enumerate(inst.units):
        if ud.unit.id in went_out:
            continue
        days = [d for d in range(len(inst.days)) if inst.available(k, d)]
        by_staff = [inst.staff(d) is not None
                    and crews[inst.days[d].date] + ud.unit.crew > inst.staff(d)
                    for d in days]
        by_budget = [inst.days[d].overtime and budget_spent for d in days]
        if days and all(a or b for a, b in zip(by_staff, by_budget)) and any(by_staff):
            kept[ud.unit.id] = "staff" if all(by_staff) else "staff_overtime"
    return kept
