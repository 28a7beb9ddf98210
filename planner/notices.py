"""Warnings for the planner, in the run's language: input that is allowed but probably not
meant, actuals beyond the scenario's figures, plan folders a batch did not write.

The loaders and the re-planning from actuals warn through Python's `warnings` with a `Notice`
(a batch returns its folder notices).
Its `str()` is English (notebooks, logs, `pytest.warns`); the command line prints
`notice_line(message, lang)`, so a planner running `--lang id` reads the warning in Bahasa
Indonesia like every other line of the run. A notice keeps its words and its fields apart
until it is shown, since the scenario is read before anyone knows the language.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from .notices_kept import KEPT_TEMPLATES
from .notices_unused import UNUSED_TEMPLATES

WARNING_WORD = {"id": "peringatan", "en": "warning"}

# key -> language -> template over the notice's fields
TEMPLATES: dict[str, dict[str, str]] = {
    "closure_after_deadline": {
        "en": "the closure begins on {day}, after the deadline ({deadline}): it closes nothing "
              "(a typo in the year?)",
        "id": "penutupan dimulai {day}, sesudah batas waktu ({deadline}): tidak menutup apa pun "
              "(salah ketik tahun?)",
    },
    "timezone_far": {
        "en": "the villages lie around {lon} degrees east, where clocks keep {keep}, not "
              "{zone} ({abbr}): the notices and calendars would give {abbr} hours; set "
              "calendar.timezone",
        "id": "desa-desa berada di sekitar {lon} derajat bujur timur, yang memakai {keep}, "
              "bukan {zone} ({abbr}): pengumuman dan kalender akan memakai jam {abbr}; isi "
              "calendar.timezone",
    },
    "holidays_estimated": {
        "en": "the holidays package only estimates {days}: check the government's decree "
              "(SKB); a date it moves can be added under extra_holidays, or, to drop an "
              "estimate, list every holiday there with holidays: none",
        "id": "paket holidays hanya memperkirakan {days}: periksa SKB pemerintah; tanggal "
              "yang bergeser dapat ditambahkan di extra_holidays, atau, untuk membuang "
              "perkiraan, tulis semua hari libur di sana dengan holidays: none",
    },
    "crew_never_out": {
        "en": "crew {crew} is more than every staff level ({most}): unit {unit!r} can never go "
              "out, and the plan leaves it at its base",
        "id": "awak {crew} orang, lebih dari jumlah petugas pada hari mana pun ({most}): unit "
              "{unit!r} tidak pernah bisa berangkat, dan rencana membiarkannya di pangkalannya",
    },
    "district_spelling": {
        "en": "kecamatan {written!r} ({rows} village(s)) is read as {canonical!r}, as "
              "{others} other village(s) write it; write one spelling to silence this",
        "id": "kecamatan {written!r} ({rows} desa) dibaca sebagai {canonical!r}, seperti "
              "ditulis pada {others} desa lain; samakan penulisannya agar peringatan ini hilang",
    },
    "total_row_skipped": {
        "en": "row(s) {rows}: a total (Jumlah) without a village id, not a village; skipped",
        "id": "baris {rows}: jumlah/total tanpa kode desa, bukan desa; dilewati",
    },
    "deadline_holiday": {
        "en": "the deadline {day} is a public holiday ({holiday}): a recording counted that day "
              "counts in the plan; if it is the election day, a resident must be recorded before "
              "it: set the deadline to the day before",
        "id": "batas waktu {day} adalah hari libur ({holiday}): perekaman yang terhitung pada hari "
              "itu dihitung dalam rencana; bila itu hari pemungutan suara, warga harus sudah "
              "terekam sebelumnya: isi batas waktu dengan hari sebelumnya",
    },
    "sheet_chosen": {
        "en": "the villages are read from sheet {sheet!r}: the first sheet, {first!r}, holds no "
              "table with an `id` column",
        "id": "desa dibaca dari lembar {sheet!r}: lembar pertama, {first!r}, tidak memuat tabel "
              "dengan kolom `id`",
    },
    "formula_like": {
        "en": "{text!r} starts with {first!r}: a spreadsheet opening visits.csv or days.csv "
              "reads the cell as a formula (it shows a result or an error, and a file saved from "
              "it no longer names it){more}; schedule.xlsx shows it as written",
        "id": "{text!r} diawali {first!r}: spreadsheet yang membuka visits.csv atau days.csv "
              "membaca selnya sebagai rumus (yang tampil hasil atau galat, dan berkas yang "
              "disimpan darinya tidak lagi menyebutnya){more}; schedule.xlsx menampilkannya "
              "apa adanya",
    },
    "formula_like_one_more": {
        "en": "; so does one more name or id",
        "id": "; begitu pula satu nama atau kode lain",
    },
    "formula_like_more": {
        "en": "; so do {count} more names or ids",
        "id": "; begitu pula {count} nama atau kode lain",
    },
    "village_named_otherwise": {
        "en": "{written!r} is the name of village {others}, not of {id} ({name!r}), the row's "
              "village_id: the row is read as {id} (the code decides); if the visit was at "
              "{written!r}, write its code",
        "id": "{written!r} adalah nama desa {others}, bukan {id} ({name!r}), village_id baris "
              "ini: baris dibaca sebagai {id} (kode yang menentukan); bila kunjungan itu di "
              "{written!r}, tulis kodenya",
    },
    "village_twice": {
        "en": "village {name!r} of kecamatan {district!r} is listed twice (ids {first} and {id}): "
              "a row pasted twice doubles its residents; delete one, or tell the two apart by name",
        "id": "desa {name!r} kecamatan {district!r} tercantum dua kali (kode {first} dan {id}): "
              "baris yang tersalin dua kali menggandakan warganya; hapus satu, atau bedakan namanya",
    },
    "column_ignored": {
        "en": "column {column!r} is not in the contract; ignored",
        "id": "kolom {column!r} tidak dikenal; diabaikan",
    },
    "header_below_title": {
        "en": "the header (the row naming `id`) was found on row {row}; the {above} row(s) "
              "above it are ignored",
        "id": "baris judul kolom (yang memuat `id`) ada di baris {row}; {above} baris di "
              "atasnya diabaikan",
    },
    "overtime_over_budget": {
        "en": "{used} actual overtime unit-days, more than the budget of {budget}; no overtime "
              "is left",
        "id": "{used} hari-unit lembur sudah terpakai, lebih dari anggaran {budget}; tidak ada "
              "lembur tersisa",
    },
    "earlier_plan_failed": {
        "en": "{folder}/ holds an earlier plan, not this run's: {name} has no new plan this "
              "time (see summary.csv)",
        "id": "{folder}/ masih berisi rencana sebelumnya, bukan rencana kali ini: {name} tidak "
              "mendapat rencana baru kali ini (lihat summary.csv)",
    },
    "earlier_plan_absent": {
        "en": "{folder}/ holds an earlier plan, not this run's: {name} is not among this run's "
              "scenarios",
        "id": "{folder}/ masih berisi rencana sebelumnya, bukan rencana kali ini: {name} tidak "
              "termasuk skenario yang direncanakan kali ini",
    },
    "changes_unreadable": {
        "en": "the earlier plan's visits cannot be compared with the new plan ({problem}); "
              "changes.csv is not written",
        "id": "kunjungan rencana sebelumnya tidak dapat dibandingkan dengan rencana baru "
              "({problem}); changes.csv tidak ditulis",
    },
    "changes_village_gone": {
        "en": "village {village!r} ({name}, kecamatan {district}) was told of {visits} "
              "visit(s) from {first} on, now cancelled, and the scenario no longer has it: no "
              "message or announcement is written for it (changes.csv lists it); tell the "
              "village",
        "id": "desa {village!r} ({name}, kecamatan {district}) sudah diberi tahu {visits} "
              "kunjungan mulai {first}, kini dibatalkan, dan skenario tidak lagi memuatnya: "
              "tidak ada pesan atau pengumuman untuknya (tercantum di changes.csv); beri tahu "
              "desanya",
    },
    "changes_village_renamed": {
        "en": "village {village!r} ({name}, kecamatan {district}), told of {visits} visit(s) "
              "from {first} on, is {now!r} in the scenario now (its id corrected?): its "
              "message goes out under {now} as a new one",
        "id": "desa {village!r} ({name}, kecamatan {district}), yang sudah diberi tahu "
              "{visits} kunjungan mulai {first}, kini {now!r} dalam skenario (kodenya "
              "dibetulkan?): pesannya dikirim dengan kode {now} sebagai pesan baru",
    },
    "from_plan_in_place": {
        "en": "--from-plan edits this folder in place, so its earlier visits are the edited "
              "ones: changes.csv cannot say which villages to tell. Edit a copy and write it "
              "here with --from-plan COPY -o FOLDER",
        "id": "--from-plan menyunting folder ini sendiri, jadi kunjungan sebelumnya adalah yang "
              "sudah disunting: changes.csv tidak dapat menyebut desa yang perlu diberi tahu. "
              "Sunting salinannya lalu tulis ke sini dengan --from-plan SALINAN -o FOLDER",
    },
    "counts_on_with_signal": {
        "en": "{day} for village {village}, which has signal: its recordings count on the day "
              "of the visit, {when} (counts_on is for villages without signal); ignored",
        "id": "{day} untuk desa {village}, yang bersinyal: perekamannya terhitung pada hari "
              "kunjungan, {when} (counts_on untuk desa tanpa sinyal); diabaikan",
    },
    "recorded_over_backlog": {
        "en": "village {village} ({name}): {done} actually recorded, more than its backlog of "
              "{backlog}; its backlog is now 0 (the estimate was low)",
        "id": "desa {village} ({name}): {done} orang benar-benar direkam, lebih dari "
              "{backlog} yang belum terekam; sisanya kini 0 (perkiraannya terlalu rendah)",
    },
    "actuals_forgotten": {
        "en": "the re-plan written here before counted {counted} visits that happened before "
              "{today}; {missing} of them are not in this actuals file (the first: village "
              "{village} on {day}). An actuals file holds every visit since the campaign began: "
              "a re-plan's visits.csv holds its own plan only, its schedule.xlsx lists them all",
        "id": "rencana ulang sebelumnya di sini menghitung {counted} kunjungan yang sudah "
              "terlaksana sebelum {today}; {missing} di antaranya tidak ada di berkas realisasi "
              "ini (yang pertama: desa {village} pada {day}). Berkas realisasi memuat semua "
              "kunjungan sejak kampanye dimulai: visits.csv rencana ulang hanya memuat "
              "rencananya sendiri, schedule.xlsx-nya mencantumkan semuanya",
    },
    "recorded_vs_plan": {
        "en": "the {visits} visits that happened as this plan announced them recorded "
              "{recorded} residents where it expected {planned} ({percent} %); this "
              "re-plan still counts on the scenario's turnout ({turnout}) and hours",
        "id": "{visits} kunjungan yang terlaksana sesuai rencana ini merekam "
              "{recorded} warga dari {planned} yang diperkirakan ({percent} %); rencana ulang "
              "ini tetap memakai tingkat kehadiran ({turnout}) dan jam skenario",
    },
    "turnout_lowered": {
        "en": "planned with the turnout the villages showed: {factor} x the scenario's "
              "(recording.turnout {was} -> {turnout}, and each village's own likewise)",
        "id": "direncanakan dengan tingkat kehadiran yang terlihat di desa: {factor} x "
              "perkiraan skenario (recording.turnout {was} -> {turnout}, begitu pula tiap desa)",
    },
    "turnout_not_estimated": {
        "en": "no turnout to plan with: it needs the plan that announced the visits in the "
              "output folder and at least {least} of its visits that were to take everyone "
              "who comes to have happened as announced; planned with the scenario's turnout",
        "id": "tingkat kehadiran tidak dapat diperkirakan: perlu rencana yang mengumumkan "
              "kunjungan di folder keluaran dan sedikitnya {least} kunjungannya yang "
              "diperkirakan melayani semua warga yang datang terlaksana sesuai rencana; "
              "direncanakan dengan tingkat kehadiran skenario",
    },
    "turnout_not_lowered": {
        "en": "the villages came at {factor} x the scenario's turnout, not less: planned with "
              "the scenario's (raise it in the scenario if that holds)",
        "id": "warga datang {factor} x perkiraan skenario, tidak kurang: direncanakan dengan "
              "tingkat kehadiran skenario (naikkan di skenario bila memang demikian)",
    },
    "turnout_vs_plan": {
        "en": "the {visits} visits that happened as this plan announced them recorded "
              "{recorded} residents where it expected {planned} ({percent} %); at the "
              "{bound} of them where it expected everyone who comes, turnout was {factor} x "
              "the scenario's (recording.turnout {turnout}: about {suggested}); if turnout is "
              "the cause, plan with it (--turnout-from-actuals) or change it in the scenario",
        "id": "{visits} kunjungan yang terlaksana sesuai rencana ini merekam "
              "{recorded} warga dari {planned} yang diperkirakan ({percent} %); pada {bound} "
              "kunjungan yang diperkirakan melayani semua warga yang datang, kehadiran {factor} "
              "x perkiraan skenario (recording.turnout {turnout}: sekitar {suggested}); bila "
              "kehadiran penyebabnya, rencanakan dengannya (--turnout-from-actuals) atau ubah "
              "di skenario",
    },
    "workbook_unit_missing": {
        "en": "no unit sheet {sheets} with the columns date, village code and recorded; "
              "those units' visits are not read (restore the sheet's name and header; a unit "
              "added since the plan has no sheet and nothing to read)",
        "id": "tidak ada lembar unit {sheets} dengan kolom tanggal, kode desa dan direkam; "
              "kunjungan unit itu tidak dibaca (kembalikan nama dan judul kolom lembarnya; "
              "unit yang ditambahkan sesudah rencana itu memang tidak punya lembar)",
    },
    "workbook_copy_differs": {
        "en": "{count} visit(s) have another number recorded in a kecamatan sheet than in "
              "their unit's sheet (the first: {first}); the unit sheets are read, so a "
              "correction made only in a kecamatan sheet is not",
        "id": "{count} kunjungan mencatat jumlah terekam yang berbeda di lembar kecamatan dan "
              "di lembar unitnya (yang pertama: {first}); yang dibaca lembar unit, jadi "
              "koreksi yang hanya dibuat di lembar kecamatan tidak terbaca",
    },
    "from_plan_hour_missed": {
        "en": "{village} on {day}: the team arrives at {time}, after the {was} written for the "
              "visit; it starts on arrival, so tell the village",
        "id": "{village} pada {day}: tim tiba pukul {time}, setelah pukul {was} yang ditulis "
              "untuk kunjungan ini; kunjungan dimulai saat tim tiba, jadi beri tahu desanya",
    },
    "workbook_copy_edited": {
        "en": "{count} row(s) of the kecamatan sheets differ from the unit sheets (the first: "
              "{first}); a plan is read from the unit sheets only, so make the change there",
        "id": "{count} baris lembar kecamatan berbeda dengan lembar unit (yang pertama: "
              "{first}); rencana dibaca dari lembar unit saja, jadi ubahlah di sana",
    },
    **KEPT_TEMPLATES,
    **UNUSED_TEMPLATES,
}


class Worded(dict):
    """A field's words in each language (`{"en": ..., "id": ...}`: holiday names from their
    package), shown in the notice's language."""

    def text(self, lang: str) -> str:
        return self.get(lang, self.get("en", ""))


