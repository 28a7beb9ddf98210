"""A batch of districts' own outputs in ROOT: `summary.csv`, `summary.xlsx`, `map.html`.

One row per district (DESIGN §4 "Many districts") and one map with every district's villages
coloured by the zone they reach. Each file is written to a temporary name and renamed into
place, so a reader sees the old file or the new one, never half of one. The district folders
themselves are written by `folder.write_plan_folder`.

The results handed in are the batch's districts (`planner.many.DistrictResult`: `.name`,
`.scenario`, `.plan`, `.ok`), the table their rows (`planner.many.summary_table`).
"""
from __future__ import annotations

import datetime as dt
import html
import os
from pathlib import Path
from typing import Iterable, Optional

import folium
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, PatternFill

from ..causes import basis_words, limit_words
from ..changes import villages_to_tell
from ..notices import Notice
from .labels import check_lang, label, zone_label
from .leaflet_parts import HtmlPopup, HtmlTooltip, fit_to_controls, new_map, save_page
from .map_legend import add_legend, circle_row, head, icon_row, size_rows
from .map_style import NO_ZONE_COLOUR, OFFICE_ICON, village_radius, word, zone_colour
from .numbers import percent, whole
from .sheet_style import (PERCENT_FORMAT, ZONE_FILLS, fit_widths, header_row, print_setup,
                          shown_share)
from .workbook_summary import status_text
from .workbook import as_text

MARKER = ".jemput-province"  # marks ROOT as a batch's folder (its own files may be replaced)
NO_PLAN_COLOUR = "#ffffff"  # a district that has no plan: villages drawn white
NO_PLAN = "-no-plan-"  # among the fills present on the map: a village of a district without plan
PROVINCE_RADIUS = (2, 6)  # village circles: smallest radius and span (smaller than a district's)
PERCENT_COLUMNS = ("coverage_before", "coverage_after", "gap")
WRAPPED = {"district": 22, "file": 18, "limit": 24, "limit_basis": 14, "villages_to_tell": 16,
           "error": 36}
LABELLED = ("backlog", "counted", "coverage_before", "coverage_after", "gap", "status")
HEADERS = {
    "id": {"district": "Kabupaten/Kota", "file": "Berkas", "villages": "Desa",
           "zone_before": "Zona sebelum", "zone": "Zona sesudah",
           "goal_reached": "Sasaran tercapai pada", "seconds": "Detik",
           "peak_mb": "Memori puncak (MB)", "error": "Kesalahan", "no_plan": "tanpa rencana",
           "limit": "Paling membatasi (tambah satu)", "limit_gain": "Menambah (perekaman berbobot)",
           "limit_basis": "Dasar", "villages_to_tell": "Desa yang jadwalnya berubah",
           "not_on_map": "Tidak di peta ini (koordinat datar, bukan lintang/bujur)",
           "title": "Peta kabupaten/kota: zona sesudah rencana"},
    "en": {"district": "District (kabupaten/kota)", "file": "File", "villages": "Villages",
           "zone_before": "Zone before", "zone": "Zone after", "goal_reached": "Goal reached on",
           "seconds": "Seconds", "peak_mb": "Peak memory (MB)", "error": "Error",
           "no_plan": "no plan", "limit": "Limits most (one more)",
           "limit_gain": "Gain (weighted recordings)", "limit_basis": "Basis",
           "villages_to_tell": "Villages whose schedule changed",
           "not_on_map": "Not on this map (planar coordinates, not latitude/longitude)",
           "title": "Districts' map: zones after the plans"},
}


class RootFolderError(ValueError):
    """ROOT cannot be used as asked (the CLI reports it as bad input)."""


def prepare_root(root: Path, force: bool = False) -> None:
    """Create ROOT, or accept it if it is empty or an earlier batch's; a folder with other
    things in it is not written into without `force` (it may be someone's documents)."""
    root = Path(root)
    if root.exists() and not root.is_dir():
        raise RootFolderError(f"{root} exists and is not a folder")
    if root.exists() and any(root.iterdir()) and not (root / MARKER).exists() and not force:
        raise RootFolderError(f"{root} exists and does not hold earlier district plans; choose "
                              "another folder or pass --force to write into it")
    try:
        root.mkdir(parents=True, exist_ok=True)
        (root / MARKER).write_text("written by plan-routes; its summary files are replaced\n")
    except OSError as exc:  # a file where a folder of the path should be, no permission
        raise RootFolderError(f"cannot make the folder {root}: {exc.strerror or exc}") from None


