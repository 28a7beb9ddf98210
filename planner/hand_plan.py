"""`plan-routes SCENARIO --from-plan PATH`: a plan edited by hand, made whole again.

A district planner moves a visit to another day (the village head is away on the planned
one), swaps two villages of a day, deletes a visit or adds one, in the folder's `visits.csv`
or in the unit sheets of its `schedule.xlsx`; the calendars, the workbook, the notices, the
map and the summary must then say the edited plan, not the one the optimiser wrote.
`plan_from_folder` reads the edited visits and days (`hand_tables`) and keeps what the
planner decided (which unit visits which village on which day, in which order, for how many
people) while it takes every time that follows from those choices again from the scenario:

- A day is a unit and date of `visits.csv`. It leaves at the `depart` of its `days.csv` row
  (of a workbook given alone, its day cells), from that row's `start_place` to its
  `end_place`, except where that departure was written to reach another of the day's visits
  just on time (a kept hour) than its first now; a day without a row (or a departure, or
  with such a one) leaves at the start of its shift, from
  where DESIGN §3 says the unit slept, and comes home. A `days.csv` row left
  without visits stays only where the unit is away that night or that morning (a day of a
  trip); otherwise the unit no longer goes out that day.
- Each visit, in the order of its `seq` (then of its line; a row with an empty `seq` right
  after the day's numbered visit on the nearest line above it, as a row inserted into the
  workbook stands): it arrives after the leg from the stop before (travel from the scenario's
  network, rounded up). It keeps the `start` written for it, the team waiting for the
  announced hour, where the visits before it that day in the edited order are the ones written
  to start before it: a visit deleted ahead of it leaves its hour as announced, while one
  added, moved in or reordered ahead of it lets it start on arrival. A `start` without the
  same `arrive` beside it (an hour the planner typed, or one an earlier edit kept) is kept
  wherever the visit goes; one the team can no longer reach is a warning at its row, and the
  visit starts on arrival. A day whose first visit keeps its hour leaves in time for it. A
  visit records the `recorded` written for it but at most the turnout cap of what the plan's
  earlier visits (by date) left (an empty `recorded`, in a row the planner added: that cap),
  and lasts what the setup and those people need (a visit keeping its written start stays to
  its written end where that is later: its village was told those hours). A row added by hand needs only `unit`,
  `date` and `village_id`; `seq` is numbered again from 1. The optimiser's plans never wait,
  so a plan that was not edited comes out as it was.
- The result passes `planner.check` or is refused: each broken rule is a bad input at the row
  of the edited file (or `days.csv`) it is about, as `--check-plan` reports it, so the planner
  fixes the row. Nothing is planned: the figures are the edited plan's own.
"""
from __future__ import annotations

import dataclasses
import re
import time
import warnings
from collections import defaultdict
from pathlib import Path

import pandas as pd

from .actuals_cells import named_otherwise
from .calendar import day_type, holiday_names, hours_on
from .changes import FIVE_MINUTES
from .check import check, row_index, row_of
from .instance import Instance
from .hand_tables import NO_SEQ, EditedTables, read_edited
from .keep_tables import replanned_on
from .network import TravelNetwork
from .notices import Notice
from .plan import Plan, Route, Stop, hms
from .reasons import left_out_causes
from .rules import service_seconds, village_cap
from .scenario.errors import Problem, ScenarioError
from .scenario.load import expect_scenario
from .scenario.model import Scenario

NO_START = -1  # a visit that starts on arrival


