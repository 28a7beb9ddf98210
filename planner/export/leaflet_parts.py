"""The Leaflet parts of `map.html` that folium lacks or fetches from a CDN, in plain Leaflet so
the page works offline: the inlined library, popups and tooltips bound without jQuery, a second
layer control with a title (the week layers), zoom and scale controls in the run's language,
and a fit to the drawn places that keeps them clear of the controls, on screen and on paper.
"""
from __future__ import annotations

import base64
import html
import re
import threading
from pathlib import Path
from typing import Optional

import branca.element
import folium
from branca.element import Element, MacroElement
from jinja2 import Template

from .labels import label

CDN_JS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js"
CDN_CSS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.css"


class Verbatim(Element):
    """A piece of the page that is already final text: drawn as it is, never read as a jinja
    template. branca wraps every element's drawn script in an `Element(text)`, which compiles
    that text as a template again: thousands of compiles on a large plan (most of the time of
    map.html), and a name holding `{{ ... }}` evaluated, or `{%` refused, in the page."""

    def __init__(self, text: Optional[str] = None, template_name: Optional[str] = None):
        super().__init__(template_name=template_name)
        # as a template drew it: line ends as `\n`, one line end at the very end dropped
        self._text = None if text is None else re.sub(r"\r\n|\r", "\n", text).removesuffix("\n")

    def render(self, **kwargs) -> str:
        return super().render(**kwargs) if self._text is None else self._text


_SAVING = threading.Lock()  # branca's module is swapped while one page is drawn


def save_page(figure: folium.Map, path: Path) -> None:
    """Write `figure` to `path` with numbered ids (`numbered_ids`), every drawn piece kept as
    the text it is (`Verbatim`): branca's own `Element`, which its elements wrap their drawn
    script in, is swapped for `Verbatim` while the page is drawn, then put back."""
    with _SAVING:
        original = branca.element.Element
        branca.element.Element = Verbatim
        try:
            numbered_ids(figure).save(str(path))
        finally:
            branca.element.Element = original


# -- Leaflet assets ------------------------------------------------------------------------
def leaflet_folder() -> Optional[Path]:
    """A folder holding leaflet.js and leaflet.css on this machine, if any."""
    candidates = []
    try:
        from importlib.resources import files

        candidates.append(Path(str(files("js_lib_leaflet"))) / "static" / "js_lib_leaflet")
    except (ImportError, ModuleNotFoundError, TypeError):
        pass
    candidates.append(Path("/usr/share/javascript/leaflet"))
    for folder in candidates:
        if (folder / "leaflet.js").is_file() and (folder / "leaflet.css").is_file():
            return folder
    return None


def _inline_css(folder: Path) -> str:
    """leaflet.css with its images turned into data: URIs (the layer-control icon)."""
    css = (folder / "leaflet.css").read_text(encoding="utf-8")

    def data_uri(match: re.Match) -> str:
        image = folder / match.group(1)
        if not image.is_file():
            return "none"
        encoded = base64.b64encode(image.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{encoded})"

    return re.sub(r"url\((?:['\"])?(images/[^'\")]+\.png)(?:['\"])?\)", data_uri, css)


def use_leaflet(m: folium.Map) -> bool:
    """Inline a local Leaflet into the page; True if done, False if the CDN is used."""
    folder = leaflet_folder()
    m.default_css = [] if folder else [("leaflet_css", CDN_CSS)]
    m.default_js = [] if folder else [("leaflet", CDN_JS)]
    if folder is None:
        return False
    js = (folder / "leaflet.js").read_text(encoding="utf-8").replace("</script", "<\\/script")
    header = m.get_root().header
    header.add_child(Verbatim(f"<style>{_inline_css(folder)}</style>"), name="leaflet_css_inline")
    header.add_child(Verbatim(f"<script>{js}</script>"), name="leaflet_js_inline")
    return True


