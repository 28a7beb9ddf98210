"""Visits to the village a trip sleeps in, that evening and the next morning (DESIGN §3
"Trips": an ordinary visit each).

The trip engine plans a second visit (a village's twin) only where its greedy fill finds
room after the route engine's days, so a tour seldom visits the lodging village it sleeps
in on both days around the night, and it never sleeps in a village only for the second
visit that allows. The day-by-day search does not rebuild a trip's days either.
`lodging_visits` tries two moves on the days of a plan, each kept when the whole plan,
its people re-allocated exactly (`allocate`), gets better:
- a day that sleeps in a lodging village, or starts there after the night, without visiting
  it: that village as its last or first stop (no travel: the unit is there);
- a day that comes home although the unit works the next day too, where the day's last stop
  or the next day's first is a lodging village: the night there instead, with both visits.
"""
from __future__ import annotations

import time
from dataclasses import replace

from ..instance import Instance
from .allocate import allocate, score, trips
from .drafts import Draft, route_travel


def lodging_visits(inst: Instance, drafts: list[Draft], only: set[tuple[int, int]] | None = None,
                   deadline: float | None = None) -> list[Draft]:
    """The plan (people re-allocated) with every kept move made on the (unit, day) pairs in
    `only` (default every day); tries stop at `deadline` (time.monotonic)."""
    village_at = {int(inst.nodes[j]): j for j in range(inst.n) if inst.scenario.villages[j].lodging}
    best = allocate(inst, drafts)
    if not village_at:
        return best
    key = score(inst, best)
    for k, d in sorted({(dr.k, dr.d) for dr in best}, key=lambda kd: (kd[1], kd[0])):
        if only is not None and (k, d) not in only:
            continue
        for changed in moves(inst, best, k, d, village_at, only):
            if deadline is not None and time.monotonic() > deadline:
                return best
            trial = allocate(inst, [changed.get((x.k, x.d), x) for x in best])
            trial_key = score(inst, trial)
            if trial_key > key and valid(inst, trial, k):
                best, key = trial, trial_key
                break
    return best


def moves(inst: Instance, drafts: list[Draft], k: int, d: int, village_at: dict[int, int],
          only: set[tuple[int, int]] | None) -> list[dict[tuple[int, int], Draft]]:
    """The changed drafts of each move on unit k's day d (see the module docstring)."""
    by_day = {(x.k, x.d): x for x in drafts}
    dr = by_day.get((k, d))
    if dr is None:
        return []  # an earlier move left the day without visits, and it went
    ud = inst.units[k]
    start, end = dr.ends(inst)
    out = []
    for node, first in ((start, True), (end, False)):
        j = village_at.get(int(node))
        if j is None or not visitable(inst, drafts, dr, j):
            continue
        if (first and dr.start is not None) or (not first and dr.away_at_night(inst)):
            out.append({(k, d): added(dr, j, first)})
    e = inst.next_day(k, d)
    if ud.unit.max_nights == 0 or dr.away_at_night(inst) or e is None or (k, e) not in by_day \
            or (only is not None and (k, e) not in only):
        return out
    after = by_day[k, e]
    ends = [dr.seq[-1]] if dr.seq else []
    ends += [after.seq[0]] if after.seq else []
    for j in dict.fromkeys(ends):
        node = int(inst.nodes[j])
        if node not in village_at or node == ud.base or not inst.lodging_open((d, e), node):
            continue  # (a village closed either day takes no night)
        evening = replace(dr, end=node, rec=())
        if j not in dr.seq and visitable(inst, drafts, dr, j):
            evening = added(evening, j, False)
        morning = replace(after, start=node, rec=())
        if j not in after.seq and visitable(inst, drafts, after, j):
            morning = added(morning, j, True)
        out.append({(k, d): evening, (k, e): morning})
    return out


def visitable(inst: Instance, drafts: list[Draft], dr: Draft, j: int) -> bool:
    """Whether dr's unit may add a visit to village j on dr's day: not there yet, allowed,
    backlog to record that can count, and no other unit there that day (one visit per
    village per day)."""
    if j in dr.seq or not inst.units[dr.k].allowed[j] or inst.backlog[j] <= 0:
        return False
    if not inst.counts_mask[dr.counting_day, j] or not inst.village_open[dr.d, j]:
        return False
    return not any(x.d == dr.d and j in x.seq for x in drafts)


def added(dr: Draft, j: int, first: bool) -> Draft:
    seq = (j,) + dr.seq if first else dr.seq + (j,)
    return replace(dr, seq=seq, rec=())


def valid(inst: Instance, drafts: list[Draft], k: int) -> bool:
    """Whether unit k's days still keep the rules a move can break: each day's travel and
    services within its shift (a day that now ends elsewhere may not), and each trip within
    `max_nights`. (Recordings that would count too late, where a trip now ends later, are
    already gone: `allocate` counts from each trip's last day.)"""
    terms = inst.service_terms[k]
    most = inst.units[k].unit.max_nights
    for trip in trips(inst, drafts):
        if trip[0].k != k:
            continue
        if len(trip) - 1 > most:
            return False
        for dr in trip:
            day = inst.days[dr.d]
            used = route_travel(inst, k, dr.seq, dr.start, dr.end) + sum(
                terms.seconds(r) for r in dr.rec)
            if used > day.end - day.start:
                return False
    return True
