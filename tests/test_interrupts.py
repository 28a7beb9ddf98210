"""Ctrl-C and SIGTERM on a run of `plan-routes` (planner/interrupts.py): one line, a shell's
exit status, the earlier plan as it was, nothing half-written beside it, no process left."""
from __future__ import annotations

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
