"""The earlier plan's tables, read for `keep` (`--keep-until`): `visits.csv` and `days.csv`
from its folder, or a Plan's own tables as the written files would be read, as DataFrames of
dates, seconds after midnight and whole numbers; every bad cell is a located problem
(`FILE:LINE: column: message`).
"""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pandas as pd

from .plan import Plan
from .scenario.errors import Problem, ScenarioError

VISIT_FIELDS = ("unit", "date", "seq", "village_id", "start", "end")
DAY_FIELDS = ("unit", "date", "depart", "start_place", "end_place")


def tables_of(plan: Plan) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A Plan's visits and days as the written files would be read."""
    frames = []
    for df, name, fields in ((plan.visits, "visits.csv", VISIT_FIELDS),
                             (plan.days, "days.csv", DAY_FIELDS)):
        text = pd.read_csv(io.StringIO(df.to_csv(index=False)), dtype=str,
                           keep_default_na=False)
        frames.append(_parsed(text, Path(name), fields))
    return frames[0], frames[1]


def read_earlier(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The earlier plan's visits and days from its folder, parsed (located problems)."""
    frames = []
    for name, fields in (("visits.csv", VISIT_FIELDS), ("days.csv", DAY_FIELDS)):
        path = folder / name
        if not path.is_file():
            raise ScenarioError([Problem(str(folder), 1, "--keep-until",
                                         f"{folder}/ holds no earlier plan ({name} is missing) "
                                         "whose visits could be kept")])
        try:
            df = pd.read_csv(path, dtype=str, keep_default_na=False)
        except (ValueError, OSError, UnicodeDecodeError) as exc:
            raise ScenarioError([Problem(str(path), 1, "file", f"cannot be read: {exc}")]) from None
        missing = [f for f in fields if f not in df.columns]
        if missing:
            raise ScenarioError([Problem(str(path), 1, missing[0],
                                         f"column missing: an earlier plan's {name} has "
                                         f"{', '.join(fields)}")])
        frames.append(_parsed(df, path, fields))
    return frames[0], frames[1]


def _parsed(df: pd.DataFrame, path: Path, fields: tuple[str, ...]) -> pd.DataFrame:
    """The columns as dates, seconds after midnight and whole numbers; every bad cell is a
    located problem."""
    problems = []
    rows = []
    for line, row in enumerate(df[list(fields)].itertuples(index=False, name=None), start=2):
        cells = []
        for f, text in zip(fields, row):
            try:
                cells.append(_cell(f, str(text).strip()))
            except ValueError as exc:
                problems.append(Problem(str(path), line, f, f"{text!r}: {exc}"))
        rows.append((*cells, line))
    if problems:
        raise ScenarioError(problems)
    return pd.DataFrame(rows, columns=[*fields, "line"])


def _cell(field: str, text: str):
    if field == "date":
        return dt.date.fromisoformat(text) if len(text) == 10 else _bad("expected YYYY-MM-DD")
    if field in ("start", "end", "depart"):
        parts = text.split(":")
        if len(parts) != 3 or not all(p.isdigit() for p in parts):
            _bad("expected a time HH:MM:SS")
        h, m, s = (int(p) for p in parts)
        return h * 3600 + m * 60 + s
    if field == "seq":
        return int(text) if text.isdigit() else _bad("expected a whole number")
    if not text and field in ("unit", "village_id"):
        _bad("empty")
    return text


def _bad(message: str):
    raise ValueError(message)
