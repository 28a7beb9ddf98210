"""A plan folder written whole or not at all (DESIGN §4).

Every output goes into a temporary sibling folder first, which then replaces the target in
one rename, so a reader never sees half a plan. A folder that does not hold an earlier plan is
not touched without `force` (it may be someone's documents).
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from . import write_all

MARKER = ".jemput-plan"  # marks a folder as holding an earlier plan (safe to replace)


class OutputFolderError(ValueError):
    """The output folder cannot be used as asked (the CLI reports it as bad input)."""


def holds_plan(folder: Path) -> bool:
    """Whether `folder` holds a plan written earlier (by its marker, or its tables)."""
    return (folder / MARKER).exists() or (
        (folder / "summary.json").exists() and (folder / "visits.csv").exists())


def check_output_folder(out: Path, force: bool = False) -> None:
    """Raise OutputFolderError where `out` may not receive a plan: a file, or a folder that
    holds something else (without `force`). The CLI asks before planning, so that a long
    run is not spent on a plan it cannot write; writing asks again."""
    out = Path(out).resolve()
    try:
        _check(out, force)
    except OSError as exc:  # a name the system cannot look up (too long, no permission)
        raise OutputFolderError(f"cannot use the folder {out}: {exc.strerror or exc}") from None


# the temporary and the replaced folder beside the plan: `.NAME.tmp-XXXXXXXX`, `.NAME.old-PID`
SIBLING_EXTRA = len("..tmp-") + 16


def _check(out: Path, force: bool) -> None:
    """`check_output_folder` on a resolved path; may raise OSError."""
    above = next((p for p in out.parents if p.exists()), None)
    try:
        most = os.pathconf(above or "/", "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        most = 255
    if len(out.name.encode()) + SIBLING_EXTRA > most:
        raise OutputFolderError(f"the folder name {out.name[:40]}... is too long: at most "
                                f"{most - SIBLING_EXTRA} characters")
    if above is not None and not above.is_dir():
        raise OutputFolderError(f"cannot make the folder {out.parent}: {above} is a file")
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
                      rendered: tuple[list[str], dict[str, bytes]] | None = None) -> list[str]:
    """Write the chosen formats of `plan` into `out`, swapped into place whole; returns the
    formats written. `extra` maps a name to a writer `f(folder)` of a file that is not drawn
    from the plan alone (risk.png from a simulation); it is written into the same folder.
    `network`: the travel network the plan was made on (else the writers build one).
    `rendered`: the folder as `render_files` made it elsewhere, written as it is."""
    out = Path(out).resolve()
    check_output_folder(out, force)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a file where a folder of the path should be, no permission
        raise OutputFolderError(f"cannot make the folder {out.parent}: {exc.strerror or exc}") \
            from None
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
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
        (tmp / MARKER).write_text("written by plan-routes; this folder is replaced as a whole\n")
        if out.exists():
            old = out.with_name(f".{out.name}.old-{os.getpid()}")
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return written
