"""Village table headings as an office writes them.

A heading that is a contract column in other capitals (`ID`, `Lat`, `Unrecorded`) is that
column: nothing else could be meant. A heading in the office's own words (`Kode Desa`,
`Kecamatan`, `Lintang`) is not read as a column, since a table may hold several codes or
counts (a BPS code beside the Kemendagri one, last year's figures), but the problem that a
required column is missing names the heading to rename. A total row at the foot of the
table (`Jumlah`) is no village: without an id it is skipped, with one it is refused (its
count would be planned as a village's).
"""
from __future__ import annotations

import re
from typing import Optional

# the usual Indonesian headings -> the contract column they most likely hold
_USUAL = {
    "id": ("kode", "kode desa", "kode_desa", "kode wilayah", "kode kemendagri", "kode desa/kel",
           "kode desa/kelurahan", "kode kelurahan"),
    "name": ("nama", "nama desa", "nama_desa", "desa", "kelurahan", "desa/kelurahan",
             "nama desa/kelurahan", "nama kelurahan"),
    "district": ("kecamatan", "kec", "kec.", "nama kecamatan", "nama_kecamatan"),
    "lat": ("lintang", "latitude", "garis lintang"),
    "lon": ("bujur", "longitude", "lng", "long", "garis bujur"),
    "unrecorded": ("belum rekam", "belum_rekam", "belum perekaman", "belum merekam",
                   "belum rekam e-ktp", "sisa", "sisa belum rekam"),
    "eligible": ("wajib ktp", "wajib_ktp", "wajib ktp-el", "jumlah wajib ktp"),
    "signal": ("sinyal", "ada sinyal"),
    "power": ("listrik", "ada listrik"),
    "lodging": ("penginapan", "menginap"),
    "priority": ("prioritas",),
    "head_phone": ("hp kades", "no hp kades", "no. hp kades", "hp kepala desa", "telepon kades"),
    "recorded": ("sudah rekam", "sudah_rekam", "sudah perekaman", "sudah merekam",
                 "sudah rekam e-ktp"),
}
_COLUMN_OF = {alias: column for column, aliases in _USUAL.items() for alias in aliases}


def heading(cell: str, known: set[str]) -> str:
    """A header cell as the column it names: a contract column in other capitals is that
    column; anything else as written."""
    lowered = cell.casefold()
    return lowered if lowered in known else cell


def office_headings(cells: list) -> int:
    """How many cells of a row are headings in the office's own words (`Kode Desa`,
    `Kecamatan`): a row with several is the header of a table to rename."""
    return sum(" ".join(str(c).casefold().split()) in _COLUMN_OF for c in cells if c is not None)


def rename_hint(header: list[str], wanted: tuple[str, ...]) -> str:
    """`; rename 'Kode Desa' to id, 'Belum Rekam' to unrecorded` for the headings that
    likely hold the `wanted` columns (empty when none does)."""
    pairs = []
    for h in header:
        column = _COLUMN_OF.get(" ".join(h.casefold().split()))
        if column in wanted:
            pairs.append(f"{h!r} to {column}")
    return f"; rename {', '.join(pairs)}" if pairs else ""


# a spreadsheet's total or subtotal row: `Jumlah`, `JUMLAH KEC. SELONG`, `Total`, `Sub Total`
_TOTAL = re.compile(r"^(sub\s*)?(jumlah|total|jml\.?)(\s.*)?$", re.IGNORECASE)


def total_label(row: dict) -> Optional[str]:
    """The cell that makes a village-table row a total (`Jumlah`) rather than a village: in
    its `id`, `name` or `district` column; None for a village's row."""
    for column in ("id", "name", "district"):
        cell = row.get(column)
        if isinstance(cell, str) and _TOTAL.match(cell.strip()):
            return cell.strip()
    return None
