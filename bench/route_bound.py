"""How far the bound's LP is from real day routes: the Lagrangian at the LP's own prices with
every unit-day problem solved exactly over q-routes.

The LP of `planner.solve.bound` prices each (unit, day class, village) link between visits,
people and the day routes (`lagrange.Subgradient.lp_prices`). At those prices the Lagrangian
is the village rows alone (`lagrange.village_part`) plus, per day, the best route of each unit
the staff limit lets out (`lagrange.days_value`). Here a day's best route is solved exactly
over a relaxation of real routes by dynamic programming over whole minutes (`day_value`):

- routes may visit a village more than once, but never twice with one village between
  (no 2-cycles: best and second-best value per (minute, village) with distinct predecessors);
- travel and service are rounded down to whole minutes and a visit records the people of one
  more minute, so every real route is one of these paths and the value is an upper bound;
- a unit that may stay away (trips of at most two days) leaves home or its base, or comes
  back home, as in the LP (`bound._overnight_travel`); the better kind bounds the day.

So the printed Lagrangian is a valid upper bound; the closer it is to the LP, the less the LP
loses by its day model at its own prices. Slow (numpy over minutes x villages x villages), a
measurement tool, not part of the planner.

    .venv/bin/python bench/route_bound.py --only kapuas-hulu
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NEG = -1e18
START = -9  # the predecessor of a village reached straight from the start


def top_two(values: np.ndarray, preds: np.ndarray):
    """Per column: the best value and its predecessor, and the best value whose predecessor
    differs from that one (and its predecessor)."""
    cols = np.arange(values.shape[1])
    i1 = values.argmax(axis=0)
    b1, p1 = values[i1, cols], preds[i1, cols]
    other = np.where(preds == p1[None, :], NEG, values)
    i2 = other.argmax(axis=0)
    return b1, p1, other[i2, cols], preds[i2, cols]


def day_value(start: np.ndarray, travel: np.ndarray, end: np.ndarray, shift: int, setup: int,
              person: float, price_n: np.ndarray, price_r: np.ndarray, cap: np.ndarray) -> float:
    """The most Σ (price_n + price_r x people) a day can collect, over 2-cycle-free walks.

    Whole minutes: `start[i]` from the start to village i, `travel[j, i]` village j to i,
    `end[i]` village i to the end, `shift` the day, `setup` per visit, `person` minutes a
    person; serving s minutes at i records min(cap_i, (s + 1 - setup) / person) people (at
    least 0: a day may stay home)."""
    n = len(price_n)
    if n == 0 or shift <= 0:
        return 0.0
    gain_rate = np.maximum(price_r, 0.0)
    longest = int(min(shift, setup + np.ceil(cap * person).max()))
    cols = np.arange(n)
    grid = (shift + 1, n)
    done1, done_p1 = np.full(grid, NEG), np.full(grid, -1, np.int64)  # service ended at t
    done2, done_p2 = np.full(grid, NEG), np.full(grid, -2, np.int64)
    came1, came_p1 = np.full(grid, NEG), np.full(grid, -1, np.int64)  # arrived at t
    came2, came_p2 = np.full(grid, NEG), np.full(grid, -2, np.int64)
    ok = start <= shift
    came1[start[ok], cols[ok]] = 0.0
    came_p1[start[ok], cols[ok]] = START
    arcs = travel.astype(np.int64).copy()
    np.fill_diagonal(arcs, 10**9)
    gains = np.full((longest + 1, n), NEG)
    for s in range(setup, longest + 1):
        gains[s] = price_n + gain_rate * np.minimum(cap, (s + 1 - setup) / person)
    from_rows = np.broadcast_to(cols[:, None], arcs.shape)
    best = 0.0
    for t in range(setup, shift + 1):
        served = np.arange(setup, min(t, longest) + 1)
        at = t - served
        values = np.concatenate([came1[at] + gains[served], came2[at] + gains[served],
                                 done1[t - 1:t], done2[t - 1:t]])  # the last rows: waiting
        preds = np.concatenate([came_p1[at], came_p2[at], done_p1[t - 1:t], done_p2[t - 1:t]])
        done1[t], done_p1[t], done2[t], done_p2[t] = top_two(values, preds)
        home = t + end <= shift
        if home.any():
            best = max(best, float(done1[t][home].max()))
        if t == shift:
            break
        left = t - arcs  # [j, i]: when the service at j must have ended
        valid = left >= 0
        left = np.where(valid, left, 0)
        b1, p1, b2 = done1[left, from_rows], done_p1[left, from_rows], done2[left, from_rows]
        cand = np.where(valid, np.where(p1 == cols[None, :], b2, b1), NEG)  # no i -> j -> i
        values = np.concatenate([cand, came1[t:t + 1], came2[t:t + 1]])
        preds = np.concatenate([np.broadcast_to(cols[:, None], cand.shape), came_p1[t:t + 1],
                                came_p2[t:t + 1]])
        came1[t], came_p1[t], came2[t], came_p2[t] = top_two(values, preds)
    return best


def lagrangian_at_lp_prices(inst, log=None) -> tuple[float, float]:
    """(LP bound, Lagrangian at the LP's prices with q-route day problems)."""
    from planner.solve.bound import longest_trip, overnight_ends, upper_bound
    from planner.solve.held_karp import closure
    from planner.solve.lagrange import Subgradient, days_value, village_part

    meta: dict = {}
    lp = upper_bound(inst, meta=meta)
    sub = Subgradient(inst, meta)
    rho, nu = sub.lp_prices()
    setup = int(inst.setup_s // 60)
    values, full = {}, {}
    for (k, c), rows in sub.by_kc.items():
        ud = inst.units[k]
        if k not in full:
            full[k] = closure(ud.matrix)
        m = full[k]
        villages = np.array([int(inst.nodes[j]) for j, _ in rows])
        pr = np.array([rho[(k, c, j)] for j, _ in rows])
        pn = np.array([nu[(k, c, j)] for j, _ in rows])
        cap = np.array([float(pv) for _, pv in rows])
        keep = pn + np.maximum(pr, 0) * cap > 1e-9  # a visit worth nothing is never made
        villages, pr, pn, cap = villages[keep], pr[keep], pn[keep], cap[keep]
        if ud.unit.max_nights > 0:
            starts, ends = overnight_ends(inst, k)
            from_start = m[np.ix_(starts, villages)].min(axis=0)
            to_end = m[np.ix_(villages, ends)].min(axis=1)
            kinds = [(from_start, to_end)]
            if longest_trip(inst, k) <= 2:
                leave = np.minimum(m[ud.end, villages], m[ud.base, villages])
                kinds = [(leave, to_end), (from_start, m[villages, ud.end])]
        else:
            kinds = [(m[ud.base, villages], m[villages, ud.end])]
        travel = np.floor(m[np.ix_(villages, villages)] / 60).astype(np.int64)
        for shift in {inst.days[d].end - inst.days[d].start for d in sub.classes[c]}:
            values[(k, c, shift)] = max(
                day_value(np.floor(a / 60).astype(np.int64), travel,
                          np.floor(b / 60).astype(np.int64), int(shift // 60), setup,
                          float(ud.person_s) / 60.0, pn, pr, cap) for a, b in kinds)
            if log:
                log(f"{ud.unit.id} {c} {shift} s: {values[(k, c, shift)]:.1f}")
    total = village_part(inst, sub.keys, rho, nu, sub.small) + days_value(inst, sub.classes,
                                                                          values)
    return lp, total


def main(argv=None) -> None:
    from bench.district import CASES, scenario_of
    from planner.instance import Instance

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", nargs="+", default=["kapuas-hulu"], choices=sorted(CASES))
    ap.add_argument("--verbose", action="store_true", help="print each day problem's value")
    args = ap.parse_args(argv)
    print(f"{'case':<22} {'LP':>9} {'q-route L':>10} {'L / LP':>7} {'sec':>6}")
    for name in args.only:
        t = time.perf_counter()
        lp, lag = lagrangian_at_lp_prices(Instance(scenario_of(name)),
                                          print if args.verbose else None)
        print(f"{name:<22} {lp:>9.1f} {lag:>10.1f} {lag / lp:>7.4f} "
              f"{time.perf_counter() - t:>6.0f}", flush=True)


if __name__ == "__main__":
    main()
