"""`schedule.xlsx`: a summary sheet, one sheet per unit, one per district, and the solver's sheet.

A unit's sheet has a row per visit and one per trip day that only moves the team; each day
says where it starts and, on a trip, the lodging where the team sleeps that night. A
re-plan's unit sheets first list the visits that happened (grey), so that the workbook,
corrected by the teams, is the next re-plan's actuals file (`planner.actuals_workbook`).

The summary sheet holds what a planner reports (visits, counted recordings, coverage, zone,
the day the goal is reached); the solver's own figures (bound, gap, method, status, seconds)
are on a sheet of their own at the end.

Dates and clock times are real Excel values (sortable, filterable), not text; headers are
frozen and columns sized so the sheet reads without resizing.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..causes import what_limits
from ..plan import Plan
from .crossings import crossing_texts, place_name, route_ends, timed_ways
from .goal import plan_goal_sentence
from .labels import check_lang, label, weekday_name, zone_label
from .sheet_style import (DATE_FORMAT, DAY_END, DONE_FILL, HEADER_FONT, PERCENT_FORMAT,
                          TIME_FORMAT, ZONE_FILLS, clock, finish_visit_table, fit_widths,
                          header_row, print_setup, set_formats, sheet_title)

def _coverage_row(ws, row, label, backlog, counted, before, after, zone, lang) -> None:
    """One line of the coverage table: label, backlog, counted, coverage before/after, zone."""
    ws.cell(row=row, column=1, value=label)
    ws.cell(row=row, column=2, value=backlog)
    ws.cell(row=row, column=3, value=counted)
    for col, share in ((4, before), (5, after)):
        cell = ws.cell(row=row, column=col, value=share)
        if share is not None:
            cell.number_format = PERCENT_FORMAT
    _zone_cell(ws, row, 6, zone, lang)

def _zone_cell(ws: Worksheet, row: int, col: int, zone: str | None, lang: str) -> None:
    cell = ws.cell(row=row, column=col, value=zone_label(zone, lang) if zone else None)
    if zone in ZONE_FILLS:
        cell.fill = PatternFill("solid", fgColor=ZONE_FILLS[zone])


def _visits(plan: Plan):
    """(route, seq, stop) in the order of visits.csv."""
    for route in sorted(plan.routes, key=lambda r: (r.date, r.unit)):
        for seq, stop in enumerate(route.stops, start=1):
            yield route, seq, stop


def _facts(ws: Worksheet, facts: list[tuple[str, object, str | None]], first: int = 2) -> None:
    """Name / value rows from row `first` on; values keep their number format."""
    for i, (name, value, fmt) in enumerate(facts, start=first):
        ws.cell(row=i, column=1, value=name).font = HEADER_FONT
        cell = ws.cell(row=i, column=2, value=value)
        if fmt and value is not None:
            cell.number_format = fmt


def _summary_sheet(ws: Worksheet, plan: Plan, lang: str) -> None:
    s = plan.summary(lang)
    L = lambda k: label(k, lang)  # noqa: E731
    goal_on = plan.goal_reached_on
    goal_value = goal_on if goal_on is not None else (
        L("goal_not_reached_short") if plan.scenario.targets.goal is not None else None)
    facts = [
        (L("scenario"), s["scenario"], None),
        (L("deadline"), plan.scenario.calendar.deadline, DATE_FORMAT),
        (L("visits"), s["visits"], None),
        (L("recorded"), int(sum(st.recorded for _, _, st in _visits(plan))), None),
        (L("counted_recordings"), s["counted_recordings"], None),
        (L("objective"), s["objective"], None),
        (L("coverage_before"), s["coverage_before"], PERCENT_FORMAT),
        (L("coverage_after"), s["coverage_after"], PERCENT_FORMAT),
        (L("zone"), zone_label(s["zone_after"], lang) if s["zone_after"] else None, None),
        (L("goal_reached_on"), goal_value, DATE_FORMAT),
        (L("overtime_unit_days"), s["overtime_unit_days"], None),
        (L("nights"), s["nights"], None),
        (L("travel_total_min"), s["travel_min"], "0.0"),
    ]
    header_row(ws, 1, [L("summary"), ""])
    opening = what_limits(s, lang)  # what limits this plan, first
    for i, text in enumerate(opening, start=2):
        ws.cell(row=i, column=1, value=text)
    first = 3 + len(opening) if opening else 2
    _facts(ws, facts, first)
    zone_row = first + [f[0] for f in facts].index(L("zone"))
    if s["zone_after"] in ZONE_FILLS:
        ws.cell(row=zone_row, column=2).fill = PatternFill("solid",
                                                           fgColor=ZONE_FILLS[s["zone_after"]])
    sentence = plan_goal_sentence(plan, lang)
    if sentence:
        ws.cell(row=len(facts) + first, column=1, value=sentence)

    top = len(facts) + first + 2
    header_row(ws, top, [L("district"), L("backlog"), L("counted"), L("coverage_before"),
                      L("coverage_after"), L("zone")])
    row = top
    for name, d in s["districts"].items():
        row += 1
        _coverage_row(ws, row, name or "–", d["backlog"], d["counted"], d["coverage_before"],
                      d["coverage"], d["zone"], lang)
    row += 1
    _coverage_row(ws, row, L("total"), sum(d["backlog"] for d in s["districts"].values()),
                  sum(d["counted"] for d in s["districts"].values()), s["coverage_before"],
                  s["coverage_after"], s["zone_after"], lang)
    ws.cell(row=row, column=1).font = HEADER_FONT

    if s["left_out"]:
        row += 2
        header_row(ws, row, [L("left_out"), L("district"), L("backlog"), L("reason")])
        for item in s["left_out"]:
            row += 1
            ws.cell(row=row, column=1, value=item["village"])
            ws.cell(row=row, column=2, value=item["district"] or "–")
            ws.cell(row=row, column=3, value=item["backlog_left"])
            ws.cell(row=row, column=4, value=item["reason"])
    ws.freeze_panes = "A2"
    fit_widths(ws, maximum=48)
    print_setup(ws, landscape=False)


def _solver_sheet(ws: Worksheet, plan: Plan, lang: str) -> None:
    """The solver's figures: how good the plan is known to be, and how it was found."""
    s = plan.summary(lang)
    L = lambda k: label(k, lang)  # noqa: E731
    solver = s["solver"]
    facts = [
        (L("objective"), s["objective"], None),
        (L("upper_bound"), s["upper_bound"], None),
        (L("gap"), s["gap"], PERCENT_FORMAT),
        (L("status"), solver.get("status"), None),
        (L("solver"), solver.get("method"), None),
        (L("seconds"), solver.get("seconds"), "0.0"),
        (L("seed"), solver.get("seed"), None),
    ]
    header_row(ws, 1, [L("solver_sheet"), ""])
    _facts(ws, facts)
    for row in ws.iter_rows(min_row=2, min_col=2, max_col=2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    fit_widths(ws, maximum=80)
    print_setup(ws, landscape=False)


UNIT_COLUMNS = ["date", "day", "day_type", "depart", "from", "seq", "village_id", "village",
                "district", "crossing", "arrive", "start", "end", "recorded", "counts_on",
                "travel_min", "return", "night_at", "note", "planned_recorded", "planned_start"]
# the last two columns, hidden: the plan's own number and start, which tell the actuals
# reader whether a team corrected a row (`planner.actuals_workbook`) and `--from-plan` an hour
# set by hand (`planner.hand_tables`)
UNIT_FORMATS = {"date": DATE_FORMAT, "depart": TIME_FORMAT, "arrive": TIME_FORMAT,
                "start": TIME_FORMAT, "end": TIME_FORMAT, "counts_on": DATE_FORMAT,
                "travel_min": "0.0", "return": TIME_FORMAT, "planned_start": TIME_FORMAT}


def _day_rows(plan: Plan, route, lang: str) -> list[dict]:
    """A unit's field day as rows of the unit sheet (keys of UNIT_COLUMNS): one per visit, or
    one for a day that only moves the team; where the day starts on its first row, the
    return and, on a trip, the lodging of the night on its last."""
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
    if not rows:  # a trip day without visits: the team only moves
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


def _unit_sheet(ws: Worksheet, plan: Plan, unit_id: str, lang: str) -> None:
    """Every field day of the unit, in order: its visits, a day that only moves the team,
    where each day starts and, on a trip, where the team sleeps; in a re-plan's workbook,
    first the visits that happened (grey)."""
    header_row(ws, 1, [label(name, lang) for name in UNIT_COLUMNS])
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
    crossing = get_column_letter(UNIT_COLUMNS.index("crossing") + 1)
    for cell in ws[crossing][1:]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    finish_visit_table(ws, last_row=row, columns=len(UNIT_COLUMNS), lang=lang)
    for hidden in ("planned_recorded", "planned_start"):
        ws.column_dimensions[get_column_letter(UNIT_COLUMNS.index(hidden) + 1)].hidden = True


def _district_sheet(ws: Worksheet, plan: Plan, district: str, lang: str) -> None:
    L = lambda k: label(k, lang)  # noqa: E731
    names = [L("date"), L("day"), L("village_id"), L("village"), L("unit"), L("arrive"),
             L("start"), L("end"), L("recorded"), L("counts_on"), L("offline")]
    header_row(ws, 1, names)
    row = 1
    for route, _seq, stop in _visits(plan):
        v = plan.scenario.village(stop.village_id)
        if (v.district or "") != district:
            continue
        row += 1
        values = [route.date, weekday_name(route.date, lang), v.id, v.label, route.unit,
                  clock(stop.arrive), clock(stop.start), clock(stop.end), stop.recorded,
                  plan.counts_on(route, stop), L("no") if v.signal else L("yes")]
        for col, value in enumerate(values, start=1):
            ws.cell(row=row, column=col, value=value)
    set_formats(ws, {1: DATE_FORMAT, 6: TIME_FORMAT, 7: TIME_FORMAT, 8: TIME_FORMAT,
                      10: DATE_FORMAT}, 2)
    finish_visit_table(ws, last_row=row, columns=len(names), lang=lang)


def _changes_sheet(ws: Worksheet, rows: list[dict], lang: str) -> None:
    """The villages whose announced visits this plan changes against the earlier plan in the
    folder (summary.json `changes`, changes.csv), to tell them."""
    L = lambda k: label(k, lang)  # noqa: E731
    names = [L("district"), L("village_id"), L("village"), L("change"), L("earlier_schedule"),
             L("new_schedule")]
    header_row(ws, 1, names)
    for row, r in enumerate(rows, start=2):
        values = [r["district"], r["village_id"], r["village"], L(f"change_{r['change']}"),
                  r["earlier"], r["now"]]
        for col, value in enumerate(values, start=1):
            ws.cell(row=row, column=col, value=value)
    finish_visit_table(ws, last_row=1 + len(rows), columns=len(names), lang=lang)


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
    _summary_sheet(ws, plan, lang)
    for unit in plan.scenario.units:
        _unit_sheet(wb.create_sheet(titles[unit.id]), plan, unit.id, lang)
    districts = sorted({v.district or "" for v in plan.scenario.villages})
    for district in districts:
        _district_sheet(wb.create_sheet(sheet_title(label("district_sheet", lang),
                                                    district or "–", used)),
                        plan, district, lang)
    changed = (plan.report.get("changes") or {}).get("villages")
    if changed:
        _changes_sheet(wb.create_sheet(sheet_title("", label("changes_sheet", lang), used)),
                       changed, lang)
    _solver_sheet(wb.create_sheet(sheet_title("", label("solver_sheet", lang), used)), plan, lang)
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
