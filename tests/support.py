"""Helpers the build tests share: a copy of the project to break or commit in."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATED = {".venv", ".git", "build", "site", ".pytest_cache", "tests"}  # at the top only


def copy_project(target: Path) -> Path:
    """The project's code and inputs (not what it generates, nor its history) at target."""
    shutil.copytree(ROOT, target, symlinks=True, ignore=lambda folder, names: [
        name for name in names if name == "__pycache__"
        or (Path(folder) == ROOT and name in GENERATED)])
    return target
