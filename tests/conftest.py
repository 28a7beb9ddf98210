"""Named fixtures shared by the tests: small hand-made scenarios on a planar grid."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from planner.scenario import parse

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"

# A tiny planar campaign: 1 km = 2 minutes at 30 km/h, easy to compute by hand.
TINY = {
    "name": "tiny",
    "geometry": "planar",
    "calendar": {"start": "2024-01-01", "deadline": "2024-01-05", "holidays": "none"},
    "shift": {"weekday": {"start": "08:00", "end": "16:00"}},
    "recording": {"minutes_per_person": 5, "setup_minutes": 30, "turnout": 0.7},
    "travel": {"speed_kmh": 30},
    "places": [{"id": "base", "name": "Kantor", "x": 0, "y": 0}],
    "units": [{"id": "U1", "base": "base", "kits": 2, "crew": 3}],
    "villages": [
        {"id": "a", "name": "Desa A", "district": "Timur", "x": 3, "y": 4, "unrecorded": 100,
         "eligible": 1000, "recorded": 900},
        {"id": "b", "name": "Desa B", "district": "Barat", "x": 6, "y": 8, "unrecorded": 60},
    ],
}


def make_scenario(base: dict | None = None, **overrides):
    """Build a Scenario from a dict (TINY by default) with top-level keys replaced."""
    data = copy.deepcopy(base if base is not None else TINY)
    data.update(copy.deepcopy(overrides))
    return parse(yaml.safe_dump(data, sort_keys=False), source="<test>")


def with_backlog(village: dict, unrecorded: int) -> dict:
    """A copy of a village's fields with another backlog, its `eligible` (where given) raised
    to hold it: unrecorded residents are some of the eligible ones."""
    out = dict(village, unrecorded=unrecorded)
    if out.get("eligible") is not None:
        out["eligible"] = max(out["eligible"], (out.get("recorded") or 0) + unrecorded)
    return out


def causes(plan) -> dict[str, str]:
    """Village id -> the code of its left-out cause (planner/reasons.py)."""
    return {vid: c["cause"] for vid, c in plan.solver["left_out_causes"].items()}


@pytest.fixture
def tiny_scenario():
    return make_scenario()


@pytest.fixture
def scenario_factory():
    return make_scenario
