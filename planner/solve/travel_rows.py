"""The bound LP's travel rows (`bound.BoundModel`): what a day's and a trip's travel cost at
least, in terms of the LP's visit (n), people (r) and day variables, so that every plan gives
a feasible point of the LP."""
from __future__ import annotations

from collections import defaultdict

import numpy as np

from ..network import UNREACHABLE
from .lp import LinearProgram

RADIAL_BUCKETS = 200
# Buckets of home round trips in a unit's trip time rows (`TripTimeRows`): each adds a row per
# unit and two variables and rows per unit and day class.
TRIP_BUCKETS = 20


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


class TripTimeRows:
    """One unit's trip time rows, for a unit whose trips may last up to T = `longest` > 1
    days. Add each day class's days out (`days`) and visits (`day_class`), then `close`.

    A trip leaves home (or, on the unit's first field day, its base) and ends at home, so it
    travels at least the home round trip of its farthest village. Bucket the villages by home
    round trip (lower edges e_b) and let D_{b,c} count the unit's days of class c in trips that
    reach bucket b (y_c >= D_{0,c} >= D_{1,c} >= ..., y_c its days out). At least N_b >= Σ_c D_{b,c} / T trips reach
    bucket b, and those trips travel at least e_b N_b + Σ_{b' > b} (e_b' - e_b'-1) N_b'. Their
    days hold that travel and the setups and recordings S_{b,c} of every visit to a village of
    bucket b or beyond:

        Σ_c shift_c D_{b,c} >= (e_b X_b + Σ_{b' > b} (e_b' - e_b'-1) X_b') / T + Σ_c S_{b,c},

    with X_b = Σ_c D_{b,c}; and over all the unit's days out (every visit, every trip):

        Σ_c shift_c y_c >= Σ_b (e_b - e_b-1) X_b / T + Σ_c S_{0,c}.

    The per-day rows cannot see this: each day there starts and ends at the nearest lodging,
    so a day in a far kecamatan with a lodging pays no crossing, and whichever village counts
    as its farthest from the lodgings may be one near home."""

    def __init__(self, lp: LinearProgram, home_round_trip: np.ndarray, longest: int,
                 most: int = TRIP_BUCKETS):
        self.lp, self.home_round_trip, self.longest = lp, home_round_trip, longest
        # villages no trip reaches add no bucket (nor their 10^12 seconds to the rows)
        reached = home_round_trip[home_round_trip < UNREACHABLE]
        self.edges = _buckets(reached, most) if reached.size else np.zeros(1)
        self.days_out = []  # (shift, y) per class
        self.reach = []  # (shift, D_b, S_b) per class with visits

    def days(self, shift: float, y) -> None:
        """A class's days out: every one counts, with or without visits."""
        self.days_out.append((shift, y))

    def day_class(self, shift: float, y, visits, villages: np.ndarray, setup: float,
                  person: float) -> None:
        """A class's visits (i, n, r), village `villages[i]`, on its y days out: its D_b
        (at most y) and S_b."""
        lp, nb = self.lp, len(self.edges)
        if not visits:
            return
        rts = self.home_round_trip[villages[[i for i, _, _ in visits]]]
        which = np.searchsorted(self.edges, rts, side="right") - 1
        D = [lp.var() for _ in range(nb)]
        S = [lp.var() for _ in range(nb)]  # S_b = S_{b+1} + service of bucket b
        members = [[] for _ in range(nb)]
        for (_, n, r), b in zip(visits, which):
            members[b] += [(-setup, n), (-person, r)]
        for b in range(nb):
            terms = [(1, S[b])] + members[b]
            if b + 1 < nb:
                terms.append((-1, S[b + 1]))
                lp.row([(1, D[b]), (-1, D[b + 1])], lb=0)
            lp.row(terms, lb=0, ub=0)
        lp.row([(1, y), (-1, D[0])], lb=0)
        self.reach.append((shift, D, S))

    def close(self) -> None:
        """The unit's rows, once every class is in."""
        lp, T, nb = self.lp, float(self.longest), len(self.edges)
        if not self.reach:
            return
        steps = np.diff(np.concatenate([[0.0], self.edges]))
        X = [lp.var() for _ in range(nb)]
        for b in range(nb):
            lp.row([(1, X[b])] + [(-1, D[b]) for _, D, _ in self.reach], lb=0, ub=0)
        lp.row([(shift, y) for shift, y in self.days_out]
               + [(-float(steps[b]) / T, X[b]) for b in range(nb)]
               + [(-1, S[0]) for _, _, S in self.reach], lb=0)
        Q = [lp.var() for _ in range(nb)]  # Q_b = Σ_{b' > b} (e_b' - e_b'-1) X_b'
        for b in range(nb):
            terms = [(1, Q[b])]
            if b + 1 < nb:
                terms += [(-1, Q[b + 1]), (-float(steps[b + 1]), X[b + 1])]
            lp.row(terms, lb=0, ub=0)
        for b in range(nb):
            lp.row([(shift, D[b]) for shift, D, _ in self.reach]
                   + [(-float(self.edges[b]) / T, X[b]), (-1.0 / T, Q[b])]
                   + [(-1, S[b]) for _, _, S in self.reach], lb=0)
