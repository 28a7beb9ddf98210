"""`scenario.model`: the immutable Scenario, `.replace` for variants, derived fields, and the
sections' defaults (DESIGN §2, the Defaults paragraph of §3, §5 `scenario.replace`).

The TINY scenario of tests/conftest.py is planar: base at (0, 0), village a at (3, 4), b at
(6, 8); one unit U1 with 2 kits and a crew of 3.
"""
from __future__ import annotations

import copy
import math
from decimal import Decimal

import pydantic
import pytest

from planner.rules import turnout_cap, turnout_fraction
from planner.scenario.model import Contact, Shift, Staff, Uncertainty
from tests.conftest import TINY, make_scenario


def test_scenario_is_frozen(tiny_scenario):
    with pytest.raises(pydantic.ValidationError):
        tiny_scenario.name = "changed"
    with pytest.raises(pydantic.ValidationError):
        tiny_scenario.units[0].kits = 3


def test_replace_gives_a_validated_variant_and_leaves_the_original(tiny_scenario):
    unit = tiny_scenario.units[0]
    variant = tiny_scenario.replace(units=[unit.replace(kits=3), {"id": "U2", "base": "base"}])
    assert [u.kits for u in variant.units] == [3, 1]
    assert [u.kits for u in tiny_scenario.units] == [2]
    assert variant.villages == tiny_scenario.villages


@pytest.mark.parametrize("changes, words", [
    # each was pydantic's "1 validation error for Scenario ... Extra inputs are not permitted
    # [type=extra_forbidden, ...] For further information visit https://errors.pydantic.dev/..."
    ({"staf": {"weekday": 3}}, "staf: unknown key 'staf'; expected one of: name, geometry, "
                               "contact, calendar, shift, recording"),
    ({"staff": {"weekdy": 3}}, "staff.weekdy: unknown key 'weekdy'; expected one of: weekday, "
                               "weekend, overtime_unit_days"),
    ({"staff": {"weekday": -3}}, "staff.weekday: Input should be greater than or equal to 0 "
                                 "(got -3)"),
    ({"staff": 5}, "staff: expected a mapping with keys weekday, weekend, overtime_unit_days"),
    ({"units": [{"id": "U1", "base": "base", "kits": -1}]},  # not also "units: at least 1 item"
     "units[0].kits: Input should be greater than 0 (got -1)"),
    ({"calendar": {"deadline": "2023-12-01"}},
     "calendar.deadline: deadline 2023-12-01 is before start 2024-01-01"),
])
def test_replace_names_the_field_in_the_words_a_scenario_file_gets(tiny_scenario, changes, words):
    with pytest.raises(ValueError) as caught:
        tiny_scenario.replace(**changes)
    assert str(caught.value).startswith(words)
    assert "pydantic" not in str(caught.value) and "\n" not in str(caught.value)


def test_replace_rejects_a_bad_value(tiny_scenario):
    with pytest.raises(ValueError):
        tiny_scenario.replace(recording={"minutes_per_person": 5, "turnout": 1.5})
    with pytest.raises(ValueError):
        tiny_scenario.units[0].replace(kits=0)


def test_eligible_and_recorded_give_unrecorded(tiny_scenario):
    a, b = tiny_scenario.villages
    assert (a.eligible, a.recorded, a.unrecorded) == (1000, 900, 100)  # given unrecorded wins
    data = copy.deepcopy(TINY)
    data["villages"][1] = {"id": "b", "x": 6, "y": 8, "eligible": 700, "recorded": 650}
    assert make_scenario(data).village("b").unrecorded == 50


def test_village_replace_keeps_a_derived_backlog_in_step(tiny_scenario):
    a = tiny_scenario.village("a")  # eligible 1000, recorded 900, unrecorded 100 (= derived)
    assert a.replace(recorded=950).unrecorded == 50
    assert a.replace(eligible=1200).unrecorded == 300
    assert a.replace(recorded=950, unrecorded=7).unrecorded == 7  # given explicitly: kept
    b = a.replace(unrecorded=80)  # no longer eligible - recorded: an explicit backlog
    assert b.replace(recorded=910).unrecorded == 80
    with pytest.raises(ValueError, match=r"recorded \(950\) plus unrecorded \(80\) is more than"):
        b.replace(recorded=950)
    with pytest.raises(ValueError, match="more than eligible"):
        a.replace(recorded=1001)


