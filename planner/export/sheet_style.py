"""The look shared by the project's workbooks (schedule.xlsx, the province's summary.xlsx):
formats, fills, header rows, column widths, A4 print setup, valid sheet titles."""
from __future__ import annotations

import datetime as dt
import math
import re

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .labels import label

DATE_FORMAT = "yyyy-mm-dd"
TIME_FORMAT = "hh:mm"
LONG_TIME_FORMAT = "[hh]:mm"  # 24:00 and later do not fit a time of day
PERCENT_FORMAT = "0.0%"  # of a share rounded down to it (`shown_share`)
GAP_FORMAT = "0.00%"
COUNT_FORMAT = "#,##0"  # 25.976 / 25,976 as the spreadsheet's language writes thousands
HEADER_FONT = Font(name="Calibri", bold=True)  # named, or LibreOffice draws a serif
TABLE_HEADER_FONT = Font(name="Calibri", bold=True, size=9)  # a table header row: wraps
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


def shown_share(share: float | None) -> float | None:
    """A share (a coverage) rounded down to the 0.1 % that PERCENT_FORMAT shows, as
    `numbers.percent` writes it: 0.919759 is stored as 0.919 and reads 91.9 %, never the
    92.0 % of a zone's threshold that it has not reached."""
    if share is None:
        return None
    return math.floor(share * 1000 + 1e-9) / 1000


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
        cell.font = TABLE_HEADER_FONT
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


def fit_widths(ws: Worksheet, minimum: float = 5, maximum: float = 40,
               wrapped: dict[int, int] | None = None) -> None:
    """Width from the longest shown value: a date 11, a clock time 7; a header cell (of
    `header_row`, which wraps) by its longest word; a `wrapped` column (wrapping its text)
    at most its given width. Then each row as tall as its wrapped text needs."""
    widths: dict[int, int] = {}
    for row in ws.iter_rows():
        for cell in row:
            v = cell.value
            if v is None:
                continue
            if isinstance(v, (dt.datetime, dt.date)):
                n = 10.5
            elif isinstance(v, (dt.time, dt.timedelta)):
                n = 5.5
            elif isinstance(v, float):
                n = max(5.5, text_width(f"{v:.1f}"))
            elif _is_header(cell):  # 9-point bold: about 0.95 of a character of the body
                n = 0.95 * max((text_width(word) for word in str(v).split()), default=0)
            else:  # bold letters are wider
                n = max(text_width(part) for part in str(v).split("\n")) * _weight(cell)
            widths[cell.column] = max(widths.get(cell.column, 0), n)
    for col, n in widths.items():
        most = min(maximum, (wrapped or {}).get(col, maximum))
        ws.column_dimensions[get_column_letter(col)].width = round(
            max(minimum, min(most, n + 1.5)), 1)
    _fit_heights(ws)


def _fit_heights(ws: Worksheet) -> None:
    """Each row that holds wrapped text as tall as its lines need: a spreadsheet sizes a
    row by its font, not by the lines it wraps into (LibreOffice and Excel alike, on
    opening a file)."""
    for row in ws.iter_rows():
        height = 15.0
        for cell in row:
            if isinstance(cell.value, str) and cell.alignment is not None \
                    and cell.alignment.wrap_text:
                width = ws.column_dimensions[cell.column_letter].width or 8
                header = _is_header(cell)  # 9 points: narrower letters, lower lines
                lines = sum(_lines(part, width / (0.95 if header else _weight(cell)))
                            for part in cell.value.split("\n"))
                height = max(height, 12.0 * lines + 3 if header else 15.0 * lines)
        if height > 15:
            ws.row_dimensions[row[0].row].height = height


# letters' widths in Calibri (and Carlito, LibreOffice's stand-in), in hundredths of a digit's
_WIDTHS = {**dict.fromkeys("ijlI.,:;'!| ", 50), **dict.fromkeys("ftrJ()[]-", 65),
           **dict.fromkeys("csxyvzkFLSZ/", 85), **dict.fromkeys("ADGHNOQUV", 120),
           **dict.fromkeys("mwMW%@", 160)}


def text_width(text: str) -> float:
    """About how many character widths (a digit's, the unit of a column's width) `text`
    takes in the sheet's proportional font. Summed in whole hundredths: Python 3.12's sum()
    of floats rounds otherwise than 3.11's, which moved a width rounded to 0.1 (`Hanura`:
    7.4 or 7.3), so the workbook differed with the Python that wrote it."""
    return sum(_WIDTHS.get(c, 100) for c in text) / 100


def _weight(cell) -> float:
    return 1.08 if cell.font is not None and cell.font.b else 1.0


def _is_header(cell) -> bool:
    return cell.fill is not None and cell.fill.fgColor is not None and \
        str(cell.fill.fgColor.rgb).endswith(HEADER_FILL.fgColor.rgb[-6:])


def _lines(text: str, width: float) -> int:
    """How many lines `text` wraps into in a column `width` characters wide."""
    lines, used = 1, 0.0
    for word in text.split():
        if used and used + 0.5 + text_width(word) > width - 1.3:  # the cell's padding
            lines, used = lines + 1, text_width(word)
        else:
            used += (0.5 if used else 0) + text_width(word)
    return lines


def print_setup(ws: Worksheet, landscape: bool = True, title_rows: str = "1:1") -> None:
    """A4 with narrow margins, one page wide and as many tall as it takes, the header row
    (`title_rows`) repeated on every printed page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_margins.left = ws.page_margins.right = 0.3
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.25
    ws.print_title_rows = title_rows


PAGE_WORDS = {"id": {"page": "Halaman &P dari &N", "times": "Jam dalam {zone}"},
              "en": {"page": "Page &P of &N", "times": "Times in {zone}"}}


def page_marks(ws: Worksheet, heading: str, lang: str, zone: str | None = None) -> None:
    """A printed page's header and footer: `heading` (the scenario) on the left, the sheet's
    name in the middle (a unit's or a kecamatan's pages told apart), the time zone on the
    right; the page number and count in the footer."""
    words = PAGE_WORDS[lang]
    for header, footer in ((ws.oddHeader, ws.oddFooter), (ws.evenHeader, ws.evenFooter)):
        header.left.text = heading.replace("&", "&&")[:80]
        header.center.text = "&A"
        header.center.font = "-,Bold"
        if zone:
            header.right.text = words["times"].format(zone=zone)
        footer.center.text = words["page"]


def finish_visit_table(ws: Worksheet, last_row: int, columns: int, lang: str,
                       heading: str = "", zone: str | None = None,
                       wrapped: dict[int, int] | None = None) -> None:
    """What every visit table ends with: a note when it is empty, a frozen header row, a
    filter over the table, column widths, print setup and the printed page's marks."""
    if last_row == 1:
        ws.cell(row=2, column=1, value=label("no_visits", lang))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(columns)}{max(last_row, 2)}"
    fit_widths(ws, wrapped=wrapped)
    print_setup(ws)
    page_marks(ws, heading, lang, zone)
