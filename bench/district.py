"""Multi-day district benchmark: the optimiser against the greedy baseline and the PyVRP peer,
with the optimiser's bound.

Each case runs in a fresh Python process (so peak memory is the case's own): the greedy
baseline, the optimiser at the case's time limit, the whole-horizon PyVRP peer
(`bench/peer.py`) at the same limit, and with `--long` the optimiser again at `--long-limit`
seconds; every plan re-checked by `planner.check`. Prints one table row per case.

Cases: generated districts (`bench/gen.py`: capacity-, remote- and backlog-bound, and the
river corridor of issue 18 at three seeds, day trips only and with lodgings) and the bundled
Pesawaran and Kapuas Hulu scenarios.

    .venv/bin/python bench/district.py                 # every case (about 25 minutes)
    .venv/bin/python bench/district.py --long          # ... and the optimiser at 300 s
    .venv/bin/python bench/district.py --only corridor-s1 --time-limit 5 --long --long-limit 10
    .venv/bin/python bench/district.py --only corridor-s4 corridor-s5 corridor-s6   # other seeds
"""
from __future__ import annotations

import json
import re
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple, Optional

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


class Case(NamedTuple):
    """A generated district (`bench.gen.generate` arguments) or, with `file`, a bundled one."""

    villages: Optional[int]
    kind: Optional[str]
    geometry: Optional[str]
    time_limit: float
    seed: int = 0
    lodgings: bool = False
    file: Optional[str] = None


CASES = {
    "100-capacity-planar": Case(100, "capacity", "planar", 30),
    "100-backlog-planar": Case(100, "backlog", "planar", 30),
    "300-capacity-planar": Case(300, "capacity", "planar", 60),
    "300-capacity-geodesic": Case(300, "capacity", "geodesic", 60),
    "300-remote-planar": Case(300, "remote", "planar", 60),
    "300-backlog-planar": Case(300, "backlog", "planar", 60),
    "1000-capacity-planar": Case(1000, "capacity", "planar", 300),
    "1000-backlog-geodesic": Case(1000, "backlog", "geodesic", 300),
    **{f"corridor-s{s}": Case(220, "corridor", "planar", 60, seed=s) for s in (1, 2, 3)},
    **{f"corridor-lodging-s{s}": Case(220, "corridor", "planar", 60, seed=s, lodgings=True)
       for s in (1, 2, 3)},
    "pesawaran": Case(None, None, None, 60, file="scenarios/pesawaran-2018.yaml"),
    "kapuas-hulu": Case(None, None, None, 60, file="scenarios/kapuas-hulu-2018.yaml"),
}
LONG_LIMIT = 300.0


def case_named(name: str) -> Case:
    """A case of CASES, or the river corridor at another generator seed (`corridor-s7`,
    `corridor-lodging-s7`): issue 18 names three seeds; others show whether its figures hold
    beyond them."""
    if name in CASES:
        return CASES[name]
    match = re.fullmatch(r"corridor(-lodging)?-s(\d+)", name)
    if match is None:
        raise KeyError(name)
    return Case(220, "corridor", "planar", 60, seed=int(match[2]), lodgings=bool(match[1]))


def scenario_of(name: str):
    case = case_named(name)
    if case.file is not None:
        from planner import load_scenario

        return load_scenario(ROOT / case.file)
    from bench.gen import generate

    return generate(case.villages, case.kind, case.geometry, seed=case.seed,
                    lodgings=case.lodgings)


def timed(planner, *args, **kwargs):
    """(plan, seconds) of one planner call."""
    t = time.perf_counter()
    plan = planner(*args, **kwargs)
    return plan, time.perf_counter() - t


def figures(prefix: str, scenario, plan, seconds: float) -> dict:
    """One plan's row entries: counted, weighted counted, overtime, seconds, check result."""
    from planner.check import check

    return {f"{prefix}counted": plan.counted, f"{prefix}obj": float(plan.objective),
            f"{prefix}overtime": plan.overtime_unit_days, f"{prefix}seconds": seconds,
            f"{prefix}check": len(check(scenario, plan))}


