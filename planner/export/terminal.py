"""What the terminal shows at the end of a run, in the run's language: per district, coverage
before -> after and zone; under it the goal line and, when the plan or the scenario has
overnight trips, the nights away; then where the plan was written. With many districts, a
line per district as it starts and ends."""
from __future__ import annotations

import sys
import time
from pathlib import Path

from ..causes import what_limits
from ..plan import Plan
from .goal import plan_goal_sentence
from .labels import check_lang, label, zone_label
from .numbers import decimal, percent, whole


def rows(plan: Plan, lang: str = "id") -> list[list[str]]:
    """Header plus one row per district plus the total, as display strings. In a re-plan
    (`--actuals`) the recordings that happened have a column of their own, the backlog and
    counted columns are the campaign's (those visits' and the plan's, as summary.json's
    districts) and the coverage runs from today's (actual) to the plan's end."""
    check_lang(lang)
    summary = plan.summary(lang)
    actual = actual_by_district(plan)
    before = "coverage_today" if actual is not None else "coverage_before"
    out = [[label("district", lang), label("backlog", lang)]
           + ([label("actual_recorded", lang)] if actual is not None else [])
           + [label("counted", lang),
              label(before, lang) + " → " + label("coverage_after", lang).split()[-1],
              label("zone", lang)]]
    backlog = 0
    for name, d in summary["districts"].items():
        backlog += d["backlog"]
        out.append([name or "–", whole(d["backlog"], lang)]
                   + ([whole(actual.get(name, 0), lang)] if actual is not None else [])
                   + [whole(d["counted"], lang),
                      f"{percent(d['coverage_before'], lang)} → {percent(d['coverage'], lang)}",
                      zone_label(d["zone"], lang)])
    out.append([label("total", lang), whole(backlog, lang)]
               + ([whole(sum(actual.values()), lang)] if actual is not None else [])
               + [whole(sum(d["counted"] for d in summary["districts"].values()), lang),
                  f"{percent(summary['coverage_before'], lang)} → "
                  f"{percent(summary['coverage_after'], lang)}",
                  zone_label(summary["zone_after"], lang)])
    return out


def actual_by_district(plan: Plan) -> dict[str, int] | None:
    """Recordings that happened before a re-plan, per district (None: not a re-plan)."""
    actuals = plan.report.get("actuals")
    if not actuals or "by_village" not in actuals:
        return None
    out: dict[str, int] = {}
    for vid, entry in actuals["by_village"].items():
        district = plan.scenario.village(vid).district or ""
        out[district] = out.get(district, 0) + int(entry["recorded"])
    return out


def render(plan: Plan, lang: str = "id") -> str:
    """Aligned plain-text table (numbers right-aligned) and, under it, the line saying when
    the goal is reached; ends without a newline."""
    table = rows(plan, lang)
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    numeric = set(range(1, len(table[0]) - 1))  # every column but the name and the zone

    def line(r: list[str]) -> str:
        return "  ".join(c.rjust(w) if i in numeric else c.ljust(w)
                         for i, (c, w) in enumerate(zip(r, widths))).rstrip()

    rule = "  ".join("-" * w for w in widths)
    opening = what_limits(plan.summary(lang), lang)  # what limits this plan, first
    body = opening + ([""] if opening else []) + [line(table[0]), rule] + \
        [line(r) for r in table[1:-1]] + [rule, line(table[-1])]
    goal = plan_goal_sentence(plan, lang)
    if goal:
        body.append(goal)
    nights = nights_line(plan, lang)
    if nights:
        body.append(nights)
    return "\n".join(body)


def nights_line(plan: Plan, lang: str = "id") -> str | None:
    """`Malam menginap (perjalanan bermalam): 3.`: the nights away from home the plan has;
    None when it has none and no unit may stay away (`max_nights` 0 everywhere)."""
    if not plan.nights and not any(u.max_nights for u in plan.scenario.units):
        return None
    return label("nights_line", lang).format(nights=plan.nights)


