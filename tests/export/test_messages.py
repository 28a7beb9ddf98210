"""`messages/<kecamatan>.txt`: one chat message per village with something to be told,
each standing alone (addressee, every visit's date and rounded hours, who comes and what to
bring, the office), the same dates and hours as the printed page; a re-plan's moved and
cancelled visits; nothing for a kecamatan with nothing to tell."""
from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
import types
from urllib.parse import unquote

from planner.export import announcements
from planner.export.notice_words import (date_list, heads_word, kinds_word, village_head,
                                          village_heading)
from planner.plan import Plan, Route, Stop
from tests.conftest import make_scenario
from tests.export.sample import (GEO, BONTO, D1, D2, PULAU, SUKAMAJU, hand_made_plan, hm, replan,
                                 visible_text)


def _messages(plan, tmp_path, name="tamalate.txt") -> dict[str, str]:
    """The file's messages by the village id of the line above each."""
    announcements.write(plan, tmp_path)
    text = (tmp_path / "messages" / name).read_text(encoding="utf-8")
    parts = re.split(r"^--- .* \((\S+)\)(?: · \S[^[]*)?(?: \[.*\])? ---\n", text, flags=re.M)
    assert parts[0] == ""
    return dict(zip(parts[1::2], parts[2::2]))


def test_one_message_per_visited_village_with_the_pages_dates_and_hours(geo_plan, tmp_path):
    messages = _messages(geo_plan, tmp_path)
    assert list(messages) == [BONTO, SUKAMAJU]  # both first visited Monday: by name, as the page
    sukamaju, bonto = messages[SUKAMAJU], messages[BONTO]
    assert sukamaju.startswith("*Pengumuman Perekaman KTP-el Keliling (Jemput Bola)*\n"
                               "Yth. Kepala Desa Sukamaju, Kecamatan Tamalate\n")
    for visit in ("• Senin, 4 Maret 2024, pukul 08.30–12.00 WITA (perkiraan 84 warga dilayani)",
                  "• Rabu, 6 Maret 2024, pukul 08.20–12.40 WITA (perkiraan 81 warga dilayani)"):
        assert visit in sukamaju
    assert sukamaju.count("• ") == 2 and "tanpa sinyal" not in sukamaju
    # the page says the same visits, hour for hour
    page = visible_text(tmp_path / "announcements" / "tamalate.html")
    for date, hours in re.findall(r"• (\w+, \d+ \w+ 2024), pukul (\S+) WITA", sukamaju + bonto):
        assert f"{date} {hours} WITA" in page
    # the offline village: when Monday's recordings are in the system (Mon + 3 days)
    assert "perekaman tanggal Senin, 4 Maret 2024 tercatat paling lambat Kamis, 7 Maret 2024" \
        in bonto
    for message in messages.values():  # each stands alone, as plain text
        assert "wajib KTP" in message and "Kartu Keluarga" in message
        assert message.rstrip().endswith("Informasi: Kantor Disdukcapil.")
        assert "<" not in message and "&" not in message
    # the island's kecamatan has its own file, with its one village
    assert list(_messages(geo_plan, tmp_path / "island", "ujung-tanah.txt")) == [PULAU]


def test_the_office_phone_and_a_village_without_power(geo_plan, tmp_path):
    villages = [{**v, "power": False} if v["id"] == BONTO else v for v in GEO["villages"]]
    scenario = make_scenario({**GEO, "villages": villages, "contact": {
        "office": "Disdukcapil Kota Makassar", "phone": "0411-000000"}})
    messages = _messages(Plan(scenario, geo_plan.routes), tmp_path)
    assert "Tim perekaman KTP-el dari Disdukcapil Kota Makassar akan datang" in messages[BONTO]
    assert messages[BONTO].rstrip().endswith(
        "Informasi: Disdukcapil Kota Makassar, telepon 0411-000000.")
    assert "Tim membawa genset sendiri." in messages[BONTO]
    assert "genset" not in messages[SUKAMAJU]


