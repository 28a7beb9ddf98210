"""Which hotel sequences a multi-day tour should try (the trip engine's hotel selection).

A tour of D days has D - 1 nights, each at one of H hotels: up to H^(D-1) sequences, far too
many to plan each (11 hotels and 7 days: 1.8 million). Following Divsalar et al. (2013), each
day between two hotels is first priced on its own: a greedy one-day orienteering route from
hotel a to hotel b within that day's limit (`day_sets`). A sequence's estimate is then the
value of the union of its days' villages, so that a sequence whose days all reap the same
dense area is not counted D times. A beam search over the nights (`beam`) keeps, after each
night, the best partial sequences ending at each hotel; the survivors are filled greedily by
the trip engine's own moves and ranked (`ranked`). The route engine then races the best of
them (`trip_routes.race`).
"""
from __future__ import annotations

import heapq
import time

from .trip_engine import Tour, TourProblem, TourSearch

PER_HOTEL = 200  # partial sequences the beam keeps per night and hotel


def day_sets(search: TourSearch, deadline: float) -> dict[tuple[int, int, int], int]:
    """{(day, from hotel, to hotel): villages (a bit per village position)} of a greedy
    one-day orienteering route, for every hop that fits its day; days with the same limit
    share their routes. Hops not priced by `deadline` are left out."""
    p, H, D = search.p, search.H, search.D
    hops = search.M[:H, :H]
    routes: dict[int, tuple[TourSearch, dict]] = {}
    out: dict[tuple[int, int, int], int] = {}
    for i in range(D):
        froms = [p.start] if i == 0 else [int(h) for h in search.night_hotels]
        tos = [p.end] if i == D - 1 else [int(h) for h in search.night_hotels]
        limit = int(search.limits[i])
        if limit not in routes:
            one = TourProblem(search.M, H, p.start, p.end, [limit], p.value, p.service, p.open_,
                              twin=p.twin)
            routes[limit] = (TourSearch(one, search.rng), {})
        day, memo = routes[limit]
        for a in froms:
            for b in tos:
                if hops[a, b] > limit:
                    continue
                if (a, b) not in memo:
                    if time.monotonic() > deadline:
                        continue
                    t = day.local(day.measure(Tour([a, b], [[]])))
                    memo[(a, b)] = sum(1 << v for v in t.days[0])
                out[i, a, b] = memo[(a, b)]
    return out


def beam(search: TourSearch, sets: dict[tuple[int, int, int], int],
         per_hotel: int = PER_HOTEL) -> list[list[int]]:
    """Complete hotel sequences (start .. end), best estimate first: the value of the union
    of their days' villages (`day_sets`), keeping `per_hotel` partial sequences per night
    and last hotel."""
    val = [float(x) for x in search.val]
    worth: dict[int, float] = {}

    def value(mask: int) -> float:
        if mask not in worth:
            total, rest = 0.0, mask
            while rest:
                low = rest & -rest
                total += val[low.bit_length() - 1]
                rest ^= low
            worth[mask] = total
        return worth[mask]

    layer = {search.p.start: [(0.0, [search.p.start], 0)]}
    for i in range(search.D):
        grown: dict[int, list] = {}
        for a, partial in layer.items():
            for b in range(search.H):
                mask = sets.get((i, a, b))
                if mask is None:
                    continue
                for _, seq, have in partial:
                    union = have | mask
                    grown.setdefault(b, []).append((value(union), seq + [b], union))
        layer = {b: heapq.nlargest(per_hotel, lst, key=lambda x: x[0])
                 for b, lst in grown.items()}
    return [seq for _, seq, _ in sorted(layer.get(search.p.end, []), key=lambda x: -x[0])]


def ranked(search: TourSearch, deadline: float) -> list[Tour]:
    """The beam's hotel sequences, each filled greedily by the search's local moves, best
    first; those not filled by `deadline` are left out."""
    now = time.monotonic()
    sets = day_sets(search, now + 0.5 * (deadline - now))
    out = []
    for hotels in beam(search, sets):
        if time.monotonic() > deadline:
            break
        t = search.local(search.measure(Tour(list(hotels), [[] for _ in range(search.D)])))
        if search.feasible(t):
            out.append(t)
    out.sort(key=Tour.key, reverse=True)
    return out


__all__ = ["day_sets", "beam", "ranked", "PER_HOTEL"]
