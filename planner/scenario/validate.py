"""Cross-reference checks that no single field can make on its own.

The scenario model calls these after validating its fields; this module needs the model's
classes only for typing, so it imports nothing of the model at run time (no import cycle).
"""
from __future__ import annotations

import difflib
from collections import Counter
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable, Optional

from ..notices import Notice, Worded
from .spread import far_points
from .unused import unused_settings

if TYPE_CHECKING:
    from .model import Scenario

SHOWN_IDS = 10  # how many valid ids an "unknown id" message lists


MOST_CAMPAIGN_DAYS = 3653  # ten years: beyond any election campaign
# what a village without coordinates is told (a pemekaran village has no centroid yet)
_WHERE_UNKNOWN = (": fill them in (a new village without its own may take its kecamatan's centre "
                  "or the village it was split from), or delete the row")


def cross_check(s: "Scenario") -> list[tuple[str, str]]:
    """Return (field.path, message) for every broken cross-reference."""
    out: list[tuple[str, str]] = []
    if s.calendar.deadline < s.calendar.start:
        out.append(("calendar.deadline",
                    f"deadline {s.calendar.deadline} is before start {s.calendar.start}"))
    elif (s.calendar.deadline - s.calendar.start).days >= MOST_CAMPAIGN_DAYS:
        out.append(("calendar.deadline",
                    f"deadline {s.calendar.deadline} is {(s.calendar.deadline - s.calendar.start).days:,} "
                    f"days after start {s.calendar.start}; a campaign plans at most "
                    f"{MOST_CAMPAIGN_DAYS:,} days (ten years)"))
    place_ids = [p.id for p in s.places]
    village_ids = [v.id for v in s.villages]
    out += _duplicate_ids(place_ids, village_ids, [u.id for u in s.units])
    for i, v in enumerate(s.villages):
        if v.id in set(place_ids):
            out.append((f"villages[{i}].id", f"village id {v.id!r} is also a place id"))

    coords = ("lat", "lon") if s.geometry == "geodesic" else ("x", "y")
    for field, items in (("places", s.places), ("villages", s.villages)):
        for i, p in enumerate(items):
            missing = [c for c in coords if getattr(p, c) is None]
            if missing:
                # no id in the message: the line locates it, and one column's many rows read
                # as one problem
                out.append((f"{field}[{i}].{missing[0]}",
                            f"needs {' and '.join(coords)} for geometry {s.geometry}"
                            + (_WHERE_UNKNOWN if field == "villages" else "")))
    out += far_points(s)

    bases = place_ids + [v.id for v in s.villages if v.lodging]
    anywhere = place_ids + village_ids
    for i, u in enumerate(s.units):
        if u.base not in set(bases):
            out.append((f"units[{i}].base",
                        _named_instead(u.base, s, lodging_only=True) or unknown_id(u.base, "place", bases)))
        if u.end is not None and u.end not in set(anywhere):
            out.append((f"units[{i}].end",
                        _named_instead(u.end, s, lodging_only=False) or unknown_id(u.end, "place", anywhere)))
        if u.speed_kmh is None and s.travel.speed_kmh is None:
            out.append((f"units[{i}].speed_kmh", "no speed: set travel.speed_kmh or the unit's speed_kmh"))

    linked: set[str] = set()
    for i, link in enumerate(s.links):
        for end, key in ((link.from_, "from"), (link.to, "to")):
            if end not in set(anywhere):
                out.append((f"links[{i}].{key}", unknown_id(end, "place or village", anywhere)))
        linked |= {link.from_, link.to}
    for i, v in enumerate(s.villages):
        if v.access == "water" and v.id not in linked:
            out.append((f"villages[{i}].access",
                        f"village {v.id!r} is reached only by water but no link leads to it; "
                        "add an entry under links"))
    out += _closure_problems(s, village_ids)
    return out


def _closure_problems(s: "Scenario", village_ids: list[str]) -> list[tuple[str, str]]:
    """Every village and kecamatan a closure names exists (a typo would close nothing)."""
    out: list[tuple[str, str]] = []
    districts = list(dict.fromkeys(v.district for v in s.villages if v.district))
    for i, c in enumerate(s.closures):
        for n, vid in enumerate(c.villages):
            if vid not in set(village_ids):
                out.append((f"closures[{i}].villages[{n}]",
                            unknown_id(vid, "village", village_ids)))
        for n, name in enumerate(c.districts):
            if name not in set(districts):
                out.append((f"closures[{i}].districts[{n}]",
                            unknown_id(name, "kecamatan (village district)", districts)))
    for i, u in enumerate(s.units):
        for n, name in enumerate(u.districts or ()):
            if name not in set(districts):
                out.append((f"units[{i}].districts[{n}]",
                            unknown_id(name, "kecamatan (village district)", districts)))
    return out


