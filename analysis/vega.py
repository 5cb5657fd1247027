"""Stage 3b: draw the charts' static SVG fallbacks with vl-convert, and the offline Vega bundle."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

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
    import vl_convert

    fixed = {**spec, "width": WIDTH}  # "container" means nothing without a page
    try:
        return vl_convert.vegalite_to_svg(fixed, format_locale=FORMAT_LOCALE)
    except Exception as exc:
        raise ChartError(f"chart '{name}' could not be drawn: {exc}".splitlines()[0]) from None


def start() -> None:
    """Start vl-convert's JavaScript engine (its first drawing takes most of a second)."""
    draw("start", {"mark": "point"})


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
