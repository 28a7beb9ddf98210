"""Keeping the announced visits through a re-plan (`--keep-until DATE`).

Mid-campaign the villages have the earlier plan's notices: "the team comes on Saturday the
12th, 08.00-12.30". A re-plan from the actuals that moves those visits breaks the office's
word, so a planner re-plans *around* the next days instead: the earlier plan's visits from
`today` to `until` stay on their days, in their order and announced hours, and the optimiser
plans only what comes after them.

- `kept_plan(left, earlier, until, network)` reads the earlier plan's `visits.csv` and
  `days.csv` (from its folder, or a Plan's own tables) and keeps each of its trips (a day trip,
  or the days of one trip away) that starts between the re-plan's first day and `until` (one
  under way on `until` to its end: a trip is kept whole or not at all) and still keeps every
  rule of DESIGN §3 on the scenario that is left after the actuals. Its travel is taken again
  from the network, and the people of each visit are those the backlog left now gives within
  its announced hours (more where the actuals fell short, fewer where they went beyond); a
  visit that would record nobody, or whose recordings would count after the deadline, is left
  out of its route, with a warning naming it ("kept_visit_void"). What cannot be kept is said,
  trip by trip, in a warning ("kept_dropped").
- `after_kept(left, kept)` is the scenario left after the kept days: the kept visits applied as
  if they had happened, from the day after `until`, each unit at home.
- `merged(left, kept, rest)` is the whole re-plan: the kept routes and the optimiser's plan of
  what is left, its upper bound raised by the kept objective; it passes `planner.check` on the
  scenario that is left after the actuals, as any re-plan.
- `plan_keeping` runs the three with any planner (the CLI's); `solve_keeping` with the
  optimiser, for notebooks (`planner.solve_keeping`).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
import warnings
from collections import defaultdict
from pathlib import Path
from typing import Callable

import pandas as pd

from .actuals import COMMAND_LINE, Actuals, ActualVisit
from .calendar import day_type, holiday_names, hours_on
from .check import check
from .network import TravelNetwork
from .keep_tables import read_earlier, tables_of
from .notices import Notice, Worded
from .plan import Plan, Route, Stop, hms
from .rules import max_recordable, village_cap
from .scenario.errors import Problem, ScenarioError
from .scenario.arguments import date_argument
from .scenario.load import expect_scenario

# what becomes of the rest of a trip one kept visit leaves ("kept_visit_gone")
REST = Worded({"en": "the rest of the unit's trip stays", "id": "perjalanan unit selebihnya tetap"})
ALONE = Worded({"en": "the unit's trip kept no other visit",
                "id": "tidak ada kunjungan lain dari perjalanan unit itu yang dipertahankan"})


@dataclasses.dataclass(frozen=True)
class Kept:
    """The kept days: `plan` (the kept routes alone, on the scenario left after the actuals,
    checked), and the last day of the kept period."""

    plan: Plan
    until: dt.date

    def figures(self) -> dict:
        """summary.json `kept`: the last kept day, the kept visits, their expected recordings
        and those that count by the deadline."""
        return {"until": self.until.isoformat(),
                "visits": sum(len(r.stops) for r in self.plan.routes),
                "recorded": sum(r.recorded for r in self.plan.routes),
                "counted": int(self.plan.counted)}


def check_until(left, until: dt.date) -> None:
    """Raise ScenarioError unless `until` lies from the re-plan's first day to before the
    deadline (a day must be left to plan)."""
    today = left.calendar.start
    if not today <= until < left.calendar.deadline:
        raise ScenarioError([Problem(COMMAND_LINE, 1, "--keep-until", (
            f"{until} is before the re-plan's first day ({today})" if until < today else
            f"{until} is not before the deadline ({left.calendar.deadline}): nothing would be "
            "left to plan"))])


def kept_plan(left, earlier, until: dt.date, network: TravelNetwork) -> Kept:
    """The trips of the `earlier` plan (a Plan, the folder it was written to, or its tables as
    `read_earlier` gives them) that stay from `left.calendar.start` to `until` (see the module
    docstring). Raises ScenarioError (located lines) where the folder's tables cannot be read
    as a plan."""
    today = left.calendar.start
    check_until(left, until)
    if isinstance(earlier, tuple):
        visits, days = earlier
    else:
        visits, days = tables_of(earlier) if isinstance(earlier, Plan) else \
            read_earlier(Path(earlier))
    trips = _trips(left, days, visits, today, until)
    timed: list[Route] = []
    closed: dict[tuple[str, dt.date], list[Notice]] = defaultdict(list)  # visits left out
    for trip in trips:
        built = _timed_trip(left, trip, network, closed)
        if isinstance(built, Notice):
            _dropped(trip, built)
        else:
            timed.extend(built)
    while True:  # rules across trips (staff, overtime) that the scenario now holds tighter
        void: dict = defaultdict(list)  # visits that would record nobody, or count too late
        routes = _with_people(left, timed, network, void)
        plan = Plan(left, tuple(routes), {"status": "KEPT"})
        problems = check(left, plan, network=network)
        if not problems or not routes:
            # the last kept day: later than `until` only by a trip under way then that stays
            last = max([until] + [r.date for r in plan.routes])
            if last >= left.calendar.deadline:
                raise ScenarioError([Problem(COMMAND_LINE, 1, "--keep-until", (
                    f"the trips under way then end on {last}, the deadline: nothing would be "
                    "left to plan"))])
            for r in timed:  # only of the trips that stay, once
                for notice in closed[(r.unit, r.date)] + void[(r.unit, r.date)]:
                    warnings.warn(notice, stacklevel=2)
            return Kept(plan, last)
        trip = _offending_trip(plan, problems[0])
        # the checker's count of the kept days against what is left reads as a budget
        # of the file's own, and shrinks from warning to warning: say what is left instead
        _dropped(sorted(trip), Notice("kept_overtime", budget=left.staff.overtime_unit_days)
                 if problems[0].rule == "overtime_budget" else
                 Notice("kept_rule", rule=problems[0].rule, message=_without_lines(problems[0])))
        timed = [r for r in timed if (r.unit, r.date) not in trip]


def _without_lines(problem) -> str:
    """The checker's message about the kept days without its `days.csv line N` (or
    visits.csv) references: they number the rows of the kept plan's own tables, not of the
    earlier plan's files the planner would look them up in."""
    return re.sub(r"(?:days|visits)\.csv line \d+:? ", "", str(problem)).rstrip(".")


