"""`planner.cluster`: an address that is no Dask scheduler ends with one line, never a hang;
and what `many` makes of a district its scheduler lost."""
from __future__ import annotations

import socket
import threading
import time
from types import SimpleNamespace

import pytest

from planner.cluster import ClusterError, connected
from planner.many import DistrictResult, _collect


def _server(answer: bytes | None):
    """A local TCP server that takes every connection and sends `answer` (None: nothing,
    ever, as a port that is no scheduler's may do); its address."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held = []

    def serve() -> None:
        while True:
            conn, _ = listener.accept()
            held.append(conn)
            if answer is not None:
                conn.recv(65536)
                conn.sendall(answer)

    threading.Thread(target=serve, daemon=True).start()
    return f"tcp://127.0.0.1:{listener.getsockname()[1]}"


@pytest.mark.parametrize("answer", [None, b"HTTP/1.1 400 Bad Request\r\n\r\n" * 4])
def test_a_port_that_is_no_scheduler_is_one_error_in_bounded_time(answer):
    """A server that never answers kept Dask's Client waiting for good; one that answers HTTP
    raised a MemoryError (its bytes read as a frame's length)."""
    address = _server(answer)
    started = time.monotonic()
    with pytest.raises(ClusterError, match=f"cannot connect to the Dask scheduler at {address}"):
        connected(address, seconds=1)
    assert time.monotonic() - started < 10


def test_a_district_its_scheduler_lost_says_so():
    """A cancelled future has no exception to show (it read "internal error: NoneType: None")."""
    result = DistrictResult("kota-metro", "kota-metro.yaml")
    _collect(SimpleNamespace(status="cancelled", exception=lambda: None), result)
    (line,) = result.errors
    assert line.startswith("kota-metro.yaml:1: not planned: the Dask scheduler was lost")
    assert not result.bad_input and "NoneType" not in line


def test_a_second_local_cluster_says_nothing_of_the_dashboards_port():
    # two batches at once: the second printed Dask's "Port 8787 is already in use. Hosting
    # the HTTP server on port N instead" (its scheduler's HTTP server, dashboard or not)
    import warnings

    from planner.cluster import dask_client

    # also: the cluster's end leaves os.environ as it found it (Dask's nanny set
    # PYTHONHASHSEED, OMP_NUM_THREADS=1 and others for good in an analyst's kernel); checked
    # here so as not to start another cluster
    import os

    environ = dict(os.environ)
    first = socket.socket()
    try:
        first.bind(("", 8787))
        first.listen()
    except OSError:  # something of this machine holds it already, as the first batch would
        pass
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with dask_client(workers=1) as client:
                assert client.submit(sum, [1, 2]).result() == 3
    finally:
        first.close()
    assert not [w for w in caught if "already in use" in str(w.message)]
    assert dict(os.environ) == environ


def test_a_refused_scheduler_leaves_no_half_made_client():
    # an analyst's solve_many(scheduler=<a port answering HTTP>) then solve_many(workers=2): the
    # refusal's half-made Client stayed in memory until the collector found it, and its
    # `__del__`, run inside the new LocalCluster's start, hung that start for good (seen with
    # test_a_second_local_cluster_says_nothing_of_the_dashboards_port run after this file's
    # other tests)
    import gc

    from distributed import Client

    def clients() -> set[int]:
        return {id(o) for o in gc.get_objects() if isinstance(o, Client)}

    before = clients()
    with pytest.raises(ClusterError):
        connected(_server(b"HTTP/1.1 400 Bad Request\r\n\r\n" * 4), seconds=1)
    assert clients() - before == set()


def test_ctrl_c_while_the_local_cluster_starts_closes_it(monkeypatch):
    # Ctrl-C in a notebook during solve_many's first second or two: the KeyboardInterrupt
    # rose inside LocalCluster's constructor, before there was an object to close, and the
    # half-started cluster (its worker process, scheduler ports, IO thread) ran on
    import os
    import signal

    import distributed

    from planner.cluster import dask_client

    made = []

    class StartingCluster:
        def __init__(self, **kwargs):
            self.closed = False
            made.append(self)
            os.kill(os.getpid(), signal.SIGINT)  # the worker processes being started
            time.sleep(0.05)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.closed = True

    class NoClient:
        def __init__(self, cluster):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            pass

    monkeypatch.setattr(distributed, "LocalCluster", StartingCluster)
    monkeypatch.setattr(distributed, "Client", NoClient)
    handler = signal.getsignal(signal.SIGINT)
    with pytest.raises(KeyboardInterrupt):
        with dask_client(workers=1):
            pass
    assert [c.closed for c in made] == [True]
    assert signal.getsignal(signal.SIGINT) is handler
