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
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np

from .calendar import Day, field_days, staff_limit, unit_available
from .network import UNREACHABLE, TravelNetwork
from .plan import Plan, Route, Stop, max_recordable, service_seconds, turnout_cap
from .scenario.model import Scenario, Unit

REASON_UNREACHABLE = "no route: not reachable from any base"
REASON_TOO_FAR = "too far: a day trip with one recording does not fit in any shift"
REASON_GENERATOR = "needs a generator; no unit has one"
REASON_GENERATOR_FAR = "needs a generator; no unit with one can make a day trip there"
REASON_OFFLINE = "offline: results would arrive after the deadline"
REASON_PRIORITY = "priority 0: recordings there do not add to the objective"
REASON_NO_DAYS = "no field day with an available unit before the deadline"
REASON_CAPACITY = "not enough unit-days before the deadline"


@dataclass
class _UnitData:
    """One unit's travel rows and service rates, as arrays over the villages."""

    unit: Unit
    between: np.ndarray  # V x V travel seconds between villages
    from_base: np.ndarray  # V: base -> village
    to_end: np.ndarray  # V: village -> end place
    servable: np.ndarray  # V bool: power rule and reachability
    setup_s: float
    person_s: float  # seconds per person with all kits working

    def fits_one(self, shift_len: int, setup_s: int) -> np.ndarray:
        """Villages where out, one recording and back fits in a shift of this length."""
        return self.from_base + self.to_end + setup_s + self.person_s <= shift_len


