"""`schedule.xlsx`'s summary sheet, its sheet of the villages left and the solver's sheet.

The summary holds what a planner reports. In a re-plan (`--actuals`) every figure says which
base it is on: the visits that happened before today (`Realisasi` / `Actual`), the new plan
from today (`rencana baru` / `new plan`) or both (the campaign); the coverage it starts from
is today's, named with its date; the kecamatan table, whose counted column holds the actual
recordings as well (DESIGN §4), has the actual recordings in a column of their own, as the
terminal shows them. The villages with backlog left are on a sheet of their own, whose header
repeats on every printed page.
"""
from __future__ import annotations

import datetime as dt

from openpyxl.styles import Alignment, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from ..causes import number, what_limits
from ..plan import Plan
from .chance import chance_text
from .goal import plan_goal_sentence
from .labels import day_month, label, zone_label
from .sheet_style import (COUNT_FORMAT, DATE_FORMAT, GAP_FORMAT, HEADER_FONT, PERCENT_FORMAT,
                          ZONE_FILLS, fit_widths, header_row, page_marks, print_setup,
                          shown_share)
from .terminal import actual_by_district

WORDS = {
    "id": {"today": "Hari ini (awal rencana baru)", "new_plan": "Rencana baru: {what}",
           "actual": "Realisasi sebelum hari ini: {what}",
           "counted_actual": "terhitung sampai batas waktu",
           "campaign_counted": "Perekaman terhitung (realisasi + rencana baru)",
           "coverage_today": "Cakupan hari ini ({date})",
           "backlog_campaign": "Belum terekam (sebelum realisasi)",
           "counted_campaign": "Terhitung (realisasi + rencana baru)",
           "left_out_count": "Desa yang masih tersisa (daftar di lembar tersendiri)",
           "seed": "Seed (benih acak)",
           "goal_chance": "Peluang sasaran tercapai sampai batas waktu ({runs} simulasi)",
           "OPTIMAL": "optimal (terbukti)", "FEASIBLE": "layak (belum terbukti optimal)",
           "INTERRUPTED": "dihentikan (rencana terbaik sejauh ini)",
           "KEPT": "dipertahankan dari rencana sebelumnya", "FAILED": "gagal",
           "INVALID": "masukan tidak sah"},
    "en": {"today": "Today (first day of the new plan)", "new_plan": "New plan: {what}",
           "actual": "Actual before today: {what}", "counted_actual": "counted by the deadline",
           "campaign_counted": "Counted recordings (actual + new plan)",
           "coverage_today": "Coverage today ({date})",
           "backlog_campaign": "Backlog (before the actual visits)",
           "counted_campaign": "Counted (actual + new plan)",
           "left_out_count": "Villages with backlog left (listed on a sheet of their own)",
           "seed": "Random seed",
           "goal_chance": "Chance of the goal by the deadline ({runs} simulated runs)",
           "OPTIMAL": "optimal (proven)", "FEASIBLE": "feasible (not proven optimal)",
           "INTERRUPTED": "interrupted (best plan so far)", "KEPT": "kept from the earlier plan",
           "FAILED": "failed", "INVALID": "invalid input"},
}
# the solver's method (`planner.solve`), phrase by phrase, in Bahasa Indonesia; a phrase not
# listed stays as the solver wrote it
METHOD_ID = {
    "day-by-day value insertion": "penyisipan desa hari demi hari menurut nilainya",
    "LNS": "pencarian lingkungan besar (LNS)",
    "CP-SAT route-pool master": "pemilihan rute terbaik dari kumpulan rute (CP-SAT)",
    "LP bound with travel (GLOP)": "batas atas dari program linear dengan waktu perjalanan "
                                   "(GLOP)",
    "Lagrangian refinement with exact day routes": "penajaman batas atas cara Lagrange "
                                                   "dengan rute harian yang tepat",
    "day-route engine (PyVRP)": "mesin rute harian (PyVRP)",
    "trip engine (whole tours)": "mesin perjalanan bermalam (seluruh tur)",
    "first construction": "susunan awal",
    "greedy": "heuristik serakah (greedy)",
    "from-plan": "rencana yang disunting perencana (--from-plan)",
}
FALLBACK = ("greedy fallback (optimiser plan failed the check: ",
            "cadangan heuristik serakah (rencana pengoptimal tidak lolos pemeriksaan: ")


def method_text(method: str | None, lang: str) -> str | None:
    """The solver's method in `lang`: in Indonesian, phrase by phrase."""
    if not method or lang != "id":
        return method
    if method.startswith(FALLBACK[0]):  # the checker's words follow: kept as they are
        return FALLBACK[1] + method[len(FALLBACK[0]):]
    return "; ".join(", ".join(" + ".join(METHOD_ID.get(p, p) for p in phrase.split(" + "))
                               for phrase in clause.split(", "))
                     for clause in method.split("; "))


