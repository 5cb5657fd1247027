"""Shared fixtures: the real study, analysed once per session, and a way to copy data/."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import support  # noqa: E402

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


# ---- inputs to break and a site to keep, for the rebuild and bad-input tests ------------------

@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """A pristine copy of data/, content/ and templates/ for the module's builds."""
    base = tmp_path_factory.mktemp("inputs")
    for name in ("data", "content", "templates"):
        shutil.copytree(ROOT / name, base / name)
    return base


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out") / "site"
    result = support.build_here("--quiet", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture
def broken(tmp_path, inputs) -> Path:
    """A writable copy of the inputs for one case to break."""
    for name in ("data", "content", "templates"):
        shutil.copytree(inputs / name, tmp_path / name)
    return tmp_path


# The slowest test files first, so that the two test processes (make test: pytest-xdist, a file
# to a process) start on them and finish together; the rest keep their order.
SLOWEST_FIRST = ["test_faults.py", "test_browser.py", "test_reading.py", "test_rebuild.py",
                 "test_incremental.py", "test_self_assessment.py", "test_search.py",
                 "test_bad_input.py"]


def pytest_collection_modifyitems(items):
    def order(item) -> int:
        name = item.path.name
        return SLOWEST_FIRST.index(name) if name in SLOWEST_FIRST else len(SLOWEST_FIRST)
    items.sort(key=order)