def _offending_trip(plan: Plan, problem) -> set[tuple[str, dt.date]]:
    """The (unit, date) days of the trip a broken rule is about: the unit's on its date; on a
    date alone (a day's staff), the trip with the fewest visits among the units out that day,
    so that the fewest villages lose their announced visit; for a unit alone, its latest trip;
    else the latest trip (for the overtime budget, the latest with an overtime day)."""
    def trip_of(route: Route) -> set[tuple[str, dt.date]]:
        return {(r.unit, r.date) for r in plan.routes
                if r.unit == route.unit and _same_trip(plan, r, route)}

    def visits(days: set) -> int:
        return sum(len(r.stops) for r in plan.routes if (r.unit, r.date) in days)

    latest = sorted(plan.routes, key=lambda r: (r.date, r.unit))
    if problem.rule == "overtime_budget":  # only a trip with overtime days frees any
        latest = [r for r in latest if r.overtime] or latest
    on_day = [r for r in latest if r.date == problem.date]
    of_unit = [r for r in latest if r.unit == problem.unit]
    exact = [r for r in on_day if r in of_unit]
    if exact or not on_day:
        return trip_of((exact or of_unit[-1:] or latest[-1:])[0])
    return min((trip_of(r) for r in on_day), key=lambda days: (visits(days), sorted(days)))


