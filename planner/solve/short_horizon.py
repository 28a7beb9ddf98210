"""Short horizons (one to a few days): each day's routes from the prize-collecting day-route
engine (`route_engine.solve_routes`, PyVRP inside), days in order, backlogs carried over.

Only where a day is the engine's problem exactly: all units record at the same rate (the
engine's service time is per village), share one travel matrix, and no staff limit or
overtime budget has to pick which units go out.
"""
from __future__ import annotations

import numpy as np

from ..instance import Instance
from ..rules import service_seconds
from .allocate import fill_exact
from .drafts import Draft, day_start
from .engine_model import Client, Vehicle
from .params import SearchParams
from .route_engine import solve_routes

MIN_DAY_RUN = 0.5  # seconds: the shortest engine run for one day


def engine_applies(inst: Instance, params: SearchParams) -> bool:
    """Whether the horizon is short and every day is the engine's problem (see module)."""
    if not 0 < len(inst.days) <= params.engine_max_days:
        return False
    return (len({u.person_s for u in inst.units}) == 1
            and len({id(u.matrix) for u in inst.units}) == 1)


def engine_drafts(inst: Instance, time_limit: float, seed: int, deterministic: bool,
                  params: SearchParams) -> list[Draft] | None:
    """Drafts of every day from the engine, or None when it does not apply."""
    if not engine_applies(inst, params):
        return None
    if not deterministic and time_limit < MIN_DAY_RUN * len(inst.days):
        return None  # earlier phases (the trip engine's tours) took the engine's time
    budget = inst.scenario.staff.overtime_unit_days
    overtime = sum(1 for d, day in enumerate(inst.days) if day.overtime
                   for k in range(len(inst.units)) if inst.available(k, d))
    if budget is not None and overtime > budget:
        return None  # the budget, over all the days, would have to pick who goes out
    remaining = inst.backlog.copy()
    drafts = []
    out_before: set[int] = set()  # units that have had a field day: they start at home
    for d, day in enumerate(inst.days):
        ks = [k for k in range(len(inst.units)) if inst.available(k, d)]
        limit = inst.staff(d)
        if limit is not None and sum(inst.units[k].unit.crew for k in ks) > limit:
            return None
        caps = inst.caps(remaining)
        clients = day_clients(inst, d, caps)
        vehicles = [day_vehicle(inst, k, d, went_out=k in out_before) for k in ks]
        if not clients or not vehicles:
            continue
        routes = solve_routes(inst.units[0].matrix, vehicles, clients,
                              time_limit=max(MIN_DAY_RUN, time_limit / len(inst.days)), seed=seed,
                              max_iterations=params.engine_iterations if deterministic else None)
        node_to_village = {int(node): j for j, node in enumerate(inst.nodes)}
        for k, route in zip(ks, routes):
            seq = [node_to_village[int(c)] for c in route]
            if not seq:
                continue
            start = day_start(inst, k, k in out_before)
            rec = fill_exact(inst, k, d, seq, {j: int(caps[j]) for j in seq}, inst.priority,
                             start)
            keep = [(j, r) for j, r in zip(seq, rec) if r > 0]
            if keep:
                for j, r in keep:
                    remaining[j] -= r
                drafts.append(Draft(k, d, tuple(j for j, _ in keep), tuple(r for _, r in keep),
                                    start=start))
                out_before.add(k)
    return drafts


def day_clients(inst: Instance, d: int, caps: np.ndarray) -> list[Client]:
    """Villages whose recordings on day d count, each worth its weighted turnout cap (at
    most what one visit can record in a shift)."""
    day = inst.days[d]
    kits = inst.units[0].unit.kits
    most = max(1, inst.max_people(0, day.end - day.start))
    clients = []
    for j in np.flatnonzero(inst.counts_mask[d] & inst.village_open[d] & (caps > 0)):
        j = int(j)
        r = min(int(caps[j]), most)
        if inst.integer_priority[j] <= 0:
            continue
        clients.append(Client(int(inst.nodes[j]), int(inst.integer_priority[j]) * r,
                               service_seconds(inst.scenario, kits, r)))
    return clients


def day_vehicle(inst: Instance, k: int, d: int, went_out: bool = False) -> Vehicle:
    """Unit k on day d, from where it starts (`day_start`), with the villages it may
    serve."""
    ud, day = inst.units[k], inst.days[d]
    start = day_start(inst, k, went_out)
    allowed = None if ud.allowed.all() else frozenset(int(x) for x in inst.nodes[ud.allowed])
    return Vehicle(ud.base if start is None else start, ud.end, day.start, day.end, allowed)
