"""Scenario: parse (text -> data), load (files), model (immutable, `.replace`)."""
from .errors import Problem, ScenarioError
from .load import expect_scenario, load_scenario, named_files, read_village_table
from .model import Scenario, Unit, Village, Place, Link
from .parse import parse

__all__ = ["Problem", "ScenarioError", "expect_scenario", "load_scenario", "named_files", "read_village_table", "parse",
           "Scenario", "Unit", "Village", "Place", "Link"]
