"""Ctrl-C and SIGTERM on a run of `plan-routes`: what they stop and what they leave.

Ctrl-C (SIGINT, a KeyboardInterrupt) during the search ends it with the best plan so far,
which is then written; at any other moment it stops the run and nothing is written. SIGTERM
(a `kill`, a shutdown, a scheduler ending the job) stops the run at once, like a second
Ctrl-C: Python's own default would end the process where it stands, leaving a half-written
temporary folder beside the plan and the bound's process running on. Neither splits the
swap of a finished plan folder into place (`signals_held`).
"""
from __future__ import annotations

import os
import signal
import sys
import threading
from contextlib import contextmanager

TERMINATED_EXIT = 128 + 15  # the shell's status for a process ended by SIGTERM


class Terminated(SystemExit):
    """SIGTERM: leave by the normal exit path (cleanups, `finally`, forked helpers ended)."""

    def __init__(self):
        super().__init__(TERMINATED_EXIT)


_RESET_AT_FORK: list = []  # the hooks below, registered once per process
_FORKING = threading.local()  # the forking thread's signal mask from before the fork


def _stops_on_sigterm() -> bool:
    return getattr(signal.getsignal(signal.SIGTERM), "stops_on_sigterm", False)


def _hold_sigterm_for_fork() -> None:
    """Before a fork in a process that stops on SIGTERM: SIGTERM held in the forking thread
    until the child has its default back (`_default_sigterm_in_child`). A SIGTERM reaching
    the child before then would be caught by the inherited handler and dropped with the
    signals CPython clears in a new child: a pool's helper ended just after its fork (the
    quick plans' deadline already past) lived on, and the pool's join waited for ever."""
    _FORKING.mask = (signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
                     if _stops_on_sigterm() else None)


def _release_sigterm_in_parent() -> None:
    mask, _FORKING.mask = getattr(_FORKING, "mask", None), None
    if mask is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def _default_sigterm_in_child() -> None:
    """In a process just forked from one that stops on SIGTERM: the system's default again,
    so that it ends at once, then SIGTERM no longer held (one sent meanwhile ends it now).
    The handler itself cannot end such a child while it runs C code: Python runs a handler
    only between bytecodes, so the `terminate()` that ends the bound's process waited for its
    LP to finish (minutes on a district of a thousand villages), and so did the run's exit."""
    mask, _FORKING.mask = getattr(_FORKING, "mask", None), None
    if _stops_on_sigterm():
        try:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
        except ValueError:  # not the main thread: the handler below still ends it
            pass
    if mask is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def stop_on_sigterm(message: str) -> None:
    """From now on SIGTERM in this process raises `Terminated` after printing `message` on
    stderr; a process forked from this one keeps the system's default (it just ends)."""
    if not hasattr(signal, "SIGTERM") or threading.current_thread() is not threading.main_thread():
        return
    owner = os.getpid()
    if not _RESET_AT_FORK and hasattr(os, "register_at_fork"):
        os.register_at_fork(before=_hold_sigterm_for_fork,
                            after_in_parent=_release_sigterm_in_parent,
                            after_in_child=_default_sigterm_in_child)
        _RESET_AT_FORK.append(_default_sigterm_in_child)

    def terminated(signum, frame):
        if os.getpid() != owner:  # a forked helper: end as the default would
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        signal.signal(signum, signal.SIG_IGN)  # one message, however often it is sent
        print(message, file=sys.stderr, flush=True)
        raise Terminated()

    terminated.stops_on_sigterm = True
    signal.signal(signal.SIGTERM, terminated)


def was_interrupted(plan) -> bool:
    """Whether Ctrl-C stopped the search that made `plan` (its solver status INTERRUPTED)."""
    return (plan.solver or {}).get("status") == "INTERRUPTED"


def interrupted_before_a_plan(plan) -> bool:
    """Whether Ctrl-C stopped the search before its first plan: solve then hands out an
    empty one, status INTERRUPTED."""
    return was_interrupted(plan) and not any(route.stops for route in plan.routes)


def unless_interrupted_empty(plan):
    """`plan`, unless Ctrl-C stopped the search before its first plan: that empty one must
    not replace an earlier plan, so the run stops as a Ctrl-C before the search does,
    nothing written."""
    if interrupted_before_a_plan(plan):
        raise KeyboardInterrupt
    return plan


def ctrl_c_noted() -> list:
    """From now on Ctrl-C in this process appends to the list returned, then interrupts as
    Python's own handler does; the search's progress callback reads it to say at once that
    the best plan so far is being written (the writing takes seconds, and a second Ctrl-C
    in them stops the run without a plan)."""
    noted: list = []
    if threading.current_thread() is not threading.main_thread():
        return noted

    def interrupted(signum, frame):
        noted.append(signum)
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, interrupted)
    return noted


@contextmanager
def signals_held():
    """Ctrl-C and SIGTERM received inside the block are ignored: it is short and its end
    leaves the work done (a plan folder renamed into place). Outside the main thread, where
    no handler can be set, the block runs as it is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    kinds = [s for s in (signal.SIGINT, getattr(signal, "SIGTERM", None)) if s is not None]
    before = {s: signal.getsignal(s) for s in kinds}
    for s in kinds:
        signal.signal(s, lambda signum, frame: None)
    try:
        yield
    finally:
        for s, handler in before.items():
            signal.signal(s, signal.SIG_DFL if handler is None else handler)


def rearm_ctrl_c() -> None:
    """Ctrl-C handled again as Python believes it is: a CP-SAT solve in this process leaves
    the system's default in place when it ends (OR-Tools' own Ctrl-C handler, unregistered;
    `signal.getsignal` does not see it), so that Ctrl-C then ends the process at once, without
    its cleanups (forked helpers left running). Only the main thread may set a handler."""
    if threading.current_thread() is not threading.main_thread():
        return
    handler = signal.getsignal(signal.SIGINT)
    if handler is not None:
        signal.signal(signal.SIGINT, handler)


@contextmanager
def ctrl_c_deferred():
    """Ctrl-C received inside the block is noted, not raised: the list yielded gets it, and
    the caller raises KeyboardInterrupt once what the block made can be undone (a Dask
    cluster half started by its constructor has no object yet to close: it ran on, worker
    processes and ports, until the notebook's kernel ended). Outside the main thread, where
    no handler can be set, the block runs as it is."""
    noted: list = []
    if threading.current_thread() is not threading.main_thread():
        yield noted
        return
    before = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, lambda signum, frame: noted.append(signum))
    try:
        yield noted
    finally:
        signal.signal(signal.SIGINT, signal.SIG_DFL if before is None else before)
