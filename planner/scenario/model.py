"""The immutable scenario: typed, validated, with `.replace()` for what-if variants.

The models double as the schema of DESIGN §2: unknown keys are errors (`extra="forbid"`),
numbers that the rules compute with exactly (turnout, minutes) are `Decimal`, and clock
times are whole seconds after midnight. The settings sections are in `sections.py`, the
working hours in `shift.py`, the values they are made of in `values.py`.
"""
from __future__ import annotations

import datetime as dt
import re
import warnings
from decimal import Decimal
from functools import cached_property
from typing import Any, Literal, Optional

from pydantic import (BaseModel, ConfigDict, Field, ValidationError, ValidationInfo,
                      field_validator, model_validator)

from ..reprs import scenario_repr
from .arguments import actuals_argument, date_argument
from .messages import refusal
from .sections import Calendar, Contact, Recording, Staff, Targets, Travel, Uncertainty
from .shift import DatedHours, Shift, Window
from .validate import cross_check, cross_warnings
from .values import (LEAST_SPEED_KMH, LEAST_TURNOUT, MOST_COUNT, MOST_DAYS, MOST_KM,
                     MOST_MINUTES, MOST_PRIORITY, MOST_SPEED_KMH, Bool, DateRange, FieldProblem,
                     Frozen, UNPRINTABLE, as_phone, as_ranges, exact, one_line,
                     one_line_text, parse_clock)
from .yamltext import written_id

__all__ = ["Calendar", "Closure", "Contact", "DateRange", "DatedHours", "FieldProblem", "Link",
           "Place", "Recording", "Scenario", "Shift", "Staff", "Targets", "Travel", "Uncertainty",
           "Unit", "Village", "Window", "parse_clock"]

# Sections that `Scenario.replace` merges a dict into (lists are replaced whole).
SECTIONS = ("calendar", "shift", "recording", "travel", "staff", "targets", "uncertainty",
            "contact")


_CONTROL = re.compile(f"[{UNPRINTABLE}]")


def as_id(v):
    """A number where an id is expected (a Kemendagri code written unquoted) as the text written;
    a line break or tab in an id (it names files, is matched across files) is refused."""
    v = written_id(v)
    if isinstance(v, str) and _CONTROL.search(v):
        raise ValueError(f"the id {v!r} holds a line break, tab or other control character")
    return v


class Place(Frozen):
    id: str
    name: Optional[str] = None
    lat: Optional[float] = Field(default=None, ge=-90, le=90)
    lon: Optional[float] = Field(default=None, ge=-180, le=180)
    x: Optional[float] = Field(default=None, ge=-MOST_KM, le=MOST_KM, allow_inf_nan=False)
    y: Optional[float] = Field(default=None, ge=-MOST_KM, le=MOST_KM, allow_inf_nan=False)
    lodging: Bool = False

    _id = field_validator("id", mode="before")(as_id)
    _name = field_validator("name", mode="before")(one_line)


def listed(v):
    """One id or name alone stands for a list of one; ids written as numbers are text."""
    if isinstance(v, (str, int, float)) and not isinstance(v, bool):
        v = [v]
    if not isinstance(v, (list, tuple)):
        return v  # pydantic says what it expected
    for n, x in enumerate(v, start=1):
        if not isinstance(x, (str, int, float)) or isinstance(x, bool):
            raise ValueError(f"entry {n} is {x!r}; expected ids or kecamatan names, each "
                             "as text, in one list: [a, b]")
    return [as_id(x) for x in v]


