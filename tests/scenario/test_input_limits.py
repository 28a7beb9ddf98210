"""Hostile input files (a table of a million rows or 100,000 columns, a zip bomb posing as a
workbook, a scenario of tens of megabytes) are refused at once with their place named."""
from __future__ import annotations

import time

import openpyxl
import pytest
import yaml

from planner.scenario import ScenarioError, input_limits, load, load_scenario
from planner.scenario.load import read_village_table
from tests.conftest import TINY

HEADER = "id,name,district,x,y,unrecorded\n"


def _rows(n: int) -> str:
    return "".join(f"v{i},Desa {i},K,{i % 9},{i % 7},10\n" for i in range(n))


def _refused(call) -> str:
    with pytest.raises(ScenarioError) as exc:
        call()
    (problem,) = exc.value.problems
    return str(problem)


def test_a_header_of_100000_columns_is_refused_at_once(tmp_path):
    file = tmp_path / "v.csv"
    file.write_text(HEADER.strip() + "," + ",".join(f"c{i}" for i in range(100_000)) + "\n"
                    + _rows(2))
    started = time.monotonic()
    message = _refused(lambda: read_village_table(file))
    assert time.monotonic() - started < 2.0  # was over two minutes (the header counted per column)
    assert message.startswith(f"{file}:1: villages.file: the header names 100,006 columns")


def test_a_csv_longer_than_the_row_limit_is_refused_at_the_first_row_over(tmp_path, monkeypatch):
    monkeypatch.setattr(load, "MAX_TABLE_ROWS", 5)
    file = tmp_path / "v.csv"
    file.write_text(HEADER + _rows(4))
    assert len(read_village_table(file).rows) == 4
    file.write_text(HEADER + _rows(5))
    assert _refused(lambda: read_village_table(file)).startswith(f"{file}:6: villages.file: more than 5 rows")


def test_a_sheet_longer_than_the_row_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(load, "MAX_TABLE_ROWS", 5)
    book = openpyxl.Workbook()
    book.active.title = "desa"
    for line in (HEADER + _rows(5)).splitlines():
        book.active.append(line.split(","))
    book.save(tmp_path / "v.xlsx")
    message = _refused(lambda: read_village_table(tmp_path / "v.xlsx"))
    assert message.startswith(f"{tmp_path / 'v.xlsx'}[desa]:6: villages.file: more than 5 rows")


def test_a_workbook_that_unpacks_beyond_the_limit_is_not_opened(tmp_path, monkeypatch):
    book = openpyxl.Workbook()
    for line in (HEADER + _rows(3)).splitlines():
        book.active.append(line.split(","))
    book.save(tmp_path / "v.xlsx")
    assert len(read_village_table(tmp_path / "v.xlsx").rows) == 3
    monkeypatch.setattr(load, "MAX_STREAMED_WORKBOOK_BYTES", 1_000)
    message = _refused(lambda: read_village_table(tmp_path / "v.xlsx"))
    assert message.startswith(f"{tmp_path / 'v.xlsx'}:1: villages.file: cannot read as XLSX: "
                              "the workbook unpacks to")


def test_a_scenario_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    file = tmp_path / "s.yaml"
    file.write_text(yaml.safe_dump(TINY, sort_keys=False))
    assert load_scenario(file).name == "tiny"
    monkeypatch.setattr(input_limits, "MAX_SCENARIO_BYTES", 100)
    assert _refused(lambda: load_scenario(file)).startswith(f"{file}:1: (file): the file is")


def test_a_stray_cell_at_the_sheets_far_corner_does_not_widen_every_row(tmp_path):
    book = openpyxl.Workbook()
    for line in (HEADER + _rows(2)).splitlines():
        book.active.append(line.split(","))
    book.active.cell(row=40, column=16_384, value="x")  # at XFD1048576: 3.8 GB, MemoryError
    book.save(tmp_path / "v.xlsx")
    rows, _, _ = load._xlsx_rows(tmp_path / "v.xlsx")
    assert [len(cells) for _, cells in rows[:3]] == [6, 6, 6]
    assert read_village_table(tmp_path / "v.xlsx").lines == [2, 3, 40]  # the schema names 40