def optimiser_figures(prefix: str, scenario, plan, seconds: float) -> dict:
    """`figures` and the optimiser's bound, gap and status."""
    bound, obj = plan.solver.get("upper_bound"), float(plan.objective)
    return {**figures(prefix, scenario, plan, seconds), f"{prefix}bound": bound,
            f"{prefix}gap": None if not bound else (bound - obj) / bound,
            f"{prefix}status": plan.solver.get("status")}


def run_case(name: str, time_limit: float, seed: int, long_limit: float | None,
             peer: bool) -> dict:
    """One case, in this process: greedy, the optimiser, the peer, the optimiser at length."""
    from planner.baseline import plan_greedy
    from planner.solve import solve

    scenario = scenario_of(name)
    row = {"case": name, "villages": len(scenario.villages),
           "backlog": sum(v.unrecorded for v in scenario.villages), "time_limit": time_limit,
           "long_limit": long_limit, "seed": seed}
    row.update(figures("g_", scenario, *timed(plan_greedy, scenario)))
    row.update(optimiser_figures("o_", scenario, *timed(solve, scenario, time_limit=time_limit,
                                                        seed=seed)))
    if peer:
        from bench.peer import plan_peer

        plan, seconds = timed(plan_peer, scenario, time_limit=time_limit, seed=seed)
        row.update(figures("p_", scenario, plan, seconds))
        row["p_model"] = plan.solver["model_value"]
        row["p_dated"] = plan.solver["dated_value"]
        row["p_warm"] = plan.solver["warm_start_value"]
    if long_limit:
        row.update(optimiser_figures("l_", scenario, *timed(solve, scenario,
                                                            time_limit=long_limit, seed=seed)))
    row["peak_mb"] = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                         resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return row


