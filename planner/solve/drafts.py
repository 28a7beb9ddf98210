"""A draft: one unit-day of a plan in the optimiser's terms (unit k, field day d, villages in
order, people each, where the day starts and where the unit sleeps), and the travel
geometry of its village order.

A day starts at the unit's base (`start` None) or at the lodging of the night before, and
ends at the unit's home (`end` None) or at a lodging: a trip is a run of drafts on
consecutive days whose nights but the last are spent away (DESIGN §3 "Trips"). `chain` sets
each draft's start and the last day of its trip from the drafts before and after it.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from ..instance import Instance
from .engine_model import path_seconds

EXHAUSTIVE_ORDER_UP_TO = 6  # stops; longer routes are ordered by 2-opt


@dataclass(frozen=True)
class Draft:
    """One unit-day: unit position k, field-day position d, villages in order, people each;
    `start`/`end` matrix indices of where the day starts and the unit sleeps (None: its base,
    its home); `last` the field day its trip ends (None: d, a day trip)."""

    k: int
    d: int
    seq: tuple[int, ...]
    rec: tuple[int, ...] = ()
    start: int | None = None
    end: int | None = None
    last: int | None = None

    @property
    def counting_day(self) -> int:
        """The field day from which its offline recordings are counted (DESIGN §3)."""
        return self.d if self.last is None else self.last

    def ends(self, inst: Instance) -> tuple[int, int]:
        """(start, end) matrix indices, defaults resolved."""
        ud = inst.units[self.k]
        return (ud.base if self.start is None else self.start,
                ud.end if self.end is None else self.end)

    def away_at_night(self, inst: Instance) -> bool:
        return self.end is not None and self.end != inst.units[self.k].end


def day_start(inst: Instance, k: int, went_out: bool) -> int | None:
    """Where unit k starts a day trip (`Draft.start`): its base (None) until its first field
    day, then its home (DESIGN §3 "A day")."""
    ud = inst.units[k]
    return ud.end if went_out and ud.end != ud.base else None


def draft_starts(inst: Instance, k: int) -> list[int | None]:
    """Every `Draft.start` that `day_start` may give unit k: its base (None), and its home
    where that is elsewhere and the unit has more than one field day (`UnitData.starts`)."""
    ud = inst.units[k]
    return [None] if len(ud.starts) == 1 else [None, ud.end]


def route_travel(inst: Instance, k: int, seq, start: int | None = None,
                 end: int | None = None) -> int:
    """Travel seconds of unit k's day: `start` (default its base) -> villages `seq` in
    order -> `end` (default its home). A day without visits still travels from start to end."""
    ud = inst.units[k]
    start = ud.base if start is None else start
    end = ud.end if end is None else end
    if not seq:
        return int(ud.matrix[start, end])
    return path_seconds(ud.matrix, start, [int(inst.nodes[j]) for j in seq], end)


def best_order(inst: Instance, k: int, seq: list[int], start: int | None = None,
               end: int | None = None) -> list[int]:
    """The visiting order with least travel: exhaustive up to `EXHAUSTIVE_ORDER_UP_TO` stops
    (the first order, in `itertools.permutations` order, of the least travel; the given
    order when none is shorter), else 2-opt from the given order."""
    if len(seq) <= 1:
        return seq
    if len(seq) <= EXHAUSTIVE_ORDER_UP_TO:
        ud = inst.units[k]
        m = ud.matrix
        s = ud.base if start is None else start
        e = ud.end if end is None else end
        order = _permutations(len(seq))
        at = inst.nodes[np.asarray(seq)][order]  # one row per order: the villages' nodes
        cost = m[s, at[:, 0]] + m[at[:, -1], e] + m[at[:, :-1], at[:, 1:]].sum(axis=1)
        best = int(np.argmin(cost))  # the first of the least
        if cost[best] < cost[0]:  # row 0 is the given order
            return [seq[i] for i in order[best]]
        return list(seq)
    return two_opt(inst, k, seq, start, end)


@lru_cache(maxsize=None)
def _permutations(n: int) -> np.ndarray:
    """Every order of n stops as index rows, in `itertools.permutations` order."""
    return np.array(list(itertools.permutations(range(n))), np.int64)


def two_opt(inst: Instance, k: int, seq: list[int], start: int | None = None,
            end: int | None = None) -> list[int]:
    """Reverse segments of the route while that shortens it (first improvement). The change
    counts the reversed segment's own arcs too: with one-way links the matrix is asymmetric,
    and a reversal that only shortens its two end arcs may lengthen the route (and two such
    reversals undo each other for ever)."""
    ud = inst.units[k]
    m, nodes = ud.matrix, inst.nodes
    start = ud.base if start is None else start
    end = ud.end if end is None else end
    path = [start] + [int(nodes[j]) for j in seq] + [end]
    inner = list(seq)
    improved = True
    while improved:
        improved = False
        for i in range(1, len(path) - 2):
            for j in range(i + 1, len(path) - 1):
                a, b, c, e = path[i - 1], path[i], path[j], path[j + 1]
                seg = path[i:j + 1]
                forward = sum(int(m[x, y]) for x, y in zip(seg, seg[1:]))
                backward = sum(int(m[y, x]) for x, y in zip(seg, seg[1:]))
                if int(m[a, c]) + backward + int(m[b, e]) < int(m[a, b]) + forward + int(m[c, e]):
                    path[i:j + 1] = seg[::-1]
                    inner[i - 1:j] = inner[i - 1:j][::-1]
                    improved = True
    return inner


def chain(inst: Instance, drafts: list[Draft]) -> list[Draft]:
    """The drafts with each day's start and its trip's last day set as DESIGN §3 says: a
    unit's first field day starts at its base, a day after a night away at that lodging,
    any other day at its home; a trip ends on the first of its days that ends at home."""
    out = []
    by_unit: dict[int, list[Draft]] = {}
    for dr in sorted(drafts, key=lambda x: (x.k, x.d)):
        by_unit.setdefault(dr.k, []).append(dr)
    for k, days in by_unit.items():
        linked = []
        for i, dr in enumerate(days):
            prev = days[i - 1] if i else None
            if prev is not None and prev.away_at_night(inst) and inst.next_day(k, prev.d) == dr.d:
                # kept even where the lodging is the base: the day goes on a trip
                linked.append(replace(dr, start=prev.end))
                continue
            linked.append(replace(dr, start=day_start(inst, k, went_out=i > 0)))
        last = None
        for dr in reversed(linked):
            if last is None or not dr.away_at_night(inst):
                last = dr.d
            out.append(replace(dr, last=None if last == dr.d else last))
    return sorted(out, key=lambda x: (x.d, x.k))
