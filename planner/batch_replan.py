"""A batch's re-plans (`plan-routes A.yaml B.yaml ... -o ROOT --actuals DIR --keep-until D`),
prepared in the client for each district before it goes to a worker: the scenario left after
its actual visits (`DIR/<name>.csv`), and the earlier plan in `ROOT/<name>-plan/`, whose
announced visits its worker compares the new plan with (`changes`) and keeps to the given day
(`keep.plan_keeping`). A district whose files are missing or wrong fails alone with located
lines; the others go on.
"""
from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

from .scenario import ScenarioError


def re_plan(result, folder: Path, today: dt.date | None) -> None:
    """The district (a `many.DistrictResult`) becomes its re-plan from `folder/<name>.csv`
    (`actuals.re_plan_from`), its summary.json `actuals` in `result.report`."""
    from .actuals import re_plan_from

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result.scenario, result.report = re_plan_from(folder, result.name, result.scenario,
                                                          today)
        except ScenarioError as exc:
            result.fail([str(p) for p in exc.problems], bad_input=True)
    result.warnings += tuple(w.message for w in caught)


def earlier_from(result, folder: Path, until: dt.date | None, observed: bool = False) -> None:
    """The earlier plan in `folder`, read here (the worker need not see the files):
    `result.earlier` = {"visits", "days": its tables, which the worker compares the new plan
    with (`changes`), and with `until`, "until" and "tables": the visits it keeps to
    `until`}; None where the folder holds no plan and nothing is kept. A re-plan's actuals are
    compared with that plan (`turnout_check`), and with `observed` its scenario takes the
    turnout the villages showed (`--turnout-from-actuals`)."""
    from .actuals import warn_if_earlier_actuals_missing
    from .changes import earlier_tables_in
    from .keep import check_until
    from .keep_tables import read_earlier
    from .turnout_check import against_plan, with_observed_turnout

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tables = earlier_tables_in(folder)
        if "actuals" in result.report:  # a re-plan into the folder of an earlier one
            warn_if_earlier_actuals_missing(folder, result.report["actuals"]["by_village"])
            found = against_plan(folder, result.scenario, result.report["actuals"])
            if found:
                result.report["actuals"]["against_plan"] = found
            if observed:
                result.scenario = with_observed_turnout(
                    result.scenario, found, where=f"{result.source}:1: --turnout-from-actuals")
    result.warnings += tuple(w.message for w in caught)
    earlier = {} if tables is None else {"visits": tables[0], "days": tables[1]}
    if until is not None:
        try:
            check_until(result.scenario, until)
            both = tables is not None and tables[1] is not None  # else read_earlier says why
            earlier.update(until=until, tables=tables if both else read_earlier(folder))
        except ScenarioError as exc:
            result.fail([str(p) for p in exc.problems], bad_input=True)
            return
    result.earlier = earlier or None
