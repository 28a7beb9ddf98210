"""People per visit: how many each visit of a fixed route records, and the exact
re-allocation of a whole plan's people over its routes in date order.

The rules' integer arithmetic (turnout caps, service seconds rounded up per visit) decides
the exact figures (`fill_exact`, `allocate`); the constructions also use a float estimate of
the same filling (`fill_estimate`) to compare candidate routes quickly.
"""
from __future__ import annotations

import time
from dataclasses import replace
from math import ceil, floor
from typing import Callable

import numpy as np

from ..instance import Instance
from .drafts import Draft, best_order, chain, route_travel


def fill_people(budget, seq, caps, weight, service: Callable[[int], int],
                most: Callable[[object], int]) -> list[int]:
    """People per visit of a route with `budget` seconds for its services: one person at
    every visit first (dropping the lowest weights if even that does not fit), then the rest
    of the time to the highest weights, each up to its turnout cap. `service(r)` is a visit's
    service seconds for r people; `most(s)` the most people s seconds of service allow."""
    n = len(seq)
    order = sorted(range(n), key=lambda i: -weight[seq[i]])
    kept = [i for i in order if caps[seq[i]] > 0]
    while kept and sum(service(1) for _ in kept) > budget:
        kept.pop()
    rec = [0] * n
    left = budget - service(1) * len(kept)
    for i in kept:
        r = min(caps[seq[i]], max(1, most(left + service(1))))
        rec[i] = r
        left -= service(r) - service(1)
    return rec


def fill_exact(inst: Instance, k: int, d: int, seq, caps: dict[int, int], weight,
               start: int | None = None, end: int | None = None) -> list[int]:
    """People per visit of unit k's route `seq` on day d from `start` to `end` (default:
    its base, its home), exact (see `fill_people`)."""
    day = inst.days[d]
    terms = inst.service_terms[k]
    budget = day.end - day.start - route_travel(inst, k, seq, start, end)
    return fill_people(budget, list(seq), caps, weight, terms.seconds, terms.most)


def fill_estimate(budget: float, seq, caps, weight, setup: float, person: float) -> list[int]:
    """`fill_people` in floats: an estimate for comparing candidate routes."""
    def service(r):
        return ceil(setup + r * person - 1e-9)

    def most(seconds):
        if person == 0:
            return 10**9 if seconds >= setup else 0
        return int(floor((seconds - setup) / person + 1e-9)) if seconds >= setup else 0

    return fill_people(budget, list(seq), caps, weight, service, most)


def realise(inst: Instance, k: int, d: int, seq, caps: np.ndarray, start: int | None = None,
            end: int | None = None) -> Draft | None:
    """The draft of route `seq` with exact people (visits that would record nobody left
    out); None when nobody would be recorded."""
    capd = {j: int(caps[j]) for j in seq}
    rec = fill_exact(inst, k, d, seq, capd, inst.priority, start, end)
    keep = [(j, r) for j, r in zip(seq, rec) if r > 0]
    if not keep:
        return None
    seq = [j for j, _ in keep]
    rec = fill_exact(inst, k, d, seq, capd, inst.priority, start, end)
    return Draft(k, d, tuple(seq), tuple(rec), start=start, end=end)


def draft_value(inst: Instance, dr: Draft) -> float:
    """Σ priority x people of a draft."""
    return float(sum(inst.priority[j] * r for j, r in zip(dr.seq, dr.rec)))


def allocate(inst: Instance, drafts: list[Draft], weight: np.ndarray | None = None) -> list[Draft]:
    """Re-allocate people over fixed routes in date order, exactly; drop visits that record
    nobody or fall on a day their village is closed, re-ordering what is left, and day trips
    left empty (a trip's day stays: it moves or keeps the team away)."""
    weight = inst.priority if weight is None else weight
    remaining = inst.backlog.copy()
    out = []
    for dr in chain(inst, drafts):
        start, end = dr.start, dr.end
        seq = [j for j in dr.seq
               if inst.counts_mask[dr.counting_day, j] and inst.village_open[dr.d, j]]
        rec = []
        while seq:
            caps = {j: inst.cap(j, int(remaining[j])) for j in seq}
            rec = fill_exact(inst, dr.k, dr.d, seq, caps, weight, start, end)
            if all(r > 0 for r in rec):
                break
            seq = best_order(inst, dr.k, [j for j, r in zip(seq, rec) if r > 0], start, end)
        if not seq and not is_trip_day(inst, dr):
            continue
        for j, r in zip(seq, rec):
            remaining[j] -= r
        out.append(replace(dr, seq=tuple(seq), rec=tuple(rec)))
    return out


def is_trip_day(inst: Instance, dr: Draft) -> bool:
    """Whether the day starts or ends away from home (part of a trip of two days or more)."""
    home = inst.units[dr.k].end
    start, end = dr.ends(inst)
    return end != home or (start != home and dr.start is not None)


def score(inst: Instance, drafts: list[Draft]) -> tuple:
    """Lexicographic key (bigger is better): objective, -overtime unit-days, -nights away,
    -travel (DESIGN §3 objective order)."""
    obj = sum(inst.priority[j] * r for dr in drafts for j, r in zip(dr.seq, dr.rec)
              if inst.counts_mask[dr.counting_day, j] and inst.village_open[dr.d, j])
    ot = sum(1 for dr in drafts if inst.days[dr.d].overtime)
    nights = sum(1 for dr in drafts if dr.away_at_night(inst))
    travel = sum(route_travel(inst, dr.k, dr.seq, dr.start, dr.end) for dr in drafts)
    return (round(obj, 6), -ot, -nights, -travel)


def remaining_before(inst: Instance, drafts: list[Draft], first_day: int) -> np.ndarray:
    """Backlog per village left by the drafts of days before `first_day`."""
    rem = inst.backlog.copy()
    for dr in drafts:
        if dr.d < first_day:
            for j, r in zip(dr.seq, dr.rec):
                rem[j] -= r
    return rem


def trips(inst: Instance, drafts: list[Draft]) -> list[list[Draft]]:
    """The drafts grouped into trips (a day trip is a trip of one day), in date order."""
    out, open_trip = [], {}
    for dr in chain(inst, drafts):
        trip = open_trip.pop(dr.k, None)
        if trip is None:
            trip = []
            out.append(trip)
        trip.append(dr)
        if dr.away_at_night(inst):
            open_trip[dr.k] = trip
    return out


def drop_useless(inst: Instance, drafts: list[Draft], deadline: float | None = None) -> list[Draft]:
    """Drop trips whose recordings the rest of the plan makes up for (those with overtime
    days first, fewest recordings first), so no overtime, night away or travel is spent that
    buys nothing (DESIGN §3 objective order). Stops trying at `deadline` (time.monotonic)."""
    best = allocate(inst, drafts)
    key = score(inst, best)
    groups = trips(inst, best)
    order = sorted(range(len(groups)), key=lambda i: (
        not any(inst.days[dr.d].overtime for dr in groups[i]),
        sum(sum(dr.rec) for dr in groups[i])))
    removed: set[tuple[int, int]] = set()
    for i in order:
        if deadline is not None and time.monotonic() > deadline:
            break
        gone = {(dr.k, dr.d) for dr in groups[i]}
        trial = [x for x in best if (x.k, x.d) not in gone | removed]
        s = score(inst, allocate(inst, trial))
        if s >= key:
            removed |= gone
            key = s
    return allocate(inst, [x for x in best if (x.k, x.d) not in removed])
