"""Actuals tables too large to be a district's: refused at once with their place named."""
from __future__ import annotations

import openpyxl
import pytest

from planner import actuals_cells
from planner.actuals_cells import ActualsError, read_table

HEADER = "unit,date,village_id,recorded\n"


def _refused(call) -> str:
    with pytest.raises(ActualsError) as exc:
        call()
    (problem,) = exc.value.problems
    return str(problem)


def test_an_actuals_csv_over_the_row_limit_is_refused_at_the_first_row_over(tmp_path, monkeypatch):
    monkeypatch.setattr(actuals_cells, "MAX_TABLE_ROWS", 3)
    file = tmp_path / "a.csv"
    file.write_text(HEADER + "U1,2024-01-01,a,5\n" * 3)
    assert len(read_table(file)[1]) == 3
    file.write_text(HEADER + "U1,2024-01-01,a,5\n" * 4)  # a million rows took 57 s and 1.5 GB
    assert _refused(lambda: read_table(file)).startswith(f"{file}:5: (file): more than 3 rows")


def test_an_actuals_workbook_unpacking_beyond_the_limit_is_not_opened(tmp_path, monkeypatch):
    book = openpyxl.Workbook()
    for line in (HEADER + "U1,2024-01-01,a,5\n").splitlines():
        book.active.append(line.split(","))
    book.save(tmp_path / "a.xlsx")
    assert len(read_table(tmp_path / "a.xlsx")[1]) == 1
    monkeypatch.setattr(actuals_cells, "MAX_LOADED_WORKBOOK_BYTES", 1_000)
    assert _refused(lambda: read_table(tmp_path / "a.xlsx")).startswith(
        f"{tmp_path / 'a.xlsx'}:1: (file): cannot read as XLSX: the workbook unpacks to")


def test_a_stray_cell_far_from_the_table_is_named_not_read_up_to(tmp_path, monkeypatch):
    monkeypatch.setattr(actuals_cells, "MAX_SHEET_CELLS", 100)  # XFD1048576 ran out of memory
    book = openpyxl.Workbook()
    for line in (HEADER + "U1,2024-01-01,a,5\n").splitlines():
        book.active.append(line.split(","))
    book.active.cell(row=20, column=10, value="x")
    book.save(tmp_path / "a.xlsx")
    assert _refused(lambda: read_table(tmp_path / "a.xlsx")).startswith(
        f"{tmp_path / 'a.xlsx'}[Sheet]:20: (file): the sheet reaches cell J20")
    monkeypatch.setattr(actuals_cells, "MAX_SHEET_CELLS", 200)
    assert len(read_table(tmp_path / "a.xlsx")[1]) == 19
