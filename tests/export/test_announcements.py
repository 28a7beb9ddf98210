"""`announcements/<kecamatan>.html`: one printable Indonesian page per kecamatan, service
hours rounded outward to 5 minutes, one sentence per date, the office and its contact, and a
letter for a kecamatan that gets no visit; a re-plan announces only the visits from today on
and tells the villages visited before it what was recorded."""
from __future__ import annotations

import dataclasses
import re

from planner.export import announcements
from planner.plan import Plan, Route, Stop
from tests.export.sample import (BONTO, D1, D2, D3, SUKAMAJU, hm, parse, replan, visible_text,
                                 visit_rows)


def test_announcements_one_page_per_kecamatan_with_every_village(geo_plan, tmp_path):
    announcements.write(geo_plan, tmp_path, lang="en")  # lang ignored: always Indonesian
    folder = tmp_path / "announcements"
    assert sorted(p.name for p in folder.iterdir()) == ["tamalate.html", "ujung-tanah.html"]
    for path, district in ((folder / "tamalate.html", "Tamalate"),
                           (folder / "ujung-tanah.html", "Ujung/Tanah")):
        page = parse(path)
        text = visible_text(path)
        visited = {r["village"] for r in visit_rows(geo_plan) if r["district"] == district}
        for village in visited:
            assert village in text
        assert f"Kecamatan {district}" in text
        assert "wajib KTP" in text and "Kartu Keluarga" in text
        assert page.fetches == [] and page.tags["script"] == 0 and page.tags["link"] == 0
        raw = path.read_text(encoding="utf-8")
        assert re.search(r"@page\s*\{[^}]*size:\s*A4", raw)
        assert '<html lang="id">' in raw and "http" not in raw
    text = visible_text(folder / "tamalate.html")
    assert "Senin, 4 Maret 2024" in text and "08.30–12.00 WITA" in text
    assert "Rabu, 6 Maret 2024" in text
    # the offline village says when its data counts: Mon + 3 days
    assert "tanpa sinyal" in text.lower() and "Kamis, 7 Maret 2024" in text


def test_announcement_file_names_are_safe_and_distinct():
    names = announcements.file_names(["Teluk Pandan", "Teluk/Pandan", "", "Ñagari Ü", "قرية",
                                      "🌴"])
    assert names == {"Teluk Pandan": "teluk-pandan.html", "Teluk/Pandan": "teluk-pandan-2.html",
                     "": "tanpa-kecamatan.html", "Ñagari Ü": "nagari-u.html",
                     "قرية": "kecamatan.html", "🌴": "kecamatan-2.html"}


def _page(plan, tmp_path, name="tamalate.html"):
    announcements.write(plan, tmp_path)
    return visible_text(tmp_path / "announcements" / name)


def test_announcement_times_early_morning_and_arrival(geo_scenario, tmp_path):
    """A visit from 06.02 to 07.58 reads 06.00–08.00; the team that arrives at 05.41 says it
    comes at about 05.40 to prepare; one arriving at 06.01 for a 06.02 start says nothing."""
    routes = (
        Route("MK1", D1, "weekday", hm(5, 30), hm(8, 30), (
            Stop(SUKAMAJU, hm(5, 41), hm(6, 2), hm(7, 58), 20, hm(0, 11)),), hm(0, 22)),
        Route("MK1", D2, "weekday", hm(5, 50), hm(8, 30), (
            Stop(SUKAMAJU, hm(6, 1), hm(6, 2), hm(7, 58), 20, hm(0, 11)),), hm(0, 22)),
    )
    text = _page(Plan(geo_scenario, routes), tmp_path)
    assert "Senin, 4 Maret 2024 06.00–08.00 WITA" in text
    assert "Tim tiba pada Senin, 4 Maret 2024 sekitar pukul 05.40 WITA untuk persiapan." in text
    assert "Selasa, 5 Maret 2024 06.00–08.00 WITA" in text
    assert text.count("Tim tiba") == 1


def test_offline_village_gets_one_sentence_per_date(geo_scenario, tmp_path):
    routes = tuple(
        Route("MK1", day, "weekday", hm(8), hm(12), (
            Stop(BONTO, hm(8, 20), hm(8, 20), hm(11), 10, hm(0, 20)),), hm(0, 40))
        for day in (D1, D2, D3))
    text = _page(Plan(geo_scenario, routes), tmp_path)
    for visit, counted in (("Senin, 4 Maret 2024", "Kamis, 7 Maret 2024"),
                           ("Selasa, 5 Maret 2024", "Jumat, 8 Maret 2024"),
                           ("Rabu, 6 Maret 2024", "Sabtu, 9 Maret 2024")):
        assert f"Perekaman tanggal {visit} tercatat paling lambat {counted}." in text
    assert text.count("paling lambat") == 3


