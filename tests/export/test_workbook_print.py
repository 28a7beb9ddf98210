"""`schedule.xlsx` as a planner reads and prints it: a re-plan's summary saying which base each
figure is on, coverage never shown as a threshold it has not reached, the solver's sheet in
the run's language, travel that adds up to days.csv, the time zone in the headings, the
schedule changes written as the workbook writes dates and hours, and the print setup (page
marks, legible widths, the villages left with their header on every page). A workbook
written with zoned headings still reads back as the plan (`--from-plan`)."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from planner.export import workbook
from planner.export.sheet_style import shown_share
from planner.hand_tables import read_edited
from planner.plan import Plan
from planner.solve.search import METHOD
from tests.export.sample import D1, D3, SUKAMAJU, replan, table


def _facts(ws) -> dict:
    return {row[0]: row[1] for row in ws.iter_rows(values_only=True) if row[0]}


def _book(plan, tmp_path, lang):
    workbook.write(plan, tmp_path, lang=lang)
    return openpyxl.load_workbook(tmp_path / "schedule.xlsx")


@pytest.mark.parametrize("lang", ["en", "id"])
def test_a_replan_summary_says_which_base_each_figure_is_on(geo_scenario, tmp_path, lang):
    """The re-plan on Wed: 3 visits recorded 171 before it, the new plan counts 81; the
    kecamatan table's counted column is the campaign's (126 + 81 at Tamalate), beside the
    actual recordings, and the total counted is the campaign's counted figure above it."""
    plan = replan(geo_scenario)
    facts = _facts(_book(plan, tmp_path, lang).worksheets[0])
    words = {"en": ("Today (first day of the new plan)", "Actual before today: visits",
                    "Actual before today: recorded", "New plan: counted recordings",
                    "Counted recordings (actual + new plan)", "Coverage today (6 March 2024)",
                    "Recorded (actual)", "Total"),
             "id": ("Hari ini (awal rencana baru)", "Realisasi sebelum hari ini: kunjungan",
                    "Realisasi sebelum hari ini: direkam", "Rencana baru: perekaman terhitung",
                    "Perekaman terhitung (realisasi + rencana baru)",
                    "Cakupan hari ini (6 Maret 2024)", "Terekam (aktual)", "Jumlah")}[lang]
    today, visits, recorded, counted, campaign, coverage, actual, total = words
    assert facts[today] == dt.datetime(2024, 3, 6)
    assert (facts[visits], facts[recorded], facts[counted]) == (3, 171, 81)
    assert coverage in facts and "Cakupan sebelum" not in facts and "Coverage before" not in facts
    rows = list(_book(plan, tmp_path, lang).worksheets[0].iter_rows(values_only=True))
    header = next(r for r in rows if r[0] in ("District", "Kecamatan"))
    assert header[2] == actual and header[4] == coverage
    tab = {r[0]: r for r in rows[rows.index(header) + 1:]}
    assert tab["Tamalate"][1:4] == (300, 126, 207)
    assert tab[total][3] == facts[campaign] == facts[counted] + 126 + 45


def test_a_plain_plan_summary_keeps_its_figures(geo_plan, tmp_path):
    facts = _facts(_book(geo_plan, tmp_path, "en").worksheets[0])
    assert facts["Visits"] == 4 and "Coverage before" in facts
    assert not [k for k in facts if str(k).startswith(("New plan", "Actual"))]


def test_coverage_is_stored_rounded_down_to_what_it_shows(geo_plan, tmp_path):
    """0.919759 reads 91.9 %, never the green 92.0 % (the 0.0% format would round it up)."""
    assert shown_share(0.919759) == 0.919 and shown_share(0.92) == 0.92
    assert shown_share(None) is None
    ws = _book(geo_plan, tmp_path, "en").worksheets[0]
    shares = [c.value for row in ws.iter_rows() for c in row if c.number_format == "0.0%"]
    assert shares and all(round(s * 1000, 6) == int(round(s * 1000, 6)) for s in shares)


@pytest.mark.parametrize("status,lang,shown", [
    ("FEASIBLE", "id", "layak (belum terbukti optimal)"), ("OPTIMAL", "id", "optimal (terbukti)"),
    ("FEASIBLE", "en", "feasible (not proven optimal)")])
def test_the_solver_sheet_speaks_the_run_language(geo_scenario, tmp_path, status, lang, shown):
    method = METHOD + " + trip engine (whole tours)"
    plan = Plan(geo_scenario, (), {"status": status, "method": method, "seed": 7})
    facts = _facts(_book(plan, tmp_path, lang).worksheets[-1])
    assert facts["Status"] == shown
    if lang == "id":
        assert facts["Seed (benih acak)"] == 7
        for english in ("insertion", "bound", "engine", "refinement", "whole tours", "with"):
            assert english not in facts["Metode"]
        assert "(GLOP)" in facts["Metode"] and "(LNS)" in facts["Metode"]
    else:
        assert facts["Random seed"] == 7 and facts["Method"] == method


