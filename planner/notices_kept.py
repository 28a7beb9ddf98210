"""The words of `planner.keep`'s warnings (a re-plan's `--keep-until`: which announced visits
and trips are not kept, and why), kept apart from `planner.notices` so that module stays
short; it merges them into its TEMPLATES."""
from __future__ import annotations

KEPT_TEMPLATES: dict[str, dict[str, str]] = {
    "kept_dropped": {
        "en": "the earlier plan's visits of unit {unit} on {when} are not kept: {why}; the "
              "re-plan plans only the days after those it keeps, so the unit stays in on "
              "these up to --keep-until (tell the villages; an earlier --keep-until lets the "
              "re-plan use them)",
        "id": "kunjungan unit {unit} pada {when} dari rencana sebelumnya tidak dipertahankan: "
              "{why}; rencana ulang hanya merencanakan hari sesudah yang dipertahankan, jadi "
              "unit itu tidak keluar pada hari-hari ini sampai --keep-until (beri tahu "
              "desa-desanya; --keep-until yang lebih awal membuat rencana ulang dapat "
              "memakainya)",
    },
    "kept_visit_closed": {
        "en": "the earlier plan's visit to {village} on {day} is not kept: the scenario closes "
              "the village that day{why}; the rest of the unit's trip stays (tell the village)",
        "id": "kunjungan ke {village} pada {day} dari rencana sebelumnya tidak dipertahankan: "
              "skenario menutup desa itu pada hari itu{why}; perjalanan unit selebihnya tetap "
              "(beri tahu desanya)",
    },
    "kept_visit_closed_alone": {
        "en": "the earlier plan's visit to {village} on {day} is not kept: the scenario closes "
              "the village that day{why}; the unit's trip kept no other visit (tell the village)",
        "id": "kunjungan ke {village} pada {day} dari rencana sebelumnya tidak dipertahankan: "
              "skenario menutup desa itu pada hari itu{why}; tidak ada kunjungan lain dari "
              "perjalanan unit itu yang dipertahankan (beri tahu desanya)",
    },
    "kept_visit_void": {
        "en": "the earlier plan's visit to {name} ({village}) on {day} is not kept: {why} "
              "(tell the village)",
        "id": "kunjungan ke {name} ({village}) pada {day} dari rencana sebelumnya tidak "
              "dipertahankan: {why} (beri tahu desanya)",
    },
    "kept_visit_trimmed": {
        "en": "the earlier plan's visit to {village} on {day} is not kept: the day's hours now "
              "end at {end}, too early to be back from it; {rest} (tell the village)",
        "id": "kunjungan ke {village} pada {day} dari rencana sebelumnya tidak dipertahankan: "
              "jam kerja hari itu kini berakhir pukul {end}, terlalu awal untuk kembali dari "
              "sana; {rest} (beri tahu desanya)",
    },
    "kept_visit_trimmed_start": {
        "en": "the earlier plan's visit to {village} on {day} is not kept: the day's hours now "
              "start at {start}, too late to reach it by its announced hour; {rest} (tell the "
              "village)",
        "id": "kunjungan ke {village} pada {day} dari rencana sebelumnya tidak dipertahankan: "
              "jam kerja hari itu kini mulai pukul {start}, terlambat untuk tiba pada jam yang "
              "diumumkan; {rest} (beri tahu desanya)",
    },
    "kept_void_nobody": {
        "en": "it would record nobody ({left} unrecorded left there after the actuals)",
        "id": "tidak ada yang akan direkam (tersisa {left} orang belum terekam sesudah "
              "realisasi)",
    },
    "kept_visit_gone": {
        "en": "the earlier plan's visit to {village!r} on {day} is not kept: the scenario no "
              "longer has the village; {rest} (tell the village)",
        "id": "kunjungan ke {village!r} pada {day} dari rencana sebelumnya tidak dipertahankan: "
              "desa itu tidak ada lagi dalam skenario; {rest} (beri tahu desanya)",
    },
    "kept_void_late": {
        "en": "its recordings would count on {counts_on}, after the deadline ({deadline})",
        "id": "perekamannya baru terhitung pada {counts_on}, sesudah batas waktu ({deadline})",
    },
    # why a kept trip is dropped (the `why` of "kept_dropped")
    "kept_unit_gone": {
        "en": "unit {unit!r} is no longer in the scenario",
        "id": "unit {unit!r} tidak ada lagi dalam skenario",
    },
    "kept_village_gone": {
        "en": "the trip spends a night at {village!r}, which the scenario no longer has",
        "id": "perjalanan itu menginap di {village!r}, yang tidak ada lagi dalam skenario",
    },
    "kept_began_before": {
        "en": "the trip began on {day}, before the re-plan's first day",
        "id": "perjalanan itu dimulai {day}, sebelum hari pertama rencana ulang",
    },
    "kept_not_home": {
        "en": "the trip does not start and end at home ({place})",
        "id": "perjalanan itu tidak berangkat dari dan berakhir di tempat pulang unit ({place})",
    },
    "kept_closed": {
        "en": "{day} is no longer a field day",
        "id": "{day} bukan lagi hari kerja lapangan",
    },
    "kept_unavailable": {
        "en": "unit {unit!r} is unavailable on {day}",
        "id": "unit {unit!r} tidak tersedia pada {day}",
    },
    "kept_late": {
        "en": "{village} cannot be reached by {time} on {day}",
        "id": "{village} tidak dapat dicapai sebelum pukul {time} pada {day}",
    },
    "kept_overtime": {
        "en": "the overtime budget left ({budget} unit-day(s): staff.overtime_unit_days less "
              "those the actuals worked) does not cover every kept weekend or holiday day; "
              "the latest go first",
        "id": "sisa anggaran lembur ({budget} hari-unit: staff.overtime_unit_days dikurangi "
              "yang sudah dipakai menurut realisasi) tidak cukup untuk semua hari akhir pekan "
              "atau libur yang dipertahankan; yang paling akhir dilepas lebih dulu",
    },
    "kept_rule": {
        "en": "it breaks the rule {rule} ({message})",
        "id": "melanggar aturan {rule} ({message})",
    },
}
