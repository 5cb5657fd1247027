"""The build server: a warm process that runs rebuilds for build.py, as Gradle's daemon does.

A rebuild after a small change spends most of its time starting up: importing pandas, SciPy,
Altair and MkDocs, and starting vl-convert's JavaScript engine in the chart process. After a
build, build.py starts this server in the background. It imports all of that once, keeps one
chart process, and listens on a Unix socket in build/; the next `build.py` (not `--clean`) sends
it its arguments, working directory and environment, and prints what the build prints.

The socket's name holds a hash of the build's code and package versions, so a server never
builds with code other than the client's: after an edit in analysis/ or build.py the client
finds no server for its code, builds itself and starts a new server, which tells the old one
to stop. A server stops after IDLE_SECONDS without a build, when its socket is removed (`make
clean`), or on `build.py --stop-server`. BUILD_SERVER=0, or a CI environment, turns it off.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import subprocess
import sys
import time
import traceback
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Callable

IDLE_SECONDS = 15 * 60
CHECK_SECONDS = 1.0  # how often an idle server looks whether it should stop


def enabled(environ=os.environ) -> bool:
    """Off with BUILD_SERVER=0, and by default under CI (nothing is left running there)."""
    setting = environ.get("BUILD_SERVER", "")
    if setting:
        return setting not in ("0", "false", "no", "off")
    return not environ.get("CI")


def socket_path(build_dir: Path, code_key: str) -> Path:
    return build_dir / f"server-{code_key[:16]}.sock"


@contextmanager
def _address(path: Path):
    """The address to bind or connect to for `path`: a Unix socket's path may have at most 107
    bytes, so a longer one is reached from its own directory (this process has one thread)."""
    if len(os.fsencode(path)) < 100:
        yield str(path)
        return
    here = os.getcwd()
    os.chdir(path.parent)
    try:
        yield path.name
    finally:
        os.chdir(here)


def _connect(path: Path) -> socket.socket | None:
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        with _address(path) as address:
            client.connect(address)
    except OSError:
        client.close()
        return None
    return client


class _Stream:
    """A text stream whose writes go to the client, tagged with the stream they were meant for.
    If the client has gone (Ctrl+C), the build still runs to its end, unheard."""

    def __init__(self, connection: socket.socket, name: str) -> None:
        self.connection, self.name = connection, name

    def write(self, text: str) -> int:
        if text:
            try:
                _send(self.connection, {self.name: text})
            except OSError:
                pass
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def _send(connection: socket.socket, message: dict) -> None:
    connection.sendall(json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\n")


def request(path: Path, message: dict, connected: Callable[[], None] = lambda: None) -> int | None:
    """Send one request to the server at `path` (calling `connected` once it answers) and echo
    what the build prints to this process's stdout and stderr. The build's exit status, or None
    when no server listens there or it stopped before the end (the caller then builds itself)."""
    client = _connect(path)
    if client is None:
        return None
    connected()
    with client, client.makefile("rb") as answers:
        while answer := _receive(client, answers, message):
            message = None
            if "exit" in answer:
                return answer["exit"]
            stream = sys.stdout if "out" in answer else sys.stderr
            stream.write(answer["out"] if "out" in answer else answer["err"])
            stream.flush()
    return None


def _receive(client: socket.socket, answers, message: dict | None) -> dict | None:
    """Send the message, if any, and read the next answer; None if the server has gone."""
    try:
        if message is not None:
            _send(client, message)
        line = answers.readline()
        return json.loads(line) if line else None
    except (OSError, ValueError):
        return None


def build_remotely(path: Path, argv: list[str],
                   connected: Callable[[], None] = lambda: None) -> int | None:
    """Run `build.py argv` on the server at `path`, in this directory and environment."""
    return request(path, {"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ)}, connected)


def stop_all(build_dir: Path) -> int:
    """Stop every build server of this checkout; how many there were."""
    stopped = 0
    for path in sorted(build_dir.glob("server-*.sock")):
        if request(path, {"stop": True}) is not None:
            stopped += 1
        path.unlink(missing_ok=True)
    return stopped


def start_in_background(build_py: Path, build_dir: Path) -> None:
    """Start a server (`build.py --build-server`) detached from this process and its terminal;
    what it prints itself goes to build/server.log."""
    build_dir.mkdir(exist_ok=True)
    with open(build_dir / "server.log", "ab") as log:
        subprocess.Popen([sys.executable, str(build_py), "--build-server"],
                         cwd=build_py.parent, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                         start_new_session=True, close_fds=True)


def wait_until_ready(path: Path, seconds: float = 0) -> bool:
    """Whether a server listens at `path` now, or within `seconds`."""
    deadline = time.monotonic() + seconds
    while (probe := _connect(path)) is None:
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)
    probe.close()
    return True


def _same_file(path: Path, identity: tuple[int, int]) -> bool:
    try:
        stat = path.stat()
    except OSError:
        return False
    return (stat.st_dev, stat.st_ino) == identity


def serve(path: Path, run_build: Callable[[list[str]], int], idle_seconds: float) -> None:
    """Answer requests at `path` until idle too long or the socket is removed or replaced.
    `run_build(argv)` builds and returns the exit status (build.main with a kept chart process).
    One server per socket: a second one for the same code exits at once."""
    lock = open(path.with_suffix(".lock"), "a+")  # noqa: SIM115 - held for the server's life
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return
    lock.truncate(0)
    lock.write(f"{os.getpid()}\n")  # which process serves, for whoever wonders (and the tests)
    lock.flush()
    for other in path.parent.glob("server-*.sock"):  # servers of older code stop on their own
        other.unlink(missing_ok=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    with _address(path) as address:
        listener.bind(address)
    path.chmod(0o600)  # only its owner may send builds
    listener.listen(8)
    listener.settimeout(CHECK_SECONDS)
    stat = path.stat()
    identity = (stat.st_dev, stat.st_ino)
    last_build = time.monotonic()
    try:
        while _same_file(path, identity) and time.monotonic() - last_build < idle_seconds:
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            connection.settimeout(None)
            with connection:
                if not _answer(connection, run_build):
                    break
            last_build = time.monotonic()
    finally:
        listener.close()
        if _same_file(path, identity):
            path.unlink()


def _answer(connection: socket.socket, run_build: Callable[[list[str]], int]) -> bool:
    """Run one request; False if it asked the server to stop."""
    with connection.makefile("rb") as requests:
        message = json.loads(requests.readline() or b"{}")
    if "argv" not in message:  # a stop request, or a probe (wait_until_ready)
        try:
            _send(connection, {"exit": 0})
        except OSError:
            pass
        return not message.get("stop")
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    status = 1
    try:
        os.environ.clear()
        os.environ.update(message["env"])
        os.chdir(message["cwd"])
        with redirect_stdout(_Stream(connection, "out")), \
                redirect_stderr(_Stream(connection, "err")):
            try:
                status = run_build(message["argv"])
            except SystemExit as exc:  # argparse: --help, or bad arguments
                status = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            except Exception:  # noqa: BLE001 - a bug: the client shows the traceback
                traceback.print_exc()
        _send(connection, {"exit": status})
    except OSError:  # the client went away; the build itself ran to its end or failed cleanly
        pass
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
        os.chdir(saved_cwd)
    return True