def test_header_names_the_office_and_its_contact(geo_plan, tmp_path):
    text = _page(geo_plan, tmp_path)
    # no `contact` in the scenario: the units' base, the office, is named instead
    assert text.startswith("Kantor Disdukcapil Pengumuman")
    assert "Uji Sulawesi 2024" in text and "Telepon" not in text
    scenario = geo_plan.scenario
    contact = {"office": "Disdukcapil Kota Makassar", "phone": "0411-000000"}
    with_contact = Plan(_with_contact(scenario, contact), geo_plan.routes)
    text = _page(with_contact, tmp_path / "contact")
    assert text.startswith("Disdukcapil Kota Makassar Pengumuman")
    assert "Telepon: 0411-000000" in text
    assert "Informasi: Disdukcapil Kota Makassar, telepon 0411-000000." in text


class _WithContact:
    """A scenario that carries `contact` (the scenario format gains the key in parallel;
    the writer reads it with getattr, so any object with the attribute serves)."""

    def __init__(self, scenario, contact):
        self._scenario, self.contact = scenario, contact

    def __getattr__(self, name):
        return getattr(self._scenario, name)


def _with_contact(scenario, contact):
    return _WithContact(scenario, contact)


def test_kecamatan_without_visits_gets_a_letter(geo_scenario, geo_plan, tmp_path):
    route = Route("MK1", D1, "weekday", hm(8), hm(13), (
        Stop(SUKAMAJU, hm(8, 20), hm(8, 30), hm(12), 84, hm(0, 20)),), hm(0, 40))
    announcements.write(Plan(geo_scenario, (route,)), tmp_path)
    folder = tmp_path / "announcements"
    assert sorted(p.name for p in folder.iterdir()) == ["tamalate.html", "ujung-tanah.html"]
    # a visited kecamatan names its villages that get no visit, and where to go instead
    visited = visible_text(folder / "tamalate.html")
    assert ("Desa Bonto Tangnga belum mendapat kunjungan dalam jadwal ini. Warganya tetap "
            "dapat merekam KTP-el di Kantor Disdukcapil pada hari dan jam kerja.") in visited
    assert "Desa yang belum mendapat kunjungan" not in _page(geo_plan, tmp_path / "full")
    letter = visible_text(folder / "ujung-tanah.html")
    assert "Kecamatan Ujung/Tanah belum mendapat kunjungan tim" in letter
    assert "Pulau Barrang" in letter and "Jam pelayanan" not in letter
    assert "tetap dapat datang ke Kantor Disdukcapil pada hari dan jam kerja" in letter
    scenario = _with_contact(geo_scenario, {"office": "Disdukcapil Kota Makassar",
                                            "phone": "0411-000000"})
    announcements.write(Plan(scenario, (route,)), tmp_path / "contact")
    letter = visible_text(tmp_path / "contact" / "announcements" / "ujung-tanah.html")
    assert "datang ke Disdukcapil Kota Makassar (telepon 0411-000000)" in letter


def test_island_village_page(geo_plan, tmp_path):
    text = _page(geo_plan, tmp_path, "ujung-tanah.html")
    assert "Desa Pulau Barrang" in text and "Selasa, 5 Maret 2024 09.30–13.30 WITA" in text
    assert "belum mendapat kunjungan" not in text


def test_trip_day_starting_at_a_lodging_at_six(trips, tmp_path):
    """`MK 2/Perahu` sleeps at the balai desa of Pulau Barrang and serves the island again
    from 06.00 (it is already there: no arrival to announce) before the boat home; MK1 leaves
    the losmen at 06.00 and reaches Sukamaju at 06.10 for a 06.15 start. The offline village
    visited on the first two days of MK1's trip counts 3 days after the trip's last day
    (Wednesday), for both dates."""
    announcements.write(trips, tmp_path)
    island = visible_text(tmp_path / "announcements" / "ujung-tanah.html")
    assert "Selasa, 5 Maret 2024 09.30–13.45 WITA 45 MK 2/Perahu" in island
    assert "Rabu, 6 Maret 2024 06.00–07.30 WITA 12 MK 2/Perahu" in island
    assert "Tim tiba" not in island
    text = visible_text(tmp_path / "announcements" / "tamalate.html")
    assert "Selasa, 5 Maret 2024 06.15–08.25 WITA" in text
    assert "Tim tiba pada Selasa, 5 Maret 2024 sekitar pukul 06.10 WITA untuk persiapan." in text
    assert text.count("Tim tiba") == 1
    for visit in ("Senin, 4 Maret 2024", "Selasa, 5 Maret 2024"):
        assert f"Perekaman tanggal {visit} tercatat paling lambat Sabtu, 9 Maret 2024." in text
    # nothing of the trip's nights reaches the villagers' page
    assert "Losmen" not in text and "menginap" not in text.lower()


