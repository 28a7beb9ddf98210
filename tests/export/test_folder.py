"""The plan folder written whole or not at all (planner/export/folder.py) where the office's
machine gets in the way: a folder we may not write, a full disk, a file held open, Ctrl-C
during the swap, an earlier plan someone made read-only."""
from __future__ import annotations

import errno
import os
import shutil
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from planner.baseline import plan_greedy
from planner.cli import main
from planner.export import folder
from planner.export.folder import OutputFolderError, write_plan_folder
from tests.conftest import TINY, make_scenario


@pytest.fixture(scope="module")
def plan():
    return plan_greedy(make_scenario())


def _siblings(out: Path) -> list[str]:
    """What a write left beside the plan folder besides the folder itself."""
    return sorted(p.name for p in out.parent.iterdir() if p.name != out.name)


def _earlier(plan, out: Path) -> bytes:
    write_plan_folder(plan, out, [], "en")
    return (out / "visits.csv").read_bytes()


def _refuse_planning(monkeypatch, why: str) -> None:
    """Planning fails the test: the CLI must refuse before it plans."""
    import planner.cli

    def no_planning(*args, **kwargs):
        raise AssertionError(f"planned although {why}")

    monkeypatch.setattr(planner.cli, "_make_plan", no_planning)


def test_a_folder_we_may_not_write_in_is_refused_before_planning(tmp_path, monkeypatch):
    # the plan was made first (a minute or more) and then ended in an internal error, exit 1
    _refuse_planning(monkeypatch, "the plan could not be written")
    read_only = tmp_path / "shared"
    read_only.mkdir()
    real_access = os.access
    monkeypatch.setattr(folder.os, "access", lambda path, mode: (
        False if Path(path) == read_only else real_access(path, mode)))
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(yaml.safe_dump(TINY), encoding="utf-8")
    result = CliRunner().invoke(main, [str(scenario), "-o", str(read_only / "plan"), "-q"])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"<command line>:1: --output: cannot write in the folder "
                                    f"{read_only}: no permission"), result.stderr
    assert list(read_only.iterdir()) == []


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EACCES, errno.EFBIG])
def test_a_full_disk_or_a_refused_file_leaves_the_earlier_plan(plan, tmp_path, monkeypatch,
                                                               code):
    # the OSError reached the CLI as "internal error", exit 1, as if it were a bug of ours
    out = tmp_path / "Jadwal Kec. Padang Cermin"
    before = _earlier(plan, out)

    def disk_full(plan, tmp, *args):
        (tmp / "visits.csv").write_text("half a ta", encoding="utf-8")
        raise OSError(code, os.strerror(code), str(tmp / "visits.csv"))

    monkeypatch.setattr(folder, "write_all", disk_full)
    with pytest.raises(OutputFolderError, match=rf"^cannot write the plan into {out}: "
                       rf"{os.strerror(code)}.*; the earlier plan there is unchanged$"):
        write_plan_folder(plan, out, [], "en")
    assert (out / "visits.csv").read_bytes() == before and _siblings(out) == []


def test_a_bug_while_writing_is_not_blamed_on_the_folder(plan, tmp_path, monkeypatch):
    def missing(plan, tmp, *args):
        raise FileNotFoundError(errno.ENOENT, "No such file or directory", "template.html")

    monkeypatch.setattr(folder, "write_all", missing)
    with pytest.raises(FileNotFoundError):
        write_plan_folder(plan, tmp_path / "out", [], "en")
    assert list(tmp_path.iterdir()) == []


def test_the_earlier_plan_comes_back_when_the_new_one_cannot_take_its_place(plan, tmp_path,
                                                                             monkeypatch):
    # Windows refuses the rename while Excel holds a file: the earlier plan was left renamed
    # to .out.old-PID, out itself gone
    out = tmp_path / "out"
    before = _earlier(plan, out)
    real_rename = Path.rename

    def held_open(self, target):
        if Path(target) == out and ".tmp-" in self.name:
            raise PermissionError(errno.EACCES, "Access is denied", str(self))
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", held_open)
    with pytest.raises(OutputFolderError, match="open in another program"):
        write_plan_folder(plan, out, [], "en")
    assert (out / "visits.csv").read_bytes() == before and _siblings(out) == []


