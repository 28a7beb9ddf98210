"""Working hours (DESIGN §2 `shift`, §3 "Hours"): the weekday and weekend shifts, one entry per
day of the week, and hours for particular dates.

The rule that combines them for one date lives in `planner.calendar.hours_on`; this module
only reads and checks what the file says. A day-of-week entry can be absent (the weekday or
weekend shift applies), a window, or null (no field work that day): absent and null differ,
so an entry's presence is the model's `model_fields_set`, and a dump leaves absent entries out
(a `.replace()` round trip keeps the difference).
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from pydantic import ConfigDict, Field, field_serializer, field_validator, model_serializer, model_validator

from .values import Date, FieldProblem, Frozen, clock_text, parse_clock

DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class Window(Frozen):
    """Hours of one day: leave no earlier than `start`, be back by `end` (seconds)."""

    start: int
    end: int

    _clock = field_validator("start", "end", mode="before")(lambda v: parse_clock(v))

    @field_serializer("start", "end")
    def _hms(self, v: int) -> str:
        return clock_text(v)

    @model_validator(mode="after")
    def _order(self):
        if self.end <= self.start:
            raise FieldProblem("end", f"shift end {clock_text(self.end)} must be after its start "
                               f"{clock_text(self.start)}")
        return self


class DatedHours(Frozen):
    """Hours for the dates `from`..`to` (or one `date`); no times at all = no field work."""

    from_: Optional[Date] = Field(default=None, alias="from")
    to: Optional[Date] = None
    date: Optional[Date] = None
    start: Optional[int] = None
    end: Optional[int] = None
    reason: Optional[str] = None
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    _clock = field_validator("start", "end", mode="before")(
        lambda v: None if v is None else parse_clock(v))

    @field_serializer("start", "end")
    def _hms(self, v: Optional[int]) -> Optional[str]:
        return None if v is None else clock_text(v)

    @model_validator(mode="before")
    @classmethod
    def _one_date_is_a_range(cls, data: Any) -> Any:
        """`{date: d}` is `{from: d, to: d}`; a dump gives all three, which must agree."""
        if not isinstance(data, dict) or data.get("date") is None:
            return data
        bounds = {k: data[k] for k in ("from", "from_", "to") if data.get(k) is not None}
        if any(str(v) != str(data["date"]) for v in bounds.values()):
            raise FieldProblem("date", "give either `date:` (one day) or `from:` and `to:` "
                               "(a range), not both")
        rest = {k: v for k, v in data.items() if k != "from_"}
        return {**rest, "from": data["date"], "to": data["date"]}

    @model_validator(mode="after")
    def _complete(self):
        if self.from_ is None or self.to is None:
            missing = "from" if self.from_ is None else "to"
            raise FieldProblem(missing, f"required field is missing: give `{missing}:` "
                               "(with `from:` and `to:`), or one `date:`")
        if self.to < self.from_:
            raise FieldProblem("to", f"range ends ({self.to}) before it starts ({self.from_})")
        if (self.start is None) != (self.end is None):
            missing = "end" if self.end is None else "start"
            raise FieldProblem(missing, "give both `start` and `end`, or neither "
                               "(start: null, end: null = no field work on these dates)")
        if self.start is not None and self.end <= self.start:
            raise FieldProblem("end", f"end {clock_text(self.end)} must be after its start "
                               f"{clock_text(self.start)}")
        return self

    def covers(self, day: dt.date) -> bool:
        return self.from_ <= day <= self.to

    @property
    def window(self) -> Optional[Window]:
        """The hours these dates get, or None for no field work."""
        if self.start is None:
            return None
        return Window.model_construct(start=self.start, end=self.end)


class Shift(Frozen):
    """`weekday`, `weekend`, `monday` ... `sunday` and `dates` of DESIGN §2."""

    weekday: Window
    weekend: Optional[Window] = None
    monday: Optional[Window] = None
    tuesday: Optional[Window] = None
    wednesday: Optional[Window] = None
    thursday: Optional[Window] = None
    friday: Optional[Window] = None
    saturday: Optional[Window] = None
    sunday: Optional[Window] = None
    dates: tuple[DatedHours, ...] = ()

    @field_validator("dates", mode="before")
    @classmethod
    def _no_dates(cls, v):
        return () if v is None else v

    @model_serializer(mode="wrap")
    def _given_days_only(self, handler):
        """Leave out the day-of-week entries the file did not give (absent is not null)."""
        data = handler(self)
        for day in DAY_NAMES:
            if day not in self.model_fields_set:
                data.pop(day, None)
        return data

    def day_entry(self, weekday: int) -> tuple[bool, Optional[Window]]:
        """(given, hours) of the entry for a day of the week (0 = Monday); hours None with
        given True means no field work on that day of the week."""
        name = DAY_NAMES[weekday]
        return name in self.model_fields_set, getattr(self, name)

    def may_work_overtime(self) -> bool:
        """Whether any weekend or holiday can have hours: a weekend shift, a Saturday or
        Sunday entry, or hours on particular dates (which may fall on a weekend)."""
        return (self.weekend is not None or self.saturday is not None
                or self.sunday is not None or any(d.start is not None for d in self.dates))
