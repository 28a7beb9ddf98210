"""Ctrl-C and SIGTERM on a run of `plan-routes`: what they stop and what they leave.

Neither splits the swap of a finished plan folder into place (`signals_held`).
"""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager


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
