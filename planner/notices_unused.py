"""The words of `planner.scenario.unused`'s warnings (settings that change nothing), kept
apart from `planner.notices` so that module stays short; it merges them into its TEMPLATES."""
from __future__ import annotations

UNUSED_TEMPLATES: dict[str, dict[str, str]] = {
    "unused_one_more": {"en": " (and 1 other village)", "id": " (dan 1 desa lain)"},
    "unused_more": {"en": " (and {count} other villages)", "id": " (dan {count} desa lain)"},
    "turnaround_with_signal": {
        "en": "village {id!r} has turnaround_days {days} but signal true{more}: its recordings "
              "count the day they are made and turnaround_days is not used; write signal: false "
              "for a village without signal",
        "id": "desa {id!r} punya turnaround_days {days} tetapi signal true{more}: perekamannya "
              "terhitung pada hari itu juga dan turnaround_days tidak dipakai; tulis signal: false "
              "untuk desa tanpa sinyal",
    },
    "nights_without_lodging": {
        "en": "unit {unit!r} may stay {nights} night(s) away, but no place or village has "
              "lodging: true: it makes day trips only; mark the penginapan or balai desa where "
              "teams may sleep with lodging: true",
        "id": "unit {unit!r} boleh menginap {nights} malam, tetapi tidak ada tempat atau desa "
              "dengan lodging: true: unit hanya pulang-pergi; tandai penginapan atau balai desa "
              "tempat tim boleh menginap dengan lodging: true",
    },
    "lodging_one_more": {"en": " (and 1 other lodging)", "id": " (dan 1 penginapan lain)"},
    "lodging_more": {"en": " (and {count} other lodgings)", "id": " (dan {count} penginapan lain)"},
    "lodging_without_nights": {
        "en": "{id!r} is a lodging{more}, but no unit has max_nights above 0 (the default): no "
              "team stays overnight; give max_nights to the units that may",
        "id": "{id!r} adalah penginapan{more}, tetapi tidak ada unit dengan max_nights di atas 0 "
              "(bawaannya): tidak ada tim yang menginap; isi max_nights pada unit yang boleh "
              "menginap",
    },
    "overtime_without_hours": {
        "en": "{keys} given, but no Saturday, Sunday or holiday of the campaign has hours: no "
              "unit goes out on an overtime day, so it limits nothing; give weekend hours "
              "(shift.weekend) for lembur",
        "id": "{keys} diisi, tetapi tidak ada Sabtu, Minggu atau hari libur kampanye yang punya "
              "jam kerja: tidak ada unit yang berangkat pada hari lembur, jadi isian itu tidak "
              "membatasi apa pun; isi jam akhir pekan (shift.weekend) untuk lembur",
    },
    "holidays_without_hours": {
        "en": "work_on_holidays is true, but none of the campaign's holidays has hours "
              "(a worked holiday takes the shift.weekend hours, and there are none): they stay "
              "closed; add shift.weekend",
        "id": "work_on_holidays bernilai true, tetapi tidak satu pun hari libur "
              "kampanye punya jam kerja (hari libur yang dikerjakan memakai jam shift.weekend, "
              "dan itu tidak ada): hari libur tetap tutup; tambahkan shift.weekend",
    },
    "hours_after_deadline": {
        "en": "the hours {hours} begin on {day}, after the deadline ({deadline}): they change "
              "nothing (a typo in the year?)",
        "id": "jam {hours} dimulai {day}, sesudah batas waktu ({deadline}): tidak mengubah apa "
              "pun (salah ketik tahun?)",
    },
    "hours_on_closed_days": {
        "en": "the hours {hours} fall only on days without field work (calendar.closed, or "
              "holidays): hours never open a closed day, so they change nothing",
        "id": "jam {hours} hanya jatuh pada hari tanpa kerja lapangan (calendar.closed, atau "
              "hari libur): jam kerja tidak pernah membuka hari yang tutup, jadi tidak mengubah "
              "apa pun",
    },
    "hours_too_short": {
        "en": "the hours {hours} ({minutes} min) are shorter than one visit even without travel "
              "(setup and one recording: {need} min): no visit fits, so those days are not worked",
        "id": "jam {hours} ({minutes} menit) lebih pendek dari satu kunjungan, bahkan tanpa "
              "perjalanan (persiapan dan satu perekaman: {need} menit): tidak ada kunjungan yang "
              "muat, jadi hari-hari itu tidak dikerjakan",
    },
    "targets_without_eligible": {
        "en": "{keys} given, but no village has `eligible`: coverage (recorded / eligible) cannot "
              "be computed, so no zone or goal day is reported; add eligible and recorded",
        "id": "{keys} diisi, tetapi tidak ada desa dengan `eligible`: cakupan (terekam / wajib "
              "KTP) tidak dapat dihitung, jadi zona dan tanggal sasaran tercapai tidak dilaporkan; isi "
              "eligible dan recorded",
    },
    "zones_out_of_order": {
        "en": "zone {high!r} starts at {high_t}, not above zone {low!r} ({low_t}): a district "
              "gets the zone of the highest threshold it reaches, so it is called {low!r} above "
              "{low_t}; give {high!r} the higher figure",
        "id": "zona {high!r} dimulai dari {high_t}, tidak di atas zona {low!r} ({low_t}): "
              "kecamatan mendapat zona dengan ambang tertinggi yang dicapainya, jadi di atas "
              "{low_t} disebut {low!r}; beri {high!r} angka yang lebih tinggi",
    },
}
