"""jemput: field planning for e-KTP mobile recording units (jemput bola).

Library use (DESIGN §5)::

    import planner
    scenario = planner.load_scenario("scenarios/pesawaran-2018.yaml")
    plan = planner.solve(scenario, time_limit=30, seed=1)
    assert not planner.check(scenario, plan)

The functions are imported eagerly: a lazy import of the sub-modules `check`, `solve`,
`sweep`, `simulate` or `many` would rebind these package attributes to the modules themselves.
"""
from .scenario import Scenario, ScenarioError, load_scenario, parse
from .plan import Plan, Route, Stop
from .check import Violation, check
from .solve import solve
from .sweep import sweep
from .actuals import load_actuals
from .simulate import simulate
from .many import solve_many
from .keep import solve_keeping
from .changes import compare_plans
from .hand_plan import plan_from_folder

__all__ = ["Scenario", "ScenarioError", "load_scenario", "parse", "Plan", "Route", "Stop",
           "Violation", "check", "solve", "sweep", "load_actuals", "simulate", "solve_many",
           "solve_keeping", "compare_plans", "plan_from_folder"]
