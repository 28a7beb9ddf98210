"""The optimiser's search: its state (incumbent, route pool, bound) and its phases on one
object.

1. `starts`: day-by-day constructions (`construct`: each unit-day drives the day route worth
   most now, by value or by rate, with overtime given to the fastest units or not used),
   the greedy baseline's plan, for units that may stay away (`max_nights > 0`, lodgings)
   whole multi-day tours from the trip engine (`trip_window`, `trip_engine`; clock-limited
   runs only), and for short horizons the prize-collecting day-route engine
   (`short_horizon`). People are re-allocated exactly (`allocate`).
2. `step`, repeated: large-neighbourhood search. A stretch of days (or scattered days) is torn
   out and rebuilt with perturbed village weights (some guided by the LP's visits, taken in
   every `lp_every_steps` steps; each discounted by what kept later visits to the village lose,
   `later_visits_discount`), kept when the plan is no worse (objective, then fewer overtime
   unit-days, then less travel). Every route built goes to the pool.
3. `polish`: unit-days whose recordings the rest makes up for are dropped.
4. `choose`: the CP-SAT set-partitioning master picks one pool route per unit-day and the
   exact people per visit under every cross-day rule.
5. `visit_lodgings`: the lodging villages the trips sleep in, visited that evening or the
   next morning, and nights there, where that records more (`lodging_visits`).
Meanwhile the bound's process (`BoundProcess`) solves the LP and refines it.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from ..baseline import plan_greedy_on
from ..instance import Instance
from .allocate import allocate, drop_useless, remaining_before, score, trips
from .bound_process import BoundProcess, LpResult
from .construct import construct, overtime_pairs
from .drafts import Draft, chain
from .lodging_visits import lodging_visits
from .master import choose_routes
from .params import SearchParams
from .pool import RoutePool, every_route
from .short_horizon import engine_drafts
from .trip_window import reach, tour_starts, tour_units, unreached

METHOD = ("day-by-day value insertion + LNS + CP-SAT route-pool master; "
          "LP bound with travel (GLOP), Lagrangian refinement with exact day routes")


def meets(objective: float, bound: float | None) -> bool:
    """Whether the plan's objective reaches the bound (within the LP solver's tolerance)."""
    return bound is not None and objective >= bound - 1e-6 * max(1.0, bound)


@dataclass
class Clock:
    """The planner's time limit, or (deterministic runs) no clock at all."""

    limit: float
    deterministic: bool
    start: float = field(default_factory=time.monotonic)

    def elapsed(self) -> float:
        return time.monotonic() - self.start

    def before(self, share: float) -> bool:
        """Deterministic runs are always in time; others before `share` of the limit."""
        return self.deterministic or self.elapsed() < share * self.limit