def solve_keeping(left, earlier: Plan | str | Path, until: dt.date | str,
                  time_limit: float = 60.0, seed: int = 0, network: TravelNetwork | None = None,
                  **solve_options) -> Plan:
    """From Python (`planner.solve_keeping`): the re-plan of `left` (`scenario.after(actuals,
    today)`) that keeps the `earlier` plan's visits to `until` and optimises the days after
    them with `planner.solve`; checked (raises if it broke a rule, which would be a bug)."""
    from .solve import solve

    expect_scenario(left, "planner.solve_keeping")
    network = network or TravelNetwork(left)
    until = date_argument(until, "until")
    plan, problems, *_ = plan_keeping(left, earlier, until, network, lambda s: (solve(
        s, time_limit=time_limit, seed=seed, network=network, **solve_options), []))
    if problems:
        raise RuntimeError(f"the re-plan breaks {len(problems)} rule(s): {problems[0]}")
    return plan


def plan_keeping(left, earlier: Plan | str | Path | tuple, until: dt.date, network: TravelNetwork,
                 plan_rest: Callable) -> tuple[Plan, list, object, Plan]:
    """The whole re-plan keeping the earlier plan's visits to `until`: (the merged plan, the
    rules it breaks, the scenario after the kept days and the plan of it). `plan_rest(scenario)`
    plans what is left and returns (plan, the rules it breaks)."""
    kept = kept_plan(left, earlier, until, network)
    rest_scenario = after_kept(left, kept)
    rest, problems = plan_rest(rest_scenario)
    if problems:
        return rest, problems, rest_scenario, rest
    plan = merged(left, kept, rest)
    return plan, check(left, plan, network=network), rest_scenario, rest


def after_kept(left, kept: Kept):
    """The scenario left after the kept days: their visits applied as actuals from the day
    after `until` (each unit at home then; a unit with no kept day keeps its base)."""
    plan = kept.plan
    visits = tuple(ActualVisit(0, r.unit, r.date, s.village_id, s.recorded, plan.counts_on(r, s))
                   for r in plan.routes for s in r.stops)
    rest = Actuals("kept visits", visits).apply_to(left, kept.until + dt.timedelta(days=1))
    out_units = {r.unit for r in plan.routes}
    units = [u if u.id in out_units else u.replace(base=left.unit_index[u.id].base)
             for u in rest.units]
    return rest.replace(units=units)


def merged(left, kept: Kept, rest: Plan) -> Plan:
    """The re-plan: the kept routes, then `rest` (planned on `after_kept`), each with its
    start and end place spelled out; the upper bound raised by the kept objective."""
    routes = tuple(_placed(kept.plan, r) for r in kept.plan.routes) + \
        tuple(_placed(rest, r) for r in rest.routes)
    solver = dict(rest.solver)
    if solver.get("upper_bound") is not None:
        solver["upper_bound"] = float(solver["upper_bound"]) + float(kept.plan.objective)
    return Plan(left, routes, solver, report={**rest.report, "kept": kept.figures()})


def _placed(plan: Plan, route: Route) -> Route:
    start, end = plan.places[(route.unit, route.date)]
    return dataclasses.replace(route, start_place=start, end_place=end)


# -- which trips can stay -----------------------------------------------------------------------

def _trips(left, days: pd.DataFrame, visits: pd.DataFrame, today: dt.date,
           until: dt.date) -> list[list[tuple[str, dt.date, tuple]]]:
    """The earlier plan's trips that start from `today` to `until`, as lists of (unit, date,
    (depart, start place, end place, stops as (seq, village, start, end))), a trip under way
    on `until` to its end (a trip is kept whole or not at all). A trip under way on `today`
    (the units are at home then), of a unit the scenario no longer has, or sleeping in a village
    it no longer has, is dropped with a warning."""
    stops: dict[tuple[str, dt.date], list] = defaultdict(list)
    for v in visits.itertuples(index=False):
        stops[(v.unit, v.date)].append((v.seq, v.village_id, v.start, v.end))
    by_unit: dict[str, list] = defaultdict(list)
    for d in days.sort_values(["unit", "date"]).itertuples(index=False):
        by_unit[d.unit].append(d)
    trips = []  # (unit, its rows)
    for unit, rows in by_unit.items():
        u = left.unit_index.get(unit)
        home = u.end_place if u is not None else None
        trip: list = []
        for d in rows:
            trip.append(d)
            if d.end_place == home:  # back home: the trip ends
                trips.append((unit, trip))
                trip = []
        if trip:
            trips.append((unit, trip))
    starting = [(unit, trip) for unit, trip in trips if today <= trip[0].date <= until or
                trip[0].date < today <= trip[-1].date]
    villages = {v.id for v in left.villages} | {p.id for p in left.places}
    out = [_kept_trip(unit, trip, stops, today, villages, left.unit_index.get(unit))
           for unit, trip in starting]
    return [t for t in out if t is not None]


