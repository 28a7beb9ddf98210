"""`risk.png` and the terminal's headline lines for a simulated plan (`--simulate N`).

Left: the spread of final counted coverage over the runs (weighted counted recordings where
no village knows `eligible`), with P10, P50, P90, the goal, and the plan's own figure, which
most runs fall short of (a visit keeps its planned hours: fewer coming record fewer, more
coming no more). Right: the share of runs that
have reached the goal by each date of the campaign (or, without a goal, the P10-P90 band of
counted coverage by date). Drawn from a `planner.simulate` result; it decides nothing.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Optional

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ..causes import in_lang, number
from .chance import robust_against, simulation_lines
from .chart_format import PercentTicks, set_date_axis, share_text
from .labels import check_lang, day_month, label
from .numbers import target_text

WORDS = {
    "id": {"spread": "Sebaran cakupan akhir ({runs} simulasi)",
           "spread_counted": "Sebaran perekaman terhitung berbobot ({runs} simulasi)",
           "coverage": "Cakupan terhitung pada batas waktu", "counted": "Perekaman terhitung",
           "runs": "Simulasi", "goal": "Sasaran", "deadline": "Batas waktu", "plan": "Rencana",
           "chance": "Peluang mencapai sasaran {goal} sampai tanggal ini\n"
                     "(cakupan terhitung seluruh kabupaten)",
           "band": "Cakupan terhitung per tanggal (P10-P90, median)",
           "no_goal": "Tidak ada sasaran (targets.goal)"},
    "en": {"spread": "Spread of final coverage ({runs} runs)",
           "spread_counted": "Spread of weighted counted recordings ({runs} runs)",
           "coverage": "Counted coverage at the deadline", "counted": "Counted recordings",
           "runs": "Runs", "goal": "Goal", "deadline": "Deadline", "plan": "Plan",
           "chance": "Chance of reaching the {goal} goal by each date\n"
                     "(the whole district's counted coverage)",
           "band": "Counted coverage by date (P10-P90, median)",
           "no_goal": "No goal (targets.goal)"},
}
QUANTILE_COLOURS = {"p10": "#d73027", "p50": "#000000", "p90": "#1a9850"}


def build(sim, scenario, lang: str = "id") -> Figure:
    """The two panels of risk.png as a bare matplotlib Figure (no pyplot state)."""
    check_lang(lang)
    words = WORDS[lang]
    fig = Figure(figsize=(12, 5), dpi=110, layout="constrained")
    FigureCanvasAgg(fig)
    spread, chance = fig.subplots(1, 2)
    runs = len(sim.runs)
    has_coverage = sim.figures.get("coverage") is not None
    values = sim.runs["coverage" if has_coverage else "objective"].to_numpy(float)
    spread.hist(values, bins=min(40, max(5, runs // 25)), color="#8da0cb", edgecolor="white")
    stats = sim.figures["coverage" if has_coverage else "objective"]
    for key, colour in QUANTILE_COLOURS.items():
        spread.axvline(stats[key], color=colour, linewidth=1.5, linestyle="--",
                       label=f"{key.upper()} {_show(stats[key], has_coverage, lang)}")
    if has_coverage:  # at most 7 ticks: `90,25 %` is wider than matplotlib's `90.25%`
        spread.xaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
        spread.xaxis.set_major_formatter(PercentTicks(lang))
    planned = _planned(sim, scenario, has_coverage)  # the runs mostly fall short of it
    spread.axvline(planned, color="#7f7f7f", linewidth=1.5, linestyle=":",
                   label=f"{words['plan']} {_show(planned, has_coverage, lang)}")
    if has_coverage and sim.goal is not None:
        spread.axvline(sim.goal, color="#333333", linewidth=2.5,
                       label=f"{words['goal']} {target_text(sim.goal, lang)}")
    spread.set_title(words["spread" if has_coverage else "spread_counted"].format(runs=runs))
    spread.set_xlabel(words["coverage" if has_coverage else "counted"])
    spread.set_ylabel(words["runs"])
    spread.legend(fontsize=9, frameon=False)
    _chance_panel(chance, sim, scenario, lang)
    return fig


def _chance_panel(ax, sim, scenario, lang: str) -> None:
    words = WORDS[lang]
    by_date = sim.goal_probability_by_date()
    dates = sim.dates
    if by_date is not None:
        ax.plot(dates, by_date.to_numpy(), drawstyle="steps-post", linewidth=2.5, color="#1a9850")
        ax.set_ylim(-0.02, 1.02)
        ax.set_title(words["chance"].format(goal=target_text(sim.goal, lang)))
    elif sim.coverage_by_date is not None:
        low, mid, high = np.quantile(sim.coverage_by_date, [0.1, 0.5, 0.9], axis=1)
        ax.fill_between(dates, low, high, step="post", color="#8da0cb", alpha=0.5)
        ax.plot(dates, mid, drawstyle="steps-post", color="#000000")
        ax.set_title(f"{words['band']} – {words['no_goal']}")
    else:
        ax.text(0.5, 0.5, words["no_goal"], ha="center", va="center", transform=ax.transAxes)
    ax.yaxis.set_major_formatter(PercentTicks(lang))
    deadline = scenario.calendar.deadline
    ax.axvline(deadline, color="#c00000", linewidth=2)
    ax.annotate(f"{words['deadline']} {day_month(deadline, lang)}", xy=(deadline, 0.97),
                xycoords=("data", "axes fraction"), xytext=(-4, 0), textcoords="offset points",
                ha="right", va="top", color="#c00000", fontsize=9, fontweight="bold")
    day = dt.timedelta(days=1)  # a day either side: the first and the last step show
    set_date_axis(ax, min(dates[0], deadline) - day, max(dates[-1], deadline) + day, lang)
    ax.grid(True, alpha=0.3)


def _planned(sim, scenario, share: bool) -> float:
    """The plan's own figure at the expected turnout and backlogs, as the left panel measures
    the runs: its counted coverage over the villages whose `eligible` is known (the re-plan's
    scenario holds the actual recordings as `recorded`), or its weighted counted recordings."""
    deadline = scenario.calendar.deadline
    villages = {v.id: v for v in scenario.villages}
    counting = [(villages[vid], int(r)) for vid, r, on in zip(
        sim.visits["village_id"], sim.visits["recorded"], sim.visits["counts_on"])
        if dt.date.fromisoformat(str(on)) <= deadline]
    if not share:
        return float(sum(v.priority * r for v, r in counting))
    known = [v for v in villages.values() if v.eligible is not None]
    before = sum(v.recorded if v.recorded is not None else v.eligible - v.unrecorded
                 for v in known)
    done = before + sum(r for v, r in counting if v.eligible is not None)
    return done / max(1, sum(v.eligible for v in known))


def _show(value: float, share: bool, lang: str) -> str:
    """A quantile in the legend: a coverage to two decimals, rounded down (`90,35 %`), or
    weighted counted recordings as a whole number (`1.234`)."""
    return share_text(value, lang, 2) if share else number(round(value), lang)


def write(sim, scenario, out_dir: Path, lang: str = "id") -> None:
    build(sim, scenario, lang).savefig(Path(out_dir) / "risk.png")


def headlines(report: dict, lang: str = "id", planned: Optional[int] = None) -> list[str]:
    """Terminal lines for summary.json's `actuals`, `kept`, `changes`, `robust` and
    `simulation` figures, in `lang`; `planned` is the plan's counted recordings, which the
    simulated ones are set beside."""
    def whole(value: float) -> str:
        return number(round(value), lang)

    lines = []
    actual: Optional[dict] = report.get("actuals")
    if actual:
        lines.append(label("actuals_line", lang).format(
            today=actual["today"], visits=whole(actual["visits"]),
            recorded=whole(actual["recorded"]), counted=whole(actual["counted"]),
            overtime=actual["overtime_unit_days"]))
    kept: Optional[dict] = report.get("kept")
    if kept:
        lines.append(label("kept_line", lang).format(
            until=kept["until"], visits=whole(kept["visits"]), recorded=whole(kept["recorded"])))
    changes: Optional[dict] = report.get("changes")
    if changes:
        key = "changes_line" if changes["villages"] else "changes_none_line"
        lines.append(label(key, lang).format(
            since=changes["since"], **{k: whole(changes[k]) for k in
                                       ("changed", "cancelled", "added", "unchanged")}))
    robust = report.get("robust")
    if robust:  # with --keep-until, its figures are of the days after the kept ones
        lines.append(label("robust_kept_line" if kept else "robust_line", lang).format(
            until=kept["until"] if kept else "", q=in_lang(f"{robust['quantile']:g}", lang),
            value=whole(robust["quantile_value"]), runs=whole(robust["runs"]),
            expected=whole(robust["expected"])) + robust_against(robust, lang))
    sim = report.get("simulation")
    if sim:
        against = (actual or {}).get("against_plan")
        lines.extend(simulation_lines(sim, lang, planned, against))
    return lines