class Search:
    """One run of the optimiser over an `Instance` (see the module docstring)."""

    def __init__(self, inst: Instance, params: SearchParams, clock: Clock, seed: int,
                 bounds: BoundProcess, progress=None):
        self.inst, self.params, self.clock, self.seed = inst, params, clock, seed
        self.bounds, self.progress = bounds, progress
        self.rng = np.random.default_rng(seed)
        self.best: list[Draft] = []
        self.best_key = (0.0, 0, 0, 0)
        exhaustive = every_route(inst, params.exhaustive_routes, params.exhaustive_villages)
        self.pool = RoutePool(inst, params.pool_per_unit_day, exhaustive)
        self.visit_most = one_visit_most(inst)
        self.lp: LpResult | None = None
        self.ot_allowed = None
        self.method = METHOD
        self.iterations = 0
        self.proven_optimal = False
        self.guided_done = False
        self.last_report = clock.start

    # -- state ---------------------------------------------------------------------------
    @property
    def bound(self) -> float | None:
        return None if self.lp is None else self.lp.bound

    def consider(self, drafts: list[Draft]) -> bool:
        """Pool the drafts' routes; keep them as the incumbent when no worse. Reports
        progress, so the first plans (most of the limit where units take trips) show too."""
        key = score(self.inst, drafts)
        self.pool.add(drafts)
        kept = key >= self.best_key or not self.best
        if kept:
            self.best, self.best_key = drafts, key
        self.report()
        return kept

    def guided(self, beta: float):
        """Village weights raised by `beta` where the LP visits a village on that kind of
        day with that unit."""
        guide, inst, threshold = self.lp.guide, self.inst, self.params.guide_threshold

        def weight(k, d):
            g = guide.get((k, inst.days[d].overtime))
            return inst.priority if g is None else inst.priority * (1 + beta * (g > threshold))
        return weight

    def report(self, force: bool = False) -> None:
        now = time.monotonic()
        if self.progress is None or (not force and now - self.last_report < self.params.progress_every):
            return
        self.last_report = now
        obj, bound, inst = self.best_key[0], self.bound, self.inst
        gap = None if bound is None else (0.0 if bound <= 0 else max(0.0, (bound - obj) / bound))
        counted = sum(sum(dr.rec) for dr in self.best
                      if all(inst.counts_mask[dr.d, j] for j in dr.seq))
        self.progress({"counted": int(counted), "objective": obj, "bound": bound, "gap": gap,
                       "elapsed": round(self.clock.elapsed(), 1), "iterations": self.iterations})

    # -- phases --------------------------------------------------------------------------
    def starts(self) -> None:
        """The first plans: constructions, the greedy baseline, the day-route engine. None
        reads the LP: beside a bound's process they run while it solves the LP."""
        inst, params, clock = self.inst, self.params, self.clock
        if self.bounds.inline:
            self.lp = self.bounds.lp(wait=True)
        budget = inst.scenario.staff.overtime_unit_days
        pairs = overtime_pairs(inst, budget)
        variants = [(budget, pairs), (budget, None), (0, None)] if budget != 0 else [(0, None)]
        if pairs is None and budget != 0:
            variants = [(budget, None), (0, None)]
        # the trip engine re-plans every window of the units that may stay away: their
        # first construction may stop early (on a thousand villages a day takes seconds)
        until = None if clock.deterministic or not tour_units(inst) else \
            clock.start + params.starts_until * clock.limit
        for ot, allowed in variants:
            for rate in (False, True):
                if self.best and not clock.before(params.starts_until):
                    break  # a large district: no time for every variant
                if self.consider(allocate(inst, construct(inst, inst.priority, None, ot,
                                                          ot_allowed=allowed, rate=rate,
                                                          params=params, deadline=until))):
                    self.ot_allowed = allowed
        try:
            greedy = greedy_drafts(inst)
        except Exception:  # noqa: BLE001 - the baseline is a start, not a requirement
            greedy = None
        if greedy is not None:
            self.consider(greedy)
            self.consider(allocate(inst, greedy))
        if tour_units(inst):
            self.tours()
        # the engine gets what the starts above left of its share, so the limit holds
        engine_s = min(params.engine_share * clock.limit,
                       params.engine_until * clock.limit - clock.elapsed())
        engine = engine_drafts(inst, engine_s, self.seed, clock.deterministic, params)
        if engine is not None:
            self.method = METHOD + " + day-route engine (PyVRP)"
            self.consider(allocate(inst, engine))
        self.report(force=True)

    def tours(self) -> None:
        """Whole trips from the trip engine for the units that may stay away, each kept
        only when the plan gets better (`trip_window`), then tours aimed at the kecamatan no
        visit reaches (`reach`); in passes over the windows until a pass gains nothing or
        `tour_until` of the limit, or in a deterministic run one pass on the engine's
        iteration budget (`SearchParams.tour_budget`)."""

        def offer(drafts):
            if drafts is not None:
                self.consider(drafts)
            return self.best
        params, clock, inst = self.params, self.clock, self.inst
        if clock.deterministic:
            tour_starts(inst, offer, None, self.seed, params.tour_budget)
            reach(inst, offer, None, self.seed, params.reach_tries, params.tour_budget)
        else:
            end = clock.start + params.tour_until * clock.limit
            # time for `reach` only where the first plans leave a kecamatan unreached
            aim = params.reach_share * clock.limit if unreached(inst, self.best) else 0.0
            tour_starts(inst, offer, end - aim, self.seed,
                        window_seconds=params.tour_window_seconds,
                        pass_seconds=params.tour_pass_seconds)
            reach(inst, offer, end, self.seed, params.reach_tries,
                  window_seconds=params.tour_window_seconds,
                  pass_seconds=params.tour_pass_seconds)
        self.method = METHOD + " + trip engine (whole tours)"

    def take_lp(self) -> None:
        """Take the LP in once it is solved, but look only every `lp_every_steps` steps: the
        walk then changes course at the same step in a short and a long run (unless the LP
        comes within a few steps of such a mark), so a longer limit continues the walk of a
        shorter one instead of taking another path wherever the LP happens to arrive."""
        if self.lp is None and self.iterations % self.params.lp_every_steps == 0:
            self.lp = self.bounds.lp(wait=False)

    def step(self) -> None:
        """One LNS step: tear out days, rebuild them, keep the plan when no worse."""
        inst, params, rng, n_days = self.inst, self.params, self.rng, len(self.inst.days)
        if self.lp is not None and not self.guided_done:
            self.guided_done = True
            for beta in params.guide_betas:
                self.consider(allocate(inst, construct(
                    inst, self.guided(beta), None, inst.scenario.staff.overtime_unit_days,
                    ot_allowed=self.ot_allowed, params=params)))
        self.iterations += 1
        length = int(rng.integers(1, max(2, min(n_days, params.max_window)) + 1))
        a = int(rng.integers(0, max(1, n_days - length + 1)))
        window = range(a, min(n_days, a + length))
        noise = 1 + params.noise * rng.random(inst.n) * (rng.random() < params.noise_probability)
        # drawn whether or not the LP has come, so its arrival does not shift later draws
        guide = rng.random() < params.guided_probability
        beta = float(rng.choice(list(params.guide_betas))) if guide else 0.0
        if self.lp is not None and guide:
            base = self.guided(beta)
            weight = (lambda base, noise: lambda k, d: base(k, d) * noise)(base, noise)
        else:
            weight = inst.priority * noise
        rate = bool(rng.random() < params.rate_probability)
        if rng.random() < params.window_probability:
            kept, torn = self.tear_out(set(window))
            window = range(min(torn | {a}), max(torn | {window[-1]}) + 1)
            rebuilt = self._rebuild([window[0]], kept, weight, rate, window)
        else:  # scattered days: each rebuilt on the backlog the rest leaves it
            days = sorted(int(x) for x in rng.choice(n_days, size=min(n_days, len(window)),
                                                     replace=False))
            kept, torn = self.tear_out(set(days))
            rebuilt = self._rebuild(sorted(torn | set(days)), kept, weight, rate)
        self.pool.add(rebuilt)
        self.consider(allocate(inst, kept + rebuilt))
        self.report()

    def tear_out(self, days: set[int]) -> tuple[list[Draft], set[int]]:
        """The incumbent without its drafts on `days`, and without any trip that has a day
        there (a trip goes whole); also the days of the trips torn out."""
        torn: set[int] = set()
        gone: set[tuple[int, int]] = set()
        for trip in trips(self.inst, self.best) if self.has_trips else []:
            if len(trip) > 1 and any(dr.d in days for dr in trip):
                gone |= {(dr.k, dr.d) for dr in trip}
                torn |= {dr.d for dr in trip}
        kept = [dr for dr in self.best if dr.d not in days and (dr.k, dr.d) not in gone]
        return kept, torn

    @property
    def has_trips(self) -> bool:
        return any(dr.away_at_night(self.inst) for dr in self.best)

    def _rebuild(self, days: list[int], kept: list[Draft], weight, rate: bool,
                 window: range | None = None) -> list[Draft]:
        """New drafts for `window` at once, or else for each of `days` in turn."""
        inst, budget = self.inst, self.inst.scenario.staff.overtime_unit_days
        weight = later_visits_discount(inst, kept, min(days), weight, self.visit_most)
        rebuilt: list[Draft] = []
        for d in days:
            rebuilt += construct(inst, weight, self.rng, budget,
                                 day_range=window if window is not None else [d],
                                 fixed=kept + rebuilt,
                                 remaining_start=remaining_before(inst, kept + rebuilt, d),
                                 ot_allowed=self.ot_allowed, rate=rate, params=self.params)
        return rebuilt

    def polish(self) -> None:
        """Drop the trips the rest of the plan makes up for, until `polish_until`."""
        clock = self.clock
        if clock.before(self.params.polish_until):
            deadline = None if clock.deterministic else \
                clock.start + self.params.polish_until * clock.limit
            self.best = drop_useless(self.inst, self.best, deadline)
            self.best_key = score(self.inst, self.best)

    def choose(self) -> None:
        """The master over the pool (the incumbent's routes always in it)."""
        clock, params = self.clock, self.params
        left = clock.limit - clock.elapsed()
        if not self.best or not (clock.deterministic or left > params.master_min_left):
            return
        self.pool.add_incumbent(self.best)
        chosen = choose_routes(
            self.inst, self.pool.routes, self.best,
            time_limit=max(0.5, params.master_share * left),
            deterministic_time=params.master_deterministic_time if clock.deterministic else None,
            seed=self.seed, trips=self.pool.trips)
        if chosen is None:
            return
        drafts, proven = chosen
        chained = {(dr.k, dr.d): dr for dr in chain(self.inst, drafts)}
        if any((chained[dr.k, dr.d].start, chained[dr.k, dr.d].last) != (dr.start, dr.last)
               for dr in drafts):
            # the master's day routes leave the base; where a unit's base is not its home, or
            # routes and trips join in another order than in the pool, its days start or
            # count elsewhere (DESIGN §3): people again, exactly, from where they start
            drafts, proven = allocate(self.inst, drafts), False
        if score(self.inst, drafts) >= self.best_key:
            self.best, self.best_key = drafts, score(self.inst, drafts)
        if proven and self.pool.exhaustive and all(
                u.unit.max_nights == 0 and u.base == u.end for u in self.inst.units):
            self.proven_optimal = True

    def visit_lodgings(self) -> None:
        """Evening and next-morning visits to the lodging villages the trips sleep in, and
        nights there (`lodging_visits`), within the limit."""
        if tour_units(self.inst):
            end = None if self.clock.deterministic else self.clock.start + self.clock.limit
            self.consider(lodging_visits(self.inst, self.best, deadline=end))

    # -- the run -------------------------------------------------------------------------
    def run(self, iterations: int) -> str:
        """Every phase within the clock; returns the status (FEASIBLE, OPTIMAL,
        INTERRUPTED). Ctrl-C ends the search with the best plan so far."""
        status = "FEASIBLE"
        try:
            self.starts()
            if self.lp is None and self.clock.deterministic:  # at the same point every run
                self.lp = self.bounds.lp(wait=True)
            while self.iterations < iterations and self.inst.days:
                if not self.clock.before(self.params.lns_until):
                    break
                self.take_lp()
                if meets(self.best_key[0], self.bound):
                    status = "OPTIMAL"
                    break
                self.step()
            self.polish()
            self.choose()
            self.visit_lodgings()
        except KeyboardInterrupt:
            status = "INTERRUPTED"
        try:
            self.finish_bound(wait=status != "INTERRUPTED")
        except KeyboardInterrupt:
            status = "INTERRUPTED"
        self.bounds.stop()
        if self.proven_optimal and status != "INTERRUPTED":
            # every possible day route was in the master and CP-SAT proved its optimum
            bound = self.best_key[0] if self.bound is None else min(self.bound, self.best_key[0])
            self.lp = LpResult(bound, self.lp.guide if self.lp else {})
        if meets(self.best_key[0], self.bound) and status != "INTERRUPTED":
            status = "OPTIMAL"
        return status

    def finish_bound(self, wait: bool) -> None:
        """The LP may end a little after the search (`bound_grace` of the limit), not more;
        with a gap left, the refinement is awaited, but not past the limit."""
        clock = self.clock
        if self.lp is None:
            grace = max(1.0, clock.limit - clock.elapsed() + self.params.bound_grace * clock.limit)
            self.lp = self.bounds.lp(wait=wait, timeout=grace)
        if wait and self.lp is not None and not meets(self.best_key[0], self.lp.bound):
            self.lp = self.bounds.refined(self.lp, clock.limit - clock.elapsed())


