"""What the visits that happened say about the scenario's turnout, against the plan that
announced them.

A re-plan from the actuals (`--actuals`) starts from what the teams recorded, but it plans the
weeks ahead with the scenario's `turnout` as before. When fewer residents come than the scenario
says (the field reports' "turnout disappoints"), every re-plan is again too hopeful: it counts on
later visits recording more than they will. Where the re-plan is written into the folder of the
plan that announced those visits, `against_plan` compares them, visit by visit (the same unit,
date and village):

- `share`: what the matched visits recorded against what the earlier plan expected of them;
- `turnout_factor`: over the matched visits the earlier plan expected to take everyone who comes
  (its people at the turnout cap of what its own visits left, DESIGN §3 "A visit"), what they
  recorded against that cap of what the actual visits left: how far the turnout the villages
  showed is from the scenario's, where the visits' time did not bind; `turnout_cv`, the spread
  of that ratio from visit to visit (to hold against `uncertainty.turnout_cv`).

It warns (`turnout_vs_plan`) when the share is off by more than `OFF_BY`, and the figures go into
summary.json `actuals.against_plan`. The re-plan keeps the scenario's turnout unless the office
asks for the one the villages showed (`--turnout-from-actuals`, `with_observed_turnout`): the
office knows whether the shortfall was turnout, or a kit that broke, a late start.
"""
from __future__ import annotations

import datetime as dt
import statistics
import warnings
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from .keep_tables import read_table
from .notices import Notice
from .plan import Plan
from .rules import village_cap
from .scenario.errors import ScenarioError
from .scenario.values import LEAST_TURNOUT

MIN_VISITS = 5  # fewer matched visits say too little to warn about
OFF_BY = 0.15  # a share of what was expected outside 1 +- OFF_BY is worth a warning
FLAG = "<command line>:1: --turnout-from-actuals"


def against_plan(earlier: Plan | Path | str, left, actuals: dict) -> dict | None:
    """summary.json `actuals.against_plan` for the re-plan of `left` (the scenario after the
    actuals) from `actuals` (summary.json `actuals`, whose `done` are the visits that happened;
    `Actuals.report` gives it), against the `earlier` plan (a Plan, or the folder it was written
    to); None where the folder holds no visits.csv that can be read, or fewer than MIN_VISITS
    of its visits happened as announced. Warns when off."""
    if isinstance(earlier, Plan):
        planned = {(r.unit, r.date, s.village_id): s.recorded
                   for r in earlier.routes for s in r.stops}
        where = "the earlier plan"
    else:
        where = str(Path(earlier) / "visits.csv")
        planned = _planned_visits(Path(where))
    if not planned:
        return None
    done = [(v["unit"], dt.date.fromisoformat(v["date"]), v["village_id"], int(v["recorded"]))
            for v in actuals.get("done", ()) if v["village_id"] in left.village_index]
    matched = [(visit, planned[visit[:3]]) for visit in done if visit[:3] in planned]
    if len(matched) < MIN_VISITS:
        return None
    backlog = _backlog_before(left, done)
    actual_left = _left_before(backlog, [(d, vid, r) for _, d, vid, r in done])
    first = min(day for _, day, _ in planned)
    before_plan = [(d, vid, r) for _, d, vid, r in done if d < first]
    plan_left = _left_before(backlog, before_plan + [(d, vid, r) for (_, d, vid), r
                                                      in planned.items()], since=first)
    ratios = []  # each turnout-bound visit's people over its cap of what was left
    bound_recorded = bound_cap = 0
    for (unit, day, vid, recorded), expected in matched:
        turnout = _turnout(left, vid)
        if expected > 0 and expected >= village_cap(turnout, plan_left[vid, day]):
            cap = village_cap(turnout, actual_left[vid, day])
            bound_recorded += recorded
            bound_cap += cap
            if cap > 0:
                ratios.append(recorded / cap)
    bound_visits = len(ratios)
    recorded, expected = sum(v[3] for v, _ in matched), sum(e for _, e in matched)
    factor = bound_recorded / bound_cap if bound_visits >= MIN_VISITS and bound_cap else None
    spread = statistics.pstdev(ratios) / statistics.fmean(ratios) \
        if factor is not None and statistics.fmean(ratios) > 0 else None
    scenario_turnout = float(left.recording.turnout)
    figures = {"visits": len(matched), "recorded": recorded, "planned": expected,
               "share": round(recorded / expected, 3) if expected else None,
               "turnout_visits": bound_visits,
               "turnout_factor": None if factor is None else round(factor, 3),
               "turnout_cv": None if spread is None else round(spread, 3),
               "turnout": scenario_turnout,
               "turnout_suggested": None if factor is None else
               round(min(1.0, scenario_turnout * factor), 2)}
    if expected and abs(recorded / expected - 1) > OFF_BY:
        _warn(where, figures)
    return figures


