"""Words, dates and clock times in each language, from the project's own tables."""
from __future__ import annotations

import datetime as dt

import pytest

from planner.export import crossings, goal, labels, numbers


def test_labels_dates_and_zones():
    assert labels.long_date(dt.date(2024, 3, 4)) == "Senin, 4 Maret 2024"
    assert labels.long_date(dt.date(2018, 8, 17), "en") == "Friday, 17 August 2018"
    assert labels.zone_abbreviation("Asia/Jayapura") == "WIT"
    with pytest.raises(ValueError, match="unknown language"):
        labels.label("summary", "fr")


def test_month_names_do_not_depend_on_the_machine_locale():
    assert [labels.month_name(m, "id") for m in (5, 8, 10, 12)] == \
        ["Mei", "Agustus", "Oktober", "Desember"]
    assert [labels.month_name(m, "id", short=True) for m in (5, 8, 10, 12)] == \
        ["Mei", "Agu", "Okt", "Des"]
    assert labels.month_name(8, "en", short=True) == "Aug"


def test_clock_and_crossing_in_each_language():
    assert labels.clock(7 * 3600 + 50 * 60, "id") == "07.50"
    assert labels.clock(7 * 3600 + 50 * 60, "en") == "07:50"
    assert crossings.crossing_text("Dermaga Canti", 7 * 3600 + 50 * 60, "boat", 5400, "id") == \
        "berangkat 07.50 dari Dermaga Canti, perahu 90 menit"
    assert crossings.crossing_text("Dermaga Canti", 7 * 3600 + 50 * 60, "boat", 5400, "en") == \
        "leaves Dermaga Canti at 07:50, boat 90 min"
    # a crossing of 90 minutes and 1 second is shown as 91: never shorter than it is
    assert crossings.crossing_text("X", 0, "raft", 5401, "id").endswith("raft 91 menit")


def test_goal_sentence_cases():
    day, deadline = dt.date(2024, 3, 6), dt.date(2024, 3, 8)
    assert goal.goal_sentence(None, day, False, deadline) is None
    assert goal.goal_sentence(0.92, day, False, deadline, "en") == \
        "Goal 92 % reached on Wednesday, 6 March 2024."
    assert goal.goal_sentence(0.8, dt.date(2024, 3, 4), True, deadline, "id") == \
        "Sasaran 80 % sudah tercapai sebelum rencana dimulai."
    assert goal.goal_sentence(0.92, None, False, deadline, "id") == \
        "Sasaran 92 % tidak tercapai sampai batas waktu (Jumat, 8 Maret 2024)."


def test_both_languages_have_the_same_words():
    assert labels.LABELS["id"].keys() == labels.LABELS["en"].keys()


def test_a_share_just_under_a_threshold_never_reads_as_the_threshold():
    """Green from 92 %: a coverage of 0.919759 is yellow and must not print as 92.0 %."""
    assert numbers.percent(0.919759, "id") == "91,9 %"
    assert numbers.percent(0.919759, "en") == "91.9 %"
    assert numbers.percent(0.92, "en") == "92.0 %"
    assert numbers.percent(None) == "–"
    assert (numbers.whole(65928, "id"), numbers.whole(65928, "en")) == ("65.928", "65,928")
    assert numbers.decimal(18.256, 2, "id") == "18,26"


def test_a_fractional_goal_is_written_as_the_language_writes_it():
    day = dt.date(2018, 11, 18)
    assert goal.goal_sentence(0.925, None, False, day, "id") == \
        "Sasaran 92,5 % tidak tercapai sampai batas waktu (Minggu, 18 November 2018)."
    assert goal.goal_sentence(0.92, None, False, day, "en").startswith("Goal 92 % not reached")
