"""An edited plan read as a planner's tools leave it (`planner.hand_tables`): its CSV files
saved again by a spreadsheet set to Indonesian, or the unit sheets of its schedule.xlsx; each
read into the same plan as the files the planner wrote, every bad cell at its row."""
from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest

from planner.check import check
from planner.export.folder import write_plan_folder
from planner.export import workbook
from planner.export.labels import label
from planner.hand_plan import plan_from_folder
from planner.hand_tables import clock_seconds, whole_number
from planner.scenario import ScenarioError
from planner.solve import solve
from tests.conftest import make_scenario
from tests.test_actuals import run_cli, write_campaign
from tests.test_keep import ISLE, campaign, earlier  # noqa: F401 (fixtures)


@pytest.mark.parametrize("cell, seconds", [
    ("09:36:06", 34566), ("9:36", 34560), ("09.36", 34560), ("9.36.06", 34566),
    (dt.time(9, 36, 6), 34566), (dt.datetime(1899, 12, 30, 9, 36), 34560), (" 7:05 ", 25500),
    (0.4, 34560)])  # a day fraction: a time cell formatted as General
def test_a_clock_time_as_typed(cell, seconds):
    assert clock_seconds(cell) == seconds


@pytest.mark.parametrize("cell", ["9", "9:7", "09:60", "9:30:75", "nine", "", None, 1.5, 9])
def test_a_clock_time_that_is_not_one(cell):
    with pytest.raises(ValueError, match="is not a clock time"):
        clock_seconds(cell)


@pytest.mark.parametrize("cell, value", [(2, 2), (2.0, 2), ("3", 3), (" 12 ", 12)])
def test_a_place_in_the_day(cell, value):
    assert whole_number(cell) == value


@pytest.mark.parametrize("cell", [2.5, "2.5", "-1", "dua", True])
def test_a_place_in_the_day_that_is_not_one(cell):
    with pytest.raises(ValueError, match="not a whole number"):
        whole_number(cell)


def _as_spreadsheet_saves(source, target):
    """The folder's two tables as a spreadsheet set to Indonesian saves them: `;` between
    cells, dates DD/MM/YYYY, times H:MM (the seconds dropped), the Windows code page."""
    target.mkdir()
    for name in ("visits.csv", "days.csv"):
        with (source / name).open(newline="") as f:
            rows = list(csv.reader(f))
        header = rows[0]
        for row in rows[1:]:
            for k, column in enumerate(header):
                if column in ("date", "counts_on"):
                    year, month, day = row[k].split("-")
                    row[k] = f"{int(day)}/{int(month)}/{year}"
                elif column in ("arrive", "start", "end", "depart", "return"):
                    hours, minutes, _ = row[k].split(":")
                    row[k] = f"{int(hours)}:{minutes}"
                elif column == "travel_min":
                    row[k] = row[k].replace(".", ",")
                elif column == "village":
                    row[k] += " Ujung Pandang–Utara"  # an en dash: 0x96 in Windows-1252
        with (target / name).open("w", newline="", encoding="cp1252") as f:
            csv.writer(f, delimiter=";").writerows(rows)


def test_tables_saved_again_by_a_spreadsheet_read_as_written(
        campaign, earlier, tmp_path):  # noqa: F811
    """Greedy plans start each visit on arrival, so the hours without their seconds keep them."""
    folder, plan = earlier
    _as_spreadsheet_saves(folder, tmp_path / "saved")
    again = plan_from_folder(campaign, tmp_path / "saved")
    assert again.visits.equals(plan.visits) and again.days.equals(plan.days)


def test_an_edited_visits_file_of_another_name(campaign, earlier, tmp_path):  # noqa: F811
    """The edited visits given as a file of its own name: read with the days.csv beside it,
    its problems at its own lines."""
    folder, plan = earlier
    shutil.copytree(folder, tmp_path / "plan")
    edited = tmp_path / "plan" / "visits (diedit).csv"
    (tmp_path / "plan" / "visits.csv").rename(edited)
    again = plan_from_folder(campaign, edited)
    assert again.visits.equals(plan.visits) and again.days.equals(plan.days)
    edited.write_text(edited.read_text().replace("\nU1,", "\nU9,", 1))
    with pytest.raises(ScenarioError) as caught:
        plan_from_folder(campaign, edited)
    assert [(p.file, p.path) for p in caught.value.problems] == [(str(edited), "unit")]


