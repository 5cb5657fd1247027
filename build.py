#!/usr/bin/env python3
"""Build the research-report site: data/ -> analysis -> charts -> Markdown -> MkDocs site in site/.

This is the only place that prints or exits. Domain errors become one line on stderr and exit
status 1; the previously built site is left exactly as it was. Stages whose inputs did not change
(by content hash, see analysis/cache.py) are skipped; --clean ignores the cache.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

# NumPy and SciPy each load an OpenBLAS that starts a thread per core, and those threads spin
# while the libraries import: about 0.3 s of CPU for nothing on a 2-core machine whose second
# core the build uses (the analysis multiplies no matrix big enough to gain from threads).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

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
    parser.add_argument("--no-server", action="store_true",
                        help="build in this process, without the build server (also: "
                             "BUILD_SERVER=0); --clean never uses it")
    parser.add_argument("--stop-server", action="store_true",
                        help="stop the build server, if one is running, and exit")
    parser.add_argument("--build-server", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


class Stages:
    """Times each stage and prints one line per stage."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.started = time.perf_counter()

    def say(self, text: str) -> None:
        if not self.quiet:
            print(text, flush=True)

    @contextmanager
    def stage(self, name: str):
        start = time.perf_counter()
        yield
        self.say(f"{name:<34} {time.perf_counter() - start:6.2f} s")

    def done(self, out: Path) -> None:
        self.say(f"{'built ' + str(out):<34} {time.perf_counter() - self.started:6.2f} s total")


def site_url(args: argparse.Namespace) -> str:
    return args.site_url or os.environ.get("SITE_URL") or DEFAULT_SITE_URL


def site_path(url: str) -> str:
    """The path part of the site URL, e.g. '/' or '/rapport/'."""
    path = urlparse(url).path or "/"
    return path if path.endswith("/") else path + "/"


def set_build_date() -> None:
    """Fix every date MkDocs writes (sitemap) to the commit date, for reproducible output."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        return
    try:
        stamp = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, text=True,
                               capture_output=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        stamp = ""
    os.environ["SOURCE_DATE_EPOCH"] = stamp if stamp.isdigit() else FALLBACK_EPOCH


_loaded_code_key = None  # in the build server: the key of the code it has imported


def code_key() -> str:
    """A content hash of the build's own code and the versions of the packages it uses (in the
    build server: of the code it runs, whatever is on disk by now)."""
    from analysis.cache import combine, digest_files, environment_digest, files_under

    return _loaded_code_key or combine(
        environment_digest(), digest_files(files_under(ROOT / "analysis", ROOT / "build.py")))


def input_keys(args: argparse.Namespace) -> dict[str, str]:
    """Content hashes of everything each stage reads."""
    from analysis.cache import combine, digest_files, files_under

    def digest(*roots: Path) -> str:
        return digest_files(files_under(*roots))

    code = code_key()
    analysis = combine(code, digest(args.data), digest(args.content), digest(ROOT / "sources"),
                       args.site_url)
    mkdocs = combine(code, digest(ROOT / "overrides"), digest(ROOT / "mkdocs.yml"),
                     args.site_url, args.search)
    site = combine(analysis, mkdocs, digest(args.templates), digest(ROOT / "assets"))
    return {"code": code, "analysis": analysis, "mkdocs": mkdocs, "site": site}


def keep_docs(docs_dir: Path, kept: Path) -> None:
    """Replace build/docs with this build's Markdown (a rename, so no reader sees half)."""
    old = kept.with_name(f"{kept.name}-old-{os.getpid()}")
    try:
        if kept.exists():
            kept.rename(old)
        docs_dir.rename(kept)
    except OSError:  # another build renamed at the same moment; its copy is as good
        pass
    shutil.rmtree(old, ignore_errors=True)


