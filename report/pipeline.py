"""The build, top to bottom: read and validate the inputs, analyse, make the charts, render the
pages, build the site with MkDocs, index it for search, and publish it in one swap.

Only the command line (build.py, tools/serve.py) prints; this module reports its progress through
`say`. Every failure is a BuildError (errors.py) or an OSError naming its path.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from .cache import Cache, build_keys, digest_files, files_under
from .environ import environment_variable
from .errors import BuildError
from .site import publish

PROJECT = Path(__file__).resolve().parents[1]
BUILD_DIR = PROJECT / "build"
CODE = ("report", "build.py")
PRESENTATION = ("assets", "overrides", "mkdocs.yml")


def code_on_disk() -> str:
    return digest_files(files_under(*(PROJECT / name for name in CODE)))


# The build's code as this process loaded it: it keys the cache. A process that loaded the code
# before an edit (a test run, a warm process) must not store what the old code makes under the
# new code's key, so build() refuses to run once the code on disk differs from this.
LOADED_CODE = code_on_disk()


def refuse_changed_code() -> None:
    if code_on_disk() != LOADED_CODE:
        raise BuildError("the build's own code changed after this process loaded it (an edit "
                         "while it ran): run the build again", file="report/")


@dataclass(frozen=True)
class Options:
    out: Path
    data: Path
    content: Path
    templates: Path
    site_url: str
    build_date: str               # seconds since 1970, as SOURCE_DATE_EPOCH (dates the sitemap)
    search: str = "pagefind"      # or "material" (Material's own lunr search)
    clean: bool = False           # read nothing from the cache


def build(options: Options, say: Callable[[str], None] = lambda text: None) -> bool:
    """Build the site into options.out; False if it was already up to date."""
    out = options.out.resolve()
    publish.check_output(out, inputs=[*read_by_the_build(options)],
                         project=[PROJECT, BUILD_DIR, PROJECT / ".git"],
                         manifest=BUILD_DIR / "manifest.json")
    refuse_changed_code()
    cache = Cache(BUILD_DIR / "cache", enabled=not options.clean)
    keys = input_keys(options)
    if cache.up_to_date(out, keys["site"]):
        say("nothing changed since the last build; the site is up to date")
        return False
    # The stages are imported only now: a build with nothing to do needs no pandas or MkDocs.
    from .pages.pdf import documents, public_url
    from .pages.render import nav, site_files, write_tree
    from .pages.svg import drawings, vega_bundle
    from .site import search
    from .site.mkdocs_build import mkdocs_build
    from .site.static import copy_assets

    refuse_changed_code()  # nor while the stages were being imported
    timer = Timer(say)
    analysed = cache.load_value("analysis", keys["analysis"])
    if analysed is None:
        with timer("read, check and analyse the inputs"):
            analysed = read_and_analyse(options)
        cache.store_value("analysis", keys["analysis"], analysed)
    else:
        say("inputs, analysis and charts unchanged (kept from the last build)")
    sources, charts = analysed
    with timer("render the pages"):
        files = site_files(sources, charts, options.templates)
        site_nav = nav(sources)
    with timer("draw the charts' static fallbacks"):
        svgs = drawings(charts, cache)
    with timer("typeset the PDFs (Typst)"), work_folder("pdf") as work:
        forest = next(chart.spec for chart in charts if chart.name == "forest")
        files.update(documents(sources, forest, options.site_url, options.build_date,
                               options.templates, cache, work))
    if public_url(options.site_url) is None:
        say("the PDFs give no web address or QR code: the site URL is this machine's "
            "(set --site-url when publishing)")

    with publish.staging(out) as site_dir:
        with timer("mkdocs build --strict"), docs_folder() as docs_dir:
            write_tree(files, docs_dir)
            copy_assets(PROJECT / "assets", docs_dir / "assets")
            (docs_dir / "assets" / "vega-bundle.js").write_text(vega_bundle(cache.root),
                                                                encoding="utf-8")
            with environment_variable("SOURCE_DATE_EPOCH", options.build_date):  # the sitemap
                mkdocs_build(PROJECT / "mkdocs.yml", docs_dir, site_dir, site_nav,
                             options.site_url, options.search, options.content,
                             options.templates)
        write_tree({f"assets/charts/{name}.svg": svg for name, svg in svgs.items()}, site_dir)
        if options.search == "pagefind":
            with timer("search index (Pagefind)"):
                search.index(site_dir)
                search.write_vocabulary(site_dir)
    cache.record(out, keys["site"])
    timer.done(out)
    return True


def read_by_the_build(options: Options) -> list[Path]:
    """Every file and folder the build reads: the output may neither hold nor replace them."""
    return [options.data, options.content, options.templates, PROJECT / "sources",
            *(PROJECT / name for name in CODE + PRESENTATION)]


def input_keys(options: Options) -> dict[str, str]:
    """The cache keys of this build (cache.py says what each covers)."""
    return build_keys(
        code=LOADED_CODE,
        numbers=[options.data, options.content, PROJECT / "sources"],
        presentation=[options.templates, *(PROJECT / name for name in PRESENTATION)],
        settings=[site_path(options.site_url), options.site_url, options.search,
                  options.build_date])


def read_and_analyse(options: Options) -> tuple:
    """Stages 1 and 2, and the chart specs: everything that depends on the inputs' numbers, as
    (pages.render.Sources, [pages.charts.Chart])."""
    from .analysis.results import analyse
    from .inputs.chapters import load_chapters, load_sections
    from .inputs.evidence import load_evidence
    from .inputs.quotes import check_quotes, check_recommendations, check_statements
    from .inputs.tables import load_study
    from .pages.charts import all_charts
    from .pages.render import Sources

    study = load_study(options.data)
    evidence = load_evidence(options.content, list(study.factors["factor_id"]))
    check_quotes(evidence, options.content)
    check_recommendations(study.recommendations, options.data)
    check_statements(study.items, options.data)
    results = analyse(study)
    sources = Sources(study, results, evidence, load_chapters(options.content),
                      load_sections(options.content))
    return sources, all_charts(results, site_path(options.site_url) + "faktorer/")


def site_path(url: str) -> str:
    """The path part of the site URL, e.g. '/' or '/rapport/'."""
    path = urlparse(url).path or "/"
    return path if path.endswith("/") else path + "/"


@contextmanager
def work_folder(name: str):
    """A folder of this build's own in build/ (builds may run side by side), removed afterwards;
    what a killed build left there is removed first."""
    BUILD_DIR.mkdir(exist_ok=True)
    publish.remove_leftovers(BUILD_DIR, f"{name}-")
    with publish.own_folder(BUILD_DIR, f"{name}-new-") as folder:
        yield folder


@contextmanager
def docs_folder():
    """The generated Markdown's folder; the last successful build's is kept as build/docs, for
    reading and for `make bench`."""
    with work_folder("docs") as folder:
        yield folder
        publish.swap(folder, BUILD_DIR / "docs")


class Timer:
    """One line per stage, with its time."""

    def __init__(self, say: Callable[[str], None]) -> None:
        self.say = say
        self.started = time.perf_counter()

    @contextmanager
    def __call__(self, name: str):
        start = time.perf_counter()
        yield
        self.say(f"{name:<38} {time.perf_counter() - start:6.2f} s")

    def done(self, out: Path) -> None:
        self.say(f"{'built ' + str(out):<38} {time.perf_counter() - self.started:6.2f} s total")
