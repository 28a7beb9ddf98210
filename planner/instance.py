"""The scenario turned into plain arrays the planners work on (built once per plan).

Villages are addressed by their position in `scenario.villages` (`j`) and their row in the
travel matrix (`nodes[j]`), units by their position (`k`), days by their position in
`calendar.field_days` (`d`). Arithmetic that the rules fix exactly (turnout caps, service
seconds) comes from `rules` in integers and fractions, so heuristics can use floats and
still be exact where it matters. Both planners (the greedy baseline and the optimiser) read
the scenario through this one view.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property

import numpy as np

from .calendar import Day, field_days, staff_limit
from .network import UNREACHABLE, TravelNetwork
from .rules import (ServiceTerms, most_people, recording_seconds, setup_seconds, turnout_cap,
                    turnout_fraction)
from .scenario.model import Scenario, Unit


@dataclass(frozen=True)
class UnitData:
    """One unit, with its own travel matrix and per-person recording time."""

    unit: Unit
    base: int  # matrix index of the start place
    end: int  # matrix index of the end place
    matrix: np.ndarray  # int64 seconds, all places
    person_s: Fraction  # recording seconds per person (minutes_per_person * 60 / kits)
    allowed: np.ndarray  # bool per village: servable, and a day trip within some shift
    from_base: np.ndarray  # int64 per village: base -> village
    to_end: np.ndarray  # int64 per village: village -> end place
    servable: np.ndarray  # bool per village: power rule, its kecamatan (`districts`) and
    # some path from a day's start
    # matrix indices where a day trip may start: the base on the unit's first field day, its
    # home on any other (DESIGN §3); the base alone for a unit with one field day
    starts: np.ndarray
    from_start: np.ndarray  # int64 per village: from the nearer of `starts`


@dataclass
class Instance:
    scenario: Scenario
    network: TravelNetwork = field(default=None)
    _between: dict = field(default_factory=dict, repr=False)  # matrix id -> V x V seconds

    def __post_init__(self):
        if self.network is None:
            self.network = TravelNetwork(self.scenario)

    # -- villages ------------------------------------------------------------------
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
    def integer_priority(self) -> np.ndarray:
        """Priorities scaled to integers in proportion (exact for up to 6 decimals), for the
        integer models (CP-SAT, the day-route engine)."""
        values = [v.priority for v in self.scenario.villages]
        factor = 1
        for v in values:
            while (v * factor) != int(v * factor) and factor < 10**6:
                factor *= 10
        return np.array([int(v * factor) for v in values], np.int64)

    @cached_property
    def turnout(self) -> list[tuple[int, int]]:
        """Turnout per village as an exact fraction p/q."""
        return [turnout_fraction(self.scenario.village_turnout(v)) for v in self.scenario.villages]

    @cached_property
    def turnout_p(self) -> np.ndarray:
        return np.array([p for p, _ in self.turnout], np.int64)

    @cached_property
    def turnout_q(self) -> np.ndarray:
        return np.array([q for _, q in self.turnout], np.int64)

    def caps(self, remaining: np.ndarray) -> np.ndarray:
        """ceil(turnout x remaining) per village, exact."""
        return turnout_cap(self.turnout_p, self.turnout_q, remaining)

    def cap(self, j: int, remaining: int) -> int:
        p, q = self.turnout[j]
        return turnout_cap(p, q, remaining)

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
        return setup_seconds(self.scenario)

    @cached_property
    def service_terms(self) -> list[ServiceTerms]:
        """Per unit, its service arithmetic in integers (`rules.ServiceTerms`)."""
        return [ServiceTerms.of(self.setup_s, ud.person_s) for ud in self.units]

    @cached_property
    def counts_mask(self) -> np.ndarray:
        """counts_mask[d, j]: a visit to village j on field day d can count."""
        out = np.zeros((len(self.days), self.n), bool)
        last = np.array([d.toordinal() for d in self.last_counting_date])
        for i, day in enumerate(self.days):
            out[i] = day.date.toordinal() <= last
        return out

    @cached_property
    def village_open(self) -> np.ndarray:
        """village_open[d, j]: village j may be visited on field day d (no `closures` entry
        closes it that day)."""
        out = np.ones((len(self.days), self.n), bool)
        closed = self.scenario.village_closures  # only these villages need a look
        for j, v in enumerate(self.scenario.villages):
            if v.id in closed:
                for i, day in enumerate(self.days):
                    out[i, j] = self.scenario.village_closed_on(v.id, day.date) is None
        return out

    def lodging_open(self, days, node: int) -> bool:
        """Whether a unit may sleep at matrix index `node` through field days `days` (a trip's
        days): a lodging village closed on any of them (`closures`) may not be slept in nor
        left from; places never close."""
        j = self.village_of_node.get(int(node))
        return j is None or bool(self.village_open[list(days), j].all())

    @cached_property
    def village_of_node(self) -> dict[int, int]:
        """Matrix index -> village position, for the villages only."""
        return {int(node): j for j, node in enumerate(self.nodes)}

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
            person = recording_seconds(self.scenario, u.kits)
            from_base, to_end = m[base, self.nodes], m[self.nodes, end]
            field_days = sum(1 for day in self.days if not u.unavailable_on(day.date))
            starts = np.unique([base, end] if field_days > 1 else [base]).astype(np.int64)
            from_start = m[np.ix_(starts, self.nodes)].min(axis=0)
            rt = from_start + to_end
            servable = rt < UNREACHABLE
            if not u.generator:
                servable &= ~needs_gen
            if u.districts:  # a kecamatan service point serves its kecamatan only
                servable &= np.array([u.serves(v) for v in self.scenario.villages], bool)
            allowed = servable & (rt + self.setup_s + person <= longest)
            out.append(UnitData(u, base, end, m, person, allowed, from_base, to_end, servable,
                                starts, from_start))
        return out

    def between(self, k: int) -> np.ndarray:
        """Travel seconds between villages (V x V) for unit k; shared by units of one speed."""
        m = self.units[k].matrix
        if id(m) not in self._between:
            self._between[id(m)] = m[np.ix_(self.nodes, self.nodes)]
        return self._between[id(m)]

    def available(self, k: int, d: int) -> bool:
        return not self.units[k].unit.unavailable_on(self.days[d].date)

    def next_day(self, k: int, d: int) -> int | None:
        """The field day after d if it is the next calendar day and unit k may work it (a
        trip can go on through it), else None."""
        e = d + 1
        if e < len(self.days) and (self.days[e].date - self.days[d].date).days == 1 \
                and self.available(k, e):
            return e
        return None

    @cached_property
    def lodgings(self) -> np.ndarray:
        """Matrix indices of every place and village where a unit may spend a night."""
        places = [p.id for p in self.scenario.places if p.lodging]
        villages = [v.id for v in self.scenario.villages if v.lodging]
        return np.array([self.network.index[i] for i in places + villages], np.int64)

    def max_people(self, k: int, seconds) -> int:
        """Most people one visit of unit k can record in `seconds` of service (setup
        included); 0 when not even the setup fits."""
        return most_people(seconds, self.setup_s, self.units[k].person_s)
