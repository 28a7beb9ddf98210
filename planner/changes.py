"""What a new plan changes for the villages already told when the team comes.

The villages hold the earlier plan's notices ("the team comes on Saturday the 12th,
08.00-12.30"). When the office plans again into the same folder (a re-plan from the actuals,
a variant with another unit, a longer search), the new plan may move, cancel or add visits,
and the office must tell exactly those villages. `schedule_changes(earlier_visits, plan)`
compares, village by village, the announced visits of both plans from the new plan's first day
on (earlier days are history: the actuals hold what happened), by what a notice says: the date
and the service hours as the announcements round them (start down, end up, to 5 minutes). A
visit moved to another unit with the same hours is no change for the village.

The result is summary.json `changes`: the first day compared, how many villages keep their
visits unchanged, and one entry per village whose visits change (`changed`: other dates or
hours; `cancelled`: no visit any more; `added`: a visit where none was announced), which the
tables writer puts into `changes.csv` and the announcements mention, and the earlier visits and
nights away withdrawn from the teams' calendars (`withdrawn`, `withdrawn_nights`: `export.ics`
cancels them), and the campaign part of the UIDs those calendars were published with
(`calendar_campaign`, which the new calendars keep).
`compare_plans(earlier, plan)` gives the rows as a DataFrame for notebooks
(`planner.compare_plans`).
"""
from __future__ import annotations

import datetime as dt
import warnings
from collections import defaultdict
from pathlib import Path

import pandas as pd

from .notices import Notice
from .plan import Plan, hms
from .scenario.errors import Problem, ScenarioError

FIVE_MINUTES = 300
CHANGE_KINDS = ("changed", "cancelled", "added")  # in changes.csv's order
NAMES_KEY = "village_names"  # earlier visits' attrs: the names its visits.csv wrote
CHANGES_COLUMNS = ("village_id", "village", "district", "change", "earlier", "now")

Announced = tuple[tuple[dt.date, int, int], ...]  # (date, start, end) a village is told, sorted


def earlier_tables_in(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame | None] | None:
    """The visits and days of the plan written earlier into `folder`, read before a new plan
    replaces it (`keep_tables.read_earlier_tables`); None where the folder holds no plan. One
    that cannot be read is a warning, not a failure: the new plan does not depend on it."""
    from .export.folder import holds_plan
    from .export.ics_uid import CAMPAIGN_KEY, published_campaign
    from .keep_tables import read_earlier_tables

    folder = Path(folder)
    if not folder.is_dir() or not holds_plan(folder):
        return None
    try:
        tables = read_earlier_tables(folder)
    except ScenarioError as exc:
        warnings.warn(Notice("changes_unreadable", problem=str(exc.problems[0])))
        return None
    if tables is not None:  # the UIDs its calendars were published with (`export.ics_uid`)
        tables[0].attrs[CAMPAIGN_KEY] = published_campaign(folder)
        tables[0].attrs[NAMES_KEY] = written_names(folder)
    return tables


def announced_hours(start: int, end: int) -> tuple[int, int]:
    """Service hours as a notice gives them, rounded outward to 5 minutes (start down, end up):
    a notice never says the team is there later, or leaves earlier, than it is (07.43-15.46
    -> 07.40-15.50)."""
    return start // FIVE_MINUTES * FIVE_MINUTES, -(-end // FIVE_MINUTES) * FIVE_MINUTES


def earlier_announced(visits: pd.DataFrame, since: dt.date) -> dict[str, Announced]:
    """Each village's announced visits from `since` on in an earlier plan's visits (as
    `keep_tables.read_earlier_tables` parses them: dates, seconds after midnight)."""
    told: dict[str, list] = defaultdict(list)
    for date, vid, start, end in visits[["date", "village_id", "start", "end"]].itertuples(
            index=False, name=None):
        if date >= since:
            told[vid].append((date, *announced_hours(int(start), int(end))))
    return {vid: tuple(sorted(set(v))) for vid, v in told.items()}


