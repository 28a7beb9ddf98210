"""A plan edited by hand made whole again (`plan-routes --from-plan FOLDER`,
`planner.hand_plan`): the planner's days, order and people kept, every time taken again from
the scenario, an unedited plan unchanged, a broken edit refused at its row, and the outputs
of an edit against the plan that announced the visits (which villages to tell)."""
from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import warnings

import pytest

from planner.check import check
from planner.hand_plan import plan_from_folder
from planner.plan import hms
from planner.scenario import ScenarioError
from tests.test_actuals import TODAY, run_cli, write_campaign
from tests.test_keep import actuals_file, campaign, earlier  # noqa: F401 (fixtures)

MONDAY, TUESDAY = dt.date(2024, 1, 1), dt.date(2024, 1, 2)


def write_rows(path, rows):
    with path.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def read_rows(path):
    with path.open(newline="") as f:
        return list(csv.DictReader(f))


def test_times_follow_the_order_and_the_people_written(tiny_scenario, tmp_path):
    """TINY (1 km = 2 min; setup 30 min; 2 kits at 5 min a person: 150 s each): Monday, Desa B
    (10 km out) before Desa A (5 km from B and from the base), 10 and 20 people; Tuesday, A
    again with 80 written, where the turnout cap of the 80 left is 56. The written hours
    (00:00, out of the new order) are not kept; Wednesday's empty day row is dropped."""
    visit = {"unit": "U1", "seq": "", "village_id": "", "recorded": "", "arrive": "00:00:00",
             "start": "00:00:00", "end": "00:00:00"}
    write_rows(tmp_path / "visits.csv", [
        {**visit, "date": "2024-01-01", "seq": "2", "village_id": "a", "recorded": "20"},
        {**visit, "date": "2024-01-01", "seq": "1", "village_id": "b", "recorded": "10"},
        {**visit, "date": "2024-01-02", "seq": "7", "village_id": "a", "recorded": "80"}])
    write_rows(tmp_path / "days.csv", [
        {"unit": "U1", "date": "2024-01-01", "depart": "08:00:00", "start_place": "base",
         "end_place": "base"},
        {"unit": "U1", "date": "2024-01-03", "depart": "08:00:00", "start_place": "base",
         "end_place": "base"}])
    with pytest.warns(UserWarning) as warned:  # Tuesday's lone visit keeps its 00:00
        plan = plan_from_folder(tiny_scenario, tmp_path)
    assert [str(w.message) for w in warned] == [
        f"{tmp_path}/visits.csv:4: Desa A on 2024-01-02: the team arrives at 08:10:00, after "
        "the 00:00:00 written for the visit; it starts on arrival, so tell the village"]
    monday, tuesday = plan.routes
    assert [(s.village_id, hms(s.arrive), hms(s.start), hms(s.end), s.recorded)
            for s in monday.stops] == [("b", "08:20:00", "08:20:00", "09:15:00", 10),
                                       ("a", "09:25:00", "09:25:00", "10:45:00", 20)]
    assert hms(monday.return_) == "10:55:00"
    assert tuesday.date == TUESDAY and hms(tuesday.depart) == "08:00:00"
    assert [(s.village_id, hms(s.arrive), hms(s.end), s.recorded) for s in tuesday.stops] == \
        [("a", "08:10:00", "11:00:00", 56)]
    assert list(plan.visits["seq"]) == [1, 2, 1]
    assert check(tiny_scenario, plan) == []
    assert plan.solver["method"] == "from-plan" and plan.solver["upper_bound"] is None


def _written(plan, folder):
    folder.mkdir(exist_ok=True)
    plan.visits.to_csv(folder / "visits.csv", index=False)
    plan.days.to_csv(folder / "days.csv", index=False)
    return read_rows(folder / "visits.csv")


