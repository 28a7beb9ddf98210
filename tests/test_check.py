"""The checker, rule by rule: each test breaks exactly one rule of DESIGN §3 (Timefold style).

The tiny scenario (tests/conftest.py) is planar at 30 km/h, so 1 km = 2 min: base (0,0),
village a at (3,4) = 5 km = 10 min = 600 s from base, b at (6,8) = 600 s from a, 1200 s from
base. Recording: 5 min per person per kit, 30 min setup, turnout 0.7; unit U1 has 2 kits, crew 3.
Shift 08:00-16:00 on weekdays. 2024-01-01 is a Monday; the campaign runs to Friday 2024-01-05.

The valid day (VALID_DAY), computed by hand:
  depart base 08:00:00
  a: arrive 08:10:00 (10 min), record ceil(0.7 x 100) = 70: 30 + 70 x 5 / 2 = 205 min -> 11:35:00
  b: arrive 11:45:00 (10 min), record ceil(0.7 x 60) = 42: 30 + 42 x 5 / 2 = 135 min -> 14:00:00
  back at base 14:20:00 (20 min); travel 10 + 10 + 20 = 40 min = 2400 s.
"""
from __future__ import annotations

import ast
import datetime as dt
import json
import sys
from pathlib import Path

import pandas as pd
import pytest

from planner.actuals import Actuals, ActualVisit
from planner.check import Replan, Violation, check
from planner.plan import Plan, Route, Stop
from tests.conftest import TINY, make_scenario

MON, TUE, WED, THU, FRI, SAT = (dt.date(2024, 1, d) for d in (1, 2, 3, 4, 5, 6))


def t(clock: str) -> int:
    """'08:10' or '08:10:30' -> seconds after midnight (the tests' own arithmetic)."""
    parts = [int(x) for x in clock.split(":")] + [0]
    return parts[0] * 3600 + parts[1] * 60 + parts[2]


def stop(village: str, arrive: str, end: str, recorded: int, travel_s: int,
         start: str | None = None) -> Stop:
    return Stop(village, t(arrive), t(start or arrive), t(end), recorded, travel_s)


def valid_day(unit="U1", date=MON, day_type="weekday", **changes) -> Route:
    """The hand-computed day of the module docstring; `changes` replace Route fields."""
    route = Route(unit, date, day_type, t("08:00"), t("14:20"),
                  (stop("a", "08:10", "11:35", 70, 600), stop("b", "11:45", "14:00", 42, 600)),
                  2400)
    return _replace(route, **changes)


def day_at_a(unit="U1", date=MON, day_type="weekday", recorded=70, **changes) -> Route:
    """Only village a: 08:00 out, 08:10 there, 70 people -> 11:35, back 11:45 (20 min travel)."""
    end = t("08:10") + 30 * 60 + recorded * 150  # 5 min / 2 kits = 150 s per person
    route = Route(unit, date, day_type, t("08:00"), end + 600,
                  (Stop("a", t("08:10"), t("08:10"), end, recorded, 600),), 1200)
    return _replace(route, **changes)


def _replace(obj, **changes):
    import dataclasses

    return dataclasses.replace(obj, **changes) if changes else obj


def with_stop(route: Route, index: int, **changes) -> Route:
    stops = list(route.stops)
    stops[index] = _replace(stops[index], **changes)
    return _replace(route, stops=tuple(stops))


def rules_of(violations: list[Violation]) -> set[str]:
    return {v.rule for v in violations}


def only(violations: list[Violation], rule: str) -> list[Violation]:
    """Assert every violation is of `rule` (and there is one); return them."""
    assert violations, f"expected a {rule} violation, found none"
    assert rules_of(violations) == {rule}, [f"{v.rule}: {v}" for v in violations]
    return violations


def scenario(**overrides):
    return make_scenario(**overrides)


def village_list(**changes_by_id):
    """TINY's villages with per-village field changes, e.g. a={"power": False}."""
    out = []
    for v in TINY["villages"]:
        out.append({**v, **changes_by_id.get(v["id"], {})})
    return out


def two_units(**u2):
    return [TINY["units"][0], {"id": "U2", "base": "base", "kits": 2, "crew": 3, **u2}]


def write_folder(plan: Plan, folder: Path, summary: bool = True) -> Path:
    """Write the contract tables the way the CLI does (DESIGN §4)."""
    folder.mkdir(parents=True, exist_ok=True)
    plan.visits.to_csv(folder / "visits.csv", index=False)
    plan.days.to_csv(folder / "days.csv", index=False)
    if summary:
        (folder / "summary.json").write_text(json.dumps(plan.summary(), default=str))
    return folder


