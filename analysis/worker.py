"""The build's second process: chart specs (stage 2d, Altair) and their SVG fallbacks (vl-convert).

The machines this runs on have two cores. While the main process loads and analyses the data,
this one imports Altair; it builds the chart specs as soon as the results arrive. Then it draws
the SVG of each chart whose SVG is not in the cache, while the main process renders the pages and
runs MkDocs.

A build run once as a command forks this process right after importing pandas: the copy needs no
interpreter start and no second import of pandas (about half a second of CPU, on a machine whose
two cores are both busy for most of a clean build). Such a build also forks, first thing and
before pandas, a third, small process that only draws (see _draw_serve): it starts vl-convert
(most of a second of CPU) while the second core has nothing else to do, so the SVGs no longer
hold that core when MkDocs could use it. No thread runs in the parent when it forks, and
vl-convert's threads only ever run in the copies. A process kept for many builds (make serve, the
build server, which run threads of their own) is spawned, and draws itself.
"""

from __future__ import annotations

import os
import signal
import traceback

from .errors import ChartError


def _answer(connection, make):
    """Send ("ok", make()), ("chart-error", message) for bad input, or ("crash", traceback) for a
    bug; return what make() made, or None if it failed."""
    try:
        made = make()
    except ChartError as exc:
        connection.send(("chart-error", str(exc)))
        return None
    except Exception:  # a bug, not bad input: the receiver shows the whole traceback
        connection.send(("crash", traceback.format_exc()))
        return None
    connection.send(("ok", made))
    return made


def _unpack(answer: tuple[str, object], process: str):
    """The value of an _answer; a ChartError or RuntimeError for a failed one."""
    status, value = answer
    if status == "chart-error":
        raise ChartError(value)
    if status == "crash":
        raise RuntimeError(f"the {process} process failed:\n{value}")
    return value


def _draw_serve(connection, chart_end) -> None:
    """The drawing process: start vl-convert at once, then draw each (name, spec) sent, answering
    ("ok", svg), ("chart-error", message) or ("crash", traceback), until the chart process ends.

    It runs at a lower priority (nice 10). It is started while the second core is idle (the main
    process imports pandas), but the chart process soon needs that core for Altair and the specs,
    which the main process waits for; the SVGs are needed only when MkDocs has finished. So it
    takes what time the others leave, and is not kept to one core (see _keep_to_one_core)."""
    from . import vega

    chart_end.close()  # the chart process's end: when that process ends, recv() here ends too
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C: the main process stops this one
    os.nice(10)
    try:
        vega.start()
    except Exception:  # noqa: BLE001 - the first drawing reports what is wrong
        pass
    while (job := _next_job(connection)) is not None:
        _answer(connection, lambda: vega.draw(*job))


def _next_job(connection):
    """The next job, or None when the chart process has ended."""
    try:
        return connection.recv()
    except (EOFError, OSError):
        return None


def _remote_drawing(connection):
    """vega.draw, done by the drawing process."""
    def draw(name: str, spec: dict) -> str:
        connection.send((name, spec))
        return _unpack(connection.recv(), "drawing")
    return draw


def _serve(connection, drawing=None) -> None:
    """Answer jobs until None arrives (drawing: a connection to the drawing process, which then
    draws every SVG; without one this process draws them):
    ("charts", results, page_prefix, cache): the specs, then (with a cache) the SVGs;
    ("svgs", charts, cache): every chart's SVG, drawn where the cache has none;
    ("start drawing",): start vl-convert now, while idle (no answer)."""
    from . import charts, vega

    _keep_to_one_core()
    draw = vega.draw if drawing is None else _remote_drawing(drawing)
    charts.schema_validator()  # imports Altair and its Vega-Lite schema while the parent analyses

    while (job := connection.recv()) is not None:
        kind, *args = job
        if kind == "start drawing":  # no answer: vl-convert is only made ready
            if drawing is not None:  # the drawing process started it already
                continue
            try:
                vega.start()
            except Exception:  # noqa: BLE001 - the next real drawing reports what is wrong
                pass
            continue
        if kind == "charts":
            results, page_prefix, cache = args
            made = _answer(connection, lambda: charts.all_charts(results, page_prefix, seen=cache))
            if made is not None and cache is not None:
                _answer(connection, lambda: _svgs(made, cache, draw))
        else:
            _answer(connection, lambda: _svgs(*args, draw))


