"""Files -> Scenario: the scenario YAML and its village table (CSV or XLSX)."""
from __future__ import annotations

import codecs
import collections
import csv
import difflib
import io
import os
import re
import warnings
from os import PathLike
from pathlib import Path, PureWindowsPath
from typing import Any, Optional

from ..notices import Notice
from .columns import heading, office_headings, rename_hint, total_label
from .errors import Problem, ScenarioError
from .input_limits import (MAX_STREAMED_WORKBOOK_BYTES, MAX_TABLE_COLUMNS, MAX_TABLE_ROWS,
                           scenario_size_problem, too_many_columns, too_many_rows,
                           workbook_size_problem)
from .model import Scenario, Village
from .parse import VILLAGE_FILE_KEY, Rows, parse
from .roads import RoadGraphError, coordinate_problem, read_road_graph
from .yamltext import index_lines, tabs_as_spaces

# Columns the contract names; any other column is ignored with a warning (DESIGN §2).
KNOWN_COLUMNS = {f.alias or n for n, f in Village.model_fields.items()}
_DECIMAL_COMMA = re.compile(r"^\s*(-?\d+),(\d+)\s*$")  # -5,42 in a `;` file means -5.42
HEADER_SEARCH_ROWS = 10  # a header below a title row is looked for this far down


def expect_scenario(value: Any, where: str) -> Scenario:
    """`value` when it is a Scenario; else a TypeError naming `where` and what it was given,
    instead of an AttributeError from deep inside the planner (a path, or a Plan where the
    Scenario goes: `check(plan, scenario)`)."""
    if isinstance(value, Scenario):
        return value
    if isinstance(value, (str, PathLike)):
        raise TypeError(f"{where}: the scenario must be a Scenario, not the path {str(value)!r}: "
                        f"load it first, planner.load_scenario({str(value)!r})")
    raise TypeError(f"{where}: the scenario must be a Scenario (planner.load_scenario(path)), "
                    f"not a {type(value).__name__}")


def load_scenario(path: str | Path):
    """Read a scenario file; raises ScenarioError with FILE:LINE: field.path: message lines."""
    path = Path(path)
    try:
        too_big = scenario_size_problem(path.stat().st_size)
        if too_big is not None:
            raise ScenarioError([Problem(str(path), 1, "(file)", too_big)])
        text = scenario_text(path.read_bytes(), str(path))
    except FileNotFoundError:
        raise ScenarioError([Problem(str(path), 1, "(file)", "no such file")]) from None
    except IsADirectoryError:
        raise ScenarioError([Problem(str(path), 1, "(file)", "is a folder; expected a scenario "
                                     "file (scenario.yaml)")]) from None
    except OSError as exc:
        raise ScenarioError([Problem(str(path), 1, "(file)", f"cannot read: {exc}")]) from None

    def villages_loader(rel: str) -> Rows:
        rows = read_village_table(named_file(path, rel))
        for w in rows.warnings:
            warnings.warn(w, stacklevel=2)
        return rows

    scenario = parse(text, source=str(path), villages_loader=villages_loader)
    if scenario.travel.roads:
        roads = named_file(path, scenario.travel.roads).resolve()
        lines, _ = index_lines(text)
        line = lines.get(("travel", "roads"), lines.get(("travel",), 1))
        try:
            wrong = coordinate_problem(read_road_graph(roads), scenario.geometry)
            problem = None if wrong is None else f"{roads}: {wrong}"
        except RoadGraphError as exc:
            problem = str(exc)
        if problem is not None:
            raise ScenarioError([Problem(str(path), line, "travel.roads", problem)])
        scenario = scenario.model_copy(update={"travel": scenario.travel.model_copy(update={"roads": str(roads)})})
    return scenario


def named_files(path: str | Path) -> list[Path]:
    """The files scenario file `path` names, relative to it: its village table
    (`villages.file`) and road graph (`travel.roads`). An output folder that holds one of them
    is not replaced, even with --force: the swap would delete the campaign's own data. None
    at all where the file cannot be read as a scenario (loading it says why)."""
    import yaml

    path = Path(path)
    try:
        data = yaml.safe_load(scenario_text(path.read_bytes(), str(path)))
    except (OSError, ScenarioError, yaml.YAMLError):
        return []
    if not isinstance(data, dict):
        return []
    named = []
    for section, key in (("villages", VILLAGE_FILE_KEY), ("travel", "roads")):
        value = data.get(section)
        if isinstance(value, dict) and isinstance(value.get(key), str) and value[key].strip():
            named.append(named_file(path, value[key]))
    return named


