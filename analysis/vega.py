"""Stage 3b: draw the charts' static SVG fallbacks with vl-convert, and the offline Vega bundle."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from xml.sax.saxutils import escape

from .errors import ChartError

# d3 number format for Norwegian: decimal comma, narrow no-break space for thousands.
FORMAT_LOCALE = {"decimal": ",", "thousands": "\u00a0", "grouping": [3],
                 "currency": ["", "\u00a0kr"]}
WIDTH = 560  # SVG fallback width; the interactive chart fills its container


def svg_key(spec: dict) -> str:
    """What an SVG depends on: the spec, the locale, the width and the renderer's version."""
    import vl_convert

    payload = json.dumps([spec, FORMAT_LOCALE, WIDTH, vl_convert.__version__],
                         sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def draw(name: str, spec: dict) -> str:
    """The static fallback of one chart, with Norwegian number format."""
    fixed = {**spec, "width": WIDTH}  # "container" means nothing without a page
    try:
        return _renderer().vegalite_to_svg(fixed, format_locale=FORMAT_LOCALE)
    except Exception as exc:
        raise ChartError(f"chart '{name}' could not be drawn: {exc}".splitlines()[0]) from None


def start() -> None:
    """Start vl-convert's JavaScript engine (its first drawing takes most of a second)."""
    _renderer()


# A spec with a piece of text: vl-convert makes its font database when it first measures text.
FONT_PROBE = {"mark": "point", "title": "Aa"}


@functools.cache
def _renderer():
    """vl-convert, its font database made from the Liberation Sans it bundles, not the system's.

    The SVGs then come out the same whatever fonts a machine has installed. It is also faster:
    a font found on the system is opened and mapped again for every piece of text measured
    (about 24,000 times a clean build), a bundled one is read from memory.
    """
    import vl_convert

    with _no_system_fonts():
        vl_convert.vegalite_to_svg(FONT_PROBE)
    return vl_convert


@contextmanager
def _no_system_fonts():
    """While inside, fontconfig's configuration names only an empty directory.

    vl-convert (through fontdb) reads FONTCONFIG_FILE when it makes its font database; an
    empty configuration would make it fall back to the usual font directories. The variable is
    set back at once, so that no process started later (a browser in the tests) inherits it.
    """
    previous = os.environ.get("FONTCONFIG_FILE")
    with tempfile.TemporaryDirectory() as empty:
        config = Path(empty) / "fonts.conf"
        config.write_text(f"<fontconfig><dir>{escape(empty)}</dir></fontconfig>",
                          encoding="utf-8")
        os.environ["FONTCONFIG_FILE"] = str(config)
        try:
            yield
        finally:
            if previous is None:
                del os.environ["FONTCONFIG_FILE"]
            else:
                os.environ["FONTCONFIG_FILE"] = previous


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
