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


def test_without_a_process_the_lp_keeps_to_its_share_of_the_time():
    """Where no process can be forked (a daemonic Dask worker), the LP runs in the planner's
    own time: past its limit it gives no bound at all, once, instead of holding the plan up."""
    import time

    from bench.gen import generate

    inst = Instance(generate(300, "capacity", "planar", seed=0))
    bounds = BoundProcess(inst, inline_limit=0.05)
    started = time.perf_counter()
    assert bounds.inline and bounds.lp(wait=True) is None
    assert bounds.lp(wait=False) is None  # not solved again
    assert time.perf_counter() - started < 5.0
    assert BoundProcess(Instance(staff_split("2024-01-01", "2024-01-04")),
                        inline_limit=30).lp(wait=True).bound > 60


def test_stop_ends_a_child_still_at_work_without_waiting_for_it(monkeypatch):
    """Once the search is done, what the child would still send is never read: `stop` ends it
    at once. It used to wait a second for it first, which every timed run past its LP paid
    (NOTES, search, 2026-12-07)."""
    import importlib
    import time

    bound_process = importlib.import_module("planner.solve.bound_process")
    monkeypatch.setattr(bound_process, "upper_bound", lambda *args, **kwargs: time.sleep(60))
    bounds = BoundProcess.start(Instance(staff_split("2024-01-01", "2024-01-04")))
    assert bounds.lp(wait=True, timeout=0.2) is None  # the child is at work
    started = time.monotonic()
    bounds.stop()
    assert time.monotonic() - started < 0.9  # it waited a whole second before
    assert not bounds.proc.is_alive()
