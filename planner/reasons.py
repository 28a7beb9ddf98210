"""Why a village keeps backlog after a plan: one reason per village, the same whichever
planner made the plan.

The reasons are tested from the most fundamental to the least: no day on which anyone can go
out; no path at all; no unit that may serve the village (power); no unit that can make a day
trip there with one recording; priority 0; the offline cut-off; and otherwise capacity (the
units had better uses for their days).
"""
from __future__ import annotations

import datetime as dt

import numpy as np

from .instance import Instance
from .network import UNREACHABLE

REASON_NO_DAYS = "no field day with an available unit before the deadline"
REASON_UNREACHABLE = "no route: not reachable from any base"
REASON_GENERATOR = "needs a generator; no unit has one"
REASON_TOO_FAR = "too far: a day trip with one recording does not fit in any shift"
REASON_GENERATOR_FAR = "needs a generator; no unit with one can make a day trip there"
REASON_PRIORITY = "priority 0: recordings there do not add to the objective"
REASON_OFFLINE = "offline: results would arrive after the deadline"
REASON_CAPACITY = "not enough unit-days before the deadline"


def anyone_out(inst: Instance, d: int) -> bool:
    """Whether some unit may go out on field day d (availability, staff, overtime budget)."""
    if inst.days[d].overtime and inst.scenario.staff.overtime_unit_days == 0:
        return False
    limit = inst.staff(d)
    return any(inst.available(k, d) and (limit is None or ud.unit.crew <= limit)
               for k, ud in enumerate(inst.units))


def left_out_reasons(inst: Instance, recorded: np.ndarray) -> dict[str, str]:
    """A plain reason for every village whose backlog `recorded` (people per village, in the
    order of `scenario.villages`) does not clear."""
    usable = [d for d in range(len(inst.days)) if anyone_out(inst, d)]
    earliest = min((inst.days[d].date for d in usable), default=None)
    longest = max((inst.days[d].end - inst.days[d].start for d in usable), default=0)
    reach = np.zeros(inst.n, bool)
    fits = np.zeros(inst.n, bool)
    fits_generator = np.zeros(inst.n, bool)
    for ud in inst.units:
        r = (ud.from_base < UNREACHABLE) & (ud.to_end < UNREACHABLE)
        f = r & (ud.from_base + ud.to_end + inst.setup_s + ud.person_s <= longest)
        reach |= r
        fits |= f
        if ud.unit.generator:
            fits_generator |= f
    has_generator = any(ud.unit.generator for ud in inst.units)
    deadline = inst.scenario.calendar.deadline
    out: dict[str, str] = {}
    for j, v in enumerate(inst.scenario.villages):
        if v.unrecorded - recorded[j] <= 0:
            continue
        if earliest is None:
            reason = REASON_NO_DAYS
        elif not reach[j]:
            reason = REASON_UNREACHABLE
        elif not v.power and not has_generator:
            reason = REASON_GENERATOR
        elif not fits[j]:
            reason = REASON_TOO_FAR
        elif not v.power and not fits_generator[j]:
            reason = REASON_GENERATOR_FAR
        elif v.priority <= 0:
            reason = REASON_PRIORITY
        elif earliest + dt.timedelta(days=inst.scenario.village_turnaround(v)) > deadline:
            reason = REASON_OFFLINE
        else:
            reason = REASON_CAPACITY
        out[v.id] = reason
    return out
