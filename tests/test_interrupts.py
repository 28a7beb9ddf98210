"""Ctrl-C and SIGTERM on a run of `plan-routes` (planner/interrupts.py): one line, a shell's
exit status, the earlier plan as it was, nothing half-written beside it, no process left."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from planner.export.folder import MARKER
from tests.conftest import SCENARIOS
from tests.test_many import PLAN_ROUTES, district

PESAWARAN = SCENARIOS / "pesawaran-2018.yaml"  # searches for its whole time limit
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
STOPPED = ("stopped (SIGTERM); nothing written (an earlier plan in the output folder is left "
           "as it was)")


def _earlier_plan(tmp_path: Path) -> Path:
    out = tmp_path / "Jadwal Kec. Padang Cermin"
    out.mkdir()
    (out / MARKER).write_text("earlier\n", encoding="utf-8")
    (out / "notes.txt").write_text("the earlier plan\n", encoding="utf-8")
    return out


def _scenario(tmp_path: Path) -> Path:
    path = tmp_path / "kabupaten.yaml"
    path.write_text(yaml.safe_dump(district(1, villages=40, days=12)), encoding="utf-8")
    return path


def _left_beside(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def _children(pid: int) -> list[int]:
    """The processes `pid` started (the bound's during the search)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def _running(pids: list[int]) -> list[int]:
    return [p for p in pids if Path(f"/proc/{p}").exists()
            and Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"]


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc")
def test_sigterm_during_the_search_stops_at_once_and_leaves_the_earlier_plan(tmp_path):
    # Python's default ended the process without a word; the bound's process ran on alone
    out = _earlier_plan(tmp_path)
    run = subprocess.Popen([str(PLAN_ROUTES), str(PESAWARAN), "-o", str(out), "--time-limit",
                            "60"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    started = time.monotonic()
    while not (bound := _children(run.pid)) and time.monotonic() - started < 30:
        time.sleep(0.1)  # until the search (and the bound's process beside it) is under way
    assert bound and run.poll() is None
    run.send_signal(signal.SIGTERM)
    stdout, stderr = run.communicate(timeout=10)
    assert run.returncode == 128 + signal.SIGTERM
    assert stderr.splitlines()[-1] == STOPPED and "Traceback" not in stderr, stderr
    assert (out / "notes.txt").read_text(encoding="utf-8") == "the earlier plan\n"
    assert _left_beside(out) == []
    time.sleep(0.5)
    assert _running(bound) == []


WRITING = """
import os, signal, sys
import planner.export.folder as folder
from planner.cli import main

real = folder.write_all
def halfway(plan, tmp, *args):
    (tmp / "visits.csv").write_text("unit,da", encoding="utf-8")
    os.kill(os.getpid(), signal.SIGTERM)
    return real(plan, tmp, *args)
folder.write_all = halfway
main(sys.argv[1:])
"""


def test_sigterm_while_writing_leaves_no_half_written_folder(tmp_path):
    # the temporary folder, half-written, stayed beside the plan as .NAME.tmp-XXXXXXXX
    out = _earlier_plan(tmp_path)
    run = subprocess.run([sys.executable, "-c", WRITING, str(_scenario(tmp_path)), "-o",
                          str(out), "--planner", "greedy", "--time-limit", "1", "-q"],
                         capture_output=True, text=True, timeout=60,
                         cwd=Path(__file__).parents[1])
    assert run.returncode == 128 + signal.SIGTERM
    assert run.stderr.splitlines()[-1] == STOPPED and "Traceback" not in run.stderr, run.stderr
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "notes.txt"]
    assert _left_beside(out) == []


def test_ctrl_c_before_the_search_had_a_plan_writes_nothing(tmp_path, monkeypatch):
    # solve() hands out an empty plan (status INTERRUPTED) then, and it replaced the earlier
    # plan: "0 kunjungan, 0 perekaman terhitung", exit 0
    import dataclasses

    from click.testing import CliRunner

    from planner.baseline import plan_greedy
    from planner.cli import main
    from tests.conftest import make_scenario

    greedy = plan_greedy(make_scenario(district(1)))
    empty = dataclasses.replace(greedy, routes=(), solver={"status": "INTERRUPTED"})
    monkeypatch.setattr(sys.modules["planner.solve"], "solve", lambda scenario, **kw: empty)
    out = _earlier_plan(tmp_path)
    scenario = tmp_path / "kabupaten.yaml"
    scenario.write_text(yaml.safe_dump(district(1)), encoding="utf-8")
    try:
        result = CliRunner().invoke(main, [str(scenario), "-o", str(out), "-q"])
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    assert result.exit_code == 130, result.output
    assert result.stderr == ("interrupted; nothing written (an earlier plan in the output "
                             "folder is left as it was)\n")
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "notes.txt"]


def test_ctrl_c_in_the_search_says_at_once_that_the_plan_is_being_written(capsys):
    # nothing was said for the 5-20 s of measuring and writing after Ctrl-C: a planner
    # pressed again and lost the plan
    import os

    from planner.export import terminal

    show = terminal.progress_printer(False, "en", 20.0)
    try:
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(1.0)
        except KeyboardInterrupt:
            pass
        show({"elapsed": 6.62, "counted": 812, "objective": 812.0})
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    assert capsys.readouterr().err == ("interrupted at 6.6s: writing the best plan so far "
                                       "(Ctrl-C again: stop without writing)\n")


def _busy_in_c(ready) -> None:
    ready.set()
    sum(range(10 ** 12))  # C code for minutes, as the bound's LP: no Python handler runs in it


def test_a_process_forked_by_a_run_ends_at_sigterm_even_inside_c_code():
    # the handler was inherited: the bound's process, told to end, ran its LP to the end
    # (15 minutes on 1,000 villages, 20 units and 200 days) and the run's exit waited for it
    import multiprocessing as mp

    from planner.interrupts import stop_on_sigterm

    before = signal.getsignal(signal.SIGTERM)
    ctx = mp.get_context("fork")
    try:
        stop_on_sigterm("stopped")
        ready = ctx.Event()
        child = ctx.Process(target=_busy_in_c, args=(ready,), daemon=True)
        child.start()
        assert ready.wait(10)
        time.sleep(0.1)
        child.terminate()
        child.join(timeout=3)
        alive = child.is_alive()
        if alive:
            child.kill()
            child.join()
    finally:
        signal.signal(signal.SIGTERM, before)
    assert not alive
    assert child.exitcode == -signal.SIGTERM


def test_a_process_forked_by_a_run_and_ended_at_once_ends():
    # the helper's SIGTERM arrived before it had its default back: the inherited handler
    # caught it and CPython dropped it with the new child's pending signals, so the helper
    # lived on (15 of 20 here) and a pool ended just after it started waited for it for ever
    from planner.interrupts import stop_on_sigterm

    before = signal.getsignal(signal.SIGTERM)
    survivors, ended = 0, []
    try:
        stop_on_sigterm("stopped")
        for _ in range(10):
            pid = os.fork()
            if pid == 0:
                time.sleep(3)
                os._exit(0)
            os.kill(pid, signal.SIGTERM)  # the parent runs first after a fork
            deadline = time.monotonic() + 2
            while not (done := os.waitpid(pid, os.WNOHANG))[0] and time.monotonic() < deadline:
                time.sleep(0.01)
            if not done[0]:
                survivors += 1
                os.kill(pid, signal.SIGKILL)
                done = os.waitpid(pid, 0)
            ended.append(os.WIFSIGNALED(done[1]) and os.WTERMSIG(done[1]) == signal.SIGTERM)
    finally:
        signal.signal(signal.SIGTERM, before)
    assert survivors == 0
    assert all(ended)
