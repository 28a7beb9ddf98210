"""`scenario.parse`: YAML text -> Scenario, every problem located as FILE:LINE: field: message."""
from __future__ import annotations

import datetime as dt

import pytest
import yaml

from planner.scenario import parse
from tests.conftest import TINY
from tests.scenario.texts import line_of, problems


def test_inline_villages_need_no_file(tiny_scenario):
    assert [v.id for v in tiny_scenario.villages] == ["a", "b"]


def _text(**changes) -> str:
    return yaml.safe_dump({**TINY, **changes}, sort_keys=False)


def test_a_day_first_date_is_located_and_read_back():
    text = _text().replace("start: '2024-01-01'", "start: 27/11/2023")
    (problem,) = problems(text)
    assert problem == (f"s.yaml:{line_of(text, '27/11/2023')}: calendar.start: '27/11/2023' is not "
                       "a date: expected a date YYYY-MM-DD, for example 2023-11-27 "
                       "(if you mean 27 November 2023)")


def test_a_bad_one_day_entry_is_one_problem_at_its_date():
    shift = {**TINY["shift"], "dates": [{"date": "31/02/2024", "start": "08:00", "end": "12:00"}]}
    text = _text(shift=shift)
    (problem,) = problems(text)
    assert problem.startswith(f"s.yaml:{line_of(text, '31/02/2024')}: shift.dates[0].date: "
                              "'31/02/2024' is not a date")


def test_hours_problems_point_at_their_entry():
    shift = {**TINY["shift"], "friday": {"start": "08:00", "end": "07:30"},
             "dates": [{"from": "2024-01-05", "to": "2024-01-02", "start": None, "end": None}]}
    text = _text(shift=shift)
    friday, dates = problems(text)
    assert friday.startswith(f"s.yaml:{line_of(text, 'end: 07:30')}: shift.friday.end: "
                             "shift end 07:30:00 must be after its start 08:00:00")
    assert dates.startswith(f"s.yaml:{line_of(text, 'to:')}: shift.dates[0].to: range ends "
                            "(2024-01-02) before it starts (2024-01-05)")


def test_yes_no_words_in_the_yaml():
    text = _text(calendar={**TINY["calendar"], "work_on_holidays": "BENAR"},
                 units=[{"id": "U1", "base": "base", "generator": "ya"}],
                 links=[{"from": "base", "to": "b", "minutes": 5, "oneway": "Tidak"}])
    s = parse(text)
    assert s.calendar.work_on_holidays and s.units[0].generator and not s.links[0].oneway
    (problem,) = problems(_text(units=[{"id": "U1", "base": "base", "generator": "kadang"}]))
    assert problem.endswith("units[0].generator: expected true or false (also ya/tidak, "
                            "benar/salah, yes/no, 1/0) (got 'kadang')")


def test_new_sections_parse_and_refuse_unknown_keys():
    s = parse(_text(contact={"office": "Disdukcapil", "phone": "0721-000000"},
                    uncertainty={"turnout_cv": 0.3, "link_cancel": 0}))
    assert s.contact.phone == "0721-000000" and s.uncertainty.turnout_cv == 0.3
    assert s.uncertainty.backlog_cv == 0.10
    (problem,) = problems(_text(uncertainty={"turnout": 0.3}))
    assert problem.endswith("uncertainty.turnout: unknown key 'turnout'; expected one of: "
                            "turnout_cv, backlog_cv, unit_day_loss, link_cancel")
    (problem,) = problems(_text(contact={"phone": 721000000}))
    assert "contact.phone: write the phone number in quotes" in problem


def test_an_unknown_shift_key_lists_the_days_of_the_week():
    (problem,) = problems(_text(shift={**TINY["shift"], "jumat": None}))
    assert problem.endswith("shift.jumat: unknown key 'jumat'; expected one of: weekday, weekend, "
                            "monday, tuesday, wednesday, thursday, friday, saturday, sunday, dates")


# the sections a planar one-week scenario of the tests below shares
_PLANAR_WEEK = """geometry: planar
calendar: {start: 2024-01-01, deadline: 2024-01-05, holidays: none}
shift: {weekday: {start: "08:00", end: "16:00"}}
recording: {minutes_per_person: 5, setup_minutes: 30, turnout: 0.7}
travel: {speed_kmh: 30}
"""