def edit_csv(path: Path, row: int | None, **cells) -> None:
    """Change cells of one row (or drop the row when cells is empty) of a written table."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    if cells:
        for col, value in cells.items():
            df.loc[row, col] = value
    else:
        df = df.drop(index=row)
    df.to_csv(path, index=False)


@pytest.fixture
def valid_folder(tmp_path, tiny_scenario):
    return write_folder(Plan(tiny_scenario, (valid_day(),)), tmp_path / "plan")


# -- a valid plan ---------------------------------------------------------------------------

def test_valid_plan_has_no_violation(tiny_scenario):
    assert check(tiny_scenario, Plan(tiny_scenario, (valid_day(),))) == []


def test_valid_plan_over_several_days_and_units():
    # Day 2 at a: 30 remaining, cap ceil(0.7 x 30) = 21; b (priority 2) by U2 on Monday.
    s = scenario(units=two_units(), villages=village_list(b={"priority": 2}))
    u2_to_b = Route("U2", MON, "weekday", t("08:00"), t("10:55"),
                    (stop("b", "08:20", "10:35", 42, 1200),), 2400)
    plan = Plan(s, (day_at_a(), u2_to_b, day_at_a(date=TUE, recorded=21)),
                solver={"upper_bound": 70 + 21 + 2 * 42})
    assert check(s, plan) == []


def test_valid_plan_written_as_csv_folder(valid_folder, tiny_scenario):
    assert check(tiny_scenario, valid_folder) == []
    assert check(tiny_scenario, str(valid_folder)) == []


def test_a_visits_table_past_the_row_limit_is_refused_not_read(valid_folder, tiny_scenario,
                                                                monkeypatch):
    module = sys.modules[check.__module__]  # `planner.check` is also the function's name
    monkeypatch.setattr(module, "MAX_TABLE_ROWS", 1)  # a million rows took 135 s, 1.6 GB
    lines = (valid_folder / "visits.csv").read_text().splitlines()
    assert len(lines) > 2
    violations = check(tiny_scenario, valid_folder)
    assert [v.rule for v in violations if "more than 1 rows" in v.message] == ["table_format"]


def test_plan_is_feasible_asks_the_checker(tiny_scenario):
    assert Plan(tiny_scenario, (valid_day(),)).is_feasible()
    assert not Plan(tiny_scenario, (valid_day(day_type="weekend"),)).is_feasible()


def test_empty_plan_has_no_violation(tiny_scenario):
    assert check(tiny_scenario, Plan(tiny_scenario, ())) == []


def test_plan_naming_an_unknown_village_is_reported_not_raised(tiny_scenario):
    bad = with_stop(valid_day(), 1, village_id="zz")
    v = only(check(tiny_scenario, Plan(tiny_scenario, (bad,))), "table_format")
    assert "zz" in v[0].message


def test_violation_str_is_the_message(tiny_scenario):
    late = with_stop(valid_day(), 0, arrive=t("08:09:59"))
    v = only(check(tiny_scenario, Plan(tiny_scenario, (late,))), "travel_time")[0]
    assert str(v) == v.message
    assert (v.unit, v.date, v.village_id) == ("U1", MON, "a")


# -- table format (DESIGN §4) ---------------------------------------------------------------

@pytest.mark.parametrize("table, column, value, words", [
    ("visits.csv", "arrive", "8:10", "HH:MM:SS"),
    ("visits.csv", "start", "08:61:00", "HH:MM:SS"),
    ("visits.csv", "date", "01/01/2024", "YYYY-MM-DD"),
    ("visits.csv", "counts_on", "2024-1-1", "YYYY-MM-DD"),
    ("visits.csv", "day_type", "monday", "weekday, weekend or holiday"),
    ("visits.csv", "recorded", "70.5", "whole number"),
    ("days.csv", "overtime", "False", "true or false"),
    ("days.csv", "travel_min", "forty", "number of minutes"),
    # loose forms Python itself would read (found by mutating folders): not §4's formats
    ("visits.csv", "recorded", " 70 ", "whole number"),
    ("visits.csv", "recorded", "\u0667\u0660", "whole number"),  # Arabic-Indic 70
    ("visits.csv", "arrive", "08:10:00 ", "HH:MM:SS"),
    ("visits.csv", "counts_on", " 2024-01-01", "YYYY-MM-DD"),
    ("days.csv", "overtime", " false", "true or false"),
    ("days.csv", "travel_min", "4.0e+01", "number of minutes"),
    ("days.csv", "travel_min", "4_0", "number of minutes"),
    ("days.csv", "travel_min", "inf", "number of minutes"),
    # the first minute and second past a clock's 59
    ("days.csv", "depart", "08:60:00", "HH:MM:SS"),
    ("days.csv", "return", "14:20:60", "HH:MM:SS"),
])
def test_table_format_bad_cell(valid_folder, tiny_scenario, table, column, value, words):
    edit_csv(valid_folder / table, 0, **{column: value})
    found = check(tiny_scenario, valid_folder)
    # the row with the bad cell is left out of the other rules, which may then complain that
    # days.csv and visits.csv disagree; the format problem itself must be named precisely
    fmt = [v for v in found if v.rule == "table_format"]
    assert len(fmt) == 1 and f"{table} line 2" in fmt[0].message
    assert column in fmt[0].message and repr(value) in fmt[0].message and words in fmt[0].message


def test_table_format_columns_exactly_as_contract(valid_folder, tiny_scenario):
    df = pd.read_csv(valid_folder / "days.csv", dtype=str)
    df.rename(columns={"return": "back"}).to_csv(valid_folder / "days.csv", index=False)
    v = [x for x in check(tiny_scenario, valid_folder) if x.rule == "table_format"]
    assert len(v) == 1 and "missing return" in v[0].message and "unexpected back" in v[0].message


def test_table_format_names_a_spreadsheets_semicolons(valid_folder, tiny_scenario):
    """visits.csv saved again with `;` (a spreadsheet set to Indonesian): one line that says
    so, not every column missing."""
    df = pd.read_csv(valid_folder / "visits.csv", dtype=str)
    df.to_csv(valid_folder / "visits.csv", index=False, sep=";")
    (v,) = [x for x in check(tiny_scenario, valid_folder) if x.rule == "table_format"]
    assert v.message.startswith("visits.csv has `;` between its cells") and \
        "--from-plan FOLDER" in v.message


def test_table_format_missing_file(valid_folder, tiny_scenario):
    (valid_folder / "days.csv").unlink()
    v = [x for x in check(tiny_scenario, valid_folder) if x.rule == "table_format"]
    assert len(v) == 1 and "days.csv is missing" in v[0].message


def test_table_format_summary_keys(valid_folder, tiny_scenario):
    data = json.loads((valid_folder / "summary.json").read_text())
    del data["left_out"]
    (valid_folder / "summary.json").write_text(json.dumps(data))
    v = only(check(tiny_scenario, valid_folder), "table_format")
    assert "left_out" in v[0].message


def test_visit_sequence(valid_folder, tiny_scenario):
    edit_csv(valid_folder / "visits.csv", 1, seq="3")
    v = only(check(tiny_scenario, valid_folder), "visit_sequence")
    assert "numbered 1, 3" in v[0].message and "1 to 2" in v[0].message


# -- units and villages ----------------------------------------------------------------------

def test_unknown_unit(tiny_scenario):
    v = only(check(tiny_scenario, Plan(tiny_scenario, (valid_day(unit="U9"),))), "unknown_unit")
    assert len(v) == 1 and "'U9'" in v[0].message and "U1" in v[0].message


def test_unknown_village(valid_folder, tiny_scenario):
    (valid_folder / "summary.json").unlink()  # the summary would rightly disagree as well
    edit_csv(valid_folder / "visits.csv", 1, village_id="zz")
    v = only(check(tiny_scenario, valid_folder), "unknown_village")
    assert "'zz'" in v[0].message and "line(s) 3" in v[0].message


def test_village_label(valid_folder, tiny_scenario):
    edit_csv(valid_folder / "visits.csv", 0, village="Desa Z")
    v = only(check(tiny_scenario, valid_folder), "village_label")
    assert "'Desa Z'" in v[0].message and "'Desa A'" in v[0].message


# -- days ----------------------------------------------------------------------------------

@pytest.mark.parametrize("calendar, date, day_type, words", [
    ({"closed": [{"from": "2024-01-01", "to": "2024-01-01", "reason": "server blocked"}]},
     MON, "weekday", "closed for field work (server blocked)"),
    ({"extra_holidays": ["2024-01-01"]}, MON, "weekday", "holiday"),
    ({"deadline": "2024-01-07"}, SAT, "weekend", "Saturday and the scenario has no weekend shift"),
    ({"start": "2024-01-02"}, MON, "weekday", "outside the campaign (2024-01-02 to 2024-01-05)"),
])
def test_field_day(calendar, date, day_type, words):
    s = scenario(calendar={**TINY["calendar"], **calendar})
    v = only(check(s, Plan(s, (day_at_a(date=date, day_type=day_type),))), "field_day")
    assert len(v) == 1 and words in v[0].message and date.isoformat() in v[0].message


def test_worked_holiday_is_a_holiday_day_on_the_weekend_shift():
    # work_on_holidays: Monday 1 Jan is a holiday worked on the 08:00-14:00 weekend shift.
    s = scenario(calendar={**TINY["calendar"], "extra_holidays": ["2024-01-01"],
                           "work_on_holidays": True},
                 shift={**TINY["shift"], "weekend": {"start": "08:00", "end": "14:00"}})
    assert check(s, Plan(s, (day_at_a(day_type="holiday"),))) == []
    v = only(check(s, Plan(s, (day_at_a(day_type="weekday"),))), "day_type")
    assert "a worked holiday (holiday)" in v[0].message
    v = only(check(s, Plan(s, (valid_day(day_type="holiday"),))), "day_hours")
    assert "14:20:00" in v[0].message and "14:00:00" in v[0].message
    assert "20 min late" in v[0].message


def test_day_type(tiny_scenario):
    plan = Plan(tiny_scenario, (valid_day(day_type="weekend"),))
    v = only(check(tiny_scenario, plan), "day_type")
    assert "day_type weekend" in v[0].message and "(Monday) a working weekday" in v[0].message


def test_unit_unavailable():
    s = scenario(units=[{**TINY["units"][0], "unavailable": ["2024-01-01"]}])
    v = only(check(s, Plan(s, (valid_day(),))), "unit_unavailable")
    assert v[0].unit == "U1" and "2024-01-01" in v[0].message


# -- a day's times -------------------------------------------------------------------------

def test_day_hours_early_departure(tiny_scenario):
    v = only(check(tiny_scenario, Plan(tiny_scenario, (valid_day(depart=t("07:59")),))),
             "day_hours")
    assert "07:59:00" in v[0].message and "08:00:00" in v[0].message


def test_day_hours_late_return(tiny_scenario):
    late = with_stop(day_at_a(return_=t("16:00:01")), 0, end=t("15:50:01"))
    v = only(check(tiny_scenario, Plan(tiny_scenario, (late,))), "day_hours")
    assert "16:00:01" in v[0].message and "16:00:00" in v[0].message and "1 s late" in v[0].message


def test_travel_time_first_leg(tiny_scenario):
    early = with_stop(valid_day(), 0, arrive=t("08:09:59"))
    v = only(check(tiny_scenario, Plan(tiny_scenario, (early,))), "travel_time")
    assert "08:09:59" in v[0].message and "10 min" in v[0].message and "08:10:00" in v[0].message


def test_travel_time_between_villages(tiny_scenario):
    early = with_stop(valid_day(), 1, arrive=t("11:44:59"), start=t("11:45"))
    v = only(check(tiny_scenario, Plan(tiny_scenario, (early,))), "travel_time")
    assert "Desa A (a)" in v[0].message and v[0].village_id == "b" and "11:45:00" in v[0].message


def test_travel_time_return_leg(tiny_scenario):
    v = only(check(tiny_scenario, Plan(tiny_scenario, (valid_day(return_=t("14:19:59")),))),
             "travel_time")
    assert "back at Kantor (base) at 14:19:59" in v[0].message and "20 min" in v[0].message


def test_travel_time_return_to_a_different_end_place():
    # U1 ends at `depot` (0,10): from b (6,8), sqrt(36 + 4) = 6.3246 km -> 758.95 s -> 759 s.
    s = scenario(places=TINY["places"] + [{"id": "depot", "x": 0, "y": 10}],
                 units=[{**TINY["units"][0], "end": "depot"}])
    ok = valid_day(return_=t("14:00") + 759, travel_s=1200 + 759)
    assert check(s, Plan(s, (ok,))) == []
    v = only(check(s, Plan(s, (_replace(ok, return_=ok.return_ - 1),))), "travel_time")
    assert "depot" in v[0].message and "12 min 39 s" in v[0].message


def test_travel_time_water_village_without_way_back():
    # w is reached from the port by a one-way boat (60 min) and has no other edge.
    s = scenario(places=TINY["places"] + [{"id": "port", "x": 0, "y": 5}],
                 links=[{"from": "port", "to": "w", "minutes": 60, "oneway": True}],
                 villages=TINY["villages"] + [{"id": "w", "name": "Pulau W", "x": 0, "y": 20,
                                               "unrecorded": 10, "access": "water"}])
    # base -> port 5 km = 600 s, boat 3600 s: there at 09:10; 7 people: 30 + 17.5 min -> 09:57:30
    to_w = Route("U1", MON, "weekday", t("08:00"), t("15:00"),
                 (stop("w", "09:10", "09:57:30", 7, 4200),), 4200)
    v = only(check(s, Plan(s, (to_w,))), "travel_time")
    assert len(v) == 1 and "no way from Pulau W (w) to Kantor (base)" in v[0].message


class SkewedNetwork:
    """The scenario's network with `change(seconds)` applied to every leg: a stand-in for a
    slip in `planner.network`, which every other travel rule measures by."""

    def __init__(self, scenario, change):
        from planner.network import TravelNetwork

        self.real, self.change = TravelNetwork(scenario), change
        self.index = self.real.index

    def travel(self, unit, a, b):
        return self.change(self.real.travel(unit, a, b))


@pytest.mark.parametrize("change, words", [
    (lambda s: s - 300, "gives 300 s from Kantor (base) to Desa A (a) (the direct road: 10 min)"),
    (lambda s: -s, "gives -600 s from Kantor (base)"),
    (lambda s: s + 2, "gives 602 s"),
])
def test_travel_network_is_the_direct_road_without_links(tiny_scenario, change, words):
    # TINY is planar: base (0,0) -> a (3,4) is 5 km at 30 km/h = 600 s, and 10 min each leg
    plan = Plan(tiny_scenario, (valid_day(),))
    assert check(tiny_scenario, plan, network=SkewedNetwork(tiny_scenario, lambda s: s)) == []
    found = check(tiny_scenario, plan, network=SkewedNetwork(tiny_scenario, change))
    v = [x for x in found if x.rule == "travel_network"]
    assert v and any(words in x.message for x in v), [str(x) for x in found]


def test_travel_network_takes_a_link_where_it_is_faster():
    # a boat between base and a (1 min): base -> a is 60 s, a -> b the road's 600 s (the boat
    # back to base and 1,200 s of road are longer), b -> base 1,200 s by road or 600 + 60
    s = scenario(links=[{"from": "base", "to": "a", "minutes": 1}])
    plan = Plan(s, (valid_day(),))  # drives slower than it could: not wrong
    assert "travel_network" not in rules_of(check(s, plan))
    slower = check(s, plan, network=SkewedNetwork(s, lambda t: t + 60))
    assert "gives 120 s from Kantor (base) to Desa A (a) (the direct road or links: 1 min)" \
        in only([v for v in slower if v.rule == "travel_network"], "travel_network")[0].message
    faster = check(s, plan, network=SkewedNetwork(s, lambda t: min(t, 60)))  # no such way
    v = [x.message for x in faster if x.rule == "travel_network"]
    assert any("gives 60 s from Desa A (a) to Desa B (b) (the direct road or links: 10 min)"
               in m for m in v), v


def test_travel_network_drives_a_one_way_link_one_way():
    # the boat goes from base to a only: a network that sailed it back would bring the unit
    # from b to base in 660 s (road to a, boat) instead of the road's 1,200 s
    s = scenario(links=[{"from": "base", "to": "a", "minutes": 1, "oneway": True}])
    both = scenario(links=[{"from": "base", "to": "a", "minutes": 1}])
    plan = Plan(s, (valid_day(),))
    assert "travel_network" not in rules_of(check(s, plan))
    found = check(s, plan, network=SkewedNetwork(both, lambda t: t))
    v = [x.message for x in found if x.rule == "travel_network"]
    assert len(v) == 1 and "gives 660 s from Desa B (b) to Kantor (base) (the direct road or " \
        "links: 20 min)" in v[0]


def test_a_night_away_must_be_named_in_end_place():
    # The day stops at b (a lodging) at 14:00 but days.csv says it ends at home: the way back
    # is missing (and its 20 min from the day's travel), whatever the unit's max_nights.
    s = scenario(units=[{**TINY["units"][0], "max_nights": 1}],
                 villages=village_list(b={"lodging": True}))
    sleeps_at_b = valid_day(return_=t("14:00"), travel_s=1200)
    found = check(s, Plan(s, (sleeps_at_b,)))
    assert rules_of(found) == {"travel_time", "days_match_visits"}
    assert any("back at Kantor (base) at 14:00:00" in v.message for v in found)


def test_travel_minutes(tiny_scenario):
    # the clock times are right, but the first leg is written as 500 s (8.33 min), not 600 s
    short = with_stop(valid_day(travel_s=2300), 0, travel_s=500)
    v = only(check(tiny_scenario, Plan(tiny_scenario, (short,))), "travel_minutes")
    assert "8.33" in v[0].message and "10.00 min" in v[0].message


def test_travel_minutes_not_more_than_the_network_time(tiny_scenario):
    # a -> b is written as 20 min (1200 s): the network's 10 min and 10 min waited
    long = with_stop(valid_day(travel_s=3000), 1, travel_s=1200)
    v = only(check(tiny_scenario, Plan(tiny_scenario, (long,))), "travel_minutes")
    assert "travel_min is 20" in v[0].message and "takes 10.00 min" in v[0].message
    assert "waited on the way is not travel" in v[0].message


def test_travel_minutes_with_waiting_on_the_way_is_the_network_time(tiny_scenario):
    """Visit b arrives 5 min later than the road from a needs (the team waited): valid, and
    its travel_min stays the network's 10 min; written as 15 min it is not."""
    day = valid_day()
    b = day.stops[1]
    late = _replace(with_stop(day, 1, arrive=b.arrive + 300, start=b.start + 300,
                              end=b.end + 300), return_=day.return_ + 300)
    assert check(tiny_scenario, Plan(tiny_scenario, (late,))) == []
    written = with_stop(late, 1, travel_s=900)  # days.csv's sum disagrees too
    v = [x for x in check(tiny_scenario, Plan(tiny_scenario, (written,)))
         if x.rule == "travel_minutes"]
    assert "travel_min is 15" in v[0].message and "takes 10.00 min" in v[0].message