def cross_warnings(s: "Scenario") -> list[tuple[str, Notice]]:
    """(field.path, notice) for what is allowed but probably not meant: a unit whose crew is
    larger than every staff level of the days it may work never goes out; a closure that
    begins after the deadline closes nothing (one that ended before the start is a past
    event in a re-plan's scenario, not a slip); a village name listed twice in one kecamatan
    (a row pasted twice under another code doubles its residents)."""
    out: list[tuple[str, Notice]] = []
    for i, c in enumerate(s.closures):
        if c.from_ > s.calendar.deadline:
            out.append((f"closures[{i}].from", Notice(
                "closure_after_deadline", day=str(c.from_), deadline=str(s.calendar.deadline))))
    out += _calendar_warnings(s) + _formula_like(s) + unused_settings(s)
    seen: dict[tuple[str, str], str] = {}
    for i, v in enumerate(s.villages):
        if not v.name:
            continue
        key = (" ".join(v.name.split()).casefold(), (v.district or "").casefold())
        if key in seen:
            out.append((f"villages[{i}].name", Notice(
                "village_twice", name=v.name, district=v.district or "-", first=seen[key], id=v.id)))
        else:
            seen[key] = v.id
    levels = [s.staff.weekday] + ([s.staff.weekend] if s.shift.may_work_overtime() else [])
    if None in levels:
        return out
    for i, u in enumerate(s.units):
        if u.crew > max(levels):
            out.append((f"units[{i}].crew",
                        Notice("crew_never_out", crew=u.crew, most=max(levels), unit=u.id)))
    return out


FORMULA_STARTS = ("=", "+", "-", "@")  # what a spreadsheet reads as the start of a formula


def _formula_like(s: "Scenario") -> list[tuple[str, Notice]]:
    """One notice at the first id or name that a spreadsheet opening visits.csv would take
    for a formula (`=U2` shows 0, `=HYPERLINK(...)` a link), counting the others: the CSV
    files write every text exactly, as the planner reads them back."""
    texts = [("name", s.name)]  # a batch's summary.csv
    texts += [(f"villages[{i}].{key}", getattr(v, key)) for i, v in enumerate(s.villages)
              for key in ("id", "name", "district")]
    texts += [(f"units[{i}].id", u.id) for i, u in enumerate(s.units)]
    texts += [(f"places[{i}].{key}", getattr(p, key)) for i, p in enumerate(s.places)
              for key in ("id", "name")]
    found: dict[str, str] = {}
    for path, text in texts:
        if text and len(text) > 1 and text.startswith(FORMULA_STARTS):
            found.setdefault(text, path)
    if not found:
        return []
    (text, path), count = next(iter(found.items())), len(found) - 1
    more = (Notice("formula_like_one_more") if count == 1
            else Notice("formula_like_more", count=count) if count else "")
    return [(path, Notice("formula_like", text=text, first=text[0], more=more))]


_ABBREVIATIONS = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA",
                  "Asia/Jayapura": "WIT"}


def clock_zone(lat: float, lon: float) -> Optional[str]:
    """Indonesia's clock zone at a point, where its longitude (and, for Bali against East
    Java, its latitude) tells it; None near a border that longitude cannot draw: Kalimantan
    Tengah (WIB) reaches 115.9 E beside Kalimantan Selatan (WITA) from 114.3 E, Sulawesi Utara
    (WITA) reaches 127.2 E beside Maluku Utara (WIT) from 124 E."""
    if lon < 114.3:
        return "Asia/Jakarta"
    if lon < 115.9:
        if lat < -7.9:  # Java's east end (WIB) and Bali (WITA) across the strait at 114.62 E
            return "Asia/Makassar" if lon > 114.62 else "Asia/Jakarta"
        return None  # Kalimantan's border
    if lon < 124.0:
        return "Asia/Makassar"
    return None if lon < 127.5 else "Asia/Jayapura"


