"""Dates and percentages on the charts in the run's language: `Agu`, `17 Agu`, whole days on a
short axis, `84,8 %` with a decimal comma in Indonesian."""
from __future__ import annotations

import datetime as dt

import matplotlib.dates as mdates
import pytest
from matplotlib.figure import Figure

from planner.export.chart_format import (DateTicks, PercentTicks, date_locator, set_date_axis,
                                         share_text)
from planner.export.numbers import target_text


def _at(day: dt.date) -> float:
    return mdates.date2num(day)


def test_month_names_are_the_planners_own():
    fmt = DateTicks("id")
    assert fmt(_at(dt.date(2018, 8, 1)), 3) == "Agu"
    assert fmt(_at(dt.date(2018, 8, 17)), 3) == "17 Agu"
    assert fmt(_at(dt.date(2018, 10, 1)), 0) == "Okt\n2018"  # the year on the first tick
    assert fmt(_at(dt.date(2019, 1, 1)), 4) == "Jan\n2019"
    assert DateTicks("en")(_at(dt.date(2018, 8, 1)), 3) == "Aug"


def test_daily_ticks_never_show_a_bare_month_name():
    days = [dt.date(2018, 6, 30), dt.date(2018, 7, 1), dt.date(2018, 7, 2)]
    assert DateTicks("id").format_ticks([_at(d) for d in days]) == \
        ["30 Jun\n2018", "1 Jul", "2 Jul"]
    # a month apart, the first of each month is its name
    months = [dt.date(2018, 7, 1), dt.date(2018, 8, 1), dt.date(2018, 9, 1)]
    assert DateTicks("id").format_ticks([_at(d) for d in months]) == ["Jul\n2018", "Agu", "Sep"]


@pytest.mark.parametrize("days", [2, 4, 9, 20, 31])
def test_a_short_axis_is_ticked_on_whole_days(days):
    first = dt.datetime(2018, 6, 28)
    last = first + dt.timedelta(days=days)
    ticks = date_locator(first.date(), last.date()).tick_values(first, last)
    inside = [t for t in ticks if _at(first) <= t <= _at(last)]
    assert 3 <= len(inside) <= 11 and all(t == int(t) for t in ticks)  # midnights, no hours


def test_a_long_axis_is_ticked_on_months():
    fig = Figure()
    ax = fig.add_subplot()
    set_date_axis(ax, dt.date(2018, 6, 1), dt.date(2018, 12, 1), "id")
    ax.plot([dt.date(2018, 6, 2), dt.date(2018, 11, 30)], [0, 1])
    fig.canvas.draw()
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks == ["Jun\n2018", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]


def test_percentages_with_the_languages_decimal_mark():
    assert share_text(0.84849, "id") == "84,8 %" and share_text(0.84849, "en") == "84.8 %"
    assert share_text(0.919999, "id") == "91,9 %"  # rounded down: never the threshold
    assert share_text(0.90356, "id", 2) == "90,35 %"
    assert target_text(0.85, "id") == "85 %" and target_text(0.925, "id") == "92,5 %"
    assert target_text(0.925, "en") == "92.5 %" and target_text(1.0, "en") == "100 %"
    assert PercentTicks("id").format_ticks([0.825, 0.85, 1.0]) == ["82,5 %", "85,0 %",
                                                                   "100,0 %"]
    assert PercentTicks("en").format_ticks([0.0, 0.5, 1.0]) == ["0 %", "50 %", "100 %"]


def test_two_charts_drawn_at_once_in_threads_leave_the_process_settings_as_they_were():
    # two plan folders written at once by a notebook's thread pool: the second chart saved
    # the first one's settings on entry and put them back after the first had ended, so the
    # process kept mathtext off (the analyst's own `$x^2$` labels drawn as dollars) and the
    # missing-glyph warning hidden for good
    import threading
    import time
    import warnings

    import matplotlib

    from planner.export.chart_format import names_as_text

    filters = list(warnings.filters)
    parse_math = matplotlib.rcParams["text.parse_math"]
    first_in, second_started = threading.Event(), threading.Event()

    def first():
        with names_as_text():
            first_in.set()
            second_started.wait(1)
            time.sleep(0.05)  # the second has entered by now, unless it must wait

    def second():
        first_in.wait(1)
        second_started.set()
        with names_as_text():
            time.sleep(0.1)  # ends after the first

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert matplotlib.rcParams["text.parse_math"] == parse_math
    assert list(warnings.filters) == filters
