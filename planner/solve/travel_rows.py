"""The bound LP's travel rows (`bound.BoundModel`): what a day's and a trip's travel cost at
least, in terms of the LP's visit (n), people (r) and day variables, so that every plan gives
a feasible point of the LP."""
from __future__ import annotations

from collections import defaultdict

import numpy as np

from .lp import LinearProgram

RADIAL_BUCKETS = 200


def _buckets(round_trip: np.ndarray, most: int = RADIAL_BUCKETS) -> np.ndarray:
    """Lower edges of round-trip buckets (whole minutes, at most `most` of them)."""
    minutes = np.floor(round_trip / 60.0) * 60.0
    edges = np.unique(minutes)
    if edges.size > most:
        edges = np.unique(np.quantile(minutes, np.linspace(0, 1, most + 1)[:-1], method="lower"))
    return edges


def radial_rows(lp: LinearProgram, visits, round_trip, y, shift, setup, person, ins):
    """A day out costs at least the round trip to its farthest village v*, plus, for every
    other village v of the day, the detour `ins[v]` of passing through it. Let w_v count the
    days whose farthest village is v (w_v <= n_v), bucket days by that round trip (z_b = Σ w
    of bucket b, Z_b = days reaching bucket b or beyond), and let a village be visited only on
    days reaching its own bucket. Villages of bucket >= b are visited on days of bucket >= b,
    whose time is the shift: D_b = Σ_{v in buckets >= b} [(shift - rt_v + ins_v) w_v
    - (setup + ins_v) n_v - person r_v] >= 0. Returns the w_v, in the order of `visits`."""
    ws = []
    rts = np.array([round_trip[i] for i, _, _ in visits])
    edges = _buckets(rts)
    which = np.searchsorted(edges, rts, side="right") - 1
    nb = len(edges)
    Z = [lp.var() for _ in range(nb)]
    D = [lp.var() for _ in range(nb)]  # >= 0
    members: dict[int, list] = defaultdict(list)
    for (i, n, r), b in zip(visits, which):
        w = lp.var()
        ws.append(w)
        lp.row([(1, w), (-1, n)], ub=0)
        lp.row([(1, n), (-1, Z[b])], ub=0)
        members[int(b)].append((n, r, w, float(ins[i]), float(round_trip[i])))
    for b in range(nb):
        # Z_b = Z_{b+1} + Σ_{v in b} w_v
        terms = [(1, Z[b])] + [(-1, w) for _, _, w, _, _ in members.get(b, ())]
        if b + 1 < nb:
            terms.append((-1, Z[b + 1]))
        lp.row(terms, lb=0, ub=0)
        terms = [(1, D[b])]
        if b + 1 < nb:
            terms.append((-1, D[b + 1]))
        for n, r, w, detour, rt in members.get(b, ()):
            terms += [(-(shift - rt + detour), w), (setup + detour, n), (person, r)]
        lp.row(terms, lb=0, ub=0)
    lp.row([(1, Z[0]), (-1, y)], ub=0)
    return ws


def trip_time_terms(home_round_trip: np.ndarray, visits, ws, longest: int, setup: float,
                    person: float) -> list:
    """One day class's share of a unit's trip time row: Σ shift x days out (added per class
    by the caller) - Σ_v home_round_trip_v / longest x w_v - Σ (setup n_v + person r_v) >= 0.

    Why it holds: a trip leaves home (or the base) and ends at home, so it travels at least
    the round trip from home to any village it visits; choose, for each of its days with
    visits, that day's farthest village (the one w_v counts in `radial_rows`): the trip
    travels at least the largest of those round trips, so at least their mean, and with at
    most `longest` days, at least 1/longest of their sum. Summed over the unit's trips, its
    travel is at least Σ_v home_round_trip_v w_v / longest, and with the setups and
    recordings it fits within the shifts of its days out. The per-day rows cannot see this:
    each day there starts and ends at the nearest lodging."""
    terms = []
    for (i, n, r), w in zip(visits, ws):
        terms += [(-float(home_round_trip[i]) / longest, w), (-setup, n), (-person, r)]
    return terms