def _with_workbook(folder, plan, target, lang="id"):
    shutil.copytree(folder, target)
    workbook.write(plan, target, lang)
    return target / "schedule.xlsx"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_an_unedited_workbook_comes_out_as_the_plan(
        campaign, earlier, tmp_path, lang):  # noqa: F811
    folder, plan = earlier
    book = _with_workbook(folder, plan, tmp_path / "plan", lang)
    (tmp_path / "plan" / "visits.csv").unlink()  # not read: the workbook is
    again = plan_from_folder(campaign, book)
    assert again.visits.equals(plan.visits) and again.days.equals(plan.days)


def _unit_sheet(book, plan, lang="id"):
    """The first unit's sheet, its columns by contract name, and its visit rows."""
    unit = plan.scenario.units[0].id
    ws = book[workbook.unit_sheet_titles([u.id for u in plan.scenario.units], lang)[unit]]
    names = {label(n, lang): n for n in ("date", "seq", "village_id", "arrive", "start",
                                         "recorded")}
    # a clock time's heading carries the time zone (`Mulai (WIB)`), as a planner sees it
    column = {names[workbook.bare_heading(c.value)]: c.column for c in ws[1]
              if workbook.bare_heading(c.value) in names}
    rows = [r for r in range(2, ws.max_row + 1)
            if ws.cell(r, column["village_id"]).value is not None]
    return ws, column, rows


def test_a_visit_moved_and_one_deleted_in_the_workbook(campaign, earlier, tmp_path,  # noqa: F811
                                                       recwarn):
    """The first unit's first visit moved to the day after its last one (the date cell typed
    over, the row left where it was, 09:00 typed as its start), its second visit's row
    deleted, 10 people typed: the plan has the moved visit on that day at 09:00 for 10 and not
    the deleted one; the
    kecamatan sheets, not edited, draw no warning."""
    folder, plan = earlier
    path = _with_workbook(folder, plan, tmp_path / "plan")
    book = openpyxl.load_workbook(path)
    ws, column, rows = _unit_sheet(book, plan)
    moved = ws.cell(rows[0], column["village_id"]).value
    last = max(ws.cell(r, column["date"]).value for r in rows)
    new_day = last + dt.timedelta(days=1)
    while new_day.weekday() >= 5:
        new_day += dt.timedelta(days=1)
    ws.cell(rows[0], column["date"]).value = new_day
    ws.cell(rows[0], column["recorded"]).value = 10
    ws.cell(rows[0], column["start"]).value = dt.time(9, 0)  # typed: not the planned start
    ws.cell(rows[0], column["arrive"]).value = dt.time(9, 0)  # typed beside it too
    deleted = (ws.cell(rows[1], column["date"]).value.date().isoformat(),
               ws.cell(rows[1], column["village_id"]).value)
    ws.delete_rows(rows[1])
    book.save(path)
    edited = plan_from_folder(campaign, path)
    unit = plan.scenario.units[0].id
    visits = {(r.unit, r.date, r.village_id): r for r in edited.visits.itertuples()}
    moved_visit = visits[unit, new_day.date().isoformat(), moved]
    assert (moved_visit.start, moved_visit.recorded) == ("09:00:00", 10)
    assert (unit, *deleted) not in visits
    assert len(edited.visits) == len(plan.visits) - 1
    assert check(campaign, edited) == []
    assert not [w for w in recwarn if getattr(w.message, "key", "") == "workbook_copy_edited"]


def test_a_bad_place_in_days_csv_stands_at_its_line(campaign, earlier, tmp_path):  # noqa: F811
    """Beside a workbook, a days.csv cell is reported at days.csv, where it is edited."""
    folder, plan = earlier
    path = _with_workbook(folder, plan, tmp_path / "plan")
    days = path.parent / "days.csv"
    lines = days.read_text().splitlines()
    lines[1] = lines[1].replace(",base,", ",kantr,", 1)
    days.write_text("\n".join(lines) + "\n")
    with pytest.raises(ScenarioError) as caught:
        plan_from_folder(campaign, path)
    assert [(p.file, p.line, p.path) for p in caught.value.problems] == [
        (str(days), 2, "start_place")]


