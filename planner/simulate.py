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
from dataclasses import dataclass, field, fields
from fractions import Fraction
from typing import Any, Optional

import numpy as np
import pandas as pd

from .reprs import simulation_repr
from .scenario.load import expect_scenario
from .scenario.model import Scenario
from .simulate_plan import PlannedVisits, planned_visits

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
    in each run (None where no village knows `eligible`); `district_runs` holds, per district
    whose villages know `eligible`, its counted residents and its eligible ones in each run
    (`districts_reaching`).
    """

    figures: dict[str, Any]
    runs: pd.DataFrame
    visits: pd.DataFrame
    recorded: np.ndarray
    dates: list[dt.date]
    coverage_by_date: Optional[np.ndarray]
    goal: Optional[float]
    district_runs: dict = field(default_factory=dict)

    def __repr__(self) -> str:  # a notebook's view: the headline figures
        return simulation_repr(self)

    def run_visits(self, run: int) -> pd.DataFrame:
        """The plan's visits as they went in run `run`: `recorded` drawn, `happened` flag."""
        out = self.visits.copy()
        out["planned"] = out["recorded"]
        out["recorded"] = self.recorded[:, run]
        out["happened"] = self.recorded[:, run] > 0
        return out

    def districts_reaching(self, share) -> pd.DataFrame:
        """Per run (rows) and district (columns): whether its counted coverage at the deadline
        reaches `share` (a zone's threshold), judged as summary.json's per-district zones are:
        exactly, over each run's own eligible residents. `.all(axis=1).mean()` is the chance
        that every district reaches it in the same run (not the product of their chances).
        Raises ValueError where no district has a village that knows `eligible`: there is no
        coverage to judge (and an empty table's `.all(axis=1)` would read as every run)."""
        if not self.district_runs:
            raise ValueError("districts_reaching: no kecamatan has a village with `eligible`, "
                             "so no coverage can be judged")
        share = Fraction(str(share))  # 0.9 as written: the float's exact binary value has
        # a denominator of 2**53, and its products overflow the runs' int64 counts
        return pd.DataFrame({name: _reaches(done, eligible, share)
                             for name, (done, eligible) in self.district_runs.items()},
                            index=pd.RangeIndex(len(self.runs), name="run"))

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


def _eligible_drawn(pv: PlannedVisits, backlog: np.ndarray) -> np.ndarray:
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
        "districts": {},
    }
    by_district = _district_runs(pv, counting, eligible_drawn)
    figures["districts"] = _district_zones(scenario, by_district)
    table = pd.DataFrame({"run": np.arange(runs), "counted": counted, "objective": objective,
                          "coverage": coverage if coverage is not None else np.nan,
                          "goal_reached": reached if reached is not None else False,
                          "visits_recording_nobody": (recorded == 0).sum(axis=0)})
    if cov_by_date is not None and goal is not None:
        hit = cov_by_date >= float(goal) - 1e-12
        first = np.where(hit.any(axis=0), hit.argmax(axis=0), -1)
        table["goal_reached_on"] = [pv.dates[i] if i >= 0 else None for i in first]
    return Simulation(figures, table, pv.table, recorded, pv.dates, cov_by_date,
                      None if goal is None else float(goal), by_district)


def _district_runs(pv: PlannedVisits, counting: np.ndarray, eligible_drawn: np.ndarray) -> dict:
    """Per district: its counted residents and its eligible ones in each run, over its villages
    whose `eligible` is known (as in the plan's summary), with each run's eligible
    (`_eligible_drawn`); none for a district where no village knows `eligible`."""
    out: dict = {}
    for name, members in pv.districts.items():
        members = members[pv.eligible_known[members]]
        if not int(pv.eligible[members].sum()):
            continue
        eligible = np.maximum(eligible_drawn[members].sum(axis=0), 1)
        done = int(pv.recorded_before[members].sum()) + \
            counting[np.isin(pv.village, members)].sum(axis=0)
        out[name] = (done, eligible)
    return out


def _district_zones(scenario: Scenario, by_district: dict) -> dict:
    """Per district: the share of runs ending in each zone (`_district_runs`). No zones in the
    scenario, no entry: there is none to reach."""
    zones = sorted(scenario.targets.zones.items(), key=lambda kv: kv[1])
    out: dict = {}
    if not zones:
        return out
    for name, (done, eligible) in by_district.items():
        zone = np.full(done.shape, "red", dtype=object)
        for zone_name, threshold in zones:  # ascending: the highest zone reached wins
            zone[_reaches(done, eligible, threshold)] = zone_name
        names = ["red"] + [z for z, _ in zones if z != "red"]
        out[name] = {z: round(float((zone == z).mean()), 6) for z in names}
    return out