def named_file(scenario_path: Path, written: str) -> Path:
    """The file a scenario names as `written`, relative to the scenario file. A name written
    on Windows (`villages\\pesawaran.csv`) names the same file on Linux or a Mac, where a
    backslash is no separator: a scenario shared between a district office and an analyst
    reads alike on both (a name that holds a backslash and exists as written is kept)."""
    as_written = scenario_path.parent / written
    if "\\" not in written or os.sep == "\\" or as_written.exists():
        return as_written
    return scenario_path.parent / PureWindowsPath(written).as_posix()


def scenario_text(data: bytes, source: str) -> str:
    """The text of a scenario file: UTF-8 (a byte-order mark allowed), or UTF-16 with its
    byte-order mark (Windows Notepad's "Unicode"); Windows line ends read as any other."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            what = ("a workbook or another binary file, not a scenario.yaml" if
                    data.startswith(b"PK") or b"\0" in data[:1024] else
                    f"not UTF-8 text (byte 0x{data[exc.start]:02X}); save it as UTF-8")
            line = data[:exc.start].count(b"\n") + 1
            raise ScenarioError([Problem(source, line, "(file)", what)]) from None
    return tabs_as_spaces(text.replace("\r\n", "\n").replace("\r", "\n"))


def read_village_table(file: Path) -> Rows:
    """Rows of a village CSV or XLSX file, with their line (row) numbers. The header is the
    first row naming `id` among the first ten; rows above it (a title) are skipped, with a
    warning saying where the header was found."""
    try:
        found = file.is_file()
    except OSError as exc:  # a name the system cannot even look up (too long, ...)
        raise ScenarioError([Problem("?", 1, "villages.file",
                                     f"cannot open {file}: {exc.strerror}")]) from None
    if not found:
        raise ScenarioError([Problem("?", 1, "villages.file", f"no such file {file}"
                                     + _nearby_files(file))])
    label, notes = str(file), ()
    if file.suffix.lower() in (".xlsx", ".xlsm"):
        rows, sheet, first = _xlsx_rows(file)
        if sheet != first:
            label = f"{file}[{sheet}]"
            notes = (Notice("sheet_chosen", f"{file}:1: villages", sheet=sheet, first=first),)
    elif file.suffix.lower() in (".csv", ".txt"):
        rows = _csv_rows(file)
    else:
        raise ScenarioError([Problem("?", 1, "villages.file", (
            f"{file.name}: expected a .csv or .xlsx file (in the spreadsheet, Save As "
            "'Excel Workbook (.xlsx)' or 'CSV UTF-8')"))])
    if not rows:
        raise ScenarioError([Problem(label, 1, "villages.file", "the file is empty")])
    at = find_header(rows)
    if at is None:  # no `id` header: the row of headings to rename, for the message
        at = next((i for i, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS])
                   if office_headings(cells) >= 2), 0)
    (header_line, header), body = rows[at], rows[at + 1:]
    if at > 0:
        notes += (Notice("header_below_title", f"{label}:{header_line}: villages",
                         row=header_line, above=at),)
    table = table_to_rows(header, body, label, header_line)
    return Rows(table.rows, table.file, table.lines, notes + table.warnings)


def _nearby_files(file: Path) -> str:
    """` (looked for in FOLDER: ...; did you mean NAME?)`: where a missing village file was
    looked for (relative to the scenario, which a planner may not expect) and a file there
    whose name is close (another case, a typo)."""
    folder = file.parent.resolve()
    try:
        names = [p.name for p in folder.iterdir() if p.is_file()]
    except OSError:
        names = []
    lowered = {n.casefold(): n for n in names}
    close = ([lowered[file.name.casefold()]] if file.name.casefold() in lowered
             else difflib.get_close_matches(file.name, names, n=1, cutoff=0.75))
    hint = f"; did you mean {close[0]}?" if close else ""
    return f" (looked for in {folder}: a file is named relative to the scenario file{hint})"


def find_header(rows: list[tuple[int, list]]) -> Optional[int]:
    """Index of the header among the first rows: the first that has an `id` cell and another
    column the contract names; None when there is none."""
    for i, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        names = {heading(_cell_text(c), KNOWN_COLUMNS) for c in cells}
        if "id" in names and len(names & KNOWN_COLUMNS) >= 2:
            return i
    return None


def _cell_text(cell) -> str:
    return str(cell).strip() if cell is not None else ""


def table_to_rows(header: list, body: list[tuple[int, list]], file: str,
                  header_line: int = 1) -> Rows:
    """Rows of a village table, keyed by the header's column names; cells as written."""
    written = [_cell_text(h) for h in header]
    header = [heading(h, KNOWN_COLUMNS) for h in written]
    problems = []
    found = ", ".join(h for h in header if h) or "no names"
    if "id" not in header:
        problems.append(Problem(file, header_line, "villages.id",
                                f"missing column 'id' (the header on row {header_line} has: "
                                f"{found}; no row among the first {HEADER_SEARCH_ROWS} names "
                                "an `id` column)" + rename_hint(written, tuple(KNOWN_COLUMNS))
                                + "; the columns are named as docs/scenario.md lists them"))
    named = collections.Counter(h for h in header if h)
    if sum(named.values()) > MAX_TABLE_COLUMNS:
        raise ScenarioError([Problem(file, header_line, "villages.file",
                                     too_many_columns(sum(named.values())))])
    repeated = sorted(h for h, count in named.items() if count > 1)
    if repeated:
        problems.append(Problem(file, header_line, f"villages.{repeated[0]}",
                                f"column {repeated[0]!r} appears {named[repeated[0]]} "
                                "times in the header; which one holds the data is not clear"))
    if "unrecorded" not in header and not {"eligible", "recorded"} <= set(header):
        problems.append(Problem(file, header_line, "villages.unrecorded",
                                "missing column 'unrecorded' (or both 'eligible' and 'recorded')"
                                + rename_hint(written, ("unrecorded", "eligible", "recorded"))))
    if problems:
        raise ScenarioError(problems)
    unknown = [h for h in header if h and h not in KNOWN_COLUMNS]
    warns = tuple(Notice("column_ignored", f"{file}:{header_line}: villages", column=h)
                  for h in unknown)
    rows, lines, totals, problems = [], [], [], []
    for line, cells in body:
        if all(_cell_text(c) == "" for c in cells):
            continue
        row = {}
        for h, c in zip(header, cells):
            if not h or h in unknown or c is None or (isinstance(c, str) and c.strip() == ""):
                continue
            if h == "head_phone" and isinstance(c, (int, float)) and not isinstance(c, bool):
                c = f"{c:.0f}"  # a spreadsheet's number cell: its digits (any leading 0 is gone)
            row[h] = c.strip() if isinstance(c, str) else c
        label = total_label(row)
        if label is not None and row.get("id", label) == label:
            totals.append(line)
            continue
        if label is not None:
            problems.append(Problem(file, line, "villages.id", (
                f"row {line} looks like a total ({label!r}), not a village: its count would be "
                f"planned as one more village's; delete the row")))
        rows.append(row)
        lines.append(line)
    if problems:
        raise ScenarioError(problems)
    if totals:
        warns += (Notice("total_row_skipped", f"{file}:{totals[0]}: villages",
                         rows=", ".join(map(str, totals))),)
    return Rows(rows=rows, file=file, lines=lines, warnings=warns)


