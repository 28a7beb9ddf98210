"""`announcements/<kecamatan>.html`: a printable A4 notice per kecamatan for village heads.

Always in Bahasa Indonesia, whatever `lang` says: the readers are village heads and
residents. Self-contained (inline CSS, system fonts, no scripts, no links to fetch) so it
prints from a laptop without internet.

A re-plan (`plan.report["actuals"]`, DESIGN §4 `--actuals`) announces only the visits from
`today` on, says that this schedule replaces the earlier one, and tells each village that was
visited before `today` when and how many were recorded; every kecamatan still gets its page,
or the letter when none of its villages gets a visit from `today` on.
"""
from __future__ import annotations

import datetime as dt
import html
from collections import defaultdict
from pathlib import Path
from typing import Optional

from ..changes import announced_hours
from ..plan import Plan, Route, Stop
from . import messages, send_page
from .labels import long_date, zone_abbreviation
from .numbers import whole
from .notice_words import (BRING, FOOTER, WHO, changes_by_village, early_arrival, earlier_visit,
                           file_names, heads_word, hhmm, kind_word, kinds_word, office_of,
                           replan_today, service_place, told_before, village_heading)

__all__ = ["file_names", "letter_without_visits", "page", "write"]

CSS = """
@page { size: A4; margin: 15mm 15mm 18mm 15mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif;
       font-size: 11pt; line-height: 1.35; color: #000; background: #fff; margin: 0; }
main { max-width: 180mm; margin: 0 auto; padding: 8mm 0; }
header { border-bottom: 2px solid #000; margin-bottom: 5mm; padding-bottom: 2mm; }
header .office { font-size: 10pt; text-transform: uppercase; letter-spacing: 0.03em; }
h1 { font-size: 16pt; margin: 1mm 0; }
h2 { font-size: 13pt; margin: 5mm 0 2mm 0; border-bottom: 1px solid #777; }
table { width: 100%; border-collapse: collapse; margin: 2mm 0 3mm 0; table-layout: fixed; }
col.day { width: 38%; } col.hours { width: 24%; } col.people { width: 24%; } col.unit { width: 14%; }
th, td { border: 1px solid #444; padding: 1.5mm 2mm; text-align: left; vertical-align: top; }
th { background: #e8e8e8; }
td.num { text-align: right; }
.village { page-break-inside: avoid; break-inside: avoid; }
.note { border-left: 3px solid #000; padding: 1mm 3mm; margin: 2mm 0; background: #f4f4f4; }
.note p, .note ul { margin: 1mm 0; }
.general { page-break-inside: avoid; break-inside: avoid; }
footer { margin-top: 6mm; font-size: 9pt; color: #333; }
@media print { main { padding: 0; } th { background: #e8e8e8 !important; } }
"""

def _new_schedule_note(plan: Plan) -> str:
    """With a re-plan: this schedule replaces the earlier one from `today`; with kept visits
    (`--keep-until`), the visits announced up to the kept day stand."""
    today = replan_today(plan)
    if today is None:
        return ""
    kept = plan.report.get("kept")
    stand = "" if not kept else (
        " Kunjungan yang sudah diumumkan sampai "
        f"{html.escape(long_date(dt.date.fromisoformat(kept['until'])))} tetap berlaku,"
        " kecuali yang disebut berubah atau dibatalkan.")
    return (f'<p class="note"><strong>Jadwal baru</strong> ini berlaku mulai '
            f"{html.escape(long_date(today))} dan menggantikan pengumuman sebelumnya.{stand}</p>")


