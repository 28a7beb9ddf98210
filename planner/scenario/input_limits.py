"""Sizes beyond which an input file is refused at once, with its place named, instead of read
for minutes into gigabytes: a province office runs the districts' files in batches, and one
file that grinds a worker to death takes the batch down with it. Each limit is far above
what a district has (Indonesia has about 84,000 villages; a district a few hundred)."""
from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Optional

# A scenario file: the pure-Python YAML reader takes seconds a megabyte, twice (values and
# lines); even 20,000 villages written inline take about 2 MB.
MAX_SCENARIO_BYTES = 5_000_000
# Rows of a village table, an actuals table or a plan's table (header rows included).
MAX_TABLE_ROWS = 100_000
# Named columns in a table's header (a village table has about 15).
MAX_TABLE_COLUMNS = 1_000
# Cells in a sheet's rectangle (rows by columns up to its farthest cell), where a workbook is
# loaded whole: one stray value at XFD1048576 would make it 17 billion.
MAX_SHEET_CELLS = 20_000_000
# The XML a workbook unpacks to: streamed (a village table) or loaded whole (actuals, a plan's
# schedule.xlsx, read with its merged cells); a plan of 15,000 visits unpacks to about 25 MB.
MAX_STREAMED_WORKBOOK_BYTES = 256_000_000
MAX_LOADED_WORKBOOK_BYTES = 128_000_000


def scenario_size_problem(size: int) -> Optional[str]:
    """Why a scenario file of `size` bytes is not read, or None."""
    if size <= MAX_SCENARIO_BYTES:
        return None
    return (f"the file is {size / 1e6:.1f} MB, more than a scenario needs (at most "
            f"{MAX_SCENARIO_BYTES / 1e6:.0f} MB); put a long village list in a CSV or XLSX file "
            "(`villages: {file: villages.csv}`)")


def too_many_rows(limit: int) -> str:
    """The message for a table that goes on past `limit` rows (MAX_TABLE_ROWS)."""
    return (f"more than {limit:,} rows; a district's table has far fewer (is this "
            "the right file, or a sheet filled down to its last row?)")


def too_many_columns(count: int) -> str:
    return (f"the header names {count:,} columns, more than {MAX_TABLE_COLUMNS:,}; is this "
            "the right file, or a row of data read as the header?")


def workbook_size_problem(path: Path, limit: int) -> Optional[str]:
    """Why the XLSX file at `path` is not opened: its parts unpack to more than `limit`
    bytes (a zip bomb, or a sheet filled down to its last row); None for a file within the
    limit and for one that is no zip at all (the workbook reader says what is wrong). The
    sizes are the zip's own records, which also cap what unpacking yields."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if unpacked <= limit:
        return None
    return (f"cannot read as XLSX: the workbook unpacks to {unpacked / 1e6:,.0f} MB, more than "
            f"{limit / 1e6:,.0f} MB (a zip bomb, or sheets filled down to their last row); save "
            "only the table's rows in a new workbook")
