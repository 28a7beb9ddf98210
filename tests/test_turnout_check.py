"""What the visits that happened say about the scenario's turnout (`planner.turnout_check`):
hand-computed cases, and a re-plan through the command line into the earlier plan's folder."""
from __future__ import annotations

import csv
import json
import shutil
from decimal import Decimal

import pytest

from planner.actuals import load_actuals
from planner.notices import Notice
from planner.turnout_check import against_plan, with_observed_turnout
from tests.conftest import make_scenario
from tests.test_actuals import CAMPAIGN, TODAY, run_cli, write_campaign
from tests.test_keep import actuals_file, campaign, earlier  # noqa: F401 (fixtures)

MON, TUE = "2024-01-01", "2024-01-02"


def village_data(n: int, unrecorded: int) -> list[dict]:
    return [{"id": f"v{i}", "x": i, "y": 0, "unrecorded": unrecorded} for i in range(n)]


def left_after(done: list[tuple], n: int = 7, backlog: int = 100, turnout: float = 0.5):
    """The scenario after `done` (unit, date, village, recorded): n villages of `backlog`
    residents, what the visits recorded taken off, and summary.json's `actuals` of them."""
    villages = village_data(n, backlog)
    for _, _, vid, recorded in done:
        row = next(v for v in villages if v["id"] == vid)
        row["unrecorded"] -= recorded
    left = make_scenario({
        "name": "t", "geometry": "planar",
        "calendar": {"start": "2024-01-03", "deadline": "2024-01-31", "holidays": "none"},
        "shift": {"weekday": {"start": "08:00", "end": "16:00"}},
        "recording": {"minutes_per_person": 5, "setup_minutes": 30, "turnout": turnout},
        "travel": {"speed_kmh": 30}, "places": [{"id": "o", "x": 0, "y": 0}],
        "units": [{"id": "A", "base": "o", "kits": 1, "crew": 1}], "villages": villages})
    actuals = {"done": [{"unit": u, "date": d, "village_id": v, "recorded": r}
                        for u, d, v, r in done]}
    return left, actuals


def write_visits(folder, rows: list[tuple]):
    """An earlier plan's visits.csv: (unit, date, village, recorded) rows."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["unit,date,seq,village_id,recorded"]
    lines += [f"{u},{d},{i + 1},{v},{r}" for i, (u, d, v, r) in enumerate(rows)]
    (folder / "visits.csv").write_text("\n".join(lines) + "\n")


def test_fewer_came_than_the_plan_expected(tmp_path):
    """Six villages of 100 at turnout 0.5: the plan expected 50 at each on Monday (the cap:
    everyone who comes), they recorded 40 and 20 in turn; a seventh it expected 20 at (its
    time, not the cap, bound it) recorded 20. Share 200 / 320; turnout 180 / 300 = 0.6 x the
    scenario's over the six, so about 0.3, spread 0.2 / 0.6 from visit to visit; warned."""
    planned = [("A", MON, f"v{i}", 50) for i in range(6)] + [("A", MON, "v6", 20)]
    done = [("A", MON, f"v{i}", 20 if i % 2 else 40) for i in range(6)] + [("A", MON, "v6", 20)]
    write_visits(tmp_path / "plan", planned)
    left, actuals = left_after(done)
    with pytest.warns(Notice) as caught:
        found = against_plan(tmp_path / "plan", left, actuals)
    assert found == {"visits": 7, "recorded": 200, "planned": 320, "share": 0.625,
                     "turnout_visits": 6, "turnout_factor": 0.6, "turnout_cv": 0.333,
                     "turnout": 0.5,
                     "turnout_suggested": 0.3}
    (notice,) = [w.message for w in caught]
    assert notice.key == "turnout_vs_plan"
    assert ("recorded 200 residents where it expected 320 (62 %); at the 6 of them where it "
            "expected everyone who comes, turnout was 0.6 x the scenario's (recording.turnout "
            "0.5: about 0.3)") in str(notice)


