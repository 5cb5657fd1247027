"""Publish a build atomically, and only where it is safe: the site is made in a folder beside the
output and swapped into place when every stage has succeeded, so a failed or interrupted build
leaves the previous site as it was; an output folder that holds anything the build did not make
is refused."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from ..errors import OutputError
from ..inputs.files import display_path

MARK = ".built-by-build.py"  # in every site this build makes: the next build may replace it


def check_output(out: Path, inputs: list[Path], project: list[Path], manifest: Path) -> None:
    """Refuse an output folder that is a root, the home or current folder, holds or lies in one
    of the build's `inputs`, holds one of the `project`'s folders, or is a non-empty folder that
    is not a site this build made (by its mark, or, for sites made before the mark, the
    manifest)."""
    def refuse(problem: str) -> None:
        raise OutputError(f"refusing to build into this folder: it {problem}; choose a new or "
                          "empty folder, or one an earlier build made", file=display_path(out))

    if out.parent == out:
        refuse("is the root of the file system")
    for place, name in ((Path.home(), "your home folder"), (Path.cwd(), "the current folder")):
        if out == place.resolve():
            refuse(f"is {name}")
    for path in [*inputs, *project]:
        if out == path.resolve():
            refuse(f"is {display_path(path)}, which the build needs")
        if out in path.resolve().parents:
            refuse(f"holds {display_path(path)}, which the build needs")
    for path in inputs:
        if path.resolve() in out.parents:
            refuse(f"is inside {display_path(path)}, which the build reads")
    if out.exists() and not out.is_dir():
        refuse("is a file, not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARK).is_file() \
            and not _in_manifest(out, manifest):
        refuse(f"holds files that no build of this site made (it has no {MARK})")


def _in_manifest(out: Path, manifest: Path) -> bool:
    try:
        return str(out) in json.loads(manifest.read_text(encoding="utf-8")).get("outputs", {})
    except (OSError, ValueError):
        return False


@contextmanager
def staging(out: Path):
    """A fresh folder beside `out` to build into; on success it replaces `out`, on any failure
    (or interrupt) it is removed and `out` is untouched."""
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out.parent, f".{out.name}-")
    with own_folder(out.parent, f".{out.name}-new-") as folder:
        yield folder
        (folder / MARK).write_text("This site was made by build.py; the next build replaces "
                                   "this whole folder.\n", encoding="utf-8")
        swap(folder, out)


@contextmanager
def own_folder(parent: Path, prefix: str):
    """A new folder named prefix + this process's id; removed afterwards unless renamed."""
    folder = Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=parent))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def remove_leftovers(parent: Path, prefix: str) -> None:
    """Remove folders named prefix + kind + '-' + pid + '-…' that a build killed outright (no
    chance to clean up) left behind: those of a process that no longer runs."""
    for folder in parent.glob(f"{prefix}*-*-*"):
        pid = folder.name[len(prefix):].split("-")[1]
        if folder.is_dir() and pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def swap(new: Path, out: Path) -> None:
    """Put `new` where `out` is, by renames (a reader never sees half a site)."""
    if not out.exists():
        new.rename(out)
        return
    with own_folder(out.parent, f".{out.name}-old-") as retired:
        retired.rmdir()
        out.rename(retired)
        try:
            new.rename(out)
        except BaseException:
            retired.rename(out)
            raise
