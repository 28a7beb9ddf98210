"""The day-route engine's problem: vehicles, optional clients, and exact route timing.

A vehicle is one unit on one day (start, end, shift window, the clients it may serve); a
client is a village with a prize and a service time. Times are int64 seconds on a travel
matrix. The engine adapters (`engine_pyvrp`, `engine_ortools`) read these; `route_engine`
re-times whatever they return here, in exact integers.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

# Unreachable legs are clamped to this: longer than any day (so never feasible), small enough
# that sums of a few thousand of them stay far inside int64.
CLAMP = 10**9


@dataclass(frozen=True)
class Vehicle:
    """One unit on one day."""

    start: int  # matrix index of where it leaves
    end: int  # matrix index of where it must be back
    tw_start: int  # earliest departure, seconds
    tw_end: int  # latest return, seconds
    allowed: frozenset[int] | None = None  # client matrix indices it may serve (None = all)

    def may_serve(self, index: int) -> bool:
        return self.allowed is None or index in self.allowed


@dataclass(frozen=True)
class Client:
    index: int  # matrix index
    prize: int  # collected if visited (>= 0, integer)
    service: int  # seconds spent there


def depot_indices(vehicles: Sequence[Vehicle]) -> list[int]:
    """The vehicles' start and end places, each once, in order of first use."""
    depots: list[int] = []
    for v in vehicles:
        for d in (v.start, v.end):
            if d not in depots:
                depots.append(d)
    return depots


def clamp_matrix(matrix: np.ndarray) -> np.ndarray:
    """int64 copy with unreachable entries clamped to CLAMP (never dropped)."""
    m = np.asarray(matrix, dtype=np.int64).copy()
    m[m >= CLAMP] = CLAMP
    return m


def path_seconds(matrix: np.ndarray, start: int, stops: Sequence[int], end: int) -> int:
    """Travel seconds of start -> stops in order -> end (matrix indices); 0 without stops:
    a unit with nothing to visit stays home."""
    if len(stops) == 0:
        return 0
    legs = [start, *stops, end]
    return int(sum(int(matrix[a, b]) for a, b in zip(legs, legs[1:])))


def vehicle_travel(matrix: np.ndarray, vehicle: Vehicle, route: Sequence[int]) -> int:
    """Travel seconds of a vehicle's route."""
    return path_seconds(matrix, vehicle.start, route, vehicle.end)


def route_end_time(matrix: np.ndarray, vehicle: Vehicle, route: Sequence[int],
                   service: dict[int, int]) -> int:
    """Return time at the end place when leaving at tw_start (exact integers; no waiting
    is ever needed because clients have no time windows of their own)."""
    t = int(vehicle.tw_start)
    here = vehicle.start
    for c in route:
        t += int(matrix[here, c]) + int(service[c])
        here = c
    return t + int(matrix[here, vehicle.end])


def route_feasible(matrix: np.ndarray, vehicle: Vehicle, route: Sequence[int],
                   service: dict[int, int]) -> bool:
    legs = [vehicle.start, *route, vehicle.end]
    if any(int(matrix[a, b]) >= CLAMP for a, b in zip(legs, legs[1:])):
        return False
    if not all(vehicle.may_serve(c) and c in service for c in route):
        return False
    return route_end_time(matrix, vehicle, route, service) <= vehicle.tw_end
