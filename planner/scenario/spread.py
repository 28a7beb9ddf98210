"""Villages and places far outside the district: a coordinate typed wrong.

A latitude whose minus sign a spreadsheet dropped (`8.70` for `-8.70`), a digit slipped in a
longitude (`161.47` for `116.47`) or lat and lon swapped where both fit their ranges put a
village a thousand kilometres away; the plan would then leave it out as out of reach, or send
a unit on a trip no road makes. No kabupaten, and no province, reaches that far from the
middle of its villages, so such a point is refused, with the reading that would bring it
among the others where there is one.
"""
from __future__ import annotations

from statistics import median
from typing import TYPE_CHECKING

from geopy.distance import great_circle

if TYPE_CHECKING:
    from .model import Scenario

FAR_KM = 1000  # from the middle of the villages; Indonesia's widest province is ~500 km across


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle km (a sphere is close enough for a thousand-kilometre test)."""
    return great_circle((lat1, lon1), (lat2, lon2)).km


def far_points(s: "Scenario") -> list[tuple[str, str]]:
    """(field.path, message) for each village or place more than FAR_KM from the middle
    (median latitude and longitude) of the villages."""
    if s.geometry != "geodesic":
        return []
    located = [v for v in s.villages if v.lat is not None and v.lon is not None]
    if len(located) < 3:  # the middle of two points says nothing about which one is wrong
        return []
    mid = (median(float(v.lat) for v in located), median(float(v.lon) for v in located))
    out = []
    for field, items in (("places", s.places), ("villages", s.villages)):
        for i, p in enumerate(items):
            if p.lat is None or p.lon is None:
                continue
            lat, lon = float(p.lat), float(p.lon)
            far = _km(lat, lon, *mid)
            if far <= FAR_KM:
                continue
            kind = "place" if field == "places" else "village"
            out.append((f"{field}[{i}].lat", (
                f"{kind} {p.name or p.id!r} at lat {lat:g}, lon {lon:g} lies {far:,.0f} km from "
                f"the middle of the villages (lat {mid[0]:.2f}, lon {mid[1]:.2f}): "
                f"{_likely_fix(lat, lon, mid)}")))
    return out


def _likely_fix(lat: float, lon: float, mid: tuple[float, float]) -> str:
    if _km(-lat, lon, *mid) <= FAR_KM:
        return (f"is the minus sign of the latitude missing? (lat {-lat:g} lies among them; "
                "south of the equator is negative)")
    if abs(lon) <= 90 and _km(lon, lat, *mid) <= FAR_KM:
        return f"are lat and lon swapped? (lat {lon:g}, lon {lat:g} lies among them)"
    return ("check its lat and lon (lat is north-south, negative south of the equator; lon "
            "east-west)")
