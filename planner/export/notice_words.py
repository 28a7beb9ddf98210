"""The words both kinds of notice to the villages use (`announcements`: the printed page of a
kecamatan; `messages`: a chat message per village): who should come and what to bring, the
office to reach, visit hours and dates as villagers read them, what a re-plan says about
earlier visits and earlier notices, and the files' names. Always Bahasa Indonesia.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Optional

from ..changes import FIVE_MINUTES, announced_hours, announced_visits
from ..plan import Plan, Stop
from .labels import MOST_STEM, long_date, month_name

WHO = ("Seluruh warga <strong>wajib KTP</strong> (berusia 17 tahun ke atas, atau sudah/pernah "
       "menikah) yang <strong>belum melakukan perekaman KTP elektronik (KTP-el/e-KTP)</strong>.")
BRING = [
    "Kartu Keluarga (KK) asli atau fotokopi KK;",
    "surat pengantar dari desa/kelurahan bila diperlukan;",
    "bagi yang pernah merekam di daerah lain: surat keterangan pindah atau bukti perekaman.",
]


def slug(text: str) -> str:
    """A safe, readable file name stem: `Padang Cermin` -> `padang-cermin`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    # at most MOST_STEM characters: file systems refuse names over 255 bytes
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:MOST_STEM].strip("-")