def test_unit_lookup(tiny_scenario):
    assert tiny_scenario.unit("U1") is tiny_scenario.units[0]
    with pytest.raises(KeyError):
        tiny_scenario.unit("U9")


def test_defaults_follow_the_contract(tiny_scenario):
    s = tiny_scenario
    v = s.village("a")
    assert (v.signal, v.power, v.access, v.priority) == (True, True, "road", Decimal(1))
    assert s.circuity == Decimal(1)  # planar default
    assert s.replace(geometry="geodesic", places=[{"id": "base", "lat": 0, "lon": 0}],
                     villages=[{"id": "a", "lat": 0, "lon": 0.01, "unrecorded": 1}]).circuity == Decimal("1.3")
    assert s.calendar.timezone == "Asia/Jakarta" and s.offline_turnaround_days == 3
    assert s.village_turnaround(v) == 0
    assert s.village_turnaround(v.replace(signal=False)) == 3


def test_turnout_is_exact_decimal():
    s = make_scenario(recording={"minutes_per_person": 5, "setup_minutes": 30, "turnout": 0.6})
    assert s.recording.turnout == Decimal("0.6")  # not 0.59999999999999997779...
    assert s.recording.turnout != Decimal(0.6)  # the binary float's exact value
    assert turnout_cap(*turnout_fraction(s.recording.turnout), 5) == 3  # DESIGN §3: ceil(0.6 x 5) = 3
    assert turnout_cap(*turnout_fraction(s.recording.turnout), 7) == 5  # ceil(4.2)
    s = make_scenario(recording={"minutes_per_person": 5, "turnout": 0.07})
    assert math.ceil(0.07 * 100) == 8  # binary: 7.000000000000001, the trap the Decimal avoids
    assert turnout_cap(*turnout_fraction(s.recording.turnout), 100) == 7


def test_times_are_seconds_after_midnight(tiny_scenario):
    w = tiny_scenario.shift.weekday
    assert (w.start, w.end) == (8 * 3600, 16 * 3600)
    s = make_scenario(shift={"weekday": {"start": "07:30:15", "end": "24:00"}})
    assert (s.shift.weekday.start, s.shift.weekday.end) == (27015, 86400)


def test_unit_without_speed_falls_back_to_the_travel_speed(tiny_scenario):
    assert tiny_scenario.unit_speed(tiny_scenario.units[0]) == Decimal(30)


# -- replace merges nested sections (DESIGN §5) -------------------------------------------------

STAFFED = {"staff": {"weekday": 6, "weekend": 4, "overtime_unit_days": 16}}


def test_replace_merges_a_dict_into_its_section():
    s = make_scenario(**STAFFED)
    v = s.replace(staff={"weekday": 8})
    assert (v.staff.weekday, v.staff.weekend, v.staff.overtime_unit_days) == (8, 4, 16)
    v = s.replace(staff={"weekday": 8, "weekend": 8})  # the README's what-if keeps the budget
    assert v.staff.overtime_unit_days == 16
    assert s.staff == Staff(weekday=6, weekend=4, overtime_unit_days=16)  # the original stays


def test_replace_with_a_model_replaces_the_section():
    s = make_scenario(**STAFFED)
    v = s.replace(staff=Staff(weekday=8))
    assert (v.staff.weekday, v.staff.weekend, v.staff.overtime_unit_days) == (8, None, None)


@pytest.mark.parametrize("section, change, changed, kept", [
    ("calendar", {"deadline": "2024-01-12"}, lambda s: s.calendar.deadline.isoformat(),
     lambda s: (s.calendar.start, s.calendar.holidays)),
    ("shift", {"weekend": {"start": "08:00", "end": "12:00"}}, lambda s: s.shift.weekend and s.shift.weekend.end // 3600,
     lambda s: s.shift.weekday),
    ("recording", {"turnout": 0.5}, lambda s: str(s.recording.turnout),
     lambda s: (s.recording.minutes_per_person, s.recording.setup_minutes)),
    ("travel", {"circuity": 1.2}, lambda s: str(s.travel.circuity), lambda s: s.travel.speed_kmh),
    ("targets", {"goal": 0.9}, lambda s: str(s.targets.goal), lambda s: s.targets.zones),
    ("uncertainty", {"link_cancel": 0.2}, lambda s: s.uncertainty.link_cancel,
     lambda s: s.uncertainty.turnout_cv),
    ("contact", {"phone": "0721-1"}, lambda s: s.contact.phone, lambda s: s.contact.office),
])
def test_every_section_merges(section, change, changed, kept):
    s = make_scenario(targets={"zones": {"green": 0.92}},
                      uncertainty={"turnout_cv": 0.3}, contact={"office": "Disdukcapil"})
    v = s.replace(**{section: change})
    want = {"calendar": "2024-01-12", "shift": 12, "recording": "0.5", "travel": "1.2",
            "targets": "0.9", "uncertainty": 0.2, "contact": "0721-1"}[section]
    assert changed(v) == want and changed(s) != want
    assert kept(v) == kept(s)


