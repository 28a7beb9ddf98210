"""jemput: field planning for e-KTP mobile recording units (jemput bola).

Library use (DESIGN §5)::

    import planner
    scenario = planner.load_scenario("scenarios/pesawaran-2018.yaml")
    plan = planner.solve(scenario, time_limit=30, seed=1)
    assert not planner.check(scenario, plan)
"""
from .scenario import Scenario, ScenarioError, load_scenario, parse
from .plan import Plan, Route, Stop


def check(scenario, plan):
    """Re-check a plan against every rule of DESIGN §3; returns the violations."""
    from .check import check as _check

    return _check(scenario, plan)


def solve(scenario, time_limit: float = 60.0, seed: int = 0, **kwargs) -> Plan:
    """The optimiser (falls back to the greedy baseline until the optimiser exists)."""
    try:
        from .solve import solve as _solve
    except ImportError:
        from .baseline import plan_greedy

        return plan_greedy(scenario)
    return _solve(scenario, time_limit=time_limit, seed=seed, **kwargs)


def sweep(scenario, grid, executor=None, **kwargs):
    from .sweep import sweep as _sweep

    return _sweep(scenario, grid, executor=executor, **kwargs)


__all__ = ["Scenario", "ScenarioError", "load_scenario", "parse", "Plan", "Route", "Stop",
           "check", "solve", "sweep"]