def test_a_deleted_visit_leaves_the_others_hours_as_announced(tiny_scenario, tmp_path):
    """Monday as written: A (20 people) 08:10-09:30, then B (10) 09:40-10:35. Deleting A
    leaves B at its announced 09:40 (the unit leaves at 09:20, B being 20 min out); swapping
    them lets both follow the new order (B 08:20, A 09:25)."""
    write_rows(tmp_path / "visits.csv", [
        {"unit": "U1", "date": "2024-01-01", "seq": "1", "village_id": "a", "recorded": "20"},
        {"unit": "U1", "date": "2024-01-01", "seq": "2", "village_id": "b", "recorded": "10"}])
    rows = _written(plan_from_folder(tiny_scenario, tmp_path), tmp_path)
    assert [(r["village_id"], r["start"], r["end"]) for r in rows] == \
        [("a", "08:10:00", "09:30:00"), ("b", "09:40:00", "10:35:00")]
    write_rows(tmp_path / "visits.csv", rows[1:])
    (route,) = plan_from_folder(tiny_scenario, tmp_path).routes
    assert (hms(route.depart), hms(route.stops[0].start), hms(route.stops[0].end)) == \
        ("09:20:00", "09:40:00", "10:35:00")
    rows[0]["seq"], rows[1]["seq"] = "2", "1"
    write_rows(tmp_path / "visits.csv", rows)
    (route,) = plan_from_folder(tiny_scenario, tmp_path).routes
    assert [(s.village_id, hms(s.start)) for s in route.stops] == [("b", "08:20:00"),
                                                                  ("a", "09:25:00")]


def test_a_departure_written_for_a_kept_hour_goes_with_that_visit(tiny_scenario, tmp_path):
    """docs/workflow.md, section 3: Monday with A deleted is written leaving at 09:20 for B's
    announced 09:40 (20 min out). A later edit puts A (08:10 as written before, 10 min out)
    back in front: the 09:20 was written for B, so the day leaves at its shift's start again,
    A at 08:10 and B waiting for its 09:40, no warning (it left at 09:20, A at 09:30, and
    warned at A's row and B's). A departure typed by hand (08:30, no visit's) stays the
    earliest the day leaves; an emptied one is the shift's start."""
    write_rows(tmp_path / "visits.csv", [
        {"unit": "U1", "date": "2024-01-01", "seq": "1", "village_id": "a", "recorded": "20"},
        {"unit": "U1", "date": "2024-01-01", "seq": "2", "village_id": "b", "recorded": "10"}])
    first = _written(plan_from_folder(tiny_scenario, tmp_path), tmp_path)
    write_rows(tmp_path / "visits.csv", first[1:])
    later = _written(plan_from_folder(tiny_scenario, tmp_path), tmp_path)
    assert read_rows(tmp_path / "days.csv")[0]["depart"] == "09:20:00"
    write_rows(tmp_path / "visits.csv", [first[0], *later])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (route,) = plan_from_folder(tiny_scenario, tmp_path).routes
    assert hms(route.depart) == "08:00:00"
    assert [(s.village_id, hms(s.start)) for s in route.stops] == [("a", "08:10:00"),
                                                                  ("b", "09:40:00")]
    days = read_rows(tmp_path / "days.csv")
    for typed, starts, late in (("08:30:00", ("08:40:00", "10:10:00"), 2),
                                ("", ("08:10:00", "09:40:00"), 0)):
        days[0]["depart"] = typed
        write_rows(tmp_path / "days.csv", days)
        with warnings.catch_warnings(record=True) as warned:
            warnings.simplefilter("always")
            (route,) = plan_from_folder(tiny_scenario, tmp_path).routes
        assert [(s.village_id, hms(s.start)) for s in route.stops] == list(zip("ab", starts))
        assert len(warned) == late  # typed: A and B late for their written hours


