"""The exact arithmetic of DESIGN §3 that every planner shares: service time, the turnout
cap, the most people a visit can record.

The rules fix these numbers exactly (`ceil(0.6 x 5) = 3`, service rounded up to a whole
second), so they are computed in integers and fractions, never in binary floating point.
The turnout cap takes the turnout as an exact fraction p/q and works on numbers and on numpy
integer arrays alike, so the planners' vectorised code and their scalar code share it. The
checker (`check.py`) keeps its own copies on purpose: it must catch a slip here.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from math import gcd

UNLIMITED_PEOPLE = 10**9  # what "as many as come" means when recording takes no time


@lru_cache(maxsize=1024)
def turnout_fraction(turnout: Decimal) -> tuple[int, int]:
    """The turnout as an exact fraction (p, q)."""
    f = Fraction(turnout)
    return f.numerator, f.denominator


def turnout_cap(p, q, remaining):
    """ceil(p/q x remaining): the most one visit may record (DESIGN §3 "A visit"). Integer
    arithmetic; `p`, `q`, `remaining` may be ints or numpy integer arrays."""
    return -((-p * remaining) // q)


def recording_seconds(scenario, kits: int) -> Fraction:
    """Seconds to record one person with `kits` kits working."""
    return Fraction(scenario.recording.minutes_per_person) * 60 / kits


def setup_seconds(scenario) -> Fraction:
    return Fraction(scenario.recording.setup_minutes) * 60


def service_seconds(scenario, kits: int, recorded: int) -> int:
    """Setup + recording time of a visit, exact, rounded up to whole seconds."""
    return _service_terms(scenario.recording.setup_minutes,
                          scenario.recording.minutes_per_person, kits).seconds(recorded)


@lru_cache(maxsize=1024)
def _service_terms(setup_minutes: Decimal, minutes_per_person: Decimal, kits: int):
    """`ServiceTerms` of a recording rule and a number of kits (cached: fast and exact)."""
    return ServiceTerms.of(Fraction(setup_minutes) * 60, Fraction(minutes_per_person) * 60 / kits)


def most_people(seconds, setup_s: Fraction, person_s: Fraction) -> int:
    """The most people one visit can record in `seconds` of service (setup included); 0 when
    not even the setup fits."""
    left = Fraction(seconds) - setup_s
    if left < 0:
        return 0
    if person_s == 0:
        return UNLIMITED_PEOPLE
    return int(left / person_s)


@dataclass(frozen=True)
class ServiceTerms:
    """A unit's setup and per-person seconds as integers over one common denominator:
    `seconds` and `most` give exactly `service_seconds` and `most_people`, without building
    Fraction objects (the optimiser calls them millions of times)."""

    setup_num: int
    person_num: int
    den: int

    @classmethod
    def of(cls, setup_s: Fraction, person_s: Fraction) -> "ServiceTerms":
        setup_s, person_s = Fraction(setup_s), Fraction(person_s)
        den = setup_s.denominator * person_s.denominator // gcd(setup_s.denominator,
                                                                person_s.denominator)
        return cls(setup_s.numerator * (den // setup_s.denominator),
                   person_s.numerator * (den // person_s.denominator), den)

    def seconds(self, recorded: int) -> int:
        """Setup + recording of `recorded` people, rounded up to whole seconds."""
        return -(-(self.setup_num + recorded * self.person_num) // self.den)

    def most(self, seconds: int) -> int:
        """The most people `seconds` (whole) of service record; 0 when the setup does not fit."""
        left = seconds * self.den - self.setup_num
        if left < 0:
            return 0
        if self.person_num == 0:
            return UNLIMITED_PEOPLE
        return left // self.person_num


def village_cap(turnout: Decimal, remaining: int) -> int:
    """ceil(turnout x remaining) for a turnout written as a decimal (exact)."""
    return turnout_cap(*turnout_fraction(turnout), remaining)


def max_recordable(scenario, kits: int, seconds) -> int:
    """The most people a visit of a unit with `kits` kits can record in `seconds` of service
    (setup included); 0 when not even the setup fits."""
    return most_people(seconds, setup_seconds(scenario), recording_seconds(scenario, kits))