def test_a_visit_deleted_from_both_sheets_draws_no_warning(campaign, earlier, tmp_path,  # noqa: F811
                                                           recwarn):
    folder, plan = earlier
    path = _with_workbook(folder, plan, tmp_path / "plan")
    book = openpyxl.load_workbook(path)
    ws, column, rows = _unit_sheet(book, plan)
    date, village = (ws.cell(rows[0], column[c]).value for c in ("date", "village_id"))
    ws.delete_rows(rows[0])
    for sheet in book.worksheets:
        codes = [c.column for c in sheet[1] if c.value == label("village_id", "id")]
        dates = [c.column for c in sheet[1] if c.value == label("date", "id")]
        if sheet.title != ws.title and codes and dates:
            for r in range(sheet.max_row, 1, -1):
                if (sheet.cell(r, dates[0]).value, sheet.cell(r, codes[0]).value) == \
                        (date, village):
                    sheet.delete_rows(r)
    book.save(path)
    plan_from_folder(campaign, path)
    assert not [w for w in recwarn if getattr(w.message, "key", "") == "workbook_copy_edited"]


def test_an_edit_made_in_a_kecamatan_sheet_warns(campaign, earlier, tmp_path):  # noqa: F811
    """A kecamatan sheet is a copy: a date changed there is not read, and a warning says so
    at its row."""
    folder, plan = earlier
    path = _with_workbook(folder, plan, tmp_path / "plan")
    book = openpyxl.load_workbook(path)
    unit_titles = set(workbook.unit_sheet_titles([u.id for u in plan.scenario.units],
                                                 "id").values())
    ws = next(ws for ws in book.worksheets[1:] if ws.title not in unit_titles
              and ws["A1"].value == label("date", "id"))
    ws["A2"].value = ws["A2"].value + dt.timedelta(days=1)
    book.save(path)
    with pytest.warns(UserWarning, match="kecamatan") as warned:
        again = plan_from_folder(campaign, path)
    (notice,) = [w.message for w in warned if w.message.key == "workbook_copy_edited"]
    assert f"{path}[{ws.title}]:2" in str(notice) and ": 1 row(s) of the kecamatan" in str(notice)
    assert again.visits.equals(plan.visits)


def test_a_days_date_merged_over_its_visits(campaign, earlier, tmp_path):  # noqa: F811
    """A planner merges the date cells of a day's visits (the sheet shows the date once): every
    visit of the range is on that date."""
    folder, plan = earlier
    path = _with_workbook(folder, plan, tmp_path / "plan")
    book = openpyxl.load_workbook(path)
    ws, column, rows = _unit_sheet(book, plan)
    first, second = next((a, b) for a, b in zip(rows, rows[1:]) if b == a + 1 and
                         ws.cell(a, column["date"]).value == ws.cell(b, column["date"]).value)
    ws.merge_cells(start_row=first, end_row=second, start_column=column["date"],
                   end_column=column["date"])
    book.save(path)
    again = plan_from_folder(campaign, path)
    assert again.visits.equals(plan.visits)


def test_a_broken_workbook_edit_is_refused_at_its_sheet_row(
        campaign, earlier, tmp_path):  # noqa: F811
    """A time that is not one and a village the scenario does not have, at their cells; then
    too many people for a day: the rules it breaks at the rows they are about."""
    folder, plan = earlier
    path = _with_workbook(folder, plan, tmp_path / "plan")
    book = openpyxl.load_workbook(path)
    ws, column, rows = _unit_sheet(book, plan)
    ws.cell(rows[0], column["start"]).value = "jam sembilan"
    book.save(path)
    with pytest.raises(ScenarioError) as caught:
        plan_from_folder(campaign, path)
    source = f"{path}[{ws.title}]"
    assert [(p.file, p.line, p.path) for p in caught.value.problems] == \
        [(source, rows[0], "start")]
    ws.cell(rows[0], column["start"]).value = None
    village = ws.cell(rows[2], column["village_id"]).value
    ws.cell(rows[2], column["village_id"]).value = None  # a visit row without its code
    book.save(path)
    with pytest.raises(ScenarioError) as caught:
        plan_from_folder(campaign, path)
    assert [(p.file, p.line, p.path) for p in caught.value.problems] == \
        [(source, rows[2], "village_id")]
    ws.cell(rows[2], column["village_id"]).value = "desa-tak-ada"
    book.save(path)
    with pytest.raises(ScenarioError) as caught:
        plan_from_folder(campaign, path)
    assert [(p.file, p.line, p.path) for p in caught.value.problems] == \
        [(source, rows[2], "village_id")]
    ws.cell(rows[2], column["village_id"]).value = village
    ws.cell(rows[0], column["recorded"]).value = 100000
    book.save(path)
    with pytest.raises(ScenarioError) as caught:
        plan_from_folder(campaign, path)
    # the day overruns its hours (at its first visit's row), the village's later visit finds
    # no one left
    assert {(p.line == rows[0], p.path) for p in caught.value.problems} == {
        (True, "day_hours"), (False, "recorded_positive")}
    assert {p.file for p in caught.value.problems} == {source}


