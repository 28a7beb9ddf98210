"""The planner's warnings in both languages (`planner.notices`)."""
from __future__ import annotations

import pickle
import re
import string
import warnings

import pytest

from planner.notices import TEMPLATES, Notice, Worded, notice_line

FIELDS = {"crew": 7, "most": 6, "unit": "MK1", "column": "catatan", "row": 3, "above": 2,
          "used": 5, "budget": 4, "village": "3201", "name": "Desa A", "done": 150,
          "backlog": 100, "folder": "ROOT/d1-plan", "day": "2024-01-06", "place": "kantor",
          "time": "08:00", "rule": "staff", "message": "11 staff needed, 8 free",
          "when": "2024-01-06", "why": Notice("kept_closed", day="2024-01-06"),
          "problem": "OUT/visits.csv:3: date: '2024-13-01': not a date", "count": 3,
          "first": "schedule.xlsx[Kec Badau]:4", "sheets": "'Unit KH2'",
          "missing": 12, "counted": 40, "today": "2024-01-15", "deadline": "2024-06-27",
          "visits": 21, "recorded": 1712, "planned": 2390, "percent": 72, "bound": 9,
          "factor": 0.69, "turnout": 0.7, "suggested": 0.48, "was": 0.7, "least": 5,
          "days": Worded({"en": "2027-03-10 (Eid al-Fitr (estimated))",
                          "id": "2027-03-10 (Hari Raya Idul Fitri (perkiraan))"}), "lon": 119.4, "zone": "Asia/Jakarta",
          "abbr": "WIB", "keep": "Asia/Makassar (WITA)", "written": "SELONG",
          "canonical": "Selong", "rows": 2, "others": 9,
          "holiday": Worded({"en": "General Election Day", "id": "Hari Pemilihan Umum"}),
          "sheet": "Desa", "district": "Timur", "id": "a2", "now": "a2-baru", "text": "=U2",
          "more": "", "nights": 2, "keys": "staff.weekend", "hours": "07:30-08:00",
          "minutes": 30, "need": 32.5, "low": "yellow", "low_t": 0.95, "high": "green",
          "high_t": 0.92, "left": 0, "counts_on": "2024-06-30",
          "rest": Worded({"en": "the rest stays", "id": "selebihnya tetap"}), "end": "12:00",
          "start": "09:00"}


def named_fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_every_notice_has_both_languages_over_the_same_fields(key):
    en, id_ = TEMPLATES[key]["en"], TEMPLATES[key]["id"]
    assert named_fields(en) == named_fields(id_)
    fields = {f: FIELDS[f] for f in named_fields(en)}
    notice = Notice(key, "s.yaml:4: units[0].crew", **fields)
    assert notice.text("en") != notice.text("id")
    assert str(notice) == notice.text("en")
    for lang in ("en", "id"):
        assert notice.text(lang).startswith("s.yaml:4: units[0].crew: ")
        assert "{" not in notice.text(lang)  # every field filled


def test_a_notice_reads_the_same_after_pickling():
    """Batch results cross processes (dask); a warning must survive it whole."""
    notice = Notice("column_ignored", "v.csv:1: villages", column="catatan")
    again = pickle.loads(pickle.dumps(notice))
    assert (again.key, again.text("id"), str(again)) == \
        ("column_ignored", notice.text("id"), str(notice))


def test_the_command_line_prefix_follows_the_language():
    notice = Notice("overtime_over_budget", "a.csv", used=5, budget=4)
    assert notice_line(notice, "en") == \
        "warning: a.csv: 5 actual overtime unit-days, more than the budget of 4; no overtime is left"
    assert notice_line(notice, "id") == ("peringatan: a.csv: 5 hari-unit lembur sudah terpakai, "
                                         "lebih dari anggaran 4; tidak ada lembur tersisa")
    assert notice_line("a library's own words", "id") == "peringatan: a library's own words"


def test_a_notice_is_a_user_warning_with_english_text():
    with pytest.warns(UserWarning, match=re.escape("v.csv:1: villages: column 'catatan' is not")):
        warnings.warn(Notice("column_ignored", "v.csv:1: villages", column="catatan"))


def test_an_unknown_notice_is_a_programming_error():
    with pytest.raises(KeyError):
        Notice("no_such_notice")


def test_figures_are_written_as_the_language_writes_them():
    """`2565 warga` beside the terminal's `2.565` read as two ways of writing one count."""
    over = Notice("overtime_over_budget", used=1234, budget=40)
    assert over.text("id").startswith("1.234 hari-unit lembur sudah terpakai, lebih dari "
                                      "anggaran 40")
    assert over.text("en").startswith("1,234 actual overtime unit-days")
    lowered = Notice("turnout_lowered", factor=0.665, was=0.33, turnout=0.22)
    assert "0,665 x perkiraan skenario (recording.turnout 0,33 -> 0,22" in lowered.text("id")
    assert "0.665 x the scenario's (recording.turnout 0.33 -> 0.22" in lowered.text("en")