def _keep_to_one_core() -> None:
    """Run this process, and the threads it starts, on the last core only (Linux).

    vl-convert's JavaScript engine starts threads of its own (compiling, collecting garbage).
    Left free, they take turns on the main process's core while it runs MkDocs; kept here, they
    share this process's core. In 12 interleaved clean builds, 4-9 % faster."""
    if not hasattr(os, "sched_setaffinity"):
        return
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) > 1:
        os.sched_setaffinity(0, {cores[-1]})


def _svgs(made: list, cache, draw) -> dict[str, str]:
    """Each chart's SVG: from the cache, or drawn now (draw(name, spec)) and stored there."""
    from . import vega

    svgs = {}
    for chart in made:
        key = vega.svg_key(chart.spec)
        svgs[chart.name] = cache.load_text("svg", key)
        if svgs[chart.name] is None:
            svgs[chart.name] = draw(chart.name, chart.spec)
            cache.store_text("svg", key, svgs[chart.name])
    return svgs


class ChartProcess:
    """The parent's handle: send a request, do other work, collect the answer.

    One process can serve build after build (`make serve` keeps one, so Altair, the schema and
    vl-convert are started once); drain() makes it ready for the next build after one that
    stopped half-way."""

    def __init__(self, fork: bool = False) -> None:
        """fork: start the process as a copy of this one, with pandas imported, and a drawing
        process before that (see the module docstring); only for a build run once as a command,
        before it starts any thread."""
        from multiprocessing import get_context

        context = get_context("fork" if fork else "spawn")
        self._drawer = drawing = None
        if fork:
            drawing, drawer_end = context.Pipe()
            self._drawer = context.Process(target=_draw_serve, args=(drawer_end, drawing),
                                           daemon=True, name="drawing")
            self._drawer.start()
            drawer_end.close()
            import pandas  # noqa: F401 - inherited by the copy, which needs it for the results
        self._connection, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, drawing), daemon=True,
                                        name="charts")
        self._process.start()
        if drawing is not None:
            drawing.close()  # the chart process's end; this process never draws
        # The answers still to come, in order: "specs", "svgs" (asked for by request_svgs) or
        # "svgs after specs" (which the process does not send when the specs failed).
        self._expected: list[str] = []

    def _next(self) -> tuple[str, object]:
        kind = self._expected.pop(0)
        status, value = self._connection.recv()
        if kind == "specs" and status != "ok" and self._expected[:1] == ["svgs after specs"]:
            self._expected.pop(0)
        return status, value

    def request_charts(self, results, page_prefix: str, cache=None) -> None:
        """Ask for the chart specs and, with a cache (a cache.Cache), every chart's SVG: the ones
        not in the cache are drawn and stored there. The cache also remembers which spec
        structures passed the schema check (charts.checked)."""
        self._connection.send(("charts", results, page_prefix, cache))
        self._expected += ["specs"] + (["svgs after specs"] if cache is not None else [])

    def charts(self) -> list:
        """The validated specs asked for by request_charts (waits for them)."""
        return _unpack(self._next(), "chart")

    def request_svgs(self, charts: list, cache) -> None:
        """Ask for these charts' SVGs: from cache, or drawn and stored there."""
        self._connection.send(("svgs", charts, cache))
        self._expected.append("svgs")

    def drawings(self) -> dict[str, str]:
        """Every SVG asked for, by chart name; a chart that cannot be drawn raises. All answers
        are read first, so none is left for the next build."""
        answers = []
        while self._expected:
            answers.append(self._next())
        return {name: svg for answer in answers for name, svg in _unpack(answer, "chart").items()}

    def drain(self) -> None:
        """Read and drop the answers a stopped build did not collect."""
        try:
            while self._expected:
                self._next()
        except (EOFError, OSError):  # the process is gone; alive() says so
            self._expected = []

    def start_drawing(self) -> None:
        """Start vl-convert in the process now (most of a second), e.g. while make serve waits
        for a change, so the next SVG is drawn at once."""
        self._connection.send(("start drawing",))

    def alive(self) -> bool:
        return self._process.is_alive()

    def close(self) -> None:
        for process in (self._drawer, self._process):
            if process is not None:
                if process.is_alive():
                    process.terminate()
                process.join()
