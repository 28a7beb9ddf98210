"""Bad input never passes silently and never shows a traceback (DESIGN §2, §4 exit status).

Each case writes a scenario (and maybe a village table) that is wrong in exactly one way, runs
`plan-routes SCENARIO --check`, and asserts exit status 2 with a `FILE:LINE: field.path: message`
line on stderr pointing at the offending line. The expected line is found by a marker in the
text we wrote, independently of the parser.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.cli import main

BASE = """\
name: bad-input base
calendar:
  start: 2024-01-01
  deadline: 2024-01-31
  holidays: ID
  timezone: Asia/Jakarta
shift:
  weekday: {start: "08:00", end: "16:00"}
  weekend: {start: "08:00", end: "14:00"}
recording:
  minutes_per_person: 5
  setup_minutes: 30
  turnout: 0.7
travel:
  speed_kmh: 30
staff:
  weekday: 6
  weekend: 4
places:
  - {id: kantor, lat: -5.396, lon: 105.06}
  - {id: dermaga, lat: -5.593, lon: 105.229}
units:
  - id: MK1
    base: kantor
    kits: 2
    crew: 3
    unavailable: [2024-01-10]
links:
  - {from: dermaga, to: pulau, minutes: 120}
villages:
  - {id: desa-a, name: Desa A, lat: -5.42, lon: 105.07, unrecorded: 100}
  - {id: pulau, name: Pulau, lat: -5.82, lon: 105.28, eligible: 500, recorded: 300, access: water}
"""

INLINE_VILLAGES = """\
villages:
  - {id: desa-a, name: Desa A, lat: -5.42, lon: 105.07, unrecorded: 100}
  - {id: pulau, name: Pulau, lat: -5.82, lon: 105.28, eligible: 500, recorded: 300, access: water}
