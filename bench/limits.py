"""How well `summary.json`'s `limits` tell what one more of a resource buys: for each bundled
scenario, each limit's `estimate` (from the optimiser's plan, as `plan-routes` gives it when
the re-plans do not fit its budget), its `measured` gain (the quick planner with and without
the change, as `plan-routes` gives it when they fit) and the optimiser's own gain (the
scenario planned again with the change for the same time, seed 0: the reference, itself within
the optimiser's run-to-run spread).

    .venv/bin/python bench/limits.py [--time-limit 20] [--only kapuas-hulu-2018 ...]

Prints one row per limit and, per scenario, whether the estimate and the measurement name the
same largest limit as the reference, and what `limits` gives after a default run of
`plan-routes` (its budget for `--time-limit 60`): its seconds and whether it measured.
"""
from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import planner
from planner.limits import estimate, limits, limits_budget, variants
from planner.network import TravelNetwork
from planner.solve import quick_plan

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ("kapuas-hulu-2018", "kotim-2016", "lombok-tengah-2018", "oki-2017",
             "pesawaran-2018")


def rows_for(name: str, time_limit: float) -> tuple[list[dict], str]:
    scenario = planner.load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    network = TravelNetwork(scenario)
    plan = planner.solve(scenario, time_limit=time_limit, seed=0)
    assert not planner.check(scenario, plan, network)
    started = time.perf_counter()
    given = limits(scenario, plan, network, budget_s=limits_budget(60))
    seconds = time.perf_counter() - started
    bases = sorted({e["basis"] for e in [*given["kit"].values(),
                                          *(v for k, v in given.items() if k not in
                                            ("kit", "idle_units"))]})
    default = f"limits at --time-limit 60: {seconds:.1f} s, {'/'.join(bases)}"
    quick = quick_plan(scenario, network)
    rows = []
    for limit, make in variants(scenario).items():
        if make is None:
            continue
        variant = make()
        replanned = planner.solve(variant, time_limit=time_limit, seed=0)
        assert not planner.check(variant, replanned)
        rows.append({
            "scenario": name, "limit": limit,
            "estimate": estimate(scenario, plan, limit),
            "measured": float(quick_plan(variant, network).objective - quick.objective),
            "optimiser": float(replanned.objective - plan.objective)})
    return rows, default


def largest(rows: list[dict], key: str) -> str:
    return max(rows, key=lambda r: r[key])["limit"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--time-limit", type=float, default=20.0)
    ap.add_argument("--only", nargs="*", default=list(SCENARIOS))
    args = ap.parse_args()
    print(f"optimiser {args.time_limit:g} s a plan, seed 0; load average "
          f"{os.getloadavg()[0]:.2f}")
    print(f"{'scenario':<20} {'limit':<22} {'estimate':>9} {'measured':>9} {'optimiser':>9}")
    totals = {"estimate": 0.0, "measured": 0.0}
    same = {"estimate": 0, "measured": 0}
    for name in args.only:
        rows, default = rows_for(name, args.time_limit)
        for r in rows:
            print(f"{r['scenario']:<20} {r['limit']:<22} {r['estimate']:>9.1f} "
                  f"{r['measured']:>9.1f} {r['optimiser']:>9.1f}", flush=True)
            for key in totals:
                totals[key] += abs(r[key] - r["optimiser"])
        for key in same:
            same[key] += largest(rows, key) == largest(rows, "optimiser")
        print(f"{name}: largest by optimiser {largest(rows, 'optimiser')}, by estimate "
              f"{largest(rows, 'estimate')}, by measured {largest(rows, 'measured')}; {default}",
              flush=True)
    n = len(args.only)
    print(f"sum of |gain - optimiser's|: estimate {totals['estimate']:,.0f}, measured "
          f"{totals['measured']:,.0f}; largest limit named as the optimiser's: estimate "
          f"{same['estimate']}/{n}, measured {same['measured']}/{n}")


if __name__ == "__main__":
    main()
