"""plan-routes: a thin click CLI over the library (argument parsing, progress, exit codes).

Exit status (DESIGN §4): 0 plan written; 2 the scenario or an option is wrong (one
`FILE:LINE: field.path: message` line per problem, no traceback); 1 an internal error.
"""
from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path

import click

from .cli_options import BadInput, check_limits, check_options, option_error, parse_formats
from .process_setup import set_up_process


class _CommandLineError(click.ClickException):
    """A usage error of click's own (a value of the wrong type, an unknown option) in the
    `FILE:LINE: field.path: message` form of every other bad input; exit 2."""

    exit_code = 2

    def __init__(self, exc: click.UsageError):
        where = "(options)"
        if isinstance(exc, click.NoSuchOption):
            where = exc.option_name
        elif isinstance(exc, click.BadParameter) and exc.param is not None:
            names = exc.param.opts or [exc.param.human_readable_name]
            where = next((n for n in names if n.startswith("--")), names[0])
        super().__init__(f"<command line>:1: {where}: {exc.message or exc.format_message()}")

    def show(self, file=None) -> None:
        click.echo(self.message, err=True)


class _Command(click.Command):
    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:
            raise _CommandLineError(exc) from None


@click.command(cls=_Command, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("scenario", nargs=-1, required=True,
                type=click.Path(path_type=Path))
@click.option("-o", "--output", "output", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: <scenario stem>-plan/); with several scenarios, "
                   "ROOT: one <stem>-plan/ each plus summary.csv, summary.xlsx and map.html.")
@click.option("--check", "check_only", is_flag=True, help="Only validate the scenario.")
@click.option("--force", is_flag=True, help="Replace an output folder that holds something else.")
@click.option("--time-limit", type=float, default=60.0, show_default=True,
              help="Solver time limit in seconds (then up to a quarter more, at least 2 s, to "
                   "measure what limits the plan, and a few seconds to write the files).")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option("--deterministic", is_flag=True,
              help="Iteration limits instead of wall-clock: same seed, same plan. "
                   "--time-limit is then not used (a run takes what its iterations take: "
                   "10-55 s on the bundled scenarios).")
@click.option("--planner", "method", type=click.Choice(["optimise", "greedy"]), default="optimise",
              show_default=True, help="The optimiser, or the greedy baseline.")
@click.option("--formats", default="all", show_default=True,
              help="Comma-separated outputs: calendar,schedule,announcements,map,progress "
                   "(announcements also writes messages/ for WhatsApp; visits.csv, days.csv "
                   "and summary.json are always written).")
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True,
              help="Language of the outputs, progress lines and warnings; the announcements "
                   "are always Bahasa Indonesia, input errors (exit 2) always English.")
@click.option("-q", "--quiet", is_flag=True, help="No progress lines.")
@click.option("--actuals", "actuals_file", type=click.Path(path_type=Path),
              help="Re-plan from the visits that happened (CSV or XLSX: unit,date,village_id,"
                   "recorded[,counts_on]); last week's visits.csv, corrected, works as it is, "
                   "and so does the plan's schedule.xlsx corrected in its unit sheets (with "
                   "--today). With several scenarios: a folder with one <stem>.csv (or .xlsx) "
                   "each.")
@click.option("--today", help="First day of the re-plan, YYYY-MM-DD (default: the day after "
                              "the latest actual visit).")
@click.option("--keep-until", metavar="DATE", help="Keep the earlier plan's visits (in the "
              "output folder; each district's in ROOT) from the re-plan's first day to DATE (a "
              "trip under way then to its end) as announced, and plan the days after them.")
@click.option("--turnout-from-actuals", "observed", is_flag=True, help="With --actuals into the "
              "folder of the plan that announced the visits: plan with the lower turnout they "
              "showed (summary.json actuals.against_plan) instead of the scenario's.")
@click.option("--simulate", "runs", type=int, help="Replay the plan N times under the "
              "scenario's uncertainty: summary.json `simulation`, risk.png, the goal's chance.")
@click.option("--robust", "quantile", type=float, help="Plan for the Q-quantile (0 < Q < 1) "
              "of weighted counted recordings instead of the expected figures.")
@click.option("--check-plan", "plan_folder", type=click.Path(exists=True, file_okay=False,
              path_type=Path), help="Re-check the plan in FOLDER (edited by hand, or from "
              "elsewhere) against SCENARIO's rules instead of planning: exit 0 when it keeps "
              "them, 2 with one FILE:LINE line per broken rule.")
