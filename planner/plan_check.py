"""`plan-routes SCENARIO --check-plan FOLDER`: a plan folder re-checked from the command line.

A planner who moved a visit by hand in visits.csv (or a plan from another tool, or last week's
folder against a changed scenario) asks whether it still keeps every rule of DESIGN §3 before
the calendars are handed out. The folder is input, so a plan that breaks a rule is reported
like any bad input: one `FILE:LINE: rule: message` line per broken rule, exit 2; exit 0 and
one line in the output language when it keeps them all.
"""
from __future__ import annotations

from pathlib import Path

import click


def check_plan_folder(scenario, folder: Path, lang: str, replan=None) -> int:
    """Print the folder's broken rules (or that it has none); the exit status. `replan`
    (`check.Replan`, with `--actuals`): what a re-plan was made from; `scenario` is then what
    is left after the actuals."""
    from .check import check_located
    from .keep_tables import replanned_on
    from .export.labels import label
    from .scenario.errors import one_line

    today = None if replan else replanned_on(folder)
    if today is not None:  # its first day and backlogs are those left after the actuals
        click.echo(f"{folder / 'summary.json'}:1: actuals: this plan is a re-plan from the "
                   f"visits that happened before {today}; check it with the same --actuals "
                   "FILE (and --today) it was made with", err=True)
        return 2
    located = check_located(scenario, folder, replan=replan)
    for file, line, violation in located:
        # one line each, as every bad input: a cell quoted in a message may hold anything
        click.echo(one_line(f"{folder / file}:{line}: {violation.rule}: {violation.message}"),
                   err=True)
    if located:
        click.echo(label("plan_broken", lang).format(path=folder, count=len(located)), err=True)
        return 2
    visits = _rows(folder / "visits.csv")
    days = _rows(folder / "days.csv")
    click.echo(label("plan_ok", lang).format(path=folder, visits=visits, days=days))
    return 0


def _rows(path: Path) -> int:
    """Data rows of a CSV file the checker has read (the header not counted)."""
    import csv

    with path.open(newline="", encoding="utf-8") as f:
        return max(0, sum(1 for _ in csv.reader(f)) - 1)


def refuse_with(option_error, scenarios, output, check_only, options: dict, cluster) -> None:
    """Raise `option_error` for what --check-plan cannot be given with: it checks one plan of
    one scenario and writes nothing."""
    if len(scenarios) > 1 or cluster:
        raise option_error("--check-plan", "checks the plan of one scenario; give one "
                                           "scenario file and no --workers or --scheduler")
    for name, given in (("--output", output is not None), ("--check", check_only),
                        ("--keep-until", options.get("keep_until") is not None),
                        ("--simulate", options["runs"] is not None),
                        ("--robust", options["quantile"] is not None),
                        ("--turnout-from-actuals", options.get("observed", False)),
                        ("--from-plan", options.get("hand_folder") is not None)):
        if given:
            raise option_error(name, "--check-plan checks a plan folder and writes nothing; "
                                     f"leave out {name}")