@lru_cache(maxsize=32)
def _holidays(country: str, first: int, last: int, lang: str) -> dict:
    """The `holidays` package's dates and names (built once: every variant's replace warns
    anew, and building them takes milliseconds)."""
    import holidays

    return dict(holidays.country_holidays(country, years=range(first, last + 1), language=lang))


def _calendar_warnings(s: "Scenario") -> list[tuple[str, Notice]]:
    """A time zone that Indonesia's villages of the scenario do not keep (a WITA district
    left at the default Asia/Jakarta: every notice an hour early); a deadline on a public
    holiday (the election day written as the deadline, when a recording must count the day
    before); holidays that `holidays` only estimates (an Eid whose date the government fixes
    later)."""
    out: list[tuple[str, Notice]] = []
    cal = s.calendar
    points = sorted((float(v.lon), float(v.lat)) for v in s.villages
                    if v.lat is not None and v.lon is not None
                    and -11.5 <= float(v.lat) <= 6.5 and 94 <= float(v.lon) <= 141.5)
    if s.geometry == "geodesic" and cal.timezone in _ABBREVIATIONS and points:
        lon, lat = points[len(points) // 2]  # the village of the median longitude
        keep = clock_zone(lat, lon)
        if keep is not None and _ABBREVIATIONS[keep] != _ABBREVIATIONS[cal.timezone]:
            out.append(("calendar.timezone", Notice(
                "timezone_far", lon=round(lon, 1), zone=cal.timezone,
                abbr=_ABBREVIATIONS[cal.timezone], keep=f"{keep} ({_ABBREVIATIONS[keep]})")))
    if cal.holidays:
        named = {lang: _holidays(cal.holidays, cal.start.year, cal.deadline.year, lang)
                 for lang in ("en_US", "id")}
        if cal.deadline in named["en_US"]:
            out.append(("calendar.deadline", Notice(
                "deadline_holiday", day=str(cal.deadline), holiday=Worded(
                    {k: named[lang][cal.deadline] for k, lang in (("en", "en_US"), ("id", "id"))}))))
        guessed = sorted(d for d, n in named["en_US"].items()
                         if "estimated" in n and cal.start <= d <= cal.deadline)
        if guessed:
            out.append(("calendar.holidays", Notice("holidays_estimated", days=Worded({
                k: ", ".join(f"{d} ({named[lang].get(d)})" for d in guessed)
                for k, lang in (("en", "en_US"), ("id", "id"))}))))
    return out


def _named_instead(value: str, s: "Scenario", lodging_only: bool) -> Optional[str]:
    """What to write where a unit's base or end gives a place's or village's name (or a
    village that is no lodging) instead of a place id; None when it is neither."""
    wanted = " ".join(value.split()).casefold()
    for p in s.places:
        if p.name and " ".join(p.name.split()).casefold() == wanted:
            return f"{value!r} is the name of place {p.id!r}: write its id, {p.id}"
    for v in s.villages:
        if v.id == value or (v.name and " ".join(v.name.split()).casefold() == wanted):
            if not lodging_only or v.lodging:
                return f"{value!r} is the name of village {v.id!r}: write its id, {v.id}"
            return (f"{value!r} is village {v.id!r}, which is not a lodging: a unit starts from "
                    "a place (add the office under `places` with its lat and lon, and write its "
                    "id) or from a village with `lodging: true`")
    return None


def unknown_id(value: str, kind: str, valid: Iterable[str]) -> str:
    """`unknown place 'kantr'; did you mean 'kantor'? expected one of: ...` (at most ten)."""
    valid = list(dict.fromkeys(valid))
    close = difflib.get_close_matches(value, valid, n=1)
    text = f"unknown {kind} {value!r}" + (f" (did you mean {close[0]!r}?)" if close else "")
    if not valid:
        return f"{text}; there are no {kind} ids to refer to"
    more = f" (and {len(valid) - SHOWN_IDS} more)" if len(valid) > SHOWN_IDS else ""
    return f"{text}; expected one of: {', '.join(valid[:SHOWN_IDS])}{more}"


def _duplicate_ids(place_ids: list[str], village_ids: list[str],
                   unit_ids: list[str]) -> list[tuple[str, str]]:
    out = []
    for label, ids, field in (("place", place_ids, "places"), ("village", village_ids, "villages"),
                              ("unit", unit_ids, "units")):
        for vid, n in Counter(ids).items():
            if n > 1:
                i = max(i for i, x in enumerate(ids) if x == vid)
                out.append((f"{field}[{i}].id", f"duplicate {label} id {vid!r}"))
    return out