class Notice(UserWarning):
    """One warning: a template `key`, where it applies (`FILE:LINE: field.path`, a file, or
    empty) and the values the template names."""

    def __init__(self, key: str, where: str = "", **fields: Any):
        if key not in TEMPLATES:
            raise KeyError(f"no notice {key!r}")
        super().__init__(key, where, fields)
        self.key, self.where, self.fields = key, where, fields

    def located(self, where: str) -> "Notice":
        """The same notice at `where` (a loader knows the field, its caller the file)."""
        return Notice(self.key, where, **self.fields)

    def text(self, lang: str = "en") -> str:
        """The notice in `lang`; a field that is itself a Notice is shown in `lang` too, a
        figure as `lang` writes it (`2.565` and `0,665` in Indonesian, `2,565` and `0.665` in
        English)."""
        fields = {k: v.text(lang) if isinstance(v, (Notice, Worded)) else _figure(v, lang)
                  for k, v in self.fields.items()}
        body = TEMPLATES[self.key][lang].format(**fields)
        return f"{self.where}: {body}" if self.where else body

    def __str__(self) -> str:
        return self.text("en")

    def __reduce__(self):  # picklable across processes despite the keyword fields
        return (_rebuild, (self.key, self.where, self.fields))


def _figure(value: Any, lang: str) -> Any:
    """A number as `lang` writes it; anything else as it is. Whole numbers of four digits
    or more get the thousands separator (a count of people, never a year: years are text)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return value
    text = f"{value:,}" if isinstance(value, int) else str(value)
    return text.translate(str.maketrans(",.", ".,")) if lang == "id" else text


def _rebuild(key: str, where: str, fields: dict) -> Notice:
    return Notice(key, where, **fields)


def notice_line(message: Warning | str, lang: str = "id") -> str:
    """`warning: ...` (`peringatan: ...`) as the command line prints it; a warning that is not
    a `Notice` (from a library) keeps its own words."""
    text = message.text(lang) if isinstance(message, Notice) else str(message)
    return f"{WARNING_WORD[lang]}: {text}"
