"""Draw the charts' static SVG fallbacks with vl-convert (kept by spec), and the offline Vega bundle."""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

from ..environ import environment_variable
from ..errors import ChartError

# d3 number format for Norwegian: decimal comma, narrow no-break space for thousands.
FORMAT_LOCALE = {"decimal": ",", "thousands": "\u00a0", "grouping": [3],
                 "currency": ["", "\u00a0kr"]}
# The fallbacks' widths: a page shows one unscaled where it fits (a phone the narrow one, through
# <picture>); the interactive chart fills its container.
WIDTH = 560
NARROW_WIDTH = 340  # fits an ordinary phone (a 375 px screen leaves 343 px for it)
NARROW_SUFFIX = "-smal"


def svg_key(spec: dict, width: int = WIDTH) -> str:
    """What an SVG depends on: the spec, the locale, the width and the renderer's version."""
    import vl_convert

    payload = json.dumps([spec, FORMAT_LOCALE, width, vl_convert.__version__],
                         sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def drawings(charts: list, cache) -> dict[str, str]:
    """{file name: SVG}: each chart wide and narrow (name + NARROW_SUFFIX), drawn only where the
    spec was not drawn before (cache.Cache keeps them)."""
    from .charts import narrowed

    svgs = {}
    for chart in (chart for chart in charts if chart.fallback):
        for name, spec, width in ((chart.name, chart.spec, WIDTH),
                                  (chart.name + NARROW_SUFFIX, narrowed(chart.spec), NARROW_WIDTH)):
            key = svg_key(spec, width)
            svgs[name] = cache.load_text("svg", key)
            if svgs[name] is None:
                svgs[name] = draw(chart.name, spec, width)
                cache.store_text("svg", key, svgs[name])
    return svgs


def draw_pdf(name: str, spec: dict) -> bytes:
    """A chart as a vector PDF (for the documents), with Norwegian number format."""
    try:
        return _renderer().vegalite_to_pdf(spec, format_locale=FORMAT_LOCALE)
    except Exception as exc:  # noqa: BLE001 - vl-convert raises its own kinds
        raise ChartError(f"chart '{name}' could not be drawn: {exc}".splitlines()[0]) from None


def draw(name: str, spec: dict, width: int = WIDTH) -> str:
    """The static fallback of one chart, with Norwegian number format."""
    fixed = {**spec, "width": width}  # "container" means nothing without a page
    try:
        return _renderer().vegalite_to_svg(fixed, format_locale=FORMAT_LOCALE)
    except Exception as exc:
        raise ChartError(f"chart '{name}' could not be drawn: {exc}".splitlines()[0]) from None


# A spec with a piece of text: vl-convert makes its font database when it first measures text.
FONT_PROBE = {"mark": "point", "title": "Aa"}
NO_SYSTEM_FONTS = Path(__file__).with_name("no-system-fonts.conf")


@functools.cache
def _renderer():
    """vl-convert, its font database made from the Liberation Sans it bundles, not the system's.

    The SVGs then come out the same whatever fonts a machine has installed. It is also faster:
    a font found on the system is opened and mapped again for every piece of text measured
    (about 24,000 times a clean build), a bundled one is read from memory.
    """
    import vl_convert

    # fontconfig's configuration names no font folder while vl-convert makes its database
    with environment_variable("FONTCONFIG_FILE", str(NO_SYSTEM_FONTS)):
        vl_convert.vegalite_to_svg(FONT_PROBE)
    return vl_convert


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
