"""What happened: read the actual visits, and the scenario that is left (DESIGN §3 `--actuals`).

`load_actuals(path, scenario)` reads a CSV (`,` or `;`) or XLSX file with one row per visit that
happened and at least the columns `unit,date,village_id,recorded` (an optional `counts_on`; a
`village` naming another village warns; other columns are ignored, so last week's `visits.csv`,
corrected in a spreadsheet, is an actuals file as it is; its cells: `actuals_cells`). Every bad
cell or row is a located problem, `FILE:LINE: column: message`, raised as one `ActualsError`.

`Actuals.apply_to(scenario, today)` (the body of `Scenario.after`) gives the scenario that is
left on `today`:

- `calendar.start` is `today`; ranges that ended before it (holidays, closed days, unit
  unavailability) are dropped; every unit starts at home (`end`, where that is a place).
- each village's backlog (`unrecorded`) is its figure minus its actual recordings, clamped at
  0 with a warning naming the village (the estimate was low);
- actual recordings that count by the deadline (Counting: on their date with signal; offline
  on `counts_on` when given, else date + turnaround days) raise the village's `recorded`
  where `eligible` is known, so the new plan's coverage, districts and zones include them;
  recordings made but counting after the deadline lower the backlog and raise nothing;
- the overtime budget is `overtime_unit_days` minus the actual (unit, date) pairs on
  overtime days (clamped at 0, with a warning).

The new plan's own `counted_recordings` and `objective` are the new visits only; the actual
figures are `Actuals.figures(...)`, summary.json's `actuals`.
"""
from __future__ import annotations

import datetime as dt
import json
import warnings
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, Optional

import pandas as pd

from .actuals_cells import (FRAME, ActualsError, blank, day_of, id_text, known_unit,
                            known_village, read_table, whole_people)
from .actuals_workbook import plan_workbook_sheets
from .calendar import WEEKDAY, WEEKEND, day_type, holiday_names
from .notices import Notice
from .scenario.arguments import date_argument
from .scenario.errors import Problem
from .scenario.model import Scenario

REQUIRED = ("unit", "date", "village_id", "recorded")
COMMAND_LINE = "<command line>"


@dataclass(frozen=True)
class ActualVisit:
    """One visit that happened; `line` is where it stands in its file."""

    line: int
    unit: str
    date: dt.date
    village_id: str
    recorded: int
    counts_on: Optional[dt.date] = None  # as the file gives it (offline villages)
    source: str = ""  # where the row stands when not the file itself: FILE[SHEET] of a workbook


