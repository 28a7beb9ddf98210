"""Why a village keeps backlog and what holds a plan back, in words (Indonesian or English).

`reasons.py` finds the binding cause of each village left with backlog as a code and plain
numbers (so `summary.json` can be read by a program); this module turns a cause into a
sentence in the output language, and a plan's summary into the two or three sentences that
open the terminal output and the workbook ("what limits this plan").
"""
from __future__ import annotations

_TEXT = {
    "id": {
        "no_days": "tidak ada hari lapangan dengan unit yang tersedia sebelum batas waktu",
        "unreachable": "tidak ada jalan: tidak terjangkau dari kantor mana pun",
        "no_unit": "tidak ada unit yang melayani kecamatannya (districts setiap unit)",
        "no_generator": "perlu genset; tidak ada unit yang membawa genset",
        "too_far": ("terlalu jauh untuk perjalanan sehari: pulang-pergi {round_trip}, hari "
                    "lapangan terpanjang {shift}"),
        "generator_far": ("perlu genset; unit bergenset tidak dapat pulang-pergi dalam sehari "
                          "(pulang-pergi {round_trip}, hari lapangan terpanjang {shift})"),
        "priority_zero": "prioritas 0: perekaman di sini tidak dihitung dalam tujuan",
        "offline": ("tanpa sinyal: data baru terhitung {days} hari setelah tim kembali, "
                    "sudah lewat batas waktu sejak hari lapangan pertama"),
        "closed": ("desa ditutup{reason} pada setiap hari lapangan yang perekamannya masih "
                   "terhitung"),
        "staff": ("batas staf membuat unit {units} tetap di kantor, dan hanya unit itu "
                  "yang dapat melayani desa ini"),
        "staff_overtime": ("batas staf pada hari kerja dan anggaran lembur yang sudah habis "
                           "membuat unit {units} tetap di kantor, dan hanya unit itu yang dapat "
                           "melayani desa ini"),
        "turnout": ("dikunjungi {visits} kali; satu kunjungan merekam paling banyak {share} "
                    "dari yang belum terekam"),
        "rate": ("desa lain menghasilkan lebih banyak perekaman per jam: di sini sekitar {rate} "
                 "per jam kerja unit (pulang-pergi {round_trip}), rata-rata rencana {plan_rate}"),
        "capacity_staff": ("hari-unit tidak cukup sebelum batas waktu: unit yang keluar "
                           "terpakai penuh, dan pada {days} hari lapangan batas staf menahan "
                           "unit lain yang dapat melayani desa ini di kantor"),
        "capacity": "hari-unit tidak cukup sebelum batas waktu: semua hari-unit sudah terpakai",
    },
    "en": {
        "no_days": "no field day with an available unit before the deadline",
        "unreachable": "no route: not reachable from any base",
        "no_unit": "no unit serves its kecamatan (every unit's districts leave it out)",
        "no_generator": "needs a generator; no unit carries one",
        "too_far": ("too far for a day trip: the round trip takes {round_trip}, the longest "
                    "field day is {shift}"),
        "generator_far": ("needs a generator; no unit with one can make the day trip (round "
                          "trip {round_trip}, longest field day {shift})"),
        "priority_zero": "priority 0: recordings here do not count in the objective",
        "offline": ("offline: the data counts {days} days after the team is back, past the "
                    "deadline from the first field day on"),
        "closed": "closed{reason} on every field day whose recordings would still count",
        "staff": ("the staff limit keeps {units} in the office, and only that unit can serve "
                  "this village"),
        "staff_overtime": ("the staff limit on working days and the overtime budget, all "
                           "spent, keep {units} in the office, and only that unit can serve "
                           "this village"),
        "turnout": ("visited {times}; a visit records at most {share} of those still "
                    "unrecorded"),
        "rate": ("other villages give more per hour: about {rate} recordings per hour of a "
                 "unit's day here (round trip {round_trip}), {plan_rate} in the plan"),
        "capacity_staff": ("not enough unit-days before the deadline: the units out are in "
                           "full use, and on {days} field days the staff limit kept in other "
                           "units that could serve this village"),
        "capacity": "not enough unit-days before the deadline: every unit-day is in use",
    },
}

_DURATION = {"id": ("{h} jam {m} menit", "{m} menit", "{h} jam"),
             "en": ("{h} h {m} min", "{m} min", "{h} h")}


def duration(seconds: float, lang: str) -> str:
    """A duration in whole minutes: '2 jam 30 menit' / '2 h 30 min'."""
    minutes = int(round(seconds / 60))
    long, short, whole = _DURATION[lang]
    h, m = divmod(minutes, 60)
    if not h:
        return short.format(m=m)
    return (long if m else whole).format(h=h, m=m)


