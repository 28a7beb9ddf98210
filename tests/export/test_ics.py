"""`calendar/*.ics` read back with `icalendar`: one event per visit in the scenario's zone,
stable UIDs, the boat leg of a visit to an island, both languages."""
from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import re
from collections import Counter
from zoneinfo import ZoneInfo

from planner.export import ics, ics_uid
from planner.plan import Plan, Route, Stop
from tests.conftest import make_scenario
from tests.export.sample import (BONTO, D1, D2, D3, GEO, LOSMEN, PULAU, SUKAMAJU, ZONE, events,
                                 hm, visit_rows)


def test_ics_one_event_per_visit_in_the_scenario_zone(geo_plan, tmp_path):
    ics.write(geo_plan, tmp_path)
    folder = tmp_path / "calendar"
    assert sorted(p.name for p in folder.iterdir()) == ["MK1.ics", "MK_2_Perahu.ics", "all.ics"]
    rows = visit_rows(geo_plan)
    cal, evs = events(folder / "all.ics")
    assert len(evs) == len(rows) == 4
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == [ZONE]
    zone = ZoneInfo(ZONE)
    by_uid = {}
    for event in evs:
        by_uid[str(event["UID"])] = event
        assert event.get("DTSTAMP") is not None
    assert len(by_uid) == len(evs)  # UIDs unique
    starts = sorted((e.decoded("DTSTART"), e.decoded("DTEND")) for e in evs)
    expected = sorted(
        (dt.datetime.combine(dt.date.fromisoformat(r["date"]), dt.time.fromisoformat(r["start"]),
                             tzinfo=zone),
         dt.datetime.combine(dt.date.fromisoformat(r["date"]), dt.time.fromisoformat(r["end"]),
                             tzinfo=zone))
        for r in rows)
    assert starts == expected
    for start, _ in starts:
        assert str(start.tzinfo) == ZONE
        assert start.utcoffset() == dt.timedelta(hours=8)  # WITA, not the machine's zone
    # first visit: 08:30 WITA is 00:30 UTC
    assert starts[0][0].astimezone(dt.timezone.utc) == dt.datetime(2024, 3, 4, 0, 30,
                                                                    tzinfo=dt.timezone.utc)


def test_ics_per_unit_files_split_the_visits(geo_plan, tmp_path):
    ics.write(geo_plan, tmp_path)
    counts = Counter(r["unit"] for r in visit_rows(geo_plan))
    _, mk1 = events(tmp_path / "calendar" / "MK1.ics")
    _, mk2 = events(tmp_path / "calendar" / "MK_2_Perahu.ics")
    assert (len(mk1), len(mk2)) == (counts["MK1"], counts["MK 2/Perahu"]) == (3, 1)


def test_ics_uid_stable_location_and_description(geo_plan, tmp_path):
    ics.write(geo_plan, tmp_path / "one")
    ics.write(geo_plan, tmp_path / "two")
    _, first = events(tmp_path / "one" / "calendar" / "all.ics")
    _, second = events(tmp_path / "two" / "calendar" / "all.ics")
    assert [str(e["UID"]) for e in first] == [str(e["UID"]) for e in second]

    offline = [e for e in first if "Bonto Tangnga" in str(e["SUMMARY"])]
    assert len(offline) == 1
    text = str(offline[0]["DESCRIPTION"])
    assert "Bonto Tangnga" in text and "Tamalate" in text and "42" in text
    # offline village: counts on the day back at base + 3 days, a date as Indonesian says it
    assert "luring" in text and "terhitung pada Kamis, 7 Maret 2024." in text
    assert "2024-03-07" not in text
    assert str(offline[0]["GEO"].to_ical()) in ("-5.2;119.45", "-5.200000;119.450000")
    assert "-5.2" in str(offline[0]["LOCATION"])
    online = [e for e in first if "Sukamaju" in str(e["SUMMARY"])]
    assert all("luring" not in str(e["DESCRIPTION"]) for e in online)