class _Greedy:
    """Arrays prepared once; `simulate` runs the day-by-day greedy for a set of days."""

    def __init__(self, scenario: Scenario, network: TravelNetwork):
        self.scenario = scenario
        self.villages = scenario.villages
        self.position = {v.id: j for j, v in enumerate(self.villages)}
        vidx = np.array([network.index[v.id] for v in self.villages], dtype=np.int64)
        self.priority = np.array([float(v.priority) for v in self.villages])
        self.turnaround = np.array([scenario.village_turnaround(v) for v in self.villages],
                                   dtype=np.int64)
        self.power = np.array([v.power for v in self.villages], dtype=bool)
        self.turnout = [scenario.village_turnout(v) for v in self.villages]
        self.backlog = np.array([v.unrecorded for v in self.villages], dtype=np.int64)
        rec = scenario.recording
        self.setup_s = float(rec.setup_minutes * 60)
        self.setup_ceil = int(-(-Fraction(rec.setup_minutes * 60) // 1))
        self.units: list[_UnitData] = []
        by_speed: dict[Decimal, np.ndarray] = {}
        # most kits per crew member first: under a staff limit they record the most
        for unit in sorted(scenario.units, key=lambda u: -Fraction(u.kits, u.crew)):
            speed = scenario.unit_speed(unit)
            full = network.unit_seconds(unit)
            if speed not in by_speed:
                by_speed[speed] = full[np.ix_(vidx, vidx)]
            between = by_speed[speed]
            base, end = network.index[unit.base], network.index[unit.end_place]
            from_base = full[base, vidx]
            to_end = full[vidx, end]
            servable = (from_base < UNREACHABLE) & (to_end < UNREACHABLE)
            if not unit.generator:
                servable &= self.power
            self.units.append(_UnitData(
                unit=unit, between=between, from_base=from_base, to_end=to_end,
                servable=servable, setup_s=self.setup_s,
                person_s=float(rec.minutes_per_person * 60 / unit.kits)))

    # -- one whole plan ----------------------------------------------------------------
    def simulate(self, days: list[Day], overtime_allowed: set[dt.date]) -> list[Route]:
        """Plan every field day in order; overtime days only if in `overtime_allowed`."""
        scenario = self.scenario
        deadline = scenario.calendar.deadline
        remaining = self.backlog.copy()
        cap = np.array([turnout_cap(t, int(r)) for t, r in zip(self.turnout, remaining)],
                       dtype=np.int64)
        budget = scenario.staff.overtime_unit_days
        routes: list[Route] = []
        for day in days:
            if day.overtime and (day.date not in overtime_allowed or budget == 0):
                continue
            can_count = self.turnaround <= (deadline - day.date).days
            open_today = can_count & (remaining > 0) & (self.priority > 0)
            if not open_today.any():
                continue
            staff_left = staff_limit(scenario, day)
            for ud in self.units:
                if not unit_available(ud.unit, day.date):
                    continue
                if staff_left is not None and ud.unit.crew > staff_left:
                    continue
                if day.overtime and budget == 0:
                    break
                route = self._route(ud, day, open_today & ud.servable, cap)
                if route is None:
                    continue
                for s in route.stops:
                    j = self.position[s.village_id]
                    open_today[j] = False
                    remaining[j] -= s.recorded
                    cap[j] = turnout_cap(self.turnout[j], int(remaining[j]))
                routes.append(route)
                if staff_left is not None:
                    staff_left -= ud.unit.crew
                if day.overtime and budget is not None:
                    budget -= 1
        return routes

    # -- one unit-day ------------------------------------------------------------------
    def _route(self, ud: _UnitData, day: Day, candidates: np.ndarray,
               cap: np.ndarray) -> Route | None:
        """Best rate-first day route from the base, or None if it would record nothing."""
        scenario, kits = self.scenario, ud.unit.kits
        open_ = candidates.copy()
        t, here = day.start, None
        stops: list[Stop] = []
        while True:
            idx = np.flatnonzero(open_)
            if idx.size == 0:
                break
            travel = ud.from_base[idx] if here is None else ud.between[here, idx]
            arrive = t + travel
            left = day.end - arrive - ud.to_end[idx]  # service seconds available
            if ud.person_s > 0:
                by_time = np.floor((left - ud.setup_s) / ud.person_s + 1e-9)
            else:
                by_time = np.where(left >= ud.setup_s, np.inf, -1.0)
            r = np.minimum(cap[idx], by_time)
            ok = r >= 1
            if not ok.any():
                break
            cost = travel + ud.setup_s + r * ud.person_s
            score = np.where(ok, self.priority[idx] * r / np.maximum(cost, 1.0), -np.inf)
            # best rate; ties go to the shorter leg (least travel), then the lower index
            best = np.flatnonzero(score == score.max())
            k = int(best[np.argmin(travel[best])]) if best.size > 1 else int(best[0])
            j = int(idx[k])
            avail = int(left[k])
            r_exact = min(int(cap[j]), max_recordable(scenario, kits, avail))
            open_[j] = False
            if r_exact < 1:
                continue  # the float estimate was optimistic; this village no longer fits
            service = service_seconds(scenario, kits, r_exact)
            a = int(arrive[k])
            assert a + service + int(ud.to_end[j]) <= day.end
            stops.append(Stop(village_id=self.villages[j].id, arrive=a, start=a, end=a + service,
                              recorded=r_exact, travel_s=int(travel[k])))
            t, here = a + service, j
        if not stops:
            return None
        back = int(ud.to_end[here])
        travel_s = sum(s.travel_s for s in stops) + back
        return Route(unit=ud.unit.id, date=day.date, day_type=day.day_type, depart=day.start,
                     return_=t + back, stops=tuple(stops), travel_s=travel_s)

    # -- explanations ------------------------------------------------------------------
    def left_out_reasons(self, routes: list[Route], days: list[Day]) -> dict[str, str]:
        """A plain reason for every village that keeps backlog after the plan."""
        scenario = self.scenario
        done = np.zeros(len(self.villages), dtype=np.int64)
        for r in routes:
            for s in r.stops:
                done[self.position[s.village_id]] += s.recorded
        deadline = scenario.calendar.deadline
        usable = [d for d in days if self._anyone_out(d)]
        earliest = min((d.date for d in usable), default=None)
        longest = max((d.end - d.start for d in usable), default=0)
        reach = np.zeros(len(self.villages), bool)
        fits = np.zeros(len(self.villages), bool)
        fits_gen = np.zeros(len(self.villages), bool)
        for ud in self.units:
            r = (ud.from_base < UNREACHABLE) & (ud.to_end < UNREACHABLE)
            f = r & ud.fits_one(longest, self.setup_ceil)
            reach |= r
            fits |= f
            if ud.unit.generator:
                fits_gen |= f
        has_gen = any(ud.unit.generator for ud in self.units)
        out: dict[str, str] = {}
        for j, v in enumerate(self.villages):
            if v.unrecorded - done[j] <= 0:
                continue
            if earliest is None:
                reason = REASON_NO_DAYS
            elif not reach[j]:
                reason = REASON_UNREACHABLE
            elif not v.power and not has_gen:
                reason = REASON_GENERATOR
            elif not fits[j]:
                reason = REASON_TOO_FAR
            elif not v.power and not fits_gen[j]:
                reason = REASON_GENERATOR_FAR
            elif self.priority[j] <= 0:
                reason = REASON_PRIORITY
            elif earliest + dt.timedelta(days=int(self.turnaround[j])) > deadline:
                reason = REASON_OFFLINE
            else:
                reason = REASON_CAPACITY
            out[v.id] = reason
        return out


    def _anyone_out(self, day: Day) -> bool:
        """Whether some unit may go out that day (availability, staff, overtime budget)."""
        if day.overtime and self.scenario.staff.overtime_unit_days == 0:
            return False
        limit = staff_limit(self.scenario, day)
        return any(unit_available(ud.unit, day.date) and (limit is None or ud.unit.crew <= limit)
                   for ud in self.units)


def _rank(plan: Plan) -> tuple:
    """DESIGN §3 objective order: recordings, then fewest overtime unit-days, then travel."""
    return (plan.objective, -plan.overtime_unit_days, -plan.travel_seconds)


def plan_greedy(scenario: Scenario, network: TravelNetwork | None = None) -> Plan:
    """A feasible plan built greedily, day by day and unit by unit (see module docstring)."""
    started = time.perf_counter()
    network = network if network is not None else TravelNetwork(scenario)
    greedy = _Greedy(scenario, network)
    days = field_days(scenario)
    overtime_days = sorted({d.date for d in days if d.overtime})

    def plan_of(k: int) -> Plan:
        """Plan with only the latest `k` overtime days allowed."""
        allowed = set(overtime_days[len(overtime_days) - k:]) if k else set()
        return Plan(scenario, tuple(greedy.simulate(days, allowed)))

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
        "left_out_reasons": greedy.left_out_reasons(list(best.routes), days),
    }
    return Plan(scenario, best.routes, solver)