def number(value: float, lang: str) -> str:
    """A figure as people write it: 1.234,5 (id) or 1,234.5 (en), one decimal at most."""
    text = f"{value:,.1f}" if abs(value) < 100 and value != int(value) else f"{value:,.0f}"
    return in_lang(text, lang)


def in_lang(text: str, lang: str) -> str:
    """A figure Python wrote (1,234.5) with the separators people use in `lang` (1.234,5 in id)."""
    return text.translate(str.maketrans(",.", ".,")) if lang == "id" else text


def cause_text(cause: dict, lang: str) -> str:
    """The sentence for a cause record {"cause": code, ...numbers} in `lang`."""
    code = cause["cause"]
    values = {}
    for key, value in cause.items():
        if key in ("round_trip_s", "shift_s"):
            values[key[:-2]] = duration(value, lang)
        elif key == "units":
            values[key] = ", ".join(value)
        elif key == "share":
            values[key] = f"{round(100 * value)} %"
        elif isinstance(value, (int, float)) and key != "cause":
            values[key] = number(value, lang)
    if code == "closed":
        values["reason"] = f" ({cause['reason']})" if cause.get("reason") else ""
    if code == "turnout" and lang == "en":
        values["times"] = "once" if cause["visits"] == 1 else f"{values['visits']} times"
    return _TEXT[lang][code].format(**values)


_LIMIT = {
    "id": {"weekday_staff": "satu staf lagi pada hari kerja",
           "weekend_staff": "satu staf lagi pada akhir pekan",
           "overtime_unit_day": "satu hari-unit lembur lagi",
           "deadline_day": "batas waktu diundur satu hari",
           "kit": "satu kit lagi untuk {unit}"},
    "en": {"weekday_staff": "one more weekday staff member",
           "weekend_staff": "one more weekend staff member",
           "overtime_unit_day": "one more overtime unit-day",
           "deadline_day": "the deadline one day later",
           "kit": "one more kit for {unit}"},
}
_BASIS = {"id": {"measured": "diukur dengan perencanaan ulang", "estimate": "perkiraan"},
          "en": {"measured": "measured by re-planning", "estimate": "an estimate"}}
_SHORT = {
    # each reads after a number of villages: "64 terbatas kehadiran per kunjungan"
    "id": {"no_days": "tanpa hari lapangan", "unreachable": "tak terjangkau",
           "no_unit": "tanpa unit untuk kecamatannya",
           "no_generator": "perlu genset", "too_far": "terlalu jauh untuk sehari",
           "generator_far": "terlalu jauh bagi unit bergenset", "priority_zero": "berprioritas 0",
           "offline": "tanpa sinyal, terlambat terhitung", "closed": "ditutup",
           "staff": "unitnya tertahan batas staf",
           "staff_overtime": "unitnya tertahan batas staf dan lembur",
           "turnout": "terbatas kehadiran per kunjungan",
           "rate": "kalah produktif dari desa lain",
           "capacity_staff": "tidak kebagian hari-unit yang diizinkan batas staf",
           "capacity": "tidak kebagian hari-unit"},
    "en": {"no_days": "without a field day", "unreachable": "unreachable",
           "no_unit": "with no unit for their kecamatan",
           "no_generator": "needing a generator", "too_far": "too far for a day trip",
           "generator_far": "too far for the generator units", "priority_zero": "at priority 0",
           "offline": "offline, counting too late", "closed": "closed",
           "staff": "with units kept in by the staff limit",
           "staff_overtime": "with units kept in by staff and overtime",
           "turnout": "limited by turnout per visit",
           "rate": "less productive than other villages",
           "capacity_staff": "out of the unit-days the staff limit allows",
           "capacity": "out of unit-days"},
}
_IDLE = {
    "id": {"staff": "batas staf tidak menyisakan tempat untuk krunya",
           "staff_overtime": ("batas staf tidak menyisakan tempat untuk krunya pada hari kerja, "
                              "dan anggaran lembur habis untuk unit lain"),
           "crew_over_staff": "krunya lebih besar dari batas staf mana pun",
           "unavailable": "tidak tersedia sepanjang rencana",
           "no_days": "rencana tidak punya hari lapangan",
           "too_far": ("tidak ada desa yang dapat dilayaninya dalam satu hari lapangan, "
                       "dari tempat berangkat sampai kembali ke rumahnya"),
           "no_gain": "tidak ada kunjungan yang menambah perekaman"},
    "en": {"staff": "the staff limit never leaves room for its crew",
           "staff_overtime": ("the staff limit leaves no room for its crew on working days, and "
                              "the overtime budget goes to the other units"),
           "crew_over_staff": "its crew is larger than every staff level",
           "unavailable": "unavailable throughout the plan",
           "no_days": "the plan has no field day",
           "too_far": ("no village can be served within one field day on its way from where "
                       "it starts back to its home"),
           "no_gain": "no visit would add recordings"},
}
_SENTENCES = {
    "id": {"top": "Yang paling membatasi rencana ini: {what} menambah sekitar {gain} "
                  "perekaman ({basis}).",
           "top_weighted": "Yang paling membatasi rencana ini: {what} menambah sekitar {gain} "
                           "perekaman berbobot prioritas ({basis}).",
           "more_idle": "{n} unit lain juga tidak pernah keluar (summary.json, limits).",
           "none": "Tidak ada satu sumber daya tambahan yang menambah perekaman.",
           "left": "{n} desa masih menyisakan warga belum terekam: {causes}.",
           "all": "Semua warga yang belum terekam tercakup rencana.",
           "idle": "{unit} tidak pernah keluar: {why}."},
    "en": {"top": "What limits this plan most: {what} buys about {gain} recordings ({basis}).",
           "top_weighted": ("What limits this plan most: {what} buys about {gain} "
                            "priority-weighted recordings ({basis})."),
           "more_idle": "{n} more unit{s} never go{es} out (summary.json, limits).",
           "none": "No single extra resource buys more recordings.",
           "left": "{n} villages keep residents unrecorded: {causes}.",
           "all": "The plan reaches every unrecorded resident.",
           "idle": "{unit} never goes out: {why}."},
}


