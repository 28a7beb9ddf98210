"""Dates and percentages on the charts (`progress.png`, `risk.png`) as the run's language writes
them: month names from `labels` (never matplotlib's English ones or the machine's locale),
whole days on the date axis however short the campaign, and `84,8 %` with a decimal comma in
Indonesian (`84.8 %` in English); names drawn as the text they are (`names_as_text`)."""
from __future__ import annotations

import datetime as dt
import math
import threading
import warnings
from contextlib import contextmanager

import matplotlib
from matplotlib.dates import AutoDateLocator, DayLocator, date2num, num2date
from matplotlib.ticker import Formatter

from .labels import check_lang, month_name
from .numbers import decimal

MOST_DATE_TICKS = 10
DAILY_SPAN = 31  # up to a month: evenly spaced ticks on whole days


class DateTicks(Formatter):
    """Tick labels in the run's language: `Agu` on the first of a month (with the year on the
    first tick and in January), else `4 Agu`; when the ticks are days apart, as on a short
    campaign, every tick is `1 Agu`, `2 Agu`, never a bare month name among them."""

    def __init__(self, lang: str = "id"):
        self.lang = check_lang(lang)
        self.daily = False

    def format_ticks(self, values):
        self.daily = len(values) > 1 and max(b - a for a, b in zip(values, values[1:])) < 7
        return super().format_ticks(values)

    def __call__(self, x, pos=None) -> str:
        day = num2date(x).date()
        month = month_name(day.month, self.lang, short=True)
        year = pos == 0 or (day.month == 1 and day.day == 1)
        text = month if day.day == 1 and not self.daily else f"{day.day} {month}"
        return text + (f"\n{day.year}" if year else "")


def date_locator(first: dt.date, last: dt.date):
    """Ticks for a date axis from `first` to `last`, at most `MOST_DATE_TICKS`: up to
    `DAILY_SPAN` days, on whole days evenly spaced (every day, every second...), where
    matplotlib's own choice turns to hours on a few days or crowds the end and the start of a
    month; longer axes as matplotlib chooses them (weeks, the 1st and 15th, months)."""
    span = (last - first).days
    if span <= DAILY_SPAN:
        return DayLocator(interval=max(1, math.ceil((span + 1) / MOST_DATE_TICKS)))
    return AutoDateLocator(minticks=3, maxticks=MOST_DATE_TICKS)


def set_date_axis(ax, first: dt.date, last: dt.date, lang: str) -> None:
    """The x axis of `ax` from `first` to `last` (dates), ticked and named in `lang`."""
    ax.set_xlim(date2num(first), date2num(last))
    ax.xaxis.set_major_locator(date_locator(first, last))
    ax.xaxis.set_major_formatter(DateTicks(lang))


def share_text(share: float, lang: str = "id", places: int = 1) -> str:
    """A share as a percentage with `places` decimals, rounded down as `numbers.percent`
    does (a coverage just under a threshold never reads as the threshold): `84,8 %`."""
    step = 10 ** places
    return decimal(math.floor(share * 100 * step + 1e-9) / step, places, lang) + " %"


class PercentTicks(Formatter):
    """Percent tick labels of shares (0.85 is `85 %`), with as many decimals as the ticks
    need and the same number on every tick (`82,5 %`, `85,0 %`), a decimal comma in
    Indonesian."""

    def __init__(self, lang: str = "id"):
        self.lang = check_lang(lang)
        self.places = 0

    def format_ticks(self, values):
        self.places = next((p for p in range(4) if all(
            abs(v * 100 * 10 ** p - round(v * 100 * 10 ** p)) < 1e-6 for v in values)), 4)
        return super().format_ticks(values)

    def __call__(self, x, pos=None) -> str:
        return decimal(x * 100, self.places, self.lang) + " %"


_DRAWING = threading.RLock()  # re-entrant: `write` draws through `build`, both in the block


@contextmanager
def names_as_text():
    """Kecamatan and campaign names drawn as written, never as matplotlib's mathtext (two `$`
    in `Harga $5 s/d $7` made the text between them a formula, and one it cannot parse raised,
    losing the whole plan); a letter the font lacks (an emoji) drawn as a box without a raw
    Python warning on the terminal. One thread at a time (`_DRAWING`): both settings are the
    process's, saved on entry and put back on exit, so two charts drawn at once in threads
    (two plan folders written by a notebook's thread pool) put back each other's, leaving
    mathtext off and the warning hidden for the rest of the process, or on while the other
    chart was still being drawn."""
    with _DRAWING, matplotlib.rc_context({"text.parse_math": False}), \
            warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font")
        yield
