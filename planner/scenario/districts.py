"""Kecamatan names as an office's village table writes them, read as one kecamatan each.

Announcements, coverage figures, closures and a unit's `districts` all go by the villages'
`district` text, so `Selong`, `SELONG` and `Labuhan  Haji` beside `Labuhan Haji` would make
two kecamatan of one: a closure of `Selong` would miss the villages typed in capitals, and a
service point would never serve them. Spellings that differ only in letter case or spacing
are one kecamatan, read as its most written spelling (the first written on a tie); a case
difference is warned about at its first row, a spacing difference is simply tidied.
"""
from __future__ import annotations

from collections import Counter
from typing import Any

from ..notices import Notice


def _tidy(name: str) -> str:
    return " ".join(name.split())


def _key(name: str) -> str:
    return _tidy(name).casefold()


def canonical_districts(data: dict) -> tuple[dict, list[tuple[tuple, Notice]]]:
    """`data` (the scenario mapping before validation) with every village's `district` and
    every kecamatan that `closures` and a unit's `districts` name in its canonical spelling;
    plus (location, notice) for each spelling read as another. Values that are not text are
    left for validation to judge."""
    villages = data.get("villages")
    if not isinstance(villages, list):
        return data, []
    written = [(i, v["district"]) for i, v in enumerate(villages)
               if isinstance(v, dict) and isinstance(v.get("district"), str) and _tidy(v["district"])]
    counts = Counter(_tidy(d) for _, d in written)
    canonical: dict[str, str] = {}
    for spelling, _ in counts.most_common():  # most written first; ties in the order written
        canonical.setdefault(spelling.casefold(), spelling)
    notices: list[tuple[tuple, Notice]] = []
    warned: set[str] = set()
    villages = list(villages)
    for i, d in written:
        target = canonical[_key(d)]
        if target == d:
            continue
        villages[i] = {**villages[i], "district": target}
        if _tidy(d) != target and _tidy(d) not in warned:
            warned.add(_tidy(d))
            notices.append((("villages", i, "district"), Notice(
                "district_spelling", written=_tidy(d), canonical=target,
                rows=counts[_tidy(d)], others=counts[target])))
    out = {**data, "villages": villages}
    for section in ("closures", "units"):
        items = data.get(section)
        if isinstance(items, list):
            out[section] = [_named(item, canonical) for item in items]
    return out, notices


def _named(item: Any, canonical: dict[str, str]) -> Any:
    """A closure or unit with the kecamatan it names in their canonical spelling (a name
    no village has is left as written, for validation to refuse)."""
    if not isinstance(item, dict) or "districts" not in item:
        return item
    names = item["districts"]

    def one(name):
        return canonical.get(_key(name), name) if isinstance(name, str) else name

    return {**item, "districts": [one(n) for n in names] if isinstance(names, list) else one(names)}
