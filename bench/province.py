"""Province bench: the 15 Lampung kabupaten/kota on 1 and on 2 Dask workers.

    .venv/bin/python bench/province.py [--time-limit 20] [--workers 1 2]
                                       [--modes deterministic,clock] [--iterations N]
                                       [--only kota-metro,mesuji] [--limit N] [--save]

Two questions, two runs each (one per worker count; a LocalCluster of W processes each):

* deterministic: every district with `deterministic=True` (the optimiser's iteration and
  CP-SAT deterministic-time limits instead of the clock; `--iterations` sets the search
  steps, default the solver's). The work per district is the same on any worker count, so the
  speed-up is honest and "the results are the same" means byte-identical visits and days
  tables.
* clock: a wall-clock limit of `--time-limit` seconds per district, as an office would run it.
  The speed-up here holds by construction (each district gets its full limit either way:
  15 districts on 2 workers are 8 rounds of 20 s), and the plans differ from run to run, so
  "the same" can only mean close: the largest relative difference in counted recordings.

Printed: each district's planning seconds and peak memory (the worker's resident memory
while it planned that district, its imports included), the speed-ups, the sameness, the
client's cost of writing a district's folder (serial, in the client; drawn there or by the
worker that planned it), and an extrapolation to
Indonesia's 514 kabupaten/kota at 60 s on W = 2, 16, 128 workers from the clock run's
measured per-district cost. The load average is printed: other work on the machine skews
every ratio. Run it on a quiet machine; `--save` keeps the output in bench/results/.
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import math
import os
import sys
import tempfile
import time
from contextlib import redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planner.export.folder import render_files, write_plan_folder  # noqa: E402
from planner.many import dask_client, solve_many  # noqa: E402

SCENARIOS = ROOT / "scenarios" / "lampung-2018"
COUNTRY = 514  # kabupaten/kota in Indonesia
COUNTRY_LIMIT = 60.0
COUNTRY_WORKERS = (2, 16, 128)


def run(paths, workers: int, deterministic: bool, time_limit: float, iterations):
    """One batch on a fresh LocalCluster of `workers` processes: (results, wall seconds)."""
    options = {"iterations": iterations} if deterministic and iterations else None
    with dask_client(workers=workers) as client:
        t0 = time.perf_counter()
        batch = solve_many(paths, client=client, time_limit=time_limit, seed=0,
                           deterministic=deterministic, solve_options=options)
        wall = time.perf_counter() - t0
    assert not batch.errors, batch.errors
    return {r.name: r for r in batch.results}, wall


def tables(result) -> tuple[str, str]:
    plan = result.plan
    return (plan.visits.to_csv(index=False, lineterminator="\n"),
            plan.days.to_csv(index=False, lineterminator="\n"))


def write_costs(results) -> dict[str, float]:
    """Mean seconds per district folder (every format): `drawn`, the client drawing and
    writing it (as `plan_into_root` did before the workers drew the folders); `render`, a
    worker drawing it in memory (`render_files`); `write`, the client writing those files."""
    n = len(results)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        for r in results.values():
            write_plan_folder(r.plan, Path(tmp) / f"{r.name}-drawn")
        t1 = time.perf_counter()
        rendered = {name: render_files(r.plan) for name, r in results.items()}
        t2 = time.perf_counter()
        for name, r in results.items():
            write_plan_folder(r.plan, Path(tmp) / f"{name}-plan", rendered=rendered[name])
        t3 = time.perf_counter()
    return {"drawn": (t1 - t0) / n, "render": (t2 - t1) / n, "write": (t3 - t2) / n}


def report(mode: str, runs: dict, workers: list[int], time_limit: float) -> dict:
    """Per-district table, speed-up and sameness of one mode; returns its figures."""
    base = workers[0]
    first = runs[base][0]
    print(f"\n== {mode} ==")
    head = f"{'district':<22}{'villages':>9}"
    for w in workers:
        head += f"{f'W={w} s':>9}{f'W={w} MB':>10}{f'W={w} counted':>15}"
    print(head + f"{'same':>7}")
    same_all, worst = True, 0.0
    for name, r in first.items():
        line = f"{name:<22}{len(r.scenario.villages):>9}"
        for w in workers:
            x = runs[w][0][name]
            line += f"{x.seconds:>9.1f}{x.peak_mb:>10.0f}{x.plan.counted:>15}"
        others = [runs[w][0][name] for w in workers[1:]]
        if mode == "deterministic":
            same = all(tables(o) == tables(r) for o in others)
            same_all &= same
            line += f"{str(same):>7}"
        else:
            diff = max((abs(o.plan.counted - r.plan.counted) / max(1, r.plan.counted)
                        for o in others), default=0.0)
            worst = max(worst, diff)
            line += f"{100 * diff:>6.2f}%"
        print(line)
    seconds = [r.seconds for r in first.values()]
    for w in workers:
        wall = runs[w][1]
        print(f"W={w}: wall {wall:.1f} s, sum of district seconds "
              f"{sum(x.seconds for x in runs[w][0].values()):.1f} s, speed-up over W={base} "
              f"{runs[base][1] / wall:.2f}x, peak {max(x.peak_mb for x in runs[w][0].values()):.0f} MB")
    if mode == "deterministic":
        print(f"results the same on every worker count (visits.csv and days.csv): {same_all}")
    else:
        ideal = len(first) / math.ceil(len(first) / workers[-1])
        print(f"largest counted difference between worker counts: {100 * worst:.2f} % "
              f"(wall-clock limits: the plans differ from run to run); the speed-up a "
              f"{time_limit:g} s limit allows on W={workers[-1]}: {ideal:.2f}x")
    return {"seconds": seconds, "wall": runs[base][1], "workers": base, "n": len(first),
            "peak": max(r.peak_mb for r in first.values())}


def extrapolate(clock: dict, time_limit: float, costs: dict[str, float]) -> None:
    """514 districts at 60 s on W workers, from the clock run's per-district cost: the
    client writes each folder from the files a worker drew after planning it."""
    over = sum(clock["seconds"]) / clock["n"] - time_limit  # planning beyond the limit
    # Dask and the client per district: the base run's worker-seconds beyond the planning (on
    # more than one worker this also counts the last round's idle workers: an upper figure)
    task = max(0.0, (clock["wall"] * clock["workers"] - sum(clock["seconds"])) / clock["n"])
    per = COUNTRY_LIMIT + over + task + costs["render"]
    write_s = costs["write"]
    print(f"\n== {COUNTRY} kabupaten/kota at {COUNTRY_LIMIT:g} s ==")
    print(f"a folder: the client drawing and writing it {costs['drawn']:.2f} s; a worker "
          f"drawing it {costs['render']:.2f} s, then the client writing it {write_s:.2f} s")
    print(f"per district: {COUNTRY_LIMIT:g} s limit + {over:.1f} s planning beyond it + "
          f"{task:.1f} s per task (Dask, the plan sent back) + {costs['render']:.1f} s drawing "
          f"its folder = {per:.1f} s; the client writes a folder in {write_s:.2f} s (serial, "
          "while the workers plan)")
    print(f"{'W':>5}{'rounds':>8}{'planning':>12}{'writing':>12}{'total':>12}"
          f"{'drawn by client':>17}{'memory':>10}")
    for w in COUNTRY_WORKERS:
        rounds = math.ceil(COUNTRY / w)
        planning = rounds * per
        writing = COUNTRY * write_s
        total = max(planning, writing) + min(per, write_s)
        before_per = per - costs["render"]  # the client drew every folder itself
        before = max(rounds * before_per, COUNTRY * costs["drawn"]) + \
            min(before_per, costs["drawn"])
        print(f"{w:>5}{rounds:>8}{planning / 60:>10.1f} m{writing / 60:>10.1f} m"
              f"{total / 60:>10.1f} m{before / 60:>15.1f} m{w * clock['peak'] / 1024:>8.1f} GB")
    print("(Lampung's districts average 176 villages, Indonesia's about 163; memory: W times "
          "the largest peak measured here)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--time-limit", type=float, default=20.0)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--modes", default="deterministic,clock")
    ap.add_argument("--iterations", type=int, help="search steps per district (deterministic)")
    ap.add_argument("--only", help="comma-separated scenario stems")
    ap.add_argument("--limit", type=int, help="the first N scenarios only")
    ap.add_argument("--save", action="store_true", help="also write bench/results/province-DATE.txt")
    args = ap.parse_args()
    paths = sorted(SCENARIOS.glob("*.yaml"))
    if args.only:
        paths = [p for p in paths if p.stem in args.only.split(",")]
    paths = paths[:args.limit] if args.limit else paths
    out = io.StringIO()
    with redirect_stdout(Tee(sys.stdout, out)):
        print(f"{len(paths)} districts, time limit {args.time_limit:g} s, iterations "
              f"{args.iterations or 'default'}, workers {args.workers}, {os.cpu_count()} cores, "
              f"load average {os.getloadavg()[0]:.2f}")
        figures = {}
        for mode in args.modes.split(","):
            runs = {w: run(paths, w, mode == "deterministic", args.time_limit, args.iterations)
                    for w in args.workers}
            figures[mode] = report(mode, runs, args.workers, args.time_limit)
            if mode == "clock":
                costs = write_costs(runs[args.workers[0]][0])
        if "clock" in figures:
            extrapolate(figures["clock"], args.time_limit, costs)
        print(f"\nload average (1 min) at the end: {os.getloadavg()[0]:.2f}")
    if args.save:
        path = ROOT / "bench" / "results" / f"province-{dt.date.today().isoformat()}.txt"
        path.write_text(out.getvalue(), encoding="utf-8")
        print(f"saved {path.relative_to(ROOT)}")


class Tee(io.TextIOBase):
    """Write to several streams at once (the terminal and the saved copy)."""

    def __init__(self, *streams):
        self.streams = streams

    def write(self, text: str) -> int:
        for s in self.streams:
            s.write(text)
        return len(text)


if __name__ == "__main__":
    main()