def test_ctrl_c_does_not_split_the_swap(plan, tmp_path, monkeypatch):
    # a Ctrl-C between the two renames left no plan at all (the earlier one hidden as .old)
    out = tmp_path / "out"
    _earlier(plan, out)
    real_rename = Path.rename

    def interrupted(self, target):
        moved = real_rename(self, target)
        if self == out:
            os.kill(os.getpid(), signal.SIGINT)
        return moved

    monkeypatch.setattr(Path, "rename", interrupted)
    try:
        write_plan_folder(plan, out, [], "en")
    except KeyboardInterrupt:  # between the renames, as it was: the test fails below
        pass
    assert (out / "visits.csv").exists() and _siblings(out) == []


def test_the_plan_folder_is_as_shared_as_the_users_other_folders(plan, tmp_path):
    # mkdtemp made it drwx------: colleagues (and a Samba share) could not open the plan
    mask = os.umask(0o022)
    try:
        write_plan_folder(plan, tmp_path / "out", [], "en")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == 0o755


def _without_privileges() -> list[str]:
    """A command prefix that runs without root's right to write anything."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("root, and no setpriv to drop the right to write read-only folders")
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search"]


def test_a_read_only_earlier_plan_is_removed_whole(plan, tmp_path):
    # shutil.rmtree(ignore_errors=True) left .out.old-PID beside the plan on every run
    out = tmp_path / "out"
    _earlier(plan, out)
    for p in [*out.rglob("*"), out]:
        p.chmod(0o555 if p.is_dir() else 0o444)
    code = ("import sys; from pathlib import Path; from planner.baseline import plan_greedy; "
            "from planner.export.folder import write_plan_folder; "
            "from tests.conftest import make_scenario; "
            "write_plan_folder(plan_greedy(make_scenario()), Path(sys.argv[1]), [], 'en')")
    done = subprocess.run([*_without_privileges(), sys.executable, "-c", code, str(out)],
                          cwd=Path(__file__).parents[2], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (out / "visits.csv").exists() and _siblings(out) == []


def test_force_never_replaces_the_folder_of_the_scenario(tmp_path, monkeypatch):
    # `-o scenarios --force` replaced the folder whole: the scenario planned was deleted
    _refuse_planning(monkeypatch, "the plan would delete its scenario")
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    scenario = scenarios / "pesawaran.yaml"
    scenario.write_text(yaml.safe_dump(TINY), encoding="utf-8")
    for out in (scenarios, tmp_path):
        result = CliRunner().invoke(main, [str(scenario), "-o", str(out), "--force", "-q"])
        assert result.exit_code == 2, result.output
        assert result.stderr == (f"<command line>:1: --output: {out} holds {scenario}, and a "
                                 "plan replaces its folder whole (with what is in it); choose "
                                 "another folder\n")
    assert scenario.exists()


def test_force_never_replaces_the_folder_of_the_scenarios_village_table(tmp_path, monkeypatch):
    # `-o data --force` with the scenario beside data/ (villages: {file: data/desa.csv})
    # replaced data/ whole: the plan was written, and the village table it came from deleted
    _refuse_planning(monkeypatch, "the plan would delete its village table")
    (tmp_path / "data").mkdir()
    villages = tmp_path / "data" / "desa.csv"
    pd.DataFrame(TINY["villages"]).to_csv(villages, index=False)
    scenario = tmp_path / "pesawaran.yaml"
    scenario.write_text(yaml.safe_dump({**TINY, "villages": {"file": "data/desa.csv"}}),
                        encoding="utf-8")
    result = CliRunner().invoke(main, [str(scenario), "-o", str(tmp_path / "data"), "--force",
                                       "-q"])
    assert result.exit_code == 2, result.output
    assert result.stderr == (f"<command line>:1: --output: {tmp_path / 'data'} holds "
                             f"{villages}, and a plan replaces its folder whole (with what is "
                             "in it); choose another folder\n")
    assert villages.exists()


def test_force_never_replaces_the_folder_we_work_in(plan, tmp_path, monkeypatch):
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "letter.txt").write_text("someone's", encoding="utf-8")
    monkeypatch.chdir(tmp_path / "work")
    with pytest.raises(OutputFolderError, match="holds the folder you are working in"):
        write_plan_folder(plan, tmp_path, [], "en", force=True)
    assert (tmp_path / "work" / "letter.txt").exists()


def _dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return int(done.stdout)


@pytest.mark.skipif(os.name != "posix", reason="a process id is asked after on POSIX only")
def test_what_a_killed_run_left_beside_the_plan_is_swept(plan, tmp_path):
    # a SIGKILL (or a power cut) mid-write left .NAME.tmp-* beside the plan for good
    out = tmp_path / "out"
    _earlier(plan, out)
    dead = _dead_pid()
    for name in (f".out.tmp-{dead}-0a1b2c3d", f".out.old-{dead}"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "visits.csv").write_text("unit,da", encoding="utf-8")
    running = tmp_path / f".out.tmp-{os.getppid()}-0a1b2c3d"  # a run still writing
    running.mkdir()
    write_plan_folder(plan, out, [], "en")
    assert _siblings(out) == [running.name]


@pytest.mark.skipif(os.name != "posix", reason="a process id is asked after on POSIX only")
def test_a_plan_a_killed_run_had_moved_aside_comes_back(plan, tmp_path):
    out = tmp_path / "out"
    before = _earlier(plan, out)
    out.rename(tmp_path / f".out.old-{_dead_pid()}")  # killed between the two renames
    folder.sweep_stale_siblings(out)
    assert (out / "visits.csv").read_bytes() == before and _siblings(out) == []


def test_two_runs_writing_one_folder_at_once_both_end_whole(plan, tmp_path, monkeypatch):
    # a planner who starts the same plan twice: the second run's swap fell between the first
    # run's two renames, so the first could put neither its plan nor the earlier one in place
    # (an internal error, exit 1); the swaps now take turns, the later plan stays
    import threading

    out = tmp_path / "out"
    _earlier(plan, out)
    real_rename = Path.rename
    second: dict = {}

    def second_run():
        try:
            write_plan_folder(plan, out, ["calendar"], "en")
        except BaseException as exc:  # noqa: BLE001 - the test reports it below
            second["error"] = exc

    def first_moves_aside(self, target):
        moved = real_rename(self, target)
        if self == out and "thread" not in second:
            second["thread"] = threading.Thread(target=second_run)
            second["thread"].start()
            second["thread"].join(0.5)  # the second run's whole swap, had it not waited
        return moved

    monkeypatch.setattr(Path, "rename", first_moves_aside)
    write_plan_folder(plan, out, [], "en")
    second["thread"].join(30)
    assert "error" not in second, second.get("error")
    assert (out / "visits.csv").exists() and (out / "calendar").is_dir()
    assert _siblings(out) == []


def test_a_folder_name_that_is_not_utf8_is_written(plan, tmp_path):
    """A name made on a system in another code page (byte 0xFF, kept by Python as a
    surrogate): its length is counted in bytes, as the system counts; was an internal error
    (UnicodeEncodeError) before planning."""
    out = tmp_path / os.fsdecode(b"rencana-d\xe9sa-\xff")
    folder.check_output_folder(out, False, inputs=[])
    write_plan_folder(plan, out, [], "en")
    assert (tmp_path / os.fsdecode(b"rencana-d\xe9sa-\xff") / "visits.csv").is_file()