def test_a_visit_keeping_its_hours_keeps_its_announced_end(tiny_scenario, tmp_path):
    """A re-plan kept A at its announced 08:10-09:30 with 12 people where 20 were expected
    (setup 30 min + 12 x 150 s would end at 09:10): an edit of other rows leaves A's hours as
    the village was told, instead of ending it at 09:10 and telling the village again."""
    write_rows(tmp_path / "visits.csv", [
        {"unit": "U1", "date": "2024-01-01", "seq": "1", "village_id": "a", "recorded": "20"},
        {"unit": "U1", "date": "2024-01-01", "seq": "2", "village_id": "b", "recorded": "10"}])
    rows = _written(plan_from_folder(tiny_scenario, tmp_path), tmp_path)
    rows[0]["recorded"] = "12"
    write_rows(tmp_path / "visits.csv", rows)
    (route,) = plan_from_folder(tiny_scenario, tmp_path).routes
    assert [(s.village_id, hms(s.start), hms(s.end), s.recorded) for s in route.stops] == \
        [("a", "08:10:00", "09:30:00", 12), ("b", "09:40:00", "10:35:00", 10)]


def test_an_hour_typed_for_a_visit_goes_with_it(tiny_scenario, tmp_path):
    """Desa B moved from Monday (arrived 09:40) to Tuesday with 13:00 typed as its start (not
    its written arrival): Tuesday leaves at 12:40 (B is 20 min out), starts at 13:00 and ends
    at 13:55 (30 min + 10 x 150 s). Typed as 07:00, before the shift, the team arrives at
    08:20: a warning at the row, the visit starts on arrival."""
    visit = {"unit": "U1", "seq": "1", "recorded": "", "arrive": "", "start": ""}
    rows = [{**visit, "date": "2024-01-01", "village_id": "a", "recorded": "20",
             "arrive": "08:10:00", "start": "08:10:00"},
            {**visit, "date": "2024-01-02", "village_id": "b", "recorded": "10",
             "arrive": "09:40:00", "start": "13:00:00"}]
    write_rows(tmp_path / "visits.csv", rows)
    (_, tuesday) = plan_from_folder(tiny_scenario, tmp_path).routes
    assert hms(tuesday.depart) == "12:40:00"
    assert [(hms(s.arrive), hms(s.start), hms(s.end)) for s in tuesday.stops] == \
        [("13:00:00", "13:00:00", "13:55:00")]
    rows[1]["start"] = "07:00:00"
    write_rows(tmp_path / "visits.csv", rows)
    with pytest.warns(UserWarning, match="visits.csv:3: Desa B on 2024-01-02: the team arrives "
                      "at 08:20:00, after the 07:00:00 written"):
        (_, tuesday) = plan_from_folder(tiny_scenario, tmp_path).routes
    assert (hms(tuesday.depart), hms(tuesday.stops[0].start)) == ("08:00:00", "08:20:00")
    rows[1].update(arrive="", start="13:00:00")  # a row added by hand with its hour: kept
    write_rows(tmp_path / "visits.csv", rows)
    (_, tuesday) = plan_from_folder(tiny_scenario, tmp_path).routes
    assert hms(tuesday.stops[0].start) == "13:00:00"


@pytest.mark.parametrize("typed, warned", [("09:41:00", False), ("09:39:00", True)])
def test_a_missed_hour_warns_only_where_its_notice_changes(tiny_scenario, tmp_path, typed,
                                                          warned):
    """Desa A first with 21 people (08:10 + 30 min + 21 x 150 s = 09:32:30), Desa B 10 min on
    at 09:42:30. Typed 09:41, B is 90 s late but its notice (starts rounded down to 5
    minutes: 09:40) stands, as changes.csv finds; typed 09:39 the notice said 09:35."""
    visit = {"unit": "U1", "date": "2024-01-02", "arrive": "", "start": ""}
    write_rows(tmp_path / "visits.csv", [
        {**visit, "seq": "1", "village_id": "a", "recorded": "21"},
        {**visit, "seq": "2", "village_id": "b", "start": typed, "recorded": "10"}])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        (tuesday,) = plan_from_folder(tiny_scenario, tmp_path).routes
    assert hms(tuesday.stops[1].arrive) == hms(tuesday.stops[1].start) == "09:42:30"
    assert any(getattr(w.message, "key", "") == "from_plan_hour_missed" for w in caught) == warned


