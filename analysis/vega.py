"""Stage 3b: draw the charts' static SVG fallbacks with vl-convert, and the offline Vega bundle.

This module imports neither pandas nor Altair, so the drawing process it starts is light.
vl-convert takes most of a second to start in a new process; `Drawer` starts that process at
the beginning of a build, so the start-up overlaps the analysis on the machine's other core,
and the drawing overlaps the MkDocs build.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .errors import ChartError

# d3 number format for Norwegian: decimal comma, narrow no-break space for thousands.
FORMAT_LOCALE = {"decimal": ",", "thousands": "\u00a0", "grouping": [3],
                 "currency": ["", "\u00a0kr"]}
WIDTH = 560  # SVG fallback width; the interactive chart fills its container
WARM_UP = {"$schema": "https://vega.github.io/schema/vega-lite/v6.json",
           "data": {"values": [{"x": 1.5}]}, "mark": "point", "encoding": {"x": {
               "field": "x", "type": "quantitative", "axis": {"format": ".1f"}}}}


def svg_key(spec: dict) -> str:
    """What an SVG depends on: the spec, the locale, the width and the renderer's version."""
    import vl_convert

    payload = json.dumps([spec, FORMAT_LOCALE, WIDTH, vl_convert.__version__],
                         sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def draw(name: str, spec: dict) -> str:
    """The static fallback of one chart, with Norwegian number format."""
    import vl_convert

    fixed = {**spec, "width": WIDTH}  # "container" means nothing without a page
    try:
        return vl_convert.vegalite_to_svg(fixed, format_locale=FORMAT_LOCALE)
    except Exception as exc:
        raise ChartError(f"chart '{name}' could not be drawn: {exc}".splitlines()[0]) from None


def _serve(connection) -> None:
    """The drawing process: warm vl-convert up, then draw (name, spec) jobs until None."""
    draw("warm-up", WARM_UP)
    while (job := connection.recv()) is not None:
        name, spec = job
        try:
            connection.send((name, draw(name, spec), None))
        except ChartError as exc:
            connection.send((name, None, str(exc)))


class Drawer:
    """Draws SVGs in a separate process (spawned: vl-convert runs threads of its own)."""

    def __init__(self) -> None:
        from multiprocessing import get_context

        context = get_context("spawn")
        self._connection, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child,), daemon=True,
                                        name="svg-drawer")
        self._process.start()
        self._pending: list[str] = []

    def submit(self, name: str, spec: dict) -> None:
        self._connection.send((name, spec))
        self._pending.append(name)

    def results(self) -> dict[str, str]:
        """Wait for every submitted SVG; the first that failed raises its ChartError."""
        drawn, failure = {}, None
        for _ in self._pending:
            name, text, error = self._connection.recv()
            drawn[name] = text
            failure = failure or error
        self._pending = []
        if failure:
            raise ChartError(failure)
        return drawn

    def close(self) -> None:
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()


def vega_bundle(cache_dir: Path) -> str:
    """Vega, Vega-Lite and vega-embed as one classic script, from vl-convert (no CDN).

    It depends on nothing but vl-convert's version, so it is kept per version, also by
    `build.py --clean`: making it takes about a second.
    """
    import vl_convert

    cache = Path(cache_dir) / f"vega-bundle-{vl_convert.__version__}.js"
    if cache.exists():
        return cache.read_text(encoding="utf-8")
    bundle = vl_convert.javascript_bundle()
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(bundle, encoding="utf-8")
    return bundle
