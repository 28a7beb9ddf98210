"""Words shown to people, in Bahasa Indonesia (`id`, the default) or English (`en`).

One language per run: the workbook, the calendars, the terminal, the map and the chart all
take their words, month and day names and clock format from here (never from the machine's
locale). The announcements for village heads are always in Bahasa Indonesia (DESIGN §4; their
words live in `announcements.py`).
"""
from __future__ import annotations

import datetime as dt

# characters of a file name made from free text (ids, kecamatan names): file systems refuse
# names over 255 bytes
MOST_STEM = 80

LANGS = ("id", "en")

LABELS: dict[str, dict[str, str]] = {
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
        "actual_recorded": "Terekam (aktual)",
        "coverage_today": "Cakupan hari ini",
        "coverage_after": "Cakupan sesudah",
        "zone": "Zona",
        "total": "Jumlah",
        "scenario": "Skenario",
        "counted_recordings": "Perekaman terhitung",
        "objective": "Nilai tujuan (berbobot prioritas)",
        "upper_bound": "Batas atas",
        "gap": "Selisih terhadap batas atas",
        "visits": "Kunjungan",
        "overtime_unit_days": "Hari-unit lembur",
        "travel_total_min": "Jumlah waktu perjalanan (menit)",
        "solver": "Metode",
        "status": "Status",
        "solver_sheet": "Pemecah",
        "changes_sheet": "Perubahan jadwal",
        "change": "Perubahan",
        "change_changed": "berubah",
        "change_cancelled": "dibatalkan",
        "change_added": "baru",
        "earlier_schedule": "Jadwal sebelumnya",
        "new_schedule": "Jadwal baru",
        "seconds": "Waktu hitung (detik)",
        "seed": "Benih acak",
        "goal_reached_on": "Sasaran tercapai pada",
        "goal_reached": "Sasaran {goal} tercapai pada {date}.",
        "goal_met_before": "Sasaran {goal} sudah tercapai sebelum rencana dimulai.",
        "goal_not_reached": "Sasaran {goal} tidak tercapai sampai batas waktu ({date}).",
        "goal_not_reached_short": "tidak tercapai",
        "goal_mark": "Sasaran {goal} tercapai {date}",
        "actual_line": "Realisasi (garis penuh)",
        "planned_line": "Rencana (garis putus-putus)",
        "today_mark": "Hari ini {date}",
        "crossing": "Perahu/sungai",
        "leaves_from": "berangkat {time} dari {port}, {mode} {minutes} menit",
        "way_home": "pulang: {text}",
        "week": "Minggu ke-{n}: {span}",
        "weeks": "Rute per minggu",
        "layers": "Lapisan",
        "units_routes": "Rute unit",
        "written": ("{out}/: {visits} kunjungan, {counted} perekaman terhitung{gap}; "
                    "ditulis: {what}"),
        "gap_note": ", selisih {gap}",
        "minutes": "menit",
        "zoom_in": "Perbesar",
        "zoom_out": "Perkecil",
        "attribution": "peta © kontributor OpenStreetMap",
        "deadline": "Batas waktu",
        "no_visits": "Tidak ada kunjungan",
        "note": "Keterangan", "actual_visit": "sudah terlaksana (realisasi)",
        "planned_recorded": "Direkam menurut rencana", "planned_start": "Mulai menurut rencana",
        "offline": "Tanpa sinyal",
        "offline_note": ("Desa tanpa sinyal: perekaman luring, data dikirim setelah tim kembali; "
                         "terhitung pada {date}."),
        "expected": "Perkiraan perekaman", "head_phone": "Telepon kepala desa",
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
        "lodging": "Penginapan",
        "lodgings": "Penginapan",
        "night_away": "Menginap",
        "cancelled_visit": "DIBATALKAN",
        "night_at": "Menginap di",
        "nights": "Malam menginap",
        "nights_line": "Malam menginap (perjalanan bermalam): {nights}.",
        "from": "Dari",
        "departs_from": "Berangkat: {time} dari {place}",
        "next_departure": "Berangkat lagi: {day} {time}",
        "way_to_lodging": "ke penginapan: {text}",
        "batch_started": "{head} mulai {district} (pid pekerja {pid})",
        "check_ok": "{path}: OK: {villages} desa, {units} unit, {days} hari lapangan ({start} "
                    "s.d. {end})",
        "check_closures": "; {villages} desa ditutup pada {village_days} hari-desa lapangan "
                          "(closures)",
        "check_warned": "; {n} peringatan di atas: periksa apakah memang begitu maksudnya",
        "plan_ok": "{path}: rencana memenuhi semua aturan ({visits} kunjungan, {days} "
                   "hari-unit)",
        "plan_broken": "{path}: rencana melanggar aturan di {count} tempat",
        "actuals_line": "realisasi sebelum {today}: {visits} kunjungan, {recorded} terekam, "
                        "{counted} terhitung sampai batas waktu, {overtime} hari-unit lembur",
        "kept_line": "dipertahankan dari rencana sebelumnya sampai {until}, seperti yang sudah "
                     "diumumkan: {visits} kunjungan, perkiraan {recorded} perekaman",
        "changes_line": "dibanding rencana sebelumnya mulai {since}: jadwal {changed} desa "
                        "berubah, {cancelled} desa batal dikunjungi, {added} desa baru "
                        "dikunjungi, {unchanged} desa tetap; beri tahu desa-desanya "
                        "(changes.csv)",
        "changes_none_line": "sama dengan rencana sebelumnya mulai {since}: jadwal {unchanged} "
                             "desa tidak berubah",
        "robust_line": "rencana tangguh (Q = {q}): kuantil-Q perekaman terhitung berbobot "
                       "{value} dari {runs} simulasi; {expected} pada angka perkiraan",
        "robust_kept_line": "rencana tangguh (Q = {q}) untuk hari sesudah {until} (tanpa kunjungan "
                            "yang dipertahankan): kuantil-Q perekaman terhitung berbobot {value} "
                            "dari {runs} simulasi; {expected} pada angka perkiraan",
        "progress_counted": "terhitung {counted}",
        "progress_weighted": "(berbobot {objective})",
        "progress_bound": "batas atas {bound}",
        "progress_gap": "selisih {gap} %",
        "progress_interrupted": ("dihentikan pada {seconds} dtk: rencana terbaik sejauh ini "
                                 "sedang ditulis (Ctrl-C lagi: berhenti tanpa menulis)"),
        "batch_planned": "{counted} terhitung, zona {before} -> {after}, {seconds}",
        "batch_bad_input": "masukan salah",
        "batch_failed": "gagal",
        "batch_line": "{head} {name}: {what} | berjalan: {running} | sisa: ~{left}",
        "batch_nothing_running": "tidak ada",
        "batch_written": ("{root}/: {planned} dari {total} kabupaten direncanakan; "
                          "ditulis: summary.csv, summary.xlsx, map.html"),
        "batch_interrupted": ("dihentikan: folder kabupaten di {root}/ utuh; kabupaten yang "
                              "belum selesai tidak ditulis, begitu juga ringkasannya"),
        "duration_min": "{minutes} mnt {seconds:02d} dtk",
        "duration_s": "{seconds} dtk",
        "travel_day": "Hari perjalanan (tanpa kunjungan)",
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
        "actual_recorded": "Recorded (actual)",
        "coverage_today": "Coverage today",
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
        "solver_sheet": "Solver",
        "changes_sheet": "Schedule changes",
        "change": "Change",
        "change_changed": "changed",
        "change_cancelled": "cancelled",
        "change_added": "added",
        "earlier_schedule": "Earlier schedule",
        "new_schedule": "New schedule",
        "seconds": "Computing time (s)",
        "seed": "Random seed",
        "goal_reached_on": "Goal reached on",
        "goal_reached": "Goal {goal} reached on {date}.",
        "goal_met_before": "Goal {goal} already met before the plan starts.",
        "goal_not_reached": "Goal {goal} not reached by the deadline ({date}).",
        "goal_not_reached_short": "not reached",
        "goal_mark": "Goal {goal} reached {date}",
        "actual_line": "Actual (solid)",
        "planned_line": "Planned (dashed)",
        "today_mark": "Today {date}",
        "crossing": "Boat/river",
        "leaves_from": "leaves {port} at {time}, {mode} {minutes} min",
        "way_home": "way back: {text}",
        "week": "Week {n}: {span}",
        "weeks": "Routes by week",
        "layers": "Layers",
        "units_routes": "Unit routes",
        "written": "{out}/: {visits} visits, {counted} recordings counted{gap}; wrote {what}",
        "gap_note": ", gap {gap}",
        "minutes": "min",
        "zoom_in": "Zoom in",
        "zoom_out": "Zoom out",
        "attribution": "map © OpenStreetMap contributors",
        "deadline": "Deadline",
        "no_visits": "No visits",
        "note": "Note", "actual_visit": "done (actual)", "planned_recorded": "Recorded as planned",
        "planned_start": "Start as planned",
        "offline": "No signal",
        "offline_note": ("Village without signal: recorded offline, data synced after the unit "
                         "returns; counts on {date}."),
        "expected": "Expected recordings", "head_phone": "Village head's phone",
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
        "lodging": "Lodging",
        "lodgings": "Lodgings",
        "night_away": "Night away",
        "cancelled_visit": "CANCELLED",
        "night_at": "Night at",
        "nights": "Nights away",
        "nights_line": "Nights away (overnight trips): {nights}.",
        "from": "From",
        "departs_from": "Depart: {time} from {place}",
        "next_departure": "Leaves again: {day} {time}",
        "way_to_lodging": "to the lodging: {text}",
        "batch_started": "{head} started {district} (worker pid {pid})",
        "check_ok": "{path}: OK: {villages} village{vs}, {units} unit{us}, {days} field days ({start} "
                    "to {end})",
        "check_closures": "; {villages} villages closed on {village_days} village field days "
                          "(closures)",
        "check_warned": "; {n} warning(s) above: check that they are what you meant",
        "plan_ok": "{path}: the plan keeps every rule ({visits} visits, {days} unit-days)",
        "plan_broken": "{path}: the plan breaks a rule in {count} place(s)",
        "actuals_line": "actuals before {today}: {visits} visits, {recorded} recorded, "
                        "{counted} counting by the deadline, {overtime} overtime unit-days",
        "kept_line": "kept from the earlier plan until {until}, as announced: {visits} visits, "
                     "{recorded} recordings expected",
        "changes_line": "against the earlier plan from {since}, villages to tell "
                        "(changes.csv): {changed} with changed visits, {cancelled} with a visit "
                        "cancelled, {added} with a new one; {unchanged} keep theirs",
        "changes_none_line": "the same as the earlier plan from {since}: no village's visits "
                             "change ({unchanged} keep theirs)",
        "robust_line": "robust plan (Q = {q}): Q-quantile of weighted counted {value} over "
                       "{runs} runs; {expected} at the expected figures",
        "robust_kept_line": "robust plan (Q = {q}) of the days after {until} (the kept visits not "
                            "included): Q-quantile of weighted counted {value} over {runs} runs; "
                            "{expected} at the expected figures",
        "progress_counted": "counted {counted}",
        "progress_weighted": "(weighted {objective})",
        "progress_bound": "bound {bound}",
        "progress_gap": "gap {gap}%",
        "progress_interrupted": ("interrupted at {seconds}s: writing the best plan so far "
                                 "(Ctrl-C again: stop without writing)"),
        "batch_planned": "{counted} counted, zone {before} -> {after}, {seconds}",
        "batch_bad_input": "bad input",
        "batch_failed": "failed",
        "batch_line": "{head} {name}: {what} | running: {running} | left: ~{left}",
        "batch_nothing_running": "none",
        "batch_written": ("{root}/: {planned} of {total} districts planned; wrote summary.csv, "
                          "summary.xlsx, map.html"),
        "batch_interrupted": ("interrupted: the district folders in {root}/ are whole; "
                              "districts not finished were not written, nor the summary"),
        "duration_min": "{minutes} min {seconds:02d} s",
        "duration_s": "{seconds} s",
        "travel_day": "Travel day (no visits)",
    },
}

