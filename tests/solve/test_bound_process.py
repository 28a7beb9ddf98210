"""The bound's background process (`solve/bound_process.py`)."""
from __future__ import annotations

from planner.instance import Instance
from planner.solve.bound_process import BoundProcess
from tests.solve.cases import staff_split


def test_solve_reports_the_refined_bound_from_its_background_process():
    """Four weekdays (past the day-route engine's horizon; the optimum is 4 x 10 = 40): the
    LP lets half again as many units out (63), the refinement in the background process
    one a day."""
    inst = Instance(staff_split("2024-01-01", "2024-01-04"))
    bounds = BoundProcess.start(inst, refine_seconds=20)
    try:
        lp = bounds.lp(wait=True, timeout=60)
        refined = bounds.refined(lp, timeout=60)
    finally:
        bounds.stop()
    assert lp.bound > 60
    assert 40 <= refined.bound <= 42
