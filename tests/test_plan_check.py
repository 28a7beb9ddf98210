"""`plan-routes SCENARIO --check-plan FOLDER`: a plan folder re-checked from the command line
(`planner/plan_check.py`)."""
from __future__ import annotations

import csv
import json
import re

import pytest
import yaml
from click.testing import CliRunner

from planner.cli import main
from tests.conftest import TINY


@pytest.fixture
def planned(tmp_path):
    """TINY as a file and its greedy plan's folder."""
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(yaml.safe_dump(TINY, sort_keys=False))
    folder = tmp_path / "plan"
    result = CliRunner().invoke(main, [str(scenario), "-o", str(folder), "--planner", "greedy",
                                       "--formats", "calendar", "-q"])
    assert result.exit_code == 0, result.output
    return scenario, folder


def check_plan(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_a_plan_as_written_keeps_every_rule(planned):
    scenario, folder = planned
    result = check_plan(scenario, "--check-plan", folder, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert re.search(r"the plan keeps every rule \(\d+ visits, \d+ unit-days\)", result.stdout)


def test_a_hand_edit_is_reported_at_its_line(planned):
    scenario, folder = planned
    visits = folder / "visits.csv"
    rows = list(csv.reader(visits.open()))
    rows[1][rows[0].index("recorded")] = "99"  # more than come (and than the time allows)
    with visits.open("w", newline="") as f:
        csv.writer(f).writerows(rows)
    result = check_plan(scenario, "--check-plan", folder)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert f"{visits}:2: turnout_cap: " in result.stderr
    assert f"{visits}:2: service_time: " in result.stderr
    assert f"{folder / 'summary.json'}:1: summary_counted: " in result.stderr
    assert all(re.match(r"^\S+:\d+: [a-z_]+: \S", line) for line in lines[:-1]), lines
    assert lines[-1].endswith("aturan di %d tempat" % (len(lines) - 1))  # Bahasa by default


def test_a_missing_table_is_reported(planned):
    scenario, folder = planned
    (folder / "days.csv").unlink()
    result = check_plan(scenario, "--check-plan", folder)
    assert result.exit_code == 2
    assert f"{folder / 'days.csv'}:1: table_format: " in result.stderr


@pytest.mark.parametrize("extra, option", [
    (["-o", "elsewhere"], "--output"),
    (["--check"], "--check"),
    (["--simulate", "10"], "--simulate"),
])
def test_what_check_plan_cannot_be_given_with(planned, extra, option):
    scenario, folder = planned
    result = check_plan(scenario, "--check-plan", folder, *extra)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"<command line>:1: {option}: ")


def test_one_scenario_and_an_existing_folder(planned, tmp_path):
    scenario, folder = planned
    two = check_plan(scenario, scenario, "--check-plan", folder)
    assert two.exit_code == 2 and "<command line>:1: --check-plan: " in two.stderr
    missing = check_plan(scenario, "--check-plan", tmp_path / "nowhere")
    assert missing.exit_code == 2 and "<command line>:1: --check-plan: " in missing.stderr


@pytest.fixture
def replanned(planned, tmp_path):
    """The scenario file, the actuals (everything planned happened) and the greedy re-plan's
    folder from the day after."""
    scenario, folder = planned
    actuals = folder / "visits.csv"
    replan = tmp_path / "replan"
    result = check_plan(scenario, "-o", replan, "--actuals", actuals, "-q", "--planner",
                        "greedy", "--formats", "calendar")
    assert result.exit_code == 0, result.output
    return scenario, actuals, replan


def test_a_replan_is_checked_against_what_is_left(replanned):
    scenario, actuals, replan = replanned
    checked = check_plan(scenario, "--check-plan", replan, "--actuals", actuals)
    assert checked.exit_code == 0, checked.output


def test_a_replans_summary_is_checked_against_its_actuals(replanned):
    """A hand edit of a re-plan's actual figures or goal date is found with the same
    --actuals (before, a re-plan's goal date was not checked at all)."""
    scenario, actuals, replan = replanned
    summary = json.loads((replan / "summary.json").read_text())
    summary["actuals"]["counted"] += 1
    summary["goal_reached_on"] = "2024-01-02"  # TINY sets no goal
    (replan / "summary.json").write_text(json.dumps(summary))
    checked = check_plan(scenario, "--check-plan", replan, "--actuals", actuals)
    assert checked.exit_code == 2
    assert f"{replan / 'summary.json'}:1: summary_actuals: summary.json says actuals.counted" \
        in checked.stderr
    assert f"{replan / 'summary.json'}:1: summary_goal: " in checked.stderr


def test_a_replan_needs_its_actuals(replanned):
    scenario, _, replan = replanned
    checked = check_plan(scenario, "--check-plan", replan)
    assert checked.exit_code == 2
    assert checked.stderr.startswith(f"{replan / 'summary.json'}:1: actuals: this plan is a "
                                     "re-plan from the visits that happened before 2024-01-")


def test_a_day_with_too_few_staff_is_reported_at_its_first_visit(planned):
    """A rule about a whole day (its staff) stands at that day's first visit, not line 1."""
    scenario, folder = planned
    data = yaml.safe_load(scenario.read_text())
    data["staff"] = {"weekday": 1, "weekend": 1}  # fewer than any crew
    scenario.write_text(yaml.safe_dump(data, sort_keys=False))
    rows = list(csv.DictReader((folder / "visits.csv").open()))
    first = {}
    for line, row in enumerate(rows, start=2):
        first.setdefault(row["date"], line)
    result = check_plan(scenario, "--check-plan", folder)
    assert result.exit_code == 2
    found = re.findall(r"visits\.csv:(\d+): staff_per_day: On (\S+) ", result.stderr)
    assert {day: int(line) for line, day in found} == first


def test_a_unit_day_without_its_days_row_is_reported_at_its_first_visit(planned):
    scenario, folder = planned
    days = folder / "days.csv"
    lines = days.read_text().splitlines()
    days.write_text("\n".join(lines[:1]) + "\n")  # the header only
    result = check_plan(scenario, "--check-plan", folder)
    assert result.exit_code == 2
    assert f"{folder / 'visits.csv'}:2: days_match_visits: " in result.stderr


def test_a_replans_summary_without_its_actuals_is_reported(replanned):
    """Checked as a re-plan (--actuals given), a summary.json whose `actuals` were deleted
    is a violation, not a summary with nothing to compare."""
    scenario, actuals, replan = replanned
    summary = json.loads((replan / "summary.json").read_text())
    del summary["actuals"]
    (replan / "summary.json").write_text(json.dumps(summary))
    checked = check_plan(scenario, "--check-plan", replan, "--actuals", actuals)
    assert checked.exit_code == 2
    assert f"{replan / 'summary.json'}:1: summary_actuals: summary.json has no actuals, but " \
        "the plan is checked as a re-plan from" in checked.stderr


@pytest.mark.parametrize("edit, words", [
    (lambda a: a.update(objective=a["objective"] + 1), " says actuals.objective = 161.0, but "
                                                       "the visits that happened give 160.0"),
    (lambda a: a.update(unit_days=a["unit_days"] + 1), " says actuals.unit_days = 5, but the "
                                                       "visits that happened give 4"),
    (lambda a: a["done"][0].update(recorded=71), " says actuals.done[0] = {'unit': 'U1', "
                                                 "'date': '2024-01-01', 'village_id': 'a', "
                                                 "'recorded': 71"),
    (lambda a: a["done"].pop(), "'s actuals.done lists 7 visits, but 8 happened"),
    (lambda a: a.update(done=None), " says actuals.done = None, but the 8 visits that happened "
                                    "give a list of them"),
    (lambda a: a["by_village"]["a"].update(recorded=99), " says actuals.by_village['a'] = "),
])
def test_a_replans_actuals_are_checked_key_by_key(replanned, edit, words):
    """The priority-weighted `objective`, and `unit_days` and `done`, which a summary may leave
    out, where it gives them."""
    scenario, actuals, replan = replanned
    summary = json.loads((replan / "summary.json").read_text())
    edit(summary["actuals"])
    (replan / "summary.json").write_text(json.dumps(summary))
    checked = check_plan(scenario, "--check-plan", replan, "--actuals", actuals)
    assert checked.exit_code == 2
    assert f"{replan / 'summary.json'}:1: summary_actuals: summary.json{words}" \
        in checked.stderr


def test_a_replans_district_counts_are_checked_given_its_actuals(replanned):
    """A re-plan's district backlog and counted recordings include the visits that happened:
    checked where --actuals gives them."""
    scenario, actuals, replan = replanned
    summary = json.loads((replan / "summary.json").read_text())
    summary["districts"]["Timur"]["counted"] += 1
    (replan / "summary.json").write_text(json.dumps(summary))
    checked = check_plan(scenario, "--check-plan", replan, "--actuals", actuals)
    assert checked.exit_code == 2
    assert f"{replan / 'summary.json'}:1: summary_coverage: summary.json, district 'Timur': " \
        "counted" in checked.stderr


def test_a_replan_made_with_a_later_today_is_checked_with_it(planned, tmp_path):
    """A week's actuals end on Friday and the office re-plans from Monday (`--today`): the
    check without --today takes the day after the latest visit and says which --today the
    folder was made with."""
    scenario, folder = planned
    lines = (folder / "visits.csv").read_text().splitlines()
    actuals = tmp_path / "done.csv"
    actuals.write_text("\n".join([lines[0], *(x for x in lines[1:] if ",2024-01-01," in x)]))
    replan = tmp_path / "replan"
    made = check_plan(scenario, "-o", replan, "--actuals", actuals, "--today", "2024-01-03",
                      "-q", "--planner", "greedy", "--formats", "calendar")
    assert made.exit_code == 0, made.output
    checked = check_plan(scenario, "--check-plan", replan, "--actuals", actuals)
    assert checked.exit_code == 2
    assert ("summary.json says actuals.today = '2024-01-03', but the visits that happened give "
            "'2024-01-02' (with --today 2024-01-03, if the re-plan was made with it).") \
        in checked.stderr
    again = check_plan(scenario, "--check-plan", replan, "--actuals", actuals, "--today",
                       "2024-01-03")
    assert again.exit_code == 0, again.stderr


def test_a_wrong_day_type_is_reported_at_its_visits_row(planned):
    """day_type is a visits.csv column: the line points there, not at the day's days.csv row
    (which has no day_type to correct)."""
    scenario, folder = planned
    visits = folder / "visits.csv"
    rows = list(csv.reader(visits.open()))
    line = len(rows)  # the last visit, not the first of its day
    rows[-1][rows[0].index("day_type")] = "holiday"
    with visits.open("w", newline="") as f:
        csv.writer(f).writerows(rows)
    result = check_plan(scenario, "--check-plan", folder)
    assert result.exit_code == 2
    assert f"{visits}:{line}: day_type: " in result.stderr, result.stderr


def test_a_wrong_seq_is_reported_at_its_visits_row(planned):
    """seq is a visits.csv column: the line is the row numbered out of place."""
    scenario, folder = planned
    visits = folder / "visits.csv"
    rows = list(csv.reader(visits.open()))
    key = [(r[0], r[1]) for r in rows]
    line = next(i for i in range(2, len(rows)) if key[i] == key[i - 1]) + 1  # a day's 2nd visit
    rows[line - 1][rows[0].index("seq")] = "7"
    with visits.open("w", newline="") as f:
        csv.writer(f).writerows(rows)
    result = check_plan(scenario, "--check-plan", folder)
    assert result.exit_code == 2
    assert f"{visits}:{line}: visit_sequence: " in result.stderr, result.stderr
