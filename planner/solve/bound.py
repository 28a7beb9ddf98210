"""An upper bound on Σ priority x counted recordings: an LP relaxation that charges travel.

Days are grouped into classes (weekday / overtime, and the stretches between offline
counting cut-offs). Per unit u, class c and village v, `n` counts visits and `r` people
recorded. Every constraint is a sum over the days of a class of a rule that holds on each
day, so any plan gives a feasible point and the LP optimum bounds the objective:

- time per unit-day: setups + recording + travel ≤ shift. A route's travel is at least the
  cheapest arc into each visited village plus the cheapest arc back to the end place (arcs
  charged to their heads), or the cheapest arc out of the base plus the cheapest arc out of
  each village (charged to their tails); both forms are added;
- one visit alone: people ≤ (shift − setup − round trip) / seconds-per-person, and the
  turnout cap of the full backlog;
- at most one visit per village per day, on the days whose recordings count (offline villages:
  only up to deadline - turnaround); visits of a unit ≤ its days out; staff per class;
  overtime budget; unit availability;
- travel again: a day costs at least the round trip to its farthest village
  (`travel_rows.radial_rows`);
- trips: a unit that may stay away starts each trip at home (or its base) and ends it at home,
  so a trip travels at least the round trip from home to its farthest village, whichever
  lodgings its days start and end at; a trip lasts at most T days, so the days of the trips
  that reach a village as far as v from home pay at least 1/T of v's round trip each, within
  their shifts beside the visits there (`travel_rows.TripTimeRows`);
- turnout over repeated visits: the envelope of `lp.envelope_rows`, over nested sets of a
  village's visits by their most people per visit.

Measurements and dead ends: bench/results/NOTES.md, section "bound".
"""
from __future__ import annotations

from collections import defaultdict

import numpy as np

from ..instance import Instance
from .lp import LinearProgram, envelope_rows
from .travel_rows import TripTimeRows, radial_rows

# Nested visit sets per village in the turnout envelope (`lp.envelope_rows`): one per
# distinct per-visit cap up to SPLIT_UP_TO villages x units, else this many (every level
# makes GLOP far slower on large districts for little gain).
LARGE_LEVELS = 2
# GLOP's presolve sometimes gives up (ABNORMAL) on this LP; it then solves without it.
GLOP_RETRIES = ("use_preprocessing: false", "use_preprocessing: false use_dual_simplex: true")


SPLIT_UP_TO = 2500  # villages x units: up to this size, days are also split at cut-offs


def day_classes(inst: Instance) -> dict[tuple, list[int]]:
    """Field days grouped by overtime (staff limit and budget differ), by their hours (a
    class's time rows use one shift length) and, for instances small enough, by the
    stretches between offline counting cut-offs (so days on which offline recordings no
    longer count cannot lend them their time). Keys: (overtime, stretch, shift seconds)."""
    split = inst.n * len(inst.units) <= SPLIT_UP_TO
    cuts = sorted({d.toordinal() for d in inst.last_counting_date}) if split else []
    out: dict[tuple, list[int]] = defaultdict(list)
    for i, day in enumerate(inst.days):
        stretch = sum(1 for c in cuts if day.date.toordinal() > c)
        out[(day.overtime, stretch, day.end - day.start)].append(i)
    return dict(out)


def lp_guide(inst: Instance, details: dict) -> dict[tuple[int, bool], np.ndarray]:
    """Visits per village that the LP optimum gives each (unit, overtime) class."""
    out = {}
    for (k, overtime), rows in details.items():
        n = np.zeros(inst.n)
        for j, _, visits, _ in rows:
            if isinstance(visits, float):
                n[j] += visits
        out[(k, overtime)] = n
    return out


def insertion_costs(m: np.ndarray, base: int, end: int, nodes: np.ndarray) -> np.ndarray:
    """Per village v, the least detour of passing through v between two other distinct stops
    that are the base/end or villages at least as far (round trip) as v:
    min d(a,v) + d(v,c) - d(a,c). Take a day route and remove its villages nearest first,
    keeping the farthest: when v goes, its neighbours are such stops, and the route
    shortens by that detour, so the route is at least round trip(farthest) + Σ detours."""
    rt = (m[base, nodes] + m[nodes, end]).astype(float)
    return detour_costs(m, np.array([base]), np.array([end]), nodes, rt)