def limit_entries(limits: dict) -> list[tuple[str, str | None, dict]]:
    """(name, unit or None, entry) for every gain in a `limits` record."""
    out = [(name, None, e) for name, e in limits.items()
           if name not in ("kit", "idle_units") and isinstance(e, dict)]
    out += [("kit", unit, e) for unit, e in limits.get("kit", {}).items()]
    return out


def limit_words(code: str, lang: str) -> str:
    """A limit's code as summary.csv gives it (`weekday_staff`, `kit:KH3`) in words."""
    name, _, unit = code.partition(":")
    return _LIMIT[lang][name].format(unit=unit)


def basis_words(basis: str, lang: str) -> str:
    """A gain's basis (`measured`, `estimate`) in words."""
    return _BASIS[lang].get(basis, basis)


def top_limit(limits: dict) -> tuple[str, str | None, dict] | None:
    """The (name, unit or None, entry) of a `limits` record whose one more buys the most
    (measured or estimated; the first of equals), or None where nothing is limited."""
    gains = [x for x in limit_entries(limits) if x[2].get("basis") in ("measured", "estimate")
             and not x[2].get("unlimited")]
    return max(gains, key=lambda x: x[2]["gain"]) if gains else None


def what_limits(summary: dict, lang: str) -> list[str]:
    """Two or three sentences on what holds the plan back, from summary.json's figures."""
    words = _SENTENCES[lang]
    out = []
    limits = summary.get("limits") or {}
    top = top_limit(limits)
    if top:
        name, unit, entry = top
        weighted = summary.get("objective", 0) != summary.get("counted_recordings", 0)
        if entry["gain"] > 0:
            out.append(words["top_weighted" if weighted else "top"].format(what=_LIMIT[lang][name].format(unit=unit),
                                           gain=number(entry["gain"], lang),
                                           basis=_BASIS[lang][entry["basis"]]))
        else:
            out.append(words["none"])
    left = summary.get("left_out") or []
    if left:
        counts: dict[str, int] = {}
        for item in left:
            counts[item.get("cause", "capacity")] = counts.get(item.get("cause", "capacity"), 0) + 1
        causes = ", ".join(f"{n} {_SHORT[lang][c]}" for c, n in
                           sorted(counts.items(), key=lambda kv: -kv[1]))
        out.append(words["left"].format(n=len(left), causes=causes))
    else:
        out.append(words["all"])
    idle_units = limits.get("idle_units", [])
    for idle in idle_units[:2]:
        out.append(words["idle"].format(unit=idle["unit"], why=_IDLE[lang][idle["why"]]))
    if len(idle_units) > 2:
        more = len(idle_units) - 2
        out.append(words["more_idle"].format(n=more, s="s" * (more > 1), es="es" * (more == 1)))
    return out