def analyse_all(args: argparse.Namespace, stages: Stages, chart_process, cache) -> tuple:
    """Stages 1-2: load and validate, analyse; then ask the chart process for the chart specs
    (stage 2d) and their SVGs, which it makes while this one goes on."""
    from analysis.analyse import analyse
    from analysis.chapters import load_chapters, load_sections
    from analysis.content import load_evidence
    from analysis.load import load_study
    from analysis.sources import check_quotes, check_recommendations

    with stages.stage("load and validate data"):
        study = load_study(args.data)
    with stages.stage("analyse"):
        results = analyse(study)
    chart_process.request_charts(results, site_path(args.site_url) + "faktorer/", cache)
    with stages.stage("load and check content"):
        evidence = load_evidence(args.content, list(study.factors["factor_id"]))
        check_quotes(evidence, args.content)
        check_recommendations(study.recommendations, args.data)
        chapters = load_chapters(args.content)
        sections = load_sections(args.content)
    return study, results, evidence, chapters, sections


def prepare(args: argparse.Namespace) -> dict[str, str]:
    """Settle the site URL and the build date; the input keys."""
    args.site_url = site_url(args)
    set_build_date()
    return input_keys(args)


def up_to_date(args: argparse.Namespace, keys: dict[str, str]) -> bool:
    """Whether args.out is what the last build made from inputs with these keys."""
    from analysis.cache import Cache, tree_digest

    cache = Cache(ROOT / "build" / "cache", enabled=not args.clean)
    return cache.up_to_date(args.out.resolve(), keys["site"], tree_digest)


def build(args: argparse.Namespace, keys: dict[str, str], chart_process=None,
          fork: bool = False) -> Path:
    """Build the site (main has found that it is not up to date); chart_process is a
    ChartProcess to use instead of starting one (make serve and the build server keep one for
    all their builds); fork: a chart process started here may fork (see ChartProcess)."""
    from analysis.cache import Cache, tree_digest
    from analysis.worker import ChartProcess

    stages = Stages(args.quiet)
    out = args.out.resolve()
    cache = Cache(ROOT / "build" / "cache", enabled=not args.clean)

    if chart_process is not None:
        # Answers a failed build before this one did not wait for (drawings it had asked for):
        # read here rather than at its end, so that its error line was shown at once.
        chart_process.drain()
    # New analysis means new charts: start the chart process first, so that it imports Altair
    # on the other core while this one analyses.
    worker = None if cache.has_value("analysis", keys["analysis"]) \
        else chart_process or ChartProcess(fork)
    from analysis.sitebuild import publish

    analysed = cache.load_value("analysis", keys["analysis"])
    if analysed is None and worker is None:  # a stored analysis that no longer loads
        worker = chart_process or ChartProcess(fork)
    try:
        publish(lambda site_dir: build_site(args, stages, cache, keys, analysed, worker,
                                            site_dir, spare=chart_process, fork=fork), out)
    finally:
        if chart_process is None and worker is not None:
            worker.close()
    cache.record(out, keys["site"], tree_digest(out))
    stages.done(out)
    return out


