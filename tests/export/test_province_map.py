"""The batch's `ROOT/map.html` and `ROOT/summary.xlsx` (planner.export.province): offices told
apart from villages and in the legend, only the fills the map has in the legend, Leaflet's
words in the run's language, popups that say before → after; the workbook prints one page
wide with its header on every page, and its total row has the village count and the zones."""
from __future__ import annotations

import html
import json
import re

import pytest

from planner.export import province
from planner.many import DistrictResult, summary_table
from planner.plan import Plan
from tests.conftest import make_scenario
from tests.export.sample import GEO, hand_made_plan, map_script


def _results(failed: bool = False) -> list:
    geo = make_scenario(GEO)
    out = [DistrictResult("geo", "geo.yaml", geo, hand_made_plan(geo))]
    other = make_scenario({**GEO, "name": "Kabupaten Lain"})
    out.append(DistrictResult("lain", "lain.yaml", other, Plan(other, ())))
    if failed:
        out[-1].fail(["lain.yaml:1: solver: out of time"], bad_input=False)
    return out


def _page(tmp_path, results, lang):
    province.write(results, summary_table(results), tmp_path, lang)
    return map_script(tmp_path / "map.html")


def _legend(script: str) -> str:
    return json.loads(re.search(r'box\.innerHTML = ("(?:[^"\\]|\\.)*");', script).group(1))


def _popups(script: str) -> list[str]:
    return [html.unescape(json.loads(p))
            for p in re.findall(r'bindPopup\(("(?:[^"\\]|\\.)*")', script)]


def test_offices_are_squares_in_the_legend_and_only_fills_present_are_listed(tmp_path):
    script = _page(tmp_path, _results(), "id")
    legend = _legend(script)
    # two districts, two offices: a square mark, not a white circle like a village
    assert script.count('"className": "jemput-office"') == 2
    assert '"fillColor": "#ffffff"' not in script
    assert "Kantor Disdukcapil" in legend
    assert "tanpa rencana" not in legend  # every district has a plan
    assert "tanpa data jumlah wajib KTP" in legend  # Pulau Barrang: no eligible count
    assert "merah" in legend and "Ukuran lingkaran: belum terekam" in legend
    failed = _legend(_page(tmp_path, _results(failed=True), "id"))
    assert "tanpa rencana" in failed


def test_the_province_map_speaks_the_runs_language(tmp_path):
    script = _page(tmp_path, _results(), "id")
    assert '"Perbesar"' in script and '"Perkecil"' in script and "Zoom in" not in script
    assert "kontributor OpenStreetMap" in script and "contributors" not in script
    assert "imperial: false" in script
    base = re.search(r'base_layers\s*:\s*\{(.*?)\}', script, re.S)
    assert base is None or not base.group(1).strip()  # no lone base-layer radio button
    popup = next(p for p in _popups(script) if p.startswith("<b>Sukamaju</b>"))
    assert "Cakupan sebelum → sesudah: 90,0 % → " in popup
    english = _page(tmp_path, _results(), "en")
    popup = next(p for p in _popups(english) if p.startswith("<b>Sukamaju</b>"))
    assert "Coverage before → after: 90.0 % → " in popup and '"Zoom in"' in english
    assert re.search(r'"collapsed": true', english)


def test_the_summary_workbook_prints_and_totals_its_villages_and_zones(tmp_path):
    import openpyxl

    results = _results()
    province.write(results, summary_table(results), tmp_path, "id")
    ws = openpyxl.load_workbook(tmp_path / "summary.xlsx").active
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0 and ws.print_title_rows == "$1:$1"
    assert ws.freeze_panes == "B2"
    head = [c.value for c in ws[1]]
    total = dict(zip(head, [c.value for c in ws[ws.max_row]]))
    assert total["Kabupaten/Kota"] == "Jumlah" and total["Desa"] == 6
    totals = province.totals(results)
    geo = results[0].scenario.targets
    assert total["Zona sesudah"] == {"red": "merah", "yellow": "kuning", "green": "hijau"}[
        geo.zone_of(totals["coverage_after"])]
    assert total["Zona sebelum"] is not None


def test_the_total_has_no_zone_where_districts_differ_in_thresholds(tmp_path):
    import openpyxl

    results = _results()
    strict = make_scenario({**GEO, "name": "Ketat", "targets": {"zones": {"yellow": 0.95,
                                                                          "green": 0.99}}})
    results[1] = DistrictResult("ketat", "ketat.yaml", strict, Plan(strict, ()))
    province.write(results, summary_table(results), tmp_path, "en")
    ws = openpyxl.load_workbook(tmp_path / "summary.xlsx").active
    total = dict(zip([c.value for c in ws[1]], [c.value for c in ws[ws.max_row]]))
    assert total["Villages"] == 6 and total["Zone after"] is None


def test_a_full_disk_under_root_is_one_line_not_an_internal_error(tmp_path):
    # `ulimit -f 100` (or a full disk) ended a batch in "internal error: OSError: File too large"
    import errno

    def disk_full(tmp):
        tmp.write_text("district,bac", encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(province.RootFolderError,
                       match=r"^cannot write .*summary\.csv: No space left on device; the "
                             r"district folders written are whole$"):
        province._replace(tmp_path / "summary.csv", disk_full)
    assert list(tmp_path.iterdir()) == []
