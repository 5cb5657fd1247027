"""make serve's watcher and loop: a change rebuilds once in this process; reading a watched file
(every build does) does not; a change to the build's code restarts the command."""

import importlib.util
import threading
from pathlib import Path

import pytest
from watchdog.events import FileClosedNoWriteEvent, FileCreatedEvent, FileModifiedEvent, FileOpenedEvent

ROOT = Path(__file__).resolve().parent.parent


def load_serve(monkeypatch=None, calls=None):
    spec = importlib.util.spec_from_file_location("serve", ROOT / "tools" / "serve.py")
    serve = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(serve)
    if monkeypatch is not None:
        monkeypatch.setattr(serve.build, "main", lambda argv: calls.append(argv) or 0)
        monkeypatch.setattr(serve, "DEBOUNCE", 0.01)
    return serve


def test_reading_files_does_not_count_and_a_change_does():
    watcher = load_serve().Watcher()
    data_file = str(ROOT / "data" / "fylker.csv")
    watcher.on_any_event(FileOpenedEvent(data_file))
    watcher.on_any_event(FileClosedNoWriteEvent(data_file))
    assert not watcher.changed.is_set()
    watcher.on_any_event(FileModifiedEvent(data_file))
    watcher.on_any_event(FileCreatedEvent(str(ROOT / "content" / "factors" / "ny.md")))
    assert watcher.changed.is_set() and not watcher.code_changed


def test_mkdocs_yml_and_build_py_are_watched_but_other_top_level_files_are_not():
    serve = load_serve()
    for name, counts in (("README.md", False), ("mkdocs.yml", True), ("build.py", True)):
        watcher = serve.Watcher()
        watcher.on_any_event(FileModifiedEvent(str(ROOT / name)))
        assert watcher.changed.is_set() == counts, name


class Stop(Exception):
    """Ends serve_forever in a test."""


def run_loop(serve, watcher, events, monkeypatch):
    """serve_forever with these events arriving one per wait; returns what it called."""
    done = []
    pending = list(events)

    def wait():
        if not pending:
            raise Stop
        for event in pending.pop(0):
            watcher.on_any_event(event)
        watcher.changed.clear()

    def execv(*args):
        done.append("restart")
        raise Stop

    monkeypatch.setattr(watcher, "wait", wait)
    monkeypatch.setattr(serve.os, "execv", execv)
    with pytest.raises(Stop):
        serve.serve_forever("http://127.0.0.1:8000/", watcher, lambda: done.append("stop"))
    return done


def test_a_change_rebuilds_once_in_this_process(monkeypatch):
    calls = []
    serve = load_serve(monkeypatch, calls)
    data_file = str(ROOT / "data" / "fylker.csv")
    run_loop(serve, serve.Watcher(), [[FileModifiedEvent(data_file), FileModifiedEvent(data_file)]],
             monkeypatch)
    assert calls == [["--site-url", "http://127.0.0.1:8000/"]]


def test_a_change_to_the_builds_code_restarts_instead_of_rebuilding(monkeypatch):
    """Code already imported would not change in a rebuild in this process."""
    calls = []
    serve = load_serve(monkeypatch, calls)
    done = run_loop(serve, serve.Watcher(),
                    [[FileModifiedEvent(str(ROOT / "report" / "pages" / "charts.py"))]],
                    monkeypatch)
    assert done == ["stop", "restart"] and calls == []


def test_a_failing_build_keeps_the_loop_rebuilding(monkeypatch):
    """A bug in the build's code prints its traceback; the next change still builds."""
    calls = []
    serve = load_serve(monkeypatch, calls)

    def broken_then_fine(argv):
        calls.append(argv)
        if len(calls) == 1:
            raise NameError("name 'x' is not defined")
        return 0

    monkeypatch.setattr(serve.build, "main", broken_then_fine)
    assert serve.rebuild("http://127.0.0.1:8000/") == 1
    data_file = str(ROOT / "data" / "fylker.csv")
    run_loop(serve, serve.Watcher(), [[FileModifiedEvent(data_file)]], monkeypatch)
    assert len(calls) == 2


def test_the_watcher_waits_for_a_quiet_moment(monkeypatch):
    serve = load_serve(monkeypatch, [])
    watcher = serve.Watcher()
    timer = threading.Timer(0.05, watcher.changed.set)
    timer.start()
    watcher.wait()
    assert not watcher.changed.is_set()


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