def plan_from_folder(scenario: Scenario, path: Path, network: TravelNetwork | None = None
                     ) -> Plan:
    """The plan at `path` (a plan folder, its visits CSV file or its schedule.xlsx, edited by
    hand: read by `hand_tables`) on `scenario` (for a re-plan, what is left after the
    actuals), its times taken again as the module says; a ScenarioError with one located
    problem per bad cell, unknown name or broken rule."""
    expect_scenario(scenario, "planner.plan_from_folder")
    started = time.perf_counter()
    _same_start(scenario, edited_folder(path))
    network = network or TravelNetwork(scenario)
    tables = read_edited(Path(path), scenario)
    _known_names(scenario, tables)
    plan = Plan(scenario, tuple(_routes(scenario, tables.visits, tables.days)))
    routes = _timed(scenario, plan, network, _written_arrivals(tables.visits))
    _warn_if_hours_missed(scenario, plan.routes, routes, tables)
    solver = {"method": "from-plan", "status": "FEASIBLE", "seed": None, "upper_bound": None,
              "seconds": round(time.perf_counter() - started, 3)}
    plan = Plan(scenario, tuple(routes), solver)
    broken = check(scenario, plan, network=network)
    if broken:
        # the checker names rows of the rebuilt tables; the located row is the edited one
        raise ScenarioError([Problem(*tables.where(file, line, rule=True), v.rule,
                                     re.sub(r"\b(visits|days)\.csv line \d+ ", "", v.message))
                             for file, line, v in _located(broken, tables)])
    plan.solver["left_out_causes"] = left_out_causes(Instance(scenario, network), plan)
    return plan


def edited_folder(path: Path) -> Path:
    """The plan folder of an edited plan given as its folder or as a file in it."""
    path = Path(path)
    return path if path.is_dir() else path.parent


def warn_if_in_place(folder: Path, out: Path) -> None:
    """Warn where the edited folder is the output folder: the announced plan is gone, so the
    changes (which villages to tell) compare the edit with itself."""
    if edited_folder(folder).resolve() == Path(out).resolve():
        warnings.warn(Notice("from_plan_in_place", str(out)), stacklevel=2)


def _same_start(scenario: Scenario, folder: Path) -> None:
    """A re-plan's folder is written on what was left after its actuals (that scenario starts
    on the re-plan's `today`), a first plan's on the scenario itself: else its figures would
    leave out what happened, or count it twice."""
    today = replanned_on(folder)
    if today is not None and str(scenario.calendar.start) != today:
        raise ScenarioError([Problem(str(folder / "summary.json"), 1, "actuals",
                                     f"this plan is a re-plan from the visits that happened "
                                     f"before {today}; write it with the same --actuals FILE "
                                     f"(and --today {today}) it was made with")])


def _known_names(scenario: Scenario, tables: EditedTables) -> None:
    """Every unit, village and place the tables name is the scenario's (a located problem
    each, before any travel is looked up)."""
    places = {p.id for p in scenario.places} | {v.id for v in scenario.villages}
    problems = []
    for name, table, columns in (("visits.csv", tables.visits, ("unit", "village_id")),
                                 ("days.csv", tables.days, ("unit", "start_place", "end_place"))):
        for row in table.itertuples(index=False):
            for column in columns:
                value = getattr(row, column)
                known = (scenario.unit_index if column == "unit" else
                         scenario.village_index if column == "village_id" else places)
                if value and value not in known:
                    what = {"unit": "a unit", "village_id": "a village"}.get(
                        column, "a place or a village")
                    problems.append(Problem(*tables.where(name, row.line), column,
                                            f"{value!r} is not {what} of the scenario"))
                elif column == "village_id":  # its written name another village's: warned
                    named_otherwise(scenario.village_index, value, row.village,
                                    "{}:{}".format(*tables.where(name, row.line)))
    if problems:
        raise ScenarioError(problems)


