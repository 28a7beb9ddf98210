"""Cross-reference checks that no single field can make on its own."""
from __future__ import annotations

from collections import Counter

from .model import Scenario


def cross_check(s: Scenario) -> list[tuple[str, str]]:
    """Return (field.path, message) for every broken cross-reference."""
    out: list[tuple[str, str]] = []
    horizon_ok = s.calendar.deadline >= s.calendar.start
    if not horizon_ok:
        out.append(("calendar.deadline",
                    f"deadline {s.calendar.deadline} is before start {s.calendar.start}"))
    place_ids = [p.id for p in s.places]
    village_ids = [v.id for v in s.villages]
    unit_ids = [u.id for u in s.units]
    for label, ids, field in (("place", place_ids, "places"), ("village", village_ids, "villages"),
                              ("unit", unit_ids, "units")):
        for vid, n in Counter(ids).items():
            if n > 1:
                i = max(i for i, x in enumerate(ids) if x == vid)
                out.append((f"{field}[{i}].id", f"duplicate {label} id {vid!r}"))
    for i, v in enumerate(s.villages):
        if v.id in set(place_ids):
            out.append((f"villages[{i}].id", f"village id {v.id!r} is also a place id"))
    known = set(place_ids) | set(village_ids)

    coords = ("lat", "lon") if s.geometry == "geodesic" else ("x", "y")
    for field, items in (("places", s.places), ("villages", s.villages)):
        for i, p in enumerate(items):
            missing = [c for c in coords if getattr(p, c) is None]
            if missing:
                out.append((f"{field}[{i}].{missing[0]}",
                            f"{p.id!r} needs {' and '.join(coords)} for geometry {s.geometry}"))

    # A unit must fit the staff of at least one kind of day it may work (None = unlimited).
    staff_levels = [s.staff.weekday] + ([s.staff.weekend] if s.shift.weekend else [])
    for i, u in enumerate(s.units):
        if u.base not in set(place_ids) | {v.id for v in s.villages if v.lodging}:
            out.append((f"units[{i}].base", f"unknown place {u.base!r}; expected one of the places' ids"))
        if u.end is not None and u.end not in known:
            out.append((f"units[{i}].end", f"unknown place {u.end!r}; expected a place id"))
        if u.speed_kmh is None and s.travel.speed_kmh is None:
            out.append((f"units[{i}].speed_kmh", "no speed: set travel.speed_kmh or the unit's speed_kmh"))
        if None not in staff_levels and u.crew > max(staff_levels):
            out.append((f"units[{i}].crew",
                        f"crew {u.crew} is more than every staff level ({max(staff_levels)}): "
                        "the unit can never go out"))
        for j, r in enumerate(u.unavailable):
            if horizon_ok and (r.to < s.calendar.start or r.from_ > s.calendar.deadline):
                out.append((f"units[{i}].unavailable[{j}]",
                            f"{r.from_}..{r.to} lies outside the plan horizon "
                            f"{s.calendar.start}..{s.calendar.deadline}"))

    for field in ("extra_holidays", "closed"):
        for j, r in enumerate(getattr(s.calendar, field)):
            if horizon_ok and (r.to < s.calendar.start or r.from_ > s.calendar.deadline):
                out.append((f"calendar.{field}[{j}]",
                            f"{r.from_}..{r.to} lies outside the plan horizon "
                            f"{s.calendar.start}..{s.calendar.deadline}"))

    linked: set[str] = set()
    for i, link in enumerate(s.links):
        for end, key in ((link.from_, "from"), (link.to, "to")):
            if end not in known:
                out.append((f"links[{i}].{key}", f"unknown place or village {end!r}"))
        linked |= {link.from_, link.to}
    for i, v in enumerate(s.villages):
        if v.access == "water" and v.id not in linked:
            out.append((f"villages[{i}].access",
                        f"village {v.id!r} is reached only by water but no link leads to it; "
                        "add an entry under links"))
    return out
