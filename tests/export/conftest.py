"""Fixtures of the export tests: the WITA sample scenario and its hand-made plan; the same
campaign with lodgings and a hand-made plan of overnight trips."""
from __future__ import annotations

import pytest

from tests.conftest import make_scenario
from tests.export.sample import GEO, TRIPS, hand_made_plan, trip_plan


@pytest.fixture
def geo_scenario():
    return make_scenario(GEO)


@pytest.fixture
def geo_plan(geo_scenario):
    return hand_made_plan(geo_scenario)


@pytest.fixture
def trip_scenario():
    return make_scenario(TRIPS)


@pytest.fixture
def trips(trip_scenario):
    return trip_plan(trip_scenario)
