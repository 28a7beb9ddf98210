"""Multi-day district benchmark: optimiser against the greedy baseline, with the bound.

Each case runs in a fresh Python process (so peak memory is the case's own): the greedy
baseline and the optimiser on the same scenario, both re-checked by `planner.check`.
Prints one table row per case: counted recordings of both, their ratio, the objective, the
upper bound and gap, seconds, peak memory and the check results.

    .venv/bin/python bench/district.py                 # every case (about 10 minutes)
    .venv/bin/python bench/district.py --only 300-capacity-planar --time-limit 60
"""
from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# name: (villages, kind, geometry, time limit in seconds); "pesawaran" is the real scenario
CASES = {
    "100-capacity-planar": (100, "capacity", "planar", 30),
    "100-backlog-planar": (100, "backlog", "planar", 30),
    "300-capacity-planar": (300, "capacity", "planar", 60),
    "300-capacity-geodesic": (300, "capacity", "geodesic", 60),
    "300-remote-planar": (300, "remote", "planar", 60),
    "300-backlog-planar": (300, "backlog", "planar", 60),
    "1000-capacity-planar": (1000, "capacity", "planar", 300),
    "1000-backlog-geodesic": (1000, "backlog", "geodesic", 300),
    "pesawaran": (None, None, None, 60),
}
PESAWARAN = ROOT / "scenarios" / "pesawaran-2018.yaml"


def scenario_of(name: str):
    villages, kind, geometry, _ = CASES[name]
    if villages is None:
        from planner import load_scenario

        return load_scenario(PESAWARAN)
    from bench.gen import generate

    return generate(villages, kind, geometry, seed=0)


def run_case(name: str, time_limit: float, seed: int) -> dict:
    """One case, in this process: greedy, then the optimiser."""
    from planner.baseline import plan_greedy
    from planner.check import check
    from planner.solve import solve

    scenario = scenario_of(name)
    t = time.perf_counter()
    greedy = plan_greedy(scenario)
    greedy_s = time.perf_counter() - t
    t = time.perf_counter()
    plan = solve(scenario, time_limit=time_limit, seed=seed)
    opt_s = time.perf_counter() - t
    bound = plan.solver.get("upper_bound")
    obj = float(plan.objective)
    peak_kb = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return {
        "case": name, "villages": len(scenario.villages),
        "backlog": sum(v.unrecorded for v in scenario.villages),
        "greedy": greedy.counted, "optimiser": plan.counted,
        "ratio": plan.counted / greedy.counted if greedy.counted else None,
        "greedy_obj": float(greedy.objective), "objective": obj, "bound": bound,
        "gap": None if not bound else (bound - obj) / bound,
        "greedy_gap": None if not bound else (bound - float(greedy.objective)) / bound,
        "overtime": plan.overtime_unit_days, "greedy_overtime": greedy.overtime_unit_days,
        "seconds": opt_s, "greedy_seconds": greedy_s, "time_limit": time_limit,
        "status": plan.solver.get("status"), "peak_mb": peak_kb / 1024,
        "check_greedy": len(check(scenario, greedy)), "check_opt": len(check(scenario, plan)),
    }


def table(rows: list[dict]) -> str:
    head = (f"{'case':24} {'vill':>5} {'backlog':>7} {'greedy':>7} {'optim':>7} {'ratio':>6} "
            f"{'bound':>8} {'gap':>6} {'g.gap':>6} {'OT g/o':>7} {'sec':>6} {'limit':>5} "
            f"{'MB':>6} {'status':>9} {'check g/o':>9}")
    lines = [head, "-" * len(head)]
    for r in rows:
        if "error" in r:
            lines.append(f"{r['case']:24} ERROR {r['error']}")
            continue
        gap = "-" if r["gap"] is None else f"{100 * r['gap']:.2f}%"
        ggap = "-" if r["greedy_gap"] is None else f"{100 * r['greedy_gap']:.2f}%"
        bound = "-" if r["bound"] is None else f"{r['bound']:.0f}"
        ok = lambda n: "pass" if n == 0 else f"FAIL{n}"  # noqa: E731
        lines.append(
            f"{r['case']:24} {r['villages']:>5} {r['backlog']:>7} {r['greedy']:>7} "
            f"{r['optimiser']:>7} {r['ratio']:>6.3f} {bound:>8} {gap:>6} {ggap:>6} "
            f"{r['greedy_overtime']:>3}/{r['overtime']:<3} {r['seconds']:>6.1f} {r['time_limit']:>5.0f} "
            f"{r['peak_mb']:>6.0f} {r['status']:>9} {ok(r['check_greedy']) + '/' + ok(r['check_opt']):>9}")
    lines.append("")
    lines.append("counted = recordings that count by the deadline; ratio = optimiser / greedy; "
                 "gap = (bound - objective) / bound for the optimiser, g.gap the same for greedy; "
                 "OT = overtime unit-days greedy/optimiser; MB = peak resident memory of the case's "
                 "process (the bound's LP runs in a forked child, counted too).")
    return "\n".join(lines)


def main(argv=None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", help="case names (default: all)")
    ap.add_argument("--time-limit", type=float, help="override every case's time limit")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--case", help=argparse.SUPPRESS)  # internal: run one case, print JSON
    args = ap.parse_args(argv)
    if args.case:
        limit = args.time_limit or CASES[args.case][3]
        print(json.dumps(run_case(args.case, limit, args.seed)))
        return 0
    names = args.only or [n for n in CASES if n != "pesawaran" or PESAWARAN.exists()]
    rows = []
    for name in names:
        cmd = [sys.executable, __file__, "--case", name, "--seed", str(args.seed)]
        if args.time_limit:
            cmd += ["--time-limit", str(args.time_limit)]
        done = subprocess.run(cmd, capture_output=True, text=True)
        try:
            rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        except (IndexError, json.JSONDecodeError):
            rows.append({"case": name, "error": (done.stderr.strip().splitlines() or ["?"])[-1]})
        print(table(rows[-1:]).splitlines()[-3], file=sys.stderr, flush=True)
    print(f"bench/district.py, seed {args.seed}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
