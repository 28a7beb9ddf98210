"""`schedule.xlsx`: a summary sheet, one sheet per unit, one per district, the villages left,
the schedule changes and the solver's sheet (the first and the last two in `workbook_summary`).

A unit's sheet has a row per visit and one per trip day that only moves the team; each day
says where it starts and, on its last row, the travel back and, on a trip, the lodging where
the team sleeps that night, so that its travel adds up to days.csv's. A re-plan's unit sheets
first list the visits that happened (grey), so that the workbook, corrected by the teams, is
the next re-plan's actuals file (`planner.actuals_workbook`) and, edited, a `--from-plan`
plan (`planner.hand_tables`): both read a unit sheet's columns by their headings, a clock
time's without the time zone it is headed with (`bare_heading`).

Dates and clock times are real Excel values (sortable, filterable), not text; headers are
frozen and wrap, columns are sized so the sheet reads without resizing and prints legibly on
A4, each printed page headed with the scenario, the sheet's name and the time zone, and
numbered.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..changes import announced_visits
from ..plan import Plan
from . import labels
from .crossings import crossing_texts, place_name, route_ends, timed_ways
from .labels import check_lang, label, long_date, weekday_name, zone_abbreviation
from .sheet_style import (DATE_FORMAT, DAY_END, DONE_FILL, TIME_FORMAT, clock,
                          finish_visit_table, header_row, set_formats, sheet_title)
from .workbook_summary import left_out_sheet, solver_sheet, summary_sheet

UNIT_COLUMNS = ["date", "day", "day_type", "depart", "from", "seq", "village_id", "village",
                "district", "crossing", "arrive", "start", "end", "recorded", "counts_on",
                "travel_min", "travel_back_min", "return", "night_at", "note", "planned_recorded",
                "planned_start"]
# the last two columns, hidden: the plan's own number and start, which tell the actuals
# reader whether a team corrected a row (`planner.actuals_workbook`) and `--from-plan` an hour
# set by hand (`planner.hand_tables`)
UNIT_FORMATS = {"date": DATE_FORMAT, "depart": TIME_FORMAT, "arrive": TIME_FORMAT,
                "start": TIME_FORMAT, "end": TIME_FORMAT, "counts_on": DATE_FORMAT,
                "travel_min": "0.0", "travel_back_min": "0.0", "return": TIME_FORMAT,
                "planned_start": TIME_FORMAT}
TIMED = ("depart", "arrive", "start", "end", "return")  # headed with the time zone
# the widest a column that wraps its text is drawn (characters), for a legible A4 page
UNIT_WRAPPED = {"from": 17, "village": 15, "district": 13, "crossing": 18, "night_at": 12,
                "note": 17}
WORDS = {"id": {"travel_back_min": "Perjalanan kembali (menit)"},
         "en": {"travel_back_min": "Travel back (min)"}}
_ZONE_SUFFIX = re.compile(r"\s+\([^()]+\)$")


def heading(name: str, lang: str, zone: str | None = None) -> str:
    """A column's heading: its label, a clock time's with the time zone (`Mulai (WIB)`)."""
    text = WORDS[lang].get(name) or label(name, lang)
    return f"{text} ({zone})" if zone and name in TIMED else text


def bare_heading(cell) -> str:
    """A heading as the readers look it up: a clock time's without its time zone (`Mulai
    (WITA)` -> `Mulai`), other headings as they are (`Perjalanan (menit)`)."""
    text = "" if cell is None else str(cell).strip()
    bare = _ZONE_SUFFIX.sub("", text)
    return bare if any(bare == label(n, lang) for n in TIMED for lang in labels.LANGS) else text


def _visits(plan: Plan):
    """(route, seq, stop) in the order of visits.csv."""
    for route in sorted(plan.routes, key=lambda r: (r.date, r.unit)):
        for seq, stop in enumerate(route.stops, start=1):
            yield route, seq, stop


def _zone(plan: Plan) -> str:
    return zone_abbreviation(plan.scenario.calendar.timezone)


def _day_rows(plan: Plan, route, lang: str) -> list[dict]:
    """A unit's field day as rows of the unit sheet (keys of UNIT_COLUMNS): one per visit, or
    one for a day that only moves the team; where the day starts on its first row, the
    way back (its travel, the return) and, on a trip, the lodging of the night on its last."""
    sc = plan.scenario
    ways = timed_ways(plan, route)
    start, end = route_ends(plan, route)
    away = plan.away_at_night(route)
    day = {"date": route.date, "day": weekday_name(route.date, lang),
           "day_type": label(route.day_type, lang)}
    rows = []
    for seq, stop in enumerate(route.stops, start=1):
        v = sc.village(stop.village_id)
        last = seq == len(route.stops)
        rows.append({**day, "seq": seq, "village_id": v.id, "village": v.label,
                     "district": v.district or "",
                     "crossing": crossing_texts(plan, ways[seq - 1], ways[-1] if last else [],
                                                lang, to_lodging=away),
                     "arrive": clock(stop.arrive), "start": clock(stop.start),
                     "end": clock(stop.end), "recorded": stop.recorded,
                     "planned_recorded": stop.recorded, "planned_start": clock(stop.start),
                     "counts_on": plan.counts_on(route, stop),
                     "travel_min": round(stop.travel_s / 60, 2)})
    if rows:  # the way home or to the lodging, after the last visit
        # the day's travel (days.csv's, as rounded there) less its visits' shown travel
        rows[-1]["travel_back_min"] = round(round(route.travel_s / 60, 2)
                                            - sum(row["travel_min"] for row in rows), 2)
    else:  # a trip day without visits: the team only moves
        rows.append({**day, "village": label("travel_day", lang),
                     "crossing": crossing_texts(plan, [], ways[-1], lang, to_lodging=away),
                     "travel_min": round(route.travel_s / 60, 2)})
    rows[0].update({"depart": clock(route.depart), "from": place_name(sc, start)})
    rows[-1]["return"] = clock(route.return_)
    if away:
        rows[-1]["night_at"] = place_name(sc, end)
    for row in rows:
        row["crossing"] = "\n".join(row["crossing"]) or None
    return rows


def _done_rows(plan: Plan, unit_id: str, lang: str) -> list[dict]:
    """A re-plan's visits of the unit that happened (summary.json `actuals.done`) as unit
    sheet rows, so that the workbook holds the campaign so far and, corrected again, is the
    next re-plan's actuals file."""
    sc = plan.scenario
    rows = []
    for visit in (plan.report.get("actuals") or {}).get("done") or []:
        village = sc.village_index.get(visit["village_id"])
        if visit["unit"] != unit_id or village is None:
            continue
        day = dt.date.fromisoformat(visit["date"])
        rows.append({"date": day, "day": weekday_name(day, lang), "village_id": village.id,
                     "village": village.label, "district": village.district or "",
                     "recorded": visit["recorded"],
                     "counts_on": dt.date.fromisoformat(visit["counts_on"]),
                     "note": label("actual_visit", lang)})
    return rows


def _wrap(ws: Worksheet, columns: list[str], names) -> None:
    """Every cell below the header at the top of its row (a row grows with wrapped text),
    the cells of the columns `names` wrapping their text."""
    top, wrap = Alignment(vertical="top"), Alignment(wrap_text=True, vertical="top")
    wrapped = {columns.index(name) + 1 for name in names}
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap if cell.column in wrapped else top


def _unit_sheet(ws: Worksheet, plan: Plan, unit_id: str, lang: str) -> None:
    """Every field day of the unit, in order: its visits, a day that only moves the team,
    where each day starts and, on a trip, where the team sleeps; in a re-plan's workbook,
    first the visits that happened (grey)."""
    header_row(ws, 1, [heading(name, lang, _zone(plan)) for name in UNIT_COLUMNS])
    row = 1
    for values in _done_rows(plan, unit_id, lang):  # a re-plan's: the campaign so far
        row += 1
        for col, name in enumerate(UNIT_COLUMNS, start=1):
            ws.cell(row=row, column=col, value=values.get(name)).fill = DONE_FILL
    for route in plan.routes_by_unit.get(unit_id, []):
        if not plan.is_field_day(route):
            continue
        day_rows = _day_rows(plan, route, lang)
        for i, values in enumerate(day_rows):
            row += 1
            for col, name in enumerate(UNIT_COLUMNS, start=1):
                cell = ws.cell(row=row, column=col, value=values.get(name))
                if i == len(day_rows) - 1:
                    cell.border = DAY_END
    set_formats(ws, {UNIT_COLUMNS.index(name) + 1: fmt for name, fmt in UNIT_FORMATS.items()},
                 2)
    _wrap(ws, UNIT_COLUMNS, UNIT_WRAPPED)
    finish_visit_table(ws, last_row=row, columns=len(UNIT_COLUMNS), lang=lang,
                       heading=plan.scenario.name or "", zone=_zone(plan),
                       wrapped={UNIT_COLUMNS.index(n) + 1: w for n, w in UNIT_WRAPPED.items()})
    hidden = ["planned_recorded", "planned_start"]
    crossing = get_column_letter(UNIT_COLUMNS.index("crossing") + 1)
    if all(cell.value is None for cell in ws[crossing][1:]):
        hidden.append("crossing")  # a unit without boats: its page keeps the width
    for name in hidden:
        ws.column_dimensions[get_column_letter(UNIT_COLUMNS.index(name) + 1)].hidden = True


DISTRICT_COLUMNS = ["date", "day", "village_id", "village", "unit", "arrive", "start", "end",
                    "recorded", "counts_on", "offline"]


def _district_sheet(ws: Worksheet, plan: Plan, district: str, lang: str) -> None:
    header_row(ws, 1, [heading(name, lang, _zone(plan)) for name in DISTRICT_COLUMNS])
    row = 1
    for route, _seq, stop in _visits(plan):
        v = plan.scenario.village(stop.village_id)
        if (v.district or "") != district:
            continue
        row += 1
        values = [route.date, weekday_name(route.date, lang), v.id, v.label, route.unit,
                  clock(stop.arrive), clock(stop.start), clock(stop.end), stop.recorded,
                  plan.counts_on(route, stop), label("no" if v.signal else "yes", lang)]
        for col, value in enumerate(values, start=1):
            ws.cell(row=row, column=col, value=value)
    set_formats(ws, {1: DATE_FORMAT, 6: TIME_FORMAT, 7: TIME_FORMAT, 8: TIME_FORMAT,
                      10: DATE_FORMAT}, 2)
    _wrap(ws, DISTRICT_COLUMNS, ["village"])
    finish_visit_table(ws, last_row=row, columns=len(DISTRICT_COLUMNS), lang=lang,
                       heading=plan.scenario.name or "", zone=_zone(plan), wrapped={4: 20})


def _schedule_text(text: str, lang: str) -> str:
    """changes.csv's `2018-07-02 11:50-15:45; ...` as the workbook's texts write a visit,
    one a line: `Senin, 2 Juli 2018 11.50–15.45` / `Monday, 2 July 2018 11:50–15:45`."""
    return "\n".join(f"{long_date(day, lang)} {labels.clock(start, lang)}–"
                     f"{labels.clock(end, lang)}" for day, start, end in announced_visits(text))


def _changes_sheet(ws: Worksheet, plan: Plan, rows: list[dict], lang: str) -> None:
    """The villages whose announced visits this plan changes against the earlier plan in the
    folder (summary.json `changes`, changes.csv), to tell them; the hours in the scenario's
    time zone, as its heading says."""
    L = lambda k: label(k, lang)  # noqa: E731
    zone = _zone(plan)
    names = [L("district"), L("village_id"), L("village"), L("change"),
             f"{L('earlier_schedule')} ({zone})", f"{L('new_schedule')} ({zone})"]
    header_row(ws, 1, names)
    for row, r in enumerate(rows, start=2):
        values = [r["district"], r["village_id"], r["village"], L(f"change_{r['change']}"),
                  _schedule_text(r["earlier"], lang), _schedule_text(r["now"], lang)]
        for col, value in enumerate(values, start=1):
            ws.cell(row=row, column=col, value=value).alignment = Alignment(
                wrap_text=True, vertical="top")
    finish_visit_table(ws, last_row=1 + len(rows), columns=len(names), lang=lang,
                       heading=plan.scenario.name or "", zone=zone,
                       wrapped={1: 16, 3: 18, 5: 40, 6: 40})


def unit_sheet_titles(unit_ids: list[str], lang: str, used: set[str] | None = None
                      ) -> dict[str, str]:
    """Each unit's sheet title, as `build` names them (after the summary sheet's); the
    actuals reader finds a returned workbook's units by them."""
    used = set() if used is None else used
    sheet_title("", label("summary", lang), used)
    return {unit: sheet_title(label("unit", lang), unit, used) for unit in unit_ids}


def build(plan: Plan, lang: str = "id") -> Workbook:
    check_lang(lang)
    wb = Workbook()
    used: set[str] = set()  # the summary's title and the units', then the other sheets'
    titles = unit_sheet_titles([u.id for u in plan.scenario.units], lang, used)
    ws = wb.active
    ws.title = sheet_title("", label("summary", lang), set())  # as `used` reserved it
    for unit in plan.scenario.units:
        _unit_sheet(wb.create_sheet(titles[unit.id]), plan, unit.id, lang)
    districts = sorted({v.district or "" for v in plan.scenario.villages})
    for district in districts:
        _district_sheet(wb.create_sheet(sheet_title(label("district_sheet", lang),
                                                    district or "–", used)),
                        plan, district, lang)
    left = None
    if plan.summary(lang)["left_out"]:
        left = wb.create_sheet(sheet_title("", label("left_out", lang), used))
        left_out_sheet(left, plan, lang)
    summary_sheet(ws, plan, lang, left.title if left is not None else None)
    changed = (plan.report.get("changes") or {}).get("villages")
    if changed:
        _changes_sheet(wb.create_sheet(sheet_title("", label("changes_sheet", lang), used)),
                       plan, changed, lang)
    solver_sheet(wb.create_sheet(sheet_title("", label("solver_sheet", lang), used)), plan,
                 lang)
    return as_text(wb)


def as_text(wb: Workbook) -> Workbook:
    """Every cell that openpyxl took for a formula (text starting with `=`, such as a
    village named `=SUM(A1)`) kept as the text it is: the workbooks hold no formulas, and a
    name must never be evaluated by the spreadsheet that opens it."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    return wb


def write(plan: Plan, out_dir: Path, lang: str = "id") -> None:
    build(plan, lang).save(Path(out_dir) / "schedule.xlsx")
