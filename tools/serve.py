"""Live preview: serve site/ on 127.0.0.1 and rebuild, in this process, when an input changes.

    python tools/serve.py [--port 8000]

The libraries stay imported between rebuilds, so a rebuild costs little more than MkDocs itself.
A change to the build's own code (report/, build.py) restarts the whole command instead, since
code already imported would not change. A bad edit prints its one-line error and the site being
served stays as it was until the input is fixed. Reload the page to see a rebuild. Ctrl+C stops
the server, the watcher and everything else this command started.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import threading
import time
import traceback
from http.server import ThreadingHTTPServer
from pathlib import Path

from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import build  # noqa: E402 - after the path is set
from report.inputs.files import is_editor_file  # noqa: E402
from tools.browser import QuietHandler  # noqa: E402

# What report.pipeline.input_keys hashes: these folders, and the two files at the top level.
WATCHED = ("data", "content", "templates", "assets", "overrides", "report", "sources")
WATCHED_FILES = ("mkdocs.yml", "build.py")
CODE = (ROOT / "report", ROOT / "build.py")  # a change here restarts make serve
CHANGES = {"created", "modified", "deleted", "moved"}
DEBOUNCE = 0.5  # seconds of quiet before rebuilding, so a save of many files builds once
INTERRUPTED = (130, 143)  # build.py's exit status after Ctrl+C or SIGTERM: stop serving too


class Watcher(FileSystemEventHandler):
    """Notes changes to the build's inputs (watchdog calls it from its own thread)."""

    def __init__(self) -> None:
        self.changed = threading.Event()
        self.code_changed = False

    def on_any_event(self, event) -> None:
        # Only changes: watchdog also reports files being opened and read, and every build
        # reads the watched files, which would rebuild forever.
        path = Path(event.src_path)
        if event.event_type in CHANGES and not event.is_directory \
                and "__pycache__" not in path.parts and not is_editor_file(path) \
                and (path.parent != ROOT or path.name in WATCHED_FILES):
            if any(path == code or code in path.parents for code in CODE):
                self.code_changed = True
            self.changed.set()

    def wait(self) -> None:
        """Until a change, then until DEBOUNCE seconds pass without another."""
        while not self.changed.wait(timeout=1.0):  # wakes up now and then for Ctrl+C
            pass
        while self.changed.is_set():
            self.changed.clear()
            time.sleep(DEBOUNCE)


def rebuild(site_url: str) -> int:
    """One build; a bug in the build's code prints its traceback and the site being served
    stays as it was."""
    try:
        return build.main(["--site-url", site_url])
    except Exception:  # noqa: BLE001 - keep serving; the next change builds again
        traceback.print_exc()
        return 1


def code_files() -> list[Path]:
    return [ROOT / "build.py", *sorted((ROOT / "report").rglob("*.py"))]


def syntax_error(paths: list[Path]) -> str | None:
    """Where the first of these Python files fails to compile, or None."""
    for path in paths:
        try:
            compile(path.read_bytes(), str(path), "exec")
        except SyntaxError as exc:
            return f"{path.relative_to(ROOT) if ROOT in path.parents else path} line " \
                   f"{exc.lineno}: SyntaxError: {exc.msg}"
        except OSError:
            continue  # removed while saving; the next change looks again
    return None


def serve_forever(site_url: str, watcher: Watcher, stop) -> None:
    """Rebuild on every change until interrupted; restart on a change of the build's code
    (unless it does not compile: then say where, and wait for the next change)."""
    while True:
        watcher.wait()
        if watcher.code_changed:
            problem = syntax_error(code_files())
            if problem is None:
                print("the build's code changed; restarting …", flush=True)
                stop()
                os.execv(sys.executable, [sys.executable, *sys.argv])
            print(f"error: {problem}; still serving the last site", file=sys.stderr, flush=True)
            watcher.code_changed = False
            continue
        print("change seen; rebuilding …", flush=True)
        if rebuild(site_url) in INTERRUPTED:
            raise KeyboardInterrupt


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve site/ and rebuild on changes.")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    site_url = f"http://127.0.0.1:{args.port}/"
    status = rebuild(site_url)
    if status in INTERRUPTED or (status != 0 and not (ROOT / "site").is_dir()):
        sys.exit(status)
    watcher = Watcher()
    observer = Observer()
    for folder in WATCHED:
        observer.schedule(watcher, str(ROOT / folder), recursive=True)
    observer.schedule(watcher, str(ROOT), recursive=False)  # only WATCHED_FILES count there
    server = ThreadingHTTPServer(("127.0.0.1", args.port),
                                 functools.partial(QuietHandler, directory=str(ROOT / "site")))

    def stop() -> None:
        server.shutdown()
        server.server_close()
        observer.stop()
        observer.join()

    observer.start()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"serving {site_url} (Ctrl+C stops); watching {', '.join(WATCHED + WATCHED_FILES)}",
          flush=True)
    try:
        serve_forever(site_url, watcher, stop)
    except KeyboardInterrupt:
        stop()


if __name__ == "__main__":
    main()
