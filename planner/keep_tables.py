"""The earlier plan's tables, read for `keep` (`--keep-until`) and `changes`: `visits.csv` and
`days.csv` from its folder, or a Plan's own tables as the written files would be read, as
DataFrames of dates, seconds after midnight and whole numbers; every bad cell is a located
problem (`FILE:LINE: column: message`).
"""
from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from .check import DAY_PARSERS, VISIT_PARSERS
from .plan import Plan
from .scenario.errors import Problem, ScenarioError

VISIT_FIELDS = ("unit", "date", "seq", "village_id", "start", "end")
DAY_FIELDS = ("unit", "date", "depart", "start_place", "end_place")


def tables_of(plan: Plan) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A Plan's visits and days as the written files would be read."""
    frames = []
    for df, name, fields, parse in ((plan.visits, "visits.csv", VISIT_FIELDS, VISIT_PARSERS),
                                    (plan.days, "days.csv", DAY_FIELDS, DAY_PARSERS)):
        text = pd.read_csv(io.StringIO(df.to_csv(index=False)), dtype=str,
                           keep_default_na=False)
        frames.append(_parsed(text, Path(name), fields, parse))
    return frames[0], frames[1]


def read_earlier(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The earlier plan's visits and days from its folder, parsed (located problems)."""
    frames = []
    for name, fields, parse in (("visits.csv", VISIT_FIELDS, VISIT_PARSERS),
                                ("days.csv", DAY_FIELDS, DAY_PARSERS)):
        path = folder / name
        if not path.is_file():
            raise ScenarioError([Problem(str(folder), 1, "--keep-until",
                                         f"{folder}/ holds no earlier plan ({name} is missing) "
                                         "whose visits could be kept")])
        frames.append(_read(path, fields, parse))
    return frames[0], frames[1]


def read_earlier_tables(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame | None] | None:
    """The earlier plan's visits and days from its folder, parsed (located problems); None
    where the folder holds no visits.csv, days None where it holds no days.csv."""
    visits, days = folder / "visits.csv", folder / "days.csv"
    if not visits.is_file():
        return None
    return (_read(visits, VISIT_FIELDS, VISIT_PARSERS),
            _read(days, DAY_FIELDS, DAY_PARSERS) if days.is_file() else None)


def read_table(path: Path, fields: tuple[str, ...], what: str) -> pd.DataFrame:
    """`fields` of one table of a plan folder (`visits.csv` or `days.csv`), parsed by the
    checker's parsers, with each row's `line`; a located problem where it is missing (`what`
    names it) or a cell is bad."""
    if not path.is_file():
        raise ScenarioError([Problem(str(path), 1, "file", f"missing: {what} is needed")])
    return _read(path, fields, VISIT_PARSERS if path.name == "visits.csv" else DAY_PARSERS)


def _read(path: Path, fields: tuple[str, ...], parse: dict) -> pd.DataFrame:
    """One table of an earlier plan, parsed (located problems)."""
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (ValueError, OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([Problem(str(path), 1, "file", f"cannot be read: {exc}")]) from None
    missing = [f for f in fields if f not in df.columns]
    if missing:
        raise ScenarioError([Problem(str(path), 1, missing[0],
                                     f"column missing: a plan's {path.name} has "
                                     f"{', '.join(fields)}")])
    return _parsed(df, path, fields, parse)


def _parsed(df: pd.DataFrame, path: Path, fields: tuple[str, ...], parse: dict) -> pd.DataFrame:
    """The columns as dates, seconds after midnight and whole numbers; every bad cell is a
    located problem."""
    problems = []
    rows = []
    for line, row in enumerate(df[list(fields)].itertuples(index=False, name=None), start=2):
        cells = []
        for f, text in zip(fields, row):
            try:
                cells.append(_cell(parse, f, str(text).strip()))
            except ValueError as exc:
                problems.append(Problem(str(path), line, f, f"{text!r}: {exc}"))
        rows.append((*cells, line))
    if problems:
        raise ScenarioError(problems)
    return pd.DataFrame(rows, columns=[*fields, "line"])


def _cell(parse, field: str, text: str):
    """One cell by the contract's parser of its column (the checker's, `check.VISIT_PARSERS`
    and `DAY_PARSERS`); a unit or village must be named."""
    if not text and field in ("unit", "village_id"):
        raise ValueError("empty")
    return parse[field](text)


def replanned_on(folder: Path):
    """The `today` of the re-plan in `folder` (its summary.json's `actuals`), or None for a
    plan made without actuals (or a summary that cannot be read: the check reports that)."""
    import json

    try:
        summary = json.loads((Path(folder) / "summary.json").read_text(encoding="utf-8"))
        actuals = summary.get("actuals")
    except (OSError, ValueError, AttributeError):
        return None
    return actuals.get("today", "?") if isinstance(actuals, dict) else None