@pytest.mark.parametrize("fixture", ["geo_plan", "trips"])
def test_a_unit_sheet_travel_adds_up_to_the_days(request, tmp_path, fixture):
    """The way back (home or to the lodging) on the day's last row: the travel columns add up
    to days.csv's `travel_min`, day by day."""
    plan = request.getfixturevalue(fixture)
    book = _book(plan, tmp_path, "en")
    sheets = workbook.unit_sheet_titles([u.id for u in plan.scenario.units], "en")
    by_day: dict = {}
    for unit, title in sheets.items():
        for r in table(book[title])[1]:
            key = (unit, r["Date"].date())
            by_day[key] = by_day.get(key, 0) + (r["Travel (min)"] or 0) + \
                (r["Travel back (min)"] or 0)
    days = plan.days
    want = {(d.unit, dt.date.fromisoformat(str(d.date))): d.travel_min
            for d in days.itertuples()}
    assert by_day == pytest.approx(want, abs=1e-6)


def test_clock_times_are_headed_with_the_time_zone_and_read_back(trips, tmp_path):
    """`Mulai (WITA)` on every sheet with clock times; the workbook given back alone
    (`--from-plan`, its day cells too) is the plan's visits and days."""
    book = _book(trips, tmp_path, "id")
    header = [c.value for c in book["Unit MK1"][1]]
    for name in ("Berangkat", "Tiba", "Mulai", "Selesai", "Kembali"):
        assert f"{name} (WITA)" in header
    assert "Mulai (WITA)" in [c.value for c in book["Kec Tamalate"][1]]
    assert workbook.bare_heading("Mulai (WITA)") == "Mulai"
    assert workbook.bare_heading("Perjalanan (menit)") == "Perjalanan (menit)"
    edited = read_edited(tmp_path / "schedule.xlsx", trips.scenario)
    got = sorted((v.unit, v.date, v.seq, v.village_id, v.start, v.recorded)
                 for v in edited.visits.itertuples())
    want = sorted((r.unit, r.date, seq, s.village_id, s.start, s.recorded)
                  for r in trips.routes for seq, s in enumerate(r.stops, start=1))
    assert got == want
    days = {(d.unit, d.date): (d.depart, d.end_place) for d in edited.days.itertuples()}
    assert days[("MK1", D1)][1] == "losmen"


def test_the_changes_sheet_writes_dates_and_hours_as_the_workbook_does(geo_plan, tmp_path):
    change = {"district": "Tamalate", "village_id": SUKAMAJU, "village": "Sukamaju",
              "change": "changed", "earlier": "2024-03-04 08:30-12:00; 2024-03-06 08:20-12:40",
              "now": "2024-03-06 08:20-12:40"}
    plan = Plan(geo_plan.scenario, geo_plan.routes, geo_plan.solver,
                report={"changes": {"villages": [change]}})
    header, rows = table(_book(plan, tmp_path, "id")["Perubahan jadwal"])
    assert header[4:] == ["Jadwal sebelumnya (WITA)", "Jadwal baru (WITA)"]
    assert rows[0]["Jadwal sebelumnya (WITA)"] == \
        "Senin, 4 Maret 2024 08.30–12.00\nRabu, 6 Maret 2024 08.20–12.40"
    _, rows = table(_book(plan, tmp_path, "en")["Schedule changes"])
    assert rows[0]["New schedule (WITA)"] == "Wednesday, 6 March 2024 08:20–12:40"
    assert D3.isoformat() not in str(rows[0])


def test_every_sheet_prints_legibly_with_its_name_and_page_numbers(trips, tmp_path):
    """Each printed page names the sheet (a unit's pages told apart) and is numbered; a
    unit's sheet fits the A4 width at a readable scale (its columns narrow, long text
    wrapped); the villages left have a sheet of their own, its header on every page."""
    book = _book(trips, tmp_path, "en")
    for ws in book.worksheets:
        assert ws.oddHeader.center.text == "&A" and "&P" in ws.oddFooter.center.text
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    unit = book["Unit MK1"]
    assert unit.oddHeader.right.text == "Times in WITA"
    assert unit.page_setup.orientation == "landscape"
    visible = [d.width for k, d in unit.column_dimensions.items() if not d.hidden]
    assert sum(visible) < 210  # about 75 % on A4 landscape: some 8 points
    left = book["Villages with backlog left"]
    assert left.print_title_rows.replace("$", "") == "1:1"
    reason = left.cell(row=2, column=4)
    assert reason.alignment.wrap_text and left.column_dimensions["D"].width <= 62
    summary = book.worksheets[0]
    assert not [c for row in summary.iter_rows() for c in row if c.value == "Reason"]