def test_replace_warns_only_about_what_the_variant_brings():
    """A crew above every staff level warns once: when the variant makes it, not again in
    every later variant (the robust turnouts and the limits' re-plans vary the scenario)."""
    import warnings

    from planner.notices import Notice

    s = make_scenario(staff={"weekday": 3, "weekend": 3})  # TINY's crew is 3: allowed
    with pytest.warns(Notice, match="crew 3 is more than every staff level \\(2\\)"):
        short = s.replace(staff={"weekday": 2, "weekend": 2})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        short.replace(recording={"turnout": 0.5})
        short.replace(staff={"overtime_unit_days": 4})
    with pytest.warns(Notice, match="crew 3 is more than every staff level \\(1\\)"):
        short.replace(staff={"weekday": 1, "weekend": 1})  # another level: a new notice


def test_replace_merges_into_an_absent_section():
    v = make_scenario().replace(contact={"phone": "0721-000000"})
    assert v.contact == Contact(phone="0721-000000")


def test_replace_replaces_lists_whole(tiny_scenario):
    v = tiny_scenario.replace(villages=[{"id": "c", "x": 1, "y": 1, "unrecorded": 5}])
    assert [x.id for x in v.villages] == ["c"]
    v = tiny_scenario.replace(places=[{"id": "base", "x": 1, "y": 0}, {"id": "port", "x": 2, "y": 0}],
                              links=[{"from": "port", "to": "b", "minutes": 10}])
    assert [p.id for p in v.places] == ["base", "port"] and len(v.links) == 1


def test_replace_keeps_hours_by_day_and_date():
    """An absent day-of-week entry stays absent and a null one stays null through a variant."""
    s = make_scenario(shift={"weekday": {"start": "08:00", "end": "16:00"}, "sunday": None,
                             "friday": {"start": "08:00", "end": "11:30"},
                             "dates": [{"date": "2024-01-03", "start": None, "end": None}]})
    v = s.replace(staff={"weekday": 5})
    assert v.shift == s.shift
    assert v.shift.day_entry(6) == (True, None)  # Sunday: null, no field work
    assert v.shift.day_entry(5) == (False, None)  # Saturday: absent
    assert v.shift.day_entry(4)[1].end == 11 * 3600 + 1800
    assert v.shift.dates[0].window is None
    w = s.shift.replace(friday=None)
    assert w.day_entry(4) == (True, None) and w.day_entry(6) == (True, None)


# -- new keys: contact, uncertainty, lodging ----------------------------------------------------

def test_uncertainty_defaults_follow_the_contract(tiny_scenario):
    u = tiny_scenario.uncertainty
    assert (u.turnout_cv, u.backlog_cv, u.unit_day_loss, u.link_cancel) == (0.25, 0.10, 0.02, 0.05)
    assert Uncertainty(turnout_cv=0, link_cancel=0).link_cancel == 0
    for bad in ({"turnout_cv": -0.1}, {"backlog_cv": -1}, {"unit_day_loss": 1},
                {"link_cancel": 1.5}, {"link_cancel": -0.01}):
        with pytest.raises(pydantic.ValidationError):
            Uncertainty(**bad)


def test_contact_is_optional_and_both_of_its_keys_too(tiny_scenario):
    assert tiny_scenario.contact is None
    s = make_scenario(contact={"office": "Disdukcapil Kabupaten Pesawaran", "phone": "0721-000000"})
    assert (s.contact.office, s.contact.phone) == ("Disdukcapil Kabupaten Pesawaran", "0721-000000")
    assert make_scenario(contact={"phone": "0721-1"}).contact.office is None


