"""The pooled whole-horizon model of the PyVRP peer (`bench.peer`): the unit-days that may
work, pooled into vehicle types, and the villages' visits offered as optional clients, as
PyVRP `ProblemData`. Step 1 of the method in `bench.peer`'s docstring."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import pyvrp

from planner.instance import Instance
from planner.network import UNREACHABLE
from planner.rules import most_people, recording_seconds, service_seconds
from planner.scenario.model import Scenario

MAX_COPIES = 6  # visits offered per village
MAX_LOCATIONS = 2000  # copies x kits classes x villages; bounds the matrices' memory
MAX_CLIENTS = 5000  # bounds PyVRP's neighbourhood (clients squared) and its iterations' time
VERSION_STEP_S = 2 * 3600  # a big visit is also offered in parts, one per 2 h of service
CLAMP = 10**9  # an unusable leg: longer than any day, far inside int64


@dataclass
class Pool:
    """One PyVRP vehicle type: unit-days of one speed, kits, generator, home, shift window
    and overtime class."""

    profile: int  # routing profile (speed, kits, generator)
    home: int  # matrix index: where its days start and end
    window: tuple[int, int]  # shift start, end (seconds)
    overtime: bool
    slots: list[tuple[int, int]] = field(default_factory=list)  # (field day, unit), by date
    num_available: int = 0


@dataclass(frozen=True)
class Offer:
    """One PyVRP client: village j's copy-th visit recording `people`, for units of `kits`."""

    j: int
    copy: int
    people: int
    kits: int
    location: int
    group: int


@dataclass
class PeerRoute:
    """A route of the model's solution: its vehicle type and its clients in visiting order."""

    pool: int
    visits: list[Offer]


def day_trips_only(scenario: Scenario) -> Scenario:
    """The scenario with no unit staying away overnight (the peer plans day trips)."""
    if all(u.max_nights == 0 for u in scenario.units):
        return scenario
    return scenario.replace(units=[u.replace(max_nights=0) for u in scenario.units])


def staffed_slots(inst: Instance) -> list[tuple[int, int]]:
    """(field day, unit) pairs that may work, fixed ahead: each day the free units in a fixed
    order (generator first, then most kits per crew member) while their crews fit the staff."""
    order = sorted(range(len(inst.units)), key=lambda k: (
        not inst.units[k].unit.generator, -inst.units[k].unit.kits / inst.units[k].unit.crew, k))
    out = []
    for d in range(len(inst.days)):
        limit, crew = inst.staff(d), 0
        for k in order:
            c = inst.units[k].unit.crew
            if inst.available(k, d) and (limit is None or crew + c <= limit):
                out.append((d, k))
                crew += c
    return out