def _kept_trip(unit, trip, stops, today, villages, u):
    home, base = (u.end_place, u.base) if u is not None else (None, None)
    days = [(unit, d.date, (d.depart, d.start_place, d.end_place,
                            tuple(sorted(stops.get((unit, d.date), []))))) for d in trip]
    why = None
    if home is None:
        why = Notice("kept_unit_gone", unit=unit)
    elif trip[0].date < today:
        why = Notice("kept_began_before", day=str(trip[0].date))
    elif trip[-1].end_place != home or trip[0].start_place not in (home, base):
        why = Notice("kept_not_home", place=home)
    else:  # a team that slept in a village gone since cannot keep its trip; one that only
        # visited it keeps the rest, that visit left out in `_open`
        unknown = [p for d in days for p in d[2][1:3] if p not in villages]
        if unknown:
            why = Notice("kept_village_gone", village=unknown[0])
    if why:
        _dropped(days, why)
        return None
    return days


def _timed_trip(left, trip, network: TravelNetwork, closed: dict) -> list[Route] | Notice:
    """The trip's routes on `left`, its travel taken again from the network (people still 0);
    or why it cannot stay (a day no longer open, a leg now longer than the hours allow). A
    visit to a village closed on its day leaves its route, the notice saying so put in
    `closed` under its (unit, date): it is given only if the rest of the trip stays (a team
    sleeping in the closed village cannot keep the trip at all)."""
    holidays = holiday_names(left)
    unit = left.unit_index[trip[0][0]]
    routes = []
    for unit_id, date, (depart, start_place, end_place, stops) in trip:
        kind = day_type(left, date, holidays)
        if kind is None:
            return Notice("kept_closed", day=str(date))
        if unit.unavailable_on(date):
            return Notice("kept_unavailable", unit=unit_id, day=str(date))
        route = Route(unit_id, date, kind, depart, depart, tuple(
            Stop(village, start, start, end, 0, 0) for _, village, start, end in stops
            if _open(left, village, date, closed[(unit_id, date)])), 0, start_place, end_place)
        route = _trimmed(left, _retimed(route, unit, network), kind, unit, network,
                         closed[(unit_id, date)])
        late = [s for s in route.stops if s.arrive > s.start]
        if late:
            return Notice("kept_late", village=late[0].village_id, time=hms(late[0].start)[:5],
                          day=str(date))
        routes.append(route)
    if not any(r.stops for r in routes):  # its only visits closed: no rest of the trip stays
        for unit_id, date, _ in trip:
            closed[(unit_id, date)] = [
                Notice("kept_visit_closed_alone", **n.fields) if n.key == "kept_visit_closed"
                else Notice(n.key, **{**n.fields, "rest": ALONE}) for n in closed[(unit_id, date)]]
    return routes


def _open(left, village: str, date: dt.date, notices: list) -> bool:
    """Whether a kept visit's village is open on its day; a closed one, or one the scenario
    no longer has (split or merged since), leaves its route (the rest of the trip stays as
    announced), with a notice naming it added to `notices`."""
    if village not in left.village_index:
        notices.append(Notice("kept_visit_gone", village=village, day=str(date), rest=REST))
        return False
    closure = left.village_closed_on(village, date)
    if closure is not None:
        why = f" ({closure.reason})" if closure.reason else ""
        notices.append(Notice("kept_visit_closed", village=village, day=str(date), why=why))
    return closure is None


