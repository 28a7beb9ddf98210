"""The scenario turned into plain arrays the optimiser works on (built once per solve).

Villages are addressed by their row in the travel matrix (`node`), days by their position in
`calendar.field_days`. Arithmetic that the rules fix exactly (turnout caps, service seconds)
is done in integers / Fractions here, so the heuristics can use floats and still be exact
where it matters.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property

import numpy as np

from ..calendar import Day, field_days, staff_limit
from ..network import UNREACHABLE, TravelNetwork
from ..scenario.model import Scenario, Unit


@dataclass(frozen=True)
class UnitData:
    """One unit, with its own travel matrix and per-person recording time."""

    unit: Unit
    base: int  # matrix index of the start place
    end: int  # matrix index of the end place
    matrix: np.ndarray  # int64 seconds, all places
    person_s: Fraction  # recording seconds per person (minutes_per_person * 60 / kits)
    allowed: np.ndarray  # bool per village: power rule and reachability within some shift


@dataclass
class Instance:
    scenario: Scenario
    network: TravelNetwork = field(default=None)

    def __post_init__(self):
        if self.network is None:
            self.network = TravelNetwork(self.scenario)

    # -- villages ------------------------------------------------------------------
    @cached_property
    def n_places(self) -> int:
        return len(self.scenario.places)

    @cached_property
    def n(self) -> int:
        return len(self.scenario.villages)

    @cached_property
    def nodes(self) -> np.ndarray:
        """Matrix index of every village."""
        return np.array([self.network.index[v.id] for v in self.scenario.villages], np.int64)

    @cached_property
    def backlog(self) -> np.ndarray:
        return np.array([v.unrecorded for v in self.scenario.villages], np.int64)

    @cached_property
    def priority(self) -> np.ndarray:
        return np.array([float(v.priority) for v in self.scenario.villages], float)

    @cached_property
    def turnout(self) -> list[tuple[int, int]]:
        """Turnout per village as an exact fraction p/q."""
        out = []
        for v in self.scenario.villages:
            f = Fraction(self.scenario.village_turnout(v))
            out.append((f.numerator, f.denominator))
        return out

    @cached_property
    def turnout_p(self) -> np.ndarray:
        return np.array([p for p, _ in self.turnout], np.int64)

    @cached_property
    def turnout_q(self) -> np.ndarray:
        return np.array([q for _, q in self.turnout], np.int64)

    def caps(self, remaining: np.ndarray) -> np.ndarray:
        """ceil(turnout x remaining) per village, exact."""
        return -((-self.turnout_p * remaining) // self.turnout_q)

    def cap(self, j: int, remaining: int) -> int:
        p, q = self.turnout[j]
        return -((-p * remaining) // q)

    @cached_property
    def last_counting_date(self) -> list[dt.date]:
        """The last visit date whose recordings still count (offline: deadline - turnaround)."""
        dl = self.scenario.calendar.deadline
        return [dl - dt.timedelta(days=self.scenario.village_turnaround(v))
                for v in self.scenario.villages]

    @cached_property
    def offline(self) -> np.ndarray:
        return np.array([not v.signal for v in self.scenario.villages], bool)

    # -- time ----------------------------------------------------------------------
    @cached_property
    def days(self) -> list[Day]:
        return field_days(self.scenario)

    @cached_property
    def setup_s(self) -> Fraction:
        return Fraction(self.scenario.recording.setup_minutes) * 60

    @cached_property
    def counts_mask(self) -> np.ndarray:
        """counts_mask[d, j]: a visit to village j on field day d can count."""
        out = np.zeros((len(self.days), self.n), bool)
        last = np.array([d.toordinal() for d in self.last_counting_date])
        for i, day in enumerate(self.days):
            out[i] = day.date.toordinal() <= last
        return out

    def staff(self, d: int) -> int | None:
        return staff_limit(self.scenario, self.days[d])

    @cached_property
    def units(self) -> list[UnitData]:
        out = []
        longest = max((d.end - d.start for d in self.days), default=0)
        needs_gen = np.array([not v.power for v in self.scenario.villages], bool)
        for u in self.scenario.units:
            m = self.network.unit_seconds(u)
            base, end = self.network.index[u.base], self.network.index[u.end_place]
            person = Fraction(self.scenario.recording.minutes_per_person) * 60 / u.kits
            rt = m[base, self.nodes] + m[self.nodes, end]
            allowed = (rt + self.setup_s + person <= longest) & (rt < UNREACHABLE)
            if not u.generator:
                allowed &= ~needs_gen
            out.append(UnitData(u, base, end, m, person, allowed))
        return out

    def available(self, k: int, d: int) -> bool:
        return not self.units[k].unit.unavailable_on(self.days[d].date)

    def max_people(self, k: int, seconds) -> int:
        """Most people one visit of unit k can record in `seconds` of service (setup included)."""
        left = Fraction(seconds) - self.setup_s
        if left < 0:
            return -1
        person = self.units[k].person_s
        if person == 0:
            return 10**9
        return int(left / person)
