"""The build server: a rebuild it runs gives the same site, errors and exit status as a build in
a fresh process, it never builds with other code than the client's, and it does not linger."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import build
from analysis import server
from analysis.cache import tree_digest

ROOT = Path(__file__).resolve().parent.parent
SERVED = "building in the build server"
STARTED = "started a build server"


def server_env(**extra: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name != "CI"}
    env.update({"BUILD_SERVER": "1", "BUILD_SERVER_IDLE": "900", **extra})
    return env


def run(project: Path, *args: str, env: dict[str, str],
        cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(project / "build.py"), *args],
                          capture_output=True, text=True, cwd=cwd or project, env=env, timeout=600)


def server_pid(socket_path: Path) -> int:
    return int(socket_path.with_suffix(".lock").read_text().split()[0])


def gone(pid: int, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def set_rho(data: Path, value: str) -> None:
    path = data / "tabell13_spearman.csv"
    text, count = re.subn(r"Gevinstrealisering,\d\.\d+", f"Gevinstrealisering,{value}",
                          path.read_text(encoding="utf-8"))
    assert count == 1
    path.write_text(text, encoding="utf-8")


def same_trees(one: Path, other: Path) -> bool:
    return tree_digest(one) == tree_digest(other)


def code_key_of(project: Path) -> str:
    """build.code_key() of a copy of the project, computed by its own build.py."""
    return subprocess.run([sys.executable, "-c", "import build; print(build.code_key())"],
                          capture_output=True, text=True, cwd=project, check=True,
                          timeout=60).stdout.strip()


@pytest.fixture
def stop_servers():
    """No server of this checkout before the test (one a developer started), none after it."""
    def stop():
        subprocess.run([sys.executable, str(ROOT / "build.py"), "--stop-server"],
                       capture_output=True, timeout=60)
    stop()
    yield
    stop()


def test_rebuilds_in_the_server_equal_builds_in_a_fresh_process(tmp_path, stop_servers):
    """The server is started by a build, runs the next one with the client's arguments,
    directory and environment (here a new build date), gives the same bytes as a clean build in
    a fresh process, refuses bad input in the same one line, and is stopped on request."""
    data, site, clean_site = tmp_path / "data", tmp_path / "site", tmp_path / "clean"
    shutil.copytree(ROOT / "data", data)
    socket_path = server.socket_path(ROOT / "build", build.code_key())

    first = run(ROOT, "--out", str(site), "--data", str(data),
                env=server_env(SOURCE_DATE_EPOCH="1600000000"))
    assert first.returncode == 0, first.stderr
    assert SERVED not in first.stdout
    assert server.wait_until_ready(socket_path, 120), "no build server started"

    set_rho(data, "0.301")
    later = server_env(SOURCE_DATE_EPOCH="1700000000")
    served = run(ROOT, "--out", "site", "--data", "data", env=later, cwd=tmp_path)  # relative
    assert served.returncode == 0, served.stderr
    assert SERVED in served.stdout and "built " in served.stdout
    clean = run(ROOT, "--clean", "--out", str(clean_site), "--data", str(data), env=later)
    assert clean.returncode == 0, clean.stderr
    assert SERVED not in clean.stdout  # --clean always builds in its own process
    assert same_trees(site, clean_site)
    assert "2023-11-14" in (site / "sitemap.xml").read_text(encoding="utf-8")  # the new date

    before = tree_digest(site)
    set_rho(data, "1.301")
    refused = run(ROOT, "--out", str(site), "--data", str(data), env=later)
    error = refused.stderr.strip().splitlines()
    assert refused.returncode == 1 and SERVED in refused.stdout
    assert len(error) == 1 and "tabell13_spearman.csv" in error[0] and "row" in error[0], error
    assert tree_digest(site) == before

    # nothing of the builds before leaks into the next one in the same server
    set_rho(data, "0.302")
    again = run(ROOT, "--out", str(site), "--data", str(data), env=later)
    assert again.returncode == 0 and SERVED in again.stdout, again.stderr
    assert run(ROOT, "--clean", "--out", str(clean_site), "--data", str(data),
               env=later).returncode == 0
    assert same_trees(site, clean_site)

    pid = server_pid(socket_path)
    stopped = run(ROOT, "--stop-server", env=later)
    assert "stopped 1 build server" in stopped.stdout
    assert gone(pid) and not socket_path.exists()


def start_server(**env: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--build-server"],
                            env=server_env(**env), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def test_a_server_stops_after_its_idle_time_when_its_socket_is_removed_and_while_starting(
        stop_servers):
    socket_path = server.socket_path(ROOT / "build", build.code_key())
    processes = []
    try:
        processes.append(idle := start_server(BUILD_SERVER_IDLE="1"))
        assert server.wait_until_ready(socket_path, 120)
        assert server_pid(socket_path) == idle.pid
        assert idle.wait(timeout=60) == 0

        processes.append(removed := start_server())
        assert server.wait_until_ready(socket_path, 120)
        assert server_pid(socket_path) == removed.pid
        socket_path.unlink()  # as `make clean` does, with build/
        assert removed.wait(timeout=60) == 0

        processes.append(starting := start_server())
        deadline = time.monotonic() + 60  # it holds its lock from its first moment
        while not server.running(socket_path) and time.monotonic() < deadline:
            time.sleep(0.02)
        stopped = run(ROOT, "--stop-server", env=server_env())
        assert "stopped 1 build server" in stopped.stdout
        starting.wait(timeout=30)
        assert not server.running(socket_path)
    finally:
        for process in processes:
            process.kill()
            process.wait()


def test_a_client_that_is_interrupted_stops_its_served_build(tmp_path, stop_servers):
    """Ctrl+C of build.py stops the build in the server too, as it would in a fresh process:
    the site stays as it was, and the server builds the next time as well as ever."""
    data, site = tmp_path / "data", tmp_path / "site"
    shutil.copytree(ROOT / "data", data)
    env = server_env(SOURCE_DATE_EPOCH="1700000000")
    assert run(ROOT, "--quiet", "--out", str(site), "--data", str(data), env=env).returncode == 0
    assert server.wait_until_ready(server.socket_path(ROOT / "build", build.code_key()), 120)
    before = tree_digest(site)

    set_rho(data, "0.303")
    client = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--out", str(site),
                               "--data", str(data)], env=env, stdout=subprocess.PIPE, text=True)
    assert SERVED in client.stdout.readline()
    assert client.stdout.readline().startswith("load and validate data")
    client.kill()  # as a terminal's Ctrl+C ends it
    client.wait()
    time.sleep(3)  # what is left of the served build, had it gone on
    assert tree_digest(site) == before

    again = run(ROOT, "--out", str(site), "--data", str(data), env=env)
    assert again.returncode == 0 and SERVED in again.stdout, again.stderr
    clean = tmp_path / "clean"
    assert run(ROOT, "--clean", "--out", str(clean), "--data", str(data), env=env).returncode == 0
    assert same_trees(site, clean)


def test_after_a_change_to_the_builds_code_the_old_server_is_not_used_and_stops(tmp_path):
    """Code already imported in a server would not change: the client finds no server for its
    code, builds itself, and starts a new server, which stops the old one."""
    project = tmp_path / "project"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(
        ".venv", ".git", "build", "site", ".pytest_cache", "__pycache__", "tests"))
    out = tmp_path / "site"
    try:
        assert run(project, "--quiet", "--out", str(out), env=server_env()).returncode == 0
        old_socket = server.socket_path(project / "build", code_key_of(project))
        assert server.wait_until_ready(old_socket, 120), "no build server started"
        old_pid = server_pid(old_socket)

        with (project / "analysis" / "formatting.py").open("a", encoding="utf-8") as code:
            code.write("\n# a maintainer's edit\n")
        rebuilt = run(project, "--out", str(out), env=server_env())
        assert rebuilt.returncode == 0, rebuilt.stderr
        assert SERVED not in rebuilt.stdout and STARTED in rebuilt.stdout
        assert gone(old_pid, 60), "the server of the old code still runs"
    finally:
        run(project, "--stop-server", env=server_env())