class HtmlText(MacroElement):
    """A popup or tooltip bound with Leaflet's own `bindPopup(html)` / `bindTooltip(html)`.

    folium's `Popup` builds its content with jQuery (`$(...)`), one more library to load
    from a CDN, and its `Tooltip` pastes the text raw into a JavaScript template literal (a
    backtick in a village name would break the page). Here the HTML goes in as a JSON string.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this._parent.get_name() }}.{{ this.method }}({{ this.html|tojson }}"
        "{% if this.method == 'bindPopup' %}, {maxWidth: 360}{% endif %});"
        "{% endmacro %}")

    def __init__(self, html_text: str, tooltip: bool = False):
        super().__init__()
        self._name = "HtmlText"
        self.html = html_text
        self.method = "bindTooltip" if tooltip else "bindPopup"


def HtmlPopup(html_text: str) -> HtmlText:  # noqa: N802 (reads like the folium class)
    return HtmlText(html_text)


def HtmlTooltip(html_text: str) -> HtmlText:  # noqa: N802
    return HtmlText(html_text, tooltip=True)



class LayerControlWithTitle(MacroElement):
    """A second Leaflet layer control for `layers` (name -> folium layer), collapsed behind a
    button that says `title`: plain Leaflet, so it works offline like the rest of the page."""

    _template = Template("""{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.control.layers(null, {
{%- for name, layer in this.layers %}
  {{ name|tojson }}: {{ layer.get_name() }},
{%- endfor %}
}, {collapsed: true, position: "topright"}).addTo({{ this._parent.get_name() }});
(function (control, title) {
  var box = control.getContainer();
  box.classList.add("jemput-titled");
  var button = box.querySelector(".leaflet-control-layers-toggle");
  button.textContent = title;
  button.title = title;
  var list = box.querySelector(".leaflet-control-layers-list");
  var head = document.createElement("div");
  head.className = "jemput-control-title";
  head.textContent = title;
  list.insertBefore(head, list.firstChild);
})({{ this.get_name() }}, {{ this.title|tojson }});
{% endmacro %}""")

    def __init__(self, title: str, layers: list[tuple[str, folium.FeatureGroup]]):
        super().__init__()
        self._name = "LayerControlWithTitle"
        self.title = title
        self.layers = layers


class LocalControls(MacroElement):
    """Leaflet's zoom buttons titled in the run's language, and a metric-only scale."""

    _template = Template("""{% macro script(this, kwargs) %}
L.control.zoom({zoomInTitle: {{ this.zoom_in|tojson }},
                zoomOutTitle: {{ this.zoom_out|tojson }}}).addTo({{ this._parent.get_name() }});
{% if this.scale %}
L.control.scale({imperial: false}).addTo({{ this._parent.get_name() }});
{% endif %}
{% endmacro %}""")

    def __init__(self, lang: str, scale: bool):
        super().__init__()
        self._name = "LocalControls"
        self.zoom_in = label("zoom_in", lang)
        self.zoom_out = label("zoom_out", lang)
        self.scale = scale


CONTROL_CSS = """<style>
.jemput-titled .leaflet-control-layers-toggle { background-image: none; width: auto;
  height: auto; padding: 6px 10px; font: bold 13px/1.3 Arial, Helvetica, sans-serif;
  color: #222; text-decoration: none; }
.jemput-control-title { font: bold 13px/1.6 Arial, Helvetica, sans-serif; }
</style>"""


def new_map(title: str, lang: str, planar: bool) -> folium.Map:
    """An empty map: flat (km) for planar scenarios, else OpenStreetMap tiles credited in the
    run's language (no base-layer switch: there is one base layer); Leaflet inlined; zoom and
    scale (km only) controls in the run's language; the page titled `title`."""
    if planar:
        m = folium.Map(location=None, tiles=None, crs="Simple", zoom_start=1, control_scale=False,
                       zoom_control=False)
    else:
        m = folium.Map(location=None, tiles=None, zoom_start=10, zoom_control=False,
                       zoom_snap=0.25)
        folium.TileLayer("OpenStreetMap", attr=label("attribution", lang), control=False).add_to(m)
    use_leaflet(m)
    root = m.get_root()
    root.header.add_child(Verbatim(f"<title>{html.escape(title)}</title>"), name="page_title")
    root.header.add_child(Verbatim(CONTROL_CSS), name="jemput_control_css")
    m.add_child(LocalControls(lang, scale=not planar))
    return m


class FitToControls(MacroElement):
    """Fit the map to `bounds` ([[south, west], [north, east]]) leaving room for the controls
    in its corners (the legend and zoom at the left, the layer lists at the right, scale and
    credit at the bottom), so that no drawn place opens hidden under one; fitted again when
    the window changes size, until the reader drags or zooms the map. Before printing,
    the map takes the size of an A4 landscape page (set by `PRINT_CSS`) and is fitted again;
    after printing it goes back to the view the reader had. Add it after every control."""

    _template = Template("""{% macro script(this, kwargs) %}
(function (map, bounds) {
  function room() {
    var box = map.getContainer().getBoundingClientRect();
    var left = 0, right = 0, bottom = 0;
    map.getContainer().querySelectorAll(".leaflet-control").forEach(function (c) {
      var r = c.getBoundingClientRect(), corner = c.parentNode.classList;
      if (!r.width || !r.height) { return; }
      if (corner.contains("leaflet-bottom")) { bottom = Math.max(bottom, box.bottom - r.top); }
      else if (corner.contains("leaflet-left")) { left = Math.max(left, r.right - box.left); }
      else { right = Math.max(right, box.right - r.left); }
    });
    var most = 0.6 * box.width;  // a narrow screen: the places before the controls
    if (left + right > most) { left *= most / (left + right); right *= most / (left + right); }
    bottom = Math.min(bottom, 0.3 * box.height);
    return {paddingTopLeft: [left + 8, 12], paddingBottomRight: [right + 8, bottom + 8],
            animate: false};
  }
  var touched = false, fitting = false;  // refitted on resizes until the reader moves it
  function fit() { fitting = true; map.fitBounds(bounds, room()); fitting = false; }
  map.on("dragstart zoomstart", function () { if (!fitting) { touched = true; } });
  map.on("resize", function () { if (!touched) { fit(); } });
  fit();
  var seen = null;
  window.addEventListener("beforeprint", function () {
    seen = {center: map.getCenter(), zoom: map.getZoom()};
    var c = map.getContainer();
    c.style.width = "{{ this.paper[0] }}mm";
    c.style.height = "{{ this.paper[1] }}mm";
    map.invalidateSize({pan: false});
    fit();
  });
  window.addEventListener("afterprint", function () {
    var c = map.getContainer();
    c.style.width = "";
    c.style.height = "";
    map.invalidateSize({pan: false});
    if (seen) { map.setView(seen.center, seen.zoom, {animate: false}); }
  });
})({{ this._parent.get_name() }}, {{ this.bounds|tojson }});
{% endmacro %}""")

    def __init__(self, bounds: list[list[float]]):
        super().__init__()
        self._name = "FitToControls"
        self.bounds = bounds
        self.paper = PRINT_AREA


PRINT_MARGIN_MM = 8
PRINT_AREA = (297 - 2 * PRINT_MARGIN_MM, 210 - 2 * PRINT_MARGIN_MM - 1)  # A4 landscape, mm
PRINT_CSS = ("<style>@page { size: A4 landscape; margin: %dmm; }</style>" % PRINT_MARGIN_MM)


def fit_to_controls(m: folium.Map, points: list[tuple[float, float]], share: float) -> None:
    """Fit `m` to `points` with a margin of `share` of their span, clear of the controls."""
    if not points:
        return
    lats, lons = [float(p[0]) for p in points], [float(p[1]) for p in points]
    pad = share * max(max(lats) - min(lats), max(lons) - min(lons), 1e-3)
    m.get_root().header.add_child(Verbatim(PRINT_CSS), name="jemput_print_css")
    m.add_child(FitToControls([[min(lats) - pad, min(lons) - pad],
                               [max(lats) + pad, max(lons) + pad]]), name="fit_to_controls")


def numbered_ids(figure: folium.Map) -> folium.Map:
    """`figure` with every element's id (branca draws a random one) numbered in drawing order,
    so that the same plan gives the same page byte for byte (DESIGN §4 `--deterministic`)."""
    count = 0

    def walk(element) -> None:
        nonlocal count
        element._id = f"{count:032x}"
        count += 1
        for child in list(getattr(element, "_children", {}).values()):
            walk(child)

    walk(figure.get_root())
    return figure