def status_text(status: str | None, lang: str) -> str | None:
    return WORDS[lang].get(status, status) if status else status


def _facts(ws: Worksheet, facts: list[tuple[str, object, str | None]], first: int = 2) -> None:
    """Name / value rows from row `first` on; values keep their number format."""
    for i, (name, value, fmt) in enumerate(facts, start=first):
        ws.cell(row=i, column=1, value=name).font = HEADER_FONT
        ws.cell(row=i, column=1).alignment = Alignment(wrap_text=True, vertical="top")
        cell = ws.cell(row=i, column=2, value=value)
        cell.alignment = Alignment(vertical="top")
        if fmt is None and isinstance(value, int) and not isinstance(value, bool):
            fmt = COUNT_FORMAT
        if fmt and value is not None:
            cell.number_format = fmt


def _zone_cell(ws: Worksheet, row: int, col: int, zone: str | None, lang: str) -> None:
    cell = ws.cell(row=row, column=col, value=zone_label(zone, lang) if zone else None)
    if zone in ZONE_FILLS:
        cell.fill = PatternFill("solid", fgColor=ZONE_FILLS[zone])


def _share(ws: Worksheet, row: int, col: int, share: float | None) -> None:
    cell = ws.cell(row=row, column=col, value=shown_share(share))
    if share is not None:
        cell.number_format = PERCENT_FORMAT


def summary_facts(plan: Plan, lang: str, left_sheet: str | None) -> list[tuple]:
    """The summary's (name, value, number format) rows; in a re-plan each on its base."""
    s = plan.summary(lang)
    L = lambda k: label(k, lang)  # noqa: E731
    W = WORDS[lang]
    actuals = s.get("actuals")
    new = (lambda what: W["new_plan"].format(what=what[0].lower() + what[1:])) if actuals \
        else (lambda what: what)
    goal_on = plan.goal_reached_on
    goal_value = goal_on if goal_on is not None else (
        L("goal_not_reached_short") if plan.scenario.targets.goal is not None else None)
    facts = [(L("scenario"), s["scenario"], None),
             (L("deadline"), plan.scenario.calendar.deadline, DATE_FORMAT)]
    before = (L("coverage_before"), shown_share(s["coverage_before"]), PERCENT_FORMAT)
    if actuals:
        today = dt.date.fromisoformat(str(actuals["today"]))
        done = [(W["actual"].format(what=what), actuals[key], None) for what, key in (
            (L("visits").lower(), "visits"), (L("recorded").lower(), "recorded"),
            (W["counted_actual"], "counted"))]
        facts += [(W["today"], today, DATE_FORMAT), *done]
        before = (W["coverage_today"].format(date=day_month(today, lang)),
                  shown_share(s["coverage_before"]), PERCENT_FORMAT)
    facts += [
        (new(L("visits")), s["visits"], None),
        (new(L("recorded")), int(sum(st.recorded for r in plan.routes for st in r.stops)), None),
        (new(L("counted_recordings")), s["counted_recordings"], None)]
    if actuals:
        facts.append((W["campaign_counted"],
                      sum(d["counted"] for d in s["districts"].values()), None))
    facts += [
        (new(L("objective")), s["objective"], None), before,
        (L("coverage_after"), shown_share(s["coverage_after"]), PERCENT_FORMAT),
        (L("zone"), zone_label(s["zone_after"], lang) if s["zone_after"] else None, None),
        (L("goal_reached_on"), goal_value, DATE_FORMAT),
        *_goal_chance(plan, lang),
        (new(L("overtime_unit_days")), s["overtime_unit_days"], None),
        (new(L("nights")), s["nights"], None),
        (new(L("travel_total_min")), s["travel_min"], "0.0"),
    ]
    if left_sheet:
        facts.append((W["left_out_count"], len(s["left_out"]), None))
    return facts


def _goal_chance(plan: Plan, lang: str) -> list[tuple]:
    """With `--simulate`, the chance of the goal beside the day the plan reaches it: a printed
    summary saying only "reached on 29 September" reads as a certainty. As text, like the
    terminal (`99,7 %`; `100 %` only when every run reached it)."""
    sim = plan.report.get("simulation") or {}
    if sim.get("goal_probability") is None:
        return []
    return [(WORDS[lang]["goal_chance"].format(runs=number(sim["runs"], lang)),
             chance_text(sim["goal_probability"], lang), None)]


