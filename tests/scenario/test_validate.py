"""`scenario.validate`: cross-references no single field can check (ids, coordinates, links),
and what is allowed but warned about (a unit no staff level lets out)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from planner.calendar import field_days
from planner.scenario import ScenarioError
from planner.scenario.validate import cross_check, cross_warnings, unknown_id
from tests.conftest import ROOT, make_scenario

SCENARIO_PACKAGE = ROOT / "planner" / "scenario"


def test_replace_runs_the_cross_checks(tiny_scenario):
    """A variant whose unit starts at an unknown place is refused, like a file would be."""
    with pytest.raises(ValueError, match="unknown place 'nowhere'"):
        tiny_scenario.replace(units=[{"id": "U1", "base": "nowhere"}])


def test_unknown_ids_list_up_to_ten_valid_ones():
    ids = [f"pos-{i:02d}" for i in range(13)] + ["kantor"]
    text = unknown_id("kantr", "place", ids)
    assert text == ("unknown place 'kantr' (did you mean 'kantor'?); expected one of: pos-00, "
                    "pos-01, pos-02, pos-03, pos-04, pos-05, pos-06, pos-07, pos-08, pos-09 "
                    "(and 4 more)")
    assert unknown_id("x", "place", ["kantor"]) == "unknown place 'x'; expected one of: kantor"


def test_unknown_base_end_and_link_ends_list_the_ids(tiny_scenario):
    data = tiny_scenario.model_dump(by_alias=True, round_trip=True)
    data.update(places=[{"id": "kantor", "x": 0, "y": 0}, {"id": "dermaga", "x": 1, "y": 0}],
                units=[{"id": "U1", "base": "kantr", "end": "rumah"}],
                links=[{"from": "dermaga", "to": "pulau", "minutes": 30}])
    found = dict(cross_check(type(tiny_scenario).model_validate(data)))
    assert found["units[0].base"] == ("unknown place 'kantr' (did you mean 'kantor'?); "
                                      "expected one of: kantor, dermaga")
    assert found["units[0].end"] == "unknown place 'rumah'; expected one of: kantor, dermaga, a, b"
    assert found["links[0].to"] == ("unknown place or village 'pulau'; expected one of: "
                                    "kantor, dermaga, a, b")


def test_a_unit_above_every_staff_level_is_a_warning_and_never_goes_out():
    with pytest.warns(UserWarning, match=r"<test>:\d+: units\[1\]\.crew: crew 5 is more than every "
                      r"staff level \(4\): unit 'U2' can never go out"):
        s = make_scenario(staff={"weekday": 4, "weekend": 2},
                          units=[{"id": "U1", "base": "base", "crew": 3},
                                 {"id": "U2", "base": "base", "crew": 5}])
    assert [u.id for u in s.units] == ["U1", "U2"]
    assert cross_check(s) == []
    # a weekend shift with room for the crew: the unit can go out on weekends, no warning
    s = make_scenario(staff={"weekday": 4, "weekend": 6},
                      shift={"weekday": {"start": "08:00", "end": "16:00"},
                             "saturday": {"start": "08:00", "end": "12:00"}},
                      units=[{"id": "U2", "base": "base", "crew": 5}])
    assert cross_warnings(s) == []
    assert cross_warnings(make_scenario(units=[{"id": "U2", "base": "base", "crew": 50}])) == []


def test_dates_outside_the_horizon_are_allowed_and_change_nothing():
    """A whole year of cuti bersama, a closed range past the deadline, an unavailable day
    after it: accepted (DESIGN §3 Defaults), and the field days are those of the plain file."""
    plain = make_scenario()
    s = make_scenario(calendar={"start": "2024-01-01", "deadline": "2024-01-05", "holidays": "none",
                                "extra_holidays": ["2023-12-25", "2024-12-24", "2024-12-26"],
                                "closed": [{"from": "2024-01-06", "to": "2024-02-10"}]},
                      units=[{"id": "U1", "base": "base", "kits": 2, "crew": 3,
                              "unavailable": ["2024-03-01", {"from": "2023-01-01", "to": "2023-01-31"}]}])
    assert cross_check(s) == []
    assert field_days(s) == field_days(plain)


def test_a_deadline_before_the_start_is_still_an_error():
    with pytest.raises(ScenarioError, match=r"calendar\.deadline: deadline 2023-12-01 is before start"):
        make_scenario(calendar={"start": "2024-01-01", "deadline": "2023-12-01", "holidays": "none"})


def _runtime_imports(path: Path) -> set[str]:
    """Sibling modules a scenario module imports at run time (not under TYPE_CHECKING)."""
    out = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            out.add(node.module.split(".")[0])
    return out


def test_ids_and_names_a_spreadsheet_reads_as_formulas_are_one_warning():
    """A spreadsheet opening visits.csv evaluates `=U2` (a cell reference: the unit shows as
    0, and the file saved from it names unit 0) and `=HYPERLINK(...)`; the CSV files keep
    every text exact, so the scenario is where to hear of it: one warning at the first such
    text, counting the others. A lone `-` (an empty kecamatan) is no formula."""
    from tests.conftest import TINY

    villages = [{**TINY["villages"][0], "name": "=HYPERLINK(\"http://x\",\"klik\")"},
                {**TINY["villages"][1], "id": "@b", "district": "-"}]
    with pytest.warns(UserWarning, match=r"<test>:\d+: villages\[0\]\.name: '=HYPERLINK"):
        s = make_scenario(villages=villages, units=[{"id": "=U2", "base": "base"}])
    (path, notice), = [w for w in cross_warnings(s) if w[1].key == "formula_like"]
    assert path == "villages[0].name"
    assert notice.text("en") == (
        "'=HYPERLINK(\"http://x\",\"klik\")' starts with '=': a spreadsheet opening visits.csv "
        "or days.csv reads the cell as a formula (it shows a result or an error, and a file "
        "saved from it no longer names it); so do 2 more names or ids; schedule.xlsx shows it "
        "as written")
    assert notice.text("id").startswith("'=HYPERLINK(\"http://x\",\"klik\")' diawali '=': ")
    with pytest.warns(UserWarning, match="starts with"):
        plus = make_scenario(name="+62 Kab")
    campaign = [w for w in cross_warnings(plus) if w[0] == "name"]
    assert [n.fields["text"] for _, n in campaign] == ["+62 Kab"]  # a batch's summary.csv
    with pytest.warns(UserWarning, match="; so does one more name or id;"):
        make_scenario(name="+62 Kab", units=[{"id": "=U2", "base": "base"}])
    plain = make_scenario(villages=[TINY["villages"][0], {**TINY["villages"][1], "district": "-"}])
    assert cross_warnings(plain) == []


def test_the_scenario_package_has_no_import_cycle():
    graph = {p.stem: _runtime_imports(p) for p in SCENARIO_PACKAGE.glob("*.py") if p.stem != "__init__"}
    assert "model" not in graph["validate"]  # the cycle that used to be broken at run time

    def reaches(start: str, goal: str, seen: frozenset = frozenset()) -> bool:
        return any(n == goal or (n not in seen and reaches(n, goal, seen | {n}))
                   for n in graph.get(start, ()))

    assert [m for m in graph if reaches(m, m)] == []


def test_a_time_zone_the_villages_do_not_keep_is_a_warning():
    """Makassar's villages (119.4 E, WITA) left at the default Asia/Jakarta: every notice and
    calendar would give WIB hours, an hour early; at Asia/Makassar nothing is said."""
    from tests.export.sample import GEO

    wib = {**GEO, "calendar": {k: v for k, v in GEO["calendar"].items() if k != "timezone"}}
    with pytest.warns(UserWarning, match=r"calendar\.timezone: the villages lie around 119\.4 degrees "
                                         r"east, where clocks keep Asia/Makassar \(WITA\), not "
                                         r"Asia/Jakarta \(WIB\)"):
        make_scenario(wib)
    assert [n for _, n in cross_warnings(make_scenario({**GEO, "calendar": {
        **GEO["calendar"], "timezone": "Asia/Makassar"}}))] == []


def test_holidays_the_package_only_estimates_are_a_warning():
    """2027's Eid al-Fitr (10-11 March) is an estimate of `holidays` until the decree."""
    from tests.export.sample import GEO

    data = {**GEO, "calendar": {**GEO["calendar"], "start": "2027-03-01",
                                "deadline": "2027-03-31", "holidays": "ID"}}
    found = [(path, str(n)) for path, n in cross_warnings(make_scenario(data))]
    assert found == [("calendar.holidays", "the holidays package only estimates 2027-03-10 "
                      "(Eid al-Fitr (estimated)), 2027-03-11 (Eid al-Fitr Second Day "
                      "(estimated)): check the government's decree (SKB); a date it moves "
                      "can be added under extra_holidays, or, to drop an estimate, list every "
                      "holiday there with holidays: none")]
    indonesian = cross_warnings(make_scenario(data))[0][1].text("id")
    assert indonesian.startswith("paket holidays hanya memperkirakan 2027-03-10 (Hari Raya "
                                 "Idul Fitri (perkiraan)), 2027-03-11 (Hari kedua")