def test_an_added_row_needs_only_unit_date_and_village(tiny_scenario, tmp_path):
    """A row added by hand with an empty seq and recorded, below the day's numbered visit:
    after it, as many people as the turnout cap of what is left (B: ceil(0.7 x 60) = 42).
    Put above it (inserted before the day's first row): first, B 08:20-10:35, A from 10:45
    (5 km on) to 12:05 (30 min + 20 x 150 s)."""
    added = {"unit": "U1", "date": "2024-01-01", "seq": "", "village_id": "b", "recorded": ""}
    numbered = {"unit": "U1", "date": "2024-01-01", "seq": "1", "village_id": "a",
                "recorded": "20"}
    write_rows(tmp_path / "visits.csv", [numbered, added])
    (route,) = plan_from_folder(tiny_scenario, tmp_path).routes
    assert [(s.village_id, s.recorded) for s in route.stops] == [("a", 20), ("b", 42)]
    assert hms(route.stops[1].end) == "11:55:00"  # A 08:10-09:30, B from 09:40: 30 min + 42 x 150 s
    assert [type(s.recorded) for s in route.stops] == [int, int]
    write_rows(tmp_path / "visits.csv", [added, numbered])
    (route,) = plan_from_folder(tiny_scenario, tmp_path).routes
    assert [(s.village_id, hms(s.start), hms(s.end)) for s in route.stops] == \
        [("b", "08:20:00", "10:35:00"), ("a", "10:45:00", "12:05:00")]


def test_a_row_naming_another_village_than_its_code_warns(tiny_scenario, tmp_path):
    """A row added by copying the one above and typing the other village's name, its code
    left as it was: a warning at the row (the code decides); the village's own name, in other
    capitals, says nothing."""
    rows = [{"unit": "U1", "date": "2024-01-01", "seq": "1", "village_id": "a",
             "village": "desa  a", "recorded": "20"},
            {"unit": "U1", "date": "2024-01-01", "seq": "", "village_id": "a",
             "village": "Desa B", "recorded": ""}]
    write_rows(tmp_path / "visits.csv", rows[:1])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plan_from_folder(tiny_scenario, tmp_path)
    write_rows(tmp_path / "visits.csv", [rows[0], {**rows[1], "date": "2024-01-02"}])
    with pytest.warns(UserWarning) as warned:
        plan = plan_from_folder(tiny_scenario, tmp_path)
    assert [str(w.message) for w in warned] == [
        f"{tmp_path}/visits.csv:3: village: 'Desa B' is the name of village b, not of a ('Desa "
        "A'), the row's village_id: the row is read as a (the code decides); if the visit was "
        "at 'Desa B', write its code"]
    assert [s.village_id for r in plan.routes for s in r.stops] == ["a", "a"]


def test_an_hour_set_by_hand_leaves_the_others_order_alone():
    """B announced at 12:31 (its start its arrival); a row added below it with 09:00 typed:
    both keep their hours (the hour set by hand does not count as written before B)."""
    import pandas as pd

    from planner.hand_plan import _kept_starts
    from planner.hand_tables import NO_SEQ

    day = pd.DataFrame({"line": [2, 3], "seq": [1, NO_SEQ], "arrive": [45060, None],
                        "start": [45060, 32400]})
    assert _kept_starts(day, day) == {2: 45060, 3: 32400}


def test_rows_without_a_seq_stand_where_they_were_put():
    """By seq; a row without one right after the numbered visit on the nearest line above
    it, first where there is none; ties in the order of the lines."""
    import pandas as pd

    from planner.hand_plan import _in_edited_order
    from planner.hand_tables import NO_SEQ

    day = pd.DataFrame({"line": [2, 3, 4, 5, 6, 7], "seq": [NO_SEQ, 2, NO_SEQ, 1, NO_SEQ, 2]})
    assert list(_in_edited_order(day)["line"]) == [2, 5, 6, 3, 7, 4]


