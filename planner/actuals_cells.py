"""The cells of an actuals file (DESIGN §3 `--actuals`): the table as rows (CSV with `,` or
`;`, or XLSX), and one parser per kind of cell, each raising ValueError with the message the
row's `FILE:LINE: column: message` line gives."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import warnings
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd

from .notices import Notice
from .scenario.errors import Problem, ScenarioError
from .scenario.input_limits import (MAX_LOADED_WORKBOOK_BYTES, MAX_SHEET_CELLS, MAX_TABLE_ROWS,
                                    too_many_rows, workbook_size_problem)
from .scenario.values import MOST_COUNT

FRAME = "<DataFrame>"  # where the problems of a table given as a DataFrame are
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")  # 04/06/2018, as id-ID writes


class ActualsError(ScenarioError):
    """One or more problems in an actuals file (or `--today`), one line each."""


def blank(x) -> bool:
    return x is None or (isinstance(x, str) and not x.strip())


def id_text(x) -> str:
    """An id cell as text, composed (NFC) as the scenario's ids are."""
    if blank(x):
        raise ValueError("empty; expected an id")
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return unicodedata.normalize("NFC", str(x).strip())


def known(key: str, index: dict, what: str) -> str:
    if key not in index:
        known = list(index)
        shown = ", ".join(known[:8]) + (f" ... ({len(known)} in all)" if len(known) > 8 else "")
        raise ValueError(f"unknown {what} {key!r}; the scenario's {what}s are {shown}")
    return key


def known_unit(key: str, index: dict) -> str:
    """`known`, saying what to do where the unit left the scenario after its visits."""
    try:
        return known(key, index, "unit")
    except ValueError as exc:
        raise ValueError(f"{exc}; a unit gone since (sold, broken down) stays in the scenario "
                         "with `unavailable` from the re-plan's first day on: its visits "
                         "happened") from None


def known_village(key: str, index: dict, written_name=None, where: str = "") -> str:
    """`known`, saying what to do where the scenario was edited after the visits: the village
    of the row's name (`village`, as visits.csv writes it) under another id, whose id was
    corrected; else the villages whose names hold that name, split from it; else a village
    merged or removed. A known village whose row names another village warns
    at `where` (`named_otherwise`)."""
    try:
        known(key, index, "village")
    except ValueError as exc:
        name = "" if blank(written_name) else str(written_name).strip().casefold()
        now = [vid for vid, v in index.items()
               if name and (v.name or "").strip().casefold() == name]
        # a split (pemekaran) names the new villages after the old one: "X Utara", "X Baru"
        like = [f"{vid} ({v.name})" for vid, v in index.items() if len(name) >= 3 and
                name in (v.name or "").strip().casefold()] if not now else []
        hint = (f"the scenario has {str(written_name).strip()!r} as {now[0]!r}: if its id was "
                f"corrected, write {now[0]} here too" if len(now) == 1 else
                f"the scenario has villages named like {str(written_name).strip()!r}: "
                f"{', '.join(like[:4])}{' ...' if len(like) > 4 else ''}: if it was split "
                "(pemekaran), write here the id of the one the visit was held in" if like else
                "a village merged into another since (pemekaran): write here the id of the "
                "village the visit was held in now; a village removed from the scenario stays "
                "there while its visits are in the actuals (its recordings happened), or delete "
                "its rows here")
        raise ValueError(f"{exc}; {hint}") from None
    if where:
        named_otherwise(index, key, written_name, where)
    return key


def _name_key(text) -> str:
    return unicodedata.normalize("NFC", " ".join(str(text).split())).casefold()


def named_otherwise(index: dict, village_id: str, written, where: str) -> None:
    """Warn at `where` (`FILE:LINE`) where a row's written village name (visits.csv's
    `village`, the workbook's `Desa`) is another village's and not that of its `village_id`:
    the code decides, so a code copied from the row above would give the visit to the wrong
    village without a word. A name no village has (renamed since) says nothing."""
    if blank(written) or village_id not in index:
        return
    name = _name_key(written)
    if name == _name_key(index[village_id].label):
        return
    others = [vid for vid, v in index.items() if vid != village_id and _name_key(v.label) == name]
    if others:
        warnings.warn(Notice("village_named_otherwise", f"{where}: village",
                             written=str(written).strip(), others=", ".join(others[:3]),
                             id=village_id, name=index[village_id].label), stacklevel=3)


def day_of(x) -> dt.date:
    if isinstance(x, dt.datetime):
        return x.date()
    if isinstance(x, dt.date):
        return x
    if blank(x):
        raise ValueError("empty; expected a date YYYY-MM-DD")
    text = str(x).strip()
    m = _ISO.match(text)
    parts = (m.group(1), m.group(2), m.group(3)) if m else None
    if parts is None and (m := _DAY_FIRST.match(text)):
        parts = (m.group(3), m.group(2), m.group(1))
    if parts is None:
        raise ValueError(f"{text!r} is not a date; expected YYYY-MM-DD (or DD/MM/YYYY)")
    try:
        return dt.date(*(int(p) for p in parts))
    except ValueError:
        raise ValueError(f"{text!r} is not a day of the calendar") from None


