"""Limits that stop a runaway template: a timer for one that never ends, a cap on memory for one
that grows without bound. Either way the build fails with the template's line (pages/render.py)."""

from __future__ import annotations

import resource
import signal
import threading
from contextlib import contextmanager
from pathlib import Path

RENDER_SECONDS = 30       # the whole site renders in well under a second
RENDER_MEMORY = 2 << 30   # bytes the templates may take on top of what the build holds


class TemplateTimeout(Exception):
    def __str__(self) -> str:
        return (f"rendering took longer than {RENDER_SECONDS} s and was stopped (a loop that "
                "does not end?)")


@contextmanager
def limits():
    """While inside, templates that never end are stopped by a timer (in the main thread, where
    signals arrive) and templates that grow without bound by a cap on the process's memory
    (on Linux), so that a broken template fails with its line instead of hanging the build."""
    timed = threading.current_thread() is threading.main_thread()
    data_limit = resource.getrlimit(resource.RLIMIT_DATA)
    in_use = _data_in_use()

    def stop(signum, frame):
        raise TemplateTimeout

    if timed:
        previous = signal.signal(signal.SIGALRM, stop)
        signal.setitimer(signal.ITIMER_REAL, RENDER_SECONDS)
    if in_use is not None:
        resource.setrlimit(resource.RLIMIT_DATA, (in_use + RENDER_MEMORY, data_limit[1]))
    try:
        yield
    finally:
        if in_use is not None:
            resource.setrlimit(resource.RLIMIT_DATA, data_limit)
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def _data_in_use() -> int | None:
    """The process's data memory in bytes (VmData), or None where there is no /proc."""
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:
        return None
    kilobytes = next((line.split()[1] for line in status.splitlines()
                      if line.startswith("VmData:")), None)
    return int(kilobytes) * 1024 if kilobytes else None