def earlier_plans(root: Path, results: Iterable) -> list[Notice]:
    """One notice per folder ROOT/<name>-plan/ that holds a plan this batch did not write: its
    district failed this time, or is not among this batch's scenarios. The folder is kept
    (it may be the last good plan), but summary.csv and map.html no longer describe it."""
    from .folder import holds_plan

    root = Path(root)
    results = list(results)
    written = {r.name for r in results if r.ok}
    failed = {r.name for r in results if not r.ok}
    notices = []
    for folder in sorted(root.glob("*-plan")):
        name = folder.name[:-len("-plan")]
        if name in written or not folder.is_dir() or not holds_plan(folder):
            continue
        key = "earlier_plan_failed" if name in failed else "earlier_plan_absent"
        notices.append(Notice(key, folder=str(folder), name=name))
    return notices


def _replace(path: Path, write) -> None:
    """Call `write(tmp_path)`, then rename the finished file onto `path`; a file the system
    will not let us write (a full disk, no permission) is a RootFolderError."""
    from .folder import NOT_WRITABLE

    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        if exc.errno not in NOT_WRITABLE:
            raise
        raise RootFolderError(f"cannot write {path}: {exc.strerror or exc}; the district "
                              "folders written are whole") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write(results: Iterable, table: pd.DataFrame, root: Path, lang: str = "id") -> list[str]:
    """ROOT/summary.csv, summary.xlsx and map.html; returns their names."""
    root = Path(root)
    results = list(results)
    _replace(root / "summary.csv",
             lambda p: table.to_csv(p, index=False, lineterminator="\n", encoding="utf-8"))
    _replace(root / "summary.xlsx", lambda p: build_workbook(table, results, lang).save(p))
    _replace(root / "map.html", lambda p: save_page(build_map(results, lang), p))
    return ["summary.csv", "summary.xlsx", "map.html"]


# -- summary.xlsx --------------------------------------------------------------------------
def header(column: str, lang: str) -> str:
    """A summary column's heading in `lang`."""
    words = HEADERS[check_lang(lang)]
    if column in words:
        return words[column]
    return label(column, lang) if column in LABELLED else column


def totals(results: Iterable) -> dict:
    """The batch's totals: backlog, counted, coverage before/after over the villages whose
    eligible count is known, and the villages to tell (where an earlier plan was), in the
    planned districts."""
    backlog = counted = eligible = recorded = counted_known = 0
    for r in results:
        if not r.ok:  # not loaded, refused (a file given twice) or failed: not in the total
            continue
        by_village = r.plan.counted_by_village()
        for v in r.scenario.villages:
            backlog += v.unrecorded
            counted += by_village.get(v.id, 0)
            if v.eligible:
                eligible += v.eligible
                recorded += v.recorded if v.recorded is not None else v.eligible - v.unrecorded
                counted_known += by_village.get(v.id, 0)
    share = (lambda n: round(n / eligible, 6)) if eligible else (lambda n: None)
    told = [villages_to_tell(r.plan.report.get("changes")) for r in results if r.ok]
    return {"backlog": backlog, "counted": counted, "coverage_before": share(recorded),
            "coverage_after": share(recorded + counted_known),
            "villages_to_tell": sum(n for n in told if n is not None)
            if any(n is not None for n in told) else None}


def _total_zones(results: list, total: dict) -> dict:
    """The total row's village count (of the planned districts, as its other figures) and,
    where every planned district has the same zone thresholds, the zones of its coverage
    before and after (with different thresholds no zone is the province's: left empty)."""
    planned = [r for r in results if r.ok]
    out = {"villages": sum(len(r.scenario.villages) for r in planned)}
    targets = {tuple(sorted(r.scenario.targets.zones.items())) for r in planned}
    if len(targets) == 1:
        zones = planned[0].scenario.targets
        out.update(zone_before=zones.zone_of(total["coverage_before"]),
                   zone=zones.zone_of(total["coverage_after"]))
    return out


