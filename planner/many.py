"""Many districts at once: every scenario planned on a Dask cluster, the results as plain data.

Each scenario is loaded and validated in the client (a bad one is reported with its
`FILE:LINE` lines and the rest go on), sent to a worker as a plain dict, planned there, and
comes back as plain data (the routes as dicts and the solver's record), from which the
client rebuilds the Plan. So a worker needs no access to the scenario's files, and every file
is written by the client: a worker that dies mid-plan leaves nothing half-written, and Dask
runs its task again elsewhere. For the CLI's batch the worker also draws the district's
output files in memory (maps, charts, workbook: most of a folder's cost), so that the client,
which writes the folders one after another, keeps up with many workers.

Nothing is home-made between the client and the workers: `Client.submit(..., retries=)` and
`as_completed` do the queueing, the rescheduling after a lost worker and the retries. Workers
announce when they start a district through Dask's event log (`Worker.log_event`, received
with `Client.subscribe_topic`), which is how the progress line knows which districts run.

`solve_many` is the notebook's entry point (DESIGN §5); `plan_many` yields the districts as
they finish, for the CLI that writes each folder as soon as its plan is back.
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import math
import re
import threading
import time
import uuid
import warnings
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import pandas as pd

from .causes import top_limit
from .changes import villages_to_tell
from .cluster import dask_client
from .notices import Notice
from .plan import Plan
from .reprs import many_repr
from .scenario import Scenario, ScenarioError, load_scenario
from .batch_replan import earlier_from, re_plan
from .district_task import (EARLIER_KEY, REPORT_KEY, ROAD_GRAPH_KEY, STARTED_TOPIC, plan_district,
                            plan_from_data)
from .sweep import goal_reached_on

# DESIGN §4's columns first, in its order (name, backlog, counted, coverage before and after,
# zone, goal reached, status, seconds, error), so that a reader by position finds them; the
# planner's additions after them
SUMMARY_COLUMNS = ["district", "backlog", "counted", "coverage_before", "coverage_after", "zone",
                   "goal_reached", "status", "seconds", "error", "file", "villages",
                   "zone_before", "gap", "limit", "limit_gain", "limit_basis", "villages_to_tell",
                   "peak_mb"]


@dataclasses.dataclass(eq=False)
class DistrictResult:
    """One district of a batch: its scenario and Plan, or the lines saying why there is none."""

    name: str  # the folder stem: the file's stem, or a slug of the scenario's name
    source: str | None
    scenario: Scenario | None = None
    plan: Plan | None = None
    errors: tuple[str, ...] = ()
    bad_input: bool = False  # True: the scenario (or its folder) is wrong, not the planner
    warnings: tuple[Warning, ...] = ()  # as loading raised them (`notices.Notice` mostly)
    seconds: float | None = None  # planning time on the worker
    task_seconds: float | None = None  # the whole task's: planning, limits, files
    peak_mb: float | None = None  # the worker's peak resident memory while planning it
    # its folder's files, drawn by the worker, until written
    rendered: tuple | None = dataclasses.field(default=None, repr=False)
    report: dict = dataclasses.field(default_factory=dict)  # a re-plan's `actuals`, to the worker
    earlier: dict | None = None  # the earlier plan in its folder (`batch_replan.earlier_from`)

    @property
    def ok(self) -> bool:
        return self.plan is not None and not self.errors

    def fail(self, lines: Iterable[str], bad_input: bool) -> None:
        self.plan, self.errors, self.bad_input = None, tuple(lines), bad_input

    def located_warnings(self) -> list[Warning]:
        """Its warnings, those that name no place (from planning: a kept trip dropped, a
        village gone) at its scenario file, so that a batch's lines say whose they are."""
        return [w.located(self.source or self.name) if isinstance(w, Notice) and not w.where
                else w for w in self.warnings]

    def row(self) -> dict[str, Any]:
        """This district's row of the province table (SUMMARY_COLUMNS)."""
        row = dict.fromkeys(SUMMARY_COLUMNS)
        # a scenario that could not be read has no name: its file's stem names its row
        row.update(district=self.name, file=self.name, seconds=self.seconds, peak_mb=self.peak_mb,
                   error=self.errors[0] if self.errors else None,
                   status="INVALID" if self.bad_input else "FAILED")
        sc = self.scenario
        if sc is not None:
            row.update(district=sc.name, villages=len(sc.villages),
                       backlog=sum(v.unrecorded for v in sc.villages))
        if self.ok:
            s = self.plan.summary()
            row.update(counted=s["counted_recordings"], coverage_before=s["coverage_before"],
                       coverage_after=s["coverage_after"],
                       zone_before=sc.targets.zone_of(s["coverage_before"]),
                       zone=s["zone_after"], goal_reached=goal_reached_on(self.plan),
                       gap=s["gap"], status=s["solver"]["status"],
                       villages_to_tell=villages_to_tell(s.get("changes")))
            top = top_limit(s.get("limits") or {})
            if top is not None and top[2]["gain"] > 0:  # the limit whose one more buys the most
                row.update(limit=f"kit:{top[1]}" if top[1] else top[0],
                           limit_gain=top[2]["gain"], limit_basis=top[2]["basis"])
        return row


