"""What holds a plan back (DESIGN §4 `limits`): the gain in weighted counted recordings that
one more of each resource buys, and the units that never go out, with why.

A gain is `measured` by re-planning the scenario with one more weekday staff member, weekend
staff member, overtime unit-day, kit on a unit, or day before the deadline, and the scenario
as it is, with the same quick planner (one of the optimiser's first constructions,
`solve.quick_plan`), so that the difference is the resource's and not the planners'
(`bench/limits.py` compares their gains with the optimiser's own re-plans). Where they do
not fit the time given, every gain is an `estimate` from the plan itself, and says so: all
measured or none, so that no two gains stand on different bases.

The quick plans, the scenario's as it is among them, run together on up to two forked
processes, one a core, which are ended at once where they have not all finished by the
deadline (the time given, counted from the start). A process that may not fork (a Dask
worker is daemonic, and may have no children) makes them here, one after another, while
the plans so far say the rest will fit: a plan under way here cannot be stopped.
"""
from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
import signal
import time
import warnings
from typing import Callable

from .calendar import field_days, staff_limit
from .instance import Instance
from .interrupts import rearm_ctrl_c, was_interrupted
from .network import TravelNetwork
from .notices import Notice
from .plan import Plan
from .reasons import Reach, staff_kept_in
from .scenario.model import Scenario
from .solve import quick_plan


def variants(scenario: Scenario) -> dict[str, Callable[[], Scenario] | None]:
    """Limit name -> the scenario with one more of it (None: that resource has no limit).
    `Scenario.replace` warns only of what a variant brings, so the what-ifs repeat none of
    the scenario's warnings."""
    staff, cal = scenario.staff, scenario.calendar
    out: dict[str, Callable[[], Scenario] | None] = {
        "weekday_staff": None if staff.weekday is None else (
            lambda: scenario.replace(staff={"weekday": staff.weekday + 1})),
        "weekend_staff": None if staff.weekend is None else (
            lambda: scenario.replace(staff={"weekend": staff.weekend + 1})),
        "overtime_unit_day": None if staff.overtime_unit_days is None else (
            lambda: scenario.replace(staff={"overtime_unit_days": staff.overtime_unit_days + 1})),
        "deadline_day": lambda: scenario.replace(
            calendar={"deadline": cal.deadline + dt.timedelta(days=1)}),
    }
    for u in scenario.units:
        out[f"kit:{u.id}"] = (lambda u=u: scenario.replace(
            units=[x.replace(kits=x.kits + 1) if x.id == u.id else x for x in scenario.units]))
    return out


AS_IT_IS = "as it is"  # the scenario's own quick plan among the re-plans (no limit's name)


def limits_budget(time_limit: float, deterministic: bool = False) -> float | None:
    """Seconds the re-plans of `limits` may take after a plan of `time_limit` seconds: a quarter
    of it, at least 2 s; None (no limit: always re-planned) after a deterministic plan, whose
    outputs must not depend on how fast the machine is."""
    return None if deterministic else max(2.0, 0.25 * time_limit)


def limits(scenario: Scenario, plan: Plan, network: TravelNetwork | None = None,
           budget_s: float | None = 10.0) -> dict:
    """The `limits` of summary.json for `plan`: per limit {"gain", "basis"} (a kit's per
    unit under "kit"), and "idle_units" [{"unit", "why"}]. The re-plans are made where they
    fit `budget_s` seconds from now (always, however long they take, where it is None), else
    the gains are estimated (at once, without a re-plan, where it is 0 or the search was
    interrupted); a limit the scenario does not set is worth nothing, an estimate marked
    "unlimited"."""
    started = time.monotonic()
    network = network or TravelNetwork(scenario)
    if was_interrupted(plan):
        budget_s = 0.0  # after Ctrl-C the planner waits for the plan, not for re-plans
    todo = variants(scenario)
    made = {name: variant for name, make in todo.items()
            if make is not None and (variant := _made(make)) is not None}
    idle = idle_units(scenario, plan, network)  # within the time given, as the rest
    gains = {}
    if made and (budget_s is None or budget_s > 0):
        deadline = None if budget_s is None else started + budget_s
        gains = _replanned({AS_IT_IS: scenario, **made}, network, deadline) or {}
    # no limit buys more than what the plan leaves unrecorded (nothing, where it counts all)
    room = max(0.0, float(sum(v.priority * v.unrecorded for v in scenario.villages)
                          - plan.objective))
    out: dict = {"kit": {}}
    for name, make in todo.items():
        if make is None:
            entry = {"gain": 0.0, "basis": "estimate", "unlimited": True}  # priced at nothing
        elif name in gains:
            gain = min(float(gains[name] - gains[AS_IT_IS]), room)
            entry = {"gain": round(gain, 3), "basis": "measured"}
        else:
            entry = {"gain": round(min(estimate(scenario, plan, name), room), 1),
                     "basis": "estimate"}
        if name.startswith("kit:"):
            out["kit"][name[4:]] = entry
        else:
            out[name] = entry
    out["idle_units"] = idle
    return out