def build_workbook(table: pd.DataFrame, results: list, lang: str = "id") -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = label("summary", lang)
    columns = list(table.columns)
    header_row(ws, 1, [header(name, lang) for name in columns])
    rows = table.astype(object).where(table.notna(), None).to_dict("records")
    total = {"district": label("total", lang), **totals(results)}
    total.update(_total_zones(results, total))
    for r, row in enumerate(rows + [total], start=2):
        for col, name in enumerate(columns, start=1):
            value = row.get(name)
            if name in ("zone_before", "zone") and value is not None:
                cell = ws.cell(row=r, column=col, value=zone_label(value, lang))
                cell.alignment = Alignment(vertical="top")
                if value in ZONE_FILLS:
                    cell.fill = PatternFill("solid", fgColor=ZONE_FILLS[value])
                continue
            if name == "goal_reached" and value:
                value = dt.date.fromisoformat(value)
            elif name == "limit" and value:
                value = limit_words(value, lang)
            elif name == "limit_basis" and value:
                value = basis_words(value, lang)
            elif name == "status" and value:
                value = status_text(value, lang)  # `layak (belum terbukti optimal)`
            elif name in ("coverage_before", "coverage_after"):
                value = shown_share(value)  # 0.9198 reads 91.9 %, not green's 92.0 %
            cell = ws.cell(row=r, column=col, value=value)
            cell.alignment = Alignment(wrap_text=name in WRAPPED, vertical="top")
            if name in PERCENT_COLUMNS:
                cell.number_format = PERCENT_FORMAT
            elif name == "goal_reached":
                cell.number_format = "yyyy-mm-dd"
    # long texts wrap in columns of their own width, so that one page wide stays legible
    fit_widths(ws, minimum=6, wrapped={
        col: WRAPPED[name] for col, name in enumerate(columns, start=1) if name in WRAPPED})
    ws.freeze_panes = "B2"  # the header row and the district column stay in view
    print_setup(ws)  # A4 landscape, one page wide, the header row on every page
    return as_text(wb)


# -- map.html ------------------------------------------------------------------------------
def _coverages(v, counted: int) -> tuple[Optional[float], Optional[float]]:
    if not v.eligible:
        return None, None
    recorded = v.recorded if v.recorded is not None else v.eligible - v.unrecorded
    return recorded / v.eligible, (recorded + counted) / v.eligible


def _legend(present: set, biggest: int, offices: bool, lang: str,
            elsewhere: list[str] = ()) -> str:
    """The legend's rows: the zones (and the no-data and no-plan fills) some village has,
    circle sizes, the office mark, and the districts not on the map."""
    order = [z for z in ("red", "yellow", "green") if z in present]
    order += sorted(z for z in present if isinstance(z, str) and z not in order and z != NO_PLAN)
    rows = [head(f'{label("zone", lang)} ({label("coverage_after", lang)})')]
    rows += [circle_row(zone_colour(z), zone_label(z, lang)) for z in order]
    if None in present:
        rows.append(circle_row(NO_ZONE_COLOUR, label("no_data", lang)))
    if NO_PLAN in present:
        rows.append(circle_row(NO_PLAN_COLOUR, HEADERS[lang]["no_plan"]))
    rows.append(size_rows(biggest, lang, *PROVINCE_RADIUS))
    if offices:
        rows.append(icon_row(OFFICE_ICON, word("province_office", lang)))
    return "".join(rows) + _not_on_map(elsewhere, lang)


def _not_on_map(names: list[str], lang: str) -> str:
    if not names:
        return ""
    return (f'<div id="jemput-not-on-map" style="margin-top:6px;max-width:260px">'
            f'{html.escape(HEADERS[lang]["not_on_map"])}: {html.escape(", ".join(names))}</div>')


