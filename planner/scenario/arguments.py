"""The arguments of a re-plan (`Scenario.after`, `planner.solve_keeping`) checked as a
notebook gives them: a clear error naming the argument, not an AttributeError or
"Invalid isoformat string" from inside the re-plan."""
from __future__ import annotations

import datetime as dt
import os
from typing import Any, Optional

from .values import parse_date


def date_argument(value: Optional[dt.date | str], name: str) -> Optional[dt.date]:
    """The argument `name` as a date: a date, `YYYY-MM-DD`, or None (its default)."""
    if not isinstance(value, str):
        return value
    try:
        return parse_date(value)
    except ValueError as exc:  # "July 2": say which argument and the form
        raise ValueError(f"{name}: {exc}") from None


def actuals_argument(actuals: Any) -> Any:
    """`actuals` when it is what `planner.load_actuals` returns; else a TypeError (a path:
    `actuals.py` reads the scenario model, so the model cannot read the file itself)."""
    if hasattr(actuals, "apply_to"):
        return actuals
    shown = (f"the path {str(actuals)!r}" if isinstance(actuals, (str, os.PathLike))
             else f"a {type(actuals).__name__}")
    raise TypeError(f"after: actuals must be planner.load_actuals(path, scenario), not {shown}")
