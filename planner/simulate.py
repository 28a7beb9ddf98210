"""Replay a plan under uncertainty (DESIGN §3 "Uncertainty"): how likely is the goal?

`simulate(scenario, plan, runs, seed)` replays the plan's visits `runs` times. Each run draws,
independently: every village's true backlog (lognormal, mean = the file's figure, coefficient
of variation `backlog_cv`), every visit's turnout (beta, mean = the village's turnout,
`turnout_cv`), every unit-day's loss (`unit_day_loss`: none of its visits happen) and every
link's cancellation on every day (`link_cancel`: the unit's visits beyond the link that day do
not happen). A visit keeps its planned times and records min(ceil(turnout drawn x remaining
true backlog), what its planned duration allows); recordings count on the plan's `counts_on`
(DESIGN §3 "Counting"), by the deadline or not at all.

The runs are numpy columns: every draw is one array over the runs, and the only Python loop
walks the visits in date order (a village's remaining backlog depends on its earlier visits).
The simulation judges a plan; it never changes one.
"""
from __future__ import annotations

import datetime as dt
import numbers
from dataclasses import dataclass, fields
from fractions import Fraction
from typing import Any, Optional

import numpy as np
import pandas as pd

from .reprs import simulation_repr
from .rules import max_recordable
from .scenario.load import expect_scenario
from .scenario.model import Scenario

QUANTILES = {"p10": 0.10, "p50": 0.50, "p90": 0.90}
# A beta around mean m has a variance below m (1 - m) / (1 + a + b): a cv asked beyond
# sqrt((1 - m) / m) has no beta, and the widest one (its shape parameters adding up to this,
# nearly all or nothing) is drawn instead.
MIN_BETA_CONCENTRATION = 1e-3
# ceil() of a float product: a turnout written with a few decimals times a whole backlog is
# never within this of a whole number unless it is one (ceil(0.33 x 100) = 33, not 34).
CEIL_SLACK = 1e-9


@dataclass(frozen=True)
class Uncertainty:
    """What a run draws from (DESIGN §2 `uncertainty:`, with its defaults)."""

    turnout_cv: float = 0.25
    backlog_cv: float = 0.10
    unit_day_loss: float = 0.02
    link_cancel: float = 0.05

    @classmethod
    def of(cls, scenario: Scenario, **overrides: float) -> "Uncertainty":
        """The scenario's `uncertainty:` section (defaults where it has none), with overrides."""
        section = getattr(scenario, "uncertainty", None)
        values = {}
        for f in fields(cls):
            given = section.get(f.name) if isinstance(section, dict) else \
                getattr(section, f.name, None)
            values[f.name] = float(f.default if given is None else given)
        unknown = sorted(set(overrides) - set(values))
        if unknown:
            raise ValueError(f"uncertainty: unknown key {unknown[0]!r}; expected one of: "
                             f"{', '.join(values)}")
        values.update({k: float(v) for k, v in overrides.items() if v is not None})
        for name, value in values.items():
            if not 0 <= value or (name in ("unit_day_loss", "link_cancel") and value > 1):
                raise ValueError(f"uncertainty.{name} = {value} is out of range")
        return cls(**values)

    def as_dict(self) -> dict[str, float]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class Simulation:
    """The figures of summary.json `simulation`, each run's totals, and each visit's draws.

    `recorded[i, r]` is what visit `i` of `visits` (the plan's visits in date order) recorded in
    run `r`; `coverage_by_date` holds the total counted coverage on each day of the campaign
    in each run (None where no village knows `eligible`).
    """

    figures: dict[str, Any]
    runs: pd.DataFrame
    visits: pd.DataFrame
    recorded: np.ndarray
    dates: list[dt.date]
    coverage_by_date: Optional[np.ndarray]
    goal: Optional[float]

    def __repr__(self) -> str:  # a notebook's view: the headline figures
        return simulation_repr(self)

    def run_visits(self, run: int) -> pd.DataFrame:
        """The plan's visits as they went in run `run`: `recorded` drawn, `happened` flag."""
        out = self.visits.copy()
        out["planned"] = out["recorded"]
        out["recorded"] = self.recorded[:, run]
        out["happened"] = self.recorded[:, run] > 0
        return out

    def goal_probability_by_date(self) -> Optional[pd.Series]:
        """The share of runs whose counted coverage has reached the goal on each date."""
        if self.coverage_by_date is None or self.goal is None:
            return None
        reached = self.coverage_by_date >= self.goal - 1e-12
        return pd.Series(reached.mean(axis=1), index=pd.Index(self.dates, name="date"))


