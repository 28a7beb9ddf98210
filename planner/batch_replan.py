"""A batch's re-plans (`plan-routes A.yaml B.yaml ... -o ROOT --actuals DIR --keep-until D`),
prepared in the client for each district before it goes to a worker: the scenario left after
its actual visits (`DIR/<name>.csv`), and the earlier plan in `ROOT/<name>-plan/` whose
announced visits its worker keeps (`keep.plan_keeping`). A district whose files are missing or
wrong fails alone with located lines; the others go on.
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


def keep_from(result, folder: Path, until: dt.date) -> None:
    """The earlier plan in `folder`, read here (the worker need not see the files) for its
    worker to keep its visits to `until`: `result.kept` = {"until", "tables"}."""
    from .keep import check_until
    from .keep_tables import read_earlier

    try:
        check_until(result.scenario, until)
        result.kept = {"until": until, "tables": read_earlier(folder)}
    except ScenarioError as exc:
        result.fail([str(p) for p in exc.problems], bad_input=True)
