"""A draft: one unit-day of a plan in the optimiser's terms (unit k, field day d, villages in
order, people each), and the travel geometry of its village order."""
from __future__ import annotations

import itertools
from dataclasses import dataclass

from ..instance import Instance
from .engine_model import path_seconds

EXHAUSTIVE_ORDER_UP_TO = 6  # stops; longer routes are ordered by 2-opt


@dataclass(frozen=True)
class Draft:
    """One unit-day: unit position k, field-day position d, villages in order, people each."""

    k: int
    d: int
    seq: tuple[int, ...]
    rec: tuple[int, ...] = ()


def route_travel(inst: Instance, k: int, seq) -> int:
    """Travel seconds of unit k's day: base -> villages `seq` in order -> end place."""
    ud = inst.units[k]
    return path_seconds(ud.matrix, ud.base, [int(inst.nodes[j]) for j in seq], ud.end)


def best_order(inst: Instance, k: int, seq: list[int]) -> list[int]:
    """The visiting order with least travel: exhaustive up to `EXHAUSTIVE_ORDER_UP_TO` stops,
    else 2-opt from the given order."""
    if len(seq) <= 1:
        return seq
    if len(seq) <= EXHAUSTIVE_ORDER_UP_TO:
        best, best_t = seq, route_travel(inst, k, seq)
        for perm in itertools.permutations(seq):
            t = route_travel(inst, k, perm)
            if t < best_t:
                best, best_t = list(perm), t
        return list(best)
    return two_opt(inst, k, seq)


def two_opt(inst: Instance, k: int, seq: list[int]) -> list[int]:
    """Reverse segments of the route while that shortens it (first improvement)."""
    ud = inst.units[k]
    m, nodes = ud.matrix, inst.nodes
    path = [ud.base] + [int(nodes[j]) for j in seq] + [ud.end]
    inner = list(seq)
    improved = True
    while improved:
        improved = False
        for i in range(1, len(path) - 2):
            for j in range(i + 1, len(path) - 1):
                a, b, c, e = path[i - 1], path[i], path[j], path[j + 1]
                if m[a, c] + m[b, e] < m[a, b] + m[c, e]:
                    path[i:j + 1] = path[i:j + 1][::-1]
                    inner[i - 1:j] = inner[i - 1:j][::-1]
                    improved = True
    return inner
