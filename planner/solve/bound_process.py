"""The bound in a process of its own: the LP (`bound`) and its Lagrangian refinement
(`lagrange`) run beside the search, so the search keeps the other core (GLOP holds the GIL).

`BoundProcess.start` forks a child that sends the LP's (bound, guide) as soon as it is
solved, then, given time, a refined bound. Where forking is not possible (inside a daemonic
worker) the LP is solved in this process when first asked for. The parent never waits past
the times it gives.
"""
from __future__ import annotations

import gc
import multiprocessing as mp
import signal
import time
from dataclasses import dataclass

from ..instance import Instance
from .bound import SPLIT_UP_TO, lp_guide, upper_bound
from .lagrange import refine_bound

REFINE_AT_LEAST = 1.0  # seconds left after the LP below which no refinement starts


@dataclass(frozen=True)
class LpResult:
    """The LP's bound on the objective and its visits per (unit, overtime) class."""

    bound: float
    guide: dict


def solve_lp(inst: Instance, time_limit: float | None = None) -> LpResult | None:
    """The LP bound and guide, in this process (None when not solved within `time_limit`)."""
    details: dict = {}
    value = upper_bound(inst, details, time_limit=time_limit)
    return None if value is None else LpResult(value, lp_guide(inst, details))


def refinable(inst: Instance, engine_max_days: int) -> bool:
    """Whether the Lagrangian refinement applies: multi-day horizons (shorter ones go to the
    day-route engine), districts small enough for the LP's fine day classes, and visits that
    take time."""
    return (len(inst.days) > engine_max_days and inst.n * len(inst.units) <= SPLIT_UP_TO
            and inst.setup_s > 0 and all(u.person_s > 0 for u in inst.units))


def _child(inst: Instance, conn, refine_seconds: float, refine: bool) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    gc.callbacks.clear()  # a Dask worker's hooks watch the parent, which may be gone by then
    try:
        details: dict = {}
        meta: dict = {}
        t0 = time.monotonic()
        value = upper_bound(inst, details, meta)
        conn.send(LpResult(value, lp_guide(inst, details)))
        left = refine_seconds - (time.monotonic() - t0)
        if left > REFINE_AT_LEAST and "levels" in meta and refine:
            conn.send(("refined", refine_bound(inst, meta, time_limit=left)))
    except BaseException:  # noqa: BLE001 - any failure means "no bound from here"
        conn.send(None)
    finally:
        conn.close()


class BoundProcess:
    """The bound's background process (or, without one, the LP solved once on demand, within
    `inline_limit` seconds: it then takes the planner's own time)."""

    def __init__(self, inst: Instance, proc=None, receiver=None,
                 inline_limit: float | None = None):
        self.inst, self.proc, self.receiver = inst, proc, receiver
        self.inline_limit = inline_limit
        self.inline_result: tuple = ()  # (LpResult or None,) once solved inline

    @classmethod
    def start(cls, inst: Instance, refine_seconds: float = 0.0, engine_max_days: int = 3,
              inline_limit: float | None = None) -> "BoundProcess":
        """Fork the child; refine for up to `refine_seconds` in all where `refinable`.
        Where no process can be forked (a daemonic worker), the LP is solved here when
        asked, within `inline_limit` seconds."""
        try:
            ctx = mp.get_context("fork")
            inst.units, inst.counts_mask, inst.village_open  # computed once, shared by the fork
            receiver, sender = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_child, daemon=True, args=(
                inst, sender, refine_seconds, refinable(inst, engine_max_days)))
            proc.start()
            sender.close()
            return cls(inst, proc, receiver)
        except Exception:  # noqa: BLE001 - e.g. inside a daemonic worker
            return cls(inst, inline_limit=inline_limit)

    @property
    def inline(self) -> bool:
        """No background process: the LP is solved here."""
        return self.proc is None

    def lp(self, wait: bool, timeout: float | None = None) -> LpResult | None:
        """The LP's result once solved, else None (`wait`: up to `timeout` seconds). Inline,
        or when the child failed, the LP is solved here."""
        if self.inline:
            if not self.inline_result:
                self.inline_result = (solve_lp(self.inst, self.inline_limit),)
            return self.inline_result[0]
        if not self.receiver.poll(timeout if wait else 0):
            return None
        try:
            value = self.receiver.recv()
        except EOFError:
            value = None
        return value if value is not None else solve_lp(self.inst)

    def refined(self, lp: LpResult, timeout: float) -> LpResult:
        """`lp` with the child's refined bound (at most the LP's), waiting up to `timeout`
        seconds; `lp` unchanged when none comes."""
        if self.inline:
            return lp
        try:
            if not self.receiver.poll(max(0.0, timeout)):
                return lp
            msg = self.receiver.recv()
        except (EOFError, OSError):
            return lp
        if isinstance(msg, tuple) and len(msg) == 2 and msg[0] == "refined":
            return LpResult(min(lp.bound, float(msg[1])), lp.guide)
        return lp

    def stop(self) -> None:
        """End the child now: whatever it would still send comes too late to be read, and
        waiting for it to end by itself kept every run up to a second past its limit."""
        if self.inline:
            return
        self.receiver.close()
        if self.proc.is_alive():
            self.proc.terminate()
        self.proc.join(timeout=1)
