"""A plan's own schedule.xlsx, corrected by the teams, read back as the actuals of a re-plan
(`planner.actuals_workbook`): the same visits as the corrected visits.csv before `today`."""
from __future__ import annotations

import csv
import json
import warnings
import datetime as dt

import openpyxl
import pytest

from planner.actuals import load_actuals
from planner.actuals_cells import ActualsError
from planner.export import tables, workbook
from planner.export.labels import label
from planner.notices import Notice
from tests.conftest import make_scenario
from tests.export.sample import D2, D3, GEO, PULAU, SUKAMAJU, TRIPS, hand_made_plan, trip_plan
from tests.test_actuals import TODAY, run_cli, write_campaign
from tests.test_actuals import campaign, first_plan  # noqa: F401 (fixtures)


@pytest.fixture
def geo_plan():
    """The export sample's hand-made plan: MK1 on Monday and Wednesday, `MK 2/Perahu` (whose
    sheet title is `Unit MK 2_Perahu`) to the island on Tuesday."""
    return hand_made_plan(make_scenario(GEO))


def visits_of(actuals) -> list[tuple]:
    return sorted((v.unit, v.date, v.village_id, v.recorded) for v in actuals.visits)


def unit_sheets(book, plan, lang):
    """The workbook's unit sheets by unit id, as `workbook.build` titles them."""
    titles = workbook.unit_sheet_titles([u.id for u in plan.scenario.units], lang)
    return {unit: book[title] for unit, title in titles.items()}


