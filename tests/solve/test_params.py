"""The search's parameters (`solve/params.py`) are validated."""
from __future__ import annotations

import pytest

from planner.solve.params import SearchParams


def test_defaults_are_valid_and_bad_values_are_refused():
    assert SearchParams().lns_until == 0.75
    with pytest.raises(ValueError, match="lns_until"):
        SearchParams(lns_until=1.5)
    with pytest.raises(ValueError, match="max_window"):
        SearchParams(max_window=-1)
    with pytest.raises(ValueError, match="guide_betas"):
        SearchParams(guide_betas=())


def test_the_walk_must_look_for_the_lp_at_some_step():
    with pytest.raises(ValueError, match="lp_every_steps"):
        SearchParams(lp_every_steps=0)
