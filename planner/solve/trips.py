"""Overnight trips in the construction (DESIGN §3 "Trips").

For a unit that may stay away (`max_nights > 0`), on a day it would leave home, a trip is
tried against the day trip: go to a lodging (visiting villages on the way), work the
villages around it from there on the following days, and come home on the last. The
lodgings tried are those whose surroundings hold the most weighted backlog that a day trip
from home reaches only with much more driving (`candidates`). A trip goes on while a day from
the lodging records at least what a day from home would; it is taken when its days record
more on average than the day trip does today.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..instance import Instance
from ..network import UNREACHABLE
from .allocate import draft_value, realise
from .drafts import Draft, route_travel
from .params import SearchParams


@dataclass
class TripDays:
    """The days a trip starting on `days[0]` may last, and its growing drafts."""

    k: int
    days: list[int]
    lodging: int
    drafts: list[Draft]
    value: float = 0.0


class TripPlanner:
    """Trips for the construction; `best` proposes one or None."""

    def __init__(self, inst: Instance, builder, params: SearchParams):
        self.inst, self.builder, self.params = inst, builder, params
        self.round_trips: dict[int, np.ndarray] = {}  # unit -> lodgings x villages, seconds
        for k, ud in enumerate(inst.units):
            if ud.unit.max_nights > 0 and inst.lodgings.size:
                m = ud.matrix
                self.round_trips[k] = (m[np.ix_(inst.lodgings, inst.nodes)]
                                       + m[np.ix_(inst.nodes, inst.lodgings)].T)

    def trip_days(self, work, k: int, d: int) -> list[int]:
        """Day d and the consecutive field days after it that a trip of unit k can last."""
        days, overtime = [d], int(self.inst.days[d].overtime)
        limit = self.inst.units[k].unit.max_nights + 1
        while len(days) < limit:
            e = self.inst.next_day(k, days[-1])
            if e is None or not work.can_continue(k, e, overtime):
                break
            days.append(e)
            overtime += int(self.inst.days[e].overtime)
        return days

    def candidates(self, k: int, d: int, counting_day: int, caps, weight, banned) -> list[int]:
        """Matrix indices of the lodgings most worth a trip: the weighted backlog a day from
        each reaches, by the driving it saves against a day trip from home."""
        inst = self.inst
        if k not in self.round_trips:
            return []
        ud, day = inst.units[k], inst.days[d]
        shift = day.end - day.start
        rt_lodging = self.round_trips[k]
        home = ud.end
        rt_home = ud.matrix[home, inst.nodes] + ud.matrix[inst.nodes, home]
        open_ = ud.servable & inst.counts_mask[counting_day] & (caps > 0) & ~banned
        reach = rt_lodging + (float(inst.setup_s) + float(ud.person_s)) <= shift
        saved = np.minimum(np.where(rt_home >= UNREACHABLE, shift, rt_home)[None, :]
                           - rt_lodging, shift)
        worth = (weight * caps * open_)[None, :] * reach * np.maximum(saved, 0)
        score = worth.sum(axis=1)
        top = [int(i) for i in np.argsort(-score)[:self.params.trip_lodgings] if score[i] > 0]
        return [int(inst.lodgings[i]) for i in top]

    def best(self, work, k: int, d: int, caps, weight, banned, day_value: float):
        """The trip from day d worth more a day than `day_value`, as its drafts, or None."""
        days = self.trip_days(work, k, d)
        if len(days) < 2:
            return None
        best, best_rate = None, day_value + 1e-9
        for lodging in self.candidates(k, d, days[-1], caps, weight, banned):
            if not self.inst.lodging_open(days, lodging):  # closed on a day of the trip
                continue
            trip = self.plan_trip(work, TripDays(k, days, lodging, []), weight, banned, day_value)
            if trip is not None and trip.value / len(trip.drafts) > best_rate:
                best, best_rate = trip, trip.value / len(trip.drafts)
        return None if best is None else best.drafts

    def plan_trip(self, work, trip: TripDays, weight, banned, day_value: float):
        """Day one to the lodging; then from it, staying while a day there records at least
        a day from home would, and home on the last day. None when a leg does not fit."""
        inst = self.inst
        remaining = work.remaining.copy()
        counting_day = trip.days[-1]
        start = work.start_of(trip.k)
        for i, d in enumerate(trip.days):
            last = i == len(trip.days) - 1
            day_banned = banned if i == 0 else work.booked_banned.get(d, np.zeros(inst.n, bool))
            ends = [(start, trip.lodging)] if i == 0 else [(trip.lodging, None)]
            if i > 0 and not last:
                ends.append((trip.lodging, trip.lodging))
            options = [self.day_route(trip.k, d, s, e, remaining, weight, day_banned, counting_day)
                       for s, e in ends]
            choice = options[0]
            if len(options) == 2 and options[1] is not None and (
                    choice is None or options[1][1] >= max(choice[1], day_value)):
                choice = options[1]
            if choice is None:
                return None
            draft, value = choice
            trip.drafts.append(draft)
            trip.value += value
            for j, r in zip(draft.seq, draft.rec):
                remaining[j] -= r
            if not draft.away_at_night(inst):
                break
        return trip

    def day_route(self, k, d, start, end, remaining, weight, banned, counting_day):
        """(draft, value) of unit k's best day from `start` to `end` (a day that only moves
        the team when nothing fits); None when even the move does not fit the day."""
        inst, params = self.inst, self.params
        day = inst.days[d]
        if route_travel(inst, k, [], start, end) > day.end - day.start:
            return None
        caps = inst.caps(remaining)
        seq = self.builder.build(k, d, caps, weight, banned, params.first_villages,
                                 params.shortlist, start=start, end=end,
                                 counting_day=counting_day)
        draft = realise(inst, k, d, seq, caps, start, end) if seq else None
        if draft is None:
            return Draft(k, d, (), (), start=start, end=end), 0.0
        return draft, draft_value(inst, draft)
