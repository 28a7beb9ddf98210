"""The tables of a plan edited by hand (`--from-plan`), read as a planner's tools leave them.

A planner edits a plan either in its folder's `visits.csv` (and `days.csv`), often in a
spreadsheet that saves them again its own way, or in the plan's `schedule.xlsx`, the workbook
the office already hands out. Both are read here into the same two tables:

- The folder's CSV files (or the edited visits file itself, whatever its name) with `,` or
  `;` between cells (a spreadsheet set to Indonesian saves `;`), dates `YYYY-MM-DD` or
  `DD/MM/YYYY`, clock times `HH:MM:SS`, `H:MM` or `H.MM`, in UTF-8 or, where that fails, the
  Windows code page a spreadsheet saves in; also such a table saved as a workbook.
- A workbook's unit sheets (found by their titles and headings, in either language): each row
  with a village code is a visit of the sheet's unit, its `Tanggal`, `Urutan`, `Kode desa`,
  `Mulai` and `Direkam` cells being `date`, `seq`, `village_id`, `start` and `recorded`, and
  its hidden `Mulai menurut rencana` (`Tiba` in a workbook without it) the `arrive` that tells
  an hour set by hand (`hand_plan`). A unit sheet lost (renamed, its headings retyped) is
  refused: its visits would be cancelled without a word. A re-plan's grey rows (visits that
  happened before the plan's first day) are not the plan and are skipped, as are the
  kecamatan sheets (copies: a warning where one was edited alone). Where a day starts and
  the team sleeps comes from the `days.csv` beside the workbook, as in a folder; a workbook
  given alone gives it itself, in its day cells (`Berangkat`, `Dari`, `Menginap di`: the
  place's name as the plan wrote it, or its id; an empty `Menginap di` is home).

Each row keeps a `line` (its order, for the day's ties) and `where` gives the file and line a
problem about it is reported at: `FILE:LINE`, or `FILE[SHEET]:ROW` for a workbook's rows (a
day's problem at the sheet row of its first visit, where the planner edited it).
"""
from __future__ import annotations

import datetime as dt
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd

from .actuals_cells import blank, day_of, id_text, read_table, whole_people, workbook_sheets
from .notices import Notice
from .scenario.errors import Problem, ScenarioError
from .scenario.model import Scenario

VISIT_FIELDS = ("unit", "date", "seq", "village_id", "village", "arrive", "start", "end",
                "recorded")
DAY_FIELDS = ("unit", "date", "depart", "start_place", "end_place")
NO_SEQ = -1  # an empty seq: the visit goes where its line stands (`hand_plan`)
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
_CLOCK = re.compile(r"^(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?$", re.ASCII)


@dataclass(frozen=True)
class EditedTables:
    """An edited plan's visits (VISIT_FIELDS) and days (DAY_FIELDS), each row with its `line`,
    and where each row stands in the files the planner edited."""

    folder: Path  # the plan's folder (the edited file's, for a file)
    visits_file: Path  # the edited visits: the folder's visits.csv, another CSV, a workbook
    visits: pd.DataFrame
    days: pd.DataFrame
    rows: dict  # (table name, line) -> (file, line) where it is not that table's own line
    # a workbook's: days.csv line -> the sheet row of that day's first visit, where a broken
    # rule about the day is reported (the planner edited the sheet, not days.csv)
    day_rules: dict

    def where(self, table: str, line: int, rule: bool = False) -> tuple[str, int]:
        """The file and line of row `line` of `table` ("visits.csv" or "days.csv"); for a
        broken `rule` about a day of a workbook, its first visit's sheet row."""
        if rule and table == "days.csv" and line in self.day_rules:
            return self.day_rules[line]
        own = self.visits_file if table == "visits.csv" else self.folder / table
        return self.rows.get((table, line), (str(own), line))


