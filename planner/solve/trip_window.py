"""The trip engine (`trip_engine`) inside the optimiser's search: for a unit that may stay
away (`max_nights > 0`, lodgings in the scenario), its days over a window of consecutive field
days are planned as one tour, the rest of the plan fixed, and proposed as drafts; the search
keeps them only when the plan gets better (`Search.consider`).

A window is a run of consecutive field days the unit can work (available, and the day's staff
limit leaves room for its crew), at most `max_nights + 1` long, so any hotel sequence is a set
of valid trips: a night at a lodging keeps the team away, a night at home ends a trip. Days
where the unit's crew would break the staff limit or the overtime budget (beside the drafts
kept) end the window. `tour_starts` plans every window in turn; `reach` then aims tours at the
kecamatan no visit reaches. Scenarios without lodgings, or whose units all have `max_nights`
0, never come here (their plans do not change).
"""
from __future__ import annotations

import itertools
import time

import numpy as np

from ..instance import Instance
from ..rules import service_seconds
from .allocate import score, trips
from .drafts import Draft
from .lodging_visits import lodging_visits
from .trip_engine import TourProblem
from .trip_routes import TourBudget, solve_tour

SECOND_VISITS = True  # offer the trip engine each village's second visit (its twin)
REACH_WEIGHT = 3.0  # how much more a kecamatan no visit reaches is worth to the engine in `reach`


def tour_units(inst: Instance) -> list[int]:
    """Units whose days the trip engine plans."""
    if not inst.lodgings.size:
        return []
    return [k for k, u in enumerate(inst.units) if u.unit.max_nights > 0]


def workable(inst: Instance, k: int, d: int) -> bool:
    """Whether unit k may be out on day d at all: available, and the day's staff limit
    leaves room for its crew (with no weekday staff, only weekends are)."""
    limit = inst.staff(d)
    return inst.available(k, d) and (limit is None or limit >= inst.units[k].unit.crew)


def windows(inst: Instance, k: int) -> list[list[int]]:
    """Runs of consecutive field days unit k can work, cut to `max_nights + 1` days."""
    out, run = [], []
    limit = inst.units[k].unit.max_nights + 1
    for d in range(len(inst.days)):
        if not workable(inst, k, d):
            continue
        if run and (inst.next_day(k, run[-1]) != d or len(run) == limit):
            out.append(run)
            run = []
        run.append(d)
    return out + ([run] if run else [])


def kept_drafts(inst: Instance, drafts: list[Draft], k: int, days: list[int]) -> list[Draft]:
    """The plan without unit k's trips that touch `days`."""
    gone = set()
    for trip in trips(inst, drafts):
        if trip[0].k == k and any(dr.d in days for dr in trip):
            gone |= {dr.d for dr in trip}
    return [dr for dr in drafts if not (dr.k == k and (dr.d in gone or dr.d in days))]


def usable_days(inst: Instance, kept: list[Draft], k: int, days: list[int]) -> list[int]:
    """The first days of the window on which unit k may be out beside `kept` (staff limit,
    overtime budget, a day not already its own)."""
    crew = inst.units[k].unit.crew
    out_crew: dict[int, int] = {}
    for dr in kept:
        out_crew[dr.d] = out_crew.get(dr.d, 0) + inst.units[dr.k].unit.crew
    budget = inst.scenario.staff.overtime_unit_days
    ot = sum(1 for dr in kept if inst.days[dr.d].overtime)
    mine = {dr.d for dr in kept if dr.k == k}
    out = []
    for d in days:
        limit = inst.staff(d)
        if d in mine or (limit is not None and out_crew.get(d, 0) + crew > limit):
            break
        if inst.days[d].overtime:
            if budget is not None and ot >= budget:
                break
            ot += 1
        out.append(d)
    return out