def test_a_file_that_is_no_plan_workbook(campaign, earlier, tmp_path):  # noqa: F811
    folder, plan = earlier
    headless = tmp_path / "visits.csv"
    headless.write_text("MK1;4/6/2018;1;v1\n")
    with pytest.raises(ScenarioError) as caught:
        plan_from_folder(campaign, headless)
    assert [(p.line, p.path, p.message) for p in caught.value.problems] == [
        (1, "unit", "column missing: a plan's visits.csv needs the columns unit, date, "
         "village_id (keep the header row as the plan wrote it)")]
    other = tmp_path / "notes.txt"
    other.write_text("x")
    with pytest.raises(ScenarioError, match="expected a plan's folder"):
        plan_from_folder(campaign, other)
    book = openpyxl.Workbook()
    book.active["A1"] = "Tanggal"
    book.save(tmp_path / "lain.xlsx")
    with pytest.raises(ScenarioError, match="holds no unit sheet of the scenario's units"):
        plan_from_folder(campaign, tmp_path / "lain.xlsx")


@pytest.mark.parametrize("edit", ["removed", "heading"])
def test_a_unit_sheet_lost_is_refused(campaign, earlier, tmp_path, edit):  # noqa: F811
    """A unit sheet removed, or its village-code heading retyped: its visits would all be
    cancelled, so the edit is refused, naming the sheet."""
    folder, plan = earlier
    path = _with_workbook(folder, plan, tmp_path / "plan")
    book = openpyxl.load_workbook(path)
    ws, column, _ = _unit_sheet(book, plan)
    if edit == "removed":
        del book[ws.title]
    else:
        ws.cell(1, column["village_id"]).value = "Kode Desa"
    book.save(path)
    with pytest.raises(ScenarioError) as caught:
        plan_from_folder(campaign, path)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line) == (str(path), 1)
    assert problem.message.startswith(f"no unit sheet '{ws.title}' with the columns 'Tanggal' "
                                      "and 'Kode desa': its visits would be cancelled")


def test_a_visits_table_saved_as_a_workbook(campaign, earlier, tmp_path):  # noqa: F811
    """visits.csv opened and saved as a workbook (its one sheet the table): read as the table."""
    import pandas as pd

    folder, plan = earlier
    shutil.copytree(folder, tmp_path / "plan")
    saved = tmp_path / "plan" / "visits.xlsx"
    pd.read_csv(folder / "visits.csv", dtype=str).to_excel(saved, index=False)
    again = plan_from_folder(campaign, saved)
    assert again.visits.equals(plan.visits) and again.days.equals(plan.days)


