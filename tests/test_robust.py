"""Planning for a quantile (`--robust Q`): longer visits, plans realised on the scenario's
own figures, the candidate choice, and the CLI."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import warnings
from decimal import Decimal

import pytest
import yaml
from click.testing import CliRunner

import planner
from planner.cli import main
from planner.network import TravelNetwork
from planner.plan import Plan, Route, Stop
from planner.robust import hedged, pad, plan_robust, realise
from planner.simulate import Uncertainty, simulate
from tests.conftest import TINY, make_scenario
from tests.test_simulate import FORTNIGHT

MONDAY, TUESDAY = dt.date(2024, 1, 1), dt.date(2024, 1, 2)
EIGHT = 8 * 3600


def one_village(**village):
    """TINY with one kit, no setup, 5 min a person, one village 10 min from the base."""
    return make_scenario(TINY, recording={"minutes_per_person": 5, "setup_minutes": 0,
                                          "turnout": village.pop("turnout", 0.5)},
                         units=[{"id": "U1", "base": "base"}],
                         villages=[{"id": "a", "x": 3, "y": 4, **village},
                                   {"id": "b", "x": 6, "y": 8, "unrecorded": 50}])


def visit(vid, arrive, people, travel=600):
    return Stop(vid, arrive, arrive, arrive + people * 300, people, travel)


def test_pad_lengthens_turnout_limited_visits_into_the_day(tmp_path):
    scenario = one_village(unrecorded=100)
    stop = visit("a", EIGHT + 600, 50)  # ceil(0.5 x 100): the turnout limits it
    plan = Plan(scenario, (Route("U1", MONDAY, "weekday", EIGHT, stop.end + 600, (stop,), 1200),))
    padded = pad(scenario, plan)
    assert not planner.check(scenario, padded)
    route = padded.routes[0]
    assert route.return_ == 16 * 3600  # the shift end
    assert route.stops[0].end - route.stops[0].start == 16 * 3600 - 600 - (EIGHT + 600)
    assert route.stops[0].recorded == 50 and padded.objective == plan.objective
    spread = Uncertainty(0.3, 0, 0, 0)
    before = simulate(scenario, plan, runs=4000, seed=1, uncertainty=spread)
    after = simulate(scenario, padded, runs=4000, seed=1, uncertainty=spread)
    # planned: everyone above 50 is turned away; padded: room for 90 more
    assert before.figures["objective"]["mean"] < 47
    assert after.figures["objective"]["mean"] == pytest.approx(50.5, rel=0.01)


def test_pad_leaves_time_limited_visits_alone():
    scenario = one_village(unrecorded=1000)
    stop = visit("a", EIGHT + 600, 60)  # ceil(0.5 x 1000) = 500 would come: time limits it
    plan = Plan(scenario, (Route("U1", MONDAY, "weekday", EIGHT, stop.end + 600, (stop,), 1200),))
    assert pad(scenario, plan).routes == plan.routes


def test_realise_rederives_recordings_and_drops_visits_left_without_anyone():
    """Planned for a backlog of 4 at turnout 0.5 (2, then 1 on Tuesday); the village really
    has 2 at turnout 1: Monday records both, Tuesday's visit to it is dropped and the unit
    drives from the base straight to b."""
    planned_for = one_village(unrecorded=4)
    real = one_village(unrecorded=2, turnout=1.0)
    network = TravelNetwork(real)
    unit = real.unit("U1")
    monday = visit("a", EIGHT + 600, 2)
    tuesday_a = visit("a", EIGHT + 600, 1)
    to_b = network.travel(unit, "a", "b")
    tuesday_b = visit("b", tuesday_a.end + to_b, 25, to_b)
    back = network.travel(unit, "b", "base")
    plan = Plan(planned_for, (
        Route("U1", MONDAY, "weekday", EIGHT, monday.end + 600, (monday,), 1200),
        Route("U1", TUESDAY, "weekday", EIGHT, tuesday_b.end + back, (tuesday_a, tuesday_b),
              600 + to_b + back)))
    assert not planner.check(planned_for, plan)
    done = realise(real, plan, network)
    assert not planner.check(real, done)
    assert [(r.date, [(s.village_id, s.recorded) for s in r.stops]) for r in done.routes] == \
        [(MONDAY, [("a", 2)]), (TUESDAY, [("b", 25)])]
    assert done.routes[1].stops[0].travel_s == network.travel(unit, "base", "b")
    assert done.routes[1].travel_s == network.travel(unit, "base", "b") + back


def test_hedge_factors_at_quantiles_next_to_0_and_1():
    """1 - 1e-300 is 1.0 in floating point (the normal quantile of 1 once raised): a
    quantile that close to 0 plans at the lowest factors, one close to 1 at the expected."""
    from planner.robust import LOWEST_FACTOR, hedge_factors

    # z of 1e-9 is 6.0: shares 0, 1/3, 2/3, 1 give 1, 0.5, and twice the floor
    assert hedge_factors(1e-300, 0.25) == (1.0, 0.5, LOWEST_FACTOR)
    assert hedge_factors(1 - 1e-17, 0.25) == (1.0,)


def test_hedged_lowers_every_turnout():
    scenario = make_scenario(TINY, villages=[{**TINY["villages"][0], "turnout": 0.4},
                                             TINY["villages"][1]])
    low = hedged(scenario, 0.5)
    assert (low.recording.turnout, low.village("a").turnout) == (Decimal("0.35"), Decimal("0.2"))
    assert low.village("b").turnout is None  # follows the lowered default
    assert hedged(scenario, 1.0) is scenario


def test_plan_robust_keeps_the_best_quantile_of_checked_candidates():
    scenario = make_scenario(FORTNIGHT)
    plan, report = plan_robust(scenario, 0.1, time_limit=2, seed=0, runs=150,
                               factors=(1.0, 0.6), uncertainty=Uncertainty.of(scenario,
                                                                           turnout_cv=0.35))
    assert not planner.check(scenario, plan)
    values = {c["turnout_factor"]: c["quantile_value"] for c in report["candidates"]}
    assert report["quantile_value"] == max(values.values())
    assert values[report["turnout_factor"]] == report["quantile_value"]
    assert report["expected"] == pytest.approx(float(plan.objective))
    again = simulate(scenario, plan, runs=150, seed=report["seed"],
                     uncertainty=Uncertainty.of(scenario, turnout_cv=0.35))
    assert again.runs["objective"].quantile(0.1) == pytest.approx(report["quantile_value"],
                                                                  abs=1e-3)


def test_cli_robust_reports_both_values(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(FORTNIGHT, sort_keys=False))
    result = CliRunner().invoke(main, [str(path), "-o", str(tmp_path / "out"), "--robust",
                                       "0.2", "--time-limit", "2", "-q", "--formats",
                                       "progress", "--lang", "en"])
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    robust = summary["robust"]
    assert robust["quantile"] == 0.2 and robust["expected"] == summary["objective"]
    assert "robust plan (Q = 0.2)" in result.output
    assert not planner.check(make_scenario(FORTNIGHT), tmp_path / "out")


def test_cli_robust_gives_the_scenario_warning_once_in_the_run_language(tmp_path):
    """A crew above every staff level: one `peringatan:` line when the scenario is read; the
    robust candidates (scenario variants) once printed it again as raw Python warnings."""
    data = {**FORTNIGHT, "staff": {"weekday": 2, "weekend": 2},
            "units": FORTNIGHT["units"] + [{"id": "U3", "base": "base", "crew": 3}]}
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with warnings.catch_warnings(record=True) as escaped:  # what Python itself would print
        warnings.simplefilter("always")
        result = CliRunner().invoke(main, [str(path), "-o", str(tmp_path / "out"), "--robust",
                                           "0.2", "--time-limit", "2", "-q", "--formats",
                                           "progress"])
    assert result.exit_code == 0, result.output
    assert [str(w.message) for w in escaped] == []
    lines = [ln for ln in result.stderr.splitlines() if "crew" in ln or "awak" in ln]
    assert len(lines) == 1 and lines[0].startswith("peringatan: ") and "awak 3" in lines[0]
    assert "Notice" not in result.stderr


def test_realise_keeps_the_days_of_a_trip_that_move_the_team():
    """A trip: Monday to a (31 km east) and the night at lodging L beside it, Tuesday a again
    and L, Wednesday home without a visit. Planned for 4 people at turnout 0.5 (2, then 1);
    really 2 at turnout 1: Tuesday's visit is dropped, but the unit still sleeps at L and
    drives home on Wednesday. Dropping those days left a trip that never came home, and
    `--robust` ended with an internal error."""
    WEDNESDAY = dt.date(2024, 1, 3)

    def trip(**village):
        return make_scenario(
            TINY, recording={"minutes_per_person": 5, "setup_minutes": 0,
                             "turnout": village.pop("turnout", 0.5)},
            places=[{"id": "base", "x": 0, "y": 0}, {"id": "L", "x": 30, "y": 0, "lodging": True}],
            units=[{"id": "U1", "base": "base", "max_nights": 2}],
            villages=[{"id": "a", "x": 31, "y": 0, **village}])

    planned_for, real = trip(unrecorded=4), trip(unrecorded=2, turnout=1.0)
    network = TravelNetwork(real)
    unit = real.unit("U1")
    out, to_l, home = (network.travel(unit, "base", "a"), network.travel(unit, "a", "L"),
                       network.travel(unit, "L", "base"))
    monday = visit("a", EIGHT + out, 2, out)
    tuesday = visit("a", EIGHT + to_l, 1, to_l)
    plan = Plan(planned_for, (
        Route("U1", MONDAY, "weekday", EIGHT, monday.end + to_l, (monday,), out + to_l,
              end_place="L"),
        Route("U1", TUESDAY, "weekday", EIGHT, tuesday.end + to_l, (tuesday,), 2 * to_l,
              end_place="L"),
        Route("U1", WEDNESDAY, "weekday", EIGHT, EIGHT + home, (), home)))
    assert not planner.check(planned_for, plan)
    done = realise(real, plan, network)
    assert not planner.check(real, done)
    assert [(r.date, len(r.stops), done.places[("U1", r.date)], r.travel_s) for r in done.routes] == [
        (MONDAY, 1, ("base", "L"), out + to_l), (TUESDAY, 0, ("L", "L"), 0),
        (WEDNESDAY, 0, ("L", "base"), home)]


@pytest.mark.parametrize("stopped_at, candidates", [(1, 1), (0, 0)])
def test_ctrl_c_ends_the_robust_run_with_the_candidates_so_far(monkeypatch, stopped_at,
                                                                candidates):
    """Ctrl-C in the second candidate's search (a plan so far): that candidate and the first
    decide, and no third is planned; in the first, before any plan: a KeyboardInterrupt (the
    CLI then writes nothing). It went on to plan every other candidate."""
    import importlib

    solve_module = importlib.import_module("planner.solve")
    real, calls = solve_module.solve, []

    def solve(scenario, **options):
        calls.append(scenario)
        if len(calls) - 1 == stopped_at:
            plan = real(scenario, **options)
            if stopped_at == 0:
                plan = dataclasses.replace(plan, routes=())
            plan.solver["status"] = "INTERRUPTED"
            return plan
        return real(scenario, **options)

    monkeypatch.setattr(solve_module, "solve", solve)
    scenario = make_scenario(FORTNIGHT)
    factors = (1.0, 0.8, 0.6)
    if stopped_at == 0:
        with pytest.raises(KeyboardInterrupt):
            plan_robust(scenario, 0.1, time_limit=1.5, runs=50, factors=factors)
        assert len(calls) == 1
        return
    plan, report = plan_robust(scenario, 0.1, time_limit=1.5, runs=50, factors=factors)
    assert len(calls) == 2 and len(report["candidates"]) == 2
    assert plan.solver["status"] == "INTERRUPTED" and not planner.check(scenario, plan)
