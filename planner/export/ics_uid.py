"""The UIDs of the calendars' events (`export.ics`): what lets a phone update or cancel an event
it imported from an earlier plan instead of adding a second one.

A visit's UID is `<campaign>.<unit>.<date>.<village>@jemput`, a night away's
`<campaign>.<unit>.<date>.night@jemput`. The campaign part keeps the events of several
districts apart on one phone (a province planner may import every district's calendar); it
is the slug of the scenario's name, except where the output folder held an earlier plan of
the same campaign: then it is the campaign part that plan's calendars were published with
(`published_campaign`, carried in summary.json `changes.calendar_campaign`), so that renaming
the scenario ("Lombok Tengah 2018 (revisi)") still updates and cancels the events the teams
hold.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

DOMAIN = "@jemput"
CAMPAIGN_KEY = "calendar_campaign"  # in summary.json `changes` (and the earlier visits' attrs)
_CAMPAIGN = re.compile(rb"^UID:([a-z0-9-]+)\.[^\r\n]*@jemput\r?$", re.MULTILINE)


def slug(text: str) -> str:
    """`Lombok Tengah 2018` -> `lombok-tengah-2018` (`plan` for a text without letters)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "plan"


@lru_cache(maxsize=16)
def _shared_slugs(ids: tuple[str, ...]) -> frozenset[str]:
    counts = Counter(slug(i) for i in ids)
    return frozenset(s for s, n in counts.items() if n > 1)


def _uid_part(ident: str, ids: tuple[str, ...]) -> str:
    """An id as a UID part: its slug, and where another id of the same kind has the same slug
    (`a.1` and `a-1`), a short hash of the id itself, so that two visits never share a UID
    (a phone would merge them) while every other UID stays as it was."""
    part = slug(ident)
    if part in _shared_slugs(ids):
        part += "-" + hashlib.sha1(ident.encode("utf-8")).hexdigest()[:8]
    return part


def campaign(plan) -> str:
    """The campaign part of the plan's UIDs: the earlier plan's in the folder where it had
    one (`changes.calendar_campaign`), else the slug of the scenario's name."""
    earlier = (plan.report.get("changes") or {}).get(CAMPAIGN_KEY)
    return earlier or slug(plan.scenario.name)


def visit_uid(sc, campaign_part: str, unit: str, day: dt.date, village_id: str) -> str:
    """Same campaign, unit, day and village -> same UID."""
    return (f"{campaign_part}.{_uid_part(unit, tuple(sc.unit_index))}.{day.isoformat()}."
            f"{_uid_part(village_id, tuple(sc.village_index))}{DOMAIN}")


def night_uid(sc, campaign_part: str, unit: str, day: dt.date) -> str:
    """Same campaign, unit and night -> same UID."""
    return (f"{campaign_part}.{_uid_part(unit, tuple(sc.unit_index))}.{day.isoformat()}"
            f".night{DOMAIN}")


def published_campaign(folder: Path) -> str | None:
    """The campaign part of the UIDs in the calendars of the plan in `folder` (its
    `calendar/*.ics`, all.ics first), the most frequent where they differ; None where it
    holds no calendar with such UIDs."""
    files = sorted(Path(folder).glob("calendar/*.ics"),
                   key=lambda p: (p.name.lstrip("_") != "all.ics", p.name))
    for path in files:
        try:
            raw = path.read_bytes().replace(b"\r\n ", b"").replace(b"\r\n\t", b"")
        except OSError:
            continue
        found = Counter(m.group(1).decode("ascii") for m in _CAMPAIGN.finditer(raw))
        if found:
            return found.most_common(1)[0][0]
    return None
