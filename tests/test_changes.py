"""What a new plan changes for the villages told before (`planner.changes`, changes.csv):
hand-computed cases, and the command line against a comparison made here from the two
folders' visits.csv."""
from __future__ import annotations

import copy
import csv
import dataclasses
import datetime as dt
import json
import re
import shutil

import icalendar
import pandas as pd
import pytest
from openpyxl import load_workbook

from planner.changes import announced_hours, announced_visits, said, schedule_changes
from planner.export import ics
from tests.conftest import make_scenario
from tests.export.sample import (BONTO, D1, D2, D3, GEO, LOSMEN, PULAU, SUKAMAJU, TRIPS,
                                 hand_made_plan, hm, trip_plan)
from tests.test_actuals import CAMPAIGN, TODAY, run_cli, write_campaign
from tests.test_keep import a_third_less, actuals_file, earlier  # noqa: F401 (fixture)
from tests.test_keep import campaign  # noqa: F401 (fixture)

SAMPLE_START = D1  # the sample campaign's first day


@pytest.fixture
def geo_plan():
    """The export tests' hand-made plan (`tests.export.sample`)."""
    return hand_made_plan(make_scenario(GEO))


def test_service_hours_are_rounded_outward_to_five_minutes():
    assert announced_hours(hm(7, 42), hm(15, 45)) == (hm(7, 40), hm(15, 45))
    assert announced_hours(hm(7, 43), hm(15, 46)) == (hm(7, 40), hm(15, 50))
    assert announced_hours(hm(8), hm(12) + 1) == (hm(8), hm(12, 5))  # a second over


def test_said_reads_back():
    visits = ((D1, hm(8, 30), hm(12)), (D3, hm(7, 40), hm(15, 50)))
    assert said(visits) == "2024-03-04 08:30-12:00; 2024-03-06 07:40-15:50"
    assert announced_visits(said(visits)) == list(visits)
    assert announced_visits("") == []


def earlier_visits(*rows):
    return pd.DataFrame([dict(unit=u, date=d, seq=1, village_id=v, start=s, end=e, line=2)
                         for u, d, v, s, e in rows],
                        columns=["unit", "date", "seq", "village_id", "start", "end", "line"])


def test_each_village_by_what_its_notice_says(geo_plan):
    """The hand-made plan: Sukamaju Mon 08:30-12:00 (MK1) and Wed 08:20-12:40, Bonto Mon
    12:15-14:30, the island Tue 09:30-13:30. Told before: Sukamaju Mon 08:31-11:56 by the
    other unit (the same notice once rounded: unchanged for the village, withdrawn from that
    unit's calendar) and Wed as now, Bonto on Tue (moved: changed), the island only on 1
    March, before the plan's first day (so it is added)."""
    before = earlier_visits(("MK 2/Perahu", D1, SUKAMAJU, hm(8, 31), hm(11, 56)),
                            ("MK1", D3, SUKAMAJU, hm(8, 20), hm(12, 40)),
                            ("MK1", D2, BONTO, hm(12, 15), hm(14, 30)),
                            ("MK1", dt.date(2024, 3, 1), PULAU, hm(9), hm(10)))
    got = schedule_changes(before, geo_plan)
    assert got["since"] == SAMPLE_START.isoformat()
    assert (got["unchanged"], got["changed"], got["cancelled"], got["added"]) == (1, 1, 0, 1)
    assert got["villages"] == [
        {"village_id": BONTO, "village": "Bonto Tangnga", "district": "Tamalate",
         "change": "changed", "earlier": "2024-03-05 12:15-14:30", "now": "2024-03-04 12:15-14:30"},
        {"village_id": PULAU, "village": "Pulau Barrang", "district": "Ujung/Tanah",
         "change": "added", "earlier": "", "now": "2024-03-05 09:30-13:30"}]
    # the teams' calendars drop MK 2/Perahu's Monday (MK1 goes now) and Bonto's Tuesday
    assert got["withdrawn"] == [
        {"unit": "MK 2/Perahu", "date": "2024-03-04", "village_id": SUKAMAJU,
         "start": "08:31:00", "end": "11:56:00"},
        {"unit": "MK1", "date": "2024-03-05", "village_id": BONTO, "start": "12:15:00",
         "end": "14:30:00"}]


