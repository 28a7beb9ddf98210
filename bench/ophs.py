"""OPHS benchmark: the Orienteering Problem with Hotel Selection through the public API.

Each instance (Divsalar, Vansteenwegen & Cattrysse 2013; ../shared/bench/ophs/README.md)
becomes a planar scenario: one unit with `base` = the start hotel, `end` (home) = the end
hotel and `max_nights` = D - 1; every hotel a place with `lodging: true`; every scored vertex a
village whose backlog is its score (turnout 1, no setup or recording time); D consecutive
field days from Monday 2024-01-01, day d's hours 00:00 to its limit Td_d through
`shift.dates`. As in bench/top.py the speed is an exact decimal and travel is in whole
seconds, each edge rounded up; the longest day maps to just under 24 h. Rounding up makes the
tight optimal trips of SET1 (optimal by construction) infeasible by a few seconds, so each day
gets a slack of one second per edge it can have (`slack_edges`: more edges than that cannot
fit Td even at each vertex's nearest-neighbour distance). Each plan is checked by
`planner.check` and re-measured in the instance's own (unrounded Euclidean) distances: a day
longer than Td_d + 0.003 (the exact solver's own tolerance) is reported in `over_td`, and a
score above the optimum is reported as "above optimum (slack)", never as a win.

    .venv/bin/python bench/ophs.py --set SET1 --time-limit 10 --out bench/results/ophs-DATE-set1.csv
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import multiprocessing as mp
import sys
import time
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from top import gap  # noqa: E402  (the same gap as the TOP bench)

OPHS = (ROOT / ".." / "shared" / "bench" / "ophs").resolve()
if not OPHS.exists():
    OPHS = Path("/work/shared/bench/ophs")
DAY = 86400
TOLERANCE = 0.003
FIRST = dt.date(2024, 1, 1)


@dataclass(frozen=True)
class OphsInstance:
    name: str
    extra_hotels: int
    days: int
    tmax: float
    td: list  # per trip limit
    points: list  # (x, y, score): start hotel, end hotel, extra hotels, scored vertices

    @property
    def hotels(self) -> int:
        return self.extra_hotels + 2

    @property
    def scored(self) -> list:
        return self.points[self.hotels:]


def read_instance(path: Path) -> OphsInstance:
    """Both layouts: SET1 (CRLF, tabs, an empty line, closing dashes) and EXTRA (spaces)."""
    lines = [ln.split() for ln in Path(path).read_text().splitlines()]
    lines = [ln for ln in lines if ln and not ln[0].startswith("---")]
    n, h, d = (int(x) for x in lines[0][:3])
    td = [float(x) for x in lines[2][:d]]
    points = [(float(x), float(y), int(float(s))) for x, y, s in (ln[:3] for ln in lines[3:])]
    assert len(points) == n + h, f"{path}: {len(points)} points, expected {n + h}"
    return OphsInstance(Path(path).stem, h, d, float(lines[1][0]), td, points)


def slack_edges(inst: OphsInstance, td: float) -> int:
    """Most edges a trip of length `td` can have: a trip visiting e - 1 vertices leaves each
    of them along an edge at least its nearest-neighbour distance, so e - 1 is at most how
    many of the smallest such distances fit in td."""
    pts = np.array([(x, y) for x, y, _ in inst.points])
    diff = np.hypot(pts[:, None, 0] - pts[None, :, 0], pts[:, None, 1] - pts[None, :, 1])
    np.fill_diagonal(diff, np.inf)
    nn = np.sort(diff[inst.hotels:].min(axis=1))
    return int(np.searchsorted(np.cumsum(nn), td, side="right")) + 1


def speed_kmh(inst: OphsInstance, slacks: list[int]) -> Decimal:
    """An exact decimal speed (6 places) at which the longest day plus its slack fits 24 h."""
    need = max(t * 3600 / (DAY - 2 - s) for t, s in zip(inst.td, slacks))
    return Decimal(repr(need)).quantize(Decimal("0.000001"), rounding=ROUND_CEILING)


def day_seconds(inst: OphsInstance) -> list[int]:
    slacks = [slack_edges(inst, t) for t in inst.td]
    v = speed_kmh(inst, slacks)
    return [min(DAY - 1, int((Decimal(repr(t)) * 3600 / v).to_integral_value(ROUND_CEILING)) + s)
            for t, s in zip(inst.td, slacks)]


def clock(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def to_scenario(inst: OphsInstance):
    """The planar scenario of an OPHS instance (see the module docstring)."""
    from planner.scenario import parse
    import yaml

    secs = day_seconds(inst)
    dates = [FIRST + dt.timedelta(days=i) for i in range(inst.days)]
    hotel_ids = ["start", "end"] + [f"h{i}" for i in range(1, inst.extra_hotels + 1)]
    data = {
        "name": inst.name,
        "geometry": "planar",
        "calendar": {"start": FIRST.isoformat(), "deadline": dates[-1].isoformat(),
                     "holidays": "none"},
        "shift": {"weekday": {"start": "00:00", "end": "23:00"},
                  "weekend": {"start": "00:00", "end": "23:00"},
                  "dates": [{"from": d.isoformat(), "to": d.isoformat(), "start": "00:00",
                             "end": clock(s)} for d, s in zip(dates, secs)]},
        "recording": {"minutes_per_person": 0, "setup_minutes": 0, "turnout": 1},
        "travel": {"speed_kmh": str(speed_kmh(inst, [slack_edges(inst, t) for t in inst.td])),
                   "circuity": 1},
        "places": [{"id": i, "x": x, "y": y, "lodging": True}
                   for i, (x, y, _) in zip(hotel_ids, inst.points)],
        "units": [{"id": "V1", "base": "start", "end": "end", "max_nights": inst.days - 1}],
        "villages": [{"id": f"c{i}", "x": x, "y": y, "unrecorded": s}
                     for i, (x, y, s) in enumerate(inst.scored, start=1) if s > 0],
    }
    return parse(yaml.safe_dump(data, sort_keys=False), source=f"<{inst.name}>")


def point_of(inst: OphsInstance, place: str) -> tuple[float, float]:
    """Coordinates of a place or village id of the scenario."""
    hotels = {"start": 0, "end": 1}
    i = hotels.get(place)
    if i is None:
        i = 1 + int(place[1:]) if place[0] == "h" else \
            inst.hotels - 1 + int(place[1:])
    return inst.points[i][:2]


def verify(inst: OphsInstance, plan) -> tuple[int, int, float, str]:
    """Score, days longer than Td + 0.003, the largest excess, problems: the plan's days
    re-measured in the instance's own distances."""
    seen, over, excess, problems = set(), 0, 0.0, []
    day_of = {FIRST + dt.timedelta(days=i): i for i in range(inst.days)}
    where = "start"
    for r in sorted(plan.routes, key=lambda r: r.date):
        start = r.start_place or where
        end = r.end_place or "end"
        path = [start] + [s.village_id for s in r.stops] + [end]
        pts = [point_of(inst, p) for p in path]
        length = sum(math.hypot(a[0] - b[0], a[1] - b[1]) for a, b in zip(pts, pts[1:]))
        limit = inst.td[day_of[r.date]]
        if length > limit + TOLERANCE:
            over += 1
        excess = max(excess, length - limit)
        for s in r.stops:
            if s.recorded > 0:
                if s.village_id in seen:
                    problems.append(f"{s.village_id} twice")
                seen.add(s.village_id)
        where = end
    score = sum(inst.points[inst.hotels - 1 + int(v[1:])][2] for v in seen)
    return score, over, excess, "; ".join(problems)