def build_site(args, stages: Stages, cache, keys: dict, analysed: tuple | None, worker,
               site_dir: Path, spare=None, fork: bool = False) -> None:
    """Stages 1-6 into site_dir (1-2 and the charts only when the analysis is not cached).
    `worker` is the chart process making this build's charts; `spare` one that may draw SVGs
    missing from the cache when the analysis is cached (else one is started for that)."""
    from analysis.cache import combine
    from analysis.pagememo import PageMemo
    from analysis.pagesplit import PageSplit
    from analysis.render import Sources, add_charts, nav, render_markdown, write_tree
    from analysis.sitebuild import EarlySearchIndex, import_mkdocs, mkdocs_build
    from analysis.vega import svg_key, vega_bundle
    from analysis.worker import ChartProcess

    if analysed is None:
        inputs, charts = analyse_all(args, stages, worker, cache), None  # charts: asked for, not here
    else:
        stages.say(f"{'load, analyse, charts (unchanged)':<34}   0.00 s")
        inputs, charts = analysed[:-1], analysed[-1]
    sources = Sources(*inputs)
    bytecode = cache.jinja_bytecode()
    with stages.stage("render Markdown"):
        markdown = render_markdown(sources, args.templates, bytecode)
        site_nav = nav(sources)
    if charts is None:
        with stages.stage("make charts (rest of)"):
            import_mkdocs()  # needed next; imported while the chart process works
            charts = worker.charts()
        cache.store_value("analysis", keys["analysis"], (*inputs, charts))
    with stages.stage("render charts"):
        files = add_charts(markdown, sources, charts, args.templates, bytecode)
    # The chart specs are among the files, and vl-convert's version is in keys["site"]: the
    # SVGs are covered too.
    docs_key = combine(keys["site"], json.dumps(site_nav, ensure_ascii=False),
                       *(f"{name}\0{text}" for name, text in sorted(files.items())))
    previous = cache.site_copy(docs_key)
    if previous is not None:
        with stages.stage("site (Markdown unchanged, reused)"):
            shutil.copytree(previous, site_dir, dirs_exist_ok=True)
        return

    own_worker = None
    if worker is None:  # analysis cached: the SVGs from the cache, any missing one drawn now
        svgs = {chart.name: cache.load_text("svg", svg_key(chart.spec)) for chart in charts}
        if None in svgs.values():
            worker = spare or ChartProcess(fork)
            own_worker = None if worker is spare else worker
            worker.request_svgs(charts, cache)  # drawn while MkDocs builds

    # Each build writes its Markdown to a directory of its own, so builds can run side by
    # side; the last successful one is kept as build/docs (for `make bench`, and to read).
    (ROOT / "build").mkdir(exist_ok=True)
    docs_dir = Path(tempfile.mkdtemp(prefix="docs-", dir=ROOT / "build"))
    try:
        write_tree(files, docs_dir)
        shutil.copytree(ROOT / "assets", docs_dir / "assets", dirs_exist_ok=True)
        (docs_dir / "assets" / "vega-bundle.js").write_text(
            vega_bundle(ROOT / "build" / "cache"), encoding="utf-8")
        memo = PageMemo(cache.root, combine(keys["mkdocs"], json.dumps(site_nav)),
                        reuse=cache.enabled)
        indexing = EarlySearchIndex(site_dir) if args.search == "pagefind" else None
        # a build run as a command has no threads to break by forking (see pagesplit.py)
        split = PageSplit(memo.needs_render) if fork else None
        try:
            with stages.stage("mkdocs build --strict"):
                mkdocs_build(ROOT / "mkdocs.yml", docs_dir, site_dir, site_nav, args.site_url,
                             args.search, content_root=args.content,
                             template_root=args.templates, memo=memo,
                             bytecode_cache=bytecode, search_index=indexing, page_split=split)
            by_copy = f" ({split.taken} by a second process)" if split is not None else ""
            stages.say(f"  pages made afresh (others reused)  {memo.converted} converted"
                       f"{by_copy}, {memo.templated} templated")
            if worker is not None:
                with stages.stage("SVG fallbacks (rest of drawing)"):
                    svgs = worker.drawings()
            write_tree({f"assets/charts/{name}.svg": text for name, text in svgs.items()},
                       site_dir)
        except BaseException:
            if indexing is not None:
                indexing.stop()
            raise
        if indexing is not None:
            with stages.stage("search index (Pagefind, rest of)"):
                indexing.finish()
        cache.store_site(docs_key, site_dir)
        keep_docs(docs_dir, ROOT / "build" / "docs")
    finally:
        shutil.rmtree(docs_dir, ignore_errors=True)
        if own_worker is not None:
            own_worker.close()


class WarmBuilds:
    """Build after build in one process (make serve, the build server): the libraries stay
    imported, and one chart process, with Altair and vl-convert started, serves every build."""

    def __init__(self) -> None:
        self.chart_process = None

    def start(self) -> None:
        from analysis.worker import ChartProcess

        if self.chart_process is None or not self.chart_process.alive():
            self.chart_process = ChartProcess()

    def __call__(self, argv: list[str]) -> int:
        """build.py argv; a bug in the build's code prints its traceback and returns 1 (the
        previous site stays as it was)."""
        try:
            self.start()
            status = main(argv, chart_process=self.chart_process)
            if self.chart_process.alive():
                self.chart_process.start_drawing()  # while waiting for the next build
            return status
        except Exception:  # noqa: BLE001 - keep going; the next build starts afresh
            traceback.print_exc()
            self.close()  # its state is unknown: the next build starts a new one
            return 1
        except BaseException:  # Ctrl+C: the same, then stop as asked
            self.close()
            raise

    def close(self) -> None:
        if self.chart_process is not None:
            self.chart_process.close()
            self.chart_process = None