def read_edited(path: Path, scenario: Scenario) -> EditedTables:
    """The edited plan at `path`: a plan folder, its (edited) visits CSV file or a plan's
    workbook, with the `days.csv` of the folder or beside the file, if any; a ScenarioError
    with a located problem per bad cell."""
    path = Path(path)
    folder = path if path.is_dir() else path.parent
    suffix = "" if path.is_dir() else path.suffix.lower()
    if suffix not in ("", ".csv", *WORKBOOK_SUFFIXES):
        raise ScenarioError([Problem(str(path), 1, "--from-plan", (
            "expected a plan's folder, its visits.csv or its schedule.xlsx"))])
    rows: dict = {}
    visits_file = folder / "visits.csv" if path.is_dir() else path
    sheets = workbook_sheets(path, "--from-plan") if suffix in WORKBOOK_SUFFIXES else {}
    visits = _read_workbook(path, sheets, scenario, rows) if sheets else None
    if visits is None:
        first_sheet = next(iter(sheets.values()), [[]]) or [[]]
        if suffix in WORKBOOK_SUFFIXES and "village_id" not in map(str, first_sheet[0]):
            raise ScenarioError([Problem(str(path), 1, "--from-plan", (
                "holds no unit sheet of the scenario's units (a sheet titled as the plan names "
                "it, with the date and village code columns) and is no visits table: is it "
                "this scenario's schedule.xlsx?"))])
        visits = _read_csv(visits_file, VISIT_FIELDS, _VISIT_CELLS, _VISIT_BLANK, required=True)
    if rows and not (folder / "days.csv").is_file():  # a workbook alone: its own day cells
        days = _workbook_days(path, sheets, scenario, rows)
    else:
        days = _read_csv(folder / "days.csv", DAY_FIELDS, _DAY_CELLS, _DAY_BLANK,
                         required=False)
    day_rules = {}
    if rows:  # a workbook's
        first: dict = {}
        for v in visits.itertuples(index=False):
            first.setdefault((v.unit, v.date), v.line)
        day_rules = {d.line: rows["visits.csv", first[d.unit, d.date]]
                     for d in days.itertuples(index=False) if (d.unit, d.date) in first}
    return EditedTables(folder, visits_file, visits, days, rows, day_rules)


def written_end(cell) -> int | None:
    """A visit's written end (`hand_plan` keeps it where the visit keeps its announced start):
    a clock time, one past midnight as a spreadsheet's duration, or None where the cell holds
    neither (only a hint: never a refusal)."""
    if isinstance(cell, dt.timedelta):
        return int(cell.total_seconds())
    try:
        return clock_seconds(cell)
    except ValueError:
        return None


def clock_seconds(cell) -> int:
    """Seconds after midnight of a clock time: a spreadsheet's time (or its day fraction, in a
    cell whose time format was lost), or text `HH:MM:SS`, `H:MM` or `H.MM` (as id-ID writes
    it)."""
    if isinstance(cell, float) and 0 <= cell < 1:
        return round(cell * 86400)
    if isinstance(cell, dt.datetime):
        cell = cell.time()
    if isinstance(cell, dt.time):
        return cell.hour * 3600 + cell.minute * 60 + cell.second
    text = "" if cell is None else str(cell).strip()
    m = _CLOCK.match(text)
    if not m or int(m.group(2)) > 59 or int(m.group(3) or 0) > 59:
        raise ValueError(f"{text!r} is not a clock time; expected HH:MM:SS (or H:MM)")
    return int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3) or 0)


def whole_number(cell) -> int:
    """A visit's place in its day: 1, 2, ... (a spreadsheet's 2.0 too)."""
    if isinstance(cell, (int, float)) and not isinstance(cell, bool) and float(cell).is_integer():
        return int(cell)
    text = str(cell).strip()
    if not re.fullmatch(r"\d{1,9}", text, re.ASCII):
        raise ValueError(f"{text!r} is not a whole number; expected the visit's place in its "
                         "day (1, 2, ...)")
    return int(text)


# each column's cell reader, and what an empty cell of an optional column stands for (such a
# column may be left out of a CSV file)
_VISIT_CELLS: dict[str, Callable] = {"unit": id_text, "date": day_of, "seq": whole_number,
                                     "village_id": id_text, "village": id_text,
                                     "arrive": clock_seconds, "start": clock_seconds,
                                     "end": written_end, "recorded": whole_people}