def tour_problem(inst: Instance, k: int, days: list[int], remaining: np.ndarray, start: int):
    """The window as a `TourProblem`, with the matrix indices of its hotels and the village
    of each of its village positions (a village and its twin, its second visit, share one)."""
    ud = inst.units[k]
    hotel_nodes = [start] + [h for h in [ud.end] + [int(x) for x in inst.lodgings]
                             if h != start]
    hotel_nodes = list(dict.fromkeys(hotel_nodes))
    # no night at the base when it is not home: a day after it would read as the unit's
    # first day (Draft.start None), and `chain` would end the trip there
    lodging = (set(int(x) for x in inst.lodgings) - {ud.base}) | {ud.end}
    caps = inst.caps(remaining)
    # the tour may put a village on any of its days: only those open on all of them
    open_ = inst.village_open[days].all(axis=0)
    first = np.flatnonzero(ud.servable & inst.counts_mask[days[-1]] & open_ & (caps > 0))
    # a tour of two days or more may come back to a village: its second visit as a twin,
    # worth what that visit records after the first (DESIGN §3: one visit a day at most)
    later = inst.caps(remaining - caps)
    again = first[later[first] > 0] if len(days) > 1 and SECOND_VISITS else first[:0]
    villages = np.concatenate([first, again])
    people = np.concatenate([caps[first], later[again]])
    twin = np.full(len(villages), -1, np.int64)
    twin[len(first):] = np.searchsorted(first, again)
    twin[twin[len(first):]] = np.arange(len(first), len(villages))
    nodes = np.concatenate([np.asarray(hotel_nodes, np.int64), inst.nodes[villages]])
    kits = ud.unit.kits
    service = np.array([service_seconds(inst.scenario, kits, int(n)) for n in people], np.int64)
    prob = TourProblem(
        dist=ud.matrix[np.ix_(nodes, nodes)], hotels=len(hotel_nodes), start=0,
        end=hotel_nodes.index(ud.end), limits=[inst.days[d].end - inst.days[d].start for d in days],
        value=inst.priority[villages] * people, service=service,
        open_=np.ones(len(villages), bool),
        nights=np.array([h in lodging and (h == ud.end or inst.lodging_open(days, h))
                         for h in hotel_nodes], bool), twin=twin)
    return prob, hotel_nodes, villages


def propose(inst: Instance, drafts: list[Draft], k: int, days: list[int],
            deadline: float | None, seed: int, budget: TourBudget | None = None,
            weight: np.ndarray | None = None) -> list[Draft] | None:
    """The plan with unit k's days in the window replaced by the engine's tour (people
    re-allocated), or None when no tour fits. The engine stops at `deadline`, or on its
    iteration `budget` (deterministic); `weight` (per village) scales what the engine
    thinks each village is worth, never what the plan counts."""
    kept = kept_drafts(inst, drafts, k, days)
    days = usable_days(inst, kept, k, days)
    if not days:
        return None
    remaining = inst.backlog.copy()
    for dr in kept:
        for j, r in zip(dr.seq, dr.rec):
            remaining[j] -= r
    ud = inst.units[k]
    start = ud.base if not any(dr.k == k and dr.d < days[0] for dr in kept) else ud.end
    prob, hotel_nodes, villages = tour_problem(inst, k, days, remaining, start)
    if weight is not None:
        prob.value = prob.value * weight[villages]
    tour = solve_tour(prob, deadline, seed, budget)
    if tour is None:
        return None
    busy = {(dr.d, j) for dr in kept if dr.d in days for j in dr.seq}
    new = []
    for i, d in enumerate(days):
        end = hotel_nodes[tour.hotels[i + 1]]
        # a village gets at most one visit a day: not where another unit is that day
        # (leaving a village out never lengthens a day: travel is by shortest paths)
        seq = tuple(dict.fromkeys(int(villages[v]) for v in tour.days[i]
                                  if (d, int(villages[v])) not in busy))
        new.append(Draft(k, d, seq, tuple(int(x) for x in inst.caps(remaining)[list(seq)]),
                         start=None, end=None if end == ud.end else end))
    # the visits the engine leaves to chance: the lodging village it sleeps in, the evening
    # before and the morning after, and a night there instead of home where both pay
    return lodging_visits(inst, kept + new, only={(k, d) for d in days})


def window_jobs(inst: Instance) -> list[tuple[int, list[int]]]:
    """Every (unit, window) the trip engine plans, unit by unit, windows in date order."""
    return [(k, w) for k in tour_units(inst) for w in windows(inst, k)]


