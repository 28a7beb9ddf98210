"""Re-planning from what happened (DESIGN §3 `--actuals`): the scenario that is left, the
re-plan through the CLI, and every bad actuals file giving exit 2 and `FILE:LINE: column:`."""
from __future__ import annotations

import copy
import csv
import dataclasses
import datetime as dt
import json
import re
import shutil
import warnings

import openpyxl
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

import planner
from planner.actuals import ActualsError, load_actuals
from planner.baseline import plan_greedy
from planner.check import Replan, check_tables, tables_of_plan
from planner.cli import main
from tests.conftest import TINY, make_scenario

# Six weeks from Monday 1 January 2024, weekends worked as overtime (budget 12 unit-days),
# two units; `near` has signal, `far` is offline (counts 3 days after the visit).
CAMPAIGN = {
    "name": "re-plan",
    "geometry": "planar",
    "calendar": {"start": "2024-01-01", "deadline": "2024-02-09", "holidays": "none",
                 "closed": [{"from": "2024-01-08", "to": "2024-01-09", "reason": "server"}]},
    "shift": {"weekday": {"start": "08:00", "end": "16:00"},
              "weekend": {"start": "08:00", "end": "13:00"}},
    "recording": {"minutes_per_person": 5, "setup_minutes": 30, "turnout": 0.5},
    "offline_turnaround_days": 3,
    "travel": {"speed_kmh": 30},
    "staff": {"weekday": 4, "weekend": 4, "overtime_unit_days": 12},
    "places": [{"id": "base", "name": "Kantor", "x": 0, "y": 0},
               {"id": "home2", "name": "Pos Barat", "x": -5, "y": 0}],
    "units": [{"id": "U1", "base": "base", "kits": 2, "crew": 2},
              {"id": "U2", "base": "base", "end": "home2", "kits": 1, "crew": 2,
               "unavailable": ["2024-01-03", {"from": "2024-02-05", "to": "2024-02-06"}]}],
    "villages": [
        {"id": "near", "name": "Desa Dekat", "district": "Timur", "x": 3, "y": 4,
         "eligible": 1000, "recorded": 900},
        {"id": "far", "name": "Desa Jauh", "district": "Barat", "x": -20, "y": 5,
         "eligible": 500, "recorded": 300, "signal": False},
    ] + [{"id": f"v{i}", "name": f"Desa {i}", "district": "Timur" if i % 2 else "Barat",
          "x": 2 * i - 9, "y": 6 - i, "eligible": 1500 + 100 * i, "recorded": 1100 + 50 * i}
         for i in range(8)],
}
TODAY = dt.date(2024, 1, 22)  # the Monday after three weeks
HEADER = "unit,date,village_id,recorded\n"


def write_campaign(folder, data=None):
    path = folder / "campaign.yaml"
    path.write_text(yaml.safe_dump(data or CAMPAIGN, sort_keys=False))
    return path


@pytest.fixture(scope="module")
def campaign():
    return make_scenario(CAMPAIGN)


@pytest.fixture(scope="module")
def first_plan(campaign):
    """The campaign's first plan (the greedy planner: quick, and a plan like any other)."""
    plan = plan_greedy(campaign)
    assert not planner.check(campaign, plan)
    return plan


def test_scenario_after_a_hand_written_week(campaign, tmp_path):
    """Backlog, recorded, calendar, overtime and the units' start, hand-computed."""
    done = tmp_path / "done.csv"
    done.write_text(HEADER +
                    "U1,2024-01-06,near,40\n"      # Saturday: overtime
                    "U2,2024-01-06,far,30\n"       # Saturday, offline: counts 01-09
                    "U1,2024-01-10,far,25\n"       # weekday, offline: counts 01-13
                    "U1,2024-01-11,v1,7\n")
    actuals = load_actuals(done, campaign)
    left = campaign.after(actuals)  # today: the day after the latest, 12 January
    assert left.calendar.start == dt.date(2024, 1, 12)
    assert left.calendar.closed == ()  # 8-9 January is over
    near, far = left.village("near"), left.village("far")
    assert (near.unrecorded, near.recorded, near.eligible) == (60, 940, 1000)
    assert (far.unrecorded, far.recorded) == (145, 355)
    assert left.staff.overtime_unit_days == 12 - 2  # (U1, Sat 6th) and (U2, Sat 6th)
    u2 = left.unit("U2")
    assert u2.base == "home2"  # at home at the start of today
    assert [r.from_ for r in u2.unavailable] == [dt.date(2024, 2, 5)]
    figures = actuals.figures(campaign, dt.date(2024, 1, 12))
    assert figures == {"today": "2024-01-12", "visits": 4, "recorded": 102, "counted": 102,
                       "objective": 102.0, "counting_after_deadline": 0,
                       "overtime_unit_days": 2, "unit_days": 4}


