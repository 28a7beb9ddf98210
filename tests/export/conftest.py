"""Fixtures of the export tests: the WITA sample scenario and its hand-made plan."""
from __future__ import annotations

import pytest

from tests.conftest import make_scenario
from tests.export.sample import GEO, hand_made_plan


@pytest.fixture
def geo_scenario():
    return make_scenario(GEO)


@pytest.fixture
def geo_plan(geo_scenario):
    return hand_made_plan(geo_scenario)
