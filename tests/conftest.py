"""Shared fixtures: the real study, analysed once per session, and a way to copy data/."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from report.analysis.results import analyse  # noqa: E402
from report.inputs.tables import load_study  # noqa: E402

pytest_plugins = ["browser_fixtures"]  # server, site, browser, open_tab for the browser tests


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def study():
    return load_study(ROOT / "data")


@pytest.fixture(scope="session")
def results(study):
    return analyse(study)


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of data/ for tests that break it."""
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target