def test_start_after_arrive(tiny_scenario):
    plan = Plan(tiny_scenario, (with_stop(valid_day(), 0, start=t("08:09")),))
    v = only(check(tiny_scenario, plan), "start_after_arrive")
    assert "08:09:00" in v[0].message and "08:10:00" in v[0].message


def test_service_time(tiny_scenario):
    short = with_stop(valid_day(), 0, end=t("11:34:59"))
    v = only(check(tiny_scenario, Plan(tiny_scenario, (short,))), "service_time")
    assert "3 h 24 min 59 s" in v[0].message and "3 h 25 min" in v[0].message
    assert "70 people" in v[0].message and "2 kit" in v[0].message


def test_a_negative_stay_reads_as_one(tiny_scenario):
    # end 10 min 1 s before start (divmod made it "-1 h 49 min 59 s")
    back = with_stop(valid_day(), 0, end=t("07:59:59"))
    v = [x for x in check(tiny_scenario, Plan(tiny_scenario, (back,))) if x.rule == "service_time"]
    assert v and "stays -10 min 1 s (08:10:00 to 07:59:59)" in v[0].message, [x.message for x in v]


def test_service_time_is_exact_decimal():
    # 3 people x 1.1 min = 3.3 min = 198 s exactly (binary floats make it 198.00000000000003).
    s = scenario(recording={"minutes_per_person": 1.1, "setup_minutes": 0, "turnout": 0.7},
                 units=[{**TINY["units"][0], "kits": 1}])
    def day(end):
        return Route("U1", MON, "weekday", t("08:00"), t("08:10") + end + 600,
                     (Stop("a", t("08:10"), t("08:10"), t("08:10") + end, 3, 600),), 1200)
    assert check(s, Plan(s, (day(198),))) == []
    v = only(check(s, Plan(s, (day(197),))), "service_time")
    assert "3 min 18 s" in v[0].message


def test_service_time_kits_divide_exactly():
    # 3 kits: 2 people x 5 min / 3 = 200 s exactly, no setup.
    s = scenario(recording={"minutes_per_person": 5, "setup_minutes": 0, "turnout": 0.7},
                 units=[{**TINY["units"][0], "kits": 3}])
    def day(end):
        return Route("U1", MON, "weekday", t("08:00"), t("08:10") + end + 600,
                     (Stop("a", t("08:10"), t("08:10"), t("08:10") + end, 2, 600),), 1200)
    assert check(s, Plan(s, (day(200),))) == []
    only(check(s, Plan(s, (day(199),))), "service_time")


def test_recorded_positive(tiny_scenario):
    v = only(check(tiny_scenario, Plan(tiny_scenario, (with_stop(valid_day(), 0, recorded=0),))),
             "recorded_positive")
    assert "records 0 people" in v[0].message and v[0].village_id == "a"


# -- villages over the plan -----------------------------------------------------------------

def test_one_visit_per_day():
    # U1 records 70 at a; U2 the same day records ceil(0.7 x 30) = 21: no turnout breach.
    s = scenario(units=two_units())
    plan = Plan(s, (day_at_a(), day_at_a(unit="U2", recorded=21)))
    v = only(check(s, plan), "one_visit_per_day")
    assert len(v) == 1 and "2 visits on 2024-01-01" in v[0].message and "U2" in v[0].message


def test_turnout_cap_first_visit(tiny_scenario):
    plan = Plan(tiny_scenario, (day_at_a(recorded=71),))
    v = only(check(tiny_scenario, plan), "turnout_cap")
    assert "records 71" in v[0].message and "ceil(0.7 × 100 remaining) = 70" in v[0].message


def test_turnout_cap_counts_earlier_visits(tiny_scenario):
    # Monday 70 of 100; Tuesday cap ceil(0.7 x 30) = 21, and 22 are planned.
    plan = Plan(tiny_scenario, (day_at_a(), day_at_a(date=TUE, recorded=22)))
    v = only(check(tiny_scenario, plan), "turnout_cap")
    assert len(v) == 1 and v[0].date == TUE and "ceil(0.7 × 30 remaining) = 21" in v[0].message


def test_turnout_cap_is_exact_decimal():
    # ceil(0.6 x 5) = 3 (binary floats say 0.6 x 5 = 3.0000000000000004 -> 4).
    s = scenario(villages=village_list(a={"unrecorded": 5, "turnout": 0.6, "eligible": None,
                                          "recorded": None}))
    assert check(s, Plan(s, (day_at_a(recorded=3),))) == []
    v = only(check(s, Plan(s, (day_at_a(recorded=4),))), "turnout_cap")
    assert "= 3 people" in v[0].message


def test_turnout_cap_never_beyond_backlog():
    # turnout 1: 5 of 5 on Monday, then nobody is left on Tuesday.
    s = scenario(villages=village_list(a={"unrecorded": 5, "turnout": 1, "eligible": None,
                                          "recorded": None}))
    plan = Plan(s, (day_at_a(recorded=5), day_at_a(date=TUE, recorded=1)))
    v = only(check(s, plan), "turnout_cap")
    assert "nobody is left" in v[0].message


def test_generator():
    s = scenario(villages=village_list(a={"power": False}))
    v = only(check(s, Plan(s, (valid_day(),))), "generator")
    assert "power: false" in v[0].message and "U1 has no generator" in v[0].message
    s = scenario(villages=village_list(a={"power": False}),
                 units=[{**TINY["units"][0], "generator": True}])
    assert check(s, Plan(s, (valid_day(),))) == []


def test_unit_districts():
    """The valid day visits a (kecamatan Timur) and b (Barat): a unit serving Timur alone may
    not visit b."""
    s = scenario(units=[{**TINY["units"][0], "districts": "Timur"}])
    v = only(check(s, Plan(s, (valid_day(),))), "unit_districts")
    assert [x.village_id for x in v] == ["b"]
    assert "in kecamatan Barat, and unit U1 serves only Timur" in v[0].message
    s = scenario(units=[{**TINY["units"][0], "districts": ["Timur", "Barat"]}])
    assert check(s, Plan(s, (valid_day(),))) == []


def test_village_closed():
    """The valid day visits a (kecamatan Timur) and b (Barat) on Monday 1 January."""
    s = scenario(closures=[{"villages": ["b"], "from": "2024-01-01", "to": "2024-01-02",
                            "reason": "upacara adat"}])
    v = only(check(s, Plan(s, (valid_day(),))), "village_closed")
    assert [x.village_id for x in v] == ["b"]
    assert "2024-01-01 to 2024-01-02 (upacara adat)" in v[0].message
    s = scenario(closures=[{"districts": "Timur", "from": "2023-12-30", "to": "2024-01-01"}])
    assert [x.village_id for x in only(check(s, Plan(s, (valid_day(),))), "village_closed")] \
        == ["a"]
    s = scenario(closures=[{"districts": ["Timur"], "villages": ["b"], "from": "2024-01-02",
                            "to": "2024-01-05"}])  # from the next day on
    assert check(s, Plan(s, (valid_day(),))) == []


# -- staff and overtime ----------------------------------------------------------------------

def test_staff_per_day():
    # U1 (crew 3) to a and U2 (crew 3) to b: 6 staff, 5 free on a weekday.
    s = scenario(units=two_units(), staff={"weekday": 5})
    u2_to_b = Route("U2", MON, "weekday", t("08:00"), t("10:55"),
                    (stop("b", "08:20", "10:35", 42, 1200),), 2400)
    v = only(check(s, Plan(s, (day_at_a(), u2_to_b))), "staff_per_day")
    assert "need 6 staff" in v[0].message and "only 5" in v[0].message and v[0].date == MON
    assert check(s, Plan(s, (day_at_a(), _replace(u2_to_b, date=TUE)))) == []


def test_overtime_budget():
    s = scenario(calendar={**TINY["calendar"], "deadline": "2024-01-07"},
                 shift={**TINY["shift"], "weekend": {"start": "08:00", "end": "14:00"}},
                 staff={"overtime_unit_days": 0})
    saturday = day_at_a(date=SAT, day_type="weekend")
    v = only(check(s, Plan(s, (saturday,))), "overtime_budget")
    assert "1 overtime unit-days" in v[0].message and "budget of 0" in v[0].message
    s1 = s.replace(staff={"overtime_unit_days": 1})
    assert check(s1, Plan(s1, (saturday,))) == []


