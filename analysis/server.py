"""The build server: a warm process that runs rebuilds for build.py, as Gradle's daemon does.

A rebuild after a small change spends most of its time starting up: importing pandas, SciPy,
Altair and MkDocs, and starting vl-convert's JavaScript engine in the chart process. After a
build, build.py starts this server in the background. It imports all of that once, keeps one
chart process, and listens on a Unix socket in build/; the next `build.py` (not `--clean`) sends
it its arguments, working directory and environment, and prints what the build prints. If that
build.py is interrupted (Ctrl+C), the served build is interrupted too.

The socket's name holds a hash of the build's code and package versions, so a server never
builds with code other than the client's: after an edit in analysis/ or build.py the client
finds no server for its code, builds itself and starts a new server, which tells the old one
to stop. Each server holds a lock file beside its socket from its first moment, with its process
id in it, so a server that is still starting counts as running and can be stopped. A server
stops after IDLE_SECONDS without a build, when its socket is removed (`make clean`), or on
`build.py --stop-server`. It is on by default only for builds run from a terminal;
BUILD_SERVER=1 turns it on, BUILD_SERVER=0 (or CI set) off.
"""

from __future__ import annotations

import _thread
import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
import warnings
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Callable

IDLE_SECONDS = 15 * 60
CHECK_SECONDS = 1.0  # how often an idle server looks whether it should stop
REQUEST_SECONDS = 10  # a client that connects says what it wants within this time
INTERRUPTED = 130  # the exit status of a build stopped by Ctrl+C


def enabled(environ=os.environ) -> bool:
    """BUILD_SERVER=1/0 decides; otherwise off under CI, and on when run from a terminal (a
    script or a CI system that sets no CI variable gets no process left behind)."""
    setting = environ.get("BUILD_SERVER", "")
    if setting:
        return setting not in ("0", "false", "no", "off")
    return not environ.get("CI") and (sys.stdin.isatty() or sys.stdout.isatty())


def socket_path(build_dir: Path, code_key: str) -> Path:
    return build_dir / f"server-{code_key[:16]}.sock"


# --- client side ---------------------------------------------------------------------------

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
    """A connection to the server at `path`, if one listens there and is this user's."""
    try:
        if path.stat().st_uid != os.getuid():
            return None
    except OSError:
        return None
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        with _address(path) as address:
            client.connect(address)
    except OSError:
        client.close()
        return None
    return client


def _send(connection: socket.socket, message: dict) -> None:
    # ASCII JSON: an environment value that is not valid UTF-8 travels as escapes
    connection.sendall(json.dumps(message).encode("ascii") + b"\n")


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
    umask = os.umask(0)  # read it (the only way) and put it back
    os.umask(umask)
    return request(path, {"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ),
                          "umask": umask}, connected)


def _lock_path(socket_file: Path) -> Path:
    return socket_file.with_suffix(".lock")


def holder(lock_file: Path) -> int | None:
    """The process id of the server holding this lock (starting or serving), or None."""
    try:
        with open(lock_file, "r+") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                lock.seek(0)
                text = lock.read().strip()
                return int(text) if text.isdigit() else -1
            fcntl.flock(lock, fcntl.LOCK_UN)
            return None
    except OSError:
        return None


def running(path: Path) -> bool:
    """Whether a server for this socket is serving or still starting."""
    return holder(_lock_path(path)) is not None


def failed(path: Path) -> bool:
    """Whether a server for this socket could not start here (see serve)."""
    return path.with_suffix(".failed").exists()


def stop_all(build_dir: Path, seconds: float = 30) -> int:
    """Stop every build server of this checkout, serving or starting; how many there were.
    Returns once they have ended."""
    stopping = []
    for lock_file in sorted(build_dir.glob("server-*.lock")):
        pid = holder(lock_file)
        if pid is None:
            continue
        socket_file = lock_file.with_suffix(".sock")
        if request(socket_file, {"stop": True}) is None and pid > 0:
            try:  # still starting: it has no socket yet
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        stopping.append(lock_file)
    deadline = time.monotonic() + seconds
    while any(holder(lock_file) is not None for lock_file in stopping) \
            and time.monotonic() < deadline:
        time.sleep(0.1)
    return len(stopping)


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


# --- server side ---------------------------------------------------------------------------

