"""The Dask client a batch runs on (`many`): a new local cluster, or an existing scheduler.

An address that is not a scheduler's must end the run with one clear line, not hang: a port
that refuses is Dask's own timeout, but a server that takes the connection and never answers
as a scheduler (a dashboard's HTTP port, 8787 for 8786) kept `Client` waiting for good, and
one that answers something else raised whatever its bytes decoded to (a MemoryError). The
client is therefore made in a thread that is given up after CONNECT_SECONDS, any failure of
it being the one line.
"""
from __future__ import annotations

import contextlib
import gc
import logging
import os
import threading

from .interrupts import ctrl_c_deferred

CONNECT_SECONDS = 10  # Dask's own connect timeout; the handshake gets as long again


class ClusterError(ValueError):
    """The Dask scheduler asked for cannot be reached (the CLI reports it as bad input)."""


def connected(address: str, seconds: float = CONNECT_SECONDS):
    """A Client on the scheduler at `address`, or a ClusterError within about 2 x `seconds`:
    a refused port, an unknown host, a server that is no Dask scheduler."""
    from distributed import Client

    box: dict = {}

    def connect() -> None:
        try:
            box["client"] = Client(address, timeout=f"{seconds}s")
        except BaseException as exc:  # noqa: BLE001 - whatever it is, the address is wrong
            box["error"] = exc

    thread = threading.Thread(target=connect, name="jemput-connect", daemon=True)
    thread.start()
    thread.join(2 * seconds)
    if "client" in box:
        return box["client"]
    why = box.pop("error", None)
    why = (f"{type(why).__name__}: {why}" if why is not None else
           f"no answer as a Dask scheduler within {2 * seconds:g} s")
    # the half-made Client lives on in the error's frames until the collector finds it; its
    # `__del__` run inside a later LocalCluster's start hung that start for good: collect now
    gc.collect()
    raise ClusterError(f"cannot connect to the Dask scheduler at {address}: {why} (the "
                       "scheduler's address, tcp://HOST:8786 by default, not its dashboard's)")


@contextlib.contextmanager
def dask_client(workers: int | None = None, scheduler: str | None = None):
    """A Client on the cluster at `scheduler`, or on a new LocalCluster of `workers` processes
    (one thread each: the solver holds the GIL) that is closed afterwards. Workers of an
    existing cluster should run non-daemonic (`DASK_DISTRIBUTED__WORKER__DAEMON=False dask
    worker ...`): in a daemonic process the optimiser cannot fork and solves its bound's LP
    inline, which can take far longer than the time limit on large districts. While the batch
    runs, the client's own error log (a scheduler lost: each district is then reported failed,
    with why) stays quiet."""
    from distributed import Client, LocalCluster

    if scheduler:
        client_log = logging.getLogger("distributed.client")
        level = client_log.level
        client_log.setLevel(logging.CRITICAL)
        try:
            with connected(scheduler) as client:
                yield client
        finally:
            client_log.setLevel(level)
        return
    import dask

    workers = workers or max(1, min(os.cpu_count() or 1, 4))
    # Non-daemonic worker processes, also when a lost one is restarted: the optimiser forks
    # its bound's LP so that a slow LP cannot hold the plan past its time limit. No dashboard;
    # the scheduler's HTTP server (which it starts anyway) on a free port, so that a second
    # batch does not warn that 8787 is taken.
    # Ctrl-C while the cluster starts (a second or two) is raised once it can be closed.
    environ = dict(os.environ)
    try:
        with contextlib.ExitStack() as running:
            with ctrl_c_deferred() as ctrl_c:
                running.enter_context(dask.config.set({"distributed.worker.daemon": False}))
                cluster = running.enter_context(LocalCluster(
                    n_workers=workers, threads_per_worker=1, processes=True,
                    dashboard_address=None, silence_logs=logging.CRITICAL,
                    scheduler_kwargs={"dashboard_address": ":0"}))
                client = running.enter_context(Client(cluster))
            if ctrl_c:
                raise KeyboardInterrupt
            yield client
    finally:
        restore_environ(environ)


def restore_environ(before: dict[str, str]) -> None:
    """`os.environ` as it was (`before`): Dask's nanny sets its workers' variables in this
    process before it starts them (PYTHONHASHSEED, OMP_NUM_THREADS=1 and others) and leaves
    them, so that every later subprocess of an analyst's notebook kernel ran with one BLAS
    thread and a fixed hash seed."""
    for name in set(os.environ) - set(before):
        os.environ.pop(name, None)
    for name, value in before.items():
        if os.environ.get(name) != value:
            os.environ[name] = value