def _routes(scenario: Scenario, visits: pd.DataFrame, days: pd.DataFrame) -> list[Route]:
    """The edited days, untimed: their stops in order, their written departure and places."""
    holidays = holiday_names(scenario)
    stops: dict[tuple, list] = defaultdict(list)
    for key, day in visits.groupby(["unit", "date"], sort=False):
        ordered = _in_edited_order(day)
        kept = _kept_starts(day, ordered)
        for v in ordered.itertuples(index=False):
            people = None if pd.isna(v.recorded) else int(v.recorded)  # None: the turnout cap
            end = getattr(v, "end", None)  # a visit keeping its hour keeps its end as written
            end = int(end) if v.line in kept and end is not None and not pd.isna(end) else 0
            stops[key].append(Stop(v.village_id, 0, kept.get(v.line, NO_START), end, people, 0))
    rows = {(d.unit, d.date): d for d in days.itertuples(index=False)}
    routes = []
    for key in sorted(set(stops) | set(rows), key=lambda k: (k[1], k[0])):
        unit, date = key
        row = rows.get(key)
        home = scenario.unit_index[unit].end_place
        if key not in stops and (row.start_place == home and row.end_place == home):
            continue  # a day trip left without visits: the unit stays home
        kind = day_type(scenario, date, holidays) or ("weekday" if date.weekday() < 5
                                                      else "weekend")
        hours = hours_on(scenario, date, kind)
        depart = (int(row.depart) if row is not None and not pd.isna(row.depart)
                  else hours.start if hours else 0)  # unwritten: the shift's start
        routes.append(Route(unit, date, kind, depart, depart, tuple(stops.get(key, ())), 0,
                            row.start_place if row is not None else None,
                            row.end_place if row is not None else None))
    return routes


def _in_edited_order(day: pd.DataFrame) -> pd.DataFrame:
    """The day's visits in the edited order: by `seq`; a row without one right after the
    numbered visit on the nearest line above it (first where there is none), as a row
    inserted into the workbook stands; rows of one place in the order of their lines."""
    above, keys = 0, {}
    for line, seq in sorted(zip(day["line"], day["seq"])):
        if seq != NO_SEQ:
            above = seq
        keys[line] = (above, 1) if seq == NO_SEQ else (seq, 0)
    return day.assign(_order=[(*keys[line], line) for line in day["line"]]) \
        .sort_values("_order").drop(columns="_order")


def _kept_starts(day: pd.DataFrame, ordered: pd.DataFrame) -> dict[int, int]:
    """line -> written start, for the day's visits (`ordered`: the day in the edited order,
    `_in_edited_order`) that keep it: those whose start is not the arrival written beside it
    or has none beside it (an hour set by hand), and those whose visits before them, in the
    edited order, are the ones written to start before them that day, hours set by hand aside
    (nothing was added, moved in or reordered ahead of them; a visit deleted ahead leaves them
    as announced)."""
    timed = day[day["start"].notna()].sort_values(["start", "line"])
    starts = {int(line): int(t) for line, t in zip(timed["line"], timed["start"])}
    set_by_hand = {int(line) for line in
                   timed[timed["arrive"].isna() | (timed["arrive"] != timed["start"])]["line"]}
    written = [int(line) for line in timed["line"] if int(line) not in set_by_hand]
    edited = [int(line) for line in ordered["line"] if int(line) not in set_by_hand]
    kept = {line: starts[line] for i, line in enumerate(edited)
            if line in starts and set(edited[:i]) == set(written[:written.index(line)])}
    return {**kept, **{line: starts[line] for line in set_by_hand}}


def _warn_if_hours_missed(scenario: Scenario, untimed, timed: list[Route],
                          tables: EditedTables) -> None:
    """A warning at the row of each visit that keeps its written start but is now reached a
    minute or more after it (an hour typed out of reach, a day edited to leave later; a
    spreadsheet may have dropped the seconds) and later than its notice says (notices round
    a start down to 5 minutes, as `changes.csv` compares them): it starts on arrival, so the
    village must be told."""
    kept = {(r.unit, r.date, s.village_id): s.start for r in untimed for s in r.stops
            if s.start != NO_START}
    lines = {(v.unit, v.date, v.village_id): int(v.line)
             for v in tables.visits.itertuples(index=False)}
    for route in timed:
        for stop in route.stops:
            key = (route.unit, route.date, stop.village_id)
            if key in kept and stop.arrive - kept[key] >= 60 and \
                    stop.arrive // FIVE_MINUTES != kept[key] // FIVE_MINUTES:
                file, row = tables.where("visits.csv", lines[key])
                warnings.warn(Notice("from_plan_hour_missed", f"{file}:{row}",
                                     village=scenario.village(stop.village_id).label,
                                     day=route.date.isoformat(), time=hms(stop.arrive),
                                     was=hms(kept[key])), stacklevel=3)