def test_a_kecamatan_with_nothing_to_tell_gets_no_file(geo_scenario, tmp_path):
    route = Route("MK1", D1, "weekday", hm(8), hm(13), (
        Stop(SUKAMAJU, hm(8, 20), hm(8, 30), hm(12), 84, hm(0, 20)),), hm(0, 40))
    announcements.write(Plan(geo_scenario, (route,)), tmp_path)
    assert sorted(p.name for p in (tmp_path / "announcements").iterdir()) == [
        "tamalate.html", "ujung-tanah.html"]  # DESIGN's pages alone: Ujung/Tanah's letter
    folder = tmp_path / "messages"
    assert sorted(p.name for p in folder.iterdir()) == [  # no message for Ujung/Tanah
        "kirim-whatsapp.html", "tamalate.txt"]
    assert "0 dengan nomor WhatsApp kepala desa.\nBelum ada nomor kepala desa" in \
        (folder / "kirim-whatsapp.html").read_text(encoding="utf-8")
    text = (folder / "tamalate.txt").read_text(encoding="utf-8")
    assert "Sukamaju" in text and "Bonto" not in text


def test_a_re_plans_messages_say_what_changed(geo_scenario, tmp_path):
    """The re-plan on Wed (sample.replan), written where an earlier plan had announced
    Sukamaju on Wed at other hours and Bonto on Tue: Sukamaju's message says the schedule
    holds from Wed and the earlier hours no longer hold; Bonto, cancelled, is told so."""
    plan = replan(geo_scenario)
    changes = {"villages": [
        {"village_id": SUKAMAJU, "change": "changed", "earlier": "2024-03-06 09:00-11:00"},
        {"village_id": BONTO, "change": "cancelled", "earlier": "2024-03-05 08:00-10:30"},
        {"village_id": "not-in-this-scenario", "change": "cancelled",
         "earlier": "2024-03-06 08:00-09:00"}]}
    plan = dataclasses.replace(plan, report={**plan.report, "changes": changes})
    messages = _messages(plan, tmp_path)
    assert list(messages) == [SUKAMAJU, BONTO]  # visits first, then the cancelled
    text = (tmp_path / "messages" / "tamalate.txt").read_text(encoding="utf-8")
    assert f"--- Desa Sukamaju ({SUKAMAJU}) [berubah] ---" in text
    assert f"--- Desa Bonto Tangnga ({BONTO}) [dibatalkan] ---" in text
    sukamaju, bonto = messages[SUKAMAJU], messages[BONTO]
    assert ("Jadwal baru ini berlaku mulai Rabu, 6 Maret 2024 dan menggantikan pengumuman "
            "sebelumnya.") in sukamaju
    assert "Sudah dikunjungi: Senin, 4 Maret 2024 (84 warga terekam)." in sukamaju
    assert ("*Jadwal berubah.* Jadwal yang diumumkan sebelumnya (Rabu, 6 Maret 2024 pukul "
            "09.00–11.00 WITA) tidak berlaku lagi") in sukamaju
    assert "• Rabu, 6 Maret 2024, pukul 08.20–12.40 WITA" in sukamaju
    assert bonto.startswith("*Pemberitahuan Perekaman KTP-el Keliling (Jemput Bola)*\n"
                            "Yth. Kepala Desa Bonto Tangnga, Kecamatan Tamalate\n")
    assert ("Kunjungan tim perekaman KTP-el yang diumumkan sebelumnya (Selasa, 5 Maret 2024 "
            "pukul 08.00–10.30 WITA) *dibatalkan*; dalam jadwal mulai Rabu, 6 Maret 2024 tidak ada "
            "kunjungan ke desa ini.") in bonto
    assert "tetap dapat datang ke Kantor Disdukcapil pada hari dan jam kerja" in bonto
    assert "• " not in bonto
    assert not (tmp_path / "messages" / "ujung-tanah.txt").exists()


def test_a_trip_days_early_arrival_is_in_the_message(trips, tmp_path):
    """The overnight-trip sample: the team that slept at the losmen arrives early to prepare,
    and the message says so as the page does; nothing of the nights reaches the villagers."""
    announcements.write(trips, tmp_path)
    text = (tmp_path / "messages" / "tamalate.txt").read_text(encoding="utf-8")
    page = visible_text(tmp_path / "announcements" / "tamalate.html")
    arrivals = re.findall(r"Tim tiba pada (.*?) untuk persiapan\.", text)
    assert arrivals and all(f"Tim tiba pada {a} untuk persiapan." in page for a in arrivals)
    assert "Losmen" not in text and "menginap" not in text.lower()
    assert D2.day == 5  # the sample's Tuesday