def test_a_second_visit_is_judged_on_what_the_first_left(tmp_path):
    """Five villages visited Monday and Tuesday. The plan: 50 then 25 (the cap of the 50 it
    expected Monday to leave). What happened: 40 on Monday, so Tuesday's cap is 30 of the 60
    left, and 24 came: 0.8 x on both days (Monday 40 / 50, Tuesday 24 / 30)."""
    planned = [("A", day, f"v{i}", people) for i in range(5)
               for day, people in ((MON, 50), (TUE, 25))]
    done = [("A", day, f"v{i}", people) for i in range(5)
            for day, people in ((MON, 40), (TUE, 24))]
    write_visits(tmp_path / "plan", planned)
    left, actuals = left_after(done, n=5)
    found = against_plan(tmp_path / "plan", left, actuals)  # 320 of 375: 85 %, no warning
    assert (found["turnout_visits"], found["turnout_factor"], found["turnout_cv"]) == (10, 0.8, 0)
    assert found["turnout_suggested"] == 0.4


def test_as_expected_says_nothing_and_too_little_is_not_judged(tmp_path, recwarn):
    planned = [("A", MON, f"v{i}", 50) for i in range(5)]
    write_visits(tmp_path / "plan", planned)
    left, actuals = left_after([("A", MON, f"v{i}", 46) for i in range(5)])  # 92 %
    assert against_plan(tmp_path / "plan", left, actuals)["share"] == 0.92
    assert not recwarn.list
    few, actuals = left_after([("A", MON, f"v{i}", 10) for i in range(4)])  # 4 visits only
    assert against_plan(tmp_path / "plan", few, actuals) is None
    other_day, actuals = left_after([("A", TUE, f"v{i}", 10) for i in range(5)])  # unannounced
    assert against_plan(tmp_path / "plan", other_day, actuals) is None
    assert against_plan(tmp_path / "nothing-here", left, actuals) is None
    (tmp_path / "plan" / "visits.csv").write_text("unit,date\nA,2024-01-01\n")  # hand-broken
    assert against_plan(tmp_path / "plan", left, actuals) is None
    assert not recwarn.list


