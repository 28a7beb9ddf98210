"""docs/scenario.md documents exactly the keys the parser accepts, and its examples work;
docs/outputs.md lists exactly the columns and keys a plan writes.

As in sqlite-utils' docs test: the accepted keys come from the code (the pydantic models of
`planner.scenario`, walked from `Scenario`), the documented keys from the page (the backticked
first cell of each key table, under its `<!-- keys: SECTION -->` marker); each side must hold
the other. The same for the outputs: a written plan's columns and keys against the first
cells of the tables under each file's heading, in the order the page gives.
"""
from __future__ import annotations

import datetime as dt
import json
import re

import pandas as pd
import pytest
from pydantic import BaseModel

from planner.calendar import WEEKEND, field_days
from planner.changes import CHANGES_COLUMNS
from planner.export import tables
from planner.export.folder import write_plan_folder
from planner.many import SUMMARY_COLUMNS
from planner.scenario import parse
from planner.scenario.messages import model_type
from planner.scenario.model import DateRange, Scenario, Window
from planner.scenario.parse import VILLAGE_FILE_KEY
from planner.simulate import simulate
from tests.conftest import ROOT, make_scenario
from tests.export.sample import GEO, hand_made_plan

DOC = ROOT / "docs" / "scenario.md"
# Models used in several places are documented once, in a section of their own.
SHARED_SECTIONS = {Window: "hours", DateRange: "date range"}
MARKER = re.compile(r"<!-- keys: (.+?) -->")
ROW = re.compile(r"^\| `([^`]+)` \|")


def accepted_keys() -> set[str]:
    """`section.key` for every key the scenario models accept."""
    out: set[str] = set()

    def walk(model: type[BaseModel], section: str) -> None:
        for name, field in model.model_fields.items():
            if field.exclude:
                continue
            key = field.alias or name
            out.add(f"{section}.{key}")
            inner = model_type(field.annotation)
            if not (isinstance(inner, type) and issubclass(inner, BaseModel)):
                continue
            if inner in SHARED_SECTIONS:
                walk(inner, SHARED_SECTIONS[inner])
            else:
                walk(inner, key if section == "scenario" else f"{section}.{key}")

    walk(Scenario, "scenario")
    out.add(f"villages.{VILLAGE_FILE_KEY}")  # `villages: {file: ...}`, read by the parser
    return out


def documented_keys() -> set[str]:
    out: set[str] = set()
    section = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        marker = MARKER.search(line)
        if marker:
            section = marker.group(1)
        elif not line.startswith("|"):
            if line.strip():
                section = None  # a table ends at the first line of prose
        elif section and ROW.match(line):
            out.add(f"{section}.{ROW.match(line).group(1)}")
    return out


ACCEPTED = sorted(accepted_keys())
DOCUMENTED = sorted(documented_keys())


def test_the_walk_finds_the_keys_of_every_section():
    """Guards the two lists below: both must be long and reach nested sections."""
    for key in ("scenario.name", "calendar.start", "date range.from", "shift.friday", "hours.end",
                "shift.dates.date", "units.max_nights", "villages.lodging", "uncertainty.link_cancel",
                "contact.phone", "villages.file"):
        assert key in ACCEPTED and key in DOCUMENTED, key
    assert len(ACCEPTED) > 90


@pytest.mark.parametrize("key", ACCEPTED)
def test_every_accepted_key_is_documented(key):
    assert key in DOCUMENTED


@pytest.mark.parametrize("key", DOCUMENTED)
def test_every_documented_key_is_accepted(key):
    assert key in ACCEPTED


def yaml_blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def test_the_example_scenario_parses_and_plans():
    from planner.baseline import plan_greedy
    from planner.check import check

    scenario = parse(yaml_blocks()[0], source="docs/scenario.md")
    assert len(scenario.villages) == 6 and [u.id for u in scenario.units] == ["MK1", "MK2"]
    days = {d.date: d for d in field_days(scenario)}
    assert days[dt.date(2018, 10, 5)].end == 11 * 3600 + 1800  # the short Friday
    assert days[dt.date(2018, 10, 22)].start == 9 * 3600  # the `dates` entry
    assert dt.date(2018, 10, 15) not in days  # closed
    plan = plan_greedy(scenario)
    assert check(scenario, plan) == []
    assert plan.counted > 0


def test_the_hours_example_does_what_the_page_says():
    """The complete example with its shift replaced by the hours example, over May-June 2018."""
    head, rest = yaml_blocks()[0].split("shift:\n", 1)
    _, tail = rest.split("recording:\n", 1)
    text = head.replace("start: 2018-10-01", "start: 2018-05-01").replace(
        "deadline: 2018-10-26", "deadline: 2018-07-01") + yaml_blocks()[1] + "recording:\n" + tail
    days = {d.date: (d.day_type, d.start, d.end) for d in field_days(parse(text))}
    h = 3600
    assert days[dt.date(2018, 5, 4)][1:] == (7 * h + 1800, 11 * h + 1800)  # a Friday before Ramadan
    assert days[dt.date(2018, 6, 22)][1:] == (7 * h + 1800, 11 * h + 1800)  # and after
    assert dt.date(2018, 5, 13) not in days and dt.date(2018, 6, 24) not in days  # Sundays
    for day in (dt.date(2018, 5, 18), dt.date(2018, 5, 19), dt.date(2018, 5, 20)):  # Fri-Sun
        assert days[day][1:] == (8 * h, 14 * h)
    assert days[dt.date(2018, 5, 20)][0] == WEEKEND
    assert dt.date(2018, 6, 5) not in days and dt.date(2018, 6, 4) in days


