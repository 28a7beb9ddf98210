"""Golden plans: byte-for-byte fingerprints of deterministic plans, to show a refactor changes
no behaviour.

Plans the five seed scenarios (as day-trip scenarios: `day_trips_only`) and two generated
districts (300-capacity, 300-remote) with `--deterministic --seed 1`, and a sample of 20 TOP instances through `planner.solve` with
the same settings, and records the SHA-256 of every plan's `visits.csv` and `days.csv` (and
each TOP score). `--write` stores them in `bench/results/golden.json`; without it the run is
compared with the stored file and every difference is printed (exit 1 when any).

    .venv/bin/python bench/golden.py --write      # before a change
    .venv/bin/python bench/golden.py              # after it: 'same' on every row
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
STORE = ROOT / "bench" / "results" / "golden.json"
SEEDS = ["pesawaran-2018", "kapuas-hulu-2018", "lombok-tengah-2018", "oki-2017", "kotim-2016"]
GENERATED = {"300-capacity": (300, "capacity"), "300-remote": (300, "remote")}
TOP_SAMPLE = ["p1.2.h", "p1.3.n", "p1.4.q", "p2.2.f", "p2.3.k", "p2.4.g", "p3.2.l", "p3.3.t",
              "p3.4.p", "p4.2.e", "p4.3.j", "p4.4.n", "p5.2.k", "p5.3.x", "p5.4.v", "p6.2.j",
              "p6.3.m", "p6.4.l", "p7.2.e", "p7.3.o"]


def _digest(df) -> str:
    return hashlib.sha256(df.to_csv(index=False).encode()).hexdigest()


def day_trips_only(scenario):
    """The scenario as it was before overnight trips, hours by date and kecamatan service
    points: no unit stays away, no `shift.dates` entry, every unit serves every kecamatan (so
    the fingerprints of the seed scenarios stay comparable)."""
    return scenario.replace(units=[u.replace(max_nights=0, districts=None) for u in scenario.units],
                            shift=scenario.shift.replace(dates=()))


def plan_case(name: str) -> dict:
    """One case planned deterministically: its fingerprints, objective and seconds."""
    import planner

    if name in GENERATED:
        from bench.gen import generate

        villages, kind = GENERATED[name]
        scenario = generate(villages, kind, "planar", seed=0)
    else:
        scenario = day_trips_only(planner.load_scenario(ROOT / "scenarios" / f"{name}.yaml"))
    t = time.perf_counter()
    plan = planner.solve(scenario, time_limit=60, seed=1, deterministic=True)
    seconds = time.perf_counter() - t
    problems = planner.check(scenario, plan)
    # days.csv gained start_place and end_place (overnight trips): day trips compare on the
    # columns they had
    days = plan.days.drop(columns=["start_place", "end_place"], errors="ignore")
    return {"visits": _digest(plan.visits), "days": _digest(days),
            "objective": float(plan.objective), "checked": not problems,
            "seconds": round(seconds, 1)}


def top_case(name: str) -> dict:
    """One TOP instance through `planner.solve`, deterministic: its verified score."""
    from bench.top import TOP, read_instance, to_scenario, verify
    import planner

    path = next(TOP.rglob(f"{name}.txt"))
    inst = read_instance(path)
    scenario = to_scenario(inst)
    plan = planner.solve(scenario, time_limit=10, seed=1, deterministic=True)
    routes = {}
    for r in plan.routes:
        routes.setdefault(r.unit, []).extend(int(s.village_id[1:]) for s in r.stops)
    score, problem = verify(inst, list(routes.values()))
    return {"score": score, "problem": problem, "visits": _digest(plan.visits)}


def run(jobs: int) -> dict:
    cases = [("plan", n) for n in SEEDS + list(GENERATED)] + [("top", n) for n in TOP_SAMPLE]
    with ProcessPoolExecutor(jobs) as pool:
        futures = {c: pool.submit(plan_case if c[0] == "plan" else top_case, c[1]) for c in cases}
        return {f"{kind}:{name}": f.result() for (kind, name), f in futures.items()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="store the fingerprints")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args(argv)
    t = time.perf_counter()
    got = run(args.jobs)
    if args.write:
        STORE.write_text(json.dumps(got, indent=1, sort_keys=True) + "\n")
    stored = json.loads(STORE.read_text()) if STORE.exists() else {}
    compare = ("visits", "days", "score")
    print(f"{'case':28} {'objective/score':>16} {'checked':>8} {'vs stored':>10}")
    differ = 0
    for key, row in got.items():
        old = stored.get(key, {})
        same = all(old.get(k) == row.get(k) for k in compare if k in row)
        if not same:
            value_differs = [k for k in compare if k in row and old.get(k) != row.get(k)]
            key = f"{key} ({', '.join(value_differs)})"
        differ += not same
        value = row.get("objective", row.get("score"))
        print(f"{key:28} {value:>16} {str(row.get('checked', row.get('problem') == '')):>8} "
              f"{'same' if same else 'DIFFERS':>10}")
    print(f"{len(got)} cases, {differ} differ, {time.perf_counter() - t:.0f} s")
    return 1 if differ and not args.write else 0


if __name__ == "__main__":
    sys.exit(main())