def claim(path: Path):
    """Take this socket's lock, first thing in a server, and write our process id in it; the
    open lock file, or None if another server holds it (then this one exits)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = open(_lock_path(path), "a+")  # noqa: SIM115 - held for the server's life
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.close()
        return None
    lock.truncate(0)
    lock.write(f"{os.getpid()}\n")
    lock.flush()
    return lock


def _same_file(path: Path, identity: tuple[int, int]) -> bool:
    try:
        stat = path.stat()
    except OSError:
        return False
    return (stat.st_dev, stat.st_ino) == identity


def _retire_others(path: Path) -> None:
    """Servers of older code stop once their socket is gone; unheld old lock files go too."""
    for other in path.parent.glob("server-*.sock"):
        if other != path:
            other.unlink(missing_ok=True)
    for lock_file in path.parent.glob("server-*.lock"):
        if lock_file != _lock_path(path) and holder(lock_file) is None:
            lock_file.unlink(missing_ok=True)


def serve(path: Path, run_build: Callable[[list[str]], int], idle_seconds: float) -> None:
    """Answer requests at `path` until idle too long or the socket is removed or replaced.
    `run_build(argv)` builds and returns the exit status (build.main with a kept chart process).
    The caller holds the lock (claim). If the socket cannot be made here, say so in a file
    beside it, so that builds stop starting servers for this code."""
    _retire_others(path)
    path.unlink(missing_ok=True)  # left by a server that was killed
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        with _address(path) as address:
            listener.bind(address)
        path.chmod(0o600)  # only its owner may send builds
        listener.listen(8)
    except OSError as exc:
        path.with_suffix(".failed").write_text(f"{exc}\n", encoding="utf-8")
        listener.close()
        return
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
            with connection:
                if not _answer(connection, run_build):
                    break
            last_build = time.monotonic()
    finally:
        listener.close()
        if _same_file(path, identity):
            path.unlink()


def _read_request(connection: socket.socket) -> dict:
    connection.settimeout(REQUEST_SECONDS)
    try:
        with connection.makefile("rb") as requests:
            message = json.loads(requests.readline() or b"{}")
        return message if isinstance(message, dict) else {}
    except (OSError, ValueError):
        return {}
    finally:
        connection.settimeout(None)


def _answer(connection: socket.socket, run_build: Callable[[list[str]], int]) -> bool:
    """Run one request; False if it asked the server to stop."""
    message = _read_request(connection)
    if not all(key in message for key in ("argv", "cwd", "env")):  # stop, probe or garbage
        try:
            _send(connection, {"exit": 0})
        except OSError:
            pass
        return not message.get("stop")
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    umask = message.get("umask")
    saved_umask = os.umask(umask if isinstance(umask, int) else 0o022)  # files made as the client
    watch = _HangUpWatch(connection)
    try:
        os.environ.clear()
        os.environ.update(message["env"])
        os.chdir(message["cwd"])
        status = _run(connection, run_build, message["argv"], watch)
        _send(connection, {"exit": status})
    except (OSError, TypeError):  # the client went away, or sent nonsense
        pass
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
        os.chdir(saved_cwd)
        os.umask(saved_umask)
    return True


def _run(connection: socket.socket, run_build, argv: list[str], watch) -> int:
    """The build, printing to the client, as a fresh process would: warnings shown once per
    build, not once per server; a Ctrl+C of the client stops it like a Ctrl+C would."""
    with redirect_stdout(_Stream(connection, "out")), redirect_stderr(_Stream(connection, "err")), \
            warnings.catch_warnings():
        try:
            watch.start()
            return run_build(argv)
        except SystemExit as exc:  # argparse: --help, or bad arguments
            return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except KeyboardInterrupt:
            return INTERRUPTED
        except Exception:  # noqa: BLE001 - a bug: the client shows the traceback
            traceback.print_exc()
            return 1
        finally:
            watch.finish()


class _Stream:
    """A text stream whose writes go to the client, tagged with the stream they were meant for."""

    def __init__(self, connection: socket.socket, name: str) -> None:
        self.connection, self.name = connection, name

    def write(self, text: str) -> int:
        if text:
            try:
                _send(self.connection, {self.name: text})
            except OSError:  # the client has gone: _HangUpWatch stops the build
                pass
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


class _HangUpWatch:
    """Interrupts the build (as Ctrl+C would) if the client hangs up before it ends."""

    def __init__(self, connection: socket.socket) -> None:
        self.connection = connection
        self.lock = threading.Lock()
        self.running = False
        self.interrupted = False

    def start(self) -> None:
        self.running = True
        threading.Thread(target=self._wait, daemon=True).start()

    def _wait(self) -> None:
        try:
            self.connection.recv(1)  # the client sends nothing more: this returns on hang-up
        except OSError:
            pass
        with self.lock:
            if self.running:
                self.interrupted = True
                _thread.interrupt_main()

    def finish(self) -> None:
        with self.lock:
            self.running = False
            interrupted = self.interrupted
            self.interrupted = False
        if interrupted:  # an interrupt sent just as the build ended lands here, not later
            try:
                time.sleep(0.1)
            except KeyboardInterrupt:
                pass