def _worked_holiday(**staff):
    """Monday 1 Jan is a holiday worked on the weekend shift 08:00-14:00."""
    return scenario(calendar={**TINY["calendar"], "extra_holidays": ["2024-01-01"],
                              "work_on_holidays": True},
                    shift={**TINY["shift"], "weekend": {"start": "08:00", "end": "14:00"}},
                    units=two_units(), staff=staff)


def test_overtime_budget_counts_worked_holidays():
    s = _worked_holiday(overtime_unit_days=0)
    v = only(check(s, Plan(s, (day_at_a(day_type="holiday"),))), "overtime_budget")
    assert "budget of 0" in v[0].message


def test_staff_on_a_worked_holiday_is_the_weekend_level():
    # 9 staff on weekdays but only 3 at the weekend: U1 and U2 (crew 3 each) need 6.
    s = _worked_holiday(weekday=9, weekend=3)
    u2_to_b = Route("U2", MON, "holiday", t("08:00"), t("10:55"),
                    (stop("b", "08:20", "10:35", 42, 1200),), 2400)
    v = only(check(s, Plan(s, (day_at_a(day_type="holiday"), u2_to_b))), "staff_per_day")
    assert "need 6 staff" in v[0].message and "staff.weekend" in v[0].message


# -- counting ------------------------------------------------------------------------------

def test_counts_on(valid_folder):
    s = scenario(villages=village_list(a={"signal": False}))
    write_folder(Plan(s, (valid_day(),)), valid_folder)
    edit_csv(valid_folder / "visits.csv", 0, counts_on="2024-01-01")
    v = only(check(s, valid_folder), "counts_on")
    assert "offline" in v[0].message and "2024-01-04" in v[0].message


def test_counts_on_uses_village_turnaround():
    # a is offline with a 1-day turnaround: Monday's recordings count on Tuesday.
    s = scenario(villages=village_list(a={"signal": False, "turnaround_days": 1}))
    plan = Plan(s, (valid_day(),))
    assert plan.visits.loc[0, "counts_on"] == "2024-01-02"
    assert check(s, plan) == []


def test_counts_by_deadline():
    # a offline, 3 days: Tuesday's visit counts Friday (the deadline), Wednesday's on Saturday.
    s = scenario(villages=village_list(a={"signal": False}))
    assert check(s, Plan(s, (day_at_a(date=TUE),))) == []
    v = only(check(s, Plan(s, (day_at_a(date=WED),))), "counts_by_deadline")
    assert "2024-01-06" in v[0].message and "deadline 2024-01-05" in v[0].message


# -- days.csv against visits.csv ------------------------------------------------------------

def test_days_match_visits_travel(tiny_scenario):
    v = only(check(tiny_scenario, Plan(tiny_scenario, (valid_day(travel_s=100),))),
             "days_match_visits")
    assert "travel_min 1.67" in v[0].message and "40.00 min" in v[0].message


@pytest.mark.parametrize("cells, words", [
    ({"visits": "3"}, "visits 3, but visits.csv lists 2"),
    ({"recorded": "111"}, "recorded 111, but the visits record 112"),
    ({"overtime": "true"}, "overtime true"),
    ({"travel_min": "41.0"}, "travel_min 41"),
    # 0.05 min over the 40 min: more than the hundredths' rounding of two visits allows
    ({"travel_min": "40.05"}, "travel_min 40.05"),
])
def test_days_match_visits_cells(valid_folder, tiny_scenario, cells, words):
    edit_csv(valid_folder / "days.csv", 0, **cells)
    v = only(check(tiny_scenario, valid_folder), "days_match_visits")
    assert words in v[0].message


@pytest.mark.parametrize("key", ["goal_reached_on", "nights", "gap", "districts"])
def test_summary_keys(valid_folder, tiny_scenario, key):
    data = json.loads((valid_folder / "summary.json").read_text())
    del data[key]
    (valid_folder / "summary.json").write_text(json.dumps(data))
    v = only(check(tiny_scenario, valid_folder), "table_format")
    assert f"lacks the key(s) {key}" in v[0].message


def test_days_match_visits_missing_row(valid_folder, tiny_scenario):
    edit_csv(valid_folder / "days.csv", 0)  # drop the only row
    v = only(check(tiny_scenario, valid_folder), "days_match_visits")
    assert "days.csv has no row" in v[0].message


# -- summary.json --------------------------------------------------------------------------

@pytest.mark.parametrize("key, value, rule, words", [
    ("counted_recordings", 111, "summary_counted", "112 recordings"),
    ("objective", 113.0, "summary_objective", "add up to 112"),
    ("upper_bound", 100.0, "upper_bound", "below the plan's own objective 112"),
    ("gap", 0.5, "summary_gap", "without an upper_bound"),  # the folder's plan has no bound
    ("upper_bound", 140.0, "summary_gap", "(upper_bound 140 - objective 112) / upper_bound is "
                                          "0.200000"),
    ("nights", 2, "summary_nights", "has 0 night(s) away"),
])
def test_summary(valid_folder, tiny_scenario, key, value, rule, words):
    data = json.loads((valid_folder / "summary.json").read_text())
    data[key] = value
    (valid_folder / "summary.json").write_text(json.dumps(data))
    v = only(check(tiny_scenario, valid_folder), rule)
    assert words in v[0].message


def test_upper_bound_from_the_plans_solver(tiny_scenario):
    plan = Plan(tiny_scenario, (valid_day(),), solver={"upper_bound": 100})
    only(check(tiny_scenario, plan), "upper_bound")


def test_summary_gap_of_a_plan_below_its_bound(tiny_scenario):
    # objective 112 under a bound of 140: the gap (140 - 112) / 140 = 0.2 is right
    plan = Plan(tiny_scenario, (valid_day(),), solver={"upper_bound": 140})
    assert plan.summary()["gap"] == pytest.approx(0.2)
    assert check(tiny_scenario, plan) == []


def test_summary_counts_only_recordings_by_the_deadline(valid_folder):
    # a offline: Wednesday's 70 count after the deadline; the summary must not count them.
    s = scenario(villages=village_list(a={"signal": False}))
    write_folder(Plan(s, (day_at_a(date=WED),)), valid_folder)
    data = json.loads((valid_folder / "summary.json").read_text())
    assert data["counted_recordings"] == 0
    data["counted_recordings"] = 70
    (valid_folder / "summary.json").write_text(json.dumps(data))
    assert rules_of(check(s, valid_folder)) == {"counts_by_deadline", "summary_counted"}


# -- the wall ------------------------------------------------------------------------------

def _imports(module: str) -> set[str]:
    source = (Path(__file__).resolve().parents[1] / "planner" / module).read_text()
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            imported.add(("." * node.level) + (node.module or ""))
        elif isinstance(node, ast.Import):
            imported.update(a.name for a in node.names)
    return imported


def test_checker_imports_no_planner():
    imported = _imports("check.py") | _imports("check_travel.py")
    assert not any("solve" in m or "baseline" in m or m in (".plan", "planner.plan")
                   for m in imported), imported
    # the travel it holds the shared network against is its own
    assert not any("network" in m for m in _imports("check_travel.py"))


# -- coverage and left_out in summary.json ------------------------------------------------------

def _edit_summary(folder: Path, change) -> None:
    data = json.loads((folder / "summary.json").read_text())
    change(data)
    (folder / "summary.json").write_text(json.dumps(data))


@pytest.mark.parametrize("change, words", [
    # a: eligible 1000, recorded 900; the valid day counts 70 there: (900 + 70) / 1000 = 0.97
    (lambda d: d.update(coverage_after=0.9), "coverage_after = 0.9, but"),
    (lambda d: d.update(coverage_before=0.97), "give 0.900000"),
    (lambda d: d["districts"]["Timur"].update(coverage=0.9), "coverage 0.9, but it is 0.970000"),
    (lambda d: d["districts"]["Barat"].update(counted=0), "counted 0, but it is 42"),
    (lambda d: d["districts"]["Timur"].update(zone="green"), "sets no target zones (null)"),
    (lambda d: d["districts"].pop("Barat"), "has no entry for district 'Barat' under districts"),
])
def test_summary_coverage(valid_folder, tiny_scenario, change, words):
    _edit_summary(valid_folder, change)
    v = only(check(tiny_scenario, valid_folder), "summary_coverage")
    assert words in v[0].message


def test_a_district_coverage_counts_the_villages_that_know_eligible(tmp_path):
    # b joins a's district Timur without an eligible count: Timur's coverage is a's,
    # (900 + 70) / 1000 = 0.97, as the total is (DESIGN §3 "Coverage")
    s = scenario(villages=village_list(b={"district": "Timur"}))
    plan = Plan(s, (valid_day(),))
    timur = plan.summary()["districts"]["Timur"]
    assert (timur["coverage_before"], timur["coverage"]) == (0.9, 0.97)
    assert timur["counted"] == 70 + 42  # counted recordings are all of the district's
    folder = write_folder(plan, tmp_path / "plan")
    assert check(s, folder) == []
    _edit_summary(folder, lambda d: d["districts"]["Timur"].update(coverage=None))
    v = only(check(s, folder), "summary_coverage")
    assert "coverage None, but it is 0.970000" in v[0].message


def test_summary_zone_reached(tmp_path):
    # with a green zone from 0.95, village a's district reaches it at 0.97
    s = scenario(targets={"zones": {"yellow": 0.85, "green": 0.95}})
    folder = write_folder(Plan(s, (valid_day(),)), tmp_path / "plan")
    assert check(s, folder) == []
    _edit_summary(folder, lambda d: d["districts"]["Timur"].update(zone="yellow"))
    v = only(check(s, folder), "summary_coverage")
    assert "reaches 'green'" in v[0].message


def test_summary_zone_is_the_highest_threshold_reached(tmp_path):
    # Timur's 0.97 reaches green at exactly 0.97, not blue from 0.99; the zones listed in no
    # order of their thresholds
    s = scenario(targets={"zones": {"blue": 0.99, "green": 0.97, "yellow": 0.85}})
    folder = write_folder(Plan(s, (valid_day(),)), tmp_path / "plan")
    assert json.loads((folder / "summary.json").read_text())["districts"]["Timur"]["zone"] \
        == "green"
    assert check(s, folder) == []