@click.option("--from-plan", "hand_folder", type=click.Path(exists=True, path_type=Path),
              help="Write the plan in PATH (a plan folder, its visits.csv or schedule.xlsx), "
              "edited by hand: visits moved, reordered, added or removed; its times taken again "
              "from the scenario, refused at the row of any broken rule.")
@click.option("--workers", type=click.IntRange(min=1),
              help="Plan the scenarios in N local processes (a Dask LocalCluster).")
@click.option("--scheduler", metavar="ADDRESS",
              help="Plan the scenarios on the Dask cluster at ADDRESS (tcp://host:8786).")
def main(scenario, output, check_only, force, time_limit, seed, deterministic, method, formats,
         lang, quiet, actuals_file, today, keep_until, observed, runs, quantile, plan_folder,
         hand_folder, workers, scheduler):
    """Plan jemput-bola field visits for SCENARIO (a scenario.yaml), or for several
    scenarios at once into -o ROOT."""
    set_up_process("stopped (SIGTERM); nothing written (an earlier plan in the output folder "
                   "is left as it was)")
    try:
        check_limits(time_limit, seed)
        options = check_options(actuals_file, today, keep_until, runs, quantile, method,
                                observed, hand_folder)
        if plan_folder is not None:
            from .plan_check import refuse_with
            refuse_with(option_error, scenario, output, check_only, options, workers or scheduler)
            options["plan_folder"] = plan_folder
        if len(scenario) == 1 and workers is None and scheduler is None:
            code = _run(scenario[0], output, check_only, force, time_limit, seed, deterministic,
                        method, formats, lang, quiet, options)
        else:
            given = [name for name, key in (("--simulate", "runs"), ("--robust", "quantile"),
                                            ("--from-plan", "hand_folder"))
                     if options[key] is not None]
            if given:
                raise option_error(given[0], "--simulate, --robust and --from-plan plan one "
                                   "scenario here: give one scenario file and no --workers "
                                   "or --scheduler")
            if options["actuals"] is not None and not options["actuals"].is_dir():
                raise option_error("--actuals", "with several scenarios, give a folder holding "
                                   "each one's actual visits as <stem>.csv or <stem>.xlsx")
            code = _run_many(scenario, output, check_only, force, time_limit, seed,
                             deterministic, method, formats, lang, quiet, workers, scheduler,
                             options)
    except BadInput as exc:
        for line in exc.lines:
            click.echo(line, err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        click.echo("interrupted; nothing written (an earlier plan in the output folder is left "
                   "as it was)", err=True)
        sys.exit(130)
    except Exception as exc:  # an internal error: say what, not a traceback
        if os.environ.get("JEMPUT_DEBUG"):
            raise
        click.echo(f"internal error: {type(exc).__name__}: {exc} "
                   "(set JEMPUT_DEBUG=1 for the traceback)", err=True)
        sys.exit(1)
    sys.exit(code)


def _loading(what, lang: str, warned: list | None = None):
    """Run `what()`; its located problems are bad input, its warnings are printed in `lang`
    (and counted into `warned`)."""
    from .notices import notice_line
    from .scenario import ScenarioError

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = what()
        except ScenarioError as exc:
            raise BadInput([str(p) for p in exc.problems]) from None
    for w in caught:
        click.echo(notice_line(w.message, lang), err=True)
    if warned is not None:
        warned.append(len(caught))
    return result


def _left_after_actuals(scenario, options: dict, report: dict, lang: str, warned=None):
    """The scenario left after the actuals; `report["actuals"]`, `options["replan"]`."""
    from .actuals import load_actuals
    from .check import Replan

    actuals = _loading(lambda: load_actuals(options["actuals"], scenario, options["today"]), lang,
                       warned)
    today = options["today"] or actuals.default_today(scenario)
    left = _loading(lambda: scenario.after(actuals, today), lang, warned)
    report["actuals"] = actuals.report(scenario, today)
    options["replan"] = Replan(scenario, actuals.visits, today)
    return left


def _make_plan(scenario, network, method, options, time_limit, seed, deterministic, quiet,
               lang, report: dict):
    """The plan (edited by hand, greedy, robust or optimised) and the rules it breaks."""
    from .check import check

    if options["hand_folder"] is not None:
        from .hand_plan import plan_from_folder

        # refused, at the rows, unless it passes planner.check on this network
        return _loading(lambda: plan_from_folder(scenario, options["hand_folder"], network),
                        lang), []
    if method == "greedy":
        from .baseline import plan_greedy

        plan = plan_greedy(scenario, network)
        return plan, check(scenario, plan, network=network)
    if options["quantile"] is not None:
        from .robust import plan_robust

        # plan_robust keeps only candidates that pass planner.check on this network
        plan, report["robust"] = plan_robust(scenario, options["quantile"], time_limit, seed,
                                             deterministic, network=network)
        return plan, []
    from .export.terminal import progress_printer
    from .interrupts import unless_interrupted_empty
    from .solve import solve

    # solve() hands out only plans that pass planner.check (it ran it on this network)
    return unless_interrupted_empty(solve(
        scenario, time_limit=time_limit, seed=seed, deterministic=deterministic, network=network,
        progress=progress_printer(quiet, lang, None if deterministic else time_limit))), []


def _simulated(scenario, plan, runs, seed, network, lang, report: dict) -> dict:
    """With `--simulate N`: summary.json `simulation` into `report`; the risk.png writer."""
    if runs is None:
        return {}
    from .export import risk
    from .simulate import simulate

    sim = simulate(scenario, plan, runs=runs, seed=seed, network=network)
    report["simulation"] = sim.figures
    return {"risk": lambda folder: risk.write(sim, scenario, folder, lang)}


def _run(scenario_path: Path, output, check_only, force, time_limit, seed, deterministic, method,
         formats, lang, quiet, options: dict) -> int:
    from .scenario import load_scenario, named_files

    chosen = parse_formats(formats)
    warned: list = []
    scenario = _loading(lambda: load_scenario(scenario_path), lang, warned)
    report: dict = {}
    if options["actuals"] is not None:
        scenario = _left_after_actuals(scenario, options, report, lang, warned)

    if options.get("plan_folder") is not None:
        from .plan_check import check_plan_folder
        return check_plan_folder(scenario, options["plan_folder"], lang, options.get("replan"))
    from .calendar import field_days

    days = field_days(scenario)
    if check_only:
        from .export.labels import label

        closed = [(vid, d.date) for vid in scenario.village_closures for d in days
                  if scenario.village_closed_on(vid, d.date)]
        click.echo(label("check_ok", lang).format(
            path=scenario_path, villages=len(scenario.villages), units=len(scenario.units),
            vs="s" * (len(scenario.villages) != 1), us="s" * (len(scenario.units) != 1),
            days=len(days), start=scenario.calendar.start, end=scenario.calendar.deadline)
            + (label("check_closures", lang).format(villages=len({v for v, _ in closed}),
                                                     village_days=len(closed)) if closed else "")
            + (label("check_warned", lang).format(n=sum(warned)) if sum(warned) else ""))
        return 0

    out = output or Path(f"{scenario_path.stem}-plan")
    from .export.folder import OutputFolderError, check_output_folder, write_plan_folder

    try:  # before planning: a long run must not end on a folder it may not write
        check_output_folder(out, force, inputs=[scenario_path, *named_files(scenario_path)])
    except OutputFolderError as exc:
        raise option_error("--output", str(exc)) from None
    from .changes import earlier_tables_in, schedule_changes
    from .network import TravelNetwork

    earlier = _loading(lambda: earlier_tables_in(out), lang)  # before the new plan replaces it
    if options["hand_folder"] is not None:
        from .hand_plan import warn_if_in_place
        _loading(lambda: warn_if_in_place(options["hand_folder"], out), lang)
    if "actuals" in report:  # a re-plan into the folder of an earlier one
        from .actuals import warn_if_earlier_actuals_missing
        _loading(lambda: warn_if_earlier_actuals_missing(out, report["actuals"]["by_village"]),
                 lang)
        from .turnout_check import against_plan, with_observed_turnout
        found = _loading(lambda: against_plan(out, scenario, report["actuals"]), lang)
        if found:
            report["actuals"]["against_plan"] = found
        if options["observed"]:
            scenario = _loading(lambda: with_observed_turnout(scenario, found), lang)
    network = TravelNetwork(scenario)  # one travel network for the planner and the check
    make = (lambda s: _make_plan(s, network, method, options, time_limit, seed, deterministic,
                                 quiet, lang, report))
    limited = None  # with --keep-until: what one more buys after the kept days
    if options["keep_until"] is None:
        plan, violations = make(scenario)
    else:
        from .keep import plan_keeping
        tables = earlier if earlier is not None and earlier[1] is not None else out  # read once
        plan, violations, *limited = _loading(lambda: plan_keeping(
            scenario, tables, options["keep_until"], network, make), lang)
        report["kept"] = plan.report.get("kept")
    if violations:
        click.echo(f"internal error: the planner produced a plan that breaks {len(violations)} "
                   "rule(s); nothing written:", err=True)
        for v in violations[:20]:
            click.echo(f"  {v}", err=True)
        return 1

    if earlier is not None:
        report["changes"] = _loading(lambda: schedule_changes(earlier[0], plan, earlier[1]), lang)
    from .limits import limits, limits_budget

    report["limits"] = limits(*(limited or (scenario, plan)), network,
                              budget_s=limits_budget(time_limit, deterministic))
    extra = _simulated(scenario, plan, options["runs"], seed, network, lang, report)
    if report:
        import dataclasses

        plan = dataclasses.replace(plan, report=report)
    try:
        written = write_plan_folder(plan, out, chosen, lang, force, extra, network,
                                    inputs=[options["actuals"]])
    except OutputFolderError as exc:
        raise option_error("--output", str(exc)) from None
    from .export.terminal import render, written_line

    if not quiet:
        click.echo(render(plan, lang))
    if report:
        from .export.risk import headlines

        for line in headlines(report, lang, plan.counted):
            click.echo(line)
    click.echo(written_line(plan, out, written, lang))
    return 0


def _run_many(paths, root, check_only, force, time_limit, seed, deterministic, method, formats,
              lang, quiet, workers, scheduler, given: dict) -> int:
    """Several scenarios into ROOT (DESIGN §4 "Many districts"); the batch is `planner.many`'s.
    Exit 2 if a scenario (or its folder) was wrong, 1 if a district failed otherwise."""
    from . import cluster, many
    from .export.labels import label
    from .export.province import RootFolderError, earlier_plans, prepare_root
    from .export.terminal import batch_progress_line
    from .notices import notice_line

    chosen = parse_formats(formats)
    if workers and scheduler:
        raise option_error("--workers", "give --workers N or --scheduler ADDRESS, not both")
    if scheduler is not None and not scheduler.strip():
        raise option_error("--scheduler", "empty address; give the cluster's address, for "
                           "example tcp://host:8786, or leave the option out")
    if check_only:
        codes, stems = [], set()
        for path in paths:
            if Path(path).stem in stems:  # planning refuses it: two districts, one folder
                click.echo(f"{path}:1: (file): another scenario is also named "
                           f"{Path(path).stem!r}; rename one (each district gets its own "
                           "folder)", err=True)
                codes.append(2)
                continue
            stems.add(Path(path).stem)
            try:
                codes.append(_run(path, None, True, force, time_limit, seed, deterministic,
                                  method, formats, lang, quiet,
                                  check_options(None, None, None, None, None, method)))
            except BadInput as exc:
                click.echo("\n".join(exc.lines), err=True)
                codes.append(2)
        return max(codes)
    if root is None:
        raise option_error("--output", "several scenarios need -o ROOT, the folder for their plans")
    options = {"solver": "greedy" if method == "greedy" else None, "time_limit": time_limit,
               "seed": seed, "deterministic": deterministic, "observed": given["observed"]}
    show = None if quiet else (lambda info: click.echo(batch_progress_line(info, lang), err=True))
    try:
        prepare_root(root, force)  # before a cluster starts: a wrong ROOT fails at once
        with cluster.dask_client(workers, scheduler) as client:
            results = many.plan_into_root(paths, root, client, options, chosen, lang, force,
                                          progress=show, actuals=given["actuals"],
                                          today=given["today"], keep_until=given["keep_until"])
    except RootFolderError as exc:
        raise option_error("--output", str(exc)) from None
    except KeyboardInterrupt:
        click.echo(label("batch_interrupted", lang).format(root=root), err=True)
        return 130
    except cluster.ClusterError as exc:
        raise option_error("--scheduler", str(exc)) from None
    for r in results:
        for line in [notice_line(w, lang) for w in r.located_warnings()] + list(r.errors):
            click.echo(line, err=True)
    for notice in earlier_plans(root, results):
        click.echo(notice_line(notice, lang), err=True)
    planned = sum(r.ok for r in results)
    click.echo(label("batch_written", lang).format(root=root, planned=planned,
                                                   total=len(results)))
    if planned == len(results):
        return 0
    return 2 if any(r.bad_input for r in results) else 1


if __name__ == "__main__":  # pragma: no cover
    main()
