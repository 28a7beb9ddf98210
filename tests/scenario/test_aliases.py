"""YAML aliases that would expand a small file into millions of values are refused at once."""
from __future__ import annotations

import time

import pytest
import yaml

from planner.scenario import aliases, parse
from planner.scenario.errors import ScenarioError
from tests.conftest import TINY


def _bomb(levels: int, width: int = 10) -> str:
    """The scenario TINY with `extra_holidays` an alias nesting `levels` lists of `width`."""
    lines = ["x-dates:", "  - &a0 [" + ", ".join(["2024-01-02"] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"  - &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    text = yaml.safe_dump(TINY, sort_keys=False)
    text = text.replace("holidays: none", f"holidays: none\n  extra_holidays: *a{levels - 1}")
    return "\n".join(lines) + "\n" + text


def test_a_billion_laughs_file_is_refused_at_its_anchor_in_well_under_a_second():
    started = time.monotonic()
    with pytest.raises(ScenarioError) as exc:
        parse(_bomb(10), source="bomb.yaml")
    assert time.monotonic() - started < 1.0
    (problem,) = exc.value.problems
    assert (problem.file, problem.line, problem.path) == ("bomb.yaml", 11, "(yaml)")
    assert "aliases" in problem.message and "10,000,000,000" not in problem.message


def test_the_limit_counts_values_added_by_aliases(monkeypatch):
    monkeypatch.setattr(aliases, "MAX_ALIAS_VALUES", 1_000)
    with pytest.raises(ScenarioError, match="aliases"):
        parse(_bomb(3), source="bomb.yaml")  # 2,434 values: about 80 written
    monkeypatch.setattr(aliases, "MAX_ALIAS_VALUES", 5_000)
    with pytest.raises(ScenarioError, match="x-dates"):  # under the limit: the schema speaks
        parse(_bomb(3), source="bomb.yaml")


def test_merge_keys_and_a_few_aliases_still_read():
    text = yaml.safe_dump(TINY, sort_keys=False).replace(
        "- id: U1\n  base: base\n  kits: 2\n  crew: 3",
        "- &u1\n  id: U1\n  base: base\n  kits: 2\n  crew: 3\n- <<: *u1\n  id: U2")
    assert [u.id for u in parse(text).units] == ["U1", "U2"]