@pytest.mark.parametrize("goal, reached, wrong, words", [
    # a: 900 of 1,000 recorded, Monday's 70 make 970 (b knows no eligible count)
    (0.95, "2024-01-01", "2024-01-02", "reaches the goal 0.95 on 2024-01-01"),
    (0.9, "2024-01-01", None, "reaches the goal 0.9 on 2024-01-01"),  # met before any visit
    (0.98, None, "2024-01-01", "never reaches the goal 0.98"),
    (None, None, "2024-01-01", "the scenario sets no goal"),
    (0.97, "2024-01-01", None, "reaches the goal 0.97 on 2024-01-01"),  # 970 / 1,000 exactly
])
def test_summary_goal_reached_on(tmp_path, goal, reached, wrong, words):
    s = scenario(targets={"goal": goal})
    folder = write_folder(Plan(s, (valid_day(),)), tmp_path / "plan")
    assert json.loads((folder / "summary.json").read_text())["goal_reached_on"] == reached
    assert check(s, folder) == []
    _edit_summary(folder, lambda d: d.update(goal_reached_on=wrong))
    v = only(check(s, folder), "summary_goal")
    assert words in v[0].message


def test_summary_goal_counts_offline_recordings_on_their_day(tmp_path):
    # a offline, 1-day turnaround: Monday's 70 count on Tuesday, the day the goal is reached
    s = scenario(targets={"goal": 0.95},
                 villages=village_list(a={"signal": False, "turnaround_days": 1}))
    folder = write_folder(Plan(s, (valid_day(),)), tmp_path / "plan")
    assert check(s, folder) == []
    _edit_summary(folder, lambda d: d.update(goal_reached_on="2024-01-01"))
    v = only(check(s, folder), "summary_goal")
    assert "on 2024-01-02" in v[0].message


def test_summary_left_out(valid_folder, tiny_scenario):
    # after the valid day a has 30 left and b 18: both must be listed with a reason
    _edit_summary(valid_folder, lambda d: d.update(left_out=d["left_out"][:1]))
    v = only(check(tiny_scenario, valid_folder), "summary_left_out")
    assert "Desa B (b) still has 18 residents" in v[0].message


def test_summary_left_out_lists_no_village_whose_backlog_is_recorded(tmp_path):
    # b comes out in full (turnout 1): its 42 are all recorded, so it is not left out
    s = scenario(villages=village_list(b={"unrecorded": 42, "turnout": 1.0}))
    folder = write_folder(Plan(s, (valid_day(),)), tmp_path / "plan")
    assert check(s, folder) == []
    _edit_summary(folder, lambda d: d["left_out"].append(
        {"village_id": "b", "backlog_left": 0, "reason": "no time"}))
    v = only(check(s, folder), "summary_left_out")
    assert "lists Desa B (b) under left_out, but the plan records its whole backlog" \
        in v[0].message


def test_summary_left_out_lists_a_village_with_one_resident_left(tmp_path):
    # b (turnout 1) has 43 unrecorded; the valid day records 42: one is left, so it is listed
    s = scenario(villages=village_list(b={"unrecorded": 43, "turnout": 1.0}))
    folder = write_folder(Plan(s, (valid_day(),)), tmp_path / "plan")
    assert check(s, folder) == []
    _edit_summary(folder, lambda d: d["left_out"][1].update(backlog_left=2))
    v = only(check(s, folder), "summary_left_out")
    assert "backlog_left 2" in v[0].message and "expected 1 residents left" in v[0].message
    _edit_summary(folder, lambda d: d.update(left_out=d["left_out"][:1]))
    v = only(check(s, folder), "summary_left_out")
    assert "Desa B (b) still has 1 residents to record" in v[0].message


def test_summary_coverage_recorded_before_is_eligible_minus_unrecorded(tmp_path):
    # b gives eligible 100 and unrecorded 60 but no `recorded`: 40 were recorded before
    s = scenario(villages=village_list(b={"eligible": 100}))
    plan = Plan(s, (valid_day(),))
    assert plan.summary()["districts"]["Barat"]["coverage"] == pytest.approx(0.82)
    assert check(s, write_folder(plan, tmp_path / "plan")) == []


def test_summary_left_out_backlog_left_is_what_is_left(valid_folder, tiny_scenario):
    # listed with a reason, but with 29 of a's 30 left
    _edit_summary(valid_folder, lambda d: d["left_out"][0].update(backlog_left=29))
    v = only(check(tiny_scenario, valid_folder), "summary_left_out")
    assert "backlog_left 29" in v[0].message and "expected 30 residents left" in v[0].message


def test_planner_check_stays_callable_after_the_module_is_imported(tiny_scenario):
    # importing planner.check rebinds the package attribute to the module (DESIGN §5 API)
    import planner
    import planner.check  # noqa: F401

    plan = Plan(tiny_scenario, (valid_day(),))
    assert planner.check(tiny_scenario, plan) == []
    assert planner.check(tiny_scenario, Plan(tiny_scenario, (valid_day(unit="U9"),)))


# -- a day's hours (DESIGN §3 "Hours") ------------------------------------------------------

FRIDAY_SHORT = {"friday": {"start": "08:00", "end": "11:30"}}
RAMADAN = {"from": "2024-01-01", "to": "2024-01-05", "start": "08:00", "end": "14:00",
           "reason": "Ramadan"}


def test_day_hours_day_of_week_entry():
    # Fridays end at 11:30; the day at a is back at 11:45 (70 people: 08:10 + 205 min = 11:35).
    s = scenario(shift={**TINY["shift"], **FRIDAY_SHORT})
    assert check(s, Plan(s, (day_at_a(date=THU),))) == []
    v = only(check(s, Plan(s, (day_at_a(date=FRI),))), "day_hours")
    assert "11:45:00" in v[0].message and "11:30:00" in v[0].message
    assert "(shift.friday; 15 min late)" in v[0].message and v[0].date == FRI


def test_day_hours_a_dates_entry_wins_over_the_day_of_week_entry():
    long_friday = {"date": "2024-01-05", "start": "08:00", "end": "16:00"}
    s = scenario(shift={**TINY["shift"], **FRIDAY_SHORT, "dates": [long_friday]})
    assert check(s, Plan(s, (day_at_a(date=FRI),))) == []


def test_day_hours_later_dates_entries_win():
    # Ramadan hours 08:00-14:00 all week; a later entry gives Monday 09:00-16:00.
    monday = {"date": "2024-01-01", "start": "09:00", "end": "16:00", "reason": "rapat pagi"}
    s = scenario(shift={**TINY["shift"], "dates": [RAMADAN, monday]})
    v = only(check(s, Plan(s, (valid_day(),))), "day_hours")  # leaves at 08:00
    assert "leaves Kantor (base) at 08:00:00, before the day's hours start at 09:00:00" \
        in v[0].message and "2024-01-01 to 2024-01-01 (rapat pagi)" in v[0].message
    v = only(check(s, Plan(s, (valid_day(date=TUE),))), "day_hours")  # back at 14:20
    assert "reaches Kantor (base) at 14:20:00" in v[0].message and "14:00:00" in v[0].message
    assert "(Ramadan); 20 min late" in v[0].message
    assert check(s, Plan(s, (day_at_a(date=TUE),))) == []  # back at 11:45


def test_day_hours_saturday_entry_opens_a_day_that_stays_overtime():
    # No weekend shift, but saturday: 08:00-12:00; Saturday 6 Jan is still an overtime day.
    s = scenario(calendar={**TINY["calendar"], "deadline": "2024-01-07"},
                 shift={**TINY["shift"], "saturday": {"start": "08:00", "end": "12:00"}},
                 staff={"overtime_unit_days": 0})
    saturday = day_at_a(date=SAT, day_type="weekend")  # 08:00 to 11:45
    only(check(s, Plan(s, (saturday,))), "overtime_budget")
    s1 = s.replace(staff={"overtime_unit_days": 1})
    assert check(s1, Plan(s1, (saturday,))) == []
    v = only(check(s1, Plan(s1, (valid_day(date=SAT, day_type="weekend"),))), "day_hours")
    assert "14:20:00" in v[0].message and "(shift.saturday; 2 h 20 min late)" in v[0].message


@pytest.mark.parametrize("shift, date, words", [
    (
        {"friday": None}, FRI,
        "it has no hours: shift.friday gives no field work that day",
    ),
    (
        {"dates": [{"date": "2024-01-02", "start": None, "end": None, "reason": "rapat"}]}, TUE,
        "the shift.dates entry 2024-01-02 to 2024-01-02 (rapat) gives no field work",
    ),
])
def test_field_day_without_hours(shift, date, words):
    # A null entry means no field work: a day out then is a field_day violation.
    s = scenario(shift={**TINY["shift"], **shift})
    assert check(s, Plan(s, (day_at_a(date=THU),))) == []
    v = only(check(s, Plan(s, (day_at_a(date=date),))), "field_day")
    assert words in v[0].message


def test_day_hours_are_the_checkers_own_rule(monkeypatch):
    # A slip in planner.calendar.hours_on (here: the weekday shift on every day) cannot hide
    # itself: the checker applies its own copy of the hours rule.
    import planner.calendar

    monkeypatch.setattr(planner.calendar, "hours_on", lambda sc, day, kind: sc.shift.weekday)
    s = scenario(shift={**TINY["shift"], **FRIDAY_SHORT})
    only(check(s, Plan(s, (day_at_a(date=FRI),))), "day_hours")


# -- trips (DESIGN §3 "A day", "Trips") ------------------------------------------------------
#
# b is a lodging; U1 may stay away up to 2 nights in a row. By hand:
#   Monday, night_at_b: the valid day, but the unit sleeps at b: there when the visit ends,
#     14:00 (b -> b takes 0 s); travel 10 + 10 = 20 min.
#   Tuesday, back_from_b: leaves b 08:00, a at 08:10 (10 min), ceil(0.7 x 30) = 21 people:
#     30 + 21 x 2.5 = 82.5 min -> 09:32:30, home 09:42:30 (10 min); travel 20 min.
#   b_from_b: leaves b 08:00, visits b at once (0 s), ceil(0.7 x 18) = 13 people:
#     30 + 13 x 2.5 = 62.5 min -> 09:02:30, home 09:22:30 (20 min); travel 20 min.
#   move_home: a trip day without visits, b to home 08:00 -> 08:20 (20 min).

U1, U2 = TINY["units"][0], {"id": "U2", "base": "base", "kits": 2, "crew": 3}


def trip_scenario(max_nights=2, units=None, villages=None, **overrides):
    """TINY with b a lodging and U1 allowed `max_nights` nights in a row away."""
    return scenario(units=units or [{**U1, "max_nights": max_nights}],
                    villages=villages or village_list(b={"lodging": True}), **overrides)


def night_at_b(date=MON, day_type="weekday", **changes) -> Route:
    return valid_day(date=date, day_type=day_type, return_=t("14:00"), travel_s=1200,
                     end_place="b", **changes)


def back_from_b(date=TUE, day_type="weekday", **changes) -> Route:
    return _replace(Route("U1", date, day_type, t("08:00"), t("09:42:30"),
                          (stop("a", "08:10", "09:32:30", 21, 600),), 1200), **changes)