def test_ics_english_labels(geo_plan, tmp_path):
    ics.write(geo_plan, tmp_path, lang="en")
    _, evs = events(tmp_path / "calendar" / "all.ics")
    text = " ".join(str(e["DESCRIPTION"]) for e in evs)
    assert "Village:" in text and "offline" in text and "Desa:" not in text


def test_ics_gives_the_team_the_village_heads_phone(geo_plan, tmp_path):
    """Sukamaju's head has a phone in the scenario: its two visits say it, in both languages;
    Bonto's, without one, say nothing of it."""
    villages = [{**v, "head_phone": "0812-3456-7890"} if v["id"] == SUKAMAJU else v
                for v in GEO["villages"]]
    plan = Plan(make_scenario({**GEO, "villages": villages}), geo_plan.routes)
    for lang, said in (("id", "Telepon kepala desa: 0812-3456-7890"),
                       ("en", "Village head's phone: 0812-3456-7890")):
        ics.write(plan, tmp_path / lang, lang=lang)
        _, evs = events(tmp_path / lang / "calendar" / "all.ics")
        with_phone = [str(e["SUMMARY"]) for e in evs if said in str(e["DESCRIPTION"])]
        assert len(with_phone) == 2 and all("Sukamaju" in s for s in with_phone)
        assert sum("0812" in str(e["DESCRIPTION"]) for e in evs) == 2


def test_ics_boat_visit_gives_the_port_the_departure_and_the_crossing(geo_plan, tmp_path):
    """The island visit arrives 09.30 after a 60-minute boat: the boat leaves the port at
    08.30 (timed back from the arrival of visits.csv); the way home leaves the island at the
    end of the visit, 13.30. The road visits say nothing of boats."""
    for lang in ("id", "en"):
        ics.write(geo_plan, tmp_path / lang, lang=lang)
    _, evs = events(tmp_path / "id" / "calendar" / "all.ics")
    island = next(e for e in evs if "Pulau Barrang" in str(e["SUMMARY"]))
    text = str(island["DESCRIPTION"])
    lines = text.splitlines()
    assert lines.index("Perahu/sungai: berangkat 08.30 WITA dari Dermaga Paotere, perahu 60 "
                       "menit") < lines.index("Tiba: 09.30 WITA") < lines.index(
        "Perahu/sungai: pulang: berangkat 13.30 WITA dari Pulau Barrang, perahu 60 menit")
    assert str(island["SUMMARY"]) == ("MK 2/Perahu: Pulau Barrang (perahu dari Dermaga Paotere; "
                                      "lalu perahu ke Dermaga Paotere) – 45")
    assert all("perahu" not in str(e["DESCRIPTION"]) for e in evs if e is not island)
    _, evs = events(tmp_path / "en" / "calendar" / "all.ics")
    island = next(e for e in evs if "Pulau Barrang" in str(e["SUMMARY"]))
    assert "Boat/river: leaves Dermaga Paotere at 08:30 WITA, boat 60 min" in str(
        island["DESCRIPTION"])


def test_ics_is_rfc5545_text(geo_plan, tmp_path):
    ics.write(geo_plan, tmp_path)
    raw = (tmp_path / "calendar" / "all.ics").read_bytes()
    lines = raw.split(b"\r\n")
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert max(len(line) for line in lines) <= 75  # folded content lines
    assert lines[0] == b"BEGIN:VCALENDAR" and b"VERSION:2.0" in lines
    assert any(line.startswith(b"PRODID:") for line in lines)


# -- overnight trips -----------------------------------------------------------------------
def _nights(evs):
    """The all-day events of a calendar (a date, not a date-time, as their start)."""
    return [e for e in evs if not isinstance(e.decoded("DTSTART"), dt.datetime)]


