"""`messages/<kecamatan>.txt`: the kecamatan's notices as chat messages, one per village, ready
to paste into WhatsApp (or an SMS) to each village head; and `messages/kirim-whatsapp.html`
(`send_page`), all of them with a button that opens WhatsApp on each.

The printed page (`announcements`) is for the notice board; offices reach village heads by
chat far more often than by letter, and a message must stand alone when forwarded: the
village, each visit's date and service hours (rounded as the page rounds them), who should
come and what to bring, the office to reach. A re-plan's message says from when its schedule
holds, a village whose announced visits it moves is told the earlier ones no longer hold, and
a village whose announced visits it cancels gets a message saying so. A village with nothing
to tell (no visit in this plan and none cancelled) gets no message; the page lists it. The
file holds the messages under a line naming each village (`--- Desa Sukamaju (7371010001)
· 0812-3456-7890 ---`, with the village head's phone where the scenario gives one), which is
for the planner, not for sending; where the folder held an earlier plan it also says whether
the message is new to the village (`[berubah]`, `[dibatalkan]`, `[baru]`) or repeats the
earlier notice (`[tetap: ...]`). Always Bahasa Indonesia; `*bold*` is WhatsApp's. The folder
is apart from `announcements/`, which holds DESIGN's pages alone.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Optional

from ..changes import announced_hours
from ..plan import Plan, Route, Stop
from .labels import long_date
from .numbers import whole
from .notice_words import (BRING, FOOTER, WHO, changes_by_village, early_arrival, earlier_visit,
                           hhmm, kind_word, office_of, replan_today, service_place, told_before,
                           village_head, village_heading)

FOLDER = "messages"
TITLE = "*Pengumuman Perekaman KTP-el Keliling (Jemput Bola)*"
CANCEL_TITLE = "*Pemberitahuan Perekaman KTP-el Keliling (Jemput Bola)*"


def _bold(html_text: str) -> str:
    """The notice words' `<strong>` as WhatsApp's `*bold*`, any other tag dropped."""
    return re.sub(r"<[^>]+>", "", html_text.replace("<strong>", "*").replace("</strong>", "*"))


WHO_TEXT = _bold(WHO)


def _addressee(plan: Plan, vid: str) -> str:
    v = plan.scenario.village(vid)
    district = f", Kecamatan {v.district}" if v.district else ""
    return f"Yth. {village_head(v)}{district}"


def _contact(plan: Plan) -> str:
    office, phone = office_of(plan.scenario)
    return f"Informasi: {office}" + (f", telepon {phone}" if phone else "") + "."


def _since(plan: Plan) -> list[str]:
    """A re-plan's sentence: from when this schedule holds, and (`--keep-until`) that the
    visits announced up to the last kept day stand; nothing for a first plan."""
    today = replan_today(plan)
    if today is None:
        return []
    kept = plan.report.get("kept")
    stand = "" if not kept else (
        " Kunjungan yang sudah diumumkan sampai "
        f"{long_date(dt.date.fromisoformat(kept['until']))} tetap berlaku,"
        " kecuali yang disebut berubah atau dibatalkan.")
    return [f"Jadwal baru ini berlaku mulai {long_date(today)} dan menggantikan pengumuman "
            f"sebelumnya.{stand}"]


def visit_message(plan: Plan, vid: str, visits: list[tuple[Route, Stop]], tz: str) -> str:
    """The message to the head of village `vid` about its `visits` (route, stop) in this plan."""
    v = plan.scenario.village(vid)
    kind = kind_word(v)
    office, _ = office_of(plan.scenario)
    lines = [TITLE, _addressee(plan, vid), "", *_since(plan)]
    if (earlier := earlier_visit(plan, vid)):
        lines.append(f"Sudah dikunjungi: {earlier}.")
    if (changed := changes_by_village(plan).get(vid)) and changed["earlier"]:
        lines.append("*Jadwal berubah.* Jadwal yang diumumkan sebelumnya "
                     f"({told_before(changed, tz)}) "
                     "tidak berlaku lagi; yang berlaku adalah jadwal di bawah ini.")
    lines.append(f"Tim perekaman KTP-el dari {office} akan datang ke {kind} pada:")
    for route, stop in visits:
        start, end = announced_hours(stop.start, stop.end)
        lines.append(f"• {long_date(route.date)}, pukul {hhmm(start)}–{hhmm(end)} {tz} "
                     f"(perkiraan {whole(stop.recorded)} warga dilayani)")
    for route, stop in visits:
        if (arrive := early_arrival(stop)) is not None:
            lines.append(f"Tim tiba pada {long_date(route.date)} sekitar pukul {hhmm(arrive)} "
                         f"{tz} untuk persiapan.")
    if not v.signal:
        lines.append(f"{kind.capitalize()} tanpa sinyal: perekaman dilakukan secara luring "
                     "(offline) dan data "
                     "dikirim setelah tim kembali ke kantor; " + "; ".join(
                         f"perekaman tanggal {long_date(route.date)} tercatat paling lambat "
                         f"{long_date(plan.counts_on(route, stop))}"
                         for route, stop in sorted(visits, key=lambda rs: rs[0].date))
                     + f". KTP-el dicetak sesudahnya dan dibagikan melalui kantor {kind}.")
    if not v.power:
        lines.append("Tim membawa genset sendiri.")
    lines += ["", "Mohon pengumuman ini disampaikan kepada warga, dan disiapkan tempat pelayanan "
                  f"({service_place(v)}) serta aliran listrik bila tersedia.",
              f"Yang perlu datang: {WHO_TEXT[0].lower()}{WHO_TEXT[1:]}",
              "Yang perlu dibawa: " + " ".join(BRING),
              "", f"Pelayanan tidak dipungut biaya. {FOOTER.split('. ')[0]}.", _contact(plan)]
    return "\n".join(lines)


def cancel_message(plan: Plan, vid: str, row: dict, tz: str) -> str:
    """The message to the head of a village whose announced visits this plan cancels."""
    office, phone = office_of(plan.scenario)
    today = replan_today(plan)
    from_when = f" mulai {long_date(today)}" if today is not None else ""
    reach = office + (f" (telepon {phone})" if phone else "")
    return "\n".join([
        CANCEL_TITLE, _addressee(plan, vid), "",
        f"Kunjungan tim perekaman KTP-el yang diumumkan sebelumnya ({told_before(row, tz)}) "
        f"*dibatalkan*; dalam jadwal{from_when} tidak ada kunjungan ke "
        f"{kind_word(plan.scenario.village(vid))} ini. Mohon maaf "
        "atas perubahan ini.",
        f"Warga yang belum merekam KTP-el tetap dapat datang ke {reach} pada hari dan jam kerja.",
        "", _contact(plan)])


def blocks(plan: Plan, district: str, visits: list[tuple[Route, Stop]], tz: str
           ) -> list[tuple[str, str]]:
    """(village id, message) for the kecamatan's villages with something to be told: those
    with visits in the order of their first visit, then those whose announced visits are
    cancelled."""
    by_village: dict[str, list[tuple[Route, Stop]]] = {}
    for route, stop in visits:
        by_village.setdefault(stop.village_id, []).append((route, stop))
    sc = plan.scenario
    order = sorted(by_village, key=lambda vid: (min(r.date for r, _ in by_village[vid]),
                                                 sc.village(vid).label))
    cancelled = sorted((vid for vid, row in changes_by_village(plan).items()
                        if row["change"] == "cancelled" and vid in sc.village_index
                        and vid not in by_village and (sc.village(vid).district or "") == district),
                       key=lambda vid: sc.village(vid).label)
    return [(vid, visit_message(plan, vid, by_village[vid], tz)) for vid in order] + \
        [(vid, cancel_message(plan, vid, changes_by_village(plan)[vid], tz)) for vid in cancelled]


def heading(plan: Plan, vid: str) -> str:
    """The planner's line above a message: the village, its id, the head's phone where the
    scenario gives it, and what the message tells against an earlier notice (`_tag`)."""
    v = plan.scenario.village(vid)
    phone = f" · {v.head_phone}" if v.head_phone else ""
    return f"{village_heading(v)} ({vid}){phone}{_tag(plan, vid)}"


def text(said: list[tuple[str, str]], plan: Plan) -> Optional[str]:
    """The kecamatan's file: each of `blocks`' messages under its heading line; None when no
    village has anything to be told."""
    if not said:
        return None
    return "\n\n".join(f"--- {heading(plan, vid)} ---\n{message}" for vid, message in said) + "\n"


def whatsapp_number(phone: str) -> str:
    """The number as wa.me links want it, international digits without +: `0812-3456-7890`
    and `+62 812 3456 7890` are `6281234567890`; a mobile number whose leading 0 a spreadsheet
    dropped (`812...`) is read as Indonesian too."""
    digits = "".join(c for c in phone if c.isdigit())
    if phone.strip().startswith("+") or digits.startswith("62"):
        return digits
    if digits.startswith("0"):
        return "62" + digits[1:]
    return "62" + digits if digits.startswith("8") else digits


TAGS = {"changed": "berubah", "cancelled": "dibatalkan", "added": "baru"}


def compared(plan: Plan) -> bool:
    """Whether the plan was compared with an earlier one in its folder (`changes.csv`)."""
    return bool(plan.report.get("changes"))


def news(plan: Plan, vid: str) -> Optional[bool]:
    """Where the folder held an earlier plan, whether the message tells the village something
    the earlier notice did not (`changes.csv` names it: moved, cancelled or new); None for a
    first plan, where every message is new."""
    if not compared(plan):
        return None
    return vid in changes_by_village(plan)


def _tag(plan: Plan, vid: str) -> str:
    """Where the folder held an earlier plan, what this message tells the village against
    the earlier notice, so the planner sends the ones that say something new (`news`);
    nothing for a first plan."""
    new = news(plan, vid)
    if new is None:
        return ""
    return (f" [{TAGS[changes_by_village(plan)[vid]['change']]}]" if new
            else " [tetap: sama dengan pengumuman sebelumnya]")



def write(plan: Plan, folder: Path, said: dict[str, list[tuple[str, str]]],
          names: dict[str, str]) -> None:
    """`folder`/<kecamatan>.txt for each kecamatan of `said` (its `blocks`) with a message, under
    its page's name (`names`, `<slug>.html`)."""
    for district, blocks_said in said.items():
        chat = text(blocks_said, plan)
        if chat is not None:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / names[district]).with_suffix(".txt").write_text(chat, encoding="utf-8")
