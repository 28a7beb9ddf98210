"""`progress.png`: counted coverage per day against the zone thresholds and the deadline.

A recording raises the line on the day it *counts* (`counts_on`: later for offline villages),
so the chart shows what the head of office can report on each date. The five kecamatan that
end lowest are named at the end of their lines, the day the goal is reached is marked, and
dates come from `chart_format` in the run's language (never the machine's locale). Drawn on a
bare matplotlib `Figure` with the Agg canvas: no pyplot state, no display needed.

A re-plan (`plan.report["actuals"]`, DESIGN §4 `--actuals`) is drawn over the whole campaign:
from the first actual visit, the actual recordings (`actuals.by_village`, on the day each
counts) and the new plan's add up; each line is solid up to `today` (what was counted) and
dashed from it (what the plan expects), with `today` marked.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from fractions import Fraction
from pathlib import Path
from typing import Optional

import matplotlib
import matplotlib.dates as mdates
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from ..plan import Plan
from .chart_format import PercentTicks, names_as_text, set_date_axis
from .goal import goal_sentence
from .labels import check_lang, day_month, label, zone_label
from .numbers import target_text

ZONE_COLOURS = {"red": "#d73027", "yellow": "#e0a800", "green": "#1a9850"}
OTHER_ZONE_COLOUR = "#2c7fb8"  # a zone the scenario names itself (e.g. `target`)
LABEL_BOX = {"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none",
             "alpha": 0.85}
MAX_DISTRICT_LINES = 12  # more districts than this: grey lines, one legend entry for them
OTHER_LINE_COLOUR = "#b8b8b8"  # the lines of the districts not named, when there are many
LOWEST_NAMED = 5  # the kecamatan ending lowest are named at the end of their lines
MOST_NAME_CHARS = 32  # a longer district name is cut in the legend and at its line's end
LOWEST_COLOURS = ["#d62728", "#9467bd", "#ff7f0e", "#8c564b", "#1f77b4"]
GOAL_COLOUR = "#1a6e2e"
TODAY_COLOUR = "#555555"
PLANNED_STYLE = "--"  # the plan from `today` on, when the chart also shows actual recordings
END_LABEL_POINTS = 9  # the names at the end of the lowest districts' lines
END_LABEL_LEAD = 12  # points of stroke from a line's end to its name
END_LABEL_MARGIN = 6  # points left free between the longest name and the axes' right edge
END_LABEL_SPACING = 1.3  # the names' spacing, in heights of a name
GOAL_TEXT_POINTS = 10
GOAL_TEXT_LIFT = 3  # points between the top of the plot and the goal's text above it
TITLE_PAD_OVER_GOAL = 22  # points: the title over the goal's text


def today_of(plan: Plan) -> Optional[dt.date]:
    """The first day of a re-plan (`report["actuals"]["today"]`); None for a plain plan."""
    actuals = plan.report.get("actuals")
    return dt.date.fromisoformat(actuals["today"]) if actuals else None


def chart_days(plan: Plan) -> list[dt.date]:
    """The day before the start (coverage before the plan; with actuals, before the first
    actual visit) up to the day after the deadline, so that the first and the last step of
    the line are both visible."""
    cal = plan.scenario.calendar
    first = plan.first_day - dt.timedelta(days=1)
    return [first + dt.timedelta(days=i) for i in range((cal.deadline - first).days + 2)]


def coverage_series(plan: Plan) -> tuple[list[dt.date], dict[str, list[float]]]:
    """Days around the campaign (`chart_days`), and counted coverage on each day.

    Keys: each district with a village that knows `eligible`, over those villages (as
    `Plan.coverage` does), and `""` for the total over them. Empty dict: no eligible counts.
    """
    days, counts = coverage_counts(plan)
    return days, {name: [n / eligible for n in running]
                  for name, (eligible, running) in counts.items()}


def coverage_counts(plan: Plan) -> tuple[list[dt.date], dict[str, tuple[int, list[int]]]]:
    """As `coverage_series`, in whole people: per key, (eligible, recorded and counted on each
    day), so that the goal day can be found exactly."""
    sc = plan.scenario
    days = chart_days(plan)
    per_village = plan.coverage_gains  # actual and planned, never past a village's eligible
    groups: dict[str, list] = defaultdict(list)
    for v in sc.villages:  # coverage over the villages whose `eligible` is known
        if v.eligible is None:
            continue
        groups[v.district or "–"].append(v)
        groups[""].append(v)
    counts: dict[str, tuple[int, list[int]]] = {}
    for name, villages in groups.items():
        eligible = sum(v.eligible for v in villages)
        if not eligible:
            continue
        running = sum(plan.recorded_before_actuals(v) for v in villages)
        gains: dict[dt.date, int] = defaultdict(int)
        for v in villages:
            for day, n in per_village.get(v.id, {}).items():
                gains[day] += n
        values = []
        for day in days:
            running += gains.get(day, 0)
            values.append(running)
        counts[name] = (eligible, values)
    return days, counts


def goal_day(plan: Plan) -> tuple[Optional[dt.date], Optional[float]]:
    """(the first chart day on which the total counted coverage reaches `targets.goal`, the
    coverage on the chart's first day), exactly over whole people; (None, None) without a
    goal or an eligible count. For a plain plan this is `Plan.goal_reached_on` (one day
    earlier when the goal is met before the plan: the chart's first day)."""
    goal = plan.scenario.targets.goal
    days, counts = coverage_counts(plan)
    if goal is None or "" not in counts:
        return None, None
    eligible, running = counts[""]
    share = Fraction(goal)
    reached = next((day for day, n in zip(days, running)
                    if n * share.denominator >= share.numerator * eligible), None)
    return reached, running[0] / eligible


def _counted_total(plan: Plan, days: list[dt.date]) -> list[int]:
    gains: dict[dt.date, int] = defaultdict(int)
    for per_day in plan.counted_per_day.values():
        for day, n in per_day.items():
            gains[day] += n
    running, out = 0, []
    for day in days:
        running += gains.get(day, 0)
        out.append(running)
    return out


def lowest(series: dict[str, list[float]], n: int = LOWEST_NAMED) -> list[str]:
    """The `n` districts whose coverage ends lowest (lowest first)."""
    districts = [k for k in series if k]
    return sorted(districts, key=lambda d: (series[d][-1], d))[:n]


def step_line(ax, days, values, today: Optional[dt.date] = None, **style) -> None:
    """A step line of counted figures; with `today` (a re-plan), solid up to it (what was
    counted) and dashed from it (the plan), joined at today's first value."""
    if today is None or not days[0] < today <= days[-1]:
        ax.plot(days, values, drawstyle="steps-post", **style)
        return
    i = days.index(today)
    ax.plot(days[:i] + [today], values[:i] + [values[i - 1]], drawstyle="steps-post", **style)
    style.pop("label", None)
    ax.plot([today] + days[i:], [values[i - 1]] + values[i:], drawstyle="steps-post",
            linestyle=PLANNED_STYLE, **style)


def short(name: str, most: int = MOST_NAME_CHARS) -> str:
    """A district name as the chart shows it: cut with an ellipsis past `most` characters, so
    that a long name cannot squeeze the plot to nothing."""
    return name if len(name) <= most else name[:most - 1].rstrip() + "…"


def _district_lines(ax, days, series, lang: str, today=None) -> dict[str, str]:
    """Every district's line: the lowest five in strong colours, the others light (in the
    legend when there are few, plain grey when many); returns the lowest five's colours."""
    districts = sorted(k for k in series if k)
    named = lowest(series)
    colours = {d: LOWEST_COLOURS[i % len(LOWEST_COLOURS)] for i, d in enumerate(named)}
    show_all = len(districts) <= MAX_DISTRICT_LINES
    light = matplotlib.colormaps["tab20"]
    others = [d for d in districts if d not in colours]
    for name in districts:
        if name in colours:
            colour, width = colours[name], 1.8
        else:
            colour = light(2 * others.index(name) % 20 + 1) if show_all else OTHER_LINE_COLOUR
            width = 1.3
        step_line(ax, days, series[name], today, linewidth=width, color=colour,
                  label=short(name) if show_all else None, alpha=0.95,
                  zorder=3 if name in colours else 2)
    if not show_all:  # one entry for the grey lines, drawn in their grey (not a named line's)
        ax.plot([], [], linewidth=1.3, color=OTHER_LINE_COLOUR,
                label=f"{label('district', lang)} ({len(districts)})")
    return colours


def spread_apart(wants: list[float], gap: float, lines: list[float], clear: float,
                 low: float, high: float) -> list[float]:
    """Heights for labels that want to be at `wants` (ascending): at least `gap` apart, none
    within `clear` of a horizontal line at `lines` (a label there is struck through), between
    `low` and `high` where they can be. Each goes as near its wish as the labels below it let
    it; one that falls on a line moves off it to the side its wish is on, if the labels below
    leave room there; labels pushed past `high` are then pushed back down, the same way."""
    blocked: list[list[float]] = []  # the bands around the lines, merged where they overlap
    for y in sorted(lines):
        if blocked and y - clear <= blocked[-1][1]:
            blocked[-1][1] = y + clear
        else:
            blocked.append([y - clear, y + clear])

    def band(y: float):
        return next((b for b in blocked if b[0] < y < b[1]), None)

    placed: list[float] = []
    for want in wants:
        floor = max(low, placed[-1] + gap) if placed else low
        y = max(want, floor)
        hit = band(y)
        if hit:
            below = hit[0] >= floor and want < (hit[0] + hit[1]) / 2
            y = hit[0] if below else hit[1]
        placed.append(y)
    for i in reversed(range(len(placed))):  # back down from the top, still off the lines
        ceiling = min(high, placed[i + 1] - gap) if i + 1 < len(placed) else high
        if placed[i] <= ceiling:
            continue
        hit = band(ceiling)
        placed[i] = hit[0] if hit else ceiling
    return placed


def _name_line_ends(fig, ax, days, series, colours: dict[str, str], lines: list[float]):
    """The names of the lowest districts right of the end of their lines, each tied to its
    line by a thin stroke: room made on the right for the longest name, so that none crosses
    the axes' edge into the zone names; spread apart so that none overlaps another, off the
    zone and goal lines (`lines`) and inside the axes."""
    font = FontProperties(size=END_LABEL_POINTS, weight="bold")
    renderer = fig.canvas.get_renderer()
    sizes = [renderer.get_text_width_height_descent(short(d), font, ismath=False)[:2]
             for d in colours]
    fig.draw_without_rendering()  # lay the figure out: the axes' size in pixels
    width, height = ax.bbox.width, ax.bbox.height
    points = fig.dpi / 72  # pixels per point
    lead = END_LABEL_LEAD * points  # the stroke from a line's end to its name
    left, right = ax.get_xlim()
    x_end = mdates.date2num(days[-1])
    room = (max(w for w, _ in sizes) + lead + END_LABEL_MARGIN * points) / width
    right = max(right, (x_end - room * left) / (1 - room)) if room < 0.5 else right
    ax.set_xlim(left, right)
    x_text = x_end + lead / width * (right - left)

    low, high = ax.get_ylim()
    per_pixel = (high - low) / height
    half = max(h for _, h in sizes) / 2 * per_pixel
    ends = sorted((series[d][-1], d) for d in colours)
    placed = spread_apart([y for y, _ in ends], 2 * half * END_LABEL_SPACING, lines,
                          half + 3 * points * per_pixel, low + half, high - half)
    for (y, name), y_text in zip(ends, placed):
        ax.annotate(short(name), xy=(days[-1], y), xytext=(x_text, y_text), textcoords="data",
                    va="center", ha="left", fontsize=END_LABEL_POINTS, color=colours[name],
                    fontweight="bold", annotation_clip=False, zorder=6,
                    arrowprops={"arrowstyle": "-", "color": colours[name], "linewidth": 0.8,
                                "relpos": (0, 0.5), "shrinkA": 0, "shrinkB": 2})


def _mark_goal(ax, plan: Plan, days: list[dt.date], lang: str) -> bool:
    """A line on the day counted coverage reaches the goal, labelled; or, when the goal is
    not reached (or was met before the chart's first day), the sentence saying so. Either
    text stands just above the plot, under the title, clear of every line (inside, the
    sentence ran over a goal line at 100 %)."""
    goal = plan.scenario.targets.goal
    day, before = goal_day(plan)
    if goal is None or before is None:
        return False
    met_before = day == days[0]
    if day is not None and not met_before:
        ax.axvline(day, color=GOAL_COLOUR, linestyle="-.", linewidth=1.6, zorder=4)
        text = label("goal_mark", lang).format(goal=target_text(goal, lang),
                                               date=day_month(day, lang))
        # to the right of its line, unless that would run into the deadline's line
        deadline = plan.scenario.calendar.deadline
        left = (deadline - day).days <= (len(days) - 1) / 3  # in the last third of the chart
        ax.annotate(text, xy=(day, 1.0), xycoords=("data", "axes fraction"),
                    xytext=(-4 if left else 4, GOAL_TEXT_LIFT), textcoords="offset points",
                    ha="right" if left else "left", va="bottom", color=GOAL_COLOUR,
                    fontsize=GOAL_TEXT_POINTS, fontweight="bold", annotation_clip=False)
    else:
        sentence = goal_sentence(goal, day, met_before, plan.scenario.calendar.deadline, lang)
        ax.annotate(sentence, xy=(0.0, 1.0), xycoords="axes fraction",
                    xytext=(0, GOAL_TEXT_LIFT), textcoords="offset points", ha="left",
                    va="bottom", color=GOAL_COLOUR, fontsize=GOAL_TEXT_POINTS,
                    fontweight="bold", annotation_clip=False)
    return True


def _thresholds(ax, plan: Plan, series, lang: str) -> list[float]:
    """Zone thresholds and the goal as dashed lines, named on a right-hand axis; returns
    the lines' heights."""
    sc = plan.scenario
    low = min(min(v) for v in series.values())
    thresholds = sorted(sc.targets.zones.items(), key=lambda kv: kv[1])
    floor = min([low] + [float(t) for _, t in thresholds])
    ax.set_ylim(max(0.0, floor - 0.03), 1.005)
    marks: list[tuple[float, str, str]] = []
    for name, t in thresholds:
        colour = ZONE_COLOURS.get(name, OTHER_ZONE_COLOUR)
        ax.axhline(float(t), color=colour, linestyle="--", linewidth=1.6)
        marks.append((float(t), f"{zone_label(name, lang)} ≥ {target_text(t, lang)}", colour))
    goal = sc.targets.goal
    if goal is not None and float(goal) not in [float(t) for _, t in thresholds]:
        ax.axhline(float(goal), color="#333333", linestyle=":", linewidth=1.4)
        marks.append((float(goal), f"{label('goal', lang)} {target_text(goal, lang)}", "#333333"))
    # threshold names on a right-hand axis: readable and never on top of a line
    side = ax.secondary_yaxis("right")
    side.set_yticks([m[0] for m in marks], labels=[m[1] for m in marks])
    for tick, (_, _, colour) in zip(side.get_yticklabels(), marks):
        tick.set_color(colour)
        tick.set_fontweight("bold")
    return [m[0] for m in marks]


def _mark_day(ax, day: dt.date, text: str, colour: str, height: float, right: bool = False,
              **line) -> None:
    """A vertical line on `day`, named at `height` (axes fraction) just left of it (`right`:
    just right of it)."""
    ax.axvline(day, color=colour, **line)
    ax.annotate(text, xy=(day, height), xycoords=("data", "axes fraction"),
                xytext=(4 if right else -4, 4), textcoords="offset points",
                ha="left" if right else "right", va="bottom", color=colour, fontsize=10,
                fontweight="bold", bbox=LABEL_BOX, zorder=5)


def _mark_today(ax, today: dt.date, days: list[dt.date], lang: str) -> None:
    """`today` of a re-plan, and what the solid and the dashed lines mean (legend entries);
    named right of its line in the first third of the chart, where the name would run over
    the plot's left edge."""
    early = (today - days[0]).days < (len(days) - 1) / 3
    _mark_day(ax, today, label("today_mark", lang).format(date=day_month(today, lang)),
              TODAY_COLOUR, 0.08, right=early, linewidth=1.4, linestyle=":")
    ax.plot([], [], color=TODAY_COLOUR, linewidth=2, label=label("actual_line", lang))
    ax.plot([], [], color=TODAY_COLOUR, linewidth=2, linestyle=PLANNED_STYLE,
            label=label("planned_line", lang))


def build(plan: Plan, lang: str = "id") -> Figure:
    with names_as_text():
        return _figure(plan, lang)


def _figure(plan: Plan, lang: str) -> Figure:
    check_lang(lang)
    sc = plan.scenario
    days, series = coverage_series(plan)
    today = today_of(plan)
    fig = Figure(figsize=(11, 6), dpi=110, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    named: dict[str, str] = {}
    lines: list[float] = []
    if series:
        named = _district_lines(ax, days, series, lang, today)
        step_line(ax, days, series[""], today, linewidth=3, color="#000000",
                  label=label("total", lang), zorder=4)
        ax.yaxis.set_major_formatter(PercentTicks(lang))
        lines = _thresholds(ax, plan, series, lang)
        ax.set_ylabel(label("coverage", lang))
        above = _mark_goal(ax, plan, days, lang)  # the title goes up over the goal's text
        ax.set_title(f"{label('progress_title', lang)} – {sc.name}",
                     pad=TITLE_PAD_OVER_GOAL if above else None)
    else:
        step_line(ax, days, _counted_total(plan, days), today, linewidth=3, color="#000000",
                  label=label("total", lang))
        ax.set_ylabel(label("counted_recordings", lang))
        ax.set_title(f"{label('progress_counted_title', lang)} – {sc.name}")
    deadline = sc.calendar.deadline
    _mark_day(ax, deadline, f"{label('deadline', lang)} {day_month(deadline, lang)}",
              "#c00000", 0.0, linewidth=2)
    if today is not None:
        _mark_today(ax, today, days, lang)
    pad = dt.timedelta(days=max(1, len(days) // 40))
    set_date_axis(ax, days[0] - pad, days[-1] + pad, lang)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="center left", bbox_to_anchor=(1.16, 0.5), fontsize=9, frameon=False,
              title=label("district", lang))
    if named:  # last: it lays the figure out to measure the room the names need
        _name_line_ends(fig, ax, days, series, named, lines)
    return fig


def write(plan: Plan, out_dir: Path, lang: str = "id") -> None:
    with names_as_text():
        build(plan, lang).savefig(Path(out_dir) / "progress.png")