def run_one(args):
    name, path, best, status, time_limit, seed = args
    import planner

    inst = read_instance(Path(path))
    row = {"instance": name, "n": len(inst.scored), "hotels": inst.hotels, "days": inst.days,
           "optimum": best, "status": status}
    try:
        scenario = to_scenario(inst)
        t0 = time.perf_counter()
        plan = planner.solve(scenario, time_limit=time_limit, seed=seed)
        secs = time.perf_counter() - t0
        fails = len(planner.check(scenario, plan))
        score, over, excess, wrong = verify(inst, plan)
        row.update(score=score, seconds=round(secs, 2), check_failures=fails, over_td=over,
                   max_excess=round(excess, 5), nights=sum(
                       1 for r in plan.routes if r.end_place not in (None, "end")),
                   wrong=wrong, method=plan.solver.get("method", "")[:80])
    except Exception as e:  # a crash is a result too; keep the run going
        row.update(score=0, seconds=0.0, check_failures=-1, over_td=0, max_excess=0.0,
                   nights=0, wrong=f"crash: {e!r}"[:200], method="")
    return row


def summarise(rows: list[dict], label: str) -> list[str]:
    valued = [r for r in rows if r["optimum"] is not None]
    out = [f"{label}: instances {len(rows)} ({len(valued)} with a value)"]
    if valued:
        gaps = [max(0.0, gap(r["score"], r["optimum"])) for r in valued]
        at = sum(1 for r in valued if r["score"] >= r["optimum"])
        above = [r["instance"] for r in valued if r["score"] > r["optimum"]]
        out.append(f"{label}: mean gap to the optimum {sum(gaps) / len(gaps):.3f} % "
                   f"(each score above the optimum counts as gap 0); at the optimum "
                   f"{at}/{len(valued)} ({100.0 * at / len(valued):.1f} %); max gap "
                   f"{max(gaps):.2f} %")
        out.append(f"{label}: above optimum (slack): {len(above)} {' '.join(above)}")
    fails = [r["instance"] for r in rows if r["check_failures"]]
    over = [r["instance"] for r in rows if r["over_td"]]
    wrong = [r["instance"] for r in rows if r["wrong"]]
    out.append(f"{label}: plans failing planner.check: {len(fails)} {' '.join(fails)}")
    out.append(f"{label}: plans with a day longer than Td + {TOLERANCE} in real distances "
               f"(the slack used): {len(over)} {' '.join(over)}")
    out.append(f"{label}: plans invalid on the instance (a vertex twice, a crash): "
               f"{len(wrong)} {' '.join(wrong)}")
    out.append(f"{label}: mean seconds {sum(r['seconds'] for r in rows) / max(1, len(rows)):.2f}, "
               f"max {max((r['seconds'] for r in rows), default=0):.2f}")
    return out