def half_came(done):
    """Every visit that happened recorded half of what was planned."""
    return [{**r, "recorded": max(1, r["recorded"] // 2)} for r in done]


def test_a_re_plan_into_the_earlier_plans_folder_reports_it(earlier, tmp_path):  # noqa: F811
    folder, plan = earlier
    scenario = write_campaign(tmp_path)
    out = tmp_path / "plan"
    shutil.copytree(folder, out)
    path = actuals_file(plan, tmp_path, change=half_came)
    result = run_cli([scenario, "-o", out, "--actuals", path, "--today", TODAY, "--planner",
                      "greedy", "-q", "--formats", "", "--lang", "en"])
    assert result.exit_code == 0, result.output
    found = json.loads((out / "summary.json").read_text())["actuals"]["against_plan"]
    assert 0.45 <= found["share"] <= 0.55 and found["visits"] > 5
    assert f"warning: {out / 'visits.csv'}: the {found['visits']} visits that happened" \
        in result.output
    checked = run_cli([scenario, "--check-plan", out, "--actuals", path, "--today", TODAY])
    assert checked.exit_code == 0, checked.output


def test_planning_with_the_observed_turnout_only_ever_lowers_it(recwarn):
    """Factor 0.6: the scenario's 0.5 becomes 0.3, a village's own 0.8 becomes 0.48, one of
    0.3336 at 0.99985 stays 0.3336 (0.33355 would round above it); none or 1.1: as it is."""
    left, _ = left_after([], n=3)
    left = left.replace(villages=[left.villages[0], left.villages[1].replace(turnout="0.8"),
                                  left.villages[2].replace(turnout="0.3336")])
    found = {"turnout_factor": 0.6}
    lowered = with_observed_turnout(left, found)
    assert str(lowered.recording.turnout) == "0.300" and found["applied"] is True
    assert [v.turnout for v in lowered.villages] == [None, Decimal("0.480"), Decimal("0.200")]
    assert "recording.turnout 0.5 -> 0.3" in str(recwarn.pop(Notice).message)
    barely = with_observed_turnout(left, {"turnout_factor": 0.99985})
    assert barely.villages[2].turnout == Decimal("0.3336")
    assert barely.recording.turnout == Decimal("0.5")  # 0.499925 rounds to 0.500
    for found, key in (({"turnout_factor": None}, "turnout_not_estimated"), (None,
                       "turnout_not_estimated"), ({"turnout_factor": 1.1}, "turnout_not_lowered")):
        with pytest.warns(Notice) as caught:
            assert with_observed_turnout(left, found) is left
        assert [w.message.key for w in caught] == [key]


def test_the_command_line_plans_with_the_observed_turnout(tmp_path):
    """The re-plan campaign at turnout 0.1 (so that visits take everyone who comes), half of
    every visit recorded: with --turnout-from-actuals the re-plan plans at the lower turnout,
    more visits, and still keeps every rule of the scenario as written."""
    scenario = write_campaign(tmp_path, {**CAMPAIGN, "recording": {
        **CAMPAIGN["recording"], "turnout": 0.1}})
    first = tmp_path / "first"
    assert run_cli([scenario, "-o", first, "--planner", "greedy", "-q", "--formats", "tables"]
                   ).exit_code == 0
    done = [r for r in csv.DictReader((first / "visits.csv").open()) if r["date"] < str(TODAY)]
    path = tmp_path / "actuals.csv"
    path.write_text("unit,date,village_id,recorded\n" + "".join(
        f"{r['unit']},{r['date']},{r['village_id']},{max(1, int(r['recorded']) // 2)}\n"
        for r in done))
    common = [scenario, "--actuals", path, "--today", TODAY, "--planner", "greedy", "-q",
              "--formats", "tables", "--lang", "en"]
    outs = {}
    for name, flag in (("plain", []), ("observed", ["--turnout-from-actuals"])):
        outs[name] = tmp_path / name
        shutil.copytree(first, outs[name])
        result = run_cli(common + ["-o", outs[name]] + flag)
        assert result.exit_code == 0, result.output
        assert ("--turnout-from-actuals: planned with the turnout the villages showed"
                in result.output) == bool(flag)
        checked = run_cli([scenario, "--check-plan", outs[name], "--actuals", path, "--today",
                           TODAY])
        assert checked.exit_code == 0, checked.output
    found = json.loads((outs["observed"] / "summary.json").read_text())["actuals"]["against_plan"]
    # below a half: the later visits found more left than the plan expected them to
    assert found["applied"] is True and 0.3 <= found["turnout_factor"] < 0.5
    visits = {name: len((out / "visits.csv").read_text().splitlines())
              for name, out in outs.items()}
    assert visits["observed"] > visits["plain"]  # fewer come each time: more visits
    refused = run_cli([scenario, "--turnout-from-actuals", "-o", tmp_path / "x"])
    assert refused.exit_code == 2
    assert "<command line>:1: --turnout-from-actuals: compares the visits" in refused.output
    refused = run_cli([scenario, "--check-plan", outs["plain"], "--actuals", path, "--today",
                       TODAY, "--turnout-from-actuals"])
    assert refused.exit_code == 2 and "leave out --turnout-from-actuals" in refused.output


def test_a_plan_and_its_folder_compare_alike(earlier, campaign, tmp_path):  # noqa: F811
    """From a notebook the earlier plan is a Plan; from the command line, its folder."""
    folder, plan = earlier
    actuals = load_actuals(actuals_file(plan, tmp_path, change=half_came), campaign, TODAY)
    left, report = campaign.after(actuals, TODAY), actuals.report(campaign, TODAY)
    with pytest.warns(Notice) as from_plan:
        found = against_plan(plan, left, report)
    with pytest.warns(Notice) as from_folder:
        assert against_plan(folder, left, report) == found
    assert found["visits"] == len(actuals.visits) > 5
    assert str(from_plan[0].message).startswith("the earlier plan: the ")
    assert str(from_folder[0].message).startswith(f"{folder / 'visits.csv'}: the ")
