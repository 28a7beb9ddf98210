"""The trip engine: one unit's days over a window as one multi-day tour (DESIGN §3 "Trips").

The problem is the orienteering problem with hotel selection (OPHS): D days, each with its
own length; day 1 starts at `start`, day D ends at `end`, and each night is spent at one of
the hotels (lodgings, or home); each village is worth its value at most once and costs its
service seconds. A village may have a twin (`TourProblem.twin`): a second visit to the same
place, worth what that visit records, never on the same day as the first. `TourSearch`
holds a tour's measures and the moves on arrays (a hotel sequence and an ordered village
path per day): best insertion of every open village into every day (numpy over villages x
positions), 2-opt and or-opt within a day, repair by dropping the villages worth least per
second saved; the greedy fill of hotel sequences (`initial`,
every sequence whose bare hops fit, or a random sample); and the cut of one village path into
days at hotels by a dynamic programme (`split`). The tours themselves come from `trip_routes`,
which races hotel sequences through the route engine and polishes its days with these moves.
Matrix rows/columns: hotels first (0 .. H-1), then villages (H .. H+V-1); integer seconds.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

BIG = np.int64(1) << 40


@dataclass
class TourProblem:
    """One unit's window: `dist` (H+V square, int64 seconds), `hotels` H, `start`/`end`
    hotel positions, `limits` seconds per day, `value` and `service` per village, and
    `open_` (bool per village: may be visited); `nights` (bool per hotel: may host a night,
    default all); `twin` (per village, the position of the other visit to its place, never
    on the same day, or -1; default none; the second visit has the higher position)."""

    dist: np.ndarray
    hotels: int
    start: int
    end: int
    limits: list[int]
    value: np.ndarray
    service: np.ndarray
    open_: np.ndarray
    nights: np.ndarray | None = None
    twin: np.ndarray | None = None  # per village, the position of its twin, or -1


@dataclass
class Tour:
    """A hotel per night boundary (D + 1 positions: start, nights, end) and villages per day
    (village positions 0 .. V-1, in visiting order)."""

    hotels: list[int]
    days: list[list[int]]
    score: float = 0.0
    length: int = 0
    lens: list[int] = field(default_factory=list)

    def copy(self) -> "Tour":
        return Tour(list(self.hotels), [list(r) for r in self.days], self.score, self.length,
                    list(self.lens))

    def key(self) -> tuple[float, int]:
        return (round(self.score, 9), -self.length)


class TourSearch:
    """Measures and local moves of tours for one `TourProblem` (see the module docstring)."""

    def __init__(self, prob: TourProblem, rng: np.random.Generator):
        self.p, self.rng = prob, rng
        self.H = prob.hotels
        self.V = len(prob.value)
        self.D = len(prob.limits)
        self.M = prob.dist
        self.svc = np.asarray(prob.service, np.int64)
        self.val = np.asarray(prob.value, float)
        self.limits = np.asarray(prob.limits, np.int64)
        nights = np.ones(self.H, bool) if prob.nights is None else np.asarray(prob.nights, bool)
        self.night_hotels = np.flatnonzero(nights)
        self.twin = None if prob.twin is None or not (np.asarray(prob.twin) >= 0).any() \
            else np.asarray(prob.twin, np.int64)
        # the second visits: the twin of each pair with the higher position
        self.second = np.zeros(self.V, bool) if self.twin is None else \
            (self.twin >= 0) & (self.twin < np.arange(self.V))
        self.ranked: list[Tour] = []  # the filled hotel sequences of `initial`, best first

    # -- measures ------------------------------------------------------------------------
    def path(self, t: Tour, i: int) -> np.ndarray:
        return np.array([t.hotels[i]] + [self.H + v for v in t.days[i]] + [t.hotels[i + 1]],
                        np.int64)

    def day_length(self, t: Tour, i: int) -> int:
        p = self.path(t, i)
        return int(self.M[p[:-1], p[1:]].sum() + self.svc[t.days[i]].sum())

    def measure(self, t: Tour) -> Tour:
        """The tour's day lengths, length and score, after dropping from each day a
        village whose twin comes earlier that day (the route engine and the cut of one path
        into days do not know twins; leaving a village out never lengthens a day)."""
        if self.twin is not None:
            for i, r in enumerate(t.days):
                seen: set[int] = set()
                kept = []
                for v in r:
                    if self.twin[v] not in seen:
                        kept.append(v)
                        seen.add(v)
                t.days[i] = kept
        t.lens = [self.day_length(t, i) for i in range(self.D)]
        t.length = int(sum(t.lens))
        t.score = float(sum(self.val[r].sum() for r in t.days if r))
        return t

    def feasible(self, t: Tour) -> bool:
        return all(ln <= lim for ln, lim in zip(t.lens, self.limits))

    # -- insertion -----------------------------------------------------------------------
    def insertion(self, t: Tour, i: int, cand: np.ndarray):
        """Least added seconds of each candidate village in day i, and where (position)."""
        p = self.path(t, i)
        a, b = p[:-1], p[1:]
        nodes = cand + self.H
        delta = self.M[np.ix_(a, nodes)] + self.M[np.ix_(nodes, b)].T - self.M[a, b][:, None]
        pos = np.argmin(delta, axis=0)
        return delta[pos, np.arange(len(cand))] + self.svc[cand], pos

    def fill(self, t: Tour) -> Tour:
        """Greedy best insertion by value per added second until no open village fits any
        day: first visits, then second visits in the room they leave (a second visit's
        value per second would often crowd out a first visit that records more), a village
        never on a day that holds its twin."""
        self.fill_with(t, ~self.second)
        if self.twin is not None:
            self.fill_with(t, np.ones(self.V, bool))
        return t

    def fill_with(self, t: Tour, allowed: np.ndarray) -> Tour:
        """`fill` over the villages `allowed` (bool per village)."""
        used = np.zeros(self.V, bool)
        for r in t.days:
            used[r] = True
        cand = np.flatnonzero(self.p.open_ & allowed & ~used & (self.val > 0))
        if not len(cand):
            return t
        weight = self.val[cand]
        best = np.full((self.D, len(cand)), BIG)
        where = np.zeros((self.D, len(cand)), np.int64)
        alive = np.ones(len(cand), bool)
        # (day, candidate) pairs whose twin is on that day already
        twin_there = np.zeros((self.D, len(cand)), bool)
        position = np.full(self.V, -1, np.int64)
        position[cand] = np.arange(len(cand))
        if self.twin is not None:
            for i, r in enumerate(t.days):
                for v in r:
                    if self.twin[v] >= 0 and position[self.twin[v]] >= 0:
                        twin_there[i, position[self.twin[v]]] = True
        for i in range(self.D):
            best[i], where[i] = self.insertion(t, i, cand)
        while True:
            room = (self.limits - np.asarray(t.lens))[:, None]
            ok = (best <= room) & alive[None, :] & ~twin_there
            if not ok.any():
                return t
            ratio = np.where(ok, weight[None, :] / (np.maximum(best, 0) + 1.0), -1.0)
            i, c = np.unravel_index(int(np.argmax(ratio)), ratio.shape)
            t.days[i].insert(int(where[i, c]), int(cand[c]))
            t.lens[i] += int(best[i, c])
            t.length += int(best[i, c])
            t.score += float(self.val[cand[c]])
            alive[c] = False
            if self.twin is not None and self.twin[cand[c]] >= 0 \
                    and position[self.twin[cand[c]]] >= 0:
                twin_there[i, position[self.twin[cand[c]]]] = True
            best[i], where[i] = self.insertion(t, i, cand)

    # -- improvement ---------------------------------------------------------------------
    def two_opt(self, t: Tour, i: int) -> None:
        """Reverse stretches of day i while that shortens it (best reversal each pass)."""
        while len(t.days[i]) >= 2:
            p = self.path(t, i)
            a, b = p[:-1], p[1:]
            cost = self.M[a, b]
            gain = (self.M[np.ix_(a, a)] + self.M[np.ix_(b, b)]
                    - cost[:, None] - cost[None, :])
            gain = np.triu(gain, 1)
            x, y = np.unravel_index(int(np.argmin(gain)), gain.shape)
            if gain[x, y] >= 0:
                return
            old = list(t.days[i])
            t.days[i][x:y] = t.days[i][x:y][::-1]  # villages x .. y-1 (path x+1 .. y)
            new_len = self.day_length(t, i)
            if new_len >= t.lens[i]:  # an asymmetric matrix: the reversal did not pay
                t.days[i] = old
                return
            t.length += new_len - t.lens[i]
            t.lens[i] = new_len

    def or_opt(self, t: Tour, i: int) -> None:
        """Move a stretch of 1-3 villages of day i elsewhere in the day (either way round)
        while that shortens it (first improvement)."""
        improved = True
        while improved:
            improved = False
            for size in (1, 2, 3):
                for x in range(len(t.days[i]) - size + 1):
                    if self.move_stretch(t, i, x, size):
                        improved = True
                        break

    def move_stretch(self, t: Tour, i: int, x: int, size: int) -> bool:
        """Villages x .. x+size-1 of day i to their best other place, if that shortens it."""
        r = t.days[i]
        seg, rest = r[x:x + size], r[:x] + r[x + size:]
        p = np.array([t.hotels[i]] + [self.H + v for v in rest] + [t.hotels[i + 1]], np.int64)
        a, b = p[:-1], p[1:]
        s0, s1 = self.H + seg[0], self.H + seg[-1]
        fwd = self.M[a, s0] + self.M[s1, b]
        bwd = self.M[a, s1] + self.M[s0, b]
        inner = int(sum(self.M[self.H + u, self.H + v] for u, v in zip(seg, seg[1:])))
        inner_b = int(sum(self.M[self.H + v, self.H + u] for u, v in zip(seg, seg[1:])))
        cost = np.minimum(fwd + inner, bwd + inner_b) - self.M[a, b]
        cost[x] = BIG  # its own place
        j = int(np.argmin(cost))
        base = int(self.M[a, b].sum()) + int(self.svc[r].sum())
        if base + int(cost[j]) >= t.lens[i]:
            return False
        piece = seg if fwd[j] + inner <= bwd[j] + inner_b else seg[::-1]
        t.days[i] = rest[:j] + piece + rest[j:]
        new_len = self.day_length(t, i)
        t.length += new_len - t.lens[i]
        t.lens[i] = new_len
        return True

    def repair(self, t: Tour, i: int) -> None:
        """Drop from day i the villages worth least per second saved until it fits."""
        while t.lens[i] > self.limits[i] and t.days[i]:
            p = self.path(t, i)
            saved = (self.M[p[:-2], p[1:-1]] + self.M[p[1:-1], p[2:]] - self.M[p[:-2], p[2:]]
                     + self.svc[t.days[i]])
            x = int(np.argmin(self.val[t.days[i]] / (np.maximum(saved, 0) + 1.0)))
            self.remove(t, i, [x])

    def remove(self, t: Tour, i: int, positions) -> None:
        gone = set(positions)
        t.score -= float(sum(self.val[t.days[i][x]] for x in gone))
        t.days[i] = [v for x, v in enumerate(t.days[i]) if x not in gone]
        new_len = self.day_length(t, i)
        t.length += new_len - t.lens[i]
        t.lens[i] = new_len

    # -- the search ----------------------------------------------------------------------
    def sequences(self, most: int) -> list[list[int]]:
        """Hotel sequences whose bare hops fit their days: all when there are at most
        `most`, else `most` drawn at random (depth first, hotels in random order)."""
        out: list[list[int]] = []
        hops = self.M[:self.H, :self.H]
        last = self.D - 1
        budget = [most * 50]

        def walk(seq):
            budget[0] -= 1
            if len(out) >= most or budget[0] < 0:
                return
            i = len(seq) - 1
            if i == last:
                if hops[seq[-1], self.p.end] <= self.limits[i]:
                    out.append(seq + [self.p.end])
                return
            for h in self.rng.permutation(self.night_hotels):
                if hops[seq[-1], h] <= self.limits[i]:
                    walk(seq + [int(h)])
        walk([self.p.start])
        return out

    def local(self, t: Tour) -> Tour:
        """2-opt every day and fill, until the score stops growing."""
        while True:
            before = t.score
            for i in range(self.D):
                self.two_opt(t, i)
                self.or_opt(t, i)
            self.fill(t)
            if t.score <= before + 1e-9:
                return t

    def initial(self, deadline: float, most: int = 400) -> Tour | None:
        """The best of the hotel sequences (`sequences`), each filled greedily; every filled
        sequence is kept in `ranked`, best first."""
        self.ranked = []
        for hotels in self.sequences(most):
            t = self.local(self.measure(Tour(hotels, [[] for _ in range(self.D)])))
            if self.feasible(t):
                self.ranked.append(t)
            if self.ranked and time.monotonic() > deadline:
                break
        self.ranked.sort(key=Tour.key, reverse=True)
        return self.ranked[0] if self.ranked else None

    def split(self, seq: list[int]) -> Tour | None:
        """Days cut from one village path (start -> seq -> end) at hotels: the cuts and
        night hotels with the least total overrun of the day limits (then repaired)."""
        H, M, D = self.H, self.M, self.D
        nodes = np.array([self.H + v for v in seq], np.int64)
        m = len(seq)
        inner = np.concatenate([[0], np.cumsum(M[nodes[:-1], nodes[1:]])]).astype(np.int64)
        svc = np.concatenate([[0], np.cumsum(self.svc[seq])]) if m else np.zeros(1, np.int64)
        INF = float("inf")
        cost = np.full((D + 1, m + 1, H), INF)  # day i starts at cut c from hotel h
        back = np.zeros((D + 1, m + 1, H, 2), np.int64)  # (cut, hotel) the day came from
        cost[0, 0, self.p.start] = 0.0
        cut = np.arange(m + 1)
        for i in range(D):
            ends = [self.p.end] if i == D - 1 else list(self.night_hotels)
            for c, h in zip(*np.nonzero(cost[i] < INF)):
                # day i: villages c .. c2-1, then hotel h2
                first = M[h, nodes[c]] if c < m else 0
                for h2 in ends:
                    last = np.where(cut > c, M[nodes[np.maximum(cut - 1, 0)], h2], M[h, h2])
                    ln = np.where(cut > c, first + inner[np.maximum(cut - 1, 0)] - inner[min(c, m - 1)]
                                  + svc[cut] - svc[c] + last, last)
                    over = cost[i, c, h] + np.maximum(ln - self.limits[i], 0)
                    over[:c] = INF
                    better = over < cost[i + 1, :, h2]
                    cost[i + 1, better, h2] = over[better]
                    back[i + 1, better, h2] = (c, h)
        if cost[D, m, self.p.end] == INF:
            return None
        t, state = Tour([0] * (D + 1), [[] for _ in range(D)]), (m, self.p.end)
        for i in range(D, 0, -1):
            c2, h2 = state
            t.hotels[i] = h2
            state = tuple(int(x) for x in back[i, c2, h2])
            t.days[i - 1] = list(seq[state[0]:c2])
        t.hotels[0] = self.p.start
        self.measure(t)
        for i in range(D):
            self.repair(t, i)
        return self.local(t)