def plan_announced(plan: Plan, since: dt.date) -> dict[str, Announced]:
    """Each village's visits from `since` on in `plan`, as its announcements give them."""
    told: dict[str, list] = defaultdict(list)
    for route in plan.routes:
        if route.date >= since:
            for stop in route.stops:
                told[stop.village_id].append((route.date, *announced_hours(stop.start, stop.end)))
    return {vid: tuple(sorted(set(v))) for vid, v in told.items()}


def said(visits: Announced) -> str:
    """`2018-05-12 08:00-12:30; 2018-05-19 07:40-10:05` (empty without visits)."""
    return "; ".join(f"{d.isoformat()} {_hhmm(s)}-{_hhmm(e)}" for d, s, e in visits)


def announced_visits(text: str) -> list[tuple[dt.date, int, int]]:
    """`said`'s text read back: [(date, start, end)] (announcements word them again)."""
    visits = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        day, hours = part.split(" ")
        start, end = (int(h[:2]) * 3600 + int(h[3:5]) * 60 for h in hours.split("-"))
        visits.append((dt.date.fromisoformat(day), start, end))
    return visits


def schedule_changes(earlier_visits: pd.DataFrame, plan: Plan,
                     earlier_days: pd.DataFrame | None = None) -> dict:
    """summary.json `changes`: the new plan's announced visits against the earlier plan's,
    from the new plan's first day (its calendar's start: a re-plan's `today`); with the
    earlier days, the nights away the new plan withdraws too. A village told before that the
    scenario no longer has keeps the name visits.csv wrote, with a warning: no message or
    announcement can be written for it."""
    since = plan.scenario.calendar.start
    before = earlier_announced(earlier_visits, since)
    now = plan_announced(plan, since)
    names = {**earlier_visits.attrs.get(NAMES_KEY, {}),
             **{v.id: (v.label, v.district or "") for v in plan.scenario.villages}}
    rows, unchanged = [], 0
    for vid in set(before) | set(now):
        was, will = before.get(vid, ()), now.get(vid, ())
        if was == will:
            unchanged += 1
            continue
        kind = "cancelled" if not will else "added" if not was else "changed"
        name, district = names.get(vid, ("", ""))
        rows.append({"village_id": vid, "village": name, "district": district, "change": kind,
                     "earlier": said(was), "now": said(will)})
    rows.sort(key=lambda r: (CHANGE_KINDS.index(r["change"]), r["district"], r["village"],
                             r["village_id"]))
    counts = {kind: sum(r["change"] == kind for r in rows) for kind in CHANGE_KINDS}
    same = any(vid in plan.scenario.village_index for vid in before)  # not another campaign
    for row in rows:  # no message or announcement can be written for a village not planned
        if same and row["village_id"] not in plan.scenario.village_index:
            _warn_gone(row, before[row["village_id"]], plan)
    return {"since": since.isoformat(), "unchanged": unchanged, **counts, "villages": rows,
            "withdrawn": withdrawn(earlier_visits, plan, since),
            "withdrawn_nights": [] if earlier_days is None else
            withdrawn_nights(earlier_days, plan, since),
            **calendar_campaign(earlier_visits, plan)}


def _warn_gone(row: dict, told: Announced, plan: Plan) -> None:
    """Warn of a village told before (`told`: its announced visits) that the scenario no longer
    has: removed (tell it), or under another id with the same name and kecamatan (an id
    corrected: its message goes out under the new id, as a new one)."""
    now = [v.id for v in plan.scenario.villages if row["village"] and
           (v.label, v.district or "") == (row["village"], row["district"])]
    fields = dict(village=row["village_id"], name=row["village"] or row["village_id"],
                  district=row["district"] or "?", visits=len(told), first=told[0][0].isoformat())
    if len(now) == 1:
        warnings.warn(Notice("changes_village_renamed", now=now[0], **fields))
    else:
        warnings.warn(Notice("changes_village_gone", **fields))


def written_names(folder: Path) -> dict[str, tuple[str, str]]:
    """Village id -> (name, kecamatan) as the earlier plan's visits.csv in `folder` wrote them
    (none where it lacks those columns)."""
    try:
        df = pd.read_csv(folder / "visits.csv", dtype=str, keep_default_na=False)
        rows = df[["village_id", "village", "district"]].itertuples(index=False, name=None)
        return {vid.strip(): (name.strip(), district.strip()) for vid, name, district in rows}
    except (ValueError, KeyError, OSError, AttributeError):
        return {}