def test_ics_one_all_day_event_per_night_away_naming_the_lodging(trips, tmp_path):
    """MK1 sleeps at Losmen Mawar on Mon and Tue (4 visits, 2 nights); `MK 2/Perahu` at the
    balai desa of Pulau Barrang on Tue (2 visits, 1 night); all.ics holds all nine."""
    ics.write(trips, tmp_path)
    folder = tmp_path / "calendar"
    _, mk1 = events(folder / "MK1.ics")
    _, mk2 = events(folder / "MK_2_Perahu.ics")
    _, every = events(folder / "all.ics")
    assert (len(mk1), len(mk2), len(every)) == (6, 3, 9)
    nights = _nights(mk1)
    assert [(e.decoded("DTSTART"), e.decoded("DTEND")) for e in nights] == [
        (D1, D2), (D2, D3)]  # one whole day each, the date of the evening
    assert [str(e["SUMMARY"]) for e in nights] == ["Menginap: Losmen Mawar (MK1)"] * 2
    first = str(nights[0]["DESCRIPTION"])
    assert "Penginapan: Losmen Mawar [losmen]" in first
    assert "Tiba: 13.55 WITA" in first and "Berangkat lagi: Selasa 06.00 WITA" in first
    assert str(nights[0]["GEO"].to_ical()) in ("-5.19;119.44", "-5.190000;119.440000")
    assert str(nights[0]["LOCATION"]) == "Losmen Mawar (-5.19000, 119.44000)"
    assert str(nights[0]["TRANSP"]) == "TRANSPARENT"  # the night does not block the day
    island = _nights(mk2)
    assert len(island) == 1 and island[0].decoded("DTSTART") == D2
    assert str(island[0]["SUMMARY"]) == "Menginap: Pulau Barrang (MK 2/Perahu)"
    assert "Kecamatan Ujung/Tanah" in str(island[0]["LOCATION"])  # a village as lodging
    uids = [str(e["UID"]) for e in every]
    assert len(set(uids)) == 9 and "uji-sulawesi-2024.mk1.2024-03-04.night@jemput" in uids


def test_ics_trip_day_departs_from_the_lodging_not_the_office(trips, tmp_path):
    """The first visit of a day says where the team leaves from: the office on Monday, the
    losmen on Tuesday (a start place the plan leaves to its default), the island's balai desa
    on `MK 2/Perahu`'s Wednesday, whose boat home leaves after the 06.00-07.30 visit. The last
    visit of a day that ends at a lodging says where the team sleeps; the island visit of
    Tuesday has no boat home (the team stays)."""
    ics.write(trips, tmp_path)
    _, evs = events(tmp_path / "calendar" / "all.ics")
    timed = [e for e in evs if isinstance(e.decoded("DTSTART"), dt.datetime)]
    visits = {(e.decoded("DTSTART").date(), str(e["SUMMARY"])): str(e["DESCRIPTION"])
              for e in timed}
    assert "Berangkat: 08.00 WITA dari Kantor Disdukcapil" in visits[(D1, "MK1: Sukamaju – 60")]
    tuesday = visits[(D2, "MK1: Sukamaju – 40")]
    assert "Berangkat: 06.00 WITA dari Losmen Mawar" in tuesday and "Kantor" not in tuesday
    assert "Tiba: 06.10 WITA" in tuesday
    assert visits[(D1, "MK1: Bonto Tangnga (Tanpa sinyal) – 42")].endswith(
        "Menginap: Losmen Mawar")
    assert "Berangkat" not in visits[(D1, "MK1: Bonto Tangnga (Tanpa sinyal) – 42")]
    stay = visits[(D2, "MK 2/Perahu: Pulau Barrang (perahu dari Dermaga Paotere) – 45")]
    assert "pulang" not in stay and stay.endswith("Menginap: Pulau Barrang")
    morning = visits[(D3, "MK 2/Perahu: Pulau Barrang (lalu perahu ke Dermaga Paotere) – 12")]
    assert "Berangkat: 06.00 WITA dari Pulau Barrang" in morning
    assert morning.endswith(
        "Perahu/sungai: pulang: berangkat 07.30 WITA dari Pulau Barrang, perahu 60 menit")
    assert "Menginap" not in morning  # back home that night
    start = next(e.decoded("DTSTART") for e in timed if "– 12" in str(e["SUMMARY"]))
    assert start == dt.datetime(2024, 3, 6, 6, tzinfo=ZoneInfo(ZONE))


