"""OR-Tools routing adapter for the day-route engine (the second engine, for comparison).

Optional clients are disjunctions whose penalty is the prize (scaled so that one prize point
outweighs any feasible travel, as in the PyVRP adapter, but capped against int64 overflow).
Time is a dimension over the transit matrix (travel + service at the origin), with slack for
a late departure; arc cost is travel. Matrices go in through RegisterTransitMatrix, not Python
callbacks. Routing has no seed: `max_iterations` maps to a solution limit (deterministic).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from .engine_model import CLAMP, Client, Vehicle, depot_indices

# Penalties summed over all clients stay far inside int64.
PENALTY_CEILING = 2**62 // 4


def solve_ortools(matrix: np.ndarray, vehicles: Sequence[Vehicle], clients: Sequence[Client],
                  time_limit: float, seed: int = 0, initial: list[list[int]] | None = None,
                  max_iterations: int | None = None) -> list[list[int]]:
    """Best routes OR-Tools routing finds (one per vehicle, client matrix indices)."""
    depots = depot_indices(vehicles)
    nodes = depots + [c.index for c in clients]
    manager = pywrapcp.RoutingIndexManager(
        len(nodes), len(vehicles), [depots.index(v.start) for v in vehicles],
        [depots.index(v.end) for v in vehicles])
    routing = pywrapcp.RoutingModel(manager)
    _add_model(routing, manager, matrix, vehicles, clients, nodes, len(depots))
    params = _search_parameters(time_limit, max_iterations)
    position = {c.index: len(depots) + j for j, c in enumerate(clients)}
    solution = None
    if initial:
        routing.CloseModelWithParameters(params)
        start = routing.ReadAssignmentFromRoutes(
            [[manager.NodeToIndex(position[c]) for c in r if c in position] for r in initial], True)
        if start is not None:
            solution = routing.SolveFromAssignmentWithParameters(start, params)
    if solution is None:
        solution = routing.SolveWithParameters(params)
    if solution is None:
        return [[] for _ in vehicles]
    out = []
    for k in range(len(vehicles)):
        route = []
        i = solution.Value(routing.NextVar(routing.Start(k)))
        while not routing.IsEnd(i):
            route.append(nodes[manager.IndexToNode(i)])
            i = solution.Value(routing.NextVar(i))
        out.append(route)
    return out


def _add_model(routing, manager, matrix, vehicles, clients, nodes, nd) -> None:
    """Travel as arc cost, a time dimension (travel + service) within each shift, and each
    client an optional disjunction whose penalty is its scaled prize."""
    sub = np.minimum(matrix[np.ix_(nodes, nodes)].astype(np.int64), CLAMP)
    service = np.array([0] * nd + [int(c.service) for c in clients], dtype=np.int64)
    travel = routing.RegisterTransitMatrix(sub.tolist())
    timed = routing.RegisterTransitMatrix((sub + service[:, None]).tolist())
    routing.SetArcCostEvaluatorOfAllVehicles(travel)
    horizon = max(v.tw_end for v in vehicles)
    routing.AddDimension(timed, horizon, horizon, False, "time")
    time_dim = routing.GetDimensionOrDie("time")
    for k, v in enumerate(vehicles):
        time_dim.CumulVar(routing.Start(k)).SetRange(int(v.tw_start), int(v.tw_end))
        time_dim.CumulVar(routing.End(k)).SetRange(int(v.tw_start), int(v.tw_end))
    span = sum(max(0, v.tw_end - v.tw_start) for v in vehicles) + 1
    total = max(1, sum(c.prize for c in clients))
    scale = max(1, min(span, PENALTY_CEILING // total))
    for j, c in enumerate(clients):
        node = manager.NodeToIndex(nd + j)
        routing.AddDisjunction([node], int(c.prize) * scale)
        banned = [k for k, v in enumerate(vehicles) if not v.may_serve(c.index)]
        if banned:
            routing.VehicleVar(node).RemoveValues(banned)


def _search_parameters(time_limit: float, max_iterations: int | None):
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = (
        routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION)
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH)
    if max_iterations is not None:
        params.solution_limit = max(1, int(max_iterations))
        params.time_limit.FromSeconds(3600)
    else:
        params.time_limit.FromMilliseconds(max(1, int(time_limit * 1000)))
    return params