def detour_costs(m: np.ndarray, starts: np.ndarray, ends: np.ndarray, nodes: np.ndarray,
                 rt: np.ndarray) -> np.ndarray:
    """`insertion_costs` for days that start at any of `starts` and end at any of `ends`,
    with `rt[i]` the least any day visiting nodes[i] travels (the order in which villages
    are removed; the same figures as the radial rows' round trips). A village's neighbours
    are a start or a village before it and an end or a village after it; both are depots
    only when it is alone on the day, and then it is the farthest, never removed."""
    src = np.concatenate([starts, nodes])
    dst = np.concatenate([ends, nodes])
    ns, ne = len(starts), len(ends)
    sub = m[np.ix_(src, dst)].astype(float)
    rt_src = np.concatenate([np.full(ns, np.inf), rt])
    rt_dst = np.concatenate([np.full(ne, np.inf), rt])
    # never both neighbours: one village, or two depots (v alone on its day: never removed)
    excluded = src[:, None] == dst[None, :]
    excluded[:ns, :ne] = True
    out = np.zeros(len(nodes))
    for i, v in enumerate(nodes):
        into = m[src, v].astype(float)
        outof = m[v, dst].astype(float)
        detour = into[:, None] + outof[None, :] - sub
        detour[ns + i, :] = np.inf  # a = v
        detour[:, ne + i] = np.inf  # c = v
        detour[excluded] = np.inf
        detour[rt_src < rt[i], :] = np.inf  # already removed: nearer than v
        detour[:, rt_dst < rt[i]] = np.inf
        least = float(detour.min())
        out[i] = max(0.0, least) if np.isfinite(least) else 0.0  # alone: no other stop
    return out


