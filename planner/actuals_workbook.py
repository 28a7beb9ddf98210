"""A plan's own `schedule.xlsx`, corrected by the teams, read as an actuals file (DESIGN §3
`--actuals`): each team carries its unit's sheet, writes what it really recorded in the
`Direkam / Recorded` cells (and deletes the rows of visits that did not happen), and the office
gives the workbook back as it is.

Each unit's sheet (found by the title `export.workbook` gives it, in either language) holds the
unit's visits: its `Tanggal / Date`, `Kode desa / Village code` and `Direkam / Recorded`
columns are the contract's `date`, `village_id` and `recorded`, the unit is the sheet's. Its
`Terhitung pada / Counts on` column is the plan's forecast, not an observation, so it is not
read (the scenario's turnaround applies, as for a file without `counts_on`), except on a
re-plan's grey rows of the visits that happened before it (`Keterangan / Note` says so), whose
counts-on came from the actuals. So a re-plan's workbook holds the campaign so far and is the
next re-plan's actuals file. A workbook holds the plan to its end, so it needs `today`
(`--today`): only rows dated before it happened; later ones are the plan and are not read. A
row without a village code (a travel day, the "no visits" note) is no visit. The kecamatan
sheets repeat the visits and are not read; where one says another number recorded than its
unit sheet while the unit sheet still holds the plan's own number (a hidden last column), one
warning counts those rows and names the first: the office corrected the wrong copy. A unit
sheet of a unit the scenario no longer has (sold, or its id changed since the plan) that holds
visits before `today` is refused: they happened, and belong to no unit of the scenario.
"""
from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Optional

from .actuals_cells import ActualsError, blank, day_of, id_text, workbook_sheets
from .notices import Notice
from .scenario.errors import Problem
from .scenario.model import Scenario

LANGS = ("id", "en")
READ = ("date", "village_id", "recorded")  # the unit sheet's columns that are read
COPY = ("date", "village_id", "unit", "recorded")  # a kecamatan sheet's, for the warning


@dataclass(frozen=True)
class Sheet:
    """One unit sheet's visits as a table of the contract's columns (`unit` added)."""

    source: str  # FILE[SHEET], where its rows' problems are located
    header: list[str]
    body: list[tuple[int, list]]
    unit: str
    lang: str  # of its headings


def plan_workbook_sheets(path: Path, scenario: Scenario, today: Optional[dt.date],
                         command_line: str) -> list[Sheet] | None:
    """The unit sheets of `path` as actuals tables, or None when it is not a plan's workbook
    (no sheet titled and headed as a unit sheet of `scenario`'s units)."""
    from .export.labels import label
    from .export.workbook import unit_sheet_titles

    rows = workbook_sheets(path, "(file)", ActualsError)
    units = [u.id for u in scenario.units]
    sheets: list[Sheet] = []
    copies: list[tuple[str, list, list[tuple[int, list]]]] = []
    others: list[Sheet] = []  # titled as the unit sheet of a unit the scenario does not have
    for lang in LANGS:
        headings = {label(name, lang): name
                    for name in (*COPY, "counts_on", "note", "planned_recorded", "village")}
        titles = {title: unit for unit, title in unit_sheet_titles(units, lang).items()}
        done = label("actual_visit", lang)
        for title, table in rows.items():
            header = [headings.get(_text(h)) for h in (table[0] if table else [])]
            body = list(enumerate(table[1:], start=2))
            if title in titles and all(name in header for name in READ):
                sheets.append(Sheet(f"{path}[{title}]", [*header, "unit"], [
                    (line, [*_forecast_dropped(header, cells, done), titles[title]])
                    for line, cells in body], titles[title], lang))
            elif all(name in header for name in COPY):
                copies.append((f"{path}[{title}]", header, body))
            elif title.startswith(f"{label('unit', lang)} ") and all(n in header for n in READ):
                others.append(Sheet(f"{path}[{title}]", header, body, title, lang))
    if not sheets:
        return None
    if today is None:
        raise ActualsError([Problem(command_line, 1, "--today", (
            f"{path} is a plan's workbook, which holds the plan to its end: give --today, the "
            "first day of the new plan; its rows before that day are what happened"))])
    found = {sheet.unit for sheet in sheets}
    missing = [u for u in units if u not in found]
    if missing:  # a sheet renamed, removed or its header changed: its visits are not read
        expected = unit_sheet_titles(units, sheets[0].lang)
        warnings.warn(Notice("workbook_unit_missing", str(path),
                             sheets=", ".join(repr(expected[u]) for u in missing)), stacklevel=3)
    _refuse_gone_units(others, today)
    sheets = [replace(sheet, body=_before(sheet, today)) for sheet in sheets]
    _warn_differing_copies(path, sheets, copies)
    return sheets


