"""Every writer together (`write_all`): an empty plan, a greedy plan read back whole, and one
language per run: the outputs of a `--lang id` run hold no English word and those of a
`--lang en` run no Indonesian one (the announcements are Indonesian in both, by contract)."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import matplotlib.text
import openpyxl
import pandas as pd
import pytest

from planner.baseline import plan_greedy
from planner.export import coverage_chart, terminal, write_all
from planner.export.folder import render_files, write_plan_folder
from planner.plan import Plan, hms
from tests.export.sample import ZONE, events, map_script, parse, table, visible_text, visit_rows

# Words that would betray the other language; matched whole and case-sensitive (JavaScript
# option names of the map, such as "weight" or "zoom", are lower-case and not listed).
EN_WORDS = """Summary Visits visits Village District Recorded recorded Total Counted counted
Coverage Backlog Goal reached Deadline Leaves leaves Depart Arrive Return Start End Date Day
Week Zone Zoom contributors Solver Method Overtime Travel Expected Location weekday weekend
holiday boat min yes green yellow red January February March May June July August October
December Monday Tuesday Wednesday Thursday Friday Saturday Sunday Aug Oct Dec Night Nights night
nights away Lodging Lodgings lodging From again overnight trips""".split()
ID_WORDS = """Ringkasan Kunjungan kunjungan Desa Kecamatan Kec Direkam Berangkat berangkat
Perekaman perekaman Tiba Mulai Selesai Kembali Terhitung terhitung Cakupan Sasaran tercapai
Batas waktu Lembur perahu menit Tanggal Hari hari Jumlah merah kuning hijau Pemecah Urutan
sebelum sesudah tanpa Tanpa dari dan pada yang Rute Lapisan Perbesar Perkecil kontributor peta
Belum Alasan Zona ya tidak pulang Lokasi Perkiraan sinyal Senin Selasa Rabu Kamis Jumat Sabtu
Minggu Januari Februari Maret Mei Juni Juli Agustus Oktober Desember Agu Okt Des Menginap
menginap Penginapan penginapan Dari lagi perjalanan bermalam""".split()
CONTRACT_VALUES = ("day_type", "overtime")  # enumerations of the CSV contract, not prose
# summary.json values that are identifiers, not prose: zone names are the scenario's own keys
# (`targets.zones`), the solver's status and method are technical names.
CONTRACT_KEYS = ("zone", "zone_after", "status", "method")


def test_every_writer_copes_with_an_empty_plan(geo_scenario, tmp_path):
    plan = Plan(geo_scenario, ())
    write_all(plan, tmp_path)
    cal, evs = events(tmp_path / "calendar" / "MK1.ics")
    assert evs == [] and [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == [ZONE]
    # no visit at all: every kecamatan gets the letter saying so
    assert sorted(p.name for p in (tmp_path / "announcements").iterdir()) == [
        "tamalate.html", "ujung-tanah.html"]
    assert "belum mendapat kunjungan" in visible_text(tmp_path / "announcements" / "tamalate.html")
    wb = openpyxl.load_workbook(tmp_path / "schedule.xlsx")
    assert wb["Unit MK1"]["A2"].value == "Tidak ada kunjungan"
    assert (tmp_path / "map.html").stat().st_size > 0
    assert (tmp_path / "progress.png").stat().st_size > 0
    assert "88,0 % → 88,0 %" in terminal.render(plan)


@pytest.fixture(scope="module")
def greedy_plan():
    from tests.conftest import make_scenario
    from tests.export.sample import GEO

    return plan_greedy(make_scenario(GEO))


def test_greedy_plan_round_trip(greedy_plan, tmp_path):
    plan = greedy_plan
    rows = visit_rows(plan)
    assert rows, "the greedy plan should visit something"
    write_all(plan, tmp_path)
    _, evs = events(tmp_path / "calendar" / "all.ics")
    assert len(evs) == len(rows)
    zone = ZoneInfo(ZONE)
    assert sorted(e.decoded("DTSTART") for e in evs) == sorted(
        dt.datetime.combine(dt.date.fromisoformat(r["date"]), dt.time.fromisoformat(r["start"]),
                            tzinfo=zone) for r in rows)
    wb = openpyxl.load_workbook(tmp_path / "schedule.xlsx")
    recorded = sum(r["Direkam"] for ws in wb.worksheets[1:1 + len(plan.scenario.units)]
                   for r in table(ws)[1] if r.get("Direkam") is not None)
    assert recorded == sum(r["recorded"] for r in rows)
    pages = " ".join(visible_text(p) for p in (tmp_path / "announcements").iterdir())
    script = map_script(tmp_path / "map.html")
    for r in rows:
        assert r["village"] in pages and r["village"] in script
    assert (tmp_path / "progress.png").stat().st_size > 10_000
    assert hms(0) == "00:00:00"


# -- one language per run ------------------------------------------------------------------
def _strings(value) -> list[str]:
    """Every string inside a JSON value (keys left out: they are the contract's names; so are
    the values of `CONTRACT_KEYS`)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() if k not in CONTRACT_KEYS for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _map_texts(path: Path) -> list[str]:
    """The map's visible text (legend) and every string literal of its script (layer names,
    popups, tooltips, button titles, the tile credit), HTML tags removed."""
    literals = re.findall(r'"((?:[^"\\]|\\.)*)"', map_script(path))
    texts = [json.loads(f'"{s}"') for s in literals]
    return [" ".join(parse(path).text)] + [re.sub(r"<[^>]+>", " ", t) for t in texts]


