"""The independent re-check of a plan against every rule of DESIGN §3.

`check(scenario, plan)` reads a plan the way an outside tool does: only the contract tables of
DESIGN §4 (`visits.csv`, `days.csv`, and `summary.json` when present). Given a `Plan`, its
`visits`/`days` DataFrames are turned into CSV text and read back, so a `Plan` and the folder
written from it are checked by the same code. The checker recomputes every number itself
(exact `Decimal` arithmetic for service times and turnout caps) and never imports a planner
(`planner/solve/`, `planner/baseline.py`) nor the helper functions of `plan.py`, so that it can
catch their bugs. Travel times come from `planner.network.TravelNetwork` and holidays and
closed days from `planner.calendar`, which are the contract's definitions of travel and days.

Deliberate copies, so that a slip in the shared code cannot hide itself: the contract's column
lists (`plan.VISIT_COLUMNS`, `DAY_COLUMNS`), the service-time and turnout-cap arithmetic
(`rules.service_seconds`, `rules.turnout_cap`), the hours rule (`calendar.hours_on`, here
`hours_rule`) and the type of a day (`calendar.day_type`), where a day starts and where a trip
ends (`Plan.places`, `Plan.trip_last_day`), the counting date (`Plan.counts_on`), the nights
away (`Plan.nights`), coverage and zones (`Plan.coverage`, `Targets.zone_of`), the goal date
(`Plan.goal_reached_on`), a re-plan's actual figures and their counting days
(`Actuals.figures`, `Actuals.by_village`, `Actuals.counts_on`), the clock format (`plan.hms`),
the direct road between two places (geopy instead of the network's pyproj), travel on a road
graph and over links (`check_travel`) are written here again from DESIGN §3-4. What it shares
on purpose is the contract's own definitions of the inputs: the parsed `Scenario` (and road
graph file), `planner.calendar` for holidays and closed days, and `planner.network.TravelNetwork`
for travel times (which `travel_network` holds against the roads measured here).

Every rule is one named function taking a `Context` and yielding `Violation`s (Timefold
style); `RULES` lists them. Violations carry a short stable `rule` id and a plain-English
message naming the unit, date, village or place and the numbers involved. The rule ids:

  table_format       columns exactly as §4, dates YYYY-MM-DD, times HH:MM:SS, day_type and
                     overtime values, whole numbers; summary.json keys; missing files
  visit_sequence     seq is 1..n per unit and day
  unknown_unit, unknown_village, village_label (name and district as in the scenario)
  field_day          no work on closed days, holidays (unless worked), outside start..deadline,
                     or on a day the hours rule gives no hours (no weekend shift, a null
                     day-of-week entry such as `friday: null`, a `dates` entry without times)
  day_type           visits' day_type is the calendar's
  unit_unavailable   no unit out on its unavailable days
  day_hours          depart >= the day's start, return <= its end, by the hours rule
                     (weekday/weekend shift, then the day-of-week entry, then `dates` entries
                     in file order, later ones winning)
  day_start          a day starts where the unit slept: its base on its first field day in the
                     plan, after a night away at that lodging, otherwise at its home
  night_lodging      every night away from home is at a place or village with lodging: true
  max_nights         at most the unit's max_nights nights in a row away from home
  trip_ends_home     a night away is followed by a field day of the unit on the next calendar
                     day (no trip across a day without hours, a closed or unavailable day, or
                     past the deadline), so the last day of every trip ends at home
  travel_time        every leg (start place, villages, end place) takes at least the network's
                     time; no leg without a path (water villages only through links)
  travel_network     the network's time of every leg driven is the shortest way measured
                     by `check_travel` (the direct road: geopy or Euclid x circuity / speed,
                     or the road graph's snap legs and shortest way; and the links), to the
                     second (3 s on a road graph)
  travel_minutes     a visit's travel_min is the network's time from the previous stop (or the
                     day's start place), to the hundredth of a minute: waiting is not travel
  start_after_arrive, service_time (exact Decimal), recorded_positive, one_visit_per_day,
  turnout_cap        r <= ceil(turnout x remaining), exact, visits in date order
  generator          power: false villages only with a generator
  unit_districts     a unit given `districts` visits only the villages of those kecamatan
  village_closed     no visit to a village on a day its `closures` entry (the village or its
                     kecamatan named) closes it, nor a day starting or sleeping there (a
                     unit's own base and home exempt)
  staff_per_day, overtime_budget (every days.csv row counts, a trip day without visits too)
  counts_on          the date with signal; offline: the last day of the visit's trip (the day
                     the unit is back at home) + the turnaround days
  counts_by_deadline every planned recording counts on or before the deadline
  days_match_visits  one days.csv row per unit-day, agreeing on visits, recorded, travel,
                     overtime; a row without visits only for a trip day (starting or ending
                     away from home): a day trip without a visit is a day out for nothing
  summary_nights     summary.json `nights` (when given) is the nights away in days.csv
  summary_counted, summary_objective, upper_bound, summary_coverage, summary_left_out,
  summary_gap        gap = (upper_bound - objective) / upper_bound, null without a bound
  summary_goal       goal_reached_on is the first day counted coverage reaches targets.goal
                     (the start if met before any visit), null if never; for a re-plan with
                     the actual recordings counted on their days (only given its `Replan`)
  summary_actuals    a re-plan's summary.json `actuals` (today, visits, recorded, counted,
                     objective, overtime unit-days, and per village its dates, recordings,
                     counting days and recorded before) recomputed from its `Replan`

A re-plan (DESIGN §3 "Re-planning") is checked against the scenario that is left; given a
`Replan` (the scenario as planned, the visits that happened and `today`), its summary's
`actuals` and goal date are recomputed too. The actual visits are read by `planner.actuals`:
input, as the Scenario is; their counting days and figures are computed here again.

Where the unit sleeps is read from days.csv (`start_place`, `end_place`); a visit's trip is
the run of the unit's days.csv rows on consecutive dates joined by nights away from home.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional, Union

import pandas as pd

from .calendar import HOLIDAY, WEEKDAY, WEEKEND, closed_dates, holiday_names
from .network import UNREACHABLE, TravelNetwork
from .scenario.input_limits import MAX_TABLE_ROWS, too_many_rows
from .scenario.load import expect_scenario
from .scenario.model import Scenario, Shift, Unit, Village

VISIT_COLUMNS = ["unit", "date", "seq", "village_id", "village", "district", "arrive", "start",
                 "end", "recorded", "counts_on", "day_type", "travel_min"]
DAY_COLUMNS = ["unit", "date", "depart", "return", "visits", "recorded", "travel_min", "overtime",
               "start_place", "end_place"]
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
SUMMARY_KEYS = ["counted_recordings", "objective", "upper_bound", "gap", "coverage_before",
                "coverage_after", "districts", "left_out", "goal_reached_on", "nights", "solver"]
DAY_TYPES = (WEEKDAY, WEEKEND, HOLIDAY)
DAY_TYPE_WORDS = {WEEKDAY: "a working weekday (weekday)", WEEKEND: "a weekend day (weekend)",
                  HOLIDAY: "a worked holiday (holiday)"}

# A minutes figure is written rounded to 2 decimals: each may be off by up to 0.005.
MINUTE_ROUNDING = 0.005
TRAVEL_MIN_TOLERANCE = 0.01
OBJECTIVE_TOLERANCE = 1e-6
GAP_TOLERANCE = 2e-6  # the gap is written to 6 decimals


@dataclass(frozen=True)
class Violation:
    """One broken rule: a stable `rule` id and a message a district planner understands."""

    rule: str
    message: str
    unit: Optional[str] = None
    date: Optional[dt.date] = None
    village_id: Optional[str] = None

    def __str__(self) -> str:
        return self.message


# -- reading the tables -----------------------------------------------------------------------

@dataclass(frozen=True)
class Tables:
    """The contract tables as text, exactly as an outside tool reads them."""

    visits: Optional[pd.DataFrame]  # None: the file is missing
    days: Optional[pd.DataFrame]
    summary: Optional[dict]
    problems: tuple[str, ...] = ()  # files that are missing or unreadable


def _read_csv_text(source, nrows: Optional[int] = None) -> pd.DataFrame:
    return pd.read_csv(source, dtype=str, keep_default_na=False, na_filter=False, nrows=nrows)


def tables_of_plan(plan) -> Tables:
    """A Plan's tables, through CSV text, so they are read as the written files would be."""
    frames = []
    for df in (plan.visits, plan.days):
        buf = io.StringIO()
        df.to_csv(buf, index=False)
        buf.seek(0)
        frames.append(_read_csv_text(buf))
    summary = json.loads(json.dumps(plan.summary(), default=str))
    return Tables(frames[0], frames[1], summary)


def tables_of_folder(folder: Union[str, Path]) -> Tables:
    """`visits.csv`, `days.csv` and (optional) `summary.json` of an output folder."""
    folder = Path(folder)
    problems: list[str] = []
    frames: list[Optional[pd.DataFrame]] = []
    for name in ("visits.csv", "days.csv"):
        path = folder / name
        if not path.is_file():
            problems.append(f"{path} is missing: an output folder must hold {name} (DESIGN §4).")
            frames.append(None)
            continue
        try:  # one row past the limit is enough to refuse a table no plan writes
            frame = _read_csv_text(path, nrows=MAX_TABLE_ROWS + 1)
        except Exception as exc:  # pandas raises several kinds for bad CSV
            problems.append(f"{path} cannot be read as CSV: {exc}")
            frames.append(None)
            continue
        if len(frame) > MAX_TABLE_ROWS:
            problems.append(f"{path} is not read: {too_many_rows(MAX_TABLE_ROWS)}")
            frame = None
        frames.append(frame)
    summary = None
    path = folder / "summary.json"
    if path.is_file():
        try:
            summary = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            problems.append(f"{path} is not valid JSON: {exc}")
        else:
            if not isinstance(summary, dict):
                problems.append(f"{path} must hold a JSON object with the keys of DESIGN §4.")
                summary = None
    return Tables(frames[0], frames[1], summary, tuple(problems))