def b_from_b(date=WED, **changes) -> Route:
    return _replace(Route("U1", date, "weekday", t("08:00"), t("09:22:30"),
                          (stop("b", "08:00", "09:02:30", 13, 0),), 1200), **changes)


def move_home(date=TUE, day_type="weekday", **changes) -> Route:
    return _replace(Route("U1", date, day_type, t("08:00"), t("08:20"), (), 1200), **changes)


TRIP = (night_at_b(), back_from_b())


def test_no_night_in_a_closed_village():
    """The trip visits a and b on Monday, sleeps at b and leaves from b on Tuesday: with b
    closed on Tuesday alone (the boat does not sail) the Monday visit stands but the team may
    not wake up there; closed on Monday, neither the visit nor the night."""
    tuesday = trip_scenario(closures=[{"villages": ["b"], "from": "2024-01-02",
                                       "to": "2024-01-02", "reason": "kapal tidak berlayar"}])
    v = only(check(tuesday, Plan(tuesday, TRIP)), "village_closed")
    assert [(x.date.isoformat(), x.village_id) for x in v] == [("2024-01-02", "b")]
    assert "leaves from" in v[0].message and "(kapal tidak berlayar)" in v[0].message
    monday = trip_scenario(closures=[{"villages": ["b"], "from": "2024-01-01",
                                      "to": "2024-01-01"}])
    v = only(check(monday, Plan(monday, TRIP)), "village_closed")
    assert len(v) == 2 and "(visit" in v[0].message and "sleeps at" in v[1].message


def test_valid_trip_with_a_night_at_a_lodging():
    s = trip_scenario()
    plan = Plan(s, TRIP)
    assert check(s, plan) == []
    assert list(zip(plan.days.start_place, plan.days.end_place)) == [("base", "b"),
                                                                     ("b", "base")]
    assert plan.summary()["nights"] == 1


def test_valid_trip_written_as_csv_folder(tmp_path):
    s = trip_scenario()
    assert check(s, write_folder(Plan(s, TRIP), tmp_path / "plan")) == []


def test_valid_three_day_trip_visiting_the_village_it_sleeps_in():
    # Tuesday ends back at b (a second night); Wednesday's first visit is b itself, 0 min
    # from where the day starts (it would be 40 min from the base).
    s = trip_scenario(max_nights=2)
    plan = Plan(s, (night_at_b(), back_from_b(end_place="b"), b_from_b()))
    assert check(s, plan) == []
    assert plan.summary()["nights"] == 2 and plan.visits.travel_min.iloc[-1] == 0


def test_valid_trip_day_without_visits():
    s = trip_scenario()
    plan = Plan(s, (night_at_b(), move_home()))
    assert check(s, plan) == []
    assert plan.days.visits.tolist() == [2, 0]


INN = {"id": "inn", "name": "Penginapan", "x": 9, "y": 12, "lodging": True}


def inn_trip(monday: dict | None = None, tuesday: dict | None = None):
    """The inn (a lodging place) is 5 km = 10 min beyond b. By hand:
    Monday: the valid day, then on to the inn by 14:10; travel 10 + 10 + 10 = 30 min.
    Tuesday: inn -> b 08:10 (10 min), ceil(0.7 x 18) = 13 people -> 09:12:30, home at 09:32:30
    (b -> base 20 min); travel 30 min."""
    s = scenario(places=TINY["places"] + [INN], units=[{**U1, "max_nights": 1}])
    mon = valid_day(return_=t("14:10"), travel_s=1800, end_place="inn")
    tue = Route("U1", TUE, "weekday", t("08:00"), t("09:32:30"),
                (stop("b", "08:10", "09:12:30", 13, 600),), 1800)
    return s, Plan(s, (_replace(mon, **(monday or {})),
                               _replace(tue, **(tuesday or {}))))


def test_valid_trip_with_a_night_at_a_lodging_place():
    s, plan = inn_trip()
    assert check(s, plan) == []


def test_travel_time_last_leg_to_the_night_place():
    s, plan = inn_trip(monday={"return_": t("14:09:59")})
    v = only(check(s, plan), "travel_time")
    assert "reaches Penginapan (inn) for the night at 14:09:59" in v[0].message
    assert "leaving Desa B (b) at 14:00:00" in v[0].message and "14:10:00" in v[0].message


def test_travel_time_first_leg_from_the_start_place():
    s, plan = inn_trip()
    early = with_stop(plan.routes[1], 0, arrive=t("08:09:59"), start=t("08:10"))
    v = only(check(s, Plan(s, (plan.routes[0], early))), "travel_time")
    assert "leaving Penginapan (inn) at 08:00:00" in v[0].message and v[0].date == TUE


def test_travel_time_trip_day_without_visits(tmp_path):
    # Home at 08:19:59, 1 s early; travel_min 19.99 lies within the minutes' rounding of both
    # the 20 min the leg takes and the 19.98 min the row allows, so only the leg is wrong.
    s = trip_scenario()
    folder = write_folder(Plan(s, (night_at_b(), move_home(return_=t("08:19:59")))),
                          tmp_path / "plan")
    edit_csv(folder / "days.csv", 1, travel_min="19.99")
    v = only(check(s, folder), "travel_time")
    assert "is back at Kantor (base) at 08:19:59" in v[0].message
    assert "leaving Desa B (b) at 08:00:00" in v[0].message


def test_travel_minutes_first_leg_from_the_start_place():
    # b -> a is written as 20 min (1200 s) but only 10 min pass from 08:00 to 08:10
    s = trip_scenario()
    long = with_stop(back_from_b(travel_s=1800), 0, travel_s=1200)
    v = only(check(s, Plan(s, (night_at_b(), long))), "travel_minutes")
    assert "travel_min is 20" in v[0].message
    assert "the trip from Desa B (b) takes 10.00 min" in v[0].message


@pytest.mark.parametrize("routes, words", [
    # after the night at b, Tuesday claims to leave from home (a is 10 min from either)
    ((night_at_b(), back_from_b(start_place="base")),
     "starts the day at Kantor (base), but the unit wakes up at Desa B (b) (where it spent "
     "the night of 2024-01-01)"),
    ((valid_day(start_place="b"),),
     "wakes up at Kantor (base) (its base on its first field day in the plan)"),
    ((day_at_a(), day_at_a(date=WED, recorded=21, start_place="b")),
     "wakes up at Kantor (base) (its home, where it sleeps between trips)"),
])
def test_day_start(routes, words):
    s = trip_scenario()
    v = only(check(s, Plan(s, routes)), "day_start")
    assert len(v) == 1 and words in v[0].message


def test_night_lodging():
    s = trip_scenario(villages=village_list())  # b is not a lodging
    v = only(check(s, Plan(s, TRIP)), "night_lodging")
    assert "ends the day at Desa B (b) for the night" in v[0].message
    assert "not a lodging" in v[0].message and v[0].date == MON


def test_night_lodging_unknown_place(tmp_path):
    s = trip_scenario()
    folder = write_folder(Plan(s, TRIP), tmp_path / "plan")
    edit_csv(folder / "days.csv", 0, end_place="zz")
    edit_csv(folder / "days.csv", 1, start_place="zz")
    found = [v for v in check(s, folder) if v.rule == "night_lodging"]
    assert len(found) == 1 and "not a place or village of the scenario" in found[0].message


@pytest.mark.parametrize("max_nights, routes, words", [
    (0, TRIP, "1 night(s) in a row away from home (2024-01-01 at Desa B (b)), but its "
              "max_nights is 0"),
    (1, (night_at_b(), back_from_b(end_place="b"), b_from_b()),
     "2 night(s) in a row away from home (2024-01-01 at Desa B (b), 2024-01-02 at Desa B (b)), "
     "but its max_nights is 1"),
])
def test_max_nights(max_nights, routes, words):
    s = trip_scenario(max_nights=max_nights)
    v = only(check(s, Plan(s, routes)), "max_nights")
    assert len(v) == 1 and words in v[0].message


@pytest.mark.parametrize("overrides, routes, words", [
    ({}, (night_at_b(),), "no field day on 2024-01-02 (days.csv has no row for the unit"),
    ({}, (night_at_b(), back_from_b(date=WED)), "no field day on 2024-01-02 (days.csv has no"),
    ({}, (night_at_b(date=FRI),), "after the deadline 2024-01-05: a trip cannot run past it"),
    ({"calendar": {**TINY["calendar"], "deadline": "2024-01-07"}}, (night_at_b(date=FRI),),
     "no field day on 2024-01-06 (no field work is allowed that day"),
    ({"units": [{**U1, "max_nights": 2, "unavailable": ["2024-01-02"]}]}, (night_at_b(),),
     "the unit is unavailable that day"),
])
def test_trip_ends_home(overrides, routes, words):
    s = trip_scenario(**overrides)
    v = only(check(s, Plan(s, routes)), "trip_ends_home")
    assert len(v) == 1 and words in v[0].message
    assert "spends the night at Desa B (b)" in v[0].message
    assert "must end at home, Kantor (base)" in v[0].message


def test_staff_counts_a_trip_day_without_visits():
    # Tuesday: U1 only moves home from b (crew 3) while U2 records 21 at a (crew 3): 6 > 5.
    s = trip_scenario(units=[{**U1, "max_nights": 1}, U2], staff={"weekday": 5})
    u2_at_a = day_at_a(unit="U2", date=TUE, recorded=21)
    v = only(check(s, Plan(s, (night_at_b(), move_home(), u2_at_a))), "staff_per_day")
    assert "need 6 staff" in v[0].message and "only 5" in v[0].message and v[0].date == TUE
    u2_on_wed = _replace(u2_at_a, date=WED)
    assert check(s, Plan(s, (night_at_b(), move_home(), u2_on_wed))) == []


def test_overtime_counts_a_trip_day_without_visits():
    # Friday's trip sleeps at b; Saturday (weekend shift 08:00-14:00) only moves home.
    s = trip_scenario(calendar={**TINY["calendar"], "deadline": "2024-01-07"},
                      shift={**TINY["shift"], "weekend": {"start": "08:00", "end": "14:00"}},
                      staff={"overtime_unit_days": 0})
    routes = (night_at_b(date=FRI), move_home(date=SAT, day_type="weekend"))
    v = only(check(s, Plan(s, routes)), "overtime_budget")
    assert "1 overtime unit-days" in v[0].message and "budget of 0" in v[0].message
    s1 = s.replace(staff={"overtime_unit_days": 1})
    assert check(s1, Plan(s1, routes)) == []