def outputs_text(plan, folder: Path, lang: str, reasons: set[str]) -> dict[str, list[str]]:
    """The words people read in every output of one run, per output; the per-village causes
    of `left_out` (`reasons`) are left out here and checked on their own below."""
    folder.mkdir()
    write_all(plan, folder, lang=lang)
    out: dict[str, list[str]] = {}
    visits, days = (pd.read_csv(folder / n, dtype=str) for n in ("visits.csv", "days.csv"))
    out["csv"] = [v for df in (visits, days) for c in df.columns if c not in CONTRACT_VALUES
                  for v in df[c].dropna()]
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    out["summary.json"] = [s for s in _strings(summary) if s not in reasons]
    out["calendar"] = [str(e.get(k, "")) for p in (folder / "calendar").iterdir()
                       for e in events(p)[1] for k in ("SUMMARY", "DESCRIPTION", "LOCATION")]
    wb = openpyxl.load_workbook(folder / "schedule.xlsx")
    out["schedule.xlsx"] = wb.sheetnames + [c for ws in wb.worksheets
                                            for row in ws.iter_rows(values_only=True)
                                            for c in row if isinstance(c, str) and c not in reasons]
    out["announcements"] = [visible_text(p) for p in (folder / "announcements").iterdir()]
    out["map.html"] = _map_texts(folder / "map.html")
    fig = coverage_chart.build(plan, lang)  # the figure progress.png is saved from
    fig.canvas.draw()
    out["progress.png"] = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
    out["terminal"] = [terminal.render(plan, lang),
                       terminal.written_line(plan, folder, ["tables"], lang)]
    return out


def _slips(texts: dict[str, list[str]], words: list[str]) -> dict[str, set[str]]:
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, words)) + r")\b")
    found = {name: {m for t in ts for m in pattern.findall(t)} for name, ts in texts.items()}
    return {name: words for name, words in found.items() if words}


def test_one_language_per_run(greedy_plan, tmp_path):
    plan = greedy_plan
    reasons: set[str] = set()  # the causes follow the language too
    in_id = outputs_text(plan, tmp_path / "id", "id", reasons)
    in_en = outputs_text(plan, tmp_path / "en", "en", reasons)
    assert _slips(in_id, EN_WORDS) == {}
    assert _slips({k: v for k, v in in_en.items() if k != "announcements"}, ID_WORDS) == {}
    # the announcements are Indonesian in both runs
    assert in_en["announcements"] == in_id["announcements"]
    # the lists are not vacuous: each run does use its own words, in every output
    for texts, words in ((in_id, ID_WORDS), (in_en, EN_WORDS)):
        used = _slips({k: v for k, v in texts.items() if k not in ("csv", "summary.json")}, words)
        assert set(used) == {"calendar", "schedule.xlsx", "announcements", "map.html",
                             "progress.png", "terminal"} - ({"announcements"} if words is EN_WORDS
                                                           else set())
    # the boat crossing is among what was scanned
    assert any("perahu 60 menit" in t for t in in_id["calendar"])
    assert any("boat 60 min" in t for t in in_en["calendar"])