def written_line(plan: Plan, out, formats: list[str], lang: str = "id") -> str:
    """The last line of a run: the folder, visits, counted recordings, the gap to the bound
    (when the planner gives one) and the outputs written (the announcements `+ messages` where
    they wrote the chat messages too, so that the planner learns of them)."""
    s = plan.summary(lang)
    gap = (label("gap_note", lang).format(gap=f"{decimal(100 * s['gap'], 2, lang)} %")
           if s.get("gap") is not None else "")
    chats = (Path(out) / "messages").is_dir()
    what = [f"{f} + messages" if f == "announcements" and chats else f for f in formats]
    return label("written", lang).format(out=out, visits=whole(s["visits"], lang),
                                         counted=whole(s["counted_recordings"], lang), gap=gap,
                                         what=", ".join(what))


def _duration(seconds: float | None, lang: str = "id") -> str:
    if seconds is None:
        return "?"
    minutes, secs = divmod(int(seconds), 60)
    return (label("duration_min", lang).format(minutes=minutes, seconds=secs) if minutes
            else label("duration_s", lang).format(seconds=secs))


def progress_line(info: dict, lang: str = "id", time_limit: float | None = None) -> str:
    """One line for the terminal from a `planner.solve` progress report, in `lang`: seconds
    (of `time_limit`, where the search has one, so that the planner sees what is left),
    counted recordings (and their priority-weighted sum where it differs: the bound and the
    gap are on that), and once the bound is in, the bound and the gap."""
    of = "" if time_limit is None else f"/{time_limit:g}s"
    parts = [f"{info.get('elapsed', 0):6.1f}s{of}",
             label("progress_counted", lang).format(
                 counted=whole(info["counted"], lang) if "counted" in info else "?")]
    objective = info.get("objective")
    if objective is not None and round(objective) != info.get("counted"):
        parts[-1] += " " + label("progress_weighted", lang).format(
            objective=whole(objective, lang))
    if info.get("bound") is not None:
        parts.append(label("progress_bound", lang).format(bound=whole(info["bound"], lang)))
    if info.get("gap") is not None:
        parts.append(label("progress_gap", lang).format(gap=decimal(100 * info["gap"], 2, lang)))
    return "  " + "  ".join(parts)


def progress_printer(quiet: bool, lang: str = "id", time_limit: float | None = None):
    """The `progress` callback of a run on the terminal: a `progress_line` on stderr at most
    every 2 s (none with `quiet`); `time_limit`: the search's, None for a deterministic one.
    After Ctrl-C, the search's last report says at once that the best plan is being written."""
    from ..interrupts import ctrl_c_noted

    last = [0.0]
    ctrl_c = [] if quiet else ctrl_c_noted()

    def show(info: dict) -> None:
        if ctrl_c and ctrl_c[0] is not None:
            ctrl_c[0] = None  # said once; nothing to write where the search had no plan yet
            if not info.get("counted") and not info.get("objective"):
                return
            print(label("progress_interrupted", lang).format(
                seconds=decimal(info.get("elapsed", 0), 1, lang)), file=sys.stderr, flush=True)
            return
        if quiet or time.monotonic() - last[0] < 2.0:
            return
        last[0] = time.monotonic()
        print(progress_line(info, lang, time_limit), file=sys.stderr, flush=True)

    return show


def batch_progress_line(info: dict, lang: str = "id") -> str:
    """One line for the terminal from a `planner.many.plan_many` progress report, in `lang`."""
    head = f"[{info['done']:>{len(str(info['total']))}}/{info['total']}]"
    if info["event"] == "started":
        return label("batch_started", lang).format(head=head, district=info["district"],
                                                   pid=info["pid"])
    r = info["result"]
    if r.ok:
        row = r.row()
        took = r.task_seconds if r.task_seconds is not None else r.seconds  # its worker's time
        what = label("batch_planned", lang).format(
            counted=whole(row["counted"], lang), before=zone_label(row["zone_before"], lang),
            after=zone_label(row["zone"], lang), seconds=_duration(took, lang))
    else:
        what = label("batch_bad_input" if r.bad_input else "batch_failed", lang)
    running = ", ".join(info["running"]) or label("batch_nothing_running", lang)
    return label("batch_line", lang).format(head=head, name=r.name, what=what, running=running,
                                            left=_duration(info["eta_s"], lang))