def whole_people(x) -> int:
    """A whole, non-negative number of people (a `,` decimal mark is read as a decimal)."""
    if blank(x):
        raise ValueError("empty; expected the number of people recorded (0 or more)")
    if isinstance(x, bool):
        raise ValueError(f"{x!r} is not a number of people")
    try:
        value = Decimal(str(x).strip().replace(",", ".")) if isinstance(x, str) else Decimal(x)
    except (InvalidOperation, ValueError, TypeError):  # TypeError: a date or time cell
        raise ValueError(f"{str(x).strip()!r} is not a number; expected the number of "
                         "people recorded") from None
    if not value.is_finite():
        raise ValueError(f"{x!r} is not a number of people")
    if value < 0:
        raise ValueError(f"{x} is negative; expected the number of people recorded (0 or more)")
    if value > MOST_COUNT:
        raise ValueError(f"more than {MOST_COUNT:,} people; expected the number recorded")
    if value != value.to_integral_value():
        raise ValueError(f"{x} is not a whole number of people")
    return int(value)


def workbook_sheets(path: Path, field: str, error=ScenarioError) -> dict[str, list[list]]:
    """Every sheet of an XLSX file by title, as rows of cell values (a formula's saved
    result; every cell of a merged range holding the range's value, as the sheet shows it: a
    day's date merged over its visits); an `error` at `path`:1 `field` where the file cannot
    be read as one."""
    import openpyxl

    too_big = workbook_size_problem(path, MAX_LOADED_WORKBOOK_BYTES)
    if too_big is not None:
        raise error([Problem(str(path), 1, field, too_big)])
    try:
        book = openpyxl.load_workbook(path, data_only=True)  # not read-only: merged ranges
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise error([Problem(str(path), 1, field, f"cannot read as XLSX: {exc}")]) from None
    try:
        for ws in book.worksheets:  # rows are read as wide as the sheet's farthest cell
            if ws.max_row * ws.max_column > MAX_SHEET_CELLS:
                raise error([Problem(f"{path}[{ws.title}]", ws.max_row, field, (
                    f"the sheet reaches cell {ws.cell(ws.max_row, ws.max_column).coordinate}, "
                    f"{ws.max_row:,} rows by {ws.max_column:,} columns: more than a table of "
                    "visits has; delete what stands far below or right of the table"))])
        return {ws.title: _unmerged(ws) for ws in book.worksheets}
    finally:
        book.close()


def _unmerged(ws) -> list[list]:
    """A sheet's rows of values, each merged range's value in all of its cells."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    for merged in ws.merged_cells.ranges:
        value = rows[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= len(rows) \
            and merged.min_col <= len(rows[merged.min_row - 1]) else None
        for r in range(merged.min_row, min(merged.max_row, len(rows)) + 1):
            row = rows[r - 1]
            row.extend([None] * (merged.max_col - len(row)))
            for c in range(merged.min_col, merged.max_col + 1):
                row[c - 1] = value
    return rows


def read_table(path: Path | pd.DataFrame, expected: str = "unit,date,village_id,recorded"
               ) -> tuple[list, list[tuple[int, list]]]:
    """Header and (line, cells) rows of a CSV (`,` or `;`; UTF-8, else the Windows code page a
    spreadsheet saves CSV in) or XLSX file, or of a DataFrame as the CSV it writes (its
    header line 1: a notebook's table of what happened reads as the file would); `expected`
    names the header an empty file lacks."""
    if isinstance(path, pd.DataFrame):
        return csv_rows(path.to_csv(index=False), FRAME, expected)
    source = str(path)

    def fail(message: str) -> ActualsError:
        return ActualsError([Problem(source, 1, "(file)", message)])

    try:
        found = path.is_file()
    except OSError as exc:  # a name the system cannot look up (too long, ...)
        raise fail(f"cannot open: {exc.strerror or exc}") from None
    if not found:
        raise fail("is a folder: give the file of the visits that happened (a folder of "
                   "<stem>.csv files is for several scenarios)" if path.is_dir() else
                   "no such file")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows = next(iter(workbook_sheets(path, "(file)", ActualsError).values()), [])
        if not rows or all(blank(c) for c in rows[0]):
            raise fail(f"the file is empty; expected a header row {expected}")
        return rows[0], list(enumerate(rows[1:], start=2))
    if suffix not in (".csv", ".txt"):
        raise fail("expected a .csv or .xlsx file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise fail(f"cannot read: {exc}") from None
    try:
        # Excel's "Unicode Text" (a tab between cells) is UTF-16 with a byte-order mark
        text = data.decode("utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") \
            else data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:  # saved by a spreadsheet as "CSV" in its code page, not as "CSV UTF-8"
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise fail(f"cannot read: neither UTF-8 nor Windows-1252 text ({exc})") from None
    return csv_rows(text, source, expected)


def csv_rows(text: str, source: str, expected: str) -> tuple[list, list[tuple[int, list]]]:
    """Header and (line, cells) rows of CSV text, `,`, `;` or a tab between cells (as its
    header shows); a line may end as on Windows, Unix or an old Mac (a carriage return alone,
    Excel for Mac's "CSV (Macintosh)")."""
    if not text.strip():
        raise ActualsError([Problem(source, 1, "(file)", f"the file is empty; expected a header "
                                                          f"row {expected}")])
    head = re.split(r"\r\n?|\n", text, maxsplit=1)[0]
    reader = csv.reader(io.StringIO(text, newline=""),  # "": the csv module sees every line end
                        delimiter=max((",", ";", "\t"), key=head.count))
    start = 1
    try:
        header = next(reader)
        body, start = [], reader.line_num + 1
        for cells in reader:
            if len(body) >= MAX_TABLE_ROWS:
                raise ActualsError([Problem(source, start, "(file)", too_many_rows(MAX_TABLE_ROWS))])
            body.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:  # a cell over the csv module's limit, a stray NUL byte
        raise ActualsError([Problem(source, start, "(file)", f"cannot read as CSV: {exc}")]) \
            from None
    return header, body
