"""`scenario.unused`: settings a file gives that change nothing, or that another setting
overrides, are warned about at their line (the scenario is still planned)."""
from __future__ import annotations

import warnings

import pytest

from planner.calendar import field_days
from planner.scenario.unused import unused_settings
from tests.conftest import TINY, make_scenario

WEEKEND = {"start": "08:00", "end": "14:00"}


def found(**overrides) -> dict[str, str]:
    """field.path -> notice key of what `unused_settings` says about TINY with `overrides`."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = make_scenario(**overrides)
    return {path: n.key for path, n in unused_settings(s)}


def village(**fields) -> list[dict]:
    return [{**TINY["villages"][0], **fields}, TINY["villages"][1]]


def test_the_tiny_scenario_has_nothing_unused():
    assert found() == {}


def test_turnaround_days_on_a_village_with_signal_is_named_once_with_the_others_counted():
    assert found(villages=village(turnaround_days=5)) == {
        "villages[0].turnaround_days": "turnaround_with_signal"}
    assert found(villages=village(turnaround_days=5, signal=False)) == {}
    assert found(villages=village(turnaround_days=0)) == {}
    both = [{**v, "turnaround_days": 2} for v in TINY["villages"]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        (_, notice), = unused_settings(make_scenario(villages=both))
    assert "(and 1 other village)" in str(notice) and "(dan 1 desa lain)" in notice.text("id")


def test_max_nights_without_any_lodging_makes_day_trips_only():
    units = [{"id": "U1", "base": "base", "max_nights": 2}, {"id": "U2", "base": "base"}]
    assert found(units=units) == {"units[0].max_nights": "nights_without_lodging"}
    assert found(units=units, villages=village(lodging=True)) == {}
    places = [{**TINY["places"][0]}, {"id": "inn", "x": 1, "y": 1, "lodging": True}]
    assert found(units=units, places=places) == {}


def test_lodgings_while_no_unit_may_stay_a_night_are_named_once():
    """max_nights defaults to 0: marking the penginapan alone plans no overnight trip. A
    lodging that is a unit's base is where it starts, not a hint of trips."""
    places = [{**TINY["places"][0]}, {"id": "inn", "x": 1, "y": 1, "lodging": True}]
    assert found(places=places) == {"places[1].lodging": "lodging_without_nights"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = make_scenario(places=places, villages=village(lodging=True))
    (_, notice), = unused_settings(s)
    assert "'inn' is a lodging (and 1 other lodging)" in str(notice)
    assert found(places=places, units=[{"id": "U1", "base": "base", "max_nights": 1}]) == {}
    assert found(villages=village(lodging=True), units=[{"id": "U1", "base": "a"}]) == {}


def test_weekend_staff_and_a_lembur_budget_without_weekend_hours_limit_nothing():
    cal = {**TINY["calendar"], "deadline": "2024-01-14"}  # two weekends
    staff = {"weekday": 6, "weekend": 3, "overtime_unit_days": 4}
    assert found(calendar=cal, staff=staff) == {"staff.weekend": "overtime_without_hours"}
    shift = {**TINY["shift"], "weekend": WEEKEND}
    assert found(calendar=cal, staff=staff, shift=shift) == {}
    # hours on one weekday (a meeting) do not make any weekend worked
    dated = {**TINY["shift"], "dates": [{"date": "2024-01-03", "start": "09:00", "end": "13:00"}]}
    assert found(calendar=cal, staff=staff, shift=dated) == {"staff.weekend": "overtime_without_hours"}
    assert found(calendar=cal, staff={"weekend": 0, "overtime_unit_days": 0}) == {}
    assert found(staff=staff) == {}  # Monday to Friday only: no weekend to work anyway
    # no field day at all: the check's "0 field days" says it, not this
    shut = {**cal, "closed": [{"from": "2024-01-01", "to": "2024-01-12"}]}
    assert found(calendar=shut, staff=staff) == {}


def test_work_on_holidays_without_weekend_hours_leaves_the_holidays_closed():
    cal = {**TINY["calendar"], "holidays": "ID", "work_on_holidays": True}  # 1 January
    assert found(calendar=cal) == {"calendar.work_on_holidays": "holidays_without_hours"}
    assert found(calendar=cal, shift={**TINY["shift"], "weekend": WEEKEND}) == {}
    assert found(calendar={**cal, "start": "2024-01-02"}) == {}  # no holiday in the campaign


def test_dated_hours_after_the_deadline_or_only_on_closed_days_change_nothing():
    later = {"from": "2025-01-02", "to": "2025-01-03", "start": "08:00", "end": "12:00"}
    assert found(shift={**TINY["shift"], "dates": [later]}) == {
        "shift.dates[0].from": "hours_after_deadline"}
    closed = {"date": "2024-01-03", "start": "08:00", "end": "12:00", "reason": "lembur"}
    cal = {**TINY["calendar"], "closed": ["2024-01-03"]}
    assert found(calendar=cal, shift={**TINY["shift"], "dates": [closed]}) == {
        "shift.dates[0]": "hours_on_closed_days"}
    assert found(shift={**TINY["shift"], "dates": [closed]}) == {}
    # no hours (a day off) after the deadline, or a past entry of a re-plan: nothing to say
    off = {"from": "2025-01-02", "to": "2025-01-03"}
    past = {"from": "2023-12-01", "to": "2023-12-05", "start": "08:00", "end": "12:00"}
    assert found(shift={**TINY["shift"], "dates": [off, past]}) == {}


def test_hours_shorter_than_one_visit_say_those_days_are_not_worked():
    # setup 30 min + 5 min a person over 2 kits = 32.5 min
    short = {**TINY["shift"], "friday": {"start": "07:30", "end": "08:00"}}
    assert found(shift=short) == {"shift.friday": "hours_too_short"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = make_scenario(shift=short)
    assert [d.date.isoformat() for d in field_days(s)][-1] == "2024-01-05"  # allowed, not refused
    (_, notice), = unused_settings(s)
    assert "(30 min)" in str(notice) and "32.5 min" in str(notice) and "32,5 menit" in notice.text("id")
    assert found(shift={**TINY["shift"], "friday": {"start": "07:30", "end": "08:03"}}) == {}


def test_targets_without_any_eligible_cannot_be_reported():
    plain = [{k: v for k, v in row.items() if k not in ("eligible", "recorded")}
             for row in TINY["villages"]]
    targets = {"zones": {"yellow": 0.85, "green": 0.92}, "goal": 0.92}
    assert found(villages=plain, targets=targets) == {"targets.goal": "targets_without_eligible"}
    assert found(targets=targets) == {}  # one village with eligible is enough


@pytest.mark.parametrize("zones, warned", [
    ({"yellow": 0.95, "green": 0.92}, {"targets.zones.green": "zones_out_of_order"}),
    ({"yellow": 0.85, "green": 0.92}, {}),
    ({"Kuning": 0.95, "Hijau": 0.92}, {}),  # names the traffic light does not order
])
def test_traffic_light_zones_out_of_order_are_named(zones, warned):
    assert found(targets={"zones": zones}) == warned


def test_the_warning_is_located_at_the_line_that_gives_the_setting():
    text = ("name: t\ngeometry: planar\ncalendar: {start: 2024-01-01, deadline: 2024-01-05, "
            "holidays: none}\nshift:\n  weekday: {start: '08:00', end: '16:00'}\n"
            "recording: {minutes_per_person: 5, turnout: 0.7}\ntravel: {speed_kmh: 30}\n"
            "places: [{id: base, x: 0, y: 0}]\nunits:\n  - id: U1\n    base: base\n"
            "    max_nights: 3\nvillages: [{id: a, x: 1, y: 1, unrecorded: 10}]\n")
    from planner.scenario.parse import parse

    with pytest.warns(UserWarning, match=r"^s\.yaml:12: units\[0\]\.max_nights: unit 'U1' may "
                      r"stay 3 night\(s\) away, but no place or village has lodging: true"):
        parse(text, source="s.yaml")


def test_a_re_plans_later_start_does_not_warn_of_the_worked_holidays_again():
    """A re-plan moves the campaign's start past a holiday: the same setting, said once (its
    notice counted the holidays left, so the later start read as a new warning)."""
    cal = {"start": "2024-01-01", "deadline": "2024-01-12", "holidays": "none",
           "work_on_holidays": True, "extra_holidays": ["2024-01-02", "2024-01-09"]}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = make_scenario(calendar=cal)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        s.replace(calendar={"start": "2024-01-04"})
    assert [str(w.message) for w in caught if "work_on_holidays" in str(w.message)] == []