class Unit(Frozen):
    id: str
    base: str
    end: Optional[str] = None
    kits: int = Field(default=1, gt=0, le=MOST_COUNT)
    crew: int = Field(default=1, gt=0, le=MOST_COUNT)
    speed_kmh: Optional[Decimal] = Field(default=None, ge=LEAST_SPEED_KMH, le=MOST_SPEED_KMH)
    generator: Bool = False
    unavailable: tuple[DateRange, ...] = ()
    max_nights: int = Field(default=0, ge=0)
    districts: Optional[tuple[str, ...]] = None  # a kecamatan service point: only these

    _ranges = field_validator("unavailable", mode="before")(as_ranges)
    _dec = field_validator("speed_kmh", mode="before")(exact)
    _id = field_validator("id", "base", "end", mode="before")(as_id)

    @field_validator("districts", mode="before")
    @classmethod
    def _districts(cls, v):
        """One kecamatan alone is a list of one; an empty list names none (leave the key out
        for a unit that serves every kecamatan)."""
        if isinstance(v, (list, tuple)) and not v:
            raise ValueError("the list names no kecamatan; leave `districts` out for a unit "
                             "that serves every kecamatan")
        return listed(v)

    def serves(self, village) -> bool:
        """Whether the unit may visit `village`: every village, or (`districts`) only those
        of its kecamatan."""
        return not self.districts or village.district in self.districts

    @property
    def end_place(self) -> str:
        return self.end or self.base

    def unavailable_on(self, day: dt.date) -> bool:
        return any(r.from_ <= day <= r.to for r in self.unavailable)


class Link(Frozen):
    from_: str = Field(alias="from")
    to: str
    mode: str = "boat"
    minutes: Decimal = Field(gt=0, le=MOST_MINUTES)
    oneway: Bool = False
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    _dec = field_validator("minutes", mode="before")(exact)
    _id = field_validator("from_", "to", mode="before")(as_id)
    _mode = field_validator("mode", mode="before")(one_line_text)

    @field_validator("to")
    @classmethod
    def _not_to_itself(cls, v, info: ValidationInfo):
        """A link from a place to itself crosses nothing: most likely a pasted line whose
        other end was not changed."""
        if v == info.data.get("from_"):
            raise ValueError(f"the link goes from {v!r} to itself; a link joins two places")
        return v


class Closure(DateRange):
    """Days on which some villages cannot be visited (a flood, a village ceremony, the boat
    to an island not sailing): the villages listed and every village of the kecamatan listed,
    from `from` to `to`. The office and the other villages work as usual."""

    villages: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()

    _listed = field_validator("villages", "districts", mode="before")(listed)

    @model_validator(mode="after")
    def _names_someone(self):
        if not self.villages and not self.districts:
            raise FieldProblem("villages", "a closure names the villages it closes: give "
                               "`villages` (ids) or `districts` (kecamatan), or both; to close "
                               "every village use calendar.closed")
        return self


