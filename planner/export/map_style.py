"""How the maps (a district's `map.html`, the batch's `ROOT/map.html`) draw things: colours,
marker sizes, the inline SVG icons, and the map words that are not in `labels.py`.

One place for them, so that a district map, the province map and their legends agree (a
legend sample is drawn with the very colour, dash and radius of what it explains).
"""
from __future__ import annotations

import colorsys
import math
from typing import Optional

UNIT_COLOURS = ["#1f77b4", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
                "#bcbd22", "#7f7f7f", "#2ca02c", "#d62728"]
ZONE_COLOURS = {"red": "#d73027", "yellow": "#fdb827", "green": "#1a9850"}
NO_ZONE_COLOUR = "#9e9e9e"  # eligible unknown: no zone
OTHER_ZONE_COLOUR = "#2c7fb8"  # a zone the scenario names itself (e.g. `target`)
# Boat and river links: black dashes. No unit colour is that dark (the palette's darkest is
# brown, the generated ones keep a value of at least 0.55), so a unit's route under a link
# still reads as a line of another colour between the dashes.
LINK_COLOUR = "#000000"
LINK_DASH = "10 6"
LINK_WEIGHT = 3
VILLAGE_EDGE = "#222222"
UNVISITED_DASH = "4 3"  # a village the plan does not visit: a dashed outline, a paler fill
UNVISITED_FILL_OPACITY = 0.55
VISITED_FILL_OPACITY = 0.85
STAY_RADIUS = 10  # the ring of a day spent at one place (around its circle, if it has one)
LODGING_COLOUR = "#6a3d9a"
# A house, pinned at the middle of its floor: plain SVG in a Leaflet divIcon (no image files).
LODGING_ICON = ('<svg width="18" height="18" '
                'viewBox="0 0 18 18"><path d="M9 1 L17 8.5 H14.5 V17 H3.5 V8.5 H1 Z" '
                f'fill="{LODGING_COLOUR}" stroke="#ffffff" stroke-width="1.3"/></svg>')
# The province map's Disdukcapil office: a black square with a white frame (its villages are
# circles, so no village, planned or not, looks like it).
OFFICE_ICON = ('<svg width="16" height="16" viewBox="0 0 16 16"><rect x="1.5" y="1.5" '
               'width="13" height="13" fill="#000000" stroke="#ffffff" stroke-width="2"/>'
               '<rect x="5.5" y="5.5" width="5" height="5" fill="#ffffff"/></svg>')

WORDS = {
    "id": {"legend": "Legenda", "size": "Ukuran lingkaran: belum terekam",
           "unvisited": "Tidak dikunjungi (garis putus-putus)",
           "office": "Kantor (pangkalan unit)", "port": "Dermaga atau tempat lain",
           "stay": "Hari di desa tempat menginap",
           "nothing_left": "tidak ada lagi yang belum terekam",
           "province_office": "Kantor Disdukcapil", "villages": "Desa"},
    "en": {"legend": "Legend", "size": "Circle size: backlog",
           "unvisited": "Not visited (dashed outline)",
           "office": "Office (unit base)", "port": "Port or other place",
           "stay": "A day at the village where the team sleeps",
           "nothing_left": "nobody left to record",
           "province_office": "Disdukcapil office", "villages": "Villages"},
}


def word(key: str, lang: str) -> str:
    return WORDS[lang][key]


def unit_colours(n: int) -> list[str]:
    """n distinct route colours: the ten of the palette, then hues a golden angle apart (a
    province office may run more than ten units), never one twice."""
    out = list(UNIT_COLOURS[:n])
    i = 0
    while len(out) < n:
        hue = (0.07 + i * 0.618033988749895) % 1.0
        r, g, b = colorsys.hsv_to_rgb(hue, 0.85 if i % 2 else 0.55, 0.55 if i % 3 else 0.8)
        colour = f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"
        if colour not in out and colour not in ZONE_COLOURS.values():
            out.append(colour)
        i += 1
    return out


def zone_colour(zone: Optional[str]) -> str:
    if zone is None:
        return NO_ZONE_COLOUR
    return ZONE_COLOURS.get(zone, OTHER_ZONE_COLOUR)


def village_radius(backlog: int, biggest: int, smallest: float = 3, span: float = 10) -> float:
    """A village circle's radius in pixels: its area grows with the backlog."""
    return smallest + span * math.sqrt(backlog / (biggest or 1))