def summary_sheet(ws: Worksheet, plan: Plan, lang: str, left_sheet: str | None) -> None:
    """The plan in a planner's figures, then the table per kecamatan (`left_sheet`: the
    title of the sheet of the villages left, where the plan leaves some)."""
    s = plan.summary(lang)
    L = lambda k: label(k, lang)  # noqa: E731
    facts = summary_facts(plan, lang, left_sheet)
    header_row(ws, 1, [L("summary"), ""])
    wrap = Alignment(wrap_text=True, vertical="top")
    opening = what_limits(s, lang)  # what limits this plan, first
    for i, text in enumerate(opening, start=2):
        ws.cell(row=i, column=1, value=text).alignment = wrap
    first = 3 + len(opening) if opening else 2
    _facts(ws, facts, first)
    zone_row = first + [f[0] for f in facts].index(L("zone"))
    if s["zone_after"] in ZONE_FILLS:
        ws.cell(row=zone_row, column=2).fill = PatternFill("solid",
                                                           fgColor=ZONE_FILLS[s["zone_after"]])
    sentence = plan_goal_sentence(plan, lang)
    if sentence:
        ws.cell(row=len(facts) + first, column=1, value=sentence).alignment = wrap
    _district_table(ws, plan, len(facts) + first + 2, lang)
    ws.freeze_panes = "A2"
    fit_widths(ws, maximum=44)
    print_setup(ws, landscape=False)
    page_marks(ws, s["scenario"] or "", lang)


def _district_table(ws: Worksheet, plan: Plan, top: int, lang: str) -> None:
    """Per kecamatan and in all: backlog, (a re-plan's actual recordings), counted, coverage
    before (today's, in a re-plan) and after, zone."""
    s = plan.summary(lang)
    L = lambda k: label(k, lang)  # noqa: E731
    actual = actual_by_district(plan) if s.get("actuals") else None
    names = [L("district"), L("backlog"), L("counted"), L("coverage_before"),
             L("coverage_after"), L("zone")]
    if actual is not None:
        today = dt.date.fromisoformat(str(s["actuals"]["today"]))
        names[1:4] = [WORDS[lang]["backlog_campaign"], L("actual_recorded"),
                      WORDS[lang]["counted_campaign"],
                      WORDS[lang]["coverage_today"].format(date=day_month(today, lang))]
    header_row(ws, top, names)
    rows = [(name or "–", d["backlog"], None if actual is None else actual.get(name, 0),
             d["counted"], d["coverage_before"], d["coverage"], d["zone"])
            for name, d in s["districts"].items()]
    rows.append((L("total"), sum(r[1] for r in rows),
                 None if actual is None else sum(actual.values()), sum(r[3] for r in rows),
                 s["coverage_before"], s["coverage_after"], s["zone_after"]))
    for row, (name, backlog, done, counted, before, after, zone) in enumerate(rows, top + 1):
        values = [name, backlog] + ([done] if actual is not None else []) + [counted]
        for col, value in enumerate(values, start=1):
            ws.cell(row=row, column=col, value=value).number_format = COUNT_FORMAT
        _share(ws, row, len(values) + 1, before)
        _share(ws, row, len(values) + 2, after)
        _zone_cell(ws, row, len(values) + 3, zone, lang)
    ws.cell(row=top + len(rows), column=1).font = HEADER_FONT


def left_out_sheet(ws: Worksheet, plan: Plan, lang: str) -> None:
    """The villages with backlog left and why, one row each, the header on every page."""
    s = plan.summary(lang)
    L = lambda k: label(k, lang)  # noqa: E731
    header_row(ws, 1, [L("left_out"), L("district"), L("backlog"), L("reason")])
    wrap = Alignment(wrap_text=True, vertical="top")
    for row, item in enumerate(s["left_out"], start=2):
        for col, value in enumerate((item["village"], item["district"] or "–",
                                     item["backlog_left"], item["reason"]), start=1):
            ws.cell(row=row, column=col, value=value).alignment = wrap
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:D{max(2, 1 + len(s['left_out']))}"
    fit_widths(ws, maximum=60, wrapped={1: 24, 2: 18})
    print_setup(ws, landscape=False)
    page_marks(ws, s["scenario"] or "", lang)


def solver_sheet(ws: Worksheet, plan: Plan, lang: str) -> None:
    """The solver's figures: how good the plan is known to be, and how it was found."""
    s = plan.summary(lang)
    L = lambda k: label(k, lang)  # noqa: E731
    solver = s["solver"]
    facts = [
        (L("objective"), s["objective"], None),
        (L("upper_bound"), s["upper_bound"], None),
        (L("gap"), s["gap"], GAP_FORMAT),
        (L("status"), status_text(solver.get("status"), lang), None),
        (L("solver"), method_text(solver.get("method"), lang), None),
        (L("seconds"), solver.get("seconds"), "0.0"),
        (WORDS[lang]["seed"], solver.get("seed"), None),
    ]
    header_row(ws, 1, [L("solver_sheet"), ""])
    _facts(ws, facts)
    for row in ws.iter_rows(min_row=2, min_col=2, max_col=2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
    fit_widths(ws, maximum=70)
    print_setup(ws, landscape=False)
    page_marks(ws, s["scenario"] or "", lang)