def test_counts_on_offline_from_the_trips_last_day(tmp_path):
    # a is offline (3 days): Monday's 70 and Tuesday's 21 count on Tuesday + 3 = Friday;
    # b has signal: Monday's 42 count on Monday.
    s = trip_scenario(villages=village_list(a={"signal": False}, b={"lodging": True}))
    plan = Plan(s, TRIP)
    assert plan.visits.counts_on.tolist() == ["2024-01-05", "2024-01-01", "2024-01-05"]
    folder = write_folder(plan, tmp_path / "plan")
    assert check(s, folder) == []
    edit_csv(folder / "visits.csv", 0, counts_on="2024-01-04")  # Monday + 3, as a day trip
    v = only(check(s, folder), "counts_on")
    assert "back at home, on the last day of its trip (2024-01-02): 2024-01-05" in v[0].message


def test_counts_by_deadline_from_the_trips_last_day():
    # a offline: Tuesday's visit would count on Friday after a day trip, but the unit stays
    # at b and is home only on Wednesday: both visits of a count on Saturday, too late.
    s = trip_scenario(villages=village_list(a={"signal": False}, b={"lodging": True}))
    found = only(check(s, Plan(s, (night_at_b(date=TUE), back_from_b(date=WED)))),
                 "counts_by_deadline")
    assert [(v.date, v.village_id) for v in found] == [(TUE, "a"), (WED, "a")]
    assert "count only on 2024-01-06, after the deadline 2024-01-05" in found[0].message


@pytest.mark.parametrize("route, words", [
    (move_home(travel_s=600),
     "travel_min 10, but the visits' travel (0.00 min) plus the way to Kantor (base) (20 min) "
     "is 20.00 min"),
    (move_home(travel_s=1800),
     "travel_min 30, more than the visits' travel (0.00 min) plus the way to Kantor (base) "
     "(20 min), 20.00 min: waiting is not travel"),
])
def test_days_match_visits_trip_day_without_visits(route, words):
    s = trip_scenario()
    v = only(check(s, Plan(s, (night_at_b(), route))), "days_match_visits")
    assert words in v[0].message


def test_days_match_visits_overtime_on_a_trip_day_without_visits():
    s = trip_scenario(calendar={**TINY["calendar"], "deadline": "2024-01-07"},
                      shift={**TINY["shift"], "weekend": {"start": "08:00", "end": "14:00"}})
    routes = (night_at_b(date=FRI), move_home(date=SAT, day_type="weekday"))
    v = only(check(s, Plan(s, routes)), "days_match_visits")
    assert "overtime false, but the day is a weekend day (weekend)" in v[0].message


def test_days_match_visits_a_day_out_for_nothing(valid_folder, tiny_scenario):
    # A days.csv row from home to home without a visit: no trip needs it.
    days = pd.read_csv(valid_folder / "days.csv", dtype=str, keep_default_na=False)
    idle = dict(zip(days.columns, ["U1", "2024-01-02", "08:00:00", "08:00:00", "0", "0", "0.0",
                                   "false", "base", "base"]))
    pd.concat([days, pd.DataFrame([idle])]).to_csv(valid_folder / "days.csv", index=False)
    v = only(check(tiny_scenario, valid_folder), "days_match_visits")
    assert "a day out for nothing" in v[0].message and v[0].date == TUE


def test_summary_nights(tmp_path):
    s = trip_scenario()
    folder = write_folder(Plan(s, TRIP), tmp_path / "plan")
    _edit_summary(folder, lambda d: d.update(nights=0))
    v = only(check(s, folder), "summary_nights")
    assert "nights = 0" in v[0].message and "1 night(s) away from home" in v[0].message


def test_plan_counts_signal_recordings_on_the_visit_day():
    s = trip_scenario()
    plan = Plan(s, TRIP)
    assert plan.visits.counts_on.tolist() == ["2024-01-01", "2024-01-01", "2024-01-02"]
    assert check(s, plan) == []


def road_graph_scenario(tmp_path, one_way=False):
    """TINY on a road graph through its three places: base -> a 5 km (600 s), a -> b 5 km
    (600 s), so base -> b 1,200 s through a, as the hand-computed day drives. `one_way`: the
    same roads one way only, and a one-way road of 20 km (2,400 s) from b back to base."""
    import networkx as nx

    g = nx.MultiDiGraph() if one_way else nx.MultiGraph()
    for node, (x, y) in {"n_base": (0, 0), "n_a": (3, 4), "n_b": (6, 8)}.items():
        g.add_node(node, x=float(x), y=float(y))
    g.add_edge("n_base", "n_a", length=5_000.0)
    g.add_edge("n_a", "n_b", length=5_000.0)
    if one_way:
        g.add_edge("n_b", "n_base", length=20_000.0)
    file = tmp_path / f"roads-{one_way}.graphml"
    nx.write_graphml(g, file)
    return scenario(travel={"speed_kmh": 30, "roads": str(file)})


@pytest.mark.parametrize("change, words", [
    (lambda s: s - 60, "gives 540 s from Kantor (base) to Desa A (a) (the road graph's way: "
                       "9 min 57 s to 10 min 3 s)"),
    (lambda s: s + 60, "gives 660 s"),
    (lambda s: -s, "gives -600 s"),
])
def test_travel_network_is_the_road_graphs_way(tmp_path, change, words):
    s = road_graph_scenario(tmp_path)
    plan = Plan(s, (valid_day(),))
    assert check(s, plan) == []
    found = check(s, plan, network=SkewedNetwork(s, change))
    v = [x for x in found if x.rule == "travel_network"]
    assert v and any(words in x.message for x in v), [str(x) for x in found]


def test_travel_network_drives_one_way_roads_one_way(tmp_path):
    # A network that drove the one-way roads both ways would bring the unit from b back to
    # base through a in 1,200 s, as the hand-computed day does; one way, that road is 2,400 s.
    s = road_graph_scenario(tmp_path, one_way=True)
    both_ways = SkewedNetwork(road_graph_scenario(tmp_path), lambda t: t)
    plan = Plan(s, (valid_day(),))
    v = only(check(s, plan, network=both_ways), "travel_network")
    assert [x.message.split(": ", 1)[1] for x in v] == [
        "the travel network gives 1200 s from Desa B (b) to Kantor (base) (the road graph's "
        "way: 39 min 57 s to 40 min 3 s): DESIGN §3 travel is the shortest path of rounded-up road and link "
        "times, so the network itself is wrong."]
    assert "travel_network" not in rules_of(check(s, plan, network=SkewedNetwork(s, lambda t: t)))


def test_travel_network_names_a_road_node_past_the_pole(tmp_path):
    # The network was built from a good file; the scenario's file has the node base and a
    # snap to at latitude 95 (what `load_scenario` refuses; 4486d75's defect made the
    # network's time NaN -> a negative integer). The checker cannot measure that road.
    import networkx as nx

    from planner.baseline import plan_greedy

    def geodesic(node_lat):
        g = nx.Graph()
        g.add_node("pole", x=0.0, y=node_lat)
        g.add_node("south", x=0.0, y=-80.0)
        g.add_edge("pole", "south", length=1_000.0)
        file = tmp_path / f"roads-{node_lat}.graphml"
        nx.write_graphml(g, file)
        return scenario(geometry="geodesic", travel={"speed_kmh": 30, "roads": str(file)},
                        places=[{"id": "base", "name": "Kantor", "lat": 89.8, "lon": 0.0}],
                        villages=[{"id": "a", "name": "Desa A", "district": "Timur",
                                   "lat": 89.9, "lon": 0.0, "unrecorded": 10}])

    good, bad = geodesic(89.85), geodesic(95.0)
    plan = plan_greedy(good)
    assert len(plan.visits) and check(good, plan) == []
    v = only(check(bad, plan, network=SkewedNetwork(good, lambda t: t)), "travel_network")
    assert "cannot be measured: for Kantor (base), its nearest road node 'pole'" in v[0].message
    assert "cannot be measured: for Desa A (a)" in v[1].message
    assert len(v) == 2  # one message per place, not one per leg


# -- rule boundaries that mutation testing found unpinned ------------------------------------
#
# Each test below pins one boundary of a rule: a checker whose comparison there were flipped,
# shifted or skipped would pass every test above (found by mutating planner/check.py).

def _idle_trip_day(date: dt.date, start: str, end: str, travel_s: int) -> Route:
    """A trip day without visits from `start` to `end` (b is 20 min from base)."""
    return Route("U1", date, "weekday", t("08:00"), t("08:00") + travel_s, (), travel_s,
                 start_place=start, end_place=end)


def test_max_nights_counts_every_night_of_a_later_trip():
    # max_nights 2. Trip 1: Monday 1 Jan at b, home on Tuesday (1 night). Trip 2: Monday 8 Jan
    # to b, Tuesday and Wednesday there, home on Thursday: 3 nights in a row (8, 9, 10 Jan).
    s = trip_scenario(calendar={**TINY["calendar"], "deadline": "2024-01-12"})
    week2 = [dt.date(2024, 1, d) for d in (8, 9, 10, 11)]
    routes = (*TRIP, _idle_trip_day(week2[0], "base", "b", 1200),
              _idle_trip_day(week2[1], "b", "b", 0), _idle_trip_day(week2[2], "b", "b", 0),
              _idle_trip_day(week2[3], "b", "base", 1200))
    v = only(check(s, Plan(s, routes)), "max_nights")
    assert len(v) == 1 and "spends 3 night(s) in a row away from home (2024-01-08 at Desa B " \
        "(b), 2024-01-09 at Desa B (b), 2024-01-10 at Desa B (b)), but its max_nights is 2" \
        in v[0].message
    s3 = trip_scenario(max_nights=3, calendar={**TINY["calendar"], "deadline": "2024-01-12"})
    assert check(s3, Plan(s3, routes)) == []


@pytest.mark.parametrize("written, words", [
    ("10.02", "travel_min is 10.02, but the trip from Kantor (base) takes 10.00 min (10 min); "
              "time waited on the way is not travel"),
    ("9.98", "travel_min is 9.98, but the trip from Kantor (base) takes 10.00 min (10 min)."),
])
def test_travel_minutes_to_the_hundredth_of_a_minute(valid_folder, tiny_scenario, written, words):
    # base -> a is 600 s = 10.00 min; written 0.02 min off either way (days.csv's travel_min
    # moved with it) is wrong, whatever the clock times allow.
    edit_csv(valid_folder / "visits.csv", 0, travel_min=written)
    edit_csv(valid_folder / "days.csv", 0, travel_min=f"{30 + float(written):.2f}")
    v = only(check(tiny_scenario, valid_folder), "travel_minutes")
    assert len(v) == 1 and words in v[0].message


