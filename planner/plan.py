"""Plan: what the units do, as plain data; DataFrames in the contract's columns; summary.

A Plan is built by a planner (baseline or optimiser) and read by the checker and the
exporters. It decides nothing: derived numbers (counts_on, coverage) follow DESIGN §3.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any, Optional

import pandas as pd

from .causes import cause_text
from .check import check
from .reprs import plan_repr
from .scenario.model import Scenario

VISIT_COLUMNS = ["unit", "date", "seq", "village_id", "village", "district", "arrive", "start",
                 "end", "recorded", "counts_on", "day_type", "travel_min"]
DAY_COLUMNS = ["unit", "date", "depart", "return", "visits", "recorded", "travel_min", "overtime",
               "start_place", "end_place"]


def hms(seconds: int) -> str:
    """Seconds after midnight -> HH:MM:SS."""
    seconds = int(seconds)
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def minutes(seconds: int) -> float:
    return round(seconds / 60.0, 2)


@dataclass(frozen=True)
class Stop:
    """One visit: times are seconds after midnight of the route's date."""

    village_id: str
    arrive: int
    start: int
    end: int
    recorded: int
    travel_s: int  # from the previous stop (or the base)


@dataclass(frozen=True)
class Route:
    """One unit's field day: leave where it slept, visit the stops in order, reach where it
    sleeps. `start_place`/`end_place` None: the DESIGN §3 defaults (the unit's base on its
    first field day, after that where the night before was spent; its home at night)."""

    unit: str
    date: dt.date
    day_type: str  # weekday | weekend | holiday
    depart: int
    return_: int
    stops: tuple[Stop, ...]
    travel_s: int  # the whole day's travel, the last leg included
    start_place: Optional[str] = None
    end_place: Optional[str] = None

    @property
    def overtime(self) -> bool:
        return self.day_type != "weekday"

    @property
    def recorded(self) -> int:
        return sum(s.recorded for s in self.stops)