def test_left_out_reasons_follow_the_language(greedy_plan):
    reasons = [item["reason"] for item in greedy_plan.summary("id")["left_out"]]
    assert reasons
    assert _slips({"reason": reasons}, EN_WORDS + ["not", "enough", "before", "the"]) == {}
    english = [item["reason"] for item in greedy_plan.summary("en")["left_out"]]
    assert _slips({"reason": english}, ID_WORDS + ["tidak", "desa", "hari"]) == {}


def test_one_language_per_run_with_overnight_trips(trips, tmp_path):
    """The words the trips bring (nights, lodgings, where a day starts, a day without visits)
    follow the run's language in every output too."""
    reasons: set[str] = set()  # the causes follow the language too
    in_id = outputs_text(trips, tmp_path / "id", "id", reasons)
    in_en = outputs_text(trips, tmp_path / "en", "en", reasons)
    assert _slips(in_id, EN_WORDS) == {}
    assert _slips({k: v for k, v in in_en.items() if k != "announcements"}, ID_WORDS) == {}
    trip_words = {"id": ["Menginap", "menginap", "Penginapan", "Dari", "lagi", "perjalanan"],
                  "en": ["Night", "Nights", "Lodging", "Lodgings", "From", "again", "away"]}
    for texts, lang in ((in_id, "id"), (in_en, "en")):
        used = _slips({k: v for k, v in texts.items() if k != "announcements"}, trip_words[lang])
        assert set(used) == {"calendar", "schedule.xlsx", "map.html", "terminal"}
        assert set().union(*used.values()) == set(trip_words[lang])


def test_the_writers_use_the_network_they_are_given(geo_scenario, geo_plan, tmp_path,
                                                    monkeypatch):
    """A plan written by the CLI shows its boat legs from the network it was made on: with a
    road graph, building another costs a search from every place per unit speed."""
    from planner.export import crossings
    from planner.network import TravelNetwork

    network = TravelNetwork(geo_scenario)

    def no_second_network(*_):
        raise AssertionError("a writer built its own travel network")

    monkeypatch.setattr(crossings, "TravelNetwork", no_second_network)
    written = write_all(geo_plan, tmp_path, None, "en", network)
    assert "calendar" in written and "announcements" in written  # writers that show boat legs
    assert crossings.network_for(geo_scenario) is network


def test_a_folder_rendered_elsewhere_is_written_as_it_was_drawn(greedy_plan, tmp_path):
    """`render_files` (a Dask worker's side) and `write_plan_folder(rendered=...)` (the
    client's): the same files as writing the plan directly, the tables and summary byte for
    byte (the map and the calendars carry ids and stamps of their own making)."""
    rendered = render_files(greedy_plan, ["calendar", "map", "progress"], "en")
    assert rendered[0] == ["tables", "calendar", "map", "progress"]
    written = write_plan_folder(greedy_plan, tmp_path / "from-bytes", ["calendar", "map",
                                                                       "progress"], "en",
                                rendered=rendered)
    direct = write_plan_folder(greedy_plan, tmp_path / "direct", ["calendar", "map",
                                                                  "progress"], "en")
    assert written == direct

    def files(folder):
        return {p.relative_to(folder).as_posix(): p.read_bytes()
                for p in folder.rglob("*") if p.is_file()}

    got, want = files(tmp_path / "from-bytes"), files(tmp_path / "direct")
    assert sorted(got) == sorted(want) and "calendar/all.ics" in got
    for name in ("visits.csv", "days.csv", "summary.json"):
        assert got[name] == want[name], name