# None: no hour written (start on arrival), no end kept, the turnout cap; no name to compare
_VISIT_BLANK = {"seq": NO_SEQ, "village": "", "arrive": None, "start": None, "end": None,
                "recorded": None}
_DAY_CELLS: dict[str, Callable] = {"unit": id_text, "date": day_of, "depart": clock_seconds,
                                   "start_place": id_text, "end_place": id_text}
# None: the day leaves at its shift's start; "": where DESIGN §3 says it starts or ends
_DAY_BLANK = {"depart": None, "start_place": "", "end_place": ""}


def _read_csv(path: Path, fields: tuple[str, ...], cells: dict, blanks: dict,
              required: bool) -> pd.DataFrame:
    """One table of the folder (an empty one where it is not required and not there)."""
    if not path.is_file():
        if required:
            raise ScenarioError([Problem(str(path), 1, "file",
                                         "missing: a plan's visits.csv is needed")])
        return pd.DataFrame(columns=[*fields, "line"])
    header, body = read_table(path, ",".join(fields))
    names = [str(h).strip().lstrip("\ufeff") if h is not None else "" for h in header]
    missing = [f for f in fields if f not in names and f not in blanks]
    if missing:
        needed = ", ".join(f for f in fields if f not in blanks)
        raise ScenarioError([Problem(str(path), 1, missing[0], (
            f"column missing: a plan's {'visits' if 'village_id' in fields else 'days'}.csv "
            f"needs the columns {needed} (keep the header row as the plan wrote it)"))])
    column = {f: names.index(f) for f in fields if f in names}
    return _parsed([(line, {f: row[k] if k < len(row) else None for f, k in column.items()})
                    for line, row in body if any(not blank(c) for c in row)],
                   fields, cells, blanks, lambda line: (str(path), line))


def _parsed(rows: list[tuple[int, dict]], fields: tuple[str, ...], cells: dict, blanks: dict,
            where: Callable[[int], tuple[str, int]]) -> pd.DataFrame:
    """The rows' cells read by `cells` (an empty cell of a `blanks` column as its stand-in
    value); every bad cell a located problem."""
    problems, out = [], []
    for line, row in rows:
        values = []
        for f in fields:
            cell = row.get(f)
            try:
                values.append(blanks[f] if blank(cell) and f in blanks else cells[f](cell))
            except ValueError as exc:
                problems.append(Problem(*where(line), f, str(exc)))
        out.append((*values, line))
    if problems:
        raise ScenarioError(problems)
    return pd.DataFrame(out, columns=[*fields, "line"])


def _unit_sheet_rows(tables: dict, scenario: Scenario, names: tuple[str, ...], found: dict):
    """(unit, sheet title, sheet row, {name: cell}) of every row of the unit sheets but a
    re-plan's grey ones, by the contract `names` of their headings; a unit's sheet is found by
    its title and its date and village code headings, in either language (`found`: unit ->
    the language its sheet is in)."""
    from .export.labels import label
    from .export.workbook import bare_heading, unit_sheet_titles

    for lang in ("id", "en"):
        headings = {label(n, lang): n for n in (*names, "date", "village_id", "note")}
        done = label("actual_visit", lang)
        for unit, title in unit_sheet_titles([u.id for u in scenario.units], lang).items():
            table = tables.get(title) or [[]]
            # a clock time's heading without its time zone (`Mulai (WIB)`: `Mulai`)
            header = [headings.get(bare_heading(h)) if h is not None else None
                      for h in table[0]]
            if unit in found or not {"date", "village_id"} <= set(header):
                continue
            found[unit] = lang
            column = {name: k for k, name in enumerate(header) if name is not None}
            for row, cells in enumerate(table[1:], start=2):
                cell = {name: cells[k] if k < len(cells) else None for name, k in column.items()}
                if not _happened(cell, done, scenario):
                    yield unit, title, row, cell


