"""plan-routes: a thin click CLI over the library (argument parsing, progress, exit codes).

Exit status (DESIGN §4): 0 plan written; 2 the scenario or an option is wrong (one
`FILE:LINE: field.path: message` line per problem, no traceback); 1 an internal error.
"""
from __future__ import annotations

import os
import sys
import time
import warnings
from pathlib import Path

import click

class BadInput(Exception):
    """A wrong scenario or option: exit 2 with these lines."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        super().__init__("\n".join(lines))


def _option_error(option: str, message: str) -> BadInput:
    return BadInput([f"<command line>:1: {option}: {message}"])


def _progress_printer(quiet: bool):
    last = [0.0]

    def show(info: dict) -> None:
        if quiet or time.monotonic() - last[0] < 2.0:
            return
        last[0] = time.monotonic()
        parts = [f"{info.get('elapsed', 0):6.1f}s", f"counted {info.get('counted', '?')}"]
        if info.get("bound") is not None:
            parts.append(f"bound {info['bound']:.0f}")
        if info.get("gap") is not None:
            parts.append(f"gap {100 * info['gap']:.2f}%")
        click.echo("  " + "  ".join(parts), err=True)

    return show


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("scenario", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", "output", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: <scenario stem>-plan/); with several scenarios, "
                   "ROOT: one <stem>-plan/ each plus summary.csv, summary.xlsx and map.html.")
@click.option("--check", "check_only", is_flag=True, help="Only validate the scenario.")
@click.option("--force", is_flag=True, help="Replace an output folder that holds something else.")
@click.option("--time-limit", type=float, default=60.0, show_default=True,
              help="Solver time limit in seconds.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option("--deterministic", is_flag=True,
              help="Iteration limits instead of wall-clock: same seed, same plan.")
@click.option("--planner", "method", type=click.Choice(["optimise", "greedy"]), default="optimise",
              show_default=True, help="The optimiser, or the greedy baseline.")
@click.option("--formats", default="all", show_default=True,
              help="Comma-separated outputs: calendar,schedule,announcements,map,progress "
                   "(visits.csv, days.csv and summary.json are always written).")
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True,
              help="Language of workbook and terminal labels.")
@click.option("-q", "--quiet", is_flag=True, help="No progress lines.")
@click.option("--workers", type=click.IntRange(min=1),
              help="Plan the scenarios in N local processes (a Dask LocalCluster).")
@click.option("--scheduler", metavar="ADDRESS",
              help="Plan the scenarios on the Dask cluster at ADDRESS (tcp://host:8786).")
def main(scenario, output, check_only, force, time_limit, seed, deterministic, method, formats,
         lang, quiet, workers, scheduler):
    """Plan jemput-bola field visits for SCENARIO (a scenario.yaml), or for several
    scenarios at once into -o ROOT."""
    try:
        if len(scenario) == 1 and workers is None and scheduler is None:
            code = _run(scenario[0], output, check_only, force, time_limit, seed, deterministic,
                        method, formats, lang, quiet)
        else:
            code = _run_many(scenario, output, check_only, force, time_limit, seed,
                             deterministic, method, formats, lang, quiet, workers, scheduler)
    except BadInput as exc:
        for line in exc.lines:
            click.echo(line, err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        click.echo("interrupted before a plan existed; nothing written", err=True)
        sys.exit(130)
    except Exception as exc:  # an internal error: say what, not a traceback
        if os.environ.get("JEMPUT_DEBUG"):
            raise
        click.echo(f"internal error: {type(exc).__name__}: {exc} "
                   "(set JEMPUT_DEBUG=1 for the traceback)", err=True)
        sys.exit(1)
    sys.exit(code)


def _parse_formats(text: str) -> list[str] | None:
    from .export import OPTIONAL_FORMATS

    if text.strip() in ("all", ""):
        return None
    chosen = [f.strip() for f in text.split(",") if f.strip()]
    bad = [f for f in chosen if f not in OPTIONAL_FORMATS and f != "tables"]
    if bad:
        raise _option_error("--formats", f"unknown format {bad[0]!r}; expected some of "
                            f"{', '.join(OPTIONAL_FORMATS)} or all")
    return chosen


def _run(scenario_path: Path, output, check_only, force, time_limit, seed, deterministic, method,
         formats, lang, quiet) -> int:
    from .scenario import ScenarioError, load_scenario

    chosen = _parse_formats(formats)
    if time_limit <= 0:
        raise _option_error("--time-limit", "must be a positive number of seconds")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            scenario = load_scenario(scenario_path)
        except ScenarioError as exc:
            raise BadInput([str(p) for p in exc.problems]) from None
    for w in caught:
        click.echo(f"warning: {w.message}", err=True)

    from .calendar import field_days

    days = field_days(scenario)
    if check_only:
        click.echo(f"{scenario_path}: OK: {len(scenario.villages)} villages, "
                   f"{len(scenario.units)} units, {len(days)} field days "
                   f"({scenario.calendar.start} to {scenario.calendar.deadline})")
        return 0

    from .check import check
    from .network import TravelNetwork

    network = TravelNetwork(scenario)  # one travel network for the planner and the check
    if method == "greedy":
        from .baseline import plan_greedy

        plan = plan_greedy(scenario, network)
        violations = check(scenario, plan, network=network)
    else:
        from .solve import solve

        # solve() hands out only plans that pass planner.check (it ran it on this network)
        plan = solve(scenario, time_limit=time_limit, seed=seed, deterministic=deterministic,
                     progress=_progress_printer(quiet), network=network)
        violations = []
    if violations:
        click.echo(f"internal error: the planner produced a plan that breaks {len(violations)} "
                   "rule(s); nothing written:", err=True)
        for v in violations[:20]:
            click.echo(f"  {v}", err=True)
        return 1

    out = output or Path(f"{scenario_path.stem}-plan")
    from .export.folder import OutputFolderError, write_plan_folder

    try:
        written = write_plan_folder(plan, out, chosen, lang, force)
    except OutputFolderError as exc:
        raise _option_error("--output", str(exc)) from None
    s = plan.summary()
    if not quiet:
        try:
            from .export.terminal import render

            click.echo(render(plan, lang))
        except ImportError:
            pass
    gap = f", gap {100 * s['gap']:.2f}%" if s.get("gap") is not None else ""
    click.echo(f"{out}/: {s['visits']} visits, {s['counted_recordings']} recordings counted"
               f"{gap}; wrote {', '.join(written)}")
    return 0


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


def batch_progress_line(info: dict) -> str:
    """One line for the terminal from a `planner.many.plan_many` progress report."""
    head = f"[{info['done']:>{len(str(info['total']))}}/{info['total']}]"
    if info["event"] == "started":
        return f"{head} started {info['district']} (worker pid {info['pid']})"
    r = info["result"]
    if r.ok:
        row = r.row()
        what = (f"{row['counted']} counted, zone {row['zone_before'] or '–'} -> "
                f"{row['zone'] or '–'}, {r.seconds:.0f} s")
    else:
        what = "bad input" if r.bad_input else "failed"
    running = ", ".join(info["running"]) or "none"
    return f"{head} {r.name}: {what} | running: {running} | left: ~{_duration(info['eta_s'])}"


def _run_many(paths, root, check_only, force, time_limit, seed, deterministic, method, formats,
              lang, quiet, workers, scheduler) -> int:
    """Several scenarios into ROOT (DESIGN §4 "Many districts"); the batch is `planner.many`'s.
    Exit 2 if a scenario (or its folder) was wrong, 1 if a district failed otherwise."""
    from . import many
    from .export.province import RootFolderError, prepare_root

    chosen = _parse_formats(formats)
    if time_limit <= 0:
        raise _option_error("--time-limit", "must be a positive number of seconds")
    if workers and scheduler:
        raise _option_error("--workers", "give --workers N or --scheduler ADDRESS, not both")
    if check_only:
        codes = []
        for path in paths:
            try:
                codes.append(_run(path, None, True, force, time_limit, seed, deterministic,
                                  method, formats, lang, quiet))
            except BadInput as exc:
                click.echo("\n".join(exc.lines), err=True)
                codes.append(2)
        return max(codes)
    if root is None:
        raise _option_error("--output", "several scenarios need -o ROOT, the folder for their plans")
    options = {"solver": "greedy" if method == "greedy" else None, "time_limit": time_limit,
               "seed": seed, "deterministic": deterministic}
    show = None if quiet else (lambda info: click.echo(batch_progress_line(info), err=True))
    try:
        prepare_root(root, force)  # before a cluster starts: a wrong ROOT fails at once
        with many.dask_client(workers, scheduler) as client:
            results = many.plan_into_root(paths, root, client, options, chosen, lang, force,
                                          progress=show)
    except RootFolderError as exc:
        raise _option_error("--output", str(exc)) from None
    except KeyboardInterrupt:
        click.echo(f"interrupted: the district folders in {root}/ are whole; districts not "
                   "finished were not written, nor the summary", err=True)
        return 130
    except many.ClusterError as exc:
        raise _option_error("--scheduler", str(exc)) from None
    for r in results:
        for line in [f"warning: {w}" for w in r.warnings] + list(r.errors):
            click.echo(line, err=True)
    planned = sum(r.ok for r in results)
    click.echo(f"{root}/: {planned} of {len(results)} districts planned; wrote summary.csv, "
               "summary.xlsx, map.html")
    if planned == len(results):
        return 0
    return 2 if any(r.bad_input for r in results) else 1


if __name__ == "__main__":  # pragma: no cover
    main()
