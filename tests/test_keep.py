"""Keeping the announced visits through a re-plan (`--keep-until`, `planner.keep`): the kept
days stay as the earlier plan gave them, their people follow the backlog that is left, what
can no longer be kept is said, and the whole re-plan passes the checker."""
from __future__ import annotations

import copy
import csv
import datetime as dt
import json
import random
import shutil
import warnings

import pytest

import planner
from planner.actuals import Actuals, ActualVisit, load_actuals
from planner.baseline import plan_greedy
from planner.export.folder import write_plan_folder
from planner.keep import after_kept, kept_plan, merged
from planner.keep_tables import tables_of
from planner.network import TravelNetwork
from planner.notices import Notice
from planner.scenario import ScenarioError
from planner.solve import solve
from tests.conftest import make_scenario
from tests.solve.random_campaigns import mid_campaign, random_campaign
from tests.solve.test_trips import ISLAND
from tests.test_actuals import CAMPAIGN, HEADER, TODAY, run_cli, write_campaign

UNTIL = TODAY + dt.timedelta(days=4)  # Monday 22 to Friday 26 January


@pytest.fixture(scope="module")
def campaign():
    return make_scenario(CAMPAIGN)


@pytest.fixture(scope="module")
def earlier(campaign, tmp_path_factory):
    """The campaign's first plan (greedy: quick) written as a plan folder, and the plan."""
    plan = plan_greedy(campaign)
    folder = tmp_path_factory.mktemp("earlier") / "plan"
    write_plan_folder(plan, folder, formats=[])
    return folder, plan


def rows(folder, name="visits.csv"):
    with (folder / name).open() as f:
        return list(csv.DictReader(f))


def announced(visit_rows, first, last):
    """What the villages were told: unit, date, village and service hours."""
    return [(r["unit"], r["date"], r["village_id"], r["start"], r["end"]) for r in visit_rows
            if first.isoformat() <= r["date"] <= last.isoformat()]


def t(clock: str) -> int:
    """'08:10:00' -> seconds after midnight."""
    h, m, sec = (int(x) for x in clock.split(":"))
    return 3600 * h + 60 * m + sec


def actuals_file(plan, folder, today=TODAY, change=None):
    """The earlier plan's visits before `today` as what happened (`change` edits them)."""
    path = folder / "actuals.csv"
    done = [r for r in plan.visits.to_dict("records") if r["date"] < today.isoformat()]
    with path.open("w", newline="") as f:
        f.write(HEADER)
        for r in (change or (lambda x: x))(done):
            f.write(f"{r['unit']},{r['date']},{r['village_id']},{r['recorded']}\n")
    return path


