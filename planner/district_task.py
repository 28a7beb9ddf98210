"""The worker's side of planning many districts (`many`): plan one district given as plain
data, and send the plan back as plain data with the seconds and peak memory it took.

A task must pickle, so `plan_district` is a top-level function; it announces its start
through Dask's event log so that the client's progress line knows which districts run.
"""
from __future__ import annotations

import dataclasses
import os
import threading
import time
import warnings
from typing import Any

from .notices import Notice
from .plan import Plan, Route, Stop
from .scenario import Scenario
from .scenario.roads import give_road_graph
from .sweep import plan_scenario

STARTED_TOPIC = "jemput-district-started"
ROAD_GRAPH_KEY = "_road_graph"  # in a district's payload: its parsed road graph, if any
REPORT_KEY = "_report"  # ... a re-plan's summary.json `actuals`
EARLIER_KEY = "_earlier"  # ... the earlier plan: {"visits", "days"[, "until", "tables"]}
MEMORY_SAMPLE_S = 0.2  # how often a worker samples its memory while it plans


class PeakMemory:
    """The process's peak resident memory (MB) while the block runs, sampled by a thread: the
    process's lifetime peak would hold earlier districts' peaks."""

    def __init__(self):
        self.mb = 0.0
        self._stop = threading.Event()

    def _sample(self) -> None:
        import psutil

        process = psutil.Process()
        while True:
            self.mb = max(self.mb, process.memory_info().rss / 2**20)
            if self._stop.wait(MEMORY_SAMPLE_S):
                return

    def __enter__(self) -> "PeakMemory":
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.mb = round(self.mb, 1)


def announce_start(batch: str, name: str) -> None:
    """Tell the client (through the scheduler's event log) that this district has started."""
    try:
        from distributed import get_worker

        worker = get_worker()
    except (ImportError, ValueError):  # not on a Dask worker
        return
    worker.log_event(STARTED_TOPIC, {"batch": batch, "district": name, "pid": os.getpid(),
                                     "worker": worker.address})


def plan_to_data(plan: Plan) -> dict[str, Any]:
    """The plan as plain data: its routes as dicts, the solver's record, and the figures the
    client checks its rebuilt Plan against."""
    return {"routes": [dataclasses.asdict(r) for r in plan.routes], "solver": dict(plan.solver),
            "counted": int(plan.counted), "objective": str(plan.objective),
            "visits": sum(len(r.stops) for r in plan.routes), "report": dict(plan.report)}


def plan_from_data(scenario: Scenario, data: dict[str, Any]) -> Plan:
    """The Plan that `plan_to_data` described; raises if it does not add up to the same."""
    routes = tuple(Route(**{**r, "stops": tuple(Stop(**s) for s in r["stops"])})
                   for r in data["routes"])
    plan = Plan(scenario, routes, dict(data["solver"]), report=dict(data.get("report") or {}))
    rebuilt = (int(plan.counted), str(plan.objective), sum(len(r.stops) for r in routes))
    if rebuilt != (data["counted"], data["objective"], data["visits"]):
        raise RuntimeError(f"the plan sent back does not rebuild: {rebuilt} != "
                           f"{(data['counted'], data['objective'], data['visits'])}")
    return plan


def plan_district(data: dict, options: dict, batch: str = "", name: str = "") -> dict[str, Any]:
    """A worker's task (top level: it must pickle): plan one scenario given as plain data;
    return the plan as plain data, with the planning seconds, the whole task's (the limits'
    re-plans and the files too) and the peak memory, and where `options["render"]` asks for
    them, its folder's files (`export.folder.render_files`)."""
    announce_start(batch, name)
    notices: list = []
    with PeakMemory() as peak:
        t0 = time.perf_counter()
        data = dict(data)
        graph = data.pop(ROAD_GRAPH_KEY, None)
        report = data.pop(REPORT_KEY, None) or {}
        earlier = data.pop(EARLIER_KEY, None) or {}
        scenario = Scenario.model_validate(data)
        if graph is not None:  # the client's reading: the file need not exist here
            give_road_graph(scenario.travel.roads, graph)
        if "until" not in earlier:
            plan, on, rest = _planned(scenario, options), scenario, None
        else:  # the kept days, then the rest planned (`keep.plan_keeping`), checked whole
            plan, on, rest, notices = _keeping(scenario, earlier, options)
        seconds = time.perf_counter() - t0
        if "visits" in earlier:  # what the new plan changes for the villages told before
            from .changes import schedule_changes

            with warnings.catch_warnings(record=True) as caught:  # villages no longer planned
                warnings.simplefilter("always")
                changes = schedule_changes(earlier["visits"], plan, earlier["days"])
            plan = dataclasses.replace(plan, report={**plan.report, "changes": changes})
            notices = [*notices, *(w.message for w in caught if isinstance(w.message, Notice))]
        if report:  # a re-plan: its actual figures go into summary.json and the drawings
            plan = dataclasses.replace(plan, report={**plan.report, **report})
        if options.get("limits"):  # as `plan-routes` adds them to a plan made alone
            from .limits import limits, limits_budget

            budget = limits_budget(options.get("time_limit", 60),
                                   options.get("deterministic", False))
            plan = dataclasses.replace(plan, report={
                **plan.report, "limits": limits(on, rest or plan, budget_s=budget)})
        rendered = None
        if options.get("render") is not None:  # {"formats", "lang"}: the folder's files
            from .export.folder import render_files

            rendered = render_files(plan, **options["render"])
        task_seconds = time.perf_counter() - t0  # with the limits' re-plans and the files
    return {**plan_to_data(plan), "seconds": round(seconds, 2),
            "task_seconds": round(task_seconds, 2), "peak_mb": peak.mb,
            "rendered": rendered, "notices": notices}


def _planned(scenario: Scenario, options: dict) -> Plan:
    """The district's plan by the planner `options` name; a greedy plan is checked here (the
    optimiser hands out checked plans only)."""
    from .check import check

    plan = plan_scenario(scenario, options.get("solver"), options.get("time_limit", 60),
                         options.get("seed", 0), options.get("deterministic", False),
                         options.get("solve_options"))
    if options.get("solver") == "greedy":
        problems = check(scenario, plan)
        if problems:
            raise RuntimeError(f"the plan breaks {len(problems)} rule(s): {problems[0]}")
    return plan


def _keeping(scenario: Scenario, kept: dict, options: dict):
    """The re-plan keeping the earlier plan's visits (`keep.plan_keeping`): the whole plan, the
    scenario after the kept days and its plan (what `limits` is about), and the warnings for
    the trips not kept (Notices, sent back to the client)."""
    from .keep import plan_keeping
    from .network import TravelNetwork

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plan, problems, on, rest = plan_keeping(
            scenario, kept["tables"], kept["until"], TravelNetwork(scenario),
            lambda left: (_planned(left, options), []))
    if problems:
        raise RuntimeError(f"the plan breaks {len(problems)} rule(s): {problems[0]}")
    return plan, on, rest, [w.message for w in caught if isinstance(w.message, Notice)]
