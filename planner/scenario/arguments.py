"""The arguments of `Scenario.after` checked as a notebook gives them: a clear error naming
the argument, not an AttributeError from inside the re-plan."""
from __future__ import annotations

import datetime as dt
import os
from typing import Any, Optional

from .values import parse_date


def today_argument(today: Optional[dt.date | str]) -> Optional[dt.date]:
    """`today` as a date: a date, `YYYY-MM-DD`, or None (the day after the latest visit)."""
    if not isinstance(today, str):
        return today
    try:
        return parse_date(today)
    except ValueError as exc:  # "July 2": say which argument and the form
        raise ValueError(f"today: {exc}") from None


def actuals_argument(actuals: Any) -> Any:
    """`actuals` when it is what `planner.load_actuals` returns; else a TypeError (a path:
    `actuals.py` reads the scenario model, so the model cannot read the file itself)."""
    if hasattr(actuals, "apply_to"):
        return actuals
    shown = (f"the path {str(actuals)!r}" if isinstance(actuals, (str, os.PathLike))
             else f"a {type(actuals).__name__}")
    raise TypeError(f"after: actuals must be planner.load_actuals(path, scenario), not {shown}")