def _district_layer(r, planar: bool, biggest: int, lang: str, present: set
                    ) -> tuple[folium.FeatureGroup, list, bool]:
    """A district's villages and office; notes in `present` the fills its villages have.
    Returns the layer, the villages' points and whether an office is drawn."""
    e = html.escape
    sc = r.scenario
    group = folium.FeatureGroup(name=e(sc.name), show=True)
    counted = r.plan.counted_by_village() if r.ok else {}
    before_after = (f"{label('coverage_before', lang)} → "
                    f"{label('coverage_after', lang).split()[-1]}")
    points = []
    for v in sc.villages:
        pt = (v.y, v.x) if planar else (v.lat, v.lon)
        if pt[0] is None or pt[1] is None:
            continue
        before, after = _coverages(v, counted.get(v.id, 0))
        zone = sc.targets.zone_of(after) if after is not None else None
        present.add(zone if r.ok else NO_PLAN)
        fill = zone_colour(zone) if r.ok else NO_PLAN_COLOUR
        popup = (f"<b>{e(v.label)}</b> [{e(v.id)}]<br>{e(v.district or '–')}, {e(sc.name)}<br>"
                 f"{e(label('backlog', lang))}: {whole(v.unrecorded, lang)} · "
                 f"{e(label('counted', lang))}: "
                 f"{whole(counted.get(v.id, 0), lang) if r.ok else '–'}<br>{e(before_after)}"
                 f": {percent(before, lang)} → {percent(after, lang) if r.ok else '–'} "
                 f"({e(zone_label(zone, lang) if r.ok else HEADERS[lang]['no_plan'])})")
        marker = folium.CircleMarker(
            [float(pt[0]), float(pt[1])], radius=village_radius(v.unrecorded, biggest,
                                                               *PROVINCE_RADIUS),
            color="#222", weight=1, fill=True, fill_color=fill, fill_opacity=0.85,
            class_name="jemput-village")
        marker.add_child(HtmlTooltip(f"{e(v.label)} · {e(sc.name)}"))
        marker.add_child(HtmlPopup(popup))
        marker.add_to(group)
        points.append(pt)
    bases = {u.base for u in sc.units}
    office = False
    for p in sc.places:
        pt = (p.y, p.x) if planar else (p.lat, p.lon)
        if p.id in bases and pt[0] is not None and pt[1] is not None:
            icon = folium.DivIcon(html=OFFICE_ICON, icon_size=(16, 16), icon_anchor=(8, 8),
                                  class_name="jemput-office")
            marker = folium.Marker([float(pt[0]), float(pt[1])], icon=icon)
            name = e(p.name or p.id)
            marker.add_child(HtmlTooltip(f"{name} · {e(sc.name)}"))
            marker.add_child(HtmlPopup(f"<b>{name}</b><br>{e(word('province_office', lang))}"
                                       f" · {e(sc.name)}"))
            marker.add_to(group)
            office = True
    return group, points, office


def build_map(results: list, lang: str = "id") -> folium.Map:
    """Every district's villages, sized by backlog and coloured by the zone reached after its
    plan (white where the district has no plan), its office (a square), one layer per
    district; controls, credit and legend in the run's language, as on a district's map."""
    check_lang(lang)
    shown = [r for r in results if r.scenario is not None]
    planar = bool(shown) and all(r.scenario.geometry == "planar" for r in shown)
    # planar districts have no place on the earth's map: named in a note, not left out silently
    elsewhere = sorted(r.scenario.name for r in shown if (r.scenario.geometry == "planar") != planar)
    shown = [r for r in shown if (r.scenario.geometry == "planar") == planar]
    m = new_map(HEADERS[lang]["title"], lang, planar)
    biggest = max((v.unrecorded for r in shown for v in r.scenario.villages), default=1) or 1
    points, present, offices = [], set(), False
    for r in sorted(shown, key=lambda r: r.scenario.name):
        group, pts, office = _district_layer(r, planar, biggest, lang, present)
        group.add_to(m)
        points += pts
        offices |= office
    # collapsed: a list open over the map hides the places under it
    folium.LayerControl(collapsed=True).add_to(m)
    add_legend(m, _legend(present, biggest, offices, lang, elsewhere), lang)
    fit_to_controls(m, points, 0.03)
    return m
