"""The PyVRP adapter of the day-route engine: its explore weighting and its portfolio of
starts."""
from __future__ import annotations

import numpy as np

from planner.solve import engine_pyvrp
from planner.solve.engine_model import Client, Vehicle
from planner.solve.engine_pyvrp import explore_weights


def test_explore_weights_hand_computed():
    # legs between clients all 1000 s, mean prize 10: a client is worth 0.4 x 1000 / 10 = 40
    # cost units per prize point, travel at 1 per second
    m = np.full((5, 5), 1000, dtype=np.int64)
    np.fill_diagonal(m, 0)
    clients = [Client(i, 10, 0) for i in range(2, 5)]
    assert explore_weights(m, clients) == (40, 1)
    assert explore_weights(m, clients, weight=1.0) == (100, 1)  # the portfolio's last start
    # prizes large against legs: the prize point stays 1 and a travel second costs more
    heavy = [Client(i, 2000, 0) for i in range(2, 5)]
    assert explore_weights(m, heavy) == (1, 5)  # 1 / (0.4 x 1000 / 2000) = 5


def _spy_starts(monkeypatch, keys):
    """Replace the portfolio's starts by stubs returning `keys` in turn; record the calls."""
    calls = []

    def fake_start(matrix, vehicles, clients, weight, exact, seed, initial, its, time_limit):
        calls.append((weight, seed, initial, its))
        key = keys[len(calls) - 1]
        return key, [[clients[len(calls) - 1].index]]

    monkeypatch.setattr(engine_pyvrp, "portfolio_start", fake_start)
    return engine_pyvrp, calls


def test_portfolio_runs_every_weight_and_keeps_the_best(monkeypatch):
    """No start serves every client: all weights run, fresh (the warm start only goes to the
    first), with the iteration budget split evenly, and the best (prize, -travel) wins."""
    pyvrp_adapter, calls = _spy_starts(monkeypatch, [(5, -100), (7, -300), (7, -200), (6, 0)])
    m = np.zeros((6, 6), dtype=np.int64)
    clients = [Client(i, 10, 0) for i in range(2, 6)]
    warm = [[2]]
    routes = pyvrp_adapter.solve_pyvrp(m, [Vehicle(0, 1, 0, 100)], clients, time_limit=1.0,
                                       seed=3, initial=warm, max_iterations=400)
    assert [c[0] for c in calls] == list(pyvrp_adapter.PORTFOLIO)
    assert [c[1] for c in calls] == [3, 5, 7, 9]  # a seed pair per start
    assert calls[0][2] == warm and all(c[2] is None for c in calls[1:])
    assert all(c[3] == 100 for c in calls)
    assert routes == [[4]]  # the third start: prize 7 with the least travel


def test_portfolio_stops_once_every_client_is_served(monkeypatch):
    pyvrp_adapter, calls = _spy_starts(monkeypatch, [(3, -50), (40, -900), (40, -10), (40, -5)])
    m = np.zeros((6, 6), dtype=np.int64)
    clients = [Client(i, 10, 0) for i in range(2, 6)]  # 40 in all
    routes = pyvrp_adapter.solve_pyvrp(m, [Vehicle(0, 1, 0, 100)], clients, time_limit=1.0)
    assert len(calls) == 2
    assert routes == [[3]]
