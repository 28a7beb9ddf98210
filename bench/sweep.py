"""Sweep speed: 12 variants on a process pool of 2 against one after another, and the same
sweep through a local Dask cluster (which must give the same table).

    .venv/bin/python bench/sweep.py [--scenario scenarios/oki-2017.yaml]
                                    [--solver greedy|optimiser] [--iterations 5]

Both solvers are deterministic here (the greedy baseline; the optimiser with a fixed number of
search steps instead of a clock), so the three runs must agree row for row; only `seconds`
may differ. The machine's load average is printed: other work on the 2 cores skews the ratio.
"""
from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import planner
from planner.sweep import SerialExecutor, default_executor, sweep

ROOT = Path(__file__).resolve().parents[1]
GRID = {"units": [2, 4, 6, 8], "kits": [1, 2, 3]}  # 12 variants


def burn(n: int) -> int:
    """Pure-Python CPU work: the control for what the machine's 2 cores give right now."""
    total = 0
    for i in range(n):
        total += i * i
    return total


def control_ratio(tasks: int = 4, n: int = 10_000_000) -> tuple[float, float]:
    t0 = time.perf_counter()
    for _ in range(tasks):
        burn(n)
    serial = time.perf_counter() - t0
    with default_executor(2) as pool:
        t0 = time.perf_counter()
        list(pool.map(burn, [n] * tasks))
        pooled = time.perf_counter() - t0
    return serial, pooled


def timed(scenario, executor, solver, options):
    t0 = time.perf_counter()
    table = sweep(scenario, GRID, executor=executor, solver=solver, deterministic=True,
                  time_limit=60, solve_options=options)
    return table, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default=str(ROOT / "scenarios" / "oki-2017.yaml"))
    ap.add_argument("--solver", default="greedy", choices=["optimiser", "greedy"])
    ap.add_argument("--iterations", type=int, default=5, help="optimiser search steps")
    args = ap.parse_args()
    solver = None if args.solver == "optimiser" else args.solver
    options = {"iterations": args.iterations} if solver is None else None
    scenario = planner.load_scenario(args.scenario)
    load_before = os.getloadavg()[0]

    serial, t_serial = timed(scenario, SerialExecutor(), solver, options)
    with default_executor(2) as pool:
        pooled, t_pool = timed(scenario, pool, solver, options)

    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        dasked, t_dask = timed(scenario, client.get_executor(), solver, options)

    c_serial, c_pool = control_ratio()
    same = [c for c in serial.columns if c != "seconds"]
    print(f"scenario: {scenario.name} | solver: {args.solver} (deterministic) | "
          f"{len(serial)} variants {dict(GRID)}")
    print(serial.drop(columns=["seconds"]).to_string(index=False))
    print()
    print(f"load average (1 min) before: {load_before:.2f}, after: {os.getloadavg()[0]:.2f} "
          f"on {os.cpu_count()} cores")
    print(f"{'run':<28}{'wall s':>10}{'speed-up':>10}{'same table':>12}")
    print(f"{'one after another':<28}{t_serial:>10.1f}{1.0:>10.2f}{'-':>12}")
    print(f"{'process pool of 2':<28}{t_pool:>10.1f}{t_serial / t_pool:>10.2f}"
          f"{str(pooled[same].equals(serial[same])):>12}")
    print(f"{'Dask LocalCluster(2 procs)':<28}{t_dask:>10.1f}{t_serial / t_dask:>10.2f}"
          f"{str(dasked[same].equals(serial[same])):>12}")
    print(f"{'control: CPU loop, pool of 2':<28}{c_pool:>10.1f}{c_serial / c_pool:>10.2f}{'-':>12}"
          f"   (serial {c_serial:.1f} s: the most any pool can gain on this machine now)")


if __name__ == "__main__":
    main()
