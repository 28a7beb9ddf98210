"""What-if tables: plan every variant of a grid of scenario changes, in parallel.

`sweep(scenario, {"units": [2, 3], "weekend": [True, False]})` plans the Cartesian product of
the grid (here 4 variants) and returns one row per variant. Variants run on any
`concurrent.futures.Executor`: a process pool by default, a Dask `Client.get_executor()`, or
`SerialExecutor()` for one after another. Only plain data crosses to the workers (the variant
as a dict, the result as a dict), so any executor that can pickle works.
"""
from __future__ import annotations

import datetime as dt
import itertools
import multiprocessing
import time
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from decimal import Decimal
from typing import Any, Callable, Iterable, Mapping

import numpy as np
import pandas as pd
from .scenario.load import expect_scenario
from .scenario.model import Scenario

RESULT_COLUMNS = ["counted", "objective", "coverage", "zone", "goal_on", "overtime", "travel_h",
                  "bound", "gap", "seconds", "feasible"]


# -- variants ------------------------------------------------------------------------------
def _units(scenario: Scenario, value: Any) -> dict:
    """A count keeps the first N units, or adds copies of the last one (each one more mobile
    unit like it, serving every kecamatan: a copy of a kecamatan service point is not a second
    point in the same kecamatan); a list picks by id."""
    units = list(scenario.units)
    if isinstance(value, str) and value in scenario.unit_index:
        raise ValueError(f"{value!r} is a unit id, not a count: a variant that picks units by id "
                         f"gives them as a list, one list per variant, e.g. "
                         f"{{'units': [[{value!r}]]}}")
    if isinstance(value, (list, tuple)):
        unknown = [u for u in value if u not in scenario.unit_index]
        if unknown:
            raise ValueError(f"units: unknown unit id {unknown[0]!r}; known: "
                             f"{', '.join(scenario.unit_index)}")
        return {"units": [scenario.unit(u) for u in value]}
    n = _whole("units", value)
    if n < 1:
        raise ValueError(f"units: a variant needs at least one unit, not {n}")
    if n <= len(units):
        return {"units": units[:n]}
    last = units[-1]
    clones = [last.replace(id=f"{last.id}+{k}", districts=None)
              for k in range(1, n - len(units) + 1)]
    return {"units": units + clones}


def _whole(field: str, value: Any) -> int:
    """A count given in a grid: 2 or 2.0, never 1.5 cut down to 1."""
    try:
        number = Decimal(str(value))
        if number == number.to_integral_value():
            return int(number)
    except ArithmeticError:  # decimal.InvalidOperation: not a number at all
        pass
    raise ValueError(f"{field}: {value!r} is not a whole number")


def _kits(scenario: Scenario, value: Any, unit: str | None = None) -> dict:
    """Every unit's kits, or with `unit` (the grid field `kits:U1`) that unit's alone."""
    return {"units": [u.replace(kits=_whole("kits", value)) if unit in (None, u.id) else u
                      for u in scenario.units]}


def _switch(field: str, value: Any) -> bool:
    """A true/false grid value: a bool, 0 or 1, or the words true/false (a grid read from a
    text file); never the truth of any other object ("false" is a non-empty string)."""
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    if isinstance(value, (bool, int, float, np.bool_, np.integer, np.floating)) and value in (0, 1):
        return bool(value)
    raise ValueError(f"{field}: {value!r} is not true or false")


def _weekend(scenario: Scenario, value: Any) -> dict:
    """False drops weekend field work; True keeps it (weekday hours if the scenario had none)."""
    shift = scenario.shift
    if not _switch("weekend", value):
        return {"shift": shift.replace(weekend=None)}
    return {"shift": shift if shift.weekend is not None else shift.replace(weekend=shift.weekday)}


def _staff(field: str) -> Callable[[Scenario, Any], dict]:
    def change(scenario: Scenario, value: Any) -> dict:
        return {"staff": scenario.staff.replace(**{field: None if value is None
                                                   else _whole(f"staff_{field}", value)})}

    return change


def _staff_pair(scenario: Scenario, value: Any) -> dict:
    """`staff`: a (weekday, weekend) pair or a dict with those keys."""
    if isinstance(value, Mapping):
        return {"staff": scenario.staff.replace(**dict(value))}
    pair = tuple(value) if isinstance(value, Iterable) and not isinstance(value, str) else ()
    if len(pair) != 2:
        raise ValueError(f"staff: {value!r} is not a (weekday, weekend) pair")
    weekday, weekend = pair
    return {"staff": scenario.staff.replace(weekday=weekday, weekend=weekend)}


