"""The build's second process: chart specs (stage 2d, Altair) and their SVG fallbacks (vl-convert).

The machines this runs on have two cores. While the main process loads and analyses the data,
this one imports Altair; it builds the chart specs as soon as the results arrive. Then, only for
charts whose SVG is not cached, it starts vl-convert (most of a second) and draws them while
the main process runs MkDocs. It is spawned, not forked: vl-convert runs threads of its own.
"""

from __future__ import annotations

import traceback

from .errors import ChartError


def _serve(connection) -> None:
    """Answer ("charts", results, page_prefix) and ("draw", name, spec) until None arrives."""
    from . import charts, vega

    charts.schema_validator()  # imports Altair and its Vega-Lite schema while the parent analyses

    while (job := connection.recv()) is not None:
        kind, *args = job
        try:
            if kind == "charts":
                connection.send(("ok", charts.all_charts(*args)))
            else:
                connection.send(("ok", (args[0], vega.draw(*args))))
        except ChartError as exc:
            connection.send(("chart-error", str(exc)))
        except Exception:  # a bug, not bad input: the parent shows the whole traceback
            connection.send(("crash", traceback.format_exc()))


class ChartProcess:
    """The parent's handle: send a request, do other work, collect the answer."""

    def __init__(self) -> None:
        from multiprocessing import get_context

        context = get_context("spawn")
        self._connection, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child,), daemon=True,
                                        name="charts")
        self._process.start()
        self._drawing: list[str] = []

    def _answers(self, count: int) -> list:
        """Read `count` answers (all of them, so none is left in the pipe); raise the first
        failure among them."""
        answers = [self._connection.recv() for _ in range(count)]
        for status, value in answers:
            if status == "chart-error":
                raise ChartError(value)
            if status == "crash":
                raise RuntimeError(f"the chart process failed:\n{value}")
        return [value for _, value in answers]

    def request_charts(self, results, page_prefix: str) -> None:
        self._connection.send(("charts", results, page_prefix))

    def charts(self) -> list:
        """The validated specs asked for by request_charts (waits for them)."""
        return self._answers(1)[0]

    def draw(self, name: str, spec: dict) -> None:
        self._connection.send(("draw", name, spec))
        self._drawing.append(name)

    def drawings(self) -> dict[str, str]:
        """Every SVG asked for by draw(), by chart name; a chart that failed raises."""
        answers = self._answers(len(self._drawing))
        self._drawing = []
        return dict(answers)

    def close(self) -> None:
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
