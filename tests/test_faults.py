"""The build under faults: output folders it must not replace, inputs a spreadsheet or an editor
leaves behind, paths that cannot be read or written, templates that fail at run time, never end
or grow without bound, and interrupts. Every case: a non-zero exit, one line on stderr naming the
place, the previous site byte for byte as it was, and nothing left behind."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import ROOT, copy_project

from report.cache import tree_digest


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the project with a built site: cases that could destroy work run there."""
    copy = copy_project(tmp_path_factory.mktemp("project") / "project")
    result = run(copy, "--quiet")
    assert result.returncode == 0, result.stderr
    return copy


def run(project: Path, *args: str, cwd: Path | None = None, env: dict | None = None,
        limit_file_size: int | None = None) -> subprocess.CompletedProcess:
    def limits():
        if limit_file_size is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_file_size, limit_file_size))

    return subprocess.run([sys.executable, str(project / "build.py"), *args], cwd=cwd or project,
                          capture_output=True, text=True, timeout=600, preexec_fn=limits,
                          env={**os.environ, **(env or {})})


def snapshot(project: Path) -> dict[str, str]:
    """What must not change when a build is refused: the site and every input."""
    return {name: tree_digest(project / name) for name in
            ("site", "data", "content", "templates", "sources", "report", "assets", "overrides")}


def leftovers(project: Path, out: Path) -> list[str]:
    """Folders a build makes for itself and removes (staging beside the output, Markdown in
    build/): none may remain after a build has ended, whatever ended it."""
    found = [p.name for p in out.parent.glob(f".{out.name}-*")]
    found += [p.name for p in (project / "build").glob("docs-*")]
    found += [p.name for p in (project / "build").glob("pdf-*")]
    return found


def one_line(result: subprocess.CompletedProcess) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


# (id, arguments relative to the project copy, pieces the error line must contain)
REFUSED_OUTPUTS = [
    ("project-itself", ["--out", "."], ["refusing to build into this folder", "current folder"]),
    ("templates", ["--out", "templates"], ["templates", "is templates, which the build needs"]),
    ("data", ["--out", "data"], ["is data, which the build needs"]),
    ("inside-an-input", ["--out", "content/site"], ["is inside content"]),
    ("parent-of-project", ["--out", ".."], ["holds", "which the build needs"]),
    ("code", ["--out", "report"], ["is report"]),
    ("cache", ["--out", "build"], ["is build"]),
    ("root", ["--out", "/"], ["root of the file system"]),
    ("a-file", ["--out", "README.md"], ["is a file, not a folder"]),
]


@pytest.mark.parametrize("case,args,expected", REFUSED_OUTPUTS,
                         ids=[case for case, *_ in REFUSED_OUTPUTS])
def test_an_output_that_would_delete_work_is_refused(project, case, args, expected):
    before = snapshot(project)
    git_like = (project / "README.md").read_bytes()
    result = run(project, *args)
    assert result.returncode == 1
    line = one_line(result)
    for piece in expected:
        assert piece in line, line
    assert snapshot(project) == before
    assert (project / "README.md").read_bytes() == git_like
    assert leftovers(project, project / "site") == []


def test_the_home_folder_and_a_foreign_folder_are_refused(project, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "notes.txt").write_text("mine", encoding="utf-8")
    result = run(project, "--out", str(home), env={"HOME": str(home)})
    assert result.returncode == 1 and "is your home folder" in one_line(result)
    foreign = tmp_path / "photos"
    foreign.mkdir()
    (foreign / "a.jpg").write_bytes(b"jpeg")
    result = run(project, "--out", str(foreign))
    assert result.returncode == 1 and "holds files that no build of this site made" in \
        one_line(result)
    assert [p.name for p in foreign.iterdir()] == ["a.jpg"]