def test_a_village_that_loses_its_visit_is_cancelled(geo_plan):
    without_island = dataclasses.replace(
        geo_plan, routes=tuple(r for r in geo_plan.routes if r.date != D2))
    before = earlier_visits(("MK 2/Perahu", D2, PULAU, hm(9, 30), hm(13, 30)))
    got = schedule_changes(before, without_island)
    assert (got["changed"], got["cancelled"], got["added"]) == (0, 1, 2)
    assert got["villages"][0] == {"village_id": PULAU, "village": "Pulau Barrang",
                                  "district": "Ujung/Tanah", "change": "cancelled",
                                  "earlier": "2024-03-05 09:30-13:30", "now": ""}


def test_nights_the_new_plan_no_longer_spends_away_are_withdrawn():
    """The trip sample: MK1 away on Mon and Tue (Losmen Mawar), home on Wed; `MK 2/Perahu`
    away on Tue (the island). Told before: MK1 away on Mon (still: no change) and Wed (now
    home: withdrawn), `MK 2/Perahu` on Tue at the losmen (now the island: the same night's
    event, updated), MK1 home on Tue (no night), and a unit the scenario no longer has away on
    Tue, home on Wed (its night is withdrawn: it goes out no more; its home is where its last
    day ended)."""
    plan = trip_plan(make_scenario(TRIPS))
    days = pd.DataFrame([("MK1", D1, LOSMEN), ("MK1", D3, LOSMEN), ("MK 2/Perahu", D2, LOSMEN),
                         ("MK1", D2, "kantor"), ("MK9", D2, LOSMEN), ("MK9", D3, "pos")],
                        columns=["unit", "date", "end_place"])
    got = schedule_changes(earlier_visits(), plan, days)
    assert got["withdrawn_nights"] == [{"unit": "MK1", "date": "2024-03-06", "night_at": LOSMEN},
                                       {"unit": "MK9", "date": "2024-03-05", "night_at": LOSMEN}]
    assert schedule_changes(earlier_visits(), plan)["withdrawn_nights"] == []


def rounded(value: str) -> str:
    h, m, s = map(int, value.split(":"))
    return f"{h:02d}:{m - m % 5:02d}"


def rounded_up(value: str) -> str:
    h, m, s = map(int, value.split(":"))
    up = (h * 3600 + m * 60 + s + 299) // 300 * 300
    return f"{up // 3600:02d}:{up % 3600 // 60:02d}"


def expected_changes(earlier_rows, new_rows, since: str) -> dict[str, str]:
    """Village -> change, from two visits.csv's rows (a comparison written apart from the
    module's: the notices' hours, start rounded down and end up to 5 minutes)."""
    def told(rows):
        out: dict[str, set] = {}
        for r in rows:
            if r["date"] >= since:
                out.setdefault(r["village_id"], set()).add(
                    (r["date"], rounded(r["start"]), rounded_up(r["end"])))
        return out
    before, now = told(earlier_rows), told(new_rows)
    kinds = {}
    for vid in set(before) | set(now):
        if before.get(vid) != now.get(vid):
            kinds[vid] = ("cancelled" if vid not in now else "added" if vid not in before
                          else "changed")
    return kinds


def read_rows(path):
    with path.open() as f:
        return list(csv.DictReader(f))


