"""The immutable scenario: typed, validated, with `.replace()` for what-if variants.

The models double as the schema of DESIGN §2: unknown keys are errors (`extra="forbid"`),
numbers that the rules compute with exactly (turnout, minutes) are `Decimal`, and clock
times are whole seconds after midnight.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import cached_property
from decimal import Decimal
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, field_serializer, field_validator, model_validator

_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


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


def _exact(value: Any) -> Any:
    """Floats from YAML become the decimal the user wrote (0.7, not 0.69999...)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return value


class FieldProblem(ValueError):
    """A model-level check that belongs to one field; the parser reports it at `field`."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    def replace(self, **changes: Any):
        """A validated copy with some fields changed (PyVRP-style `.replace`)."""
        data = self.model_dump(round_trip=True)
        data.update(changes)
        return type(self).model_validate(data)


class DateRange(Frozen):
    from_: dt.date = Field(alias="from")
    to: dt.date
    reason: Optional[str] = None
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @model_validator(mode="after")
    def _ordered(self):
        if self.to < self.from_:
            raise FieldProblem("to", f"range ends ({self.to}) before it starts ({self.from_})")
        return self

    def dates(self) -> list[dt.date]:
        n = (self.to - self.from_).days + 1
        return [self.from_ + dt.timedelta(days=i) for i in range(n)]


def _as_ranges(value: Any) -> Any:
    """Dates and `{from, to}` ranges are both accepted; store everything as ranges."""
    if value is None:
        return []
    if not isinstance(value, list):
        return value
    out = []
    for item in value:
        if isinstance(item, (dt.date, str)) and not isinstance(item, dt.datetime):
            out.append({"from": item, "to": item})
        else:
            out.append(item)
    return out


class Calendar(Frozen):
    start: dt.date
    deadline: dt.date
    holidays: Optional[str] = "ID"
    extra_holidays: tuple[DateRange, ...] = ()
    closed: tuple[DateRange, ...] = ()
    work_on_holidays: bool = False
    timezone: str = "Asia/Jakarta"

    _ranges = field_validator("extra_holidays", "closed", mode="before")(_as_ranges)

    @field_validator("holidays", mode="before")
    @classmethod
    def _none_word(cls, v):
        if v is None or (isinstance(v, str) and v.strip().lower() in ("none", "")) or v is False:
            return None
        if not isinstance(v, str):
            raise ValueError("expected a country code such as ID, or none")
        import holidays as hol

        if v.upper() not in hol.list_supported_countries():
            raise ValueError(f"{v!r} is not a country code known to the holidays package")
        return v.upper()

    @field_validator("timezone")
    @classmethod
    def _zone(cls, v):
        from zoneinfo import ZoneInfo

        try:
            ZoneInfo(v)
        except Exception:
            raise ValueError(f"{v!r} is not an IANA time zone (e.g. Asia/Jakarta)") from None
        return v


class Window(Frozen):
    start: int
    end: int

    _clock = field_validator("start", "end", mode="before")(lambda v: parse_clock(v))

    @field_serializer("start", "end")
    def _hms(self, v: int) -> str:
        return f"{v // 3600:02d}:{v % 3600 // 60:02d}:{v % 60:02d}"

    @model_validator(mode="after")
    def _order(self):
        if self.end <= self.start:
            raise FieldProblem("end", "shift end must be after its start")
        return self


class Shift(Frozen):
    weekday: Window
    weekend: Optional[Window] = None


class Recording(Frozen):
    minutes_per_person: Decimal = Field(ge=0)
    setup_minutes: Decimal = Field(default=Decimal(0), ge=0)
    turnout: Decimal = Field(gt=0, le=1)

    _dec = field_validator("minutes_per_person", "setup_minutes", "turnout", mode="before")(_exact)


class Travel(Frozen):
    speed_kmh: Optional[Decimal] = Field(default=None, gt=0)
    circuity: Optional[Decimal] = Field(default=None, gt=0)
    roads: Optional[str] = None

    _dec = field_validator("speed_kmh", "circuity", mode="before")(_exact)


class Staff(Frozen):
    weekday: Optional[int] = Field(default=None, ge=0)
    weekend: Optional[int] = Field(default=None, ge=0)
    overtime_unit_days: Optional[int] = Field(default=None, ge=0)


class Place(Frozen):
    id: str
    name: Optional[str] = None
    lat: Optional[float] = Field(default=None, ge=-90, le=90)
    lon: Optional[float] = Field(default=None, ge=-180, le=180)
    x: Optional[float] = None
    y: Optional[float] = None
    lodging: bool = False

    @field_validator("id", mode="before")
    @classmethod
    def _id(cls, v):
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return str(v)
        return v


class Unit(Frozen):
    id: str
    base: str
    end: Optional[str] = None
    kits: int = Field(default=1, gt=0)
    crew: int = Field(default=1, gt=0)
    speed_kmh: Optional[Decimal] = Field(default=None, gt=0)
    generator: bool = False
    unavailable: tuple[DateRange, ...] = ()
    max_nights: int = Field(default=0, ge=0)

    _ranges = field_validator("unavailable", mode="before")(_as_ranges)
    _dec = field_validator("speed_kmh", mode="before")(_exact)
    _id = Place._id

    @property
    def end_place(self) -> str:
        return self.end or self.base

    def unavailable_on(self, day: dt.date) -> bool:
        return any(r.from_ <= day <= r.to for r in self.unavailable)


class Link(Frozen):
    from_: str = Field(alias="from")
    to: str
    mode: str = "boat"
    minutes: Decimal = Field(gt=0)
    oneway: bool = False
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    _dec = field_validator("minutes", mode="before")(_exact)


class Village(Frozen):
    id: str
    name: Optional[str] = None
    district: Optional[str] = None
    lat: Optional[float] = Field(default=None, ge=-90, le=90)
    lon: Optional[float] = Field(default=None, ge=-180, le=180)
    x: Optional[float] = None
    y: Optional[float] = None
    unrecorded: int = Field(ge=0)
    eligible: Optional[int] = Field(default=None, ge=0)
    recorded: Optional[int] = Field(default=None, ge=0)
    signal: bool = True
    power: bool = True
    access: Literal["road", "water"] = "road"
    turnout: Optional[Decimal] = Field(default=None, gt=0, le=1)
    turnaround_days: Optional[int] = Field(default=None, ge=0)
    priority: Decimal = Field(default=Decimal(1), ge=0)
    lodging: bool = False

    _id = Place._id
    _dec = field_validator("turnout", "priority", mode="before")(_exact)

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
                e, r = int(e), int(r)
            except (TypeError, ValueError):
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


class Targets(Frozen):
    zones: dict[str, Decimal] = Field(default_factory=dict)
    goal: Optional[Decimal] = Field(default=None, ge=0, le=1)

    @field_validator("zones", mode="before")
    @classmethod
    def _zones(cls, v):
        if isinstance(v, dict):
            return {k: _exact(x) for k, x in v.items()}
        return v

    _dec = field_validator("goal", mode="before")(_exact)

    @field_validator("zones")
    @classmethod
    def _shares(cls, v):
        for name, t in v.items():
            if not Decimal(0) < t <= Decimal(1):
                raise ValueError(f"zone {name!r} threshold {t} is not a share between 0 and 1 "
                                 "(write 92 % as 0.92)")
        return v

    def zone_of(self, share: float | None) -> Optional[str]:
        """The highest zone whose threshold `share` reaches; `red` below all of them."""
        if share is None:
            return None
        best, best_t = "red", Decimal(-1)
        for name, t in self.zones.items():
            if Decimal(str(share)) >= t and t > best_t:
                best, best_t = name, t
        return best


class Scenario(Frozen):
    """One campaign (DESIGN §2). Build with `planner.load_scenario`; vary with `.replace`."""

    name: str = "scenario"
    geometry: Literal["geodesic", "planar"] = "geodesic"
    calendar: Calendar
    shift: Shift
    recording: Recording
    offline_turnaround_days: int = Field(default=3, ge=0)
    travel: Travel = Travel()
    staff: Staff = Staff()
    places: tuple[Place, ...] = ()
    units: tuple[Unit, ...] = Field(min_length=1)
    links: tuple[Link, ...] = ()
    villages: tuple[Village, ...] = Field(min_length=1)
    targets: Targets = Targets()
    source: Optional[str] = Field(default=None, exclude=True)  # the file it came from

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

    def after(self, actuals: Any, today: Optional[dt.date] = None) -> "Scenario":
        """The scenario that is left on `today` (default: the day after the latest actual
        visit) once `actuals` (`planner.load_actuals`) happened: backlogs, calendar start and
        overtime budget (DESIGN §3 "Re-planning"). The work is `actuals.apply_to`."""
        return actuals.apply_to(self, today if today is not None else actuals.default_today(self))

    def replace(self, **changes: Any) -> "Scenario":
        """A validated variant; `units`/`villages` may be given as models or dicts."""
        data = self.model_dump(round_trip=True, by_alias=True)
        data.update(
            {
                k: ([x.model_dump(round_trip=True, by_alias=True) if isinstance(x, BaseModel) else x
                     for x in v] if isinstance(v, (list, tuple)) else
                    (v.model_dump(round_trip=True, by_alias=True) if isinstance(v, BaseModel) else v))
                for k, v in changes.items()
            }
        )
        data.setdefault("source", self.source)
        out = Scenario.model_validate(data)
        from .validate import cross_check

        problems = cross_check(out)
        if problems:
            raise ValueError("; ".join(f"{p}: {m}" for p, m in problems))
        return out