_WEEKDAYS = {
    "id": ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
_SHORT_MONTHS = {
    "id": ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
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
    return LABELS[check_lang(lang)][key]


def zone_label(zone: str | None, lang: str = "id") -> str:
    if zone is None:
        return "–"
    return LABELS[check_lang(lang)].get(zone, zone)


def weekday_name(day: dt.date, lang: str = "id") -> str:
    return _WEEKDAYS[check_lang(lang)][day.weekday()]


def long_date(day: dt.date, lang: str = "id") -> str:
    """`Senin, 1 Januari 2024` / `Monday, 1 January 2024`."""
    return f"{weekday_name(day, lang)}, {day_month(day, lang)}"


def month_name(month: int, lang: str = "id", short: bool = False) -> str:
    """`month` 1-12 as a word of `lang` (`Agustus` / `August`; short: `Agu` / `Aug`)."""
    return (_SHORT_MONTHS if short else _MONTHS)[check_lang(lang)][month - 1]


def day_month(day: dt.date, lang: str = "id", year: bool = True) -> str:
    """`4 Maret 2024` / `4 March 2024` (without the year when `year` is False)."""
    text = f"{day.day} {month_name(day.month, lang)}"
    return f"{text} {day.year}" if year else text


def clock(seconds: int, lang: str = "id") -> str:
    """A time of day as people write it: `07.50` in Indonesian, `07:50` in English."""
    seconds = int(seconds)
    sep = "." if check_lang(lang) == "id" else ":"
    return f"{seconds // 3600:02d}{sep}{seconds % 3600 // 60:02d}"


def zone_abbreviation(timezone: str) -> str:
    """WIB / WITA / WIT for Indonesian zones, the IANA name otherwise."""
    return _ZONE_ABBR.get(timezone, timezone)