def test_ics_nights_in_english(trips, tmp_path):
    ics.write(trips, tmp_path, lang="en")
    _, evs = events(tmp_path / "calendar" / "MK1.ics")
    nights = _nights(evs)
    assert [str(e["SUMMARY"]) for e in nights] == ["Night away: Losmen Mawar (MK1)"] * 2
    text = str(nights[0]["DESCRIPTION"])
    assert "Lodging: Losmen Mawar [losmen]" in text and "Leaves again: Tuesday 06:00 WITA" in text
    tuesday = next(str(e["DESCRIPTION"]) for e in evs if "Sukamaju – 40" in str(e["SUMMARY"]))
    assert "Depart: 06:00 WITA from Losmen Mawar" in tuesday


def test_a_long_unit_id_gives_a_short_file_name():
    """A 300-character unit id once made a file name the file system refused (over 255
    bytes), after the whole plan was made; distinct ids still get distinct names."""
    name = ics.unit_file_name("U" * 300)
    assert name == "U" * 80 + ".ics"
    assert ics.unit_file_name("MK 1") == "MK_1.ics"


def _renamed_plan(unit_id: str, village_ids: tuple[str, str]) -> Plan:
    """The sample with MK1 renamed and the two mainland villages given new ids: MK1's Monday
    visits both."""
    data = copy.deepcopy(GEO)
    data["units"][0]["id"] = unit_id
    data["villages"][0]["id"], data["villages"][1]["id"] = village_ids
    scenario = make_scenario(data)
    route = Route(unit_id, D1, "weekday", hm(8), hm(15), (
        Stop(village_ids[0], hm(8, 20), hm(8, 30), hm(12), 84, hm(0, 20)),
        Stop(village_ids[1], hm(12, 15), hm(12, 15), hm(14, 30), 42, hm(0, 15))), hm(0, 55))
    return Plan(scenario, (route,))


def test_ids_with_the_same_slug_get_distinct_uids(tmp_path):
    # `a.1` and `a-1` both slug to `a-1`: one UID would make a phone merge the two visits
    ics.write(_renamed_plan("MK1", ("a.1", "a-1")), tmp_path)
    _, evs = events(tmp_path / "calendar" / "MK1.ics")
    uids = [str(e["UID"]) for e in evs]
    assert len(uids) == len(set(uids)) == 2
    # ids whose slug no other id shares keep the UID they always had
    ics.write(_renamed_plan("MK1", ("a.1", "b-2")), tmp_path / "other")
    _, evs = events(tmp_path / "other" / "calendar" / "MK1.ics")
    assert sorted(str(e["UID"]) for e in evs) == [
        "uji-sulawesi-2024.mk1.2024-03-04.a-1@jemput", "uji-sulawesi-2024.mk1.2024-03-04.b-2@jemput"]


def test_a_unit_called_all_keeps_its_own_calendar_file(tmp_path):
    ics.write(_renamed_plan("all", (SUKAMAJU, BONTO)), tmp_path)
    folder = tmp_path / "calendar"
    assert sorted(p.name for p in folder.iterdir()) == ["MK_2_Perahu.ics", "_all.ics", "all.ics"]
    cal, evs = events(folder / "all.ics")
    assert str(cal["X-WR-CALNAME"]).endswith("– all") and len(evs) == 2


