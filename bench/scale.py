"""Growth table: how the optimiser's time and memory grow with the size of a district.

For generated capacity-bound districts of 250, 500, 1,000 and 2,000 villages (5 units, 90
days), each in a fresh process: the seconds to the first plan (the constructions, before any
search), to the bound (the LP from its process), the whole run, the checker; the peak memory
of the planner and of the bound's process; counted recordings and the gap at the time limit;
and the time of each part measured on its own (travel matrix, first construction, LP).

    .venv/bin/python bench/scale.py --time-limit 120
    .venv/bin/python bench/scale.py --sizes 2000 --time-limit 600
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def parts(scenario) -> dict:
    """Seconds of the parts that grow with the district, each on its own."""
    from planner.instance import Instance
    from planner.network import TravelNetwork
    from planner.solve.allocate import allocate
    from planner.solve.bound import upper_bound
    from planner.solve.construct import construct

    t = time.perf_counter()
    net = TravelNetwork(scenario)
    inst = Instance(scenario, net)
    inst.units  # every unit's matrix
    matrix_s = time.perf_counter() - t
    t = time.perf_counter()
    allocate(inst, construct(inst, inst.priority, None, scenario.staff.overtime_unit_days))
    construct_s = time.perf_counter() - t
    t = time.perf_counter()
    upper_bound(inst)
    lp_s = time.perf_counter() - t
    return {"matrix_s": round(matrix_s, 1), "construct_s": round(construct_s, 1),
            "lp_s": round(lp_s, 1)}


def run_case(villages: int, time_limit: float, seed: int, with_parts: bool) -> dict:
    from bench.gen import generate
    from planner.check import check
    from planner.solve import solve

    scenario = generate(villages, "capacity", "planar", seed=0)
    row = {"villages": villages, "units": len(scenario.units)}
    if with_parts:
        row.update(parts(scenario))
    seen: dict = {}
    started = time.perf_counter()

    def progress(info):
        now = round(time.perf_counter() - started, 1)
        seen.setdefault("first_plan_s", now)
        if info.get("bound") is not None:
            seen.setdefault("bound_s", now)

    plan = solve(scenario, time_limit=time_limit, seed=seed, progress=progress)
    row["seconds"] = round(time.perf_counter() - started, 1)
    t = time.perf_counter()
    problems = check(scenario, plan)
    row["check_s"] = round(time.perf_counter() - t, 1)
    row.update(seen)
    row.update(counted=plan.counted, objective=float(plan.objective),
               bound=plan.solver.get("upper_bound"),
               gap=plan.summary()["gap"], checked=not problems,
               peak_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
               bound_peak_mb=round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024))
    return row


def table(rows: list[dict]) -> str:
    cols = ["villages", "matrix_s", "construct_s", "lp_s", "first_plan_s", "bound_s", "seconds",
            "check_s", "peak_mb", "bound_peak_mb", "counted", "gap", "checked"]
    out = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for r in rows:
        cells = []
        for c in cols:
            v = r.get(c)
            cells.append("–" if v is None else f"{100 * v:.2f} %" if c == "gap" else str(v))
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[250, 500, 1000, 2000])
    ap.add_argument("--time-limit", type=float, default=120.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-parts", action="store_true", help="skip the parts measured alone")
    ap.add_argument("--case", type=int, help=argparse.SUPPRESS)  # internal: one size, JSON out
    args = ap.parse_args(argv)
    if args.case is not None:
        print(json.dumps(run_case(args.case, args.time_limit, args.seed, not args.no_parts)))
        return 0
    rows = []
    for n in args.sizes:
        cmd = [sys.executable, __file__, "--case", str(n), "--time-limit", str(args.time_limit),
               "--seed", str(args.seed)] + (["--no-parts"] if args.no_parts else [])
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        if done.returncode != 0:
            print(done.stderr[-2000:], file=sys.stderr)
            rows.append({"villages": n, "checked": f"crash ({done.returncode})"})
            continue
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(f"{n} villages done: {rows[-1]['seconds']} s", file=sys.stderr)
    print(f"time limit {args.time_limit} s, seed {args.seed}, 5 units, 90 days")
    print(table(rows))
    return 0 if all(r.get("checked") is True for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