def test_a_re_plan_into_the_folder_names_the_villages_to_tell(earlier, tmp_path):  # noqa: F811
    folder, plan = earlier
    scenario = write_campaign(tmp_path)
    out = tmp_path / "plan"
    shutil.copytree(folder, out)
    before = read_rows(out / "visits.csv")
    path = actuals_file(plan, tmp_path, change=a_third_less)
    common = [scenario, "-o", out, "--actuals", path, "--today", TODAY, "--planner", "greedy",
              "-q", "--formats", "announcements,schedule", "--lang", "en"]
    result = run_cli(common)
    assert result.exit_code == 0, result.output
    expected = expected_changes(before, read_rows(out / "visits.csv"), TODAY.isoformat())
    table = read_rows(out / "changes.csv")
    assert expected and {r["village_id"]: r["change"] for r in table} == expected
    summary = json.loads((out / "summary.json").read_text())["changes"]
    assert summary["villages"] == table
    assert sum(summary[k] for k in ("changed", "cancelled", "added")) == len(table)
    assert (f"against the earlier plan from {TODAY}, villages to tell (changes.csv): "
            f"{summary['changed']} with changed visits, {summary['cancelled']} with a visit "
            "cancelled") in result.output
    pages = "".join(p.read_text() for p in (out / "announcements").iterdir())
    for row in table:  # every moved or cancelled visit is named on its kecamatan's page
        if row["change"] == "changed":
            assert "Jadwal berubah" in pages
        if row["change"] == "cancelled":
            assert "<strong>dibatalkan</strong>" in pages
    messages = "".join(p.read_text() for p in (out / "messages").glob("*.txt"))
    tags = {"changed": "berubah", "cancelled": "dibatalkan", "added": "baru"}
    for row in table:  # and each of those villages has its message to send, marked so
        assert f"({row['village_id']}) [{tags[row['change']]}] ---" in messages
    assert messages.count("[tetap: ") == summary["unchanged"]
    send_page = (out / "messages" / "kirim-whatsapp.html").read_text()
    to_send, _, folded = send_page.partition('<details class="same">')
    ids = r'<section data-village-id="([^"]+)"'
    assert sorted(re.findall(ids, to_send)) == sorted(r["village_id"] for r in table)
    assert len(re.findall(ids, folded)) == summary["unchanged"]
    for kind, said in (("cancelled", "*dibatalkan*"), ("changed", "*Jadwal berubah.*")):
        assert messages.count(said) == sum(r["change"] == kind for r in table)

    sheet = load_workbook(out / "schedule.xlsx")["Schedule changes"]
    assert [(r[1].value, r[3].value) for r in sheet.iter_rows(min_row=2)] == \
        [(r["village_id"], r["change"]) for r in table]

    again = run_cli(common)  # the same re-plan again: nothing changes
    assert again.exit_code == 0, again.output
    assert read_rows(out / "changes.csv") == []
    assert "the same as the earlier plan from 2024-01-22: no village's visits change" \
        in again.output
    assert "Jadwal berubah" not in "".join(
        p.read_text() for p in (out / "announcements").iterdir())
    assert "Schedule changes" not in load_workbook(out / "schedule.xlsx").sheetnames


def uids(path, since=""):
    """The UIDs of a calendar file's events (visits and nights away) from `since` on (an ISO
    date)."""
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    out = set()
    for event in cal.walk("VEVENT"):
        day = event.decoded("dtstart")  # a night away is an all-day event: a date
        if (day.date() if isinstance(day, dt.datetime) else day).isoformat() >= since:
            out.add(str(event["uid"]))
    return out


def sequences(path) -> dict[str, int]:
    """Each event's UID in a calendar file, with its SEQUENCE."""
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(e["uid"]): int(e["sequence"]) for e in cal.walk("VEVENT")}


@pytest.mark.parametrize("renamed", [False, True], ids=["same-name", "renamed"])
def test_a_re_plan_cancels_on_the_calendars_what_it_withdraws(earlier, tmp_path,  # noqa: F811
                                                              monkeypatch, renamed):
    """Every event the earlier calendar published from `today` on is either in the new
    calendar (the same visit, perhaps at other hours: an update under its UID) or in
    calendar-cancelled/, with STATUS:CANCELLED; every event the re-plan writes, an update or
    a cancellation, has a SEQUENCE above every one published before (a calendar app ignores
    an event under a UID it holds otherwise). The same when the re-plan's scenario was
    renamed ("... (revisi)"): the UIDs keep the campaign part the teams' phones hold (they
    once took the new name's, duplicating every kept visit and cancelling nothing)."""
    folder, plan = earlier
    scenario = write_campaign(tmp_path)
    out = tmp_path / "plan"
    first = run_cli([scenario, "-o", out, "--planner", "greedy", "-q", "--formats", "calendar"])
    assert first.exit_code == 0, first.output
    published = {f.name: uids(f, TODAY.isoformat()) for f in (out / "calendar").glob("*.ics")}
    first_sequences = sequences(out / "calendar" / "all.ics")
    later = ics.now() + dt.timedelta(minutes=5)  # the office re-plans a few minutes on
    monkeypatch.setattr(ics, "now", lambda: later)
    path = actuals_file(plan, tmp_path, change=a_third_less)
    if renamed:
        (tmp_path / "revisi").mkdir()
        scenario = write_campaign(tmp_path / "revisi",
                                  {**CAMPAIGN, "name": "Re-plan; Minggu 3 (revisi)"})
    result = run_cli([scenario, "-o", out, "--actuals", path, "--today", TODAY, "--planner",
                      "greedy", "-q", "--formats", "calendar"])
    assert result.exit_code == 0, result.output
    changes = json.loads((out / "summary.json").read_text())["changes"]
    withdrawn = changes["withdrawn"]
    assert withdrawn, "the re-plan withdraws some published visits"
    for name, before in published.items():
        now = uids(out / "calendar" / name)
        gone = (out / "calendar-cancelled" / name)
        cancelled = uids(gone) if gone.exists() else set()
        assert before - now == cancelled and not cancelled & now, name
        assert before & now, name  # kept visits: updated in place
        assert all(u.startswith("re-plan.") for u in now | cancelled), name
    assert changes["calendar_campaign"] == "re-plan"  # summary.json says which
    cal = icalendar.Calendar.from_ical((out / "calendar-cancelled" / "all.ics").read_bytes())
    assert "method" not in cal  # a plain calendar (test_ics: the withdrawn events)
    events = cal.walk("VEVENT")
    assert len(events) == len(withdrawn)
    assert all(str(e["status"]) == "CANCELLED" for e in events)
    after = sequences(out / "calendar" / "all.ics") | sequences(
        out / "calendar-cancelled" / "all.ics")
    assert min(after.values()) > max(first_sequences.values())