def test_an_empty_or_new_folder_and_a_previous_build_are_accepted(project, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run(project, "--quiet", "--out", str(empty)).returncode == 0
    assert (empty / ".built-by-build.py").is_file() and (empty / "index.html").is_file()
    # a previous build is replaced (another address changes every page; the analysis is reused)
    again = run(project, "--quiet", "--out", str(empty), "--site-url", "http://127.0.0.1:8001/")
    assert again.returncode == 0, again.stderr
    assert "127.0.0.1:8001" in (empty / "sitemap.xml").read_text(encoding="utf-8")


def break_input(project: Path, relative: str, action) -> Path:
    """A copy of one input folder of the project, broken by action(folder)."""
    folder = project.parent / f"broken-{relative}"
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(project / relative, folder, symlinks=True)
    action(folder)
    return folder


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, path)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def folder_instead_of_file(folder: Path) -> None:
    (folder / "fylker.csv").unlink()
    (folder / "fylker.csv").mkdir()


def symlink_loop(folder: Path) -> None:
    (folder / "tabell9_intervjuer.csv").unlink()
    (folder / "tabell9_intervjuer.csv").symlink_to("tabell9_intervjuer.csv")


# (id, input folder, how to break it, pieces of the one line)
FAULTY_PATHS = [
    ("a-folder-where-a-file-belongs", "data", folder_instead_of_file,
     ["fylker.csv", "Is a directory"]),
    ("a-symlink-loop", "data", symlink_loop,
     ["tabell9_intervjuer.csv", "Too many levels of symbolic links"]),
]


@pytest.mark.parametrize("case,relative,action,expected", FAULTY_PATHS,
                         ids=[case for case, *_ in FAULTY_PATHS])
def test_a_path_that_cannot_be_read_is_named(project, case, relative, action, expected):
    before = snapshot(project)
    folder = break_input(project, relative, action)
    result = run(project, f"--{relative}", str(folder))
    assert result.returncode == 1
    line = one_line(result)
    for piece in expected:
        assert piece in line, line
    assert snapshot(project) == before
    assert leftovers(project, project / "site") == []


def test_a_name_too_long_and_an_output_that_cannot_be_made_are_named(project):
    before = snapshot(project)
    long_name = run(project, "--out", "x" * 300)
    assert long_name.returncode == 1 and "File name too long" in one_line(long_name)
    impossible = run(project, "--out", "/proc/site")
    assert impossible.returncode == 1 and "/proc" in one_line(impossible)
    assert snapshot(project) == before


def test_a_full_disk_fails_with_one_line_and_the_site_kept(project):
    """Files may grow to 300 KB only (as if the disk were full): writing the site fails."""
    before = snapshot(project)
    result = run(project, "--clean", limit_file_size=300_000)
    assert result.returncode == 1
    assert "File too large" in one_line(result)
    assert snapshot(project) == before
    assert leftovers(project, project / "site") == []


def template_case(project: Path, body: str) -> Path:
    return break_input(project, "templates", lambda folder: replace(
        folder / "area.md.j2", "# {{ area.name | text }}", body + "\n\n# {{ area.name | text }}"))


# the line the broken statement lands on in area.md.j2: where the heading was
AREA_LINE = next(number for number, line in enumerate(
    (ROOT / "templates" / "area.md.j2").read_text(encoding="utf-8").splitlines(), start=1)
    if line.startswith("# {{ area.name | text }}"))

# (id, the template statement, pieces of the one line)
FAILING_TEMPLATES = [
    ("division-by-zero", "{{ 1 / 0 }}", ["ZeroDivisionError"]),
    ("recursive-macro", "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
     ["RecursionError", "calls itself"]),
    ("call-on-undefined", "{{ nothing() }}", ["UndefinedError", "'nothing' is undefined"]),
    ("grows-without-bound", '{% set ns = namespace(s="x") %}{% for i in range(60) %}'
                            "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s | length }}",
     ["MemoryError", "grow without bound"]),
]


@pytest.mark.parametrize("case,body,expected", FAILING_TEMPLATES,
                         ids=[case for case, *_ in FAILING_TEMPLATES])