def _helpers() -> int:
    """Processes the re-plans may use: the cores this process may run on, 1 where it may not
    fork (no fork on the platform, or a daemonic process such as a Dask worker, which may have
    no children)."""
    if not _may_fork():
        return 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _may_fork() -> bool:
    return "fork" in mp.get_all_start_methods() and not mp.current_process().daemon


def _replanned(jobs: dict[str, Scenario], network: TravelNetwork,
               deadline: float | None) -> dict | None:
    """Each scenario's quick plan's objective, all by `deadline` (a `time.monotonic()`; None:
    however long they take), or None. On up to two forked processes where this one may fork,
    else here, one after another."""
    if deadline is not None and time.monotonic() >= deadline:
        return None
    if not _may_fork():
        return _here(jobs, network, deadline)
    try:
        return _on_processes(jobs, network, min(2, _helpers(), len(jobs)), deadline)
    except (OSError, WorkerLost):  # no process to be had, or one died: here instead
        return _here(jobs, network, deadline)


def _here(jobs: dict[str, Scenario], network: TravelNetwork,
          deadline: float | None) -> dict | None:
    """The quick plans one after another in this process (without `_JOBS`: threads of one
    Dask worker may be here at once), each begun only where the rest fit by `deadline` at
    the pace of the slowest so far: a plan slower than those before overruns it, by itself."""
    out: dict = {}
    slowest = 0.0
    for left, (name, scenario) in zip(range(len(jobs), 0, -1), jobs.items()):
        began = time.monotonic()
        if deadline is not None and began + slowest * left > deadline:
            return None
        out[name] = quick_plan(scenario, network).objective
        slowest = max(slowest, time.monotonic() - began)
    return out


class WorkerLost(Exception):
    """A forked helper ended before its quick plans were made (killed for its memory)."""


def _on_processes(jobs: dict[str, Scenario], network: TravelNetwork, workers: int,
                  deadline: float | None) -> dict | None:
    """The quick plans on `workers` forked processes (the scenarios and the network reach them
    without pickling), or None where they have not all finished by `deadline`: then the
    processes are ended at once, as they are on Ctrl-C or any error here."""
    ctx = mp.get_context("fork")
    rearm_ctrl_c()  # so that Ctrl-C reaches the `finally` below that ends the helpers
    before = {child.pid for child in mp.active_children()}
    # Ctrl-C is the parent's to handle: held until the helpers ignore it (`_keep_jobs`)
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        pool = ctx.Pool(workers, initializer=_keep_jobs,
                        initargs=({name: (s, network) for name, s in jobs.items()},))
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
    try:
        helpers = {child.pid for child in mp.active_children()} - before
        pending = pool.map_async(_quick_objective, list(jobs), chunksize=1)
        while not pending.ready():
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return None
            pending.wait(0.5 if left is None else min(0.5, left))
            if not pending.ready() and not helpers <= {c.pid for c in mp.active_children()}:
                raise WorkerLost()  # the pool would wait for its lost plan for ever
        return dict(zip(jobs, pending.get()))
    finally:
        pool.terminate()
        pool.join()


_JOBS: dict = {}  # in a forked helper only: the scenarios and the network, inherited


def _keep_jobs(jobs: dict) -> None:
    """A forked helper's start: it leaves Ctrl-C to the parent and ends at once when ended."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _JOBS.update(jobs)


def _quick_objective(name: str):
    scenario, network = _JOBS[name]
    return quick_plan(scenario, network).objective


def _made(make: Callable[[], Scenario]) -> Scenario | None:
    """The variant, or None where one more is past a scenario limit (a count at its sanity
    limit, a deadline at the longest campaign): that gain is estimated, not re-planned. A
    variant's notices are about a what-if, not the office's scenario: none is shown."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Notice)
            return make()
    except ValueError:
        return None