def test_unquoted_numeric_ids_are_text_everywhere():
    """Kemendagri codes written unquoted (YAML integers) name villages, places, units and the
    ends of links; each becomes its text (only places' ids were, before)."""
    text = "\nname: codes\n" + _PLANAR_WEEK + """\
places: [{id: 1809, x: 0, y: 0}, {id: 1810, x: 5, y: 0}]
units: [{id: 7, base: 1809, end: 1810}]
links: [{from: 1810, to: 1809012002, minutes: 30}]
villages:
  - {id: 1809012001, x: 3, y: 4, unrecorded: 100}
  - {id: 1809012002, x: 9, y: 0, unrecorded: 50, access: water}
"""
    scenario = parse(text, source="codes.yaml")
    assert [v.id for v in scenario.villages] == ["1809012001", "1809012002"]
    unit = scenario.units[0]
    assert (unit.id, unit.base, unit.end) == ("7", "1809", "1810")
    assert (scenario.links[0].from_, scenario.links[0].to) == ("1810", "1809012002")


def test_unquoted_numeric_names_are_text_as_in_a_village_table():
    """A kecamatan called 7 and a village called 2000, written unquoted in the YAML, are their
    text (a village table's cells are), so a closure of kecamatan 7 closes the village."""
    text = "\nname: numbers\n" + _PLANAR_WEEK + """\
places: [{id: base, name: 1809, x: 0, y: 0}]
units: [{id: U1, base: base}]
closures: [{districts: [7], from: 2024-01-02, to: 2024-01-02}]
villages:
  - {id: a, name: 2000, district: 7, x: 3, y: 4, unrecorded: 100}
"""
    scenario = parse(text, source="numbers.yaml")
    (village,) = scenario.villages
    assert (village.name, village.district, scenario.places[0].name) == ("2000", "7", "1809")
    assert scenario.village_closed_on("a", dt.date(2024, 1, 2)) is not None


def test_unquoted_ids_keep_the_text_written():
    """YAML reads an unquoted `0012` as the octal 10, `12:30` as 750 (base 60) and `18.10` as
    18.1: the ids are the text the office wrote, in every field that names one, so visits.csv
    and the actuals written from it name the village as the scenario does."""
    text = "\nname: codes\n" + _PLANAR_WEEK + """\
places: [{id: 010, x: 0, y: 0}, {id: 0x1A, x: 5, y: 0}]
units: [{id: 007, base: 010, end: 0x1A, districts: [0012]}]
links: [{from: 0x1A, to: 18.10, minutes: 30}]
closures: [{villages: [12:30], from: 2024-01-02, to: 2024-01-02}]
villages:
  - {id: 0012, name: 0012, district: 0012, x: 3, y: 4, unrecorded: 100}
  - {id: 18.10, district: 0012, x: 9, y: 0, unrecorded: 50, access: water}
  - {id: 12:30, district: 0012, x: 2, y: 2, unrecorded: 50}
"""
    scenario = parse(text, source="codes.yaml")
    assert [v.id for v in scenario.villages] == ["0012", "18.10", "12:30"]
    assert (scenario.villages[0].name, scenario.villages[0].district) == ("0012", "0012")
    unit = scenario.units[0]
    assert (unit.id, unit.base, unit.end, unit.districts) == ("007", "010", "0x1A", ("0012",))
    assert (scenario.links[0].from_, scenario.links[0].to) == ("0x1A", "18.10")
    assert scenario.village_closed_on("12:30", dt.date(2024, 1, 2)) is not None


@pytest.mark.parametrize("written, quoted", [("yes", "yes"), ("on", "yes"), ("TRUE", "yes"),
                                             ("2024-01-05", "2024-01-05")])
def test_an_id_yaml_reads_as_yes_no_or_a_date_is_refused_saying_to_quote_it(written, quoted):
    text = _text(units=[{"id": "U1", "base": "base"}]).replace("id: U1", f"id: {written}")
    (problem,) = problems(text)
    assert problem.startswith(f"s.yaml:{line_of(text, f'id: {written}')}: units[0].id: read as ")
    assert problem.endswith(f'write this id in quotes ("{quoted}") or as a text cell')