def test_a_template_that_fails_at_run_time_is_named_with_its_line(project, case, body, expected):
    before = snapshot(project)
    result = run(project, "--templates", str(template_case(project, body)))
    assert result.returncode == 1
    line = one_line(result)
    for piece in [f"area.md.j2, line {AREA_LINE}", *expected]:
        assert piece in line, line
    assert snapshot(project) == before
    assert leftovers(project, project / "site") == []


def test_a_template_that_never_ends_is_stopped_by_the_time_limit(project, monkeypatch, capsys):
    """In this process, with the limit at one second (it is 30 s)."""
    import build
    from report.pages import limits

    templates = template_case(project, "{% for i in range(100000) %}{% for j in range(100000) %}"
                                       "{% endfor %}{% endfor %}")
    monkeypatch.setattr(limits, "RENDER_SECONDS", 1)
    started = time.monotonic()
    status = build.main(["--quiet", "--templates", str(templates), "--out",
                         str(project.parent / "never-built")])
    assert status == 1 and time.monotonic() - started < 20
    error = capsys.readouterr().err.strip().splitlines()
    assert len(error) == 1 and "took longer than 1 s and was stopped" in error[0], error
    assert f"area.md.j2, line {AREA_LINE}" in error[0]


def test_debug_shows_the_traceback(project):
    result = run(project, "--debug", "--templates", str(template_case(project, "{{ 1 / 0 }}")))
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and "Traceback" in result.stderr


def wait_for_line(process: subprocess.Popen, text: str) -> None:
    for line in process.stdout:
        if text in line:
            return
    raise AssertionError(f"the build ended before {text!r}")


def children_alive(marker: str) -> list[str]:
    """Processes whose command line mentions marker (Pagefind is started with the folder)."""
    found = []
    for status in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            command = status.read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if marker in command and "pytest" not in command:
            found.append(command)
    return found


@pytest.mark.parametrize("signum,status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)],
                         ids=["ctrl-c", "sigterm"])
def test_an_interrupt_stops_the_build_cleanly(project, signum, status):
    out = project / "site"  # the site the fixture built
    before = tree_digest(out)
    process = subprocess.Popen([sys.executable, "-u", str(project / "build.py"), "--clean",
                                "--out", str(out)], cwd=project, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    wait_for_line(process, "render the pages")
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == status
    lines = stderr.strip().splitlines()
    assert lines == ["error: interrupted; the site was left as it was"], stderr
    assert tree_digest(out) == before
    assert leftovers(project, out) == []
    time.sleep(0.5)
    assert children_alive(str(out.parent / f".{out.name}-")) == []


def test_leftovers_of_a_killed_build_are_removed_by_the_next(project):
    out = project.parent / "killed"
    process = subprocess.Popen([sys.executable, "-u", str(project / "build.py"), "--clean",
                                "--out", str(out)], cwd=project, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    wait_for_line(process, "typeset the PDFs")
    time.sleep(0.3)  # into MkDocs: the staging folder and the Markdown exist
    process.kill()
    process.communicate(timeout=60)
    assert leftovers(project, out)  # SIGKILL gives a process no chance to clean up
    result = run(project, "--quiet", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert leftovers(project, out) == []


def test_editor_files_are_ignored_by_the_loader_and_the_change_check(project):
    assert run(project, "--quiet").returncode == 0
    chapters = project / "content" / "theses" / "olsen-holter-2018"
    editor_files = [chapters / ".#06-diskusjon.md", chapters / "06-diskusjon.md~",
                    project / "content" / "factors" / ".gevinstrealisering.md.swp",
                    project / "data" / "fylker.csv~"]
    for path in editor_files:
        path.write_text("half-saved: <<<", encoding="utf-8")
    try:
        result = run(project)
        assert result.returncode == 0, result.stderr
        assert "nothing changed" in result.stdout
    finally:
        for path in editor_files:
            path.unlink()
