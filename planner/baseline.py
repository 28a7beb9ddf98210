"""The greedy baseline: what a careful district planner would do by hand.

Day by day, unit by unit, each unit leaves its base at shift start and keeps going to the
village with the best priority-weighted recordings per hour of (travel + setup + recording)
that still fits the shift, can still count before the deadline, suits its power rule and
has not been visited by another unit that day. It obeys every rule of DESIGN §3 and stays
in the project as the yardstick the optimiser is measured against.

Overtime (weekend/holiday unit-days) ranks below recordings and above travel in the
objective, so weekdays are planned first; overtime days are added only when they buy more
recordings, and then as few (the latest ones) as give the same result.

Day trips only: units with `max_nights > 0` are planned as if they came home every night
(allowed by DESIGN §3, never better). Under a staff limit the crews with the most kits per
person go out first.
"""
from __future__ import annotations

import datetime as dt
import time
from fractions import Fraction

import numpy as np

from .calendar import Day, staff_limit, unit_available
from .instance import Instance
from .network import TravelNetwork
from .plan import Plan, Route, Stop
from .reasons import left_out_causes
from .rules import service_seconds
from .scenario.load import expect_scenario
from .scenario.model import Scenario


class _Greedy:
    """The day-by-day greedy over an `Instance`; `plan_days` runs it for a set of days."""

    def __init__(self, inst: Instance):
        self.inst = inst
        scenario = self.scenario = inst.scenario
        self.villages = scenario.villages
        self.position = {v.id: j for j, v in enumerate(self.villages)}
        self.priority = inst.priority
        self.turnaround = np.array([scenario.village_turnaround(v) for v in self.villages],
                                   dtype=np.int64)
        self.setup_s = float(inst.setup_s)
        # most kits per crew member first: under a staff limit they record the most
        self.order = sorted(range(len(inst.units)),
                            key=lambda k: -Fraction(inst.units[k].unit.kits, inst.units[k].unit.crew))

    # -- one whole plan ----------------------------------------------------------------
    def plan_days(self, days: list[Day], overtime_allowed: set[dt.date]) -> list[Route]:
        """Plan every field day in order; overtime days only if in `overtime_allowed`."""
        scenario = self.scenario
        deadline = scenario.calendar.deadline
        remaining = self.inst.backlog.copy()
        cap = self.inst.caps(remaining)
        budget = scenario.staff.overtime_unit_days
        routes: list[Route] = []
        went_out: set[int] = set()  # units past their first field day: they leave from home
        position = {day.date: d for d, day in enumerate(self.inst.days)}
        for day in days:
            if day.overtime and (day.date not in overtime_allowed or budget == 0):
                continue
            can_count = self.turnaround <= (deadline - day.date).days
            open_today = can_count & (remaining > 0) & (self.priority > 0) \
                & self.inst.village_open[position[day.date]]
            if not open_today.any():
                continue
            staff_left = staff_limit(scenario, day)
            for k in self.order:
                ud = self.inst.units[k]
                if not unit_available(ud.unit, day.date):
                    continue
                if staff_left is not None and ud.unit.crew > staff_left:
                    continue
                if day.overtime and budget == 0:
                    break
                start = ud.end if k in went_out else ud.base
                route = self._route(k, day, open_today & ud.allowed, cap, start)
                if route is None:
                    continue
                went_out.add(k)
                for s in route.stops:
                    j = self.position[s.village_id]
                    open_today[j] = False
                    remaining[j] -= s.recorded
                    cap[j] = self.inst.cap(j, int(remaining[j]))
                routes.append(route)
                if staff_left is not None:
                    staff_left -= ud.unit.crew
                if day.overtime and budget is not None:
                    budget -= 1
        return routes

    # -- one unit-day ------------------------------------------------------------------
    def _route(self, k: int, day: Day, candidates: np.ndarray, cap: np.ndarray,
               start: int) -> Route | None:
        """Best rate-first day route from `start` (a matrix index: the unit's base on its
        first field day, its home after), or None if it would record nothing."""
        ud = self.inst.units[k]
        scenario, kits = self.scenario, ud.unit.kits
        between, person_s = self.inst.between(k), float(ud.person_s)
        from_start = ud.from_base if start == ud.base else ud.matrix[start, self.inst.nodes]
        open_ = candidates.copy()
        t, here = day.start, None
        stops: list[Stop] = []
        while True:
            idx = np.flatnonzero(open_)
            if idx.size == 0:
                break
            travel = from_start[idx] if here is None else between[here, idx]
            arrive = t + travel
            left = day.end - arrive - ud.to_end[idx]  # service seconds available
            if person_s > 0:
                by_time = np.floor((left - self.setup_s) / person_s + 1e-9)
            else:
                by_time = np.where(left >= self.setup_s, np.inf, -1.0)
            r = np.minimum(cap[idx], by_time)
            ok = r >= 1
            if not ok.any():
                break
            cost = travel + self.setup_s + r * person_s
            score = np.where(ok, self.priority[idx] * r / np.maximum(cost, 1.0), -np.inf)
            # best rate; ties go to the shorter leg (least travel), then the lower index
            best = np.flatnonzero(score == score.max())
            i = int(best[np.argmin(travel[best])]) if best.size > 1 else int(best[0])
            j = int(idx[i])
            avail = int(left[i])
            r_exact = min(int(cap[j]), self.inst.max_people(k, avail))
            open_[j] = False
            if r_exact < 1:
                continue  # the float estimate was optimistic; this village no longer fits
            service = service_seconds(scenario, kits, r_exact)
            a = int(arrive[i])
            assert a + service + int(ud.to_end[j]) <= day.end
            stops.append(Stop(village_id=self.villages[j].id, arrive=a, start=a, end=a + service,
                              recorded=r_exact, travel_s=int(travel[i])))
            t, here = a + service, j
        if not stops:
            return None
        back = int(ud.to_end[here])
        travel_s = sum(s.travel_s for s in stops) + back
        return Route(unit=ud.unit.id, date=day.date, day_type=day.day_type, depart=day.start,
                     return_=t + back, stops=tuple(stops), travel_s=travel_s)