# -- parsing the cells ------------------------------------------------------------------------

# ASCII digits only, the whole cell: §4's formats, not whatever Python's int() or float() take
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
_TIME = re.compile(r"^(\d{2}):(\d{2}):(\d{2})$", re.ASCII)
_INT = re.compile(r"^-?\d+$", re.ASCII)
_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$", re.ASCII)


def _parse_date(text: str) -> dt.date:
    if not _DATE.match(text):
        raise ValueError("expected a date YYYY-MM-DD")
    return dt.date.fromisoformat(text)


def _parse_time(text: str) -> int:
    m = _TIME.match(text)
    if not m or int(m.group(2)) > 59 or int(m.group(3)) > 59:
        raise ValueError("expected a time HH:MM:SS")
    return int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3))


def _parse_int(text: str) -> int:
    if not _INT.match(text):
        raise ValueError("expected a whole number")
    return int(text)


def _parse_minutes(text: str) -> float:
    if not _DECIMAL.match(text):
        raise ValueError("expected a number of minutes such as 12.5")
    return float(text)


def _parse_day_type(text: str) -> str:
    if text not in DAY_TYPES:
        raise ValueError("expected weekday, weekend or holiday")
    return text


def _parse_bool(text: str) -> bool:
    if text not in ("true", "false"):
        raise ValueError("expected true or false")
    return text == "true"


def _text(text: str) -> str:
    return text


VISIT_PARSERS: dict[str, Callable[[str], Any]] = {
    "unit": _text, "date": _parse_date, "seq": _parse_int, "village_id": _text,
    "village": _text, "district": _text, "arrive": _parse_time, "start": _parse_time,
    "end": _parse_time, "recorded": _parse_int, "counts_on": _parse_date,
    "day_type": _parse_day_type, "travel_min": _parse_minutes,
}
DAY_PARSERS: dict[str, Callable[[str], Any]] = {
    "unit": _text, "date": _parse_date, "depart": _parse_time, "return": _parse_time,
    "visits": _parse_int, "recorded": _parse_int, "travel_min": _parse_minutes,
    "overtime": _parse_bool, "start_place": _text, "end_place": _text,
}


@dataclass(frozen=True)
class VisitRow:
    line: int  # line in visits.csv (the header is line 1)
    unit: str
    date: dt.date
    seq: int
    village_id: str
    village: str
    district: str
    arrive: int
    start: int
    end: int
    recorded: int
    counts_on: dt.date
    day_type: str
    travel_min: float


@dataclass(frozen=True)
class DayRow:
    line: int  # line in days.csv
    unit: str
    date: dt.date
    depart: int
    return_: int
    visits: int
    recorded: int
    travel_min: float
    overtime: bool
    start_place: str
    end_place: str


def _parse_rows(name: str, df: pd.DataFrame, parsers: dict, columns: list[str],
                build: Callable[..., Any]) -> tuple[list, list[Violation]]:
    """Typed rows plus `table_format` violations; a row with a bad cell is left out."""
    problems: list[Violation] = []
    if list(df.columns) != columns:
        missing = [c for c in columns if c not in df.columns]
        extra = [c for c in df.columns if c not in columns]
        detail = []
        if missing:
            detail.append("missing " + ", ".join(missing))
        if extra:
            detail.append("unexpected " + ", ".join(map(str, extra)))
        if not detail:
            detail.append("wrong order")
        semicolons = len(df.columns) == 1 and str(df.columns[0]).split(";")[:2] == columns[:2]
        problems.append(Violation("table_format", (
            f"{name} has `;` between its cells (saved again by a spreadsheet?) where a plan's "
            "files have `,`: `--from-plan FOLDER` reads it and writes the plan with `,`"
            if semicolons else
            f"{name} columns must be exactly {','.join(columns)} (DESIGN §4); "
            f"found {','.join(map(str, df.columns))} ({'; '.join(detail)}).")))
        if missing:
            return [], problems
    rows = []
    for i, rec in enumerate(df.to_dict("records")):
        line = i + 2
        values, bad = {}, []
        for col, parse in parsers.items():
            # ids and names may be padded; a formatted cell is read as written
            text = str(rec[col]).strip() if parse is _text else str(rec[col])
            try:
                values[col] = parse(text)
            except ValueError as exc:
                bad.append(f"{col} {text!r}: {exc}")
        if bad:
            problems.append(Violation(
                "table_format", f"{name} line {line}: " + "; ".join(bad) + ".",
                unit=str(rec.get("unit", "")) or None))
            continue
        rows.append(build(line=line, **values))
    return rows, problems


def _visit_row(**v) -> VisitRow:
    return VisitRow(**v)


def _day_row(**v) -> DayRow:
    v["return_"] = v.pop("return")
    return DayRow(**v)


# -- what every rule sees ---------------------------------------------------------------------

def hms(seconds: int) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def duration(seconds: Union[int, Decimal]) -> str:
    """A duration a planner reads at a glance: '10 min', '1 h 05 min', '3 min 20 s'; a
    negative one (an end before its start) as '-10 min 1 s'."""
    if seconds < 0:
        return "-" + duration(-seconds)
    whole = int(seconds)
    frac = Decimal(seconds) - whole if isinstance(seconds, Decimal) else 0
    h, rest = divmod(whole, 3600)
    m, s = divmod(rest, 60)
    sec = f"{float(s + frac):.3f}".rstrip("0").rstrip(".") if frac else str(s)
    if h:
        return f"{h} h {m:02d} min" + (f" {sec} s" if s or frac else "")
    if m:
        return f"{m} min" + (f" {sec} s" if s or frac else "")
    return f"{sec} s"


@dataclass(frozen=True)
class Hours:
    """A day's hours by the hours rule; `start`/`end` None: no field work that day. `source`
    names the entry of `shift` that decided them, for the messages."""

    start: Optional[int]
    end: Optional[int]
    source: str

    @property
    def open(self) -> bool:
        return self.start is not None


def hours_rule(shift: Shift, date: dt.date, kind: str) -> Hours:
    """DESIGN §3 "Hours", written again here: the weekday shift on a weekday, the weekend shift
    on a weekend day or worked holiday; then the entry for the day of the week when the file
    gives one (null: no field work); then every `shift.dates` entry covering the date, in
    file order, the later winning (no times: no field work). Whether the day may be worked at
    all (closed, holiday, horizon) is `Context.kind_of`'s question."""
    window = shift.weekday if kind == WEEKDAY else shift.weekend
    source = "the weekday shift" if kind == WEEKDAY else "the weekend shift"
    if kind == HOLIDAY:
        source += ", which a worked holiday takes"
    hours = Hours(window.start, window.end, source) if window is not None else \
        Hours(None, None, source)
    name = WEEKDAY_NAMES[date.weekday()]
    if name in shift.model_fields_set:  # given in the file; null is given too
        window = getattr(shift, name)
        hours = Hours(getattr(window, "start", None), getattr(window, "end", None),
                      f"shift.{name}")
    for entry in shift.dates:
        if entry.from_ <= date <= entry.to:
            why = f" ({entry.reason})" if entry.reason else ""
            hours = Hours(entry.start, entry.end,
                          f"the shift.dates entry {entry.from_} to {entry.to}{why}")
    return hours


@dataclass(frozen=True)
class Replan:
    """What a re-plan was made from, beside the scenario that is left: the scenario as
    planned, the visits that happened (`planner.actuals.ActualVisit`: unit, date, village_id,
    recorded, counts_on) and `today`, the re-plan's first day."""

    planned: Scenario
    visits: tuple
    today: dt.date