@pytest.mark.parametrize("lat, lon, zone", [
    (-8.7, 116.3, "Asia/Makassar"),  # Lombok Tengah (Praya)
    (-8.4, 115.2, "Asia/Makassar"),  # Bali
    (-8.2, 114.4, "Asia/Jakarta"),  # Banyuwangi, East Java
    (-2.5, 113.0, "Asia/Jakarta"),  # Sampit, Kalimantan Tengah
    (-3.3, 115.5, None),  # the Kalimantan Tengah / Selatan border: longitude cannot tell
    (-2.5, 140.7, "Asia/Jayapura"),  # Jayapura
])
def test_the_clock_zone_of_a_place(lat, lon, zone):
    from planner.scenario.validate import clock_zone

    assert clock_zone(lat, lon) == zone


def test_a_service_point_naming_no_kecamatan_is_refused():
    """`districts: []` read as "every kecamatan" sent the point everywhere without a word."""
    from tests.conftest import TINY

    with pytest.raises(ScenarioError) as refused:
        make_scenario({**TINY, "units": [{**TINY["units"][0], "districts": []}]})
    assert [str(p) for p in refused.value.problems] == [
        "<test>:27: units[0].districts: the list names no kecamatan; leave `districts` out for "
        "a unit that serves every kecamatan"]