def test_the_send_page_opens_whatsapp_on_each_message(geo_plan, tmp_path):
    """Sukamaju's head has a phone (as a spreadsheet dropped its 0, and written with dashes),
    Bonto's none: one section per message, Sukamaju's a wa.me link carrying its message word
    for word, Bonto's the text to copy; the planner's lines show the phone."""
    villages = [{**v, "head_phone": "0812-3456-7890"} if v["id"] == SUKAMAJU else v
                for v in GEO["villages"]]
    plan = Plan(make_scenario({**GEO, "villages": villages}), geo_plan.routes)
    messages = _messages(plan, tmp_path)
    folder = tmp_path / "messages"
    assert f"--- Desa Sukamaju ({SUKAMAJU}) · 0812-3456-7890 ---" in \
        (folder / "tamalate.txt").read_text(encoding="utf-8")
    raw = (folder / "kirim-whatsapp.html").read_text(encoding="utf-8")
    assert "<script" not in raw and raw.count("<section") == 3  # two in Tamalate, the island
    links = re.findall(r'href="https://wa\.me/(\d+)\?text=([^"]+)"', raw)
    assert [number for number, _ in links] == ["6281234567890"]
    assert unquote(html.unescape(links[0][1])) == messages[SUKAMAJU].rstrip()
    assert raw.count("Nomor kepala desa belum ada di skenario") == 2  # Bonto, the island
    assert raw.count("<details open>") == 2  # their messages shown, to copy
    assert "1 dengan nomor WhatsApp kepala desa.\nTekan tombolnya" in raw
    assert html.escape(messages[BONTO].rstrip()) in raw


def test_whatsapp_numbers_are_international():
    from planner.export.messages import whatsapp_number
    for written, number in (("0812-3456-7890", "6281234567890"), ("+62 812 3456 7890",
                            "6281234567890"), ("62812.3456.7890", "6281234567890"),
                            ("81234567890", "6281234567890"), ("(0411) 123456", "62411123456"),
                            ("+44 20 7946 0000", "442079460000")):
        assert whatsapp_number(written) == number, written


def test_a_kecamatan_named_like_the_send_page_keeps_its_files(geo_scenario, tmp_path):
    villages = [{**v, "district": "Kirim WhatsApp"} for v in GEO["villages"]]
    plan = Plan(make_scenario({**GEO, "villages": villages}), hand_made_plan(geo_scenario).routes)
    announcements.write(plan, tmp_path)
    assert [p.name for p in (tmp_path / "announcements").iterdir()] == ["kirim-whatsapp.html"]
    assert sorted(p.name for p in (tmp_path / "messages").iterdir()) == [
        "kirim-whatsapp.html", "kirim-whatsapp.txt"]
    assert "Kecamatan Kirim WhatsApp" in visible_text(tmp_path / "announcements" /
                                                      "kirim-whatsapp.html")


def test_names_with_tags_and_quotes_stay_text_on_the_send_page(geo_plan, tmp_path):
    hostile = 'Suka"maju <b>O\'Neil</b> & <script>x</script>'
    villages = [{**v, "name": hostile, "head_phone": "0812-3456-7890"} if v["id"] == SUKAMAJU
                else v for v in GEO["villages"]]
    plan = Plan(make_scenario({**GEO, "villages": villages}), geo_plan.routes)
    announcements.write(plan, tmp_path)
    raw = (tmp_path / "messages" / "kirim-whatsapp.html").read_text(encoding="utf-8")
    assert "<script" not in raw and "<b>" not in raw
    assert html.escape(f"Desa {hostile}") in raw
    (link,) = re.findall(r'href="(https://wa\.me/[^"]+)"', raw)
    assert f"Yth. Kepala Desa {hostile}, Kecamatan Tamalate" in unquote(html.unescape(link))


def _send_page_parts(raw: str) -> tuple[list[str], list[str]]:
    """The village ids of a re-plan's send page: those to send, and those folded away."""
    head, _, folded = raw.partition('<details class="same">')
    ids = r'<section data-village-id="([^"]+)"'
    return re.findall(ids, head), re.findall(ids, folded)


def test_a_re_plans_send_page_puts_the_changed_messages_first(geo_scenario, tmp_path):
    """Written over an earlier plan that had announced Bonto as now, Sukamaju at other hours
    and nothing on the island: Sukamaju's and the island's messages are to send, Bonto's,
    a repeat of its notice, is folded away below them."""
    plan = hand_made_plan(geo_scenario)
    changes = {"villages": [
        {"village_id": SUKAMAJU, "change": "changed", "earlier": "2024-03-04 09:00-11:00"},
        {"village_id": PULAU, "change": "added", "earlier": ""}]}
    plan = dataclasses.replace(plan, report={**plan.report, "changes": changes})
    announcements.write(plan, tmp_path)
    raw = (tmp_path / "messages" / "kirim-whatsapp.html").read_text(encoding="utf-8")
    assert _send_page_parts(raw) == ([SUKAMAJU, PULAU], [BONTO])
    assert "Perlu dikirim: jadwal baru, berubah atau dibatalkan (2)" in raw
    assert "Sama dengan pengumuman sebelumnya (1)" in raw
    assert "[berubah]" in raw and "[baru]" in raw and "[tetap: " in raw
    assert raw.count("Kecamatan Tamalate</h3>") == 2  # once in each part
    assert "<details open><summary>Pesan" in raw  # without numbers, still open to copy