def summary_table(results: Iterable[DistrictResult]) -> pd.DataFrame:
    """One row per district, in SUMMARY_COLUMNS (counts stay integers where rows are empty)."""
    table = pd.DataFrame([r.row() for r in results], columns=SUMMARY_COLUMNS)
    return table.astype({"villages": "Int64", "backlog": "Int64", "counted": "Int64",
                         "villages_to_tell": "Int64"})


@dataclasses.dataclass
class ManyPlans:
    """What `solve_many` returns: every district's result, in the order given."""

    results: list[DistrictResult]

    @property
    def plans(self) -> dict[str, Plan]:
        return {r.name: r.plan for r in self.results if r.ok}

    @property
    def errors(self) -> dict[str, tuple[str, ...]]:
        return {r.name: r.errors for r in self.results if not r.ok}

    @property
    def summary(self) -> pd.DataFrame:
        return summary_table(self.results)

    def __repr__(self) -> str:  # a notebook's view: which districts, not their every route
        return many_repr(self)


# -- the client side: loading --------------------------------------------------------------
def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "scenario"


def load_districts(items: Iterable[str | Path | Scenario], actuals: str | Path | None = None,
                   today: dt.date | None = None) -> list[DistrictResult]:
    """Each path loaded (a bad one keeps its `FILE:LINE` lines), each Scenario taken as is.
    Two districts with the same name would share a folder: the later one is refused. With
    `actuals` (a folder), each is re-planned from its own file there (`re_plan`)."""
    out: list[DistrictResult] = []
    seen: set[str] = set()
    seen_names: set[str] = set()  # slugs of the Scenario objects' own names
    for item in items:
        if isinstance(item, Scenario):
            from_file = item.source and Path(item.source).suffix.lower() in (".yaml", ".yml")
            name = Path(item.source).stem if from_file else _slug(item.name)
            if name in seen and _slug(item.name) not in seen | seen_names:
                name = _slug(item.name)  # a variant of a file's scenario, given its own name
            seen_names.add(_slug(item.name))
            result = DistrictResult(name, item.source, scenario=item)
        else:
            result = DistrictResult(Path(item).stem, str(item))
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    result.scenario = load_scenario(item)
                except ScenarioError as exc:
                    result.fail([str(p) for p in exc.problems], bad_input=True)
            result.warnings = tuple(w.message for w in caught)
        if result.name in seen and not result.errors:
            how = ("give it a name of its own, scenario.replace(name=...)"
                   if isinstance(item, Scenario) else "rename one")
            result.fail([f"{result.source}:1: (file): another scenario is also named "
                         f"{result.name!r}; {how} (each district gets its own folder)"],
                        bad_input=True)
        seen.add(result.name)
        if actuals is not None and not result.errors:
            re_plan(result, Path(actuals), today)
        out.append(result)
    return out


# -- the client side: running a batch ------------------------------------------------------
class _Progress:
    """Which districts run (started, from the workers' events, and not yet done), how many
    are done, and the time left from the mean time the districts done so far took their
    workers (planning, limits and files)."""

    def __init__(self, batch: str, total: int, slots: int, report: Callable | None):
        self.batch, self.total, self.slots, self.report = batch, total, max(1, slots), report
        self.lock = threading.Lock()
        self.started_at: dict[str, float] = {}  # district -> when it started (client clock)
        self.futures: dict[str, Any] = {}  # district -> its future
        self.durations: list[float] = []
        self.done = 0

    def started(self, event) -> None:
        """Dask's subscription handler (called on the client's event-loop thread)."""
        msg = event[1]
        if not isinstance(msg, dict) or msg.get("batch") != self.batch:
            return
        with self.lock:
            self.started_at[msg["district"]] = time.monotonic()
        if self.report:
            self.report({"event": "started", **self._state(), **msg})

    def finished(self, result: DistrictResult) -> None:
        with self.lock:
            self.started_at.pop(result.name, None)
            if result.task_seconds is not None:  # the time a worker is taken, for the ETA
                self.durations.append(result.task_seconds)
            self.done += 1
        if self.report:
            self.report({"event": "finished", "result": result, **self._state()})

    def _state(self) -> dict[str, Any]:
        with self.lock:
            running = {name: t for name, t in self.started_at.items()
                       if name in self.futures and not self.futures[name].done()}
            mean = sum(self.durations) / len(self.durations) if self.durations else None
        eta = None
        if mean is not None:
            now = time.monotonic()
            queued = max(0, self.total - self.done - len(running))
            left = sum(max(0.0, mean - (now - t)) for t in running.values()) + queued * mean
            eta = left / min(self.slots, max(1, self.total - self.done))
        return {"done": self.done, "total": self.total, "running": sorted(running),
                "eta_s": None if eta is None else math.ceil(eta)}


