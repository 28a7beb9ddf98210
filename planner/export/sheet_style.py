"""The look shared by the project's workbooks (schedule.xlsx, the province's summary.xlsx):
formats, fills, header rows, column widths, A4 print setup, valid sheet titles."""
from __future__ import annotations

import datetime as dt
import re

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .labels import label

DATE_FORMAT = "yyyy-mm-dd"
TIME_FORMAT = "hh:mm"
LONG_TIME_FORMAT = "[hh]:mm"  # 24:00 and later do not fit a time of day
PERCENT_FORMAT = "0.0%"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
DAY_END = Border(bottom=Side(style="thin", color="7F7F7F"))  # under each field day
DONE_FILL = PatternFill("solid", fgColor="EDEDED")  # a re-plan's visits that happened
ZONE_FILLS = {"red": "F4C7C3", "yellow": "FCE8B2", "green": "B7E1CD"}

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def clock(seconds: int) -> dt.time | dt.timedelta:
    """Seconds after midnight as an Excel time value (a duration at or after 24:00)."""
    seconds = int(seconds)
    if seconds >= 86400:
        return dt.timedelta(seconds=seconds)
    return dt.time(seconds // 3600, seconds % 3600 // 60, seconds % 60)


def sheet_title(prefix: str, name: str, used: set[str]) -> str:
    """A valid, unique sheet title (<= 31 characters, none of []:*?/\\)."""
    base = _BAD_SHEET_CHARS.sub("_", f"{prefix} {name}".strip())[:31]
    title, n = base, 2
    while title.lower() in used:
        suffix = f" ({n})"
        title, n = base[:31 - len(suffix)] + suffix, n + 1
    used.add(title.lower())
    return title


def header_row(ws: Worksheet, row: int, names: list[str]) -> None:
    for col, name in enumerate(names, start=1):
        cell = ws.cell(row=row, column=col, value=name)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def set_formats(ws: Worksheet, formats: dict[int, str], first_row: int) -> None:
    for row in ws.iter_rows(min_row=first_row):
        for cell in row:
            fmt = formats.get(cell.column)
            if fmt is None:
                continue
            if fmt == TIME_FORMAT and isinstance(cell.value, dt.timedelta):
                cell.number_format = LONG_TIME_FORMAT
            elif cell.value is not None:
                cell.number_format = fmt


def fit_widths(ws: Worksheet, minimum: int = 8, maximum: int = 40) -> None:
    """Width from the longest shown value; dates/times have a known display width."""
    widths: dict[int, int] = {}
    for row in ws.iter_rows():
        for cell in row:
            v = cell.value
            if v is None:
                continue
            if isinstance(v, (dt.date, dt.time, dt.timedelta)):
                n = 10
            elif isinstance(v, float):
                n = len(f"{v:.2f}")
            else:
                n = max(len(part) for part in str(v).split("\n"))
            widths[cell.column] = max(widths.get(cell.column, 0), n)
    for col, n in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = max(minimum, min(maximum, n + 2))


def print_setup(ws: Worksheet, landscape: bool = True) -> None:
    """A4, one page wide, the header row repeated on every printed page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "1:1"


def finish_visit_table(ws: Worksheet, last_row: int, columns: int, lang: str) -> None:
    """What every visit table ends with: a note when it is empty, a frozen header row, a
    filter over the table, column widths and print setup."""
    if last_row == 1:
        ws.cell(row=2, column=1, value=label("no_visits", lang))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(columns)}{max(last_row, 2)}"
    fit_widths(ws)
    print_setup(ws)