def test_after_names_a_wrong_argument(campaign, tmp_path):
    done = tmp_path / "done.csv"
    done.write_text(HEADER + "U1,2024-01-06,near,40\nU1,2024-01-10,far,25\n")
    # the path was an AttributeError: 'str' object has no attribute 'apply_to'
    with pytest.raises(TypeError, match=r"^after: actuals must be planner.load_actuals\(path, "
                                        f"scenario\\), not the path '{re.escape(str(done))}'$"):
        campaign.after(str(done), "2024-01-12")
    with pytest.raises(TypeError, match="not a dict$"):
        campaign.after({"U1": 40}, "2024-01-12")
    with pytest.raises(ValueError, match="^today: '12 Jan' is not a date: expected a date "
                                         "YYYY-MM-DD"):  # was "Invalid isoformat string"
        campaign.after(load_actuals(done, campaign), "12 Jan")


def test_a_dataframe_of_what_happened_reads_as_its_csv_would(campaign, first_plan, tmp_path):
    # a notebook's what-if ("a quarter fewer came") had to write its table to a file first:
    # a DataFrame was "TypeError: expected str, bytes or os.PathLike object" from pathlib
    done = first_plan.visits[first_plan.visits["date"] < "2024-01-15"].copy()
    done["recorded"] = done["recorded"] - done["recorded"] // 4
    done.to_csv(tmp_path / "done.csv", index=False)
    from_file = campaign.after(load_actuals(tmp_path / "done.csv", campaign), "2024-01-15")
    assert campaign.after(load_actuals(done, campaign), "2024-01-15") == from_file
    typed = done.assign(date=pd.to_datetime(done["date"]))  # dates as a notebook parses them
    assert campaign.after(load_actuals(typed, campaign), "2024-01-15") == from_file
    bad = done.assign(recorded=[-1] + list(done["recorded"][1:]))
    with pytest.raises(ActualsError, match=r"^<DataFrame>:2: recorded: -1 is negative"):
        load_actuals(bad, campaign)
    with pytest.raises(ActualsError, match="^<DataFrame>:1: recorded: missing column"):
        load_actuals(done.drop(columns="recorded"), campaign)


def test_offline_counts_on_and_recordings_counting_after_the_deadline(campaign, tmp_path):
    done = tmp_path / "done.csv"
    done.write_text("unit,date,village_id,recorded,counts_on\n"
                    "U1,2024-01-02,far,20,2024-01-04\n"    # counts early: as given
                    "U1,2024-01-05,far,10,2024-02-15\n"    # counts after the deadline
                    "U1,2024-01-05,near,5,2024-03-01\n")   # signal: counts on its date
    with pytest.warns(UserWarning, match=rf"{done}:4: counts_on: 2024-03-01 for village near, "
                      r"which has signal: .* on the day of the visit, 2024-01-05"):
        actuals = load_actuals(done, campaign)
    far_days = actuals.counted_per_day(campaign)["far"]
    assert far_days == {dt.date(2024, 1, 4): 20}
    left = campaign.after(actuals, dt.date(2024, 1, 8))
    assert campaign.after(actuals, "2024-01-08") == left  # as a notebook writes the date
    assert (left.village("far").unrecorded, left.village("far").recorded) == (170, 320)
    assert (left.village("near").unrecorded, left.village("near").recorded) == (95, 905)
    figures = actuals.figures(campaign, dt.date(2024, 1, 8))
    assert (figures["recorded"], figures["counted"], figures["counting_after_deadline"]) == \
        (35, 25, 10)


def test_more_recorded_than_the_backlog_warns_and_clamps(campaign, tmp_path):
    done = tmp_path / "done.csv"
    done.write_text(HEADER + "U1,2024-01-02,near,130\n")
    with pytest.warns(UserWarning, match=r"near \(Desa Dekat\).*130.*backlog of 100"):
        left = campaign.after(load_actuals(done, campaign))
    assert left.village("near").unrecorded == 0
    assert left.village("near").recorded == 1000  # never above eligible