def calendar_campaign(earlier_visits: pd.DataFrame, plan: Plan) -> dict:
    """`calendar_campaign`: the campaign part of the UIDs the earlier plan's calendars were
    published with (`earlier_tables_in` reads it), which this plan's calendars keep, so that
    they update and cancel those events even where the scenario was renamed; only where the
    earlier plan visited one of this scenario's villages (else it was another campaign)."""
    from .export.ics_uid import CAMPAIGN_KEY

    published = earlier_visits.attrs.get(CAMPAIGN_KEY)
    same = earlier_visits["village_id"].isin(list(plan.scenario.village_index)).any()
    return {CAMPAIGN_KEY: published} if published and same else {}


def withdrawn(earlier_visits: pd.DataFrame, plan: Plan, since: dt.date) -> list[dict]:
    """The earlier plan's visits from `since` on whose unit no longer visits that village on
    that day: the events the teams' calendars must drop (`export.ics` writes them cancelled,
    under the same UID). A visit kept with other hours is an update, not listed."""
    now = {(r.unit, r.date, s.village_id) for r in plan.routes for s in r.stops}
    gone = sorted((date, unit, int(start), vid, int(end)) for unit, date, vid, start, end in
                  earlier_visits[["unit", "date", "village_id", "start", "end"]].itertuples(
                      index=False, name=None)
                  if date >= since and (unit, date, vid) not in now)
    return [{"unit": unit, "date": date.isoformat(), "village_id": vid, "start": hms(start),
             "end": hms(end)} for date, unit, start, vid, end in gone]


def withdrawn_nights(earlier_days: pd.DataFrame, plan: Plan, since: dt.date) -> list[dict]:
    """The earlier plan's nights away from `since` on (a day ending elsewhere than the unit's
    home) on which the unit now sleeps at home: the all-day events the teams' calendars must
    drop. A night moved to another lodging is an update of the same event, not listed; a unit
    the scenario no longer has (sold, or its id changed) sleeps away no more, its home being
    where its last day in the earlier plan ended (every trip ends at home)."""
    away = {(r.unit, r.date) for r in plan.routes if plan.away_at_night(r)}
    rows = sorted(earlier_days[["unit", "date", "end_place"]].itertuples(index=False, name=None))
    last_end = {unit: place for unit, _, place in rows}  # by date: each unit's last day's
    return [{"unit": unit, "date": date.isoformat(), "night_at": place}
            for unit, date, place in rows
            if date >= since and (plan.home(unit) or last_end[unit]) != place
            and (unit, date) not in away]


def compare_plans(earlier: Plan | str | Path, plan: Plan) -> pd.DataFrame:
    """The villages whose announced visits `plan` changes against `earlier` (a Plan, or the
    folder it was written to), one row each as in changes.csv."""
    for name, value, folder in (("earlier", earlier, True), ("plan", plan, False)):
        if not isinstance(value, Plan) and not (folder and isinstance(value, (str, Path))):
            raise TypeError(f"compare_plans: {name} must be a Plan{' or its folder' * folder}, "
                            f"not a {type(value).__name__}")
    if isinstance(earlier, Plan):
        from .keep_tables import tables_of

        visits = tables_of(earlier)[0]
    else:
        from .keep_tables import read_earlier_tables

        tables = read_earlier_tables(Path(earlier))
        if tables is None:
            raise ScenarioError([Problem(str(earlier), 1, "(folder)",
                                         "holds no visits.csv of an earlier plan")])
        visits = tables[0]
    return changes_table(schedule_changes(visits, plan))


def changes_table(changes: dict) -> pd.DataFrame:
    """summary.json `changes`' villages as changes.csv's rows."""
    return pd.DataFrame(changes["villages"], columns=list(CHANGES_COLUMNS))


def villages_to_tell(changes: dict | None) -> int | None:
    """How many villages summary.json `changes` moves, cancels or adds visits of (the
    province table's `villages_to_tell`); None where the folder held no earlier plan."""
    return None if changes is None else len(changes["villages"])


def _hhmm(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"