def _csv_rows(file: Path) -> list[tuple[int, list]]:
    """(line, cells) of every row; `;` or `,` as the header row's separator shows; UTF-8, or
    the Windows code page a spreadsheet saves "CSV" in (not "CSV UTF-8")."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise ScenarioError([Problem(str(file), 1, "villages.file", f"cannot read: {exc}")]) from None
    try:
        # Excel's "Unicode Text" (tab between cells) is UTF-16 with a byte-order mark
        text = data.decode("utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") \
            else data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            line = data[:exc.start].count(b"\n") + 1
            raise ScenarioError([Problem(str(file), line, "villages.file", (
                f"cannot read: neither UTF-8 nor Windows-1252 text (byte "
                f"0x{data[exc.start]:02X}); save it as CSV UTF-8"))]) from None
    # Spreadsheets in an Indonesian locale save CSV with `;` (the comma is the decimal mark).
    first = re.split(r"\r\n?|\n", text, maxsplit=1)[0]  # an old Mac's line ends: a lone \r
    likely, *others = sorted((",", ";", "\t"), key=lambda sep: -first.count(sep))
    rows = _split_csv(text, likely, str(file))
    if find_header(rows) is None:
        # the first line may be a title: let the header row choose the separator
        for other in others:
            retry = _split_csv(text, other, str(file))
            if find_header(retry) is not None:
                return retry
    return rows


def _split_csv(text: str, delimiter: str, source: str = "<villages>") -> list[tuple[int, list]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)  # every line end
    rows = []
    first_line = 1  # a quoted cell may span lines: report where the row starts
    try:
        for cells in reader:
            if len(rows) >= MAX_TABLE_ROWS:
                raise ScenarioError([Problem(source, first_line, "villages.file",
                                             too_many_rows(MAX_TABLE_ROWS))])
            if delimiter in (";", "\t"):  # the comma is no separator: it is the decimal mark
                cells = [_DECIMAL_COMMA.sub(r"\1.\2", c) for c in cells]
            rows.append((first_line, cells))
            first_line = reader.line_num + 1
    except csv.Error as exc:  # a cell over the csv module's limit, a stray NUL byte
        raise ScenarioError([Problem(source, first_line, "(file)", f"cannot read as CSV: {exc}")]) \
            from None
    return rows


def _sheet_rows(ws, label: str) -> list[tuple[int, list]]:
    """(line, cells) of a read-only sheet, each row as long as its own cells (not padded to
    the sheet's recorded extent: one stray cell at XFD1048576 made every row 16,384 cells
    wide); more than MAX_TABLE_ROWS rows holding a value are refused at the first one over."""
    ws.reset_dimensions()
    rows, filled = [], 0
    for line, cells in enumerate(ws.iter_rows(values_only=True), start=1):
        if any(c is not None for c in cells):
            filled += 1
            if filled > MAX_TABLE_ROWS:
                raise ScenarioError([Problem(label, line, "villages.file",
                                             too_many_rows(MAX_TABLE_ROWS))])
        rows.append((line, list(cells)))
    return rows


def _xlsx_rows(file: Path) -> tuple[list[tuple[int, list]], str, str]:
    """(line, cells) of the sheet holding the villages, its name and the first sheet's name:
    the first sheet, unless it has no header naming `id` and exactly one later sheet has
    (an office's workbook opening on a summary sheet); two such later sheets are refused,
    since which one to plan is not clear."""
    import openpyxl

    too_big = workbook_size_problem(file, MAX_STREAMED_WORKBOOK_BYTES)
    if too_big is not None:
        raise ScenarioError([Problem(str(file), 1, "villages.file", too_big)])
    try:
        wb = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a bad file
        raise ScenarioError([Problem(str(file), 1, "villages.file",
                                     f"cannot read as XLSX: {exc}")]) from None
    try:
        sheets = [(ws.title, _sheet_rows(ws, f"{file}[{ws.title}]")) for ws in wb.worksheets]
    finally:
        wb.close()
    first = sheets[0][0]
    if find_header(sheets[0][1]) is not None:
        return sheets[0][1], first, first
    tables = [(name, rows) for name, rows in sheets[1:] if find_header(rows) is not None]
    if len(tables) > 1:
        names = ", ".join(repr(name) for name, _ in tables)
        raise ScenarioError([Problem(str(file), 1, "villages.file", (
            f"the first sheet {first!r} has no header naming `id`, and sheets {names} each hold "
            "a village table: move the one to plan to the front of the workbook"))])
    if tables:
        return tables[0][1], tables[0][0], first
    # no sheet names `id`: the one whose headings are in the office's words, for the message
    renamed = [(name, rows) for name, rows in sheets
               if any(office_headings(cells) >= 2 for _, cells in rows[:HEADER_SEARCH_ROWS])]
    return (renamed or sheets)[0][1], (renamed or sheets)[0][0], first