def column(ws, key, lang) -> int:
    return [c.value for c in ws[1]].index(label(key, lang)) + 1


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_corrected_workbook_reads_as_the_corrected_visits_csv(first_plan, tmp_path,  # noqa: F811
                                                                lang):
    """Each team corrects its unit sheet (another number recorded on every third visit, one
    visit deleted); read with `today`, the workbook gives exactly the visits before `today` of
    visits.csv corrected the same way, and none of the plan after it."""
    workbook.write(first_plan, tmp_path, lang)
    tables.write(first_plan, tmp_path)
    path = tmp_path / "schedule.xlsx"
    book = openpyxl.load_workbook(path)
    corrected: dict[tuple, int] = {}
    deleted = None
    for unit, ws in unit_sheets(book, first_plan, lang).items():
        date, village, recorded = (column(ws, k, lang) for k in ("date", "village_id",
                                                                 "recorded"))
        for row in range(2, ws.max_row + 1):
            code = ws.cell(row, village).value
            if not code:
                continue
            day = ws.cell(row, date).value.date()
            if row % 3 == 0:
                ws.cell(row, recorded).value = ws.cell(row, recorded).value // 2 + 1
            corrected[(unit, day.isoformat(), code)] = ws.cell(row, recorded).value
        if deleted is None and ws.max_row > 3:  # the visit on its second row did not happen
            deleted = (unit, ws.cell(2, date).value.date().isoformat(), ws.cell(2, village).value)
            ws.delete_rows(2)
    book.save(path)
    with open(tmp_path / "visits.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["date"] < TODAY.isoformat()
                and (r["unit"], r["date"], r["village_id"]) != deleted]
    with open(tmp_path / "done.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=["unit", "date", "village_id", "recorded"])
        writer.writeheader()
        for r in rows:
            key = (r["unit"], r["date"], r["village_id"])
            writer.writerow({"unit": key[0], "date": key[1], "village_id": key[2],
                             "recorded": corrected[key]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the kecamatan copies differ, as the teams meant
        from_book = load_actuals(path, first_plan.scenario, TODAY)
    from_csv = load_actuals(tmp_path / "done.csv", first_plan.scenario, TODAY)
    assert visits_of(from_book) == visits_of(from_csv)
    assert deleted is not None and len(from_book.visits) == len(rows) > 10
    assert any(v.recorded != s.recorded for v in from_book.visits
               for r in first_plan.routes for s in r.stops
               if (r.unit, r.date, s.village_id) == (v.unit, v.date, v.village_id))
    assert all(v.date < TODAY for v in from_book.visits)


def test_a_workbook_needs_today_and_locates_a_bad_cell_by_its_sheet(geo_plan, tmp_path):
    workbook.write(geo_plan, tmp_path, "id")
    path = tmp_path / "schedule.xlsx"
    with pytest.raises(ActualsError) as raised:
        load_actuals(path, geo_plan.scenario)
    assert str(raised.value).startswith("<command line>:1: --today: ")
    assert visits_of(load_actuals(path, geo_plan.scenario, D3)) == [
        ("MK 2/Perahu", D2, PULAU, 45), ("MK1", dt.date(2024, 3, 4), "7371010001", 84),
        ("MK1", dt.date(2024, 3, 4), "7371010002", 42)]
    book = openpyxl.load_workbook(path)
    ws = unit_sheets(book, geo_plan, "id")["MK 2/Perahu"]  # titled `Unit MK 2_Perahu`
    ws.cell(2, column(ws, "recorded", "id")).value = "empat puluh"
    book.save(path)
    with pytest.raises(ActualsError) as raised:
        load_actuals(path, geo_plan.scenario, D3)
    assert str(raised.value) == (f"{path}[{ws.title}]:2: recorded: 'empat puluh' is not a "
                                 "number; expected the number of people recorded")


def test_a_kecamatan_sheet_corrected_instead_warns(geo_plan, tmp_path):
    """The unit sheets are read; a kecamatan sheet saying another number where the unit sheet
    still holds the plan's is named (the hidden last column tells the plan's number)."""
    workbook.write(geo_plan, tmp_path, "en")
    path = tmp_path / "schedule.xlsx"
    book = openpyxl.load_workbook(path)
    ws = next(ws for ws in book.worksheets if ws.title.startswith("Dist Tamalate"))
    row = next(r for r in range(2, ws.max_row + 1)
               if ws.cell(r, column(ws, "village_id", "en")).value == SUKAMAJU)
    ws.cell(row, column(ws, "recorded", "en")).value = 90
    book.save(path)
    with pytest.warns(Notice) as warned:
        done = load_actuals(path, geo_plan.scenario, D3)
    assert ("MK1", dt.date(2024, 3, 4), SUKAMAJU, 84) in visits_of(done)
    [notice] = [w.message for w in warned if w.message.key == "workbook_copy_differs"]
    assert notice.where == str(path)
    assert notice.fields == {"count": 1, "first": f"{path}[{ws.title}]:{row}"}


def test_a_renamed_unit_sheet_is_named_as_not_read(geo_plan, tmp_path):
    workbook.write(geo_plan, tmp_path, "id")
    path = tmp_path / "schedule.xlsx"
    book = openpyxl.load_workbook(path)
    book["Unit MK 2_Perahu"].title = "Perahu"
    book.save(path)
    with pytest.warns(Notice) as warned:
        done = load_actuals(path, geo_plan.scenario, D3)
    assert {v.unit for v in done.visits} == {"MK1"}
    [notice] = [w.message for w in warned if w.message.key == "workbook_unit_missing"]
    assert notice.text("en") == (f"{path}: no unit sheet 'Unit MK 2_Perahu' with the columns "
                                 "date, village code and recorded; those units' visits are not "
                                 "read (restore the sheet's name and header; a unit added "
                                 "since the plan has no sheet and nothing to read)")


def test_the_sheet_of_a_unit_gone_from_the_scenario_is_refused(geo_plan, tmp_path):
    """The boat unit sold (or its id changed) after its Tuesday visit: its sheet's visits
    happened, so the workbook is refused at the first of them, saying what to do (before, they
    were left out of the backlog with a warning to restore a sheet that was there)."""
    workbook.write(geo_plan, tmp_path, "id")
    path = tmp_path / "schedule.xlsx"
    edited = make_scenario(GEO, units=[u for u in GEO["units"] if u["id"] == "MK1"])
    with pytest.raises(ActualsError) as refused:
        load_actuals(path, edited, D3)
    [problem] = refused.value.problems
    assert (problem.file, problem.line, problem.path) == (f"{path}[Unit MK 2_Perahu]", 2, "unit")
    assert "a unit gone since stays in the scenario with `unavailable`" in problem.message
    assert {v.unit for v in load_actuals(path, edited, D2).visits} == {"MK1"}  # none before


def test_a_travel_day_row_is_no_visit(tmp_path):
    """The trip sample's MK1 drives home on Wednesday without a visit: that row of its sheet
    (`Hari perjalanan`, no village code) is read as nothing."""
    plan = trip_plan(make_scenario(TRIPS))
    workbook.write(plan, tmp_path, "id")
    done = load_actuals(tmp_path / "schedule.xlsx", plan.scenario, dt.date(2024, 3, 8))
    assert visits_of(done) == sorted((r.unit, r.date, s.village_id, s.recorded)
                                     for r in plan.routes for s in r.stops)
    assert any(not r.stops for r in plan.routes)


def test_a_note_typed_beside_the_table_changes_nothing(geo_plan, tmp_path):
    """A team's remark right of the last column (a cell beyond the header) is not read."""
    workbook.write(geo_plan, tmp_path, "id")
    path = tmp_path / "schedule.xlsx"
    before = visits_of(load_actuals(path, geo_plan.scenario, D3))
    book = openpyxl.load_workbook(path)
    sheet = book["Unit MK1"]
    sheet.cell(2, sheet.max_column + 2).value = "hujan deras, warga datang siang"
    book.save(path)
    assert visits_of(load_actuals(path, geo_plan.scenario, D3)) == before


def test_a_plain_first_sheet_is_still_the_table(geo_plan, tmp_path):
    """An XLSX whose first sheet has the contract's columns is read as before."""
    book = openpyxl.Workbook()
    book.active.append(["unit", "date", "village_id", "recorded"])
    book.active.append(["MK1", dt.datetime(2024, 3, 4), SUKAMAJU, 80])
    book.save(tmp_path / "done.xlsx")
    assert visits_of(load_actuals(tmp_path / "done.xlsx", geo_plan.scenario)) == [
        ("MK1", dt.date(2024, 3, 4), SUKAMAJU, 80)]


def test_cli_re_plans_from_the_returned_workbook(tmp_path):
    """`plan-routes --actuals schedule.xlsx --today D`: the re-plan, which `--check-plan`
    accepts with the same workbook; without `--today`, exit 2 saying so."""
    scenario = write_campaign(tmp_path)
    first = run_cli([scenario, "-o", tmp_path / "first", "--planner", "greedy", "-q",
                     "--formats", "schedule"])
    assert first.exit_code == 0, first.output
    returned = tmp_path / "returned.xlsx"
    (tmp_path / "first" / "schedule.xlsx").rename(returned)
    refused = run_cli([scenario, "-o", tmp_path / "again", "--actuals", returned])
    assert refused.exit_code == 2 and "--today: " in refused.output
    again = run_cli([scenario, "-o", tmp_path / "again", "--actuals", returned, "--today", TODAY,
                     "--planner", "greedy", "--lang", "en"])
    assert again.exit_code == 0, again.output
    assert f"actuals before {TODAY}: " in again.output
    checked = run_cli([scenario, "--check-plan", tmp_path / "again", "--actuals", returned,
                       "--today", TODAY])
    assert checked.exit_code == 0, checked.output


def corrected_rows(path, lang, before, after=None) -> dict[tuple, int]:
    """Correct every unit sheet's visits dated in [after, before) (every second one a third
    lower, as a team would), save, and return the visits of that span as corrected."""
    book = openpyxl.load_workbook(path)
    out = {}
    for ws in book.worksheets:
        if not ws.title.startswith("Unit "):
            continue
        date, village, recorded = (column(ws, k, lang) for k in ("date", "village_id",
                                                                 "recorded"))
        for row in range(2, ws.max_row + 1):
            code, day = ws.cell(row, village).value, ws.cell(row, date).value
            if not code or not (after or dt.date.min) <= day.date() < before:
                continue
            if row % 2:
                ws.cell(row, recorded).value = ws.cell(row, recorded).value * 2 // 3
            out[(ws.title[5:], day.date().isoformat(), code)] = ws.cell(row, recorded).value
    book.save(path)
    return out


def test_a_re_plans_workbook_holds_the_campaign_so_far(tmp_path):
    """The workbook of a re-plan shows the visits that happened (grey, `Keterangan`), so the
    next re-plan reads all of them from it: two re-plans from the teams' workbooks alone give
    the second the same actuals as one file of every visit so far."""
    scenario = write_campaign(tmp_path)
    week = dt.date(2024, 1, 15)
    first = run_cli([scenario, "-o", tmp_path / "p0", "--planner", "greedy", "-q", "--formats",
                     "schedule"])
    assert first.exit_code == 0, first.output
    done = corrected_rows(tmp_path / "p0" / "schedule.xlsx", "id", week)
    (tmp_path / "p0" / "schedule.xlsx").rename(tmp_path / "w0.xlsx")
    once = run_cli([scenario, "-o", tmp_path / "p1", "--actuals", tmp_path / "w0.xlsx",
                    "--today", week, "--planner", "greedy", "-q", "--formats", "tables,schedule"])
    assert once.exit_code == 0, once.output
    book = openpyxl.load_workbook(tmp_path / "p1" / "schedule.xlsx")
    grey = [(ws.title[5:], r[0].value.date().isoformat(), r[6].value) for ws in book.worksheets
            if ws.title.startswith("Unit ") for r in ws.iter_rows(min_row=2)
            if r[column(ws, "note", "id") - 1].value == "sudah terlaksana (realisasi)"]
    assert sorted(grey) == sorted(done)
    done |= corrected_rows(tmp_path / "p1" / "schedule.xlsx", "id", TODAY, week)
    with open(tmp_path / "all.csv", "w", newline="") as f:
        f.write("unit,date,village_id,recorded\n")
        f.writelines(f"{u},{d},{v},{n}\n" for (u, d, v), n in sorted(done.items()))
    twice = run_cli([scenario, "-o", tmp_path / "p2", "--actuals", tmp_path / "p1" /
                     "schedule.xlsx", "--today", TODAY, "--planner", "greedy", "-q"])
    assert twice.exit_code == 0, twice.output
    again = run_cli([scenario, "-o", tmp_path / "p2csv", "--actuals", tmp_path / "all.csv",
                     "--today", TODAY, "--planner", "greedy", "-q"])
    assert again.exit_code == 0, again.output
    summaries = [json.loads((tmp_path / p / "summary.json").read_text())["actuals"]
                 for p in ("p2", "p2csv")]
    assert summaries[0] == summaries[1] and summaries[0]["visits"] == len(done) > len(grey)
    assert (tmp_path / "p2" / "visits.csv").read_text() == \
        (tmp_path / "p2csv" / "visits.csv").read_text()


def test_a_village_whose_id_was_corrected_is_named_under_its_new_id(geo_plan, tmp_path):
    """Sukamaju's Kemendagri code corrected in the scenario after the teams' Monday visit:
    its unit sheet row (old code, village name) is refused with the new id to write."""
    workbook.write(geo_plan, tmp_path, "id")
    path = tmp_path / "schedule.xlsx"
    villages = [dict(v, id="73.71.99.0001") if v["id"] == SUKAMAJU else v
                for v in GEO["villages"]]
    with pytest.raises(ActualsError) as refused:
        load_actuals(path, make_scenario(GEO, villages=villages), D3)
    name = next(v["name"] for v in GEO["villages"] if v["id"] == SUKAMAJU)
    assert f"the scenario has {name!r} as '73.71.99.0001': if its id was corrected, write " \
           "73.71.99.0001 here too" in refused.value.problems[0].message
