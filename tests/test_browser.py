"""The map and an announcement page opened in headless Chromium, as a person would open them.

Fails on a blank page (nearly one colour), on a JavaScript error (console messages other than
a resource that could not load), and on a page whose DOM lacks the drawn content. The
browser resolves no host names (`--host-resolver-rules`), so nothing leaves the machine:
the map's background tiles fail to load, which is expected offline and tolerated; Leaflet
itself must come inlined in the page.

Needs Debian's `chromium` (tests/setup_browser.sh installs it:
`apt-get update && apt-get install -y chromium chromium-driver`); skips cleanly without it.
"""
from __future__ import annotations

import dataclasses
import re
import subprocess
from pathlib import Path

import pytest

from planner.export import announcements
from planner.export import map as map_writer
from planner.export.leaflet_parts import leaflet_folder
from planner.plan import Plan, Route, Stop

from tests.conftest import make_scenario
from tests.export.sample import D1, GEO, SUKAMAJU, hand_made_plan, hm

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="headless Chromium missing: apt-get update && apt-get install -y chromium "
           "chromium-driver (run by tests/setup_browser.sh)")

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--host-resolver-rules=MAP * ~NOTFOUND",
         "--virtual-time-budget=5000"]
RESOURCE_FAILURE = re.compile(r"Failed to load resource|net::ERR_")


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    return subprocess.run([str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=90)


def screenshot(page: Path, png: Path, tmp_path: Path, size=(1280, 900)) -> list[str]:
    """Take a screenshot; return the page's console errors (JavaScript errors and the like)."""
    run = _chromium(tmp_path, "--enable-logging=stderr", "--v=0", f"--screenshot={png}",
                    f"--window-size={size[0]},{size[1]}", page.as_uri())
    assert png.is_file(), f"no screenshot; chromium said:\n{run.stderr[-2000:]}"
    return [line for line in run.stderr.splitlines()
            if ("CONSOLE" in line or "Uncaught" in line) and not RESOURCE_FAILURE.search(line)]


def dump_dom(page: Path, tmp_path: Path) -> str:
    """The DOM after the page's scripts ran."""
    run = _chromium(tmp_path, "--dump-dom", page.as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout


def dominant_share(png: Path) -> float:
    """Share of the pixels that have the most common colour (1.0 = a blank page)."""
    from PIL import Image

    with Image.open(png) as img:
        rgb = img.convert("RGB")
        colours = rgb.getcolors(maxcolors=rgb.width * rgb.height)
        return max(n for n, _ in colours) / (rgb.width * rgb.height)


@pytest.fixture
def plan():
    """The hand-made WITA plan of the export tests (three routes, one to an island)."""
    return hand_made_plan(make_scenario(GEO))


# -- the detectors can fail --------------------------------------------------------------
def test_detectors_catch_a_script_error_and_a_blank_page(tmp_path):
    broken = tmp_path / "broken.html"
    broken.write_text("<html><body><h1>Peta</h1><script>drawMap();</script></body></html>")
    errors = screenshot(broken, tmp_path / "broken.png", tmp_path)
    assert any("drawMap is not defined" in line for line in errors)
    blank = tmp_path / "blank.html"
    blank.write_text("<html><body></body></html>")
    assert screenshot(blank, tmp_path / "blank.png", tmp_path) == []
    assert dominant_share(tmp_path / "blank.png") > 0.99


# -- the real pages ----------------------------------------------------------------------
def test_map_renders_without_errors(plan, tmp_path):
    if leaflet_folder() is None:
        pytest.skip("no local Leaflet copy (install django-js-lib-leaflet): the map needs the "
                    "internet for Leaflet, which this test cannot reach")
    map_writer.write(plan, tmp_path)
    page = tmp_path / "map.html"
    png = tmp_path / "map.png"
    errors = screenshot(page, png, tmp_path)
    assert errors == [], "\n".join(errors)
    assert dominant_share(png) < 0.97, "the map looks blank"
    dom = dump_dom(page, tmp_path)
    assert "leaflet-container" in dom
    # 3 villages + 2 places + 3 route lines + 4 stop dots + 1 boat link, as SVG paths (the
    # week layers are off, so drawn nothing)
    assert len(re.findall(r'<path[^>]*class="[^"]*leaflet-interactive', dom)) == 13
    # the unit layers in the layer control; the week layer in its own, titled control
    assert "Rute unit MK1" in dom and "Rute unit MK 2/Perahu" in dom
    assert "Minggu ke-1: 4–10 Maret 2024" in dom
    assert 'role="button">Rute per minggu</a>' in dom  # the week control's button
    assert '<div class="jemput-control-title">Rute per minggu</div>' in dom
    assert 'title="Perbesar"' in dom


def test_announcement_renders_and_prints_on_a4(plan, tmp_path):
    announcements.write(plan, tmp_path)
    page = tmp_path / "announcements" / "tamalate.html"
    png = tmp_path / "tamalate.png"
    errors = screenshot(page, png, tmp_path, size=(794, 1123))  # A4 at 96 dpi
    assert errors == [], "\n".join(errors)
    assert dominant_share(png) < 0.97, "the announcement looks blank"
    dom = dump_dom(page, tmp_path)
    for village in ("Sukamaju", "Bonto Tangnga"):
        assert village in dom
    pdf = tmp_path / "tamalate.pdf"
    run = _chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    assert pdf.is_file(), run.stderr[-2000:]
    boxes = re.findall(rb"MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf.read_bytes())
    assert boxes, "no page in the PDF"
    for width, height in boxes:  # A4: 595 x 842 points
        assert abs(float(width) - 595.3) < 2 and abs(float(height) - 841.9) < 2


def test_the_send_page_renders_on_a_phone_screen(plan, tmp_path):
    announcements.write(plan, tmp_path)
    page = tmp_path / "messages" / "kirim-whatsapp.html"
    png = tmp_path / "send.png"
    errors = screenshot(page, png, tmp_path, size=(412, 915))  # a phone, portrait
    assert errors == [], "\n".join(errors)
    assert dominant_share(png) < 0.97, "the send page looks blank"
    dom = dump_dom(page, tmp_path)
    assert dom.count("<section") == 3 and "Kecamatan Tamalate" in dom


def test_a_re_plans_send_page_renders_with_the_repeats_folded(plan, tmp_path):
    changes = {"villages": [{"village_id": SUKAMAJU, "change": "changed",
                             "earlier": "2024-03-04 09:00-11:00"}]}
    announcements.write(dataclasses.replace(plan, report={"changes": changes}), tmp_path)
    page = tmp_path / "messages" / "kirim-whatsapp.html"
    errors = screenshot(page, tmp_path / "send.png", tmp_path, size=(412, 915))
    assert errors == [], "\n".join(errors)
    dom = dump_dom(page, tmp_path)
    assert dom.count("<section") == 3 and dom.count('<details class="same">') == 1


def test_map_survives_names_with_quotes_backticks_and_tags(tmp_path):
    """Village and place names are free text: none of them may break the page's script."""
    if leaflet_folder() is None:
        pytest.skip("no local Leaflet copy (install django-js-lib-leaflet)")
    hostile = "Suka`maju ${alert(1)} </script><b>\"O'Neil\" & \\n"
    data = {**GEO,
            "places": [{**GEO["places"][0], "name": hostile}] + GEO["places"][1:],
            "villages": [{**GEO["villages"][0], "name": hostile}] + GEO["villages"][1:]}
    scenario = make_scenario(data)
    route = Route("MK1", D1, "weekday", hm(8), hm(15), (
        Stop(SUKAMAJU, hm(8, 20), hm(8, 30), hm(12), 84, hm(0, 20)),), hm(0, 40))
    map_writer.write(Plan(scenario, (route,)), tmp_path)
    page = tmp_path / "map.html"
    errors = screenshot(page, tmp_path / "hostile.png", tmp_path)
    assert errors == [], "\n".join(errors)
    dom = dump_dom(page, tmp_path)
    assert dom.count("leaflet-interactive") >= 5  # 3 villages, 2 places, route, stop dot


# -- what a reader sees when the map opens, and on paper ---------------------------------
CHECKER = """<script>
window.addEventListener("load", function () { setTimeout(function () {
  var map = Object.values(window).find(function (v) { return v instanceof L.Map; });
  function hidden(width, height) {
    var box = map.getContainer().getBoundingClientRect();
    var boxes = Array.from(document.querySelectorAll(".leaflet-control, #jemput-legend"))
      .map(function (e) { return e.getBoundingClientRect(); });
    var out = [];
    map.eachLayer(function (l) {
      if (!(l instanceof L.CircleMarker) || !/^#222/.test(l.options.color)) { return; }
      var p = map.latLngToContainerPoint(l.getLatLng());
      var x = p.x + box.left, y = p.y + box.top;
      var under = boxes.some(function (r) {
        return x >= r.left && x <= r.right && y >= r.top && y <= r.bottom; });
      if (under || p.x < 0 || p.y < 0 || p.x > width || p.y > height) {
        out.push(l.getTooltip() ? l.getTooltip().getContent() : "?");
      }
    });
    return out;
  }
  var result = {open: hidden(window.innerWidth, window.innerHeight)};
  map.setView(map.getCenter(), map.getZoom() + 3, {animate: false});  // a reader zooms in
  window.dispatchEvent(new Event("beforeprint"));
  // A4 landscape at 96 px to the inch, 8 mm margins: 281 x 194 mm
  result.printed = hidden(281 / 25.4 * 96, 194 / 25.4 * 96);
  window.dispatchEvent(new Event("afterprint"));
  document.body.setAttribute("data-hidden", JSON.stringify(result));
}, 300); });
</script>"""


def hidden_villages(page: Path, tmp_path: Path, size: tuple[int, int]) -> dict:
    """The villages under a control or off the window when `page` opens at `size`, and those
    off an A4 landscape page or under a control when it is printed after zooming in."""
    import html as html_lib
    import json

    checked = page.with_name(f"checked-{size[0]}x{size[1]}.html")
    checked.write_text(page.read_text(encoding="utf-8").replace("</body>", CHECKER + "</body>"),
                       encoding="utf-8")
    run = _chromium(tmp_path, f"--window-size={size[0]},{size[1]}", "--dump-dom",
                    checked.as_uri())
    found = re.search(r'data-hidden="([^"]*)"', run.stdout)
    assert found, run.stderr[-2000:]
    return json.loads(html_lib.unescape(found.group(1)))


# villages in every corner of the map, where the controls sit: a span about as wide as a
# laptop screen (16:9), so that the fit leaves little room beyond them
CORNERS = {**GEO, "villages": [
    {**GEO["villages"][0], "lat": -5.0, "lon": 119.1},
    {**GEO["villages"][1], "lat": -5.0, "lon": 119.81},
    {**GEO["villages"][2], "lat": -5.4, "lon": 119.1, "access": "road"},
    {"id": "7371010003", "name": "Pojok", "district": "Tamalate", "lat": -5.4, "lon": 119.81,
     "eligible": 300, "recorded": 100}], "links": []}


@pytest.mark.parametrize("size", [(1366, 768), (1400, 900), (1920, 1080)])
def test_every_village_is_clear_of_the_controls_on_screen_and_on_paper(size, tmp_path):
    if leaflet_folder() is None:
        pytest.skip("no local Leaflet copy (install django-js-lib-leaflet)")
    scenario = make_scenario(CORNERS)
    route = Route("MK1", D1, "weekday", hm(8), hm(15), (
        Stop(SUKAMAJU, hm(8, 20), hm(8, 30), hm(12), 84, hm(0, 20)),), hm(0, 40))
    map_writer.write(Plan(scenario, (route,)), tmp_path)
    found = hidden_villages(tmp_path / "map.html", tmp_path, size)
    assert found == {"open": [], "printed": []}


def test_the_province_map_opens_and_prints_with_every_village_clear(tmp_path):
    """`ROOT/map.html` fits like a district's map; its legend is a control that folds."""
    if leaflet_folder() is None:
        pytest.skip("no local Leaflet copy (install django-js-lib-leaflet)")
    from planner.export import province
    from planner.many import DistrictResult, summary_table

    scenario = make_scenario(CORNERS)
    results = [DistrictResult("corners", "corners.yaml", scenario, Plan(scenario, ()))]
    province.write(results, summary_table(results), tmp_path, "id")
    page = tmp_path / "map.html"
    errors = screenshot(page, tmp_path / "province.png", tmp_path, size=(1366, 768))
    assert errors == [], "\n".join(errors)
    assert hidden_villages(page, tmp_path, (1366, 768)) == {"open": [], "printed": []}
    dom = dump_dom(page, tmp_path)
    assert re.search(r'class="leaflet-control jemput-legend" id="jemput-legend">'
                     r'<details open=""><summary>Legenda</summary>', dom)
    assert 'title="Perbesar"' in dom and "kontributor OpenStreetMap" in dom