@dataclass(frozen=True)
class Plan:
    """The result of a planner. `visits`/`days` are DataFrames in DESIGN §4 columns."""

    scenario: Scenario
    routes: tuple[Route, ...]
    solver: dict = field(default_factory=dict)  # status, seconds, seed, upper_bound, ...
    # figures judged outside the plan, added to summary() as they are (summary.json
    # `actuals`, `simulation`); set with dataclasses.replace(plan, report=...)
    report: dict = field(default_factory=dict)

    # -- where the units sleep -----------------------------------------------------------
    @cached_property
    def places(self) -> dict[tuple[str, dt.date], tuple[str, str]]:
        """(unit, date) -> (start place, end place) of each route, defaults resolved."""
        out = {}
        for unit, routes in self.routes_by_unit.items():
            u = self.scenario.unit_index.get(unit)  # an unknown unit is the checker's to report
            base, home = (u.base, u.end_place) if u is not None else ("", "")
            slept = None  # where the unit slept last night, when away from home
            for i, r in enumerate(routes):
                after_night_away = (slept is not None and i > 0
                                    and (r.date - routes[i - 1].date).days == 1)
                default = slept if after_night_away else (base if i == 0 else home)
                start = r.start_place or default
                end = r.end_place or home
                out[(unit, r.date)] = (start, end)
                slept = end if end != home else None
        return out

    @cached_property
    def routes_by_unit(self) -> dict[str, list[Route]]:
        out: dict[str, list[Route]] = defaultdict(list)
        for r in sorted(self.routes, key=lambda r: (r.unit, r.date)):
            out[r.unit].append(r)
        return dict(out)

    def home(self, unit: str) -> str:
        """Where the unit sleeps between trips ('' for a unit the scenario does not have)."""
        u = self.scenario.unit_index.get(unit)
        return u.end_place if u is not None else ""

    def away_at_night(self, route: Route) -> bool:
        """Whether the unit sleeps away from home after this route (a night of a trip)."""
        return self.places[(route.unit, route.date)][1] != self.home(route.unit)

    def is_field_day(self, route: Route) -> bool:
        """A route with visits, or a day of a trip that only moves or keeps the team away."""
        start, end = self.places[(route.unit, route.date)]
        home = self.home(route.unit)
        return bool(route.stops) or start != home or end != home

    @cached_property
    def trip_last_day(self) -> dict[tuple[str, dt.date], dt.date]:
        """(unit, date) -> the last day of the trip the route belongs to (the day the unit
        is back at home; the route's own date for a day trip)."""
        out = {}
        for unit, routes in self.routes_by_unit.items():
            last = None
            for r in reversed(routes):
                if last is None or not self.away_at_night(r):
                    last = r.date
                out[(unit, r.date)] = last
        return out

    @property
    def nights(self) -> int:
        """Nights away from home over the whole plan."""
        return sum(1 for r in self.routes if self.away_at_night(r))

    # -- counting ----------------------------------------------------------------------
    def counts_on(self, route: Route, stop: Stop) -> dt.date:
        """Signal: the day of the visit. Offline: the day the unit is back at home (the last
        day of its trip) + turnaround days."""
        v = self.scenario.village(stop.village_id)
        if v.signal:
            return route.date
        back = self.trip_last_day[(route.unit, route.date)]
        return back + dt.timedelta(days=self.scenario.village_turnaround(v))

    def counted_by_village(self) -> dict[str, int]:
        deadline = self.scenario.calendar.deadline
        out: dict[str, int] = defaultdict(int)
        for r in self.routes:
            for s in r.stops:
                if self.counts_on(r, s) <= deadline:
                    out[s.village_id] += s.recorded
        return dict(out)

    @cached_property
    def counted(self) -> int:
        """Recordings that count by the deadline (summary.json `counted_recordings`)."""
        return sum(self.counted_by_village().values())

    @cached_property
    def objective(self) -> Decimal:
        """Counted recordings weighted by each village's priority: what the planner maximises."""
        return sum((self.scenario.village(v).priority * n for v, n in self.counted_by_village().items()),
                   Decimal(0))

    @property
    def overtime_unit_days(self) -> int:
        return sum(1 for r in self.routes if r.overtime and self.is_field_day(r))

    @property
    def travel_seconds(self) -> int:
        return sum(r.travel_s for r in self.routes)

    # -- tables ------------------------------------------------------------------------
    @cached_property
    def visits(self) -> pd.DataFrame:
        """visits.csv as a DataFrame (docs/outputs.md): dates and times are its text, YYYY-MM-DD
        and HH:MM:SS, so `visits[visits["date"] < "2018-07-02"]` compares them as written."""
        rows = []
        for r in sorted(self.routes, key=lambda r: (r.date, r.unit)):
            for seq, s in enumerate(r.stops, start=1):
                v = self.scenario.village(s.village_id)
                rows.append({
                    "unit": r.unit, "date": r.date.isoformat(), "seq": seq,
                    "village_id": v.id, "village": v.label, "district": v.district or "",
                    "arrive": hms(s.arrive), "start": hms(s.start), "end": hms(s.end),
                    "recorded": s.recorded, "counts_on": self.counts_on(r, s).isoformat(),
                    "day_type": r.day_type, "travel_min": minutes(s.travel_s),
                })
        return pd.DataFrame(rows, columns=VISIT_COLUMNS)

    @cached_property
    def days(self) -> pd.DataFrame:
        """days.csv as a DataFrame: dates and times as text, `overtime` the text "true" or
        "false" as written (`days[days["overtime"] == "true"]`, not `days[days["overtime"]]`)."""
        rows = [{
            "unit": r.unit, "date": r.date.isoformat(), "depart": hms(r.depart),
            "return": hms(r.return_), "visits": len(r.stops), "recorded": r.recorded,
            "travel_min": minutes(r.travel_s), "overtime": "true" if r.overtime else "false",
            "start_place": self.places[(r.unit, r.date)][0],
            "end_place": self.places[(r.unit, r.date)][1],
        } for r in sorted(self.routes, key=lambda r: (r.date, r.unit)) if self.is_field_day(r)]
        return pd.DataFrame(rows, columns=DAY_COLUMNS)

    # -- summary -----------------------------------------------------------------------
    def coverage(self) -> dict[str, Any]:
        """Coverage before/after per village, district and total, where `eligible` is known.
        In a re-plan a district's `backlog` and `counted` count the visits that happened as
        well (DESIGN §4 `--actuals`): its backlog before them (what the scenario left plus what
        they recorded) and their recordings counting by the deadline beside the plan's."""
        counted = self.counted_by_village()
        by_village = (self.report.get("actuals") or {}).get("by_village") or {}
        targets = self.scenario.targets
        by_d: dict[str, dict] = {}
        tot = {"eligible": 0, "recorded": 0, "counted": 0}
        for v in self.scenario.villages:
            d = by_d.setdefault(v.district or "", {"backlog": 0, "counted": 0, "eligible": 0,
                                                   "recorded": 0, "counted_known": 0})
            d["backlog"] += v.unrecorded + (by_village.get(v.id) or {}).get("recorded", 0)
            d["counted"] += counted.get(v.id, 0) + sum(self.actual_counted_on.get(v.id, {})
                                                       .values())
            if v.eligible is None:
                continue
            recorded = v.recorded if v.recorded is not None else v.eligible - v.unrecorded
            for into in (d, tot):
                into["eligible"] += v.eligible
                into["recorded"] += recorded
            d["counted_known"] += counted.get(v.id, 0)
            tot["counted"] += counted.get(v.id, 0)

        def share(num, den):
            return round(num / den, 6) if den else None

        districts = {}
        for name, d in sorted(by_d.items()):
            # like the total: over the district's villages whose `eligible` is known
            after = share(d["recorded"] + d["counted_known"], d["eligible"])
            districts[name] = {
                "backlog": d["backlog"], "counted": d["counted"],
                "coverage_before": share(d["recorded"], d["eligible"]),
                "coverage": after, "zone": targets.zone_of(after),
            }
        return {
            "before": share(tot["recorded"], tot["eligible"]),
            "after": share(tot["recorded"] + tot["counted"], tot["eligible"]),
            "districts": districts,
        }

    @cached_property
    def actual_counted_on(self) -> dict[str, dict[dt.date, int]]:
        """A re-plan's actual recordings (`report["actuals"]["by_village"]`, DESIGN §4
        `--actuals`): village -> {day they count on: recordings}, by the deadline; empty for
        a plain plan. The re-plan's scenario already holds them as recorded."""
        by_village = (self.report.get("actuals") or {}).get("by_village") or {}
        return {vid: {dt.date.fromisoformat(day): n for day, n in entry["counted_on"].items()}
                for vid, entry in by_village.items()}

    @cached_property
    def first_day(self) -> dt.date:
        """The campaign's first day: the calendar's start, or a re-plan's first actual visit."""
        by_village = (self.report.get("actuals") or {}).get("by_village") or {}
        visited = [dt.date.fromisoformat(entry["dates"][0])
                   for entry in by_village.values() if entry.get("dates")]
        return min([self.scenario.calendar.start] + visited)

    def recorded_before_actuals(self, village) -> int:
        """Village (with `eligible`) recorded before a re-plan's actual visits: as the actuals
        report gives it (`recorded_before`), else its recorded less the actual recordings that
        count (the re-plan's scenario holds them; this misses those beyond `eligible`)."""
        entry = ((self.report.get("actuals") or {}).get("by_village") or {}).get(village.id) or {}
        if "recorded_before" in entry:
            return int(entry["recorded_before"])
        recorded = village.recorded if village.recorded is not None else \
            village.eligible - village.unrecorded
        return max(0, recorded - sum(self.actual_counted_on.get(village.id, {}).values()))

    @cached_property
    def counted_per_day(self) -> dict[str, dict[dt.date, int]]:
        """Village -> {day: recordings counting that day}, by the deadline: the plan's
        visits, and a re-plan's actual recordings as well."""
        deadline = self.scenario.calendar.deadline
        out: dict[str, dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
        for vid, per_day in self.actual_counted_on.items():
            for day, n in per_day.items():
                out[vid][day] += n
        for route in self.routes:
            for stop in route.stops:
                day = self.counts_on(route, stop)
                if day <= deadline:
                    out[stop.village_id][day] += stop.recorded
        return {vid: dict(days) for vid, days in out.items()}  # plain: a Plan is pickled

    @cached_property
    def coverage_gains(self) -> dict[str, dict[dt.date, int]]:
        """Per village that knows `eligible`: the recordings that count on each day
        (`counted_per_day`), cut where the village would pass its `eligible`, so that
        coverage never counts a person twice."""
        raw = self.counted_per_day
        out: dict[str, dict[dt.date, int]] = {}
        for v in self.scenario.villages:
            if v.eligible is None or v.id not in raw:
                continue
            room = max(0, v.eligible - self.recorded_before_actuals(v))
            gains = {}
            for day in sorted(raw[v.id]):
                gains[day] = min(room, raw[v.id][day])
                room -= gains[day]
            out[v.id] = gains
        return out

    @cached_property
    def goal_reached_on(self) -> Optional[dt.date]:
        """The first day on which counted coverage (over the villages that know `eligible`,
        as in `coverage`) reaches `targets.goal`, a re-plan's actual recordings counted on
        their days; the campaign's first day when it is met before any visit; None when there
        is no goal, no eligible count, or the plan falls short."""
        scenario = self.scenario
        goal = scenario.targets.goal
        known = [v for v in scenario.villages if v.eligible is not None]
        eligible = sum(v.eligible for v in known)
        if goal is None or not eligible:
            return None
        recorded = sum(self.recorded_before_actuals(v) for v in known)
        if recorded >= goal * eligible:
            return self.first_day
        by_day: dict[dt.date, int] = defaultdict(int)
        for gains in self.coverage_gains.values():
            for day, n in gains.items():
                by_day[day] += n
        for day in sorted(by_day):
            recorded += by_day[day]
            if recorded >= goal * eligible:
                return day
        return None

    def summary(self, lang: str = "id") -> dict[str, Any]:
        """The figures of summary.json (DESIGN §4); words (the left-out reasons) in `lang`."""
        if lang not in ("id", "en"):  # else a KeyError, and only where a village is left out
            raise ValueError(f"summary: lang {lang!r}; expected 'id' (Bahasa Indonesia) or 'en'")
        cov = self.coverage()
        ub = self.solver.get("upper_bound")
        obj = float(self.objective)
        gap = None
        if ub is not None:
            # + 0.0: a bound equal to the plan up to float noise gives 0, not -0 ("-0.00 %")
            gap = round((float(ub) - obj) / float(ub), 6) + 0.0 if float(ub) > 0 else 0.0
        counted = self.counted_by_village()
        goal = self.goal_reached_on
        left = []
        causes = self.solver.get("left_out_causes", {})
        for v in self.scenario.villages:
            rest = v.unrecorded - counted.get(v.id, 0)
            if rest > 0:
                cause = causes.get(v.id, {"cause": "capacity"})
                left.append({"village_id": v.id, "village": v.label, "district": v.district or "",
                             "backlog_left": rest, "cause": cause["cause"],
                             "reason": cause_text(cause, lang)})
        return {
            "scenario": self.scenario.name,
            "counted_recordings": self.counted,
            "objective": obj,
            "upper_bound": None if ub is None else float(ub),
            "gap": gap,
            "coverage_before": cov["before"],
            "coverage_after": cov["after"],
            "zone_after": self.scenario.targets.zone_of(cov["after"]),
            "districts": cov["districts"],
            "left_out": left,
            "goal_reached_on": goal and goal.isoformat(),
            "overtime_unit_days": self.overtime_unit_days,
            "nights": self.nights,
            "travel_min": minutes(self.travel_seconds),
            "visits": int(sum(len(r.stops) for r in self.routes)),
            "solver": {k: self.solver.get(k) for k in ("status", "seconds", "seed", "method")},
            **self.report,
        }

    def __repr__(self) -> str:  # a notebook's view: the figures, not every route
        return plan_repr(self)

    def is_feasible(self) -> bool:
        """Whether the plan passes the independent checker (`planner.check`)."""
        return not check(self.scenario, self)