def simulate(scenario: Scenario, plan, runs: int = 1000, seed: int = 0,
             uncertainty: Optional[Uncertainty] = None, network=None) -> Simulation:
    """Replay `plan` `runs` times under `uncertainty` (default: the scenario's section; also
    a scenario's `uncertainty` model or a dict of its fields). The same seed gives the same
    figures."""
    expect_scenario(scenario, "planner.simulate")
    if isinstance(runs, bool) or not isinstance(runs, numbers.Integral) or runs < 1:
        raise ValueError(f"runs must be a whole number of at least 1, not {runs!r}")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be a whole number of at least 0, not {seed!r}")
    unc = uncertainty
    if not isinstance(unc, Uncertainty):  # none (the scenario's), its model or a dict
        unc = Uncertainty.of(scenario, **(getattr(unc, "model_dump", lambda: unc)() or {}))
    pv = planned_visits(scenario, plan, network, with_links=unc.link_cancel > 0)
    rng = np.random.default_rng(seed)
    backlog = _draw_backlogs(rng, pv.backlog, unc.backlog_cv, runs)
    turnout = _draw_turnouts(rng, pv.turnout, unc.turnout_cv, runs)
    lost = np.zeros((pv.n_unit_days, runs), bool)
    if unc.unit_day_loss > 0:
        lost = rng.random((pv.n_unit_days, runs)) < unc.unit_day_loss
    cancelled = None  # (links, days, runs), drawn only when a visit lies beyond a link
    if any(pv.beyond):
        cancelled = rng.random((pv.n_links, pv.n_days, runs)) < unc.link_cancel
    recorded = _replay(pv, backlog, turnout, lost, cancelled)
    return _judge(scenario, pv, recorded, _eligible_drawn(pv, backlog), runs, seed, unc)


def _draw_backlogs(rng, figures: np.ndarray, cv: float, runs: int) -> np.ndarray:
    """(villages, runs) whole true backlogs, lognormal with mean = the file's figure."""
    out = np.repeat(figures[:, None], runs, axis=1).astype(np.int64)
    if cv <= 0:
        return out
    sigma2 = np.log1p(cv * cv)
    mu = np.log(np.maximum(figures, 1)) - sigma2 / 2
    drawn = np.rint(rng.lognormal(mu[:, None], np.sqrt(sigma2), (len(figures), runs)))
    return np.where(figures[:, None] > 0, drawn, 0).astype(np.int64)


def _draw_turnouts(rng, means: np.ndarray, cv: float, runs: int) -> np.ndarray:
    """(visits, runs) turnouts, beta with the village's turnout as mean and sd = cv x mean."""
    out = np.repeat(means[:, None], runs, axis=1)
    if cv <= 0 or len(means) == 0:
        return out
    var = (cv * means) ** 2
    spread = means * (1 - means)
    concentration = np.maximum(np.divide(spread, var, out=np.ones_like(var), where=var > 0) - 1,
                               MIN_BETA_CONCENTRATION)
    inner = (means > 0) & (means < 1)
    a = np.where(inner, means * concentration, 1.0)
    b = np.where(inner, (1 - means) * concentration, 1.0)
    drawn = rng.beta(a[:, None], b[:, None], (len(means), runs))
    return np.where(inner[:, None], drawn, out)


def _replay(pv: PlannedVisits, backlog, turnout, lost, cancelled) -> np.ndarray:
    """Walk the visits in date order; every step is one numpy operation over the runs."""
    remaining = backlog.copy()
    recorded = np.zeros(turnout.shape, np.int64)
    for i in range(pv.n):
        v = pv.village[i]
        happens = ~lost[pv.unit_day[i]]
        for link in pv.beyond[i]:
            happens &= ~cancelled[link, pv.day[i]]
        come = np.ceil(turnout[i] * remaining[v] - CEIL_SLACK).astype(np.int64)
        r = np.where(happens, np.minimum(come, pv.capacity[i]), 0)
        remaining[v] -= r
        recorded[i] = r
    return recorded


def _eligible_drawn(pv: "PlannedVisits", backlog: np.ndarray) -> np.ndarray:
    """(villages, runs) eligible residents in each run: the unrecorded ones are part of them,
    so a village's eligible moves with its drawn backlog (0 where `eligible` is unknown). With
    the file's eligible fixed, a run with more unrecorded residents than the file would record
    more of them and show a coverage above 100 %."""
    drawn = pv.eligible[:, None] + backlog - pv.backlog[:, None]
    return np.where(pv.eligible_known[:, None], np.maximum(drawn, 0), 0)


