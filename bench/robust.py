"""Is `--robust 0.1` worth it? The default plan against the robust plan, judged by simulation.

    .venv/bin/python bench/robust.py [--time-limit 60] [--runs 2000] [--planning-runs 300]
                                     [--small 120]

On Pesawaran and two generated districts (`bench.gen.generate(300, "capacity", "planar",
seed=0)` and a smaller one), every one with `turnout_cv: 0.35` (the other uncertainties at
their defaults), it plans twice with the same time limit: `planner.solve` (the default plan)
and `planner.robust.plan_robust(q=0.1)` (which spends the same limit on its candidates and
judges them on a planning seed). Both plans are then replayed on `--runs` runs with a seed
the planning never saw, and the mean, P10, P50 and P90 of weighted counted recordings are
printed side by side, with the robust P10's gain over the default P10. The target: a gain of
at least 1 % on at least two of the three districts.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import planner  # noqa: E402
from bench.gen import generate  # noqa: E402
from planner.network import TravelNetwork  # noqa: E402
from planner.robust import plan_robust  # noqa: E402
from planner.simulate import Uncertainty, simulate  # noqa: E402

PLANNING_SEED = 0
EVALUATION_SEED = 20_240_917  # never used by the planning
QUANTILE = 0.1


def districts(small: int):
    yield "pesawaran-2018", planner.load_scenario(ROOT / "scenarios" / "pesawaran-2018.yaml")
    yield "generated-300", generate(300, "capacity", "planar", seed=0)
    yield f"generated-{small}", generate(small, "capacity", "planar", seed=1, units=3, days=60)


def figures(sim) -> list[float]:
    f = sim.figures["objective"]
    return [f["mean"], f["p10"], f["p50"], f["p90"]]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--time-limit", type=float, default=60.0, help="seconds per plan")
    ap.add_argument("--runs", type=int, default=2000, help="evaluation runs")
    ap.add_argument("--planning-runs", type=int, default=300, help="runs judging candidates")
    ap.add_argument("--small", type=int, default=120, help="villages of the smaller district")
    ap.add_argument("--deterministic", action="store_true", help="iteration-limited solver")
    args = ap.parse_args()
    print(f"time limit {args.time_limit:g} s per plan; evaluation {args.runs} runs, seed "
          f"{EVALUATION_SEED}; optimiser seed {PLANNING_SEED}; robust q = {QUANTILE}")
    head = f"{'district':18} {'plan':8} {'expected':>9} {'mean':>9} {'P10':>9} {'P50':>9} {'P90':>9}"
    print(head)
    wins = 0
    for name, scenario in districts(args.small):
        unc = Uncertainty.of(scenario, turnout_cv=0.35)
        network = TravelNetwork(scenario)
        t0 = time.perf_counter()
        default = planner.solve(scenario, time_limit=args.time_limit, seed=PLANNING_SEED,
                                deterministic=args.deterministic, network=network)
        t1 = time.perf_counter()
        robust, report = plan_robust(scenario, QUANTILE, time_limit=args.time_limit,
                                     seed=PLANNING_SEED, deterministic=args.deterministic,
                                     network=network, runs=args.planning_runs, uncertainty=unc)
        t2 = time.perf_counter()
        assert report["seed"] != EVALUATION_SEED  # the evaluation runs were never seen
        rows = []
        for label, plan in (("default", default), ("robust", robust)):
            assert not planner.check(scenario, plan, network=network), f"{name} {label} fails"
            sim = simulate(scenario, plan, runs=args.runs, seed=EVALUATION_SEED,
                           uncertainty=unc, network=network)
            rows.append(figures(sim))
            print(f"{name:18} {label:8} {float(plan.objective):9.0f} "
                  + " ".join(f"{x:9.0f}" for x in rows[-1]))
        gain = rows[1][1] / rows[0][1] - 1 if rows[0][1] else 0.0
        wins += gain >= 0.01
        print(f"{'':18} robust P10 {100 * gain:+.2f} % over default; chose turnout factor "
              f"{report['turnout_factor']} (candidates: "
              + ", ".join(f"{c['turnout_factor']}: P10 {c['quantile_value']:.0f}"
                          for c in report["candidates"])
              + f", judged on seed {report['seed']}); planning {t1 - t0:.0f} s + "
              f"{t2 - t1:.0f} s")
    print(f"robust P10 at least 1 % above default on {wins} of 3 districts "
          f"(target: at least 2)")


if __name__ == "__main__":
    main()
