"""A plan folder written whole or not at all (DESIGN §4).

Every output goes into a temporary sibling folder first, which then replaces the target in
one rename, so a reader never sees half a plan. A folder that does not hold an earlier plan is
not touched without `force` (it may be someone's documents). A folder the system will not let
us write (no permission, a full disk, a file held open) is an `OutputFolderError` that leaves
the earlier plan as it was; Ctrl-C or SIGTERM wait for the swap's two renames to end.
"""
from __future__ import annotations

import contextlib
import errno
import glob
import os
import shutil
import stat
import tempfile
import uuid
from pathlib import Path

from . import write_all
from ..interrupts import signals_held

# what the system says of a folder or disk we may not write (rather than of a bug of ours)
NOT_WRITABLE = {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT,
                errno.EFBIG, errno.EBUSY, errno.ETXTBSY, errno.EIO, errno.ENAMETOOLONG}

MARKER = ".jemput-plan"  # marks a folder as holding an earlier plan (safe to replace)


class OutputFolderError(ValueError):
    """The output folder cannot be used as asked (the CLI reports it as bad input)."""


def holds_plan(folder: Path) -> bool:
    """Whether `folder` holds a plan written earlier (by its marker, or its tables)."""
    return (folder / MARKER).exists() or (
        (folder / "summary.json").exists() and (folder / "visits.csv").exists())


def check_output_folder(out: Path, force: bool = False, inputs=()) -> None:
    """Raise OutputFolderError where `out` may not receive a plan: a file, a folder that
    holds something else (without `force`), or, even with `force`, a folder that holds one of
    `inputs` (the scenario file and the files it names) or the folder we work in, which the
    swap would delete. The CLI asks before planning, so that a long run is not spent on a plan
    it cannot write; writing asks again."""
    out = Path(out).resolve()
    try:
        _check(out, force)
        for given in [Path.cwd(), *inputs]:
            if given is not None and (Path(given).resolve() == out
                                      or out in Path(given).resolve().parents):
                what = "the folder you are working in" if given == Path.cwd() else str(given)
                raise OutputFolderError(f"{out} holds {what}, and a plan replaces its folder "
                                        "whole (with what is in it); choose another folder")
    except OSError as exc:  # a name the system cannot look up (too long, no permission)
        raise OutputFolderError(f"cannot use the folder {out}: {exc.strerror or exc}") from None


# the temporary and the replaced folder beside the plan: `.NAME.tmp-PID-XXXXXXXX`,
# `.NAME.old-PID-XXXXXXXX` (a process id of up to 7 digits; two threads of one process apart)
SIBLING_EXTRA = len("..tmp-") + 16


def _check(out: Path, force: bool) -> None:
    """`check_output_folder` on a resolved path; may raise OSError."""
    above = next((p for p in out.parents if p.exists()), None)
    try:
        most = os.pathconf(above or "/", "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        most = 255
    if len(os.fsencode(out.name)) + SIBLING_EXTRA > most:  # bytes, as the system counts
        raise OutputFolderError(f"the folder name {out.name[:40]}... is too long: at most "
                                f"{most - SIBLING_EXTRA} characters")
    if above is not None and not above.is_dir():
        raise OutputFolderError(f"cannot make the folder {out.parent}: {above} is a file")
    if above is not None and not os.access(above, os.W_OK | os.X_OK):
        raise OutputFolderError(f"cannot write in the folder {above}: no permission (or a "
                                "read-only disk); choose another folder with -o")
    if out.exists():
        if not out.is_dir():
            raise OutputFolderError(f"{out} exists and is not a folder")
        if any(out.iterdir()) and not holds_plan(out) and not force:
            raise OutputFolderError(f"{out} exists and does not hold an earlier plan; "
                                    "choose another folder or pass --force to replace it")


def render_files(plan, formats=None, lang: str = "id", network=None
                 ) -> tuple[list[str], dict[str, bytes]]:
    """The chosen formats of `plan` as files in memory: (the formats, {relative path: bytes}).
    A Dask worker renders a district's folder this way, so that the client of a large batch
    only writes bytes (`write_plan_folder(..., rendered=...)`) instead of drawing every map
    and chart itself, one district after another."""
    with tempfile.TemporaryDirectory(prefix="jemput-render-") as tmp:
        written = write_all(plan, Path(tmp), formats, lang, network)
        files = {p.relative_to(tmp).as_posix(): p.read_bytes()
                 for p in sorted(Path(tmp).rglob("*")) if p.is_file()}
    return written, files


def write_plan_folder(plan, out: Path, formats=None, lang: str = "id",
                      force: bool = False, extra: dict | None = None, network=None,
                      rendered: tuple[list[str], dict[str, bytes]] | None = None,
                      inputs=()) -> list[str]:
    """Write the chosen formats of `plan` into `out`, swapped into place whole; returns the
    formats written. `extra` maps a name to a writer `f(folder)` of a file that is not drawn
    from the plan alone (risk.png from a simulation); it is written into the same folder.
    `network`: the travel network the plan was made on (else the writers build one).
    `rendered`: the folder as `render_files` made it elsewhere, written as it is.
    `inputs`: files the run read (its actuals); one kept in `out` goes into the new folder
    where the new plan does not write that file itself (`_carried`)."""
    out = Path(out).resolve()
    check_output_folder(out, force)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a file where a folder of the path should be, no permission
        raise OutputFolderError(f"cannot make the folder {out.parent}: {exc.strerror or exc}") \
            from None
    sweep_stale_siblings(out)
    tmp = _temporary_beside(out)
    try:
        if rendered is None:
            written = write_all(plan, tmp, formats, lang, network)
        else:
            written = list(rendered[0])
            for name, data in rendered[1].items():
                (tmp / name).parent.mkdir(parents=True, exist_ok=True)
                (tmp / name).write_bytes(data)
        for name, write in (extra or {}).items():
            write(tmp)
            written.append(name)
        _carried(inputs, out, tmp)
        (tmp / MARKER).write_text("written by plan-routes; this folder is replaced as a whole\n")
        old = _swap(tmp, out)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if exc.errno not in NOT_WRITABLE:
            raise
        raise OutputFolderError(_not_written(out, exc)) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old is not None:
        remove_folder(old)
    return written


def _carried(inputs, out: Path, tmp: Path) -> None:
    """Copy into the new folder `tmp` each of `inputs` kept in the folder `out` replaces (an
    office's corrected visits, `--actuals plan/koreksi.csv`), at the same place, so that the
    swap does not delete it; not where the new plan writes that file itself (its own
    `schedule.xlsx`, which holds the visits that happened as its grey rows)."""
    for path in inputs:
        try:
            inside = Path(path).resolve().relative_to(out)
        except (TypeError, ValueError):  # none given, or kept elsewhere
            continue
        if Path(path).is_file() and not (tmp / inside).exists():
            (tmp / inside).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, tmp / inside)