def _read_workbook(path: Path, tables: dict, scenario: Scenario,
                   rows: dict) -> pd.DataFrame | None:
    """The visits of the workbook's unit sheets (`tables`), or None where it has none (a
    workbook of another kind); `rows` gets each visit's sheet and row. A visit's `arrive`,
    which tells an hour set by hand, is the hidden planned start where the sheet has it (else
    `Tiba`)."""
    from .export.labels import label
    from .export.workbook import unit_sheet_titles

    units = [u.id for u in scenario.units]
    visits, found = [], {}
    for unit, title, row, cell in _unit_sheet_rows(tables, scenario,
                                                   (*VISIT_FIELDS, "planned_start"), found):
        if blank(cell.get("village_id")) and all(blank(cell.get(k)) for k in ("seq", "recorded")):
            continue  # a travel day, the "no visits" note
        if "planned_start" in cell:
            cell["arrive"] = cell.pop("planned_start")
        line = len(visits) + 2
        rows["visits.csv", line] = (f"{path}[{title}]", row)
        visits.append((line, {"unit": unit, **cell}))
    if not found:
        return None
    missing = [u for u in units if u not in found]
    if missing:  # its visits would be cancelled without a word: refused
        lang = next(iter(found.values()))
        titles = unit_sheet_titles(units, lang)
        raise ScenarioError([Problem(str(path), 1, "--from-plan", (
            f"no unit sheet {', '.join(repr(titles[u]) for u in missing)} with the columns "
            f"{label('date', lang)!r} and {label('village_id', lang)!r}: its visits would be "
            "cancelled; restore the sheet's name and headings (to cancel a unit's visits, "
            "delete their rows)"))])
    _warn_if_copies_edited(path, tables, found, visits)
    rows["visits.csv", 1] = (str(path), 1)
    return _parsed(visits, VISIT_FIELDS, _VISIT_CELLS, _VISIT_BLANK,
                   lambda line: rows.get(("visits.csv", line), (str(path), line)))


def _workbook_days(path: Path, tables: dict, scenario: Scenario, rows: dict) -> pd.DataFrame:
    """The days of a workbook's unit sheets (DAY_FIELDS) from their day cells: `Berangkat`
    and `Dari` where a day starts (none: the shift's start, from where the unit slept),
    `Menginap di` where the team sleeps (empty: home); a bad cell at its sheet row, and so a
    second, different start or night written for one day (a row moved with its day cells
    onto a day that has its own)."""
    places = _place_names(scenario)
    days: dict[tuple, dict] = {}
    problems = []
    for unit, title, row, cell in _unit_sheet_rows(tables, scenario,
                                                   ("depart", "from", "night_at"), {}):
        if all(blank(cell.get(n)) for n in ("depart", "from", "night_at")):
            continue
        where, values = (f"{path}[{title}]", row), {}
        for name, field, read in (
                ("date", "date", day_of), ("depart", "depart", clock_seconds),
                ("from", "start_place", lambda c: _place_id(places, scenario, unit, c)),
                ("night_at", "end_place", lambda c: _place_id(places, scenario, unit, c))):
            try:
                if name == "date" or not blank(cell.get(name)):
                    values[field] = read(cell.get(name))
            except ValueError as exc:
                problems.append(Problem(*where, field, str(exc)))
        if "date" not in values:
            continue
        day = days.setdefault((unit, values.pop("date")), {"where": where})
        for field, value in values.items():
            if day.setdefault(field, value) != value:
                problems.append(Problem(*where, field, (
                    f"this day's {field} is already written at row {day['where'][1]}: keep "
                    "one (a row moved with its day cells onto another day)")))
    if problems:
        raise ScenarioError(problems)
    out = []
    for line, ((unit, date), day) in enumerate(sorted(days.items()), start=2):
        rows["days.csv", line] = day["where"]
        out.append((unit, date, day.get("depart"), day.get("start_place", ""),
                    day.get("end_place", ""), line))
    return pd.DataFrame(out, columns=[*DAY_FIELDS, "line"], dtype=object)


