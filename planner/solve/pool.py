"""The route pool: candidate day routes per unit-day, gathered by the search for the
set-partitioning master (`master.choose_routes`). On tiny instances it holds every
possible day route, so the master's optimum is the optimum."""
from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np

from ..instance import Instance
from .allocate import is_trip_day, trips
from .drafts import Draft, best_order, draft_starts, route_travel


class RoutePool:
    """Village sequences per (unit k, day d), at most `per_unit_day` from the search, and
    trips (tuples of drafts without people), at most `most_trips`; the incumbent's routes and
    trips always."""

    def __init__(self, inst: Instance, per_unit_day: int, routes: dict | None = None,
                 most_trips: int = 500):
        self.inst, self.per_unit_day, self.most_trips = inst, per_unit_day, most_trips
        self.routes: dict[tuple[int, int], set[tuple[int, ...]]] = routes or {}
        self.exhaustive = routes is not None  # every possible day route is in
        self.trips: set[tuple[Draft, ...]] = set()

    def add(self, drafts: list[Draft], always: bool = False) -> None:
        trip_days = []
        for dr in drafts:
            if is_trip_day(self.inst, dr):
                trip_days.append(dr)
                continue
            seqs = self.routes.setdefault((dr.k, dr.d), set())
            if always or len(seqs) < self.per_unit_day:
                seqs.add(tuple(dr.seq))
        for group in trips(self.inst, trip_days):
            if always or len(self.trips) < self.most_trips:
                self.trips.add(tuple(replace(dr, rec=(), last=None) for dr in group))

    def add_incumbent(self, drafts: list[Draft]) -> None:
        """The incumbent's routes and trips, whatever the pool holds already."""
        self.add(drafts)
        self.add(drafts, always=True)


def every_route(inst: Instance, most_routes: int, most_villages: int):
    """Every possible day route (village set in its least-travel order) of every unit-day,
    or None when some unit-day has more than `most_villages` candidates or there are more
    than `most_routes` routes in all."""
    pool = {}
    total = 0
    for d, day in enumerate(inst.days):
        for k, ud in enumerate(inst.units):
            if not inst.available(k, d):
                continue
            open_ = ud.allowed & inst.counts_mask[d] & inst.village_open[d] & (inst.backlog > 0)
            ok = [int(j) for j in np.flatnonzero(open_)]
            if len(ok) > most_villages:
                return None
            total += 2 ** len(ok)
            if total > most_routes:
                return None
            seqs = set()
            for size in range(1, len(ok) + 1):
                for subset in itertools.combinations(ok, size):
                    # from the base, and from home (a later day) where that is elsewhere
                    for start in draft_starts(inst, k):
                        seq = tuple(best_order(inst, k, list(subset), start))
                        if route_travel(inst, k, seq, start) <= day.end - day.start:
                            seqs.add(seq)
            if seqs:
                pool[(k, d)] = seqs
    return pool