def run_server() -> int:
    """`build.py --build-server`, started by build.py in the background: import everything the
    build needs, start the chart process, and run builds sent by build.py until idle."""
    global _loaded_code_key
    from analysis import server

    key = code_key()
    socket_path = server.socket_path(ROOT / "build", key)
    lock = server.claim(socket_path)  # first: a server still starting counts, and can be stopped
    if lock is None:  # another server for this code is starting or serving
        return 0
    for module in ("analysis.analyse", "analysis.chapters", "analysis.content", "analysis.load",
                   "analysis.sources", "analysis.render", "analysis.pagememo", "analysis.vega"):
        importlib.import_module(module)
    from analysis.sitebuild import import_mkdocs

    import_mkdocs()
    builds = WarmBuilds()
    builds.start()
    builds.chart_process.start_drawing()  # vl-convert too, while no build waits for specs
    try:
        if code_key() == key:  # else the code changed while starting; the next build starts one
            _loaded_code_key = key
            idle = float(os.environ.get("BUILD_SERVER_IDLE", server.IDLE_SECONDS))
            server.serve(socket_path, builds, idle)
    finally:
        builds.close()
        lock.close()
    return 0


def main(argv: list[str] | None = None, chart_process=None, command: bool = False) -> int:
    """build.py's command line. With command (build.py run as a command, a process that ends
    after this build), a build that is not --clean is handed to the build server if one runs for
    this code, and one is started for the next build if none does (see analysis/server.py); a
    build made here forks its chart process."""
    args = parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from analysis import server
    from analysis.errors import BuildError

    if args.build_server:
        return run_server()
    if command:
        # A build run as a command ends within seconds, and os._exit skips the teardown: the
        # cyclic garbage collector would only walk the imported libraries' objects again and
        # again (about 0.2 s of a clean build's main process). The processes it forks inherit
        # this. The build server and make serve, which run for hours, keep it.
        gc.disable()
    if args.stop_server:
        stopped = server.stop_all(ROOT / "build")
        print(f"stopped {stopped} build server(s)" if stopped else "no build server was running")
        return 0
    use_server = command and not (args.clean or args.no_server) and server.enabled()
    keys = prepare(args)
    socket_path = server.socket_path(ROOT / "build", keys["code"])
    connected, served = [], False

    def say_connected() -> None:
        connected.append(True)
        Stages(args.quiet).say("building in the build server (build.py --no-server builds here)")

    try:
        status = None
        if up_to_date(args, keys):  # checked here, so a no-op needs no server
            Stages(args.quiet).say("nothing changed since the last build; the site is up to date")
            status = 0
        elif use_server:
            status = server.build_remotely(socket_path, sys.argv[1:] if argv is None else argv,
                                           say_connected)
            served = status is not None
            if connected and not served:
                print("the build server stopped; building here", file=sys.stderr)
        if status is None:
            build(args, keys, chart_process, fork=command)
            status = 0
    except BuildError as exc:
        print(f"error: {exc.one_line()}", file=sys.stderr)
        status = 1
    if use_server and not served:
        if not server.running(socket_path) and not server.failed(socket_path):
            server.start_in_background(ROOT / "build.py", ROOT / "build")
            Stages(args.quiet).say(
                "started a build server in the background: the next builds skip the start-up "
                f"(it stops after {server.IDLE_SECONDS // 60} minutes without a build, or on "
                "build.py --stop-server)")
    return status


if __name__ == "__main__":
    status = main(command=True)
    # Skip the interpreter's teardown of pandas, Altair and MkDocs (about a quarter of a
    # second): every file is written and closed and the chart process has ended by now.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