def test_an_unedited_plan_comes_out_as_it_was(campaign, earlier):  # noqa: F811
    folder, plan = earlier
    again = plan_from_folder(campaign, folder)
    assert again.visits.equals(plan.visits) and again.days.equals(plan.days)


def test_a_broken_edit_is_refused_at_its_row(tiny_scenario, tmp_path):
    """Monday's day, edited to leave at 14:00, cannot visit A (3 h for 60 people) and B
    before the shift ends: refused at the day's row; then a village the scenario does not
    have is named at its cell."""
    write_rows(tmp_path / "visits.csv", [
        {"unit": "U1", "date": "2024-01-01", "seq": "1", "village_id": "a", "recorded": "60"},
        {"unit": "U1", "date": "2024-01-01", "seq": "2", "village_id": "b", "recorded": "42"},
        {"unit": "U1", "date": "2024-01-02", "seq": "1", "village_id": "b", "recorded": "5"}])
    write_rows(tmp_path / "days.csv", [
        {"unit": "U1", "date": "2024-01-01", "depart": "14:00:00", "start_place": "base",
         "end_place": "base"}])
    with pytest.raises(ScenarioError) as caught:
        plan_from_folder(tiny_scenario, tmp_path)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.path) == (str(tmp_path / "days.csv"), 2,
                                                           "day_hours")
    assert "after the day's hours end at 16:00:00" in problem.message
    rows = read_rows(tmp_path / "visits.csv")
    rows[2]["village_id"] = "c"
    write_rows(tmp_path / "visits.csv", rows)
    with pytest.raises(ScenarioError) as caught:
        plan_from_folder(tiny_scenario, tmp_path)
    assert [(p.line, p.path) for p in caught.value.problems] == [(4, "village_id")]


def _edited(folder, out):
    """The plan's folder copied to `out` with its first two-visit day in reverse order and
    the first visit of another day deleted: (the swapped villages, the deleted row)."""
    shutil.copytree(folder, out)
    rows = read_rows(out / "visits.csv")
    days: dict = {}
    for r in rows:
        days.setdefault((r["unit"], r["date"]), []).append(r)
    first, second = next(v for v in days.values() if len(v) == 2)
    first["seq"], second["seq"] = second["seq"], first["seq"]
    deleted = next(r for r in rows if (r["unit"], r["date"]) != (first["unit"], first["date"]))
    rows.remove(deleted)
    write_rows(out / "visits.csv", rows)
    return {first["village_id"], second["village_id"]}, deleted


def test_cli_writes_the_edit_and_says_which_villages_to_tell(earlier, tmp_path):  # noqa: F811
    """Edited in a copy and written over the folder of the announced plan: changes.csv names
    the reordered and the deleted visits' villages, the deleted visit is withdrawn from the
    phones, every output is the edited plan's and it passes --check-plan."""
    folder, plan = earlier
    scenario = write_campaign(tmp_path)
    announced = tmp_path / "plan"
    shutil.copytree(folder, announced)
    swapped, deleted = _edited(folder, tmp_path / "edit")
    result = run_cli([scenario, "--from-plan", tmp_path / "edit", "-o", announced, "-q",
                      "--formats", "calendar,announcements", "--lang", "en"])
    assert result.exit_code == 0, result.output
    changed = {r["village_id"]: r["change"] for r in read_rows(announced / "changes.csv")}
    assert swapped | {deleted["village_id"]} <= set(changed)
    assert len(read_rows(announced / "visits.csv")) == len(plan.visits) - 1
    cancelled = (announced / "calendar-cancelled" / f"{deleted['unit']}.ics").read_text()
    assert f"{deleted['date'].replace('-', '')}" in cancelled
    summary = json.loads((announced / "summary.json").read_text())
    assert summary["solver"]["method"] == "from-plan" and summary["upper_bound"] is None
    check_run = run_cli([scenario, "--check-plan", announced])
    assert check_run.exit_code == 0, check_run.output