def test_the_closures_example_fits_the_complete_example():
    """A newcomer pastes the closures block under the complete example: its ids exist there."""
    (block,) = [b for b in yaml_blocks() if b.startswith("closures:")]
    scenario = parse(yaml_blocks()[0] + block, source="docs/scenario.md")
    assert [scenario.closed_villages(c) for c in scenario.closures] == [
        ["18.09.06.2019"], [v.id for v in scenario.villages if v.district == "Punduh Pidada"]]


def test_every_village_code_the_page_shows_is_a_village_of_the_example():
    ids = {v.id for v in parse(yaml_blocks()[0], source="docs/scenario.md").villages}
    shown = set(re.findall(r"\b\d\d\.\d\d\.\d\d\.\d{4}\b", DOC.read_text(encoding="utf-8")))
    assert shown and shown <= ids


def test_every_kecamatan_the_page_s_examples_name_is_one_of_the_example():
    districts = {v.district for v in parse(yaml_blocks()[0], source="docs/scenario.md").villages}
    named = re.findall(r"districts: \[([^\]]+)\]", DOC.read_text(encoding="utf-8"))
    assert named and {n.strip() for names in named for n in names.split(",")} <= districts


OUTPUTS = ROOT / "docs" / "outputs.md"
# summary.json keys written only with an option (or by plan-routes after planning: `limits`).
OPTION_KEYS = ["actuals", "kept", "changes", "robust", "limits", "simulation"]


def outputs_table(heading: str) -> list[str]:
    """The backticked names of the first cells of the table under docs/outputs.md's
    `## `heading`` (a cell naming several gives each), in the page's order."""
    text = OUTPUTS.read_text(encoding="utf-8")
    section = text.split(f"\n## `{heading}`\n", 1)[1].split("\n## ", 1)[0]
    cells = re.findall(r"^\| (`[^|]+`) \|", section, re.M)
    return [name for cell in cells for name in re.findall(r"`([^`]+)`", cell)]


@pytest.fixture(scope="module")
def written_plan(tmp_path_factory):
    plan = hand_made_plan(make_scenario(GEO))
    folder = tmp_path_factory.mktemp("plan")
    tables.write(plan, folder)
    return plan, folder


def test_the_outputs_page_lists_the_written_columns_in_order(written_plan):
    _, folder = written_plan
    for name in ("visits.csv", "days.csv"):
        assert outputs_table(name) == list(pd.read_csv(folder / name).columns), name
    assert outputs_table("changes.csv") == list(CHANGES_COLUMNS)


def test_the_rows_come_in_the_order_the_outputs_page_says(written_plan):
    """visits.csv by date, unit and sequence; days.csv by date and unit (the sample plan's
    MK1 goes out on Monday and Wednesday, its second unit on Tuesday)."""
    _, folder = written_plan
    visits = pd.read_csv(folder / "visits.csv")
    days = pd.read_csv(folder / "days.csv")
    in_order = list(zip(visits["date"], visits["unit"], visits["seq"]))
    assert in_order == sorted(in_order)
    assert list(zip(days["date"], days["unit"])) == sorted(zip(days["date"], days["unit"]))
    assert list(days["unit"]) != sorted(days["unit"])  # the order is not the units'


def test_the_outputs_page_lists_the_summary_keys_in_the_order_written(written_plan):
    _, folder = written_plan
    written = list(json.loads((folder / "summary.json").read_text(encoding="utf-8")))
    documented = outputs_table("summary.json")
    assert [k for k in documented if k not in OPTION_KEYS] == written
    assert [k for k in documented if k in OPTION_KEYS] == OPTION_KEYS


def test_the_outputs_page_names_every_simulation_figure(written_plan):
    plan, _ = written_plan
    figures = simulate(plan.scenario, plan, runs=20, seed=0).figures
    (row,) = [line for line in OUTPUTS.read_text(encoding="utf-8").splitlines()
              if line.startswith("| `simulation` |")]
    named = set(re.findall(r"`([^`]+)`", row))
    stats = {k for v in figures.values() if isinstance(v, dict) for k in v
             if k in ("mean", "p10", "p50", "p90")}
    missing = sorted((set(figures) | stats) - named)
    assert not missing, f"docs/outputs.md's simulation row does not name {missing}"


def test_the_outputs_page_names_everything_a_plan_folder_holds(tmp_path):
    """Hidden files too: a planner who finds `.jemput-plan` in the folder reads what it is."""
    write_plan_folder(hand_made_plan(make_scenario(GEO)), tmp_path / "plan")
    text = OUTPUTS.read_text(encoding="utf-8")
    unnamed = sorted(p.name for p in (tmp_path / "plan").iterdir()
                     if f"`{p.name}`" not in text and f"`{p.name}/" not in text)
    assert not unnamed, f"docs/outputs.md does not name {unnamed}"


def test_the_outputs_page_lists_the_province_summary_columns_in_order():
    text = OUTPUTS.read_text(encoding="utf-8")
    listing = text.split("`ROOT/summary.csv` has one row per district:", 1)[1]
    listing = listing.split("`summary.xlsx` holds", 1)[0]
    while re.search(r"\([^()]*\)", listing):  # what a column holds, in brackets, aside
        listing = re.sub(r"\([^()]*\)", "", listing)
    assert re.findall(r"`([^`]+)`", listing) == SUMMARY_COLUMNS