class BoundModel:
    """The LP of the module docstring, built class by class and unit by unit.

    `details` (optional) receives the LP's visits per (unit, overtime) class (`lp_guide`);
    `meta` (optional) its prices for `lagrange.refine_bound`, as plain numbers."""

    def __init__(self, inst: Instance, details: dict | None = None, meta: dict | None = None):
        self.inst, self.details, self.meta = inst, details, meta
        self.lp = LinearProgram()
        self.visit_meta = []  # (k, class key, j, per_visit, r, n)
        self.class_rows = {}  # (class key, j) -> (its one-visit-per-day row, counting days)
        self.detours: dict[tuple, np.ndarray] = {}
        self.overnight: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # `_overnight_travel`
        self.person = [float(ud.person_s) for ud in inst.units]
        self.setup = float(inst.setup_s)
        # village -> (most people one visit can record, r, n) per unit and day class
        self.groups: dict[int, list] = defaultdict(list)
        self.ot_days = []
        # per unit whose trips last two days or more: its trip time rows
        self.trip_time = {k: TripTimeRows(self.lp, self._home_round_trips(k), longest)
                          for k, ud in enumerate(inst.units)
                          if ud.unit.max_nights > 0 and (longest := longest_trip(inst, k)) > 1}
        for key, days in day_classes(inst).items():
            self._day_class(key, days)
        for rows in self.trip_time.values():
            rows.close()
        budget = inst.scenario.staff.overtime_unit_days
        if budget is not None and self.ot_days:
            self.lp.row(self.ot_days, ub=budget)

    def _day_class(self, key: tuple, days: list[int]) -> None:
        inst, lp = self.inst, self.lp
        shift = inst.days[days[0]].end - inst.days[days[0]].start
        staff_cap = 0.0
        for d in days:
            s = inst.staff(d)
            staff_cap = lp.inf if (s is None or staff_cap == lp.inf) else staff_cap + s
        # per village: the class's days on which a visit may happen and count
        counting_days = (inst.counts_mask[days] & inst.village_open[days]).sum(axis=0)
        per_village_n: dict[int, list] = defaultdict(list)
        crew_terms = []
        for k, ud in enumerate(inst.units):
            # a day the unit may not go out on: away, or its crew alone is more than the staff
            avail = sum(1 for d in days if inst.available(k, d)
                        and (inst.staff(d) is None or ud.unit.crew <= inst.staff(d)))
            if avail == 0:
                continue
            y = lp.var(0, avail)
            crew_terms.append((ud.unit.crew, y))
            if k in self.trip_time:
                self.trip_time[k].days(float(shift), y)
            if key[0]:
                self.ot_days.append((1, y))
            if self.details is not None:
                self.details.setdefault((k, key[0]), [])
            self._unit_class(k, key, y, shift, counting_days, per_village_n)
        for j, ns in per_village_n.items():
            self.class_rows[key, j] = (
                lp.row([(1, n) for n in ns], ub=float(counting_days[j])), float(counting_days[j]))
        if staff_cap != lp.inf and crew_terms:
            lp.row(crew_terms, ub=staff_cap)

    def _unit_class(self, k, key, y, shift, counting_days, per_village_n) -> None:
        """Unit k's visits in day class `key` (y: its days out): per village n and r, and
        its time rows."""
        inst, lp, ud = self.inst, self.lp, self.inst.units[k]
        overnight = ud.unit.max_nights > 0
        # a unit that may stay away reaches villages no day trip does
        reach = ud.servable if overnight else ud.allowed
        allowed = np.flatnonzero(reach & (counting_days > 0))
        if allowed.size == 0:
            return
        from_base, to_end, min_in, min_out = self._arcs(k, allowed, overnight)
        if overnight:
            all_round_trips, all_detours = self._overnight_travel(k)
            round_trip = all_round_trips[allowed]
        else:
            round_trip = from_base + to_end
        setup, person = self.setup, self.person[k]
        head = [(float(to_end.min()), y), (-shift, y)]
        tail = [(float(from_base.min()), y), (-shift, y)]
        visits = []  # (i, n, r)
        for i, j in enumerate(allowed):
            j = int(j)
            room = shift - setup - round_trip[i]
            first = inst.cap(j, int(inst.backlog[j]))
            if room < 0:
                continue
            per_visit = first if person == 0 else min(first, int(room // person))
            if per_visit <= 0:
                continue
            n = lp.var(0, float(counting_days[j]))
            r = lp.var()
            lp.row([(1, r), (-per_visit, n)], ub=0)
            per_village_n[j].append(n)
            self.groups[j].append((per_visit, r, n))
            self.visit_meta.append((k, key, j, per_visit, r, n))
            head += [(setup + min_in[i], n), (person, r)]
            tail += [(setup + min_out[i], n), (person, r)]
            visits.append((i, n, r))
            if self.details is not None:
                self.details.setdefault((k, key[0]), []).append((j, y, n, r))
        if not visits:
            return
        lp.row(head, ub=0)
        lp.row(tail, ub=0)
        if overnight:
            detours = all_detours[allowed]
        else:
            m = ud.matrix
            detour_key = (id(m), ud.base, ud.end)
            if detour_key not in self.detours:  # a day leaves the base (the first) or home
                starts = day_starts(inst, k)
                rt = (m[starts][:, inst.nodes].min(axis=0) + m[inst.nodes, ud.end]).astype(float)
                self.detours[detour_key] = detour_costs(m, starts, np.array([ud.end]),
                                                        inst.nodes, rt)
            detours = self.detours[detour_key][allowed]
        radial_rows(lp, visits, round_trip, y, shift, setup, person, detours)
        if k in self.trip_time:
            self.trip_time[k].day_class(float(shift), y, visits, allowed, setup, person)

    def _overnight_travel(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Per village, for unit k that may stay away (its days run from any start: base,
        home, lodging, to any end: home, lodging): the least a day reaching it travels, and
        its detour credit (`detour_costs`). The least travel is from the nearest start to
        the nearest end; where a trip lasts two days at most, every day of it leaves home
        (or, the unit's first field day, its base: DESIGN §3) or comes back home. Computed
        once per unit, shared by its day classes."""
        if k not in self.overnight:
            inst, ud = self.inst, self.inst.units[k]
            m, nodes = ud.matrix, inst.nodes
            starts, ends = overnight_ends(inst, k)
            from_start = m[np.ix_(starts, nodes)].min(axis=0).astype(float)
            to_end = m[np.ix_(nodes, ends)].min(axis=1).astype(float)
            rt = from_start + to_end
            if longest_trip(inst, k) <= 2:
                leave = np.minimum(m[ud.end, nodes], m[ud.base, nodes])
                rt = np.minimum(leave + to_end, from_start + m[nodes, ud.end]).astype(float)
            self.overnight[k] = (rt, detour_costs(m, starts, ends, nodes, rt))
        return self.overnight[k]

    def _home_round_trips(self, k: int) -> np.ndarray:
        """Per village, the least a trip of unit k visiting it travels: from home (or, on its
        first field day, its base) to the village and back home."""
        ud, nodes = self.inst.units[k], self.inst.nodes
        m = ud.matrix
        return (np.minimum(m[ud.end, nodes], m[ud.base, nodes]) + m[nodes, ud.end]).astype(float)

    def _arcs(self, k: int, allowed: np.ndarray, overnight: bool):
        """Per allowed village: base -> village, village -> end, and the cheapest arc into
        and out of it (from another village or the depots)."""
        ud = self.inst.units[k]
        m, an = ud.matrix, self.inst.nodes[allowed]
        sub = m[np.ix_(an, an)].astype(float)
        np.fill_diagonal(sub, np.inf)
        if overnight:  # a day starts at the base, home or a lodging and ends at home or one
            starts, ends = overnight_ends(self.inst, k)
            from_base = m[np.ix_(starts, an)].min(axis=0).astype(float)
            to_end = m[np.ix_(an, ends)].min(axis=1).astype(float)
        else:  # the unit's first field day leaves its base, every other day its home
            from_base = m[np.ix_(day_starts(self.inst, k), an)].min(axis=0).astype(float)
            to_end = m[an, ud.end].astype(float)
        min_in = np.minimum(sub.min(axis=0) if an.size > 1 else np.inf, from_base)
        min_out = np.minimum(sub.min(axis=1) if an.size > 1 else np.inf, to_end)
        return from_base, to_end, min_in, min_out

    def solve(self, time_limit: float | None = None) -> float | None:
        """The LP optimum (rounded down for integer priorities, never above every backlog
        counted); that trivial bound when GLOP proves no optimum; None when it is not solved
        within `time_limit` seconds (given only where the LP runs in the planner's own time)."""
        inst, lp = self.inst, self.lp
        if time_limit is not None:
            lp.solver.SetTimeLimit(max(1, int(1000 * time_limit)))
        objective = lp.solver.Objective()
        trivial = 0.0
        small = inst.n * len(inst.units) <= SPLIT_UP_TO
        levels = None if self.meta is None else self.meta.setdefault("_levels", {})
        people = {}
        for j, group in self.groups.items():
            people[j] = envelope_rows(lp, inst, j, group, None if small else LARGE_LEVELS, levels)
            objective.SetCoefficient(people[j], float(inst.priority[j]))
            trivial += float(inst.priority[j]) * int(inst.backlog[j])
        if not people:
            return 0.0
        objective.SetMaximization()
        status = lp.solver.Solve()
        for retry in GLOP_RETRIES:
            if status == lp.pywraplp.Solver.OPTIMAL:
                break
            lp.solver.SetSolverSpecificParametersAsString(retry)
            status = lp.solver.Solve()
        if status != lp.pywraplp.Solver.OPTIMAL:
            if time_limit is not None:
                return None  # out of time: no bound rather than a useless one
            # Without a proven LP optimum fall back to the trivial bound: every backlog counted.
            return float(sum(inst.priority[j] * inst.backlog[j] for j in range(inst.n)))
        value = objective.Value()
        self._read_out(value)
        value = value + 1e-6 * max(1.0, abs(value))  # the LP solver's tolerance
        if all(float(v.priority).is_integer() for v in inst.scenario.villages):
            value = float(np.floor(value))  # integer objective
        return min(value, trivial)

    def _read_out(self, value: float) -> None:
        """`meta` and `details` as plain numbers: the solver's objects die with it."""
        meta, details = self.meta, self.details
        if meta is not None:
            meta["lp"] = value
            meta["visits"] = [(k, c, j, pv, r.index(), n.index(),
                               self.class_rows[c, j][0].dual_value(), self.class_rows[c, j][1])
                              for k, c, j, pv, r, n in self.visit_meta]
            meta["levels"] = {  # per village, per nested set: its rows' prices, its r variables
                j: [(row_r.dual_value(), row_n.dual_value(), [r.index() for r in rs])
                    for row_r, row_n, rs in levels]
                for j, levels in meta.pop("_levels", {}).items()}
        if details is not None:
            for key, rows in details.items():
                details[key] = [(j, y.solution_value(), n.solution_value(), r.solution_value())
                                for j, y, n, r in rows]


def longest_trip(inst: Instance, k: int) -> int:
    """The most days a trip of unit k can last: its nights allowed plus one, and no more
    than its longest run of consecutive field days on which its crew may go out."""
    run = best = 0
    prev = None
    crew = inst.units[k].unit.crew
    for d, day in enumerate(inst.days):
        limit = inst.staff(d)
        ok = inst.available(k, d) and (limit is None or crew <= limit) and not (
            day.overtime and inst.scenario.staff.overtime_unit_days == 0)
        if ok and prev is not None and (day.date - prev).days == 1 and run:
            run += 1
        else:
            run = 1 if ok else 0
        prev = day.date
        best = max(best, run)
    return min(best, inst.units[k].unit.max_nights + 1)


def day_starts(inst: Instance, k: int) -> np.ndarray:
    """Where a day trip of unit k may start, as matrix indices (`UnitData.starts`)."""
    return inst.units[k].starts


def overnight_ends(inst: Instance, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Where a day of unit k may start (its base, its home, a lodging) and end (its home,
    a lodging), as matrix indices: for a unit that may stay away."""
    ud = inst.units[k]
    ends = np.unique(np.concatenate([[ud.end], inst.lodgings])).astype(np.int64)
    starts = np.unique(np.concatenate([[ud.base], ends])).astype(np.int64)
    return starts, ends


def upper_bound(inst: Instance, details: dict | None = None, meta: dict | None = None,
                time_limit: float | None = None) -> float | None:
    """The LP bound. `details` gets the LP's visits per (unit, overtime) class (`lp_guide`);
    `meta` its prices for `lagrange.refine_bound`, as plain numbers; None when `time_limit`
    (seconds) is given and GLOP does not finish within it."""
    return BoundModel(inst, details, meta).solve(time_limit)