@dataclass
class Context:
    """The scenario, its travel network and calendar, and the plan's parsed rows."""

    scenario: Scenario
    visits: list[VisitRow]
    days: list[DayRow]
    summary: Optional[dict]
    network: Optional[TravelNetwork] = None  # built here when not given
    replan: Optional[Replan] = None  # a re-plan's inputs, where the caller gives them

    def __post_init__(self):
        if self.network is None:
            self.network = TravelNetwork(self.scenario)
        self.units = {u.id: u for u in self.scenario.units}
        self.villages = self.scenario.village_index
        self.places = {p.id: p for p in self.scenario.places}
        self.holidays = holiday_names(self.scenario)
        self.closed = closed_dates(self.scenario)
        by_day: dict[tuple[str, dt.date], list[VisitRow]] = defaultdict(list)
        for v in self.visits:
            by_day[(v.unit, v.date)].append(v)
        # (unit, date) -> that day's visits in order
        self.day_visits = {k: sorted(vs, key=lambda v: (v.seq, v.line))
                           for k, vs in by_day.items()}
        self.day_rows: dict[tuple[str, dt.date], DayRow] = {}
        for d in self.days:
            self.day_rows.setdefault((d.unit, d.date), d)
        self.unit_rows: dict[str, list[DayRow]] = defaultdict(list)
        for (unit, _), d in sorted(self.day_rows.items(), key=lambda kv: kv[0][1]):
            self.unit_rows[unit].append(d)

    def unit_days(self) -> list[tuple[str, dt.date]]:
        """Every (unit, date) the plan sends out, from either table."""
        return sorted(set(self.day_visits) | set(self.day_rows), key=lambda k: (k[1], k[0]))

    def kind_of(self, date: dt.date) -> Optional[str]:
        """The day's type (DESIGN §3 "Days"), before hours: None when the day is closed, outside
        the campaign, or a holiday that is not worked."""
        cal = self.scenario.calendar
        if date in self.closed or not cal.start <= date <= cal.deadline:
            return None
        if date in self.holidays:
            return HOLIDAY if cal.work_on_holidays else None
        return WEEKEND if date.weekday() >= 5 else WEEKDAY

    def hours(self, date: dt.date) -> Optional[Hours]:
        """The day's hours by `hours_rule`; None when the day cannot be worked at all."""
        kind = self.kind_of(date)
        return None if kind is None else hours_rule(self.scenario.shift, date, kind)

    def calendar_type(self, date: dt.date) -> Optional[str]:
        """The day's type, or None when no field work may happen (no hours either)."""
        hours = self.hours(date)
        return self.kind_of(date) if hours is not None and hours.open else None

    def travel(self, unit: Unit, a: str, b: str) -> int:
        return self.network.travel(unit, a, b)

    def place_name(self, pid: str) -> str:
        if pid in self.villages:
            return f"{self.villages[pid].label} ({pid})"
        if pid in self.places:
            p = self.places[pid]
            return f"{p.name} ({pid})" if p.name else pid
        return pid

    def turnaround(self, v: Village) -> int:
        if v.signal:
            return 0
        return v.turnaround_days if v.turnaround_days is not None else \
            self.scenario.offline_turnaround_days

    # -- where units sleep (DESIGN §3 "A day", "Trips"), read from days.csv ----------------
    def home(self, unit: str) -> Optional[str]:
        u = self.units.get(unit)
        return u.end_place if u is not None else None

    def away(self, d: DayRow) -> bool:
        """Whether the unit spends the night after this row away from home."""
        home = self.home(d.unit)
        return home is not None and d.end_place != home

    def row_on(self, unit: str, date: dt.date) -> Optional[DayRow]:
        return self.day_rows.get((unit, date))

    def slept_at(self, unit: str, date: dt.date) -> tuple[str, str]:
        """(where the unit's day must start, why): its base on its first field day in the
        plan; the lodging of the night before when it ended the day before away from home;
        its home otherwise. A night away followed by no field day is `trip_ends_home`'s."""
        u = self.units[unit]
        rows = self.unit_rows.get(unit, [])
        if not rows or date <= rows[0].date:
            return u.base, "its base on its first field day in the plan"
        before = self.row_on(unit, date - dt.timedelta(days=1))
        if before is not None and self.away(before):
            return before.end_place, f"where it spent the night of {before.date}"
        return u.end_place, "its home, where it sleeps between trips"

    def start_place(self, unit: str, date: dt.date) -> str:
        """Where the day leaves from: days.csv's start_place, or where the unit slept."""
        d = self.row_on(unit, date)
        return d.start_place if d is not None else self.slept_at(unit, date)[0]

    def trip_last_day(self, unit: str, date: dt.date) -> dt.date:
        """The last day of the trip holding `date`: follow nights away from home to the next
        day's row; the day the unit is back at home (or its days.csv rows run out)."""
        d = self.row_on(unit, date)
        while d is not None and self.away(d):
            after = self.row_on(unit, d.date + dt.timedelta(days=1))
            if after is None:
                break
            d = after
        return d.date if d is not None else date

    def counts_on(self, row: VisitRow) -> dt.date:
        """When the recording counts (DESIGN §3 "Counting"): the visit's date with signal;
        offline, the last day of its trip + the turnaround days."""
        v = self.villages.get(row.village_id)
        if v is None:
            return row.counts_on
        if v.signal:
            return row.date
        back = self.trip_last_day(row.unit, row.date) if row.unit in self.units else row.date
        return back + dt.timedelta(days=self.turnaround(v))

    # -- a re-plan's actual visits (DESIGN §3 "Re-planning") -------------------------------
    def actual_counts_on(self, visit) -> dt.date:
        """When an actual visit's recordings count: its date with signal; offline, the file's
        `counts_on` where given, else its date + the turnaround days."""
        v = self.replan.planned.village_index[visit.village_id]
        if v.signal:
            return visit.date
        if visit.counts_on is not None:
            return visit.counts_on
        return visit.date + dt.timedelta(days=self.turnaround(v))

    def actual_counted(self) -> dict[str, dict[dt.date, int]]:
        """Village -> {day: actual recordings counting that day}, by the deadline."""
        out: dict[str, dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
        for visit in self.replan.visits:
            day = self.actual_counts_on(visit)
            if day <= self.scenario.calendar.deadline:
                out[visit.village_id][day] += visit.recorded
        return out


def _where(unit: str, date: dt.date) -> str:
    return f"Unit {unit} on {date.isoformat()}"


def _at(ctx: Context, row: VisitRow) -> str:
    return f"{_where(row.unit, row.date)} at {ctx.place_name(row.village_id)} (visit {row.seq})"


# -- the rules --------------------------------------------------------------------------------

def unknown_unit(ctx: Context) -> Iterator[Violation]:
    """Every unit in the tables exists in the scenario."""
    lines: dict[str, list[str]] = defaultdict(list)
    for v in ctx.visits:
        if v.unit not in ctx.units:
            lines[v.unit].append(f"visits.csv line {v.line}")
    for d in ctx.days:
        if d.unit not in ctx.units:
            lines[d.unit].append(f"days.csv line {d.line}")
    for unit, where in lines.items():
        yield Violation("unknown_unit",
                        f"Unit {unit!r} is not one of the scenario's units "
                        f"({', '.join(ctx.units)}); it appears on {', '.join(where[:5])}"
                        f"{' and more' if len(where) > 5 else ''}.", unit=unit)


def unknown_village(ctx: Context) -> Iterator[Violation]:
    """Every visited village exists in the scenario."""
    lines: dict[str, list[int]] = defaultdict(list)
    for v in ctx.visits:
        if v.village_id not in ctx.villages:
            lines[v.village_id].append(v.line)
    for vid, where in lines.items():
        yield Violation("unknown_village",
                        f"Village {vid!r} is not in the scenario's village list; "
                        f"visits.csv names it on line(s) {', '.join(map(str, where[:5]))}.",
                        village_id=vid)


def village_label(ctx: Context) -> Iterator[Violation]:
    """The `village` and `district` columns show the scenario's name and district."""
    for v in ctx.visits:
        known = ctx.villages.get(v.village_id)
        if known is None:
            continue
        want = (known.label, known.district or "")
        if (v.village, v.district) != want:
            yield Violation("village_label",
                            f"visits.csv line {v.line}: village {v.village_id} is named "
                            f"{v.village!r} in district {v.district!r}, but the scenario calls it "
                            f"{want[0]!r} in district {want[1]!r}.",
                            unit=v.unit, date=v.date, village_id=v.village_id)


def visit_sequence(ctx: Context) -> Iterator[Violation]:
    """Visits of a unit-day are numbered 1..n without gaps or repeats."""
    for (unit, date), rows in ctx.day_visits.items():
        seqs = [r.seq for r in rows]
        if seqs != list(range(1, len(rows) + 1)):
            # at the visits.csv row of the first number out of place: days.csv has no seq
            first = next(r for n, r in enumerate(rows, start=1) if r.seq != n)
            yield Violation("visit_sequence",
                            f"{_where(unit, date)}: the visits are numbered "
                            f"{', '.join(map(str, seqs))}; they must be numbered 1 to {len(rows)} "
                            "in the order they happen.", unit=unit, date=date,
                            village_id=first.village_id)


def field_day(ctx: Context) -> Iterator[Violation]:
    """Units go out only on days that may be worked (DESIGN §3 "Days", "Hours")."""
    cal, shift = ctx.scenario.calendar, ctx.scenario.shift
    for unit, date in ctx.unit_days():
        if ctx.calendar_type(date) is not None:
            continue
        hours = ctx.hours(date)
        if date < cal.start or date > cal.deadline:
            why = f"it lies outside the campaign ({cal.start} to {cal.deadline})"
        elif date in ctx.closed:
            reasons = [r.reason for r in cal.closed if r.from_ <= date <= r.to and r.reason]
            why = "the office is closed for field work" + (f" ({reasons[0]})" if reasons else "")
        elif date in ctx.holidays and not cal.work_on_holidays:
            why = f"it is a holiday ({ctx.holidays[date]}) and calendar.work_on_holidays is false"
        elif date in ctx.holidays and hours.source.startswith("the weekend shift"):
            why = (f"it is a holiday ({ctx.holidays[date]}) and there is no weekend shift to "
                   "work it")
        elif hours.source == "the weekend shift" and shift.weekend is None:
            why = f"it is a {date.strftime('%A')} and the scenario has no weekend shift"
        else:
            why = f"it has no hours: {hours.source} gives no field work that day"
        yield Violation("field_day",
                        f"{_where(unit, date)}: no field work is allowed that day: {why}.",
                        unit=unit, date=date)


def day_type_matches(ctx: Context) -> Iterator[Violation]:
    """`day_type` in visits.csv is the calendar's type of the day."""
    for (unit, date), rows in ctx.day_visits.items():
        want = ctx.calendar_type(date)
        if want is None:
            continue  # field_day reports it
        wrong = sorted({r.day_type for r in rows if r.day_type != want})
        if wrong:
            # at the first visits.csv row that has it wrong: days.csv has no day_type column
            first = next(r for r in rows if r.day_type != want)
            yield Violation("day_type",
                            f"{_where(unit, date)}: visits.csv gives day_type {'/'.join(wrong)}, "
                            f"but the calendar makes {date.isoformat()} ({date.strftime('%A')}) "
                            f"{DAY_TYPE_WORDS[want]}.", unit=unit, date=date,
                            village_id=first.village_id)


def unit_unavailable(ctx: Context) -> Iterator[Violation]:
    """A unit never goes out on its `unavailable` days."""
    for unit, date in ctx.unit_days():
        u = ctx.units.get(unit)
        if u is not None and u.unavailable_on(date):
            yield Violation("unit_unavailable",
                            f"{_where(unit, date)}: the unit is out, but the scenario marks it "
                            "unavailable that day.", unit=unit, date=date)


def day_hours(ctx: Context) -> Iterator[Violation]:
    """Leave the start place no earlier than the day's start and reach the night's place by
    its end, the hours coming from the hours rule (`hours_rule`)."""
    for (unit, date), d in sorted(ctx.day_rows.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        hours = ctx.hours(date)
        if hours is None or not hours.open:
            continue  # field_day reports it
        if d.depart < hours.start:
            yield Violation("day_hours",
                            f"{_where(unit, date)}: leaves {ctx.place_name(d.start_place)} at "
                            f"{hms(d.depart)}, before the day's hours start at "
                            f"{hms(hours.start)} ({hours.source}).", unit=unit, date=date)
        if d.return_ > hours.end:
            yield Violation("day_hours",
                            f"{_where(unit, date)}: reaches {ctx.place_name(d.end_place)} at "
                            f"{hms(d.return_)}, after the day's hours end at "
                            f"{hms(hours.end)} ({hours.source}; "
                            f"{duration(d.return_ - hours.end)} late).", unit=unit, date=date)


def day_start(ctx: Context) -> Iterator[Violation]:
    """A day starts where the unit slept (DESIGN §3 "A day"): its base on its first field
    day, after a night away at that lodging, otherwise at its home."""
    for unit, rows in ctx.unit_rows.items():
        if unit not in ctx.units:
            continue
        for d in rows:
            want, why = ctx.slept_at(unit, d.date)
            if d.start_place != want:
                yield Violation("day_start",
                                f"{_where(unit, d.date)}: days.csv line {d.line} starts the day "
                                f"at {ctx.place_name(d.start_place)}, but the unit wakes up at "
                                f"{ctx.place_name(want)} ({why}).", unit=unit, date=d.date)


def night_lodging(ctx: Context) -> Iterator[Violation]:
    """Every night away from home is spent at a place or village with `lodging: true`."""
    for unit, rows in ctx.unit_rows.items():
        for d in rows:
            if not ctx.away(d):
                continue
            place = ctx.villages.get(d.end_place) or ctx.places.get(d.end_place)
            home = ctx.place_name(ctx.home(unit))
            if place is None:
                why = "which is not a place or village of the scenario"
            elif not place.lodging:
                why = ("which is not a lodging (lodging: true); a unit sleeps at home "
                       f"({home}) or at a lodging")
            else:
                continue
            yield Violation("night_lodging",
                            f"{_where(unit, d.date)}: days.csv line {d.line} ends the day at "
                            f"{ctx.place_name(d.end_place)} for the night, {why}.",
                            unit=unit, date=d.date)


def _nights_in_a_row(ctx: Context, rows: list[DayRow]) -> list[list[DayRow]]:
    """The unit's runs of nights away from home on consecutive dates."""
    runs: list[list[DayRow]] = []
    for d in rows:
        if not ctx.away(d):
            continue
        if runs and (d.date - runs[-1][-1].date).days == 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    return runs


def max_nights(ctx: Context) -> Iterator[Violation]:
    """A unit spends at most `max_nights` nights in a row away from home (0: none)."""
    for unit, rows in ctx.unit_rows.items():
        u = ctx.units.get(unit)
        if u is None:
            continue
        for run in _nights_in_a_row(ctx, rows):
            if len(run) > u.max_nights:
                where = ", ".join(f"{d.date} at {ctx.place_name(d.end_place)}" for d in run)
                yield Violation("max_nights",
                                f"Unit {unit} spends {len(run)} night(s) in a row away from home "
                                f"({where}), but its max_nights is {u.max_nights}.",
                                unit=unit, date=run[0].date)


def _no_field_day_because(ctx: Context, unit: str, date: dt.date) -> str:
    """Why the unit cannot be out on `date` (or that days.csv simply has no row for it)."""
    if date > ctx.scenario.calendar.deadline:
        return (f"it is after the deadline {ctx.scenario.calendar.deadline}: a trip cannot run "
                "past it")
    if ctx.calendar_type(date) is None:
        return "no field work is allowed that day: the team comes home for it"
    if ctx.units[unit].unavailable_on(date):
        return "the unit is unavailable that day: the team comes home for it"
    return "days.csv has no row for the unit that day"


def trip_ends_home(ctx: Context) -> Iterator[Violation]:
    """A night away is followed by a field day of the unit on the next calendar day, so every
    trip is consecutive field days whose last day ends at home (DESIGN §3 "Trips")."""
    for unit, rows in ctx.unit_rows.items():
        if unit not in ctx.units:
            continue
        for d in rows:
            after = d.date + dt.timedelta(days=1)
            if not ctx.away(d) or ctx.row_on(unit, after) is not None:
                continue
            yield Violation("trip_ends_home",
                            f"{_where(unit, d.date)}: the unit spends the night at "
                            f"{ctx.place_name(d.end_place)}, but it has no field day on {after} "
                            f"({_no_field_day_because(ctx, unit, after)}); the last day of a "
                            f"trip must end at home, {ctx.place_name(ctx.home(unit))}.",
                            unit=unit, date=d.date)


def _legs(ctx: Context, unit: str, date: dt.date) -> list[tuple]:
    """A unit-day's legs: (from place, leaving at, to place, there at, the visit reached or
    None for the leg to the night's place). Without a days.csv row the legs from the start
    place and to the night's place are unknown and left out."""
    rows, d = ctx.day_visits.get((unit, date), []), ctx.day_rows.get((unit, date))
    stops = [(r.village_id, r.arrive, r.end, r) for r in rows]
    if d is not None:
        stops = [(d.start_place, None, d.depart, None)] + stops \
            + [(d.end_place, d.return_, None, None)]
    return [(a, ready, b, arrive, row)
            for (a, _, ready, _), (b, arrive, _, row) in zip(stops, stops[1:])]


def travel_time(ctx: Context) -> Iterator[Violation]:
    """Every leg, from the day's start place through its visits to the place where the unit
    sleeps, takes at least the network's travel time; unreachable legs are impossible."""
    for unit, date in ctx.unit_days():
        u = ctx.units.get(unit)
        if u is None:
            continue
        rows = ctx.day_visits.get((unit, date), [])
        for a, ready, b, arrive, row in _legs(ctx, unit, date):
            if a not in ctx.network.index or b not in ctx.network.index:
                continue  # unknown_village, day_start or night_lodging reports it
            need = ctx.travel(u, a, b)
            vid = row.village_id if row is not None else (rows[-1].village_id if rows else None)
            if need >= UNREACHABLE:
                yield Violation("travel_time",
                                f"{_where(unit, date)}: there is no way from "
                                f"{ctx.place_name(a)} to {ctx.place_name(b)} (a water village "
                                "is reached only through its links).",
                                unit=unit, date=date, village_id=vid)
                continue
            if arrive < ready + need:
                if row is not None:
                    what = f"arrives at {ctx.place_name(b)} at {hms(arrive)}"
                elif b == u.end_place:
                    what = f"is back at {ctx.place_name(b)} at {hms(arrive)}"
                else:
                    what = f"reaches {ctx.place_name(b)} for the night at {hms(arrive)}"
                yield Violation("travel_time",
                                f"{_where(unit, date)}: {what}, but leaving {ctx.place_name(a)} at "
                                f"{hms(ready)} and travelling {duration(need)} it cannot be there "
                                f"before {hms(ready + need)}.",
                                unit=unit, date=date, village_id=vid)


def _network_legs(ctx: Context) -> list[tuple]:
    """Every leg driven between two different places the network knows, with a way: (unit,
    date, from, to, the visit reached or None, unit speed km/h, the network's seconds)."""
    out = []
    for unit, date in ctx.unit_days():
        u = ctx.units.get(unit)
        if u is None:
            continue
        speed = float(ctx.scenario.unit_speed(u))
        for a, _, b, _, row in _legs(ctx, unit, date):
            if a == b or a not in ctx.network.index or b not in ctx.network.index:
                continue
            got = ctx.travel(u, a, b)
            if got < UNREACHABLE:  # travel_time reports a leg without a way
                out.append((unit, date, a, b, row, speed, got))
    return out


def travel_network(ctx: Context) -> Iterator[Violation]:
    """The network's time of every leg the plan drives is the shortest way measured here by
    `check_travel` (the direct road, or the road graph's way, and links), to the second (3 s
    on a road graph); a place whose road cannot be measured is named. A slip in the shared
    travel network would otherwise pass every other rule, which all measure by it."""
    from .check_travel import Travel

    legs = _network_legs(ctx)
    measure = Travel(ctx.scenario)
    unmeasurable = measure.prepare({place for leg in legs for place in leg[2:4]})
    what = ("the road graph's way" if ctx.scenario.travel.roads else "the direct road") + \
        (" or links" if ctx.scenario.links else "")
    said: set[str] = set()
    verdict: dict[tuple, tuple] = {}  # legs repeat over the days
    for unit, date, a, b, row, speed, got in legs:
        vid = row.village_id if row is not None else None
        bad = [p for p in (a, b) if p in unmeasurable and p not in said]
        for place in bad:
            said.add(place)
            yield Violation("travel_network",
                            f"{_where(unit, date)}: the road from {ctx.place_name(a)} to "
                            f"{ctx.place_name(b)} cannot be measured: for "
                            f"{ctx.place_name(place)}, {unmeasurable[place]}; yet the travel "
                            f"network gives {got} s.", unit=unit, date=date, village_id=vid)
        if a in unmeasurable or b in unmeasurable:
            continue
        key = (speed, a, b)
        if key not in verdict:
            verdict[key] = measure.seconds(speed, a, b)
        least, most = verdict[key]
        if least <= got <= most:
            continue
        way = _way(least) if least == most else f"{_way(least)} to {_way(most)}"
        yield Violation("travel_network",
                        f"{_where(unit, date)}: the travel network gives {got} s from "
                        f"{ctx.place_name(a)} to {ctx.place_name(b)} ({what}: {way}): DESIGN "
                        "§3 travel is the shortest path of rounded-up road and link times, so "
                        "the network itself is wrong.", unit=unit, date=date, village_id=vid)


def _way(seconds: float) -> str:
    return "no way" if seconds == math.inf else duration(int(seconds))


def start_after_arrive(ctx: Context) -> Iterator[Violation]:
    """Setup starts only once the unit has arrived."""
    for v in ctx.visits:
        if v.start < v.arrive:
            yield Violation("start_after_arrive",
                            f"{_at(ctx, v)}: starts at {hms(v.start)}, before arriving at "
                            f"{hms(v.arrive)}.", unit=v.unit, date=v.date, village_id=v.village_id)


def service_time(ctx: Context) -> Iterator[Violation]:
    """end − start ≥ setup + recorded × minutes_per_person / kits, computed exactly."""
    rec = ctx.scenario.recording
    for v in ctx.visits:
        u = ctx.units.get(v.unit)
        if u is None:
            continue
        spent = v.end - v.start
        # exact: kits × (spent − setup) ≥ recorded × minutes_per_person × 60, no division
        recording = Decimal(v.recorded) * rec.minutes_per_person * 60
        if u.kits * (Decimal(spent) - rec.setup_minutes * 60) < recording:
            need = rec.setup_minutes * 60 + recording / u.kits
            yield Violation("service_time",
                            f"{_at(ctx, v)}: stays {duration(spent)} ({hms(v.start)} to "
                            f"{hms(v.end)}), but setup {rec.setup_minutes} min plus {v.recorded} "
                            f"people × {rec.minutes_per_person} min / {u.kits} kit(s) needs "
                            f"{duration(need)}.", unit=v.unit, date=v.date, village_id=v.village_id)


def recorded_positive(ctx: Context) -> Iterator[Violation]:
    """Every visit records at least one person."""
    for v in ctx.visits:
        if v.recorded < 1:
            yield Violation("recorded_positive",
                            f"{_at(ctx, v)}: records {v.recorded} people; every visit must record "
                            "at least one person.", unit=v.unit, date=v.date,
                            village_id=v.village_id)


def one_visit_per_day(ctx: Context) -> Iterator[Violation]:
    """A village gets at most one visit per day, from all units together."""
    by_day: dict[tuple[str, dt.date], list[VisitRow]] = defaultdict(list)
    for v in ctx.visits:
        by_day[(v.village_id, v.date)].append(v)
    for (vid, date), rows in sorted(by_day.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        if len(rows) > 1:
            who = ", ".join(f"{r.unit} (visit {r.seq})" for r in rows)
            yield Violation("one_visit_per_day",
                            f"{ctx.place_name(vid)} gets {len(rows)} visits on {date.isoformat()} "
                            f"({who}); a village gets at most one visit per day.",
                            date=date, village_id=vid)


def turnout_cap(ctx: Context) -> Iterator[Violation]:
    """Each visit records at most ceil(turnout × remaining), exactly; never beyond the backlog."""
    by_village: dict[str, list[VisitRow]] = defaultdict(list)
    for v in ctx.visits:
        by_village[v.village_id].append(v)
    for vid, rows in by_village.items():
        village = ctx.villages.get(vid)
        if village is None:
            continue
        turnout = ctx.scenario.village_turnout(village)
        remaining = village.unrecorded
        for v in sorted(rows, key=lambda r: (r.date, r.unit, r.seq)):
            exact = turnout * remaining
            cap = max(0, math.ceil(exact))  # Decimal: ceil(0.6 × 5) = 3
            if v.recorded > cap:
                if remaining <= 0:
                    why = (f"nobody is left to record: its backlog of {village.unrecorded} was "
                           "already recorded by earlier visits")
                else:
                    why = (f"at most ceil({turnout} × {remaining} remaining) = {cap} people come "
                           f"to a visit ({village.unrecorded} unrecorded, "
                           f"{village.unrecorded - remaining} recorded by earlier visits)")
                yield Violation("turnout_cap",
                                f"{_at(ctx, v)}: records {v.recorded} people, but {why}.",
                                unit=v.unit, date=v.date, village_id=vid)
            remaining -= v.recorded


def generator(ctx: Context) -> Iterator[Violation]:
    """Villages with power: false are served only by units with a generator."""
    for v in ctx.visits:
        village, u = ctx.villages.get(v.village_id), ctx.units.get(v.unit)
        if village is not None and u is not None and not village.power and not u.generator:
            yield Violation("generator",
                            f"{_at(ctx, v)}: the village has no reliable electricity "
                            f"(power: false) and unit {u.id} has no generator.",
                            unit=v.unit, date=v.date, village_id=v.village_id)


def unit_districts(ctx: Context) -> Iterator[Violation]:
    """A unit given `districts` (a kecamatan service point) visits only their villages."""
    for v in ctx.visits:
        village, u = ctx.villages.get(v.village_id), ctx.units.get(v.unit)
        if village is not None and u is not None and u.districts \
                and village.district not in u.districts:
            yield Violation("unit_districts",
                            f"{_at(ctx, v)}: the village is in kecamatan "
                            f"{village.district or '(none)'}, and unit {u.id} serves only "
                            f"{', '.join(u.districts)} (its districts).",
                            unit=v.unit, date=v.date, village_id=v.village_id)


def _closure_of(ctx: Context, village_id: str, date: dt.date) -> Optional[str]:
    """` from 2018-07-01 to 2018-07-05 (boat)`: the `closures` entry closing the village (listed,
    or its kecamatan) on `date`; None when none does."""
    village = ctx.villages.get(village_id)
    if village is None:
        return None
    for c in ctx.scenario.closures:
        named = village.id in c.villages or (village.district is not None
                                             and village.district in c.districts)
        if named and c.from_ <= date <= c.to:
            why = f" ({c.reason})" if c.reason else ""
            return f" from {c.from_.isoformat()} to {c.to.isoformat()}{why}"
    return None


def village_closed(ctx: Context) -> Iterator[Violation]:
    """No visit to a village on a day a `closures` entry closes it (the village listed, or
    its kecamatan); nor a night there, nor a day leaving from there, on such a day (a boat
    that does not sail takes no team to sleep on the island, nor back from it). A unit's own
    base or home is exempt: it is where the unit is."""
    for v in ctx.visits:
        closure = _closure_of(ctx, v.village_id, v.date)
        if closure is not None:
            yield Violation("village_closed",
                            f"{_at(ctx, v)}: the scenario closes the village{closure}.",
                            unit=v.unit, date=v.date, village_id=v.village_id)
    for d in ctx.days:
        u = ctx.units.get(d.unit)
        own = {u.base, u.end_place} if u is not None else set()
        for place, what in ((d.start_place, "leaves from"), (d.end_place, "sleeps at")):
            closure = None if place in own else _closure_of(ctx, place, d.date)
            if closure is not None:
                yield Violation("village_closed",
                                f"{_where(d.unit, d.date)} {what} {ctx.place_name(place)}, "
                                f"which the scenario closes{closure}.",
                                unit=d.unit, date=d.date, village_id=place)


def staff_per_day(ctx: Context) -> Iterator[Violation]:
    """The crews of the units out on a day fit that day's staff level; every day of a trip
    counts, one without visits too."""
    out: dict[dt.date, list[str]] = defaultdict(list)
    for unit, date in ctx.unit_days():
        if unit in ctx.units:
            out[date].append(unit)
    staff = ctx.scenario.staff
    for date, units in sorted(out.items()):
        t = ctx.kind_of(date)
        weekday = t == WEEKDAY if t is not None else date.weekday() < 5 and date not in ctx.holidays
        limit, key = (staff.weekday, "weekday") if weekday else (staff.weekend, "weekend")
        crew = sum(ctx.units[u].crew for u in units)
        if limit is not None and crew > limit:
            who = ", ".join(f"{u} ({ctx.units[u].crew})" for u in units)
            yield Violation("staff_per_day",
                            f"On {date.isoformat()} the units out ({who}) need {crew} staff, but "
                            f"only {limit} are free for field work (staff.{key}).", date=date)


def overtime_budget(ctx: Context) -> Iterator[Violation]:
    """Unit-days on weekends and holidays, trip days without visits included, stay within
    `staff.overtime_unit_days`."""
    budget = ctx.scenario.staff.overtime_unit_days
    if budget is None:
        return
    overtime = [(u, d) for u, d in ctx.unit_days()
                if (ctx.kind_of(d) or (WEEKEND if d.weekday() >= 5 else WEEKDAY)) != WEEKDAY]
    if len(overtime) > budget:
        yield Violation("overtime_budget",
                        f"The plan uses {len(overtime)} overtime unit-days (weekends and "
                        f"holidays), more than the budget of {budget} (staff.overtime_unit_days).")


def counts_on(ctx: Context) -> Iterator[Violation]:
    """`counts_on` is the visit's date, plus the turnaround days for an offline village."""
    for v in ctx.visits:
        village = ctx.villages.get(v.village_id)
        if village is None:
            continue
        want = ctx.counts_on(v)
        if v.counts_on != want:
            why = ("the village has signal, so a recording counts the day it is made"
                   if village.signal else
                   f"the village is offline, so a recording counts {ctx.turnaround(village)} "
                   "day(s) after the unit is back at home, on the last day of its trip "
                   f"({ctx.trip_last_day(v.unit, v.date) if v.unit in ctx.units else v.date})")
            yield Violation("counts_on",
                            f"{_at(ctx, v)}: counts_on is {v.counts_on.isoformat()}, but {why}: "
                            f"{want.isoformat()}.", unit=v.unit, date=v.date,
                            village_id=v.village_id)


def counts_by_deadline(ctx: Context) -> Iterator[Violation]:
    """Every planned recording counts on or before the deadline."""
    deadline = ctx.scenario.calendar.deadline
    for v in ctx.visits:
        when = ctx.counts_on(v)
        if when > deadline:
            yield Violation("counts_by_deadline",
                            f"{_at(ctx, v)}: its {v.recorded} recordings count only on "
                            f"{when.isoformat()}, after the deadline {deadline.isoformat()}; the "
                            "plan must not plan recordings that cannot count.",
                            unit=v.unit, date=v.date, village_id=v.village_id)


def days_match_visits(ctx: Context) -> Iterator[Violation]:
    """days.csv has one row per unit and field day, agreeing with that day's visits; a row
    without visits only on a day of a trip (it starts or ends away from home)."""
    counts: dict[tuple[str, dt.date], int] = defaultdict(int)
    for d in ctx.days:
        counts[(d.unit, d.date)] += 1
    for unit, date in ctx.unit_days():
        key = (unit, date)
        where = _where(unit, date)
        rows, d = ctx.day_visits.get(key, []), ctx.day_rows.get(key)
        if d is None:
            yield Violation("days_match_visits",
                            f"{where}: visits.csv has {len(rows)} visit(s) but days.csv has no row "
                            "for this unit and day.", unit=unit, date=date)
            continue
        if counts[key] > 1:
            yield Violation("days_match_visits",
                            f"{where}: days.csv has {counts[key]} rows for this unit and day; "
                            "it must have one.", unit=unit, date=date)
        home = ctx.home(unit)
        if not rows and home is not None and d.start_place == home == d.end_place:
            yield Violation("days_match_visits",
                            f"{where}: days.csv line {d.line} sends the unit out from "
                            f"{ctx.place_name(home)} and back without a single visit in "
                            "visits.csv: a day out for nothing (a day without visits is allowed "
                            "only on a trip, to move the team).", unit=unit, date=date)
            continue
        problems = _day_row_problems(ctx, d, rows)
        if problems:
            yield Violation("days_match_visits",
                            f"{where}: days.csv line {d.line} does not agree with visits.csv: "
                            + "; ".join(problems) + ".", unit=unit, date=date)


def _day_row_problems(ctx: Context, d: DayRow, rows: list[VisitRow]) -> list[str]:
    """What a days.csv row gets wrong about its visits: their number, recordings, overtime
    and travel (the visits' travel plus the leg to the night's place; with no visit, the leg
    from the start place to the night's place)."""
    problems = []
    if d.visits != len(rows):
        problems.append(f"visits {d.visits}, but visits.csv lists {len(rows)}")
    total = sum(r.recorded for r in rows)
    if d.recorded != total:
        problems.append(f"recorded {d.recorded}, but the visits record {total}")
    kind = rows[0].day_type if rows else ctx.calendar_type(d.date)
    if kind is not None and d.overtime != (kind != WEEKDAY):
        what = f"the visits' day_type is {kind}" if rows else f"the day is {DAY_TYPE_WORDS[kind]}"
        problems.append(f"overtime {str(d.overtime).lower()}, but {what}")
    # travel_min = the visits' travel + the network's time of the last leg (waiting on the
    # way is not travel: §3 defines travel as the shortest path).
    u = ctx.units.get(d.unit)
    legs = sum(r.travel_min for r in rows)
    slack = TRAVEL_MIN_TOLERANCE + MINUTE_ROUNDING * len(rows)
    last, left = (rows[-1].village_id, rows[-1].end) if rows else (d.start_place, d.depart)
    low, need = None, 0
    if u is not None and last in ctx.network.index and d.end_place in ctx.network.index:
        need = ctx.travel(u, last, d.end_place)
        if need < UNREACHABLE:
            low = legs + need / 60
    way = f"the way to {ctx.place_name(d.end_place)}"
    if low is not None and d.travel_min < low - slack:
        problems.append(f"travel_min {d.travel_min:g}, but the visits' travel ({legs:.2f} min) "
                        f"plus {way} ({duration(need)}) is {low:.2f} min")
    elif low is not None and d.travel_min > low + slack:
        problems.append(f"travel_min {d.travel_min:g}, more than the visits' travel "
                        f"({legs:.2f} min) plus {way} ({duration(need)}), {low:.2f} min: "
                        "waiting is not travel")
    elif d.travel_min > legs + (d.return_ - left) / 60 + slack:
        problems.append(f"travel_min {d.travel_min:g}, more than the visits' travel "
                        f"({legs:.2f} min) plus the {(d.return_ - left) / 60:.2f} min between "
                        f"leaving {ctx.place_name(last)} and reaching "
                        f"{ctx.place_name(d.end_place)}")
    return problems


def travel_minutes(ctx: Context) -> Iterator[Violation]:
    """A visit's `travel_min` is the network's time from the previous stop (the first visit:
    from the day's start place), to the hundredth of a minute (§4 "the travel time from the
    previous stop"; §3 travel is the shortest path, so time waited on the way is not in it)."""
    for (unit, date), rows in ctx.day_visits.items():
        u = ctx.units.get(unit)
        if u is None:
            continue
        d = ctx.day_rows.get((unit, date))
        prev, ready = ctx.start_place(unit, date), (d.depart if d is not None else None)
        for row in rows:
            a, b, left = prev, row.village_id, ready
            prev, ready = row.village_id, row.end
            if a not in ctx.network.index or b not in ctx.network.index:
                continue
            need = ctx.travel(u, a, b)
            if need >= UNREACHABLE or (left is not None and row.arrive - left < need):
                continue  # travel_time reports it
            if row.travel_min < need / 60 - TRAVEL_MIN_TOLERANCE:
                yield Violation("travel_minutes",
                                f"{_at(ctx, row)}: travel_min is {row.travel_min:g}, but the trip "
                                f"from {ctx.place_name(a)} takes {need / 60:.2f} min "
                                f"({duration(need)}).", unit=unit, date=date, village_id=b)
            elif row.travel_min > need / 60 + TRAVEL_MIN_TOLERANCE:
                yield Violation("travel_minutes",
                                f"{_at(ctx, row)}: travel_min is {row.travel_min:g}, but the trip "
                                f"from {ctx.place_name(a)} takes {need / 60:.2f} min "
                                f"({duration(need)}); time waited on the way is not travel.",
                                unit=unit, date=date, village_id=b)


def _counted(ctx: Context) -> tuple[int, Decimal]:
    deadline = ctx.scenario.calendar.deadline
    counted, objective = 0, Decimal(0)
    for v in ctx.visits:
        if ctx.counts_on(v) <= deadline:
            counted += v.recorded
            village = ctx.villages.get(v.village_id)
            objective += (village.priority if village is not None else 1) * v.recorded
    return counted, objective


def summary_keys(ctx: Context) -> Iterator[Violation]:
    """summary.json (when present) holds every key of DESIGN §4."""
    if ctx.summary is None:
        return
    missing = [k for k in SUMMARY_KEYS if k not in ctx.summary]
    if missing:
        yield Violation("table_format",
                        f"summary.json lacks the key(s) {', '.join(missing)} (DESIGN §4).")


def _number(value) -> Optional[float]:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def summary_nights(ctx: Context) -> Iterator[Violation]:
    """summary.nights (when given) is the number of nights away from home in days.csv."""
    if ctx.summary is None or "nights" not in ctx.summary:
        return
    nights = sum(1 for rows in ctx.unit_rows.values() for d in rows if ctx.away(d))
    if _number(ctx.summary["nights"]) != nights:
        yield Violation("summary_nights",
                        f"summary.json says nights = {ctx.summary['nights']!r}, but days.csv "
                        f"has {nights} night(s) away from home (rows whose end_place is not "
                        "the unit's home).")


def summary_counted(ctx: Context) -> Iterator[Violation]:
    """summary.counted_recordings is the sum of the recordings that count by the deadline."""
    if ctx.summary is None or "counted_recordings" not in ctx.summary:
        return
    counted, _ = _counted(ctx)
    given = ctx.summary["counted_recordings"]
    if _number(given) != counted:
        yield Violation("summary_counted",
                        f"summary.json says counted_recordings = {given!r}, but the visits hold "
                        f"{counted} recordings that count by the deadline "
                        f"{ctx.scenario.calendar.deadline}.")


def summary_objective(ctx: Context) -> Iterator[Violation]:
    """summary.objective is Σ priority × counted recordings."""
    if ctx.summary is None or "objective" not in ctx.summary:
        return
    _, objective = _counted(ctx)
    given = _number(ctx.summary["objective"])
    tol = OBJECTIVE_TOLERANCE * max(1.0, abs(float(objective)))
    if given is None or abs(given - float(objective)) > tol:
        yield Violation("summary_objective",
                        f"summary.json says objective = {ctx.summary['objective']!r}, but the "
                        f"priority-weighted counted recordings add up to {objective}.")


def upper_bound(ctx: Context) -> Iterator[Violation]:
    """summary.upper_bound, when given, is not below the objective."""
    if ctx.summary is None or ctx.summary.get("upper_bound") is None:
        return
    _, objective = _counted(ctx)
    bound = _number(ctx.summary["upper_bound"])
    tol = OBJECTIVE_TOLERANCE * max(1.0, abs(float(objective)))
    if bound is None or bound < float(objective) - tol:
        yield Violation("upper_bound",
                        f"summary.json gives upper_bound = {ctx.summary['upper_bound']!r}, below "
                        f"the plan's own objective {objective}: it cannot be a bound.")


def summary_gap(ctx: Context) -> Iterator[Violation]:
    """summary.gap is (upper_bound - objective) / upper_bound, or null without a bound."""
    if ctx.summary is None or "gap" not in ctx.summary or "upper_bound" not in ctx.summary:
        return
    bound, gap = ctx.summary["upper_bound"], ctx.summary["gap"]
    if bound is None:
        if gap is not None:
            yield Violation("summary_gap", f"summary.json gives gap = {gap!r} without an "
                                           "upper_bound: a gap needs a bound (null).")
        return
    _, objective = _counted(ctx)
    b = _number(bound)
    if b is None or b <= 0 or b < float(objective) - OBJECTIVE_TOLERANCE * max(1.0, b):
        return  # `upper_bound` reports a bound that is no number or below the plan
    want = (b - float(objective)) / b
    if _number(gap) is None or abs(_number(gap) - want) > GAP_TOLERANCE:
        yield Violation("summary_gap",
                        f"summary.json gives gap = {gap!r}, but (upper_bound {b:g} - objective "
                        f"{objective}) / upper_bound is {want:.6f}.")


def _goal_day(ctx: Context) -> Optional[dt.date]:
    """The first day counted coverage (over the villages that know `eligible`, each village
    counting at most up to its eligible) reaches `targets.goal`: the calendar's start when it
    is met before any visit, None without a goal or an eligible count or when never met.
    For a re-plan (`ctx.replan`) coverage starts from what was recorded before the actual
    visits, whose recordings count on their own days beside the plan's, and the campaign's
    first day is its first actual visit."""
    goal = ctx.scenario.targets.goal
    known = {v.id: v for v in ctx.scenario.villages if v.eligible is not None}
    eligible = sum(v.eligible for v in known.values())
    if goal is None or not eligible:
        return None
    need = Fraction(str(goal)) * eligible
    before = ctx.replan.planned.village_index if ctx.replan is not None else known
    done = {i: (before[i].recorded if before[i].recorded is not None
                else before[i].eligible - before[i].unrecorded) for i in known}
    counting: list[tuple[dt.date, str, int]] = []  # (day it counts, village, recordings)
    if ctx.replan is not None:
        counting += [(day, vid, n) for vid, days in ctx.actual_counted().items()
                     for day, n in days.items() if vid in known]
    for v in ctx.visits:
        day = ctx.counts_on(v) if v.village_id in known else None
        if day is not None and day <= ctx.scenario.calendar.deadline:
            counting.append((day, v.village_id, v.recorded))
    recorded = sum(done.values())
    if recorded >= need:
        actual = [v.date for v in ctx.replan.visits] if ctx.replan is not None else []
        return min([ctx.scenario.calendar.start, *actual])
    room = {i: max(0, known[i].eligible - done[i]) for i in known}
    by_day: dict[dt.date, int] = defaultdict(int)
    for day, vid, n in sorted(counting, key=lambda c: c[0]):
        gain = min(room[vid], n)
        room[vid] -= gain
        by_day[day] += gain
    for day in sorted(by_day):
        recorded += by_day[day]
        if recorded >= need:
            return day
    return None


def summary_goal(ctx: Context) -> Iterator[Violation]:
    """summary.goal_reached_on is the first day counted coverage reaches `targets.goal`, or
    null (`_goal_day`). For a re-plan (`actuals` in the summary) only where its `Replan` is
    given: the days on which its actual recordings count are not in the folder."""
    if ctx.summary is None or "goal_reached_on" not in ctx.summary or \
            ("actuals" in ctx.summary and ctx.replan is None):
        return
    want = _goal_day(ctx)
    given = ctx.summary["goal_reached_on"]
    if given != (None if want is None else want.isoformat()):
        goal = ctx.scenario.targets.goal
        reason = ("the scenario sets no goal" if goal is None else
                  f"counted coverage reaches the goal {goal} on {want}" if want is not None else
                  f"counted coverage never reaches the goal {goal} (or no village knows its "
                  "eligible residents)")
        yield Violation("summary_goal", f"summary.json says goal_reached_on = {given!r}, but "
                                        f"{reason}.")


def summary_actuals(ctx: Context) -> Iterator[Violation]:
    """A re-plan's summary.json `actuals` (given its `Replan`): `today`, the visits, recordings,
    recordings counting by the deadline, their priority-weighted sum and the (unit, date)
    pairs out on a weekend or holiday, all from the visits that happened; where given, the
    recordings counting after the deadline, the unit-days, `by_village` and `done`."""
    if ctx.replan is None or ctx.summary is None:
        return
    given = ctx.summary.get("actuals")
    if not isinstance(given, dict):
        yield Violation("summary_actuals", "summary.json has no actuals, but the plan is checked "
                        f"as a re-plan from {len(ctx.replan.visits)} visits that happened "
                        f"before {ctx.replan.today}.")
        return
    planned, visits = ctx.replan.planned, ctx.replan.visits
    counted = ctx.actual_counted()
    n_counted = sum(sum(days.values()) for days in counted.values())
    holidays = holiday_names(planned)
    want = {"today": ctx.replan.today.isoformat(), "visits": len(visits),
            "recorded": sum(v.recorded for v in visits), "counted": n_counted,
            "objective": float(sum(Decimal(str(planned.village_index[vid].priority))
                                   * sum(days.values()) for vid, days in counted.items())),
            "overtime_unit_days": len({(v.unit, v.date) for v in visits
                                       if v.date.weekday() >= 5 or v.date in holidays})}
    optional = {"counting_after_deadline": want["recorded"] - n_counted,
                "unit_days": len({(v.unit, v.date) for v in visits})}
    for key, value in [*want.items(), *((k, v) for k, v in optional.items() if k in given)]:
        got = given.get(key)
        if key == "objective":
            same = _number(got) is not None and \
                abs(_number(got) - value) <= OBJECTIVE_TOLERANCE * max(1.0, abs(value))
        else:
            same = got == value and type(got) is type(value)
        if not same:
            hint = (f" (with --today {got}, if the re-plan was made with it)"
                    if key == "today" and isinstance(got, str) else "")
            yield Violation("summary_actuals", f"summary.json says actuals.{key} = {got!r}, but "
                            f"the visits that happened give {value!r}{hint}.")
    if isinstance(given.get("by_village"), dict):
        yield from _actuals_by_village(ctx, given["by_village"], counted)
    if "done" in given:
        yield from _actuals_done(ctx, given["done"])


def _actuals_done(ctx: Context, given) -> Iterator[Violation]:
    """`actuals.done`: the visits that happened, one entry each, with the day each counts."""
    want = [{"unit": v.unit, "date": v.date.isoformat(), "village_id": v.village_id,
             "recorded": v.recorded, "counts_on": ctx.actual_counts_on(v).isoformat()}
            for v in sorted(ctx.replan.visits, key=lambda v: (v.date, v.unit, v.village_id))]
    if not isinstance(given, list):
        yield Violation("summary_actuals", f"summary.json says actuals.done = {given!r}, but the "
                        f"{len(want)} visits that happened give a list of them.")
        return
    for k, (got, wanted) in enumerate(zip(given, want)):
        if got != wanted:
            yield Violation("summary_actuals", f"summary.json says actuals.done[{k}] = {got!r}, "
                            f"but the visits that happened give {wanted!r}.")
            return
    if len(given) != len(want):
        yield Violation("summary_actuals", f"summary.json's actuals.done lists {len(given)} "
                        f"visits, but {len(want)} happened.")


def _actuals_by_village(ctx: Context, given: dict, counted: dict) -> Iterator[Violation]:
    """`actuals.by_village`: per village visited, its visit dates, recordings, the days they
    count by the deadline and, where `eligible` is known, what was recorded before them."""
    want: dict[str, dict] = {}
    for v in sorted(ctx.replan.visits, key=lambda v: (v.village_id, v.date)):
        entry = want.setdefault(v.village_id, {"dates": [], "recorded": 0, "counted_on": {}})
        entry["dates"].append(v.date.isoformat())
        entry["recorded"] += v.recorded
    for vid, entry in want.items():
        entry["counted_on"] = {d.isoformat(): n for d, n in sorted(counted.get(vid, {}).items())}
        village = ctx.replan.planned.village_index[vid]
        if village.eligible is not None:
            entry["recorded_before"] = village.recorded if village.recorded is not None \
                else village.eligible - village.unrecorded
    for vid in sorted(set(want) | set(given)):
        got = given.get(vid)
        if got != want.get(vid):
            yield Violation("summary_actuals", f"summary.json says actuals.by_village[{vid!r}] = "
                            f"{got!r}, but the visits that happened give {want.get(vid)!r}.",
                            village_id=vid)


def _counted_by_village(ctx: Context) -> dict[str, int]:
    deadline = ctx.scenario.calendar.deadline
    out: dict[str, int] = defaultdict(int)
    for v in ctx.visits:
        if v.village_id in ctx.villages and ctx.counts_on(v) <= deadline:
            out[v.village_id] += v.recorded
    return out


def _zone(ctx: Context, share: float) -> Optional[str]:
    """The highest target zone whose threshold `share` reaches; red below all of them; none
    where the scenario sets no zones."""
    if not ctx.scenario.targets.zones:
        return None
    best, best_t = "red", None
    for name, threshold in ctx.scenario.targets.zones.items():
        if Fraction(str(share)) >= Fraction(threshold) and (best_t is None or threshold > best_t):
            best, best_t = name, threshold
    return best


def _share_differs(given, exact: Optional[Fraction]) -> bool:
    if exact is None:
        return given is not None
    number = _number(given)
    return number is None or abs(Fraction(number) - exact) > Fraction(1, 10**6)


def _show(share: Optional[Fraction]) -> str:
    return "none (eligible unknown)" if share is None else f"{float(share):.6f}"


def summary_coverage(ctx: Context) -> Iterator[Violation]:
    """Coverage before/after, in total and per district, where `eligible` is known; in a
    re-plan (given its `Replan`) a district's backlog and counted recordings include the
    visits that happened: the backlog before them (the scenario's, or what they recorded where
    that is more) and their recordings counting by the deadline."""
    if ctx.summary is None:
        return
    counted = _counted_by_village(ctx)
    eligible = recorded = counted_known = 0
    districts: dict[str, dict] = {}
    done_recorded: dict[str, int] = defaultdict(int)
    done_counted: dict[str, int] = {}
    if ctx.replan is not None:
        for visit in ctx.replan.visits:
            done_recorded[visit.village_id] += visit.recorded
        done_counted = {vid: sum(days.values()) for vid, days in ctx.actual_counted().items()}
    for v in ctx.scenario.villages:
        d = districts.setdefault(v.district or "", {"backlog": 0, "counted": 0, "eligible": 0,
                                                     "recorded": 0, "counted_known": 0})
        if v.id in done_recorded:
            d["backlog"] += max(ctx.replan.planned.village_index[v.id].unrecorded,
                                done_recorded[v.id])
        else:
            d["backlog"] += v.unrecorded
        d["counted"] += counted.get(v.id, 0) + done_counted.get(v.id, 0)
        if v.eligible is None:
            continue
        done = v.recorded if v.recorded is not None else v.eligible - v.unrecorded
        d["eligible"] += v.eligible
        d["recorded"] += done
        d["counted_known"] += counted.get(v.id, 0)
        eligible += v.eligible
        recorded += done
        counted_known += counted.get(v.id, 0)

    def share(num: int, den: int) -> Optional[Fraction]:
        return Fraction(num, den) if den else None

    for key, exact in (("coverage_before", share(recorded, eligible)),
                       ("coverage_after", share(recorded + counted_known, eligible))):
        if key in ctx.summary and _share_differs(ctx.summary[key], exact):
            yield Violation("summary_coverage",
                            f"summary.json says {key} = {ctx.summary[key]!r}, but the scenario's "
                            f"recorded and eligible residents and the counted plan recordings "
                            f"give {_show(exact)}.")
    given = ctx.summary.get("districts")
    if not isinstance(given, dict):
        return
    for name, d in sorted(districts.items()):
        got = given.get(name)
        label = f"district {name!r}" if name else "villages without a district"
        if not isinstance(got, dict):
            yield Violation("summary_coverage",
                            f"summary.json has no entry for {label} under districts.")
            continue
        problems = []
        # a re-plan's counts include the visits that happened: known only given its Replan
        known = "actuals" not in ctx.summary or ctx.replan is not None
        for key in ("backlog", "counted") if known else ():
            if key in got and _number(got[key]) != d[key]:
                problems.append(f"{key} {got[key]!r}, but it is {d[key]}")
        if "coverage" in got:  # over the district's villages whose `eligible` is known
            exact = share(d["recorded"] + d["counted_known"], d["eligible"])
            if _share_differs(got["coverage"], exact):
                problems.append(f"coverage {got['coverage']!r}, but it is {_show(exact)}")
            elif exact is not None and "zone" in got and got["zone"] != _zone(ctx, got["coverage"]):
                want = _zone(ctx, got["coverage"])
                problems.append(f"zone {got['zone']!r}, but " + (
                    f"coverage {got['coverage']} reaches {want!r}" if want is not None else
                    "the scenario sets no target zones (null)"))
        if problems:
            yield Violation("summary_coverage",
                            f"summary.json, {label}: " + "; ".join(problems) + ".")


def summary_left_out(ctx: Context) -> Iterator[Violation]:
    """summary.left_out lists exactly the villages with backlog left, each with a reason."""
    if ctx.summary is None or not isinstance(ctx.summary.get("left_out"), list):
        return
    entries = {e.get("village_id"): e for e in ctx.summary["left_out"] if isinstance(e, dict)}
    if not entries and ctx.summary["left_out"]:
        return  # a form this checker does not know; nothing to compare
    counted = _counted_by_village(ctx)
    for v in ctx.scenario.villages:
        left = v.unrecorded - counted.get(v.id, 0)
        e = entries.get(v.id)
        if left > 0 and e is None:
            yield Violation("summary_left_out",
                            f"{ctx.place_name(v.id)} still has {left} residents to record after "
                            "the plan, but summary.json does not list it under left_out.",
                            village_id=v.id)
        elif left > 0 and (not e.get("reason") or ("backlog_left" in e
                                                   and _number(e["backlog_left"]) != left)):
            yield Violation("summary_left_out",
                            f"summary.json, left_out for {ctx.place_name(v.id)}: backlog_left "
                            f"{e.get('backlog_left')!r} and reason {e.get('reason')!r}; expected "
                            f"{left} residents left and a reason.", village_id=v.id)
        elif left <= 0 and e is not None:
            yield Violation("summary_left_out",
                            f"summary.json lists {ctx.place_name(v.id)} under left_out, but the "
                            "plan records its whole backlog.", village_id=v.id)


RULES: tuple[Callable[[Context], Iterable[Violation]], ...] = (
    unknown_unit, unknown_village, village_label, visit_sequence, field_day, day_type_matches,
    unit_unavailable, day_hours, day_start, night_lodging, max_nights, trip_ends_home,
    travel_time, travel_network, travel_minutes, start_after_arrive, service_time,
    recorded_positive, one_visit_per_day, turnout_cap, generator, unit_districts, village_closed,
    staff_per_day,
    overtime_budget, counts_on, counts_by_deadline, days_match_visits, summary_keys,
    summary_nights, summary_counted, summary_objective, upper_bound, summary_gap,
    summary_coverage, summary_left_out, summary_goal, summary_actuals,
)


def check_tables(scenario: Scenario, tables: Tables, network: Optional[TravelNetwork] = None,
                 replan: Optional[Replan] = None) -> list[Violation]:
    """Parse the tables (format problems are violations), then apply every rule. `network`
    is the scenario's travel network when the caller has built it already; `replan`, what a
    re-plan was made from (then `scenario` is what is left)."""
    return _checked(scenario, tables, network, replan)[0]


def check_located(scenario: Scenario, folder: Union[str, Path],
                  network: Optional[TravelNetwork] = None, replan: Optional[Replan] = None
                  ) -> list[tuple[str, int, Violation]]:
    """`check` of a plan folder, each violation with the file and line it is about (for
    `plan-routes --check-plan`, in the `FILE:LINE:` form of every bad input): the visits.csv
    row of its unit, date and village (or the village's first visit), else the days.csv row of
    its unit and date (or that unit-day's first visit), the line a format problem names,
    summary.json for the summary's rules, else the first line of visits.csv."""
    found, visits, days = _checked(scenario, tables_of_folder(folder), network, replan)
    rows = row_index(visits, days)
    out = []
    for v in found:
        named = re.search(r"\b(visits|days)\.csv line (\d+)", v.message)
        if named:
            where = (f"{named.group(1)}.csv", int(named.group(2)))
        elif v.rule == "table_format":  # a whole file: missing, unreadable, its columns
            where = (next((f for f in ("summary.json", "days.csv") if f in v.message),
                          "visits.csv"), 1)
        elif v.rule.startswith("summary") or v.rule == "upper_bound":
            where = ("summary.json", 1)
        else:
            where = row_of(v, *rows)
        out.append((*where, v))
    return out


def row_index(visits, days) -> tuple[dict, dict, dict]:
    """For `row_of`: the line of each (unit, date, village) visit, of each (unit, date) day,
    and of the first visit of each (unit, date) and of each village; `visits` and `days` are
    rows with `unit`, `date`, `line` (and `village_id`): the checker's, or a DataFrame's tuples."""
    visits = sorted(visits, key=lambda v: v.line)
    visit_line = {(v.unit, v.date, v.village_id): v.line for v in visits}
    first_visit: dict[object, int] = {}  # village, (unit, date) or date -> first visit's line
    for v in visits:
        first_visit.setdefault(v.village_id, v.line)
        first_visit.setdefault((v.unit, v.date), v.line)
        first_visit.setdefault(v.date, v.line)
    return visit_line, {(d.unit, d.date): d.line for d in days}, first_visit


def row_of(v: Violation, visit_line: dict, day_line: dict, first_visit: dict) -> tuple[str, int]:
    """The table row a violation is about (`row_index`'s maps): the visits.csv row of its
    unit, date and village, else the days.csv row of its unit and date, else that unit-day's or
    the village's first visit, else (a rule about a whole day: its staff) that day's first
    visit, else the first line."""
    if (v.unit, v.date, v.village_id) in visit_line:
        return "visits.csv", visit_line[v.unit, v.date, v.village_id]
    if (v.unit, v.date) in day_line:
        return "days.csv", day_line[v.unit, v.date]
    if (v.unit, v.date) in first_visit:
        return "visits.csv", first_visit[v.unit, v.date]
    if v.unit is None and v.village_id is None and v.date in first_visit:
        return "visits.csv", first_visit[v.date]
    return "visits.csv", first_visit.get(v.village_id, 1)


def _checked(scenario: Scenario, tables: Tables, network: Optional[TravelNetwork],
             replan: Optional[Replan] = None
             ) -> tuple[list[Violation], list[VisitRow], list[DayRow]]:
    found = [Violation("table_format", p) for p in tables.problems]
    visits: list[VisitRow] = []
    days: list[DayRow] = []
    if tables.visits is not None:
        visits, bad = _parse_rows("visits.csv", tables.visits, VISIT_PARSERS, VISIT_COLUMNS,
                                  _visit_row)
        found += bad
    if tables.days is not None:
        days, bad = _parse_rows("days.csv", tables.days, DAY_PARSERS, DAY_COLUMNS, _day_row)
        found += bad
    ctx = Context(scenario, visits, days, tables.summary, network, replan)
    for rule in RULES:
        found.extend(rule(ctx))
    return found, visits, days


def check(scenario: Scenario, plan, network: Optional[TravelNetwork] = None,
          replan: Optional[Replan] = None) -> list[Violation]:
    """Re-check a plan (a `Plan`, or the path of an output folder) against DESIGN §3.
    `network` saves building the scenario's travel network again (it must be this
    scenario's: the checker's travel times are the contract's, not a planner's). For a
    re-plan `scenario` is what is left, and `replan` what it was made from, if known."""
    expect_scenario(scenario, "planner.check (scenario, plan)")
    if isinstance(plan, (str, Path)):
        return check_tables(scenario, tables_of_folder(plan), network, replan)
    try:
        tables = tables_of_plan(plan)
    except Exception as exc:  # a Plan that cannot even produce its tables is not a plan
        return [Violation("table_format",
                          f"The plan cannot produce its visits/days tables or summary "
                          f"({type(exc).__name__}: {exc}); does it name a unit or village "
                          "the scenario does not have?")]
    return check_tables(scenario, tables, network, replan)

