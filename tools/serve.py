"""Live preview: serve site/ on 127.0.0.1 and rebuild when any input of the build changes.

    python tools/serve.py [--port 8000]

Rebuilds run build.py's main() in this process, so the libraries stay imported, and one chart
process serves every rebuild, so Altair and vl-convert start once: a rebuild costs little more
than MkDocs itself. A change to the build's own code (analysis/, build.py) restarts the whole
command instead, since code already imported would not change. A bad edit prints its one-line
error and the site being served stays as it was until the input is fixed. Reload the page to see
a rebuild.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path

from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import build  # noqa: E402 - after the path is set
from tools.browser import QuietHandler  # noqa: E402
# What build.py's input_keys hashes: these folders, and the two files at the top level.
WATCHED = ("data", "content", "templates", "assets", "overrides", "analysis", "sources")
WATCHED_FILES = ("mkdocs.yml", "build.py")
CODE = (ROOT / "analysis", ROOT / "build.py")  # a change here restarts make serve
CHANGES = {"created", "modified", "deleted", "moved"}
DEBOUNCE = 0.5  # seconds of quiet before rebuilding, so a save of many files builds once


class Rebuilder(FileSystemEventHandler):
    def __init__(self, site_url: str) -> None:
        self.site_url = site_url
        self.pending = threading.Event()
        self.code_changed = False
        self.builds = build.WarmBuilds()
        self.observer = None  # the watchdog observer, stopped before a restart
        threading.Thread(target=self._loop, daemon=True).start()

    def on_any_event(self, event) -> None:
        # Only changes: watchdog also reports files being opened and read, and every build
        # reads the watched files, which would rebuild forever.
        path = Path(event.src_path)
        if event.event_type in CHANGES and not event.is_directory \
                and "__pycache__" not in path.parts \
                and (path.parent != ROOT or path.name in WATCHED_FILES):
            if any(path == code or code in path.parents for code in CODE):
                self.code_changed = True
            self.pending.set()

    def build(self) -> int:
        """One build; a bug in the build's code prints its traceback and the site being served
        stays as it was."""
        return self.builds(["--site-url", self.site_url])

    def restart(self) -> None:
        """Run this command again from the start, with the changed code (unless it does not
        compile: then say where, and wait for the next change)."""
        problem = syntax_error(code_files())
        if problem:
            print(f"error: {problem}; still serving the last site", file=sys.stderr, flush=True)
            return
        if self.observer is not None:  # its inotify handle would outlive the exec
            self.observer.stop()
            self.observer.join()
        self.builds.close()
        os.execv(sys.executable, [sys.executable, *sys.argv])

    def _loop(self) -> None:
        while True:
            self.pending.wait()
            time.sleep(DEBOUNCE)
            self.pending.clear()
            if self.code_changed:
                print("the build's code changed; restarting …", flush=True)
                self.restart()  # returns only if the code does not compile
                continue
            print("change seen; rebuilding …", flush=True)
            self.build()


def code_files() -> list[Path]:
    return [ROOT / "build.py", *sorted((ROOT / "analysis").rglob("*.py"))]


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


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve site/ and rebuild on changes.")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    site_url = f"http://127.0.0.1:{args.port}/"
    handler = Rebuilder(site_url)
    status = handler.build()
    if status != 0 and not (ROOT / "site").is_dir():
        sys.exit(status)
    observer = Observer()
    handler.observer = observer
    for folder in WATCHED:
        observer.schedule(handler, str(ROOT / folder), recursive=True)
    observer.schedule(handler, str(ROOT), recursive=False)  # only WATCHED_FILES count there
    observer.start()
    server = ThreadingHTTPServer(("127.0.0.1", args.port),
                                 functools.partial(QuietHandler, directory=str(ROOT / "site")))
    print(f"serving {site_url} (Ctrl+C stops); watching {', '.join(WATCHED + WATCHED_FILES)}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        server.server_close()


if __name__ == "__main__":
    main()