def test_another_campaign_in_the_folder_lends_no_uids(geo_plan):
    """The earlier plan in the folder visited none of this scenario's villages (the folder
    reused for another district): its UIDs' campaign part is not taken."""
    before = earlier_visits(("MK1", D1, "elsewhere", hm(8), hm(9)))
    before.attrs["calendar_campaign"] = "other-district"
    assert "calendar_campaign" not in schedule_changes(before, geo_plan)
    before = earlier_visits(("MK1", D1, SUKAMAJU, hm(8), hm(9)))
    before.attrs["calendar_campaign"] = "uji-lama"
    assert schedule_changes(before, geo_plan)["calendar_campaign"] == "uji-lama"


def test_a_first_plan_has_no_changes_and_a_bad_earlier_table_only_warns(tmp_path):
    scenario = write_campaign(tmp_path)
    out = tmp_path / "plan"
    first = run_cli([scenario, "-o", out, "--planner", "greedy", "-q", "--formats", "progress"])
    assert first.exit_code == 0, first.output
    assert not (out / "changes.csv").exists()
    assert "changes" not in json.loads((out / "summary.json").read_text())
    lines = (out / "visits.csv").read_text().splitlines()
    lines[2] = lines[2].replace("2024-01-0", "2024-13-0", 1)
    (out / "visits.csv").write_text("\n".join(lines) + "\n")
    second = run_cli([scenario, "-o", out, "--planner", "greedy", "-q", "--formats", "progress",
                      "--lang", "en"])
    assert second.exit_code == 0, second.output
    assert ("warning: the earlier plan's visits cannot be compared with the new plan "
            f"({out}/visits.csv:3: date:") in second.output
    assert "changes.csv is not written" in second.output
    assert not (out / "changes.csv").exists()


def test_compare_plans_takes_a_plan_or_its_folder(geo_plan, tmp_path):
    from planner import compare_plans
    from planner.export.folder import write_plan_folder

    moved = dataclasses.replace(geo_plan, routes=tuple(
        dataclasses.replace(r, date=D2) if r.date == D3 else r for r in geo_plan.routes))
    write_plan_folder(geo_plan, tmp_path / "plan", formats=[])
    for earlier in (geo_plan, tmp_path / "plan"):
        table = compare_plans(earlier, moved)
        assert table.to_dict("records") == [
            {"village_id": SUKAMAJU, "village": "Sukamaju", "district": "Tamalate",
             "change": "changed", "earlier": "2024-03-04 08:30-12:00; 2024-03-06 08:20-12:40",
             "now": "2024-03-04 08:30-12:00; 2024-03-05 08:20-12:40"}]
    assert compare_plans(geo_plan, geo_plan).empty


def test_compare_plans_names_an_argument_that_is_not_a_plan(tiny_scenario):
    # compare_plans(scenario, plan) was pathlib's "expected str, bytes or os.PathLike object,
    # not Scenario"
    from planner import compare_plans
    from planner.baseline import plan_greedy

    plan = plan_greedy(tiny_scenario)
    with pytest.raises(TypeError, match="^compare_plans: earlier must be a Plan or its folder, "
                                        "not a Scenario$"):
        compare_plans(tiny_scenario, plan)
    with pytest.raises(TypeError, match="^compare_plans: plan must be a Plan, not a str$"):
        compare_plans(plan, "out/")
    assert compare_plans(plan, plan).empty