@dataclass(frozen=True)
class Actuals:
    """The visits that happened, as read from `source`."""

    source: str
    visits: tuple[ActualVisit, ...]

    @property
    def latest(self) -> Optional[dt.date]:
        return max((v.date for v in self.visits), default=None)

    def default_today(self, scenario: Scenario) -> dt.date:
        """The day after the latest actual visit (`calendar.start` without any)."""
        latest = self.latest
        if latest is None:
            return scenario.calendar.start
        # the last date there is has no day after it; `check_today` reports such a row
        return latest + dt.timedelta(days=1) if latest < dt.date.max else latest

    def counts_on(self, scenario: Scenario, visit: ActualVisit) -> dt.date:
        """DESIGN §3 Counting: with signal on the day; offline on `counts_on` when the file
        gives it, else on the date + the village's turnaround days."""
        v = scenario.village(visit.village_id)
        if v.signal:
            return visit.date
        if visit.counts_on is not None:
            return visit.counts_on
        return visit.date + dt.timedelta(days=scenario.village_turnaround(v))

    def overtime_pairs(self, scenario: Scenario) -> set[tuple[str, dt.date]]:
        """(unit, date) pairs out on an overtime day (a weekend or a holiday, by the calendar;
        a day the calendar does not open still counts by what it is)."""
        holidays = holiday_names(scenario)
        out = set()
        for v in self.visits:
            kind = day_type(scenario, v.date, holidays)
            if kind is None:
                kind = WEEKEND if v.date.weekday() >= 5 or v.date in holidays else WEEKDAY
            if kind != WEEKDAY:
                out.add((v.unit, v.date))
        return out

    def counted_per_day(self, scenario: Scenario) -> dict[str, dict[dt.date, int]]:
        """Village -> {day it counts: recordings}, for recordings counting by the deadline."""
        out: dict[str, dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
        for v in self.visits:
            day = self.counts_on(scenario, v)
            if day <= scenario.calendar.deadline:
                out[v.village_id][day] += v.recorded
        return {k: dict(d) for k, d in out.items()}

    def figures(self, scenario: Scenario, today: dt.date) -> dict[str, Any]:
        """summary.json `actuals`: what happened before `today`, judged on `scenario` (the
        scenario as planned, not the one that is left)."""
        counted = self.counted_per_day(scenario)
        n_counted = sum(sum(d.values()) for d in counted.values())
        recorded = sum(v.recorded for v in self.visits)
        objective = sum((scenario.village(vid).priority * sum(d.values())
                         for vid, d in counted.items()), Decimal(0))
        return {"today": today.isoformat(), "visits": len(self.visits), "recorded": recorded,
                "counted": n_counted, "objective": float(objective),
                "counting_after_deadline": recorded - n_counted,
                "overtime_unit_days": len(self.overtime_pairs(scenario)),
                "unit_days": len({(v.unit, v.date) for v in self.visits})}

    def report(self, scenario: Scenario, today: dt.date) -> dict[str, Any]:
        """summary.json `actuals` of a re-plan: `figures`, `by_village` for progress.png
        and the announcements, and `done`, the visits themselves, which schedule.xlsx's unit
        sheets show before the new plan's (a notebook sets it as the plan's
        `report["actuals"]`)."""
        return {**self.figures(scenario, today), "by_village": self.by_village(scenario),
                "done": self.done(scenario)}

    def done(self, scenario: Scenario) -> list[dict[str, Any]]:
        """summary.json `actuals.done`: each visit that happened (`unit`, `date`,
        `village_id`, `recorded`, `counts_on`: the day it counts, as in Counting), by date,
        unit and village."""
        return [{"unit": v.unit, "date": v.date.isoformat(), "village_id": v.village_id,
                 "recorded": v.recorded, "counts_on": self.counts_on(scenario, v).isoformat()}
                for v in sorted(self.visits, key=lambda v: (v.date, v.unit, v.village_id))]

    def by_village(self, scenario: Scenario) -> dict[str, dict[str, Any]]:
        """summary.json `actuals.by_village`: per village visited, its visit dates, what was
        recorded there and on which days it counts (by the deadline, as in Counting), so that
        progress.png and the announcements can show what happened before `today`."""
        out: dict[str, dict[str, Any]] = {}
        for v in sorted(self.visits, key=lambda v: (v.village_id, v.date)):
            entry = out.setdefault(v.village_id, {"dates": [], "recorded": 0, "counted_on": {}})
            entry["dates"].append(v.date.isoformat())
            entry["recorded"] += v.recorded
        for vid, days in self.counted_per_day(scenario).items():
            out[vid]["counted_on"] = {d.isoformat(): n for d, n in sorted(days.items())}
        for vid, entry in out.items():  # the re-plan's scenario caps recorded at eligible
            village = scenario.village_index.get(vid)
            if village is not None and village.eligible is not None:
                entry["recorded_before"] = village.recorded if village.recorded is not None \
                    else village.eligible - village.unrecorded
        return out

    def check_today(self, scenario: Scenario, today: dt.date) -> None:
        """Raise ActualsError unless `today` lies in the campaign and after every actual."""
        cal = scenario.calendar
        after = [Problem(v.source or self.source, v.line, "date",
                         f"{v.date} is after the campaign's deadline ({cal.deadline}); actuals "
                         "are visits of this campaign") for v in self.visits if v.date > cal.deadline]
        if after:  # the row is wrong, not the day after it (the default --today)
            raise ActualsError(after)
        last = [v for v in self.visits if v.date == cal.deadline]
        if today > cal.deadline and last and today == self.default_today(scenario):
            raise ActualsError([Problem(
                last[0].source or self.source, last[0].line, "date",
                f"{last[0].date} is the campaign's deadline: no day is left to re-plan after "
                "the latest actual visit (the plan's figures are final)")])
        if not cal.start <= today <= cal.deadline:
            raise ActualsError([Problem(COMMAND_LINE, 1, "--today",
                                        f"{today} (the first day of the new plan: --today, "
                                        "or the day after the latest actual visit) is outside "
                                        f"the campaign ({cal.start} to {cal.deadline})")])
        late = [Problem(v.source or self.source, v.line, "date",
                        f"{v.date} is on or after today ({today}); actuals are visits that "
                        "already happened") for v in self.visits if v.date >= today]
        if late:
            raise ActualsError(late)

    def apply_to(self, scenario: Scenario, today: dt.date) -> Scenario:
        """The scenario that is left on `today` (see the module docstring); warns for every
        village recorded beyond its backlog and for an overtime budget overrun."""
        self.check_today(scenario, today)
        done: dict[str, int] = defaultdict(int)
        for v in self.visits:
            done[v.village_id] += v.recorded
        counted = {vid: sum(d.values()) for vid, d in self.counted_per_day(scenario).items()}
        villages = [self._village_left(v, done.get(v.id, 0), counted.get(v.id, 0))
                    for v in scenario.villages]
        changes: dict[str, Any] = {
            "calendar": _calendar_from(scenario.calendar, today),
            "units": [_unit_from(scenario, u, today) for u in scenario.units],
            "villages": villages,
        }
        budget = scenario.staff.overtime_unit_days
        if budget is not None:
            used = len(self.overtime_pairs(scenario))
            if used > budget:
                warnings.warn(Notice("overtime_over_budget", self.source, used=used,
                                     budget=budget), stacklevel=2)
            changes["staff"] = scenario.staff.replace(overtime_unit_days=max(0, budget - used))
        return scenario.replace(**changes)

    def _village_left(self, village, done: int, counted: int):
        if not done:
            return village
        if done > village.unrecorded:
            warnings.warn(Notice("recorded_over_backlog", self.source, village=village.id,
                                 name=village.label, done=done, backlog=village.unrecorded),
                          stacklevel=3)
        change: dict[str, Any] = {"unrecorded": max(0, village.unrecorded - done)}
        if village.eligible is not None:
            before = village.recorded if village.recorded is not None else \
                village.eligible - village.unrecorded
            change["recorded"] = min(village.eligible, before + counted)
        return village.replace(**change)


def _calendar_from(calendar, today: dt.date):
    """The calendar from `today`: ranges that ended before it are gone (no effect left)."""
    return calendar.replace(
        start=today,
        extra_holidays=[r for r in calendar.extra_holidays if r.to >= today],
        closed=[r for r in calendar.closed if r.to >= today])


def _unit_from(scenario: Scenario, unit, today: dt.date):
    """The unit from `today`: at home (DESIGN: every unit is at home at the start of today)."""
    change: dict[str, Any] = {"unavailable": [r for r in unit.unavailable if r.to >= today]}
    home = unit.end_place
    homes = {p.id for p in scenario.places} | {v.id for v in scenario.villages if v.lodging}
    if today > scenario.calendar.start and home != unit.base and home in homes:
        change["base"] = home
    return unit.replace(**change)


ACTUALS_SUFFIXES = (".csv", ".xlsx")


def re_plan_from(folder: Path, name: str, scenario: Scenario, today: Optional[dt.date] = None
                 ) -> tuple[Scenario, dict[str, Any]]:
    """One district of a batch re-planned from what happened (`plan-routes A.yaml B.yaml
    --actuals DIR`): its visits in `folder/<name>.csv` (or `.xlsx`, or else the corrected
    workbook of its plan folder, `folder/<name>-plan/schedule.xlsx`, so that a batch's ROOT is
    itself the folder of what happened) applied from `today` (default: the day after its
    latest one); the scenario left and summary.json `actuals`. Raises ActualsError (located)
    where the file is missing or wrong."""
    files = [*(folder / f"{name}{suffix}" for suffix in ACTUALS_SUFFIXES),
             folder / f"{name}-plan" / "schedule.xlsx"]
    found = [f for f in files if f.is_file()]
    if not found:
        raise ActualsError([Problem(str(folder), 1, "--actuals", (
            f"no file of what happened in {name!r} ({files[0].name}, {files[1].name} or "
            f"{name}-plan/schedule.xlsx); each scenario's actual visits go in a file named "
            "after it"))])
    done = load_actuals(found[0], scenario, today)
    day = today or done.default_today(scenario)
    return scenario.after(done, day), {"actuals": done.report(scenario, day)}


def warn_if_earlier_actuals_missing(folder: Path, by_village: dict) -> None:
    """Warn when the re-plan written earlier into `folder` counted visits that happened (its
    summary.json `actuals.by_village`) that this re-plan's actuals (`by_village`, the same
    form) lack: an actuals file holds every visit since the campaign began, but a re-plan's
    visits.csv holds its own plan only, so last week's visits.csv alone forgets the weeks
    before (its schedule.xlsx lists them)."""
    try:
        earlier = json.loads((Path(folder) / "summary.json").read_text(encoding="utf-8"))
        before = earlier["actuals"]["by_village"]
        pairs = {(vid, day) for vid, entry in before.items() for day in entry["dates"]}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return  # no earlier re-plan there (or not readable as one): nothing to compare
    now = {(vid, day) for vid, entry in by_village.items() for day in entry["dates"]}
    missing = sorted(pairs - now, key=lambda p: (str(p[1]), str(p[0])))
    if missing:
        warnings.warn(Notice("actuals_forgotten", f"{Path(folder) / 'summary.json'}",
                             missing=len(missing), counted=len(pairs),
                             today=earlier["actuals"].get("today"), village=missing[0][0],
                             day=missing[0][1]), stacklevel=2)


# -- reading the file ---------------------------------------------------------------------------

def load_actuals(path: str | Path | pd.DataFrame, scenario: Scenario,
                 today: Optional[dt.date | str] = None) -> Actuals:
    """Read and check an actuals file against `scenario` (and `today`, when known): a table
    (CSV or the first sheet of an XLSX file, or a DataFrame with the same columns, its problems
    at `<DataFrame>:LINE` as in the CSV it writes), or a plan's own `schedule.xlsx` as the
    teams corrected it (`actuals_workbook`; it needs `today`)."""
    today = date_argument(today, "today")  # a notebook's "2018-07-02" as scenario.after takes
    table = path if isinstance(path, pd.DataFrame) else Path(path)
    path = Path(FRAME) if isinstance(table, pd.DataFrame) else table
    source = str(path)
    header, body = read_table(table)
    tables = [(source, header, body)]
    missing = [c for c in REQUIRED if c not in _columns(header)]
    if missing and path.suffix.lower() in (".xlsx", ".xlsm"):
        sheets = plan_workbook_sheets(path, scenario, today, COMMAND_LINE)
        if sheets is not None:
            tables, missing = [(s.source, s.header, s.body) for s in sheets], []
    if missing:
        raise ActualsError([Problem(source, 1, c, f"missing column {c!r}; an actuals file needs "
                                    f"the columns {', '.join(REQUIRED)}") for c in missing])
    problems: list[Problem] = []
    visits: list[ActualVisit] = []
    seen: dict[tuple[str, dt.date], str] = {}
    for where, header, body in tables:
        columns = _columns(header)
        for line, cells in body:
            row = {c: (cells[i] if i < len(cells) else None) for c, i in columns.items()}
            if all(blank(x) for x in row.values()):
                continue
            visit = _read_row(scenario, where, line, row, problems)
            if visit is None:
                continue
            at = f"line {line}" if where == source else f"{where}:{line}"
            first = seen.setdefault((visit.village_id, visit.date), at)
            if first != at:
                problems.append(Problem(where, line, "village_id",
                                        f"a second row for village {visit.village_id} on "
                                        f"{visit.date} (the first is on {first}); a village "
                                        "gets at most one visit a day: merge the two rows"))
                continue
            visits.append(visit if where == source else replace(visit, source=where))
    if problems and today is not None:  # the good rows' dates too, all in one report
        try:
            Actuals(source, tuple(visits)).check_today(scenario, today)
        except ActualsError as exc:
            problems += [p for p in exc.problems if p.file != COMMAND_LINE]
    if problems:
        raise ActualsError(sorted(problems, key=lambda p: (p.file, p.line)))
    for v in visits:  # a village with signal counts on the day (DESIGN §3): say so
        if v.counts_on not in (None, v.date) and scenario.village(v.village_id).signal:
            warnings.warn(Notice("counts_on_with_signal", f"{v.source or source}:{v.line}: "
                                 "counts_on", village=v.village_id, day=str(v.counts_on),
                                 when=str(v.date)), stacklevel=2)
    actuals = Actuals(source, tuple(visits))
    if today is not None:
        actuals.check_today(scenario, today)
    return actuals


def _columns(header: list) -> dict[str, int]:
    """The header's column names (trimmed, lower case) -> their index."""
    return {str(h).strip().lower().lstrip("\ufeff"): i for i, h in enumerate(header)
            if h is not None and str(h).strip()}


def _read_row(scenario: Scenario, source: str, line: int, row: dict,
              problems: list[Problem]) -> Optional[ActualVisit]:
    """One row, or None with its problems added."""
    found: list[Problem] = []

    def cell(column: str, parse):
        try:
            return parse(row.get(column))
        except ValueError as exc:
            found.append(Problem(source, line, column, str(exc)))
            return None

    unit = cell("unit", lambda x: known_unit(id_text(x), scenario.unit_index))
    village = cell("village_id", lambda x: known_village(id_text(x), scenario.village_index,
                                                         row.get("village"), f"{source}:{line}"))
    date = cell("date", day_of)
    recorded = cell("recorded", whole_people)
    counts_on = cell("counts_on", lambda x: None if blank(x) else day_of(x))
    cal = scenario.calendar
    if date is not None and date < cal.start:
        found.append(Problem(source, line, "date", f"{date} is before the campaign starts "
                                                   f"({cal.start}, calendar.start)"))
    if date is not None and counts_on is not None and counts_on < date:
        found.append(Problem(source, line, "counts_on",
                             f"{counts_on} is before the visit's date {date}; a recording "
                             "counts on its date or later"))
    if found:
        problems.extend(found)
        return None
    return ActualVisit(line, unit, date, village, recorded, counts_on)