def _trimmed(left, route: Route, kind: str, unit, network: TravelNetwork,
             notices: list) -> Route:
    """The route within the day's hours, cut since they were announced: where they now start
    later, it leaves then, without the first visits it can no longer reach by their hour;
    where they end earlier (Ramadan's shorter day), without the last ones it can no longer
    come back from. Each is named in `notices`; the others keep their announced hours."""
    hours = hours_on(left, route.date, kind)
    if hours is not None and route.depart < hours.start:
        route = _retimed(dataclasses.replace(route, depart=hours.start), unit, network)
        while route.stops and route.stops[0].arrive > route.stops[0].start:
            notices.append(Notice("kept_visit_trimmed_start", village=route.stops[0].village_id,
                                  day=str(route.date), start=hms(hours.start)[:5], rest=REST))
            route = _retimed(dataclasses.replace(route, stops=route.stops[1:]), unit, network)
    while hours is not None and route.stops and route.return_ > hours.end:
        notices.append(Notice("kept_visit_trimmed", village=route.stops[-1].village_id,
                              day=str(route.date), end=hms(hours.end)[:5], rest=REST))
        route = _retimed(dataclasses.replace(route, stops=route.stops[:-1]), unit, network)
    return route


def _retimed(route: Route, unit, network: TravelNetwork) -> Route:
    """The route with each leg's travel, each arrival and the return taken from the network;
    the announced hours (depart, each visit's start and end) as they are."""
    here, clock, travel, stops = route.start_place, route.depart, 0, []
    for s in route.stops:
        leg = network.travel(unit, here, s.village_id)
        stops.append(dataclasses.replace(s, arrive=clock + leg, travel_s=leg))
        here, clock, travel = s.village_id, s.end, travel + leg
    leg = network.travel(unit, here, route.end_place)
    return dataclasses.replace(route, stops=tuple(stops), return_=clock + leg,
                               travel_s=travel + leg)


def _with_people(left, routes: list[Route], network: TravelNetwork, void: dict) -> list[Route]:
    """Each kept visit's people: as many as its announced hours allow and the backlog left
    gives (visits in date order); a visit that records nobody, or whose recordings count
    after the deadline, leaves its route, a notice naming it put in `void` under its (unit,
    date) (the village was told of it; the legs around it are taken again, no longer than
    before, travel being a shortest path), and a day trip left without a visit is dropped."""
    remaining = {v.id: v.unrecorded for v in left.villages}
    plan = Plan(left, tuple(routes))
    out = []
    for r in sorted(routes, key=lambda r: (r.date, r.unit)):
        unit = left.unit_index[r.unit]
        stops = []
        for s in r.stops:
            v = left.village(s.village_id)
            cap = village_cap(left.village_turnout(v), remaining[v.id])
            people = min(cap, max_recordable(left, unit.kits, s.end - s.start))
            counts_on = plan.counts_on(r, s)
            if people < 1 or counts_on > left.calendar.deadline:
                why = Notice("kept_void_nobody", left=remaining[v.id]) if people < 1 else \
                    Notice("kept_void_late", counts_on=str(counts_on),
                           deadline=str(left.calendar.deadline))
                void[(r.unit, r.date)].append(Notice("kept_visit_void", name=v.name or v.id,
                                                     village=v.id, day=str(r.date), why=why))
                continue
            remaining[v.id] -= people
            stops.append(dataclasses.replace(s, recorded=people))
        r = _retimed(dataclasses.replace(r, stops=tuple(stops)), unit, network)
        if r.stops or r.start_place != r.end_place or r.end_place != unit.end_place:
            out.append(r)
    return out


def _same_trip(plan: Plan, route: Route, last: Route) -> bool:
    return plan.trip_last_day[(route.unit, route.date)] == plan.trip_last_day[(last.unit,
                                                                                 last.date)]


def _dropped(days, why: Notice) -> None:
    unit, first, last = days[0][0], days[0][1], days[-1][1]
    when = str(first) if first == last else f"{first} – {last}"
    warnings.warn(Notice("kept_dropped", unit=unit, when=when, why=why), stacklevel=3)