def with_observed_turnout(left, found: dict | None, where: str = FLAG):
    """`--turnout-from-actuals`: `left` with every turnout (the scenario's and each village's
    own) times `found`'s turnout factor, where the villages came less than the scenario says;
    else `left` as it is, with a warning (at `where`) saying why. Only ever lower: a plan made
    at a lower turnout records at no visit more than the scenario's caps allow, so it keeps
    every rule of the scenario as written (`--check-plan` with it passes)."""
    factor = (found or {}).get("turnout_factor")
    if factor is None or factor >= 1:
        warnings.warn(Notice("turnout_not_lowered" if factor else "turnout_not_estimated",
                             where, factor=factor, least=MIN_VISITS), stacklevel=2)
        return left
    scale = Decimal(str(factor))

    def lower(turnout: Decimal) -> Decimal:
        return max(LEAST_TURNOUT, min(turnout, (turnout * scale).quantize(Decimal("0.001"))))

    found["applied"] = True
    turnout = lower(left.recording.turnout)
    warnings.warn(Notice("turnout_lowered", where, factor=factor, turnout=float(turnout),
                         was=float(left.recording.turnout)), stacklevel=2)
    return left.replace(recording={"turnout": turnout}, villages=[
        v if v.turnout is None else v.replace(turnout=lower(v.turnout)) for v in left.villages])


def _planned_visits(path: Path) -> dict[tuple[str, dt.date, str], int] | None:
    """The earlier plan's people per (unit, date, village); None where it cannot be read
    (a missing or hand-broken file says nothing here: `changes` reports it)."""
    try:
        table = read_table(path, ("unit", "date", "village_id", "recorded"), "visits.csv")
    except ScenarioError:
        return None
    return {(u, d, v): int(r) for u, d, v, r, _ in table.itertuples(index=False, name=None)}


def _backlog_before(left, done) -> dict[str, int]:
    """Each village's unrecorded residents before any visit that happened: what is left now
    and what the visits recorded."""
    out = {v.id: v.unrecorded for v in left.villages}
    for _, _, vid, recorded in done:
        out[vid] += recorded
    return out


def _left_before(backlog: dict[str, int], visits, since: dt.date | None = None
                 ) -> dict[tuple[str, dt.date], int]:
    """(village, date) -> the residents left before that date's visit, after `visits` (date,
    village, people) of earlier dates; from `since` on only where given (the dates a table
    of planned visits holds)."""
    by_village = defaultdict(list)
    for day, vid, people in visits:
        if vid in backlog:
            by_village[vid].append((day, people))
    out = {}
    for vid, rows in by_village.items():
        left = backlog[vid]
        for day, people in sorted(rows):
            if since is None or day >= since:
                out[vid, day] = max(0, left)
            left -= people
    return out


def _turnout(left, vid: str) -> Decimal:
    village = left.village(vid)
    return village.turnout if village.turnout is not None else left.recording.turnout


def _warn(where: str, figures: dict) -> None:
    """`turnout_vs_plan`, with the turnout the matched visits suggest where they do."""
    factor = figures["turnout_factor"]
    warnings.warn(Notice(
        "turnout_vs_plan" if factor is not None else "recorded_vs_plan",
        where, visits=figures["visits"],
        recorded=figures["recorded"], planned=figures["planned"],
        percent=round(100 * figures["share"]), bound=figures["turnout_visits"],
        factor=factor, turnout=figures["turnout"], suggested=figures["turnout_suggested"]),
        stacklevel=3)
