"""The values scenario fields are made of: clock times, dates, yes/no words, exact decimals,
date ranges, and the frozen base model every section builds on.

Each reader accepts what a district planner is likely to write and, when it cannot, says what
it expected with an example (DESIGN §4: never a confusing error).
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from typing import Annotated, Any, Optional

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Field, ValidationError,
                      model_validator)

from .errors import FieldProblem
from .messages import refusal
from .yamltext import written_text

_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NUMERIC_DATE = re.compile(r"^(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})$")
_NAMED_DATE = re.compile(r"^(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})$")
# English and Indonesian month names and their usual abbreviations.
_MONTHS = {name: number for number, names in enumerate((
    ("jan", "january", "januari"), ("feb", "february", "februari"), ("mar", "march", "maret"),
    ("apr", "april"), ("may", "mei"), ("jun", "june", "juni"), ("jul", "july", "juli"),
    ("aug", "agu", "agt", "agus", "august", "agustus"), ("sep", "sept", "september"),
    ("oct", "okt", "october", "oktober"), ("nov", "november", "nopember"),
    ("dec", "des", "december", "desember")), start=1) for name in names}
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")

TRUE_WORDS = ("true", "ya", "benar", "yes", "1")
FALSE_WORDS = ("false", "tidak", "salah", "no", "0")
BOOL_HINT = "expected true or false (also ya/tidak, benar/salah, yes/no, 1/0)"


# Sanity limits, far beyond any district, within which the arithmetic stays exact and the
# solvers' integer models hold; a value past one is a typo, reported like any bad value.
MOST_COUNT = 10_000_000  # people, staff, kits, unit-days
MOST_MINUTES = 100_000  # a recording, setup or link time
MOST_SPEED_KMH = 10_000
LEAST_SPEED_KMH = Decimal("0.1")
MOST_DAYS = 100_000  # a turnaround
FIRST_YEAR, LAST_YEAR = 1900, 2999  # of a campaign's start and deadline
MOST_KM = 100_000  # planar coordinates
MOST_PRIORITY = 1_000_000
LEAST_TURNOUT = Decimal("0.001")
MINUTE_PLACES = 6  # decimals of a recording or setup time: 0.000001 min is 60 microseconds

class Frozen(BaseModel):
    """Immutable, strict about unknown keys (a typo must not pass silently)."""

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    def replace(self, **changes: Any):
        """A validated copy with some fields changed (PyVRP-style `.replace`); a refused change
        is a ValueError in the words a scenario file's problems get (`kit: unknown key 'kit';
        expected one of: id, base, ...`), not pydantic's report."""
        data = self.model_dump(round_trip=True)
        data.update(changes)
        try:
            return type(self).model_validate(data)
        except ValidationError as exc:
            raise refusal(exc, data, type(self)) from None


def parse_clock(value: Any) -> int:
    """`HH:MM` or `HH:MM:SS` -> seconds after midnight."""
    if isinstance(value, bool) or not isinstance(value, str):
        if isinstance(value, int):
            raise ValueError(
                'times must be quoted strings "HH:MM" (YAML reads an unquoted 8:00 as a number)'
            )
        raise ValueError("expected a time HH:MM or HH:MM:SS")
    m = _TIME.match(value.strip())
    if not m:
        raise ValueError(f"{value!r} is not a time; expected HH:MM or HH:MM:SS")
    h, mi, s = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    if h > 24 or mi > 59 or s > 59 or (h == 24 and (mi or s)):
        raise ValueError(f"{value!r} is not a valid time of day")
    return h * 3600 + mi * 60 + s


def clock_text(seconds: int) -> str:
    """Seconds after midnight -> `HH:MM:SS` (what `parse_clock` reads back)."""
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def parse_date(value: Any) -> dt.date:
    """A date written YYYY-MM-DD (YAML gives a date already). Anything else is refused with the
    expected form, and with the ISO reading when the text can mean only one day."""
    if isinstance(value, dt.datetime):
        raise ValueError(f"expected a date without a time, for example {value.date().isoformat()}")
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    iso = _ISO_DATE.match(text)
    if iso:
        return _checked_date(text, *map(int, iso.groups()))
    readings = possible_readings(text)
    if len(readings) == 1:
        (day,) = readings
        raise ValueError(f"{text!r} is not a date: expected a date YYYY-MM-DD, for example "
                         f"{day.isoformat()} (if you mean {_spoken(day)})")
    if len(readings) == 2:
        a, b = readings
        raise ValueError(f"{text!r} is not a date: expected a date YYYY-MM-DD: write "
                         f"{a.isoformat()} for {_spoken(a)} or {b.isoformat()} for {_spoken(b)}")
    raise ValueError(f"{text!r} is not a date: expected a date YYYY-MM-DD, for example 2023-11-27")


def _spoken(day: dt.date) -> str:
    return f"{day.day} {_MONTH_NAMES[day.month - 1]} {day.year}"


def _checked_date(text: str, year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        if not 1 <= month <= 12:
            raise ValueError(f"{text!r} is not a date: month {month} does not exist "
                             "(expected YYYY-MM-DD)") from None
        last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
        raise ValueError(f"{text!r} is not a date: {_MONTH_NAMES[month - 1]} {year} has "
                         f"{last} days") from None


def possible_readings(text: str) -> list[dt.date]:
    """The dates a day-first, month-first or year-first text can mean: one for 27/11/2023,
    2023/11/27 or 27 Nov 2023; two for 05/11/2023; none for what is no date at all."""
    m = _NAMED_DATE.match(text)
    if m:
        month = _MONTHS.get(m.group(2).lower())
        return _dates([(int(m.group(3)), month, int(m.group(1)))] if month else [])
    m = _NUMERIC_DATE.match(text)
    if not m:
        return []
    a, b, c = (int(x) for x in m.groups())
    if len(m.group(1)) == 4:  # year first: 2023/11/27
        return _dates([(a, b, c)])
    if len(m.group(3)) != 4:
        return []
    return _dates([(c, b, a), (c, a, b)])  # day first (as written in Indonesia), month first


def _dates(candidates: list[tuple[int, int, int]]) -> list[dt.date]:
    out = []
    for year, month, day in candidates:
        found = _date_or_none(year, month, day)
        if found is not None and found not in out:
            out.append(found)
    return out


def _date_or_none(year: int, month: int, day: int) -> Optional[dt.date]:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_bool(value: Any) -> bool:
    """true/false in the words a spreadsheet or a planner uses, in any case."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float, Decimal)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    raise ValueError(f"{BOOL_HINT} (got {value!r})")


def exact(value: Any) -> Any:
    """Floats from YAML become the decimal the user wrote (0.7, not 0.69999...)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return value


def few_places(value: Decimal) -> Decimal:
    """A recording or setup time with at most `MINUTE_PLACES` decimals: service times are
    exact fractions whose denominators reach the solvers' integer models, where 1e-300 min
    overflows (and no clock measures it)."""
    if value.is_finite() and value.normalize().as_tuple().exponent < -MINUTE_PLACES:
        raise ValueError(f"{value} has more than {MINUTE_PLACES} decimals; round it (a minute "
                         "is 60 s: 0.000001 min is 60 microseconds)")
    return value


Date = Annotated[dt.date, BeforeValidator(parse_date)]
Bool = Annotated[bool, BeforeValidator(parse_bool)]


class DateRange(Frozen):
    """Days `from` to `to`, both inclusive; a plain date stands for a range of one day."""

    from_: Date = Field(alias="from")
    to: Date
    reason: Optional[str] = None
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @model_validator(mode="after")
    def _ordered(self):
        if self.to < self.from_:
            raise FieldProblem("to", f"range ends ({self.to}) before it starts ({self.from_})")
        return self

    def covers(self, day: dt.date) -> bool:
        return self.from_ <= day <= self.to

    def dates(self) -> list[dt.date]:
        n = (self.to - self.from_).days + 1
        return [self.from_ + dt.timedelta(days=i) for i in range(n)]


def as_ranges(value: Any) -> Any:
    """Dates and `{from, to}` ranges are both accepted; store everything as ranges. A date
    with its reason, `2019-06-03: cuti bersama` (as an item, or a whole mapping of them), is
    that day with that reason."""
    if value is None:
        return []
    if _dated_reasons(value):
        value = [{day: reason} for day, reason in value.items()]
    if not isinstance(value, list):
        return value
    out = []
    for item in value:
        if isinstance(item, (dt.date, str)) and not isinstance(item, dt.datetime):
            out.append({"from": item, "to": item})
        elif _dated_reasons(item) and len(item) == 1:
            ((day, reason),) = item.items()
            out.append({"from": day, "to": day, **({"reason": reason} if reason else {})})
        else:
            out.append(item)
    return out


def _dated_reasons(value: Any) -> bool:
    """Whether `value` is a mapping of dates (as YAML reads `2019-06-03:`) to reasons."""
    return (isinstance(value, dict) and bool(value)
            and all(type(k) is dt.date and (v is None or isinstance(v, str)) for k, v in value.items()))


# What no name or id may hold (a character class's contents): control characters, which split
# rows and lines, and what XML cannot hold (a lone surrogate, U+FFFE, U+FFFF), with which
# schedule.xlsx would not open.
UNPRINTABLE = r"\x00-\x1f\x7f\x85\u2028\u2029\ud800-\udfff\ufffe\uffff"
_UNPRINTABLE_RUN = re.compile(rf"\s*[{UNPRINTABLE}][\s{UNPRINTABLE}]*")


def one_line(v):
    """A name as one line of text, without surrounding spaces: it is shown in table cells,
    sheet names, calendars and announcements, where a line break or a carriage return
    splits rows. Village tables already lose surrounding spaces (cells are stripped); YAML
    names now do the same. An empty name is no name (the id is shown). A number written
    unquoted (a kecamatan called 7) is its text, as in a village table and in `closures`."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return written_text(v)
    if isinstance(v, str):  # composed (NFC), as ids are (`written_id`)
        v = unicodedata.normalize("NFC", _UNPRINTABLE_RUN.sub(" ", v).strip())
        return v or None
    return v


def one_line_text(v):
    """`one_line`, where empty text stays text (a link's `mode: ""`)."""
    return (one_line(v) or "") if isinstance(v, str) else v


_PHONE = re.compile(r"^\+?[0-9(][0-9 ()./-]*$")
QUOTE_PHONE = ('write the phone number in quotes, for example "0812-3456-7890" (YAML reads an '
               "unquoted number and drops its leading 0)")


def as_phone(value: Any) -> Optional[str]:
    """A village head's phone number as written (empty: none): digits with spaces, dashes,
    dots, slashes or brackets between them and an optional leading +, 6 to 15 digits. A number
    YAML read as a number (dropping a leading 0) is refused."""
    if value is None or isinstance(value, str) and not value.strip():
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError(QUOTE_PHONE)
    text = str(value).strip()
    digits = sum(c.isdigit() for c in text)
    if not _PHONE.match(text) or not 6 <= digits <= 15:
        raise ValueError(f"{text!r} is not a phone number; expected 6 to 15 digits, such as "
                         "0812-3456-7890 or +62 812 3456 7890")
    return text