def test_lodging_on_places_and_villages_reads_yes_no_words():
    data = copy.deepcopy(TINY)
    data["places"][0]["lodging"] = "Ya"
    data["villages"][1]["lodging"] = "BENAR"
    s = make_scenario(data)
    assert s.places[0].lodging and s.village("b").lodging and not s.village("a").lodging


def test_shift_without_day_entries_dumps_none_of_them():
    shift = Shift(weekday={"start": "08:00", "end": "16:00"})
    assert set(shift.model_dump()) == {"weekday", "weekend", "dates"}


def test_names_are_one_line_without_surrounding_spaces():
    # a carriage return split visits.csv rows; spaces round a YAML name made the greedy
    # planner's own check fail (village tables already strip their cells)
    villages = [{**TINY["villages"][0], "name": " Desa\rBaru ", "district": "Kec\r\n Satu\u2028"},
                {**TINY["villages"][1], "name": "   "}]
    s = make_scenario(villages=villages, name="Kampanye\n2024")
    a, b = s.villages
    assert (a.name, a.district, b.name, b.label, s.name) == \
        ("Desa Baru", "Kec Satu", None, "b", "Kampanye 2024")


def test_names_hold_nothing_a_workbook_cannot(tmp_path):
    """A vertical tab in a link's `mode` (shown in the workbook's crossing text) ended
    plan-routes with exit 1 (openpyxl's IllegalCharacterError); U+FFFE in a name was written
    into schedule.xlsx, which then opened in neither LibreOffice nor openpyxl (nor as actuals
    or --from-plan); a lone surrogate ended it with exit 1. Names, the office and link modes
    lose them as they lose line breaks; an id holding one is refused."""
    villages = [{**TINY["villages"][0], "name": "Desa\ufffeBaru", "district": "Kec\ud800 Satu"},
                TINY["villages"][1]]
    s = make_scenario(villages=villages, name="Kampanye\uffff2024",
                      contact={"office": "Dinas\x0bDukcapil"},
                      places=[*TINY["places"], {"id": "p", "x": 1, "y": 1}],
                      links=[{"from": "p", "to": "b", "mode": "perahu\x0b", "minutes": 5}])
    a = s.villages[0]
    assert (a.name, a.district, s.name, s.contact.office, s.links[0].mode) == \
        ("Desa Baru", "Kec Satu", "Kampanye 2024", "Dinas Dukcapil", "perahu")
    with pytest.raises(Exception, match="control character"):
        make_scenario(villages=[{**TINY["villages"][0], "id": "a\ufffe"}, TINY["villages"][1]])


def test_an_id_with_a_line_break_is_refused():
    villages = [{**TINY["villages"][0], "id": "a\r"}, TINY["villages"][1]]
    with pytest.raises(Exception, match="line break"):
        make_scenario(villages=villages)


def test_no_zone_without_target_zones():
    """Zones come from `targets.zones`; a scenario without them has no zone at any coverage
    (it once called 100 % coverage 'red')."""
    from planner.scenario.sections import Targets

    assert Targets().zone_of(1.0) is None and Targets().zone_of(0.2) is None
    zoned = Targets(zones={"yellow": Decimal("0.85"), "green": Decimal("0.92")})
    assert [zoned.zone_of(x) for x in (0.5, 0.85, 0.93, None)] == ["red", "yellow", "green", None]


def test_a_variant_of_a_campaign_with_estimated_holidays_is_made_and_warns_nothing_new():
    """2027's Eid al-Fitr is an estimate of `holidays`: its notice carries the holiday names in
    both languages; the limits' variants (a day more before the deadline) must still be made."""
    import warnings as w

    from tests.export.sample import GEO

    data = {**GEO, "calendar": {**GEO["calendar"], "start": "2027-03-01",
                                "deadline": "2027-03-31", "holidays": "ID"}}
    with w.catch_warnings():
        w.simplefilter("ignore")
        scenario = make_scenario(data)
    with w.catch_warnings(record=True) as caught:
        w.simplefilter("always")
        later = scenario.replace(calendar={"deadline": "2027-04-01"})
    assert later.calendar.deadline.isoformat() == "2027-04-01" and caught == []