# -- UIDs across re-plans ------------------------------------------------------------------
def test_a_renamed_scenario_keeps_the_uids_the_folder_published(geo_plan, tmp_path):
    """The campaign part of the UIDs is read back from the calendars in a plan folder (a
    long one folded over two lines too); a plan whose `changes` carry it (a re-plan into that
    folder) keeps it however the scenario is now called, so the phones update the events
    they hold; without it the name's slug is used."""
    ics.write(geo_plan, tmp_path / "first")
    assert ics_uid.published_campaign(tmp_path / "first") == "uji-sulawesi-2024"
    assert ics_uid.published_campaign(tmp_path / "nowhere") is None
    _, first = events(tmp_path / "first" / "calendar" / "all.ics")
    renamed = make_scenario({**GEO, "name": "Uji Sulawesi 2024 (revisi; minggu 2)"})
    carried = dataclasses.replace(geo_plan, scenario=renamed, report={
        "changes": {"calendar_campaign": "uji-sulawesi-2024"}})
    ics.write(carried, tmp_path / "re")
    _, again = events(tmp_path / "re" / "calendar" / "all.ics")
    assert [str(e["UID"]) for e in again] == [str(e["UID"]) for e in first]
    ics.write(dataclasses.replace(geo_plan, scenario=renamed), tmp_path / "fresh")
    _, fresh = events(tmp_path / "fresh" / "calendar" / "all.ics")
    assert all(str(e["UID"]).startswith("uji-sulawesi-2024-revisi-minggu-2.") for e in fresh)
    long_name = make_scenario({**GEO, "name": "Kabupaten " * 8})
    ics.write(dataclasses.replace(geo_plan, scenario=long_name), tmp_path / "long")
    assert b"\r\n " in (tmp_path / "long" / "calendar" / "all.ics").read_bytes()
    assert ics_uid.published_campaign(tmp_path / "long") == ics_uid.slug("Kabupaten " * 8)


def test_the_calendar_name_is_escaped_as_text(geo_plan, tmp_path):
    """X-WR-CALNAME is TEXT (RFC 5545 §3.3.11) like SUMMARY: a scenario name with `;`, `,`
    or a backslash is escaped (it was written raw)."""
    name = "Uji; Sulawesi, 2024 \\ revisi"
    plan = dataclasses.replace(geo_plan, scenario=make_scenario({**GEO, "name": name}))
    ics.write(plan, tmp_path)
    raw = (tmp_path / "calendar" / "all.ics").read_bytes().replace(b"\r\n ", b"")
    assert b"X-WR-CALNAME:Uji\\; Sulawesi\\, 2024 \\\\ revisi\r\n" in raw
    unit = (tmp_path / "calendar" / "MK1.ics").read_bytes().replace(b"\r\n ", b"")
    assert b"X-WR-CALNAME:Uji\\; Sulawesi\\, 2024 \\\\ revisi \xe2\x80\x93 MK1\r\n" in unit


