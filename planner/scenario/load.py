"""Files -> Scenario: the scenario YAML and its village table (CSV or XLSX)."""
from __future__ import annotations

import csv
import io
import re
import warnings
from pathlib import Path

from .errors import Problem, ScenarioError
from .model import Village
from .parse import Rows, parse

# Columns the contract names; any other column is ignored with a warning (DESIGN §2).
KNOWN_COLUMNS = {f.alias or n for n, f in Village.model_fields.items()}
_DECIMAL_COMMA = re.compile(r"^\s*(-?\d+),(\d+)\s*$")  # -5,42 in a `;` file means -5.42
_BOOL = {"true": True, "yes": True, "ya": True, "1": True,
         "false": False, "no": False, "tidak": False, "0": False}


def load_scenario(path: str | Path):
    """Read a scenario file; raises ScenarioError with FILE:LINE: field.path: message lines."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError([Problem(str(path), 1, "(file)", "no such file")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([Problem(str(path), 1, "(file)", f"cannot read: {exc}")]) from None

    def villages_loader(rel: str) -> Rows:
        rows = read_village_table(path.parent / rel)
        for w in rows.warnings:
            warnings.warn(w, stacklevel=2)
        return rows

    scenario = parse(text, source=str(path), villages_loader=villages_loader)
    if scenario.travel.roads:
        roads = (path.parent / scenario.travel.roads).resolve()
        if not roads.exists():
            raise ScenarioError([Problem(str(path), 1, "travel.roads", f"no such file {roads}")])
        scenario = scenario.model_copy(update={"travel": scenario.travel.model_copy(update={"roads": str(roads)})})
    return scenario


def read_village_table(file: Path) -> Rows:
    """Rows of a village CSV or XLSX file, with their line (row) numbers."""
    if not file.exists():
        raise ScenarioError([Problem("?", 1, "villages.file", f"no such file {file}")])
    if file.suffix.lower() in (".xlsx", ".xlsm"):
        header, body = _xlsx_rows(file)
    elif file.suffix.lower() in (".csv", ".txt"):
        header, body = _csv_rows(file)
    else:
        raise ScenarioError([Problem("?", 1, "villages.file",
                                     f"{file.name}: expected a .csv or .xlsx file")])
    return table_to_rows(header, body, str(file))


def table_to_rows(header: list[str], body: list[tuple[int, list]], file: str) -> Rows:
    header = [str(h).strip() if h is not None else "" for h in header]
    problems = []
    if "id" not in header:
        problems.append(Problem(file, 1, "villages.id", "missing column 'id'"))
    if "unrecorded" not in header and not {"eligible", "recorded"} <= set(header):
        problems.append(Problem(file, 1, "villages.unrecorded",
                                "missing column 'unrecorded' (or both 'eligible' and 'recorded')"))
    if problems:
        raise ScenarioError(problems)
    unknown = [h for h in header if h and h not in KNOWN_COLUMNS]
    warns = tuple(f"{file}:1: villages: column {h!r} is not in the contract; ignored" for h in unknown)
    rows, lines = [], []
    for line, cells in body:
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        row = {}
        for h, c in zip(header, cells):
            if not h or h in unknown or c is None or (isinstance(c, str) and c.strip() == ""):
                continue
            if isinstance(c, str):
                c = c.strip()
                if h in ("signal", "power", "lodging") and c.lower() in _BOOL:
                    c = _BOOL[c.lower()]
            row[h] = c
        rows.append(row)
        lines.append(line)
    return Rows(rows=rows, file=file, lines=lines, warnings=warns)


def _csv_rows(file: Path):
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([Problem(str(file), 1, "villages.file", f"cannot read: {exc}")]) from None
    # Spreadsheets in an Indonesian locale save CSV with `;` (the comma is the decimal mark).
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        raise ScenarioError([Problem(str(file), 1, "villages.file", "the file is empty")])
    body = []
    first_line = reader.line_num + 1  # a quoted cell may span lines: report where the row starts
    for cells in reader:
        if delimiter == ";":
            cells = [_DECIMAL_COMMA.sub(r"\1.\2", c) for c in cells]
        body.append((first_line, cells))
        first_line = reader.line_num + 1
    return header, body


def _xlsx_rows(file: Path):
    import openpyxl

    try:
        wb = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a bad file
        raise ScenarioError([Problem(str(file), 1, "villages.file",
                                     f"cannot read as XLSX: {exc}")]) from None
    ws = wb.worksheets[0]
    it = ws.iter_rows(values_only=True)
    header = next(it, None)
    if not header:
        raise ScenarioError([Problem(str(file), 1, "villages.file", "the first sheet is empty")])
    body = [(i, list(r)) for i, r in enumerate(it, start=2)]
    wb.close()
    return list(header), body
