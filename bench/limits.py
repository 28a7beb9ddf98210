"""How well `summary.json`'s `limits` tell what one more of a resource buys: for each bundled
scenario, each limit's `estimate` (from the optimiser's plan, as `plan-routes` gives it when
the re-plans do not fit its budget), its `measured` gain (the quick planner with and without
the change, as `plan-routes` gives it when they fit) and the optimiser's own gain (the
scenario planned again with the change for the same time, seed 0: the reference, itself within
the optimiser's run-to-run spread).

    .venv/bin/python bench/limits.py [--time-limit 20] [--only kapuas-hulu-2018 ...] [--lp]

Prints one row per limit and, per scenario, whether the estimate and the measurement name the
same largest limit as the reference, and what `limits` gives after a default run of
`plan-routes` (its budget for `--time-limit 60`): its seconds and whether it measured.

`--lp` adds the gains the bound tells (DESIGN §4 names "the bound's prices" as an estimate's
basis): one more staff member or overtime unit-day at the LP's prices of its staff rows (times
their days) and overtime budget row, a kit or one more day as the LP's own gain (solved again
with the change), with the seconds those LPs took.
"""
from __future__ import annotations

import argparse
import importlib
import os
import time
from pathlib import Path

import planner
from planner.instance import Instance
from planner.limits import estimate, limits, limits_budget, variants
from planner.network import TravelNetwork
from planner.solve import quick_plan

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ("kapuas-hulu-2018", "kotim-2016", "lombok-tengah-2018", "oki-2017",
             "pesawaran-2018")


bound = importlib.import_module("planner.solve.bound")


class PricedBound(bound.BoundModel):
    """The bound's LP, keeping its staff rows (one per day class with a staff limit, the last
    row `_day_class` adds) and its overtime budget row (the last row of all) for their prices."""

    def __init__(self, inst: Instance):
        self.staff_rows = []  # (overtime class, days in the class, row)
        super().__init__(inst)
        solver = self.lp.solver
        budget = inst.scenario.staff.overtime_unit_days
        self.budget_row = (solver.constraint(solver.NumConstraints() - 1)
                           if budget is not None and self.ot_days else None)

    def _day_class(self, key: tuple, days: list[int]) -> None:
        solver = self.lp.solver
        before = solver.NumConstraints()
        super()._day_class(key, days)
        limited = all(self.inst.staff(d) is not None for d in days)
        if limited and solver.NumConstraints() > before:
            self.staff_rows.append((key[0], len(days),
                                    solver.constraint(solver.NumConstraints() - 1)))

    def prices(self) -> dict[str, float]:
        """Per limit, what one more is worth at the LP optimum's prices (after `solve`)."""
        out = {"weekday_staff": 0.0, "weekend_staff": 0.0}
        for overtime, days, row in self.staff_rows:
            out["weekend_staff" if overtime else "weekday_staff"] += days * row.dual_value()
        if self.budget_row is not None:
            out["overtime_unit_day"] = self.budget_row.dual_value()
        return out


def lp_gains(scenario, network) -> tuple[dict[str, float], float]:
    """Each limit's gain by the bound (`--lp`), and the seconds its LPs took."""
    started = time.perf_counter()
    model = PricedBound(Instance(scenario, network))
    base = model.solve()
    gains = model.prices()
    for limit, make in variants(scenario).items():
        if make is not None and limit not in gains:
            variant = make()
            gains[limit] = bound.upper_bound(Instance(variant, TravelNetwork(variant))) - base
    return gains, time.perf_counter() - started


def rows_for(name: str, time_limit: float, with_lp: bool = False) -> tuple[list[dict], str]:
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
    if with_lp:
        by_lp, lp_seconds = lp_gains(scenario, network)
        default += f"; the bound's LPs {lp_seconds:.0f} s"
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
            "optimiser": float(replanned.objective - plan.objective),
            **({"lp": float(by_lp[limit])} if with_lp else {})})
    return rows, default


def largest(rows: list[dict], key: str) -> str:
    return max(rows, key=lambda r: r[key])["limit"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--time-limit", type=float, default=20.0)
    ap.add_argument("--only", nargs="*", default=list(SCENARIOS))
    ap.add_argument("--lp", action="store_true", help="add the gains the bound's LP tells")
    args = ap.parse_args()
    print(f"optimiser {args.time_limit:g} s a plan, seed 0; load average "
          f"{os.getloadavg()[0]:.2f}")
    keys = ["estimate", "measured"] + (["lp"] if args.lp else [])
    print(f"{'scenario':<20} {'limit':<22} " + " ".join(f"{k:>9}" for k in keys)
          + f" {'optimiser':>9}")
    totals = dict.fromkeys(keys, 0.0)
    same = dict.fromkeys(keys, 0)
    for name in args.only:
        rows, default = rows_for(name, args.time_limit, args.lp)
        for r in rows:
            print(f"{r['scenario']:<20} {r['limit']:<22} "
                  + " ".join(f"{r[k]:>9.1f}" for k in keys) + f" {r['optimiser']:>9.1f}",
                  flush=True)
            for key in totals:
                totals[key] += abs(r[key] - r["optimiser"])
        for key in same:
            same[key] += largest(rows, key) == largest(rows, "optimiser")
        print(f"{name}: largest by optimiser {largest(rows, 'optimiser')}, "
              + ", ".join(f"by {k} {largest(rows, k)}" for k in keys) + f"; {default}",
              flush=True)
    n = len(args.only)
    print("sum of |gain - optimiser's|: "
          + ", ".join(f"{k} {totals[k]:,.0f}" for k in keys)
          + "; largest limit named as the optimiser's: "
          + ", ".join(f"{k} {same[k]}/{n}" for k in keys))


if __name__ == "__main__":
    main()