def test_closure_problems_are_located_at_their_entry():
    """A closure must name villages that exist, or kecamatan that do (a typo would close
    nothing), and at least one of the two."""
    closures = [{"villages": ["a", "zz"], "from": "2024-01-02", "to": "2024-01-03"},
                {"districts": "Kota Agung", "from": "2024-01-02", "to": "2024-01-02"}]
    text = _text(closures=closures)
    village, district = problems(text)
    assert village == (f"s.yaml:{line_of(text, '- zz')}: closures[0].villages[1]: unknown "
                       "village 'zz'; expected one of: a, b")
    assert district.startswith(f"s.yaml:{line_of(text, 'districts: Kota Agung')}: "
                               "closures[1].districts[0]: unknown kecamatan (village district) "
                               "'Kota Agung'; expected one of: Timur, Barat")
    (nobody,) = problems(_text(closures=[{"from": "2024-01-02", "to": "2024-01-02"}]))
    assert "closures[0].villages: a closure names the villages it closes" in nobody
    (nested,) = problems(_text(closures=[{"villages": [["a"]], "from": "2024-01-02",
                                           "to": "2024-01-02"}]))
    assert "closures[0].villages: entry 1 is ['a']; expected ids or kecamatan names" in nested


def test_a_closure_names_villages_directly_or_by_kecamatan():
    closures = [{"villages": "b", "from": "2024-01-02", "to": "2024-01-03", "reason": "banjir"},
                {"districts": ["Timur"], "from": "2024-01-05", "to": "2024-01-05"}]
    scenario = parse(_text(closures=closures), source="s.yaml")
    closed = {(vid, d) for vid in ("a", "b") for d in range(1, 6)
              if scenario.village_closed_on(vid, dt.date(2024, 1, d))}
    assert closed == {("b", 2), ("b", 3), ("a", 5)}
    assert scenario.village_closed_on("b", dt.date(2024, 1, 2)).reason \
        == "banjir"


@pytest.mark.parametrize("calendar, line", [
    ("calendar:\n  start:2024-01-01\n  deadline: 2024-01-05\n", 3),  # noticed a line later
    ("calendar:\n  deadline: 2024-01-05\n  start:2024-01-01\nholidays: none\n", 4),
])
def test_a_key_without_the_space_after_its_colon_is_named_at_its_line(calendar, line):
    (problem,) = problems("name: x\n" + calendar)
    assert problem == (f"s.yaml:{line}: (yaml): not valid YAML: a space is missing after the "
                       "colon of `start:2024-01-01`; write `start: 2024-01-01`")


def test_tabs_yaml_reads_as_spaces_are_read_so():
    """A tab an editor left at a line's end, or put after `key:` or before a comment to line
    values up: YAML reads it as a space; PyYAML refused the file ("a tab in the indentation"
    at the first such line)."""
    text = _text()
    tabbed = (text.replace("name: tiny\n", "name: tiny\t\n")
              .replace("turnout: 0.7\n", "turnout:\t0.7\t\t# estimate\n")
              .replace("speed_kmh: 30\n", "speed_kmh:\t\t30 \t\n"))
    assert tabbed.count("\t") == 7
    assert parse(tabbed).model_dump() == parse(text).model_dump()
    (problem,) = problems(tabbed.replace("turnout:\t0.7", "turnout:\t7"))
    assert problem.startswith(f"s.yaml:{line_of(text, 'turnout:')}: recording.turnout: at most 1")


def test_a_tab_after_a_value_says_where_it_is():
    # was "a tab in the indentation", where there was none
    (problem,) = problems(_text().replace("name: tiny\n", "name: Desa\tTiny\n"))
    assert problem == ("s.yaml:1: (yaml): not valid YAML: a tab in column 11, after `name: "
                       "Desa`; write a space instead (a tab is read only inside quotes or in a "
                       "comment)")


@pytest.mark.parametrize("text, line", [
    ("name: x\ncalendar:\n\tstart: 2024-01-01\n", 3),
    ("name: x\ncalendar:\n  start: 2024-01-01\n\tdeadline: 2024-01-05\n", 4),
])
def test_a_tab_in_the_indentation_says_to_indent_with_spaces(text, line):
    # was "found character '\t' that cannot start any token": true, but not what to do
    (problem,) = problems(text)
    assert problem.startswith(f"s.yaml:{line}: (yaml): not valid YAML: a tab in the indentation; "
                              "indent with spaces")
