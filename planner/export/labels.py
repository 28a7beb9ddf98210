"""Words shown to people, in Bahasa Indonesia (`id`, the default) or English (`en`).

Only the workbook, the calendars and the terminal table switch language; the announcements
for village heads are always in Bahasa Indonesia (their words live in `announcements.py`).
"""
from __future__ import annotations

import datetime as dt

LANGS = ("id", "en")

_LABELS: dict[str, dict[str, str]] = {
    "id": {
        "summary": "Ringkasan",
        "unit": "Unit",
        "district": "Kecamatan",
        "district_sheet": "Kec",
        "village": "Desa",
        "village_id": "Kode desa",
        "date": "Tanggal",
        "day": "Hari",
        "day_type": "Jenis hari",
        "seq": "Urutan",
        "depart": "Berangkat",
        "return": "Kembali",
        "arrive": "Tiba",
        "start": "Mulai",
        "end": "Selesai",
        "recorded": "Direkam",
        "counts_on": "Terhitung pada",
        "travel_min": "Perjalanan (menit)",
        "overtime": "Lembur",
        "backlog": "Belum terekam",
        "counted": "Terhitung",
        "coverage_before": "Cakupan sebelum",
        "coverage_after": "Cakupan sesudah",
        "zone": "Zona",
        "total": "Total",
        "scenario": "Skenario",
        "counted_recordings": "Perekaman terhitung",
        "objective": "Nilai tujuan (berbobot prioritas)",
        "upper_bound": "Batas atas",
        "gap": "Selisih terhadap batas atas",
        "visits": "Kunjungan",
        "overtime_unit_days": "Hari-unit lembur",
        "travel_total_min": "Total perjalanan (menit)",
        "solver": "Metode",
        "status": "Status",
        "deadline": "Batas waktu",
        "no_visits": "Tidak ada kunjungan",
        "offline": "Tanpa sinyal",
        "offline_note": ("Desa tanpa sinyal: perekaman luring, data dikirim setelah tim kembali; "
                         "terhitung pada {date}."),
        "expected": "Perkiraan perekaman",
        "location": "Lokasi",
        "weekday": "hari kerja",
        "weekend": "akhir pekan",
        "holiday": "hari libur",
        "yes": "ya",
        "no": "tidak",
        "left_out": "Desa yang masih tersisa",
        "reason": "Alasan",
        "red": "merah",
        "yellow": "kuning",
        "green": "hijau",
        "no_data": "tanpa data jumlah wajib KTP",
        "links": "Jalur perahu/sungai",
        "bases": "Kantor & dermaga",
        "progress_title": "Cakupan perekaman yang terhitung per hari",
        "progress_counted_title": "Perekaman terhitung per hari (jumlah wajib KTP tidak diketahui)",
        "coverage": "Cakupan terhitung",
        "goal": "Sasaran",
    },
    "en": {
        "summary": "Summary",
        "unit": "Unit",
        "district": "District",
        "district_sheet": "Dist",
        "village": "Village",
        "village_id": "Village code",
        "date": "Date",
        "day": "Day",
        "day_type": "Day type",
        "seq": "Seq",
        "depart": "Depart",
        "return": "Return",
        "arrive": "Arrive",
        "start": "Start",
        "end": "End",
        "recorded": "Recorded",
        "counts_on": "Counts on",
        "travel_min": "Travel (min)",
        "overtime": "Overtime",
        "backlog": "Backlog",
        "counted": "Counted",
        "coverage_before": "Coverage before",
        "coverage_after": "Coverage after",
        "zone": "Zone",
        "total": "Total",
        "scenario": "Scenario",
        "counted_recordings": "Counted recordings",
        "objective": "Objective (priority-weighted)",
        "upper_bound": "Upper bound",
        "gap": "Gap to bound",
        "visits": "Visits",
        "overtime_unit_days": "Overtime unit-days",
        "travel_total_min": "Total travel (min)",
        "solver": "Method",
        "status": "Status",
        "deadline": "Deadline",
        "no_visits": "No visits",
        "offline": "No signal",
        "offline_note": ("Village without signal: recorded offline, data synced after the unit "
                         "returns; counts on {date}."),
        "expected": "Expected recordings",
        "location": "Location",
        "weekday": "weekday",
        "weekend": "weekend",
        "holiday": "holiday",
        "yes": "yes",
        "no": "no",
        "left_out": "Villages with backlog left",
        "reason": "Reason",
        "red": "red",
        "yellow": "yellow",
        "green": "green",
        "no_data": "no eligible count",
        "links": "Boat/river links",
        "bases": "Offices & ports",
        "progress_title": "Counted recording coverage per day",
        "progress_counted_title": "Counted recordings per day (eligible count unknown)",
        "coverage": "Counted coverage",
        "goal": "Goal",
    },
}

_WEEKDAYS = {
    "id": ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
_MONTHS = {
    "id": ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
           "September", "Oktober", "November", "Desember"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
}

# Indonesian time-zone abbreviations people read on announcements and phones.
_ZONE_ABBR = {
    "Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA", "Asia/Ujung_Pandang": "WITA",
    "Asia/Jayapura": "WIT",
}


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGS)}")
    return lang


def label(key: str, lang: str = "id") -> str:
    """The word for `key` in `lang`; an unknown key is a programming error."""
    return _LABELS[check_lang(lang)][key]


def zone_label(zone: str | None, lang: str = "id") -> str:
    if zone is None:
        return "–"
    return _LABELS[check_lang(lang)].get(zone, zone)


def weekday_name(day: dt.date, lang: str = "id") -> str:
    return _WEEKDAYS[check_lang(lang)][day.weekday()]


def long_date(day: dt.date, lang: str = "id") -> str:
    """`Senin, 1 Januari 2024` / `Monday, 1 January 2024`."""
    return f"{weekday_name(day, lang)}, {day.day} {_MONTHS[check_lang(lang)][day.month - 1]} {day.year}"


def zone_abbreviation(timezone: str) -> str:
    """WIB / WITA / WIT for Indonesian zones, the IANA name otherwise."""
    return _ZONE_ABBR.get(timezone, timezone)


def percent(share: float | None) -> str:
    return "–" if share is None else f"{share * 100:.1f} %"