def _calendar(field: str, convert: Callable[[Any], Any]) -> Callable[[Scenario, Any], dict]:
    def change(scenario: Scenario, value: Any) -> dict:
        return {"calendar": scenario.calendar.replace(**{field: convert(value)})}

    return change


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _closed(scenario: Scenario, value: Any) -> dict:
    """True keeps the scenario's closed days (e.g. a server block), False opens them."""
    keep = scenario.calendar.closed if _switch("closed", value) else ()
    return {"calendar": scenario.calendar.replace(closed=list(keep))}


def _turnout(scenario: Scenario, value: Any) -> dict:
    try:
        turnout = Decimal(str(value))
    except ArithmeticError:  # decimal.InvalidOperation: not a number at all
        raise ValueError(f"turnout: {value!r} is not a number") from None
    return {"recording": scenario.recording.replace(turnout=turnout)}


CHANGES: dict[str, Callable[[Scenario, Any], dict]] = {
    "units": _units,
    "kits": _kits,
    "weekend": _weekend,
    "overtime_unit_days": _staff("overtime_unit_days"),
    "staff": _staff_pair,
    "staff_weekday": _staff("weekday"),
    "staff_weekend": _staff("weekend"),
    "deadline": _calendar("deadline", _date),
    "start": _calendar("start", _date),
    "closed": _closed,
    "turnout": _turnout,
}


def variant(scenario: Scenario, changes: Mapping[str, Any]) -> Scenario:
    """The scenario with the grid fields of one variant applied, in the order given."""
    out = scenario
    for field, value in changes.items():
        kind, _, unit = field.partition(":")
        if field not in CHANGES and not (kind == "kits" and unit):
            raise ValueError(f"sweep: unknown grid field {field!r}; known: {', '.join(CHANGES)}, "
                             "kits:<unit id>")
        if unit and unit not in out.unit_index:
            raise ValueError(f"sweep: {field}: unknown unit id {unit!r}; known: "
                             f"{', '.join(out.unit_index)}")
        try:
            out = out.replace(**(_kits(out, value, unit) if unit else CHANGES[field](out, value)))
        except (ValueError, TypeError) as exc:  # a value the scenario's rules refuse, ...
            raise ValueError(f"sweep: {field} = {value!r}: {exc}") from None
    return out


def grid_rows(grid: Mapping[str, Iterable[Any]]) -> list[dict[str, Any]]:
    """The Cartesian product of the grid, first field varying slowest. Each field's values
    are a list (any iterable but a string or a dict): a bare value is refused, since a date
    string would otherwise be read as a list of its characters."""
    fields = list(grid)
    for f in fields:
        if isinstance(grid[f], (str, bytes, Mapping)) or not isinstance(grid[f], Iterable):
            raise ValueError(f"sweep: grid field {f!r} takes a list of values, one per "
                             f"variant: {{{f!r}: [{grid[f]!r}]}}, not {grid[f]!r}")
    values = [list(grid[f]) for f in fields]
    return [dict(zip(fields, combo)) for combo in itertools.product(*values)]


def _optimiser() -> Callable:
    """`planner.solve`'s function, taken from its module: importing the `planner.solve`
    subpackage rebinds the package attribute `planner.solve` to the module."""
    try:
        from .solve import solve
    except ImportError:  # no optimiser yet: the greedy baseline
        from .baseline import plan_greedy

        return lambda scenario, **_: plan_greedy(scenario)
    return solve


def goal_reached_on(plan) -> str | None:
    """The first day on which counted coverage reaches `targets.goal` (ISO date), else None."""
    return None if plan.goal_reached_on is None else plan.goal_reached_on.isoformat()


# -- running one variant (top level: it must pickle) -----------------------------------------
def plan_scenario(scenario: Scenario, solver: Any = None, time_limit: float = 10, seed: int = 0,
                  deterministic: bool = False, options: dict | None = None):
    """One plan of `scenario`: `solver` None or "optimiser" (`planner.solve`, with `options`
    passed on), "greedy" (the baseline) or a callable `f(scenario, time_limit=, seed=)`."""
    if solver is None or solver == "optimiser":
        kwargs = {"deterministic": True} if deterministic else {}
        return _optimiser()(scenario, time_limit=time_limit, seed=seed, **kwargs, **(options or {}))
    if solver == "greedy":
        from .baseline import plan_greedy

        return plan_greedy(scenario)
    return solver(scenario, time_limit=time_limit, seed=seed)


