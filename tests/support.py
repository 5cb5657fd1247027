"""Helpers the build tests share: a copy of the project to break or commit in, running the build,
editing an input."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHAPTER = "content/theses/olsen-holter-2018/07-konklusjon-og-videre-forskning.md"  # one to edit
GENERATED = {".venv", ".git", "build", "site", ".pytest_cache", "tests"}  # at the top only


def copy_project(target: Path) -> Path:
    """The project's code and inputs (not what it generates, nor its history) at target."""
    shutil.copytree(ROOT, target, symlinks=True, ignore=lambda folder, names: [
        name for name in names if name == "__pycache__"
        or (Path(folder) == ROOT and name in GENERATED)])
    return target


def line_of(relative: str, text: str) -> int:
    """The number of the first line of a project file that contains text."""
    lines = (ROOT / relative).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if text in line)


def run_build(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """build.py in a process of its own, as a maintainer runs it."""
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=600, env={**os.environ, **(env or {})})


def build_here(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """build.py's main() in this test process, as make serve runs it (the libraries imported
    once per test worker, not once per build): its status and what it printed, as run_build
    gives them. For everything but what only a process shows (signals, leftovers, imports)."""
    import build

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = build.main(list(args), environ={**os.environ, **(env or {})})
    return subprocess.CompletedProcess(["build.py", *args], status, out.getvalue(),
                                       err.getvalue())


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