def _payload(scenario: Scenario, report: dict | None = None, earlier: dict | None = None
             ) -> dict:
    """The scenario as plain data for a worker, its road graph as read here, a re-plan's report
    and the earlier plan's visits it compares with or keeps."""
    data = {**scenario.model_dump(round_trip=True, by_alias=True), "source": scenario.source,
            **({REPORT_KEY: report} if report else {}),
            **({EARLIER_KEY: earlier} if earlier else {})}
    if scenario.travel.roads:
        from .scenario.roads import read_road_graph

        data[ROAD_GRAPH_KEY] = read_road_graph(scenario.travel.roads)
    return data


def _collect(future, result: DistrictResult) -> DistrictResult:
    if future.status == "finished":
        try:
            data = future.result()
            result.plan = plan_from_data(result.scenario, data)
            result.seconds, result.peak_mb = data["seconds"], data["peak_mb"]
            result.task_seconds = data.get("task_seconds", data["seconds"])
            result.rendered = data.get("rendered")
            result.warnings += tuple(data.get("notices") or ())
            return result
        except Exception as exc:  # noqa: BLE001 - reported as this district's failure
            error = exc
    else:  # an error, or cancelled (the scheduler lost: no error to show)
        error = future.exception() if future.status == "error" else None
    if error is None:
        result.fail([f"{result.source or result.name}:1: not planned: the Dask scheduler was "
                     f"lost or the district cancelled before it finished ({future.status})"],
                    bad_input=False)
        return result
    if isinstance(error, ScenarioError):  # the worker found the district's input wrong
        result.fail([str(p) for p in error.problems], bad_input=True)
        return result
    result.fail([f"{result.source or result.name}:1: internal error: "
                 f"{type(error).__name__}: {error}"], bad_input=False)
    return result


def task_key(batch: str, index: int, name: str) -> str:
    """A district's Dask key. Every district of a batch is in one task group (Dask groups keys
    by their leading words, up to the first that is not alphabetic): a batch larger than twice
    the cluster's threads is then "root-ish", so the scheduler keeps it in its own queue and
    hands a district to whichever worker frees up, instead of assigning every district to a
    worker at submission, where one long district can hold others back while a worker idles."""
    return f"plan_district-{index:05d}-{batch}-{name}"


def task_priority(scenario: Scenario) -> int:
    """Larger districts first (Dask runs higher priorities first; they are also submitted in
    that order, as the first ones go out to workers before the rest arrive): the
    longest-processing-time order, so that no long district starts last while the other
    workers run out of work. The size is villages times days, which the optimiser's work
    grows with."""
    days = (scenario.calendar.deadline - scenario.calendar.start).days + 1
    return len(scenario.villages) * max(1, days)


def plan_many(client, districts: list[DistrictResult], options: dict, retries: int = 1,
              progress: Callable[[dict], None] | None = None) -> Iterator[DistrictResult]:
    """Plan every loaded district on `client`'s cluster; yield each as it finishes (those
    that did not load first). `options`: solver, time_limit, seed, deterministic,
    solve_options. `progress` gets dicts with `event` ("started": called on Dask's client
    thread, with the worker's `pid`; "finished": with the `result`), `done`, `total`,
    `running` (district names) and `eta_s` (seconds left, None until one has finished)."""
    from distributed import as_completed

    batch = uuid.uuid4().hex[:12]
    todo = [d for d in districts if d.scenario is not None and not d.errors]
    tracker = _Progress(batch, len(districts), sum(client.nthreads().values()), progress)
    for d in districts:
        if d.scenario is None or d.errors:
            yield d
            tracker.finished(d)
    client.subscribe_topic(STARTED_TOPIC, tracker.started)
    futures = {client.submit(plan_district, _payload(d.scenario, d.report, d.earlier), options,
                             batch, d.name, key=task_key(batch, i, d.name),
                             priority=task_priority(d.scenario), retries=retries, pure=False): d
               for i, d in enumerate(sorted(todo, key=lambda d: -task_priority(d.scenario)))}
    tracker.futures.update({d.name: f for f, d in futures.items()})
    try:
        for future in as_completed(futures):
            result = _collect(future, futures[future])
            future.release()
            yield result  # the caller writes its folder before the progress line
            tracker.finished(result)
    finally:
        client.cancel([f for f in futures if not f.done()])
        client.unsubscribe_topic(STARTED_TOPIC)