def _refuse_gone_units(others: list[Sheet], today: dt.date) -> None:
    """Raise ActualsError at the first visit before `today` of each unit sheet whose unit the
    scenario no longer has (sold, or its id changed): its visits happened and cannot be left
    out of the backlog, nor given to a unit they are not known to belong to."""
    problems = [Problem(sheet.source, rows[0][0], "unit", (
        f"the sheet {sheet.unit!r} holds visits that happened, of a unit the scenario no longer "
        "has; a unit gone since stays in the scenario with `unavailable` from the re-plan's "
        "first day on (its visits happened); for a unit whose id changed, give its sheet the "
        "new id's title"))
        for sheet in others if (rows := _before(sheet, today))]
    if problems:
        raise ActualsError(problems)


def _forecast_dropped(header: list, cells: list, done: str) -> list:
    """A unit sheet row, as many cells as its header has (for the unit after them), with its
    counts-on cell emptied unless the row is a visit that happened (a re-plan's grey rows,
    whose counts-on is the actuals'), not the plan's forecast."""
    cells = [*cells[:len(header)], *[None] * (len(header) - len(cells))]
    if "counts_on" not in header:
        return cells
    note = header.index("note") if "note" in header else None
    is_done = note is not None and note < len(cells) and _text(cells[note]) == done
    column = header.index("counts_on")
    return [None if k == column and not is_done else cell for k, cell in enumerate(cells)]


def _text(cell) -> str:
    return "" if cell is None else str(cell).strip()


def _before(sheet: Sheet, today: dt.date) -> list[tuple[int, list]]:
    """The sheet's visit rows dated before `today` (a row whose date cannot be read stays, for
    its problem to be reported)."""
    date, village = sheet.header.index("date"), sheet.header.index("village_id")
    out = []
    for line, cells in sheet.body:
        if len(cells) <= village or blank(cells[village]):
            continue  # a travel day, the "no visits" note, an empty row
        try:
            if day_of(cells[date]) >= today:
                continue
        except (ValueError, IndexError):
            pass
        out.append((line, cells))
    return out


def _key(header: list, cells: list) -> tuple | None:
    try:
        return tuple(id_text(cells[header.index(c)]) if c != "date"
                     else day_of(cells[header.index(c)]) for c in ("unit", "date", "village_id"))
    except (ValueError, IndexError):
        return None


def _warn_differing_copies(path: Path, sheets: list[Sheet], copies: list) -> None:
    """One warning when kecamatan sheet rows say other numbers recorded than their unit
    sheets' rows where the unit sheet still holds the plan's own number (its hidden last
    column): the office corrected the kecamatan copy only. A unit sheet row that differs from
    the plan was corrected by its team, as meant; without the plan's number (a workbook of
    an older version) every difference counts."""
    read: dict[tuple, tuple[object, object]] = {}
    for sheet in sheets:
        column = sheet.header.index("recorded")
        planned = sheet.header.index("planned_recorded") \
            if "planned_recorded" in sheet.header else None
        for line, cells in sheet.body:
            key = _key(sheet.header, cells)
            if key is not None:
                read[key] = (cells[column], cells[planned] if planned is not None
                             and planned < len(cells) else None)
    differing = []
    for source, header, body in copies:
        column = header.index("recorded")
        for line, cells in body:
            key = _key(header, cells)
            if key not in read or column >= len(cells):
                continue
            ours, planned = read[key]
            corrected = planned is not None and _text(ours) != _text(planned)
            if _text(cells[column]) != _text(ours) and not corrected:
                differing.append(f"{source}:{line}")
    if differing:
        warnings.warn(Notice("workbook_copy_differs", str(path), count=len(differing),
                             first=differing[0]), stacklevel=3)
