#!/usr/bin/env python3
"""Build the research-report site: data/ and content/ -> analysis -> pages -> MkDocs site in site/.

The command line only: it reads the options, calls report.pipeline.build, and turns a failure
into one line on stderr and a non-zero exit; the previously built site is then left exactly as
it was. Stages whose inputs did not change are skipped (report/cache.py); --clean ignores the cache.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import traceback
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent
DEFAULT_SITE_URL = "http://127.0.0.1:8000/"
FALLBACK_EPOCH = "1527811200"  # 2018-06-01, used when there is no git history to date the build


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Build the static site about automation in Norwegian municipalities: "
                    "validate data/ and content/, run the analysis, draw the charts, render "
                    "the templates and build the MkDocs Material site with its search index. "
                    "Only stages whose inputs changed are run again.")
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
                             f"{DEFAULT_SITE_URL}); instant navigation needs it to match")
    parser.add_argument("--search", choices=("pagefind", "material"), default="pagefind",
                        help="search engine: Pagefind with Norwegian stemming (default) or "
                             "Material's built-in lunr search (for comparison)")
    parser.add_argument("--clean", action="store_true",
                        help="ignore the build cache and run every stage")
    parser.add_argument("--quiet", action="store_true", help="print only errors")
    parser.add_argument("--debug", action="store_true",
                        help="on a failure, print the traceback after the one-line error")
    return parser.parse_args(argv)


def commit_date(environ: dict) -> str:
    """The date every page is built with: SOURCE_DATE_EPOCH if set, else the last commit's, so
    that the same commit always gives the same bytes."""
    if environ.get("SOURCE_DATE_EPOCH"):
        return environ["SOURCE_DATE_EPOCH"]
    try:
        stamp = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, text=True,
                               capture_output=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        stamp = ""
    return stamp if stamp.isdigit() else FALLBACK_EPOCH


def options_from(args: argparse.Namespace, environ: dict):
    from report.pipeline import Options

    return Options(out=args.out, data=args.data, content=args.content, templates=args.templates,
                   site_url=args.site_url or environ.get("SITE_URL") or DEFAULT_SITE_URL,
                   build_date=commit_date(environ), search=args.search, clean=args.clean)


def describe(exc: BaseException) -> str:
    """The one line a failure gets: its place and what is wrong there."""
    from report.errors import BuildError

    if isinstance(exc, BuildError):
        return exc.one_line()
    if isinstance(exc, OSError):  # a path that cannot be read or written, a full disk, ...
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror or exc}"
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted; the site was left as it was"
    text = " ".join(str(exc).split())
    return (f"internal error: {type(exc).__name__}: {text[:300]} (a bug in the build; "
            "build.py --debug shows where)")


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled as Ctrl+C is: the build stops and cleans up after itself."""


@contextmanager
def terminate_as_interrupt():
    """While building, SIGTERM raises Terminated (in the main thread, where signals arrive)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise Terminated

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: list[str] | None = None, environ: dict | None = None) -> int:
    """build.py's command line; returns the exit status (1 for a failure, 130 or 143 for an
    interrupt), with every failure as one line on stderr."""
    args = parse_args(argv)
    environ = dict(os.environ) if environ is None else environ
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))

    def say(text: str) -> None:
        if not args.quiet:
            print(text, flush=True)

    try:
        with terminate_as_interrupt():
            from report.pipeline import build

            build(options_from(args, environ), say)
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001 - every failure gets its line
        print(f"error: {describe(exc)}", file=sys.stderr, flush=True)
        if args.debug:
            traceback.print_exc()
        if isinstance(exc, KeyboardInterrupt):
            return 143 if isinstance(exc, Terminated) else 130
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
