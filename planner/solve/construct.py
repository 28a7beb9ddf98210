"""The construction heuristic: day by day, each unit drives the day route worth most now.

A day route is built by value-driven insertion: the value of a route is what its visits can
record in the time its travel and setups leave (highest priority first, each visit capped by
turnout of the village's remaining backlog), so the insertion weighs travel and setup
against recordings directly. Routes are re-ordered (`drafts.best_order`) because less travel
is more recording time. Recordings are then re-allocated exactly over the whole horizon by
`allocate.allocate` (the rules' integer arithmetic).
"""
from __future__ import annotations

import time

import numpy as np

from ..instance import Instance
from .allocate import draft_value, fill_estimate, realise
from .drafts import Draft, best_order, day_start, route_travel
from .params import SearchParams
from .trips import TripPlanner


class DayBuilder:
    """Builds one unit-day route by value-driven cheapest insertion."""

    def __init__(self, inst: Instance, rate: bool = False):
        self.inst = inst
        # rate: add the village with the most weighted people per added second (travel,
        # setup, recording) instead of the one that adds the most; better for many small stops
        self.rate = rate

    def value(self, k: int, d: int, seq, caps, weight, start=None, end=None) -> float:
        """Float estimate of a route's weighted recordings (-1 when it does not fit)."""
        inst = self.inst
        day = inst.days[d]
        budget = day.end - day.start - route_travel(inst, k, seq, start, end)
        rec = fill_estimate(budget, seq, caps, weight, float(inst.setup_s),
                            float(inst.units[k].person_s))
        if any(r <= 0 for r in rec):
            return -1.0
        return float(sum(weight[j] * r for j, r in zip(seq, rec)))

    def _unit_day(self, k: int, d: int):
        """Unit k on day d: the unit, its shift length, seconds per person and per setup."""
        ud = self.inst.units[k]
        day = self.inst.days[d]
        return ud, day.end - day.start, float(ud.person_s), float(self.inst.setup_s)

    def build(self, k: int, d: int, caps: np.ndarray, weight: np.ndarray,
              banned: np.ndarray, starts: int = 6, shortlist: int = 8, start: int | None = None,
              end: int | None = None, counting_day: int | None = None) -> list[int]:
        """The best of several insertion runs, each seeded with a different first village
        (best alone, and best recordings per hour of round trip, setup and recording). A
        day of a trip goes from `start` to `end` (default: base, home), and its offline
        recordings count from `counting_day` (default: d)."""
        inst = self.inst
        ud, shift, person, setup = self._unit_day(k, d)
        m, nodes = ud.matrix, inst.nodes
        s = ud.base if start is None else start
        e = ud.end if end is None else end
        reach = ud.allowed if start is None and end is None else ud.servable
        cand = reach & inst.counts_mask[d if counting_day is None else counting_day] \
            & inst.village_open[d] & (caps > 0) & ~banned
        cand_idx = np.flatnonzero(cand)
        if cand_idx.size == 0:
            return []
        cn = nodes[cand_idx]
        rt = (m[s, cn] + m[cn, e]).astype(float)
        room = shift - rt - setup
        if person > 0:
            alone = np.minimum(caps[cand_idx], np.floor(np.maximum(room, 0) / person))
        else:
            alone = np.where(room >= 0, caps[cand_idx], 0).astype(float)
        alone = alone * weight[cand_idx]
        rate = alone / (rt + setup + person * alone / np.maximum(weight[cand_idx], 1e-9) + 1.0)
        firsts = []
        for key in (alone, rate):
            for i in np.argsort(-key)[:max(1, starts // 2)]:
                if key[i] > 0 and int(cand_idx[i]) not in firsts:
                    firsts.append(int(cand_idx[i]))
        best, best_val = [], 0.0
        for first in firsts:
            seq = self._insert(k, d, caps, weight, cand, [first], shortlist, start, end)
            val = self.value(k, d, seq, {j: int(caps[j]) for j in seq}, weight, start, end)
            if val > best_val + 1e-9:
                best, best_val = seq, val
        return best

    def _insert(self, k: int, d: int, caps: np.ndarray, weight: np.ndarray, cand: np.ndarray,
                seq: list[int], shortlist: int, start=None, end=None) -> list[int]:
        """Grow `seq` by cheapest insertion of the candidate that adds most (or, with `rate`,
        most per added second) until no candidate adds anything."""
        inst = self.inst
        ud, shift, person, setup = self._unit_day(k, d)
        m, nodes = ud.matrix, inst.nodes
        s = ud.base if start is None else start
        e = ud.end if end is None else end
        cand_idx = np.flatnonzero(cand)
        cn = nodes[cand_idx]
        rt = m[s, cn] + m[cn, e]
        fits = rt + setup + person <= shift
        cand_idx, cn = cand_idx[fits], cn[fits]
        if cand_idx.size == 0:
            return []
        capd = caps  # turnout cap per village (looked up for the route's few villages)
        used = np.isin(cand_idx, seq)
        cur_travel = route_travel(inst, k, seq, start, end)
        cur_value = self.value(k, d, seq, capd, weight, start, end)
        while True:
            prev = np.array([s] + [int(nodes[j]) for j in seq], np.int64)
            nxt = np.array([int(nodes[j]) for j in seq] + [e], np.int64)
            delta = (m[np.ix_(prev, cn)] + m[np.ix_(cn, nxt)].T
                     - m[prev, nxt][:, None]).min(axis=0)
            time = shift - (cur_travel + delta) - (len(seq) + 1) * setup
            score = self._estimates(seq, time, delta, cur_value, caps[cand_idx].astype(float),
                                    weight, weight[cand_idx], capd, person, setup, used)
            if score is None:
                break
            best_val, best_seq, best_i = self._best_trial(
                k, d, seq, score, cand_idx, prev, nxt, cur_value, capd, weight, shortlist,
                start, end)
            if best_seq is None:
                break
            seq = best_seq
            used[best_i] = True
            if len(seq) >= 4:
                seq = best_order(inst, k, seq, start, end)
            cur_travel = route_travel(inst, k, seq, start, end)
            cur_value = best_val
        return best_order(inst, k, seq, start, end)

    def _estimates(self, seq, time, delta, cur_value, capc, w, wc, capd, person, setup, used):
        """Estimated route value with each candidate inserted (-inf where it cannot be), or
        None when no candidate can be."""
        if person > 0:
            people = time / person
            ok = people >= len(seq) + 1
            used_people = sum(capd[j] for j in seq)
            # v gets what is left after the route's own visits (estimate)
            gain = wc * np.minimum(capc, np.maximum(people - used_people, 0.0))
            # visits already in the route may lose time
            loss = np.maximum(used_people - people, 0.0) * (min(w[j] for j in seq) if seq else 0)
            score = cur_value + gain - loss
            if self.rate:
                added = delta + setup + person * np.minimum(capc, np.maximum(people - used_people, 0.0))
                score = np.where(score > cur_value, cur_value + 1e-9 + (score - cur_value) / np.maximum(added, 1.0), score)
        else:
            ok = time >= 0
            score = cur_value + wc * capc
        ok &= ~used
        if not ok.any():
            return None
        return np.where(ok, score, -np.inf)

    def _best_trial(self, k, d, seq, score, cand_idx, prev, nxt, cur_value, capd, w, shortlist,
                    start=None, end=None):
        """(value, route, candidate position) of the best exact insertion among the
        `shortlist` best estimates; (cur_value, None, -1) when none adds anything."""
        ud, _, person, setup = self._unit_day(k, d)
        m, nodes = ud.matrix, self.inst.nodes
        top = np.argsort(-score)[:shortlist]
        best_val, best_seq, best_i, best_rate = cur_value, None, -1, -np.inf
        for i in top:
            if not np.isfinite(score[i]) or score[i] <= cur_value:
                break
            j = int(cand_idx[i])
            # cheapest insertion position
            ins = m[prev, nodes[j]] + m[nodes[j], nxt] - m[prev, nxt]
            pos = int(np.argmin(ins))
            trial = seq[:pos] + [j] + seq[pos:]
            val = self.value(k, d, trial, capd, w, start, end)
            if val <= cur_value + 1e-9:
                continue
            if self.rate:
                gained = val - cur_value
                r = gained / max(1.0, float(ins[pos]) + setup + person * gained / max(w[j], 1e-9))
                if r > best_rate:
                    best_val, best_seq, best_i, best_rate = val, trial, i, r
            elif val > best_val + 1e-9:
                best_val, best_seq, best_i = val, trial, i
        return best_val, best_seq, best_i


def overtime_pairs(inst: Instance, budget: int | None) -> set[tuple[int, int]] | None:
    """Which (unit, day) pairs may work overtime when the budget is short: the units that
    record fastest (most kits) first, earliest days first (offline villages still count)."""
    if budget is None:
        return None
    pairs = [(k, d) for d, day in enumerate(inst.days) if day.overtime
             for k in range(len(inst.units)) if inst.available(k, d)]
    if len(pairs) <= budget:
        return None
    pairs.sort(key=lambda kd: (-inst.units[kd[0]].unit.kits, kd[1], kd[0]))
    return set(pairs[:budget])


def construct(inst: Instance, weight: np.ndarray, rng: np.random.Generator | None,
              overtime_budget: int | None, day_range=None, fixed: list[Draft] = (),
              remaining_start: np.ndarray | None = None, ot_allowed=None,
              rate: bool = False, params: SearchParams = SearchParams(),
              most_kits_first: bool = True, deadline: float | None = None) -> list[Draft]:
    """Day-by-day construction over `day_range` (default: every field day), each unit-day
    the route worth most at `weight` (an array, or a function of (k, d)), or, for units that
    may stay away, a trip where one pays (`trips.TripPlanner`). `fixed` drafts (outside
    `day_range`) are kept as they are; `ot_allowed` limits which (unit, day) pairs may work
    overtime; with an `rng`, units go out in a random order on some days. Units go out by
    most kits per crew member first (`most_kits_first`), else in the reverse order. Past
    `deadline` (time.monotonic), once a draft is made, no further day is built."""
    work = Construction(inst, weight, rng, overtime_budget, fixed, remaining_start, ot_allowed,
                        rate, params)
    work.most_kits_first = most_kits_first
    for d in (range(len(inst.days)) if day_range is None else day_range):
        if deadline is not None and work.drafts and time.monotonic() > deadline:
            break
        work.day(d)
    return work.drafts


class Construction:
    """The state of one construction: backlog left, drafts made, overtime used, and the
    unit-days and villages that trips have booked ahead."""

    def __init__(self, inst, weight, rng, overtime_budget, fixed, remaining_start, ot_allowed,
                 rate, params):
        self.inst, self.weight, self.rng, self.params = inst, weight, rng, params
        self.budget, self.ot_allowed = overtime_budget, ot_allowed
        self.builder = DayBuilder(inst, rate)
        self.most_kits_first = True
        self.no_trip_before: dict[int, int] = {}  # unit -> first day to try a trip again
        self.remaining = inst.backlog.copy() if remaining_start is None else remaining_start.copy()
        self.drafts: list[Draft] = []
        self.ot_used = sum(1 for f in fixed if inst.days[f.d].overtime)
        self.busy = {(f.k, f.d) for f in fixed}  # unit-days taken (fixed drafts, booked trips)
        self.went_out = {f.k for f in fixed}  # units that have had a field day (no longer at base)
        self.booked_banned: dict[int, np.ndarray] = {}  # day -> villages already visited
        self.booked_crew: dict[int, int] = {}  # day -> crew already out
        for f in fixed:  # drafts kept on a day of the range (beside a trip torn out)
            self.note(f)
        self.trips = TripPlanner(inst, self.builder, params) if any(
            u.unit.max_nights > 0 for u in inst.units) else None

    def overtime_left(self) -> bool:
        return self.budget is None or self.ot_used < self.budget

    def day(self, d: int) -> None:
        """Every unit that may go out on day d gets the route (or trip) worth most now."""
        inst, params = self.inst, self.params
        day = inst.days[d]
        if day.overtime and not self.overtime_left():
            return
        limit = inst.staff(d)
        K = len(inst.units)
        order = sorted(range(K), key=lambda k: -inst.units[k].unit.kits / inst.units[k].unit.crew)
        if not self.most_kits_first:
            order.reverse()
        if self.rng is not None and self.rng.random() < params.unit_shuffle:
            order = list(self.rng.permutation(K))
        banned = self.booked_banned[d].copy() if d in self.booked_banned else np.zeros(inst.n, bool)
        crew = self.booked_crew.get(d, 0)
        for k in order:
            if not inst.available(k, d) or (k, d) in self.busy:
                continue
            c = inst.units[k].unit.crew
            if limit is not None and crew + c > limit:
                continue
            if day.overtime and not self.overtime_left():
                break
            if day.overtime and self.ot_allowed is not None and (k, d) not in self.ot_allowed:
                continue
            if self.unit_day(k, d, banned):
                crew += c

    def start_of(self, k: int) -> int | None:
        """Where unit k starts a day: its base until its first field day, then its home."""
        return day_start(self.inst, k, k in self.went_out)

    def unit_day(self, k: int, d: int, banned: np.ndarray) -> bool:
        """Unit k's best route on day d (or a trip from it); False when it stays home."""
        inst, params = self.inst, self.params
        caps = inst.caps(self.remaining)
        w = self.weight(k, d) if callable(self.weight) else self.weight
        start = self.start_of(k)
        seq = self.builder.build(k, d, caps, w, banned, params.first_villages,
                                 params.shortlist, start=start)
        draft = realise(inst, k, d, seq, caps, start) if seq else None
        if self.trips is not None and inst.units[k].unit.max_nights > 0 \
                and d >= self.no_trip_before.get(k, 0):
            value = 0.0 if draft is None else draft_value(inst, draft)
            trip = self.trips.best(self, k, d, caps, w, banned, value)
            if trip is not None:
                self.book(trip, banned)
                return True
            self.no_trip_before[k] = d + params.trip_retry_days  # the backlog moves slowly
        if draft is None:
            return False
        self.book([draft], banned)
        return True

    def can_continue(self, k: int, d: int, overtime_days: int) -> bool:
        """Whether a trip of unit k can go on through day d: the unit free, its crew within
        the staff left after booked trips, and overtime left (`overtime_days` already in the
        trip)."""
        inst = self.inst
        if (k, d) in self.busy:
            return False
        limit = inst.staff(d)
        if limit is not None and self.booked_crew.get(d, 0) + inst.units[k].unit.crew > limit:
            return False
        if inst.days[d].overtime:
            if self.budget is not None and self.ot_used + overtime_days >= self.budget:
                return False
            if self.ot_allowed is not None and (k, d) not in self.ot_allowed:
                return False
        return True

    def note(self, dr: Draft) -> None:
        """A unit-day taken ahead of its day: its villages, crew and unit are booked."""
        self.booked_banned.setdefault(dr.d, np.zeros(self.inst.n, bool))[list(dr.seq)] = True
        self.booked_crew[dr.d] = self.booked_crew.get(dr.d, 0) + self.inst.units[dr.k].unit.crew
        self.busy.add((dr.k, dr.d))

    def book(self, drafts: list[Draft], banned_today: np.ndarray) -> None:
        """Add the drafts (one day, or a trip's days from today on) to the plan."""
        today = drafts[0].d
        for dr in drafts:
            for j, r in zip(dr.seq, dr.rec):
                self.remaining[j] -= r
            if dr.d == today:
                banned_today[list(dr.seq)] = True
            else:
                self.note(dr)
            if self.inst.days[dr.d].overtime:
                self.ot_used += 1
            self.drafts.append(dr)
            self.went_out.add(dr.k)