def test_a_re_plan_that_changes_nothing_says_so_on_the_send_page(geo_scenario, tmp_path):
    plan = hand_made_plan(geo_scenario)
    plan = dataclasses.replace(plan, report={**plan.report, "changes": {"villages": []}})
    announcements.write(plan, tmp_path)
    raw = (tmp_path / "messages" / "kirim-whatsapp.html").read_text(encoding="utf-8")
    assert "Perlu dikirim: jadwal baru, berubah atau dibatalkan (0)" in raw
    assert "Tidak ada pesan baru" in raw
    assert _send_page_parts(raw) == ([], [BONTO, SUKAMAJU, PULAU])  # the pages' order


def test_a_first_plans_send_page_has_no_parts(geo_plan, tmp_path):
    announcements.write(geo_plan, tmp_path)
    raw = (tmp_path / "messages" / "kirim-whatsapp.html").read_text(encoding="utf-8")
    assert "Perlu dikirim" not in raw and "<details class=\"same\">" not in raw
    assert raw.count("<section") == 3 and "Kecamatan Tamalate</h2>" in raw


def _village(vid, name):
    return types.SimpleNamespace(id=vid, label=name)


def test_kelurahan_told_by_their_code_or_name_and_addressed_to_the_lurah():
    """Kemendagri codes `PP.KK.CC.1NNN` are kelurahan (headed by a lurah), `2NNN` desa;
    a name starting with `Desa`/`Kelurahan` says it itself; `Pekon Ampai` is a desa's name."""
    praya = _village("52.02.01.1001", "Praya")
    assert (village_heading(praya), village_head(praya)) == ("Kelurahan Praya", "Lurah Praya")
    ampai = _village("18.09.08.2006", "Pekon Ampai")
    assert (village_heading(ampai), village_head(ampai)) == \
        ("Desa Pekon Ampai", "Kepala Desa Pekon Ampai")
    named = _village("x1", "Kelurahan Contoh")
    assert (village_heading(named), village_head(named)) == ("Kelurahan Contoh", "Lurah Contoh")
    assert village_head(_village("5202011001", "Desa Praya")) == "Kepala Desa Praya"
    assert (kinds_word([praya, ampai]), heads_word([praya, ampai])) == \
        ("desa/kelurahan", "Kepala Desa dan Lurah")
    assert (kinds_word([praya]), heads_word([ampai])) == ("kelurahan", "Kepala Desa")


def test_a_kelurahans_message_and_page_speak_of_the_kelurahan(geo_scenario, tmp_path):
    villages = [v.replace(name="Kelurahan Sukamaju") if v.id == SUKAMAJU else v
                for v in geo_scenario.villages]
    plan = dataclasses.replace(hand_made_plan(geo_scenario),
                               scenario=geo_scenario.replace(villages=villages))
    sukamaju = _messages(plan, tmp_path)[SUKAMAJU]
    assert sukamaju.startswith("*Pengumuman Perekaman KTP-el Keliling (Jemput Bola)*\n"
                               "Yth. Lurah Sukamaju, Kecamatan Tamalate\n")
    assert "akan datang ke kelurahan pada:" in sukamaju
    assert "(kantor kelurahan atau balai pertemuan)" in sukamaju
    page = visible_text(tmp_path / "announcements" / "tamalate.html")
    assert "Kepada Yth. Kepala Desa dan Lurah di Kecamatan Tamalate" in page
    assert "akan datang ke desa/kelurahan sesuai jadwal" in page


def test_several_earlier_days_are_listed_as_indonesian_writes_them():
    days = [dt.date(2018, 6, d) for d in (17, 8, 9, 10)]
    assert date_list(days) == "8, 9, 10 dan 17 Juni 2018"
    assert date_list([dt.date(2018, 6, 28), dt.date(2018, 7, 2), dt.date(2018, 6, 30)]) == \
        "28 dan 30 Juni 2018 serta 2 Juli 2018"
