"""Helpers for tests that parse a scenario's text and read its problems as printed lines."""
from __future__ import annotations

import pytest

from planner.scenario import ScenarioError, parse


def problems(text: str) -> list[str]:
    """The `FILE:LINE: field.path: message` lines of a text that must be refused."""
    with pytest.raises(ScenarioError) as err:
        parse(text, source="s.yaml")
    return [str(p) for p in err.value.problems]


def line_of(text: str, needle: str) -> int:
    """The first line of `text` that holds `needle`, counted from 1."""
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)