def plan_variant(data: dict, time_limit: float, seed: int, solver: Any,
                 deterministic: bool, options: dict | None = None) -> dict[str, Any]:
    """Plan one variant given as plain data; return the row's results as plain data."""
    from .check import check

    scenario = Scenario.model_validate(data)
    t0 = time.perf_counter()
    plan = plan_scenario(scenario, solver, time_limit, seed, deterministic, options)
    seconds = time.perf_counter() - t0
    summary = plan.summary()
    return {
        "counted": int(plan.counted),
        "objective": float(plan.objective),
        "coverage": summary["coverage_after"],
        "zone": summary["zone_after"],
        "goal_on": goal_reached_on(plan),
        "overtime": int(plan.overtime_unit_days),
        "travel_h": round(plan.travel_seconds / 3600, 2),
        "bound": summary["upper_bound"],
        "gap": summary["gap"],
        "seconds": round(seconds, 2),
        "feasible": not check(scenario, plan),
    }


# -- executors -----------------------------------------------------------------------------
class SerialExecutor(Executor):
    """Runs each task at submit time, in this process: the one-after-another reference."""

    def submit(self, fn, /, *args, **kwargs):
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # handed to the caller through the future
            future.set_exception(exc)
        return future


def default_executor(workers: int = 2) -> ProcessPoolExecutor:
    """A process pool of `workers`. Fork where the platform has it: scripts and notebooks then
    need no `if __name__ == "__main__"` guard, and the solvers keep no threads between solves."""
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method))


def sweep(scenario: Scenario, grid: Mapping[str, Iterable[Any]], executor: Executor | None = None,
          time_limit: float = 10, seed: int = 0, solver: Any = None,
          deterministic: bool = False, solve_options: dict | None = None) -> pd.DataFrame:
    """One row per variant of `grid` (field -> values, Cartesian product).

    Columns: the grid fields, then counted, objective, coverage, zone, goal_on (first day the
    counted coverage reaches `targets.goal`, or None), overtime (unit-days),
    travel_h, bound, gap, seconds, feasible (`planner.check` found nothing). `solver`: None
    (the optimiser, `planner.solve`), "greedy" (the baseline) or a picklable top-level
    callable `f(scenario, time_limit=, seed=) -> Plan`. `deterministic` (optimiser): a fixed
    number of search steps instead of the clock, so every executor gives the same table;
    `solve_options` are passed on to `planner.solve` (e.g. `{"iterations": 10}`). With the
    default executor a process pool of 2 is created and shut down here; a Dask `Client` may
    be passed as is.
    """
    expect_scenario(scenario, "planner.sweep")
    if not (solver in (None, "optimiser", "greedy") or callable(solver)):  # else each worker's
        raise ValueError(f"sweep: solver {solver!r}: expected None or 'optimiser' (planner.solve), "
                         "'greedy' (the baseline) or a function f(scenario, time_limit=, seed=)")
    rows = grid_rows(grid)
    payloads = [{**variant(scenario, row).model_dump(round_trip=True, by_alias=True),
                 "source": scenario.source} for row in rows]
    if hasattr(executor, "get_executor"):  # a Dask Client given as is
        executor = executor.get_executor()
    own = executor is None
    pool = default_executor() if own else executor
    futures: list[Future] = []
    try:
        futures = [pool.submit(plan_variant, data, time_limit, seed, solver, deterministic,
                               solve_options) for data in payloads]
        results = [f.result() for f in futures]
    except BaseException:
        # Ctrl-C or a variant that failed: the variants not started yet are dropped, or the
        # caller would wait for the whole grid before seeing the error (and a pool of theirs,
        # a notebook's Dask client, would go on planning it for nobody)
        for future in futures:
            future.cancel()
        raise
    finally:
        if own:
            pool.shutdown(cancel_futures=True)
    table = pd.DataFrame([{**row, **res} for row, res in zip(rows, results)],
                         columns=list(grid) + RESULT_COLUMNS)
    return table