def _share_stats(values: np.ndarray) -> dict[str, float]:
    out = {"mean": round(float(values.mean()), 6)}
    out.update({k: round(float(np.quantile(values, q)), 6) for k, q in QUANTILES.items()})
    return out


def _reaches(done: np.ndarray, eligible, threshold) -> np.ndarray:
    """Exact: done / eligible >= threshold (a Decimal share), for arrays of `done` and
    `eligible` (whole numbers)."""
    t = Fraction(threshold)
    return done * t.denominator >= t.numerator * eligible


def _judge(scenario: Scenario, pv: PlannedVisits, recorded: np.ndarray, eligible_drawn: np.ndarray,
           runs: int, seed: int, unc: Uncertainty) -> Simulation:
    counting = recorded * pv.counts[:, None]
    counted = counting.sum(axis=0)
    objective = (counting * pv.weight[:, None]).sum(axis=0)
    targets = scenario.targets
    known = pv.eligible_known[pv.village]
    eligible, before = int(pv.eligible.sum()), int(pv.recorded_before.sum())
    cov_by_date = None
    if eligible:
        eligible_by_run = np.maximum(eligible_drawn.sum(axis=0), 1)
        # counted coverage on each campaign day: recordings counting on or before it
        by_day = np.zeros((len(pv.dates), runs), np.int64)
        np.add.at(by_day, pv.counts_index[pv.counts & known], counting[pv.counts & known])
        cov_by_date = (before + np.cumsum(by_day, axis=0)) / eligible_by_run
    coverage = cov_by_date[-1] if cov_by_date is not None else None
    goal = targets.goal if cov_by_date is not None else None
    reached = None if goal is None else _reaches(before + (counting * known[:, None]).sum(axis=0),
                                                 eligible_by_run, goal)
    figures: dict[str, Any] = {
        "runs": runs, "seed": seed, "uncertainty": unc.as_dict(),
        "objective": _share_stats(objective.astype(float)),
        "counted": _share_stats(counted.astype(float)),
        "coverage": None if coverage is None else _share_stats(coverage),
        "goal": None if goal is None else float(goal),
        "goal_probability": None if reached is None else round(float(reached.mean()), 6),
        "districts": _district_zones(scenario, pv, counting, eligible_drawn),
    }
    table = pd.DataFrame({"run": np.arange(runs), "counted": counted, "objective": objective,
                          "coverage": coverage if coverage is not None else np.nan,
                          "goal_reached": reached if reached is not None else False,
                          "visits_recording_nobody": (recorded == 0).sum(axis=0)})
    if cov_by_date is not None and goal is not None:
        hit = cov_by_date >= float(goal) - 1e-12
        first = np.where(hit.any(axis=0), hit.argmax(axis=0), -1)
        table["goal_reached_on"] = [pv.dates[i] if i >= 0 else None for i in first]
    return Simulation(figures, table, pv.table, recorded, pv.dates, cov_by_date,
                      None if goal is None else float(goal))


def _district_zones(scenario: Scenario, pv: PlannedVisits, counting: np.ndarray,
                    eligible_drawn: np.ndarray) -> dict:
    """Per district: the share of runs ending in each zone, its coverage taken (as in the
    plan's summary) over the district's villages whose `eligible` is known, with each run's
    eligible (`_eligible_drawn`). No zones in the scenario, no entry: there is none to reach."""
    zones = sorted(scenario.targets.zones.items(), key=lambda kv: kv[1])
    out: dict = {}
    if not zones:
        return out
    for name, members in pv.districts.items():
        members = members[pv.eligible_known[members]]
        if not int(pv.eligible[members].sum()):
            continue
        eligible = np.maximum(eligible_drawn[members].sum(axis=0), 1)
        done = int(pv.recorded_before[members].sum()) + \
            counting[np.isin(pv.village, members)].sum(axis=0)
        zone = np.full(done.shape, "red", dtype=object)
        for zone_name, threshold in zones:  # ascending: the highest zone reached wins
            zone[_reaches(done, eligible, threshold)] = zone_name
        names = ["red"] + [z for z, _ in zones if z != "red"]
        out[name] = {z: round(float((zone == z).mean()), 6) for z in names}
    return out



# -- the plan as arrays -------------------------------------------------------------------------

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