def _place_names(scenario: Scenario) -> dict[str, set[str]]:
    """Name (as the plan's sheets write it) or id -> the ids of the places and villages."""
    from .export.crossings import place_name

    names: dict[str, set[str]] = {}
    for pid in [p.id for p in scenario.places] + [v.id for v in scenario.villages]:
        for name in (pid, place_name(scenario, pid)):
            names.setdefault(name.strip(), set()).add(pid)
    return names


def _place_id(places: dict, scenario: Scenario, unit: str, cell) -> str:
    """The place a day cell names; where a name is shared, the unit's base or home or a
    lodging among them."""
    text = id_text(cell).strip()
    ids = places.get(text, set())
    if len(ids) > 1:
        u = scenario.unit_index[unit]
        lodgings = {p.id for p in scenario.places if p.lodging} | {
            v.id for v in scenario.villages if v.lodging}
        ids = ids & ({u.base, u.end_place} | lodgings) or ids
    if len(ids) == 1:
        return next(iter(ids))
    if ids:
        raise ValueError(f"{text!r} names more than one place ({', '.join(sorted(ids))}): "
                         "write the one meant by its id")
    raise ValueError(f"{text!r} is not a place or village of the scenario: write a lodging's "
                     "or the unit's home's name as the plan wrote it, or its id")


def _happened(cell: dict, done: str, scenario: Scenario) -> bool:
    """A re-plan's grey row: a visit that happened before the plan's first day (its note
    says so); the same row copied to a later day is a visit of the plan."""
    if done not in str(cell.get("note") or ""):
        return False
    try:
        return day_of(cell.get("date")) < scenario.calendar.start
    except ValueError:
        return False


def _key(unit, date, village, recorded) -> tuple:
    """A visit row as the kecamatan copies and the unit sheets can be compared."""
    try:
        date = day_of(date)
    except ValueError:
        pass
    return tuple("" if blank(x) else id_text(x) if not isinstance(x, dt.date) else x
                 for x in (unit, date, village, recorded))


def _warn_if_copies_edited(path: Path, tables: dict, found: dict, visits: list) -> None:
    """One warning where a kecamatan sheet (a copy of the unit sheets' visits, not read) was
    edited: it holds a visit that neither the plan beside it (`visits.csv`) nor the unit
    sheets hold, or lacks one that both still hold."""
    import csv

    from .export.labels import label

    try:
        with (path.parent / "visits.csv").open(newline="", encoding="utf-8-sig") as f:
            written = {_key(r["unit"], r["date"], r["village_id"], r["recorded"])
                       for r in csv.DictReader(f)}
    except (OSError, ValueError, KeyError, csv.Error):
        return  # no plan beside the workbook to tell an edited copy by
    sheets = {_key(c.get("unit"), c.get("date"), c.get("village_id"), c.get("recorded"))
              for _, c in visits}
    copied: list[tuple[str, tuple]] = []
    for lang in set(found.values()):
        headings = {label(name, lang): name for name in ("date", "village_id", "unit", "recorded")}
        for title, table in tables.items():
            header = [headings.get(str(h).strip()) if h is not None else None
                      for h in (table[0] if table else [])]
            if len(set(header) - {None}) < 4:
                continue  # not a kecamatan sheet
            column = {name: k for k, name in enumerate(header) if name is not None}
            for row, cells in enumerate(table[1:], start=2):
                cell = [cells[column[n]] if column[n] < len(cells) else None
                        for n in ("unit", "date", "village_id", "recorded")]
                if not blank(cell[2]):
                    copied.append((f"{path}[{title}]:{row}", _key(*cell)))
    edited = [where for where, k in copied if k not in written and k not in sheets]
    dropped = (written & sheets) - {k for _, k in copied}
    if copied and (edited or dropped):
        # a row edited is one new row and one lost: count it once
        warnings.warn(Notice("workbook_copy_edited", str(path),
                             count=max(len(edited), len(dropped)),
                             first=edited[0] if edited else "a visit deleted"), stacklevel=4)
