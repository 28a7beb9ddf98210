"""`schedule.xlsx` read back with `openpyxl`: sheets, real date and time values, totals that
add up, the goal date on the summary sheet, the solver's figures on a sheet of their own, and
the boat leg on the unit sheet."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from planner.export import workbook
from planner.export.sheet_style import text_width
from planner.plan import Plan, Route, Stop
from tests.conftest import make_scenario
from tests.export import sample
from tests.export.sample import D1, D2, D3, GEO, SUKAMAJU, hm, visit_rows


def table(ws):
    """`sample.table` keyed by the headings as the readers take them: a clock time's
    without its time zone (`Mulai (WITA)`: `Mulai`)."""
    header, rows = sample.table(ws)
    bare = [workbook.bare_heading(h) for h in header]
    return bare, [{workbook.bare_heading(k): v for k, v in r.items()} for r in rows]


def _facts(ws) -> dict:
    return {row[0]: row[1] for row in ws.iter_rows(values_only=True) if row[0]}


def test_workbook_sheets_totals_and_real_values(geo_plan, tmp_path):
    workbook.write(geo_plan, tmp_path, lang="en")
    wb = openpyxl.load_workbook(tmp_path / "schedule.xlsx")
    assert wb.sheetnames == ["Summary", "Unit MK1", "Unit MK 2_Perahu", "Dist Tamalate",
                             "Dist Ujung_Tanah", "Villages with backlog left", "Solver"]
    visits = geo_plan.visits
    total = int(visits["recorded"].sum())

    unit_rows = []
    for name in ("Unit MK1", "Unit MK 2_Perahu"):
        ws = wb[name]
        assert ws.freeze_panes == "A2"
        header, rows = table(ws)
        unit_rows += rows
        for r in rows:
            assert isinstance(r["Date"], dt.datetime)  # a date cell, not text
            assert isinstance(r["Start"], dt.time) and isinstance(r["End"], dt.time)
            assert isinstance(r["Counts on"], dt.datetime)
        village = get_column_letter(header.index("Village") + 1)
        # as wide as its longest village name (a proportional font's letters)
        assert ws.column_dimensions[village].width >= max(
            text_width(r["Village"]) for r in rows) + 1
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
        assert ws.print_title_rows.replace("$", "") == "1:1"
    assert len(unit_rows) == len(visits)
    assert sum(r["Recorded"] for r in unit_rows) == total
    got = sorted((r["Date"].date().isoformat(), r["Village code"], r["Start"].isoformat(),
                  r["End"].isoformat(), r["Recorded"], r["Counts on"].date().isoformat())
                 for r in unit_rows)
    want = sorted((r["date"], r["village_id"], r["start"], r["end"], r["recorded"],
                   r["counts_on"]) for r in visit_rows(geo_plan))
    assert got == want

    district_total = sum(r["Recorded"] for name in ("Dist Tamalate", "Dist Ujung_Tanah")
                         for r in table(wb[name])[1])
    assert district_total == total

    summary = _facts(wb["Summary"])
    assert summary["Visits"] == len(visits)
    assert summary["Recorded"] == total
    # Bonto's 42 count on 2024-03-07, before the 03-08 deadline: all count
    assert summary["Counted recordings"] == geo_plan.counted == total
    assert isinstance(summary["Deadline"], dt.datetime)
    # the solver's figures are on their own sheet, not on the planner's summary
    assert "Upper bound" not in summary and "Gap to bound" not in summary
    assert "Method" not in summary and "Status" not in summary
    solver = _facts(wb["Solver"])
    assert solver["Upper bound"] == 300
    assert solver["Gap to bound"] == pytest.approx((300 - total) / 300, abs=1e-6)
    assert solver["Status"] == "hand-made"  # a status the sheet has no words for: as it is


def test_workbook_district_rows_and_zone(geo_plan, tmp_path):
    workbook.write(geo_plan, tmp_path, lang="id")
    wb = openpyxl.load_workbook(tmp_path / "schedule.xlsx")
    assert wb.sheetnames[0] == "Ringkasan" and wb.sheetnames[-1] == "Pemecah"
    rows = list(wb["Ringkasan"].iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(rows) if r[0] == "Kecamatan")
    tab = {r[0]: r for r in rows[header_at + 1:header_at + 4]}
    # Tamalate: eligible 2500, recorded 2200, counted 84 + 42 + 81 = 207 -> 96.28 % green
    assert tab["Tamalate"][1:4] == (300, 207, pytest.approx(2200 / 2500))
    # 2407 / 2500 = 96.28 %, stored rounded down to the 0.1 % shown
    assert tab["Tamalate"][4] == pytest.approx(0.962, abs=1e-9)
    assert tab["Tamalate"][5] == "hijau"
    assert tab["Ujung/Tanah"][4] is None  # eligible unknown: no coverage claimed
    assert tab["Jumlah"][2] == 252


def test_workbook_summary_gives_the_day_the_goal_is_reached(geo_plan, tmp_path):
    """Eligible 2500, recorded 2200, goal 92 % = 2300: Mon's 84 make 2284, Wed's 81 make
    2365 (Bonto's 42 count only on Thu): reached on Wednesday 6 March."""
    workbook.write(geo_plan, tmp_path, lang="id")
    ws = openpyxl.load_workbook(tmp_path / "schedule.xlsx")["Ringkasan"]
    facts = _facts(ws)
    assert facts["Sasaran tercapai pada"] == dt.datetime(2024, 3, 6)
    assert "Sasaran 92 % tercapai pada Rabu, 6 Maret 2024." in facts


def test_a_simulated_plans_summary_gives_the_goal_chance_beside_its_day(geo_plan, tmp_path):
    # with --simulate the printed summary said only "reached on Wednesday 6 March", while the
    # terminal gave a 99.7 % chance: the sheet read as a certainty
    import dataclasses

    simulated = dataclasses.replace(geo_plan, report={"simulation": {
        "runs": 1000, "seed": 0, "goal": 0.92, "goal_probability": 0.997}})
    for name in ("id", "en", "plain"):
        (tmp_path / name).mkdir()
    workbook.write(simulated, tmp_path / "id", lang="id")
    facts = _facts(openpyxl.load_workbook(tmp_path / "id" / "schedule.xlsx")["Ringkasan"])
    assert facts["Peluang sasaran tercapai sampai batas waktu (1.000 simulasi)"] == "99,7 %"
    rows = list(facts)
    assert rows.index("Sasaran tercapai pada") + 1 == rows.index(
        "Peluang sasaran tercapai sampai batas waktu (1.000 simulasi)")
    workbook.write(simulated, tmp_path / "en", lang="en")
    facts = _facts(openpyxl.load_workbook(tmp_path / "en" / "schedule.xlsx")["Summary"])
    assert facts["Chance of the goal by the deadline (1,000 simulated runs)"] == "99.7 %"
    # without --simulate, no such row
    workbook.write(geo_plan, tmp_path / "plain", lang="en")
    facts = _facts(openpyxl.load_workbook(tmp_path / "plain" / "schedule.xlsx")["Summary"])
    assert not [k for k in facts if str(k).startswith("Chance")]


def test_workbook_summary_says_when_the_goal_is_not_reached(geo_scenario, tmp_path):
    route = Route("MK1", D1, "weekday", hm(8), hm(13), (
        Stop(SUKAMAJU, hm(8, 20), hm(8, 30), hm(12), 84, hm(0, 20)),), hm(0, 40))
    workbook.write(Plan(geo_scenario, (route,)), tmp_path, lang="en")
    facts = _facts(openpyxl.load_workbook(tmp_path / "schedule.xlsx")["Summary"])
    assert facts["Goal reached on"] == "not reached"
    assert "Goal 92 % not reached by the deadline (Friday, 8 March 2024)." in facts


def test_workbook_unit_sheet_gives_the_boat_leg(geo_plan, tmp_path):
    workbook.write(geo_plan, tmp_path, lang="id")
    wb = openpyxl.load_workbook(tmp_path / "schedule.xlsx")
    _, rows = table(wb["Unit MK 2_Perahu"])
    assert rows[0]["Perahu/sungai"].split("\n") == [
        "berangkat 08.30 dari Dermaga Paotere, perahu 60 menit",
        "pulang: berangkat 13.30 dari Pulau Barrang, perahu 60 menit"]
    assert rows[0]["Tiba"] == dt.time(9, 30)  # 08.30 + the 60-minute crossing
    assert all(r["Perahu/sungai"] is None for r in table(wb["Unit MK1"])[1])


def test_workbook_rejects_an_unknown_language(geo_plan, tmp_path):
    with pytest.raises(ValueError, match="unknown language"):
        workbook.write(geo_plan, tmp_path, lang="fr")


def test_workbook_of_a_scenario_without_a_goal_has_no_goal_sentence(tmp_path):
    scenario = make_scenario({**GEO, "targets": {"zones": {"green": 0.92}}})
    workbook.write(Plan(scenario, ()), tmp_path, lang="en")
    facts = _facts(openpyxl.load_workbook(tmp_path / "schedule.xlsx")["Summary"])
    assert facts["Goal reached on"] is None
    assert not [k for k in facts if str(k).startswith("Goal ") and "%" in str(k)]


# -- overnight trips -----------------------------------------------------------------------
def test_workbook_unit_sheet_shows_where_each_day_starts_and_each_night_is_spent(trips,
                                                                                  tmp_path):
    """MK1: Mon from the office to the losmen, Tue from the losmen back to it (its first
    visit at 06.15), Wed a row of its own for the drive home without a visit."""
    workbook.write(trips, tmp_path, lang="id")
    wb = openpyxl.load_workbook(tmp_path / "schedule.xlsx")
    header, rows = table(wb["Unit MK1"])
    assert header.index("Dari") == header.index("Berangkat") + 1
    assert header[-4:] == ["Menginap di", "Keterangan", "Direkam menurut rencana",
                           "Mulai menurut rencana"]
    for k in (len(header) - 1, len(header)):  # the plan's number and start, for the readers
        assert wb["Unit MK1"].column_dimensions[openpyxl.utils.get_column_letter(k)].hidden
    assert [r["Direkam menurut rencana"] for r in rows] == [r["Direkam"] for r in rows]
    assert [r["Mulai menurut rencana"] for r in rows] == [r["Mulai"] for r in rows]
    assert [(r["Tanggal"].date(), r["Dari"], r["Desa"], r["Menginap di"]) for r in rows] == [
        (D1, "Kantor Disdukcapil", "Sukamaju", None),
        (D1, None, "Bonto Tangnga", "Losmen Mawar"),
        (D2, "Losmen Mawar", "Sukamaju", None),
        (D2, None, "Bonto Tangnga", "Losmen Mawar"),
        (D3, "Losmen Mawar", "Hari perjalanan (tanpa kunjungan)", None)]
    assert rows[2]["Berangkat"] == dt.time(6) and rows[2]["Mulai"] == dt.time(6, 15)
    moving = rows[-1]
    assert moving["Berangkat"] == dt.time(8) and moving["Kembali"] == dt.time(8, 15)
    assert moving["Urutan"] is None and moving["Direkam"] is None
    assert moving["Perjalanan (menit)"] == 15
    # the recorded total still adds up: the day without visits records nothing
    assert sum(r["Direkam"] or 0 for r in rows) == 60 + 42 + 40 + 20
    _, island = table(wb["Unit MK 2_Perahu"])
    assert [(r["Dari"], r["Menginap di"]) for r in island] == [
        ("Kantor Disdukcapil", "Pulau Barrang"), ("Pulau Barrang", None)]
    assert island[0]["Perahu/sungai"] == "berangkat 08.30 dari Dermaga Paotere, perahu 60 menit"
    assert island[1]["Perahu/sungai"] == \
        "pulang: berangkat 07.30 dari Pulau Barrang, perahu 60 menit"
    assert island[1]["Mulai"] == dt.time(6)
    assert _facts(wb["Ringkasan"])["Malam menginap"] == 3


def test_workbook_trips_in_english(trips, tmp_path):
    workbook.write(trips, tmp_path, lang="en")
    wb = openpyxl.load_workbook(tmp_path / "schedule.xlsx")
    _, rows = table(wb["Unit MK1"])
    assert [r["Night at"] for r in rows if r["Night at"]] == ["Losmen Mawar"] * 2
    assert rows[-1]["Village"] == "Travel day (no visits)" and rows[-1]["From"] == "Losmen Mawar"
    assert _facts(wb["Summary"])["Nights away"] == 3


def test_workbook_summary_of_a_plan_without_trips_says_no_night(geo_plan, tmp_path):
    workbook.write(geo_plan, tmp_path, lang="en")
    wb = openpyxl.load_workbook(tmp_path / "schedule.xlsx")
    assert _facts(wb["Summary"])["Nights away"] == 0
    assert all(r["Night at"] is None for r in table(wb["Unit MK1"])[1])


def test_a_name_that_looks_like_a_formula_stays_text(tmp_path):
    import copy

    data = copy.deepcopy(GEO)
    data["villages"][0]["name"] = "=SUM(A1)"
    data["villages"][0]["district"] = "=1+1"
    scenario = make_scenario(data)
    route = Route("MK1", D1, "weekday", hm(8), hm(13), (
        Stop(SUKAMAJU, hm(8, 20), hm(8, 30), hm(12), 84, hm(0, 20)),), hm(0, 40))
    workbook.write(Plan(scenario, (route,)), tmp_path)
    book = openpyxl.load_workbook(tmp_path / "schedule.xlsx")
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith("=")]
    assert {c.value for c in cells} >= {"=SUM(A1)", "=1+1"}
    assert all(c.data_type == "s" for c in cells)