def test_withdrawn_events_are_their_cancelled_revisions_in_a_plain_calendar(geo_plan,
                                                                            tmp_path):
    """calendar-cancelled/ holds one event per withdrawn visit or night under the UID the
    earlier calendar published it with: STATUS:CANCELLED, a higher SEQUENCE, free, titled
    DIBATALKAN. No file says METHOD (an iTIP CANCEL must hold one UID and an ORGANIZER; a
    PUBLISH an ORGANIZER too): they are plain RFC 5545 calendars, which phones import."""
    ics.write(geo_plan, tmp_path / "earlier")
    published = {str(e["UID"]): e for e in events(tmp_path / "earlier" / "calendar" /
                                                   "all.ics")[1]}
    changes = {"withdrawn": [{"unit": "MK1", "date": D1.isoformat(), "village_id": BONTO,
                              "start": "12:15:00", "end": "14:30:00"}],
               "withdrawn_nights": [{"unit": "MK1", "date": D2.isoformat(),
                                     "night_at": "dermaga"}]}
    plan = dataclasses.replace(geo_plan, report={"changes": changes})
    for lang in ("id", "en"):
        ics.write(plan, tmp_path / lang, lang=lang)
    for name in ("MK1.ics", "all.ics"):
        raw = (tmp_path / "id" / "calendar-cancelled" / name).read_bytes()
        assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
        assert max(len(line) for line in raw.split(b"\r\n")) <= 75
        cal, evs = events(tmp_path / "id" / "calendar-cancelled" / name)
        assert "METHOD" not in cal and "ORGANIZER" not in raw.decode()
        assert [str(e["STATUS"]) for e in evs] == ["CANCELLED"] * 2
        assert all(str(e["TRANSP"]) == "TRANSPARENT" for e in evs)
        visit, night = evs
        assert str(visit["UID"]) in published  # the event the phones hold
        assert str(visit["UID"]) == "uji-sulawesi-2024.mk1.2024-03-04.7371010002@jemput"
        assert visit.decoded("DTSTART") == published[str(visit["UID"])].decoded("DTSTART")
        assert int(visit["SEQUENCE"]) >= int(published[str(visit["UID"])]["SEQUENCE"])
        assert str(visit["SUMMARY"]) == "DIBATALKAN: MK1: Bonto Tangnga"
        assert "tidak ada lagi dalam rencana terbaru" in str(visit["DESCRIPTION"])
        assert str(night["UID"]) == "uji-sulawesi-2024.mk1.2024-03-05.night@jemput"
        assert str(night["SUMMARY"]) == "DIBATALKAN: Menginap: Dermaga Paotere (MK1)"
        assert night.decoded("DTSTART") == D2 and night.decoded("DTEND") == D3
    _, evs = events(tmp_path / "en" / "calendar-cancelled" / "all.ics")
    assert str(evs[0]["SUMMARY"]) == "CANCELLED: MK1: Bonto Tangnga"
    assert str(evs[0]["DESCRIPTION"]) == "This visit is no longer in the latest plan: cancelled."
    cal, _ = events(tmp_path / "id" / "calendar" / "all.ics")
    assert "METHOD" not in cal
    assert not (tmp_path / "earlier" / "calendar-cancelled").exists()


def _clock_times(text: str) -> list[str]:
    """The clock times of a visit's text (`08.15`, `08:15`), in the order written; each
    must give its zone (`08.15 WITA`)."""
    clock_time = r"(?<![\d.])(\d\d[.:]\d\d)(?![\d.])"  # not in `18.09.06.2019`
    times = re.findall(clock_time, text)
    assert re.findall(clock_time + " WITA", text) == times, text
    return [t.replace(":", ".") for t in times]


def test_a_day_ending_across_the_water_reads_in_time_order(trips, tmp_path):
    """The audit's Pesawaran day: a mainland visit, then the boat to the lodging on the
    island. The boat line gave no zone and came before the arrival at the village (21.55
    before 17.19): it now follows the visit, with its zone, just before the night away
    (Sukamaju 08.15-10.00, 20 min 20 s to the port, the boat leaves 10.20)."""
    route = Route("MK 2/Perahu", D2, "weekday", hm(8), hm(13), (
        Stop(SUKAMAJU, hm(8, 15), hm(8, 15), hm(10), 20, hm(0, 13)),), hm(1, 30),
        end_place=PULAU)
    plan = Plan(trips.scenario, (route,))
    for lang, boat, night in (
            ("id", "Perahu/sungai: ke penginapan: berangkat 10.20 WITA dari Dermaga Paotere, "
                   "perahu 60 menit", "Menginap: Pulau Barrang"),
            ("en", "Boat/river: to the lodging: leaves Dermaga Paotere at 10:20 WITA, boat 60 "
                   "min", "Night away: Pulau Barrang")):
        ics.write(plan, tmp_path / lang, lang=lang)
        _, evs = events(tmp_path / lang / "calendar" / "all.ics")
        text = str(next(e for e in evs if "Sukamaju" in str(e["SUMMARY"]))["DESCRIPTION"])
        assert text.splitlines()[-2:] == [boat, night]
        assert _clock_times(text) == ["08.00", "08.15", "10.20"]