def file_names(districts: list[str]) -> dict[str, str]:
    """District -> unique `<slug>.html` (names differing only in punctuation stay apart);
    villages without a kecamatan on `tanpa-kecamatan.html`, a name without a Latin letter or
    digit (`قرية`, an emoji) on `kecamatan.html`, not on the page of no kecamatan."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for d in districts:
        stem = slug(d) or ("kecamatan" if d.strip() else "tanpa-kecamatan")
        name, n = stem, 2
        while name in used:
            name, n = f"{stem}-{n}", n + 1
        used.add(name)
        out[d] = f"{name}.html"
    return out


# Kemendagri village codes `PP.KK.CC.NNNN`: the first digit of NNNN is 1 for a kelurahan
# (headed by a lurah), 2 for a desa (headed by a kepala desa).
_KELURAHAN_CODE = re.compile(r"\d{2}\.?\d{2}\.?\d{2}\.?1\d{3}")


def is_kelurahan(village) -> bool:
    """Whether `village` is a kelurahan: its name says so (`Kelurahan Praya`), or, where the
    name says neither `Desa` nor `Kelurahan`, its Kemendagri code does."""
    name = village.label.lower()
    if name.startswith(("kelurahan ", "desa ")):
        return name.startswith("kelurahan ")
    return _KELURAHAN_CODE.fullmatch(village.id.strip()) is not None


def kind_word(village) -> str:
    """`desa` or `kelurahan`, as a sentence says it (`datang ke desa`, `kantor kelurahan`)."""
    return "kelurahan" if is_kelurahan(village) else "desa"


def _bare_name(village) -> str:
    """The name without a leading `Desa `/`Kelurahan ` (`Pekon Ampai` stays: that is the
    desa's name)."""
    name = village.label
    for word in ("kelurahan ", "desa "):
        if name.lower().startswith(word):
            return name[len(word):]
    return name


def village_heading(village) -> str:
    """`Desa Sukamaju`, `Kelurahan Praya`, `Desa Pekon Ampai`."""
    return f"{kind_word(village).capitalize()} {_bare_name(village)}"


def village_head(village) -> str:
    """Whom a notice is addressed to: `Kepala Desa Sukamaju`, `Lurah Praya`."""
    return f"Lurah {_bare_name(village)}" if is_kelurahan(village) else \
        f"Kepala Desa {_bare_name(village)}"


def kinds_word(villages) -> str:
    """`desa`, `kelurahan` or `desa/kelurahan` for a kecamatan's `villages` together."""
    kinds = {kind_word(v) for v in villages}
    return "/".join(k for k in ("desa", "kelurahan") if k in kinds) or "desa"


def heads_word(villages) -> str:
    """`Kepala Desa`, `Lurah` or `Kepala Desa dan Lurah`: who heads `villages`."""
    kinds = {kind_word(v) for v in villages}
    return " dan ".join(w for k, w in (("desa", "Kepala Desa"), ("kelurahan", "Lurah"))
                        if k in kinds) or "Kepala Desa"


def service_place(village) -> str:
    """Where a village is asked to set up the service."""
    return "kantor kelurahan atau balai pertemuan" if is_kelurahan(village) else \
        "balai desa atau kantor desa"


def hhmm(seconds: int) -> str:
    return f"{seconds // 3600:02d}.{seconds % 3600 // 60:02d}"  # Indonesian style 08.30


def early_arrival(stop: Stop) -> Optional[int]:
    """When the team comes well before the service starts (its arrival rounded down to 5
    minutes, before the announced start), that time, to tell the village; else None."""
    arrive = stop.arrive // FIVE_MINUTES * FIVE_MINUTES
    return arrive if arrive < announced_hours(stop.start, stop.end)[0] else None


def office_of(scenario) -> tuple[str, str | None]:
    """The office villagers can go to, and its phone: the scenario's `contact` where given,
    else the first unit's base (the Disdukcapil office) and the scenario's name."""
    contact = getattr(scenario, "contact", None)
    if isinstance(contact, dict):
        office, phone = contact.get("office"), contact.get("phone")
    else:
        office, phone = getattr(contact, "office", None), getattr(contact, "phone", None)
    if not office:
        base = scenario.units[0].base if scenario.units else None
        place = next((p for p in scenario.places if p.id == base), None)
        office = (place.name if place is not None and place.name else
                  f"Dinas Kependudukan dan Pencatatan Sipil ({scenario.name})")
    return office, (str(phone) if phone else None)


def replan_today(plan: Plan) -> Optional[dt.date]:
    """The first day of a re-plan (`report["actuals"]["today"]`); None for a plain plan."""
    actuals = plan.report.get("actuals")
    return dt.date.fromisoformat(actuals["today"]) if actuals else None


def earlier_visit(plan: Plan, vid: str) -> Optional[str]:
    """`Senin, 4 Maret 2024 (84 warga terekam)` for a village a re-plan's actuals visited
    once; `8, 9 dan 17 Juni 2018 (176 warga terekam)` for several days."""
    entry = ((plan.report.get("actuals") or {}).get("by_village") or {}).get(vid)
    if not entry or not entry["dates"]:
        return None
    dates = sorted(dt.date.fromisoformat(d) for d in entry["dates"])
    said = long_date(dates[0]) if len(dates) == 1 else date_list(dates)
    return f"{said} ({entry['recorded']} warga terekam)"


def _and_list(items: list[str], last: str = "dan") -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


def date_list(dates: list[dt.date]) -> str:
    """Several days as Indonesian writes them: `8, 9 dan 17 Juni 2018`, `28 dan 30 Juni 2018
    serta 2 Juli 2018` (sorted, without the day names)."""
    groups: dict[tuple[int, int], list[int]] = {}
    for day in sorted(set(dates)):
        groups.setdefault((day.year, day.month), []).append(day.day)
    return _and_list([f"{_and_list([str(d) for d in days])} {month_name(month)} {year}"
                      for (year, month), days in groups.items()], last="serta")


def changes_by_village(plan: Plan) -> dict[str, dict]:
    """summary.json `changes` by village: the villages whose announced visits this plan
    changes, cancels or adds (`planner.changes`); empty without an earlier plan."""
    return {row["village_id"]: row
            for row in (plan.report.get("changes") or {}).get("villages", ())}


def told_before(row: dict, tz: str) -> str:
    """`Sabtu, 12 Mei 2018 pukul 08.00–12.30 WIB` for the visits an earlier notice
    announced (`tz`: the zone's abbreviation, as the notices write their hours)."""
    return "; ".join(f"{long_date(day)} pukul {hhmm(start)}–{hhmm(end)} {tz}"
                     for day, start, end in announced_visits(row["earlier"]))


FOOTER = ("Jadwal dapat berubah karena cuaca atau keadaan di lapangan; perubahan akan "
          "diberitahukan melalui kantor desa atau kelurahan. Pelayanan perekaman KTP-el tidak "
          "dipungut biaya.")