def _offline_note(plan: Plan, village, visits: list[tuple[Route, Stop]]) -> str:
    """One sentence per visit date: when that day's recordings are recorded in the system."""
    e = html.escape
    sentences = []
    for route, stop in sorted(visits, key=lambda rs: rs[0].date):
        sentences.append(
            f"<li>Perekaman tanggal {e(long_date(route.date))} tercatat paling lambat "
            f"<strong>{e(long_date(plan.counts_on(route, stop)))}</strong>.</li>")
    kind = kind_word(village)
    return (f'<div class="note"><p><strong>{kind.capitalize()} tanpa sinyal.</strong> Perekaman '
            "dilakukan secara luring (offline); data dikirim setelah tim kembali ke kantor.</p>"
            f"<ul>{''.join(sentences)}</ul>"
            f"<p>KTP-el dicetak sesudahnya dan dibagikan melalui kantor {kind}.</p></div>")


def _village_section(plan: Plan, vid: str, visits: list[tuple[Route, Stop]], tz: str) -> str:
    v = plan.scenario.village(vid)
    e = html.escape
    rows, early = [], []
    for route, stop in visits:
        start, end = announced_hours(stop.start, stop.end)
        rows.append(
            f"<tr><td>{e(long_date(route.date))}</td>"
            f"<td>{hhmm(start)}–{hhmm(end)} {tz}</td>"
            f"<td class=num>{whole(stop.recorded)}</td><td>{e(route.unit)}</td></tr>")
        if (arrive := early_arrival(stop)) is not None:
            early.append(f"pada {e(long_date(route.date))} sekitar pukul {hhmm(arrive)} {tz}")
    parts = [
        f'<section class="village" data-village-id="{e(v.id)}">',
        f"<h2>{e(village_heading(v))}</h2>",
        f"<p>Belum terekam saat ini: sekitar <strong>{whole(v.unrecorded)}</strong> warga.</p>",
        *([f"<p>Sudah dikunjungi: {e(earlier)}.</p>"]
          if (earlier := earlier_visit(plan, vid)) else []),
        *([f'<p class="note"><strong>Jadwal berubah.</strong> Jadwal yang diumumkan '
           f"sebelumnya ({e(told_before(changed, tz))}) tidak berlaku lagi; yang berlaku adalah "
           "jadwal di bawah ini.</p>"]
          if (changed := changes_by_village(plan).get(vid)) and changed["earlier"] else []),
        '<table><colgroup><col class="day"><col class="hours"><col class="people">'
        '<col class="unit"></colgroup><thead><tr><th>Hari, tanggal</th><th>Jam pelayanan</th>'
        "<th>Perkiraan warga dilayani</th><th>Unit</th></tr></thead>",
        "<tbody>" + "".join(rows) + "</tbody></table>",
    ]
    for when in early:
        parts.append(f"<p>Tim tiba {when} untuk persiapan.</p>")
    if not v.signal:
        parts.append(_offline_note(plan, v, visits))
    if not v.power:
        parts.append('<p class="note">Tim membawa genset sendiri.</p>')
    parts.append("</section>")
    return "\n".join(parts)


def _document(plan: Plan, district: str, heading: str, body: str) -> str:
    """A whole printable page: the office and contact in the header, `body` below."""
    sc = plan.scenario
    e = html.escape
    office, phone = office_of(sc)
    phone_line = f"<div>Telepon: <strong>{e(phone)}</strong></div>" if phone else ""
    title = f"{heading} – Kecamatan {district or '-'}"
    return f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title>