def test_every_visit_text_of_the_sample_plans_is_in_time_order(geo_plan, trips, tmp_path):
    for name, plan in (("geo", geo_plan), ("trips", trips)):
        ics.write(plan, tmp_path / name)
        _, evs = events(tmp_path / name / "calendar" / "all.ics")
        for event in evs:
            if isinstance(event.decoded("DTSTART"), dt.datetime):
                times = _clock_times(str(event["DESCRIPTION"]))
                assert times == sorted(times), str(event["SUMMARY"])


def test_an_offline_village_counts_on_a_date_in_words_in_english(geo_plan, tmp_path):
    ics.write(geo_plan, tmp_path, lang="en")
    _, evs = events(tmp_path / "calendar" / "all.ics")
    text = str(next(e for e in evs if "Bonto" in str(e["SUMMARY"]))["DESCRIPTION"])
    assert "counts on Thursday, 7 March 2024." in text


def test_a_title_names_the_boat_and_which_way_it_goes(trips, tmp_path):
    """The audit's `MK1: Pampangan (Perahu/sungai)` marked a mainland village as reached by
    boat: the boat was the way back from Pulau Legundi before the drive to it. A title now
    names its boats: `perahu dari <port>` on the way to the visit, `lalu perahu ke <place>`
    after the day's last one. Here the team leaves the island's balai desa by boat for
    Sukamaju, then Bonto by road (no boat of its own), and sleeps at the losmen."""
    route = Route("MK 2/Perahu", D3, "weekday", hm(6), hm(15), (
        Stop(SUKAMAJU, hm(7, 20), hm(7, 20), hm(10), 20, hm(1, 20)),
        Stop(BONTO, hm(10, 15), hm(10, 15), hm(12), 20, hm(0, 15))), hm(2),
        start_place=PULAU, end_place=LOSMEN)
    plan = Plan(trips.scenario, (route,))
    for lang, first, second in (
            ("id", "MK 2/Perahu: Sukamaju (perahu dari Pulau Barrang) – 20",
             "MK 2/Perahu: Bonto Tangnga (Tanpa sinyal) – 20"),
            ("en", "MK 2/Perahu: Sukamaju (boat from Pulau Barrang) – 20",
             "MK 2/Perahu: Bonto Tangnga (No signal) – 20")):
        ics.write(plan, tmp_path / lang, lang=lang)
        _, evs = events(tmp_path / lang / "calendar" / "all.ics")
        assert [str(e["SUMMARY"]) for e in evs][:2] == [first, second]
    back = Route("MK 2/Perahu", D2, "weekday", hm(8), hm(13), (
        Stop(SUKAMAJU, hm(8, 15), hm(8, 15), hm(10), 20, hm(0, 13)),), hm(1, 30),
        end_place=PULAU)
    ics.write(Plan(trips.scenario, (back,)), tmp_path / "back", lang="en")
    _, evs = events(tmp_path / "back" / "calendar" / "all.ics")
    assert str(evs[0]["SUMMARY"]) == "MK 2/Perahu: Sukamaju (then boat to Pulau Barrang) – 20"


def test_each_event_is_made_once_for_the_unit_and_the_all_units_file(trips, tmp_path,
                                                                     monkeypatch):
    """A unit's file and all.ics hold the same events: each made once, not once per file
    (making them was half of the calendars' time on a large plan)."""
    made = Counter()
    visit_event, night_event = ics.visit_event, ics.night_event
    monkeypatch.setattr(ics, "visit_event", lambda plan, route, seq, *a: made.update(
        [("visit", route.unit, route.date, seq)]) or visit_event(plan, route, seq, *a))
    monkeypatch.setattr(ics, "night_event", lambda plan, route, *a: made.update(
        [("night", route.unit, route.date)]) or night_event(plan, route, *a))
    ics.write(trips, tmp_path)
    assert made and set(made.values()) == {1}
    _, every = events(tmp_path / "calendar" / "all.ics")
    per_unit = [e for p in (tmp_path / "calendar").glob("*.ics") if p.name != "all.ics"
                for e in events(p)[1]]
    assert len(every) == len(per_unit) == len(made)
    assert sorted(e.to_ical() for e in every) == sorted(e.to_ical() for e in per_unit)