def a_third_less(done):
    """Every other actual visit recorded a third less than planned."""
    return [{**r, "recorded": r["recorded"] - r["recorded"] // 3} if i % 2 else r
            for i, r in enumerate(done)]


def test_cli_keeps_the_announced_week_and_plans_after_it(earlier, tmp_path):
    folder, plan = earlier
    scenario = write_campaign(tmp_path)
    path = actuals_file(plan, tmp_path, change=a_third_less)
    common = ["--actuals", path, "--today", TODAY, "--planner", "greedy", "-q", "--formats",
              "progress", "--lang", "en"]
    before = announced(rows(folder), TODAY, UNTIL)
    plain = run_cli([scenario, "-o", tmp_path / "plain"] + common)
    assert plain.exit_code == 0, plain.output
    assert announced(rows(tmp_path / "plain"), TODAY, UNTIL) != before  # a re-plan moves them
    out = tmp_path / "plan"
    shutil.copytree(folder, out)
    result = run_cli([scenario, "-o", out, "--keep-until", UNTIL] + common)
    assert result.exit_code == 0, result.output
    assert before and announced(rows(out), TODAY, UNTIL) == before
    summary = json.loads((out / "summary.json").read_text())
    assert summary["kept"]["until"] == UNTIL.isoformat()
    assert summary["kept"]["visits"] == len(before)
    assert "kept from the earlier plan until 2024-01-26, as announced" in result.output
    left = make_scenario(CAMPAIGN).after(load_actuals(path, make_scenario(CAMPAIGN)), TODAY)
    assert not planner.check(left, out)
    assert summary["counted_recordings"] > summary["kept"]["counted"] > 0


def test_kept_visits_record_what_the_backlog_left_gives(campaign, earlier, tmp_path):
    """`near` (100 unrecorded) got everyone in the actuals: its kept visits would record
    nobody and leave their routes; every other kept visit keeps its hours."""
    folder, plan = earlier
    visits_near = [r for r in announced(rows(folder), TODAY, UNTIL) if r[2] == "near"]
    assert visits_near, "the earlier plan visits `near` in the kept days"

    def all_of_near(done):
        return done + [{"unit": "U1", "date": "2024-01-20", "village_id": "near",
                        "recorded": 100}]
    path = actuals_file(plan, tmp_path, change=all_of_near)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # near recorded beyond its backlog
        left = campaign.after(load_actuals(path, campaign, TODAY), TODAY)
    assert left.village("near").unrecorded == 0
    network = TravelNetwork(left)
    kept = kept_plan(left, folder, UNTIL, network)
    got = [(r.unit, r.date.isoformat(), s.village_id) for r in kept.plan.routes for s in r.stops]
    expected = [v[:3] for v in announced(rows(folder), TODAY, UNTIL) if v[2] != "near"]
    assert sorted(got) == sorted(expected)
    assert not planner.check(left, kept.plan)


def test_a_unit_now_unavailable_loses_its_kept_days_with_a_warning(campaign, earlier, tmp_path):
    folder, plan = earlier
    day = next(r for r in plan.routes if r.unit == "U1" and TODAY <= r.date <= UNTIL).date
    units = [u.replace(unavailable=list(u.unavailable) + [day]) if u.id == "U1" else u
             for u in campaign.units]
    changed = campaign.replace(units=units).after(load_actuals(actuals_file(plan, tmp_path),
                                                                campaign), TODAY)
    with pytest.warns(Notice, match=f"unit U1 on {day} are not kept: unit 'U1' is unavailable"):
        kept = kept_plan(changed, folder, UNTIL, TravelNetwork(changed))
    kept_days = {(r.unit, r.date) for r in kept.plan.routes}
    earlier_days = {(r.unit, r.date) for r in plan.routes if TODAY <= r.date <= UNTIL}
    assert kept_days == earlier_days - {("U1", day)}
    assert not planner.check(changed, kept.plan)


def test_a_village_closed_on_its_kept_day_loses_that_visit_only(campaign, earlier, tmp_path):
    """The boat does not sail: a closure of one announced visit's village on its day drops
    that visit, with a warning naming it; the unit's other visits keep their hours."""
    folder, plan = earlier
    unit, day, village = announced(rows(folder), TODAY, UNTIL)[0][:3]
    closures = [{"villages": [village], "from": day, "to": day, "reason": "kapal tidak berlayar"}]
    closed = campaign.replace(closures=closures).after(
        load_actuals(actuals_file(plan, tmp_path), campaign), TODAY)
    with pytest.warns(Notice, match=f"visit to {village} on {day} is not kept: the scenario "
                                    "closes the village that day \\(kapal tidak berlayar\\)"):
        kept = kept_plan(closed, folder, UNTIL, TravelNetwork(closed))
    got = [(r.unit, r.date.isoformat(), s.village_id, s.start, s.end)
           for r in kept.plan.routes for s in r.stops]
    expected = [(u, d, v, t(a), t(b)) for u, d, v, a, b in announced(rows(folder), TODAY, UNTIL)
                if (u, d, v) != (unit, day, village)]
    assert sorted(got) == sorted(expected)
    assert not planner.check(closed, kept.plan)


def test_a_day_trip_whose_every_village_is_closed_says_nothing_else_stays(campaign, earlier,
                                                                          tmp_path):
    """Every village of one announced day trip closed that day: the warnings said "the rest
    of the unit's trip stays" although the day was left empty (cross-feature fuzzing)."""
    folder, plan = earlier
    unit, day = announced(rows(folder), TODAY, UNTIL)[0][:2]
    villages = [v for u, d, v, *_ in announced(rows(folder), TODAY, UNTIL) if (u, d) == (unit, day)]
    closed = campaign.replace(closures=[{"villages": villages, "from": day, "to": day}]).after(
        load_actuals(actuals_file(plan, tmp_path), campaign), TODAY)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        kept = kept_plan(closed, folder, UNTIL, TravelNetwork(closed))
    said = [str(w.message) for w in caught if f"on {day} is not kept" in str(w.message)]
    assert len(said) == len(villages)
    assert all(text.endswith("the unit's trip kept no other visit (tell the village)")
               for text in said), said
    assert (unit, dt.date.fromisoformat(day)) not in {(r.unit, r.date) for r in kept.plan.routes
                                                      if r.stops}
    assert not planner.check(closed, kept.plan)


def test_solve_keeping_from_a_plan_keeps_what_its_folder_keeps(campaign, earlier, tmp_path):
    """From Python: the earlier Plan itself, or its folder, give the same kept days; the
    optimised re-plan keeps them and passes the checker."""
    folder, plan = earlier
    left = campaign.after(load_actuals(actuals_file(plan, tmp_path, change=a_third_less),
                                       campaign), TODAY)
    network = TravelNetwork(left)
    from_folder = kept_plan(left, folder, UNTIL, network)
    from_plan = kept_plan(left, plan, UNTIL, network)
    assert from_plan.plan.routes == from_folder.plan.routes
    replan = planner.solve_keeping(left, plan, UNTIL.isoformat(), time_limit=1, seed=0)
    assert not planner.check(left, replan)
    assert replan.report["kept"] == from_plan.figures()
    kept = {(r.unit, r.date, s.village_id, s.start, s.end) for r in from_plan.plan.routes
            for s in r.stops}
    assert kept <= {(r.unit, r.date, s.village_id, s.start, s.end) for r in replan.routes
                    for s in r.stops}


def test_short_staff_drops_the_trip_with_fewer_visits(campaign, earlier, tmp_path):
    """Weekday staff cut to one crew: on each kept weekday with both units out, the unit with
    fewer announced visits loses that day, the other keeps it."""
    folder, plan = earlier
    short = campaign.replace(staff={"weekday": 2})
    left = short.after(load_actuals(actuals_file(plan, tmp_path), short), TODAY)
    with pytest.warns(Notice, match="staff_per_day"):
        kept = kept_plan(left, folder, UNTIL, TravelNetwork(left))
    before = {(r.unit, r.date): len(r.stops) for r in plan.routes if TODAY <= r.date <= UNTIL}
    after = {(r.unit, r.date) for r in kept.plan.routes}
    both = {d for (u, d) in before if ("U1", d) in before and ("U2", d) in before}
    assert both, "both units are out on some kept day"
    for day in both:
        fewer, more = sorted(("U1", "U2"), key=lambda u: (before[(u, day)], u))
        assert (more, day) in after and (fewer, day) not in after
    assert not planner.check(left, kept.plan)


def test_no_overtime_left_drops_the_weekend_trips_only(tmp_path):
    """One crew a weekday, so the earlier plan works weekends; with no overtime budget left the
    kept weekend days go, the weekdays after them stay, each said once in the same words."""
    one_crew = make_scenario(CAMPAIGN, staff={**CAMPAIGN["staff"], "weekday": 2})
    plan = plan_greedy(one_crew)
    folder = tmp_path / "earlier"
    write_plan_folder(plan, folder, formats=[])
    tuesday = UNTIL + dt.timedelta(days=4)  # the weekend is not the last kept days
    none_left = one_crew.replace(staff={"overtime_unit_days": 0})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the actuals used more overtime than the budget
        left = none_left.after(load_actuals(actuals_file(plan, tmp_path), none_left), TODAY)
    with pytest.warns(Notice) as caught:
        kept = kept_plan(left, folder, tuesday, TravelNetwork(left))
    # said as what is left, not as the checker's "uses N ..., more than the budget of 0
    # (staff.overtime_unit_days)", its N shrinking from warning to warning
    said = {str(w.message).split(" are not kept: ")[1] for w in caught
            if " are not kept: " in str(w.message)}
    assert said == {"the overtime budget left (0 unit-day(s): staff.overtime_unit_days less "
                    "those the actuals worked) does not cover every kept weekend or holiday "
                    "day; the latest go first; the re-plan plans only the days after those it "
                    "keeps, so the unit stays in on these up to --keep-until (tell the "
                    "villages; an earlier --keep-until lets the re-plan use them)"}
    before = {(r.unit, r.date) for r in plan.routes if TODAY <= r.date <= tuesday}
    assert any(d.weekday() >= 5 for _, d in before), "the earlier plan works that weekend"
    assert {(r.unit, r.date) for r in kept.plan.routes} == \
        {(u, d) for u, d in before if d.weekday() < 5}
    assert not planner.check(left, kept.plan)


ISLE = copy.deepcopy(ISLAND)  # three open weeks, more people than five days can record
ISLE["calendar"].update(closed=[], deadline="2024-01-19")
ISLE["villages"][0]["unrecorded"] = 4000


def test_a_trip_under_way_on_the_last_kept_day_is_kept_to_its_end(tmp_path):
    scenario = make_scenario(ISLE)
    plan = solve(scenario, time_limit=2, seed=1)
    assert plan.nights >= 2, "the island is served by trips"
    folder = tmp_path / "earlier"
    write_plan_folder(plan, folder, formats=[])
    trip = [r for r in plan.routes if r.date <= dt.date(2024, 1, 5)]
    network = TravelNetwork(scenario)
    kept = kept_plan(scenario, folder, dt.date(2024, 1, 2), network)
    last = max(r.date for r in trip)
    assert kept.until == last and kept.until > dt.date(2024, 1, 2)
    assert [(r.date, r.stops) for r in kept.plan.routes] == [(r.date, r.stops) for r in trip]
    rest_scenario = after_kept(scenario, kept)
    assert rest_scenario.calendar.start == last + dt.timedelta(days=1)
    assert rest_scenario.village("pulau").unrecorded == 4000 - kept.plan.counted
    rest = solve(rest_scenario, time_limit=2, seed=1, network=network)
    whole = merged(scenario, kept, rest)
    assert not planner.check(scenario, whole)
    assert whole.counted == kept.plan.counted + rest.counted
    assert whole.solver["upper_bound"] == pytest.approx(
        float(rest.solver["upper_bound"]) + float(kept.plan.objective))


@pytest.mark.parametrize("until, message", [
    ("2024-01-21", "2024-01-21 is before the re-plan's first day (2024-01-22)"),
    ("2024-02-09", "2024-02-09 is not before the deadline (2024-02-09)"),
    ("next week", "'next week' is not a date; expected YYYY-MM-DD"),
])
def test_a_wrong_keep_until_is_an_option_error(earlier, until, message, tmp_path):
    folder, plan = earlier
    shutil.copytree(folder, tmp_path / "plan")
    result = run_cli([write_campaign(tmp_path), "-o", tmp_path / "plan", "--actuals",
                      actuals_file(plan, tmp_path), "--today", TODAY, "--keep-until", until,
                      "--planner", "greedy", "-q"])
    assert result.exit_code == 2
    assert f"<command line>:1: --keep-until: {message}" in result.output


def test_keep_until_needs_an_earlier_plan_in_the_output_folder(earlier, tmp_path):
    _, plan = earlier
    result = run_cli([write_campaign(tmp_path), "-o", tmp_path / "new", "--actuals",
                      actuals_file(plan, tmp_path), "--keep-until", UNTIL, "--planner",
                      "greedy", "-q"])
    assert result.exit_code == 2
    assert "--keep-until:" in result.output and "holds no earlier plan" in result.output
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize("seed", [19, 35, 71, 151])  # kept nights away, dropped trips (1 s plans)
def test_random_re_plans_keep_their_announced_visits_and_every_rule(seed, tmp_path):
    """A random campaign (the solver's generators), its plan's visits before a drawn `today`
    as actuals off by -3 to +5 each, kept to 0-4 days later: the whole re-plan passes the
    checker and every kept visit is on its announced unit, day and hours."""
    rng = random.Random(seed)
    data = (mid_campaign if seed % 2 else random_campaign)(rng)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scenario = make_scenario(data)
    plan = solve(scenario, time_limit=1, seed=seed) if seed % 3 else plan_greedy(scenario)
    days = sorted({r.date for r in plan.routes})
    today = rng.choice(days[: max(1, len(days) // 2)])
    done = tuple(ActualVisit(i, r.unit, r.date, s.village_id,
                             max(0, s.recorded + rng.choice([-3, 0, 0, 5])))
                 for i, (r, s) in enumerate((r, s) for r in plan.routes for s in r.stops
                                            if r.date < today))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        left = Actuals("done", done).apply_to(scenario, today)
        until = min(today + dt.timedelta(days=rng.randint(0, 4)),
                    left.calendar.deadline - dt.timedelta(days=1))
        network = TravelNetwork(left)
        kept = kept_plan(left, plan, until, network)
    rest = solve(after_kept(left, kept), time_limit=1, seed=seed, network=network)
    whole = merged(left, kept, rest)
    assert planner.check(left, whole, network=network) == []
    announced = {(r.unit, r.date, s.village_id): (s.start, s.end)
                 for r in plan.routes for s in r.stops}
    assert all(announced[(r.unit, r.date, s.village_id)] == (s.start, s.end)
               for r in kept.plan.routes for s in r.stops)


def test_keep_until_is_for_planning(tmp_path):
    result = run_cli([write_campaign(tmp_path), "--keep-until", UNTIL, "--check-plan", "."])
    assert result.exit_code == 2
    assert result.output.startswith("<command line>:1: --keep-until: ")


def test_a_bad_cell_of_the_earlier_plan_is_located(campaign, earlier, tmp_path):
    folder, _ = earlier
    bad = tmp_path / "plan"
    shutil.copytree(folder, bad)
    text = (bad / "visits.csv").read_text().splitlines()
    cells = text[3].split(",")
    cells[text[0].split(",").index("start")] = "8 o'clock"
    text[3] = ",".join(cells)
    (bad / "visits.csv").write_text("\n".join(text) + "\n")
    left = campaign.after(load_actuals(actuals_file(earlier[1], tmp_path), campaign), TODAY)
    with pytest.raises(ScenarioError, match=r"visits.csv:4: start: .*expected a time HH:MM:SS"):
        kept_plan(left, bad, UNTIL, TravelNetwork(left))


def test_solve_keeping_names_an_until_that_is_not_a_date(tiny_scenario):
    # "June 20" was "Invalid isoformat string: 'June 20'", naming no argument
    plan = plan_greedy(tiny_scenario)
    with pytest.raises(ValueError, match="^until: 'June 20' is not a date: expected a date "
                                         "YYYY-MM-DD"):
        planner.solve_keeping(tiny_scenario, plan, "June 20", time_limit=1)


def _island(lodging: bool = True) -> dict:
    """ISLAND with a mainland village and a second unit (U0), whose day comes first."""
    island = copy.deepcopy(ISLAND)
    island["units"].insert(0, {"id": "U0", "base": "kantor"})
    island["villages"][0]["lodging"] = lodging
    island["villages"].append({"id": "darat", "name": "Darat", "district": "Darat", "x": 5,
                               "y": 0, "unrecorded": 50})
    return island


def _earlier_island_trip(folder):
    """An earlier plan's folder: a three-day stay on ISLAND's island (nights 1 and 2 there),
    listed after another unit's day so that its rows are not the kept plan's first ones."""
    folder.mkdir()
    (folder / "visits.csv").write_text(
        "unit,date,seq,village_id,start,end\n"
        "U0,2024-01-01,1,darat,08:00:00,09:00:00\n"
        "U1,2024-01-01,1,pulau,09:30:00,17:00:00\n"
        "U1,2024-01-02,1,pulau,07:00:00,17:00:00\n"
        "U1,2024-01-03,1,pulau,07:00:00,14:30:00\n", encoding="utf-8")
    (folder / "days.csv").write_text(
        "unit,date,depart,start_place,end_place\n"
        "U0,2024-01-01,07:00:00,kantor,kantor\n"
        "U1,2024-01-01,07:00:00,kantor,pulau\n"
        "U1,2024-01-02,07:00:00,pulau,pulau\n"
        "U1,2024-01-03,07:00:00,pulau,kantor\n", encoding="utf-8")
    return folder


def test_a_kept_trip_that_breaks_a_rule_is_said_without_the_kept_tables_line_numbers(tmp_path):
    """The dropped trip's warning quoted the checker's 'days.csv line 2', a row of the kept
    plan's own tables (the trip's first day there), while the earlier plan's days.csv has
    that day on line 3 (cross-feature fuzzing: lodging x --keep-until)."""
    folder = _earlier_island_trip(tmp_path / "earlier")
    # the island's balai desa no longer hosts teams
    left = make_scenario(_island(lodging=False)).after(Actuals("none", ()), dt.date(2024, 1, 1))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        kept_plan(left, folder, dt.date(2024, 1, 2), TravelNetwork(left))
    said = [w.message.text("en") for w in caught]
    assert any("breaks the rule night_lodging (Unit U1 on 2024-01-01: ends the day at Pulau "
               "(pulau) for the night, which is not a lodging" in s for s in said), said
    assert not any(".csv line" in s for s in said), said


def test_a_kept_trip_sleeping_in_a_village_closed_that_day_is_dropped_without_keeping_its_rest(
        tmp_path):
    """A closure of the island the team sleeps on, on a middle day of an announced trip: the
    trip cannot stay (the checker's village_closed), and is dropped with one warning. The
    closed day's visit was first said to be left out with 'the rest of the unit's trip
    stays', which the files then contradicted (cross-feature fuzzing: closures x lodging x
    --keep-until)."""
    folder = _earlier_island_trip(tmp_path / "earlier")
    closures = [{"villages": ["pulau"], "from": "2024-01-02", "to": "2024-01-02",
                 "reason": "kapal tidak berlayar"}]
    left = make_scenario(_island(), closures=closures).after(Actuals("none", ()),
                                                              dt.date(2024, 1, 1))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        kept = kept_plan(left, folder, dt.date(2024, 1, 2), TravelNetwork(left))
    assert [r.unit for r in kept.plan.routes] == ["U0"]
    said = [w.message.text("en") for w in caught]
    assert len(said) == 1 and said[0].startswith(
        "the earlier plan's visits of unit U1 on 2024-01-01 – 2024-01-03 are not kept: it "
        "breaks the rule village_closed"), said


def test_the_kept_days_end_on_keep_until_when_the_trip_under_way_then_is_not_kept(tmp_path):
    """--keep-until 2024-01-02 during a stay on the island to 2024-01-03 that cannot be kept
    (the island closed on the 2nd): the kept days ended on the 3rd all the same, so summary.json
    and the terminal said 'kept ... until 2024-01-03' and no unit was planned that day
    (cross-feature fuzzing: closures x lodging x --keep-until)."""
    folder = _earlier_island_trip(tmp_path / "earlier")
    closures = [{"villages": ["pulau"], "from": "2024-01-02", "to": "2024-01-02"}]
    left = make_scenario(_island(), closures=closures).after(Actuals("none", ()),
                                                              dt.date(2024, 1, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kept = kept_plan(left, folder, dt.date(2024, 1, 2), TravelNetwork(left))
        assert kept.until == dt.date(2024, 1, 2)
        assert after_kept(left, kept).calendar.start == dt.date(2024, 1, 3)
        assert kept_plan(make_scenario(_island()).after(Actuals("none", ()), dt.date(2024, 1, 1)),
                         folder, dt.date(2024, 1, 2), TravelNetwork(left)).until == \
            dt.date(2024, 1, 3)  # the stay kept: the kept days run to its end


def test_a_trip_under_way_to_the_deadline_that_is_not_kept_leaves_the_rest_to_plan(tmp_path):
    """--keep-until 2024-01-02 during a stay on the island to 2024-01-03, the deadline: refused
    as leaving nothing to plan, although the stay could not be kept (the island closed on the
    2nd) and the 3rd was free to plan (cross-feature fuzzing)."""
    folder = _earlier_island_trip(tmp_path / "earlier")
    data = _island()
    data["calendar"] = {**data["calendar"], "deadline": "2024-01-03", "closed": []}
    closures = [{"villages": ["pulau"], "from": "2024-01-02", "to": "2024-01-02"}]
    left = make_scenario(data, closures=closures).after(Actuals("none", ()), dt.date(2024, 1, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kept = kept_plan(left, folder, dt.date(2024, 1, 2), TravelNetwork(left))
        assert kept.until == dt.date(2024, 1, 2)
        kept_all = make_scenario(data).after(Actuals("none", ()), dt.date(2024, 1, 1))
        with pytest.raises(ScenarioError, match="the trips under way then end on 2024-01-03"):
            kept_plan(kept_all, folder, dt.date(2024, 1, 2), TravelNetwork(kept_all))


def test_a_kept_visit_left_with_nobody_to_record_is_said(campaign, earlier, tmp_path):
    """The actuals took all of `near`'s backlog (the DPT corrected down): its announced
    visits in the kept days leave their routes, each with a warning naming the village and
    day; they were dropped silently, though the village had been told of them."""
    folder, plan = earlier
    days = sorted({r[1] for r in announced(rows(folder), TODAY, UNTIL) if r[2] == "near"})
    assert days, "the earlier plan visits `near` in the kept days"

    def all_of_near(done):
        return done + [{"unit": "U1", "date": "2024-01-20", "village_id": "near",
                        "recorded": 100}]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # near recorded beyond its backlog
        left = campaign.after(load_actuals(actuals_file(plan, tmp_path, change=all_of_near),
                                           campaign, TODAY), TODAY)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        kept_plan(left, folder, UNTIL, TravelNetwork(left))
    said = [str(w.message) for w in caught if "is not kept" in str(w.message)]
    assert said == [f"the earlier plan's visit to Desa Dekat (near) on {day} is not kept: it "
                    "would record nobody (0 unrecorded left there after the actuals) (tell "
                    "the village)" for day in days]


def test_a_kept_visit_counting_after_a_moved_deadline_is_said(campaign, earlier, tmp_path):
    """`near` now has no signal and the deadline comes sooner: a kept visit whose recordings
    would count after it leaves its route with a warning giving the day they would count."""
    folder, plan = earlier
    late = [(d, v) for _, d, v, *_ in announced(rows(folder), TODAY, UNTIL)
            if v == "near" and dt.date.fromisoformat(d) + dt.timedelta(days=3) > UNTIL]
    assert late, "the earlier plan visits `near` late in the kept days"
    villages = [v.replace(signal=False) if v.id == "near" else v for v in campaign.villages]
    moved = campaign.replace(villages=villages, calendar=campaign.calendar.replace(
        deadline=UNTIL + dt.timedelta(days=1)))
    left = moved.after(load_actuals(actuals_file(plan, tmp_path), moved, TODAY), TODAY)
    with pytest.warns(Notice) as caught:
        kept = kept_plan(left, folder, UNTIL, TravelNetwork(left))
    day = late[-1][0]
    counts = (dt.date.fromisoformat(day) + dt.timedelta(days=3)).isoformat()
    assert f"the earlier plan's visit to Desa Dekat (near) on {day} is not kept: its " \
        f"recordings would count on {counts}, after the deadline ({UNTIL + dt.timedelta(1)}) " \
        "(tell the village)" in [str(w.message) for w in caught]
    assert ("near", day) not in {(s.village_id, r.date.isoformat()) for r in kept.plan.routes
                                 for s in r.stops}
    assert not planner.check(left, kept.plan)


def test_a_village_split_since_loses_its_kept_visits_only(campaign, earlier, tmp_path):
    """A village split or merged since (pemekaran: its code gone) lost the whole kept day of
    each unit that visited it, the other villages' announced visits with it; now only its
    own visits leave their routes, each named in a warning, as for a village closed that day."""
    folder, plan = earlier
    first = announced(rows(folder), TODAY, UNTIL)
    shared = [(u, d, v) for u, d, v, *_ in first
              if sum(1 for x in first if x[:2] == (u, d)) > 1]
    assert shared, "the earlier plan visits two villages on one kept day"
    gone = shared[0][2]
    villages = [v for v in campaign.villages if v.id != gone]
    split = campaign.replace(villages=villages).after(
        load_actuals(actuals_file(plan, tmp_path, change=lambda done: [
            r for r in done if r["village_id"] != gone]), campaign), TODAY)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        kept = kept_plan(split, folder, UNTIL, TravelNetwork(split))
    said = [str(w.message) for w in caught if "not kept" in str(w.message)]
    assert said == [f"the earlier plan's visit to {gone!r} on {d} is not kept: the scenario no "
                    "longer has the village; the rest of the unit's trip stays (tell the "
                    "village)" for _, d, v, *_ in first if v == gone]
    got = [(r.unit, r.date.isoformat(), s.village_id, s.start, s.end)
           for r in kept.plan.routes for s in r.stops]
    assert sorted(got) == sorted((u, d, v, t(a), t(b)) for u, d, v, a, b in first if v != gone)
    assert not planner.check(split, kept.plan)


def test_a_kept_day_whose_only_village_is_gone_says_nothing_else_stays(campaign, earlier,
                                                                      tmp_path):
    folder, plan = earlier
    first = announced(rows(folder), TODAY, UNTIL)
    alone = [(u, d, v) for u, d, v, *_ in first if sum(1 for x in first if x[:2] == (u, d)) == 1]
    assert alone, "the earlier plan visits one village alone on a kept day"
    unit, day, gone = alone[0]
    left = campaign.replace(villages=[v for v in campaign.villages if v.id != gone]).after(
        load_actuals(actuals_file(plan, tmp_path, change=lambda done: [
            r for r in done if r["village_id"] != gone]), campaign), TODAY)
    with pytest.warns(Notice) as caught:
        kept = kept_plan(left, folder, UNTIL, TravelNetwork(left))
    assert f"the earlier plan's visit to {gone!r} on {day} is not kept: the scenario no longer " \
        "has the village; the unit's trip kept no other visit (tell the village)" in \
        [str(w.message) for w in caught]
    assert (unit, day) not in {(r.unit, r.date.isoformat()) for r in kept.plan.routes if r.stops}


def test_a_kept_trip_sleeping_at_a_lodging_removed_since_is_dropped_with_a_warning():
    """The penginapan the teams slept in closed and was taken out of `places`: the re-plan
    stopped with an internal error (KeyError) on the kept trip that slept there."""
    stay = copy.deepcopy(ISLAND)
    stay["places"].append({"id": "losmen", "name": "Losmen Dermaga", "x": 30, "y": 0,
                           "lodging": True})
    stay["villages"][0]["lodging"] = False
    scenario = make_scenario(stay)
    plan = solve(scenario, time_limit=20, seed=1, deterministic=True)
    assert "losmen" in set(plan.days.end_place), "the teams sleep at the losmen"
    left = scenario.replace(places=[p for p in scenario.places if p.id != "losmen"])
    with pytest.warns(Notice, match="the trip spends a night at 'losmen', which the scenario "
                                    "no longer has"):
        kept = kept_plan(left, plan, dt.date(2024, 1, 3), TravelNetwork(left))
    assert "losmen" not in {r.end_place for r in kept.plan.routes}
    assert not planner.check(left, kept.plan)


def test_a_kept_trip_whose_night_cell_was_emptied_is_dropped_with_a_warning():
    """A days.csv edited by hand, the place of a night left empty: an internal error
    (KeyError: '') before; now the trip is not kept, and the warning shows the empty place."""
    scenario = make_scenario(ISLAND)
    plan = solve(scenario, time_limit=20, seed=1, deterministic=True)
    visits, days = tables_of(plan)
    assert days.end_place.iloc[0] == "pulau", "the first day ends on the island"
    days.loc[days.index[0], "end_place"] = ""
    with pytest.warns(Notice, match="the trip spends a night at '', which the scenario no "
                                    "longer has"):
        kept = kept_plan(scenario, (visits, days), dt.date(2024, 1, 3), TravelNetwork(scenario))
    assert not kept.plan.routes


def _a_busy_kept_day(plan):
    """U1's first day of the kept days with two visits or more."""
    return next(r for r in sorted(plan.routes, key=lambda r: (r.date, r.unit))
                if TODAY <= r.date <= UNTIL and len(r.stops) >= 2 and r.unit == "U1")


def _left_with_hours(campaign, plan, tmp_path, day, start: int, end: int):
    """The campaign left on TODAY after the earlier plan's visits, with hours from `start` to
    `end` (seconds) on `day` alone: a `shift.dates` entry added after the announcements."""
    def clock(seconds):
        return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"
    hours = {"from": day.isoformat(), "to": day.isoformat(), "start": clock(start),
             "end": clock(end)}
    return campaign.replace(shift=campaign.shift.replace(dates=[hours])).after(
        load_actuals(actuals_file(plan, tmp_path), campaign), TODAY)


def test_hours_cut_since_keep_the_visits_that_still_fit(campaign, earlier, tmp_path):
    """Ramadan's shorter day (a `shift.dates` entry added after the visits were announced):
    the announced day whose hours now end before its return keeps the visits it can still
    come back from, at their announced hours; the last one leaves with a warning (the whole
    day was dropped, every village of it losing its visit)."""
    folder, plan = earlier
    route = _a_busy_kept_day(plan)
    first, last = route.stops[0], route.stops[-1]
    end = route.return_ - 60  # a minute too short for the last visit
    shorter = _left_with_hours(campaign, plan, tmp_path, route.date, 8 * 3600, end)
    with pytest.warns(Notice, match=f"visit to {last.village_id} on {route.date} is not kept: "
                                    "the day's hours now end at"):
        kept = kept_plan(shorter, folder, UNTIL, TravelNetwork(shorter))
    day = next(r for r in kept.plan.routes if (r.unit, r.date) == ("U1", route.date))
    assert (day.stops[0].village_id, day.stops[0].start) == (first.village_id, first.start)
    assert len(day.stops) < len(route.stops)
    assert not planner.check(shorter, kept.plan)


def test_hours_that_start_later_since_leave_later_without_the_first_visit(campaign, earlier,
                                                                          tmp_path):
    """A later start (a `shift.dates` entry added after the visits were announced): the kept
    day leaves at the new start and keeps the visits it still reaches by their announced
    hour; the first one, which it no longer reaches, leaves with a warning (the whole day was
    dropped)."""
    folder, plan = earlier
    route = _a_busy_kept_day(plan)
    first, second = route.stops[0], route.stops[1]
    start = -(-(first.start - first.travel_s + 1) // 60) * 60  # a minute late for the first
    later = _left_with_hours(campaign, plan, tmp_path, route.date, start, 16 * 3600)
    with pytest.warns(Notice, match=f"visit to {first.village_id} on {route.date} is not "
                                    "kept: the day's hours now start at"):
        kept = kept_plan(later, folder, UNTIL, TravelNetwork(later))
    day = next(r for r in kept.plan.routes if (r.unit, r.date) == ("U1", route.date))
    assert day.depart == start
    assert (day.stops[0].village_id, day.stops[0].start) == (second.village_id, second.start)
    assert not planner.check(later, kept.plan)


def test_a_kept_visit_left_with_nobody_is_said_once(tmp_path):
    """The weekend trips dropped for overtime (as above) while a village the kept days visit has
    nobody left: each of its kept visits is said once (each pass over the kept days, one per
    dropped trip, said them all again)."""
    one_crew = make_scenario(CAMPAIGN, staff={**CAMPAIGN["staff"], "weekday": 2})
    plan = plan_greedy(one_crew)
    folder = tmp_path / "earlier"
    write_plan_folder(plan, folder, formats=[])
    tuesday = UNTIL + dt.timedelta(days=4)
    none_left = one_crew.replace(staff={"overtime_unit_days": 0})
    visited = [(r.date, s.village_id) for r in plan.routes for s in r.stops
               if TODAY <= r.date <= tuesday]
    village = max({v for _, v in visited}, key=lambda v: sum(x == v for _, x in visited))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        left = none_left.after(load_actuals(actuals_file(plan, tmp_path), none_left), TODAY)
        left = left.replace(villages=[v.replace(unrecorded=0) if v.id == village else v
                                      for v in left.villages])
    with pytest.warns(Notice) as caught:
        kept_plan(left, folder, tuesday, TravelNetwork(left))
    said = [str(w.message) for w in caught if f"({village}) on " in str(w.message)]
    days = sorted(d.isoformat() for d, v in visited if v == village and d.weekday() < 5)
    assert days and len(said) == len(set(said))
    assert set(days) <= {m.split(" on ")[1][:10] for m in said}