def test_a_base_given_by_name_says_which_id_to_write(tiny_scenario):
    """TINY's place `base` is named Kantor; village `a` is Desa A, not a lodging."""
    data = tiny_scenario.model_dump(by_alias=True, round_trip=True)
    data.update(units=[{"id": "U1", "base": "KANTOR"}, {"id": "U2", "base": "Desa A"},
                       {"id": "U3", "base": "base", "end": "Desa A"}])
    found = dict(cross_check(type(tiny_scenario).model_validate(data)))
    assert found["units[0].base"] == "'KANTOR' is the name of place 'base': write its id, base"
    assert found["units[1].base"] == (
        "'Desa A' is village 'a', which is not a lodging: a unit starts from a place (add the "
        "office under `places` with its lat and lon, and write its id) or from a village with "
        "`lodging: true`")
    assert found["units[2].end"] == "'Desa A' is the name of village 'a': write its id, a"


def test_a_base_given_as_coordinates_asks_for_a_place(tiny_scenario):
    with pytest.raises(ScenarioError, match=r"units\[0\]\.base: expected the id of a place \(got "
                                            r"a mapping\): add the place under `places` with its "
                                            r"id, lat and lon, and write that id here"):
        make_scenario(units=[{"id": "U1", "base": {"x": 0, "y": 0}}])


def test_a_village_without_coordinates_says_what_to_fill_in(tiny_scenario):
    data = tiny_scenario.model_dump(by_alias=True, round_trip=True)
    data["villages"][1].update(x=None, y=None)
    found = dict(cross_check(type(tiny_scenario).model_validate(data)))
    assert found["villages[1].x"] == (
        "needs x and y for geometry planar: fill them in (a new village without its own may "
        "take its kecamatan's centre or the village it was split from), or delete the row")


def test_a_deadline_on_a_public_holiday_is_a_warning():
    """The election day written as the deadline: 17 April 2019, Indonesia's general election."""
    from tests.export.sample import GEO

    data = {**GEO, "calendar": {**GEO["calendar"], "start": "2019-03-04",
                                "deadline": "2019-04-17", "holidays": "ID"}}
    found = [(path, n) for path, n in cross_warnings(make_scenario(data))
             if path == "calendar.deadline"]
    assert [str(n) for _, n in found] == [
        "the deadline 2019-04-17 is a public holiday (General Election Day): a recording counted "
        "that day counts in the plan; if it is the election day, a resident must be recorded "
        "before it: set the deadline to the day before"]
    assert "(Hari Pemilihan Umum)" in found[0][1].text("id")
    data["calendar"]["deadline"] = "2019-04-16"
    assert [p for p, _ in cross_warnings(make_scenario(data)) if p == "calendar.deadline"] == []


def test_a_village_listed_twice_in_its_kecamatan_is_a_warning(tiny_scenario):
    """A row pasted twice under another code doubles the village's residents; the same name in
    another kecamatan is another village."""
    data = tiny_scenario.model_dump(by_alias=True, round_trip=True)
    first = data["villages"][0]
    data["villages"] = [*data["villages"], {**first, "id": "a2", "name": "DESA A"},
                        {**first, "id": "a3", "district": "Barat"}]
    found = [(p, str(n)) for p, n in cross_warnings(type(tiny_scenario).model_validate(data))]
    assert found == [("villages[2].name", "village 'DESA A' of kecamatan 'Timur' is listed twice "
                      "(ids a and a2): a row pasted twice doubles its residents; delete one, or "
                      "tell the two apart by name")]
