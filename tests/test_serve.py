"""make serve's watcher: a change rebuilds once; reading a watched file (every build does) does not."""

import importlib.util
import time
from pathlib import Path

from watchdog.events import (FileClosedNoWriteEvent, FileCreatedEvent, FileModifiedEvent,
                             FileOpenedEvent)

ROOT = Path(__file__).resolve().parent.parent


class NoChartProcess:
    def alive(self):
        return True

    def start_drawing(self):
        pass

    def close(self):
        pass


def load_serve(monkeypatch, calls):
    spec = importlib.util.spec_from_file_location("serve", ROOT / "tools" / "serve.py")
    serve = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(serve)
    monkeypatch.setattr(serve.build, "main",
                        lambda argv, chart_process=None: calls.append(argv) or 0)
    monkeypatch.setattr("analysis.worker.ChartProcess", NoChartProcess)
    monkeypatch.setattr(serve, "DEBOUNCE", 0.05)
    return serve


def wait_for(condition, seconds=3.0):
    end = time.monotonic() + seconds
    while time.monotonic() < end and not condition():
        time.sleep(0.02)


def test_reading_files_does_not_rebuild_and_a_change_rebuilds_once(monkeypatch):
    calls = []
    serve = load_serve(monkeypatch, calls)
    watcher = serve.Rebuilder("http://127.0.0.1:8000/")
    data_file = str(ROOT / "data" / "fylker.csv")
    watcher.on_any_event(FileOpenedEvent(data_file))
    watcher.on_any_event(FileClosedNoWriteEvent(data_file))
    time.sleep(0.3)
    assert calls == []
    watcher.on_any_event(FileModifiedEvent(data_file))
    watcher.on_any_event(FileCreatedEvent(str(ROOT / "content" / "factors" / "ny.md")))
    wait_for(lambda: calls)
    time.sleep(0.2)
    assert calls == [["--site-url", "http://127.0.0.1:8000/"]]


def test_mkdocs_yml_and_build_py_are_watched_but_other_top_level_files_are_not(monkeypatch):
    calls = []
    serve = load_serve(monkeypatch, calls)
    watcher = serve.Rebuilder("http://127.0.0.1:8000/")
    watcher.on_any_event(FileModifiedEvent(str(ROOT / "README.md")))
    time.sleep(0.3)
    assert calls == []
    watcher.on_any_event(FileModifiedEvent(str(ROOT / "mkdocs.yml")))
    wait_for(lambda: calls)
    assert len(calls) == 1


def test_a_change_to_the_builds_code_restarts_instead_of_rebuilding(monkeypatch):
    """Code already imported would not change in a rebuild in this process."""
    calls, restarts = [], []
    serve = load_serve(monkeypatch, calls)
    monkeypatch.setattr(serve.Rebuilder, "restart", lambda self: restarts.append(True))
    watcher = serve.Rebuilder("http://127.0.0.1:8000/")
    watcher.on_any_event(FileModifiedEvent(str(ROOT / "analysis" / "charts.py")))
    wait_for(lambda: restarts)
    time.sleep(0.2)
    assert restarts == [True] and calls == []


def test_a_failing_build_keeps_the_watcher_rebuilding(monkeypatch):
    """A bug in the build's code prints its traceback; the next change still builds."""
    calls = []
    serve = load_serve(monkeypatch, calls)

    def broken_then_fine(argv, chart_process=None):
        calls.append(argv)
        if len(calls) == 1:
            raise NameError("name 'x' is not defined")
        return 0

    monkeypatch.setattr(serve.build, "main", broken_then_fine)
    watcher = serve.Rebuilder("http://127.0.0.1:8000/")
    assert watcher.build() == 1
    watcher.on_any_event(FileModifiedEvent(str(ROOT / "data" / "fylker.csv")))
    wait_for(lambda: len(calls) == 2)
    assert len(calls) == 2


def test_code_that_does_not_compile_is_named_and_not_restarted_into(tmp_path):
    spec = importlib.util.spec_from_file_location("serve_code", ROOT / "tools" / "serve.py")
    serve = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(serve)
    good, bad = tmp_path / "good.py", tmp_path / "bad.py"
    good.write_text("x = 1\n", encoding="utf-8")
    bad.write_text("x = 1\ndef f(:\n", encoding="utf-8")
    assert serve.syntax_error([good]) is None
    problem = serve.syntax_error([good, bad])
    assert "bad.py line 2: SyntaxError" in problem
    assert serve.syntax_error(serve.code_files()) is None  # the project's own code compiles


def test_a_missing_page_gets_the_sites_404_page(tmp_path):
    import functools
    import threading
    import urllib.error
    import urllib.request
    from http.server import ThreadingHTTPServer

    from tools.browser import QuietHandler

    (tmp_path / "404.html").write_text("<h1>Fant ikke siden</h1>", encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(QuietHandler, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/finnes/ikke/"
        try:
            urllib.request.urlopen(url, timeout=10)
            raise AssertionError("a missing page was served")
        except urllib.error.HTTPError as error:
            assert error.code == 404
            assert "Fant ikke siden" in error.read().decode("utf-8")
    finally:
        server.shutdown()
        server.server_close()