"""

CSV_OK = """\
id,name,district,lat,lon,eligible,recorded,access
desa-a,Desa A,Timur,-5.42,105.07,1000,900,road
pulau,Pulau,Selatan,-5.82,105.28,500,300,water
desa-b,Desa B,Timur,-5.45,105.10,800,700,road
"""


def _graphml(nodes: str, edges: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n'
            '<key id="x" for="node" attr.name="x" attr.type="double"/>\n'
            '<key id="y" for="node" attr.name="y" attr.type="double"/>\n'
            '<key id="len" for="edge" attr.name="length" attr.type="double"/>\n'
            '<key id="tt" for="edge" attr.name="travel_time" attr.type="double"/>\n'
            f'<graph edgedefault="undirected">\n{nodes}{edges}</graph>\n</graphml>\n')


NODES = ('<node id="n0"><data key="x">105.06</data><data key="y">-5.39</data></node>\n'
         '<node id="n1"><data key="x">105.07</data><data key="y">-5.42</data></node>\n')
ROADS_NO_Y = _graphml(NODES.replace('<data key="y">-5.42</data>', ""),
                      '<edge source="n0" target="n1"><data key="len">900</data></edge>\n')
ROADS_NO_LENGTH = _graphml(NODES, '<edge source="n0" target="n1"></edge>\n')
ROADS_NEGATIVE = _graphml(NODES, '<edge source="n0" target="n1"><data key="tt">-5</data></edge>\n')
ROADS_AT_LATITUDE_95 = _graphml(NODES.replace("-5.42", "95.0"),
                               '<edge source="n0" target="n1"><data key="len">900</data></edge>\n')
ROADS_AT_LONGITUDE_500 = _graphml(NODES.replace("105.07", "500"),
                                  '<edge source="n0" target="n1"><data key="len">900</data></edge>\n')


def edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} must occur exactly once"
    return text.replace(old, new)


WITH_ROADS = edit(BASE, "  speed_kmh: 30\n", "  speed_kmh: 30\n  roads: r.graphml\n")


def with_shift_lines(lines: str) -> str:
    """BASE with `lines` added to its `shift:` section."""
    weekend = '  weekend: {start: "08:00", end: "14:00"}\n'
    return edit(BASE, weekend, weekend + lines)


def with_village_file(name: str) -> str:
    return edit(BASE, INLINE_VILLAGES, f"villages:\n  file: {name}\n")


@dataclass
class Case:
    """One wrong input: the scenario text, extra files, and where the problem must be reported."""

    scenario: str
    path: str  # expected field path
    marker: str  # text on the expected line (in `where`)
    where: str = "scenario.yaml"  # the file the line refers to
    files: dict = field(default_factory=dict)  # name -> text (or a callable writing the file)
    message: str = ""  # a regex the message must match (case-insensitive)


CASES = {
    "closure of an unknown village": Case(
        BASE + "closures:\n  - {villages: [desa-a, pulau-x], from: 2024-01-08, to: 2024-01-09}\n",
        "closures[0].villages[1]", "pulau-x", message=r"unknown village 'pulau-x' \(did you "
        r"mean 'pulau'\?\)"),
    "key that is not text": Case(BASE + "1: foo\n", "[1]", "1: foo", message="string"),
    "link to itself": Case(edit(BASE, "from: dermaga, to: pulau", "from: pulau, to: pulau"),
                           "links[0].to", "from: pulau, to: pulau", message="to itself"),
    "repeated column": Case(with_village_file("v.csv"), "villages.name", "id,name",
                            where="v.csv",
                            files={"v.csv": CSV_OK.replace("id,name,", "id,name,name,")
                                   .replace("desa-a,Desa A,", "desa-a,Desa A,A2,")},
                            message="column 'name' appears 2 times"),
    "unknown top-level key": Case(BASE + "colour: red\n", "colour", "colour:",
                                  message="unknown key 'colour'"),
    "unknown nested key": Case(edit(BASE, "    kits: 2\n", "    kits: 2\n    kitz: 1\n"),
                               "units[0].kitz", "kitz:", message="unknown key.*kits"),
    "wrong type": Case(edit(BASE, "    kits: 2", "    kits: two"), "units[0].kits", "kits: two",
                       message="integer"),
    "units not a list": Case(edit(BASE, "units:\n  - id: MK1", "units:\n    id: MK1"),
                             "units", "units:"),
    "negative backlog": Case(edit(BASE, "unrecorded: 100", "unrecorded: -5"),
                             "villages[0].unrecorded", "unrecorded: -5", message="0"),
    "duplicate village id": Case(
        BASE + "  - {id: desa-a, name: Lagi, lat: -5.5, lon: 105.1, unrecorded: 5}\n",
        "villages[2].id", "name: Lagi", message="duplicate village id 'desa-a'"),
    "duplicate unit id": Case(
        edit(BASE, "links:\n", "  - {id: MK1, base: kantor}\nlinks:\n"),
        "units[1].id", "{id: MK1, base: kantor}", message="duplicate unit id 'MK1'"),
    "duplicate place id": Case(
        edit(BASE, "units:\n", "  - {id: kantor, lat: -5.0, lon: 105.0}\nunits:\n"),
        "places[2].id", "lat: -5.0", message="duplicate place id"),
    "unknown base": Case(edit(BASE, "base: kantor", "base: kantr"), "units[0].base",
                         "base: kantr", message=r"unknown place 'kantr' \(did you mean 'kantor'\?\); "
                         r"expected one of: kantor, dermaga$"),
    "unknown end": Case(edit(BASE, "    kits: 2\n", "    end: rumah\n    kits: 2\n"),
                        "units[0].end", "end: rumah",
                        message="unknown place 'rumah'; expected one of: kantor, dermaga, desa-a, pulau$"),
    "link to unknown place": Case(edit(BASE, "from: dermaga", "from: dermagaa"),
                                  "links[0].from", "from: dermagaa",
                                  message=r"dermagaa' \(did you mean 'dermaga'\?\); expected one of: "
                                  "kantor, dermaga, desa-a, pulau$"),
    "water village without link": Case(
        edit(BASE, "links:\n  - {from: dermaga, to: pulau, minutes: 120}\n", ""),
        "villages[1].access", "id: pulau", message="only by water"),
    "deadline before start": Case(edit(BASE, "deadline: 2024-01-31", "deadline: 2023-12-01"),
                                  "calendar.deadline", "deadline:", message="before start"),
    "bad date": Case(edit(BASE, "start: 2024-01-01", "start: 2024-02-30"), "calendar.start",
                     "start: 2024-02-30", message="date"),
    "date of wrong shape": Case(edit(BASE, "start: 2024-01-01", "start: 1 Jan 2024"),
                                "calendar.start", "start: 1 Jan 2024", message="date"),
    "bad time": Case(edit(BASE, 'weekday: {start: "08:00"', 'weekday: {start: "25:00"'),
                     "shift.weekday.start", "25:00", message="not a valid time"),
    "unquoted time": Case(edit(BASE, 'weekday: {start: "08:00"', "weekday: {start: 8:00"),
                          "shift.weekday.start", "start: 8:00", message="quoted"),
    "shift end before start": Case(edit(BASE, 'end: "16:00"', 'end: "07:00"'),
                                   "shift.weekday.end", "weekday:", message="after its start"),
    "latitude out of range": Case(edit(BASE, "lat: -5.42", "lat: -95.42"), "villages[0].lat",
                                  "lat: -95.42", message="-90"),
    "longitude out of range": Case(edit(BASE, "lon: 105.06}", "lon: 205.06}"), "places[0].lon",
                                   "lon: 205.06", message="180"),
    "missing coordinates": Case(edit(BASE, ", lat: -5.42, lon: 105.07", ""), "villages[0].lat",
                                "id: desa-a", message="needs lat and lon"),
    "missing CSV column": Case(with_village_file("v.csv"), "villages.id", "name,district",
                               where="v.csv", message="missing column 'id'",
                               files={"v.csv": CSV_OK.replace("id,name", "code,name")}),
    "missing backlog columns": Case(with_village_file("v.csv"), "villages.unrecorded", "id,name",
                                    where="v.csv", message="eligible",
                                    files={"v.csv": CSV_OK.replace(",recorded,", ",done,")}),
    "bad CSV cell": Case(with_village_file("v.csv"), "villages[2].recorded", "desa-b",
                         where="v.csv", message="integer",
                         files={"v.csv": CSV_OK.replace("800,700", "800,tujuh ratus")}),
    "bad CSV boolean": Case(with_village_file("v.csv"), "villages[1].signal", "pulau",
                           where="v.csv", message="true or false",
                           files={"v.csv": CSV_OK.replace(",access\n", ",access,signal\n")
                                  .replace(",road\n", ",road,ya\n").replace(",water\n", ",water,mungkin\n")}),
    "duplicate id in CSV": Case(with_village_file("v.csv"), "villages[2].id", "desa-a,Lagi",
                                where="v.csv", message="duplicate village id",
                                files={"v.csv": CSV_OK.replace("desa-b,Desa B", "desa-a,Lagi")}),
    "bad XLSX cell": Case(with_village_file("v.xlsx"), "villages[1].eligible", "row 3",
                          where="v.xlsx", message="integer",
                          files={"v.xlsx": "bad-xlsx"}),
    "missing village file": Case(with_village_file("nowhere.csv"), "villages.file",
                                 "file: nowhere.csv", message="no such file"),
    "village file of unknown kind": Case(with_village_file("v.ods"), "villages.file", "file: v.ods",
                                         message="csv", files={"v.ods": "x"}),
    "unknown key beside file": Case(edit(BASE, INLINE_VILLAGES, "villages:\n  file: v.csv\n  sheet: 2\n"),
                                    "villages.sheet", "sheet: 2", files={"v.csv": CSV_OK}),
    "empty village list": Case(edit(BASE, INLINE_VILLAGES, "villages: []\n"), "villages",
                               "villages: []", message="at least one"),
    "no units": Case(edit(BASE, "units:\n  - id: MK1\n    base: kantor\n    kits: 2\n    crew: 3\n"
                          "    unavailable: [2024-01-10]\n", "units: []\n"),
                     "units", "units: []", message="at least one"),
    "missing required field": Case(edit(BASE, "  turnout: 0.7\n", ""), "recording.turnout",
                                   "recording:", message="required"),
    "missing calendar": Case(edit(BASE, "calendar:\n  start: 2024-01-01\n  deadline: 2024-01-31\n"
                                  "  holidays: ID\n  timezone: Asia/Jakarta\n", ""),
                             "calendar", "name:", message="required"),
    "turnout above 1": Case(edit(BASE, "turnout: 0.7", "turnout: 1.5"), "recording.turnout",
                            "turnout: 1.5", message="1"),
    "unknown holidays country": Case(edit(BASE, "holidays: ID", "holidays: XX"), "calendar.holidays",
                                     "holidays: XX", message="country code"),
    "bad timezone": Case(edit(BASE, "timezone: Asia/Jakarta", "timezone: Asia/Jakart"),
                         "calendar.timezone", "Asia/Jakart", message="IANA"),
    "invalid YAML syntax": Case(edit(BASE, "kits: 2", "kits: [2"), "(yaml)", "kits: [2",
                                message="not valid YAML"),
    "negative kits": Case(edit(BASE, "kits: 2", "kits: -1"), "units[0].kits", "kits: -1",
                          message="greater than 0"),
    "zero speed": Case(edit(BASE, "speed_kmh: 30", "speed_kmh: 0"), "travel.speed_kmh",
                       "speed_kmh: 0", message="greater than or equal to 0.1"),
    "recorded above eligible": Case(edit(BASE, "recorded: 300", "recorded: 600"),
                                    "villages[1].recorded", "recorded: 600",
                                    message="more than eligible"),
    "backlog above eligible": Case(edit(BASE, "unrecorded: 100}", "unrecorded: 100, eligible: 80}"),
                                   "villages[0].eligible", "eligible: 80",
                                   message=r"eligible \(80\) is less than unrecorded \(100\)"),
    "recorded and backlog above eligible": Case(
        edit(BASE, "eligible: 500, recorded: 300,", "eligible: 500, recorded: 300, unrecorded: 250,"),
        "villages[1].recorded", "unrecorded: 250",
        message=r"recorded \(300\) plus unrecorded \(250\) is more than eligible \(500\)"),
    "recorded and backlog above eligible in a village file": Case(
        with_village_file("v.csv"), "villages[2].recorded", "desa-b,", where="v.csv",
        files={"v.csv": CSV_OK.replace("access\n", "access,unrecorded\n")
               .replace(",road\n", ",road,100\n").replace(",water\n", ",water,200\n")
               .replace("desa-b,Desa B,Timur,-5.45,105.10,800,700,road,100",
                        "desa-b,Desa B,Timur,-5.45,105.10,800,700,road,101")},
        message="more than eligible"),
    "eligible without recorded": Case(edit(BASE, ", recorded: 300", ""), "villages[1].recorded",
                                      "eligible: 500", message="recorded"),
    "recorded without eligible": Case(edit(BASE, "eligible: 500, ", ""), "villages[1].eligible",
                                      "recorded: 300", message="eligible"),
    "unknown access value": Case(edit(BASE, "access: water", "access: boat"), "villages[1].access",
                                 "access: boat", message="road.*water"),
    "closed range ends before it starts": Case(
        edit(BASE, "  timezone: Asia/Jakarta\n",
             "  timezone: Asia/Jakarta\n  closed: [{from: 2024-01-20, to: 2024-01-10}]\n"),
        "calendar.closed[0].to", "closed:", message="before it starts"),
    "duplicate key": Case(edit(BASE, "  holidays: ID\n", "  holidays: ID\n  holidays: none\n"),
                          "calendar.holidays", "holidays: none", message="first on line 5"),
    "bad date in a date list": Case(edit(BASE, "[2024-01-10]", "[2024-01-32]"),
                                    "units[0].unavailable[0]", "2024-01-32", message="date"),
    # a key indented one space short: the parser names the enclosing block's start (line 1)
    # or the line after; the line whose indentation went wrong is reported
    "key indented out of its block": Case(edit(BASE, '  weekend: {start', ' weekend: {start'),
                                          "(yaml)", ' weekend: {start', message="indentation"),
    "first key of a block indented short": Case(
        edit(BASE, '  weekday: {start', ' weekday: {start'), "(yaml)", ' weekday: {start',
        message="indentation"),
    "a list item's key one space short": Case(
        edit(BASE, "    base: kantor", "   base: kantor"), "(yaml)", "   base: kantor",
        message="indentation"),
    "a key one space deep": Case(edit(BASE, "  holidays: ID", "   holidays: ID"), "(yaml)",
                                 "   holidays: ID", message="mapping values are not allowed"),
    "list item indented out of its list": Case(
        edit(BASE, "  - {id: dermaga", " - {id: dermaga"), "(yaml)", " - {id: dermaga",
        message="indentation"),
    "tab indentation": Case(BASE.replace("  start: 2024", "\tstart: 2024"), "(yaml)",
                            "\tstart", message="not valid YAML"),
    "bad CSV cell after a multi-line cell": Case(
        with_village_file("v.csv"), "villages[2].eligible", "desa-b", where="v.csv",
        message="integer",
        files={"v.csv": CSV_OK.replace("Desa A,", '"Desa A\n(lama)",').replace("800,700", "8OO,700")}),
    "village file given as a bare string": Case(edit(BASE, INLINE_VILLAGES, "villages: v.csv\n"),
                                                "villages", "villages: v.csv",
                                                message=r"villages: \{file: v\.csv\}"),
    "section given as a number": Case(edit(BASE, "staff:\n  weekday: 6\n  weekend: 4\n", "staff: 6\n"),
                                      "staff", "staff: 6", message="mapping with keys weekday"),
    "zone threshold as a percentage": Case(BASE + "targets: {zones: {green: 92}}\n",
                                           "targets.zones", "targets:", message="0.92"),
    # -- issue 16, point 8: each error one line with its hint ------------------------------------
    "day-first date": Case(edit(BASE, "start: 2024-01-01", "start: 27/11/2023"), "calendar.start",
                           "27/11/2023", message="expected a date YYYY-MM-DD, for example "
                           r"2023-11-27 \(if you mean 27 November 2023\)"),
    "ambiguous date": Case(edit(BASE, "[2024-01-10]", "[05/01/2024]"), "units[0].unavailable[0]",
                           "05/01/2024", message="write 2024-01-05 for 5 January 2024 or "
                           "2024-05-01 for 1 May 2024"),
    "CSV column wrong on many rows": Case(
        with_village_file("v.csv"), "villages.signal", "desa-a", where="v.csv",
        message=r"^3 rows \(2-4\) have this problem; row 2: expected true or false "
                r"\(also ya/tidak, benar/salah, yes/no, 1/0\) \(got 'B'\)$",
        files={"v.csv": CSV_OK.replace(",access\n", ",access,signal\n").replace(",road\n", ",road,B\n")
               .replace(",water\n", ",water,B\n")}),
    "CSV header not found": Case(with_village_file("v.csv"), "villages.id", "Daftar", where="v.csv",
                                 message=r"missing column 'id' \(the header on row 1 has: Daftar desa; no row "
                                 r"among the first 10 names an `id` column\)",
                                 files={"v.csv": "Daftar desa\n" + CSV_OK.replace("id,name", "kode,name")}),
    "shift end before start on one day of the week": Case(
        with_shift_lines('  friday: {start: "08:00", end: "07:30"}\n'),
        "shift.friday.end", "friday:", message="end 07:30:00 must be after its start 08:00:00"),
    "dates entry ending before it starts": Case(
        with_shift_lines('  dates:\n    - {from: 2024-01-20, to: 2024-01-10, start: "08:00", end: "12:00"}\n'),
        "shift.dates[0].to", "from: 2024-01-20", message="before it starts"),
    "dates entry with one time": Case(
        with_shift_lines('  dates:\n    - {date: 2024-01-12, start: "08:00", reason: rapat}\n'),
        "shift.dates[0].end", "reason: rapat", message="both `start` and `end`, or neither"),
    "dates entry hours end before start": Case(
        with_shift_lines('  dates:\n    - {date: 2024-01-12, start: "13:00", end: "12:00"}\n'),
        "shift.dates[0].end", "date: 2024-01-12", message="must be after its start"),
    "unknown day of the week": Case(
        with_shift_lines('  jumat: null\n'),
        "shift.jumat", "jumat", message="expected one of: .*friday"),
    # -- new keys ------------------------------------------------------------------------------
    "negative max_nights": Case(edit(BASE, "crew: 3", "crew: 3\n    max_nights: -1"),
                                "units[0].max_nights", "max_nights: -1", message="greater than or equal to 0"),
    "lodging neither yes nor no": Case(edit(BASE, "lat: -5.593, lon: 105.229}",
                                            "lat: -5.593, lon: 105.229, lodging: mungkin}"),
                                       "places[1].lodging", "lodging: mungkin",
                                       message="true or false .*got 'mungkin'"),
    "village head's phone not quoted": Case(
        edit(BASE, "unrecorded: 100}", "unrecorded: 100, head_phone: 0721000000}"),
        "villages[0].head_phone", "head_phone: 0721000000", message="in quotes"),
    "village head's phone not a number": Case(
        edit(BASE, "unrecorded: 100}", "unrecorded: 100, head_phone: kantor desa}"),
        "villages[0].head_phone", "head_phone: kantor desa", message="not a phone number"),
    "phone not quoted": Case(BASE + "contact: {office: Disdukcapil, phone: 0721000000}\n",
                             "contact.phone", "contact:", message="in quotes"),
    "unknown contact key": Case(BASE + "contact: {kantor: Disdukcapil}\n", "contact.kantor",
                                "contact:", message="expected one of: office, phone"),
    "probability of 1": Case(BASE + "uncertainty:\n  link_cancel: 1\n", "uncertainty.link_cancel",
                             "link_cancel: 1", message="less than 1"),
    "negative spread": Case(BASE + "uncertainty:\n  turnout_cv: -0.1\n", "uncertainty.turnout_cv",
                            "turnout_cv", message="greater than or equal to 0"),
    "empty file": Case("", "(top)", "", message="mapping"),
    "top level is a list": Case("- a\n- b\n", "(top)", "- a", message="mapping"),
    # found by fuzzing the command line: each once ended in an internal error (exit 1)
    "absurd number of kits": Case(edit(BASE, "    kits: 2", "    kits: 100000000000000000000"),
                                  "units[0].kits", "kits: 1000", message="less than or equal"),
    "infinite eligible": Case(edit(BASE, "eligible: 500", "eligible: .inf"),
                              "villages[1].eligible", "eligible: .inf", message="finite"),
    "fractional eligible": Case(edit(BASE, "eligible: 500", "eligible: 500.5"),
                                "villages[1].eligible", "eligible: 500.5", message="integer"),
    "tiny turnout": Case(edit(BASE, "turnout: 0.7", "turnout: 1.0e-300"), "recording.turnout",
                         "turnout: 1.0e-300", message="greater than or equal to 0.001"),
    "planar coordinate not a number": Case(
        edit(edit(re.sub(r"lat: ([-\d.]+), lon: ([-\d.]+)", "x: 1, y: 2", BASE),
                  "name: bad-input base\n", "name: bad-input base\ngeometry: planar\n"),
             "{id: desa-a, name: Desa A, x: 1", "{id: desa-a, name: Desa A, x: .nan"),
        "villages[0].x", "x: .nan", message="finite"),
    "source key": Case(BASE + "source: somewhere.yaml\n", "source", "source:",
                       message="unknown key 'source'"),
    "infinite spread": Case(BASE + "uncertainty:\n  turnout_cv: .inf\n", "uncertainty.turnout_cv",
                            "turnout_cv", message="less than or equal to 10"),
    "nested too deeply": Case("[" * 5000, "(top)", "", message="nested too deeply"),
    "a list as a key": Case(BASE + "[a]: b\n", "(yaml)", "[a]: b", message="a list or a mapping"),
    "campaign of centuries": Case(edit(BASE, "deadline: 2024-01-31", "deadline: 2999-12-31"),
                                  "calendar.deadline", "deadline:", message="at most 3,653 days"),
    "missing road graph": Case(WITH_ROADS,
                               "travel.roads", "roads:", message="no such file"),
    "unreadable road graph": Case(
        WITH_ROADS,
        "travel.roads", "roads:", message="GraphML", files={"r.graphml": "not a graph\n"}),
    "road graph node without coordinates": Case(
        WITH_ROADS,
        "travel.roads", "roads:", message="node 'n1' has no 'y'", files={"r.graphml": ROADS_NO_Y}),
    "road graph edge without length": Case(
        WITH_ROADS,
        "travel.roads", "roads:", message="has no 'length'", files={"r.graphml": ROADS_NO_LENGTH}),
    "road graph negative travel time": Case(
        WITH_ROADS,
        "travel.roads", "roads:", message="'travel_time' is -5", files={"r.graphml": ROADS_NEGATIVE}),
    # a road node past the pole has no geodesic distance: places snapped to it got NaN travel,
    # cast to a negative integer (a plan that passed every check); found by fuzzing road graphs
    "road graph node at latitude 95": Case(
        WITH_ROADS, "travel.roads", "roads:", message="node 'n1': 'y' is 95; expected a latitude",
        files={"r.graphml": ROADS_AT_LATITUDE_95}),
    "road graph named in a flow mapping": Case(
        edit(BASE, "travel:\n  speed_kmh: 30\n", "travel: {speed_kmh: 30, roads: r.graphml}\n"),
        "travel.roads", "roads: r.graphml}", message="expected a latitude",
        files={"r.graphml": ROADS_AT_LATITUDE_95}),
    "road graph node at longitude 500": Case(
        WITH_ROADS, "travel.roads", "roads:", message="node 'n1': 'x' is 500; expected a longitude",
        files={"r.graphml": ROADS_AT_LONGITUDE_500}),
    # found by mutating the scenarios: each once ended in an internal error or a split line
    "deadline in the year 9999": Case(edit(BASE, "deadline: 2024-01-31", "deadline: 9999-12-31"),
                                      "calendar.deadline", "deadline:",
                                      message="expected a year from 1900 to 2999"),
    "turnaround of a trillion days": Case(BASE + "offline_turnaround_days: 1000000000000\n",
                                          "offline_turnaround_days", "offline_turnaround_days",
                                          message="less than or equal to 100000"),
    "tiny speed": Case(edit(BASE, "speed_kmh: 30", "speed_kmh: 1.0e-300"), "travel.speed_kmh",
                       "speed_kmh", message="greater than or equal to 0.1"),
    "recording time of 1e-300 minutes": Case(
        edit(BASE, "minutes_per_person: 5", "minutes_per_person: 1.0e-300"),
        "recording.minutes_per_person", "minutes_per_person", message="more than 6 decimals"),
    "a NUL character": Case(edit(BASE, "name: bad-input base", "name: bad-input\x00base"),
                            "(yaml)", "name: bad", message="U\\+0000 in column 16"),
    "village file name with a line break": Case(
        edit(BASE, INLINE_VILLAGES, 'villages: {file: "line\\nbreak.csv"}\n'), "villages.file",
        "villages:", message=r"no such file .*line\\nbreak\.csv \(looked for in [^\n]*\)$"),
    "village file name too long": Case(
        edit(BASE, INLINE_VILLAGES, "villages: {file: " + "x" * 300 + ".csv}\n"), "villages.file",
        "villages:", message="cannot open"),
    "CSV cell too long": Case(with_village_file("v.csv"), "(file)", "desa-b", where="v.csv",
                              message="cannot read as CSV",
                              files={"v.csv": CSV_OK.replace("Desa B", "B" * 200_000)}),
}


def _write_bad_xlsx(file: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "name", "lat", "lon", "eligible", "recorded", "access"])
    ws.append(["desa-a", "Desa A", -5.42, 105.07, 1000, 900, "road"])
    ws.append(["pulau", "Pulau", -5.82, 105.28, "lima ratus", 300, "water"])  # row 3
    wb.save(file)


def run_check(tmp_path: Path, case: Case, *options: str):
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(case.scenario, encoding="utf-8")
    for name, text in case.files.items():
        if text == "bad-xlsx":
            _write_bad_xlsx(tmp_path / name)
        else:
            (tmp_path / name).write_text(text, encoding="utf-8")
    return CliRunner().invoke(main, [str(scenario), "--check", *options])


def expected_line(tmp_path: Path, case: Case) -> int:
    if case.where.endswith(".xlsx"):
        return int(case.marker.split()[-1])
    text = case.scenario if case.where == "scenario.yaml" else case.files[case.where]
    if not case.marker:
        return 1
    for number, line in enumerate(text.splitlines(), start=1):
        if case.marker in line:
            return number
    raise AssertionError(f"marker {case.marker!r} not in the text")


SHAPE = re.compile(r"^.+:\d+: [\w.\[\]()]+: .+$")  # one problem, one line


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_exits_2_with_located_message(tmp_path, name):
    case = CASES[name]
    result = run_check(tmp_path, case)
    stderr = result.stderr
    assert result.exit_code == 2, f"exit {result.exit_code}\n{stderr}\n{result.output}"
    assert "Traceback" not in stderr and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    file = str(tmp_path / case.where)
    line = expected_line(tmp_path, case)
    want = re.compile(rf"^{re.escape(file)}:{line}: {re.escape(case.path)}: (.+)$")
    hits = [m for m in map(want.match, stderr.splitlines()) if m]
    assert hits, f"no line {file}:{line}: {case.path}: ... in\n{stderr}"
    if case.message:
        assert any(re.search(case.message, m.group(1), re.I) for m in hits), stderr
    assert all(SHAPE.match(ln) for ln in stderr.splitlines() if ln.strip()), stderr


def test_every_problem_line_has_the_contract_shape(tmp_path):
    """Several problems at once: one line each, all FILE:LINE: path: message."""
    text = edit(edit(BASE, "base: kantor", "base: kantr"), "turnout: 0.7", "turnout: 1.5")
    case = Case(text, "", "")
    result = run_check(tmp_path, case)
    assert result.exit_code == 2
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) >= 1
    assert all(SHAPE.match(ln) for ln in lines), result.stderr


def test_missing_scenario_file_exits_2(tmp_path):
    missing = tmp_path / "nope.yaml"
    result = CliRunner().invoke(main, [str(missing), "--check"])
    assert result.exit_code == 2
    assert re.search(rf"^{re.escape(str(missing))}:1: \(file\): .*no such file", result.stderr, re.M)
    assert "Traceback" not in result.stderr


def test_the_base_scenario_is_valid(tmp_path):
    """Guards the cases above: each must fail only because of its own edit."""
    result = run_check(tmp_path, Case(BASE, "", ""))
    assert result.exit_code == 0, result.stderr
    csv_case = Case(with_village_file("v.csv"), "", "", files={"v.csv": CSV_OK})
    result = run_check(tmp_path, csv_case)
    assert result.exit_code == 0, result.stderr


# -- allowed input: exit 0, perhaps with a located warning -------------------------------------

SEMICOLON_CSV = """\
id;name;district;lat;lon;eligible;recorded;access;signal;power
desa-a;Desa A;Timur;-5,42;105,07;1000;900;road;BENAR;benar
pulau;Pulau;Selatan;-5,82;105,28;500;300;water;SALAH;Benar
desa-b;Desa B;Timur;-5,45;105,10;800;700;road;Ya;TIDAK
"""

ALLOWED = {
    "crew above every staff level": Case(
        edit(BASE, "crew: 3", "crew: 7"), "units[0].crew", "crew: 7",
        message=r"crew 7 is more than every staff level \(6\): unit 'MK1' can never go out"),
    "cuti bersama of a whole year": Case(
        edit(BASE, "  holidays: ID\n", "  holidays: ID\n  extra_holidays: [2023-12-26, 2024-02-09, "
             "{from: 2024-04-08, to: 2024-04-12}, 2024-12-26]\n"), "", ""),
    "closed range past the deadline": Case(
        edit(BASE, "  holidays: ID\n", "  holidays: ID\n  closed: [{from: 2024-01-29, to: 2024-03-10}]\n"),
        "", ""),
    "unavailable after the deadline": Case(edit(BASE, "[2024-01-10]", "[2025-01-10]"), "", ""),
    "closure after the deadline": Case(
        BASE + "closures:\n  - {villages: pulau, from: 2042-01-08, to: 2042-01-09}\n",
        "closures[0].from", "from: 2042-01-08",
        message=r"the closure begins on 2042-01-08, after the deadline \(2024-01-31\): it closes "
                r"nothing"),
    "semicolon CSV with BENAR/SALAH": Case(with_village_file("v.csv"), "", "",
                                            files={"v.csv": SEMICOLON_CSV}),
    "header below a title row": Case(
        with_village_file("v.csv"), "villages", "id,name", where="v.csv",
        message=r"the header \(the row naming `id`\) was found on row 3; the 2 row\(s\) above it "
                "are ignored",
        files={"v.csv": "Daftar desa belum rekam,,,\n,,,\n" + CSV_OK}),
}


@pytest.mark.parametrize("lang, word", [("en", "warning"), ("id", "peringatan")])
@pytest.mark.parametrize("name", list(ALLOWED))
def test_allowed_input_plans_with_a_located_warning(tmp_path, name, lang, word):
    """The same located warning in either language: English words with `--lang en`, others
    (Bahasa Indonesia) with `--lang id`, the default."""
    case = ALLOWED[name]
    result = run_check(tmp_path, case, "--lang", lang)
    assert result.exit_code == 0, result.stderr
    assert re.search(r": OK: \d+ (villages|desa), \d+ units?, \d+ (field days|hari lapangan) ",
                     result.output).group(1) == ("villages" if lang == "en" else "desa")
    warnings = [ln for ln in result.stderr.splitlines()
                if ln.startswith(("warning: ", "peringatan: "))]
    counted = re.search(r"; (\d+) (warning\(s\) above|peringatan di atas)", result.output)
    assert (int(counted.group(1)) if counted else 0) == len(warnings), result.output
    if not case.path:
        assert warnings == [], result.stderr
        return
    file = str(tmp_path / case.where)
    line = expected_line(tmp_path, case)
    want = re.compile(rf"^{word}: {re.escape(file)}:{line}: {re.escape(case.path)}: (.+)$")
    hits = [m for m in map(want.match, warnings) if m]
    assert len(hits) == len(warnings) == 1, result.stderr
    assert bool(re.search(case.message, hits[0].group(1))) == (lang == "en"), result.stderr


@pytest.mark.parametrize("option, value", [("--seed", "-1"), ("--seed", "4294967296"),
                                           ("--time-limit", "nan"), ("--time-limit", "inf"),
                                           ("--simulate", "100000000000"),
                                           ("--scheduler", " ")])
def test_an_option_out_of_range_exits_2_before_any_work(tmp_path, option, value):
    """Each once planned and failed with an internal error (or ran without end)."""
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(BASE, encoding="utf-8")
    result = CliRunner().invoke(main, [str(scenario), "-o", str(tmp_path / "out"), option, value])
    assert result.exit_code == 2, result.output
    assert re.search(rf"^<command line>:1: {option}: ", result.stderr, re.M), result.stderr
    assert not (tmp_path / "out").exists()


def test_checking_several_scenarios_reports_each(tmp_path):
    """`--check` with two files once failed with an internal error for any two files."""
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(BASE, encoding="utf-8")
    bad.write_text(edit(BASE, "    kits: 2", "    kits: two"), encoding="utf-8")
    result = CliRunner().invoke(main, [str(good), str(bad), "--check"])
    assert result.exit_code == 2, result.output
    assert f"{good}: OK" in result.stdout
    assert re.search(rf"^{re.escape(str(bad))}:\d+: units\[0\]\.kits: ", result.stderr, re.M)


def test_a_folder_among_the_scenarios_is_one_bad_scenario(tmp_path):
    """A folder named as a scenario once stopped the whole batch at click's argument check;
    it is reported like any unreadable scenario, and the others go on."""
    good, folder = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(BASE, encoding="utf-8")
    folder.mkdir()
    result = CliRunner().invoke(main, [str(good), str(folder), "--check"])
    assert result.exit_code == 2, result.output
    assert f"{good}: OK" in result.stdout
    assert re.search(rf"^{re.escape(str(folder))}:1: \(file\): is a folder; expected a scenario",
                     result.stderr, re.M)


def test_an_output_folder_under_a_file_exits_2(tmp_path):
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(BASE, encoding="utf-8")
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    result = CliRunner().invoke(main, [str(scenario), "-o", str(tmp_path / "a-file" / "out"),
                                       "--planner", "greedy", "-q"])
    assert result.exit_code == 2, result.output
    assert re.search(r"^<command line>:1: --output: cannot make the folder", result.stderr, re.M)


def test_a_name_too_long_for_the_file_system_exits_2(tmp_path):
    """An output folder (checked before planning) or an actuals file whose name the system
    cannot take: once an internal error (OSError)."""
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(BASE, encoding="utf-8")
    long = "x" * 300
    result = CliRunner().invoke(main, [str(scenario), "-o", str(tmp_path / long), "-q"])
    assert result.exit_code == 2, result.output
    assert re.search(r"^<command line>:1: --output: the folder name x+\.\.\. is too long",
                     result.stderr, re.M)
    result = CliRunner().invoke(main, [str(scenario), "-o", str(tmp_path / ("y" * 240)), "-q"])
    assert result.exit_code == 2 and "is too long: at most" in result.stderr  # room for .tmp
    actuals = tmp_path / f"{long}.csv"
    result = CliRunner().invoke(main, [str(scenario), "--check", "--actuals", str(actuals)])
    assert result.exit_code == 2, result.output
    assert re.search(rf"^{re.escape(str(actuals))}:1: \(file\): cannot open", result.stderr, re.M)


def test_an_actual_with_thousands_of_digits(tmp_path):
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(BASE, encoding="utf-8")
    actuals = tmp_path / "done.csv"
    actuals.write_text("unit,date,village_id,recorded\nMK1,2024-01-02,desa-a,1" + "0" * 5000
                       + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, [str(scenario), "--check", "--actuals", str(actuals)])
    assert result.exit_code == 2, result.output
    assert re.search(rf"^{re.escape(str(actuals))}:2: recorded: more than", result.stderr, re.M)


def test_an_actual_on_the_last_date_there_is(tmp_path):
    """9999-12-31 has no day after it (the default --today): once an internal error; the
    row is after the deadline, and that is what is said."""
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(BASE, encoding="utf-8")
    actuals = tmp_path / "done.csv"
    actuals.write_text("unit,date,village_id,recorded\nMK1,9999-12-31,desa-a,5\n", encoding="utf-8")
    result = CliRunner().invoke(main, [str(scenario), "--check", "--actuals", str(actuals)])
    assert result.exit_code == 2, result.output
    assert re.search(rf"^{re.escape(str(actuals))}:2: date: 9999-12-31 is after the campaign's "
                     "deadline", result.stderr, re.M)


@pytest.mark.parametrize("args, where", [(["--time-limit", "abc"], "--time-limit"),
                                         (["--lang", "xx"], "--lang"),
                                         (["--bogus"], "--bogus"),
                                         (["-o", "README.md"], "--output")])
def test_clicks_own_usage_errors_have_the_contract_shape(tmp_path, args, where):
    """Values of the wrong type and unknown options, which click itself rejects, once printed
    click's usage text; now the same `<command line>:1: --option: message` line as ours."""
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(BASE, encoding="utf-8")
    (tmp_path / "README.md").write_text("a file", encoding="utf-8")
    args = [str(tmp_path / a) if a == "README.md" else a for a in args]
    result = CliRunner().invoke(main, [str(scenario), "--check", *args])
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"<command line>:1: {where}: "), result.stderr


