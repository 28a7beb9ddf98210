"""The master: from a pool of candidate day routes, choose one per unit-day and the people
per visit, exactly, with CP-SAT (set partitioning with recording amounts).

With a route's village sequence fixed, the rules are linear in the people per visit r:
- per route: Σ service seconds + travel ≤ shift, where service s ≥ setup + r x person
  (scaled to integers; s is whole seconds, so this is the rule's rounding up);
- turnout with t = p/q: r ≤ ceil(t x remaining) ⟺ q r ≤ p (B − Σ earlier r) + q − 1;
- visits whose recordings cannot count record nobody.
The objective is Σ priority x r (priorities scaled to integers), then, with that fixed, fewest
overtime unit-days and least travel (DESIGN §3 order); a visit that ends with r = 0 is
dropped.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from ..instance import Instance
from .drafts import Draft, draft_starts, route_travel

# Shares of the time limit: the most recordings first, then fewest overtime days and travel.
FIRST_SHARE = 0.7
SECOND_SHARE = 0.3


@dataclass
class _Column:
    """One candidate in the model, a day route or a trip: its choice variable and, per day
    (leg), the villages and people per visit."""

    x: cp_model.IntVar
    legs: list  # (draft without people, its people variables)


@dataclass
class RouteMaster:
    """The CP-SAT set-partitioning model over a route pool, with the incumbent as a hint."""

    inst: Instance
    pool: dict[tuple[int, int], set[tuple[int, ...]]]
    incumbent: list[Draft]
    trips: tuple = ()  # trips, each a tuple of drafts (people ignored)
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    columns: list[_Column] = field(default_factory=list)

    def __post_init__(self):
        self.gain, self.ot_terms, self.travel_terms, self.night_terms = [], [], [], []
        self.first_legs: list[tuple[Draft, object]] = []  # each column's first day and its x
        self.village_day: dict[tuple[int, int], list] = {}
        per_unit_day: dict[tuple, list] = {}
        staff_day: dict[int, list] = {}
        hints = {(dr.k, dr.d): dr for dr in self.incumbent}
        for (k, d), seqs in sorted(self.pool.items()):
            for seq in sorted(seqs):
                for start in draft_starts(self.inst, k):
                    col = self._column(k, d, seq, hints.get((k, d)), start)
                    if col is None:
                        continue
                    per_unit_day.setdefault((k, d), []).append(col.x)
                    staff_day.setdefault(d, []).append((self.inst.units[k].unit.crew, col.x))
                    self.columns.append(col)
        for trip in sorted(self.trips, key=lambda t: [(dr.d, dr.k, dr.seq) for dr in t]):
            col = self._trip_column(trip, hints)
            if col is None:
                continue
            for dr, _ in col.legs:
                per_unit_day.setdefault((dr.k, dr.d), []).append(col.x)
                staff_day.setdefault(dr.d, []).append((self.inst.units[dr.k].unit.crew, col.x))
            self.columns.append(col)
        for xs in per_unit_day.values():
            self.model.Add(sum(xs) <= 1)
        self._first_day_rows(per_unit_day)
        for d, terms in staff_day.items():
            limit = self.inst.staff(d)
            if limit is not None:
                self.model.Add(sum(c * x for c, x in terms) <= limit)
        budget = self.inst.scenario.staff.overtime_unit_days
        if budget is not None and self.ot_terms:
            self.model.Add(sum(self.ot_terms) <= budget)
        self._turnout_rows()

    def _column(self, k: int, d: int, seq, hinted: Draft | None,
                start: int | None = None) -> _Column | None:
        """A day route's variables and its time row; None when its travel alone overruns."""
        day = self.inst.days[d]
        dr = Draft(k, d, tuple(seq), start=start)
        travel = route_travel(self.inst, k, seq, start)
        if day.end - day.start - travel < 0:
            return None
        x = self.model.NewBoolVar("")
        chosen = hinted is not None and (tuple(hinted.seq), hinted.start) == (tuple(seq), start)
        self.model.AddHint(x, chosen)
        rs = self._leg(dr, x, hinted if chosen else None, d)
        if day.overtime:
            self.ot_terms.append(x)
        self.travel_terms.append((travel, x))
        self.first_legs.append((dr, x))
        return _Column(x, [(dr, rs)])

    def _first_day_rows(self, per_unit_day: dict) -> None:
        """Where a unit's base is not its home, a column that starts at the base is its
        first field day (no day of the unit before it), and one that starts at home comes
        after one (DESIGN §3 "A day"): `started[d]`, whether the unit was out before day d,
        is chained over its days."""
        model = self.model
        started: dict[tuple[int, int], object] = {}
        for k in range(len(self.inst.units)):
            if len(draft_starts(self.inst, k)) == 1:
                continue
            days = sorted(d for (kk, d) in per_unit_day if kk == k)
            before = None  # whether the unit was out before the day (None: never)
            for prev, d in zip([None] + days, days):
                if prev is not None:
                    out = sum(per_unit_day[k, prev])
                    now = model.NewBoolVar("")
                    model.Add(now >= out)
                    if before is not None:
                        model.Add(now >= before)
                    model.Add(now <= out + (before if before is not None else 0))
                    before = now
                started[k, d] = before
        for dr, x in self.first_legs:
            if (dr.k, dr.d) not in started or dr.start not in (None, self.inst.units[dr.k].end):
                continue
            was_out = started[dr.k, dr.d]
            if dr.start is None:
                if was_out is not None:
                    model.Add(x + was_out <= 1)
            else:
                model.Add(x <= (was_out if was_out is not None else 0))

    def _leg(self, dr: Draft, x, hinted: Draft | None, counting_day: int) -> list:
        """People variables of one day's visits and the day's time row."""
        inst, model = self.inst, self.model
        day = inst.days[dr.d]
        person, setup = inst.units[dr.k].person_s, inst.setup_s
        den = setup.denominator * person.denominator
        budget = day.end - day.start - route_travel(inst, dr.k, dr.seq, dr.start, dr.end)
        rs, services = [], []
        for i, j in enumerate(dr.seq):
            counts = inst.counts_mask[counting_day, j] and inst.village_open[dr.d, j]
            ub = int(inst.backlog[j]) if counts else 0
            r = model.NewIntVar(0, ub, "")
            s = model.NewIntVar(0, budget, "")
            model.Add(den * s >= int(setup * den) * x + int(person * den) * r)
            model.Add(r <= ub * x)
            model.AddHint(r, hinted.rec[i] if hinted is not None else 0)
            rs.append(r)
            services.append(s)
            self.village_day.setdefault((j, dr.d), []).append((x, r))
            self.gain.append(int(inst.integer_priority[j]) * r)
        model.Add(sum(services) <= budget)
        return rs

    def _trip_column(self, trip, hints: dict) -> _Column | None:
        """A trip's one choice variable and its days; None when a day's travel overruns."""
        inst = self.inst
        legs = [replace(dr, rec=()) for dr in trip]
        if any(inst.days[dr.d].end - inst.days[dr.d].start
               < route_travel(inst, dr.k, dr.seq, dr.start, dr.end) for dr in legs):
            return None
        x = self.model.NewBoolVar("")
        chosen = all(hints.get((dr.k, dr.d)) is not None
                     and (hints[(dr.k, dr.d)].seq, hints[(dr.k, dr.d)].end) == (dr.seq, dr.end)
                     for dr in legs)
        self.model.AddHint(x, chosen)
        out = []
        for dr in legs:
            rs = self._leg(dr, x, hints[(dr.k, dr.d)] if chosen else None, legs[-1].d)
            out.append((dr, rs))
            if inst.days[dr.d].overtime:
                self.ot_terms.append(x)
            self.travel_terms.append((route_travel(inst, dr.k, dr.seq, dr.start, dr.end), x))
        self.night_terms.append((len(legs) - 1, x))
        self.first_legs.append((legs[0], x))
        return _Column(x, out)

    def _turnout_rows(self) -> None:
        """One visit per village and day; each day's people within the turnout cap of what
        the earlier days left."""
        days_of: dict[int, list[int]] = {}
        for (j, d) in self.village_day:
            days_of.setdefault(j, []).append(d)
        for j, ds in days_of.items():
            p, q = self.inst.turnout[j]
            b = int(self.inst.backlog[j])
            earlier = []
            for d in sorted(ds):
                terms = self.village_day[(j, d)]
                if len(terms) > 1:
                    self.model.Add(sum(x for x, _ in terms) <= 1)
                day_r = sum(r for _, r in terms)
                self.model.Add(q * day_r <= p * (b - sum(earlier)) + q - 1)
                earlier.extend(r for _, r in terms)

    def solve(self, time_limit: float, deterministic_time: float | None, seed: int):
        """(drafts, proven_optimal), or None when CP-SAT finds nothing in time."""
        model = self.model
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        # Ctrl-C stays Python's: CP-SAT's own handler leaves the system's default behind it,
        # which then ends the run at a later Ctrl-C without a word or its cleanups
        solver.parameters.catch_sigint_signal = False
        solver.parameters.random_seed = seed

        def run(share):
            if deterministic_time is not None:
                solver.parameters.max_deterministic_time = deterministic_time * share
            else:
                solver.parameters.max_time_in_seconds = max(0.1, time_limit * share)
            return solver.Solve(model)

        model.Maximize(sum(self.gain))
        status = run(FIRST_SHARE)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        proven = status == cp_model.OPTIMAL
        best_gain = int(round(solver.ObjectiveValue()))
        values = self._values(solver)
        model.ClearHints()
        for col in self.columns:
            model.AddHint(col.x, values[id(col.x)])
            for _, rs in col.legs:
                for r in rs:
                    model.AddHint(r, values[id(r)])
        model.Add(sum(self.gain) >= best_gain)
        scale = 1 + sum(t for t, _ in self.travel_terms)
        travel = sum(t * x for t, x in self.travel_terms)
        if self.night_terms:  # fewest overtime days, then fewest nights, then least travel
            nights = 1 + sum(n for n, _ in self.night_terms)
            model.Minimize(nights * scale * sum(self.ot_terms)
                           + scale * sum(n * x for n, x in self.night_terms) + travel)
        else:
            model.Minimize(scale * sum(self.ot_terms) + travel)
        if run(SECOND_SHARE) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            values = self._values(solver)
        return self._drafts(values), proven

    def _values(self, solver: cp_model.CpSolver) -> dict[int, int]:
        return {id(v): solver.Value(v) for col in self.columns
                for v in [col.x, *(r for _, rs in col.legs for r in rs)]}

    def _drafts(self, values: dict[int, int]) -> list[Draft]:
        out = []
        for col in self.columns:
            if not values[id(col.x)]:
                continue
            for dr, rs in col.legs:
                keep = [(j, values[id(r)]) for j, r in zip(dr.seq, rs) if values[id(r)] > 0]
                if keep or len(col.legs) > 1:  # a trip keeps its days without visits
                    out.append(replace(dr, seq=tuple(j for j, _ in keep),
                                       rec=tuple(r for _, r in keep)))
        return out


def choose_routes(inst: Instance, pool: dict[tuple[int, int], set[tuple[int, ...]]],
                  incumbent: list[Draft], time_limit: float = 10.0,
                  deterministic_time: float | None = None, seed: int = 0, trips=()):
    """Set partitioning over a pool of candidate day routes, with exact amounts: pick at
    most one route per unit-day and the people per visit, under every cross-day rule
    (one visit per village per day, turnout over the days, staff, overtime budget).
    Lexicographic: most Σ priority x r, then fewest overtime unit-days, then fewest nights
    away, then least travel. `trips` (tuples of drafts) are columns too: chosen whole, every
    day of a trip counting for staff and overtime. Returns (drafts, proven_optimal) or
    None."""
    return RouteMaster(inst, pool, incumbent, tuple(trips)).solve(time_limit, deterministic_time,
                                                                  seed)
