"""`python -m planner`: the same command as `plan-routes`."""
from __future__ import annotations

import runpy
import sys

import pytest


def test_python_m_planner_is_plan_routes(monkeypatch, capsys):
    # was "No module named planner.__main__; 'planner' is a package and cannot be directly
    # executed"
    monkeypatch.setattr(sys, "argv", ["python -m planner", "--help"])
    with pytest.raises(SystemExit) as ended:
        runpy.run_module("planner", run_name="__main__")
    assert ended.value.code == 0
    assert capsys.readouterr().out.startswith("Usage: plan-routes [OPTIONS] SCENARIO")


def test_a_process_a_batch_spawns_does_not_run_it_again(monkeypatch):
    monkeypatch.setattr(sys, "argv", ["python -m planner", "--help"])
    runpy.run_module("planner", run_name="__mp_main__")  # would exit, as the line above
