"""visits.csv, days.csv and summary.json: written in the contract's columns and keys, with
`goal_reached_on`, and every column and key explained in docs/outputs.md."""
from __future__ import annotations

import json

import pandas as pd

from planner.export import tables
from planner.plan import DAY_COLUMNS, VISIT_COLUMNS
from tests.conftest import ROOT

DOC = ROOT / "docs" / "outputs.md"
# In DESIGN §4 and documented already; the optimiser adds them to the plan.
CONTRACT_DAY_COLUMNS = ["start_place", "end_place"]
CONTRACT_SUMMARY_KEYS = ["nights", "limits", "actuals", "simulation"]


def test_tables_in_the_contract_columns_with_the_goal_date(geo_plan, tmp_path):
    tables.write(geo_plan, tmp_path)
    assert list(pd.read_csv(tmp_path / "visits.csv").columns) == VISIT_COLUMNS
    assert list(pd.read_csv(tmp_path / "days.csv").columns) == DAY_COLUMNS
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    # eligible 2500 known, recorded 2200, goal 92 % = 2300: Mon +84 (2284), Wed +81 (2365)
    assert summary["goal_reached_on"] == "2024-03-06"
    assert geo_plan.goal_reached_on.isoformat() == "2024-03-06"


def test_every_column_and_key_is_documented(geo_plan):
    doc = DOC.read_text(encoding="utf-8")
    summary = geo_plan.summary()
    names = (VISIT_COLUMNS + DAY_COLUMNS + CONTRACT_DAY_COLUMNS + list(summary)
             + CONTRACT_SUMMARY_KEYS + list(next(iter(summary["districts"].values())))
             + list(summary["left_out"][0]) + list(summary["solver"]))
    missing = sorted({n for n in names if f"`{n}`" not in doc})
    assert not missing, f"docs/outputs.md does not explain {missing}"


def test_the_doc_names_every_output_file():
    doc = DOC.read_text(encoding="utf-8")
    for name in ("visits.csv", "days.csv", "summary.json", "calendar/<unit>.ics",
                 "schedule.xlsx", "announcements/<kecamatan>.html", "map.html", "progress.png"):
        assert f"`{name}`" in doc