def _rank(plan: Plan) -> tuple:
    """DESIGN §3 objective order: recordings, then fewest overtime unit-days, then travel."""
    return (plan.objective, -plan.overtime_unit_days, -plan.travel_seconds)


def plan_greedy(scenario: Scenario, network: TravelNetwork | None = None) -> Plan:
    """A feasible plan built greedily, day by day and unit by unit (see module docstring)."""
    expect_scenario(scenario, "plan_greedy")
    return plan_greedy_on(Instance(scenario, network))


def plan_greedy_on(inst: Instance) -> Plan:
    """`plan_greedy` over an `Instance` that the caller has built already."""
    started = time.perf_counter()
    scenario = inst.scenario
    greedy = _Greedy(inst)
    days = inst.days
    overtime_days = sorted({d.date for d in days if d.overtime})

    def plan_of(k: int) -> Plan:
        """Plan with only the latest `k` overtime days allowed."""
        allowed = set(overtime_days[len(overtime_days) - k:]) if k else set()
        return Plan(scenario, tuple(greedy.plan_days(days, allowed)))

    tried = {0: plan_of(0)}
    if overtime_days and scenario.staff.overtime_unit_days != 0:
        full = len(overtime_days)
        tried[full] = plan_of(full)
        if tried[full].objective > tried[0].objective:
            # fewest latest overtime days that reach the all-days result (bisection)
            lo, hi = 0, full
            target = tried[full].objective
            while hi - lo > 1:
                mid = (lo + hi) // 2
                tried[mid] = plan_of(mid)
                if tried[mid].objective >= target:
                    hi = mid
                else:
                    lo = mid
    best = max(tried.values(), key=_rank)
    solver = {
        "method": "greedy",
        "status": "FEASIBLE",
        "seconds": round(time.perf_counter() - started, 3),
        "seed": None,
        "upper_bound": None,
    }
    plan = Plan(scenario, best.routes, solver)
    plan.solver["left_out_causes"] = left_out_causes(inst, plan)
    return plan