def tasks_for(a) -> list[tuple]:
    bks = {r["instance"]: r for r in csv.DictReader(open(OPHS / "bks.csv"))}
    files = sorted((OPHS / a.set).rglob("*.ophs"))
    if a.valued_only:
        files = [f for f in files if f.stem in bks]
    if a.unvalued_only:
        files = [f for f in files if f.stem not in bks]
    if a.only:
        wanted = {s.strip() for s in a.only.split(",")}
        files = [f for f in files if f.stem in wanted]
    files = files[::a.every]
    return [(f.stem, str(f), int(bks[f.stem]["best_known"]) if f.stem in bks else None,
             bks[f.stem]["status"] if f.stem in bks else "", a.time_limit, a.seed)
            for f in files]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--set", default="SET1", help="SET1, EXTRA, or a folder under them")
    p.add_argument("--time-limit", type=float, default=10.0)
    p.add_argument("--valued-only", action="store_true", help="only instances with a value")
    p.add_argument("--unvalued-only", action="store_true", help="only instances without one")
    p.add_argument("--only", default="", help="comma list of instance names")
    p.add_argument("--every", type=int, default=1, help="every k-th instance (a subset)")
    p.add_argument("--jobs", type=int, default=1)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", default=f"bench/results/ophs-{dt.date.today().isoformat()}.csv")
    a = p.parse_args(argv)
    tasks = tasks_for(a)
    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fields = ["instance", "n", "hotels", "days", "optimum", "status", "score", "gap", "seconds",
              "check_failures", "over_td", "max_excess", "nights", "wrong", "method"]
    print(f"{'instance':24} {'score':>6} {'opt':>6} {'gap%':>7} {'sec':>6}", flush=True)
    rows, t0 = [], time.perf_counter()
    with open(out, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        with mp.get_context("spawn").Pool(a.jobs, maxtasksperchild=10) as pool:
            for row in pool.imap(run_one, tasks):
                row["gap"] = "" if row["optimum"] is None else round(max(0.0, gap(
                    row["score"], row["optimum"])), 3)
                rows.append(row)
                w.writerow(row)
                fh.flush()
                flag = " CHECK-FAIL" if row["check_failures"] else ""
                flag += " above optimum (slack)" if row["optimum"] is not None and \
                    row["score"] > row["optimum"] else ""
                flag += f" over-Td({row['max_excess']})" if row["over_td"] else ""
                flag += f" WRONG({row['wrong']})" if row["wrong"] else ""
                print(f"{row['instance']:24} {row['score']:6d} {str(row['optimum']):>6} "
                      f"{str(row['gap']):>7} {row['seconds']:6.1f}{flag}", flush=True)
    lines = summarise(rows, a.set)
    lines.append(f"time limit {a.time_limit} s, seed {a.seed}, jobs {a.jobs}, every {a.every}, "
                 f"wall {time.perf_counter() - t0:.0f} s")
    print("\n".join(lines))
    out.with_suffix(".txt").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