def test_cli_warns_when_the_edit_is_written_in_place(earlier, tmp_path):  # noqa: F811
    folder, _ = earlier
    scenario = write_campaign(tmp_path)
    here = tmp_path / "plan"
    shutil.copytree(folder, here)
    result = run_cli([scenario, "--from-plan", here, "-o", here, "-q", "--formats", "calendar",
                      "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert f"{here}: --from-plan edits this folder in place" in result.output
    elsewhere = run_cli([scenario, "--from-plan", here, "-o", tmp_path / "out", "-q",
                         "--formats", "calendar", "--lang", "en"])
    assert elsewhere.exit_code == 0 and "in place" not in elsewhere.output


def test_cli_refuses_a_broken_edit_and_writes_nothing(earlier, tmp_path):  # noqa: F811
    folder, _ = earlier
    scenario = write_campaign(tmp_path)
    edit = tmp_path / "edit"
    shutil.copytree(folder, edit)
    rows = read_rows(edit / "visits.csv")
    rows[0]["recorded"] = "100000"  # more than the day can hold (the turnout cap allows it)
    write_rows(edit / "visits.csv", rows)
    out = tmp_path / "out"
    result = run_cli([scenario, "--from-plan", edit, "-o", out])
    assert result.exit_code == 2
    assert all(line.startswith(f"{edit}/") for line in result.output.strip().splitlines())
    assert not out.exists()


@pytest.mark.parametrize("extra", [["--keep-until", "2024-01-26"], ["--planner", "greedy"],
                                   ["--robust", "0.2"], ["--check-plan", "."]])
def test_cli_refuses_from_plan_with_options_that_plan(earlier, tmp_path, extra):  # noqa: F811
    folder, _ = earlier
    scenario = write_campaign(tmp_path)
    result = run_cli([scenario, "--from-plan", folder, *extra])
    assert result.exit_code == 2
    assert result.output.startswith("<command line>:1: --")


def test_cli_refuses_from_plan_with_several_scenarios(earlier, tmp_path):  # noqa: F811
    folder, _ = earlier
    one = write_campaign(tmp_path)
    other = tmp_path / "other.yaml"
    shutil.copy(one, other)
    result = run_cli([one, other, "--from-plan", folder, "-o", tmp_path / "root"])
    assert result.exit_code == 2 and "--from-plan" in result.output


def test_a_re_plans_folder_with_its_actuals(earlier, tmp_path):  # noqa: F811
    """A re-plan's folder (from the actuals) written again with the same --actuals: checked on
    what is left after them, its visits as they were, its actual figures in the summary."""
    folder, plan = earlier
    scenario = write_campaign(tmp_path)
    done = actuals_file(plan, tmp_path)
    replan = tmp_path / "replan"
    first = run_cli([scenario, "--actuals", done, "--today", TODAY, "-o", replan, "--planner",
                     "greedy", "-q", "--formats", "calendar"])
    assert first.exit_code == 0, first.output
    before = read_rows(replan / "visits.csv")
    again = run_cli([scenario, "--actuals", done, "--today", TODAY, "--from-plan", replan,
                     "-o", replan, "-q", "--formats", "calendar"])
    assert again.exit_code == 0, again.output
    assert read_rows(replan / "visits.csv") == before
    summary = json.loads((replan / "summary.json").read_text())
    assert summary["actuals"]["today"] == TODAY.isoformat()
    assert summary["changes"]["changed"] == summary["changes"]["cancelled"] == 0
    alone = run_cli([scenario, "--from-plan", replan, "-o", tmp_path / "out", "-q"])
    assert alone.exit_code == 2  # without the actuals its figures would leave them out
    assert alone.output.startswith(f"{replan}/summary.json:1: actuals: this plan is a re-plan "
                                   f"from the visits that happened before {TODAY}")
    assert not (tmp_path / "out").exists()
