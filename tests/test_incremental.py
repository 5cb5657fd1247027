"""A maintainer's week in one test: edits, reverts and commits, each followed by an incremental
build that must equal a clean build byte for byte."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from support import copy_project, edit

from report.cache import tree_digest


def test_incremental_builds_through_edits_reverts_and_commits_equal_clean_builds(tmp_path):
    """Everything that reaches the site is in the cache keys, the commit date that dates the
    sitemap included: after each step, a rebuild equals a clean build byte for byte (so a clean
    build is also the same bytes every time: PDFs, search index and all)."""
    project = copy_project(tmp_path / "project")
    day = 86400

    def git(*args: str, date: int | None = None) -> None:
        env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
               "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
        if date is not None:
            env.update(GIT_AUTHOR_DATE=f"@{date} +0000", GIT_COMMITTER_DATE=f"@{date} +0000")
        subprocess.run(["git", *args], cwd=project, check=True, capture_output=True, env=env)

    def build(*args: str) -> subprocess.CompletedProcess:
        env = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
        return subprocess.run([sys.executable, str(project / "build.py"), *args], cwd=project,
                              capture_output=True, text=True, timeout=600, env=env)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "first", date=1_700_000_000)
    mean = project / "data/tabell12_deskriptiv.csv"
    template = project / "templates/home.md.j2"
    steps = [
        ("a value edited", lambda: edit(mean, '"3,2750"', '"3,3750"')),
        ("committed a day later", lambda: git("commit", "-qam", "mean", date=1_700_000_000 + day)),
        ("a template edited", lambda: edit(template, "# Automatisering", "# Automatiseringen")),
        ("the template reverted", lambda: git("checkout", "--", "templates")),
        ("the value reverted", lambda: git("revert", "--no-edit", "HEAD",
                                           date=1_700_000_000 + 2 * day)),
    ]
    assert build("--quiet").returncode == 0
    for step, change in steps:
        change()
        incremental = build()
        assert incremental.returncode == 0, (step, incremental.stderr)
        clean = build("--quiet", "--clean", "--out", str(tmp_path / "clean"))
        assert clean.returncode == 0, (step, clean.stderr)
        assert tree_digest(project / "site") == tree_digest(tmp_path / "clean"), step
    assert "2023-11-16" in (project / "site" / "sitemap.xml").read_text(encoding="utf-8")


def test_a_process_that_loaded_the_code_before_an_edit_does_not_build_with_it(tmp_path):
    """A warm process (a test run, an editor's long session) that imported the build before its
    code was edited refuses to build, in one line, rather than store what a mix of old and new
    code makes under the new code's key; the next build runs the new code."""
    project = copy_project(tmp_path / "project")
    charts = project / "report" / "pages" / "charts.py"
    warm = (f"import sys\nsys.path.insert(0, {str(project)!r})\nimport build\n"
            f"from support import edit\n"
            f"assert build.main(['--quiet']) == 0\n"
            f"edit(__import__('pathlib').Path({str(charts)!r}), 'title=\"Deltakende kommuner\"', "
            f"'title=\"Deltakende kommuner i alt\"')\n"
            f"sys.exit(build.main(['--quiet']))\n")
    tests = str(Path(__file__).resolve().parent)
    stale = subprocess.run([sys.executable, "-c", warm], cwd=project, capture_output=True,
                           text=True, timeout=600, env={**os.environ, "PYTHONPATH": tests})
    assert stale.returncode == 1, stale.stderr
    assert stale.stderr.strip().splitlines() == [
        "error: report/: the build's own code changed after this process loaded it (an edit "
        "while it ran): run the build again"]
    assert "Deltakende kommuner i alt" not in (project / "site" / "assets" / "charts" /
                                               "fylker.vl.json").read_text(encoding="utf-8")
    fresh = subprocess.run([sys.executable, str(project / "build.py"), "--quiet"], cwd=project,
                           capture_output=True, text=True, timeout=600)
    assert fresh.returncode == 0, fresh.stderr
    spec = (project / "site" / "assets" / "charts" / "fylker.vl.json").read_text(encoding="utf-8")
    assert "Deltakende kommuner i alt" in spec