def sweep_stale_siblings(out: Path) -> None:
    """Remove what a run that was killed outright (SIGKILL, a power cut) left beside `out`:
    its temporary folder, and its replaced plan, which goes back to `out` where the run died
    between the two renames. Only a dead run's (by the process id in the name, on systems
    where it can be asked: a live run's, a double-click's twin, is its own business)."""
    if os.name != "posix" or not out.parent.is_dir():
        return
    for sibling in sorted(out.parent.glob(f".{glob.escape(out.name)}.*-*")):
        kind, _, rest = sibling.name[len(out.name) + 2:].partition("-")
        pid = rest.split("-")[0]
        if kind not in ("tmp", "old") or not pid.isdigit() or _alive(int(pid)):
            continue
        try:
            if kind == "old" and not out.exists():
                sibling.rename(out)
                continue
        except OSError:
            continue
        remove_folder(sibling)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process
        return True
    return True


def _temporary_beside(out: Path) -> Path:
    """A new empty folder `.NAME.tmp-PID-XXXXXXXX` beside `out`, with the permissions the
    user's umask gives a folder (a plan folder is shared; `mkdtemp` would make it private)."""
    for _ in range(100):
        tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
        try:
            tmp.mkdir()
            return tmp
        except FileExistsError:
            continue
        except OSError as exc:
            raise OutputFolderError(_not_written(out, exc)) from None
    raise OutputFolderError(f"cannot make a temporary folder beside {out}")


def _swap(tmp: Path, out: Path) -> Path | None:
    """Rename `tmp` onto `out`; returns where the earlier `out` went (to be removed), if any.
    The renames are not split by Ctrl-C or SIGTERM, and where the second fails (a file of
    the earlier plan held open) the earlier plan is put back."""
    with _swaps_in_turn(out.parent), signals_held():
        if not out.exists():
            tmp.rename(out)
            return None
        old = out.with_name(f".{out.name}.old-{os.getpid()}-{uuid.uuid4().hex[:8]}")
        out.rename(old)
        try:
            tmp.rename(out)
        except BaseException:
            old.rename(out)
            raise
        return old


@contextlib.contextmanager
def _swaps_in_turn(parent: Path):
    """Hold the folder that holds the plan locked while one run swaps its plan in, so that
    two runs writing one folder at once (a plan started twice) take turns: the later stays.
    On POSIX systems (`flock` on the folder itself, no lock file); elsewhere, or on a file
    system without locks, as it is."""
    try:
        import fcntl
        fd = os.open(parent, os.O_RDONLY)
    except (ImportError, OSError):
        yield
        return
    try:
        with contextlib.suppress(OSError):  # a file system without locks (some network ones)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def remove_folder(folder: Path) -> None:
    """Remove `folder` (a replaced plan), also where someone made it or its files read-only;
    what the system still refuses stays."""
    def writable_again(func, path, _exc_info):
        try:
            os.chmod(os.path.dirname(path), stat.S_IRWXU)
            if func is not os.rmdir:
                os.chmod(path, stat.S_IRWXU)
            func(path)
        except OSError:
            pass

    shutil.rmtree(folder, onerror=writable_again)


def _not_written(out: Path, exc: OSError) -> str:
    """The one line for a plan the system would not let us write into `out`."""
    why = exc.strerror or str(exc)
    where = f" ({exc.filename})" if exc.filename and exc.errno in (errno.EACCES, errno.EPERM,
                                                                    errno.EBUSY) else ""
    kept = (" the earlier plan there is unchanged" if holds_plan(out)
            else " nothing was written")
    hint = {errno.ENOSPC: "; free some disk space", errno.EDQUOT: "; free some disk space",
            errno.EACCES: "; close any file of it open in another program (Excel) or choose "
                          "another folder with -o",
            errno.EPERM: "; close any file of it open in another program (Excel) or choose "
                         "another folder with -o"}.get(exc.errno, "")
    return f"cannot write the plan into {out}: {why}{where}{hint};{kept}"