def cell(value, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def ratio(a, b):
    return a / b if a is not None and b else None


COLUMNS = [  # header, width, value of a row
    ("case", -21, lambda r: r["case"]),
    ("vill", 4, lambda r: r["villages"]),
    ("backlog", 7, lambda r: r["backlog"]),
    ("greedy", 6, lambda r: r["g_counted"]),
    ("optim", 6, lambda r: r["o_counted"]),
    ("ratio", 5, lambda r: cell(ratio(r["o_counted"], r["g_counted"]), ".3f")),
    ("g.obj", 7, lambda r: cell(r["g_obj"], ".0f")),
    ("o.obj", 7, lambda r: cell(r["o_obj"], ".0f")),
    ("p.obj", 7, lambda r: cell(r.get("p_obj"), ".0f")),
    ("o/p", 5, lambda r: cell(ratio(r["o_obj"], r.get("p_obj")), ".3f")),
    ("p.loss", 6, lambda r: cell(None if not r.get("p_model") else
                                 1 - r["p_obj"] / r["p_model"], ".2%")),
    ("l.obj", 7, lambda r: cell(r.get("l_obj"), ".0f")),
    ("l/o", 5, lambda r: cell(ratio(r.get("l_obj"), r["o_obj"]), ".3f")),
    ("bound", 7, lambda r: cell(r["o_bound"], ".0f")),
    ("gap", 6, lambda r: cell(r["o_gap"], ".2%")),
    ("l.gap", 6, lambda r: cell(r.get("l_gap"), ".2%")),
    ("OT g/o/p/l", 11, lambda r: "/".join(str(r.get(f"{p}_overtime", "-")) for p in "gopl")),
    ("sec o/p/l", 14, lambda r: "/".join(cell(r.get(f"{p}_seconds"), ".0f") for p in "opl")),
    ("limit", 7, lambda r: f"{r['time_limit']:.0f}" + (f"/{r['long_limit']:.0f}"
                                                        if r.get("long_limit") else "")),
    ("MB", 5, lambda r: f"{r['peak_mb']:.0f}"),
    ("status", 8, lambda r: r["o_status"]),
    ("check g/o/p/l", 13, lambda r: "/".join(
        "-" if r.get(f"{p}_check") is None else "ok" if r[f"{p}_check"] == 0
        else f"F{r[f'{p}_check']}" for p in "gopl")),
]
NOTE = """\
greedy, optim = recordings that count by the deadline (counted); ratio = optim / greedy;
g/o/p/l.obj = weighted counted (Σ priority x counted, the objective) of greedy, the optimiser,
the PyVRP peer (bench/peer.py, same time limit) and the optimiser at the long limit (--long);
o/p = o.obj / p.obj; p.loss = 1 - p.obj / the peer's model value before dating (what its
dating and repair lose); l/o = l.obj / o.obj; bound = the optimiser's upper bound; gap =
(bound - o.obj) / bound, l.gap the same for the long run; OT = overtime unit-days; sec =
seconds of the optimiser, the peer and the long run; limit = time limit / long limit; MB =
peak resident memory of the case's process (the bound's LP runs in a forked child, counted
too); check = planner.check of each plan (ok, or F and the number of problems)."""


def table(rows: list[dict]) -> str:
    head = " ".join(f"{h:<{-w}}" if w < 0 else f"{h:>{w}}" for h, w, _ in COLUMNS)
    lines = [head, "-" * len(head)]
    for r in rows:
        if "error" in r:
            lines.append(f"{r['case']:21} ERROR {r['error']}")
            continue
        lines.append(" ".join(f"{str(v(r)):<{-w}}" if w < 0 else f"{str(v(r)):>{w}}"
                              for _, w, v in COLUMNS))
    return "\n".join(lines + ["", NOTE])


def main(argv=None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", help="case names (default: all)")
    ap.add_argument("--time-limit", type=float, help="override every case's time limit")
    ap.add_argument("--long", action="store_true",
                    help="also run the optimiser at --long-limit seconds")
    ap.add_argument("--long-limit", type=float, default=LONG_LIMIT)
    ap.add_argument("--no-peer", action="store_true", help="leave the PyVRP peer out")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", help="also write the rows, all figures, as JSON lines to this file")
    ap.add_argument("--case", help=argparse.SUPPRESS)  # internal: run one case, print JSON
    args = ap.parse_args(argv)
    long_limit = args.long_limit if args.long else None
    if args.case:
        limit = args.time_limit or case_named(args.case).time_limit
        print(json.dumps(run_case(args.case, limit, args.seed, long_limit, not args.no_peer)))
        return 0
    names = args.only or [n for n, c in CASES.items() if c.file is None or (ROOT / c.file).exists()]
    unknown = [n for n in names if n not in CASES and
               not re.fullmatch(r"corridor(-lodging)?-s\d+", n)]
    if unknown:
        ap.error(f"unknown case(s) {', '.join(unknown)}; known: {', '.join(CASES)} (and "
                 "corridor-sN, corridor-lodging-sN at any generator seed N)")
    rows = []
    for name in names:
        cmd = [sys.executable, __file__, "--case", name, "--seed", str(args.seed)]
        cmd += ["--time-limit", str(args.time_limit)] if args.time_limit else []
        cmd += ["--long", "--long-limit", str(args.long_limit)] if args.long else []
        cmd += ["--no-peer"] if args.no_peer else []
        done = subprocess.run(cmd, capture_output=True, text=True)
        try:
            rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        except (IndexError, json.JSONDecodeError):
            rows.append({"case": name, "error": (done.stderr.strip().splitlines() or ["?"])[-1]})
        print(table(rows[-1:]).splitlines()[2], file=sys.stderr, flush=True)
    stamp = time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())
    print(f"bench/district.py {' '.join(sys.argv[1:] if argv is None else argv)}, "
          f"seed {args.seed}, {stamp}")
    print(table(rows))
    if args.json:
        Path(args.json).write_text("".join(json.dumps(r) + "\n" for r in rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