def test_a_folder_that_holds_something_else_is_refused_before_planning(tmp_path, monkeypatch):
    import planner.cli

    def no_planning(*args, **kwargs):
        raise AssertionError("planned although the plan could not be written")

    monkeypatch.setattr(planner.cli, "_make_plan", no_planning)
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(BASE, encoding="utf-8")
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "letter.txt").write_text("someone's", encoding="utf-8")
    for out in (documents, tmp_path / "scenario.yaml" / "out"):
        result = CliRunner().invoke(main, [str(scenario), "-o", str(out), "-q"])
        assert result.exit_code == 2, result.output
        assert re.search(r"^<command line>:1: --output: ", result.stderr, re.M), result.stderr
    assert (documents / "letter.txt").read_text(encoding="utf-8") == "someone's"


@pytest.mark.parametrize("option, value", [("--simulate", "10"), ("--robust", "0.1"),
                                           ("--today", "2024-01-15")])
def test_a_one_scenario_option_with_several_scenarios_is_named(tmp_path, option, value):
    # the message blamed --actuals whichever of them was given
    paths = []
    for stem in ("a", "b"):
        paths.append(tmp_path / f"{stem}.yaml")
        paths[-1].write_text(BASE, encoding="utf-8")
    result = CliRunner().invoke(main, [*map(str, paths), "-o", str(tmp_path / "R"), option, value])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"<command line>:1: {option}: "), result.stderr


def test_checking_the_same_file_twice_says_what_planning_says(tmp_path):
    # --check passed it (exit 0), while planning the two refuses the second
    scenario = tmp_path / "a.yaml"
    scenario.write_text(BASE, encoding="utf-8")
    result = CliRunner().invoke(main, [str(scenario), str(scenario), "--check"])
    assert result.exit_code == 2, result.output
    assert f"{scenario}:1: (file): another scenario is also named 'a'" in result.stderr
    assert result.output.count(": OK:") == 1