def solve_many(scenarios: Iterable[str | Path | Scenario], client=None, workers: int | None = None,
               time_limit: float = 60, seed: int = 0, deterministic: bool = False,
               solver: Any = None, solve_options: dict | None = None, retries: int = 1,
               progress: Callable[[dict], None] | None = None,
               limits: bool = False, actuals: str | Path | None = None,
               today: dt.date | None = None) -> ManyPlans:
    """Plan many districts at once (DESIGN §5): scenario paths or Scenario objects, on
    `client`'s Dask cluster or else on a LocalCluster of `workers` local processes.

    Returns a `ManyPlans`: `.plans` (name -> Plan), `.errors` (name -> `FILE:LINE` lines) and
    `.summary` (one row per district). `solver`: None (the optimiser) or "greedy";
    `deterministic`: the same plan as planning the district alone with the same seed;
    `limits`: each plan's summary gets its `limits` as `plan-routes` writes them (up to a
    quarter more time), and `.summary` the limit whose one more buys each district the most;
    `actuals` (a folder of `<name>.csv` or `.xlsx`), `today`: each district re-planned from it.
    In a script (not a notebook) without `client`, call it under `if __name__ == "__main__":`:
    the local worker processes start by importing the script again.
    """
    options = {"solver": solver, "time_limit": time_limit, "seed": seed,
               "deterministic": deterministic, "solve_options": solve_options,
               "limits": limits}
    districts = load_districts(scenarios, actuals, today)
    owned = contextlib.nullcontext(client) if client is not None else dask_client(workers)
    with owned as active:
        list(plan_many(active, districts, options, retries, progress))
    return ManyPlans(districts)


def plan_into_root(items: Iterable[str | Path], root: Path, client, options: dict,
                   formats: list[str] | None = None, lang: str = "id", force: bool = False,
                   retries: int = 1, progress: Callable[[dict], None] | None = None,
                   actuals: Path | None = None, today: dt.date | None = None,
                   keep_until: dt.date | None = None) -> list[DistrictResult]:
    """The CLI's batch (DESIGN §4 "Many districts"): each district planned on `client`'s
    cluster and written into ROOT/<name>-plan/ as soon as its plan is back (whole or not at
    all), then ROOT/summary.csv, summary.xlsx and map.html. A district whose folder holds
    something else (without `force`) is refused before it is planned. `actuals`, `keep_until`,
    `options["observed"]`: `batch_replan` (the earlier plans are the folders' in ROOT)."""
    from .export import province
    from .export.folder import OutputFolderError, holds_plan, write_plan_folder

    province.prepare_root(root, force)
    districts = load_districts(items, actuals, today)
    for d in districts:
        folder = Path(root) / f"{d.name}-plan"
        if (not d.errors and not force and folder.is_dir() and any(folder.iterdir())
                and not holds_plan(folder)):
            d.fail([f"{d.source}:1: (output): {folder} exists and does not hold an earlier "
                    "plan; move it away or pass --force"], bad_input=True)
        if not d.errors:
            earlier_from(d, folder, keep_until, options.get("observed", False))
    # each district's summary.json as `plan-routes` writes it for a district planned alone;
    # the workers draw the folders' files, so that the client only writes them
    options = {**options, "limits": True, "render": {"formats": formats, "lang": lang}}
    for result in plan_many(client, districts, options, retries, progress):
        if result.ok:
            try:
                write_plan_folder(result.plan, Path(root) / f"{result.name}-plan", formats,
                                  lang, force, rendered=result.rendered)
            except OutputFolderError as exc:
                result.fail([f"{result.source}:1: (output): {exc}"], bad_input=True)
        result.rendered = None  # written: its bytes need not stay in memory
    province.write(districts, summary_table(districts), root, lang)
    return districts