def test_replan_announces_only_future_visits_and_every_kecamatan(geo_scenario, tmp_path):
    """The re-plan on Wed (sample.replan) with a stray Monday route of the first plan added:
    only Wednesday's visit is announced. Sukamaju (Mon 84 of 200, Wed planned) says what is
    left and when it was visited; Bonto (Mon 42, offline) has no visit from Wed on; Ujung/Tanah
    (the island, Tue 45) has none either and still gets its letter."""
    plan = replan(geo_scenario)
    monday = Route("MK1", D1, "weekday", hm(8), hm(13), (
        Stop(SUKAMAJU, hm(8, 20), hm(8, 30), hm(12), 84, hm(0, 20)),), hm(0, 40))
    plan = dataclasses.replace(plan, routes=(monday,) + plan.routes)
    announcements.write(plan, tmp_path)
    folder = tmp_path / "announcements"
    assert sorted(p.name for p in folder.iterdir()) == ["tamalate.html", "ujung-tanah.html"]
    text = visible_text(folder / "tamalate.html")
    assert "Jadwal baru ini berlaku mulai Rabu, 6 Maret 2024 dan menggantikan pengumuman" in text
    assert "Rabu, 6 Maret 2024 08.20–12.40 WITA 81 MK1" in text
    assert "08.30–12.00" not in text  # Monday's visit is not announced again
    assert "Belum terekam saat ini: sekitar 116 warga." in text  # 200 - 84
    assert "Sudah dikunjungi: Senin, 4 Maret 2024 (84 warga terekam)." in text
    assert ("Desa Bonto Tangnga: sudah dikunjungi pada Senin, 4 Maret 2024 (42 warga "
            "terekam); tidak ada kunjungan lagi dalam jadwal ini.") in text
    assert "Bonto Tangnga Belum terekam" not in text  # no section of its own
    letter = visible_text(folder / "ujung-tanah.html")
    assert ("Dalam jadwal perekaman KTP-el keliling (jemput bola) mulai Rabu, 6 Maret 2024, "
            "desa-desa di Kecamatan Ujung/Tanah tidak mendapat kunjungan tim") in letter
    assert ("Desa Pulau Barrang – sudah dikunjungi pada Selasa, 5 Maret 2024 (45 warga "
            "terekam)") in letter
    assert "Jam pelayanan" not in letter


def test_replan_on_the_first_day_announces_every_visit(geo_plan, tmp_path):
    """A re-plan whose today is the campaign's first day: nothing happened before it, every
    visit is announced, as in the plain plan."""
    plan = dataclasses.replace(geo_plan, report={"actuals": {"today": D1.isoformat(),
                                                             "by_village": {}}})
    assert _page(plan, tmp_path / "replan").count("WITA") == _page(geo_plan, tmp_path).count("WITA")
    assert "Sudah dikunjungi" not in _page(plan, tmp_path / "again")


def test_a_replan_keeping_its_announced_visits_says_they_stand(geo_scenario, tmp_path):
    """With `--keep-until` the note says the visits announced up to the kept day stand."""
    plan = replan(geo_scenario)
    plain = _page(plan, tmp_path / "plain")
    assert "tetap berlaku" not in plain
    kept = dataclasses.replace(plan, report={**plan.report, "kept": {
        "until": D3.isoformat(), "visits": 1, "recorded": 81, "counted": 81}})
    assert ("menggantikan pengumuman sebelumnya. Kunjungan yang sudah diumumkan sampai Rabu, "
            "6 Maret 2024 tetap berlaku, kecuali yang disebut berubah atau dibatalkan.") in \
        _page(kept, tmp_path / "kept")


def test_a_long_kecamatan_name_gives_a_short_file_name():
    names = announcements.file_names(["Kecamatan " + "Sangat Panjang " * 30, "Kecamatan A"])
    assert all(len(n) <= 80 + len(".html") for n in names.values())
    assert len(set(names.values())) == 2