def greedy_drafts(inst: Instance) -> list[Draft]:
    """The greedy baseline's plan as drafts: a start the search can only improve on."""
    plan = plan_greedy_on(inst)
    k_of = {u.unit.id: k for k, u in enumerate(inst.units)}
    d_of = {day.date: d for d, day in enumerate(inst.days)}
    j_of = {v.id: j for j, v in enumerate(inst.scenario.villages)}
    return [Draft(k_of[r.unit], d_of[r.date], tuple(j_of[s.village_id] for s in r.stops),
                  tuple(s.recorded for s in r.stops)) for r in plan.routes if r.stops]


def later_visits_discount(inst: Instance, kept: list[Draft], first_day: int, weight,
                          visit_most: np.ndarray):
    """`weight` (an array or a function of (unit, day)) for rebuilding days from `first_day`
    beside the `kept` drafts, times, per village, the share of what a new visit records on
    its day that the whole plan gains. Where kept days after `first_day` visit the village
    again, those visits lose what the new one takes first: the plan gains what one visit
    records of what every kept visit leaves (turnout, at most `visit_most`), not of what the
    earlier days leave (no discount where no day trip records anyone: only a trip reaches
    the village). Without it the rebuilt days chase villages that later days already
    record, and the exact re-allocation takes the gain back."""
    before = remaining_before(inst, kept, first_day)
    left = remaining_before(inst, kept, len(inst.days))  # after every kept visit
    now = np.minimum(inst.caps(before), visit_most).astype(float)
    gain = np.minimum(inst.caps(left), visit_most).astype(float)
    factor = np.where(now > 0, gain / np.maximum(now, 1.0), 1.0)
    if callable(weight):
        return lambda k, d: weight(k, d) * factor
    return weight * factor


def one_visit_most(inst: Instance) -> np.ndarray:
    """Per village, the most people one day trip there records: the longest shift, the unit
    that may serve it with the most time left after the round trip from its base (0 where no
    unit may)."""
    shift = max((day.end - day.start for day in inst.days), default=0)
    most = np.zeros(inst.n)
    for k, ud in enumerate(inst.units):
        rt = ud.matrix[ud.base, inst.nodes] + ud.matrix[inst.nodes, ud.end]
        for j in np.flatnonzero(ud.allowed):
            most[j] = max(most[j], inst.max_people(k, max(0, shift - int(rt[j]))))
    return most