class Village(Frozen):
    id: str
    name: Optional[str] = None
    district: Optional[str] = None
    lat: Optional[float] = Field(default=None, ge=-90, le=90)
    lon: Optional[float] = Field(default=None, ge=-180, le=180)
    x: Optional[float] = Field(default=None, ge=-MOST_KM, le=MOST_KM, allow_inf_nan=False)
    y: Optional[float] = Field(default=None, ge=-MOST_KM, le=MOST_KM, allow_inf_nan=False)
    unrecorded: int = Field(ge=0, le=MOST_COUNT)
    eligible: Optional[int] = Field(default=None, ge=0, le=MOST_COUNT)
    recorded: Optional[int] = Field(default=None, ge=0, le=MOST_COUNT)
    signal: Bool = True
    power: Bool = True
    access: Literal["road", "water"] = "road"
    turnout: Optional[Decimal] = Field(default=None, ge=LEAST_TURNOUT, le=1)
    turnaround_days: Optional[int] = Field(default=None, ge=0, le=MOST_DAYS)
    priority: Decimal = Field(default=Decimal(1), ge=0, le=MOST_PRIORITY)
    lodging: Bool = False
    head_phone: Optional[str] = None  # the village head's, for the chat messages

    _id = field_validator("id", mode="before")(as_id)
    _phone = field_validator("head_phone", mode="before")(as_phone)
    _name = field_validator("name", "district", mode="before")(one_line)
    _dec = field_validator("turnout", "priority", mode="before")(exact)

    @field_validator("eligible")
    @classmethod
    def _eligible_holds_the_backlog(cls, v, info: ValidationInfo):
        """The unrecorded residents are some of the eligible ones; more would make coverage
        (DESIGN §3) negative before the campaign or above 100 % after it."""
        unrecorded = info.data.get("unrecorded")
        if v is not None and unrecorded is not None and unrecorded > v:
            raise ValueError(f"eligible ({v}) is less than unrecorded ({unrecorded})")
        return v

    @field_validator("recorded")
    @classmethod
    def _recorded_and_backlog_within_eligible(cls, v, info: ValidationInfo):
        """Recorded and unrecorded residents are two parts of the eligible ones."""
        e, u = info.data.get("eligible"), info.data.get("unrecorded")
        if v is not None and e is not None and u is not None:
            if v > e:
                raise ValueError(f"recorded ({v}) is more than eligible ({e})")
            if v + u > e:
                raise ValueError(f"recorded ({v}) plus unrecorded ({u}) is more than eligible "
                                 f"({e}); unrecorded is eligible - recorded at most")
        return v

    @model_validator(mode="before")
    @classmethod
    def _derive_unrecorded(cls, data):
        if isinstance(data, dict) and data.get("unrecorded") is None:
            e, r = data.get("eligible"), data.get("recorded")
            if e is None and r is None:
                raise FieldProblem("unrecorded", "required field is missing: give `unrecorded`, "
                                   "or both `eligible` and `recorded`")
            if e is None or r is None:
                missing, given = ("recorded", "eligible") if r is None else ("eligible", "recorded")
                raise FieldProblem(missing, f"`{given}` is given without `{missing}`: give both "
                                   "(unrecorded = eligible - recorded), or give `unrecorded`")
            try:
                if any(isinstance(x, float) and not x.is_integer() for x in (e, r)):
                    raise ValueError  # 1.5 people: not truncated to 1
                e, r = int(e), int(r)
            except (TypeError, ValueError, OverflowError):
                # the field validators report the bad number; a placeholder keeps
                # `unrecorded` from being reported missing as well
                return {**data, "unrecorded": 0}
            if r > e:
                raise FieldProblem("recorded", f"recorded ({r}) is more than eligible ({e})")
            data = {**data, "unrecorded": e - r}
        return data

    @property
    def label(self) -> str:
        return self.name or self.id

    def replace(self, **changes: Any) -> "Village":
        """A validated copy; a derived `unrecorded` follows new `eligible`/`recorded`."""
        derived = (self.eligible is not None and self.recorded is not None
                   and self.unrecorded == self.eligible - self.recorded)
        if derived and {"eligible", "recorded"} & set(changes) and "unrecorded" not in changes:
            changes = {**changes, "unrecorded": None}
        return super().replace(**changes)


