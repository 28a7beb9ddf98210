"""Dating and repair for the PyVRP peer (`bench.peer`): the model's routes put on dates,
then people re-derived exactly and spare time filled. Steps 3 and 4 of the method in
`bench.peer`'s docstring."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

import numpy as np

from bench.peer_model import MAX_COPIES, PeerModel, PeerRoute
from planner.instance import Instance
from planner.rules import most_people, service_seconds
from planner.solve.allocate import allocate
from planner.solve.drafts import Draft, route_travel


def route_levels(routes: list[PeerRoute]) -> list[int]:
    """Each route's depth in the order its copies ask for: a route holding copy k of a
    village comes after the route holding copy k - 1 (longest chain; cycles, which no dating
    can satisfy, are cut after MAX_COPIES rounds)."""
    holder = {}
    for i, r in enumerate(routes):
        for o in r.visits:
            holder[o.j, o.copy] = i
    edges = [(holder[j, c - 1], i) for (j, c), i in holder.items() if (j, c - 1) in holder]
    level = [0] * len(routes)
    for _ in range(MAX_COPIES + 1):
        changed = False
        for a, b in edges:
            if level[b] <= level[a]:
                level[b], changed = level[a] + 1, True
        if not changed:
            break
    return level


def date_routes(model: PeerModel, routes: list[PeerRoute], kept: list[PeerRoute]) -> list[Draft]:
    """Each route, in the order of its copies (`route_levels`), on the free unit-day of its
    type that loses least: no village twice on one day, offline villages before their
    counting cut-off; then after the days of the copies before it; then the earliest (step
    3 of the module docstring). A visit to a village that another route visits that day is
    left out. `kept` receives the routes as dated."""
    inst = model.inst
    routes = [r for r in routes if r.visits]
    level = route_levels(routes)
    free = {i: list(p.slots) for i, p in enumerate(model.pools)}
    days_of = defaultdict(dict)  # village -> {day: copy}
    drafts = []
    order = sorted(range(len(routes)), key=lambda i: (
        level[i], min(o.copy for o in routes[i].visits),
        -sum(inst.priority[o.j] * o.people for o in routes[i].visits)))
    for route in (routes[i] for i in order):
        if not free[route.pool]:
            continue
        after = max((e for o in route.visits for e, c in days_of[o.j].items() if c < o.copy),
                    default=-1)

        def cost(slot):
            d = slot[0]
            lost = sum(inst.priority[o.j] * o.people for o in route.visits
                       if d in days_of[o.j] or not inst.counts_mask[d, o.j])
            return lost, d <= after, d

        slot = min(free[route.pool], key=cost)
        d, k = slot
        visits = [o for o in route.visits if d not in days_of[o.j]]  # one visit a day
        if not visits:
            continue
        free[route.pool].remove(slot)
        for o in visits:
            days_of[o.j][d] = o.copy
        drafts.append(Draft(k, d, tuple(o.j for o in visits), tuple(o.people for o in visits)))
        kept.append(route)
    return drafts


def reallocate(inst: Instance, drafts: list[Draft]) -> list[Draft]:
    """`allocate` until no unit-day drops out (a dropped first day moves where the next
    one starts)."""
    while True:
        out = allocate(inst, drafts)
        if len(out) == len(drafts):
            return out
        drafts = out


def fill_slack(inst: Instance, drafts: list[Draft]) -> list[Draft]:
    """Every day's spare time given, village by village, to the insertion that records the
    most weighted people (backlog left after the whole plan, cheapest position)."""
    left = inst.backlog.copy()
    for dr in drafts:
        for j, r in zip(dr.seq, dr.rec):
            left[j] -= r
    visited = defaultdict(set)
    for dr in drafts:
        visited[dr.d] |= set(dr.seq)
    return [insert_into(inst, dr, left, visited[dr.d]) for dr in drafts]


def insert_into(inst: Instance, dr: Draft, left: np.ndarray, visited: set) -> Draft:
    """`dr` with villages inserted while its spare time records someone (updates `left`
    and `visited`)."""
    ud, day = inst.units[dr.k], inst.days[dr.d]
    kits = ud.unit.kits
    seq, rec = list(dr.seq), list(dr.rec)
    start, end = dr.ends(inst)
    while True:
        spare = day.end - day.start - route_travel(inst, dr.k, seq, dr.start, dr.end) \
            - sum(service_seconds(inst.scenario, kits, r) for r in rec)
        cand = ud.servable & inst.counts_mask[dr.d] & (left > 0)
        cand[list(visited)] = False
        idx = np.flatnonzero(cand)
        if idx.size == 0 or spare <= inst.setup_s:
            return replace(dr, seq=tuple(seq), rec=tuple(rec))
        path = [start] + [int(inst.nodes[j]) for j in seq] + [end]
        a, b, cn = np.array(path[:-1]), np.array(path[1:]), inst.nodes[idx]
        extra = ud.matrix[np.ix_(a, cn)] + ud.matrix[np.ix_(cn, b)].T - ud.matrix[a, b][:, None]
        pos, added = extra.argmin(axis=0), extra.min(axis=0)
        people = np.array([min(inst.cap(int(j), int(left[j])),
                               most_people(spare - int(t), inst.setup_s, ud.person_s))
                           if t < spare else 0 for j, t in zip(idx, added)])
        gain = inst.priority[idx] * people
        best = int(np.argmax(gain))
        if gain[best] <= 0:
            return replace(dr, seq=tuple(seq), rec=tuple(rec))
        j, at = int(idx[best]), int(pos[best])
        seq.insert(at, j)
        rec.insert(at, int(people[best]))
        left[j] -= int(people[best])
        visited.add(j)