def _written_arrivals(visits: pd.DataFrame) -> dict[tuple, dict[str, int]]:
    """(unit, date) -> {village: its written `arrive`}, for the day's rows that have one."""
    arrivals: dict[tuple, dict[str, int]] = defaultdict(dict)
    for v in visits.itertuples(index=False):
        if v.arrive is not None and not pd.isna(v.arrive):
            arrivals[(v.unit, v.date)][v.village_id] = int(v.arrive)
    return arrivals


def _written_for_another(scenario: Scenario, route: Route, here: str, network: TravelNetwork,
                         arrivals: dict[str, int]) -> bool:
    """Whether the day's written departure is the one a plan chose to reach one of its
    visits just on time (departure + leg = its written arrival), and that visit is no longer
    the day's first: a departure the plan wrote for a kept hour goes with that visit."""
    unit = scenario.unit_index[route.unit]
    first = route.stops[0].village_id if route.stops else None
    return any(village != first and route.depart + network.travel(unit, here, village) == at
               for village, at in arrivals.items())


def _timed(scenario: Scenario, plan: Plan, network: TravelNetwork,
           arrivals: dict[tuple, dict[str, int]]) -> list[Route]:
    """Each route with its legs, arrivals, people, ends and return taken again (module
    docstring), its places resolved as DESIGN §3 does where the tables left them out.
    `arrivals`: the written arrivals of each day's visits (`_written_arrivals`)."""
    remaining = {v.id: v.unrecorded for v in scenario.villages}
    out = []
    for route in sorted(plan.routes, key=lambda r: (r.date, r.unit)):
        unit = scenario.unit_index[route.unit]
        here, end_place = plan.places[(route.unit, route.date)]
        start_place, depart = here, route.depart
        hours = hours_on(scenario, route.date, route.day_type)
        if hours and _written_for_another(scenario, route, here, network,
                                          arrivals.get((route.unit, route.date), {})):
            depart = hours.start  # then in time for the new first visit's kept hour, below
        if route.stops and route.stops[0].start != NO_START:  # leave in time for it, not early
            depart = max(depart, route.stops[0].start
                         - network.travel(unit, here, route.stops[0].village_id))
        clock, travel, stops = depart, 0, []
        for s in route.stops:
            leg = network.travel(unit, here, s.village_id)
            arrive = clock + leg
            start = max(arrive, s.start)  # a kept start waits for its announced hour
            village = scenario.village(s.village_id)
            cap = village_cap(scenario.village_turnout(village), remaining[village.id])
            people = cap if s.recorded is None else min(s.recorded, cap)
            remaining[village.id] -= max(0, people)
            # a visit that keeps its announced hours stays to their end where it records
            # fewer than they allow (a re-plan kept it so): the village is not told again
            end = max(start + service_seconds(scenario, unit.kits, max(0, people)), s.end)
            stops.append(Stop(s.village_id, arrive, start, end, people, leg))
            here, clock, travel = s.village_id, end, travel + leg
        leg = network.travel(unit, here, end_place)
        out.append(dataclasses.replace(route, depart=depart, stops=tuple(stops),
                                       return_=clock + leg, travel_s=travel + leg,
                                       start_place=start_place, end_place=end_place))
    return sorted(out, key=lambda r: (r.unit, r.date))


def _located(broken, tables: EditedTables) -> list[tuple[str, int, object]]:
    """Each broken rule with the edited row it is about (`check.row_of`)."""
    rows = row_index(tables.visits.itertuples(index=False), tables.days.itertuples(index=False))
    return [(*row_of(v, *rows), v) for v in broken]