<style>{CSS}</style>
</head>
<body>
<main>
<header>
<div class="office">{e(office)}</div>
<h1>{e(heading)}</h1>
<div>Kecamatan <strong>{e(district or '-')}</strong> · {e(sc.name)}</div>
{phone_line}
</header>
{_new_schedule_note(plan)}
{body}
<footer>{FOOTER} Informasi: {e(office)}{f", telepon {e(phone)}" if phone else ""}.</footer>
</main>
</body>
</html>
"""


def page(plan: Plan, district: str, visits: list[tuple[Route, Stop]]) -> str:
    """The whole HTML page for one kecamatan with visits."""
    sc = plan.scenario
    e = html.escape
    tz = zone_abbreviation(sc.calendar.timezone)
    by_village: dict[str, list[tuple[Route, Stop]]] = defaultdict(list)
    for route, stop in visits:
        by_village[stop.village_id].append((route, stop))
    first = {vid: min(r.date for r, _ in vs) for vid, vs in by_village.items()}
    order = sorted(by_village, key=lambda vid: (first[vid], sc.village(vid).label))
    sections = "\n".join(_village_section(plan, vid, by_village[vid], tz) for vid in order)
    bring = "".join(f"<li>{e(item)}</li>" for item in BRING)
    here = [v for v in sc.villages if (v.district or "") == district]
    kinds = kinds_word(here)
    place = "balai desa atau kantor desa/kelurahan" if "/" in kinds else service_place(here[0])
    body = f"""<p>Kepada Yth. {heads_word(here)} di Kecamatan {e(district or '-')}: mohon pengumuman
ini disampaikan kepada warga. Tim perekaman KTP-el akan datang ke {kinds} sesuai jadwal di bawah
ini (waktu {e(tz)}). Mohon disiapkan tempat pelayanan ({place}) dan aliran listrik bila
tersedia.</p>
<div class="general">
<h2>Siapa yang perlu datang</h2>
<p>{WHO}</p>
<h2>Yang perlu dibawa</h2>
<ul>{bring}</ul>
</div>
{sections}
{_not_visited(plan, district, set(by_village))}"""
    return _document(plan, district, "Pengumuman Perekaman KTP-el Keliling (Jemput Bola)", body)


def _not_visited(plan: Plan, district: str, visited: set[str]) -> str:
    """The kecamatan's villages that this plan does not visit, and where their residents can
    still be recorded; empty when every village gets a visit."""
    e = html.escape
    others = sorted((v for v in plan.scenario.villages
                     if (v.district or "") == district and v.id not in visited),
                    key=lambda v: v.label)
    if not others:
        return ""
    office, phone = office_of(plan.scenario)
    reach = e(office) + (f" (telepon {e(phone)})" if phone else "")
    earlier = {v.id: text for v in others if (text := earlier_visit(plan, v.id))}
    cancelled = _cancelled(plan, others)
    never = [v for v in others if v.id not in earlier]
    if not earlier and not cancelled:
        names = ", ".join(e(village_heading(v)) for v in never)
        return (f'<section class="general"><h2>{kinds_word(never).capitalize()} yang belum '
                f"mendapat kunjungan</h2><p>{names} belum mendapat kunjungan dalam jadwal ini. "
                "Warganya tetap dapat "
                f"merekam KTP-el di <strong>{reach}</strong> pada hari dan jam kerja.</p>"
                "</section>")
    items = [f"<li>{e(village_heading(v))}: sudah dikunjungi pada {e(earlier[v.id])}; "
             f"tidak ada kunjungan lagi dalam jadwal ini{_and(cancelled.get(v.id))}.</li>"
             for v in others if v.id in earlier]
    items += [f"<li>{e(village_heading(v))}: belum mendapat kunjungan dalam jadwal "
              f"ini{_and(cancelled.get(v.id))}.</li>" for v in never]
    return (f'<section class="general"><h2>{kinds_word(others).capitalize()} tanpa kunjungan '
            "dalam jadwal ini</h2>"
            f"<ul>{''.join(items)}</ul><p>Warga yang belum merekam tetap dapat merekam KTP-el "
            f"di <strong>{reach}</strong> pada hari dan jam kerja.</p></section>")


def _cancelled(plan: Plan, villages) -> dict[str, str]:
    """`kunjungan yang diumumkan sebelumnya (...) dibatalkan` for each of `villages` whose
    announced visits this plan cancels."""
    rows = changes_by_village(plan)
    tz = zone_abbreviation(plan.scenario.calendar.timezone)
    return {v.id: f"kunjungan yang diumumkan sebelumnya ({html.escape(told_before(row, tz))}) "
                  "<strong>dibatalkan</strong>"
            for v in villages if (row := rows.get(v.id)) and row["change"] == "cancelled"}


def _and(cancelled: Optional[str]) -> str:
    """`; kunjungan yang diumumkan sebelumnya (...) dibatalkan`, or nothing."""
    return f"; {cancelled}" if cancelled else ""


def letter_without_visits(plan: Plan, district: str) -> str:
    """The short letter for a kecamatan that gets no visit in this plan: its villages are
    told so, and where and how residents can still be recorded."""
    sc = plan.scenario
    e = html.escape
    office, phone = office_of(sc)
    villages = sorted((v for v in sc.villages if (v.district or "") == district),
                      key=lambda v: v.label)
    earlier = {v.id: text for v in villages if (text := earlier_visit(plan, v.id))}
    cancelled = _cancelled(plan, villages)
    items = "".join(f"<li>{e(village_heading(v))}"
                    + (f" – sudah dikunjungi pada {e(earlier[v.id])}" if v.id in earlier else "")
                    + (f" – {cancelled[v.id]}" if v.id in cancelled else "")
                    + "</li>" for v in villages)
    reach = f"{e(office)}" + (f" (telepon {e(phone)})" if phone else "")
    today = replan_today(plan)
    period, verb = ("periode ini", "belum mendapat") if today is None else \
        (f"mulai {e(long_date(today))}", "tidak mendapat")
    kinds = kinds_word(villages)
    all_of = "desa dan kelurahan" if "/" in kinds else f"{kinds}-{kinds}"
    body = f"""<p>Kepada Yth. {heads_word(villages)} di Kecamatan {e(district or '-')}.</p>