def test_a_village_gone_from_the_scenario_is_named_and_warned_about(tmp_path):
    """A village the earlier plan announced and the edited scenario no longer has (merged,
    or its id corrected): changes.csv names it as visits.csv wrote it, and a warning says no
    message is written for it, so the office tells it itself."""
    data = copy.deepcopy(CAMPAIGN)
    scenario = write_campaign(tmp_path, data)
    out = tmp_path / "plan"
    first = run_cli([scenario, "-o", out, "--planner", "greedy", "-q", "--formats", "progress"])
    assert first.exit_code == 0, first.output
    told = [r for r in read_rows(out / "visits.csv") if r["village_id"] == "v3"]
    assert told, "the first plan visits v3"
    data["villages"] = [v for v in data["villages"] if v["id"] != "v3"]
    write_campaign(tmp_path, data)
    second = run_cli([scenario, "-o", out, "--planner", "greedy", "-q", "--formats",
                      "announcements", "--lang", "en"])
    assert second.exit_code == 0, second.output
    gone = [r for r in read_rows(out / "changes.csv") if r["village_id"] == "v3"]
    assert gone == [{"village_id": "v3", "village": "Desa 3", "district": "Timur",
                     "change": "cancelled", "earlier": gone[0]["earlier"], "now": ""}]
    assert (f"warning: village 'v3' (Desa 3, kecamatan Timur) was told of {len(told)} visit(s) "
            f"from {told[0]['date']} on, now cancelled, and the scenario no longer has it: no "
            "message or announcement is written for it") in second.output
    assert "(v3)" not in "".join(p.read_text() for p in (out / "messages").glob("*.txt"))


def test_a_batch_district_sends_back_the_warning_for_a_village_gone(tmp_path):
    """The worker's task (`district_task.plan_district`) compares with the earlier plan as a
    single run does and returns the warning with its district's notices."""
    from planner.baseline import plan_greedy
    from planner.changes import earlier_tables_in
    from planner.district_task import EARLIER_KEY, plan_district
    from planner.export import tables

    data = copy.deepcopy(CAMPAIGN)
    tables.write(plan_greedy(make_scenario(data)), tmp_path)
    (tmp_path / "summary.json").write_text("{}")  # what makes the folder an earlier plan's
    visits, days = earlier_tables_in(tmp_path)
    data["villages"] = [v for v in data["villages"] if v["id"] != "v3"]
    edited = make_scenario(data)
    task = {**edited.model_dump(round_trip=True, by_alias=True), "source": edited.source,
            EARLIER_KEY: {"visits": visits, "days": days}}
    result = plan_district(task, {"solver": "greedy"})
    assert [n.key for n in result["notices"]] == ["changes_village_gone"]
    assert result["notices"][0].fields["name"] == "Desa 3"


def test_a_village_whose_id_was_corrected_is_warned_about_under_its_new_id(tmp_path):
    """Desa 3's Kemendagri code corrected between two plans: changes.csv cancels the old id
    and adds the new one, and the warning says its message goes out under the new id (not
    that nothing is written for it)."""
    data = copy.deepcopy(CAMPAIGN)
    scenario = write_campaign(tmp_path, data)
    out = tmp_path / "plan"
    first = run_cli([scenario, "-o", out, "--planner", "greedy", "-q", "--formats", "progress"])
    assert first.exit_code == 0, first.output
    data["villages"] = [dict(v, id="v3-new") if v["id"] == "v3" else v for v in data["villages"]]
    write_campaign(tmp_path, data)
    second = run_cli([scenario, "-o", out, "--planner", "greedy", "-q", "--formats",
                      "announcements", "--lang", "en"])
    assert second.exit_code == 0, second.output
    assert "warning: village 'v3' (Desa 3, kecamatan Timur), told of " in second.output
    assert "is 'v3-new' in the scenario now (its id corrected?): its message goes out under " \
           "v3-new as a new one" in second.output
    assert "no message or announcement is written for it" not in second.output
    assert "(v3-new) [baru] ---" in "".join(p.read_text()
                                           for p in (out / "messages").glob("*.txt"))