def test_travel_network_through_a_link_on_one_way_roads(tmp_path):
    # The one-way road graph (base -> a 600 s, a -> b 600 s, b -> base 2,400 s) and a water
    # village w, 5 min by boat from a either way. base -> w: road to a, boat: 900 s. w -> base:
    # boat to a, then the one-way roads a -> b -> base: 300 + 3,000 = 3,300 s. By hand: out
    # 08:00, at w 08:15, ceil(0.7 x 10) = 7 people: 30 + 7 x 2.5 = 47.5 min -> 09:02:30, home
    # 09:57:30; travel 900 + 3,300 s = 70 min. Measured from the road back into a rather than
    # out of it, or with the hub roads' upper ends as their least, the valid day is refused.
    road_graph_scenario(tmp_path, one_way=True)
    w = {"id": "w", "name": "Pulau W", "district": "Laut", "x": 3, "y": -4, "unrecorded": 10,
         "access": "water"}
    s = scenario(travel={"speed_kmh": 30, "roads": str(tmp_path / "roads-True.graphml")},
                 villages=[*TINY["villages"], w], links=[{"from": "a", "to": "w", "minutes": 5}])
    day = Route("U1", MON, "weekday", t("08:00"), t("09:57:30"),
                (stop("w", "08:15", "09:02:30", 7, 900),), 4200)
    assert check(s, Plan(s, (day,))) == []
    found = check(s, Plan(s, (day,)), network=SkewedNetwork(s, lambda x: x + 4))
    assert [x.message.split(": ", 1)[1].split(": DESIGN")[0] for x in found
            if x.rule == "travel_network"] == [
        "the travel network gives 904 s from Kantor (base) to Pulau W (w) (the road graph's way "
        "or links: 14 min 57 s to 15 min 3 s)",
        "the travel network gives 3304 s from Pulau W (w) to Kantor (base) (the road graph's way "
        "or links: 54 min 57 s to 55 min 3 s)"]


def test_days_match_visits_one_row_per_unit_day(valid_folder, tiny_scenario):
    # The Monday row written twice: every other rule reads the first, so only this one sees it.
    days = pd.read_csv(valid_folder / "days.csv", dtype=str, keep_default_na=False)
    pd.concat([days, days]).to_csv(valid_folder / "days.csv", index=False)
    v = only(check(tiny_scenario, valid_folder), "days_match_visits")
    assert len(v) == 1 and "days.csv has 2 rows for this unit and day; it must have one" \
        in v[0].message


def test_staff_per_day_may_use_every_staff_member_free():
    # U1 and U2 (crew 3 each) out on Monday need 6 staff: exactly the 6 free is allowed.
    s = scenario(units=two_units(), staff={"weekday": 6})
    u2_to_b = Route("U2", MON, "weekday", t("08:00"), t("10:55"),
                    (stop("b", "08:20", "10:35", 42, 1200),), 2400)
    assert check(s, Plan(s, (day_at_a(), u2_to_b))) == []


def test_counts_on_offline_after_a_day_trip_is_that_day_plus_turnaround(tmp_path):
    # a offline (3 days): two day trips, Monday (70) and Tuesday (21). The unit is home each
    # evening, so Monday's recordings count on Thursday, not after Tuesday's trip as well.
    s = scenario(villages=village_list(a={"signal": False}))
    folder = write_folder(Plan(s, (day_at_a(), day_at_a(date=TUE, recorded=21))),
                          tmp_path / "plan")
    assert pd.read_csv(folder / "visits.csv").counts_on.tolist() == ["2024-01-04", "2024-01-05"]
    assert check(s, folder) == []
    edit_csv(folder / "visits.csv", 0, counts_on="2024-01-05")
    v = only(check(s, folder), "counts_on")
    assert "on the last day of its trip (2024-01-01): 2024-01-04" in v[0].message


def test_day_hours_back_exactly_at_the_shifts_end():
    # the valid day is back at base at 14:20:00; a shift ending 14:20 allows it (DESIGN §3:
    # it reaches the place where it sleeps no later than the shift end), 14:19:59 does not
    s = scenario(shift={"weekday": {"start": "08:00", "end": "14:20"}})
    assert check(s, Plan(s, (valid_day(),))) == []
    s = scenario(shift={"weekday": {"start": "08:00", "end": "14:19:59"}})
    v = only(check(s, Plan(s, (valid_day(),))), "day_hours")
    assert "1 s late" in v[0].message


@pytest.mark.parametrize("village_a, plan_day, goal, reached", [
    # 850 recorded of 1,000 (and 100 unrecorded: 50 unknown either way): the goal 0.9 needs
    # Tuesday's 70, though eligible - unrecorded would have met it from the start
    ({"recorded": 850}, TUE, 0.9, "2024-01-02"),
    # a visit on the deadline day counts that day, and so reaches the goal on it
    ({}, FRI, 0.95, "2024-01-05"),
    # 900 of 1,000 meet 0.9 exactly before the first visit (on Tuesday): from the start
    ({}, TUE, 0.9, "2024-01-01"),
    # without `recorded`, eligible - unrecorded = 900 were recorded: Tuesday's 70 reach 0.95
    ({"recorded": None}, TUE, 0.95, "2024-01-02"),
])
def test_summary_goal_from_the_recorded_residents_and_on_the_deadline(tmp_path, village_a,
                                                                    plan_day, goal, reached):
    s = scenario(villages=village_list(a=village_a), targets={"goal": goal})
    folder = write_folder(Plan(s, (valid_day(date=plan_day),)), tmp_path / "plan")
    assert json.loads((folder / "summary.json").read_text())["goal_reached_on"] == reached
    assert check(s, folder) == []


def test_max_nights_whatever_the_order_of_days_csv(tmp_path):
    # the two nights in a row of a three-day trip, with days.csv written from Wednesday back
    s = trip_scenario(max_nights=1)
    folder = write_folder(Plan(s, (night_at_b(), back_from_b(end_place="b"), b_from_b())),
                          tmp_path / "plan")
    days = pd.read_csv(folder / "days.csv", dtype=str, keep_default_na=False)
    days.iloc[::-1].to_csv(folder / "days.csv", index=False)
    v = only(check(s, folder), "max_nights")
    assert len(v) == 1 and "2 night(s) in a row away from home (2024-01-01 at Desa B (b), " \
        "2024-01-02 at Desa B (b))" in v[0].message


# -- a re-plan's summary (DESIGN §3 "Re-planning from what happened", §4 summary.json actuals) --

def replanned(campaign, done, today, routes=()):
    """A re-plan as the CLI makes it: the visits that happened (`done`: rows of unit, date,
    village_id, recorded and, where the file gives it, counts_on) leave `campaign.after` them
    on `today`; the plan `routes` on what is left carries their summary `actuals`. Returns the
    scenario left, the plan and the checker's `Replan`."""
    actuals = Actuals("<test>", tuple(ActualVisit(line, *row)
                                      for line, row in enumerate(done, start=2)))
    left = campaign.after(actuals, today)
    plan = Plan(left, tuple(routes), report={"actuals": actuals.report(campaign, today)})
    return left, plan, Replan(campaign, actuals.visits, today)


def test_replan_actual_recordings_count_on_the_deadline_but_not_after():
    # b offline (3 days' turnaround): Tuesday's 20 count on Friday 5th, the deadline;
    # Wednesday's 15 on Saturday 6th, too late; a's 70 (signal) on Monday
    s = scenario(villages=village_list(b={"signal": False}))
    left, plan, replan = replanned(s, [("U1", MON, "a", 70), ("U1", TUE, "b", 20),
                                       ("U1", WED, "b", 15)], THU)
    actuals = plan.summary()["actuals"]
    assert (actuals["recorded"], actuals["counted"], actuals["counting_after_deadline"]) == \
        (105, 90, 15)
    assert actuals["by_village"]["b"]["counted_on"] == {"2024-01-05": 20}
    assert check(left, plan, replan=replan) == []


def test_replan_offline_actual_recordings_count_on_the_files_counts_on():
    # b offline (3 days' turnaround), the file's counts_on given: Monday's 20 were sent late,
    # on Saturday 6th (not Thursday), after the deadline; Tuesday's 15 early, on Wednesday 3rd
    s = scenario(villages=village_list(b={"signal": False}))
    left, plan, replan = replanned(s, [("U1", MON, "b", 20, SAT), ("U1", TUE, "b", 15, WED)],
                                   THU)
    actuals = plan.summary()["actuals"]
    assert (actuals["counted"], actuals["counting_after_deadline"]) == (15, 20)
    assert actuals["by_village"]["b"]["counted_on"] == {"2024-01-03": 15}
    assert check(left, plan, replan=replan) == []


def test_replan_recorded_before_is_eligible_minus_unrecorded_only_without_recorded():
    # a without `recorded`: 1,000 - 100 = 900 before; b's 100 recorded of 200 eligible, 60
    # unrecorded (40 unknown either way): 100, not 200 - 60 = 140
    s = scenario(villages=village_list(a={"recorded": None},
                                       b={"eligible": 200, "recorded": 100}))
    left, plan, replan = replanned(s, [("U1", MON, "a", 70), ("U1", MON, "b", 42)], TUE)
    by_village = plan.summary()["actuals"]["by_village"]
    assert (by_village["a"]["recorded_before"], by_village["b"]["recorded_before"]) == (900, 100)
    assert check(left, plan, replan=replan) == []


def test_replan_goal_counts_each_village_up_to_its_eligible():
    # c was fully recorded (100 of 100), a had 900 of 1,000: 1,000 of 1,100 known. The goal
    # 0.92 needs 1,012. Monday's 10 at c add nothing, Tuesday's 2 and Wednesday's 9 at a make
    # 1,011; the re-plan's 63 at a on Thursday (ceil(0.7 x 89)) reach it
    c = {"id": "c", "name": "Desa C", "district": "Timur", "x": 0, "y": 5, "unrecorded": 0,
         "eligible": 100, "recorded": 100}
    s = scenario(villages=[*TINY["villages"], c], targets={"goal": 0.92})
    with pytest.warns(Warning, match=r"c \(Desa C\): 10 "):  # beyond its backlog of 0
        left, plan, replan = replanned(s, [("U1", MON, "c", 10), ("U1", TUE, "a", 2),
                                           ("U1", WED, "a", 9)], THU,
                                       [day_at_a(date=THU, recorded=63)])
    assert plan.summary()["goal_reached_on"] == "2024-01-04"
    assert check(left, plan, replan=replan) == []


def test_replan_goal_caps_a_village_in_the_order_its_recordings_count():
    # a had 900 of 1,000, the goal 0.95 needs 950. Monday's 50 reach it; Wednesday's 80
    # (listed first in the file) only fill a up to 1,000
    s = scenario(targets={"goal": 0.95})
    with pytest.warns(Warning, match=r"a \(Desa A\): 130 "):  # beyond its backlog of 100
        left, plan, replan = replanned(s, [("U1", WED, "a", 80), ("U1", MON, "a", 50)], THU)
    assert plan.summary()["goal_reached_on"] == "2024-01-01"
    assert check(left, plan, replan=replan) == []