def window_cap(jobs: int, window_seconds: float | None, pass_seconds: float) -> float | None:
    """Most seconds one window gets per pass (None: no cap)."""
    if window_seconds is None:
        return None
    return max(window_seconds, pass_seconds / max(1, jobs))


def tour_starts(inst: Instance, best, deadline: float | None, seed: int,
                budget: TourBudget | None = None, window_seconds: float | None = None,
                pass_seconds: float = 0.0):
    """Each unit's windows in turn through the engine, each proposal offered to `best`
    (a callable keeping the drafts when they are no worse, returning the incumbent).
    Without a deadline, one pass, each window on the iteration `budget` (deterministic).
    With one, passes over every window until `deadline`: a window gets the time left shared
    evenly over the windows still to come in the pass, but at most `window_seconds` (or
    `pass_seconds` shared over the windows, when that is more: a few windows keep the
    engine's time for one long run each), so a longer limit buys more passes (each window
    re-planned beside what the others became) rather than a different first pass; after a
    pass that does not make the plan better the tours stop early, leaving the rest of the
    time to the search's other phases."""
    jobs = window_jobs(inst)
    cap = window_cap(len(jobs), window_seconds, pass_seconds)
    for n in itertools.count():
        before = score(inst, best(None))
        for i, (k, days) in enumerate(jobs):
            until = None
            if deadline is not None:
                now = time.monotonic()
                if now >= deadline:
                    return
                share = (deadline - now) / (len(jobs) - i)
                until = now + (share if cap is None else min(share, cap))
            proposal = propose(inst, best(None), k, days, until, seed + n * len(jobs) + i,
                               budget)
            if proposal is not None:
                best(proposal)
        if deadline is None or cap is None or score(inst, best(None)) <= before:
            return


def unreached(inst: Instance, drafts: list[Draft]) -> list[str]:
    """Kecamatan (named village districts) with backlog that some trip unit may serve,
    where the plan has no visit."""
    district = [v.district for v in inst.scenario.villages]
    servable = np.zeros(inst.n, bool)
    for k in tour_units(inst):
        servable |= inst.units[k].servable
    visited = {district[j] for dr in drafts for j in dr.seq}
    return sorted({district[j] for j in np.flatnonzero(servable & (inst.backlog > 0))
                   if district[j] is not None} - visited)


def reach(inst: Instance, best, deadline: float | None, seed: int, tries: int,
          budget: TourBudget | None = None, window_seconds: float | None = None,
          pass_seconds: float = 0.0):
    """Tours aimed at each kecamatan no visit reaches: the day-by-day search and the
    window-by-window tours each see only what a window is worth now, so a far cluster that
    pays only over several windows can stay out of every one. For each such kecamatan,
    `tries` windows (those recording least in the plan first) are planned again with its
    villages worth `REACH_WEIGHT` times more to the engine, and each proposal is offered to
    `best` like any other (kept only when the plan counts no less). A try gets at most
    what a window gets in a pass of `tour_starts` (`window_cap`)."""
    jobs = window_jobs(inst)
    district = np.array([v.district for v in inst.scenario.villages])
    missing = unreached(inst, best(None))
    per = min(tries, len(jobs))
    cap = window_cap(len(jobs), window_seconds, pass_seconds)
    for i, target in enumerate(missing):
        drafts = best(None)
        if target not in unreached(inst, drafts):
            continue  # reached on the way to an earlier one
        worth = {(dr.k, dr.d): float(np.dot(inst.priority[list(dr.seq)], dr.rec))
                 for dr in drafts if dr.seq}
        order = sorted(jobs, key=lambda job: sum(worth.get((job[0], d), 0.0) for d in job[1]))
        weight = np.where(district == target, REACH_WEIGHT, 1.0)
        for j, (k, days) in enumerate(order[:per]):
            share = None
            if deadline is not None:  # the time left, evenly over the tries still to come
                now = time.monotonic()
                if now >= deadline:
                    return
                share = now + min((deadline - now) / (per - j + per * (len(missing) - i - 1)),
                                  float("inf") if cap is None else cap)
            proposal = propose(inst, best(None), k, days, share, seed + 1000 * i + j, budget,
                               weight)
            if proposal is not None and target not in unreached(inst, best(proposal)):
                break