def estimate(scenario: Scenario, plan: Plan, name: str) -> float:
    """A gain from the plan's own yield: an average unit-day's weighted recordings times the
    unit-days the change lets out (one more staff member: the days on which an idle
    available unit's crew then fits; one more day: the units that may work on it), or the
    recording time a kit saves."""
    days = [r for r in plan.routes if r.stops]
    if not days:
        return 0.0
    per_day = float(plan.objective) / len(days)
    if name in ("weekday_staff", "weekend_staff"):
        return per_day * extra_unit_days(scenario, plan, overtime=name == "weekend_staff")
    if name == "overtime_unit_day":  # worth a day only where the plan spends the budget
        budget = scenario.staff.overtime_unit_days
        return per_day if budget is not None and plan.overtime_unit_days >= budget else 0.0
    if name == "deadline_day":
        longer = _made(variants(scenario)[name])
        return per_day * (len(scenario.units) if longer is None
                          else added_unit_days(scenario, longer, plan))
    unit = scenario.unit(name[4:])
    mine = [r for r in days if r.unit == unit.id]
    recording = sum(s.end - s.start for r in mine for s in r.stops)
    out_time = sum(r.return_ - r.depart for r in mine) or 1
    return per_day * len(mine) * (recording / out_time) / (unit.kits + 1)


def added_unit_days(scenario: Scenario, longer: Scenario, plan: Plan) -> int:
    """Unit-days `longer` (a later deadline) adds: on each field day it has and `scenario`
    has not, the available units whose crews fit the staff limit together (smallest crews
    first), on overtime days no more than the overtime budget the plan leaves."""
    known = {day.date for day in field_days(scenario)}
    budget = scenario.staff.overtime_unit_days
    spare = None if budget is None else max(0, budget - plan.overtime_unit_days)
    count = 0
    for day in field_days(longer):
        if day.date in known:
            continue
        limit, crews, fits = staff_limit(longer, day), 0, 0
        for crew in sorted(u.crew for u in longer.units if not u.unavailable_on(day.date)):
            if limit is not None and crews + crew > limit:
                break
            crews, fits = crews + crew, fits + 1
        if day.overtime and spare is not None:
            fits = min(fits, spare)
            spare -= fits
        count += fits
    return count


def extra_unit_days(scenario: Scenario, plan: Plan, overtime: bool) -> int:
    """Field days of the kind on which one more staff member lets one more unit out: a unit
    available and not out that day whose crew fits the limit plus one beside the crews out,
    but not the limit (none on overtime days once the plan spends the overtime budget)."""
    crew_out: dict[dt.date, int] = {}
    out: dict[dt.date, set] = {}
    for r in plan.routes:
        if plan.is_field_day(r):
            crew_out[r.date] = crew_out.get(r.date, 0) + scenario.unit(r.unit).crew
            out.setdefault(r.date, set()).add(r.unit)
    limit = scenario.staff.weekend if overtime else scenario.staff.weekday
    budget = scenario.staff.overtime_unit_days
    if overtime and budget is not None and plan.overtime_unit_days >= budget:
        return 0
    count = 0
    for day in field_days(scenario):
        if day.overtime != overtime or limit is None:
            continue
        room = limit - crew_out.get(day.date, 0)
        count += any(room < u.crew <= room + 1 and u.id not in out.get(day.date, set())
                     and not u.unavailable_on(day.date) for u in scenario.units)
    return count


def idle_units(scenario: Scenario, plan: Plan, network: TravelNetwork | None = None) -> list[dict]:
    """Units that never go out in the plan, and why (in codes: `staff` when the staff limit
    never leaves room for their crew, `staff_overtime` when it does so on working days and
    the overtime budget is spent on the others, `crew_over_staff` when no staff level fits
    their crew, `no_days` when the plan has no field day, `unavailable`, `too_far` when no
    village it may serve fits a field day from where it starts back to its home, or
    `no_gain`)."""
    out_units = {r.unit for r in plan.routes if plan.is_field_day(r)}
    field = field_days(scenario)
    inst = Instance(scenario, network)
    kept_in = staff_kept_in(inst, plan)
    reach = Reach(inst, max(d.end - d.start for d in inst.days)) if inst.days else None
    levels = [lim for lim in (scenario.staff.weekday, scenario.staff.weekend) if lim is not None]
    out = []
    for k, u in enumerate(scenario.units):
        if u.id in out_units:
            continue
        free = [d for d in field if not u.unavailable_on(d.date)]
        if not field:
            why = "no_days"
        elif not free:
            why = "unavailable"
        elif levels and len(levels) == 2 and u.crew > max(levels):
            why = "crew_over_staff"
        elif u.id in kept_in:
            why = kept_in[u.id]
        elif reach is not None and not (reach.fits[k] & inst.units[k].servable).any():
            why = "too_far"
        else:
            why = "no_gain"
        out.append({"unit": u.id, "why": why})
    return out