def test_a_row_naming_another_village_than_its_code_warns_and_goes_by_the_code(campaign,
                                                                             tmp_path):
    """A code copied from the row above gave the visit to the wrong village without a word:
    the row's `village` is another village's name. A name no village has (renamed since), a
    name in other capitals and spacing, and no name at all say nothing."""
    done = tmp_path / "done.csv"
    done.write_text("unit,date,village_id,village,recorded\n"
                    "U1,2024-01-02,near,Desa Jauh,30\n"  # far's name
                    "U1,2024-01-03,v1,Desa Satu Lama,20\n"
                    "U1,2024-01-04,v2,desa  2,20\n"
                    "U1,2024-01-05,v3,,20\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        actuals = load_actuals(done, campaign)
    assert [str(w.message) for w in caught] == [
        f"{done}:2: village: 'Desa Jauh' is the name of village far, not of near ('Desa Dekat'), "
        "the row's village_id: the row is read as near (the code decides); if the visit was at "
        "'Desa Jauh', write its code"]
    assert [v.village_id for v in actuals.visits] == ["near", "v1", "v2", "v3"]


def test_ids_typed_with_a_separate_accent_match_the_composed_ones(tmp_path):
    """`Café` typed as e and a combining accent (NFD, as some keyboards and file systems write
    it) in the scenario, composed (NFC) in the actuals: the same village, not `unknown village
    'Café'; the scenario's villages are Café, b`; the scenario's ids and names are composed."""
    decomposed, composed = "Cafe\u0301", "Caf\u00e9"
    scenario = make_scenario(villages=[{**TINY["villages"][0], "id": decomposed,
                                        "name": f"Desa {decomposed}"}, TINY["villages"][1]])
    assert (scenario.villages[0].id, scenario.villages[0].name) == (composed, f"Desa {composed}")
    done = tmp_path / "done.csv"
    done.write_text(f"unit,date,village_id,recorded\nU1,2024-01-01,{decomposed},10\n"
                    f"U1,2024-01-02,{composed},5\n", encoding="utf-8")
    assert [v.village_id for v in load_actuals(done, scenario).visits] == [composed, composed]


def replan_actuals(plan, folder):
    """The must-show edit of the first three weeks: a third less on every other visit, U2's
    second week deleted (broken car), one unplanned visit added."""
    rows = [r for r in plan.visits.to_dict("records") if r["date"] < TODAY.isoformat()
            and r["village_id"] not in ("near", "far")]
    kept = []
    for i, r in enumerate(rows):
        if r["unit"] == "U2" and "2024-01-08" <= r["date"] <= "2024-01-14":
            continue
        if i % 2:
            r = {**r, "recorded": r["recorded"] - r["recorded"] // 3}
        kept.append(r)
    # the two villages whose figures are computed by hand below
    extra = [{"unit": "U1", "date": "2024-01-13", "village_id": "near", "recorded": 40},
             {"unit": "U2", "date": "2024-01-19", "village_id": "far", "recorded": 30},
             {"unit": "U2", "date": "2024-01-21", "village_id": "far", "recorded": 12}]
    path = folder / "done.csv"
    with path.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(plan.visits.columns), extrasaction="ignore")
        w.writeheader()
        w.writerows(kept + extra)
    return path, kept + extra


def test_replan_from_three_weeks_of_actuals(campaign, first_plan, tmp_path):
    path, rows = replan_actuals(first_plan, tmp_path)
    actuals = load_actuals(path, campaign, TODAY)
    left = campaign.after(actuals, TODAY)
    # hand-computed: near 100 - 40; far 200 - 30 - 12, both offline visits count by
    # 01-22 and 01-24, before the deadline
    assert (left.village("near").unrecorded, left.village("near").recorded) == (60, 940)
    assert (left.village("far").unrecorded, left.village("far").recorded) == (158, 342)
    overtime = {(r["unit"], r["date"]) for r in rows
                if dt.date.fromisoformat(r["date"]).weekday() >= 5}
    assert left.staff.overtime_unit_days == max(0, 12 - len(overtime))
    assert ("U1", "2024-01-13") in overtime and ("U2", "2024-01-21") in overtime
    for v in campaign.villages:  # every other village: its figure minus its actual rows
        done = sum(r["recorded"] for r in rows if r["village_id"] == v.id)
        assert left.village(v.id).unrecorded == max(0, v.unrecorded - done)
    plan = planner.solve(left, time_limit=3, seed=1)
    assert not planner.check(left, plan)
    assert plan.visits["date"].min() >= TODAY.isoformat()
    assert plan.overtime_unit_days <= left.staff.overtime_unit_days


def test_a_replans_goal_and_actual_figures_are_rechecked(tmp_path):
    """Goal 0.7 of 16,300 eligible residents is 11,410; 11,400 were recorded before. The
    offline visit's 30 count on Saturday 6th + 3 days = Tuesday 9 January, which reaches it
    before the re-plan's first day (12 January); the visit to `near` on the 10th is later."""
    campaign = make_scenario({**CAMPAIGN, "targets": {"goal": 0.7}})
    done = tmp_path / "done.csv"
    done.write_text(HEADER + "U2,2024-01-06,far,30\n" "U1,2024-01-10,near,5\n")
    actuals = load_actuals(done, campaign)
    today = dt.date(2024, 1, 12)
    left = campaign.after(actuals, today)
    plan = dataclasses.replace(plan_greedy(left),
                               report={"actuals": actuals.report(campaign, today)})
    replan = Replan(campaign, actuals.visits, today)
    assert plan.summary()["goal_reached_on"] == "2024-01-09"
    assert not planner.check(left, plan, replan=replan)
    tables = tables_of_plan(plan)

    def broken(**changes):
        summary = copy.deepcopy(tables.summary)
        for key, value in changes.items():
            if key == "goal_reached_on":
                summary[key] = value
            else:
                summary["actuals"][key] = value
        found = check_tables(left, dataclasses.replace(tables, summary=summary), replan=replan)
        return sorted({(v.rule, v.village_id) for v in found})

    assert broken(goal_reached_on="2024-01-06") == [("summary_goal", None)]
    assert broken(counted=30) == [("summary_actuals", None)]
    assert broken(overtime_unit_days=0) == [("summary_actuals", None)]  # Saturday 6th
    assert broken(today="2024-01-11") == [("summary_actuals", None)]
    far = copy.deepcopy(tables.summary["actuals"]["by_village"])
    assert far["far"]["counted_on"] == {"2024-01-09": 30}
    assert far["far"]["recorded_before"] == 300
    far["far"]["counted_on"] = {"2024-01-06": 30}  # as if `far` had signal
    assert broken(by_village=far) == [("summary_actuals", "far")]
    done = tables.summary["actuals"]["done"]
    assert done == [{"unit": "U2", "date": "2024-01-06", "village_id": "far", "recorded": 30,
                     "counts_on": "2024-01-09"},
                    {"unit": "U1", "date": "2024-01-10", "village_id": "near", "recorded": 5,
                     "counts_on": "2024-01-10"}]
    assert broken(done=done[:1]) == [("summary_actuals", None)]
    assert broken(done=[{**done[0], "counts_on": "2024-01-06"}, done[1]]) == \
        [("summary_actuals", None)]
    # without what the re-plan was made from, neither can be checked (as before)
    summary = {**tables.summary, "goal_reached_on": "2024-01-06"}
    assert not check_tables(left, dataclasses.replace(tables, summary=summary))
    # a plain plan checked as a re-plan lacks its actuals (says the goal came on its first
    # day, 12 January, not on the 9th, and its districts leave out the 35 recorded before)
    plain = plan_greedy(left)
    assert sorted({v.rule for v in planner.check(left, plain, replan=replan)}) == \
        ["summary_actuals", "summary_coverage", "summary_goal"]
    # the campaign's districts: their backlogs before the actual visits, and those visits'
    # recordings beside the plan's (`near` in Timur 5 on the 10th, `far` in Barat 30 on the 9th)
    districts, planned = plan.summary()["districts"], plain.summary()["districts"]
    for name, actual in (("Timur", 5), ("Barat", 30)):
        assert districts[name]["backlog"] == sum(v.unrecorded for v in campaign.villages
                                                 if v.district == name)
        assert districts[name]["counted"] == planned[name]["counted"] + actual


def test_a_replans_goal_reached_by_its_own_visits_is_rechecked(first_plan, tmp_path):
    """The must-show re-plan with a goal (0.95) between the coverage the actual visits reach
    (0.86) and the re-plan's (1.0): the checker's day agrees with the plan's, and a day
    earlier is refused."""
    path, _ = replan_actuals(first_plan, tmp_path)
    goal = make_scenario({**CAMPAIGN, "targets": {"goal": 0.95}})
    actuals = load_actuals(path, goal, TODAY)
    left = goal.after(actuals, TODAY)
    plan = dataclasses.replace(plan_greedy(left),
                               report={"actuals": actuals.report(goal, TODAY)})
    reached = plan.summary()["goal_reached_on"]
    assert reached is not None and reached > TODAY.isoformat()
    replan = Replan(goal, actuals.visits, TODAY)
    assert not planner.check(left, plan, replan=replan)
    tables = tables_of_plan(plan)
    earlier = (dt.date.fromisoformat(reached) - dt.timedelta(days=1)).isoformat()
    summary = {**tables.summary, "goal_reached_on": earlier}
    found = check_tables(left, dataclasses.replace(tables, summary=summary), replan=replan)
    assert [v.rule for v in found] == ["summary_goal"]


def run_cli(args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def test_cli_replan_writes_the_new_plan_and_the_actual_figures(first_plan, tmp_path):
    scenario = write_campaign(tmp_path)
    path, rows = replan_actuals(first_plan, tmp_path)
    out = tmp_path / "re"
    result = run_cli([scenario, "--actuals", path, "-o", out, "--planner", "greedy", "-q",
                      "--formats", "progress", "--lang", "en"])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["actuals"]["today"] == TODAY.isoformat()  # the day after the latest row
    assert summary["actuals"]["visits"] == len(rows)
    assert summary["actuals"]["recorded"] == sum(r["recorded"] for r in rows)
    with (out / "visits.csv").open() as f:
        assert min(r["date"] for r in csv.DictReader(f)) >= TODAY.isoformat()
    left = make_scenario(CAMPAIGN).after(load_actuals(path, make_scenario(CAMPAIGN)))
    assert not planner.check(left, out)
    assert "actuals before 2024-01-22" in result.output


# TINY with what `after` touches: a unit with its own home, unavailability and a closed day
TINY_PLUS = {**TINY,
             "calendar": {**TINY["calendar"], "closed": ["2024-01-03"]},
             "places": TINY["places"] + [{"id": "pos", "x": 2, "y": 2}],
             "units": TINY["units"] + [{"id": "U2", "base": "base", "end": "pos",
                                        "unavailable": ["2024-01-02"]}]}


def test_no_actual_rows_from_the_start_is_the_plain_plan(tmp_path):
    scenario = write_campaign(tmp_path, TINY_PLUS)
    empty = tmp_path / "none.csv"
    empty.write_text(HEADER)
    common = ["--deterministic", "-q", "--formats", "progress"]
    plain = run_cli([scenario, "-o", tmp_path / "plain"] + common)
    again = run_cli([scenario, "-o", tmp_path / "again", "--actuals", empty,
                     "--today", TINY["calendar"]["start"]] + common)
    assert plain.exit_code == 0 and again.exit_code == 0, again.output
    for name in ("visits.csv", "days.csv"):
        text = (tmp_path / "plain" / name).read_text()
        assert len(text.splitlines()) > 2 and text == (tmp_path / "again" / name).read_text()


def test_semicolon_csv_and_xlsx_read_like_the_csv(campaign, tmp_path):
    rows = [["U1", "2024-01-02", "near", "12"], ["U2", "2024-01-04", "v3", "40"]]
    comma = tmp_path / "a.csv"
    comma.write_text("unit,date,village_id,village,recorded\n"
                     + "".join(f"{u},{d},{v},x,{n}\n" for u, d, v, n in rows))
    semi = tmp_path / "b.csv"
    semi.write_text("unit;date;village_id;recorded;travel_min\n"
                    + "".join(f"{u};{d[8:]}/{d[5:7]}/{d[:4]};{v};{n};12,5\n"
                              for u, d, v, n in rows))
    book = openpyxl.Workbook()
    book.active.append(["unit", "date", "village_id", "recorded"])
    for u, d, v, n in rows:
        book.active.append([u, dt.datetime.fromisoformat(d), v, float(n)])
    xlsx = tmp_path / "c.xlsx"
    book.save(xlsx)
    read = [[(v.unit, v.date, v.village_id, v.recorded) for v in load_actuals(p, campaign).visits]
            for p in (comma, semi, xlsx)]
    assert read[0] == read[1] == read[2] == [("U1", dt.date(2024, 1, 2), "near", 12),
                                             ("U2", dt.date(2024, 1, 4), "v3", 40)]



@pytest.mark.parametrize("name, data", [
    # Excel for Mac's "CSV (Macintosh)": a carriage return alone ends each line
    ("a.csv", "unit,date,village_id,recorded\rU1,2024-01-02,near,12\rU2,2024-01-04,v3,40\r"
     .encode()),
    # Excel's "Text (Tab delimited)" and "Unicode Text" (UTF-16 with its byte-order mark)
    ("a.txt", b"unit\tdate\tvillage_id\trecorded\r\nU1\t2024-01-02\tnear\t12\r\n"
     b"U2\t2024-01-04\tv3\t40\r\n"),
    ("a.txt", "unit\tdate\tvillage_id\trecorded\r\nU1\t2024-01-02\tnear\t12\r\n"
     "U2\t2024-01-04\tv3\t40\r\n".encode("utf-16")),
], ids=["mac-csv", "tab-delimited-text", "unicode-text"])
def test_what_other_spreadsheets_save_reads_like_the_csv(campaign, tmp_path, name, data):
    # were refused at line 1: "new-line character seen in unquoted field", "missing column"
    path = tmp_path / name
    path.write_bytes(data)
    assert [(v.unit, v.date, v.village_id, v.recorded) for v in load_actuals(path, campaign).visits] \
        == [("U1", dt.date(2024, 1, 2), "near", 12), ("U2", dt.date(2024, 1, 4), "v3", 40)]
    path.write_bytes(data.replace(b"40", b"-4") if name == "a.csv" else
                     data.replace("40".encode("utf-16-le") if data[:2] == b"\xff\xfe" else b"40",
                                  "-4".encode("utf-16-le") if data[:2] == b"\xff\xfe" else b"-4"))
    with pytest.raises(ActualsError) as caught:
        load_actuals(path, campaign)
    assert [(p.line, p.path) for p in caught.value.problems] == [(3, "recorded")]

def xlsx_file(rows):
    def write(path):
        book = openpyxl.Workbook()
        for r in rows:
            book.active.append(r)
        book.save(path)
    return write


# name -> (file name, content, expected line, expected column, message regex, extra args)
BAD = {
    "unknown unit": ("a.csv", HEADER + "U1,2024-01-02,near,5\nU9,2024-01-03,near,5\n",
                     3, "unit", r"unknown unit 'U9'.*U1, U2", []),
    "unknown village": ("a.csv", HEADER + "U1,2024-01-02,nowhere,5\n", 2, "village_id",
                        r"unknown village 'nowhere'", []),
    "unit gone since": ("a.csv", HEADER + "U9,2024-01-03,near,5\n", 2, "unit",
                        r"unknown unit 'U9'.*stays in the scenario with `unavailable` from "
                        "the re-plan's first day on", []),
    "village id corrected": ("a.csv", "unit,date,village_id,village,recorded\n"
                             "U1,2024-01-02,dekat,desa dekat ,5\n", 2, "village_id",
                             r"the scenario has 'desa dekat' as 'near': if its id was "
                             "corrected, write near here too", []),
    "village removed": ("a.csv", "unit,date,village_id,village,recorded\n"
                        "U1,2024-01-02,gone,Desa Hilang,5\n", 2, "village_id",
                        r"unknown village 'gone'.*a village merged into another since "
                        r"\(pemekaran\): write here the id of the village the visit was held "
                        "in now; a village removed from the scenario stays there while its "
                        "visits are in the actuals", []),
    # split since (pemekaran): the old code gone, the new villages named after the old one;
    # keeping the old village, as the message said, would have planned its backlog twice
    "village split": ("a.csv", "unit,date,village_id,village,recorded\n"
                      "U1,2024-01-02,dekat-lama,Dekat,5\n", 2, "village_id",
                      r"unknown village 'dekat-lama'.*; the scenario has villages named like "
                      r"'Dekat': near \(Desa Dekat\): if it was split \(pemekaran\), write "
                      "here the id of the one the visit was held in$", []),
    "date on today": ("a.csv", HEADER + "U1,2024-01-10,near,5\n", 2, "date",
                      r"on or after today \(2024-01-10\)", ["--today", "2024-01-10"]),
    "date after today": ("a.csv", HEADER + "U1,2024-01-02,v1,5\nU1,2024-01-12,near,5\n", 3,
                         "date", "on or after today", ["--today", "2024-01-10"]),
    "date before the start": ("a.csv", HEADER + "U1,2023-12-29,near,5\n", 2, "date",
                              r"before the campaign starts \(2024-01-01", []),
    "negative recorded": ("a.csv", HEADER + "U1,2024-01-02,near,-3\n", 2, "recorded",
                          "negative", []),
    "fractional recorded": ("a.csv", HEADER + "U1,2024-01-02,near,2.5\n", 2, "recorded",
                            "not a whole number", []),
    "text recorded": ("a.csv", HEADER + "U1,2024-01-02,near,lima\n", 2, "recorded",
                      "'lima' is not a number", []),
    "two rows for one village and date": (
        "a.csv", HEADER + "U1,2024-01-02,near,5\nU1,2024-01-03,v1,5\nU2,2024-01-02,near,7\n",
        4, "village_id", r"second row for village near on 2024-01-02 \(the first is on line 2\)",
        []),
    "missing column": ("a.csv", "unit,date,village_id,direkam\nU1,2024-01-02,near,5\n", 1,
                       "recorded", "missing column 'recorded'", []),
    "semicolon CSV with a bad cell": (
        "a.csv", "unit;date;village_id;recorded\nU1;02/01/2024;near;5\nU1;03/01/2024;v1;12,5\n",
        3, "recorded", "not a whole number", []),
    "XLSX with text for a number": (
        "a.xlsx", xlsx_file([["unit", "date", "village_id", "recorded"],
                             ["U1", dt.datetime(2024, 1, 2), "near", 5],
                             ["U1", dt.datetime(2024, 1, 3), "v1", "dua puluh"]]),
        3, "recorded", "'dua puluh' is not a number", []),
    "XLSX with a date for a number": (  # a number cell formatted as a date: was exit 1
        "a.xlsx", xlsx_file([["unit", "date", "village_id", "recorded"],
                             ["U1", dt.datetime(2024, 1, 2), "near", 5],
                             ["U1", dt.datetime(2024, 1, 3), "v1", dt.datetime(1900, 1, 10)]]),
        3, "recorded", "is not a number", []),
    # the default today, the day after it, lies outside the campaign: was blamed on --today
    "a visit on the deadline": ("a.csv", HEADER + "U1,2024-01-02,near,5\nU1,2024-02-09,v1,5\n",
                                3, "date", "is the campaign's deadline: no day is left", []),
    "empty file": ("a.csv", "", 1, r"\(file\)", "empty", []),
    "bad date": ("a.csv", HEADER + "U1,2024-02-30,near,5\n", 2, "date",
                 "not a day of the calendar", []),
    "date of wrong shape": ("a.csv", HEADER + "U1,kemarin,near,5\n", 2, "date",
                            "'kemarin' is not a date", []),
    "counts_on before the date": ("a.csv", "unit,date,village_id,recorded,counts_on\n"
                                  "U1,2024-01-05,far,5,2024-01-04\n", 2, "counts_on",
                                  "before the visit's date", []),
    "missing file": ("a.csv", None, 1, r"\(file\)", "no such file", []),
    # once blamed on --today (the day after it, outside the campaign) instead of the row
    "date after the deadline": ("a.csv", HEADER + "U1,2024-01-02,near,5\nU1,2024-02-20,v1,5\n",
                                3, "date", r"after the campaign's deadline \(2024-02-09\)", []),
}


@pytest.mark.parametrize("name", list(BAD))
def test_bad_actuals_exit_2_with_file_line_column(name, tmp_path):
    file_name, content, line, column, message, extra = BAD[name]
    scenario = write_campaign(tmp_path)
    path = tmp_path / file_name
    if callable(content):
        content(path)
    elif content is not None:
        path.write_text(content)
    out = tmp_path / "out"
    result = run_cli([scenario, "--actuals", path, "-o", out] + extra)
    assert result.exit_code == 2, result.output
    pattern = rf"^{re.escape(str(path))}:{line}: {column}: .*{message}"
    assert any(re.search(pattern, ln) for ln in result.output.splitlines()), result.output
    assert not out.exists()


@pytest.mark.parametrize("args, option, message", [
    (["--today", "2024-13-01"], "--today", "not a date"),
    (["--today", "2024-03-01"], "--today", "outside the campaign"),
    (["--today", "2023-12-31"], "--today", "outside the campaign"),
])
def test_bad_today_is_an_option_error(args, option, message, tmp_path):
    scenario = write_campaign(tmp_path)
    done = tmp_path / "a.csv"
    done.write_text(HEADER)
    result = run_cli([scenario, "--actuals", done, "-o", tmp_path / "out"] + args)
    assert result.exit_code == 2
    assert re.search(rf"^<command line>:1: {option}: .*{message}", result.output, re.M)


def test_a_folder_of_actuals_for_one_scenario_is_located(tmp_path):
    result = run_cli([write_campaign(tmp_path), "--actuals", tmp_path, "-o", tmp_path / "out"])
    assert result.exit_code == 2
    assert f"{tmp_path}:1: (file): is a folder: give the file of the visits" in result.output


def test_today_without_actuals_is_an_option_error(tmp_path):
    result = run_cli([write_campaign(tmp_path), "--today", "2024-01-05"])
    assert result.exit_code == 2 and "<command line>:1: --today: " in result.output


@pytest.mark.parametrize("lang, warned", [
    ("en", r"^warning: .*a\.csv: village near \(Desa Dekat\): 150 actually recorded, more than "
           r"its backlog of 100"),
    ("id", r"^peringatan: .*a\.csv: desa near \(Desa Dekat\): 150 orang benar-benar direkam, "
           r"lebih dari 100 yang belum terekam")])
def test_more_recorded_than_the_backlog_still_plans(tmp_path, lang, warned):
    scenario = write_campaign(tmp_path)
    done = tmp_path / "a.csv"
    done.write_text(HEADER + "U1,2024-01-02,near,150\n")
    out = tmp_path / "out"
    result = run_cli([scenario, "--actuals", done, "-o", out, "--planner", "greedy", "-q",
                      "--formats", "progress", "--lang", lang])
    assert result.exit_code == 0, result.output
    assert re.search(warned, result.output, re.M), result.output
    summary = json.loads((out / "summary.json").read_text())
    assert "near" not in {e["village_id"] for e in summary["left_out"]}
    assert summary["actuals"]["recorded"] == 150


def test_library_rejects_a_row_on_or_after_today(campaign, tmp_path):
    done = tmp_path / "a.csv"
    done.write_text(HEADER + "U1,2024-01-05,near,5\n")
    actuals = load_actuals(done, campaign)
    with pytest.raises(ActualsError, match=r"a.csv:2: date: 2024-01-05 is on or after today"):
        campaign.after(actuals, dt.date(2024, 1, 5))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert campaign.after(actuals, dt.date(2024, 1, 6)).calendar.start == dt.date(2024, 1, 6)


def test_every_bad_row_in_one_report(campaign, tmp_path):
    """A row dated on `today` among rows with problems of their own is reported with them,
    not only once they are fixed."""
    done = tmp_path / "a.csv"
    done.write_text(HEADER + "U9,2024-01-02,near,5\nU1,2024-01-05,near,5\nU1,2024-01-03,v1,x\n")
    with pytest.raises(ActualsError) as caught:
        load_actuals(done, campaign, dt.date(2024, 1, 5))
    assert [(p.line, p.path) for p in caught.value.problems] == [
        (2, "unit"), (3, "date"), (4, "recorded")]


def test_overtime_budget_overrun_warns_and_leaves_none(tmp_path):
    data = copy.deepcopy(CAMPAIGN)
    data["staff"]["overtime_unit_days"] = 1
    scenario = make_scenario(data)
    done = tmp_path / "a.csv"
    done.write_text(HEADER + "U1,2024-01-06,near,5\nU2,2024-01-07,v1,5\n")
    with pytest.warns(UserWarning, match="2 actual overtime unit-days, more than the budget of 1"):
        left = scenario.after(load_actuals(done, scenario))
    assert left.staff.overtime_unit_days == 0


def test_a_second_re_plan_from_last_weeks_rows_only_warns(first_plan, tmp_path):
    """The second re-plan into the folder of the first needs every visit since the start; an
    actuals file of the last week alone (a re-plan's visits.csv holds its own plan only)
    draws a warning naming how many the first re-plan counted; the whole file does not."""
    scenario = write_campaign(tmp_path)
    out = tmp_path / "plan"
    week = dt.date(2024, 1, 15)
    rows = [(r.unit, r.date, s.village_id, s.recorded) for r in first_plan.routes
            for s in r.stops if r.date < TODAY]
    files = {}
    for name, keep in (("first", lambda d: d < week), ("last", lambda d: week <= d),
                       ("all", lambda d: True)):
        files[name] = tmp_path / f"{name}.csv"
        files[name].write_text(HEADER + "".join(f"{u},{d},{v},{n}\n" for u, d, v, n in rows
                                                if keep(d)))
    first_count = sum(1 for r in rows if r[1] < week)
    once = run_cli([scenario, "-o", out, "--actuals", files["first"], "--today", week,
                    "--planner", "greedy", "-q", "--lang", "en"])
    assert once.exit_code == 0 and "warning" not in once.output, once.output
    backup = tmp_path / "backup"
    shutil.copytree(out, backup)
    forgot = run_cli([scenario, "-o", out, "--actuals", files["last"], "--today", TODAY,
                      "--planner", "greedy", "-q", "--lang", "en"])
    assert forgot.exit_code == 0, forgot.output
    assert (f"warning: {out / 'summary.json'}: the re-plan written here before counted "
            f"{first_count} visits that happened before {week}; {first_count} of them are not "
            "in this actuals file") in forgot.output
    shutil.rmtree(out)
    shutil.copytree(backup, out)
    whole = run_cli([scenario, "-o", out, "--actuals", files["all"], "--today", TODAY,
                     "--planner", "greedy", "-q", "--lang", "en"])
    assert whole.exit_code == 0 and "warning" not in whole.output, whole.output


def test_load_actuals_takes_today_as_a_date_or_its_text(campaign, tmp_path):
    # "2024-01-12" was "TypeError: '>' not supported between instances of 'str' and
    # 'datetime.date'", where scenario.after takes the same text
    done = tmp_path / "done.csv"
    done.write_text(HEADER + "U1,2024-01-06,near,40\nU1,2024-01-10,far,25\n")
    assert (load_actuals(done, campaign, "2024-01-12")
            == load_actuals(done, campaign, dt.date(2024, 1, 12)))
    with pytest.raises(ActualsError, match="date: 2024-01-10 is on or after today"):
        load_actuals(done, campaign, "2024-01-08")
    with pytest.raises(ValueError, match="^today: '8 Jan' is not a date"):
        load_actuals(done, campaign, "8 Jan")


def test_an_actuals_file_kept_in_the_plans_folder_stays_there(first_plan, tmp_path):
    # `--actuals plan/koreksi.csv -o plan`: the re-plan replaced the folder whole and the
    # office's corrected file was gone (and `--check-plan plan --actuals plan/koreksi.csv`
    # with it); a file the new plan writes itself (its schedule.xlsx) is the new plan's
    scenario = write_campaign(tmp_path)
    out = tmp_path / "plan"
    assert run_cli([scenario, "-o", out, "--planner", "greedy", "-q", "--formats",
                    "schedule"]).exit_code == 0
    done = pd.read_csv(out / "visits.csv", dtype=str)
    kept = out / "koreksi" / "minggu-1.csv"
    kept.parent.mkdir()
    done[done["date"] < "2024-01-03"].to_csv(kept, index=False)
    before = kept.read_bytes()
    result = run_cli([scenario, "--actuals", kept, "-o", out, "--planner", "greedy", "-q",
                      "--formats", "schedule"])
    assert result.exit_code == 0, result.output
    assert kept.read_bytes() == before
    assert run_cli([scenario, "--check-plan", out, "--actuals", kept]).exit_code == 0
    written = (out / "schedule.xlsx").read_bytes()
    result = run_cli([scenario, "--actuals", out / "schedule.xlsx", "--today", "2024-01-03",
                      "-o", out, "--planner", "greedy", "-q", "--formats", "schedule"])
    assert result.exit_code == 0, result.output
    assert (out / "schedule.xlsx").read_bytes() != written
