"""`export.sheet_style`: column widths that do not depend on the Python that wrote them."""
from __future__ import annotations

import openpyxl

from planner.export.sheet_style import fit_widths, text_width


def test_a_width_is_the_same_whichever_python_sums_it():
    # Python 3.12's sum() of floats rounds otherwise than 3.11's: `Hanura` was 5.8500000000000005
    # on 3.11 (its column 7.4 wide) and 5.85 on 3.12 (7.3), so schedule.xlsx differed
    assert text_width("Hanura") == 5.85
    ws = openpyxl.Workbook().active
    ws.append(["Hanura"])
    fit_widths(ws)
    assert ws.column_dimensions["A"].width == 7.3