<p>Dalam jadwal perekaman KTP-el keliling (jemput bola) {period}, <strong>{all_of} di
Kecamatan {e(district or '-')} {verb} kunjungan tim</strong>:</p>
<ul>{items}</ul>
<p>Warga yang belum merekam KTP-el tetap dapat datang ke <strong>{reach}</strong> pada hari
dan jam kerja. {kinds.capitalize()} yang ingin mengusulkan kunjungan dapat menghubungi kantor
tersebut.</p>
<div class="general">
<h2>Siapa yang perlu datang</h2>
<p>{WHO}</p>
</div>"""
    return _document(plan, district, "Pemberitahuan Perekaman KTP-el", body)


def write(plan: Plan, out_dir: Path, lang: str = "id") -> None:
    """One page per kecamatan: its visit schedule, or the letter saying it gets no visit; and
    in `messages/` the same as a message per village, where any village has something to be
    told (`messages.write`), and all of them on the send page (`send_page`). `lang` is
    ignored (always Bahasa Indonesia). A re-plan announces visits from its `today` on only."""
    today = replan_today(plan)
    by_district: dict[str, list[tuple[Route, Stop]]] = defaultdict(list)
    for route in sorted(plan.routes, key=lambda r: (r.date, r.unit)):
        if today is not None and route.date < today:
            continue
        for stop in route.stops:
            by_district[plan.scenario.village(stop.village_id).district or ""].append((route, stop))
    folder = Path(out_dir) / "announcements"
    folder.mkdir(parents=True, exist_ok=True)
    districts = sorted({v.district or "" for v in plan.scenario.villages})
    names = file_names(districts)
    tz = zone_abbreviation(plan.scenario.calendar.timezone)
    said = {}
    for district in districts:
        visits = by_district.get(district)
        text = page(plan, district, visits) if visits else letter_without_visits(plan, district)
        (folder / names[district]).write_text(text, encoding="utf-8")
        said[district] = messages.blocks(plan, district, visits or [], tz)
    messages.write(plan, Path(out_dir) / messages.FOLDER, said, names)
    send_page.write(plan, Path(out_dir) / messages.FOLDER, said)
