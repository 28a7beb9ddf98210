"""Exact travel of small village sets: the metric closure of a travel matrix and the
least-travel tour through a few stops (Held-Karp dynamic programming, O(2^s s^2))."""
from __future__ import annotations

import numpy as np


def closure(m: np.ndarray) -> np.ndarray:
    """Shortest-path closure (Floyd-Warshall): never above the matrix, obeys the triangle
    inequality, so dropping a village from a route never lengthens it."""
    d = m.astype(float).copy()
    for k in range(len(d)):
        d = np.minimum(d, d[:, k:k + 1] + d[k:k + 1, :])
    return d


def shortest_tour(d: np.ndarray, stops: list[int]) -> float:
    """Least travel 0 -> stops (any order) -> 1 on matrix d (Held-Karp)."""
    s = len(stops)
    if s == 0:
        return 0.0
    full = 1 << s
    INF = float("inf")
    dp = [[INF] * s for _ in range(full)]
    for i, v in enumerate(stops):
        dp[1 << i][i] = d[0, v]
    for mask in range(1, full):
        row = dp[mask]
        for i in range(s):
            cur = row[i]
            if cur == INF or not (mask >> i) & 1:
                continue
            vi = stops[i]
            for j in range(s):
                if (mask >> j) & 1:
                    continue
                nm = mask | (1 << j)
                val = cur + d[vi, stops[j]]
                if val < dp[nm][j]:
                    dp[nm][j] = val
    last = dp[full - 1]
    return min(last[i] + d[stops[i], 1] for i in range(s))
