#!/usr/bin/env python3
"""Build the research-report site: data/ -> analysis -> Markdown -> MkDocs site in site/.

This is the only place that prints or exits. Domain errors become one line on stderr
and exit status 1; the previously built site is left exactly as it was.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Build the static site about automation in Norwegian municipalities: "
                    "validate data/, run the analysis, render the templates and build the "
                    "MkDocs Material site.")
    parser.add_argument("--out", type=Path, default=ROOT / "site",
                        help="directory for the finished site (default: site/); it is replaced "
                             "only when the build succeeds")
    parser.add_argument("--data", type=Path, default=ROOT / "data",
                        help="directory with the CSV tables (default: data/)")
    parser.add_argument("--content", type=Path, default=ROOT / "content",
                        help="directory with the curated evidence and the chapters "
                             "(default: content/)")
    parser.add_argument("--templates", type=Path, default=ROOT / "templates",
                        help="directory with the jinja2 templates (default: templates/)")
    parser.add_argument("--site-url", default=None,
                        help="the URL the site is served from (default: $SITE_URL or "
                             "http://127.0.0.1:8000/); instant navigation needs it to match")
    parser.add_argument("--search", choices=("pagefind", "material"), default="pagefind",
                        help="search engine: Pagefind with Norwegian stemming (default) or "
                             "Material's built-in lunr search (for comparison)")
    parser.add_argument("--quiet", action="store_true", help="print only errors")
    return parser.parse_args(argv)


class Stages:
    """Times each stage and prints one line per stage."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.started = time.perf_counter()

    @contextmanager
    def stage(self, name: str):
        start = time.perf_counter()
        yield
        if not self.quiet:
            print(f"{name:<28} {time.perf_counter() - start:6.2f} s", flush=True)

    def done(self, out: Path) -> None:
        if not self.quiet:
            print(f"{'built ' + str(out):<28} {time.perf_counter() - self.started:6.2f} s total")


DEFAULT_SITE_URL = "http://127.0.0.1:8000/"


def site_url(args: argparse.Namespace) -> str:
    return args.site_url or os.environ.get("SITE_URL") or DEFAULT_SITE_URL


def site_path(url: str) -> str:
    """The path part of the site URL, e.g. '/' or '/rapport/'."""
    path = urlparse(url).path or "/"
    return path if path.endswith("/") else path + "/"


def build(args: argparse.Namespace) -> Path:
    args.site_url = site_url(args)
    from analysis.analyse import analyse
    from analysis.chapters import load_chapters, load_sections
    from analysis.charts import all_charts, vega_bundle
    from analysis.content import load_evidence
    from analysis.load import load_study
    from analysis.render import Sources, nav, render_site, write_tree
    from analysis.sources import check_quotes
    from analysis.sitebuild import mkdocs_build, pagefind_index, publish

    stages = Stages(args.quiet)
    with stages.stage("load and validate data"):
        study = load_study(args.data)
        evidence = load_evidence(args.content, list(study.factors["factor_id"]))
        check_quotes(evidence, args.content)
        chapters = load_chapters(args.content)
        sections = load_sections(args.content)
    with stages.stage("analyse"):
        results = analyse(study)
    with stages.stage("make charts"):
        chart_specs = all_charts(results, page_prefix=site_path(args.site_url) + "faktorer/")
    with stages.stage("render Markdown"):
        sources = Sources(study, results, evidence, chapters, sections, charts=chart_specs)
        files = render_site(sources, args.templates)
    docs_dir = ROOT / "build" / "docs"

    def build_into(site_dir: Path) -> None:
        if docs_dir.exists():
            shutil.rmtree(docs_dir)
        write_tree(files, docs_dir)
        shutil.copytree(ROOT / "assets", docs_dir / "assets", dirs_exist_ok=True)
        (docs_dir / "assets" / "vega-bundle.js").write_text(vega_bundle(ROOT / "build" / "cache"),
                                                            encoding="utf-8")
        with stages.stage("mkdocs build --strict"):
            mkdocs_build(ROOT / "mkdocs.yml", docs_dir, site_dir, nav(sources), args.site_url,
                         args.search)
        if args.search == "pagefind":
            with stages.stage("search index (Pagefind)"):
                pagefind_index(site_dir)

    publish(build_into, args.out)
    stages.done(args.out)
    return args.out


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from analysis.errors import BuildError

    try:
        build(args)
    except BuildError as exc:
        print(f"error: {exc.one_line()}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