class Scenario(Frozen):
    """One campaign (DESIGN §2). Build with `planner.load_scenario`; vary with `.replace`."""

    name: str = "scenario"
    geometry: Literal["geodesic", "planar"] = "geodesic"
    contact: Optional[Contact] = None
    calendar: Calendar
    shift: Shift
    recording: Recording
    offline_turnaround_days: int = Field(default=3, ge=0, le=MOST_DAYS)
    travel: Travel = Travel()
    staff: Staff = Staff()
    places: tuple[Place, ...] = ()
    units: tuple[Unit, ...] = Field(min_length=1)
    links: tuple[Link, ...] = ()
    villages: tuple[Village, ...] = Field(min_length=1)
    closures: tuple[Closure, ...] = ()
    targets: Targets = Targets()
    uncertainty: Uncertainty = Uncertainty()
    source: Optional[str] = Field(default=None, exclude=True)  # the file it came from

    @field_validator("name", mode="before")
    @classmethod
    def _one_line_name(cls, v):
        return (one_line(v) or "scenario") if isinstance(v, str) else v

    # -- derived views ---------------------------------------------------------------
    @property
    def circuity(self) -> Decimal:
        if self.travel.circuity is not None:
            return self.travel.circuity
        return Decimal("1.3") if self.geometry == "geodesic" else Decimal(1)

    def unit_speed(self, unit: Unit) -> Decimal:
        speed = unit.speed_kmh or self.travel.speed_kmh
        assert speed is not None  # guaranteed by validation
        return speed

    def village_turnout(self, v: Village) -> Decimal:
        return v.turnout if v.turnout is not None else self.recording.turnout

    def village_turnaround(self, v: Village) -> int:
        if v.signal:
            return 0
        return v.turnaround_days if v.turnaround_days is not None else self.offline_turnaround_days

    def village(self, vid: str) -> Village:
        return self.village_index[vid]

    def unit(self, uid: str) -> Unit:
        return self.unit_index[uid]

    @cached_property
    def unit_index(self) -> dict[str, Unit]:
        return {u.id: u for u in self.units}

    @cached_property
    def village_index(self) -> dict[str, Village]:
        return {v.id: v for v in self.villages}

    def closed_villages(self, closure: Closure) -> list[str]:
        """The ids of the villages a closure names, itself or through their kecamatan."""
        ids, districts = set(closure.villages), set(closure.districts)
        return [v.id for v in self.villages if v.id in ids or v.district in districts]

    @cached_property
    def village_closures(self) -> dict[str, tuple[Closure, ...]]:
        """Per village id, the closures that name it (villages never closed are absent)."""
        out: dict[str, list[Closure]] = {}
        for c in self.closures:
            for vid in self.closed_villages(c):
                out.setdefault(vid, []).append(c)
        return {vid: tuple(cs) for vid, cs in out.items()}

    def village_closed_on(self, village_id: str, day: dt.date) -> Closure | None:
        """The closure that keeps a village from being visited on `day`, or None."""
        return next((c for c in self.village_closures.get(village_id, ()) if c.covers(day)),
                    None)

    def __repr__(self) -> str:  # a notebook's view: the campaign, not its every village
        return scenario_repr(self)

    __str__ = __repr__

    def after(self, actuals: Any, today: Optional[dt.date | str] = None) -> "Scenario":
        """The scenario that is left on `today` (a date or `YYYY-MM-DD`; default: the day
        after the latest actual visit) once `actuals` (`planner.load_actuals`) happened:
        backlogs, calendar start and overtime budget (DESIGN §3 "Re-planning"). The work is
        `actuals.apply_to`."""
        today, actuals = date_argument(today, "today"), actuals_argument(actuals)
        return actuals.apply_to(self, today if today is not None else actuals.default_today(self))

    def replace(self, **changes: Any) -> "Scenario":
        """A validated variant. A dict given for a section (`staff={"weekday": 8}`) merges into
        it, keeping the section's other keys; a model replaces the section. Lists (`units`,
        `villages`, `places`, `links`) are replaced whole, as models or dicts. Warns (a
        `Notice`) only of what is allowed but probably not meant and new in the variant."""
        data = self.model_dump(round_trip=True, by_alias=True)
        for key, value in changes.items():
            if key in SECTIONS and isinstance(value, dict):
                data[key] = {**(data.get(key) or {}), **value}
            else:
                data[key] = _as_data(value)
        data.setdefault("source", self.source)
        try:
            out = Scenario.model_validate(data)
        except ValidationError as exc:  # in the words a scenario file's problems get
            raise refusal(exc, data, Scenario) from None
        problems = cross_check(out)
        if problems:
            raise ValueError("; ".join(f"{p}: {m}" for p, m in problems))
        # only what the variant brings: the original's notices were given when it was made,
        # and the library's own variants (robust turnouts, the limits' re-plans) repeat them
        def same(path, notice):
            # repr: a field may be a dict of words per language (holiday names), not hashable
            return path, notice.key, tuple(sorted((k, repr(v)) for k, v in notice.fields.items()))

        before = {same(*pair) for pair in cross_warnings(self)}
        for path, notice in cross_warnings(out):
            if same(path, notice) not in before:
                warnings.warn(notice.located(path), stacklevel=2)
        return out


def _as_data(value: Any) -> Any:
    """Models (or lists of them) as the dicts `model_validate` reads back."""
    if isinstance(value, BaseModel):
        return value.model_dump(round_trip=True, by_alias=True)
    if isinstance(value, (list, tuple)):
        return [_as_data(x) for x in value]
    return value