def test_cli_writes_a_re_plan_edited_in_its_workbook(campaign, earlier, tmp_path):  # noqa: F811
    """A re-plan's workbook (its grey rows are the visits that happened, not the plan),
    written again from that workbook with the same actuals: the same visits."""
    from tests.test_keep import actuals_file
    from tests.test_actuals import TODAY

    folder, plan = earlier
    scenario = write_campaign(tmp_path)
    done = actuals_file(plan, tmp_path)
    replan = tmp_path / "replan"
    first = run_cli([scenario, "--actuals", done, "--today", TODAY, "-o", replan, "--planner",
                     "greedy", "-q", "--formats", "schedule"])
    assert first.exit_code == 0, first.output
    before = (replan / "visits.csv").read_text()
    again = run_cli([scenario, "--actuals", done, "--today", TODAY, "--from-plan",
                     replan / "schedule.xlsx", "-o", tmp_path / "out", "-q", "--formats",
                     "schedule"])
    assert again.exit_code == 0, again.output
    assert (tmp_path / "out" / "visits.csv").read_text() == before
    in_place = run_cli([scenario, "--actuals", done, "--today", TODAY, "--from-plan",
                        replan / "schedule.xlsx", "-o", replan, "-q", "--formats", "schedule",
                        "--lang", "en"])
    assert in_place.exit_code == 0 and "edits this folder in place" in in_place.output


@pytest.fixture(scope="module")
def island_trips(tmp_path_factory):
    """The island campaign served by stays of several nights: the scenario, its plan's folder
    and the plan."""
    scenario = make_scenario(ISLE)
    plan = solve(scenario, time_limit=2, seed=1)
    assert plan.nights >= 2, "the island is served by trips"
    folder = tmp_path_factory.mktemp("island") / "plan"
    write_plan_folder(plan, folder, formats=[])
    return scenario, folder, plan


def _alone(folder, plan, target, lang="id"):
    """The plan's workbook copied alone (no days.csv beside it) into `target`."""
    workbook.write(plan, folder, lang)
    target.mkdir()
    return Path(shutil.copy(folder / "schedule.xlsx", target / "schedule.xlsx"))


def _day_cells(path, plan, lang="id"):
    book = openpyxl.load_workbook(path)
    ws = book[workbook.unit_sheet_titles([plan.scenario.units[0].id], lang)["U1"]]
    column = {c.value: c.column for c in ws[1]}
    return book, ws, column[label("from", lang)], column[label("night_at", lang)]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_workbook_alone_gives_its_days_and_nights(island_trips, tmp_path, lang):
    """Without a days.csv beside it, where each day starts and the team sleeps is read from
    the unit sheets' day cells (`Dari`, `Menginap di`), so the stays come out as planned
    (read as day trips, each would be refused: the boat back does not fit the day)."""
    scenario, folder, plan = island_trips
    again = plan_from_folder(scenario, _alone(folder, plan, tmp_path / "copy", lang))
    assert again.visits.equals(plan.visits) and again.days.equals(plan.days)
    assert again.nights == plan.nights


def test_a_lodging_typed_by_its_id_and_a_place_that_is_not_one(island_trips, tmp_path):
    scenario, folder, plan = island_trips
    path = _alone(folder, plan, tmp_path / "copy")
    book, ws, _, night = _day_cells(path, plan)
    nights = [r for r in range(2, ws.max_row + 1) if ws.cell(r, night).value]
    ws.cell(nights[0], night).value = "pulau"  # the village's id
    book.save(path)
    assert plan_from_folder(scenario, path).days.equals(plan.days)
    ws.cell(nights[0], night).value = "Penginapan Pulau"
    book.save(path)
    with pytest.raises(ScenarioError) as caught:
        plan_from_folder(scenario, path)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.path) == (f"{path}[Unit U1]", nights[0],
                                                          "end_place")
    assert "'Penginapan Pulau' is not a place or village of the scenario" in problem.message


def test_two_starts_written_for_one_day_are_refused(island_trips, tmp_path):
    """A day's first row moved, day cells and all, onto a day that starts elsewhere: which
    start is meant is not guessed."""
    scenario, folder, plan = island_trips
    path = _alone(folder, plan, tmp_path / "copy")
    book, ws, start, _ = _day_cells(path, plan)
    firsts = [r for r in range(2, ws.max_row + 1) if ws.cell(r, start).value]
    places = {ws.cell(r, start).value: r for r in firsts}
    assert len(places) >= 2, "the stays start at the office and on the island"
    moved, kept = places["Kantor"], next(r for p, r in places.items() if p != "Kantor")
    ws.cell(moved, 1).value = ws.cell(kept, 1).value
    book.save(path)
    with pytest.raises(ScenarioError) as caught:
        plan_from_folder(scenario, path)
    assert [(p.line, p.path) for p in caught.value.problems] == [(max(moved, kept),
                                                                  "start_place")]
