"""A plan's visits as arrays for the replay of `planner.simulate` (DESIGN §3 "Uncertainty"):
each visit's village, unit-day, day, the most its planned duration allows, whether and when it
counts, its weight and expected turnout, and the links it lies beyond (a cancelled boat stops
it); each village's backlog, eligible and recorded figures. It reads the plan's visits table
as an outside tool would (the contract's columns)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .rules import max_recordable
from .scenario.model import Scenario


@dataclass(frozen=True)
class PlannedVisits:
    """A plan's visits in date order as arrays, and the villages' figures, for the replay."""

    table: pd.DataFrame  # the plan's visits (DESIGN §4 columns) in date order
    village: np.ndarray  # per visit: index into scenario.villages
    unit_day: np.ndarray  # per visit: index of its (unit, date)
    day: np.ndarray  # per visit: days since calendar.start
    capacity: np.ndarray  # per visit: the most its planned duration allows
    counts: np.ndarray  # per visit: counts on or before the deadline
    counts_index: np.ndarray  # per visit: index of counts_on in `dates` (clipped)
    weight: np.ndarray  # per visit: the village's priority
    turnout: np.ndarray  # per visit: the village's expected turnout
    beyond: list  # per visit: the links (indices) between the day's start and the visit
    backlog: np.ndarray  # per village: the file's unrecorded count
    eligible: np.ndarray  # per village (0 where unknown)
    eligible_known: np.ndarray
    recorded_before: np.ndarray  # per village (0 where eligible is unknown)
    districts: dict  # district name -> village indices
    dates: list  # calendar.start .. deadline
    n_unit_days: int
    n_links: int

    @property
    def n(self) -> int:
        return len(self.village)

    @property
    def n_days(self) -> int:
        return len(self.dates)


def _seconds(hms: str) -> int:
    h, m, s = (int(x) for x in str(hms).split(":"))
    return h * 3600 + m * 60 + s


def planned_visits(scenario: Scenario, plan, network=None, with_links: bool = True) -> PlannedVisits:
    """The plan's visits table (the contract's columns, as an outside tool reads them) as
    arrays; with `with_links`, which links each visit lies beyond (needs the travel network)."""
    cal = scenario.calendar
    dates = [cal.start + dt.timedelta(days=i) for i in range((cal.deadline - cal.start).days + 1)]
    table = plan.visits.copy()
    table["_date"] = [dt.date.fromisoformat(str(d)) for d in table["date"]]
    table = table.sort_values(["_date", "unit", "seq"], kind="stable").reset_index(drop=True)
    index = {v.id: i for i, v in enumerate(scenario.villages)}
    villages = scenario.villages
    vil = np.array([index[v] for v in table["village_id"]], np.int64)
    kits = {u.id: u.kits for u in scenario.units}
    capacity = np.array([max_recordable(scenario, kits[u], _seconds(e) - _seconds(s))
                         for u, s, e in zip(table["unit"], table["start"], table["end"])], np.int64)
    counts_on = [dt.date.fromisoformat(str(d)) for d in table["counts_on"]]
    counts = np.array([d <= cal.deadline for d in counts_on], bool)
    last = len(dates) - 1
    counts_index = np.array([min(max((d - cal.start).days, 0), last) for d in counts_on], np.int64)
    unit_day, _ = pd.factorize(pd.Series(list(zip(table["unit"], table["_date"]))))
    eligible_known = np.array([v.eligible is not None for v in villages], bool)
    eligible = np.array([v.eligible or 0 for v in villages], np.int64)
    before = np.array([0 if v.eligible is None else
                       (v.recorded if v.recorded is not None else v.eligible - v.unrecorded)
                       for v in villages], np.int64)
    districts: dict[str, list[int]] = {}
    for i, v in enumerate(villages):
        districts.setdefault(v.district or "", []).append(i)
    beyond = _links_beyond(scenario, plan, table, network) if with_links and scenario.links \
        else [()] * len(table)
    return PlannedVisits(
        table=table.drop(columns="_date"), village=vil, unit_day=np.asarray(unit_day, np.int64),
        day=np.array([(d - cal.start).days for d in table["_date"]], np.int64),
        capacity=capacity, counts=counts, counts_index=counts_index,
        weight=np.array([float(villages[i].priority) for i in vil], float),
        turnout=np.array([float(scenario.village_turnout(villages[i])) for i in vil], float),
        beyond=beyond, backlog=np.array([v.unrecorded for v in villages], np.int64),
        eligible=eligible, eligible_known=eligible_known, recorded_before=before,
        districts={k: np.array(v, np.int64) for k, v in districts.items()}, dates=dates,
        n_unit_days=int(unit_day.max()) + 1 if len(table) else 0, n_links=len(scenario.links))


def _links_beyond(scenario: Scenario, plan, table: pd.DataFrame, network) -> list[tuple]:
    """For each visit, the links its route has crossed since the day's start and not yet
    crossed back over: the visit lies beyond them, so it cannot happen when one of them is
    cancelled, and a visit back on the mainland after the return crossing still can, whether
    the unit came back by the same link or another (out by boat, back by river).

    Sides: the road network is one side; a village reached only by water is a side of its
    own. The crossings are a stack: one that lands on the side an earlier crossing left
    unwinds the stack to before it."""
    from .network import TravelNetwork
    from .network.legs import legs

    network = network if network is not None else TravelNetwork(scenario)
    water = {v.id for v in scenario.villages if v.access == "water"}

    def side(place: str) -> str:
        return place if place in water else ""

    ends: dict[tuple[str, str], int] = {}
    for i, link in enumerate(scenario.links):
        ends.setdefault((link.from_, link.to), i)
        if not link.oneway:
            ends.setdefault((link.to, link.from_), i)
    starts = {}
    if "start_place" in plan.days.columns:
        starts = {(u, str(d)): p for u, d, p in zip(plan.days["unit"], plan.days["date"],
                                                     plan.days["start_place"])}
    units = scenario.unit_index
    cache: dict[tuple[str, str, str], tuple] = {}
    out: list[tuple] = []
    where, stack = None, []  # stack: (link, the side it left)
    for u, d, vid in zip(table["unit"], table["date"], table["village_id"]):
        if where is None or (u, d) != where[0]:
            where, stack = ((u, d), starts.get((u, str(d)), units[u].base)), []
        key = (u, where[1], vid)
        if key not in cache:
            cache[key] = tuple((ends[(leg.start, leg.end)], leg.start, leg.end) for leg in
                               legs(network, units[u], where[1], vid)
                               if leg.is_link and (leg.start, leg.end) in ends)
        for link, start, end in cache[key]:
            back = next((i for i, (_, left) in enumerate(stack) if left == side(end)), None)
            if back is None:
                stack.append((link, side(start)))
            else:
                del stack[back:]
        out.append(tuple(sorted({link for link, _ in stack})))
        where = (where[0], vid)
    return out
