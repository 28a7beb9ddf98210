"""The maps' legend: a Leaflet control at the top left, under the zoom buttons, that folds
away (an HTML `<details>`, open when the page opens on a screen at least 700 px wide).

Every sample is a small inline SVG drawn with the colour, dash and size of what it explains
(`map_style`), and the rows are only those of things the map shows.
"""
from __future__ import annotations

import html

import folium
from branca.element import MacroElement
from jinja2 import Template

from .leaflet_parts import Verbatim
from .map_style import (LINK_COLOUR, LINK_DASH, LINK_WEIGHT, LODGING_ICON, STAY_RADIUS,
                        UNVISITED_DASH, UNVISITED_FILL_OPACITY, VILLAGE_EDGE, village_radius,
                        word)
from .numbers import whole

LEGEND_CSS = """<style>
.jemput-legend { background: rgba(255,255,255,0.94); padding: 6px 10px; border: 1px solid #777;
  border-radius: 4px; font: 12px/1.4 Arial, Helvetica, sans-serif; max-width: 260px;
  max-height: calc(100vh - 140px); overflow-y: auto; }
.jemput-legend summary { font: bold 13px/1.6 Arial, Helvetica, sans-serif; cursor: pointer; }
.jemput-legend .head { font-weight: bold; margin-top: 4px; }
.jemput-legend svg { vertical-align: middle; margin-right: 6px; }
.jemput-legend .sizes span { display: inline-block; text-align: center; margin-right: 8px; }
.jemput-legend .sizes svg { display: block; margin: 0 auto; }
@media print { .jemput-legend { max-height: none; overflow: visible; } }
</style>"""


class Legend(MacroElement):
    """The legend control: `body` (HTML) under a summary line saying `title`."""

    _template = Template("""{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.control({position: "topleft"});
{{ this.get_name() }}.onAdd = function () {
  var box = L.DomUtil.create("div", "leaflet-control jemput-legend");
  box.id = "jemput-legend";
  box.innerHTML = {{ this.html|tojson }};
  if (window.innerWidth < 700) { box.querySelector("details").open = false; }
  L.DomEvent.disableClickPropagation(box);
  L.DomEvent.disableScrollPropagation(box);
  return box;
};
{{ this.get_name() }}.addTo({{ this._parent.get_name() }});
{% endmacro %}""")

    def __init__(self, title: str, body: str):
        super().__init__()
        self._name = "Legend"
        self.html = f"<details open><summary>{html.escape(title)}</summary>{body}</details>"


def add_legend(m: folium.Map, body: str, lang: str) -> None:
    """The legend on `m` (before the map is fitted, which makes room for it)."""
    m.get_root().header.add_child(Verbatim(LEGEND_CSS), name="jemput_legend_css")
    m.add_child(Legend(word("legend", lang), body), name="legend")


# -- rows ----------------------------------------------------------------------------------
def head(text: str) -> str:
    return f'<div class="head">{html.escape(text)}</div>'


def _row(sample: str, text: str) -> str:
    return f"<div>{sample}{html.escape(text)}</div>"


def line_row(colour: str, text: str, dash: str | None = None, weight: float = 3) -> str:
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return _row(f'<svg width="26" height="8"><line x1="1" y1="4" x2="25" y2="4" '
                f'stroke="{colour}" stroke-width="{weight}"{dashes}/></svg>', text)


def link_row(text: str) -> str:
    return line_row(LINK_COLOUR, text, LINK_DASH, LINK_WEIGHT)


def circle_row(fill: str, text: str, radius: float = 5.5, edge: str = VILLAGE_EDGE,
               weight: float = 1, dash: str | None = None, fill_opacity: float = 1) -> str:
    size = 2 * (radius + weight) + 1
    c = size / 2
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    filling = (f'fill="{fill}" fill-opacity="{fill_opacity}"' if fill != "none"
               else 'fill="none"')
    return _row(f'<svg width="{size:g}" height="{size:g}"><circle cx="{c:g}" cy="{c:g}" '
                f'r="{radius:g}" {filling} stroke="{edge}" stroke-width="{weight:g}"{dashes}/>'
                f'</svg>', text)


def unvisited_row(lang: str) -> str:
    return circle_row("#bdbdbd", word("unvisited", lang), radius=6, weight=2,
                      dash=UNVISITED_DASH, fill_opacity=UNVISITED_FILL_OPACITY)


def stay_row(lang: str) -> str:
    return circle_row("none", word("stay", lang), radius=STAY_RADIUS - 3, edge="#555555",
                      weight=2.5)


def lodging_row(text: str) -> str:
    return f'<div><span style="line-height:0">{LODGING_ICON}</span> {html.escape(text)}</div>'


def icon_row(svg: str, text: str) -> str:
    return _row(svg, text)


def size_rows(biggest: int, lang: str, smallest: float = 3, span: float = 10) -> str:
    """Circles of three backlogs (the biggest, about a quarter and a twentieth of it), drawn
    at the radius the map gives them, with their numbers."""
    if biggest <= 0:
        return ""
    shown = sorted({biggest, _round(biggest / 4), _round(biggest / 20)} - {0}, reverse=True)
    cells = []
    for n in shown:
        r = village_radius(n, biggest, smallest, span)
        size = 2 * r + 2
        cells.append(f'<span><svg width="{size:.0f}" height="{size:.0f}"><circle '
                     f'cx="{size / 2:.1f}" cy="{size / 2:.1f}" r="{r:.1f}" fill="#dddddd" '
                     f'stroke="{VILLAGE_EDGE}" stroke-width="1"/></svg>{whole(n, lang)}</span>')
    return head(word("size", lang)) + f'<div class="sizes">{"".join(cells)}</div>'


def _round(n: float) -> int:
    """`n` to one or two significant figures (1,234 -> 1,200; 48 -> 50; 7 -> 7)."""
    if n < 10:
        return round(n)
    step = 10 ** (len(str(int(n))) - 2)
    return int(round(n / step) * step)
