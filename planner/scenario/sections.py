"""The scenario's settings sections (DESIGN §2): calendar, recording, travel, staff, targets,
uncertainty and contact. Working hours are in `shift.py`; places, units and villages in
`model.py`.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

from pydantic import Field, field_validator

from .values import (FIRST_YEAR, LAST_YEAR, LEAST_SPEED_KMH, LEAST_TURNOUT, MOST_COUNT,
                     MOST_MINUTES, MOST_SPEED_KMH, Bool, Date, DateRange, Frozen, as_ranges,
                     exact, few_places, one_line)


# Indonesia's clock zones as offices name them -> the IANA zone a calendar needs
_CLOCK_ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}


class Calendar(Frozen):
    start: Date
    deadline: Date
    holidays: Optional[str] = "ID"
    extra_holidays: tuple[DateRange, ...] = ()
    closed: tuple[DateRange, ...] = ()
    work_on_holidays: Bool = False
    timezone: str = "Asia/Jakarta"

    _ranges = field_validator("extra_holidays", "closed", mode="before")(as_ranges)

    @field_validator("start", "deadline")
    @classmethod
    def _plausible_year(cls, v):
        if not FIRST_YEAR <= v.year <= LAST_YEAR:
            raise ValueError(f"{v.isoformat()} is not a campaign date; expected a year from "
                             f"{FIRST_YEAR} to {LAST_YEAR} (a typo in the year?)")
        return v

    @field_validator("holidays", mode="before")
    @classmethod
    def _none_word(cls, v):
        if v is None or (isinstance(v, str) and v.strip().lower() in ("none", "")) or v is False:
            return None
        if not isinstance(v, str):
            raise ValueError("expected a country code such as ID, or none")
        import holidays as hol

        if v.upper() not in hol.list_supported_countries():
            raise ValueError(f"{v!r} is not a country code known to the holidays package"
                             + ("; Indonesia's is ID" if v.strip().casefold() == "indonesia" else ""))
        return v.upper()

    @field_validator("timezone")
    @classmethod
    def _zone(cls, v):
        from zoneinfo import ZoneInfo

        try:
            ZoneInfo(v)
        except Exception:
            zone = _CLOCK_ZONES.get(str(v).strip().upper())
            raise ValueError(f"{v!r} is not an IANA time zone (e.g. Asia/Jakarta)"
                             + (f"; {str(v).strip().upper()} is {zone}" if zone else "")) from None
        return v


class Recording(Frozen):
    minutes_per_person: Decimal = Field(ge=0, le=MOST_MINUTES)
    setup_minutes: Decimal = Field(default=Decimal(0), ge=0, le=MOST_MINUTES)
    turnout: Decimal = Field(ge=LEAST_TURNOUT, le=1)

    _dec = field_validator("minutes_per_person", "setup_minutes", "turnout", mode="before")(exact)
    _places = field_validator("minutes_per_person", "setup_minutes")(few_places)


class Travel(Frozen):
    speed_kmh: Optional[Decimal] = Field(default=None, ge=LEAST_SPEED_KMH, le=MOST_SPEED_KMH)
    circuity: Optional[Decimal] = Field(default=None, gt=0, le=100)
    roads: Optional[str] = None

    _dec = field_validator("speed_kmh", "circuity", mode="before")(exact)


class Staff(Frozen):
    weekday: Optional[int] = Field(default=None, ge=0, le=MOST_COUNT)
    weekend: Optional[int] = Field(default=None, ge=0, le=MOST_COUNT)
    overtime_unit_days: Optional[int] = Field(default=None, ge=0, le=MOST_COUNT)


class Targets(Frozen):
    zones: dict[str, Decimal] = Field(default_factory=dict)
    goal: Optional[Decimal] = Field(default=None, ge=0, le=1)

    @field_validator("zones", mode="before")
    @classmethod
    def _zones(cls, v):
        if isinstance(v, dict):
            return {k: exact(x) for k, x in v.items()}
        return v

    _dec = field_validator("goal", mode="before")(exact)

    @field_validator("zones")
    @classmethod
    def _shares(cls, v):
        for name, t in v.items():
            if not Decimal(0) < t <= Decimal(1):
                raise ValueError(f"zone {name!r} threshold {t} is not a share between 0 and 1 "
                                 "(write 92 % as 0.92)")
        return v

    def zone_of(self, share: float | None) -> Optional[str]:
        """The highest zone whose threshold `share` reaches; `red` below all of them; None
        without a share or without zones (no zone at 100 % is red)."""
        if share is None or not self.zones:
            return None
        best, best_t = "red", Decimal(-1)
        for name, t in self.zones.items():
            if Decimal(str(share)) >= t and t > best_t:
                best, best_t = name, t
        return best


class Uncertainty(Frozen):
    """What `--simulate` and `--robust` draw from (DESIGN §3 "Uncertainty"). Floats: these
    figures only feed random draws, never the exact rules of a plan."""

    turnout_cv: float = Field(default=0.25, ge=0, le=10)
    backlog_cv: float = Field(default=0.10, ge=0, le=10)
    unit_day_loss: float = Field(default=0.02, ge=0, lt=1)
    link_cancel: float = Field(default=0.05, ge=0, lt=1)


class Contact(Frozen):
    """How villagers reach the office; printed on the announcements."""

    office: Optional[str] = None
    phone: Optional[str] = None

    _office = field_validator("office", mode="before")(one_line)

    @field_validator("phone", mode="before")
    @classmethod
    def _quoted(cls, v):
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            raise ValueError('write the phone number in quotes, for example "0721-000000" '
                             "(YAML reads an unquoted number and drops its leading 0)")
        return v
