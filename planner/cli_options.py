"""The command line's option values, checked before any work: a wrong one is a `BadInput`,
exit 2 with a `<command line>:1: --option: message` line (DESIGN §4)."""
from __future__ import annotations

import datetime as dt
import math

MOST_SEED = 2**31 - 1  # the solvers' random seeds are 32-bit
MOST_RUNS = 1_000_000  # simulated runs: beyond this the runs' table does not fit in memory


class BadInput(Exception):
    """A wrong scenario or option: exit 2 with these lines."""

    def __init__(self, lines: list[str]):
        from .scenario.errors import one_line

        self.lines = [one_line(line) for line in lines]
        super().__init__("\n".join(lines))


def option_error(option: str, message: str) -> BadInput:
    return BadInput([f"<command line>:1: {option}: {message}"])


def check_limits(time_limit: float, seed: int) -> None:
    """The time limit and the seed, checked before any work (exit 2 on a wrong one)."""
    if not math.isfinite(time_limit) or time_limit <= 0:
        raise option_error("--time-limit", "must be a positive number of seconds")
    if not 0 <= seed <= MOST_SEED:
        raise option_error("--seed", f"must be a whole number from 0 to {MOST_SEED}")


def date_option(name: str, text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise option_error(name, f"{text!r} is not a date; expected YYYY-MM-DD") from None


def check_options(actuals_file, today, keep_until, runs, quantile, method,
                  observed=False, hand_folder=None) -> dict:
    """The mid-campaign options, checked before any work (exit 2 on a wrong one)."""
    if hand_folder is not None:
        clash = next((name for name, value in (
            ("--keep-until", keep_until), ("--robust", quantile),
            ("--turnout-from-actuals", observed), ("--planner greedy", method == "greedy"))
            if value), None)
        if clash:
            raise option_error("--from-plan", f"writes the plan in {hand_folder} as it is; "
                               f"{clash} plans, so leave out one of them")
    if observed and actuals_file is None:
        raise option_error("--turnout-from-actuals", "compares the visits that happened with "
                           "the plan that announced them; give them with --actuals FILE")
    if today is not None:
        if actuals_file is None:
            raise option_error("--today", "is the first day of a re-plan; give the visits "
                               "that happened with --actuals FILE")
        today = date_option("--today", today)
    if runs is not None and not 1 <= runs <= MOST_RUNS:
        raise option_error("--simulate", f"the number of runs must be from 1 to {MOST_RUNS:,}")
    if quantile is not None and not 0 < quantile < 1:
        raise option_error("--robust", f"{quantile:g} is not a quantile strictly between 0 "
                           "and 1 (for example 0.1)")
    if quantile is not None and method == "greedy":
        raise option_error("--robust", "plans with the optimiser; leave out --planner greedy")
    if keep_until is not None:
        keep_until = date_option("--keep-until", keep_until)
    return {"actuals": actuals_file, "today": today, "keep_until": keep_until, "runs": runs,
            "quantile": quantile, "observed": observed, "hand_folder": hand_folder}


def parse_formats(text: str) -> list[str] | None:
    """The `--formats` list; None for every format."""
    from .export import OPTIONAL_FORMATS

    if text.strip() in ("all", ""):
        return None
    chosen = [f.strip() for f in text.split(",") if f.strip()]
    bad = [f for f in chosen if f not in OPTIONAL_FORMATS and f != "tables"]
    if bad:
        raise option_error("--formats", f"unknown format {bad[0]!r}; expected some of "
                           f"{', '.join(OPTIONAL_FORMATS)} or all")
    return chosen