class PeerModel:
    """The pooled whole-horizon model of one scenario (step 1 of the module docstring)."""

    def __init__(self, inst: Instance, warm: dict[tuple[int, int, int], set[int]] | None = None):
        self.inst = inst
        self.warm = warm or {}  # (village, copy, kits) -> people the warm start records
        units = [ud.unit for ud in inst.units]
        self.profile_keys = sorted({(inst.scenario.unit_speed(u), u.kits, u.generator)
                                    for u in units})
        self.pools = self.make_pools()
        self.homes = sorted({p.home for p in self.pools})
        self.kits_classes = sorted({u.kits for u in units})
        self.longest = max((d.end - d.start for d in inst.days), default=0)
        self.offers, self.locations = self.make_offers()

    def profile_of(self, k: int) -> int:
        """Unit k's routing profile: its speed, kits and generator."""
        u = self.inst.units[k].unit
        return self.profile_keys.index((self.inst.scenario.unit_speed(u), u.kits, u.generator))

    def make_pools(self) -> list[Pool]:
        """The vehicle types and their unit-days; the overtime budget goes to the overtime
        types in the order of `staffed_slots` (generator first, then most kits)."""
        inst = self.inst
        pools: dict[tuple, Pool] = {}
        for d, k in staffed_slots(inst):
            day = inst.days[d]
            key = (self.profile_of(k), inst.units[k].end, day.start, day.end, day.overtime)
            pools.setdefault(key, Pool(key[0], key[1], (day.start, day.end), day.overtime))
            pools[key].slots.append((d, k))
        out = list(pools.values())
        left = inst.scenario.staff.overtime_unit_days
        for p in sorted(out, key=lambda p: (not self.profile_keys[p.profile][2],
                                            -self.profile_keys[p.profile][1])):
            p.num_available = len(p.slots)
            if p.overtime and left is not None:
                p.num_available = min(len(p.slots), left)
                left -= p.num_available
        return [p for p in out if p.num_available > 0]

    def pool_for(self, k: int, d: int, used: dict[int, int]) -> int | None:
        """A vehicle type with room left (`used` per type) that can drive unit k's route on
        day d: same speed, kits, home, shift window and overtime class, and a generator if
        unit k has one."""
        speed, kits, generator = self.profile_keys[self.profile_of(k)]
        day = self.inst.days[d]
        for i, p in enumerate(self.pools):
            s, c, g = self.profile_keys[p.profile]
            if (s, c, p.home, p.window, p.overtime) == (
                    speed, kits, self.inst.units[k].end, (day.start, day.end), day.overtime) \
                    and (g or not generator) and used[i] < p.num_available:
                return i
        return None

    def increments(self, j: int, copies: int, most: int) -> list[int]:
        """People of village j's first `copies` visits: each the turnout of what the visits
        before left, or `most` (what one day's visit can record) if that is less."""
        left, out = int(self.inst.backlog[j]), []
        for _ in range(copies):
            cap = min(self.inst.cap(j, left), most)
            if cap <= 0:
                break
            out.append(cap)
            left -= cap
        return out

    def day_most(self, j: int, reach: dict) -> int:
        """The most one day trip records at village j (longest shift, nearest home, any kits)."""
        return max(most_people(self.longest - reach[j, kits], self.inst.setup_s,
                               recording_seconds(self.inst.scenario, kits))
                   for kits in self.kits_classes if reach[j, kits] is not None)

    def versions(self, kits: int, rt: int, people: int) -> list[int]:
        """People of the versions of one visit for a kits class whose nearest home is `rt`
        seconds away there and back: what fits in each shift window (the whole increment if
        it does), and, when that takes more than VERSION_STEP_S, parts of it, one every
        VERSION_STEP_S of service."""
        inst = self.inst
        person = recording_seconds(inst.scenario, kits)
        windows = sorted({p.window[1] - p.window[0] for p in self.pools})
        out = {min(people, most_people(w - rt, inst.setup_s, person)) for w in windows}
        steps = range(VERSION_STEP_S, int(inst.setup_s + max(out) * person), VERSION_STEP_S)
        out |= {most_people(t, inst.setup_s, person) for t in steps}
        return sorted(r for r in out if 0 < r <= max(out))

    def round_trip(self, j: int, kits: int) -> int | None:
        """Shortest day trip (home, village, home) of a unit of `kits` that may serve j."""
        inst, node = self.inst, int(self.inst.nodes[j])
        trips = [int(ud.matrix[ud.end, node] + ud.matrix[node, ud.end]) for ud in inst.units
                 if ud.unit.kits == kits and ud.servable[j]]
        best = min(trips, default=UNREACHABLE)
        return None if best >= UNREACHABLE else best

    def make_offers(self) -> tuple[list[Offer], list[tuple[int, int]]]:
        """The clients and their locations ((village, copy) per location; depots first):
        MAX_COPIES copies of every village that some unit can serve on a day trip and whose
        visits can count, fewer while there would be more than MAX_LOCATIONS locations or
        MAX_CLIENTS clients."""
        inst = self.inst
        self.n_groups = 0
        if not self.pools:
            return [], []
        counting = inst.counts_mask.any(axis=0)
        reach = {(j, kits): self.round_trip(j, kits) for j in range(inst.n)
                 for kits in self.kits_classes}
        served = [j for j in range(inst.n) if counting[j]
                  and any(reach[j, kits] is not None for kits in self.kits_classes)]
        per_copy = max(1, len(served) * len(self.kits_classes))
        copies = max(1, min(MAX_COPIES, MAX_LOCATIONS // per_copy))
        while True:
            offers, locations = self.offers_of(served, reach, copies)
            if len(offers) <= MAX_CLIENTS or copies == 1:
                return offers, locations
            copies -= 1

    def offers_of(self, served: list[int], reach: dict, copies: int):
        """`make_offers` with `copies` copies per village; sets `n_groups`."""
        offers, locations, groups = [], [(-1, 0)] * len(self.homes), 0
        for j in served:
            for c, people in enumerate(self.increments(j, copies, self.day_most(j, reach)),
                                       start=1):
                made = False
                for kits in self.kits_classes:
                    if reach[j, kits] is None:
                        continue
                    rs = set(self.versions(kits, reach[j, kits], people))
                    rs = sorted(rs | {min(r, people) for r in self.warm.get((j, c, kits), ())})
                    if rs:
                        locations.append((j, c))
                        offers += [Offer(j, c, r, kits, len(locations) - 1, groups) for r in rs]
                        made = True
                groups += made
        self.n_groups = groups
        return offers, locations

    def matrix(self, profile: int) -> np.ndarray:
        """Travel seconds between the model's locations for one profile: legs to clients of
        another kits class or, without a generator, to villages without power are unusable,
        and so are legs between two copies of one village."""
        inst = self.inst
        _, kits, generator = self.profile_keys[profile]
        k = next(k for k in range(len(inst.units)) if self.profile_of(k) == profile)
        villages = [j for j, _ in self.locations[len(self.homes):]]
        nodes = np.array(self.homes + [int(inst.nodes[j]) for j in villages])
        m = np.minimum(inst.units[k].matrix[np.ix_(nodes, nodes)], CLAMP).astype(np.int64)
        kits_of = np.zeros(len(nodes), np.int64)
        for o in self.offers:
            kits_of[o.location] = o.kits
        power = np.array([True] * len(self.homes)
                         + [inst.scenario.villages[j].power for j in villages])
        banned = np.flatnonzero(((kits_of != kits) & (kits_of > 0)) | (~power & (not generator)))
        m[banned, :] = CLAMP
        m[:, banned] = CLAMP
        by_village = defaultdict(list)
        for loc, (j, _) in enumerate(self.locations):
            if j >= 0:
                by_village[j].append(loc)
        for locs in by_village.values():
            if len(locs) > 1:
                m[np.ix_(locs, locs)] = CLAMP
        np.fill_diagonal(m, 0)
        return m

    def prize_scale(self) -> int:
        """Weight of one person at priority 1: more than a day's travel and an overtime day."""
        return 2 * self.longest + 1

    def data(self) -> pyvrp.ProblemData:
        inst, scale = self.inst, self.prize_scale()
        weight = inst.integer_priority
        coords = [(0.0, 0.0)] * len(self.homes) + [self.coords(j) for j, _ in
                                                   self.locations[len(self.homes):]]
        clients = [pyvrp.Client(o.location, service_duration=service_seconds(
                       inst.scenario, o.kits, o.people), prize=int(weight[o.j]) * o.people * scale,
                       required=False, group=o.group) for o in self.offers]
        members = defaultdict(list)
        for i, o in enumerate(self.offers):
            members[o.group].append(i)
        types = [pyvrp.VehicleType(p.num_available, start_depot=self.homes.index(p.home),
                                   end_depot=self.homes.index(p.home), tw_early=p.window[0],
                                   tw_late=p.window[1], fixed_cost=self.longest * p.overtime,
                                   profile=p.profile) for p in self.pools]
        matrices = [self.matrix(p) for p in range(len(self.profile_keys))]
        return pyvrp.ProblemData(
            locations=[pyvrp.Location(x, y) for x, y in coords], clients=clients,
            depots=[pyvrp.Depot(i) for i in range(len(self.homes))], vehicle_types=types,
            distance_matrices=matrices, duration_matrices=matrices,
            groups=[pyvrp.ClientGroup(members[g], required=False) for g in range(self.n_groups)])

    def coords(self, j: int) -> tuple[float, float]:
        v = self.inst.scenario.villages[j]
        return (v.x, v.y) if v.x is not None else (v.lon, v.lat)

    def prize_value(self, solution: pyvrp.Solution) -> float:
        """Σ priority x people of every client the solution visits (same-route copies too)."""
        return float(sum(self.inst.priority[self.offers[a.idx].j] * self.offers[a.idx].people
                         for route in solution.routes() for a in route if a.is_client()))

    def model_value(self, routes: list[PeerRoute]) -> float:
        """Σ priority x people of the model's routes (every client visited counts)."""
        return float(sum(self.inst.priority[o.j] * o.people for r in routes for o in r.visits))
