"""The solution read out: drafts (unit-day, village order, people) become a `Plan` whose
routes carry exact times, before anything prints or writes it."""
from __future__ import annotations

from ..instance import Instance
from ..plan import Plan, Route, Stop
from ..rules import service_seconds
from .drafts import Draft, chain


def to_route(inst: Instance, dr: Draft) -> Route:
    """Leave at shift start, start each visit on arrival, service rounded up to a second."""
    ud = inst.units[dr.k]
    day = inst.days[dr.d]
    m, nodes = ud.matrix, inst.nodes
    t = day.start
    start, sleep = dr.ends(inst)
    here = start
    stops = []
    total = 0
    for j, r in zip(dr.seq, dr.rec):
        node = int(nodes[j])
        leg = int(m[here, node])
        t += leg
        total += leg
        done = t + service_seconds(inst.scenario, ud.unit.kits, r)
        stops.append(Stop(inst.scenario.villages[j].id, t, t, done, int(r), leg))
        t = done
        here = node
    leg = int(m[here, sleep])
    total += leg
    t += leg
    if t > day.end:
        raise ValueError(f"route of {ud.unit.id} on {day.date} ends at {t} after {day.end}")
    ids = inst.network.ids
    return Route(ud.unit.id, day.date, day.day_type, day.start, t, tuple(stops), total,
                 start_place=ids[start], end_place=ids[sleep])


def to_plan(inst: Instance, drafts: list[Draft], solver: dict) -> Plan:
    routes = tuple(to_route(inst, dr) for dr in chain(inst, drafts))
    return Plan(inst.scenario, routes, solver)
