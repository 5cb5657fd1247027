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
    monkeypatch.setattr(serve, "ChartProcess", NoChartProcess)
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
